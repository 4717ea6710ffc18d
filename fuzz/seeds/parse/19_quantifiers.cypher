MATCH path = (a:Person)-[:MET_WITH*2]-(b:Person)
WHERE all(n IN nodes(path) WHERE n:Person)
  AND any(r IN relationships(path) WHERE r.place = 'White House')
  AND none(n IN nodes(path) WHERE n.name IS NULL)
  AND single(x IN [a, b] WHERE x.name = 'Donald Trump')
RETURN a.name, b.name
