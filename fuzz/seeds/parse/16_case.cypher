MATCH (p:Person)
RETURN p.name,
       CASE p.role WHEN 'President' THEN 1 WHEN 'Secretary of State' THEN 2 ELSE 3 END AS rank,
       CASE WHEN p.age IS NULL THEN 'unknown' WHEN p.age > 70 THEN 'senior' ELSE 'adult' END AS band
