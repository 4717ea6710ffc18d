//! Scripts of write statements in the query language.
//!
//! **Export** writes one `CREATE` per node, carrying a helper property
//! `__kgq_id` (the node's kgq id), then one `MATCH ... CREATE` per
//! relationship that finds its endpoints by that property, and finally
//! removes the helper. The statements use only what Neo4j, Memgraph,
//! FalkorDB and kgq all accept; NaN and the infinities are written as
//! `0.0/0.0`, `1.0/0.0`, `-1.0/0.0`. With [`ExportOptions::merge`]
//! nodes are `MERGE`d on their labels and properties and relationships on
//! their type and properties, so running the script twice creates nothing
//! the second time (identical nodes merge into one). Maps as property
//! values are written as map literals, which kgq stores but Neo4j refuses.
//!
//! **Import** splits a script into statements at `;` outside strings,
//! quoted names and comments, skips shell lines that begin with `:` (such
//! as `:begin`), and runs each statement in order on an empty graph
//! through [`crate::Session`]; the first error stops the import and is
//! reported at its line and column in the script.
//!
//! [`ExportOptions::merge`]: super::ExportOptions::merge

use std::io::Write;
use std::path::Path;

use crate::error::{DataError, Error, line_col};
use crate::graph::{Graph, NodeRef, Value, format_float, quote_identifier, quote_string};
use crate::session::Session;

use super::subgraph::Subgraph;

/// The helper property that connects relationships to their nodes while
/// a script runs.
pub const HELPER: &str = "__kgq_id";

/// `value` as a literal (or constant expression) of the query language.
pub(crate) fn literal(value: &Value) -> String {
    match value {
        Value::Int(i64::MIN) => "(-9223372036854775807 - 1)".to_owned(),
        Value::Float(f) if f.is_nan() => "(0.0 / 0.0)".to_owned(),
        Value::Float(f) if f.is_infinite() => if *f > 0.0 {
            "(1.0 / 0.0)"
        } else {
            "(-1.0 / 0.0)"
        }
        .to_owned(),
        Value::Float(f) => format_float(*f),
        Value::String(s) => quote_string(s),
        Value::List(items) => {
            let inner: Vec<String> = items.iter().map(literal).collect();
            format!("[{}]", inner.join(", "))
        }
        Value::Map(map) => {
            let inner: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}: {}", quote_identifier(k), literal(v)))
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
        other => other.to_string(),
    }
}

fn prop_map(props: &[(&str, &Value)], extra: Option<String>) -> String {
    let mut parts: Vec<String> = props
        .iter()
        .map(|(k, v)| format!("{}: {}", quote_identifier(k), literal(v)))
        .collect();
    parts.extend(extra);
    if parts.is_empty() {
        String::new()
    } else {
        format!(" {{{}}}", parts.join(", "))
    }
}

fn labels(node: &NodeRef<'_>) -> String {
    node.labels()
        .iter()
        .map(|l| format!(":{}", quote_identifier(l)))
        .collect()
}

