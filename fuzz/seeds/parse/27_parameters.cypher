MATCH (p:Person $props)
WHERE p.name IN $names AND p.age > $0
RETURN p {.name} AS person
SKIP $skip LIMIT $limit
