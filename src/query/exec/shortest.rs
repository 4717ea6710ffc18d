//! One shortest path between two nodes by bidirectional breadth-first
//! search: each round expands the smaller frontier by one layer, and the
//! search stops at the first layer where the two sides meet. Visited
//! marks live in vectors indexed by node id (ids are dense), not in hash
//! maps.

use crate::error::QueryError;
use crate::graph::{Direction, Graph, NodeId, RelId, Symbol};
use crate::query::eval::Guard;

/// Marks "not reached" in a parent vector.
const UNSEEN: u32 = u32::MAX;
/// Marks a search's own start in a parent vector.
const ROOT: u32 = u32::MAX - 1;

/// One side of the search: parents towards its start, and its frontier.
struct Side {
    /// Per node id: the node it was reached from (or [`UNSEEN`]/[`ROOT`]).
    parent: Vec<u32>,
    /// Per node id: the relationship it was reached by.
    via: Vec<RelId>,
    frontier: Vec<u32>,
    /// Direction of its relationships, read from its start outwards.
    dir: Direction,
}

impl Side {
    fn new(n: usize, start: u32, dir: Direction) -> Side {
        let mut parent = vec![UNSEEN; n];
        parent[start as usize] = ROOT;
        Side {
            parent,
            via: vec![RelId(0); n],
            frontier: vec![start],
            dir,
        }
    }

    /// The relationships from `node` back to this side's start.
    fn chain(&self, mut node: u32) -> Vec<RelId> {
        let mut rels = Vec::new();
        while self.parent[node as usize] != ROOT {
            rels.push(self.via[node as usize]);
            node = self.parent[node as usize];
        }
        rels
    }
}

/// The other direction, for the search from the far end.
fn reverse(d: Direction) -> Direction {
    match d {
        Direction::Outgoing => Direction::Incoming,
        Direction::Incoming => Direction::Outgoing,
        Direction::Both => Direction::Both,
    }
}

