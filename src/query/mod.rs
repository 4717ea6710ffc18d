//! The query language: parse -> analyse -> plan -> execute.

pub mod aggregate;
pub mod analyze;
pub mod ast;
pub mod eval;
pub mod exec;
pub mod functions;
pub mod operators;
pub mod parser;
pub mod plan;
pub mod printer;

use std::sync::atomic::AtomicBool;
use std::time::Instant;

use crate::error::{ErrorKind, QueryError};
use crate::graph::Graph;
use crate::session::{Params, QueryResult, SessionOptions, Timing};

/// Runs one statement against `graph`: a statement that fails leaves the
/// graph exactly as it was.
pub fn run(
    graph: &mut Graph,
    text: &str,
    params: &Params,
    options: &SessionOptions,
    cancel: &AtomicBool,
) -> Result<QueryResult, QueryError> {
    let started = Instant::now();
    let deadline = options.timeout.map(|t| started + t);
    let stmt = parser::parse(text)?;
    let bound = analyze::analyze(&stmt, text, params)?;
    if bound.writes && options.read_only {
        return Err(QueryError::compile(
            ErrorKind::NotAllowed,
            "ReadOnly",
            "this session is read-only; the query would change the graph",
            Some(stmt.span),
        )
        .with_hint("start the session without --read-only to write"));
    }
    let parsed = Instant::now();
    let plan = plan::plan(&bound, graph);
    let planned = Instant::now();
    let mut result = QueryResult {
        columns: bound.parts[0].columns.clone(),
        ..QueryResult::default()
    };
    if stmt.mode == ast::StatementMode::Explain {
        result.plan = Some(plan.describe(None));
        result.timing = Timing {
            parse: parsed - started,
            plan: planned - parsed,
            execute: Default::default(),
        };
        return Ok(result);
    }
    let mark = graph.begin();
    let out = exec::execute(
        graph,
        &plan,
        cancel,
        deadline,
        options.max_rows,
        options.max_memory,
    );
    match out {
        Ok(out) => {
            graph.commit(mark);
            result.rows = out.rows;
            result.stats = out.stats;
            if stmt.mode == ast::StatementMode::Profile {
                result.plan = Some(plan.describe(Some(&out.profile)));
            }
        }
        Err(e) => {
            graph.rollback(mark);
            return Err(e);
        }
    }
    result.timing = Timing {
        parse: parsed - started,
        plan: planned - parsed,
        execute: planned.elapsed(),
    };
    Ok(result)
}
