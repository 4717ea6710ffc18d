//! The native graph file: the bundled article, bad files reported with
//! file, line and column, all-or-nothing loading, atomic saving.

use std::fs;
use std::path::Path;

use kgq::error::{DataError, Error};
use kgq::graph::{Graph, Value};
use kgq::io::{self, Format};

fn data_error(result: Result<Graph, Error>) -> DataError {
    match result {
        Err(Error::Data(e)) => e,
        Err(other) => panic!("expected a data error, got {other}"),
        Ok(_) => panic!("expected a data error, got a graph"),
    }
}

/// A caller's graph, replaced only when a load succeeds.
fn load_into(current: &mut Graph, path: &Path) -> Result<(), Error> {
    let g = io::load_path(path, None)?;
    *current = g;
    Ok(())
}

fn sample() -> Graph {
    let mut g = Graph::new();
    let a = g.add_node(["Person"], [("name", Value::from("Marco Rubio"))]);
    let b = g.add_node(["Country"], [("name", Value::from("Ukraine"))]);
    g.add_rel(
        a,
        b,
        "VISITED",
        [("evidence", Value::List(vec![Value::Int(3)]))],
    )
    .unwrap();
    g
}

#[test]
fn bundled_article_graph_loads() {
    let g = io::article_graph();
    assert!(g.node_count() > 0);
}

#[test]
fn every_kind_of_bad_file_is_reported_and_leaves_the_graph_alone() {
    // (file content, message part, line, column)
    let cases: &[(&str, &str, usize, usize)] = &[
        (
            "{\"kgq_graph\": 1,\n \"nodes\": [\n",
            "expected a JSON value",
            3,
            1,
        ),
        (
            "{\"kgq_graph\": 1, \"nodes\": [], \"relationships\": [],\n \"lables\": []}",
            "unknown field `lables`",
            2,
            2,
        ),
        (
            "{\"kgq_graph\": 1,\n \"nodes\": [{\"labels\": []}], \"relationships\": []}",
            "missing field `id` in a node",
            2,
            12,
        ),
        (
            "{\"kgq_graph\": 1, \"nodes\": [\n {\"id\": \"putin\"},\n {\"id\": \"putin\"}], \"relationships\": []}",
            "duplicate node id \"putin\"",
            3,
            9,
        ),
        (
            "{\"kgq_graph\": 1, \"nodes\": [{\"id\": \"a\"}], \"relationships\": [\n {\"id\": 4, \"type\": \"MET\", \"start\": \"a\", \"end\": \"ghost\"}]}",
            "relationship 4 refers to end node \"ghost\"",
            2,
            48,
        ),
        (
            "{\"kgq_graph\": 1, \"nodes\": [{\"id\": \"a\", \"labels\": [\"2Fast\"]}], \"relationships\": []}",
            "invalid label \"2Fast\" of node \"a\"",
            1,
            51,
        ),
        (
            "{\"kgq_graph\": 1, \"nodes\": [{\"id\": \"a\"}], \"relationships\": [\n {\"type\": \"met-with\", \"start\": \"a\", \"end\": \"a\"}]}",
            "invalid type \"met-with\"",
            2,
            11,
        ),
        (
            "{\"kgq_graph\": 1, \"nodes\": [{\"id\": \"a\",\n \"properties\": {\"age\": null}}], \"relationships\": []}",
            "property `age` of node \"a\" is null",
            2,
            24,
        ),
        (
            "{\"kgq_graph\": 1, \"nodes\": [{\"id\": \"a\", \"properties\": {\"n\": 123456789012345678901}}], \"relationships\": []}",
            "does not fit in 64 bits",
            1,
            60,
        ),
        (
            "{\"kgq_graph\": 3, \"nodes\": [], \"relationships\": []}",
            "unsupported `kgq_graph` version",
            1,
            15,
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (i, (text, message, line, column)) in cases.iter().enumerate() {
        let path = dir.path().join(format!("bad{i}.json"));
        fs::write(&path, text).unwrap();
        let mut current = sample();
        let before = current.clone();
        let e = data_error(load_into(&mut current, &path).map(|_| Graph::new()));
        assert!(e.message.contains(message), "case {i}: {}", e.message);
        assert_eq!(e.path.as_deref(), Some(path.as_path()), "case {i}");
        assert_eq!(
            (e.line, e.column),
            (Some(*line), Some(*column)),
            "case {i}: {e}"
        );
        assert!(e.hint.is_some(), "case {i}: no hint");
        assert!(current.same_content(&before), "case {i}: graph changed");
    }
}

#[test]
fn invalid_utf8_is_reported_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.json");
    fs::write(&path, b"{\"kgq_graph\": 1,\n \"x\xff\": 1}").unwrap();
    let e = data_error(io::load_path(&path, None));
    assert!(e.message.contains("UTF-8"));
    assert_eq!((e.line, e.column), (Some(2), Some(4)));
}

#[test]
fn save_then_load_gives_the_same_graph_and_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("saved.json");
    let g = sample();
    io::save_native(&g, &path).unwrap();
    let first = fs::read_to_string(&path).unwrap();
    let back = io::load_path(&path, None).unwrap();
    assert!(back.same_content(&g));
    io::save_native(&back, &path).unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), first);
}

