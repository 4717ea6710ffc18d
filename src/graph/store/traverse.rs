//! Traversal: a node's relationships, read from the compact adjacency
//! ([`Adjacency`]) when the node has its runs there, else from petgraph's
//! lists, with records fetched ahead in long runs.

use petgraph::Direction as PgDirection;
use petgraph::stable_graph::{EdgeIndex, NodeIndex};
use petgraph::visit::{EdgeRef, IntoEdgeReferences, NodeIndexable};

use super::super::adjacency::{Adjacency, Run};
use super::super::symbols::Symbol;
use super::super::value::{NodeId, RelId};
use super::{Direction, Graph, NodeRecord, RelRecord, prefetch};

impl Graph {
    /// [`Graph::relationships`] with each relationship's type symbol, so
    /// that the matcher's hot loops filter by type without looking the
    /// relationship up again. Reads the node's runs in the compact
    /// adjacency when it has them ([`Graph::compact_adjacency`]), else
    /// walks petgraph's lists; both give the same relationships in the
    /// same order.
    pub fn relationships_typed(&self, node: NodeId, dir: Direction) -> RelsTyped<'_> {
        let Some(idx) = self.node_index(node) else {
            return RelsTyped(Rels::Compact {
                out: Run::EMPTY,
                inc: Run::EMPTY,
                at: 0,
                skip_loops_of: None,
                ahead: None,
            });
        };
        let want_out = dir != Direction::Incoming;
        let want_in = dir != Direction::Outgoing;
        // With Both, a self-loop is reported once, as outgoing.
        let both = dir == Direction::Both;
        if let Some((out, inc)) = self.adjacency.as_ref().and_then(|a| a.runs(idx.index())) {
            let out = if want_out { out } else { Run::EMPTY };
            let inc = if want_in { inc } else { Run::EMPTY };
            let ahead = (out.len() + inc.len() >= Ahead::LONG_RUN)
                .then(|| Ahead::new(self, idx, out, inc))
                .flatten();
            return RelsTyped(Rels::Compact {
                out,
                inc,
                at: 0,
                // Ids fit in 32 bits wherever the table exists.
                skip_loops_of: both.then_some(node.0 as u32),
                ahead,
            });
        }
        RelsTyped(Rels::Walk {
            graph: self,
            out: want_out.then(|| self.inner.edges_directed(idx, PgDirection::Outgoing)),
            inc: want_in.then(|| self.inner.edges_directed(idx, PgDirection::Incoming)),
            skip_loops: both,
        })
    }

    /// Lays out each node's relationships in runs (the compact adjacency), so that
    /// traversals read them in sequence instead of following petgraph's
    /// lists through scattered records. Call it after a bulk load: later
    /// writes fall back to the lists for the nodes they touch, and the
    /// table is never updated. Does nothing when a relationship was ever
    /// removed, or an id does not fit in 32 bits. Costs 20 bytes per
    /// relationship.
    pub fn compact_adjacency(&mut self) {
        self.adjacency = None;
        if self.rels_removed || self.rel_slots.len() > u32::MAX as usize {
            return;
        }
        let nodes = self.inner.node_bound();
        let mut node_ids = vec![0u32; nodes];
        for idx in self.inner.node_indices() {
            match u32::try_from(self.inner[idx].id.0) {
                Ok(id) => node_ids[idx.index()] = id,
                Err(_) => return,
            }
        }
        let inner = &self.inner;
        self.adjacency = Adjacency::build(nodes, &node_ids, || {
            inner.edge_references().map(|e| {
                (
                    e.source().index() as u32,
                    e.target().index() as u32,
                    e.weight().id.0 as u32,
                    e.weight().rel_type.0,
                )
            })
        });
    }

    /// Drops the table of [`Graph::compact_adjacency`], giving its memory
    /// back: traversals then walk petgraph's lists (the same relationships
    /// in the same order, more slowly).
    pub fn clear_compact_adjacency(&mut self) {
        self.adjacency = None;
    }

    /// Whether [`Graph::compact_adjacency`] built its table (some nodes may
    /// have left it since).
    pub fn has_compact_adjacency(&self) -> bool {
        self.adjacency.is_some()
    }

    /// Node index `idx`'s relationships changed: the compact adjacency no
    /// longer speaks for it.
    pub(super) fn relationships_changed(&mut self, idx: NodeIndex) {
        if let Some(a) = &mut self.adjacency {
            a.mark_changed(idx.index());
        }
    }
}

/// The iterator of [`Graph::relationships_typed`]: (relationship, node at
/// the other end, type).
pub struct RelsTyped<'g>(Rels<'g>);

enum Rels<'g> {
    /// From the node's runs in the compact adjacency: the outgoing run,
    /// then the incoming one, by position.
    Compact {
        out: Run<'g>,
        inc: Run<'g>,
        at: usize,
        /// With `Both`: the node whose incoming self-loops to skip.
        skip_loops_of: Option<u32>,
        /// Fetching ahead, for long runs.
        ahead: Option<Ahead<'g>>,
    },
    /// Walking petgraph's lists.
    Walk {
        graph: &'g Graph,
        out: Option<petgraph::stable_graph::Edges<'g, RelRecord, petgraph::Directed>>,
        inc: Option<petgraph::stable_graph::Edges<'g, RelRecord, petgraph::Directed>>,
        skip_loops: bool,
    },
}

