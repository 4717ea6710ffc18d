//! The benchmark's query classes (bench/queries.json) answer correctly on
//! a generated news graph: each answer is computed a second way, straight
//! from the generator's rows, so a fast wrong answer cannot pass.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::LazyLock;

use kgq::generate::{Landmarks, NewsData};
use kgq::{Session, Value};

const QUERIES: &str = include_str!("../bench/queries.json");

struct Fixture {
    data: NewsData,
    marks: Landmarks,
    /// Undirected adjacency by global id, one entry per relationship end.
    adj: Vec<Vec<u64>>,
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    let data = NewsData::generate(4_000, 42);
    let marks = data.landmarks();
    let mut adj = vec![Vec::new(); data.node_count() as usize];
    for row in data.rels.iter().flat_map(|b| &b.rows) {
        adj[row.start as usize].push(row.end);
        adj[row.end as usize].push(row.start);
    }
    Fixture { data, marks, adj }
});

fn query(class: &str) -> String {
    let doc: serde_json::Value = serde_json::from_str(QUERIES).expect("valid JSON");
    let text = doc["classes"]
        .as_array()
        .expect("classes")
        .iter()
        .find(|c| c["name"] == class)
        .and_then(|c| c["query"].as_str())
        .unwrap_or_else(|| panic!("no class {class}"));
    FIXTURE.marks.substitute(text)
}

fn run(class: &str) -> Vec<Vec<Value>> {
    let mut session = Session::new(FIXTURE.data.to_graph());
    let text = query(class);
    match session.execute(&text) {
        Ok(result) => result.rows,
        Err(e) => panic!("{class} failed: {e}\n{text}"),
    }
}

fn id_of(name: &str) -> u64 {
    let block = &FIXTURE.data.nodes[0];
    let i = block
        .rows
        .iter()
        .position(|r| r[0] == Value::from(name))
        .unwrap_or_else(|| panic!("no person {name}"));
    block.first_id + i as u64
}

fn prop(id: u64, key: &str) -> Value {
    let (block, i) = FIXTURE.data.locate(id).expect("node exists");
    let k = block.schema.iter().position(|&(k, _)| k == key);
    k.map_or(Value::Null, |k| block.rows[i][k].clone())
}

fn name_of(id: u64) -> String {
    FIXTURE
        .data
        .name_of(id)
        .expect("node has a name")
        .to_owned()
}

fn distances(from: u64) -> Vec<u32> {
    let adj = &FIXTURE.adj;
    let mut dist = vec![u32::MAX; adj.len()];
    dist[from as usize] = 0;
    let mut queue = VecDeque::from([from as usize]);
    while let Some(v) = queue.pop_front() {
        for &w in &adj[v] {
            if dist[w as usize] == u32::MAX {
                dist[w as usize] = dist[v] + 1;
                queue.push_back(w as usize);
            }
        }
    }
    dist
}

#[test]
fn point_lookup_returns_the_persons_properties() {
    let id = id_of(&FIXTURE.marks.person);
    let expected = vec![vec![
        prop(id, "name"),
        prop(id, "age"),
        prop(id, "score"),
        prop(id, "verified"),
    ]];
    assert_eq!(run("point_lookup"), expected);
}

#[test]
fn hub_neighbours_are_filtered_ordered_and_cut_at_twenty() {
    let hub = id_of(&FIXTURE.marks.hub);
    let mentions = &FIXTURE.data.rels[0];
    let mut rows: Vec<(i64, String, f64)> = mentions
        .rows
        .iter()
        .filter(|r| r.end == hub)
        .filter_map(|r| {
            let words = match prop(r.start, "words") {
                Value::Int(w) => w,
                _ => return None,
            };
            let weight = match r.props[0] {
                Value::Float(w) => w,
                _ => return None,
            };
            let name = name_of(r.start);
            (words > 1000 && weight >= 0.5).then_some((words, name, weight))
        })
        .collect();
    rows.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    rows.truncate(20);
    assert!(!rows.is_empty(), "the hub should have qualifying articles");
    let expected: Vec<Vec<Value>> = rows
        .into_iter()
        .map(|(w, n, m)| vec![Value::from(n), Value::Int(w), Value::Float(m)])
        .collect();
    assert_eq!(run("hub_neighbours"), expected);
}

