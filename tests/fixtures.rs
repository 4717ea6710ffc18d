//! Query fixtures on the article graph: `tests/fixtures/*.cypher`.
//!
//! Each file holds cases. A case is a question in `//` comment lines, then
//! the query (one or more lines, the last ending with `;`), then a line
//! `// expect (any order)` or `// expect (in order)`, then the expected rows
//! as a table: a header row naming the columns in `RETURN` order, then one
//! row per record. An expectation with only a header means no rows.
//!
//! ```text
//! // Who rebuked Vladimir Putin?
//! MATCH (p:Person)-[:REBUKED]->(:Person {name: 'Vladimir Putin'})
//! RETURN p.name AS who;
//! // expect (any order)
//! | who            |
//! | 'Donald Trump' |
//! ```
//!
//! Cells are literals in the query language: `'strings'` (with `\'` and
//! `\\` escapes), integers, floats (`1.5`, `2.0e3`), `true`, `false`,
//! `null`, lists `[1, 'a']` and maps `{key: 1}`. The expected rows were
//! written by reading the article, not by running kgq. `any order` compares
//! the rows as a bag; `in order` compares them in sequence. Every failure is
//! reported as `file:line` of the case's query.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use kgq::{Graph, Session, Value};
use serde_json::Value as Json;

/// One question with its expected answer.
#[derive(Debug)]
struct Case {
    file: String,
    line: usize,
    question: String,
    query: String,
    ordered: bool,
    columns: Vec<String>,
    rows: Vec<Vec<Value>>,
}

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn fixture_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
        .expect("tests/fixtures is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "cypher"))
        .collect();
    files.sort();
    files
}

// ---- the fixture format -----------------------------------------------------

/// Splits a table row into its cells, keeping `|` inside quoted strings.
fn split_cells(row: &str) -> Result<Vec<String>, String> {
    let inner = row
        .trim()
        .strip_prefix('|')
        .and_then(|r| r.strip_suffix('|'))
        .ok_or("a table row starts and ends with |")?;
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in inner.chars() {
        match quote {
            Some(q) => {
                cell.push(c);
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None if c == '|' => cells.push(std::mem::take(&mut cell).trim().to_owned()),
            None => {
                if c == '\'' || c == '"' {
                    quote = Some(c);
                }
                cell.push(c);
            }
        }
    }
    if quote.is_some() {
        return Err("a string in the row is not closed".to_owned());
    }
    cells.push(cell.trim().to_owned());
    Ok(cells)
}

/// A parser for the literal syntax of expected cells.
struct Literal<'a> {
    text: &'a str,
    pos: usize,
}

impl Literal<'_> {
    fn parse(text: &str) -> Result<Value, String> {
        let mut p = Literal { text, pos: 0 };
        let v = p.value()?;
        p.skip_ws();
        if p.pos != text.len() {
            return Err(format!("unexpected {:?} after a value", &text[p.pos..]));
        }
        Ok(v)
    }

    fn rest(&self) -> &str {
        &self.text[self.pos..]
    }

    fn skip_ws(&mut self) {
        let trimmed = self.rest().trim_start();
        self.pos = self.text.len() - trimmed.len();
    }

    fn eat(&mut self, c: char) -> bool {
        self.skip_ws();
        if self.rest().starts_with(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn value(&mut self) -> Result<Value, String> {
        self.skip_ws();
        let rest = self.rest();
        match rest.chars().next() {
            Some('\'' | '"') => self.string().map(Value::String),
            Some('[') => {
                self.pos += 1;
                let mut items = Vec::new();
                if !self.eat(']') {
                    loop {
                        items.push(self.value()?);
                        if self.eat(']') {
                            break;
                        }
                        if !self.eat(',') {
                            return Err(format!("expected , or ] at {:?}", self.rest()));
                        }
                    }
                }
                Ok(Value::List(items))
            }
            Some('{') => {
                self.pos += 1;
                let mut map = BTreeMap::new();
                if !self.eat('}') {
                    loop {
                        self.skip_ws();
                        let key: String = self
                            .rest()
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect();
                        if key.is_empty() {
                            return Err(format!("expected a map key at {:?}", self.rest()));
                        }
                        self.pos += key.len();
                        if !self.eat(':') {
                            return Err(format!("expected : after map key {key}"));
                        }
                        map.insert(key, self.value()?);
                        if self.eat('}') {
                            break;
                        }
                        if !self.eat(',') {
                            return Err(format!("expected , or }} at {:?}", self.rest()));
                        }
                    }
                }
                Ok(Value::Map(map))
            }
            Some(_) => {
                let word: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '+' | '_'))
                    .collect();
                self.pos += word.len();
                match word.as_str() {
                    "null" => Ok(Value::Null),
                    "true" => Ok(Value::Bool(true)),
                    "false" => Ok(Value::Bool(false)),
                    w if w.contains(['.', 'e', 'E']) => w
                        .parse::<f64>()
                        .map(Value::Float)
                        .map_err(|_| format!("not a literal: {w:?}")),
                    w => w
                        .parse::<i64>()
                        .map(Value::Int)
                        .map_err(|_| format!("not a literal: {w:?}")),
                }
            }
            None => Err("a cell is empty".to_owned()),
        }
    }

    fn string(&mut self) -> Result<String, String> {
        let mut chars = self.rest().char_indices();
        let Some((_, q)) = chars.next() else {
            return Err("expected a string".to_owned());
        };
        let mut out = String::new();
        let mut escaped = false;
        for (i, c) in chars {
            if escaped {
                out.push(match c {
                    'n' => '\n',
                    't' => '\t',
                    other => other,
                });
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                self.pos += i + c.len_utf8();
                return Ok(out);
            } else {
                out.push(c);
            }
        }
        Err("a string is not closed".to_owned())
    }
}

