//! Node columns (src/graph/columns.rs) answer as the node records do.
//! Scans that decide their filters on a column cell
//! (src/query/exec/resolve.rs, used by count.rs and matcher.rs) and scan
//! aggregations that read a column (src/query/exec/scan_aggregate.rs) give
//! the same rows, and the same errors, on a graph with columns as on a
//! clone whose columns were dropped, and as the same query written so that
//! neither fast path takes it (`coalesce(n).name` is not a plain property
//! read of the scanned node). This holds on a generated graph, on a graph
//! whose keys mix value families, and after writes that send nodes back to
//! their records: property and label changes, deletions, new nodes, and
//! writes a failing query rolls back. A last test checks that a scan
//! aggregation whose group takes several label sets (`labels(n)[0]`) keeps
//! the row-by-row aggregation's scan order.

use std::sync::LazyLock;

use kgq::generate::NewsData;
use kgq::graph::Graph;
use kgq::query::exec::parallel::MIN_PARALLEL_SCAN;
use kgq::{Session, Value};

/// About 20,000 nodes: a scan of them all is split over threads, a scan of
/// one label's is not.
static DATA: LazyLock<NewsData> = LazyLock::new(|| NewsData::generate(80_000, 7));

/// A query's rows, or its error as text (kind, code and message).
type Outcome = Result<Vec<Vec<Value>>, String>;

fn outcome(session: &mut Session, text: &str) -> Outcome {
    session
        .execute(text)
        .map(|r| r.rows)
        .map_err(|e| e.to_string())
}

fn rows(session: &mut Session, text: &str) -> Vec<Vec<Value>> {
    outcome(session, text).unwrap_or_else(|e| panic!("{text} failed: {e}"))
}

/// Equal, except that floats may differ in their last bits (a scan split
/// over threads, or aggregated per label set, adds a float sum in another
/// order), and NaN equals NaN.
fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Float(x), Value::Float(y)) => {
            (x.is_nan() && y.is_nan()) || x == y || (x - y).abs() <= 1e-9 * x.abs().max(y.abs())
        }
        (Value::List(x), Value::List(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(u, v)| same_value(u, v))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((k, u), (l, v))| k == l && same_value(u, v))
        }
        _ => a == b,
    }
}

fn same_outcome(a: &Outcome, b: &Outcome) -> bool {
    match (a, b) {
        (Ok(x), Ok(y)) => {
            x.len() == y.len()
                && x.iter().zip(y).all(|(r, s)| {
                    r.len() == s.len() && r.iter().zip(s).all(|(u, v)| same_value(u, v))
                })
        }
        (Err(x), Err(y)) => x == y,
        _ => false,
    }
}

/// `text` with every property read `v.key` of a one-letter variable
/// written `coalesce(v).key`, and `labels(v)` written
/// `labels(coalesce(v))`: the same values, but no node test, column or
/// scan aggregation applies. The queries here quote no text with a dot.
fn general(text: &str) -> String {
    let text = text.replace("labels(n)", "labels(coalesce(n))");
    let c: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 32);
    for (i, &ch) in c.iter().enumerate() {
        let var = ch.is_ascii_lowercase()
            && (i == 0 || !(c[i - 1].is_alphanumeric() || c[i - 1] == '_'))
            && c.get(i + 1) == Some(&'.')
            && c.get(i + 2).is_some_and(|d| d.is_ascii_alphabetic());
        if var {
            out.push_str(&format!("coalesce({ch})"));
        } else {
            out.push(ch);
        }
    }
    out
}

/// The operators a node test decides in a column.
const OPS: [&str; 9] = [
    "=",
    "<>",
    "<",
    "<=",
    ">",
    ">=",
    "STARTS WITH",
    "ENDS WITH",
    "CONTAINS",
];

