//! Graphviz DOT. Every id and label is a quoted, escaped string; nodes are
//! shaped and coloured by their first label, edges labelled by type. Node
//! ids are kgq's ids; each node's properties are in its `tooltip`.

use std::io::Write;

use crate::error::Error;
use crate::graph::Graph;

use super::style::{NO_LABEL_COLOUR, PALETTE, SHAPES, caption, style_index, style_labels};
use super::subgraph::Subgraph;

/// `s` as a DOT quoted string. Backslashes are doubled so that Graphviz
/// does not read `\n`, `\l` and friends as its own escapes.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Writes `sub` as a DOT digraph.
pub fn write(graph: &Graph, sub: &Subgraph, out: &mut dyn Write) -> Result<(), Error> {
    let labels = style_labels(graph, sub);
    let mut buf = String::from(
        "digraph kgq {\n  graph [rankdir=LR, overlap=false];\n  \
         node [style=filled, fontname=\"Helvetica\", fontsize=11];\n  \
         edge [fontname=\"Helvetica\", fontsize=9];\n",
    );
    for node in sub.nodes.iter().filter_map(|&n| graph.node(n)) {
        let (shape, colour) = match style_index(&node, &labels) {
            Some(i) => (SHAPES[i % SHAPES.len()], PALETTE[i % PALETTE.len()]),
            None => ("ellipse", NO_LABEL_COLOUR),
        };
        let label_line: String = node.labels().iter().map(|l| format!(":{l}")).collect();
        let text = if label_line.is_empty() {
            caption(&node)
        } else {
            format!("{}\n{label_line}", caption(&node))
        };
        let tooltip = crate::render::to_text(graph, &crate::graph::Value::Node(node.id()));
        buf.push_str(&format!(
            "  {} [label={}, shape={shape}, fillcolor={}, tooltip={}];\n",
            quote(&node.id().to_string()),
            quote(&text),
            quote(colour),
            quote(&tooltip)
        ));
        super::native::flush_if_full(&mut buf, out)?;
    }
    for rel in sub.rels.iter().filter_map(|&r| graph.rel(r)) {
        buf.push_str(&format!(
            "  {} -> {} [label={}];\n",
            quote(&rel.start().to_string()),
            quote(&rel.end().to_string()),
            quote(rel.rel_type())
        ));
        super::native::flush_if_full(&mut buf, out)?;
    }
    buf.push_str("}\n");
    out.write_all(buf.as_bytes()).map_err(super::write_error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Value;

    #[test]
    fn ids_and_labels_are_quoted_and_escaped() {
        assert_eq!(quote("a\"b\\n\nc"), "\"a\\\"b\\\\n\\nc\"");
        let mut g = Graph::new();
        let a = g.add_node(["Person"], [("name", Value::from("say \"hi\""))]);
        g.add_rel(a, a, "KNOWS", Vec::<(&str, Value)>::new())
            .unwrap();
        let mut out = Vec::new();
        write(&g, &Subgraph::all(&g), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains("\"0\" [label=\"say \\\"hi\\\"\\n:Person\", shape=ellipse"),
            "{text}"
        );
        assert!(text.contains("\"0\" -> \"0\" [label=\"KNOWS\"];"), "{text}");
    }
}
