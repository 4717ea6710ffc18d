//! [`Format`]: the file formats kgq reads and writes.

use std::path::Path;

/// A graph file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// kgq's native JSON (`kgq_graph`), the format of `data/article.json`.
    Json,
    /// Node-link JSON, as networkx's `node_link_graph` and d3 read it.
    NodeLink,
    /// GraphML with declared, typed keys.
    GraphMl,
    /// Graphviz DOT.
    Dot,
    /// A script of write statements (`CREATE` or `MERGE`).
    Cypher,
    /// A neo4j-admin import directory of CSV files.
    Csv,
    /// A Mermaid flowchart.
    Mermaid,
    /// An SVG picture drawn by kgq.
    Svg,
}

const ALL: [Format; 8] = [
    Format::Json,
    Format::NodeLink,
    Format::GraphMl,
    Format::Dot,
    Format::Cypher,
    Format::Csv,
    Format::Mermaid,
    Format::Svg,
];

impl Format {
    /// Every format, in the order help texts list them.
    pub fn all() -> &'static [Format] {
        &ALL
    }

    /// The name users type (`json`, `node-link`, `graphml`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::NodeLink => "node-link",
            Format::GraphMl => "graphml",
            Format::Dot => "dot",
            Format::Cypher => "cypher",
            Format::Csv => "csv",
            Format::Mermaid => "mermaid",
            Format::Svg => "svg",
        }
    }

    /// The format called `s` (case-insensitive; a few aliases such as
    /// `nodelink`, `gv`, `cql`, `mmd` are accepted).
    pub fn from_name(s: &str) -> Option<Format> {
        let lower = s.trim().to_ascii_lowercase();
        Some(match lower.as_str() {
            "json" | "native" => Format::Json,
            "node-link" | "nodelink" | "node_link" => Format::NodeLink,
            "graphml" => Format::GraphMl,
            "dot" | "gv" | "graphviz" => Format::Dot,
            "cypher" | "cql" => Format::Cypher,
            "csv" | "neo4j-admin" => Format::Csv,
            "mermaid" | "mmd" => Format::Mermaid,
            "svg" => Format::Svg,
            _ => return None,
        })
    }

    /// The format a file name suggests. `.json` means native JSON here;
    /// loading looks at the content to tell native from node-link.
    pub fn from_extension(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "json" => Format::Json,
            "graphml" | "xml" => Format::GraphMl,
            "dot" | "gv" => Format::Dot,
            "cypher" | "cql" => Format::Cypher,
            "csv" => Format::Csv,
            "mmd" | "mermaid" => Format::Mermaid,
            "svg" => Format::Svg,
            _ => return None,
        })
    }

    /// Whether kgq can load a graph from this format.
    pub fn can_import(self) -> bool {
        matches!(
            self,
            Format::Json | Format::NodeLink | Format::GraphMl | Format::Cypher | Format::Csv
        )
    }

    /// Whether kgq can export to this format (all of them).
    pub fn can_export(self) -> bool {
        true
    }

    /// Whether the export is a directory rather than one file.
    pub fn is_directory(self) -> bool {
        self == Format::Csv
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_parses_back_to_its_format() {
        for &f in Format::all() {
            assert_eq!(Format::from_name(f.name()), Some(f));
        }
        assert_eq!(Format::from_name("GraphML"), Some(Format::GraphMl));
        assert_eq!(Format::from_name("png"), None);
    }

    #[test]
    fn extensions_pick_formats() {
        assert_eq!(
            Format::from_extension(Path::new("a/b.GraphML")),
            Some(Format::GraphMl)
        );
        assert_eq!(
            Format::from_extension(Path::new("x.cql")),
            Some(Format::Cypher)
        );
        assert_eq!(Format::from_extension(Path::new("x")), None);
        assert!(!Format::Svg.can_import());
        assert!(Format::Csv.can_import());
    }
}
