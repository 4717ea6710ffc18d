//! Limits, cancellation and atomicity: a runaway query is stopped by the
//! cancel flag (Ctrl-C) or by a timeout with `Cancelled`, a result too big
//! for `max_rows` is refused, and a write that fails or is cancelled half
//! way leaves the graph exactly as it was.
//!
//! Latencies are printed (run with `--nocapture`), not asserted tightly:
//! timed assertions are flaky on a shared machine. The only bound checked
//! is a generous sanity bound that catches a query that does not stop.

use std::sync::atomic::Ordering;
use std::thread;
use std::time::{Duration, Instant};

use kgq::error::ErrorKind;
use kgq::graph::{NodeId, Value};
use kgq::{Graph, QueryError, Session};

/// Far above any real stop latency: a query still running after this was
/// not stopped at all.
const SANITY: Duration = Duration::from_secs(5);

/// A graph of `nodes` nodes and `nodes * per_node` relationships, each
/// node linked to pseudo-random others: `()-[*]-()` explodes on it.
fn mesh(nodes: u64, per_node: u64) -> Graph {
    let mut g = Graph::new();
    g.reserve(nodes as usize, (nodes * per_node) as usize);
    let ids: Vec<NodeId> = (0..nodes)
        .map(|i| g.add_node(["N"], [("i", Value::Int(i as i64))]))
        .collect();
    for (i, &from) in ids.iter().enumerate() {
        for k in 1..=per_node {
            let to = ids[(i as u64 * 7919 + k * 104_729) as usize % ids.len()];
            g.add_rel(from, to, "LINK", Vec::<(&str, Value)>::new())
                .expect("both ends exist");
        }
    }
    g
}

const RUNAWAY: &str = "MATCH p = ()-[*]-() RETURN count(p)";

fn assert_cancelled(result: Result<kgq::QueryResult, QueryError>) -> QueryError {
    match result {
        Err(e) => {
            assert_eq!(e.kind, ErrorKind::Cancelled, "{e}");
            e
        }
        Ok(r) => panic!("the query finished with {} rows", r.rows.len()),
    }
}

/// Runs `query` on `session`, sets the cancel flag after `after`, and
/// returns the error and the time from setting the flag to the error.
fn cancel_after(session: &mut Session, query: &str, after: Duration) -> (QueryError, Duration) {
    let flag = session.cancel_flag();
    let (tx, rx) = std::sync::mpsc::channel();
    let canceller = thread::spawn(move || {
        thread::sleep(after);
        let set_at = Instant::now();
        flag.store(true, Ordering::SeqCst);
        tx.send(set_at).expect("the test waits for it");
    });
    let result = session.execute(query);
    let returned = Instant::now();
    canceller.join().expect("the canceller does not panic");
    let set_at = rx.recv().expect("the canceller sent the time");
    let e = assert_cancelled(result);
    (e, returned.saturating_duration_since(set_at))
}

/// One test, one graph: building a million relationships is the slow
/// part in a debug build.
#[test]
fn cancel_flag_and_timeout_stop_a_runaway_path_query_on_a_million_relationships() {
    let started = Instant::now();
    let mut session = Session::new(mesh(200_000, 5));
    assert_eq!(session.graph().rel_count(), 1_000_000);
    println!("built the graph in {:?}", started.elapsed());

    let (e, latency) = cancel_after(&mut session, RUNAWAY, Duration::from_millis(200));
    println!("cancel flag -> error: {latency:?} ({e})");
    assert!(
        latency < SANITY,
        "the query kept running {latency:?} after the flag"
    );
    // The flag belongs to one query: the next one runs.
    let r = session.execute("MATCH (n) RETURN count(n)").expect("runs");
    assert_eq!(r.rows, vec![vec![Value::Int(200_000)]]);

    let timeout = Duration::from_millis(300);
    session.options_mut().timeout = Some(timeout);
    let started = Instant::now();
    let e = assert_cancelled(session.execute(RUNAWAY));
    let overshoot = started.elapsed().saturating_sub(timeout);
    println!("timeout {timeout:?} -> error {overshoot:?} after the deadline ({e})");
    assert!(
        overshoot < SANITY,
        "the query ran {overshoot:?} past its timeout"
    );
    assert_eq!(e.detail, "Timeout", "{e}");
}

#[test]
fn max_rows_refuses_a_result_that_is_too_big() {
    let mut session = Session::new(kgq::io::article_graph());
    session.options_mut().max_rows = Some(10);
    let e = session
        .execute("UNWIND range(1, 11) AS i RETURN i")
        .expect_err("11 rows is over the limit");
    assert_eq!(
        (e.kind, e.detail),
        (ErrorKind::ResourceLimit, "TooManyRows")
    );
    let r = session
        .execute("UNWIND range(1, 10) AS i RETURN i")
        .expect("10 rows fit");
    assert_eq!(r.rows.len(), 10);
}