/// Node scans under filters (counted, and returning rows), and scan
/// aggregations. Every query reads `name`, `score` and `verified` (which
/// have columns) or `age` and `nope` (which do not).
fn queries() -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut count = |filter: &str| out.push(format!("MATCH (n) WHERE {filter} RETURN count(*)"));
    // Every operator with each constant on the right, some on the left.
    let families: [(&str, &[&str], &[&str]); 3] = [
        (
            "n.name",
            &[
                "'Ada Abe'",
                "'M'",
                "'ova'",
                "''",
                "'Ü'",
                "1",
                "2.5",
                "true",
                "null",
            ],
            &["'M'", "''", "'Ivanova'", "1", "null"],
        ),
        (
            "n.score",
            &["0.5", "1", "0", "0.999", "'0.5'", "true", "null"],
            &["0.3", "1", "'0.5'"],
        ),
        (
            "n.verified",
            &["true", "false", "1", "'true'", "null"],
            &["true", "false"],
        ),
    ];
    for (prop, right, left) in families {
        for op in OPS {
            for c in right {
                count(&format!("{prop} {op} {c}"));
            }
            for c in left {
                count(&format!("{c} {op} {prop}"));
            }
        }
    }
    for both in [
        "n.name CONTAINS 'a' AND n.score > 0.5",
        "n.score < 0.3 AND n.verified = true",
        "n.name >= 'M' AND n.name < 'T'",
        "n.verified <> false AND 0.2 > n.score",
        "n.name STARTS WITH 'A' AND n.age > 40",
        "n.nope = 1 AND n.name CONTAINS 'a'",
    ] {
        count(both);
    }
    // Rows: the matcher's scan (and its column verdicts) binds each node.
    for filter in [
        "n.name CONTAINS 'ova'",
        "n.name CONTAINS ''",
        "n.name = 'Ada Abe'",
        "n.name <> 'Ada Abe'",
        "n.name < 'B'",
        "'B' >= n.name",
        "n.name STARTS WITH 'Z'",
        "n.name ENDS WITH 'a'",
        "'Ivanova' ENDS WITH n.name",
        "'Ada Abe' CONTAINS n.name",
        "n.name = 1",
        "n.name < 3",
        "n.name = 42",
        "n.name <> null",
        "n.score > 0.98",
        "n.score = 1",
        "0.01 >= n.score",
        "n.score = 0.25",
        "n.score <> 0.5",
        "n.score CONTAINS ''",
        "n.verified = true AND n.score > 0.9",
        "n.verified <> false AND n.name STARTS WITH 'A'",
        "n.verified = 'yes'",
        "n.score = 'text'",
    ] {
        out.push(format!(
            "MATCH (n) WHERE {filter} RETURN id(n), n.name, n.score"
        ));
    }
    out.extend(
        [
            // Label scans: small, so on one thread.
            "MATCH (n:Person) WHERE n.name CONTAINS 'ova' RETURN count(*)",
            "MATCH (n:Person) WHERE n.score >= 0.5 AND n.verified = true RETURN count(*)",
            "MATCH (n:Person) WHERE n.age > 40 AND n.name < 'K' RETURN count(*)",
            "MATCH (n:Person) WHERE n.name ENDS WITH 'a' RETURN id(n), n.name",
            "MATCH (n:Quote) WHERE n.verified = true RETURN id(n), n.score",
            "MATCH (n:Organization) WHERE 0.1 > n.score RETURN id(n), n.name",
            "MATCH (n:Person:Extra) WHERE n.score > 0.3 RETURN id(n), n.name",
            "MATCH (n:Person:Extra) WHERE n.name CONTAINS 'a' RETURN count(*)",
            "MATCH (n:Person:Quote) RETURN count(*)",
            "MATCH (n:Person {verified: true}) WHERE n.score < 0.2 RETURN count(*)",
            "MATCH (n) WHERE n.score > 0.5 RETURN count(n)",
            "MATCH (a:Place), (b:Quote) WHERE b.name STARTS WITH 'quote-00001' AND a.score > 0.95 \
             RETURN count(*)",
            "MATCH (a:Place), (b:Quote) WHERE b.name STARTS WITH 'quote-00001' AND a.score > 0.95 \
             RETURN id(a), id(b)",
            // Scan aggregations, over every node (split) or one label.
            "MATCH (n) RETURN labels(n)[0] AS l, count(*), avg(n.score), min(n.score), \
             max(n.name), count(n.verified), collect(n.verified)[0..3] ORDER BY l",
            "MATCH (n) RETURN avg(n.score), count(*)",
            "MATCH (n) RETURN count(*), min(n.score), max(n.score), min(n.name), \
             count(n.name), collect(n.name)[0..5]",
            "MATCH (n) RETURN labels(n) AS ls, count(*) AS c, max(n.score), min(n.verified)",
            "MATCH (n) RETURN labels(n)[1] AS second, count(*), min(n.name), max(n.verified)",
            "MATCH (n) WHERE n.name CONTAINS 'a' AND n.score > 0.2 \
             RETURN labels(n)[0] AS l, count(*), avg(n.score), max(n.name) ORDER BY l",
            "MATCH (n) WHERE n.verified = true RETURN labels(n)[0] AS l, count(*), avg(n.score)",
            "MATCH (n) WHERE n.age > 40 RETURN labels(n)[0] AS l, count(*), min(n.name), \
             avg(n.age)",
            "MATCH (n) RETURN avg(n.nope), count(n.nope), min(n.nope), count(*)",
            "MATCH (n) RETURN labels(n)[0] AS l, max(n.score) AS m ORDER BY m DESC, l LIMIT 2",
            "MATCH (n) RETURN labels(n)[0] AS l, count(*) AS c ORDER BY c DESC, l LIMIT 3",
            "MATCH (n) WITH labels(n)[0] AS l, count(*) AS c WHERE c > 1000 RETURN l, c",
            "MATCH (n) RETURN DISTINCT labels(n)[0] AS l, count(n.score) AS c ORDER BY l",
            "MATCH (n:Person) RETURN labels(n) AS ls, avg(n.age), count(n.verified), \
             collect(n.name)[0..3]",
            "MATCH (n:Person) WHERE n.name CONTAINS 'ova' RETURN count(*), avg(n.score), \
             max(n.score), collect(n.score)[0..3]",
            "MATCH (n:Quote) WHERE n.verified = true RETURN count(*), avg(n.score), \
             min(n.name), max(n.name)",
            "MATCH (n) WHERE n.score >= 0.5 RETURN count(n.score), min(n.verified), \
             max(n.verified)",
            "MATCH (n) WHERE 'M' <= n.name RETURN labels(n)[0] AS l, count(*), \
             collect(n.verified)[0..4]",
        ]
        .map(str::to_owned),
    );
    // Filters on a node bound by an expansion, decided on its cell (keys
    // most nodes carry, keys of one label's nodes), and comparisons of two
    // nodes' names by their ranks.
    out.extend(
        [
            "MATCH (a:Article)-[m:MENTIONS]->(p:Person) WHERE a.words > 1000 AND p.age < 40 \
             RETURN a.name, p.name, m.weight ORDER BY a.words DESC, a.name, p.name LIMIT 50",
            "MATCH (a:Article)-[m:MENTIONS]->(p) WHERE 1000 >= a.words AND p.verified = true \
             RETURN count(*)",
            "MATCH (p:Person)-[:WORKS_FOR]->(o) WHERE o.founded < 1950 AND p.name <> 'x' \
             RETURN o.name, count(*) AS n ORDER BY n DESC, o.name LIMIT 20",
            "MATCH (q:Quote)<-[:SAID]-(p) WHERE q.length > 60 AND q.score <= 0.5 \
             RETURN count(*), avg(q.length)",
            "MATCH (p1:Person)<-[:MENTIONS]-(a:Article)-[:MENTIONS]->(p2:Person) \
             WHERE p1.name < p2.name RETURN p1.name, p2.name, count(*) AS c \
             ORDER BY c DESC, p1.name, p2.name LIMIT 20",
            "MATCH (p1:Person)-[:MET_WITH]-(p2:Person) WHERE p1.name >= p2.name \
             AND p1.name <> p2.name RETURN count(*)",
            "MATCH (e:Event)<-[:PARTICIPATED_IN]-(p) WHERE e.ongoing = false AND e.year > 2015 \
             RETURN e.name, count(*) AS n ORDER BY n DESC, e.name LIMIT 10",
        ]
        .map(str::to_owned),
    );
    out
}

