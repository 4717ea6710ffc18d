MATCH p = (a:Person {name: 'Donald Trump'})-[:MET_WITH|:SPOKE_WITH*1..3]-(b:Person)
WHERE a <> b
RETURN b.name, min(length(p)) AS hops
