//! `count(*)` over a pattern counts the last hop's relationships instead of
//! enumerating them; these tests compare it with counts that enumerate
//! (`count(x)` binds every match) on graphs with the awkward cases: self
//! loops, parallel relationships, several types, both directions.

use kgq::graph::Value;
use kgq::{Graph, Session};

fn session() -> Session {
    let mut s = Session::new(Graph::new());
    s.execute(
        "CREATE (h:P {name: 'hub'}), (a:P {name: 'a'}), (b:Q {name: 'b'}), (c:P {name: 'c'}),
                (h)-[:T]->(a), (h)-[:T]->(a), (a)-[:U]->(h), (h)-[:U]->(b), (b)-[:T]->(b),
                (b)-[:T]->(c), (c)-[:U]->(a), (h)-[:T]->(h), (a)-[:T]->(c)",
    )
    .unwrap();
    s
}

fn single(s: &mut Session, q: &str) -> Value {
    let r = s.execute(q).unwrap();
    assert_eq!(r.rows.len(), 1, "{q}");
    r.rows[0][0].clone()
}

/// Asserts that `count(*)` over `pattern` equals `count(x)`, which binds
/// every match, and returns the count.
fn same_count(s: &mut Session, pattern: &str) -> i64 {
    let fast = single(s, &format!("{pattern} RETURN count(*) AS n"));
    let slow = single(s, &format!("{pattern} RETURN count(x) AS n"));
    assert_eq!(fast, slow, "{pattern}");
    match fast {
        Value::Int(n) => n,
        other => panic!("count gave {other:?}"),
    }
}

#[test]
fn two_hop_count_equals_enumeration_with_self_loops_and_parallel_relationships() {
    let mut s = session();
    let n = same_count(
        &mut s,
        "MATCH (h:P {name: 'hub'})-[r1]-(m)-[r2]-(x) WHERE r1 <> r2",
    );
    assert!(n > 0);
    same_count(&mut s, "MATCH (h:P {name: 'hub'})-[r1]-(m)-[r2]-(x)");
    same_count(&mut s, "MATCH (h:P)-[r1]-(m)-[r2]-(x) WHERE r1 <> r2");
}

#[test]
fn typed_and_directed_last_hops_count_like_enumeration() {
    let mut s = session();
    for pattern in [
        "MATCH (h:P {name: 'hub'})-[:T]->(m)-[:T]->(x)",
        "MATCH (h:P {name: 'hub'})-[]->(m)<-[:U]-(x)",
        "MATCH (h:P {name: 'hub'})-[]-(m)-[:T|U]-(x)",
        "MATCH (m)-[r]-(x)",
        "MATCH (m:Q)<-[r]-(x)",
    ] {
        same_count(&mut s, pattern);
    }
}

#[test]
fn a_checked_last_node_is_still_counted_correctly() {
    let mut s = session();
    // Labels and properties on the far node rule the shortcut out; the
    // answer must not change either way.
    let labelled = same_count(&mut s, "MATCH (h:P {name: 'hub'})-[]-(m)-[]-(x:Q)");
    let all = same_count(&mut s, "MATCH (h:P {name: 'hub'})-[]-(m)-[]-(x)");
    assert!(labelled < all);
    same_count(
        &mut s,
        "MATCH (h:P {name: 'hub'})-[]-(m)-[]-(x) WHERE x.name <> 'a'",
    );
}

#[test]
fn optional_match_without_matches_counts_one_row() {
    let mut s = session();
    let n = single(
        &mut s,
        "MATCH (h:P {name: 'c'}) OPTIONAL MATCH (h)-[:NONE]->(x) RETURN count(*) AS n",
    );
    assert_eq!(n, Value::Int(1));
    let n = single(
        &mut s,
        "OPTIONAL MATCH (h:Missing)-[]->(x) RETURN count(*) AS n",
    );
    assert_eq!(n, Value::Int(1));
}

#[test]
fn expressions_over_the_count_see_the_same_number() {
    let mut s = session();
    let n = same_count(&mut s, "MATCH (h:P {name: 'hub'})-[]-(m)-[]-(x)");
    let plus = single(
        &mut s,
        "MATCH (h:P {name: 'hub'})-[]-(m)-[]-(x) RETURN count(*) + 1 AS n",
    );
    assert_eq!(plus, Value::Int(n + 1));
    let none = single(&mut s, "MATCH (h:Missing)-[]-(x) RETURN count(*) AS n");
    assert_eq!(none, Value::Int(0));
}

#[test]
fn counts_over_many_hops_use_degrees_and_still_equal_enumeration() {
    // Enough first hops for the counter to switch to a table of degrees.
    let mut s = Session::new(Graph::new());
    for q in [
        "CREATE (h:H {name: 'hub'}) WITH h UNWIND range(1, 2600) AS i CREATE (h)-[:T]->(:X {i: i})",
        "MATCH (x:X) WHERE x.i % 3 = 0 CREATE (x)-[:U]->(x)",
        "MATCH (h:H), (x:X) WHERE x.i % 5 = 0 CREATE (x)<-[:T]-(h)",
        "MATCH (x:X) WHERE x.i % 7 = 0 CREATE (x)-[:U]->(:Y)",
    ] {
        s.execute(q).unwrap();
    }
    for pattern in [
        "MATCH (h:H {name: 'hub'})-[r1]-(m)-[r2]-(x) WHERE r1 <> r2",
        "MATCH (h:H)-[]->(m)-[]->(x)",
        "MATCH (h:H)-[]->(m)<-[]-(x)",
        "MATCH (h:H)-[]-(m)-[]-(x)",
    ] {
        let n = same_count(&mut s, pattern);
        assert!(n > 0, "{pattern}: {n}");
    }
}
