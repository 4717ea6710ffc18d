//! How nodes look in pictures (DOT, Mermaid, SVG): a caption and a colour
//! and shape per label, the same in every format.

use std::collections::BTreeSet;

use crate::graph::{Graph, NodeRef, Value};

use super::subgraph::Subgraph;

/// Fill colours, one per label in name order (cycled): light tones of
/// twenty well-separated hues, so that black text stays readable.
pub(crate) const PALETTE: &[&str] = &[
    "#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462", "#b3de69", "#fccde5",
    "#d9d9d9", "#bc80bd", "#ccebc5", "#ffed6f", "#a6cee3", "#b2df8a", "#fdbf6f", "#cab2d6",
    "#e5c494", "#66c2a5", "#f4a3a8", "#9ecae1",
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
