//! [`Subgraph`]: the part of a graph that an export writes.

use std::collections::BTreeSet;

use crate::graph::{Direction, Graph, NodeId, RelId, Value};
use crate::session::QueryResult;

/// A set of nodes and relationships of one graph. Every relationship's
/// endpoints are among the nodes (the constructors make sure of it).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Subgraph {
    /// The selected nodes.
    pub nodes: BTreeSet<NodeId>,
    /// The selected relationships.
    pub rels: BTreeSet<RelId>,
}

impl Subgraph {
    /// The whole graph.
    pub fn all(graph: &Graph) -> Subgraph {
        Subgraph {
            nodes: graph.node_ids().collect(),
            rels: graph.rel_ids().collect(),
        }
    }

    /// What a query result selects: every node and relationship that
    /// appears in it, also inside paths, lists and maps, plus both
    /// endpoints of every selected relationship, and nothing else. With
    /// `induced`, also every relationship between two selected nodes.
    /// Elements deleted since the result was made are left out.
    pub fn from_result(graph: &Graph, result: &QueryResult, induced: bool) -> Subgraph {
        let mut sub = Subgraph::default();
        for row in &result.rows {
            for value in row {
                sub.collect(graph, value);
            }
        }
        let endpoints: Vec<NodeId> = sub
            .rels
            .iter()
            .filter_map(|&r| graph.rel(r))
            .flat_map(|r| [r.start(), r.end()])
            .collect();
        sub.nodes.extend(endpoints);
        if induced {
            sub.add_induced(graph);
        }
        sub
    }

    /// Adds every relationship whose two endpoints are selected.
    pub fn add_induced(&mut self, graph: &Graph) {
        for &n in &self.nodes {
            for (r, other) in graph.relationships(n, Direction::Outgoing) {
                if self.nodes.contains(&other) {
                    self.rels.insert(r);
                }
            }
        }
    }

    fn collect(&mut self, graph: &Graph, value: &Value) {
        match value {
            Value::Node(n) if graph.contains_node(*n) => {
                self.nodes.insert(*n);
            }
            Value::Rel(r) if graph.contains_rel(*r) => {
                self.rels.insert(*r);
            }
            Value::Path(p) => {
                self.nodes
                    .extend(p.nodes.iter().filter(|n| graph.contains_node(**n)));
                self.rels
                    .extend(p.rels.iter().filter(|r| graph.contains_rel(**r)));
            }
            Value::List(items) => items.iter().for_each(|v| self.collect(graph, v)),
            Value::Map(map) => map.values().for_each(|v| self.collect(graph, v)),
            _ => {}
        }
    }

    /// Whether nothing is selected.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty() && self.rels.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Path;

    fn chain() -> (Graph, Vec<NodeId>, Vec<RelId>) {
        let mut g = Graph::new();
        let n: Vec<NodeId> = (0..4)
            .map(|i| g.add_node(["N"], [("i", Value::Int(i))]))
            .collect();
        let none = Vec::<(&str, Value)>::new;
        let r = vec![
            g.add_rel(n[0], n[1], "R", none()).unwrap(),
            g.add_rel(n[1], n[2], "R", none()).unwrap(),
            g.add_rel(n[2], n[0], "R", none()).unwrap(),
            g.add_rel(n[2], n[3], "R", none()).unwrap(),
        ];
        (g, n, r)
    }

    fn result(rows: Vec<Vec<Value>>) -> QueryResult {
        QueryResult {
            columns: vec!["x".into()],
            rows,
            ..QueryResult::default()
        }
    }

    #[test]
    fn relationship_brings_both_endpoints_and_nothing_else() {
        let (g, n, r) = chain();
        let sub = Subgraph::from_result(&g, &result(vec![vec![Value::Rel(r[1])]]), false);
        assert_eq!(sub.nodes, [n[1], n[2]].into());
        assert_eq!(sub.rels, [r[1]].into());
    }

    #[test]
    fn elements_inside_paths_lists_and_maps_are_selected() {
        let (g, n, r) = chain();
        let path = Value::Path(Box::new(Path {
            nodes: vec![n[0], n[1]],
            rels: vec![r[0]],
        }));
        let map = Value::Map([("k".to_owned(), Value::List(vec![Value::Node(n[3])]))].into());
        let sub = Subgraph::from_result(&g, &result(vec![vec![path], vec![map]]), false);
        assert_eq!(sub.nodes, [n[0], n[1], n[3]].into());
        assert_eq!(sub.rels, [r[0]].into());
    }

    #[test]
    fn induced_adds_relationships_between_selected_nodes() {
        let (g, n, r) = chain();
        let rows = vec![vec![Value::Node(n[0])], vec![Value::Node(n[2])]];
        let plain = Subgraph::from_result(&g, &result(rows.clone()), false);
        assert!(plain.rels.is_empty());
        let induced = Subgraph::from_result(&g, &result(rows), true);
        assert_eq!(induced.rels, [r[2]].into());
        assert_eq!(induced.nodes, [n[0], n[2]].into());
    }
}
