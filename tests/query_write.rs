//! Writing queries: what they change, what they count, and that a
//! failing query leaves the graph as it was.

use kgq::error::ErrorKind;
use kgq::graph::Value;
use kgq::{Graph, Session};

#[test]
fn create_counts_nodes_relationships_properties_and_label_names() {
    let mut s = Session::new(Graph::new());
    let r = s
        .execute("CREATE (:A {x: 1})-[:T {w: 2}]->(:A:B), (:A)")
        .unwrap();
    assert_eq!(r.stats.nodes_created, 3);
    assert_eq!(r.stats.relationships_created, 1);
    assert_eq!(r.stats.properties_set, 2);
    assert_eq!(r.stats.labels_added, 2);
    assert!(r.columns.is_empty() && r.rows.is_empty());
}

#[test]
fn setting_a_property_to_the_same_value_changes_nothing() {
    let mut s = Session::new(Graph::new());
    s.execute("CREATE (:A {x: 1})").unwrap();
    let r = s.execute("MATCH (a:A) SET a.x = 1").unwrap();
    assert!(r.stats.is_empty());
    let r = s.execute("MATCH (a:A) SET a.x = 2").unwrap();
    assert_eq!((r.stats.properties_set, r.stats.properties_removed), (1, 1));
}

#[test]
fn merge_matches_or_creates_and_runs_the_right_actions() {
    let mut s = Session::new(Graph::new());
    let q = "MERGE (p:P {name: 'x'}) ON CREATE SET p.new = true ON MATCH SET p.seen = true RETURN p.new AS n, p.seen AS s";
    let r = s.execute(q).unwrap();
    assert_eq!(r.rows, vec![vec![Value::Bool(true), Value::Null]]);
    let r = s.execute(q).unwrap();
    assert_eq!(r.rows, vec![vec![Value::Bool(true), Value::Bool(true)]]);
    assert_eq!(s.graph().node_count(), 1);
}

#[test]
fn a_query_that_fails_part_way_leaves_the_graph_unchanged() {
    let mut s = Session::new(Graph::new());
    s.execute("CREATE (:A {x: 1})-[:T]->(:B)").unwrap();
    let before = s.graph().clone();
    // The nodes are created and the property set before the division fails.
    let err = s
        .execute("MATCH (a:A) SET a.x = 5 CREATE (:C) WITH a RETURN 1 / (a.x - 5) AS boom")
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::ArithmeticError);
    assert!(s.graph().same_content(&before));
}

#[test]
fn deleting_a_connected_node_fails_at_the_end_and_rolls_back() {
    let mut s = Session::new(Graph::new());
    s.execute("CREATE (:A)-[:T]->(:B)").unwrap();
    let err = s.execute("MATCH (a:A) DELETE a").unwrap_err();
    assert_eq!(err.detail, "DeleteConnectedNode");
    assert_eq!(s.graph().node_count(), 2);
    let r = s.execute("MATCH (a:A) DETACH DELETE a").unwrap();
    assert_eq!(
        (r.stats.nodes_deleted, r.stats.relationships_deleted),
        (1, 1)
    );
    assert_eq!(r.stats.labels_removed, 1);
}

#[test]
fn a_read_only_session_refuses_writes_before_running_them() {
    let mut s = Session::new(Graph::new());
    s.options_mut().read_only = true;
    let err = s.execute("CREATE (:A)").unwrap_err();
    assert_eq!(err.kind, ErrorKind::NotAllowed);
    assert_eq!(s.graph().node_count(), 0);
    assert!(s.execute("RETURN 1 AS one").is_ok());
}

#[test]
fn a_timed_out_query_is_cancelled_and_changes_nothing() {
    let mut s = Session::new(Graph::new());
    s.execute("UNWIND range(1, 30) AS i CREATE (:N)").unwrap();
    s.options_mut().timeout = Some(std::time::Duration::ZERO);
    let err = s
        .execute("MATCH (a), (b), (c) CREATE (:M) RETURN count(*) AS c")
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Cancelled);
    s.options_mut().timeout = None;
    assert_eq!(s.graph().node_count(), 30);
}

#[test]
fn setting_the_cancel_flag_from_another_thread_stops_a_long_query() {
    let mut s = Session::new(Graph::new());
    s.execute("UNWIND range(1, 200) AS i CREATE (:N)").unwrap();
    let flag = s.cancel_flag();
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(50));
        flag.store(true, std::sync::atomic::Ordering::Relaxed);
    });
    // 200^4 candidate rows, none kept (no node has `x`): far longer than
    // the 50 ms before the flag is set, in little memory.
    let err = s
        .execute("MATCH (a), (b), (c), (d) WHERE a.x + b.x + c.x + d.x = 1 RETURN count(*) AS c")
        .unwrap_err();
    canceller.join().unwrap();
    assert_eq!(err.kind, ErrorKind::Cancelled);
    // The next query runs normally.
    assert!(s.execute("MATCH (n) RETURN count(n) AS c").is_ok());
}
