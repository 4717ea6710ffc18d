//! SVG pictures drawn by kgq itself, so that an answer can be looked at
//! without Graphviz.
//!
//! The layout is Fruchterman-Reingold: nodes repel each other, relationships
//! pull their ends together, and a temperature that cools over a fixed
//! number of iterations bounds each step. The start positions come from a
//! fixed seed, so the same subgraph always gives the same picture. Cost:
//! O(n² · iterations) with the iterations reduced for large subgraphs
//! (at least 30). Nodes are circles coloured by their first label with a
//! caption under them and a legend of labels; relationships are arrows
//! labelled by type; parallel relationships are drawn as separate curves.

use std::collections::HashMap;
use std::io::Write;

use crate::error::Error;
use crate::graph::{Graph, NodeId};

use super::style::{NO_LABEL_COLOUR, PALETTE, caption, style_index, style_labels};
use super::subgraph::Subgraph;
use super::xml::escape;

/// Ideal distance between connected nodes, in pixels.
const K: f64 = 130.0;
const RADIUS: f64 = 16.0;
const MARGIN: f64 = 90.0;

/// Average width of a caption character at font size 12, in pixels.
const CAPTION_CHAR_WIDTH: f64 = 6.5;
const MAX_ITERATIONS: usize = 300;

/// A small deterministic generator (xorshift) for the start positions.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Positions of `n` nodes joined by `edges` (index pairs).
pub(crate) fn layout(n: usize, edges: &[(usize, usize)]) -> Vec<(f64, f64)> {
    let side = K * (n as f64).sqrt().max(1.0);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut pos: Vec<(f64, f64)> = (0..n)
        .map(|_| (rng.next() * side, rng.next() * side))
        .collect();
    if n < 2 {
        return pos;
    }
    let iterations = (30_000_000 / (n * n)).clamp(30, MAX_ITERATIONS);
    let center = (side / 2.0, side / 2.0);
    let mut disp = vec![(0.0f64, 0.0f64); n];
    for it in 0..iterations {
        let temperature = side / 10.0 * (1.0 - it as f64 / iterations as f64) + 1.0;
        disp.iter_mut().for_each(|d| *d = (0.0, 0.0));
        for i in 0..n {
            for j in (i + 1)..n {
                let (dx, dy) = (pos[i].0 - pos[j].0, pos[i].1 - pos[j].1);
                let d2 = (dx * dx + dy * dy).max(0.01);
                let f = K * K / d2;
                disp[i].0 += dx * f;
                disp[i].1 += dy * f;
                disp[j].0 -= dx * f;
                disp[j].1 -= dy * f;
            }
        }
        for &(a, b) in edges {
            if a == b {
                continue;
            }
            let (dx, dy) = (pos[a].0 - pos[b].0, pos[a].1 - pos[b].1);
            let d = (dx * dx + dy * dy).sqrt().max(0.01);
            let f = d / K;
            disp[a].0 -= dx * f;
            disp[a].1 -= dy * f;
            disp[b].0 += dx * f;
            disp[b].1 += dy * f;
        }
        for i in 0..n {
            // A weak pull to the centre keeps separate components close.
            disp[i].0 += (center.0 - pos[i].0) * 0.05;
            disp[i].1 += (center.1 - pos[i].1) * 0.05;
            let len = (disp[i].0 * disp[i].0 + disp[i].1 * disp[i].1).sqrt();
            if len > 0.0 {
                let step = len.min(temperature);
                pos[i].0 += disp[i].0 / len * step;
                pos[i].1 += disp[i].1 / len * step;
            }
        }
    }
    pos
}

fn fmt(x: f64) -> String {
    format!("{x:.1}")
}

