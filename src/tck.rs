//! The conformance protocol of `kgq --tck-json FILE`: one scenario in
//! (parameters, setup statements, the query), one JSON object out, as
//! `../shared/tck/PROTOCOL.md` specifies.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{Map as JsonMap, Value as Json, json};

use crate::error::QueryError;
use crate::graph::Graph;
use crate::render::{from_json, to_json};
use crate::session::{Params, QueryResult, Session, Stats};

/// How long the statements of one protocol invocation may run together
/// before the running one is stopped (the runner kills the process after
/// 30 s, and an answer must come before that).
const BUDGET: Duration = Duration::from_secs(25);

/// Runs the scenario in the JSON file at `path` on an empty graph and
/// returns the one JSON object to print.
pub fn protocol_main(path: &Path) -> String {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => return input_error(&format!("cannot read {}: {e}", path.display())),
    };
    protocol_text(&text)
}

/// [`protocol_main`] on the file's text.
pub fn protocol_text(text: &str) -> String {
    let input: Json = match serde_json::from_str(text) {
        Ok(j) => j,
        Err(e) => return input_error(&format!("the input is not JSON: {e}")),
    };
    let mut params = Params::new();
    if let Some(Json::Object(map)) = input.get("params") {
        for (k, v) in map {
            match from_json(v) {
                Ok(v) => {
                    params.insert(k.clone(), v);
                }
                Err(e) => return input_error(&format!("parameter `{k}`: {e}")),
            }
        }
    }
    let setup: Vec<&str> = match input.get("setup") {
        Some(Json::Array(items)) => items.iter().filter_map(Json::as_str).collect(),
        _ => Vec::new(),
    };
    let Some(query) = input.get("query").and_then(Json::as_str) else {
        return input_error("the input has no \"query\" string");
    };
    let started = Instant::now();
    let mut session = Session::new(Graph::new());
    for (i, s) in setup.iter().enumerate() {
        session.options_mut().timeout = Some(BUDGET.saturating_sub(started.elapsed()));
        if let Err(e) = session.execute_with(s, &params) {
            return error_json(&e, Some(i)).to_string();
        }
    }
    session.options_mut().timeout = Some(BUDGET.saturating_sub(started.elapsed()));
    match session.execute_with(query, &params) {
        Ok(r) => result_json(session.graph(), &r).to_string(),
        Err(e) => error_json(&e, None).to_string(),
    }
}

fn input_error(message: &str) -> String {
    json!({"error": {"kind": null, "phase": null, "detail": null, "message": message}}).to_string()
}

/// The error object of the protocol.
pub fn error_json(e: &QueryError, setup_index: Option<usize>) -> Json {
    let mut err = JsonMap::new();
    err.insert("kind".into(), json!(e.kind.name()));
    err.insert("phase".into(), json!(e.phase.name()));
    err.insert("detail".into(), json!(e.detail));
    err.insert("message".into(), json!(e.message));
    if let Some(i) = setup_index {
        err.insert("setup_index".into(), json!(i));
    }
    json!({ "error": err })
}

/// The stats object of the protocol.
pub fn stats_json(s: &Stats) -> Json {
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

/// The success object of the protocol.
pub fn result_json(graph: &Graph, r: &QueryResult) -> Json {
    let rows: Vec<Json> = r
        .rows
        .iter()
        .map(|row| Json::Array(row.iter().map(|v| to_json(graph, v)).collect()))
        .collect();
    json!({ "columns": r.columns, "rows": rows, "stats": stats_json(&r.stats) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setup_runs_before_the_query_and_stats_count_only_the_query() {
        let out = protocol_text(
            r#"{"params": {"x": 2}, "setup": ["CREATE (:A {num: 1})"],
                "query": "MATCH (a:A) CREATE (:B {num: a.num + $x}) RETURN a.num AS num"}"#,
        );
        let v: Json = serde_json::from_str(&out).unwrap();
        assert_eq!(v["columns"], json!(["num"]));
        assert_eq!(v["rows"], json!([[1]]));
        assert_eq!(v["stats"]["nodes_created"], json!(1));
        assert_eq!(v["stats"]["labels_added"], json!(1));
        assert_eq!(v["stats"]["properties_set"], json!(1));
    }

    #[test]
    fn a_failing_setup_statement_reports_its_index() {
        let out = protocol_text(
            r#"{"params": {}, "setup": ["CREATE ()", "RETURN x"], "query": "RETURN 1"}"#,
        );
        let v: Json = serde_json::from_str(&out).unwrap();
        assert_eq!(v["error"]["setup_index"], json!(1));
        assert_eq!(v["error"]["detail"], json!("UndefinedVariable"));
        assert_eq!(v["error"]["phase"], json!("compile"));
    }
}
