//! Reading queries on small graphs: pattern matching, projections and
//! the plans the planner chooses.

use kgq::graph::Value;
use kgq::{Graph, Session};

fn session(setup: &str) -> Session {
    let mut s = Session::new(Graph::new());
    s.execute(setup).expect("setup runs");
    s
}

fn ints(s: &mut Session, q: &str) -> Vec<Vec<Value>> {
    s.execute(q).expect("query runs").rows
}

#[test]
fn a_relationship_is_bound_once_per_match() {
    let mut s = session("CREATE (a:P {n: 1})-[:K]->(b:P {n: 2})");
    // Without uniqueness the single relationship would be walked back.
    let rows = ints(&mut s, "MATCH (a)-[r1]-(b)-[r2]-(c) RETURN count(*) AS c");
    assert_eq!(rows, vec![vec![Value::Int(0)]]);
    let rows = ints(&mut s, "MATCH (a)-[r]-(b) RETURN count(*) AS c");
    assert_eq!(rows, vec![vec![Value::Int(2)]]);
}

#[test]
fn variable_length_paths_respect_bounds_and_direction() {
    let mut s = session("CREATE (:N {i: 0})-[:T]->(:N {i: 1})-[:T]->(:N {i: 2})-[:T]->(:N {i: 3})");
    let rows = ints(
        &mut s,
        "MATCH (a:N {i: 0})-[*2..3]->(b) RETURN b.i AS i ORDER BY i",
    );
    assert_eq!(rows, vec![vec![Value::Int(2)], vec![Value::Int(3)]]);
    let rows = ints(&mut s, "MATCH (a:N {i: 3})-[*]->(b) RETURN count(b) AS c");
    assert_eq!(rows, vec![vec![Value::Int(0)]]);
    let rows = ints(
        &mut s,
        "MATCH p = (a:N {i: 3})<-[*]-(b:N {i: 0}) RETURN length(p) AS l",
    );
    assert_eq!(rows, vec![vec![Value::Int(3)]]);
}

#[test]
fn optional_match_gives_nulls_when_nothing_matches() {
    let mut s = session("CREATE (:A {n: 1}), (:A {n: 2})-[:R]->(:B {n: 3})");
    let rows = ints(
        &mut s,
        "MATCH (a:A) OPTIONAL MATCH (a)-[:R]->(b) RETURN a.n AS a, b.n AS b ORDER BY a",
    );
    assert_eq!(
        rows,
        vec![
            vec![Value::Int(1), Value::Null],
            vec![Value::Int(2), Value::Int(3)]
        ]
    );
}

#[test]
fn shortest_path_finds_the_fewest_hops() {
    let mut s = session(
        "CREATE (a:S {name: 'a'})-[:E]->(b {name: 'b'})-[:E]->(c:S {name: 'c'}), (a)-[:E]->(c)",
    );
    let rows = ints(
        &mut s,
        "MATCH (a:S {name: 'a'}), (c:S {name: 'c'}) MATCH p = shortestPath((a)-[*]->(c)) RETURN length(p) AS l",
    );
    assert_eq!(rows, vec![vec![Value::Int(1)]]);
}

#[test]
fn aggregation_groups_by_the_other_columns() {
    let mut s = session("UNWIND [1, 2, 2, 3, 3, 3] AS x CREATE (:V {x: x, even: x % 2 = 0})");
    let rows = ints(
        &mut s,
        "MATCH (v:V) RETURN v.even AS even, count(*) AS c, sum(v.x) AS s ORDER BY even",
    );
    assert_eq!(
        rows,
        vec![
            vec![Value::Bool(false), Value::Int(4), Value::Int(10)],
            vec![Value::Bool(true), Value::Int(2), Value::Int(4)]
        ]
    );
}

#[test]
fn order_by_with_limit_keeps_the_top_rows_and_nulls_sort_last() {
    let mut s = session("UNWIND [5, null, 1, 4, 2] AS x CREATE (:V {x: x})");
    let rows = ints(&mut s, "MATCH (v:V) RETURN v.x AS x ORDER BY x LIMIT 3");
    assert_eq!(
        rows,
        vec![
            vec![Value::Int(1)],
            vec![Value::Int(2)],
            vec![Value::Int(4)]
        ]
    );
    let rows = ints(
        &mut s,
        "MATCH (v:V) RETURN v.x AS x ORDER BY x DESC LIMIT 1",
    );
    assert_eq!(rows, vec![vec![Value::Null]]);
}

#[test]
fn explain_starts_at_the_name_index_and_does_not_run() {
    let mut s = session("CREATE (:Person {name: 'Ann'})-[:KNOWS]->(:Person {name: 'Bob'})");
    let r = s
        .execute("EXPLAIN MATCH (a)-[:KNOWS]->(b:Person {name: 'Bob'}) RETURN a.name")
        .expect("explain runs");
    let plan = r.plan.expect("a plan");
    assert!(
        plan.starts_with("NodeIndexSeek (b:Person) on :Person(name)"),
        "{plan}"
    );
    assert!(plan.contains("Expand (b:Person)<-[:KNOWS]-(a)"), "{plan}");
    assert!(r.rows.is_empty());
}

#[test]
fn profile_reports_rows_per_operator() {
    let mut s = session("UNWIND range(1, 10) AS i CREATE (:N {i: i})");
    let r = s
        .execute("PROFILE MATCH (n:N) WHERE n.i > 7 RETURN n.i")
        .expect("profile runs");
    assert_eq!(r.rows.len(), 3);
    let plan = r.plan.expect("a plan");
    assert!(plan.contains("[rows: 3"), "{plan}");
}

#[test]
fn union_removes_duplicates_and_union_all_keeps_them() {
    let mut s = Session::new(Graph::new());
    let r = s.execute("RETURN 1 AS x UNION RETURN 1 AS x").unwrap();
    assert_eq!(r.rows.len(), 1);
    let r = s.execute("RETURN 1 AS x UNION ALL RETURN 1 AS x").unwrap();
    assert_eq!(r.rows.len(), 2);
}

#[test]
fn an_equality_in_where_uses_the_index_too() {
    let mut s = session("CREATE (:Person {name: 'Ann'})-[:KNOWS]->(:Person {name: 'Bob'})");
    let q = "MATCH (a:Person)-[:KNOWS]->(b) WHERE a.name = 'Ann' AND b.name <> a.name RETURN b.name AS b";
    let plan = s.execute(&format!("EXPLAIN {q}")).unwrap().plan.unwrap();
    assert!(
        plan.starts_with("NodeIndexSeek (a:Person) on :Person(name)"),
        "{plan}"
    );
    assert_eq!(ints(&mut s, q), vec![vec![Value::from("Bob")]]);
}
