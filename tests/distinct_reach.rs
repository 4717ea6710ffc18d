//! Variable-length patterns whose ends only feed duplicate-insensitive
//! aggregates are answered by one breadth-first search
//! (src/query/exec/reach.rs). Each answer here is checked against the same
//! question asked so that every path is enumerated (`WITH DISTINCT`, which
//! the shortcut does not take), on the article graph and on a generated
//! graph with hubs, parallel relationships and reciprocal meetings.

use kgq::generate::NewsData;
use kgq::graph::Value;
use kgq::{Graph, Session};

fn rows(s: &mut Session, q: &str) -> Vec<Vec<Value>> {
    match s.execute(q) {
        Ok(r) => r.rows,
        Err(e) => panic!("{q}\nfailed: {e}"),
    }
}

/// `fast` must give what `slow` gives.
fn same(s: &mut Session, fast: &str, slow: &str) {
    assert_eq!(rows(s, fast), rows(s, slow), "\n{fast}\nvs\n{slow}");
}

/// Reach questions from each start `start` matches, asked both ways.
fn check_reach(s: &mut Session, start: &str, hops: &[&str]) {
    for hops in hops {
        for (arrow_l, arrow_r) in [("-", "-"), ("-", "->"), ("<-", "-")] {
            for types in ["", ":MENTIONS", ":MET_WITH|WORKS_FOR", ":NO_SUCH_TYPE"] {
                let pattern = format!("{start}{arrow_l}[{types}{hops}]{arrow_r}(x)");
                same(
                    s,
                    &format!(
                        "MATCH {pattern} WHERE x <> s RETURN s.name AS s, count(DISTINCT x) AS n ORDER BY s LIMIT 5"
                    ),
                    &format!(
                        "MATCH {pattern} WHERE x <> s WITH DISTINCT s, x RETURN s.name AS s, count(*) AS n ORDER BY s LIMIT 5"
                    ),
                );
            }
        }
    }
}

#[test]
fn distinct_ends_match_enumerated_paths_on_a_generated_graph() {
    let data = NewsData::generate(3_000, 11);
    let marks = data.landmarks();
    let mut s = Session::new(data.to_graph());
    // Enumerating every path from the hub is what the shortcut avoids:
    // the reference answers stay short there.
    check_reach(
        &mut s,
        &marks.substitute("(s:Person {name: $person})"),
        &["*1..1", "*..2", "*1..3", "*0..2", "*2", "*1..4"],
    );
    check_reach(
        &mut s,
        &marks.substitute("(s:Person {name: $hub})"),
        &["*1..1", "*..2", "*0..2"],
    );
    // Several starts, grouped per start, with a label on the end and
    // another filter beside `x <> s`.
    same(
        &mut s,
        "MATCH (s:Person)-[*1..2]-(x:Organization) WHERE s.age > 60 AND x <> s AND x.name <> 'nobody' \
         RETURN s.name AS s, count(DISTINCT x) AS n, min(x.name) AS first, max(x.name) AS last ORDER BY s",
        "MATCH (s:Person)-[*1..2]-(x:Organization) WHERE s.age > 60 AND x <> s AND x.name <> 'nobody' \
         WITH DISTINCT s, x RETURN s.name AS s, count(*) AS n, min(x.name) AS first, max(x.name) AS last ORDER BY s",
    );
}

#[test]
fn distinct_ends_match_enumerated_paths_on_the_article_graph() {
    let mut s = Session::new(kgq::io::article_graph());
    check_reach(
        &mut s,
        "(s:Person)",
        &["*1..1", "*..2", "*1..3", "*0..2", "*2"],
    );
    same(
        &mut s,
        "MATCH (s {name: 'Vladimir Putin'})-[*1..3]-(x) WHERE s <> x \
         RETURN count(DISTINCT labels(x)[0]) AS kinds, count(DISTINCT x) AS n, max(x.name) AS last",
        "MATCH (s {name: 'Vladimir Putin'})-[*1..3]-(x) WHERE s <> x WITH DISTINCT x \
         RETURN count(DISTINCT labels(x)[0]) AS kinds, count(*) AS n, max(x.name) AS last",
    );
}

#[test]
fn the_start_itself_is_only_counted_when_a_trail_returns_to_it() {
    // Without `x <> s` the question is whether a trail comes back, which
    // distances do not tell: a single relationship cannot be walked back,
    // two parallel ones can.
    let mut s = Session::new(Graph::new());
    rows(
        &mut s,
        "CREATE (a:N {i: 0})-[:T]->(:N {i: 1}), (c:N {i: 2})-[:T]->(d:N {i: 3}), (c)-[:T]->(d)",
    );
    let q = "MATCH (s:N)-[*1..2]-(x) RETURN s.i AS s, count(DISTINCT x) AS n ORDER BY s";
    let got = rows(&mut s, q);
    let want: Vec<Vec<Value>> = [(0, 1), (1, 1), (2, 2), (3, 2)]
        .into_iter()
        .map(|(a, b)| vec![Value::Int(a), Value::Int(b)])
        .collect();
    assert_eq!(got, want);
}