#[test]
fn two_hop_count_counts_pairs_of_distinct_relationships() {
    let hub = id_of(&FIXTURE.marks.hub);
    // Each relationship (hub, m) continues over every other relationship of m.
    let expected: usize = FIXTURE.adj[hub as usize]
        .iter()
        .map(|&m| FIXTURE.adj[m as usize].len() - 1)
        .sum();
    assert_eq!(
        run("two_hop_count"),
        vec![vec![Value::Int(expected as i64)]]
    );
}

#[test]
fn per_label_counts_and_averages_every_label() {
    let mut expected: BTreeMap<&str, (i64, f64)> = BTreeMap::new();
    for block in &FIXTURE.data.nodes {
        let sum: f64 = block
            .rows
            .iter()
            .map(|r| match r[2] {
                Value::Float(f) => f,
                _ => 0.0,
            })
            .sum();
        let n = block.rows.len();
        expected.insert(block.label, (n as i64, sum / n as f64));
    }
    let rows = run("per_label");
    assert_eq!(rows.len(), expected.len());
    for (row, (label, (n, avg))) in rows.iter().zip(&expected) {
        assert_eq!(row[0], Value::from(*label));
        assert_eq!(row[1], Value::Int(*n));
        match row[2] {
            Value::Float(f) => assert!((f - avg).abs() < 1e-9, "{label}: {f} vs {avg}"),
            ref other => panic!("{label}: average {other:?}"),
        }
    }
}

#[test]
fn reach_counts_nodes_within_three_hops() {
    let from = id_of(&FIXTURE.marks.person);
    // A node at distance d <= 3 is reached by a shortest path, which never
    // repeats a relationship.
    let expected = distances(from)
        .iter()
        .filter(|&&d| (1..=3).contains(&d))
        .count();
    assert_eq!(run("reach_1_3"), vec![vec![Value::Int(expected as i64)]]);
}

#[test]
fn shortest_path_has_the_breadth_first_length() {
    let dist = distances(id_of(&FIXTURE.marks.from));
    let to = id_of(&FIXTURE.marks.to);
    assert_eq!(dist[to as usize], FIXTURE.marks.hops);
    assert_eq!(
        run("shortest_path"),
        vec![vec![Value::Int(i64::from(FIXTURE.marks.hops))]]
    );
}

#[test]
fn co_mentions_are_the_most_frequent_pairs() {
    let persons = &FIXTURE.data.nodes[0];
    let is_person =
        |id: u64| id >= persons.first_id && id < persons.first_id + persons.rows.len() as u64;
    let mut by_article: HashMap<u64, Vec<String>> = HashMap::new();
    for r in &FIXTURE.data.rels[0].rows {
        if is_person(r.end) {
            by_article.entry(r.start).or_default().push(name_of(r.end));
        }
    }
    let mut pairs: HashMap<(String, String), i64> = HashMap::new();
    for names in by_article.values() {
        for a in names {
            for b in names {
                if a < b {
                    *pairs.entry((a.clone(), b.clone())).or_default() += 1;
                }
            }
        }
    }
    let mut top: Vec<((String, String), i64)> = pairs.into_iter().collect();
    top.sort_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
    top.truncate(10);
    let expected: Vec<Vec<Value>> = top
        .into_iter()
        .map(|((a, b), n)| vec![Value::from(a), Value::from(b), Value::Int(n)])
        .collect();
    assert_eq!(run("co_mentions"), expected);
}

#[test]
fn name_contains_counts_matching_names_of_every_label() {
    let expected = FIXTURE
        .data
        .nodes
        .iter()
        .flat_map(|b| &b.rows)
        .filter(|r| matches!(&r[0], Value::String(s) if s.contains("ova")))
        .count();
    assert!(expected > 0);
    assert_eq!(
        run("name_contains"),
        vec![vec![Value::Int(expected as i64)]]
    );
}

#[test]
fn every_query_class_is_covered_here() {
    let doc: serde_json::Value = serde_json::from_str(QUERIES).expect("valid JSON");
    let names: HashSet<&str> = doc["classes"]
        .as_array()
        .expect("classes")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    let covered: HashSet<&str> = [
        "point_lookup",
        "hub_neighbours",
        "two_hop_count",
        "per_label",
        "reach_1_3",
        "shortest_path",
        "co_mentions",
        "name_contains",
    ]
    .into();
    assert_eq!(names, covered);
}
