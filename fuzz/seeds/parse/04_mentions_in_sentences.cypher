MATCH (s:Sentence)-[:MENTIONS]->(e)
WITH e, count(s) AS mentions
WHERE mentions >= 2
RETURN labels(e) AS kind, e.name AS entity, mentions
ORDER BY mentions DESC
SKIP 0 LIMIT 25
