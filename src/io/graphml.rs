//! GraphML, readable by networkx, Gephi, Cytoscape and yEd.
//!
//! Every attribute is declared as a `<key>` with its `attr.type`: a key
//! whose values are all booleans, all integers, all floats or all strings
//! gets `boolean`, `long`, `double` or `string`. Node labels are the
//! string key `labels` (`:A:B`, as Neo4j's exports write them) and
//! relationship types the string key `type`. Lists, maps and keys whose
//! values mix types are JSON text in a `string` key marked
//! `kgq:json="true"`, so that kgq reads them back exactly while other tools
//! see strings. Non-finite floats are `NaN`, `INF`, `-INF`. A property
//! named `labels`, `type` or `id` is written with a `prop_` prefix.
//! Characters XML 1.0 forbids (control characters other than tab, line
//! feed and carriage return) are replaced by U+FFFD; nothing else is lost.
//!
//! Import reads the same, plus what other tools write: a `labels`
//! attribute on `<node>` and a `label` attribute or key on `<edge>` (Neo4j),
//! `<default>` values, `int`/`float` types; edges without a type get
//! `RELATED_TO`. Node ids of the form `n<number>` (as kgq writes them) keep
//! their number. Every edge is read as directed from source to target, also
//! under `edgedefault="undirected"`. Nested graphs, hyperedges and ports
//! are refused.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::Path;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::error::{DataError, Error};
use crate::graph::{Graph, Value, format_float, is_plain_identifier};

use super::attrs::{escape_key, unescape_key};
use super::build::{IdKey, PendingNode, PendingRel, Words, build};
use super::json::{self, Source};
use super::nodelink::DEFAULT_TYPE;
use super::subgraph::Subgraph;
use super::xml::escape;

const NODE_FIXED: &[&str] = &["labels", "id"];
const EDGE_FIXED: &[&str] = &["type", "id", "label"];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum KeyType {
    Bool,
    Long,
    Double,
    Str,
    Json,
}

impl KeyType {
    fn of(v: &Value) -> KeyType {
        match v {
            Value::Bool(_) => KeyType::Bool,
            Value::Int(_) => KeyType::Long,
            Value::Float(_) => KeyType::Double,
            Value::String(_) => KeyType::Str,
            _ => KeyType::Json,
        }
    }

    fn attr_type(self) -> &'static str {
        match self {
            KeyType::Bool => "boolean",
            KeyType::Long => "long",
            KeyType::Double => "double",
            KeyType::Str | KeyType::Json => "string",
        }
    }
}

fn key_types<'g>(
    props: impl Iterator<Item = Vec<(&'g str, &'g Value)>>,
) -> BTreeMap<String, KeyType> {
    let mut keys: BTreeMap<String, KeyType> = BTreeMap::new();
    for list in props {
        for (k, v) in list {
            let t = KeyType::of(v);
            keys.entry(k.to_owned())
                .and_modify(|old| {
                    if *old != t {
                        *old = KeyType::Json;
                    }
                })
                .or_insert(t);
        }
    }
    keys
}

fn value_text(v: &Value, t: KeyType) -> String {
    match (t, v) {
        (KeyType::Json, v) => {
            let mut s = String::new();
            json::write_value(&mut s, v);
            s
        }
        (_, Value::Float(f)) if f.is_nan() => "NaN".to_owned(),
        (_, Value::Float(f)) if f.is_infinite() => if *f > 0.0 { "INF" } else { "-INF" }.to_owned(),
        (_, Value::Float(f)) => format_float(*f),
        (_, Value::String(s)) => s.clone(),
        (_, other) => other.to_string(),
    }
}

