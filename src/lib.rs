//! kgq: a knowledge-graph query engine whose query language follows
//! openCypher.
//!
//! A [`graph::Graph`] holds a property graph in memory; a
//! [`session::Session`] runs queries against it.

pub mod error;
pub mod generate;
pub mod graph;
pub mod io;
pub mod query;
pub mod render;
pub mod session;
pub mod shell;
pub mod stack;
pub mod tck;

pub use error::{Error, QueryError};
pub use graph::{Graph, Value};
pub use session::{QueryResult, Session};