impl Iterator for RelsTyped<'_> {
    type Item = (RelId, NodeId, Symbol);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            Rels::Compact {
                out,
                inc,
                at,
                skip_loops_of,
                ahead,
            } => loop {
                let i = *at;
                *at += 1;
                if let Some(ahead) = ahead {
                    ahead.fetch(*out, *inc, i);
                }
                let (rel, other, t) = if i < out.len() {
                    out.get(i)
                } else if i - out.len() < inc.len() {
                    let e = inc.get(i - out.len());
                    if *skip_loops_of == Some(e.1) {
                        continue;
                    }
                    e
                } else {
                    return None;
                };
                return Some((RelId(u64::from(rel)), NodeId(u64::from(other)), Symbol(t)));
            },
            Rels::Walk {
                graph,
                out,
                inc,
                skip_loops,
            } => {
                if let Some(e) = out.as_mut().and_then(|o| o.next()) {
                    let w = e.weight();
                    return Some((w.id, graph.inner[e.target()].id, w.rel_type));
                }
                let e = inc
                    .as_mut()?
                    .find(|e| !*skip_loops || e.source() != e.target())?;
                let w = e.weight();
                Some((w.id, graph.inner[e.source()].id, w.rel_type))
            }
        }
    }
}

/// Fetching ahead in a long run of the compact adjacency: a hub's
/// relationships and the nodes at their far ends lie all over memory, and
/// whoever reads them next (a label check, a property filter) would wait
/// on each in turn. Some steps ahead of the reader this asks for the
/// records of the relationship and of the far node, and a few steps later
/// (when they have arrived) for their property values.
///
/// The records' addresses are computed, not read: petgraph keeps node and
/// relationship records in two vectors, so a record's address is the
/// vector's base plus its index times the record size, and bulk-loaded
/// ids are their indexes. The base comes from a record at hand. Where an
/// id is not its index the address is wrong and only the hint is wasted:
/// the addresses are given to the prefetch instruction and never read.
#[derive(Clone, Copy)]
struct Ahead<'g> {
    graph: &'g Graph,
    /// Where node index 0's record would be.
    node_base: usize,
    /// Where relationship index 0's record would be.
    rel_base: usize,
}

impl<'g> Ahead<'g> {
    /// Runs shorter than this are not fetched ahead: their records are
    /// few, and the reader's own misses overlap.
    const LONG_RUN: usize = 32;
    /// How far ahead the records are fetched. hub_neighbours at 10^6,
    /// alternating runs: 16 ahead (values 8) median 2.6-6.2 ms, 32 (16)
    /// 2.0-6.2 ms, 64 (32) 2.0-5.3 ms with more spread.
    const RECORDS: usize = 32;
    /// How far ahead the values are fetched (their records fetched by then).
    const VALUES: usize = 16;
    const NODE_SIZE: usize = std::mem::size_of::<petgraph::graph::Node<Option<NodeRecord>, u32>>();
    const REL_SIZE: usize = std::mem::size_of::<petgraph::graph::Edge<Option<RelRecord>, u32>>();

    /// Bases from the start node's record and the first relationship's.
    fn new(graph: &'g Graph, start: NodeIndex, out: Run, inc: Run) -> Option<Ahead<'g>> {
        let first = if out.len() > 0 {
            out.get(0)
        } else {
            inc.get(0)
        };
        let rel = graph.rel_index(RelId(u64::from(first.0)))?;
        let node_at = std::ptr::from_ref(&graph.inner[start]) as usize;
        let rel_at = std::ptr::from_ref(&graph.inner[rel]) as usize;
        Some(Ahead {
            graph,
            node_base: node_at.wrapping_sub(start.index().wrapping_mul(Self::NODE_SIZE)),
            rel_base: rel_at.wrapping_sub(rel.index().wrapping_mul(Self::REL_SIZE)),
        })
    }

    /// Entry `i` of the runs `out` then `inc`: (relationship id, far node id).
    fn entry(out: Run, inc: Run, i: usize) -> Option<(u32, u32)> {
        if i < out.len() {
            let (r, n, _) = out.get(i);
            Some((r, n))
        } else if i - out.len() < inc.len() {
            let (r, n, _) = inc.get(i - out.len());
            Some((r, n))
        } else {
            None
        }
    }

    /// Called as entry `i` is read.
    #[inline]
    fn fetch(&self, out: Run, inc: Run, i: usize) {
        if let Some((rel, node)) = Self::entry(out, inc, i + Self::RECORDS) {
            prefetch(
                (self.node_base as *const u8)
                    .wrapping_add((node as usize).wrapping_mul(Self::NODE_SIZE)),
            );
            prefetch(
                (self.rel_base as *const u8)
                    .wrapping_add((rel as usize).wrapping_mul(Self::REL_SIZE)),
            );
        }
        if let Some((rel, node)) = Self::entry(out, inc, i + Self::VALUES) {
            let g = self.graph;
            // Only the first line of each: the values most often read
            // come first, and a record's values may be many.
            if let Some(n) = g.inner.node_weight(NodeIndex::new(node as usize))
                && let Some(v) = n.values.first()
            {
                prefetch(std::ptr::from_ref(v).cast());
            }
            if let Some(r) = g.inner.edge_weight(EdgeIndex::new(rel as usize))
                && let Some(v) = r.values.first()
            {
                prefetch(std::ptr::from_ref(v).cast());
            }
        }
    }
}