/// Aggregations that fail on the values they meet.
const FAILING: [&str; 4] = [
    "MATCH (n) RETURN avg(n.name)",
    "MATCH (n) RETURN labels(n)[0] AS l, avg(n.name)",
    "MATCH (n:Person) RETURN avg(n.verified)",
    "MATCH (n) WHERE n.score > 0.5 RETURN labels(n) AS ls, count(*), avg(n.verified)",
];

/// Runs every query on the graph with columns (`cols`) and on the one
/// without (`records`), which must agree; with `general_too`, also written
/// for the general path on `cols` (see [`general`]), which must agree too.
/// Returns how many answers were non-empty, non-zero counts.
fn compare(
    cols: &mut Session,
    records: &mut Session,
    texts: &[String],
    when: &str,
    general_too: bool,
) -> usize {
    assert!(!cols.graph().node_column_keys().is_empty(), "{when}");
    assert!(records.graph().node_column_keys().is_empty(), "{when}");
    let mut answered = 0;
    for t in texts {
        let a = outcome(cols, t);
        let b = outcome(records, t);
        assert!(
            same_outcome(&a, &b),
            "{when}: {t}\nwith columns: {a:?}\nfrom records: {b:?}"
        );
        if general_too {
            let g = general(t);
            let c = outcome(cols, &g);
            assert!(
                same_outcome(&a, &c),
                "{when}: {t}\nwith columns: {a:?}\ngeneral path ({g}): {c:?}"
            );
        }
        if let Ok(rows) = &a
            && !rows.is_empty()
            && rows != &vec![vec![Value::Int(0)]]
        {
            answered += 1;
        }
    }
    answered
}

