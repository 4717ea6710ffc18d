MATCH (p:Person)-[:SAID]->(q:Quote)
RETURN p.name, count(*) AS quotes, collect(q.text)[0..2] AS first_two
ORDER BY quotes DESC, p.name ASC
LIMIT 10;
