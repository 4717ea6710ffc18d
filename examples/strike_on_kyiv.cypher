// Who struck where, with what, on which day, and how many were killed?
// (sentences 1 and 7)
MATCH (attacker)-[strike:STRUCK]->(target:City)
RETURN attacker.name AS attacker, target.name AS target, strike.weapons AS weapons,
       strike.killed AS killed, strike.at_least AS at_least, strike.day AS day;

// Kyiv is the capital of which country?
MATCH (:City {name: 'Kyiv'})-[:CAPITAL_OF]->(country)
RETURN country.name AS capital_of;

// How did Donald Trump answer the strike?
MATCH (:Person {name: 'Donald Trump'})-[answer:REBUKED|DECLINED_TO_PENALIZE]->(whom)
RETURN type(answer) AS answer, whom.name AS whom
ORDER BY answer