#[test]
fn json_files_are_told_apart_by_content() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nl.json");
    fs::write(
        &path,
        r#"{"directed": true, "multigraph": true, "graph": {}, "nodes": [{"id": 0, "labels": ["A"]}], "links": []}"#,
    )
    .unwrap();
    let g = io::load_path(&path, None).unwrap();
    assert_eq!(g.label_count("A"), 1);
    let e = data_error(io::load_path(&path, Some(Format::Json)));
    assert!(e.message.contains("unknown field"), "{}", e.message);
}

#[test]
fn formats_that_cannot_be_loaded_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.svg");
    fs::write(&path, "<svg/>").unwrap();
    let e = data_error(io::load_path(&path, None));
    assert!(
        e.message.contains("cannot load the svg format"),
        "{}",
        e.message
    );
    let unknown = dir.path().join("g.bin");
    fs::write(&unknown, "x").unwrap();
    let e = data_error(io::load_path(&unknown, None));
    assert!(
        e.message.contains("cannot tell the format"),
        "{}",
        e.message
    );
}

#[test]
fn missing_file_is_an_io_error_naming_it() {
    match io::load_path(Path::new("/nonexistent/kgq/g.json"), None) {
        Err(Error::Io { path, .. }) => assert_eq!(path, Path::new("/nonexistent/kgq/g.json")),
        other => panic!(
            "expected an I/O error, got {:?}",
            other.map(|g| g.node_count())
        ),
    }
}

#[test]
fn article_graph_survives_every_importable_format() {
    let g = io::article_graph();
    let dir = tempfile::tempdir().unwrap();
    for format in [Format::Json, Format::NodeLink, Format::GraphMl] {
        let path = dir.path().join(format!("article.{}", format.name()));
        io::export(
            &g,
            &io::Subgraph::all(&g),
            format,
            &path,
            &io::ExportOptions::default(),
        )
        .unwrap();
        let back = io::load_path(&path, Some(format)).unwrap();
        assert!(back.same_content(&g), "{format}");
    }
}

#[test]
fn article_graph_survives_csv_with_the_same_node_ids() {
    let g = io::article_graph();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("article-csv");
    io::export(
        &g,
        &io::Subgraph::all(&g),
        Format::Csv,
        &path,
        &io::ExportOptions::default(),
    )
    .unwrap();
    let back = io::load_path(&path, None).unwrap();
    assert_eq!(back.node_count(), g.node_count());
    assert_eq!(back.rel_count(), g.rel_count());
    for id in g.node_ids() {
        let (a, b) = (g.node(id).unwrap(), back.node(id).unwrap());
        assert_eq!(a.labels(), b.labels());
        assert_eq!(a.properties(), b.properties(), "node {id}");
    }
}
