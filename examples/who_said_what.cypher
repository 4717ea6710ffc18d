// Who said what, and where? Every full quotation in the article, in the
// article's order, with its speaker and the meeting, place or platform
// where it was said or posted (empty when the article does not say).
MATCH (speaker:Person)-[:SAID|WROTE]->(q:Quote)<-[:QUOTES]-(s:Sentence)
WHERE q.fragment = false
OPTIONAL MATCH (q)-[:SAID_AT|POSTED_ON]->(place)
WITH q, speaker, place, min(s.index) AS sentence
RETURN sentence, speaker.name AS speaker, q.text AS quote, place.name AS place
ORDER BY sentence;

// The words the article quotes only in passing, inside its own sentences.
MATCH (speaker:Person)-[:SAID]->(q:Quote)
WHERE q.fragment = true
RETURN speaker.name AS speaker, q.text AS fragment
ORDER BY fragment
