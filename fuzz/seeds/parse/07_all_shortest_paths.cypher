MATCH (a:Person {name: 'Steve Witkoff'}), (c:Country {name: 'Ukraine'})
MATCH p = allShortestPaths((a)-[*]-(c))
RETURN p
