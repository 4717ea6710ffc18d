//! Exports checked by the tools that read them: networkx reads the GraphML
//! and node-link JSON with the same nodes, edges and attributes; Graphviz
//! accepts the DOT; the SVG is well-formed XML; the Cypher script rebuilds
//! the graph in kgq. A check whose tool is not installed prints that it
//! skipped itself and passes (CI installs graphviz and python3-networkx).

use std::path::{Path, PathBuf};
use std::process::Command;

use kgq::graph::{Graph, Value};
use kgq::io::{self, ExportOptions, Format, Subgraph};
use serde_json::{Map, Value as Json, json};

/// Debian's python (where python3-networkx lives) when present.
fn python() -> &'static str {
    if Path::new("/usr/bin/python3").exists() {
        "/usr/bin/python3"
    } else {
        "python3"
    }
}

fn has_networkx() -> bool {
    Command::new(python())
        .args(["-c", "import networkx"])
        .output()
        .is_ok_and(|o| o.status.success())
}

fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/interop")
        .join(name)
}

/// The article graph plus nodes and relationships with awkward values.
fn test_graph() -> Graph {
    add_awkward(io::article_graph(), true)
}

/// Graphviz's `dot` takes minutes to lay out the whole article graph on a
/// busy machine, so it gets the awkward part with a few article nodes.
fn small_graph() -> Graph {
    let article = io::article_graph();
    let mut sub = Subgraph::default();
    sub.nodes.extend(article.node_ids().take(12));
    sub.add_induced(&article);
    let mut out = Vec::new();
    io::write_export(
        &article,
        &sub,
        Format::Json,
        &mut out,
        &ExportOptions::default(),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("small.json");
    std::fs::write(&path, out).unwrap();
    add_awkward(io::load_path(&path, None).unwrap(), true)
}

/// Adds two nodes and three relationships with awkward values; maps only
/// with `maps` (the query language cannot store them, so scripts cannot).
fn add_awkward(mut g: Graph, maps: bool) -> Graph {
    let a = g.add_node(
        ["Person", "Official"],
        [
            ("name", Value::from("Ada \"the\" <first> & 'only' — Ωμέγα")),
            ("born", Value::Int(-1815)),
            ("score", Value::Float(9.75)),
            ("active", Value::Bool(true)),
            ("tags", Value::List(vec!["x".into(), "y, z".into()])),
            (
                "labels",
                Value::from("a property named like the labels key"),
            ),
            ("id", Value::Int(77)),
            ("multi", Value::from("line one\nline two")),
        ],
    );
    if maps {
        let meta = Value::Map([("k".to_owned(), Value::List(vec![Value::Int(1)]))].into());
        g.set_node_property(a, "meta", meta).unwrap();
    }
    let b = g.add_node(
        ["City"],
        [("name", Value::from("Kyiv")), ("id", Value::from("k"))],
    );
    g.add_rel(
        a,
        b,
        "VISITED",
        [("type", Value::from("clash")), ("times", Value::Int(2))],
    )
    .unwrap();
    g.add_rel(a, b, "VISITED", [("times", Value::Int(3))])
        .unwrap();
    g.add_rel(b, b, "NEAR", Vec::<(&str, Value)>::new())
        .unwrap();
    g
}

fn export(g: &Graph, format: Format, dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    io::export(
        g,
        &Subgraph::all(g),
        format,
        &path,
        &ExportOptions::default(),
    )
    .unwrap();
    path
}

fn dump(kind: &str, path: &Path) -> Json {
    let out = Command::new(python())
        .arg(script("networkx_dump.py"))
        .arg(kind)
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "networkx could not read the {kind} export: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn plain_json(v: &Value) -> Json {
    match v {
        Value::Bool(b) => json!(b),
        Value::Int(i) => json!(i),
        Value::Float(f) => json!(f),
        Value::String(s) => json!(s),
        Value::List(items) => Json::Array(items.iter().map(plain_json).collect()),
        Value::Map(m) => Json::Object(m.iter().map(|(k, v)| (k.clone(), plain_json(v))).collect()),
        _ => Json::Null,
    }
}

/// The escaped attribute name for a property (see `kgq::io::graphml`).
fn escaped(key: &str, reserved: &[&str]) -> String {
    if reserved.contains(&key) {
        format!("prop_{key}")
    } else {
        key.to_owned()
    }
}

/// What networkx should see in the GraphML export, by the documented rules:
/// labels as `:A:B`, scalars typed, lists and maps as JSON text, and (a
/// networkx habit) empty strings missing.
fn expected_graphml(g: &Graph) -> (Map<String, Json>, Vec<Json>) {
    let mut nodes = Map::new();
    for id in g.node_ids() {
        let n = g.node(id).unwrap();
        let mut attrs = Map::new();
        let labels: String = n.labels().iter().map(|l| format!(":{l}")).collect();
        if !labels.is_empty() {
            attrs.insert("labels".into(), json!(labels));
        }
        for (k, v) in n.properties() {
            let value = match v {
                Value::String(s) if s.is_empty() => continue,
                other => plain_json(other),
            };
            attrs.insert(escaped(k, &["labels", "id"]), value);
        }
        nodes.insert(format!("n{id}"), Json::Object(attrs));
    }
    let mut edges = Vec::new();
    for id in g.rel_ids() {
        let r = g.rel(id).unwrap();
        let mut attrs = Map::new();
        attrs.insert("type".into(), json!(r.rel_type()));
        for (k, v) in r.properties() {
            attrs.insert(escaped(k, &["type", "id", "label"]), plain_json(v));
        }
        edges.push(json!([
            format!("n{}", r.start()),
            format!("n{}", r.end()),
            attrs
        ]));
    }
    (nodes, edges)
}

fn expected_node_link(g: &Graph) -> (Map<String, Json>, Vec<Json>) {
    let mut nodes = Map::new();
    for id in g.node_ids() {
        let n = g.node(id).unwrap();
        let mut attrs = Map::new();
        attrs.insert("labels".into(), json!(n.labels()));
        for (k, v) in n.properties() {
            attrs.insert(escaped(k, &["labels", "id"]), plain_json(v));
        }
        nodes.insert(id.to_string(), Json::Object(attrs));
    }
    let mut edges = Vec::new();
    for id in g.rel_ids() {
        let r = g.rel(id).unwrap();
        let mut attrs = Map::new();
        attrs.insert("type".into(), json!(r.rel_type()));
        for (k, v) in r.properties() {
            attrs.insert(
                escaped(k, &["source", "target", "key", "type"]),
                plain_json(v),
            );
        }
        edges.push(json!([r.start().to_string(), r.end().to_string(), attrs]));
    }
    (nodes, edges)
}

fn check(seen: &Json, (nodes, edges): (Map<String, Json>, Vec<Json>)) {
    assert_eq!(seen["directed"], json!(true));
    assert_eq!(seen["multigraph"], json!(true));
    let seen_nodes = seen["nodes"].as_object().unwrap();
    assert_eq!(seen_nodes.len(), nodes.len());
    for (id, attrs) in &nodes {
        let got = seen_nodes.get(id).and_then(Json::as_object);
        assert!(
            same_attrs(got, attrs.as_object().unwrap()),
            "node {id}: networkx saw {got:?}, expected {attrs:?}"
        );
    }
    // Match edges as a multiset: each expected edge takes one equal seen edge.
    let mut unmatched = seen["edges"].as_array().unwrap().clone();
    assert_eq!(unmatched.len(), edges.len());
    for want in &edges {
        let found = unmatched.iter().position(|got| {
            got[0] == want[0]
                && got[1] == want[1]
                && same_attrs(got[2].as_object(), want[2].as_object().unwrap())
        });
        match found {
            Some(i) => {
                unmatched.swap_remove(i);
            }
            None => panic!("networkx did not see the edge {want}"),
        }
    }
}

/// Attributes match when each value is equal, or is the JSON text of the
/// expected value (GraphML carries lists, maps and keys of mixed types as
/// JSON strings).
fn same_attrs(got: Option<&Map<String, Json>>, want: &Map<String, Json>) -> bool {
    let Some(got) = got else { return false };
    got.len() == want.len()
        && want.iter().all(|(k, w)| {
            got.get(k).is_some_and(|g| {
                g == w
                    || g.as_str()
                        .and_then(|s| serde_json::from_str::<Json>(s).ok())
                        .is_some_and(|parsed| &parsed == w)
            })
        })
}

#[test]
fn networkx_reads_graphml_and_node_link_with_every_attribute() {
    if !has_networkx() {
        println!("skipped: python3 with networkx is not installed");
        return;
    }
    let g = test_graph();
    let dir = tempfile::tempdir().unwrap();
    let graphml = export(&g, Format::GraphMl, dir.path(), "g.graphml");
    check(&dump("graphml", &graphml), expected_graphml(&g));
    let node_link = export(&g, Format::NodeLink, dir.path(), "g.json");
    check(&dump("node-link", &node_link), expected_node_link(&g));
}

#[test]
fn graphviz_accepts_the_dot_file() {
    if Command::new("dot").arg("-V").output().is_err() {
        println!("skipped: Graphviz `dot` is not installed");
        return;
    }
    let g = small_graph();
    let dir = tempfile::tempdir().unwrap();
    let dot = export(&g, Format::Dot, dir.path(), "g.dot");
    let out = Command::new("dot").arg("-Tsvg").arg(&dot).output().unwrap();
    assert!(
        out.status.success(),
        "dot failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let svg = String::from_utf8_lossy(&out.stdout);
    assert!(svg.contains("Kyiv"));
    assert!(svg.contains("VISITED"));
}

#[test]
fn svg_is_well_formed_xml_naming_every_node() {
    let g = test_graph();
    let dir = tempfile::tempdir().unwrap();
    let svg = export(&g, Format::Svg, dir.path(), "g.svg");
    let text = std::fs::read_to_string(&svg).unwrap();
    let mut reader = quick_xml::Reader::from_str(&text);
    let mut depth = 0i64;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(_)) => depth += 1,
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("SVG is not well-formed: {e}"),
        }
    }
    assert_eq!(depth, 0);
    assert!(text.contains("Kyiv"));
    if Command::new(python()).arg("-c").arg("1").output().is_ok() {
        let out = Command::new(python())
            .arg(script("xml_wellformed.py"))
            .arg(&svg)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn cypher_script_rebuilds_the_graph_in_kgq() {
    let mut probe = kgq::Session::new(Graph::new());
    if let Err(e) = probe.execute("RETURN 1")
        && e.message.contains("not built yet")
    {
        println!("skipped: the query engine is not built yet");
        return;
    }
    let g = add_awkward(io::article_graph(), false);
    let dir = tempfile::tempdir().unwrap();
    let script = export(&g, Format::Cypher, dir.path(), "g.cypher");
    let back = io::load_path(&script, None).unwrap();
    assert_eq!(back.node_count(), g.node_count());
    assert_eq!(back.rel_count(), g.rel_count());
    // Same content up to ids: compare sorted descriptions.
    let describe = |g: &Graph| {
        let mut nodes: Vec<String> = g
            .node_ids()
            .map(|n| {
                let n = g.node(n).unwrap();
                format!("{:?} {:?}", n.labels(), n.properties())
            })
            .collect();
        nodes.sort();
        let mut rels: Vec<String> = g
            .rel_ids()
            .map(|r| {
                let r = g.rel(r).unwrap();
                let end = |n| {
                    let n = g.node(n).unwrap();
                    format!("{:?} {:?}", n.labels(), n.properties())
                };
                format!(
                    "{} {:?} {} {}",
                    r.rel_type(),
                    r.properties(),
                    end(r.start()),
                    end(r.end())
                )
            })
            .collect();
        rels.sort();
        (nodes, rels)
    };
    assert_eq!(describe(&back), describe(&g));
}
