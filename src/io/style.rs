//! How nodes look in pictures (DOT, Mermaid, SVG): a caption and a colour
//! and shape per label, the same in every format.

use std::collections::BTreeSet;

use crate::graph::{Graph, NodeRef, Value};

use super::subgraph::Subgraph;

/// Fill colours, one per label in name order (cycled): the ten hues of
/// the "tab20" scheme, first in their light tone and then in their strong
/// one, so that labels next to each other in name order never look alike.
pub(crate) const PALETTE: &[&str] = &[
    "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#c7c7c7",
    "#dbdb8d", "#9edae5", "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
    "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
];

/// Graphviz shapes, one per label in name order (cycled).
pub(crate) const SHAPES: &[&str] = &[
    "ellipse",
    "box",
    "hexagon",
    "diamond",
    "octagon",
    "note",
    "parallelogram",
    "house",
    "cylinder",
    "component",
    "tab",
    "trapezium",
];

/// Colour of nodes without labels.
pub(crate) const NO_LABEL_COLOUR: &str = "#eeeeee";

/// Longest caption, in characters, before it is cut with an ellipsis.
pub(crate) const MAX_CAPTION: usize = 40;

/// The labels that decide styles: each node's first label (by name),
/// collected over the subgraph, in name order.
pub(crate) fn style_labels<'g>(graph: &'g Graph, sub: &Subgraph) -> Vec<&'g str> {
    let set: BTreeSet<&str> = sub
        .nodes
        .iter()
        .filter_map(|&n| graph.node(n))
        .filter_map(|n| n.labels().first().copied())
        .collect();
    set.into_iter().collect()
}

/// Index of the node's style among `labels`, if it has a label.
pub(crate) fn style_index(node: &NodeRef<'_>, labels: &[&str]) -> Option<usize> {
    let first = *node.labels().first()?;
    labels.iter().position(|l| *l == first)
}

/// What a picture writes in a node: its `name` (or `title`, `text`,
/// cut short), else its first label and id.
pub(crate) fn caption(node: &NodeRef<'_>) -> String {
    for key in ["name", "title", "text", "caption"] {
        if let Some(v) = node.property(key) {
            let s = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            return shorten(&s, MAX_CAPTION);
        }
    }
    match node.labels().first() {
        Some(l) => format!("{l} {}", node.id()),
        None => format!("node {}", node.id()),
    }
}

/// `s` on one line, at most `max` characters, with `…` when cut.
pub(crate) fn shorten(s: &str, max: usize) -> String {
    let one_line: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let one_line = one_line.trim();
    if one_line.chars().count() <= max {
        one_line.to_owned()
    } else {
        let cut: String = one_line.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captions_prefer_names_and_stay_short() {
        let mut g = Graph::new();
        let a = g.add_node(["Quote"], [("text", Value::from("x".repeat(100)))]);
        let b = g.add_node(["Person"], [("name", Value::from("Ada\nLovelace"))]);
        let c = g.add_node(["City"], Vec::<(&str, Value)>::new());
        assert_eq!(caption(&g.node(a).unwrap()).chars().count(), MAX_CAPTION);
        assert_eq!(caption(&g.node(b).unwrap()), "Ada Lovelace");
        assert_eq!(caption(&g.node(c).unwrap()), format!("City {c}"));
    }
}
