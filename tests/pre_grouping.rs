//! Grouping by element first (src/query/exec/pregroup.rs) gives the groups
//! that grouping by the keys' values gives: the same rows in the same
//! order, whether the elements' keys are distinct (the pre-groups are the
//! groups) or not (they are folded), in label sets and types, when a row
//! holds no element half-way, and over a scan split across threads. Each
//! query is compared with the same query whose keys are written so that
//! the pre-grouping does not take them (`p.name + ''` is not a plain
//! property read), and `ORDER BY ... LIMIT` with the first rows of the
//! full sort.

use std::sync::LazyLock;

use kgq::generate::NewsData;
use kgq::graph::Graph;
use kgq::query::exec::parallel::MIN_PARALLEL_SCAN;
use kgq::{Session, Value};

fn run(session: &mut Session, text: &str) -> Vec<Vec<Value>> {
    match session.execute(text) {
        Ok(result) => result.rows,
        Err(e) => panic!("{text} failed: {e}"),
    }
}

/// A session on a small graph: two persons share a name, nodes with
/// overlapping label sets, relationships of three types.
fn small() -> Session {
    let mut s = Session::new(Graph::new());
    run(
        &mut s,
        "CREATE (ann1:Person {name: 'Ann', score: 1.5}), (ann2:Person {name: 'Ann', score: 4.0}), \
         (bob:Person {name: 'Bob', score: 2.0}), (cy:Person {score: 3.0}), \
         (a1:Article {name: 'a1', words: 100}), (a2:Article {name: 'a2', words: 900}), \
         (a3:Article {name: 'a3', words: 500}), \
         (x:A:B {name: 'x'}), (y:A:C {name: 'y'}), (z:A {name: 'z'}), (w {name: 'w'}), \
         (a1)-[:MENTIONS {weight: 0.5}]->(ann1), (a1)-[:MENTIONS {weight: 0.1}]->(bob), \
         (a2)-[:MENTIONS {weight: 0.7}]->(ann2), (a2)-[:MENTIONS {weight: 0.2}]->(bob), \
         (a2)-[:MENTIONS {weight: 0.9}]->(cy), (a3)-[:MENTIONS {weight: 0.3}]->(ann1), \
         (a3)-[:MENTIONS {weight: 0.6}]->(ann2), (ann1)-[:MET_WITH]->(bob), \
         (bob)-[:MET_WITH]->(ann2), (cy)-[:WORKS_FOR]->(x)",
    );
    s
}

/// `query` with `{k}` replaced by `plain` and by `defeated` gives the
/// same rows in the same order; returns them.
fn same_both_ways(
    s: &mut Session,
    query: &str,
    plain: &[&str],
    defeated: &[&str],
) -> Vec<Vec<Value>> {
    let fill = |keys: &[&str]| {
        let mut q = query.to_owned();
        for (i, k) in keys.iter().enumerate() {
            q = q.replace(&format!("{{{i}}}"), k);
        }
        q
    };
    let a = run(s, &fill(plain));
    let b = run(s, &fill(defeated));
    assert!(
        a.len() == b.len()
            && a.iter().zip(&b).all(|(x, y)| {
                x.len() == y.len() && x.iter().zip(y).all(|(u, v)| same_value(u, v))
            }),
        "{}\n{a:?}\n{b:?}",
        fill(plain)
    );
    a
}

/// Equal, except that floats may differ in their last bits: a scan split
/// over threads sums an average's values in another order when it is cut
/// into other chunks (aggregate::mergeable).
fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Float(x), Value::Float(y)) => (x - y).abs() <= 1e-9 * x.abs().max(y.abs()),
        _ => a == b,
    }
}

#[test]
fn two_nodes_with_one_name_are_one_group() {
    let mut s = small();
    let rows = same_both_ways(
        &mut s,
        "MATCH (a:Article)-[m:MENTIONS]->(p:Person) \
         RETURN {0} AS name, count(*) AS n, avg(m.weight) AS w, avg(a.words) AS words",
        &["p.name"],
        &["p.name + ''"],
    );
    let ann = rows
        .iter()
        .find(|r| r[0] == Value::from("Ann"))
        .expect("a group for Ann");
    assert_eq!(ann[1], Value::Int(4));
    // a1 (100 words) and a3 (500) mention one Ann, a2 (900) and a3 the
    // other: (100 + 900 + 500 + 500) / 4.
    assert_eq!(ann[3], Value::Float(500.0));
    // Ann, Bob and the person without a name.
    assert_eq!(rows.len(), 3);
}

