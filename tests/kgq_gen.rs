//! `kgq-gen` writes a neo4j-admin directory that kgq loads back into the
//! graph the generator built in memory, and a params.json naming it.

use assert_cmd::Command;
use kgq::generate::NewsData;
use kgq::graph::Direction;

#[test]
fn generated_directory_loads_into_the_same_graph() {
    let dir = tempfile::tempdir().expect("temp dir");
    Command::cargo_bin("kgq-gen")
        .expect("binary built")
        .args(["--rels", "3000", "--seed", "7", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    let loaded = kgq::io::load_path(dir.path(), None).expect("the directory loads");
    let data = NewsData::generate(3_000, 7);
    let built = data.to_graph();
    assert_eq!(loaded.node_count(), built.node_count());
    assert_eq!(loaded.rel_count(), built.rel_count());
    assert_eq!(loaded.labels(), built.labels());
    assert_eq!(loaded.rel_types(), built.rel_types());

    let marks = data.landmarks();
    for graph in [&loaded, &built] {
        let hub = graph
            .find_nodes("Person", "name", &marks.hub.as_str().into())
            .expect("name is indexed");
        assert_eq!(hub.len(), 1);
    }
    let node = |g: &kgq::Graph, name: &str| {
        let id = g
            .find_nodes("Person", "name", &name.into())
            .expect("indexed")[0];
        let n = g.node(id).expect("exists");
        let props: Vec<(String, kgq::Value)> = n
            .properties()
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.clone()))
            .collect();
        (props, g.degree(id, Direction::Both))
    };
    assert_eq!(node(&loaded, &marks.hub), node(&built, &marks.hub));
    assert_eq!(node(&loaded, &marks.from), node(&built, &marks.from));

    let params: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("params.json")).expect("params.json written"),
    )
    .expect("valid JSON");
    assert_eq!(params["landmarks"]["hub"], marks.hub.as_str());
    assert_eq!(params["rels"], 3000);
}

#[test]
fn unwritable_output_is_reported_not_panicked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("a-file");
    std::fs::write(&file, "x").expect("written");
    Command::cargo_bin("kgq-gen")
        .expect("binary built")
        .args(["--rels", "10", "--out"])
        .arg(file.join("sub"))
        .assert()
        .failure()
        .stderr(predicates::str::contains("cannot write to"));
}
