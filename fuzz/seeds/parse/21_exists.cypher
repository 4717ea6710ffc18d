MATCH (p:Person)
WHERE EXISTS { (p)-[:SAID]->(q:Quote) WHERE q.text CONTAINS 'peace' }
  AND NOT EXISTS {
    MATCH (p)-[:MET_WITH]->(o:Person)
    WHERE o.name = 'Vladimir Putin'
    RETURN o
  }
RETURN p.name
