// Who rebuked Vladimir Putin, on which day and on which platform?
// (the article's sentences 7 and 8)
MATCH (critic:Person)-[r:REBUKED]->(:Person {name: 'Vladimir Putin'})
RETURN critic.name AS critic, r.day AS day, r.platform AS platform;

// In which words? The quotes that made up the rebuke, in the article's
// order, with the platform where the article says each was posted.
MATCH (author:Person)-[:WROTE]->(q:Quote)-[:PART_OF]->(:Event {name: 'rare public rebuke'}),
      (s:Sentence)-[:QUOTES]->(q)
OPTIONAL MATCH (q)-[:POSTED_ON]->(site:Platform)
RETURN s.index AS sentence, author.name AS author, q.text AS words, site.name AS posted_on
ORDER BY sentence
