MATCH (n)
RETURN id(n), labels(n), keys(n), properties(n), toUpper(n.name), toLower(trim(' X ')),
       substring('Ukraine', 0, 3), split('a,b', ','), replace('war', 'w', 'b'),
       toInteger('12'), toFloat('1.5'), toBoolean('true'), abs(-3), sqrt(16.0), round(2.5),
       count(DISTINCT n.name), sum(1), avg(1.0), max(1), min(1), stDev(1), percentileCont(1, 0.5)
