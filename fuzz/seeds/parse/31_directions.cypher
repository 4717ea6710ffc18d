MATCH (a)-->(b)<--(c)--(d)<-->(e), (a)-[:T]->(b)<-[:U]-(c)-[:V]-(d)<-[:W]->(e)
RETURN a, b, c, d, e