/// Writes `sub` as a script; `merge` uses `MERGE` instead of `CREATE`.
pub fn write(graph: &Graph, sub: &Subgraph, merge: bool, out: &mut dyn Write) -> Result<(), Error> {
    let mut buf = format!(
        "// kgq export: {} nodes, {} relationships. The property {HELPER} links\n\
         // relationships to their nodes and is removed at the end.\n",
        sub.nodes.len(),
        sub.rels.len()
    );
    for node in sub.nodes.iter().filter_map(|&n| graph.node(n)) {
        let props = node.properties();
        if merge {
            buf.push_str(&format!(
                "MERGE (n{}{}) SET n.{HELPER} = coalesce(n.{HELPER}, []) + [{}];\n",
                labels(&node),
                prop_map(&props, None),
                node.id()
            ));
        } else {
            buf.push_str(&format!(
                "CREATE ({});\n",
                format!(
                    "{}{}",
                    labels(&node),
                    prop_map(&props, Some(format!("{HELPER}: {}", node.id())))
                )
                .trim_start()
            ));
        }
        super::native::flush_if_full(&mut buf, out)?;
    }
    for rel in sub.rels.iter().filter_map(|&r| graph.rel(r)) {
        let (Some(a), Some(b)) = (graph.node(rel.start()), graph.node(rel.end())) else {
            continue;
        };
        let pattern = format!(
            "[:{}{}]",
            quote_identifier(rel.rel_type()),
            prop_map(&rel.properties(), None)
        );
        let matching = if merge {
            let find = |var: &str, n: &NodeRef<'_>| {
                format!(
                    "MATCH ({var}{}) WHERE {} IN {var}.{HELPER}",
                    labels(n),
                    n.id()
                )
            };
            if a.id() == b.id() {
                find("a", &a)
            } else {
                format!("{} {}", find("a", &a), find("b", &b))
            }
        } else {
            let find = |var: &str, n: &NodeRef<'_>| {
                format!("({var}{} {{{HELPER}: {}}})", labels(n), n.id())
            };
            if a.id() == b.id() {
                format!("MATCH {}", find("a", &a))
            } else {
                format!("MATCH {}, {}", find("a", &a), find("b", &b))
            }
        };
        let end = if a.id() == b.id() { "a" } else { "b" };
        let verb = if merge { "MERGE" } else { "CREATE" };
        buf.push_str(&format!("{matching} {verb} (a)-{pattern}->({end});\n"));
        super::native::flush_if_full(&mut buf, out)?;
    }
    if !sub.nodes.is_empty() {
        buf.push_str(&format!(
            "MATCH (n) WHERE n.{HELPER} IS NOT NULL REMOVE n.{HELPER};\n"
        ));
    }
    out.write_all(buf.as_bytes()).map_err(super::write_error)
}

/// One statement of a script: its text and byte offset in the script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement<'s> {
    /// The statement, without the `;`.
    pub text: &'s str,
    /// Where it starts in the script.
    pub offset: usize,
}

/// Splits a script at `;` outside strings, quoted names and comments.
/// Statements that hold only blanks and comments are dropped; shell lines
/// starting with `:` at the start of a statement are skipped. The last
/// statement may omit its `;`.
pub fn split_statements<'s>(script: &'s str) -> Vec<Statement<'s>> {
    let bytes = script.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut has_code = false;
    let mut i = 0;
    let push = |out: &mut Vec<Statement<'s>>, from: usize, to: usize, has_code: bool| {
        if has_code {
            let raw = &script[from..to];
            let lead = raw.len() - raw.trim_start().len();
            out.push(Statement {
                text: raw[lead..].trim_end(),
                offset: from + lead,
            });
        }
    };
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'\'' | b'"' | b'`' => {
                has_code = true;
                i += 1;
                while i < bytes.len() && bytes[i] != b {
                    if bytes[i] == b'\\' && b != b'`' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < bytes.len() && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                i += 2;
            }
            b':' if !has_code => {
                // A shell command line such as `:begin`: skip it.
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                start = i;
            }
            b';' => {
                push(&mut out, start, i, has_code);
                i += 1;
                start = i;
                has_code = false;
            }
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            _ => {
                has_code = true;
                i += 1;
            }
        }
    }
    push(&mut out, start, bytes.len().min(script.len()), has_code);
    out
}

