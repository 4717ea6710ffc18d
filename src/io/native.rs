//! kgq's native graph file: JSON, stable, readable by other tools.
//!
//! ```json
//! {"kgq_graph": 1,
//!  "metadata": {"source": "..."},
//!  "nodes": [{"id": "trump", "labels": ["Person"], "properties": {"name": "Donald Trump"}}],
//!  "relationships": [{"id": 7, "type": "MET_WITH", "start": "trump", "end": "norway_pm",
//!                     "properties": {"evidence": [2]}}]}
//! ```
//!
//! - `kgq_graph` (required) is the format version, `1`. `metadata` is an
//!   optional object kgq does not interpret. `nodes` and `relationships`
//!   are required arrays.
//! - A node has an `id` (a string or a non-negative integer, unique among
//!   nodes) and optional `labels` and `properties`. A relationship has a
//!   `type`, a `start` and an `end` (node ids), and optional `id` (unique
//!   among relationships) and `properties`.
//! - Labels and types are identifiers: a letter or `_`, then letters,
//!   digits and `_`.
//! - Property values: strings, booleans, integers (numbers written without
//!   fraction or exponent, within 64 bits), floats (with a fraction or
//!   exponent; NaN and the infinities as `{"~float": "NaN"}`,
//!   `{"~float": "Infinity"}`, `{"~float": "-Infinity"}`), arrays (lists)
//!   and objects (maps). `null` as a property value is refused: leave the
//!   key out. (Inside lists and maps null is kept.) A map whose only entry
//!   is `"~float"` with one of those three strings reads as a float.
//! - Any other field is an error, as are duplicate ids and relationships to
//!   missing nodes; each is reported with file, line and column.
//! - Ids: integer ids are kept as the graph's ids when they are dense (see
//!   [`crate::io`]); string ids are replaced by numbers in file order.
//!   Saving writes the graph's integer ids, nodes and relationships in id
//!   order, one element per line, so `load(save(g))` is `g` and files diff
//!   well.

use std::io::Write;
use std::path::Path;

use crate::error::{DataError, Error};
use crate::graph::{Graph, is_plain_identifier};

use super::build::{IdKey, PendingNode, PendingRel, Words, build, suggest};
use super::json::{self, Json, JsonKind, Member, Source};
use super::subgraph::Subgraph;

/// The format version this kgq reads and writes.
pub const VERSION: i64 = 1;

/// Loads a native graph from `text`; `path` names the file in errors.
pub fn load_str(text: &str, path: Option<&Path>) -> Result<Graph, DataError> {
    let src = Source::new(text, path);
    let doc = json::parse(&src)?;
    from_json(&src, &doc)
}

pub(crate) fn fields<'j>(
    src: &Source<'_>,
    json: &'j Json,
    what: &str,
    allowed: &[&str],
) -> Result<&'j [Member], DataError> {
    let JsonKind::Object(members) = &json.kind else {
        return Err(src.error(
            json.pos,
            format!(
                "expected {what} as a JSON object, found {}",
                json.kind_name()
            ),
        ));
    };
    for m in members {
        if !allowed.contains(&m.key.as_str()) {
            let mut e = src.error(m.pos, format!("unknown field `{}` in {what}", m.key));
            e = match suggest(&m.key, allowed) {
                Some(s) => e.with_hint(format!("did you mean `{s}`?")),
                None => e.with_hint(format!("the fields of {what} are: {}", allowed.join(", "))),
            };
            return Err(e);
        }
    }
    Ok(members)
}

pub(crate) fn field<'j>(members: &'j [Member], key: &str) -> Option<&'j Member> {
    members.iter().find(|m| m.key == key)
}

pub(crate) fn required<'j>(
    src: &Source<'_>,
    json: &Json,
    members: &'j [Member],
    key: &str,
    what: &str,
) -> Result<&'j Member, DataError> {
    field(members, key).ok_or_else(|| {
        src.error(json.pos, format!("missing field `{key}` in {what}"))
            .with_hint(format!("add \"{key}\" to {what}"))
    })
}