/// Writes `sub` as an SVG picture.
pub fn write(graph: &Graph, sub: &Subgraph, out: &mut dyn Write) -> Result<(), Error> {
    let nodes: Vec<NodeId> = sub
        .nodes
        .iter()
        .copied()
        .filter(|&n| graph.contains_node(n))
        .collect();
    let index: HashMap<NodeId, usize> = nodes.iter().enumerate().map(|(i, &n)| (n, i)).collect();
    let rels: Vec<_> = sub
        .rels
        .iter()
        .filter_map(|&r| graph.rel(r))
        .filter_map(|r| Some((r, *index.get(&r.start())?, *index.get(&r.end())?)))
        .collect();
    let edges: Vec<(usize, usize)> = rels.iter().map(|(_, a, b)| (*a, *b)).collect();
    let mut pos = layout(nodes.len(), &edges);
    let labels = style_labels(graph, sub);

    let legend_height = if labels.is_empty() {
        0.0
    } else {
        20.0 * labels.len() as f64 + 20.0
    };
    // Captions are centred under their node, so a node near the edge needs
    // room for half its caption: the bounding box covers text, not centres.
    let half_caption: Vec<f64> = nodes
        .iter()
        .map(|&n| {
            graph.node(n).map_or(0.0, |node| {
                caption(&node).chars().count() as f64 * CAPTION_CHAR_WIDTH / 2.0
            })
        })
        .collect();
    let (min_x, min_y) = pos
        .iter()
        .zip(&half_caption)
        .fold((f64::MAX, f64::MAX), |m, (p, half)| {
            (m.0.min(p.0 - half), m.1.min(p.1))
        });
    let (min_x, min_y) = if nodes.is_empty() {
        (0.0, 0.0)
    } else {
        (min_x, min_y)
    };
    for p in pos.iter_mut() {
        p.0 += MARGIN / 2.0 - min_x;
        p.1 += MARGIN - min_y + legend_height;
    }
    let max_x = pos
        .iter()
        .zip(&half_caption)
        .map(|(p, half)| p.0 + half)
        .fold(0.0, f64::max);
    let max_y = pos.iter().map(|p| p.1).fold(0.0, f64::max);
    let width = (max_x + MARGIN / 2.0).max(240.0);
    let height = (max_y + MARGIN).max(legend_height + 60.0);

    let mut buf = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
         font-family=\"Helvetica, Arial, sans-serif\">\n\
         <defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" \
         markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#555\"/></marker></defs>\n\
         <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n",
        w = fmt(width),
        h = fmt(height)
    );
    if nodes.is_empty() {
        buf.push_str(
            "<text x=\"20\" y=\"35\" font-size=\"14\" fill=\"#555\">(empty subgraph)</text>\n",
        );
    }
    for (i, l) in labels.iter().enumerate() {
        let y = 20.0 + 20.0 * i as f64;
        buf.push_str(&format!(
            "<circle cx=\"20\" cy=\"{}\" r=\"7\" fill=\"{}\" stroke=\"#555\"/><text x=\"34\" y=\"{}\" font-size=\"13\">{}</text>\n",
            fmt(y),
            PALETTE[i % PALETTE.len()],
            fmt(y + 4.5),
            escape(l, false)
        ));
    }

    // Relationships between the same two nodes fan out as curves.
    let mut seen_pairs: HashMap<(usize, usize), usize> = HashMap::new();
    buf.push_str("<g stroke=\"#555\" stroke-width=\"1.3\" fill=\"none\">\n");
    let mut edge_labels = String::new();
    for (rel, a, b) in &rels {
        let pair = ((*a).min(*b), (*a).max(*b));
        let nth = seen_pairs.entry(pair).or_insert(0);
        let k = *nth as f64;
        *nth += 1;
        let (p, q) = (pos[*a], pos[*b]);
        let (label_x, label_y);
        if a == b {
            let r = 28.0 + 10.0 * k;
            buf.push_str(&format!(
                "<path d=\"M {} {} C {} {} {} {} {} {}\" marker-end=\"url(#arrow)\"/>\n",
                fmt(p.0 - 6.0),
                fmt(p.1 - RADIUS),
                fmt(p.0 - r),
                fmt(p.1 - RADIUS - 2.0 * r),
                fmt(p.0 + r),
                fmt(p.1 - RADIUS - 2.0 * r),
                fmt(p.0 + 6.0),
                fmt(p.1 - RADIUS)
            ));
            label_x = p.0;
            label_y = p.1 - RADIUS - 1.5 * r;
        } else {
            let (dx, dy) = (q.0 - p.0, q.1 - p.1);
            let d = (dx * dx + dy * dy).sqrt().max(0.01);
            let (ux, uy) = (dx / d, dy / d);
            // Alternate sides: 0, +1, -1, +2, -2, ...
            let side = if *nth % 2 == 0 { 1.0 } else { -1.0 };
            let bend = ((k + 1.0) / 2.0).floor() * 22.0 * side * if a < b { 1.0 } else { -1.0 };
            let (nx, ny) = (-uy, ux);
            let start = (p.0 + ux * RADIUS, p.1 + uy * RADIUS);
            let end = (q.0 - ux * (RADIUS + 1.0), q.1 - uy * (RADIUS + 1.0));
            let ctrl = (
                (p.0 + q.0) / 2.0 + nx * bend * 2.0,
                (p.1 + q.1) / 2.0 + ny * bend * 2.0,
            );
            buf.push_str(&format!(
                "<path d=\"M {} {} Q {} {} {} {}\" marker-end=\"url(#arrow)\"/>\n",
                fmt(start.0),
                fmt(start.1),
                fmt(ctrl.0),
                fmt(ctrl.1),
                fmt(end.0),
                fmt(end.1)
            ));
            label_x = (p.0 + q.0) / 2.0 + nx * bend;
            label_y = (p.1 + q.1) / 2.0 + ny * bend;
        }
        edge_labels.push_str(&format!(
            "<text x=\"{}\" y=\"{}\">{}</text>\n",
            fmt(label_x),
            fmt(label_y),
            escape(rel.rel_type(), false)
        ));
        super::native::flush_if_full(&mut buf, out)?;
    }
    buf.push_str("</g>\n<g font-size=\"10\" fill=\"#333\" text-anchor=\"middle\" stroke=\"white\" stroke-width=\"3\" paint-order=\"stroke\">\n");
    buf.push_str(&edge_labels);
    buf.push_str("</g>\n<g font-size=\"12\" text-anchor=\"middle\">\n");
    for (i, &id) in nodes.iter().enumerate() {
        let Some(node) = graph.node(id) else { continue };
        let colour =
            style_index(&node, &labels).map_or(NO_LABEL_COLOUR, |s| PALETTE[s % PALETTE.len()]);
        let title = crate::render::to_text(graph, &crate::graph::Value::Node(id));
        buf.push_str(&format!(
            "<g><title>{}</title><circle cx=\"{}\" cy=\"{}\" r=\"{RADIUS}\" fill=\"{colour}\" stroke=\"#333\"/>\
             <text x=\"{}\" y=\"{}\" stroke=\"white\" stroke-width=\"3\" paint-order=\"stroke\">{}</text></g>\n",
            escape(&title, false),
            fmt(pos[i].0),
            fmt(pos[i].1),
            fmt(pos[i].0),
            fmt(pos[i].1 + RADIUS + 14.0),
            escape(&caption(&node), false)
        ));
        super::native::flush_if_full(&mut buf, out)?;
    }
    buf.push_str("</g>\n</svg>\n");
    out.write_all(buf.as_bytes()).map_err(super::write_error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Value;

    #[test]
    fn layout_is_deterministic_and_separates_nodes() {
        let edges = [(0, 1), (1, 2), (2, 0), (2, 3)];
        let a = layout(4, &edges);
        assert_eq!(a, layout(4, &edges));
        for i in 0..4 {
            for j in (i + 1)..4 {
                let d = ((a[i].0 - a[j].0).powi(2) + (a[i].1 - a[j].1).powi(2)).sqrt();
                assert!(d > 2.0 * RADIUS, "nodes {i} and {j} overlap: {d}");
            }
        }
    }

    #[test]
    fn picture_names_every_node_and_type() {
        let mut g = Graph::new();
        let a = g.add_node(["Person"], [("name", Value::from("A & B"))]);
        let b = g.add_node(["City"], [("name", Value::from("Kyiv"))]);
        g.add_rel(a, b, "STRUCK", Vec::<(&str, Value)>::new())
            .unwrap();
        g.add_rel(a, b, "STRUCK", Vec::<(&str, Value)>::new())
            .unwrap();
        g.add_rel(a, a, "SELF", Vec::<(&str, Value)>::new())
            .unwrap();
        let mut out = Vec::new();
        write(&g, &Subgraph::all(&g), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains(">A &amp; B</text>"));
        assert!(text.contains(">Kyiv</text>"));
        assert_eq!(text.matches(">STRUCK</text>").count(), 2);
        assert_eq!(text.matches("marker-end").count(), 3);
    }
}
