//! How result values are shown: in query notation for people
//! (`(:Person {name: 'Marco Rubio'})`), and as JSON in the value encoding
//! of the conformance protocol (tagged floats, `~node`, `~rel`, `~path`),
//! which the shell's JSON output shares.

use serde_json::{Map as JsonMap, Value as Json, json};

use crate::graph::{Graph, NodeId, Path, RelId, Value, format_float, quote_identifier};

/// The value in query notation. Nodes and relationships show their labels
/// or type and properties; an element no longer in the graph shows as
/// `(deleted node 3)`.
pub fn to_text(graph: &Graph, value: &Value) -> String {
    match value {
        Value::Node(id) => node_text(graph, *id),
        Value::Rel(id) => rel_text(graph, *id),
        Value::Path(path) => path_text(graph, path),
        Value::List(items) => {
            let inner: Vec<String> = items.iter().map(|v| to_text(graph, v)).collect();
            format!("[{}]", inner.join(", "))
        }
        Value::Map(map) => {
            let inner: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}: {}", quote_identifier(k), to_text(graph, v)))
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
        other => other.to_string(),
    }
}

fn props_text(props: &[(&str, &Value)]) -> String {
    let inner: Vec<String> = props
        .iter()
        .map(|(k, v)| format!("{}: {v}", quote_identifier(k)))
        .collect();
    format!("{{{}}}", inner.join(", "))
}

fn node_text(graph: &Graph, id: NodeId) -> String {
    let Some(node) = graph.node(id) else {
        return format!("(deleted node {id})");
    };
    let mut out = String::from("(");
    for label in node.labels() {
        out.push(':');
        out.push_str(&quote_identifier(label));
    }
    let props = node.properties();
    if !props.is_empty() {
        if out.len() > 1 {
            out.push(' ');
        }
        out.push_str(&props_text(&props));
    }
    out.push(')');
    out
}

fn rel_text(graph: &Graph, id: RelId) -> String {
    let Some(rel) = graph.rel(id) else {
        return format!("[deleted relationship {id}]");
    };
    let mut out = format!("[:{}", quote_identifier(rel.rel_type()));
    let props = rel.properties();
    if !props.is_empty() {
        out.push(' ');
        out.push_str(&props_text(&props));
    }
    out.push(']');
    out
}

fn path_text(graph: &Graph, path: &Path) -> String {
    let mut out = String::from("<");
    if let Some(first) = path.nodes.first() {
        out.push_str(&node_text(graph, *first));
    }
    for (i, rel_id) in path.rels.iter().enumerate() {
        let from = path.nodes[i];
        let forward = graph.rel(*rel_id).is_none_or(|r| r.start() == from);
        let rel = rel_text(graph, *rel_id);
        if forward {
            out.push_str(&format!("-{rel}->"));
        } else {
            out.push_str(&format!("<-{rel}-"));
        }
        if let Some(next) = path.nodes.get(i + 1) {
            out.push_str(&node_text(graph, *next));
        }
    }
    out.push('>');
    out
}

/// A float in the protocol's encoding: tagged, so that `1.0` stays a float.
fn float_json(f: f64) -> Json {
    let inner = if f.is_nan() {
        json!("NaN")
    } else if f.is_infinite() {
        json!(if f > 0.0 { "Infinity" } else { "-Infinity" })
    } else {
        json!(f)
    };
    json!({ "~float": inner })
}

fn props_json(props: &[(&str, &Value)], graph: &Graph) -> Json {
    let mut map = JsonMap::new();
    for (k, v) in props {
        map.insert((*k).to_owned(), to_json(graph, v));
    }
    Json::Object(map)
}

fn node_json(graph: &Graph, id: NodeId) -> Json {
    let (labels, props) = match graph.node(id) {
        Some(n) => (n.labels(), props_json(&n.properties(), graph)),
        None => (Vec::new(), json!({})),
    };
    json!({ "~node": { "id": id.0, "labels": labels, "properties": props } })
}

fn rel_json(graph: &Graph, id: RelId) -> Json {
    match graph.rel(id) {
        Some(r) => json!({ "~rel": {
            "id": id.0, "type": r.rel_type(), "start": r.start().0, "end": r.end().0,
            "properties": props_json(&r.properties(), graph) } }),
        None => json!({ "~rel": { "id": id.0, "type": null, "start": null, "end": null,
            "properties": {} } }),
    }
}

