MATCH (s:Sentence)
WITH count(*) AS sentences
MATCH ()-[m:MENTIONS]->()
RETURN sentences, count(m) AS mentions, toFloat(count(m)) / sentences AS per_sentence
