//! Every way a graph gets in and out of kgq.
//!
//! Loading ([`load_path`], [`load_csv`], [`article_graph`]) builds a new
//! [`Graph`] and either returns all of it or a [`DataError`] with file,
//! line, column and a hint; the caller swaps the graph in only on success.
//! Exporting ([`export`], [`write_export`]) writes a [`Subgraph`] in one of
//! the [`Format`]s, deterministically (elements in id order) and, for
//! files, atomically (see [`atomic`]).
//!
//! Formats in each direction:
//!
//! | format      | import | export | notes |
//! |-------------|--------|--------|-------|
//! | `json`      | yes    | yes    | native, see [`native`] |
//! | `node-link` | yes    | yes    | networkx / d3, see [`nodelink`] |
//! | `graphml`   | yes    | yes    | typed keys, see [`graphml`] |
//! | `csv`       | yes    | yes    | neo4j-admin directory, see [`csv`] |
//! | `cypher`    | yes    | yes    | a script of write statements, see [`cypher`] |
//! | `dot`       | no     | yes    | Graphviz |
//! | `mermaid`   | no     | yes    | flowchart |
//! | `svg`       | no     | yes    | drawn by kgq, see [`svg`] |
//!
//! Ids: a loader keeps the file's ids when all of them are non-negative
//! integers and dense (the largest at most twice the count plus 1024);
//! otherwise it numbers elements in file order.

pub mod atomic;
mod attrs;
mod build;
pub mod csv;
pub mod cypher;
pub mod dot;
pub mod format;
pub mod graphml;
mod json;
pub mod mermaid;
pub mod native;
pub mod nodelink;
mod style;
pub mod subgraph;
pub mod svg;
mod xml;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{DataError, Error};
use crate::graph::Graph;

pub use format::Format;
pub use subgraph::Subgraph;

/// The bundled graph of the article, embedded in the binary so that kgq
/// finds it from any working directory.
const ARTICLE: &str = include_str!("../../data/article.json");

/// The bundled article graph.
///
/// ```
/// let g = kgq::io::article_graph();
/// assert!(g.node_count() > 0);
/// ```
pub fn article_graph() -> Graph {
    // The file is part of the build and checked by the tests; a broken
    // bundle is a build defect, not user input.
    let mut graph = native::load_str(ARTICLE, Some(Path::new("data/article.json")))
        .unwrap_or_else(|e| panic!("the bundled data/article.json is invalid: {e}"));
    graph.finish_bulk_load();
    graph
}

/// The name of the output in write errors until [`export`] names the file.
const OUTPUT: &str = "<output>";

/// The `Error::Io` for a failed write to the export target.
pub(crate) fn write_error(source: std::io::Error) -> Error {
    Error::Io {
        path: OUTPUT.into(),
        source,
    }
}

fn read_text(path: &Path) -> Result<String, Error> {
    let bytes = fs::read(path).map_err(|e| atomic::io_error(path, e))?;
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(&e.as_bytes()[..offset]).into_owned();
        let (line, column) = crate::error::line_col(&text, offset);
        Error::Data(
            DataError::new("the file is not valid UTF-8")
                .in_file(path)
                .at(line, column)
                .with_hint("save the file as UTF-8"),
        )
    })
}

/// Loads a graph from `path`. Without a `format`, a directory is read as a
/// neo4j-admin CSV import directory, and a file by its extension: `.json`
/// is native or node-link JSON (by content: a `kgq_graph` key, or `nodes`
/// with `links` or `edges`), `.graphml`/`.xml` GraphML, `.cypher`/`.cql` a
/// script of write statements, `.csv` a single node file.
///
/// The loaded graph is laid out for queries ([`Graph::finish_bulk_load`]).
pub fn load_path(path: &Path, format: Option<Format>) -> Result<Graph, Error> {
    let mut graph = load_path_as_is(path, format)?;
    graph.finish_bulk_load();
    Ok(graph)
}