fn parse_fixture(file: &str, text: &str) -> Result<Vec<Case>, String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut cases = Vec::new();
    let mut i = 0;
    let mut question: Vec<String> = Vec::new();
    while i < lines.len() {
        let line = lines[i].trim();
        if line.is_empty() {
            question.clear();
            i += 1;
            continue;
        }
        if let Some(comment) = line.strip_prefix("//") {
            question.push(comment.trim().to_owned());
            i += 1;
            continue;
        }
        // A query: lines up to the first one ending with `;`.
        let start = i;
        let mut query = Vec::new();
        loop {
            let Some(l) = lines.get(i) else {
                return Err(format!(
                    "{file}:{}: the query does not end with ;",
                    start + 1
                ));
            };
            query.push(*l);
            i += 1;
            if l.trim_end().ends_with(';') {
                break;
            }
        }
        let expect = lines.get(i).map(|l| l.trim()).unwrap_or("");
        let ordered = match expect {
            "// expect (any order)" => false,
            "// expect (in order)" => true,
            other => {
                return Err(format!(
                    "{file}:{}: expected `// expect (any order)` or `// expect (in order)`, found {other:?}",
                    i + 1
                ));
            }
        };
        i += 1;
        let mut table = Vec::new();
        while let Some(l) = lines.get(i).map(|l| l.trim())
            && l.starts_with('|')
        {
            table.push((i + 1, l));
            i += 1;
        }
        let Some(((_, header), body)) = table.split_first() else {
            return Err(format!(
                "{file}:{}: an expectation needs a header row",
                i + 1
            ));
        };
        let columns = split_cells(header).map_err(|e| format!("{file}:{}: {e}", i + 1))?;
        let mut rows = Vec::new();
        for (n, row) in body {
            let cells = split_cells(row).map_err(|e| format!("{file}:{n}: {e}"))?;
            if cells.len() != columns.len() {
                return Err(format!(
                    "{file}:{n}: {} cells for {} columns",
                    cells.len(),
                    columns.len()
                ));
            }
            let values = cells
                .iter()
                .map(|c| Literal::parse(c).map_err(|e| format!("{file}:{n}: {e}")))
                .collect::<Result<Vec<_>, _>>()?;
            rows.push(values);
        }
        let query = query.join("\n");
        let query = query.trim().trim_end_matches(';').trim_end().to_owned();
        cases.push(Case {
            file: file.to_owned(),
            line: start + 1,
            question: question.join(" "),
            query,
            ordered,
            columns,
            rows,
        });
        question.clear();
    }
    Ok(cases)
}

fn load_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for path in fixture_files() {
        let name = format!(
            "tests/fixtures/{}",
            path.file_name().unwrap_or_default().to_string_lossy()
        );
        let text = std::fs::read_to_string(&path).expect("fixture file is readable");
        match parse_fixture(&name, &text) {
            Ok(mut c) => cases.append(&mut c),
            Err(e) => panic!("{e}"),
        }
    }
    cases
}

// ---- the article graph ------------------------------------------------------

/// The bundled article graph, as the shell loads it.
fn article_graph() -> Graph {
    kgq::io::article_graph()
}

// ---- comparing rows ---------------------------------------------------------

/// Equality of a result value with an expected one: floats within a
/// relative 1e-9 (averages), everything else exactly.
fn same(actual: &Value, expected: &Value) -> bool {
    match (actual, expected) {
        (Value::Float(a), Value::Float(b)) => {
            a == b || (a - b).abs() <= 1e-9 * a.abs().max(b.abs())
        }
        (Value::List(a), Value::List(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y))
        }
        (Value::Map(a), Value::Map(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|((ka, va), (kb, vb))| ka == kb && same(va, vb))
        }
        _ => actual == expected,
    }
}

fn same_row(actual: &[Value], expected: &[Value]) -> bool {
    actual.len() == expected.len() && actual.iter().zip(expected).all(|(a, e)| same(a, e))
}

