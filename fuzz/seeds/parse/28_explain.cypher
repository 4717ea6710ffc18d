EXPLAIN MATCH (p:Person)-[:SAID]->(q:Quote) RETURN p.name, q.text
