// Labels and keys with spaces need backquotes; a doubled backquote is one.
MATCH (`the speaker`:`Head of State`)-[`said it`:SAID]->(q) /* inline */
RETURN `the speaker`.`full name` AS `name``s`, q.text // trailing comment
