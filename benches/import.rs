//! Import: loading the generated neo4j-admin CSV directory with
//! `kgq::io::load_path`, as `kgq --data DIR` does, and building the same
//! graph straight from generated rows (the store's share of the cost).
//!
//! Sizes come from `KGQ_BENCH_SIZES` (default 10000):
//!
//! ```text
//! KGQ_BENCH_SIZES=1000000 cargo bench --bench import
//! ```

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use divan::Bencher;
use kgq::generate::NewsData;

const SEED: u64 = 42;

/// The allocator of the `kgq` binary (see `src/main.rs`), so that the
/// figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

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

/// The directory with the CSVs of one size, written once per process into
/// the system's temporary directory under a fixed name, so that repeated
/// runs reuse one directory per size instead of leaving new ones behind.
fn csv_dir(size: u64) -> PathBuf {
    static DIRS: OnceLock<Mutex<HashMap<u64, PathBuf>>> = OnceLock::new();
    let mut map = DIRS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    map.entry(size)
        .or_insert_with(|| {
            let dir = std::env::temp_dir().join(format!("kgq-bench-import-{size}-{SEED}"));
            NewsData::generate(size, SEED)
                .write_csv(&dir)
                .expect("generated CSVs written");
            dir
        })
        .clone()
}

fn load(dir: &Path) -> Result<kgq::Graph, kgq::Error> {
    kgq::io::load_path(dir, None)
}

/// `kgq --data DIR` on a neo4j-admin directory.
#[divan::bench(args = sizes(), sample_count = 10)]
fn load_csv_dir(bencher: Bencher, size: u64) {
    let dir = csv_dir(size);
    bencher.bench(|| divan::black_box(load(&dir)));
}

/// Graph built from generated rows: the store's part of an import.
#[divan::bench(args = sizes(), sample_count = 10)]
fn build_from_rows(bencher: Bencher, size: u64) {
    let data = NewsData::generate(size, SEED);
    bencher.bench(|| divan::black_box(data.to_graph()));
}
