MATCH (p:Person)
RETURN p.name,
       [(p)-[:SAID]->(q:Quote) WHERE q.text CONTAINS 'war' | q.text] AS war_quotes,
       size([path = (p)-[:MET_WITH]-() | path]) AS meetings
