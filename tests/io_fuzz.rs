//! Random and mutated input for every loader: each ends in a graph or a
//! positioned error, never a panic, and error positions lie inside the
//! input.

use std::fs;

use kgq::error::Error;
use kgq::graph::{Graph, Value};
use kgq::io::{self, ExportOptions, Format, Subgraph};
use proptest::prelude::*;

fn seed_graph() -> Graph {
    let mut g = Graph::new();
    let a = g.add_node(
        ["Person", "Official"],
        [
            ("name", Value::from("Ada \"q\" <x> & y")),
            ("n", Value::Int(-3)),
            ("f", Value::Float(f64::NAN)),
            ("xs", Value::List(vec![Value::Int(1), Value::from("a;b")])),
        ],
    );
    let b = g.add_node(
        ["City"],
        [("name", Value::from("Kyiv")), ("ok", Value::Bool(true))],
    );
    g.add_rel(a, b, "VISITED", [("w", Value::Float(0.5))])
        .unwrap();
    g.add_rel(b, b, "NEAR", Vec::<(&str, Value)>::new())
        .unwrap();
    g
}

fn exported(format: Format) -> String {
    let g = seed_graph();
    let mut out = Vec::new();
    io::write_export(
        &g,
        &Subgraph::all(&g),
        format,
        &mut out,
        &ExportOptions::default(),
    )
    .unwrap();
    String::from_utf8(out).unwrap()
}

#[derive(Clone, Debug)]
enum Edit {
    Delete(usize, usize),
    Insert(usize, char),
    Repeat(usize, usize),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    prop::collection::vec(
        prop_oneof![
            (any::<usize>(), 1..20usize).prop_map(|(a, n)| Edit::Delete(a, n)),
            (
                any::<usize>(),
                prop_oneof![
                    Just('"'),
                    Just('{'),
                    Just('}'),
                    Just('['),
                    Just(']'),
                    Just(','),
                    Just(':'),
                    Just('<'),
                    Just('>'),
                    Just('/'),
                    Just('&'),
                    Just(';'),
                    Just('\n'),
                    Just('\\'),
                    Just('\u{0}'),
                    Just('é'),
                    any::<char>()
                ]
            )
                .prop_map(|(a, c)| Edit::Insert(a, c)),
            (any::<usize>(), 1..30usize).prop_map(|(a, n)| Edit::Repeat(a, n)),
        ],
        1..6,
    )
}

fn boundary(s: &str, i: usize) -> usize {
    let mut i = i % (s.len() + 1);
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn mutate(text: &str, edits: &[Edit]) -> String {
    let mut s = text.to_owned();
    for e in edits {
        match *e {
            Edit::Delete(at, n) => {
                let a = boundary(&s, at);
                let b = boundary(&s, a + n.min(s.len() - a));
                s.replace_range(a..b, "");
            }
            Edit::Insert(at, c) => {
                let a = boundary(&s, at);
                s.insert(a, c);
            }
            Edit::Repeat(at, n) => {
                let a = boundary(&s, at);
                let b = boundary(&s, a + n.min(s.len() - a));
                let piece = s[a..b].to_owned();
                s.insert_str(b, &piece);
            }
        }
    }
    s
}

/// Loads `text` as a file of `format` and checks the outcome.
fn check(text: &str, format: Format, name: &str) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    fs::write(&path, text).unwrap();
    match io::load_path(&path, Some(format)) {
        Ok(_) | Err(Error::Io { .. }) => {}
        Err(Error::Data(e)) => {
            let lines = text.split('\n').count();
            if let Some(line) = e.line {
                prop_assert!(line >= 1 && line <= lines, "line {line} of {lines}: {e}");
                if let Some(col) = e.column {
                    let len = text
                        .split('\n')
                        .nth(line - 1)
                        .map_or(0, |l| l.chars().count());
                    prop_assert!(col >= 1 && col <= len + 1, "column {col} of {len}: {e}");
                }
            }
        }
        Err(other) => prop_assert!(false, "unexpected error {other}"),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn mutated_native_json_never_panics(e in edits()) {
        check(&mutate(&exported(Format::Json), &e), Format::Json, "g.json")?;
    }

    #[test]
    fn mutated_node_link_never_panics(e in edits()) {
        check(&mutate(&exported(Format::NodeLink), &e), Format::NodeLink, "g.json")?;
    }

    #[test]
    fn mutated_graphml_never_panics(e in edits()) {
        check(&mutate(&exported(Format::GraphMl), &e), Format::GraphMl, "g.graphml")?;
    }

    #[test]
    fn random_text_never_panics(text in "\\PC{0,80}") {
        check(&text, Format::Json, "g.json")?;
        check(&text, Format::GraphMl, "g.graphml")?;
        check(&text, Format::Csv, "g.csv")?;
    }

    #[test]
    fn mutated_csv_never_panics(e in edits()) {
        let nodes = ":ID,:LABEL,name,born:int,xs:long[],ok:boolean\n1,Person,\"Ada, \"\"q\"\"\",1815,1;2,true\n2,City,Kyiv,,,false\n";
        let rels = ":START_ID,:END_ID,:TYPE,w:double\n1,2,IN,0.5\n2,2,NEAR,\n";
        let dir = tempfile::tempdir().unwrap();
        let n = dir.path().join("nodes.csv");
        let r = dir.path().join("rels.csv");
        fs::write(&n, mutate(nodes, &e)).unwrap();
        fs::write(&r, mutate(rels, &e)).unwrap();
        match io::load_csv(&[n], &[r]) {
            Ok(_) | Err(Error::Data(_)) | Err(Error::Io { .. }) => {}
            Err(other) => prop_assert!(false, "unexpected error {other}"),
        }
    }
}
