//! Node-link JSON, the form networkx's `node_link_data`/`node_link_graph`
//! and d3 use:
//!
//! ```json
//! {"directed": true, "multigraph": true, "graph": {},
//!  "nodes": [{"id": 0, "labels": ["Person"], "name": "Donald Trump"}],
//!  "links": [{"source": 0, "target": 1, "key": 0, "type": "MET_WITH", "evidence": [2]}]}
//! ```
//!
//! Properties sit beside `id` and `labels` (nodes) or `source`, `target`,
//! `key` and `type` (links); a property named like one of those is written
//! with a `prop_` prefix. Values are JSON as in the native format
//! (non-finite floats as `{"~float": "NaN"}`). On import, `edges` is
//! accepted for `links`; a link without `type` gets the type `RELATED_TO`;
//! `labels` may be a list or one string; null attributes are left out (in
//! the property-graph model null means absent); `key` is the relationship
//! id; links are read as directed from source to target even when
//! `directed` is false.

use std::io::Write;
use std::path::Path;

use crate::error::{DataError, Error};
use crate::graph::{Graph, is_plain_identifier};

use super::attrs::{escape_key, unescape_key};
use super::build::{IdKey, PendingNode, PendingRel, Words, build};
use super::json::{self, Json, JsonKind, Source};
use super::native::{fields, flush_if_full, required};
use super::subgraph::Subgraph;

const NODE_FIXED: &[&str] = &["id", "labels"];
const LINK_FIXED: &[&str] = &["source", "target", "key", "type"];
/// The type given to links that carry none.
pub const DEFAULT_TYPE: &str = "RELATED_TO";

/// Writes `sub` as node-link JSON.
pub fn write(graph: &Graph, sub: &Subgraph, out: &mut dyn Write) -> Result<(), Error> {
    let mut buf =
        String::from("{\"directed\": true, \"multigraph\": true, \"graph\": {},\n\"nodes\": [");
    let mut first = true;
    for node in sub.nodes.iter().filter_map(|&n| graph.node(n)) {
        buf.push_str(if first { "\n  " } else { ",\n  " });
        first = false;
        buf.push_str(&format!("{{\"id\": {}, \"labels\": [", node.id()));
        for (i, l) in node.labels().iter().enumerate() {
            if i > 0 {
                buf.push_str(", ");
            }
            json::write_str(&mut buf, l);
        }
        buf.push(']');
        for (k, v) in node.properties() {
            buf.push_str(", ");
            json::write_str(&mut buf, &escape_key(k, NODE_FIXED));
            buf.push_str(": ");
            json::write_value(&mut buf, v);
        }
        buf.push('}');
        flush_if_full(&mut buf, out)?;
    }
    buf.push_str("\n],\n\"links\": [");
    first = true;
    for rel in sub.rels.iter().filter_map(|&r| graph.rel(r)) {
        buf.push_str(if first { "\n  " } else { ",\n  " });
        first = false;
        buf.push_str(&format!(
            "{{\"source\": {}, \"target\": {}, \"key\": {}, \"type\": ",
            rel.start(),
            rel.end(),
            rel.id()
        ));
        json::write_str(&mut buf, rel.rel_type());
        for (k, v) in rel.properties() {
            buf.push_str(", ");
            json::write_str(&mut buf, &escape_key(k, LINK_FIXED));
            buf.push_str(": ");
            json::write_value(&mut buf, v);
        }
        buf.push('}');
        flush_if_full(&mut buf, out)?;
    }
    buf.push_str("\n]}\n");
    out.write_all(buf.as_bytes()).map_err(super::write_error)
}

/// Whether a parsed JSON document looks like node-link data.
pub(crate) fn looks_like(doc: &Json) -> bool {
    match &doc.kind {
        JsonKind::Object(m) => {
            m.iter().any(|m| m.key == "nodes")
                && m.iter().any(|m| m.key == "links" || m.key == "edges")
                && !m.iter().any(|m| m.key == "kgq_graph")
        }
        _ => false,
    }
}

/// Loads node-link JSON from `text`.
pub fn load_str(text: &str, path: Option<&Path>) -> Result<Graph, DataError> {
    let src = Source::new(text, path);
    let doc = json::parse(&src)?;
    from_json(&src, &doc)
}

fn id_of(src: &Source<'_>, json: &Json, what: &str) -> Result<IdKey, DataError> {
    match &json.kind {
        JsonKind::Int(i) if *i >= 0 => Ok(IdKey::Int(*i)),
        JsonKind::Int(i) => Ok(IdKey::Str(i.to_string())),
        JsonKind::Str(s) => Ok(IdKey::Str(s.clone())),
        _ => Err(src
            .error(
                json.pos,
                format!(
                    "{what} must be a string or an integer, found {}",
                    json.kind_name()
                ),
            )
            .with_hint("kgq reads node ids that are strings or integers")),
    }
}

fn label_list(src: &Source<'_>, json: &Json, owner: &str) -> Result<Vec<String>, DataError> {
    let check = |j: &Json| match &j.kind {
        JsonKind::Str(s) if is_plain_identifier(s) => Ok(s.clone()),
        JsonKind::Str(s) => Err(src
            .error(j.pos, format!("invalid label {s:?} of {owner}"))
            .with_hint("a label is a letter or `_` followed by letters, digits and `_`")),
        _ => Err(src.error(j.pos, format!("labels of {owner} must be strings"))),
    };
    match &json.kind {
        JsonKind::Array(items) => items.iter().map(check).collect(),
        JsonKind::Str(s) if s.is_empty() => Ok(Vec::new()),
        JsonKind::Str(_) => Ok(vec![check(json)?]),
        _ => Err(src.error(
            json.pos,
            format!("labels of {owner} must be a list of strings"),
        )),
    }
}

