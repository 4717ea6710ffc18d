//! Loading neo4j-admin CSV import files: good files, every kind of bad
//! file, and the exporter's directories read back.

use std::fs;
use std::path::{Path, PathBuf};

use kgq::error::{DataError, Error};
use kgq::graph::{Graph, Value};
use kgq::io::{self, ExportOptions, Format, Subgraph};

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    fs::write(&p, text).unwrap();
    p
}

fn data_error(result: Result<Graph, Error>) -> DataError {
    match result {
        Err(Error::Data(e)) => e,
        Err(other) => panic!("expected a data error, got {other}"),
        Ok(_) => panic!("expected a data error, got a graph"),
    }
}

const PEOPLE: &str = "personId:ID(Person),name,born:int,score:double,active:boolean,tags:string[],:LABEL\n\
p1,Ada,1815,9.5,true,math;poetry,Person;Scientist\n\
p2,\"Babbage, Charles\",1791,,false,,Person\n";
const CITIES: &str = ":ID(City),name\nc1,London\n";
const LIVES: &str = ":START_ID(Person),:END_ID(City),:TYPE,since:long,xs:int[]\n\
p1,c1,LIVES_IN,1830,1;2;3\n\
p2,c1,LIVES_IN,,\n\
p1,p1,LIVES_IN,,\n";

#[test]
fn directory_loads_typed_properties_labels_and_id_spaces() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "people.csv", PEOPLE);
    write(dir.path(), "cities.csv", CITIES);
    write(
        dir.path(),
        "lives.csv",
        &LIVES.replace("p1,p1,LIVES_IN,,\n", ""),
    );
    let g = io::load_path(dir.path(), None).unwrap();
    assert_eq!(g.node_count(), 3);
    assert_eq!(g.label_count("Person"), 2);
    assert_eq!(g.label_count("Scientist"), 1);
    assert_eq!(g.type_count("LIVES_IN"), 2);
    let ada = g.find_nodes("Person", "name", &Value::from("Ada")).unwrap()[0];
    let ada = g.node(ada).unwrap();
    assert_eq!(ada.property("born"), Some(&Value::Int(1815)));
    assert_eq!(ada.property("score"), Some(&Value::Float(9.5)));
    assert_eq!(ada.property("active"), Some(&Value::Bool(true)));
    assert_eq!(ada.property("personId"), Some(&Value::from("p1")));
    assert_eq!(
        ada.property("tags"),
        Some(&Value::List(vec!["math".into(), "poetry".into()]))
    );
    let babbage = g
        .find_nodes("Person", "name", &Value::from("Babbage, Charles"))
        .unwrap();
    assert_eq!(babbage.len(), 1);
    assert_eq!(g.node(babbage[0]).unwrap().property("score"), None);
    let r = g
        .rel_ids()
        .map(|r| g.rel(r).unwrap())
        .find(|r| r.property("since").is_some())
        .unwrap();
    assert_eq!(
        r.property("xs"),
        Some(&Value::List(vec![
            Value::Int(1),
            Value::Int(2),
            Value::Int(3)
        ]))
    );
}

#[test]
fn each_malformed_input_names_file_and_line() {
    let cases: &[(&str, &str, &str, usize)] = &[
        (
            ":ID,name\na,x\nb,y,extra\n",
            "",
            "row has 3 fields, but the header has 2",
            3,
        ),
        (
            ":ID,year:int\na,19x5\n",
            "",
            "column `year`: `19x5` is not an integer",
            2,
        ),
        (":ID,ok:boolean\na,yes\n", "", "not a boolean", 2),
        (
            ":ID,:LABEL\na,Bad Label\n",
            "",
            "invalid label `Bad Label`",
            2,
        ),
        (":ID\na\na\n", "", "duplicate node id `a`", 3),
        (":ID\n1\n2\n1\n", "", "duplicate node id `1`", 4),
        (
            ":ID\n1\n2\n",
            ":START_ID,:END_ID,:TYPE\n1,2,R\n01,2,R\n",
            ":START_ID `01` is not the id of any node",
            3,
        ),
        (
            ":ID,born:date\na,2020-01-01\n",
            "",
            "unsupported column type `date`",
            1,
        ),
        (
            ":ID\na\n",
            ":START_ID,:END_ID,:TYPE\na,a,R\na,zz,R\n",
            ":END_ID `zz` is not the id of any node",
            3,
        ),
        (
            ":ID\na\n",
            ":START_ID,:END_ID\na,a\n",
            "needs `:START_ID`, `:END_ID` and `:TYPE`",
            1,
        ),
        (
            ":ID\na\n",
            ":START_ID,:END_ID,:TYPE\na,a,not-a-type\n",
            "invalid relationship type",
            2,
        ),
    ];
    for (nodes, rels, message, line) in cases {
        let dir = tempfile::tempdir().unwrap();
        let n = write(dir.path(), "nodes.csv", nodes);
        let rel_files = if rels.is_empty() {
            vec![]
        } else {
            vec![write(dir.path(), "rels.csv", rels)]
        };
        let e = data_error(io::load_csv(std::slice::from_ref(&n), &rel_files));
        assert!(e.message.contains(message), "{nodes}{rels}: {}", e.message);
        assert_eq!(e.line, Some(*line), "{nodes}{rels}: {e}");
        // Errors in a relationship row point at the relationship file.
        let expected_file = if e.message.contains("_ID") || e.message.contains("relationship type")
        {
            rel_files[0].clone()
        } else {
            n.clone()
        };
        assert_eq!(e.path.as_deref(), Some(expected_file.as_path()));
        assert!(e.hint.is_some(), "{message}: no hint");
    }
}

