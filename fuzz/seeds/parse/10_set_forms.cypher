MATCH (p:Person {name: 'Marco Rubio'})
SET p.title = 'Secretary of State', p += {country: 'United States'}, p:Official:Diplomat
WITH p
MATCH (q:Quote) WHERE q.speaker = p.name
SET q = {text: q.text, speaker: p.name}
RETURN p, count(q)
