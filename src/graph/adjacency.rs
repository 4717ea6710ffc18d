//! [`Adjacency`]: each node's relationships side by side in memory, for
//! the traversals of a graph that was loaded in bulk.
//!
//! petgraph keeps a node's relationships as a linked list threaded through
//! the relationship records: walking it reads one record per relationship,
//! and then the record of the node at the far end for its id, two cache
//! misses per step when the relationships were loaded in no particular
//! order (a CSV of a million mentions). This table lays out, per node and
//! direction, (relationship id, far node id, type) in one run (a CSR
//! layout), in exactly the order the linked list gives, so a traversal
//! reads them in sequence and finds the same relationships in the same
//! order.
//!
//! It is built once after a bulk load ([`crate::graph::Graph::compact_adjacency`])
//! and never rebuilt by writes: a write that adds or removes a
//! relationship or node marks the nodes it touches as changed, and those
//! nodes go back to the linked list. Nothing is ever read from the table
//! for a changed node, so it cannot go stale.

/// One relationship as seen from one of its ends (its type is kept apart,
/// see [`Run`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Entry {
    /// The relationship's id.
    pub rel: u32,
    /// The id of the node at the other end.
    pub other: u32,
}

/// A relationship for [`Adjacency::build`]: (source index, target index,
/// relationship id, type symbol).
pub(crate) type EdgeRow = (u32, u32, u32, u32);

/// Picks one end of an [`EdgeRow`].
type EndOf = fn(&EdgeRow) -> u32;

/// One node's relationships in one direction: `entries[i]` has the type
/// `palette[types[i]]`. Types are numbered apart in two bytes, which keeps
/// the table at 20 bytes per relationship instead of 24.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Run<'a> {
    pub entries: &'a [Entry],
    pub types: &'a [u16],
    pub palette: &'a [u32],
}

impl Run<'_> {
    /// An empty run.
    pub const EMPTY: Run<'static> = Run {
        entries: &[],
        types: &[],
        palette: &[],
    };

    /// The number of relationships.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Relationship `i`: (id, far node id, type symbol).
    #[inline]
    pub fn get(&self, i: usize) -> (u32, u32, u32) {
        let e = self.entries[i];
        (e.rel, e.other, self.palette[self.types[i] as usize])
    }
}

/// One direction's runs: node index `i`'s relationships are at
/// `start[i]..start[i + 1]` of `entries` and `types`.
#[derive(Clone, Debug, Default)]
struct Runs {
    start: Vec<u32>,
    entries: Vec<Entry>,
    types: Vec<u16>,
}

impl Runs {
    /// Sorts the relationships of `edges()` (in ascending petgraph index)
    /// into runs per node of `nodes`: `end` picks the node an edge is filed
    /// under and `other` its far end. Each run lists its edges newest
    /// first, the order of petgraph's linked list, which puts each new
    /// edge at its head.
    fn build<I: Iterator<Item = EdgeRow>>(
        nodes: usize,
        edges: &impl Fn() -> I,
        node_ids: &[u32],
        type_of: &impl Fn(u32) -> u16,
        (end, other): (EndOf, EndOf),
    ) -> Runs {
        let mut start = vec![0u32; nodes + 1];
        let mut count = 0;
        for e in edges() {
            start[end(&e) as usize + 1] += 1;
            count += 1;
        }
        for i in 0..nodes {
            start[i + 1] += start[i];
        }
        // Filled from the back of each run: ascending index in, newest
        // (highest index) first out.
        let mut cursor: Vec<u32> = start[1..].to_vec();
        let mut entries = vec![Entry::default(); count];
        let mut types = vec![0u16; count];
        for e in edges() {
            let c = &mut cursor[end(&e) as usize];
            *c -= 1;
            entries[*c as usize] = Entry {
                rel: e.2,
                other: node_ids[other(&e) as usize],
            };
            types[*c as usize] = type_of(e.3);
        }
        Runs {
            start,
            entries,
            types,
        }
    }

