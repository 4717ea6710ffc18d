//! CSV, TSV and Markdown tables.

use std::io::{self, Write};

use super::cell_text;
use crate::graph::Graph;
use crate::session::QueryResult;

/// A header row and one record per row; null is an empty field, strings
/// are bare, other values in query notation. Quoting is the `csv` crate's.
pub fn write_csv<W: Write + ?Sized>(
    out: &mut W,
    graph: &Graph,
    result: &QueryResult,
    delimiter: u8,
) -> io::Result<()> {
    if result.columns.is_empty() {
        return Ok(());
    }
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(Vec::new());
    let to_io = |e: csv::Error| io::Error::other(e.to_string());
    writer.write_record(&result.columns).map_err(to_io)?;
    for row in &result.rows {
        writer
            .write_record(row.iter().map(|v| cell_text(graph, v, "")))
            .map_err(to_io)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| io::Error::other(e.to_string()))?;
    out.write_all(&bytes)
}

fn markdown_cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace("\r\n", "<br>")
        .replace(['\n', '\r'], "<br>")
}

/// A GitHub-flavoured Markdown table.
pub fn write_markdown<W: Write + ?Sized>(
    out: &mut W,
    graph: &Graph,
    result: &QueryResult,
) -> io::Result<()> {
    if result.columns.is_empty() {
        return Ok(());
    }
    let header: Vec<String> = result.columns.iter().map(|c| markdown_cell(c)).collect();
    writeln!(out, "| {} |", header.join(" | "))?;
    writeln!(out, "|{}", "---|".repeat(result.columns.len()))?;
    for row in &result.rows {
        let cells: Vec<String> = row
            .iter()
            .map(|v| markdown_cell(&cell_text(graph, v, "null")))
            .collect();
        writeln!(out, "| {} |", cells.join(" | "))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Value;

    fn sample() -> QueryResult {
        QueryResult {
            columns: vec!["speaker".into(), "text".into(), "n".into()],
            rows: vec![
                vec![
                    Value::from("Donald Trump"),
                    Value::from("Not necessary, and very \"bad\" timing."),
                    Value::Int(1),
                ],
                vec![Value::from("Tammy Bruce"), Value::Null, Value::Float(2.0)],
            ],
            ..QueryResult::default()
        }
    }

    fn text(f: impl Fn(&mut Vec<u8>) -> io::Result<()>) -> String {
        let mut out = Vec::new();
        f(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn csv_quotes_fields_with_commas_and_quotes() {
        let g = Graph::new();
        let csv = text(|o| write_csv(o, &g, &sample(), b','));
        assert_eq!(
            csv,
            "speaker,text,n\nDonald Trump,\"Not necessary, and very \"\"bad\"\" timing.\",1\nTammy Bruce,,2.0\n"
        );
    }

    #[test]
    fn tsv_separates_with_tabs() {
        let g = Graph::new();
        let tsv = text(|o| write_csv(o, &g, &sample(), b'\t'));
        assert!(tsv.starts_with("speaker\ttext\tn\n"));
        assert!(tsv.ends_with("Tammy Bruce\t\t2.0\n"));
    }

    #[test]
    fn markdown_escapes_pipes() {
        let g = Graph::new();
        let mut r = sample();
        r.rows[1][0] = Value::from("a|b");
        let md = text(|o| write_markdown(o, &g, &r));
        let lines: Vec<&str> = md.lines().collect();
        assert_eq!(lines[0], "| speaker | text | n |");
        assert_eq!(lines[1], "|---|---|---|");
        assert_eq!(lines[3], "| a\\|b | null | 2.0 |");
    }
}
