//! The `kgq` command line: one-shots, scripts, standard input, output
//! formats, error messages and exit statuses.

use std::path::Path;
use std::process::Output;

use assert_cmd::Command;

fn kgq() -> Command {
    let mut cmd = Command::cargo_bin("kgq").expect("the kgq binary is built");
    cmd.env_remove("NO_COLOR").env("PAGER", "cat");
    cmd
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

// ---- usage errors: exit 2 --------------------------------------------------

#[test]
fn an_unknown_output_format_is_a_usage_error() {
    let o = kgq()
        .args(["--format", "xml", "-c", "RETURN 1"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("expected one of table, json, jsonl, csv, tsv, markdown"));
}

#[test]
fn command_and_file_together_are_a_usage_error() {
    let o = kgq()
        .args(["-c", "RETURN 1", "-f", "x.cypher"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_missing_script_file_is_a_usage_error_naming_the_file() {
    let o = kgq()
        .args(["-f", "no/such/script.cypher"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("cannot read no/such/script.cypher"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_malformed_parameter_is_a_usage_error() {
    let o = kgq()
        .args(["-P", "novalue", "-c", "RETURN 1"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("expected NAME=VALUE"));
}

#[test]
fn export_without_query_or_all_is_a_usage_error() {
    let o = kgq().args(["export", "-o", "out.dot"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn tck_json_is_not_rejected_as_an_unknown_option() {
    let o = kgq()
        .args(["--tck-json", "x.json", "--empty"])
        .output()
        .unwrap();
    assert!(
        !stderr(&o).contains("unexpected argument"),
        "{}",
        stderr(&o)
    );
}

// ---- meta-commands in scripts ---------------------------------------------

#[test]
fn a_mistyped_command_in_a_file_is_placed_and_gets_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "s.cypher",
        "// setup\n:format csv\n:shema\n:stats\n",
    );
    let o = kgq().args(["--empty", "-f", &path]).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "{path}:3:1: error: unknown command `:shema`; did you mean `:schema`?"
        )),
        "{err}"
    );
    // Stopped at the first error: :stats did not run.
    assert!(!stdout(&o).contains("nodes:"), "{}", stdout(&o));
}

#[test]
fn continue_on_error_runs_everything_and_still_fails() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "s.cypher", ":shema\n:stats\n:timing maybe\n");
    let o = kgq()
        .args(["--empty", "--continue-on-error", "-f", &path])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("nodes:"), "{}", stdout(&o));
    assert!(
        stderr(&o).contains(&format!("{path}:3:1: error: expected on or off")),
        "{}",
        stderr(&o)
    );
}

#[test]
fn commands_run_from_standard_input() {
    let o = kgq()
        .arg("--empty")
        .write_stdin(":help commands\n:params\n")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains(":schema"), "{out}");
    assert!(out.contains("No parameters."), "{out}");
}

#[test]
fn safe_mode_refuses_to_write_files() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("g.json");
    let o = kgq()
        .args([
            "--empty",
            "--safe",
            "-c",
            &format!(":save {}", target.display()),
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("safe mode"), "{}", stderr(&o));
    assert!(!target.exists());
}

#[test]
fn help_tells_a_newcomer_how_to_ask_who_said_what() {
    let o = kgq().args(["-c", ":help"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.contains(":schema"), "{out}");
    assert!(out.contains("REBUKED"), "{out}");
    assert!(out.contains("Quote"), "{out}");
}

#[test]
fn stats_reports_an_empty_graph() {
    let o = kgq().args(["--empty", "-c", ":stats"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(
        out.lines()
            .any(|l| l.starts_with("nodes:") && l.split_whitespace().nth(1) == Some("0")),
        "{out}"
    );
}

// ---- queries (need the engine) ---------------------------------------------

#[test]
fn a_one_shot_query_prints_a_table_with_a_footer() {
    let o = kgq()
        .args(["--empty", "-c", "RETURN 1 AS one, 'Kyiv' AS city"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("│ one ┆ city │"), "{out}");
    assert!(out.contains("│ 1   ┆ Kyiv │"), "{out}");
    assert!(out.ends_with("1 row\n"), "{out}");
}

#[test]
fn every_output_format_writes_the_same_result() {
    let query = "UNWIND [1, 2] AS n RETURN n, 'a, \"b\"' AS s, null AS z, 1.0 AS f";
    let cases = [
        (
            "csv",
            "n,s,z,f\n1,\"a, \"\"b\"\"\",,1.0\n2,\"a, \"\"b\"\"\",,1.0\n",
        ),
        (
            "tsv",
            "n\ts\tz\tf\n1\t\"a, \"\"b\"\"\"\t\t1.0\n2\t\"a, \"\"b\"\"\"\t\t1.0\n",
        ),
        (
            "jsonl",
            "{\"n\":1,\"s\":\"a, \\\"b\\\"\",\"z\":null,\"f\":{\"~float\":1.0}}\n{\"n\":2,\"s\":\"a, \\\"b\\\"\",\"z\":null,\"f\":{\"~float\":1.0}}\n",
        ),
        (
            "markdown",
            "| n | s | z | f |\n|---|---|---|---|\n| 1 | a, \"b\" | null | 1.0 |\n| 2 | a, \"b\" | null | 1.0 |\n",
        ),
    ];
    for (format, expected) in cases {
        let o = kgq()
            .args(["--empty", "--format", format, "-c", query])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{format}: {}", stderr(&o));
        assert_eq!(stdout(&o), expected, "format {format}");
    }
    let o = kgq()
        .args(["--empty", "--format", "json", "-c", query])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["columns"], serde_json::json!(["n", "s", "z", "f"]));
    assert_eq!(
        json["rows"][1],
        serde_json::json!([2, "a, \"b\"", null, {"~float": 1.0}])
    );
    assert_eq!(json["stats"]["nodes_created"], serde_json::json!(0));
}

#[test]
fn the_last_statement_of_a_script_needs_no_semicolon() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "s.cypher",
        "RETURN 1 AS a;\n// next\nRETURN 2 AS b",
    );
    let o = kgq()
        .args(["--empty", "--format", "csv", "-f", &path])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "a\n1\nb\n2\n");
}

#[test]
fn statements_piped_on_standard_input_run_in_order() {
    let o = kgq()
        .args(["--empty", "--format", "csv"])
        .write_stdin("CREATE (:City {name: 'Kyiv'});\nMATCH (c:City) RETURN c.name AS name\n")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "name\nKyiv\n");
    assert!(stderr(&o).contains("Created 1 node"), "{}", stderr(&o));
}

#[test]
fn an_error_in_a_file_shows_file_line_column_and_a_caret() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "bad.cypher",
        "RETURN 1 AS a;\n\nMATCH (n)\nRETURN m;\nRETURN 3;\n",
    );
    let o = kgq()
        .args(["--empty", "--format", "csv", "-f", &path])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains(&format!("at {path}:4:8")), "{err}");
    assert!(err.contains("  RETURN m;\n         ^"), "{err}");
    // Stopped there: the statement after the error did not run.
    assert_eq!(stdout(&o), "a\n1\n");
}

