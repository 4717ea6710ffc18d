// What the U.S.-backed peace proposal stipulates.
MATCH (plan:Proposal)-[s:STIPULATES]->(term)
OPTIONAL MATCH (term)-[:CONCERNS]->(place:Place)
RETURN plan.name, s.text, coalesce(place.name, 'n/a') AS place
ORDER BY s.order
