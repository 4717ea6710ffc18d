//! The text of `:help` and its topics. `:help` alone is written so that a
//! newcomer can answer a first question about the article right away.

use super::command::COMMANDS;
use super::suggest::nearest;

const INTRO: &str = "\
kgq answers questions about a knowledge graph. Queries follow openCypher:
describe a pattern with MATCH, say what you want back with RETURN, and end
each query with ; (a query may span several lines; a blank line also runs it).

Start with the bundled news article:
  :schema                                           labels, relationship types, keys
  MATCH (p:Person) RETURN p.name;                   the people it names
  MATCH (p:Person)-[:SAID|WROTE]->(q:Quote)
  RETURN p.name, q.text LIMIT 5;                    who said or wrote what
  MATCH (a)-[r:REBUKED]->(b)                        who rebuked whom, on which
  RETURN a.name, b.name, r.platform, r.day;         platform, on which day
  MATCH (p:Person)-[:WROTE]->(q:Quote)-[:POSTED_ON]->(site)
  RETURN p.name, q.text, site.name;                 what was posted, and where
  MATCH (n {name: 'Vladimir Putin'})-[r]-(m)        everything linked to a name
  WHERE NOT m:Sentence RETURN type(r), coalesce(m.name, m.text);

Tab completes keywords, labels (after :), relationship types (after [:),
property keys (after n.), parameters and commands. Ctrl-C stops a query,
Ctrl-R searches history, Ctrl-D or :quit leaves.
";

fn commands_text() -> String {
    let mut text = String::from("Commands (one line each, no ;):\n");
    for (name, args, what) in COMMANDS {
        let usage = format!(":{name} {args}");
        text.push_str(&format!("  {usage:<44} {what}\n"));
    }
    text
}

const QUERY: &str = "\
The query language follows openCypher.

Reading
  MATCH (a:Person {name: 'Marco Rubio'}) RETURN a;
  MATCH (a)-[r:MET_WITH]->(b) WHERE a.name STARTS WITH 'Donald' RETURN b.name;
  MATCH (a)-[*1..2]-(b) RETURN DISTINCT b.name ORDER BY b.name LIMIT 10;
  MATCH p = shortestPath((a {name: 'Donald Trump'})-[*]-(b {name: 'Kyiv'})) RETURN p;
  OPTIONAL MATCH, WITH, UNWIND, UNION, ORDER BY, SKIP, LIMIT, DISTINCT
Aggregating
  MATCH (n) RETURN labels(n)[0] AS label, count(*) ORDER BY count(*) DESC;
  collect, sum, avg, min, max, percentileCont, stDev
Writing (changes stay in memory until :save)
  CREATE (:Person {name: 'Ada'});
  MATCH (p:Person {name: 'Ada'}) SET p.title = 'analyst';
  MERGE, SET, REMOVE, DELETE, DETACH DELETE
Parameters
  :param who => 'Vladimir Putin'
  MATCH (p {name: $who}) RETURN p;
Plans
  EXPLAIN MATCH ...;   PROFILE MATCH ...;
Strings use '...' or \"...\"; `backquotes` quote odd names; comments are // and /* */.
";

const FORMATS: &str = "\
Output formats (:format NAME, or --format NAME on the command line):
  table     boxes fitted to the terminal, long values cut with …; :last shows them whole
  json      one object per statement: columns, rows, stats (and timing with :timing on)
  jsonl     one object per row, keyed by column
  csv, tsv  a header row, then one record per row
  markdown  a table for documents
Values show in query notation: (:Person {name: 'Marco Rubio'}), [:SAID], <(a)-[:R]->(b)>.
";

const EXPORT: &str = "\
Export the subgraph a query selects (every node and relationship in its result,
plus the ends of each relationship; --induced adds all relationships between
the selected nodes):
  :export graphml putin.graphml MATCH (p {name: 'Vladimir Putin'})-[r]-(m) RETURN p, r, m
  :export dot out.dot           (the last result)
Formats: json, node-link, graphml, dot, cypher, csv, mermaid, svg; without a
format the file's extension decides. From the command line:
  kgq export --format dot -o out.dot --query 'MATCH (n)-[r]->(m) RETURN n, r, m'
";

const KEYS: &str = "\
Keys:
  Enter        run the input when it ends with ; (else continue on the next line)
  Tab          complete keywords, functions, labels, types, keys, $parameters, :commands, paths
  Ctrl-R       search history             Up/Down  walk through history
  Ctrl-C       stop the running query, or clear the input
  Ctrl-D       leave (as :quit)           Right    accept the grey hint from history
";

/// The topics `:help` knows.
pub const TOPICS: &[&str] = &[
    "commands",
    "query",
    "functions",
    "formats",
    "export",
    "keys",
];

fn functions_text() -> String {
    let mut text = String::from("Functions (aggregates marked *):\n");
    for f in crate::query::functions::all() {
        let (signature, summary) =
            crate::query::functions::describe(f.name).unwrap_or((f.name, ""));
        let mark = if f.aggregate { "*" } else { " " };
        text.push_str(&format!("  {mark} {signature:<40} {summary}\n"));
    }
    text
}

/// The help text for `topic` (`None` for the overview), or an error
/// naming the topics.
pub fn topic(topic: Option<&str>) -> Result<String, String> {
    match topic {
        None => Ok(format!(
            "{INTRO}\n{}\nMore: :help query, :help functions, :help formats, :help export, :help keys\n",
            commands_text()
        )),
        Some("commands") => Ok(commands_text()),
        Some("query") | Some("queries") | Some("language") | Some("examples") => {
            Ok(QUERY.to_owned())
        }
        Some("functions") | Some("function") => Ok(functions_text()),
        Some("formats") | Some("format") => Ok(FORMATS.to_owned()),
        Some("export") => Ok(EXPORT.to_owned()),
        Some("keys") => Ok(KEYS.to_owned()),
        Some(other) => {
            let name = other.trim_start_matches(':');
            if let Some((n, args, what)) = COMMANDS.iter().find(|(n, _, _)| *n == name) {
                return Ok(format!(":{n} {args}\n  {what}\n"));
            }
            let mut message = format!("no help on `{other}`");
            if let Some(near) = nearest(other, TOPICS.iter().copied()) {
                message.push_str(&format!("; did you mean `{near}`?"));
            }
            message.push_str(&format!("\ntopics: {}", TOPICS.join(", ")));
            Err(message)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_overview_lists_every_command_and_example_queries() {
        let text = topic(None).unwrap();
        for (name, _, _) in COMMANDS {
            assert!(text.contains(&format!(":{name}")), "missing :{name}");
        }
        assert!(text.contains("MATCH (p:Person)-[:SAID|WROTE]->(q:Quote)"));
    }

    #[test]
    fn functions_are_listed_with_their_signatures() {
        let text = topic(Some("functions")).unwrap();
        assert!(text.contains("toUpper("), "{text}");
        assert!(text.contains("* count("), "{text}");
    }

    #[test]
    fn an_unknown_topic_suggests_one() {
        let e = topic(Some("formts")).unwrap_err();
        assert!(e.contains("did you mean `formats`?"), "{e}");
        assert!(topic(Some(":schema")).unwrap().contains("labels"));
    }
}
