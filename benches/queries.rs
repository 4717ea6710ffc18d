//! The query classes of the benchmark (bench/queries.json) on generated
//! news graphs, through `Session::execute`, as a user's query runs.
//!
//! Sizes (numbers of relationships) come from `KGQ_BENCH_SIZES`, comma
//! separated; the default, 10000, keeps CI's smoke run short:
//!
//! ```text
//! cargo bench --bench queries
//! KGQ_BENCH_SIZES=100000,1000000 cargo bench --bench queries
//! ```

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use divan::Bencher;
use kgq::Session;
use kgq::generate::{Landmarks, NewsData};

/// The query classes, one place for the benches and bench/side_by_side.py.
const QUERIES: &str = include_str!("../bench/queries.json");

/// Every class in bench/queries.json has a bench function of that name.
const CLASSES: [&str; 8] = [
    "point_lookup",
    "hub_neighbours",
    "two_hop_count",
    "per_label",
    "reach_1_3",
    "shortest_path",
    "co_mentions",
    "name_contains",
];

const SEED: u64 = 42;

/// The allocator of the `kgq` binary (see `src/main.rs`), so that the
/// figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let listed = query_texts();
    let mut names: Vec<&str> = listed.keys().map(String::as_str).collect();
    names.sort_unstable();
    let mut known = CLASSES.to_vec();
    known.sort_unstable();
    assert_eq!(
        names, known,
        "bench/queries.json and benches/queries.rs disagree on the query classes"
    );
    divan::main();
}

/// Sizes to bench, from `KGQ_BENCH_SIZES`.
fn sizes() -> Vec<u64> {
    let text = std::env::var("KGQ_BENCH_SIZES").unwrap_or_else(|_| "10000".to_owned());
    let sizes: Vec<u64> = text
        .split(',')
        .filter_map(|s| s.trim().replace('_', "").parse().ok())
        .collect();
    assert!(
        !sizes.is_empty(),
        "KGQ_BENCH_SIZES={text:?} holds no number; give e.g. 10000,100000"
    );
    sizes
}

/// Query text by class name.
fn query_texts() -> &'static HashMap<String, String> {
    static TEXTS: OnceLock<HashMap<String, String>> = OnceLock::new();
    TEXTS.get_or_init(|| {
        let doc: serde_json::Value =
            serde_json::from_str(QUERIES).expect("bench/queries.json is valid JSON");
        doc["classes"]
            .as_array()
            .expect("bench/queries.json has a `classes` array")
            .iter()
            .map(|c| {
                let field = |k: &str| {
                    c[k].as_str()
                        .unwrap_or_else(|| panic!("a class in bench/queries.json lacks `{k}`"))
                        .to_owned()
                };
                (field("name"), field("query"))
            })
            .collect()
    })
}

/// A session over the graph of one size, built once per process.
struct Fixture {
    session: Mutex<Session>,
    landmarks: Landmarks,
}

fn fixture(size: u64) -> &'static Fixture {
    static FIXTURES: OnceLock<Mutex<HashMap<u64, &'static Fixture>>> = OnceLock::new();
    let mut map = FIXTURES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    map.entry(size).or_insert_with(|| {
        let data = NewsData::generate(size, SEED);
        Box::leak(Box::new(Fixture {
            landmarks: data.landmarks(),
            session: Mutex::new(Session::new(data.to_graph())),
        }))
    })
}

/// Times one execution of a class's query, results included. The result
/// is passed to `black_box`, not checked: bench/side_by_side.py checks
/// answers against the peers.
fn bench_class(bencher: Bencher, size: u64, class: &str) {
    let f = fixture(size);
    let text = f.landmarks.substitute(&query_texts()[class]);
    bencher.bench(|| {
        let mut session = f.session.lock().unwrap_or_else(|e| e.into_inner());
        divan::black_box(session.execute(&text))
    });
}

#[divan::bench(args = sizes())]
fn point_lookup(bencher: Bencher, size: u64) {
    bench_class(bencher, size, "point_lookup");
}

#[divan::bench(args = sizes())]
fn hub_neighbours(bencher: Bencher, size: u64) {
    bench_class(bencher, size, "hub_neighbours");
}

#[divan::bench(args = sizes(), sample_count = 10)]
fn two_hop_count(bencher: Bencher, size: u64) {
    bench_class(bencher, size, "two_hop_count");
}

#[divan::bench(args = sizes())]
fn per_label(bencher: Bencher, size: u64) {
    bench_class(bencher, size, "per_label");
}

#[divan::bench(args = sizes(), sample_count = 10)]
fn reach_1_3(bencher: Bencher, size: u64) {
    bench_class(bencher, size, "reach_1_3");
}

#[divan::bench(args = sizes(), sample_count = 10)]
fn shortest_path(bencher: Bencher, size: u64) {
    bench_class(bencher, size, "shortest_path");
}

#[divan::bench(args = sizes(), sample_count = 10)]
fn co_mentions(bencher: Bencher, size: u64) {
    bench_class(bencher, size, "co_mentions");
}

#[divan::bench(args = sizes())]
fn name_contains(bencher: Bencher, size: u64) {
    bench_class(bencher, size, "name_contains");
}