#[test]
fn pairs_of_elements_group_by_both_keys() {
    let mut s = small();
    let rows = same_both_ways(
        &mut s,
        "MATCH (p1:Person)<-[m1:MENTIONS]-(a:Article)-[m2:MENTIONS]->(p2:Person) \
         WHERE p1.name < p2.name RETURN {0} AS first, {1} AS second, count(*) AS articles",
        &["p1.name", "p2.name"],
        &["p1.name + ''", "p2.name + ''"],
    );
    // Ann-Bob is counted for a1 and a2: two different Anns, one group.
    assert!(rows.contains(&vec![Value::from("Ann"), Value::from("Bob"), Value::Int(2)]));
}

#[test]
fn pairs_keyed_by_different_properties_are_checked_apart() {
    let mut s = small();
    // `p1.name` and `p2.score`: two functions, one check each; Ann's two
    // nodes share a name but not a score.
    same_both_ways(
        &mut s,
        "MATCH (p1:Person)<-[:MENTIONS]-(a:Article)-[:MENTIONS]->(p2:Person) \
         WHERE p1 <> p2 RETURN {0} AS name, {1} AS score, count(*) AS articles",
        &["p1.name", "p2.score"],
        &["p1.name + ''", "p2.score + 0"],
    );
    // One function on both sides, elements shared between them.
    same_both_ways(
        &mut s,
        "MATCH (p1:Person)-[:MET_WITH]-(p2:Person) RETURN {0} AS a, {1} AS b, count(*) AS n",
        &["p1.name", "p2.name"],
        &["p1.name + ''", "p2.name + ''"],
    );
}

#[test]
fn label_sets_that_share_a_first_label_share_its_group() {
    let mut s = small();
    let rows = same_both_ways(
        &mut s,
        "MATCH (n) RETURN {0} AS label, count(*) AS n, count(n.name) AS named",
        &["labels(n)[0]"],
        &["labels(n)[0] + ''"],
    );
    // x:A:B, y:A:C and z:A, all named.
    assert!(rows.contains(&vec![Value::from("A"), Value::Int(3), Value::Int(3)]));
    same_both_ways(
        &mut s,
        "MATCH (n) RETURN {0} AS labels, count(*) AS n",
        &["labels(n)"],
        &["labels(n) + []"],
    );
    same_both_ways(
        &mut s,
        "MATCH (n) RETURN {0} AS label, {1} AS name, count(*) AS n",
        &["labels(n)[0]", "n.name"],
        &["labels(n)[0] + ''", "n.name + ''"],
    );
}

#[test]
fn relationship_types_group_by_type() {
    let mut s = small();
    let rows = same_both_ways(
        &mut s,
        "MATCH ()-[r]->() RETURN {0} AS type, count(*) AS n, avg(r.weight) AS w",
        &["type(r)"],
        &["type(r) + ''"],
    );
    // The seven mentions' weights: 0.5 + 0.1 + 0.7 + 0.2 + 0.9 + 0.3 + 0.6.
    let mentions = rows
        .iter()
        .find(|r| r[0] == Value::from("MENTIONS"))
        .expect("a group for MENTIONS");
    assert_eq!(mentions[1], Value::Int(7));
    match mentions[2] {
        Value::Float(w) => assert!((w - 3.3 / 7.0).abs() < 1e-12, "{w}"),
        ref other => panic!("avg weight {other:?}"),
    }
}

#[test]
fn a_row_without_an_element_ends_the_pre_grouping() {
    let mut s = small();
    // Articles first (ascending words; the others' null words sort
    // last), each with the persons it mentions, then a null for each node
    // that mentions nobody.
    same_both_ways(
        &mut s,
        "MATCH (a) WITH a ORDER BY a.words OPTIONAL MATCH (a)-[:MENTIONS]->(p:Person) \
         RETURN {0} AS name, count(*) AS n, count(p) AS persons",
        &["p.name"],
        &["p.name + ''"],
    );
    same_both_ways(
        &mut s,
        "UNWIND [1, 2] AS i MATCH (p:Person) WITH CASE WHEN i = 1 THEN p ELSE 'text' END AS x \
         RETURN {0} AS x, count(*) AS n",
        &["x"],
        &["coalesce(x)"],
    );
}

