//! The neo4j-admin CSV import layout, the bulk format that Neo4j, Memgraph
//! and FalkorDB share.
//!
//! A **node file** has an `:ID` column (optionally named, `personId:ID`,
//! and in an id space, `:ID(Person)`), optionally `:LABEL` columns (labels
//! separated by `;`), and property columns. A **relationship file** has
//! `:START_ID` and `:END_ID` (with the same optional id space), a `:TYPE`
//! column and property columns. The first row is the header.
//!
//! Property columns are `name` or `name:TYPE` with TYPE one of `string`
//! (the default), `int`, `long`, `short`, `byte` (all read as 64-bit
//! integers), `float`, `double`, `boolean`, `char`, each optionally with
//! `[]` for an array whose elements are separated by `;`. `:IGNORE` columns
//! are skipped. An empty field means the property is absent. A named id
//! column (`personId:ID`) also sets that property, as a string.
//!
//! **Directories**: every `*.csv` file directly inside is read. A file is a
//! relationship file if its header has `:START_ID`, a node file if it has
//! `:ID`; otherwise its name decides: `nodes*` or `relationships*` /
//! `rels*` / `edges*`. Node files load first, then relationship files, each
//! in name order. Separate header files are not supported.
//!
//! **Ids**: when every node id (in every id space) is a non-negative
//! integer, unique and dense (largest at most twice the count plus 1024),
//! it becomes the node's id in kgq; otherwise nodes are numbered in load
//! order. Relationships are numbered in load order.
//!
//! **Export** ([`write_dir`]) writes one node file per label combination
//! (`nodes_A-B.csv`, `nodes.csv` for nodes without labels) and one
//! relationship file per type (`relationships_TYPE.csv`), with typed
//! headers, which [`load`] reads back. What CSV cannot hold: maps, nested
//! or empty lists, empty strings (an empty field is an absent property),
//! `;` inside string array elements, and a key whose values differ in type
//! within one file (such a column is written as strings).

mod header;
mod read;
mod write;

pub use read::{load, load_dir, load_file};
pub use write::write_dir;
