/* People who met, in either direction, with where they met. */
MATCH (a:Person)-[m:MET_WITH]-(b:Person)
WHERE a.name < b.name
RETURN DISTINCT a.name, b.name, m.place
