UNWIND ['Kyiv', 'Moscow', 'London'] AS city
MATCH (c:City {name: city})
RETURN c.name AS place
UNION
MATCH (c:Country)
RETURN c.name AS place
UNION ALL
RETURN 'White House' AS place
