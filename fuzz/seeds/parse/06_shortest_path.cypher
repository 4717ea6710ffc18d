MATCH (a:Person {name: 'Marco Rubio'}), (b:Person {name: 'Vladimir Putin'})
MATCH p = shortestPath((a)-[*..5]-(b))
RETURN [n IN nodes(p) | n.name] AS chain, length(p) AS hops