#[test]
fn top_rows_by_count_match_the_full_sort() {
    let mut s = small();
    let q = "MATCH (a:Article)-[m:MENTIONS]->(p:Person) \
             RETURN p.name AS name, a.name AS article, count(*) AS n ORDER BY n DESC, name, article";
    let all = run(&mut s, q);
    for k in 0..=all.len() {
        let top = run(&mut s, &format!("{q} LIMIT {k}"));
        assert_eq!(top, all[..k].to_vec(), "LIMIT {k}");
    }
}

/// 25,500 nodes: a scan over all of them is split over threads.
static DATA: LazyLock<NewsData> = LazyLock::new(|| NewsData::generate(100_000, 11));

#[test]
fn split_scans_give_the_groups_of_one_thread() {
    let nodes: usize = DATA.nodes.iter().map(|b| b.rows.len()).sum();
    assert!(nodes >= MIN_PARALLEL_SCAN, "{nodes} nodes");
    let mut s = Session::new(DATA.to_graph());
    // Many quotes with one of seven names: most pre-groups fold.
    run(
        &mut s,
        "MATCH (q:Quote) SET q.name = 'q' + toString(id(q) % 7)",
    );
    same_both_ways(
        &mut s,
        "MATCH (n) RETURN {0} AS name, count(*) AS n, avg(n.score) AS mean",
        &["n.name"],
        &["n.name + ''"],
    );
    same_both_ways(
        &mut s,
        "MATCH (n) RETURN {0} AS label, count(*) AS n, avg(n.score) AS score",
        &["labels(n)[0]"],
        &["labels(n)[0] + ''"],
    );
    // Only counts: each row's count is applied one row late, across the
    // split and the folding.
    same_both_ways(
        &mut s,
        "MATCH (n) RETURN {0} AS name, count(*) AS n, count(*) AS again",
        &["n.name"],
        &["n.name + ''"],
    );
    let q = "MATCH (n) RETURN n.name AS name, count(*) AS n ORDER BY n DESC, name";
    let all = run(&mut s, q);
    assert_eq!(run(&mut s, &format!("{q} LIMIT 9")), all[..9].to_vec());
}

#[test]
fn co_mentions_on_generated_data_match_grouping_by_value() {
    let mut s = Session::new(DATA.to_graph());
    let q = "MATCH (p1:Person)<-[m1:MENTIONS]-(a:Article)-[m2:MENTIONS]->(p2:Person) \
             WHERE p1.name < p2.name RETURN {0} AS first, {1} AS second, count(*) AS articles \
             ORDER BY articles DESC, first, second";
    let plain = ["p1.name", "p2.name"];
    let defeated = ["p1.name + ''", "p2.name + ''"];
    let all = same_both_ways(&mut s, q, &plain, &defeated);
    assert!(all.len() > 100, "{} pairs", all.len());
    let top = same_both_ways(&mut s, &format!("{q} LIMIT 10"), &plain, &defeated);
    assert_eq!(top, all[..10].to_vec());
    // Give two persons one name: their pairs fold.
    run(
        &mut s,
        "MATCH (p:Person) WITH p ORDER BY p.name LIMIT 2 SET p.name = 'Same Name'",
    );
    let all = same_both_ways(&mut s, q, &plain, &defeated);
    let top = same_both_ways(&mut s, &format!("{q} LIMIT 10"), &plain, &defeated);
    assert_eq!(top, all[..10].to_vec());
}

#[test]
fn min_and_max_keep_the_first_of_equal_values_in_row_order() {
    // `max` of 1.0 and 1 keeps whichever came first; rows of two label
    // sets that share `labels(n)[0]` interleave, so grouping by label set
    // first would change which.
    let mut s = Session::new(Graph::new());
    run(
        &mut s,
        "CREATE (a:Person {name: 'a', score: 0.0}), (b:Person:Extra {name: 'b', score: 1.0}), \
         (c:Person {name: 'c', score: 1}), (d:Person:Extra {name: 'd', score: 0.5}), (x {name: 'x'}), \
         (a)-[:R]->(x), (b)-[:R]->(x), (c)-[:R]->(x), (d)-[:R]->(x)",
    );
    for q in [
        "MATCH (n)-[:R]->() RETURN {0} AS l, max(n.score) AS m, min(n.score + 0) AS z",
        "MATCH (n) WHERE n.score IS NOT NULL RETURN {0} AS l, max(n.score) AS m, collect(n.name) AS c",
    ] {
        let rows = same_both_ways(&mut s, q, &["labels(n)[0]"], &["labels(coalesce(n))[0]"]);
        assert_eq!(rows.len(), 1, "{q}");
        assert_eq!(rows[0][1], Value::Float(1.0), "{q}");
    }
}