fn props(members: &[json::Member], fixed: &[&str]) -> Vec<(String, crate::graph::Value)> {
    members
        .iter()
        .filter(|m| !fixed.contains(&m.key.as_str()) && m.value.kind != JsonKind::Null)
        .map(|m| {
            (
                unescape_key(&m.key, fixed).to_owned(),
                json::to_value(&m.value),
            )
        })
        .collect()
}

pub(crate) fn from_json(src: &Source<'_>, doc: &Json) -> Result<Graph, DataError> {
    let top = fields(
        src,
        doc,
        "node-link data",
        &["directed", "multigraph", "graph", "nodes", "links", "edges"],
    )?;
    let nodes_m = required(src, doc, top, "nodes", "node-link data")?;
    let links_m = super::native::field(top, "links")
        .or_else(|| super::native::field(top, "edges"))
        .ok_or_else(|| {
            src.error(doc.pos, "missing field `links` in node-link data")
                .with_hint("add \"links\": [] (or \"edges\")")
        })?;
    let (JsonKind::Array(nodes_json), JsonKind::Array(links_json)) =
        (&nodes_m.value.kind, &links_m.value.kind)
    else {
        return Err(src.error(doc.pos, "`nodes` and `links` must be arrays"));
    };
    let mut nodes = Vec::with_capacity(nodes_json.len());
    for n in nodes_json {
        let JsonKind::Object(members) = &n.kind else {
            return Err(src.error(
                n.pos,
                format!("a node must be an object, found {}", n.kind_name()),
            ));
        };
        let id_m = required(src, n, members, "id", "a node")?;
        let id = id_of(src, &id_m.value, "a node id")?;
        let owner = format!("node {id}");
        let labels = match super::native::field(members, "labels") {
            Some(l) => label_list(src, &l.value, &owner)?,
            None => Vec::new(),
        };
        nodes.push(PendingNode {
            id,
            pos: id_m.value.pos,
            labels,
            props: props(members, NODE_FIXED),
        });
    }
    let mut rels = Vec::with_capacity(links_json.len());
    for l in links_json {
        let JsonKind::Object(members) = &l.kind else {
            return Err(src.error(
                l.pos,
                format!("a link must be an object, found {}", l.kind_name()),
            ));
        };
        let key = match super::native::field(members, "key") {
            Some(k) => Some(id_of(src, &k.value, "a link key")?),
            None => None,
        };
        let owner = key
            .as_ref()
            .map_or("a link".to_owned(), |k| format!("link {k}"));
        let source = &required(src, l, members, "source", &owner)?.value;
        let target = &required(src, l, members, "target", &owner)?.value;
        let rel_type = match super::native::field(members, "type") {
            Some(t) => match &t.value.kind {
                JsonKind::Str(s) if is_plain_identifier(s) => s.clone(),
                _ => {
                    return Err(src
                        .error(t.value.pos, format!("invalid type of {owner}"))
                        .with_hint("a type is a string: a letter or `_` followed by letters, digits and `_`"));
                }
            },
            None => DEFAULT_TYPE.to_owned(),
        };
        rels.push(PendingRel {
            id: key,
            pos: l.pos,
            rel_type,
            start: id_of(src, source, "`source`")?,
            start_pos: source.pos,
            end: id_of(src, target, "`target`")?,
            end_pos: target.pos,
            props: props(members, LINK_FIXED),
        });
    }
    build(
        src,
        nodes,
        rels,
        &Words {
            node: "node",
            rel: "link",
            start: "source",
            end: "target",
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Value;

    #[test]
    fn export_then_import_is_the_same_graph() {
        let mut g = Graph::new();
        let a = g.add_node(["P"], [("id", Value::from("clash")), ("x", Value::Int(1))]);
        let b = g.add_node(Vec::<&str>::new(), [("f", Value::Float(f64::INFINITY))]);
        g.add_rel(a, b, "R", [("type", Value::from("also clash"))])
            .unwrap();
        g.add_rel(a, b, "R", Vec::<(&str, Value)>::new()).unwrap();
        let mut out = Vec::new();
        write(&g, &Subgraph::all(&g), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let back = load_str(&text, None).unwrap();
        assert!(back.same_content(&g), "{text}");
    }

    #[test]
    fn foreign_node_link_gets_defaults() {
        let g = load_str(
            r#"{"directed": false, "nodes": [{"id": "a", "w": null}, {"id": "b"}],
                "edges": [{"source": "a", "target": "b", "weight": 2}]}"#,
            None,
        )
        .unwrap();
        let r = g.rel(g.rel_ids().next().unwrap()).unwrap();
        assert_eq!(r.rel_type(), DEFAULT_TYPE);
        assert_eq!(r.property("weight"), Some(&Value::Int(2)));
        assert_eq!(g.node(r.start()).unwrap().property("w"), None);
    }

    #[test]
    fn dangling_link_is_reported_at_its_target() {
        let text = "{\"nodes\": [{\"id\": 1}],\n \"links\": [{\"source\": 1, \"target\": 2}]}";
        let e = load_str(text, None).unwrap_err();
        assert!(e.message.contains("target 2"), "{}", e.message);
        assert_eq!((e.line, e.column), (Some(2), Some(36)));
    }
}
