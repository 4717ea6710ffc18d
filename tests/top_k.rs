//! `ORDER BY ... LIMIT k` keeps the first `k` rows while they stream by
//! (src/query/exec/topk.rs), and skips projecting a row or building a
//! group whose first key already loses (`TopK::hopeless`). Every `LIMIT`
//! must give the first rows of the full sort, ties included, whatever the
//! first key reads: an item, a variable, an aggregate, an expression.

use std::sync::LazyLock;

use kgq::generate::NewsData;
use kgq::{Session, Value};

static DATA: LazyLock<NewsData> = LazyLock::new(|| NewsData::generate(20_000, 3));

fn run(s: &mut Session, text: &str) -> Vec<Vec<Value>> {
    match s.execute(text) {
        Ok(result) => result.rows,
        Err(e) => panic!("{text} failed: {e}"),
    }
}

/// `query` (ending in ORDER BY) with each LIMIT in `limits` (and SKIP 3)
/// gives the corresponding rows of the query without LIMIT.
fn prefixes(s: &mut Session, query: &str, limits: &[usize]) {
    let all = run(s, query);
    assert!(all.len() > 50, "{} rows: {query}", all.len());
    for &k in limits {
        let top = run(s, &format!("{query} LIMIT {k}"));
        assert_eq!(top, all[..k.min(all.len())].to_vec(), "LIMIT {k}: {query}");
        let skipped = run(s, &format!("{query} SKIP 3 LIMIT {k}"));
        let end = (k + 3).min(all.len());
        assert_eq!(
            skipped,
            all[3.min(end)..end].to_vec(),
            "SKIP 3 LIMIT {k}: {query}"
        );
    }
}

#[test]
fn streamed_rows_match_the_full_sort() {
    let mut s = Session::new(DATA.to_graph());
    let limits = [0, 1, 5, 20, 100];
    // The first key an item, with many ties (words repeat).
    prefixes(
        &mut s,
        "MATCH (a:Article)-[m:MENTIONS]->(p:Person) \
         RETURN a.name AS article, a.words % 7 AS bucket, m.weight AS w \
         ORDER BY bucket DESC, article, w",
        &limits,
    );
    // The first key an expression of a variable, not an item.
    prefixes(
        &mut s,
        "MATCH (a:Article)-[m:MENTIONS]->(p:Person) \
         RETURN a.name AS article, m.weight AS w ORDER BY p.age, article, w",
        &limits,
    );
    // An item that shadows a variable the next item reads.
    prefixes(
        &mut s,
        "MATCH (a:Article)-[m:MENTIONS]->(p:Person) \
         RETURN p.age AS a, a.name AS name, m.weight AS w ORDER BY a DESC, name, w",
        &limits,
    );
}

#[test]
fn groups_match_the_full_sort() {
    let mut s = Session::new(DATA.to_graph());
    let limits = [0, 1, 7, 30];
    prefixes(
        &mut s,
        "MATCH (a:Article)-[:MENTIONS]->(p:Person) \
         RETURN p.name AS name, count(*) AS n ORDER BY n DESC, name",
        &limits,
    );
    prefixes(
        &mut s,
        "MATCH (a:Article)-[:MENTIONS]->(p:Person) \
         RETURN p.age AS age, count(*) * 2 + 1 AS n, max(a.words) AS most \
         ORDER BY n DESC, age",
        &limits,
    );
    prefixes(
        &mut s,
        "MATCH (a:Article)-[:MENTIONS]->(p:Person) \
         RETURN p.name AS name, avg(a.words) AS words ORDER BY -words, name",
        &limits,
    );
}
