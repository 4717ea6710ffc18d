MATCH (p:Person)-[:SAID]->(q:Quote)
WITH p, collect(q.text) AS texts
RETURN p {.name, .role, quotes: texts, count: size(texts), p} AS summary, p {.*} AS everything
