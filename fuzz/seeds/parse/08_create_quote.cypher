CREATE (t:Person:Politician {name: 'Donald Trump', role: 'President'})
CREATE (q:Quote {text: 'Vladimir, STOP!', said_on: 'Thursday'})
CREATE (t)-[:SAID {platform: 'Truth Social'}]->(q)
RETURN t, q