fn id_key(src: &Source<'_>, json: &Json, what: &str) -> Result<IdKey, DataError> {
    match &json.kind {
        JsonKind::Int(i) if *i >= 0 => Ok(IdKey::Int(*i)),
        JsonKind::Str(s) => Ok(IdKey::Str(s.clone())),
        _ => Err(src
            .error(
                json.pos,
                format!("{what} must be a string or a non-negative integer"),
            )
            .with_hint("use ids such as \"trump\" or 7")),
    }
}

fn identifier(src: &Source<'_>, json: &Json, what: &str, owner: &str) -> Result<String, DataError> {
    match &json.kind {
        JsonKind::Str(s) if is_plain_identifier(s) => Ok(s.clone()),
        JsonKind::Str(s) => Err(src
            .error(json.pos, format!("invalid {what} {s:?} of {owner}"))
            .with_hint(format!(
                "a {what} is a letter or `_` followed by letters, digits and `_`, e.g. `Person` or `MET_WITH`"
            ))),
        _ => Err(src.error(
            json.pos,
            format!("{what} of {owner} must be a string, found {}", json.kind_name()),
        )),
    }
}

/// Reads a `properties` object. Top-level null is refused.
pub(crate) fn properties(
    src: &Source<'_>,
    json: &Json,
    owner: &str,
) -> Result<Vec<(String, json::Json)>, DataError> {
    let JsonKind::Object(members) = &json.kind else {
        return Err(src.error(
            json.pos,
            format!(
                "properties of {owner} must be an object, found {}",
                json.kind_name()
            ),
        ));
    };
    let mut out = Vec::with_capacity(members.len());
    for m in members {
        if m.key.is_empty() {
            return Err(src
                .error(m.pos, format!("empty property key in {owner}"))
                .with_hint("give the property a name"));
        }
        if m.value.kind == JsonKind::Null {
            return Err(src
                .error(
                    m.value.pos,
                    format!(
                        "property `{}` of {owner} is null, which is not a property value",
                        m.key
                    ),
                )
                .with_hint("a missing value is expressed by leaving the key out"));
        }
        out.push((m.key.clone(), m.value.clone()));
    }
    Ok(out)
}

fn node_name(id: &IdKey) -> String {
    format!("node {id}")
}

pub(crate) fn from_json(src: &Source<'_>, doc: &Json) -> Result<Graph, DataError> {
    let top = fields(
        src,
        doc,
        "the graph file",
        &["kgq_graph", "metadata", "nodes", "relationships"],
    )?;
    let version = field(top, "kgq_graph").ok_or_else(|| {
        src.error(doc.pos, "missing field `kgq_graph`: this is not a kgq graph file")
            .with_hint("native graph files start with {\"kgq_graph\": 1, ...}; for node-link JSON use the node-link format")
    })?;
    if version.value.kind != JsonKind::Int(VERSION) {
        return Err(src
            .error(version.value.pos, "unsupported `kgq_graph` version")
            .with_hint(format!("this kgq reads version {VERSION}")));
    }
    if let Some(meta) = field(top, "metadata")
        && !matches!(meta.value.kind, JsonKind::Object(_))
    {
        return Err(src.error(
            meta.value.pos,
            format!(
                "`metadata` must be an object, found {}",
                meta.value.kind_name()
            ),
        ));
    }
    let nodes_json = array(src, doc, top, "nodes")?;
    let rels_json = array(src, doc, top, "relationships")?;

    let mut nodes = Vec::with_capacity(nodes_json.len());
    for n in nodes_json {
        let members = fields(src, n, "a node", &["id", "labels", "properties"])?;
        let id_field = required(src, n, members, "id", "a node")?;
        let id = id_key(src, &id_field.value, "a node id")?;
        let owner = node_name(&id);
        let mut labels = Vec::new();
        if let Some(l) = field(members, "labels") {
            let JsonKind::Array(items) = &l.value.kind else {
                return Err(src.error(
                    l.value.pos,
                    format!("labels of {owner} must be an array of strings"),
                ));
            };
            for item in items {
                labels.push(identifier(src, item, "label", &owner)?);
            }
        }
        let props = match field(members, "properties") {
            Some(p) => properties(src, &p.value, &owner)?,
            None => Vec::new(),
        };
        nodes.push(PendingNode {
            id,
            pos: id_field.value.pos,
            labels,
            props: props
                .iter()
                .map(|(k, v)| (k.clone(), json::to_value(v)))
                .collect(),
        });
    }

    let mut rels = Vec::with_capacity(rels_json.len());
    for r in rels_json {
        let members = fields(
            src,
            r,
            "a relationship",
            &["id", "type", "start", "end", "properties"],
        )?;
        let id = match field(members, "id") {
            Some(m) => Some(id_key(src, &m.value, "a relationship id")?),
            None => None,
        };
        let owner = match &id {
            Some(k) => format!("relationship {k}"),
            None => "a relationship".to_owned(),
        };
        let rel_type = identifier(
            src,
            &required(src, r, members, "type", &owner)?.value,
            "type",
            &owner,
        )?;
        let start = &required(src, r, members, "start", &owner)?.value;
        let end = &required(src, r, members, "end", &owner)?.value;
        let props = match field(members, "properties") {
            Some(p) => properties(src, &p.value, &owner)?,
            None => Vec::new(),
        };
        rels.push(PendingRel {
            pos: field(members, "id").map_or(r.pos, |m| m.value.pos),
            id,
            rel_type,
            start: id_key(src, start, "`start`")?,
            start_pos: start.pos,
            end: id_key(src, end, "`end`")?,
            end_pos: end.pos,
            props: props
                .iter()
                .map(|(k, v)| (k.clone(), json::to_value(v)))
                .collect(),
        });
    }
    build(
        src,
        nodes,
        rels,
        &Words {
            node: "node",
            rel: "relationship",
            start: "start node",
            end: "end node",
        },
    )
}

