//! What a query result exports: on the article graph, "everything within
//! two hops of Vladimir Putin" selects exactly the nodes and relationships
//! on those paths, and every importable format carries exactly that.

use std::collections::BTreeSet;

use kgq::Session;
use kgq::graph::{Direction, Graph, NodeId, RelId, Value};
use kgq::io::{self, ExportOptions, Format, Subgraph};

fn engine_ready(session: &mut Session) -> bool {
    match session.execute("RETURN 1") {
        Err(e) if e.message.contains("not built yet") => {
            println!("skipped: the query engine is not built yet");
            false
        }
        _ => true,
    }
}

/// Within two hops by paths of distinct relationships: every relationship
/// at Putin or at a neighbour of his, and their endpoints.
fn expected(g: &Graph, putin: NodeId) -> (BTreeSet<NodeId>, BTreeSet<RelId>) {
    let mut near: BTreeSet<NodeId> = [putin].into();
    near.extend(g.relationships(putin, Direction::Both).map(|(_, n)| n));
    let mut rels = BTreeSet::new();
    let mut nodes = near.clone();
    for &n in &near {
        for (r, other) in g.relationships(n, Direction::Both) {
            rels.insert(r);
            nodes.insert(other);
        }
    }
    (nodes, rels)
}

#[test]
fn two_hops_of_putin_export_exactly_the_paths() {
    let graph = io::article_graph();
    let mut session = Session::new(graph.clone());
    if !engine_ready(&mut session) {
        return;
    }
    let putin = graph
        .find_nodes("Person", "name", &Value::from("Vladimir Putin"))
        .unwrap()[0];
    let result = session
        .execute("MATCH p = (:Person {name: 'Vladimir Putin'})-[*..2]-() RETURN p")
        .unwrap();
    let sub = Subgraph::from_result(&graph, &result, false);
    let (nodes, rels) = expected(&graph, putin);
    assert_eq!(sub.nodes, nodes);
    assert_eq!(sub.rels, rels);
    assert!(
        sub.nodes.len() < graph.node_count(),
        "the selection is a part"
    );

    let dir = tempfile::tempdir().unwrap();
    for format in [Format::Json, Format::NodeLink, Format::GraphMl, Format::Csv] {
        let path = dir.path().join(format!("putin.{}", format.name()));
        io::export(&graph, &sub, format, &path, &ExportOptions::default()).unwrap();
        let back = io::load_path(&path, Some(format)).unwrap();
        assert_eq!(back.node_count(), nodes.len(), "{format}");
        assert_eq!(back.rel_count(), rels.len(), "{format}");
        let names: BTreeSet<String> = back
            .node_ids()
            .filter_map(|n| {
                back.node(n)
                    .unwrap()
                    .property("name")
                    .map(|v| v.to_string())
            })
            .collect();
        assert!(names.contains("'Vladimir Putin'"), "{format}");
    }
    for format in [Format::Dot, Format::Mermaid, Format::Svg, Format::Cypher] {
        let mut out = Vec::new();
        io::write_export(&graph, &sub, format, &mut out, &ExportOptions::default()).unwrap();
        assert!(
            String::from_utf8(out).unwrap().contains("Vladimir Putin"),
            "{format}"
        );
    }
}

#[test]
fn induced_selection_adds_relationships_between_returned_nodes() {
    let graph = io::article_graph();
    let mut session = Session::new(graph.clone());
    if !engine_ready(&mut session) {
        return;
    }
    let result = session.execute("MATCH (p:Person) RETURN p").unwrap();
    let plain = Subgraph::from_result(&graph, &result, false);
    assert!(plain.rels.is_empty());
    assert_eq!(plain.nodes.len(), graph.label_count("Person"));
    let induced = Subgraph::from_result(&graph, &result, true);
    let between: BTreeSet<RelId> = graph
        .rel_ids()
        .filter(|&r| {
            let r = graph.rel(r).unwrap();
            plain.nodes.contains(&r.start()) && plain.nodes.contains(&r.end())
        })
        .collect();
    assert_eq!(induced.rels, between);
    assert_eq!(induced.nodes, plain.nodes);
}