/// The value in the protocol's JSON encoding.
///
/// ```
/// use kgq::{Graph, Value};
/// let g = Graph::new();
/// assert_eq!(kgq::render::to_json(&g, &Value::Float(1.0)).to_string(), r#"{"~float":1.0}"#);
/// assert_eq!(kgq::render::to_json(&g, &Value::Int(1)).to_string(), "1");
/// ```
pub fn to_json(graph: &Graph, value: &Value) -> Json {
    match value {
        Value::Null => Json::Null,
        Value::Bool(b) => json!(b),
        Value::Int(i) => json!(i),
        Value::Float(f) => float_json(*f),
        Value::String(s) => json!(s),
        Value::List(items) => Json::Array(items.iter().map(|v| to_json(graph, v)).collect()),
        Value::Map(map) => {
            let mut out = JsonMap::new();
            for (k, v) in map {
                out.insert(k.clone(), to_json(graph, v));
            }
            Json::Object(out)
        }
        Value::Node(id) => node_json(graph, *id),
        Value::Rel(id) => rel_json(graph, *id),
        Value::Path(p) => json!({ "~path": {
            "nodes": p.nodes.iter().map(|n| node_json(graph, *n)).collect::<Vec<_>>(),
            "rels": p.rels.iter().map(|r| rel_json(graph, *r)).collect::<Vec<_>>() } }),
    }
}

/// Reads a value in the protocol's encoding (used for parameters); graph
/// elements are not accepted. Returns what was wrong on failure.
pub fn from_json(json: &Json) -> Result<Value, String> {
    Ok(match json {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::Int(i)
            } else if n.is_u64() {
                return Err(format!("integer {n} does not fit in 64 bits"));
            } else {
                Value::Float(n.as_f64().unwrap_or(f64::NAN))
            }
        }
        Json::String(s) => Value::String(s.clone()),
        Json::Array(items) => Value::List(items.iter().map(from_json).collect::<Result<_, _>>()?),
        Json::Object(map) => {
            if map.len() == 1
                && let Some(tagged) = map.get("~float")
            {
                return match tagged {
                    Json::Number(n) => Ok(Value::Float(n.as_f64().unwrap_or(f64::NAN))),
                    Json::String(s) if s == "NaN" => Ok(Value::Float(f64::NAN)),
                    Json::String(s) if s == "Infinity" => Ok(Value::Float(f64::INFINITY)),
                    Json::String(s) if s == "-Infinity" => Ok(Value::Float(f64::NEG_INFINITY)),
                    other => Err(format!("not a float: {other}")),
                };
            }
            if map.len() == 1
                && map
                    .keys()
                    .any(|k| matches!(k.as_str(), "~node" | "~rel" | "~path"))
            {
                return Err("graph elements cannot be given as values".to_owned());
            }
            Value::Map(
                map.iter()
                    .map(|(k, v)| Ok((k.clone(), from_json(v)?)))
                    .collect::<Result<_, String>>()?,
            )
        }
    })
}

/// A float as plain text (`1.0`, `NaN`), for CSV and table cells.
pub fn float_text(f: f64) -> String {
    format_float(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_relationships_and_paths_show_in_query_notation() {
        let mut g = Graph::new();
        let a = g.add_node(["Person"], [("name", Value::from("Marco Rubio"))]);
        let b = g.add_node(["Country", "Place"], [("name", Value::from("Ukraine"))]);
        let r = g.add_rel(b, a, "HOSTED", [("day", Value::Int(3))]).unwrap();
        assert_eq!(
            to_text(&g, &Value::Node(a)),
            "(:Person {name: 'Marco Rubio'})"
        );
        assert_eq!(to_text(&g, &Value::Rel(r)), "[:HOSTED {day: 3}]");
        let p = Value::Path(Box::new(Path {
            nodes: vec![a, b],
            rels: vec![r],
        }));
        assert_eq!(
            to_text(&g, &p),
            "<(:Person {name: 'Marco Rubio'})<-[:HOSTED {day: 3}]-(:Country:Place {name: 'Ukraine'})>"
        );
    }

    #[test]
    fn protocol_json_tags_floats_and_elements() {
        let mut g = Graph::new();
        let a = g.add_node(["A"], [("w", Value::Float(1.5))]);
        assert_eq!(
            to_json(&g, &Value::Node(a)).to_string(),
            r#"{"~node":{"id":0,"labels":["A"],"properties":{"w":{"~float":1.5}}}}"#
        );
        assert_eq!(
            to_json(&g, &Value::Float(f64::NAN)).to_string(),
            r#"{"~float":"NaN"}"#
        );
    }

    #[test]
    fn parameters_read_back_from_the_protocol_encoding() {
        let json: Json = serde_json::from_str(r#"[1, {"~float": 2.0}, "x", {"k": 0.5}]"#).unwrap();
        let v = from_json(&json).unwrap();
        let expected = Value::List(vec![
            Value::Int(1),
            Value::Float(2.0),
            Value::from("x"),
            Value::Map([("k".to_owned(), Value::Float(0.5))].into_iter().collect()),
        ]);
        assert_eq!(v, expected);
    }
}