fn array<'j>(
    src: &Source<'_>,
    doc: &Json,
    top: &'j [Member],
    key: &str,
) -> Result<&'j [Json], DataError> {
    let m = required(src, doc, top, key, "the graph file")?;
    match &m.value.kind {
        JsonKind::Array(items) => Ok(items),
        _ => Err(src.error(
            m.value.pos,
            format!("`{key}` must be an array, found {}", m.value.kind_name()),
        )),
    }
}

/// Writes the nodes and relationships of `sub` in the native format.
pub fn write(graph: &Graph, sub: &Subgraph, out: &mut dyn Write) -> Result<(), Error> {
    let mut buf = String::with_capacity(1 << 16);
    buf.push_str("{\n  \"kgq_graph\": 1,\n  \"nodes\": [");
    let mut first = true;
    for node in sub.nodes.iter().filter_map(|&n| graph.node(n)) {
        buf.push_str(if first { "\n    " } else { ",\n    " });
        first = false;
        buf.push_str(&format!("{{\"id\": {}, \"labels\": [", node.id()));
        for (i, l) in node.labels().iter().enumerate() {
            if i > 0 {
                buf.push_str(", ");
            }
            json::write_str(&mut buf, l);
        }
        buf.push_str("], \"properties\": ");
        write_props(&mut buf, &node.properties());
        buf.push('}');
        flush_if_full(&mut buf, out)?;
    }
    buf.push_str(if first { "],\n" } else { "\n  ],\n" });
    buf.push_str("  \"relationships\": [");
    first = true;
    for rel in sub.rels.iter().filter_map(|&r| graph.rel(r)) {
        buf.push_str(if first { "\n    " } else { ",\n    " });
        first = false;
        buf.push_str(&format!("{{\"id\": {}, \"type\": ", rel.id()));
        json::write_str(&mut buf, rel.rel_type());
        buf.push_str(&format!(
            ", \"start\": {}, \"end\": {}, \"properties\": ",
            rel.start(),
            rel.end()
        ));
        write_props(&mut buf, &rel.properties());
        buf.push('}');
        flush_if_full(&mut buf, out)?;
    }
    buf.push_str(if first { "]\n}\n" } else { "\n  ]\n}\n" });
    out.write_all(buf.as_bytes()).map_err(super::write_error)
}

pub(crate) fn write_props(buf: &mut String, props: &[(&str, &crate::graph::Value)]) {
    buf.push('{');
    for (i, (k, v)) in props.iter().enumerate() {
        if i > 0 {
            buf.push_str(", ");
        }
        json::write_str(buf, k);
        buf.push_str(": ");
        json::write_value(buf, v);
    }
    buf.push('}');
}