/// A shortest path from `a` to `b` (`a != b`) following relationships in
/// `dir` whose type passes `type_ok`, of at most `max` hops: its
/// relationships in order from `a`, or `None` when there is none. Which
/// of several equally short paths is returned is unspecified.
pub fn one(
    g: &Graph,
    guard: &Guard<'_>,
    a: NodeId,
    b: NodeId,
    dir: Direction,
    max: Option<u64>,
    type_ok: &dyn Fn(Symbol) -> bool,
) -> Result<Option<Vec<RelId>>, QueryError> {
    let n = g.next_node_id().0;
    if n >= u64::from(ROOT) || a.0 >= n || b.0 >= n {
        return Ok(None);
    }
    if !g.contains_node(a) || !g.contains_node(b) || max == Some(0) {
        return Ok(None);
    }
    let n = n as usize;
    let mut sides = [
        Side::new(n, a.0 as u32, dir),
        Side::new(n, b.0 as u32, reverse(dir)),
    ];
    // Hops covered so far by both sides together.
    let mut hops = 0u64;
    let mut next = Vec::new();
    while !sides[0].frontier.is_empty() && !sides[1].frontier.is_empty() {
        if max.is_some_and(|m| hops >= m) {
            return Ok(None);
        }
        hops += 1;
        let s = usize::from(sides[1].frontier.len() < sides[0].frontier.len());
        let [first, second] = &mut sides;
        let (this, other) = if s == 0 {
            (first, second)
        } else {
            (second, first)
        };
        next.clear();
        for &u in &this.frontier {
            guard.tick()?;
            for (id, v, t) in g.relationships_typed(NodeId(u64::from(u)), this.dir) {
                if !type_ok(t) {
                    continue;
                }
                let vi = v.0 as usize;
                if vi >= n || this.parent[vi] != UNSEEN {
                    continue;
                }
                this.parent[vi] = u;
                this.via[vi] = id;
                if other.parent[vi] != UNSEEN {
                    // The sides meet at `v`: the first meeting is shortest.
                    // Each chain runs from `v` back to its side's start.
                    let (mut from_a, to_b) = if s == 0 {
                        (this.chain(v.0 as u32), other.chain(v.0 as u32))
                    } else {
                        (other.chain(v.0 as u32), this.chain(v.0 as u32))
                    };
                    from_a.reverse();
                    from_a.extend(to_b);
                    return Ok(Some(from_a));
                }
                next.push(v.0 as u32);
            }
        }
        std::mem::swap(&mut this.frontier, &mut next);
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, VecDeque};
    use std::sync::atomic::AtomicBool;

    use super::*;
    use crate::graph::Value;

    /// A graph of `n` nodes with `m` pseudo-random relationships of types
    /// `A` and `B` (self-loops and parallel relationships included).
    fn random_graph(n: u64, m: u64, seed: u64) -> Graph {
        let mut g = Graph::new();
        let ids: Vec<NodeId> = (0..n)
            .map(|_| g.add_node(["N"], Vec::<(&str, Value)>::new()))
            .collect();
        let mut x = seed;
        let mut next = || {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            x >> 33
        };
        for _ in 0..m {
            let (s, e) = (next() % n, next() % n);
            let t = if next() % 3 == 0 { "B" } else { "A" };
            g.add_rel(
                ids[s as usize],
                ids[e as usize],
                t,
                Vec::<(&str, Value)>::new(),
            )
            .unwrap();
        }
        g
    }

    /// Plain breadth-first distance, for comparison.
    fn distance(
        g: &Graph,
        a: NodeId,
        b: NodeId,
        dir: Direction,
        only: Option<&str>,
    ) -> Option<u64> {
        let mut seen = HashMap::from([(a, 0u64)]);
        let mut queue = VecDeque::from([a]);
        while let Some(u) = queue.pop_front() {
            let d = seen[&u];
            for (id, v) in g.relationships(u, dir) {
                if only.is_some_and(|t| g.rel(id).unwrap().rel_type() != t) || seen.contains_key(&v)
                {
                    continue;
                }
                seen.insert(v, d + 1);
                queue.push_back(v);
            }
        }
        seen.get(&b).copied()
    }

    /// Whether `rels` is a path from `a` to `b` in `dir`.
    fn is_path(g: &Graph, a: NodeId, b: NodeId, dir: Direction, rels: &[RelId]) -> bool {
        let mut cur = a;
        for id in rels {
            let r = g.rel(*id).unwrap();
            cur = match dir {
                Direction::Outgoing if r.start() == cur => r.end(),
                Direction::Incoming if r.end() == cur => r.start(),
                Direction::Both if r.start() == cur => r.end(),
                Direction::Both if r.end() == cur => r.start(),
                _ => return false,
            };
        }
        cur == b
    }

    #[test]
    fn finds_a_shortest_path_like_plain_breadth_first_search() {
        let cancel = AtomicBool::new(false);
        let guard = Guard::new(&cancel, None);
        for seed in 0..6 {
            let g = random_graph(60, 90, seed);
            let type_a = g.symbol("A").unwrap();
            for (ai, bi) in [(0u64, 1u64), (2, 50), (7, 33), (10, 59), (44, 3)] {
                let (a, b) = (NodeId(ai), NodeId(bi));
                for dir in [Direction::Outgoing, Direction::Incoming, Direction::Both] {
                    for only_a in [false, true] {
                        let ok = |t: Symbol| !only_a || t == type_a;
                        let want = distance(&g, a, b, dir, only_a.then_some("A"));
                        let got = one(&g, &guard, a, b, dir, None, &ok).unwrap();
                        assert_eq!(got.as_ref().map(|p| p.len() as u64), want);
                        if let Some(p) = &got {
                            assert!(is_path(&g, a, b, dir, p));
                            assert!(p.iter().all(|id| ok(g.rel(*id).unwrap().type_symbol())));
                        }
                        // A bound below the distance finds nothing; at it, the path.
                        if let Some(d) = want {
                            let below = one(&g, &guard, a, b, dir, Some(d - 1), &ok).unwrap();
                            assert_eq!(below, None);
                            let at = one(&g, &guard, a, b, dir, Some(d), &ok).unwrap();
                            assert_eq!(at.map(|p| p.len() as u64), Some(d));
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn missing_nodes_have_no_path() {
        let cancel = AtomicBool::new(false);
        let guard = Guard::new(&cancel, None);
        let g = random_graph(5, 10, 1);
        let any = |_: Symbol| true;
        assert_eq!(
            one(
                &g,
                &guard,
                NodeId(0),
                NodeId(99),
                Direction::Both,
                None,
                &any
            )
            .unwrap(),
            None
        );
    }
}
