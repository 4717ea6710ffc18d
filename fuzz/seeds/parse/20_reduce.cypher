MATCH p = (a:Person)-[:MET_WITH*]->(b:Person)
RETURN reduce(total = 0, r IN relationships(p) | total + coalesce(r.minutes, 0)) AS minutes,
       reduce(names = '', n IN nodes(p) | names + n.name + ' ') AS route
