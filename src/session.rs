//! [`Session`]: the one entry point through which the shell, scripts,
//! exports, tests and benchmarks run queries.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use crate::error::QueryError;
use crate::graph::{Graph, Value};

/// Query parameters by name (without the `$`).
pub type Params = BTreeMap<String, Value>;

/// What a write query changed, with the openCypher TCK's meaning: the
/// observable difference before and after the query.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Nodes that exist after and not before.
    pub nodes_created: u64,
    /// Nodes that existed before and not after.
    pub nodes_deleted: u64,
    /// Relationships that exist after and not before.
    pub relationships_created: u64,
    /// Relationships that existed before and not after.
    pub relationships_deleted: u64,
    /// (element, key, value) triples present after and not before.
    pub properties_set: u64,
    /// (element, key, value) triples present before and not after.
    pub properties_removed: u64,
    /// Label names in use after and not before.
    pub labels_added: u64,
    /// Label names in use before and not after.
    pub labels_removed: u64,
}

impl Stats {
    /// Whether the query changed anything.
    pub fn is_empty(&self) -> bool {
        *self == Stats::default()
    }
}

/// Time spent in each stage of one statement.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Timing {
    /// Parsing and semantic analysis.
    pub parse: Duration,
    /// Planning.
    pub plan: Duration,
    /// Execution, including producing every row.
    pub execute: Duration,
}

/// The outcome of one statement.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct QueryResult {
    /// Column names, in `RETURN` order.
    pub columns: Vec<String>,
    /// One row per record; values refer to graph elements by id.
    pub rows: Vec<Vec<Value>>,
    /// What the statement changed.
    pub stats: Stats,
    /// The plan, for `EXPLAIN` and `PROFILE` (with rows and time per
    /// operator for `PROFILE`).
    pub plan: Option<String>,
    /// Time per stage.
    pub timing: Timing,
}

/// Limits and modes that apply to every query of a session.
#[derive(Clone, Debug, Default)]
pub struct SessionOptions {
    /// Refuse every write clause.
    pub read_only: bool,
    /// Stop a query that runs longer than this.
    pub timeout: Option<Duration>,
    /// Most rows one result may keep.
    pub max_rows: Option<usize>,
    /// Most bytes of intermediate rows one clause of a query may hold
    /// (see [`crate::query::exec::budget`]); past it the query fails with
    /// `ResourceLimit (MemoryLimit)` instead of exhausting the system.
    pub max_memory: Option<usize>,
}

/// A graph with the state that queries run against: parameters, options
/// and a cancellation flag that another thread (a Ctrl-C handler) may set.
#[derive(Debug)]
pub struct Session {
    graph: Graph,
    params: Params,
    options: SessionOptions,
    cancel: Arc<AtomicBool>,
}

impl Session {
    /// A session over `graph`.
    pub fn new(graph: Graph) -> Session {
        Session {
            graph,
            params: Params::new(),
            options: SessionOptions::default(),
            cancel: Arc::new(AtomicBool::new(false)),
        }
    }

    /// The graph.
    pub fn graph(&self) -> &Graph {
        &self.graph
    }

    /// The graph, for loaders and other bulk writers.
    pub fn graph_mut(&mut self) -> &mut Graph {
        &mut self.graph
    }

    /// Replaces the graph (after a successful load).
    pub fn replace_graph(&mut self, graph: Graph) -> Graph {
        std::mem::replace(&mut self.graph, graph)
    }

    /// The session's parameters.
    pub fn params(&self) -> &Params {
        &self.params
    }

    /// The session's parameters, to set or clear.
    pub fn params_mut(&mut self) -> &mut Params {
        &mut self.params
    }

    /// The options.
    pub fn options(&self) -> &SessionOptions {
        &self.options
    }

    /// The options, to change.
    pub fn options_mut(&mut self) -> &mut SessionOptions {
        &mut self.options
    }

    /// The flag that cancels the running query when set; the session
    /// clears it when a query starts.
    pub fn cancel_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.cancel)
    }

    /// Runs one statement with the session's parameters. A statement that
    /// fails leaves the graph as it was.
    pub fn execute(&mut self, text: &str) -> Result<QueryResult, QueryError> {
        let params = self.params.clone();
        self.execute_with(text, &params)
    }

    /// Runs one statement with the given parameters.
    pub fn execute_with(&mut self, text: &str, params: &Params) -> Result<QueryResult, QueryError> {
        // A Ctrl-C that arrived between queries must not cancel this one.
        self.cancel
            .store(false, std::sync::atomic::Ordering::Relaxed);
        let (graph, options, cancel) = (&mut self.graph, &self.options, &self.cancel);
        // Analysis and evaluation recurse as deep as the parser allows.
        crate::stack::with_large_stack(|| crate::query::run(graph, text, params, options, cancel))
    }
}