/// Runs `query`, which must fail with `kind`, and checks that the graph
/// is exactly as before.
fn assert_failed_write_leaves_graph_unchanged(query: &str, kind: ErrorKind) {
    let mut session = Session::new(kgq::io::article_graph());
    let before = session.graph().clone();
    let e = session.execute(query).expect_err(query);
    assert_eq!(e.kind, kind, "{query}: {e}");
    assert!(
        session.graph().same_content(&before),
        "{query} failed with {e} but changed the graph"
    );
    // And the next write works on the unchanged graph.
    let r = session
        .execute("CREATE (:Probe)")
        .expect("a later write runs");
    assert_eq!(r.stats.nodes_created, 1);
}

#[test]
fn write_failing_half_way_leaves_the_graph_unchanged() {
    assert_failed_write_leaves_graph_unchanged(
        "UNWIND range(1, 1000) AS i CREATE (:N {i: i}) WITH i WHERE i = 500 RETURN 1/0",
        ErrorKind::ArithmeticError,
    );
    // Creations, then a DELETE of a node that still has relationships.
    assert_failed_write_leaves_graph_unchanged(
        "UNWIND range(1, 100) AS i CREATE (:N {i: i}) WITH count(*) AS c MATCH (p:Person) DELETE p",
        ErrorKind::ConstraintVerificationFailed,
    );
    // Property, label and relationship changes, then a type error.
    assert_failed_write_leaves_graph_unchanged(
        "MATCH (p:Person) SET p.name = 'renamed', p:Renamed REMOVE p:Person \
         WITH p MATCH (p)-[r]->() DELETE r WITH count(*) AS c RETURN c + 'x' - 1",
        ErrorKind::TypeError,
    );
    // Everything detached and deleted, then a failure.
    assert_failed_write_leaves_graph_unchanged(
        "MATCH (n) DETACH DELETE n WITH count(*) AS c RETURN toInteger(c) / 0",
        ErrorKind::ArithmeticError,
    );
    // MERGE creating, then a missing parameter read at run time.
    assert_failed_write_leaves_graph_unchanged(
        "MERGE (x:Fresh {k: 1}) WITH x SET x.v = 1 WITH x RETURN range(1, 2, 0)",
        ErrorKind::ArgumentError,
    );
}

#[test]
fn cancelled_write_leaves_the_graph_unchanged() {
    let mut session = Session::new(mesh(20_000, 5));
    let before = session.graph().clone();
    let (e, latency) = cancel_after(
        &mut session,
        "MATCH (a)-->(b)-->(c) CREATE (a)-[:TWO_HOPS]->(c) SET a.seen = true",
        Duration::from_millis(200),
    );
    println!("cancelled write: flag -> error {latency:?} ({e})");
    assert!(latency < SANITY);
    assert!(
        session.graph().same_content(&before),
        "the cancelled write left changes"
    );
}

#[test]
fn timed_out_write_leaves_the_graph_unchanged() {
    let mut session = Session::new(mesh(20_000, 5));
    let before = session.graph().clone();
    session.options_mut().timeout = Some(Duration::from_millis(200));
    assert_cancelled(session.execute("UNWIND range(1, 10000000) AS i CREATE (:Many {i: i})"));
    assert!(
        session.graph().same_content(&before),
        "the timed-out write left changes"
    );
}

#[test]
fn memory_limit_stops_a_query_that_holds_too_many_rows() {
    let mut session = Session::new(kgq::io::article_graph());
    session.options_mut().max_memory = Some(16 << 20);
    session.options_mut().timeout = Some(Duration::from_secs(60));
    for query in [
        // Counting paths streams them into the aggregate; returning them
        // keeps every one.
        "MATCH p = ()-[*]-() RETURN p",
        // Every row carries its own copy of a 100 000-element list.
        "WITH range(1, 100000) AS l UNWIND l AS i RETURN count(*)",
        "UNWIND range(1, 1000) AS a UNWIND range(1, 1000) AS b UNWIND range(1, 100) AS c RETURN count(*)",
    ] {
        let e = session.execute(query).expect_err(query);
        assert_eq!(
            (e.kind, e.detail),
            (ErrorKind::ResourceLimit, "MemoryLimit"),
            "{query}: {e}"
        );
        assert!(e.message.contains("16 MiB"), "{}", e.message);
    }
    // Ordinary queries fit well within the bound.
    let r = session
        .execute("MATCH (a)-[r]->(b) RETURN a, r, b")
        .expect("the whole article graph fits");
    assert_eq!(r.rows.len(), session.graph().rel_count());
}

#[test]
fn write_stopped_by_the_memory_limit_leaves_the_graph_unchanged() {
    let mut session = Session::new(kgq::io::article_graph());
    session.options_mut().max_memory = Some(16 << 20);
    let before = session.graph().clone();
    let e = session
        .execute(
            "UNWIND range(1, 1000) AS i CREATE (:N {i: i}) \
             WITH range(1, 100000) AS l UNWIND l AS x RETURN count(*)",
        )
        .expect_err("over the limit");
    assert_eq!(e.detail, "MemoryLimit");
    assert!(session.graph().same_content(&before));
}
