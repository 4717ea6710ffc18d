// What does the U.S.-backed peace proposal stipulate? (sentence 20)
MATCH (:Proposal {name: 'U.S.-backed peace proposal'})-[:STIPULATES]->(provision)
RETURN provision.text AS stipulates;

// Which land would the U.S. recognize as Russian territory under it?
MATCH (:Country {name: 'United States'})-[:WOULD_RECOGNIZE_AS_RUSSIAN]->(land)
RETURN land.name AS land
ORDER BY land;

// Where does each party stand on the proposal?
MATCH (party)-[stance]->(:Proposal {name: 'U.S.-backed peace proposal'})
WHERE NOT party:Sentence
RETURN party.name AS party, type(stance) AS stance
ORDER BY party, stance
