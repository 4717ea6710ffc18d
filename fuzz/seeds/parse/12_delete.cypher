MATCH (q:Quote)<-[r:SAID]-(:Person)
WHERE q.text IS NULL
DELETE r
WITH q
DETACH DELETE q
