MATCH (p:Person)-[:SAID]->(q:Quote)
WITH *, size(q.text) AS length
ORDER BY length DESC
LIMIT 3
WHERE length > 10
RETURN p.name, q.text
