//! Start-up: what stands between `kgq` and its first answer on the bundled
//! article graph — building the graph, opening a session, the first query.
//! (The REPL's own set-up, history and terminal, is measured by hand:
//! see BENCHMARKS.md.)

use divan::Bencher;
use kgq::Session;

fn main() {
    divan::main();
}

/// The bundled article graph from its embedded JSON.
#[divan::bench]
fn article_graph() -> kgq::Graph {
    kgq::io::article_graph()
}

/// A session over the article graph, ready for a query.
#[divan::bench]
fn session_ready() -> Session {
    Session::new(kgq::io::article_graph())
}

/// Graph, session and a first query answered, as `kgq -c` does.
#[divan::bench]
fn first_query() -> usize {
    let mut session = Session::new(kgq::io::article_graph());
    let result =
        session.execute("MATCH (p)-[r]->(q) RETURN type(r) AS type, count(*) AS n ORDER BY n DESC");
    divan::black_box(result).map_or(0, |r| r.rows.len())
}

/// A query on an article session already open (what the REPL user waits for).
#[divan::bench]
fn query_on_open_session(bencher: Bencher) {
    let mut session = Session::new(kgq::io::article_graph());
    bencher.bench_local(|| {
        divan::black_box(session.execute(
            "MATCH (p:Person)-[r]-(x) RETURN p.name, count(r) AS n ORDER BY n DESC LIMIT 5",
        ))
    });
}
