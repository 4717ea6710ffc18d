//! The box table people read in the REPL.

use std::io::{self, Write};

use comfy_table::{Attribute, Cell, ContentArrangement, Row, Table, presets};

use super::{OutputOptions, cell_text, footer, stats_summary};
use crate::graph::Graph;
use crate::session::QueryResult;

/// Writes the plan (for `EXPLAIN`/`PROFILE`), the table, the footer and the
/// summary of what changed.
pub fn write<W: Write + ?Sized>(
    out: &mut W,
    graph: &Graph,
    result: &QueryResult,
    options: &OutputOptions,
) -> io::Result<()> {
    if let Some(plan) = &result.plan {
        writeln!(out, "{}", plan.trim_end())?;
    }
    if !result.columns.is_empty() {
        let table = build(graph, result, options);
        writeln!(out, "{table}")?;
        writeln!(out, "{}", footer(result, options.timing))?;
    } else if options.timing {
        writeln!(out, "{}", super::timing_text(&result.timing))?;
    }
    match stats_summary(&result.stats) {
        Some(summary) => writeln!(out, "{summary}")?,
        None if result.columns.is_empty() && result.plan.is_none() => {
            writeln!(out, "No changes, no rows")?
        }
        None => {}
    }
    Ok(())
}

fn build(graph: &Graph, result: &QueryResult, options: &OutputOptions) -> Table {
    let mut table = Table::new();
    table.load_style(presets::UTF8_FULL_CONDENSED);
    if options.color {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    let header: Vec<Cell> = result
        .columns
        .iter()
        .map(|c| {
            let cell = Cell::new(c);
            if options.color {
                cell.add_attribute(Attribute::Bold)
            } else {
                cell
            }
        })
        .collect();
    table.set_header(header);
    match options.width {
        Some(width) => {
            table.set_width(u16::try_from(width).unwrap_or(u16::MAX));
            table.set_truncation_indicator("…");
            table.set_content_arrangement(ContentArrangement::Dynamic);
        }
        None => {
            table.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    for values in &result.rows {
        let mut row = Row::new();
        for value in values {
            let mut text = cell_text(graph, value, "null");
            if options.width.is_some() {
                // One line per row: a value's own line breaks would make a
                // fitted table hard to scan; `:last` shows them in full.
                text = text.replace(['\n', '\r'], " ");
            }
            row.add_cell(Cell::new(text));
        }
        if options.width.is_some() {
            row.max_height(1);
        }
        table.add_row(row);
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Value;
    use crate::shell::output::OutputFormat;

    fn result(rows: Vec<Vec<Value>>) -> QueryResult {
        QueryResult {
            columns: vec!["who".into(), "said".into()],
            rows,
            ..QueryResult::default()
        }
    }

    fn render(result: &QueryResult, width: Option<usize>) -> String {
        let mut out = Vec::new();
        let options = OutputOptions {
            format: OutputFormat::Table,
            width,
            ..OutputOptions::default()
        };
        write(&mut out, &Graph::new(), result, &options).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_table_has_a_header_the_rows_and_a_footer() {
        let text = render(
            &result(vec![vec![
                Value::from("Donald Trump"),
                Value::from("Vladimir, STOP!"),
            ]]),
            None,
        );
        assert!(
            text.contains("│ who          ┆ said            │"),
            "{text}"
        );
        assert!(
            text.contains("│ Donald Trump ┆ Vladimir, STOP! │"),
            "{text}"
        );
        assert!(text.ends_with("1 row\n"), "{text}");
    }

    #[test]
    fn a_narrow_terminal_cuts_long_values_with_an_ellipsis() {
        let long =
            "I am not happy with the Russian strikes on KYIV. Not necessary, and very bad timing.";
        let text = render(
            &result(vec![vec![Value::from("Donald Trump"), Value::from(long)]]),
            Some(40),
        );
        for line in text.lines() {
            assert!(line.chars().count() <= 40, "too wide: {line:?}");
        }
        assert!(text.contains('…'), "{text}");
        assert!(!text.contains("bad timing"), "{text}");
    }

    #[test]
    fn without_a_width_values_are_shown_in_full() {
        let long = "a ".repeat(100);
        let text = render(
            &result(vec![vec![Value::Null, Value::from(long.trim())]]),
            None,
        );
        assert!(text.contains(long.trim()));
        assert!(text.contains("null"));
    }

    #[test]
    fn a_write_without_columns_shows_what_changed() {
        let mut r = QueryResult::default();
        r.stats.nodes_created = 1;
        assert_eq!(render(&r, None), "Created 1 node\n");
        assert_eq!(
            render(&QueryResult::default(), None),
            "No changes, no rows\n"
        );
    }
}
