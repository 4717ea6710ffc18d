MATCH (p:Person)
WHERE p.temporary IS NOT NULL
REMOVE p.temporary, p:Draft
RETURN p.name
