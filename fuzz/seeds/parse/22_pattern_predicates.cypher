MATCH (a:Person), (b:Person)
WHERE (a)-[:MET_WITH]->(b) OR (b)<-[:CRITICISED]-(a) AND NOT (a)--(b:Journalist)
RETURN a.name, b.name
