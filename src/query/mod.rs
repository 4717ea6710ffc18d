//! The query language: parse -> analyse -> plan -> execute.

pub mod aggregate;
pub mod ast;
pub mod functions;
pub mod operators;
pub mod parser;
pub mod printer;

use std::sync::atomic::AtomicBool;

use crate::error::{ErrorKind, QueryError};
use crate::graph::Graph;
use crate::session::{Params, QueryResult, SessionOptions};

/// Runs one statement against `graph`.
pub fn run(
    _graph: &mut Graph,
    _text: &str,
    _params: &Params,
    _options: &SessionOptions,
    _cancel: &AtomicBool,
) -> Result<QueryResult, QueryError> {
    // Placeholder until the engine lands on main (parser and executor branches).
    Err(QueryError::compile(
        ErrorKind::SyntaxError,
        "UnexpectedSyntax",
        "the query engine is not built yet",
        None,
    ))
}
