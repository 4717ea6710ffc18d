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

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
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
    /// How many of them each chunk takes (the chunks are slices of `ids`:
    /// no copies).
    size: usize,
    /// How many threads share the chunks.
    threads: usize,
}

impl SplitScan {
    /// The chunks, in scan order.
    fn chunks(&self) -> std::slice::Chunks<'_, NodeId> {
        self.ids.chunks(self.size)
    }

    /// The same scan in eight chunks per thread (`FINE_CHUNKS`), which the
    /// threads claim one at a time: a thread slowed down (a busy core,
    /// memory further away) then holds up the others by one small chunk,
    /// not by half the scan. Only for work whose partial results are cheap
    /// to combine (counts, a few groups): each chunk has its own.
    pub fn fine(mut self) -> SplitScan {
        let chunks = self.threads * FINE_CHUNKS;
        self.size = self.ids.len().div_ceil(chunks).max(1);
        self
    }
}

/// Chunks per thread of a [`SplitScan::fine`] scan.
const FINE_CHUNKS: usize = 8;

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
    // Sized up front: the ids are a filtered iterator, whose collecting
    // would otherwise grow (and copy) the vector a dozen times.
    let ids: Vec<NodeId> = match source {
        NodeSource::AllNodes => {
            let mut ids = Vec::with_capacity(graph.node_count());
            ids.extend(graph.node_ids());
            ids
        }
        NodeSource::Label(l) => {
            let mut ids = Vec::with_capacity(graph.label_count(l));
            ids.extend(graph.nodes_with_label(l));
            ids
        }
        NodeSource::Bound | NodeSource::Index(..) => return None,
    };
    if ids.len() < MIN_PARALLEL_SCAN {
        return None;
    }
    let size = ids.len().div_ceil(threads);
    Some(SplitScan { ids, size, threads })
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
    let chunks: Vec<&[NodeId]> = scan.chunks().collect();
    // Each thread claims the next chunk not yet taken; the results are
    // put back in chunk order, so the first chunk's error still wins.
    let next = AtomicUsize::new(0);
    let claim = || -> Vec<(usize, Result<T, QueryError>)> {
        let mut done = Vec::new();
        loop {
            let k = next.fetch_add(1, Ordering::Relaxed);
            let Some(&ids) = chunks.get(k) else {
                return done;
            };
            let outcome = run(ids);
            let failed = outcome.is_err();
            done.push((k, outcome));
            if failed {
                // Later chunks would be thrown away: stop claiming.
                return done;
            }
        }
    };
    let helpers = scan.threads.min(chunks.len()).saturating_sub(1);
    let mut outcomes: Vec<(usize, Result<T, QueryError>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..helpers)
            .map(|_| {
                std::thread::Builder::new()
                    .name("kgq-scan".into())
                    .stack_size(LARGE_STACK)
                    .spawn_scoped(scope, claim)
            })
            .collect();
        let mut outcomes = claim();
        // A thread that could not start claimed nothing: the others took
        // its share.
        for h in handles.into_iter().flatten() {
            outcomes.extend(
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
        // Claims go in chunk order and a claimed chunk is always run, so
        // every chunk before the first error is here; chunks after it
        // may be missing, and are not needed.
        outcomes
    });
    outcomes.sort_by_key(|(k, _)| *k);
    let outcomes = outcomes.into_iter().map(|(_, o)| o);
    outcomes.into_iter().collect()
}
