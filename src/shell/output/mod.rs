//! How results are written: a box table for people, or json, jsonl, csv,
//! tsv or markdown for programs and documents. Everything is written to a
//! `W: Write`, so tests capture exactly what a user would see.

mod delimited;
mod json;
pub mod pager;
mod table;

use std::io::{self, Write};
use std::time::Duration;

use crate::graph::{Graph, Value};
use crate::render;
use crate::session::{QueryResult, Stats, Timing};

/// An output format of the shell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    /// A box table fitted to the terminal, with a footer.
    Table,
    /// One JSON object per statement: columns, rows, stats (and timing).
    Json,
    /// One JSON object per row, keyed by column.
    Jsonl,
    /// Comma-separated values with a header row.
    Csv,
    /// Tab-separated values with a header row.
    Tsv,
    /// A Markdown table.
    Markdown,
}

impl OutputFormat {
    /// Every format, in the order help lists them.
    pub const ALL: [OutputFormat; 6] = [
        OutputFormat::Table,
        OutputFormat::Json,
        OutputFormat::Jsonl,
        OutputFormat::Csv,
        OutputFormat::Tsv,
        OutputFormat::Markdown,
    ];

    /// The format's name.
    pub fn name(self) -> &'static str {
        match self {
            OutputFormat::Table => "table",
            OutputFormat::Json => "json",
            OutputFormat::Jsonl => "jsonl",
            OutputFormat::Csv => "csv",
            OutputFormat::Tsv => "tsv",
            OutputFormat::Markdown => "markdown",
        }
    }

    /// The format named `name` (case-insensitive; `md` for markdown).
    pub fn from_name(name: &str) -> Option<OutputFormat> {
        let name = name.to_lowercase();
        if name == "md" {
            return Some(OutputFormat::Markdown);
        }
        OutputFormat::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// How to write results.
#[derive(Clone, Debug)]
pub struct OutputOptions {
    /// The format.
    pub format: OutputFormat,
    /// Fit tables into this many columns, cutting long values with `…`;
    /// `None` writes every value in full.
    pub width: Option<usize>,
    /// Use ANSI colours.
    pub color: bool,
    /// Report the time each statement took.
    pub timing: bool,
}

impl Default for OutputOptions {
    fn default() -> Self {
        OutputOptions {
            format: OutputFormat::Table,
            width: None,
            color: false,
            timing: false,
        }
    }
}

/// Writes `result` to `out` as `options` say. In the table format this
/// includes the footer (row count, time, what changed); the other formats
/// write only data, and the caller reports [`notes`] elsewhere.
pub fn write_result<W: Write + ?Sized>(
    out: &mut W,
    graph: &Graph,
    result: &QueryResult,
    options: &OutputOptions,
) -> io::Result<()> {
    match options.format {
        OutputFormat::Table => table::write(out, graph, result, options),
        OutputFormat::Json => json::write_statement(out, graph, result, options.timing),
        OutputFormat::Jsonl => json::write_rows(out, graph, result),
        OutputFormat::Csv => delimited::write_csv(out, graph, result, b','),
        OutputFormat::Tsv => delimited::write_csv(out, graph, result, b'\t'),
        OutputFormat::Markdown => delimited::write_markdown(out, graph, result),
    }
}

/// What the data formats leave out and the caller should show on the
/// diagnostic stream: the summary of a write and, with timing on, the
/// time. Empty for the table and json formats, which carry both.
pub fn notes(result: &QueryResult, options: &OutputOptions) -> Vec<String> {
    if matches!(options.format, OutputFormat::Table | OutputFormat::Json) {
        return Vec::new();
    }
    let mut notes = Vec::new();
    if let Some(summary) = stats_summary(&result.stats) {
        notes.push(summary);
    }
    if options.timing {
        notes.push(format!("time: {}", timing_text(&result.timing)));
    }
    notes
}

/// A value as a cell of a table or CSV file: strings without quotes, every
/// other value in query notation; `null_text` for null.
pub fn cell_text(graph: &Graph, value: &Value, null_text: &str) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => null_text.to_owned(),
        other => render::to_text(graph, other),
    }
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `Created 2 nodes, set 3 properties`, or `None` when nothing changed.
pub fn stats_summary(stats: &Stats) -> Option<String> {
    let parts: Vec<String> = [
        (stats.nodes_created, "created", "node", "nodes"),
        (stats.nodes_deleted, "deleted", "node", "nodes"),
        (
            stats.relationships_created,
            "created",
            "relationship",
            "relationships",
        ),
        (
            stats.relationships_deleted,
            "deleted",
            "relationship",
            "relationships",
        ),
        (stats.properties_set, "set", "property", "properties"),
        (
            stats.properties_removed,
            "removed",
            "property",
            "properties",
        ),
        (stats.labels_added, "added", "label", "labels"),
        (stats.labels_removed, "removed", "label", "labels"),
    ]
    .iter()
    .filter(|(n, ..)| *n > 0)
    .scan("", |last_verb, (n, verb, one, many)| {
        // "created 2 nodes, 1 relationship": a verb is said once in a row.
        let counted = plural(*n, one, many);
        let part = if last_verb == verb {
            counted
        } else {
            format!("{verb} {counted}")
        };
        *last_verb = verb;
        Some(part)
    })
    .collect();
    if parts.is_empty() {
        return None;
    }
    let mut text = parts.join(", ");
    text[..1].make_ascii_uppercase();
    Some(text)
}