/// Runs a script on an empty graph and returns the graph it builds.
pub fn load_str(script: &str, path: Option<&Path>) -> Result<Graph, Error> {
    let mut session = Session::new(Graph::new());
    for stmt in split_statements(script) {
        if let Err(e) = session.execute(stmt.text) {
            let at = stmt.offset + e.span.map_or(0, |s| s.start);
            let (line, column) = line_col(script, at);
            let mut d = DataError::new(format!(
                "statement failed: {} ({}): {}",
                e.kind, e.detail, e.message
            ))
            .at(line, column)
            .with_hint(
                e.hint
                    .clone()
                    .unwrap_or_else(|| "fix the statement; nothing was loaded".to_owned()),
            );
            if let Some(p) = path {
                d = d.in_file(p);
            }
            return Err(Error::Data(d));
        }
    }
    Ok(session.replace_graph(Graph::new()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(script: &str) -> Vec<&str> {
        split_statements(script)
            .into_iter()
            .map(|s| s.text)
            .collect()
    }

    #[test]
    fn semicolons_inside_strings_names_and_comments_do_not_split() {
        let script = "CREATE ({a: 'x;y', b: \"p\\\";q\"});\n// c; d\nMATCH (`we;ird`) /* ; */ RETURN 1;\n  RETURN 2";
        assert_eq!(
            texts(script),
            vec![
                "CREATE ({a: 'x;y', b: \"p\\\";q\"})",
                "// c; d\nMATCH (`we;ird`) /* ; */ RETURN 1",
                "RETURN 2"
            ]
        );
        let stmts = split_statements(script);
        assert_eq!(&script[stmts[2].offset..stmts[2].offset + 8], "RETURN 2");
    }

    #[test]
    fn blank_statements_and_shell_lines_are_skipped() {
        assert_eq!(
            texts(":begin\nCREATE ();\n;;\n:commit\n// end\n"),
            vec!["CREATE ()"]
        );
        assert!(texts("").is_empty());
        assert_eq!(texts("RETURN ':x'"), vec!["RETURN ':x'"]);
    }

    #[test]
    fn unterminated_strings_and_comments_end_the_script_without_panic() {
        assert_eq!(texts("RETURN 'abc"), vec!["RETURN 'abc"]);
        assert_eq!(texts("RETURN 1 /* open"), vec!["RETURN 1 /* open"]);
    }

    #[test]
    fn export_writes_helper_property_and_removes_it() {
        let mut g = Graph::new();
        let a = g.add_node(
            ["Person"],
            [("name", Value::from("it's")), ("x", Value::Float(f64::NAN))],
        );
        let b = g.add_node(Vec::<&str>::new(), Vec::<(&str, Value)>::new());
        g.add_rel(a, b, "KNOWS", [("since", Value::Int(i64::MIN))])
            .unwrap();
        g.add_rel(a, a, "SELF", Vec::<(&str, Value)>::new())
            .unwrap();
        let mut out = Vec::new();
        write(&g, &Subgraph::all(&g), false, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().filter(|l| !l.starts_with("//")).collect();
        assert_eq!(
            lines,
            vec![
                "CREATE (:Person {name: 'it\\'s', x: (0.0 / 0.0), __kgq_id: 0});",
                "CREATE ({__kgq_id: 1});",
                "MATCH (a:Person {__kgq_id: 0}), (b {__kgq_id: 1}) CREATE (a)-[:KNOWS {since: (-9223372036854775807 - 1)}]->(b);",
                "MATCH (a:Person {__kgq_id: 0}) CREATE (a)-[:SELF]->(a);",
                "MATCH (n) WHERE n.__kgq_id IS NOT NULL REMOVE n.__kgq_id;",
            ]
        );
        let mut merged = Vec::new();
        write(&g, &Subgraph::all(&g), true, &mut merged).unwrap();
        let text = String::from_utf8(merged).unwrap();
        assert!(text.contains("MERGE (n:Person {name: 'it\\'s', x: (0.0 / 0.0)}) SET n.__kgq_id = coalesce(n.__kgq_id, []) + [0];"), "{text}");
        assert!(text.contains("MATCH (a:Person) WHERE 0 IN a.__kgq_id MATCH (b) WHERE 1 IN b.__kgq_id MERGE (a)-[:KNOWS"), "{text}");
    }
}
