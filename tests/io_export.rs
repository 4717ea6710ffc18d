//! Exports: deterministic, atomic, and precise about what fails.

use std::fs;
use std::io::Write;
use std::path::Path;

use kgq::error::Error;
use kgq::graph::{Graph, Value};
use kgq::io::{self, ExportOptions, Format, Subgraph};

fn graph() -> Graph {
    let mut g = Graph::new();
    let a = g.add_node(["Person"], [("name", Value::from("Vladimir Putin"))]);
    let b = g.add_node(["City"], [("name", Value::from("Kyiv"))]);
    let c = g.add_node(["Platform"], [("name", Value::from("Truth Social"))]);
    g.add_rel(a, b, "STRUCK", [("killed", Value::Int(12))])
        .unwrap();
    g.add_rel(c, a, "MENTIONS", Vec::<(&str, Value)>::new())
        .unwrap();
    g
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn every_format_is_written_the_same_way_twice() {
    let g = graph();
    let sub = Subgraph::all(&g);
    for &format in Format::all() {
        if format == Format::Csv {
            continue;
        }
        let mut first = Vec::new();
        let mut second = Vec::new();
        io::write_export(&g, &sub, format, &mut first, &ExportOptions::default()).unwrap();
        io::write_export(&g, &sub, format, &mut second, &ExportOptions::default()).unwrap();
        assert!(!first.is_empty(), "{format}");
        assert_eq!(first, second, "{format} is not deterministic");
        let text = String::from_utf8(first).unwrap();
        assert!(text.contains("Kyiv"), "{format}: {text}");
    }
}

#[test]
fn only_the_selected_part_is_exported() {
    let g = graph();
    let mut sub = Subgraph::default();
    sub.rels.insert(g.rel_ids().next().unwrap());
    let rel = g.rel(g.rel_ids().next().unwrap()).unwrap();
    sub.nodes.extend([rel.start(), rel.end()]);
    let mut out = Vec::new();
    io::write_export(&g, &sub, Format::Json, &mut out, &ExportOptions::default()).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("Kyiv") && text.contains("Vladimir Putin"));
    assert!(!text.contains("Truth Social"));
    assert!(!text.contains("MENTIONS"));
}

#[test]
fn export_into_a_missing_directory_fails_without_leaving_anything() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("no/such/dir/g.json");
    let g = graph();
    let result = io::export(
        &g,
        &Subgraph::all(&g),
        Format::Json,
        &target,
        &ExportOptions::default(),
    );
    assert!(matches!(result, Err(Error::Io { .. })));
    assert!(entries(dir.path()).is_empty());
}

#[test]
fn a_failed_export_keeps_the_file_it_would_replace() {
    let dir = tempfile::tempdir().unwrap();
    // The target is a directory: the final rename fails after all was written.
    let target = dir.path().join("taken");
    fs::create_dir(&target).unwrap();
    fs::write(target.join("inside.txt"), "keep").unwrap();
    let g = graph();
    let result = io::export(
        &g,
        &Subgraph::all(&g),
        Format::GraphMl,
        &target,
        &ExportOptions::default(),
    );
    assert!(result.is_err());
    assert_eq!(
        fs::read_to_string(target.join("inside.txt")).unwrap(),
        "keep"
    );
    assert_eq!(entries(dir.path()), vec!["taken".to_owned()]);

    // A file replaced by a successful export is complete, and no temporary remains.
    let file = dir.path().join("g.dot");
    fs::write(&file, "old").unwrap();
    io::export(
        &g,
        &Subgraph::all(&g),
        Format::Dot,
        &file,
        &ExportOptions::default(),
    )
    .unwrap();
    assert!(fs::read_to_string(&file).unwrap().starts_with("digraph"));
    assert_eq!(
        entries(dir.path()),
        vec!["g.dot".to_owned(), "taken".to_owned()]
    );
}

#[test]
fn csv_cannot_go_to_standard_output_or_a_stream() {
    let g = graph();
    let sub = Subgraph::all(&g);
    let e = io::export(
        &g,
        &sub,
        Format::Csv,
        Path::new("-"),
        &ExportOptions::default(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("directory"), "{e}");
    let mut out = Vec::new();
    assert!(io::write_export(&g, &sub, Format::Csv, &mut out, &ExportOptions::default()).is_err());
}

/// A writer that fails after a few bytes, like a full disk.
struct Failing(usize);

impl Write for Failing {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.0 < buf.len() {
            return Err(std::io::Error::other("disk full"));
        }
        self.0 -= buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_failing_writer_is_an_error_for_every_format() {
    let g = graph();
    let sub = Subgraph::all(&g);
    for &format in Format::all() {
        if format == Format::Csv {
            continue;
        }
        let result = io::write_export(
            &g,
            &sub,
            format,
            &mut Failing(10),
            &ExportOptions::default(),
        );
        assert!(matches!(result, Err(Error::Io { .. })), "{format}");
    }
}

#[test]
fn csv_export_replaces_a_directory_whole() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out");
    fs::create_dir(&target).unwrap();
    fs::write(target.join("stale.csv"), "x").unwrap();
    let g = graph();
    io::export(
        &g,
        &Subgraph::all(&g),
        Format::Csv,
        &target,
        &ExportOptions::default(),
    )
    .unwrap();
    assert_eq!(
        entries(&target),
        vec![
            "nodes_City.csv",
            "nodes_Person.csv",
            "nodes_Platform.csv",
            "relationships_MENTIONS.csv",
            "relationships_STRUCK.csv"
        ]
    );
    assert_eq!(entries(dir.path()), vec!["out".to_owned()]);
}
