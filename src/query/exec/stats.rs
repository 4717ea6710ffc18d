//! What a statement changed, as the observable difference between before
//! and after: the first time a statement touches an element its prior
//! state is recorded, and at the end it is compared with the state then.

use std::collections::HashMap;

use crate::graph::{Graph, NodeId, RelId, Value};
use crate::session::Stats;

/// Properties of an element, by key.
type Props = Vec<(String, Value)>;

/// Records the state before the statement of every element it touches.
#[derive(Default)]
pub struct Tracker {
    /// `None`: the node did not exist before.
    nodes: HashMap<NodeId, Option<Props>>,
    rels: HashMap<RelId, Option<Props>>,
    /// Number of nodes with each label touched, before.
    labels: HashMap<String, usize>,
}

fn node_props(g: &Graph, id: NodeId) -> Option<Props> {
    g.node(id).map(|n| {
        n.properties()
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.clone()))
            .collect()
    })
}

fn rel_props(g: &Graph, id: RelId) -> Option<Props> {
    g.rel(id).map(|r| {
        r.properties()
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.clone()))
            .collect()
    })
}

impl Tracker {
    /// Call before changing node `id` (or right after creating it, with
    /// `created`).
    pub fn node(&mut self, g: &Graph, id: NodeId, created: bool) {
        if let std::collections::hash_map::Entry::Vacant(e) = self.nodes.entry(id) {
            e.insert(if created { None } else { node_props(g, id) });
            if let Some(n) = g.node(id) {
                for l in n.labels() {
                    self.label(g, l);
                }
            }
        }
    }

    /// Call before changing relationship `id` (see [`Tracker::node`]).
    pub fn rel(&mut self, g: &Graph, id: RelId, created: bool) {
        self.rels
            .entry(id)
            .or_insert_with(|| if created { None } else { rel_props(g, id) });
    }

    /// Call before a label may come into or go out of use.
    pub fn label(&mut self, g: &Graph, label: &str) {
        if !self.labels.contains_key(label) {
            self.labels.insert(label.to_owned(), g.label_count(label));
        }
    }

    /// The differences between the recorded states and `g` now.
    pub fn stats(&self, g: &Graph) -> Stats {
        let mut s = Stats::default();
        let diff = |before: &Option<Props>, after: Option<Props>, s: &mut Stats| -> (bool, bool) {
            let empty = Vec::new();
            let b = before.as_ref().unwrap_or(&empty);
            let a = after.as_ref().unwrap_or(&empty);
            for (k, v) in a {
                if !b.iter().any(|(bk, bv)| bk == k && bv == v) {
                    s.properties_set += 1;
                }
            }
            for (k, v) in b {
                if !a.iter().any(|(ak, av)| ak == k && av == v) {
                    s.properties_removed += 1;
                }
            }
            (before.is_some(), after.is_some())
        };
        for (id, before) in &self.nodes {
            match diff(before, node_props(g, *id), &mut s) {
                (false, true) => s.nodes_created += 1,
                (true, false) => s.nodes_deleted += 1,
                _ => {}
            }
        }
        for (id, before) in &self.rels {
            match diff(before, rel_props(g, *id), &mut s) {
                (false, true) => s.relationships_created += 1,
                (true, false) => s.relationships_deleted += 1,
                _ => {}
            }
        }
        for (label, before) in &self.labels {
            let after = g.label_count(label);
            if *before == 0 && after > 0 {
                s.labels_added += 1;
            } else if *before > 0 && after == 0 {
                s.labels_removed += 1;
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_count_as_differences_between_before_and_after() {
        let mut g = Graph::new();
        let a = g.add_node(["A"], [("x", Value::Int(1))]);
        let mut t = Tracker::default();
        // Changed, then changed back: nothing to count.
        t.node(&g, a, false);
        g.set_node_property(a, "x", Value::Int(2)).unwrap();
        g.set_node_property(a, "x", Value::Int(1)).unwrap();
        assert!(t.stats(&g).is_empty());
        // A node created and deleted in the same statement counts nowhere.
        t.label(&g, "B");
        let b = g.add_node(["B"], [("y", Value::Int(1))]);
        t.node(&g, b, true);
        assert_eq!(t.stats(&g).nodes_created, 1);
        assert_eq!(t.stats(&g).labels_added, 1);
        g.delete_node(b).unwrap();
        assert!(t.stats(&g).is_empty());
        // Deleting the last :A node removes the label name and its property.
        g.delete_node(a).unwrap();
        let s = t.stats(&g);
        assert_eq!(
            (s.nodes_deleted, s.properties_removed, s.labels_removed),
            (1, 1, 1)
        );
    }
}
