//! Scans large enough to be split over threads (src/query/exec/parallel.rs)
//! give what one thread would: the same groups in the same order, the same
//! `collect()` order, the same counts and the same errors. Each answer is
//! computed a second way, straight from the generator's rows.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use kgq::generate::NewsData;
use kgq::query::exec::parallel::MIN_PARALLEL_SCAN;
use kgq::{Session, Value};

/// 25,500 nodes: more than one parallel chunk's worth.
static DATA: LazyLock<NewsData> = LazyLock::new(|| NewsData::generate(100_000, 7));

fn run(text: &str) -> Vec<Vec<Value>> {
    let mut session = Session::new(DATA.to_graph());
    match session.execute(text) {
        Ok(result) => result.rows,
        Err(e) => panic!("{text} failed: {e}"),
    }
}

fn column(block: &kgq::generate::NodeBlock, key: &str) -> usize {
    block
        .schema
        .iter()
        .position(|&(k, _)| k == key)
        .unwrap_or_else(|| panic!("{} has no {key}", block.label))
}

#[test]
fn the_scan_is_large_enough_to_be_split() {
    let nodes: usize = DATA.nodes.iter().map(|b| b.rows.len()).sum();
    assert!(nodes >= MIN_PARALLEL_SCAN, "{nodes} nodes");
}

#[test]
fn groups_keep_first_appearance_order_and_collect_keeps_scan_order() {
    // No ORDER BY: groups come out in the order the scan first meets
    // them, which is label block order (ids are contiguous per label).
    let rows = run(
        "MATCH (n) RETURN labels(n)[0] AS label, count(*) AS nodes, \
         min(n.score) AS low, max(n.score) AS high, collect(n.name) AS names",
    );
    assert_eq!(rows.len(), DATA.nodes.len());
    for (row, block) in rows.iter().zip(&DATA.nodes) {
        let score = column(block, "score");
        let scores: Vec<f64> = block
            .rows
            .iter()
            .filter_map(|r| match r[score] {
                Value::Float(f) => Some(f),
                _ => None,
            })
            .collect();
        let low = scores.iter().copied().fold(f64::INFINITY, f64::min);
        let high = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let names: Vec<Value> = block.rows.iter().map(|r| r[0].clone()).collect();
        assert_eq!(row[0], Value::from(block.label));
        assert_eq!(row[1], Value::Int(block.rows.len() as i64));
        assert_eq!(row[2], Value::Float(low), "{}", block.label);
        assert_eq!(row[3], Value::Float(high), "{}", block.label);
        assert_eq!(row[4], Value::List(names), "{}", block.label);
    }
}

#[test]
fn a_filtered_count_over_all_nodes_counts_every_match() {
    let expected = DATA
        .nodes
        .iter()
        .flat_map(|b| &b.rows)
        .filter(|r| matches!(&r[0], Value::String(s) if s.contains("an")))
        .count();
    let rows = run("MATCH (n) WHERE n.name CONTAINS 'an' RETURN count(*) AS hits");
    assert_eq!(rows, vec![vec![Value::Int(expected as i64)]]);
}

#[test]
fn counting_expansions_from_a_split_scan_counts_each_relationship_once() {
    let rels: usize = DATA.rels.iter().map(|b| b.rows.len()).sum();
    assert_eq!(
        run("MATCH (n)-[r]->(m) RETURN count(*) AS rels"),
        vec![vec![Value::Int(rels as i64)]]
    );
    // Grouped by type, with a per-group average of a relationship property.
    let mut expected: BTreeMap<&str, i64> = BTreeMap::new();
    for b in &DATA.rels {
        *expected.entry(b.rel_type).or_default() += b.rows.len() as i64;
    }
    let rows = run("MATCH (n)-[r]->() RETURN type(r) AS t, count(r) AS c ORDER BY t");
    let got: BTreeMap<String, i64> = rows
        .iter()
        .map(|r| match (&r[0], &r[1]) {
            (Value::String(t), Value::Int(c)) => (t.clone(), *c),
            other => panic!("unexpected row {other:?}"),
        })
        .collect();
    let expected: BTreeMap<String, i64> = expected
        .into_iter()
        .map(|(t, c)| (t.to_owned(), c))
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn an_error_in_any_chunk_is_reported() {
    let mut session = Session::new(DATA.to_graph());
    let err = session
        .execute("MATCH (n) RETURN avg(n.name) AS nonsense")
        .expect_err("avg of strings must fail");
    assert!(err.to_string().contains("avg"), "{err}");
    // The session is still usable afterwards.
    let rows = session
        .execute("MATCH (n:Person) RETURN count(*) AS c")
        .expect("count")
        .rows;
    assert_eq!(
        rows,
        vec![vec![Value::Int(DATA.nodes[0].rows.len() as i64)]]
    );
}
