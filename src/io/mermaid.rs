//! Mermaid flowcharts, which GitHub renders in Markdown. Node text is
//! quoted with Mermaid's entity codes for `"`, `<`, `>` and `#`; one class
//! per label colours the nodes.

use std::io::Write;

use crate::error::Error;
use crate::graph::Graph;

use super::style::{PALETTE, caption, shorten, style_index, style_labels};
use super::subgraph::Subgraph;

/// `s` made safe inside a quoted Mermaid string.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in shorten(s, usize::MAX).chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '`' => out.push_str("#96;"),
            c => out.push(c),
        }
    }
    out
}

/// Writes `sub` as a Mermaid flowchart.
pub fn write(graph: &Graph, sub: &Subgraph, out: &mut dyn Write) -> Result<(), Error> {
    let labels = style_labels(graph, sub);
    let mut buf = String::from("flowchart LR\n");
    for node in sub.nodes.iter().filter_map(|&n| graph.node(n)) {
        let label_line: String = node.labels().iter().map(|l| format!(":{l}")).collect();
        let text = if label_line.is_empty() {
            escape(&caption(&node))
        } else {
            format!("{}<br/>{}", escape(&caption(&node)), escape(&label_line))
        };
        buf.push_str(&format!("  n{}[\"{text}\"]\n", node.id()));
        if let Some(i) = style_index(&node, &labels) {
            buf.push_str(&format!("  class n{} l{i}\n", node.id()));
        }
        super::native::flush_if_full(&mut buf, out)?;
    }
    for rel in sub.rels.iter().filter_map(|&r| graph.rel(r)) {
        buf.push_str(&format!(
            "  n{} -->|\"{}\"| n{}\n",
            rel.start(),
            escape(rel.rel_type()),
            rel.end()
        ));
        super::native::flush_if_full(&mut buf, out)?;
    }
    for (i, _) in labels.iter().enumerate() {
        buf.push_str(&format!(
            "  classDef l{i} fill:{},stroke:#555\n",
            PALETTE[i % PALETTE.len()]
        ));
    }
    out.write_all(buf.as_bytes()).map_err(super::write_error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Value;

    #[test]
    fn quotes_cannot_break_out_of_node_text() {
        let mut g = Graph::new();
        let a = g.add_node(["Quote"], [("text", Value::from("\"war\" <#1>"))]);
        let b = g.add_node(Vec::<&str>::new(), Vec::<(&str, Value)>::new());
        g.add_rel(a, b, "SAID", Vec::<(&str, Value)>::new())
            .unwrap();
        let mut out = Vec::new();
        write(&g, &Subgraph::all(&g), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains("n0[\"#quot;war#quot; #lt;#35;1#gt;<br/>:Quote\"]"),
            "{text}"
        );
        assert!(text.contains("n0 -->|\"SAID\"| n1"), "{text}");
        assert!(text.starts_with("flowchart LR\n"));
    }
}
