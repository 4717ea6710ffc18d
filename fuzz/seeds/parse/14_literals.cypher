RETURN 42 AS decimal, 0x2A AS hex, 0o52 AS octal, -9223372036854775808 AS smallest,
       3.14 AS pi, .5 AS half, 1e3 AS thousand, 6.02E23 AS avogadro,
       'it\'s' AS single, "say \"hi\"" AS double, 'tab\there\nnewline \u00e9 \\' AS escapes,
       true AS yes, FALSE AS no, null AS nothing,
       [1, 'two', [3.0]] AS list, {name: 'Kyiv', `population k`: 2952} AS map