/// Each of [`FAILING`] fails, with the same error with and without
/// columns.
fn compare_failures(cols: &mut Session, records: &mut Session) {
    for t in FAILING {
        let a = outcome(cols, t);
        let b = outcome(records, t);
        assert!(a.is_err(), "{t} did not fail: {a:?}");
        assert_eq!(a, b, "{t}");
    }
}

/// A session on `g` and one on a clone of it without columns.
fn pair(g: Graph) -> (Session, Session) {
    let mut records = g.clone();
    records.clear_node_columns();
    (Session::new(g), Session::new(records))
}

/// Writes, in batches; after each batch every query is compared again. A
/// statement's rows (how many nodes it wrote) must agree on both graphs.
fn batches() -> Vec<(&'static str, Vec<&'static str>)> {
    vec![
        (
            "property writes",
            vec![
                "MATCH (n:Person) WHERE NOT n.name CONTAINS 'ova' WITH n ORDER BY id(n) LIMIT 50 \
                 SET n.name = 'ova ova' RETURN count(*)",
                "MATCH (n:Organization) WITH n ORDER BY id(n) LIMIT 20 SET n.name = 42 \
                 RETURN count(*)",
                "MATCH (n:Quote) WITH n ORDER BY id(n) DESC LIMIT 7 SET n.score = 'text' \
                 RETURN count(*)",
                "MATCH (n:Place) WITH n ORDER BY id(n) LIMIT 30 REMOVE n.score RETURN count(*)",
                "MATCH (n:Person) WITH n ORDER BY id(n) SKIP 100 LIMIT 40 \
                 SET n.score = 1, n.verified = null RETURN count(*)",
                "MATCH (n:Quote) WITH n ORDER BY id(n) LIMIT 25 SET n.verified = 'yes' \
                 RETURN count(*)",
                "MATCH (n:Person) WITH n ORDER BY id(n) SKIP 200 LIMIT 10 SET n.name = null \
                 RETURN count(*)",
                "MATCH (n:Organization) WITH n ORDER BY id(n) SKIP 50 LIMIT 10 \
                 SET n += {score: 0.5, name: 'Merged ova'} RETURN count(*)",
                "MATCH (n:Place) WITH n ORDER BY id(n) DESC LIMIT 5 \
                 SET n = {name: 'Replaced', score: 2} RETURN count(*)",
            ],
        ),
        (
            "label writes",
            vec![
                // Read back from the records of the nodes just changed.
                "MATCH (n) WHERE n.score = 'text' SET n.score = 0.25 RETURN count(*)",
                "MATCH (n) WHERE n.verified = 'yes' SET n.verified = false RETURN count(*)",
                "MATCH (n:Person) WITH n ORDER BY id(n) LIMIT 60 SET n:Extra RETURN count(*)",
                "MATCH (n:Person) WITH n ORDER BY id(n) SKIP 300 LIMIT 30 REMOVE n:Person \
                 RETURN count(*)",
                "MATCH (n:Quote) WITH n ORDER BY id(n) LIMIT 15 SET n:Person RETURN count(*)",
                "MATCH (n:Organization) WITH n ORDER BY id(n) DESC LIMIT 5 \
                 REMOVE n:Organization RETURN count(*)",
            ],
        ),
        (
            "deletions and new nodes",
            vec![
                "MATCH (n:Quote) WITH n ORDER BY id(n) SKIP 40 LIMIT 30 DETACH DELETE n \
                 RETURN count(*)",
                "MATCH (n:Person) WHERE n.name CONTAINS 'ova' WITH n ORDER BY id(n) SKIP 5 \
                 LIMIT 10 DETACH DELETE n RETURN count(*)",
                "UNWIND range(1, 300) AS i CREATE (p:Person {name: 'Novak ova ' + toString(i), \
                 score: i / 1000.0, verified: i % 2 = 0, age: 20 + i % 50}) RETURN count(*)",
                "CREATE (p:Person:Extra {name: 'Ada Abe', score: 0.5}) RETURN count(*)",
                "CREATE (p {name: 'Zed', score: 7, verified: true}) RETURN count(*)",
                "CREATE (q:Quote {name: 13, score: 3, verified: 0}) RETURN count(*)",
            ],
        ),
    ]
}