/// Writes `sub` as GraphML.
pub fn write(graph: &Graph, sub: &Subgraph, out: &mut dyn Write) -> Result<(), Error> {
    let node_keys = key_types(
        sub.nodes
            .iter()
            .filter_map(|&n| graph.node(n))
            .map(|n| n.properties()),
    );
    let edge_keys = key_types(
        sub.rels
            .iter()
            .filter_map(|&r| graph.rel(r))
            .map(|r| r.properties()),
    );
    let mut buf = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xmlns:kgq=\"urn:kgq:graphml\" \
         xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n\
         \x20 <key id=\"labels\" for=\"node\" attr.name=\"labels\" attr.type=\"string\"/>\n",
    );
    let mut node_ids: HashMap<&str, String> = HashMap::new();
    for (i, (k, t)) in node_keys.iter().enumerate() {
        let id = format!("n{i}");
        key_decl(&mut buf, &id, "node", &escape_key(k, NODE_FIXED), *t);
        node_ids.insert(k, id);
    }
    buf.push_str("  <key id=\"type\" for=\"edge\" attr.name=\"type\" attr.type=\"string\"/>\n");
    let mut edge_ids: HashMap<&str, String> = HashMap::new();
    for (i, (k, t)) in edge_keys.iter().enumerate() {
        let id = format!("e{i}");
        key_decl(&mut buf, &id, "edge", &escape_key(k, EDGE_FIXED), *t);
        edge_ids.insert(k, id);
    }
    buf.push_str("  <graph id=\"G\" edgedefault=\"directed\">\n");
    for node in sub.nodes.iter().filter_map(|&n| graph.node(n)) {
        let labels: String = node.labels().iter().map(|l| format!(":{l}")).collect();
        buf.push_str(&format!(
            "    <node id=\"n{}\"><data key=\"labels\">{}</data>",
            node.id(),
            escape(&labels, false)
        ));
        for (k, v) in node.properties() {
            let t = node_keys.get(k).copied().unwrap_or(KeyType::Json);
            let id = node_ids.get(k).map_or("", String::as_str);
            buf.push_str(&format!(
                "<data key=\"{id}\">{}</data>",
                escape(&value_text(v, t), false)
            ));
        }
        buf.push_str("</node>\n");
        super::native::flush_if_full(&mut buf, out)?;
    }
    for rel in sub.rels.iter().filter_map(|&r| graph.rel(r)) {
        buf.push_str(&format!(
            "    <edge id=\"e{}\" source=\"n{}\" target=\"n{}\"><data key=\"type\">{}</data>",
            rel.id(),
            rel.start(),
            rel.end(),
            escape(rel.rel_type(), false)
        ));
        for (k, v) in rel.properties() {
            let t = edge_keys.get(k).copied().unwrap_or(KeyType::Json);
            let id = edge_ids.get(k).map_or("", String::as_str);
            buf.push_str(&format!(
                "<data key=\"{id}\">{}</data>",
                escape(&value_text(v, t), false)
            ));
        }
        buf.push_str("</edge>\n");
        super::native::flush_if_full(&mut buf, out)?;
    }
    buf.push_str("  </graph>\n</graphml>\n");
    out.write_all(buf.as_bytes()).map_err(super::write_error)
}

fn key_decl(buf: &mut String, id: &str, domain: &str, name: &str, t: KeyType) {
    let json = if t == KeyType::Json {
        " kgq:json=\"true\""
    } else {
        ""
    };
    buf.push_str(&format!(
        "  <key id=\"{id}\" for=\"{domain}\" attr.name=\"{}\" attr.type=\"{}\"{json}/>\n",
        escape(name, true),
        t.attr_type()
    ));
}

// ---- import -------------------------------------------------------------

struct KeyDef {
    domain: String,
    name: String,
    ty: KeyType,
    default: Option<String>,
}

/// An element being read: node or edge with its data so far.
struct Open {
    is_edge: bool,
    pos: usize,
    id: Option<String>,
    source: Option<String>,
    target: Option<String>,
    labels_attr: Option<String>,
    type_attr: Option<String>,
    data: Vec<(String, String, usize)>,
}

