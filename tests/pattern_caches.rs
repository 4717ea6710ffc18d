//! The matcher caches a node's relationships for inner loops, shares them
//! between equivalent hops, checks labels through a bitmap once many nodes
//! are checked, and counts labelled last hops without enumerating them.
//! These tests compare its answers on pseudo-random graphs with counts
//! computed directly from the list of relationships.

use kgq::graph::{NodeId, Value};
use kgq::{Graph, Session};

/// A relationship as (start, end, type).
type Rel = (usize, usize, &'static str);

/// A graph of articles and persons (and some of both labels), with
/// MENTIONS and OTHER relationships, parallel ones and self-loops
/// included; returns it with its relationships as (start, end, type).
fn graph(seed: u64) -> (Graph, Vec<Rel>, Vec<Vec<&'static str>>) {
    let mut x = seed;
    let mut next = move |m: u64| {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 33) % m
    };
    let mut g = Graph::new();
    let mut labels: Vec<Vec<&'static str>> = Vec::new();
    let mut ids: Vec<NodeId> = Vec::new();
    for i in 0..400 {
        let l: Vec<&'static str> = match next(5) {
            0 => vec!["Article", "Person"],
            1 | 2 => vec!["Article"],
            _ => vec!["Person"],
        };
        ids.push(g.add_node(l.iter().copied(), [("name", Value::from(format!("n{i}")))]));
        labels.push(l);
    }
    let mut rels = Vec::new();
    for _ in 0..3000 {
        let (s, e) = (next(400) as usize, next(400) as usize);
        let t = if next(4) == 0 { "OTHER" } else { "MENTIONS" };
        g.add_rel(ids[s], ids[e], t, Vec::<(&str, Value)>::new())
            .unwrap();
        rels.push((s, e, t));
    }
    (g, rels, labels)
}

fn int(s: &mut Session, q: &str) -> i64 {
    let r = s.execute(q).unwrap();
    match r.rows[0][0] {
        Value::Int(n) => n,
        ref other => panic!("{q} gave {other:?}"),
    }
}

#[test]
fn co_mention_pairs_match_a_direct_count() {
    for seed in 1..4 {
        let (g, rels, labels) = graph(seed);
        let has = |n: usize, l: &str| labels[n].contains(&l);
        // (p1)<-[m1:MENTIONS]-(a:Article)-[m2:MENTIONS]->(p2), m1 <> m2.
        let mut want = 0i64;
        let mut want_ordered = 0i64;
        let mut want_by_name = 0i64;
        for (i1, &(a1, p1, t1)) in rels.iter().enumerate() {
            for (i2, &(a2, p2, t2)) in rels.iter().enumerate() {
                if i1 == i2 || a1 != a2 || t1 != "MENTIONS" || t2 != "MENTIONS" {
                    continue;
                }
                if has(a1, "Article") && has(p1, "Person") && has(p2, "Person") {
                    want += 1;
                    if p1 < p2 {
                        want_ordered += 1;
                    }
                    if format!("n{p1}") < format!("n{p2}") {
                        want_by_name += 1;
                    }
                }
            }
        }
        let mut s = Session::new(g);
        let pattern = "MATCH (p1:Person)<-[m1:MENTIONS]-(a:Article)-[m2:MENTIONS]->(p2:Person)";
        assert_eq!(int(&mut s, &format!("{pattern} RETURN count(*)")), want);
        assert_eq!(int(&mut s, &format!("{pattern} RETURN count(p1)")), want);
        // Node ids follow creation order, as do the names' numbers.
        assert_eq!(
            int(
                &mut s,
                &format!("{pattern} WHERE id(p1) < id(p2) RETURN count(*)")
            ),
            want_ordered
        );
        // A comparison of properties, decided on borrowed values.
        assert_eq!(
            int(
                &mut s,
                &format!("{pattern} WHERE p1.name < p2.name RETURN count(*)")
            ),
            want_by_name
        );
        assert_eq!(
            int(
                &mut s,
                &format!("{pattern} WHERE p2.name <= p1.name AND m1 <> m2 RETURN count(*)")
            ),
            want - want_by_name
        );
    }
}

