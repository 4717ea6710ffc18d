//! The in-memory property graph.
//!
//! [`Graph`] stores nodes (with any number of labels) and directed,
//! typed relationships, each with a property map, over petgraph's
//! `StableGraph`. It keeps indexes by label, by type and by
//! (label, property) equality current on every write, and can journal
//! writes so that a failed query is rolled back.
//!
//! The layout is chosen for graphs of millions of elements: an element
//! record is 32 bytes (its id, its type or interned label set, the id of
//! its interned key list, and a boxed slice of 32-byte [`Value`]s); label
//! and type indexes are chunked bitmaps/arrays of ids (`idset`); the
//! equality index holds hashes of values, not copies (`index`). After a
//! bulk load, each node's relationships are also laid out side by side
//! (`adjacency`), and the properties most nodes (or one label's nodes)
//! carry column by column (`columns`); writes leave both in place and send
//! the elements they touch back to the records.

mod adjacency;
pub(crate) mod columns;
mod idset;
mod index;
mod lists;
mod store;
mod symbols;
mod value;

pub use index::IndexKey;
pub(crate) use store::prefetch;
pub use store::{Direction, Graph, GraphError, KeyCache, NodeRef, RelRef, RelsTyped, UndoMark};
pub use symbols::{Symbol, SymbolTable};
pub use value::{
    NodeId, Path, RelId, Value, format_float, is_plain_identifier, quote_identifier, quote_string,
};
