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

/// Every node's name in scan order (label blocks in order, rows in order).
fn names_in_scan_order() -> Vec<Value> {
    DATA.nodes
        .iter()
        .flat_map(|b| b.rows.iter().map(|r| r[0].clone()))
        .collect()
}

/// The distinct values of `keys` in first-appearance order, each with how
/// often it appears.
fn first_appearance_counts(keys: &[Value]) -> Vec<(Value, i64)> {
    let mut index: std::collections::HashMap<String, usize> = Default::default();
    let mut out: Vec<(Value, i64)> = Vec::new();
    for k in keys {
        let id = format!("{k:?}");
        match index.get(&id) {
            Some(&i) => out[i].1 += 1,
            None => {
                index.insert(id, out.len());
                out.push((k.clone(), 1));
            }
        }
    }
    out
}

#[test]
fn many_groups_split_over_partitions_keep_first_appearance_order() {
    // Tens of thousands of groups, spread over every hash partition: the
    // answer is in the order the scan first meets each name.
    let names = names_in_scan_order();
    let expected: Vec<Vec<Value>> = first_appearance_counts(&names)
        .into_iter()
        .map(|(n, c)| vec![n, Value::Int(c)])
        .collect();
    assert!(expected.len() > 10_000, "{} groups", expected.len());
    assert_eq!(
        run("MATCH (n) RETURN n.name AS name, count(*) AS c"),
        expected
    );
}

#[test]
fn collect_over_many_groups_keeps_scan_order_within_each_group() {
    // Grouped by the last character of the name: each list is in scan
    // order even though its rows came from several chunks.
    let names = names_in_scan_order();
    let last = |v: &Value| match v {
        Value::String(s) => Value::from(s.chars().last().map(String::from).unwrap_or_default()),
        other => panic!("name {other:?}"),
    };
    let keys: Vec<Value> = names.iter().map(last).collect();
    let expected: Vec<Vec<Value>> = first_appearance_counts(&keys)
        .into_iter()
        .map(|(k, _)| {
            let list: Vec<Value> = names.iter().filter(|n| last(n) == k).cloned().collect();
            vec![k, Value::List(list)]
        })
        .collect();
    assert_eq!(
        run("MATCH (n) RETURN right(n.name, 1) AS tail, collect(n.name) AS names"),
        expected
    );
}

#[test]
fn order_by_limit_with_many_ties_breaks_them_by_first_appearance() {
    // Most names are unique, so most counts tie: the first rows of each
    // count come in the order the scan first met them.
    let mut groups = first_appearance_counts(&names_in_scan_order());
    groups.sort_by_key(|(_, c)| *c); // stable: ties keep first appearance
    let expected: Vec<Vec<Value>> = groups
        .iter()
        .skip(5)
        .take(40)
        .map(|(n, c)| vec![n.clone(), Value::Int(*c)])
        .collect();
    assert_eq!(
        run("MATCH (n) RETURN n.name AS name, count(*) AS c ORDER BY c SKIP 5 LIMIT 40"),
        expected
    );
    // Descending, where the few repeated names come first.
    groups.sort_by_key(|(_, c)| std::cmp::Reverse(*c));
    let expected: Vec<Vec<Value>> = groups
        .iter()
        .take(25)
        .map(|(n, c)| vec![n.clone(), Value::Int(*c)])
        .collect();
    assert_eq!(
        run("MATCH (n) RETURN n.name AS name, count(*) AS c ORDER BY c DESC LIMIT 25"),
        expected
    );
}

#[test]
fn a_distinct_aggregate_runs_on_one_thread_and_counts_right() {
    let rows = run("MATCH (n) RETURN labels(n)[0] AS label, count(DISTINCT n.name) AS names");
    let expected: Vec<Vec<Value>> = DATA
        .nodes
        .iter()
        .map(|b| {
            let names: std::collections::HashSet<String> =
                b.rows.iter().map(|r| format!("{:?}", r[0])).collect();
            vec![Value::from(b.label), Value::Int(names.len() as i64)]
        })
        .collect();
    assert_eq!(rows, expected);
}

#[test]
fn a_grouped_error_from_a_late_chunk_is_reported() {
    // Only the last label block (in the last chunk) averages strings.
    let last = DATA.nodes.last().expect("blocks").label;
    let mut session = Session::new(DATA.to_graph());
    let err = session
        .execute(&format!(
            "MATCH (n) RETURN n.name AS name, \
             avg(CASE WHEN n:{last} THEN n.name ELSE 1 END) AS nonsense"
        ))
        .expect_err("avg of strings must fail");
    assert!(err.to_string().contains("avg"), "{err}");
}
