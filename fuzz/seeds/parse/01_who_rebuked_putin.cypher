// Who rebuked Vladimir Putin, on which platform, and in which words?
MATCH (s:Person)-[r:REBUKED]->(t:Person {name: 'Vladimir Putin'})
OPTIONAL MATCH (s)-[:SAID]->(q:Quote)-[:POSTED_ON]->(p:Platform)
WHERE q.text CONTAINS 'STOP'
RETURN s.name AS speaker, p.name AS platform, q.text AS words
