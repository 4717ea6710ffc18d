//! Traversals read a loaded graph's relationships from the compact
//! adjacency (src/graph/adjacency.rs) and give exactly what walking
//! petgraph's lists gives: the same rows in the same order, for every
//! benchmark class and for patterns in all directions, also after writes
//! that send some nodes back to the lists.

use std::sync::LazyLock;

use kgq::generate::{Landmarks, NewsData};
use kgq::graph::Graph;
use kgq::{Session, Value};

const QUERIES: &str = include_str!("../bench/queries.json");

static DATA: LazyLock<(NewsData, Landmarks)> = LazyLock::new(|| {
    let data = NewsData::generate(20_000, 5);
    let marks = data.landmarks();
    (data, marks)
});

/// The benchmark's queries, landmarks filled in, and a few more shapes:
/// each direction, variable length, paths, optional matches, counts.
fn queries() -> Vec<String> {
    let doc: serde_json::Value = serde_json::from_str(QUERIES).expect("valid JSON");
    let mut out: Vec<String> = doc["classes"]
        .as_array()
        .expect("classes")
        .iter()
        .filter_map(|c| c["query"].as_str())
        .map(|q| DATA.1.substitute(q))
        .collect();
    let hub = DATA.1.substitute("$hub");
    out.extend([
        format!("MATCH (h:Person {{name: {hub}}})-[r]->(x) RETURN id(r), x.name"),
        format!("MATCH (h:Person {{name: {hub}}})<-[r]-(x) RETURN id(r), x.name"),
        format!("MATCH (h:Person {{name: {hub}}})-[r:MET_WITH]-(x) RETURN id(r), x.name"),
        format!("MATCH p = (h:Person {{name: {hub}}})-[*2]-(x) RETURN p LIMIT 500"),
        "MATCH (a:Person)-[r:MET_WITH]->(b)-[s:MET_WITH]->(a) RETURN a.name, b.name, id(r), id(s)"
            .to_owned(),
        "MATCH (p:Person) OPTIONAL MATCH (p)-[:WORKS_FOR]->(o) RETURN p.name, o.name LIMIT 2000"
            .to_owned(),
        "MATCH (n) RETURN id(n), size([(n)--() | 1]) AS degree".to_owned(),
        "MATCH (a)-[r]->(a) RETURN id(a), id(r)".to_owned(),
    ]);
    out
}

fn rows(graph: Graph, texts: &[String]) -> Vec<Vec<Vec<Value>>> {
    let mut session = Session::new(graph);
    texts
        .iter()
        .map(|t| match session.execute(t) {
            Ok(result) => result.rows,
            Err(e) => panic!("{t} failed: {e}"),
        })
        .collect()
}

fn compare(compact: Graph, walked: Graph, texts: &[String]) {
    assert!(compact.has_compact_adjacency());
    assert!(!walked.has_compact_adjacency());
    let a = rows(compact, texts);
    let b = rows(walked, texts);
    for ((x, y), t) in a.iter().zip(&b).zip(texts) {
        assert!(!x.is_empty() || t.contains("(a)-[r]->(a)"), "no rows: {t}");
        assert_eq!(x, y, "{t}");
    }
}

#[test]
fn a_loaded_graph_answers_as_the_linked_lists_do() {
    let compact = DATA.0.to_graph();
    let mut walked = compact.clone();
    walked.clear_compact_adjacency();
    compare(compact, walked, &queries());
}

#[test]
fn nodes_touched_by_writes_answer_as_the_linked_lists_do() {
    let hub = DATA.1.substitute("$hub");
    let person = DATA.1.substitute("$person");
    let writes = [
        // New relationships at the hub and a person, one a self-loop.
        format!(
            "MATCH (h:Person {{name: {hub}}}), (p:Person {{name: {person}}}) \
             CREATE (h)-[:MET_WITH {{year: 2026}}]->(p), (p)-[:MET_WITH]->(p)"
        ),
        // Some of the hub's mentions deleted.
        format!(
            "MATCH (h:Person {{name: {hub}}})<-[m:MENTIONS]-(a) WITH m ORDER BY id(m) LIMIT 25 DELETE m"
        ),
        // Nodes deleted with their relationships, and new ones in their place.
        "MATCH (q:Quote) WITH q ORDER BY id(q) LIMIT 30 DETACH DELETE q".to_owned(),
        format!("MATCH (h:Person {{name: {hub}}}) CREATE (:Quote {{name: 'new'}})<-[:SAID]-(h)"),
    ];
    let mut compact = Session::new(DATA.0.to_graph());
    let mut walked_graph = DATA.0.to_graph();
    walked_graph.clear_compact_adjacency();
    let mut walked = Session::new(walked_graph);
    for w in &writes {
        for s in [&mut compact, &mut walked] {
            if let Err(e) = s.execute(w) {
                panic!("{w} failed: {e}");
            }
        }
    }
    let texts = queries();
    for t in &texts {
        let a = compact.execute(t).map(|r| r.rows);
        let b = walked.execute(t).map(|r| r.rows);
        match (a, b) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{t}"),
            (a, b) => panic!("{t}: {:?} / {:?}", a.err(), b.err()),
        }
    }
}