fn show_rows(rows: &[Vec<Value>]) -> String {
    rows.iter()
        .map(|r| {
            let cells: Vec<String> = r.iter().map(|v| v.to_string()).collect();
            format!("    | {} |", cells.join(" | "))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// What is wrong with `actual` as an answer to `case`, if anything.
fn compare(case: &Case, columns: &[String], actual: &[Vec<Value>]) -> Option<String> {
    if columns != case.columns {
        return Some(format!("columns {columns:?}, expected {:?}", case.columns));
    }
    let matches = if case.ordered {
        actual.len() == case.rows.len()
            && actual.iter().zip(&case.rows).all(|(a, e)| same_row(a, e))
    } else {
        let mut left: Vec<&Vec<Value>> = case.rows.iter().collect();
        actual.len() == case.rows.len()
            && actual.iter().all(|a| {
                left.iter()
                    .position(|e| same_row(a, e))
                    .map(|i| left.swap_remove(i))
                    .is_some()
            })
    };
    (!matches).then(|| {
        format!(
            "rows differ ({})\n  got:\n{}\n  expected:\n{}",
            if case.ordered {
                "in order"
            } else {
                "any order"
            },
            show_rows(actual),
            show_rows(&case.rows)
        )
    })
}

// ---- tests ------------------------------------------------------------------

#[test]
fn every_fixture_file_parses_into_cases_with_questions() {
    let cases = load_cases();
    assert!(cases.len() >= 15, "only {} fixture cases", cases.len());
    for case in &cases {
        assert!(
            !case.question.is_empty(),
            "{}:{}: a case states its question",
            case.file,
            case.line
        );
    }
}

#[test]
fn the_fixture_graph_holds_every_node_and_relationship_of_the_file() {
    let graph = article_graph();
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/article.json"))
            .expect("data/article.json is readable");
    let json: Json = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(
        graph.node_count(),
        json["nodes"].as_array().map_or(0, Vec::len)
    );
    assert_eq!(
        graph.rel_count(),
        json["relationships"].as_array().map_or(0, Vec::len)
    );
    assert_eq!(graph.label_count("Sentence"), 32);
}

#[test]
fn cell_literals_parse_as_the_query_language_writes_them() {
    let parse = |s: &str| Literal::parse(s).expect("parses");
    assert_eq!(
        parse("'Truth Social'"),
        Value::String("Truth Social".into())
    );
    assert_eq!(parse(r"'it\'s'"), Value::String("it's".into()));
    assert_eq!(parse("-12"), Value::Int(-12));
    assert_eq!(parse("2.5"), Value::Float(2.5));
    assert_eq!(parse("null"), Value::Null);
    assert_eq!(
        parse("['a', [1, true]]"),
        Value::List(vec![
            Value::String("a".into()),
            Value::List(vec![Value::Int(1), Value::Bool(true)])
        ])
    );
    assert_eq!(
        parse("{killed: 12}"),
        Value::Map(BTreeMap::from([("killed".to_owned(), Value::Int(12))]))
    );
    assert!(Literal::parse("'open").is_err());
    assert!(Literal::parse("12 13").is_err());
    assert_eq!(
        split_cells("| 'a | b' | 1 |").expect("splits"),
        vec!["'a | b'".to_owned(), "1".to_owned()]
    );
}

#[test]
fn a_wrong_or_missing_row_is_reported() {
    let text = "// q?\nRETURN 1 AS x;\n// expect (any order)\n| x |\n| 1 |\n| 2 |\n";
    let cases = parse_fixture("t.cypher", text).expect("parses");
    let case = &cases[0];
    assert_eq!(case.line, 2);
    let cols = vec!["x".to_owned()];
    assert!(compare(case, &cols, &[vec![Value::Int(2)], vec![Value::Int(1)]]).is_none());
    assert!(compare(case, &cols, &[vec![Value::Int(1)], vec![Value::Int(1)]]).is_some());
    assert!(compare(case, &cols, &[vec![Value::Int(1)]]).is_some());
    assert!(
        compare(
            case,
            &["y".to_owned()],
            &[vec![Value::Int(1)], vec![Value::Int(2)]]
        )
        .is_some()
    );
    let ordered =
        parse_fixture("t.cypher", &text.replace("any order", "in order")).expect("parses");
    assert!(
        compare(
            &ordered[0],
            &cols,
            &[vec![Value::Int(2)], vec![Value::Int(1)]]
        )
        .is_some()
    );
}

#[test]
fn a_malformed_fixture_names_its_line() {
    let err = parse_fixture("t.cypher", "// q?\nRETURN 1 AS x;\n| x |\n").unwrap_err();
    assert!(err.starts_with("t.cypher:3:"), "{err}");
    let err = parse_fixture(
        "t.cypher",
        "// q?\nRETURN 1 AS x;\n// expect (any order)\n| x |\n| 1 | 2 |\n",
    )
    .unwrap_err();
    assert!(err.starts_with("t.cypher:5:"), "{err}");
}

#[test]
fn fixture_queries_give_the_rows_read_from_the_article() {
    let cases = load_cases();
    let mut session = Session::new(article_graph());
    let mut failures = Vec::new();
    for case in &cases {
        match session.execute(&case.query) {
            Ok(result) => {
                if let Some(why) = compare(case, &result.columns, &result.rows) {
                    failures.push(format!(
                        "{}:{}: {}\n  {why}",
                        case.file, case.line, case.question
                    ));
                }
            }
            Err(e) => failures.push(format!(
                "{}:{}: {}\n{}",
                case.file,
                case.line,
                case.question,
                e.render(&case.query, None)
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixture cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}
