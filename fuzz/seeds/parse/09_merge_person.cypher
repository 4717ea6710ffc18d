MERGE (p:Person {name: $name})
ON CREATE SET p.created = timestamp(), p.mentions = 1
ON MATCH SET p.mentions = coalesce(p.mentions, 0) + 1
RETURN p.name, p.mentions
