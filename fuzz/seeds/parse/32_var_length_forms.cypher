MATCH (a)-[*]->(b), (a)-[*2]->(c), (a)-[:MET_WITH*1..3]->(d), (a)-[r*..5]->(e), (a)-[*2.. {weight: 1}]->(f)
RETURN count(*)