#[test]
fn labelled_and_typed_last_hops_count_like_enumeration() {
    let (g, rels, labels) = graph(7);
    let has = |n: usize, l: &str| labels[n].contains(&l);
    // (x:Article)-[r:MENTIONS]->(y:Person), counted per start node.
    let want = rels
        .iter()
        .filter(|&&(s, e, t)| t == "MENTIONS" && has(s, "Article") && has(e, "Person"))
        .count() as i64;
    let mut s = Session::new(g);
    for q in [
        "MATCH (x:Article)-[r:MENTIONS]->(y:Person) RETURN count(*)",
        "MATCH (x:Article)-[r:MENTIONS]->(y:Person) RETURN count(y)",
        "MATCH (y:Person)<-[r:MENTIONS]-(x:Article) RETURN count(*)",
    ] {
        assert_eq!(int(&mut s, q), want, "{q}");
    }
    // A label nothing carries matches nothing, counted or enumerated.
    assert_eq!(
        int(
            &mut s,
            "MATCH (x:Article)-[r:MENTIONS]->(y:Nobody) RETURN count(*)"
        ),
        0
    );
    // Two hops whose second is counted from the first's far node.
    let mut two = 0i64;
    for (i1, &(a, m, t1)) in rels.iter().enumerate() {
        for (i2, &(m2, p, t2)) in rels.iter().enumerate() {
            if i1 != i2
                && m == m2
                && t1 == "MENTIONS"
                && t2 == "OTHER"
                && has(a, "Article")
                && has(p, "Person")
            {
                two += 1;
            }
        }
    }
    assert_eq!(
        int(
            &mut s,
            "MATCH (a:Article)-[:MENTIONS]->(m)-[:OTHER]->(p:Person) RETURN count(*)"
        ),
        two
    );
}

#[test]
fn a_label_created_in_the_same_query_is_matched() {
    let mut s = Session::new(Graph::new());
    let r = s
        .execute("CREATE (:Fresh {v: 1})-[:NEW]->(:Fresh {v: 2}) WITH 1 AS one MATCH (a:Fresh)-[:NEW]->(b:Fresh) RETURN a.v, b.v")
        .unwrap();
    assert_eq!(r.rows, vec![vec![Value::Int(1), Value::Int(2)]]);
}

#[test]
fn shortest_path_is_as_long_as_all_shortest_paths() {
    // shortestPath searches from both ends; allShortestPaths searches from
    // one. Their lengths must agree, with types, directions and bounds.
    let (g, _, _) = graph(11);
    let mut s = Session::new(g);
    let mut found = 0;
    for (from, to) in [
        ("n0", "n1"),
        ("n5", "n399"),
        ("n17", "n230"),
        ("n42", "n42"),
    ] {
        for rel in [
            "-[*]-",
            "-[*]->",
            "<-[*]-",
            "-[:OTHER*]-",
            "-[:OTHER*..2]->",
            "-[:MENTIONS*2..]-",
            "-[*0..3]-",
        ] {
            let q = |kind: &str| {
                format!(
                    "MATCH (a {{name: '{from}'}}), (b {{name: '{to}'}}) \
                     OPTIONAL MATCH p = {kind}((a){rel}(b)) RETURN length(p) AS n ORDER BY n LIMIT 1"
                )
            };
            let one = s.execute(&q("shortestPath")).unwrap().rows;
            let all = s.execute(&q("allShortestPaths")).unwrap().rows;
            assert_eq!(one, all, "{from} {rel} {to}");
            found += usize::from(one.first().is_some_and(|r| r[0] != Value::Null));
        }
    }
    assert!(found > 10, "only {found} paths found");
}

#[test]
fn property_comparisons_over_many_rows_match_a_direct_count() {
    // 400 x 400 rows: enough property reads for the comparison to start
    // remembering values by node id part-way through.
    let mut g = Graph::new();
    let values: Vec<Value> = (0..400i64)
        .map(|i| match i % 7 {
            0 => Value::Null,
            3 => Value::from(format!("s{i}")),
            _ => Value::Int((i * 37) % 101),
        })
        .collect();
    for v in &values {
        let props: Vec<(&str, Value)> = if v.is_null() {
            Vec::new()
        } else {
            vec![("v", v.clone())]
        };
        g.add_node(["P"], props);
    }
    let mut want = 0i64;
    for a in &values {
        for b in &values {
            if let (Value::Int(x), Value::Int(y)) = (a, b)
                && x < y
            {
                want += 1;
            }
            if let (Value::String(x), Value::String(y)) = (a, b)
                && x < y
            {
                want += 1;
            }
        }
    }
    let mut s = Session::new(g);
    assert_eq!(
        int(&mut s, "MATCH (a:P), (b:P) WHERE a.v < b.v RETURN count(*)"),
        want
    );
}