#[test]
fn parameters_from_the_command_line_are_literals_or_strings() {
    let o = kgq()
        .args([
            "--empty",
            "--format",
            "csv",
            "-P",
            "n=41",
            "-P",
            "who=Vladimir Putin",
        ])
        .args(["-c", "RETURN $n + 1 AS n, $who AS who"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "n,who\n42,Vladimir Putin\n");
}

#[test]
fn read_only_refuses_writes() {
    let o = kgq()
        .args(["--empty", "--read-only", "-c", "CREATE (:X)"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn timing_goes_into_each_json_statement() {
    let o = kgq()
        .args([
            "--empty",
            "--format",
            "json",
            "--timing",
            "-c",
            "RETURN 1 AS a; RETURN 2 AS b",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let objects: Vec<serde_json::Value> = serde_json::Deserializer::from_slice(&o.stdout)
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(objects.len(), 2);
    for object in objects {
        for key in ["parse_ms", "plan_ms", "execute_ms"] {
            assert!(object["timing"][key].is_number(), "{object}");
        }
    }
}

#[test]
fn a_query_with_a_misspelt_label_gets_a_did_you_mean_note() {
    let o = kgq()
        .args([
            "--empty",
            "-c",
            "CREATE (:Person {name: 'Ada'}); MATCH (p:Preson) RETURN p.name",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("no label `Preson`; did you mean `Person`?"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn check_reports_every_error_without_running_anything() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "c.cypher",
        "CREATE (:X);\nMATCH (n) RETURN m;\n:shema\nRETURN 1 +;\n",
    );
    let o = kgq().args(["--check", &path]).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains(&format!("{path}:2:")), "{err}");
    assert!(
        err.contains(&format!("{path}:3:1: error: unknown command")),
        "{err}"
    );
    assert!(err.contains(&format!("{path}:4:")), "{err}");
    assert!(err.contains("3 errors"), "{err}");
}

// ---- graph files -----------------------------------------------------------

#[test]
fn a_saved_graph_loads_again_with_data() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("g.json");
    let script = format!(
        "CREATE (:City {{name: 'Kyiv'}})-[:CAPITAL_OF]->(:Country {{name: 'Ukraine'}});\n:save {}\n",
        file.display()
    );
    let o = kgq().arg("--empty").write_stdin(script).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("Saved the graph"), "{}", stderr(&o));
    let o = kgq()
        .args(["--format", "csv", "--data"])
        .arg(&file)
        .args([
            "-c",
            "MATCH (c)-[:CAPITAL_OF]->(k) RETURN c.name AS city, k.name AS country",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "city,country\nKyiv,Ukraine\n");
}

#[test]
fn a_graph_that_cannot_be_loaded_fails_with_its_name() {
    let o = kgq()
        .args(["--data", "no/such/graph.json", "-c", "RETURN 1"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no/such/graph.json"), "{}", stderr(&o));
}

#[test]
fn a_failed_load_leaves_the_graph_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(dir.path(), "bad.json", "{\"kgq_graph\": 1, \"nodes\": [");
    let script = format!(":load {bad}\nMATCH (p:Person) RETURN count(p) > 0 AS still_there\n");
    let o = kgq()
        .args(["--format", "csv", "--continue-on-error"])
        .write_stdin(script)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("The graph in memory is unchanged."),
        "{}",
        stderr(&o)
    );
    assert_eq!(stdout(&o), "still_there\ntrue\n");
}

#[test]
fn export_in_a_script_writes_the_subgraph_a_query_selects() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rebuke.json");
    let command = format!(
        ":export json {} MATCH (a)-[r:REBUKED]->(b) RETURN a, r, b",
        file.display()
    );
    let o = kgq().args(["-c", &command]).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // The file is a graph again: exactly the two people and the rebuke.
    let o = kgq()
        .args(["--format", "csv", "--data"])
        .arg(&file)
        .args([
            "-c",
            "MATCH (n) RETURN n.name AS name ORDER BY name; MATCH ()-[r]->() RETURN type(r) AS t",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "name\nDonald Trump\nVladimir Putin\nt\nREBUKED\n"
    );
}

#[test]
fn the_export_subcommand_writes_to_standard_output() {
    let o = kgq()
        .args(["export", "--format", "json", "-o", "-"])
        .args(["--query", "MATCH (p:Person {name: 'Marco Rubio'}) RETURN p"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let nodes = json["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 1, "{json}");
    assert_eq!(nodes[0]["properties"]["name"], "Marco Rubio");
}

#[test]
fn safe_mode_refuses_to_export() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x.dot");
    let o = kgq()
        .args([
            "--safe",
            "-c",
            &format!(":export dot {} MATCH (n) RETURN n", file.display()),
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(!file.exists());
}

#[test]
fn the_examples_in_help_find_who_rebuked_putin_where_and_in_which_words() {
    // What a new user sees first: the example queries of `:help`, run as
    // they are printed.
    let help = stdout(&kgq().args(["-c", ":help"]).output().unwrap());
    let block: Vec<&str> = help
        .lines()
        .skip_while(|l| !l.starts_with("Start with"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .collect();
    let queries: String = block
        .iter()
        .map(|l| l.trim_start())
        .filter(|l| !l.starts_with(':'))
        .map(|l| l.split("  ").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(queries.matches(';').count() >= 4, "{queries}");
    let o = kgq()
        .args(["--format", "csv", "-c", &queries])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{queries}\n{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("Donald Trump,Vladimir Putin,Truth Social,Thursday"),
        "{out}"
    );
    assert!(
        out.contains("Donald Trump,\"Vladimir, STOP!\",Truth Social"),
        "{out}"
    );
}

#[test]
fn source_runs_a_file_and_places_its_errors_in_that_file() {
    let dir = tempfile::tempdir().unwrap();
    let inner = write(dir.path(), "inner.cypher", "RETURN 1 AS a;\n:nope\n");
    let o = kgq()
        .args([
            "--empty",
            "--format",
            "csv",
            "-c",
            &format!(":source {inner}"),
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o), "a\n1\n");
    assert!(
        stderr(&o).contains(&format!("{inner}:2:1: error: unknown command `:nope`")),
        "{}",
        stderr(&o)
    );
}

#[test]
fn timing_in_a_data_format_goes_to_standard_error() {
    let o = kgq()
        .args([
            "--empty",
            "--format",
            "csv",
            "--timing",
            "-c",
            "RETURN 1 AS a",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "a\n1\n");
    let err = stderr(&o);
    assert!(
        err.starts_with("time: ") && err.contains("(parse "),
        "{err}"
    );
}

#[test]
fn export_takes_the_format_from_the_extension_or_says_it_cannot() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rebuke.dot");
    let query = "MATCH (a)-[r:REBUKED]->(b) RETURN a, r, b";
    let o = kgq()
        .args(["-c", &format!(":export {} {query}", file.display())])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let dot = std::fs::read_to_string(&file).unwrap();
    assert!(
        dot.contains("digraph") && dot.contains("Vladimir Putin"),
        "{dot}"
    );

    let unknown = dir.path().join("rebuke.txt");
    let o = kgq()
        .args(["-c", &format!(":export {} {query}", unknown.display())])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("cannot tell the format"),
        "{}",
        stderr(&o)
    );
    assert!(!unknown.exists());
}
