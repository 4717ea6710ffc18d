//! Grouping remembers the group of the previous row and compares a new
//! row's key with it before hashing (src/query/exec/project.rs,
//! `Aggregation::group_of`). Rows in runs of one key take that shortcut;
//! the same rows interleaved take the hash table. Both must give the same
//! groups, including keys that are equal across types (1 and 1.0), nulls
//! and lists.

use kgq::graph::Graph;
use kgq::{Session, Value};

fn groups(list: &str) -> Vec<String> {
    let text = format!("UNWIND {list} AS x RETURN x AS key, count(*) AS n, collect(x) AS xs");
    let mut session = Session::new(Graph::new());
    let rows = match session.execute(&text) {
        Ok(result) => result.rows,
        Err(e) => panic!("{text} failed: {e}"),
    };
    let mut out: Vec<String> = rows
        .iter()
        .map(|r| {
            let mut xs = match &r[2] {
                Value::List(xs) => xs.iter().map(|x| format!("{x:?}")).collect::<Vec<_>>(),
                other => panic!("collect gave {other:?}"),
            };
            xs.sort();
            format!("{:?} {:?} {xs:?}", r[0], r[1])
        })
        .collect();
    out.sort();
    out
}

#[test]
fn runs_and_interleaved_rows_give_the_same_groups() {
    let runs = "[1, 1, 1.0, 1, 'a', 'a', 'a', null, null, [1], [1], [1.0], 2, 2, 'b', 1]";
    let interleaved = "[1, 'a', null, [1], 2, 1.0, 'a', [1], 'b', 1, null, 2, [1.0], 'a', 1, 1]";
    let a = groups(runs);
    let b = groups(interleaved);
    assert_eq!(a, b);
    // Whatever equality grouping uses, every row lands in some group.
    let total: i64 = a
        .iter()
        .map(|g| {
            let n = g.split(' ').nth(1).unwrap();
            n.trim_start_matches("Int(")
                .trim_end_matches(')')
                .parse::<i64>()
                .unwrap()
        })
        .sum();
    assert_eq!(total, 16);
}
