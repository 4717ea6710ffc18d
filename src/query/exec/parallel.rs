//! Parallel scans. A pattern that starts by scanning many nodes (every
//! node, or every node with a label) and feeds an aggregation or a count
//! is matched in contiguous chunks of the scan, one thread per chunk. Each
//! chunk aggregates on its own; the partial results are then merged in
//! chunk order, so groups, `collect()` lists and ties come out exactly as
//! a single thread would produce them (float sums may differ in the last
//! bits, as the additions happen in another order).
//!
//! Only reading clauses run here: the graph is shared, unchanged, by all
//! threads.

use std::sync::atomic::AtomicBool;
use std::time::Instant;

use crate::error::QueryError;
use crate::graph::{Graph, NodeId};
use crate::query::eval::{Env, Guard, Row};
use crate::query::plan::pattern::{NodeSource, PatternPlan, Step};
use crate::stack::LARGE_STACK;

/// Below this many scanned nodes a second thread costs more than it saves.
pub const MIN_PARALLEL_SCAN: usize = 16_384;

/// The most threads a scan is split over.
const MAX_THREADS: usize = 8;

/// A scan split into chunks, one per thread, each in scan order; the
/// matcher runs the whole pattern over one chunk at a time
/// ([`super::matcher::run_scan`]).
pub struct SplitScan {
    /// The scanned nodes, in scan order.
    ids: Vec<NodeId>,
    /// How many of them each chunk takes, one chunk per thread (the
    /// chunks are slices of `ids`: no copies).
    size: usize,
}

impl SplitScan {
    /// The chunks, in scan order.
    fn chunks(&self) -> std::slice::Chunks<'_, NodeId> {
        self.ids.chunks(self.size)
    }
}

/// How many threads a scan may use: `KGQ_THREADS` when set to a positive
/// number (1 turns parallel scans off), else the machine's cores; at most
/// [`MAX_THREADS`] either way.
fn threads() -> usize {
    let cores = || std::thread::available_parallelism().map_or(1, |n| n.get());
    std::env::var("KGQ_THREADS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(cores)
        .min(MAX_THREADS)
}

/// Splits `plan`'s first step when it scans at least [`MIN_PARALLEL_SCAN`]
/// nodes and more than one core is there to share the work.
pub fn split_scan(graph: &Graph, plan: &PatternPlan) -> Option<SplitScan> {
    let threads = threads();
    if threads < 2 {
        return None;
    }
    let Some(Step::Node { source, .. }) = plan.steps.first() else {
        return None;
    };
    let ids: Vec<NodeId> = match source {
        NodeSource::AllNodes => graph.node_ids().collect(),
        NodeSource::Label(l) => graph.nodes_with_label(l).collect(),
        NodeSource::Bound | NodeSource::Index(..) => return None,
    };
    if ids.len() < MIN_PARALLEL_SCAN {
        return None;
    }
    let size = ids.len().div_ceil(threads);
    Some(SplitScan { ids, size })
}

/// The work of one chunk: from its own environment and copy of the input
/// row, over its nodes, to its partial result.
pub type ChunkWork<'w, T> = dyn Fn(&Env, &mut Row, &[NodeId]) -> Result<T, QueryError> + Sync + 'w;

/// What each thread needs to build its own [`Env`].
#[derive(Clone, Copy)]
pub struct Limits<'a> {
    /// The session's cancel flag.
    pub cancel: &'a AtomicBool,
    /// When the query runs out of time.
    pub deadline: Option<Instant>,
    /// The memory bound of the rows a thread keeps.
    pub max_memory: Option<usize>,
}

/// Runs `work` over every chunk of `scan`, the first on this thread and
/// the others on their own, and returns the results in chunk order. The
/// first chunk's error wins, as it would have come first on one thread.
/// `row` is the input row; each chunk works on its own copy.
pub fn run_chunks<T: Send>(
    graph: &Graph,
    limits: Limits,
    scan: &SplitScan,
    row: &Row,
    work: &ChunkWork<T>,
) -> Result<Vec<T>, QueryError> {
    let run = |ids: &[NodeId]| -> Result<T, QueryError> {
        let guard = Guard::new(limits.cancel, limits.deadline).with_memory_limit(limits.max_memory);
        guard.check()?;
        let env = Env {
            graph,
            guard: &guard,
        };
        let mut row = row.clone();
        work(&env, &mut row, ids)
    };
    let mut chunks = scan.chunks();
    let first = chunks.next().unwrap_or_default();
    let rest: Vec<&[NodeId]> = chunks.collect();
    let outcomes: Vec<Result<T, QueryError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = rest
            .iter()
            .map(|&ids| {
                std::thread::Builder::new()
                    .name("kgq-scan".into())
                    .stack_size(LARGE_STACK)
                    .spawn_scoped(scope, || run(ids))
            })
            .collect();
        let mut outcomes = vec![run(first)];
        for (h, &ids) in handles.into_iter().zip(&rest) {
            outcomes.push(match h {
                Ok(h) => h
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                // No thread to be had: do the chunk here.
                Err(_) => run(ids),
            });
        }
        outcomes
    });
    outcomes.into_iter().collect()
}
