profile match (p:Person {name: 'Steve Witkoff'})-[:MET_WITH]->(o) return o.name
