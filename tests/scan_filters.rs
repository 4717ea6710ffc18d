//! Counting a single-node scan under simple filters (`MATCH (n) WHERE
//! n.name CONTAINS 'ova' RETURN count(*)`) takes a tight path that tests
//! node records directly (src/query/exec/count.rs). Each count here is
//! checked against a count computed in Rust from the nodes created, and
//! against the same query written so that the general matcher answers it
//! (a conjunct reading a variable from outside the pattern, or a predicate
//! without a fast form), and against the rows the matcher gives when it
//! decides the node's filters on its record (`count(n)`, which aggregates
//! row by row, and `RETURN n`). The graphs mix property
//! types, missing properties, nulls, several node shapes (key lists) in
//! runs and interleaved, several labels, and holes left by deleted nodes;
//! one is small enough for one thread, the other large enough to be split
//! over threads.

use kgq::graph::{Graph, NodeId};
use kgq::query::exec::parallel::MIN_PARALLEL_SCAN;
use kgq::{Session, Value};

/// One created node: its labels and properties.
struct Spec {
    labels: Vec<&'static str>,
    props: Vec<(&'static str, Value)>,
}

/// A deterministic mix of `n` nodes: names that are strings (some
/// containing "ova", some long, some non-ASCII), ints, floats, booleans,
/// lists or missing; scores that are floats, ints or missing; labels
/// Person, Org, Person+Extra or none; and shapes that change in runs and
/// node by node.
fn specs(n: usize) -> Vec<Spec> {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..n)
        .map(|i| {
            let r = next();
            let name = match r % 11 {
                0 => Some(Value::from(format!("Ivanova {i}"))),
                1 => Some(Value::from(format!("ova{i}"))),
                2 => Some(Value::Int(i as i64)),
                3 => Some(Value::Float(0.5)),
                4 => Some(Value::Bool(true)),
                5 => Some(Value::List(vec![Value::from("ova")])),
                6 => None,
                7 => Some(Value::from(format!(
                    "a long name past sixty-four bytes, to take the other search, number {i} Novak ova"
                ))),
                8 => Some(Value::from(format!("Ünïcödé Нова {i}"))),
                _ => Some(Value::from(format!("Petrov {i}"))),
            };
            let score = match (r >> 8) % 5 {
                0 => None,
                1 => Some(Value::Int(((r >> 16) % 100) as i64)),
                _ => Some(Value::Float(((r >> 16) % 1000) as f64 / 1000.0)),
            };
            // Runs of one shape, with an odd extra key now and then.
            let extra = (i / 97) % 3 == 0 || (r >> 24) % 13 == 0;
            let labels = match (i / 50 + (r as usize >> 32) % 2) % 4 {
                0 => vec!["Person"],
                1 => vec!["Org"],
                2 => vec!["Person", "Extra"],
                _ => vec![],
            };
            let mut props = Vec::new();
            if extra {
                // Sorts before and after `name`, shifting its position.
                props.push(("aaa", Value::Int(1)));
                props.push(("zzz", Value::from("ova")));
            }
            if let Some(v) = name {
                props.push(("name", v));
            }
            if let Some(v) = score {
                props.push(("score", v));
            }
            Spec { labels, props }
        })
        .collect()
}

/// A graph of `n` nodes from [`specs`], with every `hole`-th node
/// deleted; returns the graph and the specs of the nodes left.
fn graph(n: usize, hole: usize) -> (Graph, Vec<Spec>) {
    let mut g = Graph::new();
    let mut left = Vec::new();
    let mut doomed: Vec<NodeId> = Vec::new();
    for (i, s) in specs(n).into_iter().enumerate() {
        let id = g.add_node(s.labels.iter().copied(), s.props.iter().cloned());
        if i % hole == 0 {
            doomed.push(id);
        } else {
            left.push(s);
        }
    }
    for id in doomed {
        assert!(g.delete_node(id).unwrap());
    }
    (g, left)
}

