//! The shell's one door to graph files: loading, saving and exporting.
//!
//! Everything the shell does with files goes through these few functions,
//! so that they can be pointed at `crate::io` in one place.
//!
//! MERGE NOTE (for the lead): until `crate::io` lands these bodies use what
//! exists; switch them as follows:
//! - `bundled_graph`   -> `crate::io::article_graph()`
//! - `load`            -> `crate::io::load_path(path, format.and_then(crate::io::Format::from_name))`
//!   (an unknown `format` name should become an error naming the formats)
//! - `save`            -> `crate::io::save_native(graph, path)`
//! - `export`          -> pick `crate::io::Format::from_name(name)` or
//!   `Format::from_extension(path)`; selection = `Subgraph::from_result(graph, result, induced)`
//!   or `Subgraph::all(graph)` when `result` is `None`; then
//!   `crate::io::export(graph, &sub, format, path, &ExportOptions::default())`
//! - `EXPORT_FORMATS`  -> the names of `crate::io::Format` values with `can_export()`
//! - `AVAILABLE`       -> `true` (it gates the tests that need real files)

use std::path::Path;

use crate::error::{DataError, Error};
use crate::graph::Graph;
use crate::session::QueryResult;

/// Whether loading, saving and exporting really work in this build.
pub const AVAILABLE: bool = false;

/// The names of the export formats, as `:export` and `kgq export` take them.
pub const EXPORT_FORMATS: &[&str] = &[
    "json",
    "node-link",
    "graphml",
    "dot",
    "cypher",
    "csv",
    "mermaid",
    "svg",
];

/// Whether `name` names an export format.
pub fn is_export_format(name: &str) -> bool {
    EXPORT_FORMATS.contains(&name.to_lowercase().as_str())
}

fn not_yet(what: &str) -> Error {
    Error::Data(DataError::new(format!(
        "{what} is not available in this build yet (the file formats module is missing)"
    )))
}

/// The graph of the article, bundled with the binary.
pub fn bundled_graph() -> Graph {
    Graph::new()
}

/// Reads the graph in `path` (a native JSON file, a neo4j-admin CSV
/// directory, a script of write statements, ...), in `format` when given,
/// else by extension.
pub fn load(path: &Path, format: Option<&str>) -> Result<Graph, Error> {
    let _ = (path, format);
    Err(not_yet("loading graph files"))
}

/// Writes `graph` to `path` in the native format, atomically.
pub fn save(graph: &Graph, path: &Path) -> Result<(), Error> {
    let _ = (graph, path);
    Err(not_yet("saving the graph"))
}

/// Writes the subgraph selected by `result` (every element in it; with
/// `induced` also every relationship between its nodes), or the whole
/// graph when `result` is `None`, to `path` (`-` = standard output) in
/// `format` (else chosen by the file's extension).
pub fn export(
    graph: &Graph,
    result: Option<&QueryResult>,
    induced: bool,
    format: Option<&str>,
    path: &Path,
) -> Result<(), Error> {
    let _ = (graph, result, induced, format, path);
    Err(not_yet("exporting"))
}
