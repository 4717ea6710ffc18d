//! The shell's one door to graph files: loading, saving and exporting.
//!
//! Everything the shell does with files goes through these few functions
//! over `crate::io`, which names formats, loads, saves atomically and
//! selects the subgraph of a result.

use std::path::Path;

use crate::error::{DataError, Error};
use crate::graph::Graph;
use crate::io::{ExportOptions, Format, Subgraph};
use crate::session::QueryResult;

/// The names of the export formats, as `:export` and `kgq export` take them.
pub fn export_formats() -> Vec<&'static str> {
    Format::all()
        .iter()
        .filter(|f| f.can_export())
        .map(|f| f.name())
        .collect()
}

/// Whether `name` names an export format.
pub fn is_export_format(name: &str) -> bool {
    Format::from_name(name).is_some()
}

fn format_named(name: &str) -> Result<Format, Error> {
    Format::from_name(name).ok_or_else(|| {
        Error::Data(
            DataError::new(format!("unknown graph format `{name}`"))
                .with_hint(format!("use one of {}", export_formats().join(", "))),
        )
    })
}

/// The graph of the article, bundled with the binary.
pub fn bundled_graph() -> Graph {
    crate::io::article_graph()
}

/// Reads the graph in `path` (a native JSON file, a neo4j-admin CSV
/// directory, a script of write statements, ...), in `format` when given,
/// else by extension.
pub fn load(path: &Path, format: Option<&str>) -> Result<Graph, Error> {
    let format = format.map(format_named).transpose()?;
    crate::io::load_path(path, format)
}

/// Writes `graph` to `path` in the native format, atomically.
pub fn save(graph: &Graph, path: &Path) -> Result<(), Error> {
    crate::io::save_native(graph, path)
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
    let format = match format {
        Some(name) => format_named(name)?,
        None => Format::from_extension(path).ok_or_else(|| {
            Error::Data(
                DataError::new(format!("cannot tell the format of {}", path.display())).with_hint(
                    format!(
                        "name the format first: one of {}",
                        export_formats().join(", ")
                    ),
                ),
            )
        })?,
    };
    let sub = match result {
        Some(r) => Subgraph::from_result(graph, r, induced),
        None => Subgraph::all(graph),
    };
    crate::io::export(graph, &sub, format, path, &ExportOptions::default())
}