fn count(session: &mut Session, text: &str) -> i64 {
    match session.execute(text) {
        Ok(result) => match result.rows.as_slice() {
            [row] => match row.as_slice() {
                [Value::Int(n)] => *n,
                other => panic!("{text}: {other:?}"),
            },
            other => panic!("{text}: {other:?}"),
        },
        Err(e) => panic!("{text} failed: {e}"),
    }
}

/// The property `key` of `s`, null when missing.
fn prop<'a>(s: &'a Spec, key: &str) -> &'a Value {
    static NULL: Value = Value::Null;
    s.props
        .iter()
        .find(|(k, _)| *k == key)
        .map_or(&NULL, |(_, v)| v)
}

fn string(v: &Value) -> Option<&str> {
    match v {
        Value::String(s) => Some(s),
        _ => None,
    }
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    }
}

/// (pattern, predicate, expected count from the specs) for each case.
type Case = (&'static str, &'static str, Box<dyn Fn(&Spec) -> bool>);

fn cases() -> Vec<Case> {
    let has = |l: &'static str| move |s: &Spec| s.labels.contains(&l);
    vec![
        (
            "(n)",
            "n.name CONTAINS 'ova'",
            Box::new(|s| string(prop(s, "name")).is_some_and(|t| t.contains("ova"))),
        ),
        (
            "(n)",
            "n.name CONTAINS ''",
            Box::new(|s| string(prop(s, "name")).is_some()),
        ),
        (
            "(n)",
            "n.name CONTAINS 'Нова'",
            Box::new(|s| string(prop(s, "name")).is_some_and(|t| t.contains("Нова"))),
        ),
        (
            "(n)",
            "n.name STARTS WITH 'Iv'",
            Box::new(|s| string(prop(s, "name")).is_some_and(|t| t.starts_with("Iv"))),
        ),
        (
            "(n)",
            "n.name ENDS WITH 'ova'",
            Box::new(|s| string(prop(s, "name")).is_some_and(|t| t.ends_with("ova"))),
        ),
        (
            "(n)",
            "n.score > 0.5",
            Box::new(|s| number(prop(s, "score")).is_some_and(|x| x > 0.5)),
        ),
        (
            "(n)",
            "n.score = 7",
            Box::new(|s| number(prop(s, "score")) == Some(7.0)),
        ),
        (
            "(n)",
            "n.score <> 7",
            Box::new(|s| number(prop(s, "score")).is_some_and(|x| x != 7.0)),
        ),
        (
            "(n)",
            "0.25 >= n.score AND n.name CONTAINS 'a'",
            Box::new(|s| {
                number(prop(s, "score")).is_some_and(|x| x <= 0.25)
                    && string(prop(s, "name")).is_some_and(|t| t.contains('a'))
            }),
        ),
        (
            "(n)",
            "n.aaa < n.score",
            Box::new(|s| {
                matches!(prop(s, "aaa"), Value::Int(1))
                    && number(prop(s, "score")).is_some_and(|x| x > 1.0)
            }),
        ),
        ("(n)", "n.missing = 1", Box::new(|_| false)),
        (
            "(n)",
            "n.zzz CONTAINS 'ov'",
            Box::new(|s| string(prop(s, "zzz")).is_some()),
        ),
        (
            "(n:Person)",
            "n.name CONTAINS 'ova'",
            Box::new(move |s| {
                has("Person")(s) && string(prop(s, "name")).is_some_and(|t| t.contains("ova"))
            }),
        ),
        (
            "(n:Person:Extra)",
            "n.name CONTAINS 'ova'",
            Box::new(move |s| {
                has("Extra")(s) && string(prop(s, "name")).is_some_and(|t| t.contains("ova"))
            }),
        ),
        (
            "(n:Extra:Person)",
            "n.score < 0.5",
            Box::new(move |s| has("Extra")(s) && number(prop(s, "score")).is_some_and(|x| x < 0.5)),
        ),
        (
            "(n:Org)",
            "n.name = n.name",
            Box::new(move |s| has("Org")(s) && !prop(s, "name").is_null()),
        ),
        ("(n:Nowhere)", "n.name CONTAINS 'ova'", Box::new(|_| false)),
    ]
}