/// Statements that write and then fail: the graph is rolled back, and the
/// nodes it restores must read from their records.
const ROLLED_BACK: [&str; 4] = [
    "MATCH (n:Person) WITH n ORDER BY id(n) LIMIT 5 SET n.name = 'zzz' \
     WITH n RETURN 1 / (id(n) - id(n))",
    "MATCH (n:Place) WITH n ORDER BY id(n) LIMIT 10 DETACH DELETE n \
     WITH count(*) AS c RETURN 1 / (c - c)",
    "MATCH (n:Organization) WITH n ORDER BY id(n) LIMIT 10 SET n:Person REMOVE n:Organization \
     SET n.score = 'oops' WITH n RETURN 1 / (id(n) - id(n))",
    "CREATE (p:Person {name: 'ghost ova', score: 0.1}) WITH p RETURN 1 / (id(p) - id(p))",
];

/// Applies every batch to both sessions and compares after each; at the
/// end, builds the columns anew from the written graph and compares again.
fn write_and_compare(cols: &mut Session, records: &mut Session, texts: &[String]) {
    for (name, writes) in batches() {
        for w in writes {
            let a = rows(cols, w);
            let b = rows(records, w);
            assert_eq!(a, b, "{w}");
            assert!(
                matches!(a.as_slice(), [row] if matches!(row[0], Value::Int(n) if n > 0)),
                "{w} wrote nothing: {a:?}"
            );
        }
        compare(cols, records, texts, name, false);
        compare_failures(cols, records);
    }
    let before = rows(
        cols,
        "MATCH (n) RETURN count(*), count(n.name), count(n.score)",
    );
    for w in ROLLED_BACK {
        for s in [&mut *cols, &mut *records] {
            // It fails after its writes, at the division.
            let e = outcome(s, w);
            assert!(
                matches!(&e, Err(m) if m.contains("DivisionByZero")),
                "{w} did not fail as meant: {e:?}"
            );
        }
    }
    assert_eq!(
        rows(
            cols,
            "MATCH (n) RETURN count(*), count(n.name), count(n.score)"
        ),
        before
    );
    assert_eq!(
        rows(
            cols,
            "MATCH (n) WHERE n.name = 'zzz' OR n.score = 'oops' RETURN count(*)"
        ),
        vec![vec![Value::Int(0)]]
    );
    compare(cols, records, texts, "after rollbacks", true);
    compare_failures(cols, records);
    cols.graph_mut().build_node_columns();
    compare(cols, records, texts, "columns rebuilt after writes", false);
    compare_failures(cols, records);
}