fn attrs(
    src: &Source<'_>,
    e: &BytesStart<'_>,
    pos: usize,
) -> Result<HashMap<String, String>, DataError> {
    let mut out = HashMap::new();
    for a in e.attributes() {
        let a = a.map_err(|err| src.error(pos, format!("malformed attribute: {err}")))?;
        let value = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|err| src.error(pos, format!("malformed attribute value: {err}")))?;
        let key = a.key.as_ref();
        let local = key.rsplit(':').next().unwrap_or(key);
        let name = if key.starts_with("kgq:") { key } else { local };
        out.insert(name.to_owned(), value.into_owned());
    }
    Ok(out)
}

fn parse_type(src: &Source<'_>, text: &str, pos: usize) -> Result<KeyType, DataError> {
    Ok(match text {
        "boolean" => KeyType::Bool,
        "int" | "long" => KeyType::Long,
        "float" | "double" => KeyType::Double,
        "string" => KeyType::Str,
        other => {
            return Err(src
                .error(pos, format!("unknown attr.type `{other}`"))
                .with_hint("GraphML types are boolean, int, long, float, double, string"));
        }
    })
}

fn parse_value(
    src: &Source<'_>,
    text: &str,
    ty: KeyType,
    pos: usize,
    name: &str,
) -> Result<Value, DataError> {
    let bad = |what: &str| {
        src.error(pos, format!("value {text:?} of `{name}` is not {what}"))
            .with_hint("fix the value or the key's attr.type")
    };
    match ty {
        KeyType::Str => Ok(Value::String(text.to_owned())),
        KeyType::Bool => match text.trim() {
            "true" | "1" | "True" => Ok(Value::Bool(true)),
            "false" | "0" | "False" => Ok(Value::Bool(false)),
            _ => Err(bad("a boolean")),
        },
        KeyType::Long => text
            .trim()
            .parse()
            .map(Value::Int)
            .map_err(|_| bad("an integer")),
        KeyType::Double => {
            let t = text.trim();
            match t {
                "NaN" => Ok(Value::Float(f64::NAN)),
                "INF" => Ok(Value::Float(f64::INFINITY)),
                "-INF" => Ok(Value::Float(f64::NEG_INFINITY)),
                _ => t.parse().map(Value::Float).map_err(|_| bad("a number")),
            }
        }
        KeyType::Json => {
            let inner = Source::new(text, None);
            let parsed = json::parse(&inner).map_err(|e| {
                src.error(
                    pos,
                    format!("value of `{name}` is not valid JSON: {}", e.message),
                )
            })?;
            Ok(json::to_value(&parsed))
        }
    }
}

/// `n12` -> 12 when every id has that form (kgq's own exports).
fn numbered_ids(ids: &[&str], prefix: char) -> bool {
    ids.iter().all(|id| {
        id.strip_prefix(prefix)
            .is_some_and(|d| !d.is_empty() && d.len() < 19 && d.bytes().all(|b| b.is_ascii_digit()))
    })
}

fn to_key(id: &str, prefix: char, numbered: bool) -> IdKey {
    if numbered
        && let Some(digits) = id.strip_prefix(prefix)
        && let Ok(n) = digits.parse::<i64>()
    {
        return IdKey::Int(n);
    }
    IdKey::Str(id.to_owned())
}