/// Every case counted three ways on `g`: the tight path, two forms the
/// general matcher answers, and the specs.
fn check(g: Graph, left: &[Spec]) {
    let mut session = Session::new(g);
    for (pattern, predicate, expected) in cases() {
        let want = left.iter().filter(|s| expected(s)).count() as i64;
        let fast = count(
            &mut session,
            &format!("MATCH {pattern} WHERE {predicate} RETURN count(*) AS c"),
        );
        assert_eq!(fast, want, "{pattern} WHERE {predicate}");
        // A conjunct about a variable from outside the pattern: no node
        // test, so the matcher binds and filters each node.
        let general = count(
            &mut session,
            &format!(
                "WITH 1 AS one MATCH {pattern} WHERE {predicate} AND one = 1 RETURN count(*) AS c"
            ),
        );
        assert_eq!(general, want, "general: {pattern} WHERE {predicate}");
        // No conjunct with a fast form at all: the evaluator decides.
        let evaluated = count(
            &mut session,
            &format!("MATCH {pattern} WHERE NOT NOT ({predicate}) RETURN count(*) AS c"),
        );
        assert_eq!(evaluated, want, "evaluated: {pattern} WHERE {predicate}");
        // Rows into an aggregation, and rows returned: the matcher
        // decides the node's filters on its record before binding it.
        let aggregated = count(
            &mut session,
            &format!("MATCH {pattern} WHERE {predicate} RETURN count(n) AS c"),
        );
        assert_eq!(aggregated, want, "count(n): {pattern} WHERE {predicate}");
        let text = format!("MATCH {pattern} WHERE {predicate} RETURN n");
        let rows = match session.execute(&text) {
            Ok(result) => result.rows.len() as i64,
            Err(e) => panic!("{text} failed: {e}"),
        };
        assert_eq!(rows, want, "rows: {pattern} WHERE {predicate}");
    }
}

#[test]
fn a_small_scan_counts_as_the_matcher_does() {
    let (g, left) = graph(3_000, 7);
    assert!(g.node_count() < MIN_PARALLEL_SCAN);
    check(g, &left);
}

#[test]
fn a_split_scan_counts_as_the_matcher_does() {
    let (g, left) = graph(MIN_PARALLEL_SCAN * 3, 5);
    assert!(g.node_count() >= 2 * MIN_PARALLEL_SCAN);
    check(g, &left);
}

#[test]
fn counts_follow_writes_that_change_a_node_shape() {
    // A SET adds a key to some nodes (a new key list) and removes one
    // from others, between two counts in the same session.
    let (g, left) = graph(2_000, 3);
    let mut session = Session::new(g);
    let q = "MATCH (n) WHERE n.name CONTAINS 'ova' RETURN count(*) AS c";
    let before = left
        .iter()
        .filter(|s| string(prop(s, "name")).is_some_and(|t| t.contains("ova")))
        .count() as i64;
    assert_eq!(count(&mut session, q), before);
    session
        .execute("MATCH (n:Org) SET n.name = 'Novak ova', n.added = 1")
        .unwrap();
    session
        .execute("MATCH (n:Person) WHERE n.score > 0.5 REMOVE n.name")
        .unwrap();
    let after = left
        .iter()
        .filter(|s| {
            if s.labels.contains(&"Org") {
                return true;
            }
            if s.labels.contains(&"Person") && number(prop(s, "score")).is_some_and(|x| x > 0.5) {
                return false;
            }
            string(prop(s, "name")).is_some_and(|t| t.contains("ova"))
        })
        .count() as i64;
    assert_eq!(count(&mut session, q), after);
    let general = count(
        &mut session,
        "WITH 1 AS one MATCH (n) WHERE n.name CONTAINS 'ova' AND one = 1 RETURN count(*) AS c",
    );
    assert_eq!(general, after);
}