/// A duration in milliseconds with a sensible precision.
pub fn millis(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 10.0 {
        format!("{ms:.2} ms")
    } else if ms < 1000.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{:.2} s", ms / 1000.0)
    }
}

/// `1.23 ms (parse 0.10 ms, plan 0.02 ms, execute 1.11 ms)`.
pub fn timing_text(t: &Timing) -> String {
    format!(
        "{} (parse {}, plan {}, execute {})",
        millis(t.parse + t.plan + t.execute),
        millis(t.parse),
        millis(t.plan),
        millis(t.execute)
    )
}

/// The table footer: `3 rows`, plus the time with timing on.
pub fn footer(result: &QueryResult, timing: bool) -> String {
    let mut text = plural(result.rows.len() as u64, "row", "rows");
    if timing {
        text.push_str(&format!(", {}", timing_text(&result.timing)));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_round_trip() {
        for f in OutputFormat::ALL {
            assert_eq!(OutputFormat::from_name(f.name()), Some(f));
        }
        assert_eq!(OutputFormat::from_name("MD"), Some(OutputFormat::Markdown));
        assert_eq!(OutputFormat::from_name("xml"), None);
    }

    #[test]
    fn write_summary_names_what_changed() {
        let stats = Stats {
            nodes_created: 2,
            properties_set: 3,
            relationships_created: 1,
            ..Stats::default()
        };
        assert_eq!(
            stats_summary(&stats).as_deref(),
            Some("Created 2 nodes, 1 relationship, set 3 properties")
        );
        assert_eq!(stats_summary(&Stats::default()), None);
    }

    #[test]
    fn footer_counts_rows() {
        let mut r = QueryResult {
            columns: vec!["x".into()],
            rows: vec![vec![Value::Int(1)]],
            ..QueryResult::default()
        };
        assert_eq!(footer(&r, false), "1 row");
        r.rows.push(vec![Value::Int(2)]);
        assert_eq!(footer(&r, false), "2 rows");
        r.timing.execute = Duration::from_millis(12);
        assert!(footer(&r, true).starts_with("2 rows, 12.0 ms (parse"));
    }

    #[test]
    fn cells_show_strings_bare_and_other_values_in_query_notation() {
        let g = Graph::new();
        assert_eq!(cell_text(&g, &Value::from("Kyiv"), ""), "Kyiv");
        assert_eq!(cell_text(&g, &Value::Null, "null"), "null");
        assert_eq!(
            cell_text(
                &g,
                &Value::List(vec![Value::from("a"), Value::Float(1.0)]),
                ""
            ),
            "['a', 1.0]"
        );
    }
}