fn load_path_as_is(path: &Path, format: Option<Format>) -> Result<Graph, Error> {
    let explicit = format.is_some();
    let format = match format {
        Some(f) => f,
        None if path.is_dir() => Format::Csv,
        None => Format::from_extension(path).ok_or_else(|| {
            Error::Data(
                DataError::new("cannot tell the format from the file name")
                    .in_file(path)
                    .with_hint("name it .json, .graphml, .cypher or give the format explicitly"),
            )
        })?,
    };
    match format {
        Format::Json | Format::NodeLink => {
            let text = read_text(path)?;
            let src = json::Source::new(&text, Some(path));
            let doc = json::parse(&src)?;
            // `.json` covers both JSON formats; the content tells them apart.
            if format == Format::NodeLink || (!explicit && nodelink::looks_like(&doc)) {
                Ok(nodelink::from_json(&src, &doc)?)
            } else {
                Ok(native::from_json(&src, &doc)?)
            }
        }
        Format::GraphMl => {
            let text = read_text(path)?;
            Ok(graphml::load_str(&text, Some(path))?)
        }
        Format::Cypher => {
            let text = read_text(path)?;
            cypher::load_str(&text, Some(path))
        }
        Format::Csv if path.is_dir() => csv::load_dir(path),
        Format::Csv => csv::load_file(path),
        other => Err(Error::Data(
            DataError::new(format!("kgq cannot load the {} format", other.name()))
                .in_file(path)
                .with_hint("load json, node-link, graphml, csv or cypher"),
        )),
    }
}

/// Loads neo4j-admin CSV node files, then relationship files, given
/// explicitly (see [`csv`] for the layout).
pub fn load_csv(node_files: &[PathBuf], rel_files: &[PathBuf]) -> Result<Graph, Error> {
    let mut graph = csv::load(node_files, rel_files)?;
    graph.finish_bulk_load();
    Ok(graph)
}

/// Options of [`export`].
#[derive(Clone, Debug, Default)]
pub struct ExportOptions {
    /// Cypher scripts: `MERGE` instead of `CREATE`, so that running the
    /// script twice does not duplicate the graph.
    pub merge: bool,
}

/// Writes `sub` in `format` to `out` (every format but the CSV directory).
///
/// ```
/// use kgq::io::{self, ExportOptions, Format, Subgraph};
/// let g = io::article_graph();
/// let mut out = Vec::new();
/// io::write_export(&g, &Subgraph::all(&g), Format::Mermaid, &mut out, &ExportOptions::default())?;
/// assert!(String::from_utf8(out).unwrap().starts_with("flowchart LR"));
/// # Ok::<(), kgq::Error>(())
/// ```
pub fn write_export(
    graph: &Graph,
    sub: &Subgraph,
    format: Format,
    out: &mut dyn Write,
    options: &ExportOptions,
) -> Result<(), Error> {
    match format {
        Format::Json => native::write(graph, sub, out),
        Format::NodeLink => nodelink::write(graph, sub, out),
        Format::GraphMl => graphml::write(graph, sub, out),
        Format::Dot => dot::write(graph, sub, out),
        Format::Cypher => cypher::write(graph, sub, options.merge, out),
        Format::Mermaid => mermaid::write(graph, sub, out),
        Format::Svg => svg::write(graph, sub, out),
        Format::Csv => Err(Error::Data(
            DataError::new("a CSV export is a directory of files, not one stream")
                .with_hint("export csv to a directory path"),
        )),
    }
}

/// Writes `sub` in `format` to `target` atomically (`-` is standard
/// output, except for CSV, which is a directory).
///
/// ```
/// use kgq::io::{self, ExportOptions, Format, Subgraph};
/// let g = io::article_graph();
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("article.graphml");
/// io::export(&g, &Subgraph::all(&g), Format::GraphMl, &path, &ExportOptions::default())?;
/// let back = io::load_path(&path, None)?;
/// assert_eq!(back.node_count(), g.node_count());
/// # Ok::<(), kgq::Error>(())
/// ```
pub fn export(
    graph: &Graph,
    sub: &Subgraph,
    format: Format,
    target: &Path,
    options: &ExportOptions,
) -> Result<(), Error> {
    if format == Format::Csv {
        if target == Path::new("-") {
            return Err(Error::Data(
                DataError::new("a CSV export is a directory and cannot go to standard output")
                    .with_hint("give a directory name"),
            ));
        }
        return csv::write_dir(graph, sub, target);
    }
    if target == Path::new("-") {
        let stdout = std::io::stdout();
        let mut lock = stdout.lock();
        write_export(graph, sub, format, &mut lock, options)?;
        return lock.flush().map_err(write_error);
    }
    atomic::write_file(target, |out| write_export(graph, sub, format, out, options)).map_err(|e| {
        match e {
            // Name the file rather than the stream the writers saw.
            Error::Io { path, source } if path == Path::new(OUTPUT) => Error::Io {
                path: target.to_path_buf(),
                source,
            },
            other => other,
        }
    })
}

/// Saves the whole graph in the native format, atomically.
pub fn save_native(graph: &Graph, path: &Path) -> Result<(), Error> {
    export(
        graph,
        &Subgraph::all(graph),
        Format::Json,
        path,
        &ExportOptions::default(),
    )
}