#[test]
fn a_generated_graph_has_columns_for_the_keys_most_nodes_or_a_label_carry() {
    let g = DATA.to_graph();
    let nodes = g.node_ids().count();
    assert!(nodes > MIN_PARALLEL_SCAN, "{nodes} nodes: too few to split");
    // Persons are not enough to split on their own.
    assert!(g.label_count("Person") < MIN_PARALLEL_SCAN);
    // `name`, `score` and `verified` (persons and quotes) are on more than
    // half of the nodes; the other numbers and booleans on one label's
    // nodes, whose ids follow each other; the other strings on one
    // label's only: no column.
    assert_eq!(
        g.node_column_keys(),
        vec![
            "age",
            "capital",
            "founded",
            "length",
            "name",
            "ongoing",
            "paywalled",
            "population",
            "public",
            "score",
            "verified",
            "words",
            "year"
        ]
    );
    let mut cleared = g.clone();
    cleared.clear_node_columns();
    assert!(cleared.node_column_keys().is_empty());
    let mut rebuilt = cleared.clone();
    rebuilt.build_node_columns();
    assert_eq!(rebuilt.node_column_keys(), g.node_column_keys());
}

#[test]
fn a_generated_graph_answers_as_its_records_do() {
    let (mut cols, mut records) = pair(DATA.to_graph());
    let texts = queries();
    let answered = compare(&mut cols, &mut records, &texts, "as generated", true);
    // Many queries find something: the comparison is not of empty answers.
    assert!(answered * 3 > texts.len(), "{answered} of {}", texts.len());
    compare_failures(&mut cols, &mut records);
    // A few answers checked outright.
    let by_label = rows(
        &mut cols,
        "MATCH (n) RETURN labels(n)[0] AS l, count(*) ORDER BY l",
    );
    let expected: Vec<Vec<Value>> = {
        let mut v: Vec<(&str, usize)> =
            DATA.nodes.iter().map(|b| (b.label, b.rows.len())).collect();
        v.sort();
        v.into_iter()
            .map(|(l, c)| vec![Value::from(l), Value::Int(c as i64)])
            .collect()
    };
    assert_eq!(by_label, expected);
    let persons = DATA.nodes.iter().find(|b| b.label == "Person").unwrap();
    let ova = persons
        .rows
        .iter()
        .filter(|r| matches!(&r[0], Value::String(s) if s.contains("ova")))
        .count();
    assert!(ova > 0);
    assert_eq!(
        rows(
            &mut cols,
            "MATCH (n:Person) WHERE n.name CONTAINS 'ova' RETURN count(*)"
        ),
        vec![vec![Value::Int(ova as i64)]]
    );
}

#[test]
fn writes_send_nodes_back_to_their_records() {
    let (mut cols, mut records) = pair(DATA.to_graph());
    write_and_compare(&mut cols, &mut records, &queries());
    // The created nodes lie beyond the columns; none of the rolled back
    // writes stayed.
    assert_eq!(
        rows(
            &mut cols,
            "MATCH (n) WHERE n.name STARTS WITH 'Novak ova ' RETURN count(*)"
        ),
        vec![vec![Value::Int(300)]]
    );
    assert_eq!(
        rows(
            &mut cols,
            "MATCH (n) WHERE n.name = 'ghost ova' RETURN count(*)"
        ),
        vec![vec![Value::Int(0)]]
    );
}