#[test]
fn a_bad_header_field_is_pointed_at() {
    let dir = tempfile::tempdir().unwrap();
    let n = write(
        dir.path(),
        "nodes.csv",
        ":ID,name,born:date
a,x,2020
",
    );
    let e = data_error(io::load_csv(&[n], &[]));
    assert_eq!((e.line, e.column), (Some(1), Some(10)), "{e}");
}

#[test]
fn a_failed_load_leaves_the_callers_graph_alone() {
    let dir = tempfile::tempdir().unwrap();
    let n = write(dir.path(), "nodes.csv", ":ID\na\n");
    let r = write(dir.path(), "rels.csv", ":START_ID,:END_ID,:TYPE\na,b,R\n");
    let mut current = Graph::new();
    current.add_node(["Kept"], [("name", Value::from("k"))]);
    let before = current.clone();
    if let Ok(g) = io::load_csv(&[n], &[r]) {
        current = g;
    }
    assert!(current.same_content(&before));
}

#[test]
fn files_without_id_columns_are_told_apart_by_name() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "nodes_plain.csv", "name\nx\ny\n");
    let g = io::load_path(dir.path(), None).unwrap();
    assert_eq!(g.node_count(), 2);
    write(dir.path(), "other.csv", "name\nx\n");
    let e = data_error(io::load_path(dir.path(), None));
    assert!(e.message.contains("cannot tell"), "{}", e.message);
}

#[test]
fn exported_directory_loads_back_with_the_same_ids() {
    let mut g = Graph::new();
    let a = g.add_node(
        ["Person", "Scientist"],
        [
            ("name", Value::from("Ada, \"the\" first")),
            ("born", Value::Int(1815)),
            ("tags", Value::List(vec!["x".into(), "y".into()])),
        ],
    );
    let b = g.add_node(
        ["City"],
        [("name", Value::from("London")), ("pop", Value::Float(8.9))],
    );
    let gone = g.add_node(["City"], Vec::<(&str, Value)>::new());
    g.delete_node(gone).unwrap();
    let c = g.add_node(Vec::<&str>::new(), [("flag", Value::Bool(false))]);
    g.add_rel(a, b, "LIVES_IN", [("since", Value::Int(1830))])
        .unwrap();
    g.add_rel(c, c, "SELF", Vec::<(&str, Value)>::new())
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out");
    io::export(
        &g,
        &Subgraph::all(&g),
        Format::Csv,
        &target,
        &ExportOptions::default(),
    )
    .unwrap();
    let back = io::load_path(&target, None).unwrap();
    assert_eq!(
        back.node_ids().collect::<Vec<_>>(),
        g.node_ids().collect::<Vec<_>>()
    );
    for id in g.node_ids() {
        let (x, y) = (g.node(id).unwrap(), back.node(id).unwrap());
        assert_eq!(x.labels(), y.labels());
        assert_eq!(x.properties(), y.properties());
    }
    let rels = |g: &Graph| {
        let mut v: Vec<String> = g
            .rel_ids()
            .map(|r| {
                let r = g.rel(r).unwrap();
                format!(
                    "{} {} {} {:?}",
                    r.start(),
                    r.end(),
                    r.rel_type(),
                    r.properties()
                )
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(rels(&g), rels(&back));
}

#[test]
fn a_single_file_loads_nodes_and_refuses_relationships_alone() {
    let dir = tempfile::tempdir().unwrap();
    let n = write(dir.path(), "people.csv", PEOPLE);
    assert_eq!(io::load_path(&n, None).unwrap().node_count(), 2);
    let r = write(dir.path(), "lives.csv", LIVES);
    let e = data_error(io::load_path(&r, None));
    assert!(e.message.contains("holds relationships"), "{}", e.message);
}