pub(crate) fn flush_if_full(buf: &mut String, out: &mut dyn Write) -> Result<(), Error> {
    if buf.len() > 1 << 16 {
        out.write_all(buf.as_bytes()).map_err(super::write_error)?;
        buf.clear();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Value;

    fn load(text: &str) -> Result<Graph, DataError> {
        load_str(text, Some(Path::new("g.json")))
    }

    #[test]
    fn string_ids_connect_relationships() {
        let g = load(
            r#"{"kgq_graph": 1, "nodes": [
                {"id": "a", "labels": ["Person"], "properties": {"name": "A"}},
                {"id": "b", "labels": ["City"]}],
              "relationships": [{"type": "IN", "start": "a", "end": "b", "properties": {"w": 1.5}}]}"#,
        )
        .unwrap();
        assert_eq!(g.node_count(), 2);
        let r = g.rel(g.rel_ids().next().unwrap()).unwrap();
        assert_eq!(r.rel_type(), "IN");
        assert_eq!(
            g.node(r.start()).unwrap().property("name"),
            Some(&Value::from("A"))
        );
        assert_eq!(r.property("w"), Some(&Value::Float(1.5)));
    }

    #[test]
    fn save_then_load_keeps_ids_and_values() {
        let mut g = Graph::new();
        let a = g.add_node(["A", "B"], [("x", Value::Float(f64::NAN))]);
        let gone = g.add_node(["A"], Vec::<(&str, Value)>::new());
        let c = g.add_node(
            Vec::<&str>::new(),
            [(
                "m",
                Value::Map([("k".into(), Value::List(vec![Value::Null, 1.into()]))].into()),
            )],
        );
        g.delete_node(gone).unwrap();
        g.add_rel(c, a, "R", [("s", Value::from("é\n\"q\""))])
            .unwrap();
        let mut out = Vec::new();
        write(&g, &Subgraph::all(&g), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let back = load(&text).unwrap();
        assert!(back.same_content(&g), "{text}");
    }

    #[test]
    fn bad_input_is_reported_where_it_is() {
        let cases: &[(&str, &str, (usize, usize))] = &[
            (
                r#"{"kgq_graph": 1, "nodes": [], "relationships": [], "extra": 1}"#,
                "unknown field `extra`",
                (1, 52),
            ),
            (
                "{\"kgq_graph\": 2, \"nodes\": [], \"relationships\": []}",
                "version",
                (1, 15),
            ),
            (
                "{\"kgq_graph\": 1, \"nodes\": [{\"id\": 1},\n {\"id\": 1}], \"relationships\": []}",
                "duplicate node id 1",
                (2, 9),
            ),
            (
                "{\"kgq_graph\": 1, \"nodes\": [{\"id\": \"a\", \"labels\": [\"Not ok\"]}], \"relationships\": []}",
                "invalid label \"Not ok\" of node \"a\"",
                (1, 51),
            ),
            (
                "{\"kgq_graph\": 1, \"nodes\": [{\"id\": \"a\", \"properties\": {\"x\": null}}], \"relationships\": []}",
                "property `x` of node \"a\" is null",
                (1, 60),
            ),
            (
                "{\"kgq_graph\": 1, \"nodes\": [{\"id\": \"a\"}], \"relationships\": [{\"type\": \"R\", \"start\": \"a\", \"end\": \"zz\"}]}",
                "refers to end node \"zz\"",
                (1, 95),
            ),
            (
                "{\"kgq_graph\": 1, \"nodes\": [{\"id\": \"a\"}], \"relationships\": [{\"start\": \"a\", \"end\": \"a\"}]}",
                "missing field `type`",
                (1, 60),
            ),
            (
                "{\"kgq_graph\": 1, \"nodes\": [{\"id\": -3}], \"relationships\": []}",
                "non-negative",
                (1, 35),
            ),
        ];
        for (text, message, (line, column)) in cases {
            let e = load(text).unwrap_err();
            assert!(e.message.contains(message), "{text}: {}", e.message);
            assert_eq!(
                (e.line, e.column),
                (Some(*line), Some(*column)),
                "{text}: {e}"
            );
            assert_eq!(e.path.as_deref(), Some(Path::new("g.json")));
            assert!(e.hint.is_some(), "{text}: no hint");
        }
    }
}
