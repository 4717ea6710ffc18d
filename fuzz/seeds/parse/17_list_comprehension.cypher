WITH range(1, 10) AS numbers
RETURN [x IN numbers WHERE x % 2 = 0 | x * x] AS even_squares,
       [x IN numbers WHERE x > 8] AS big,
       [x IN numbers | toString(x)][..3] AS first_three,
       numbers[-1] AS last, numbers[2..4] AS middle, numbers[5..] AS tail