/// A graph whose keys mostly hold one family of values but not always:
/// names that are strings or integers, floats, booleans, lists or missing
/// (and empty, non-ASCII or long strings); scores that are floats,
/// integers, NaN, strings (on nodes without labels) or missing; `verified`
/// booleans, integers or strings; `age` on a third of the nodes. Labels
/// Person, Organization, Place, Quote, Person and Extra, or none. Some
/// nodes are deleted before the columns are built, leaving gaps in the
/// ids.
fn mixed_graph(n: usize) -> Graph {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut g = Graph::new();
    let mut doomed = Vec::new();
    for i in 0..n {
        let r = next();
        let labels: Vec<&str> = match (i / 40 + (r as usize >> 40) % 2) % 6 {
            0 => vec!["Person"],
            1 => vec!["Organization"],
            2 => vec!["Place"],
            3 => vec!["Quote"],
            4 => vec!["Person", "Extra"],
            _ => vec![],
        };
        let name = match r % 13 {
            0 => Value::from(format!("Ivanova {i}")),
            1 => Value::from("Ada Abe"),
            2 => Value::Int((i % 5) as i64),
            3 => Value::Float(2.5),
            4 => Value::Bool(i % 2 == 0),
            5 => Value::List(vec![Value::from("ova")]),
            6 => Value::Null,
            7 => Value::from(""),
            8 => Value::from(format!("Ünïcödé Нова {i}")),
            9 => Value::from(format!(
                "a long name past sixty-four bytes, so the other search runs, {i} Novak ova"
            )),
            10 => Value::from("M"),
            _ => Value::from(format!("Petrov {i}")),
        };
        let score = match (r >> 8) % 17 {
            0 => Value::Null,
            1 => Value::Int(((r >> 16) % 3) as i64),
            2 if labels.is_empty() => Value::from("0.5"),
            3 if labels == ["Organization"] && i % 7 == 0 => Value::Float(f64::NAN),
            4 => Value::Float(1.0),
            _ => Value::Float(((r >> 16) % 1001) as f64 / 1000.0),
        };
        let verified = match (r >> 24) % 10 {
            0..=2 => Value::Null,
            3 => Value::Int(1),
            4 => Value::from("true"),
            _ => Value::Bool((r >> 32) % 3 == 0),
        };
        let age = if (r >> 36) % 3 == 0 {
            Value::Int(18 + ((r >> 44) % 70) as i64)
        } else {
            Value::Null
        };
        let id = g.add_node(
            labels,
            [
                ("name", name),
                ("score", score),
                ("verified", verified),
                ("age", age),
            ],
        );
        if (r >> 50) % 61 == 0 {
            doomed.push(id);
        }
    }
    for id in doomed {
        assert!(matches!(g.delete_node(id), Ok(true)));
    }
    g.build_node_columns();
    g
}

#[test]
fn mixed_values_read_from_their_records() {
    let g = mixed_graph(MIN_PARALLEL_SCAN + 1500);
    assert_eq!(g.node_column_keys(), vec!["name", "score", "verified"]);
    // Deleted nodes left gaps in the ids.
    assert!(g.node_ids().count() < g.next_node_id().0 as usize);
    let (mut cols, mut records) = pair(g);
    let texts = queries();
    let answered = compare(&mut cols, &mut records, &texts, "mixed", true);
    assert!(answered * 2 > texts.len(), "{answered} of {}", texts.len());
    // Integers in the name column are read from their records.
    let ints = rows(&mut cols, "MATCH (n) WHERE n.name = 3 RETURN count(*)");
    assert!(matches!(ints[0][0], Value::Int(c) if c > 0), "{ints:?}");
    write_and_compare(&mut cols, &mut records, &texts);
}

/// A scan aggregation groups by label set first; groups of label sets that
/// share a grouping key are merged. The result must still be the one the
/// row-by-row aggregation gives, which takes the nodes in scan order (as a
/// scan split over threads does, src/query/exec/parallel.rs): `collect()`
/// lists values in scan order, and of equal extremes (`1` and `1.0`)
/// `max()` keeps the first met.
#[test]
fn scan_aggregations_keep_scan_order_across_label_sets() {
    let mut g = Graph::new();
    for (labels, name, score) in [
        (vec!["Person"], "a", Value::Float(0.0)),
        (vec!["Person", "Extra"], "b", Value::Float(1.0)),
        (vec!["Person"], "c", Value::Int(1)),
        (vec!["Person", "Extra"], "d", Value::Float(0.5)),
    ] {
        g.add_node(labels, [("name", Value::from(name)), ("score", score)]);
    }
    g.build_node_columns();
    let (mut cols, mut records) = pair(g);
    let names = Value::List(["a", "b", "c", "d"].map(Value::from).to_vec());
    let mut wrong = Vec::new();
    for (s, which) in [(&mut cols, "with columns"), (&mut records, "from records")] {
        for q in [
            "MATCH (n) RETURN labels(n)[0] AS l, collect(n.name), max(n.score)",
            "MATCH (n) RETURN collect(n.name), max(n.score)",
            "MATCH (n:Person) RETURN collect(n.name), max(n.score)",
        ] {
            // Row by row, the same query gives the nodes in scan order.
            let g = general(q);
            let got = rows(s, q);
            let expected = rows(s, &g);
            let tail = |r: &[Vec<Value>]| r[0][r[0].len() - 2..].to_vec();
            assert_eq!(tail(&expected), vec![names.clone(), Value::Float(1.0)]);
            if tail(&got) != tail(&expected) {
                wrong.push(format!(
                    "{which}: {q}\n  gives {got:?}\n  row by row {expected:?}"
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