/// Loads GraphML from `text`.
pub fn load_str(text: &str, path: Option<&Path>) -> Result<Graph, DataError> {
    let src = Source::new(text, path);
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(false);
    let mut keys: HashMap<String, KeyDef> = HashMap::new();
    let mut open: Option<Open> = None;
    let mut elements: Vec<Open> = Vec::new();
    // The <data> or <default> being read: (key id, text, position).
    let mut text_target: Option<(String, String, usize, bool)> = None;
    let mut current_key: Option<String> = None;
    let mut graphs = 0usize;
    let mut saw_root = false;
    loop {
        let pos = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| {
            src.error(
                reader.error_position() as usize,
                format!("malformed XML: {e}"),
            )
            .with_hint("check that the file is well-formed GraphML")
        })?;
        match event {
            ev @ (Event::Start(_) | Event::Empty(_)) => {
                let is_empty = matches!(ev, Event::Empty(_));
                let (Event::Start(e) | Event::Empty(e)) = ev else {
                    continue;
                };
                let name = e.local_name().as_ref().to_owned();
                let a = attrs(&src, &e, pos)?;
                match name.as_str() {
                    "graphml" => saw_root = true,
                    "key" => {
                        let id = a
                            .get("id")
                            .cloned()
                            .ok_or_else(|| src.error(pos, "a <key> has no id"))?;
                        let ty = if a.get("kgq:json").is_some_and(|v| v == "true") {
                            KeyType::Json
                        } else {
                            parse_type(
                                &src,
                                a.get("attr.type").map_or("string", String::as_str),
                                pos,
                            )?
                        };
                        keys.insert(
                            id.clone(),
                            KeyDef {
                                domain: a.get("for").cloned().unwrap_or_else(|| "all".to_owned()),
                                name: a.get("attr.name").cloned().unwrap_or_else(|| id.clone()),
                                ty,
                                default: None,
                            },
                        );
                        if !is_empty {
                            current_key = Some(id);
                        }
                    }
                    "default" => {
                        if let Some(k) = &current_key {
                            text_target = Some((k.clone(), String::new(), pos, true));
                        }
                    }
                    "graph" => {
                        graphs += 1;
                        if graphs > 1 || open.is_some() {
                            return Err(src
                                .error(pos, "nested or multiple graphs are not supported")
                                .with_hint("kgq reads one flat graph per file"));
                        }
                    }
                    "node" | "edge" => {
                        if open.is_some() {
                            return Err(src.error(
                                pos,
                                format!("<{name}> inside another element is not supported"),
                            ));
                        }
                        let el = Open {
                            is_edge: name == "edge",
                            pos,
                            id: a.get("id").cloned(),
                            source: a.get("source").cloned(),
                            target: a.get("target").cloned(),
                            labels_attr: a.get("labels").cloned(),
                            type_attr: a.get("label").cloned(),
                            data: Vec::new(),
                        };
                        if is_empty {
                            elements.push(el);
                        } else {
                            open = Some(el);
                        }
                    }
                    "data" => {
                        let key = a.get("key").cloned().ok_or_else(|| {
                            src.error(pos, "a <data> has no key")
                                .with_hint("add key=\"...\" naming a declared <key>")
                        })?;
                        if is_empty {
                            if let Some(el) = open.as_mut() {
                                el.data.push((key, String::new(), pos));
                            }
                        } else {
                            text_target = Some((key, String::new(), pos, false));
                        }
                    }
                    "hyperedge" | "port" | "endpoint" => {
                        return Err(src
                            .error(pos, format!("<{name}> is not supported"))
                            .with_hint("kgq reads nodes and directed edges"));
                    }
                    _ => {}
                }
            }
            Event::Text(t) => {
                if let Some((_, buf, _, _)) = text_target.as_mut() {
                    buf.push_str(&t.xml10_content());
                }
            }
            Event::CData(c) => {
                if let Some((_, buf, _, _)) = text_target.as_mut() {
                    buf.push_str(&c.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                if let Some((_, buf, _, _)) = text_target.as_mut() {
                    let c = match r.resolve_char_ref() {
                        Ok(Some(c)) => Some(c),
                        Ok(None) => match &*r {
                            "amp" => Some('&'),
                            "lt" => Some('<'),
                            "gt" => Some('>'),
                            "quot" => Some('"'),
                            "apos" => Some('\''),
                            _ => None,
                        },
                        Err(_) => None,
                    };
                    match c {
                        Some(c) => buf.push(c),
                        None => return Err(src.error(pos, format!("unknown entity `&{};`", &*r))),
                    }
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "data" => {
                    if let Some((key, buf, p, _)) = text_target.take()
                        && let Some(el) = open.as_mut()
                    {
                        el.data.push((key, buf, p));
                    }
                }
                "default" => {
                    if let Some((key, buf, _, true)) = text_target.take()
                        && let Some(k) = keys.get_mut(&key)
                    {
                        k.default = Some(buf);
                    }
                }
                "key" => current_key = None,
                "node" | "edge" => {
                    if let Some(el) = open.take() {
                        elements.push(el);
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_root {
        return Err(src
            .error(0, "no <graphml> element: this is not a GraphML file")
            .with_hint("export GraphML from the other tool, or give the right format"));
    }
    assemble(&src, &keys, elements)
}

fn assemble(
    src: &Source<'_>,
    keys: &HashMap<String, KeyDef>,
    elements: Vec<Open>,
) -> Result<Graph, DataError> {
    let node_ids: Vec<&str> = elements
        .iter()
        .filter(|e| !e.is_edge)
        .map(|e| e.id.as_deref().unwrap_or(""))
        .collect();
    let numbered_nodes = numbered_ids(&node_ids, 'n');
    let edge_ids: Vec<&str> = elements
        .iter()
        .filter(|e| e.is_edge)
        .filter_map(|e| e.id.as_deref())
        .collect();
    let numbered_edges = numbered_ids(&edge_ids, 'e');
    let mut nodes = Vec::new();
    let mut rels = Vec::new();
    for el in elements {
        let domain = if el.is_edge { "edge" } else { "node" };
        let fixed = if el.is_edge { EDGE_FIXED } else { NODE_FIXED };
        let mut labels: Option<String> = el.labels_attr.clone();
        let mut rel_type: Option<String> = el.type_attr.clone();
        let mut props: Vec<(String, Value)> = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for (key, text, pos) in &el.data {
            let def = keys.get(key).ok_or_else(|| {
                src.error(
                    *pos,
                    format!("<data> refers to key `{key}`, which no <key> declares"),
                )
                .with_hint(
                    "declare every key with <key id=... for=... attr.name=... attr.type=...>",
                )
            })?;
            seen.push(key);
            apply(
                src,
                def,
                text,
                *pos,
                el.is_edge,
                fixed,
                &mut labels,
                &mut rel_type,
                &mut props,
            )?;
        }
        for (id, def) in keys {
            if let Some(d) = &def.default
                && (def.domain == domain || def.domain == "all")
                && !seen.contains(&id.as_str())
            {
                apply(
                    src,
                    def,
                    d,
                    el.pos,
                    el.is_edge,
                    fixed,
                    &mut labels,
                    &mut rel_type,
                    &mut props,
                )?;
            }
        }
        if el.is_edge {
            let (Some(s), Some(t)) = (&el.source, &el.target) else {
                return Err(src.error(el.pos, "an <edge> needs source and target"));
            };
            let rel_type = rel_type.unwrap_or_else(|| DEFAULT_TYPE.to_owned());
            if !is_plain_identifier(&rel_type) {
                return Err(src
                    .error(el.pos, format!("invalid relationship type {rel_type:?}"))
                    .with_hint("a type is a letter or `_` followed by letters, digits and `_`"));
            }
            rels.push(PendingRel {
                id: el.id.as_deref().map(|i| to_key(i, 'e', numbered_edges)),
                pos: el.pos,
                rel_type,
                start: to_key(s, 'n', numbered_nodes),
                start_pos: el.pos,
                end: to_key(t, 'n', numbered_nodes),
                end_pos: el.pos,
                props,
            });
        } else {
            let Some(id) = &el.id else {
                return Err(src
                    .error(el.pos, "a <node> has no id")
                    .with_hint("give every node an id attribute"));
            };
            let mut label_list = Vec::new();
            for l in labels
                .as_deref()
                .unwrap_or("")
                .split(':')
                .map(str::trim)
                .filter(|l| !l.is_empty())
            {
                if !is_plain_identifier(l) {
                    return Err(src
                        .error(el.pos, format!("invalid label {l:?} of node {id:?}"))
                        .with_hint(
                            "a label is a letter or `_` followed by letters, digits and `_`",
                        ));
                }
                label_list.push(l.to_owned());
            }
            nodes.push(PendingNode {
                id: to_key(id, 'n', numbered_nodes),
                pos: el.pos,
                labels: label_list,
                props,
            });
        }
    }
    build(
        src,
        nodes,
        rels,
        &Words {
            node: "node",
            rel: "edge",
            start: "source",
            end: "target",
        },
    )
}

#[allow(clippy::too_many_arguments)]
fn apply(
    src: &Source<'_>,
    def: &KeyDef,
    text: &str,
    pos: usize,
    is_edge: bool,
    fixed: &[&str],
    labels: &mut Option<String>,
    rel_type: &mut Option<String>,
    props: &mut Vec<(String, Value)>,
) -> Result<(), DataError> {
    match (is_edge, def.name.as_str()) {
        (false, "labels") => *labels = Some(text.to_owned()),
        (true, "type" | "label") => *rel_type = Some(text.to_owned()),
        (_, "id") => {}
        _ => {
            let value = parse_value(src, text, def.ty, pos, &def.name)?;
            let key = unescape_key(&def.name, fixed).to_owned();
            props.retain(|(k, _)| *k != key);
            props.push((key, value));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_then_import_is_the_same_graph() {
        let mut g = Graph::new();
        let a = g.add_node(
            ["A", "B"],
            [
                ("labels", Value::from("clash <&>\"'")),
                ("mixed", Value::Int(1)),
                ("xs", Value::List(vec![Value::Int(1), Value::from("two")])),
                ("nan", Value::Float(f64::NAN)),
                ("text", Value::from("line\r\nnext\ttab  ")),
            ],
        );
        let b = g.add_node(
            ["A"],
            [("mixed", Value::Float(2.5)), ("ok", Value::Bool(true))],
        );
        g.add_rel(a, b, "R", [("w", Value::Float(-0.0))]).unwrap();
        g.add_rel(b, b, "LOOP", Vec::<(&str, Value)>::new())
            .unwrap();
        let mut out = Vec::new();
        write(&g, &Subgraph::all(&g), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let back = load_str(&text, None).unwrap();
        assert!(back.same_content(&g), "{text}");
    }

    #[test]
    fn neo4j_style_attributes_are_understood() {
        let text = r#"<?xml version="1.0"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
<key id="name" for="node" attr.name="name" attr.type="string"><default>anon</default></key>
<key id="label" for="edge" attr.name="label" attr.type="string"/>
<graph edgedefault="directed">
<node id="a" labels=":Person"><data key="name">Ada &amp; co</data></node>
<node id="b" labels=":City"/>
<edge source="a" target="b" label="LIVES_IN"/>
</graph></graphml>"#;
        let g = load_str(text, None).unwrap();
        assert_eq!(g.label_count("Person"), 1);
        assert_eq!(g.type_count("LIVES_IN"), 1);
        let names: Vec<Value> = g
            .node_ids()
            .map(|n| g.node(n).unwrap().property("name").cloned().unwrap())
            .collect();
        assert_eq!(names, vec![Value::from("Ada & co"), Value::from("anon")]);
    }

    #[test]
    fn bad_graphml_is_reported_where_it_is() {
        let undeclared =
            "<graphml><graph>\n<node id=\"a\"><data key=\"k\">1</data></node></graph></graphml>";
        let e = load_str(undeclared, None).unwrap_err();
        assert!(e.message.contains("key `k`"), "{}", e.message);
        assert_eq!(e.line, Some(2));
        let broken = "<graphml><graph>\n<node id=\"a\"></edge></graph></graphml>";
        let e = load_str(broken, None).unwrap_err();
        assert!(e.message.contains("malformed XML"), "{}", e.message);
        assert_eq!(e.line, Some(2));
        let multibyte =
            "<graphml><graph><node id=\"n1\"/><edge source=\"n1\" target=\"é\"/></graph></graphml>";
        let e = load_str(multibyte, None).unwrap_err();
        assert!(e.message.contains("target \"é\""), "{}", e.message);
        let dangling = "<graphml><graph><node id=\"a\"/>\n<edge source=\"a\" target=\"zz\"/></graph></graphml>";
        let e = load_str(dangling, None).unwrap_err();
        assert!(e.message.contains("target \"zz\""), "{}", e.message);
    }
}
