// Who is who: each person the article names, with whom they lead, work
// for or speak for, and the title it gives them there.
MATCH (person:Person)-[role:LEADS|WORKS_FOR|SPEAKS_FOR]->(body)
RETURN person.name AS person, type(role) AS role, body.name AS body, role.title AS title
ORDER BY person, body;

// Who met whom, and where? Who plans to meet whom, for which time?
MATCH (a:Person)-[m:MET_WITH]->(b:Person)
RETURN a.name AS person, b.name AS met, m.place AS place;
MATCH (a:Person)-[p:PLANS_TO_MEET]->(b:Person)
RETURN a.name AS person, b.name AS plans_to_meet, p.ordinal AS for_the_time