    fn run<'a>(&'a self, idx: usize, palette: &'a [u32]) -> Run<'a> {
        match (self.start.get(idx), self.start.get(idx + 1)) {
            (Some(&a), Some(&b)) => Run {
                entries: &self.entries[a as usize..b as usize],
                types: &self.types[a as usize..b as usize],
                palette,
            },
            _ => Run::EMPTY,
        }
    }
}

/// Per node, its outgoing and incoming relationships in runs; see the
/// module doc.
#[derive(Clone, Debug, Default)]
pub(crate) struct Adjacency {
    outgoing: Runs,
    incoming: Runs,
    /// The type symbols, by the number the runs give them.
    palette: Vec<u32>,
    /// Node indexes whose relationships changed since the build, one bit
    /// each.
    changed: Vec<u64>,
    /// The node index bound at the build: later indexes are not covered.
    nodes: usize,
}

impl Adjacency {
    /// The table for a store whose node indexes are below `nodes`, with
    /// `node_ids[i]` the id of the node at index `i` (anything for a
    /// vacant index), and `edges()` giving every relationship in ascending
    /// petgraph edge index, none ever removed (so that ascending index is
    /// the order they were added in). It is called three times rather than
    /// collected: the table is built at the end of a load, when memory
    /// peaks. The caller checks that ids fit in 32 bits; `None` when there
    /// are more than 65,536 types.
    pub fn build<I: Iterator<Item = EdgeRow>>(
        nodes: usize,
        node_ids: &[u32],
        edges: impl Fn() -> I,
    ) -> Option<Adjacency> {
        if node_ids.len() < nodes {
            return None;
        }
        let mut palette: Vec<u32> = Vec::new();
        let mut numbers: std::collections::HashMap<u32, u16> = std::collections::HashMap::new();
        for e in edges() {
            if let std::collections::hash_map::Entry::Vacant(slot) = numbers.entry(e.3) {
                slot.insert(u16::try_from(palette.len()).ok()?);
                palette.push(e.3);
            }
        }
        let type_of = |t: u32| numbers.get(&t).copied().unwrap_or(0);
        Some(Adjacency {
            outgoing: Runs::build(nodes, &edges, node_ids, &type_of, (|e| e.0, |e| e.1)),
            incoming: Runs::build(nodes, &edges, node_ids, &type_of, (|e| e.1, |e| e.0)),
            palette,
            changed: vec![0; nodes.div_ceil(64)],
            nodes,
        })
    }

    /// Node index `idx`'s outgoing and incoming runs, or `None` when the
    /// table does not cover it (changed since, or added after the build).
    pub fn runs(&self, idx: usize) -> Option<(Run<'_>, Run<'_>)> {
        if idx >= self.nodes || self.changed[idx / 64] & (1 << (idx % 64)) != 0 {
            return None;
        }
        Some((
            self.outgoing.run(idx, &self.palette),
            self.incoming.run(idx, &self.palette),
        ))
    }

    /// Marks node index `idx`'s relationships as changed.
    pub fn mark_changed(&mut self, idx: usize) {
        if idx < self.nodes {
            self.changed[idx / 64] |= 1 << (idx % 64);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_list_each_nodes_edges_newest_first() {
        // Nodes 0..3 with ids 10, 11, 12; edges in the order added.
        let ids = [10, 11, 12];
        let edges = [
            (0, 1, 100, 7),
            (1, 2, 101, 7),
            (0, 2, 102, 8),
            (2, 2, 103, 9),
        ];
        let adj = Adjacency::build(3, &ids, || edges.iter().copied()).unwrap();
        let all = |r: Run| (0..r.len()).map(|i| r.get(i)).collect::<Vec<_>>();
        let (out0, in0) = adj.runs(0).unwrap();
        assert_eq!(all(out0), vec![(102, 12, 8), (100, 11, 7)]);
        assert_eq!(in0.len(), 0);
        let (out2, in2) = adj.runs(2).unwrap();
        assert_eq!(all(out2), vec![(103, 12, 9)]);
        assert_eq!(all(in2), vec![(103, 12, 9), (102, 10, 8), (101, 11, 7)]);
        let mut adj = adj;
        adj.mark_changed(2);
        assert!(adj.runs(2).is_none());
        assert!(adj.runs(1).is_some());
        assert!(adj.runs(3).is_none(), "added after the build");
    }
}
