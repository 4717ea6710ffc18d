RETURN 1 + 2 * 3 ^ 2 AS arithmetic, -2 ^ 2 AS negated, 10 % 3 - -1 AS modulo,
       1 < 2 <= 3 AS chained, NOT true OR false XOR true AND false AS logic,
       'Kyiv' STARTS WITH 'K' AND 'Kyiv' ENDS WITH 'v' AND 'Kyiv' CONTAINS 'yi' AS strings,
       'Rubio' =~ 'R.*' AS regex, 3 IN [1, 2, 3] AS member, null IS NULL AS missing
