//! JSON output, with values in the conformance protocol's encoding
//! (`crate::render::to_json`).

use std::io::{self, Write};

use serde_json::{Map, Value as Json, json};

use crate::graph::Graph;
use crate::render::to_json;
use crate::session::{QueryResult, Stats, Timing};

fn stats_json(s: &Stats) -> Json {
    json!({
        "nodes_created": s.nodes_created,
        "nodes_deleted": s.nodes_deleted,
        "relationships_created": s.relationships_created,
        "relationships_deleted": s.relationships_deleted,
        "properties_set": s.properties_set,
        "properties_removed": s.properties_removed,
        "labels_added": s.labels_added,
        "labels_removed": s.labels_removed,
    })
}

fn ms(d: std::time::Duration) -> f64 {
    // Microsecond precision is plenty and keeps the numbers short.
    (d.as_secs_f64() * 1_000_000.0).round() / 1000.0
}

fn timing_json(t: &Timing) -> Json {
    json!({ "parse_ms": ms(t.parse), "plan_ms": ms(t.plan), "execute_ms": ms(t.execute) })
}

/// The statement as one object: `columns`, `rows` (arrays in column
/// order), `stats`, `plan` when there is one, and `timing` when asked.
pub fn statement_json(graph: &Graph, result: &QueryResult, timing: bool) -> Json {
    let mut object = Map::new();
    object.insert("columns".into(), json!(result.columns));
    let rows: Vec<Json> = result
        .rows
        .iter()
        .map(|row| Json::Array(row.iter().map(|v| to_json(graph, v)).collect()))
        .collect();
    object.insert("rows".into(), Json::Array(rows));
    object.insert("stats".into(), stats_json(&result.stats));
    if let Some(plan) = &result.plan {
        object.insert("plan".into(), json!(plan));
    }
    if timing {
        object.insert("timing".into(), timing_json(&result.timing));
    }
    Json::Object(object)
}

/// Writes [`statement_json`] on one line.
pub fn write_statement<W: Write + ?Sized>(
    out: &mut W,
    graph: &Graph,
    result: &QueryResult,
    timing: bool,
) -> io::Result<()> {
    let text = serde_json::to_string(&statement_json(graph, result, timing))
        .map_err(|e| io::Error::other(e.to_string()))?;
    writeln!(out, "{text}")
}

/// One object per row, keyed by column name.
pub fn write_rows<W: Write + ?Sized>(
    out: &mut W,
    graph: &Graph,
    result: &QueryResult,
) -> io::Result<()> {
    for row in &result.rows {
        let object: Map<String, Json> = result
            .columns
            .iter()
            .zip(row)
            .map(|(c, v)| (c.clone(), to_json(graph, v)))
            .collect();
        writeln!(out, "{}", Json::Object(object))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Value;

    #[test]
    fn a_statement_object_holds_columns_rows_stats_and_timing() {
        let mut g = Graph::new();
        let n = g.add_node(["Person"], [("name", Value::from("Marco Rubio"))]);
        let result = QueryResult {
            columns: vec!["p".into(), "x".into()],
            rows: vec![vec![Value::Node(n), Value::Float(1.0)]],
            ..QueryResult::default()
        };
        let json = statement_json(&g, &result, true);
        assert_eq!(json["columns"], json!(["p", "x"]));
        assert_eq!(
            json["rows"][0][0]["~node"]["properties"]["name"],
            json!("Marco Rubio")
        );
        assert_eq!(json["rows"][0][1], json!({"~float": 1.0}));
        assert_eq!(json["stats"]["nodes_created"], json!(0));
        assert!(json["timing"]["execute_ms"].is_number());
        assert!(statement_json(&g, &result, false).get("timing").is_none());
    }

    #[test]
    fn jsonl_writes_one_object_per_row() {
        let g = Graph::new();
        let result = QueryResult {
            columns: vec!["a".into()],
            rows: vec![vec![Value::Int(1)], vec![Value::Null]],
            ..QueryResult::default()
        };
        let mut out = Vec::new();
        write_rows(&mut out, &g, &result).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "{\"a\":1}\n{\"a\":null}\n");
    }
}
