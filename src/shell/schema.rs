//! What a graph holds, by name: labels, relationship types, property keys
//! and which labels each type connects. `:schema` prints it; completion and
//! the "did you mean" notes draw their names from it.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

use crate::graph::Graph;

/// Names and counts in a graph. Built by one pass over every element:
/// O(nodes + relationships + properties).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Schema {
    /// Label -> nodes with it.
    pub labels: BTreeMap<String, usize>,
    /// Type -> relationships of it.
    pub types: BTreeMap<String, usize>,
    /// Property key -> nodes that have it.
    pub node_keys: BTreeMap<String, usize>,
    /// Property key -> relationships that have it.
    pub rel_keys: BTreeMap<String, usize>,
    /// Label -> keys of nodes with that label.
    pub keys_by_label: BTreeMap<String, BTreeSet<String>>,
    /// Type -> keys of relationships of that type.
    pub keys_by_type: BTreeMap<String, BTreeSet<String>>,
    /// (type, start labels, end labels) -> count; an unlabelled node shows
    /// as `()`.
    pub connections: BTreeMap<(String, String, String), usize>,
}

fn label_set(labels: &[&str]) -> String {
    if labels.is_empty() {
        "()".to_owned()
    } else {
        labels
            .iter()
            .map(|l| format!(":{l}"))
            .collect::<Vec<_>>()
            .join("")
    }
}

impl Schema {
    /// The schema of `graph`.
    pub fn of(graph: &Graph) -> Schema {
        let mut s = Schema::default();
        for (label, n) in graph.labels() {
            s.labels.insert(label.to_owned(), n);
        }
        for (t, n) in graph.rel_types() {
            s.types.insert(t.to_owned(), n);
        }
        for id in graph.node_ids() {
            let Some(node) = graph.node(id) else { continue };
            let labels = node.labels();
            for (key, _) in node.properties() {
                *s.node_keys.entry(key.to_owned()).or_default() += 1;
                for label in &labels {
                    s.keys_by_label
                        .entry((*label).to_owned())
                        .or_default()
                        .insert(key.to_owned());
                }
            }
        }
        for id in graph.rel_ids() {
            let Some(rel) = graph.rel(id) else { continue };
            for (key, _) in rel.properties() {
                *s.rel_keys.entry(key.to_owned()).or_default() += 1;
                s.keys_by_type
                    .entry(rel.rel_type().to_owned())
                    .or_default()
                    .insert(key.to_owned());
            }
            let ends = |n| {
                graph
                    .node(n)
                    .map(|n| label_set(&n.labels()))
                    .unwrap_or_default()
            };
            let key = (
                rel.rel_type().to_owned(),
                ends(rel.start()),
                ends(rel.end()),
            );
            *s.connections.entry(key).or_default() += 1;
        }
        s
    }

    /// Every property key, on nodes or relationships.
    pub fn all_keys(&self) -> BTreeSet<&str> {
        self.node_keys
            .keys()
            .chain(self.rel_keys.keys())
            .map(String::as_str)
            .collect()
    }

    /// Writes the schema for people.
    pub fn write<W: Write + ?Sized>(&self, out: &mut W) -> io::Result<()> {
        if self.labels.is_empty() && self.types.is_empty() {
            return writeln!(out, "The graph is empty.");
        }
        writeln!(out, "Node labels ({}):", self.labels.len())?;
        for (label, n) in &self.labels {
            let keys: Vec<&str> = self
                .keys_by_label
                .get(label)
                .map(|k| k.iter().map(String::as_str).collect())
                .unwrap_or_default();
            writeln!(out, "  :{label:<24} {n:>6}   {{{}}}", keys.join(", "))?;
        }
        writeln!(out, "Relationship types ({}):", self.types.len())?;
        for (t, n) in &self.types {
            let keys: Vec<&str> = self
                .keys_by_type
                .get(t)
                .map(|k| k.iter().map(String::as_str).collect())
                .unwrap_or_default();
            writeln!(out, "  :{t:<24} {n:>6}   {{{}}}", keys.join(", "))?;
            for ((ct, from, to), count) in &self.connections {
                if ct == t {
                    writeln!(out, "      ({from})-[:{t}]->({to})  x{count}")?;
                }
            }
        }
        writeln!(out, "Property keys (elements having them):")?;
        let keys = self.all_keys();
        for key in keys {
            let nodes = self.node_keys.get(key).copied().unwrap_or(0);
            let rels = self.rel_keys.get(key).copied().unwrap_or(0);
            let mut parts = Vec::new();
            if nodes > 0 {
                parts.push(format!("{nodes} nodes"));
            }
            if rels > 0 {
                parts.push(format!("{rels} relationships"));
            }
            writeln!(out, "  {key:<25} {}", parts.join(", "))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Value;

    fn sample() -> Graph {
        let mut g = Graph::new();
        let trump = g.add_node(["Person"], [("name", Value::from("Donald Trump"))]);
        let q = g.add_node(["Quote"], [("text", Value::from("Vladimir, STOP!"))]);
        let ts = g.add_node(["Platform"], [("name", Value::from("Truth Social"))]);
        g.add_rel(
            trump,
            q,
            "SAID",
            [("evidence", Value::List(vec![Value::Int(6)]))],
        )
        .unwrap();
        g.add_rel(q, ts, "POSTED_ON", Vec::<(&str, Value)>::new())
            .unwrap();
        g
    }

    #[test]
    fn schema_counts_labels_types_and_keys() {
        let s = Schema::of(&sample());
        assert_eq!(s.labels.get("Person"), Some(&1));
        assert_eq!(s.types.get("SAID"), Some(&1));
        assert_eq!(s.node_keys.get("name"), Some(&2));
        assert_eq!(s.rel_keys.get("evidence"), Some(&1));
        assert!(s.keys_by_label["Quote"].contains("text"));
        assert_eq!(
            s.connections
                .get(&("SAID".into(), ":Person".into(), ":Quote".into())),
            Some(&1)
        );
    }

    #[test]
    fn schema_text_shows_which_labels_a_type_connects() {
        let mut out = Vec::new();
        Schema::of(&sample()).write(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("(:Person)-[:SAID]->(:Quote)  x1"), "{text}");
        assert!(text.contains(":Quote"), "{text}");
        assert!(text.contains("evidence"), "{text}");
    }
}
