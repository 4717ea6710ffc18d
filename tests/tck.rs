//! The openCypher TCK harness: runs every scenario of the feature files in
//! `KGQ_TCK_DIR` (default `../shared/tck/features` beside the crate),
//! prints passed/failed per directory, and fails if a scenario listed in
//! `tests/tck/passing.txt` no longer passes. `KGQ_TCK_UPDATE=1` rewrites
//! `passing.txt` and `skipped.txt` (failures grouped by reason).
//! When the directory is absent the harness says so and passes.

#[path = "tck/support.rs"]
mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use gherkin::{Feature, GherkinEnv, StepType};
use kgq::error::QueryError;
use kgq::graph::Graph;
use kgq::session::{Params, QueryResult, Session, Stats};
use support::{canonical_actual, parse_expected};

/// Most time one statement may take before it is cancelled: generous, so
/// that slow scenarios in a debug build on a loaded machine do not flake,
/// yet a runaway query cannot hang the harness.
const STATEMENT_TIMEOUT: Duration = Duration::from_secs(10);

/// Directories whose scenarios do not count towards the totals (temporal
/// types and procedures are outside the language kgq implements so far).
const EXCLUDED: [&str; 2] = ["expressions/temporal/", "clauses/call/"];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Category {
    Result,
    Error,
}

struct Scenario {
    id: String,
    dir: String,
    category: Category,
    steps: Vec<gherkin::Step>,
    given_graph: Option<String>,
}

struct Outcome {
    passed: bool,
    reason: String,
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::var_os("KGQ_TCK_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/tck/features"));
    if !dir.is_dir() {
        println!(
            "tck: skipped: no feature directory at {} (set KGQ_TCK_DIR to the TCK's features/)",
            dir.display()
        );
        return;
    }
    let started = Instant::now();
    let graphs_dir = dir.join("../graphs");
    let mut files = Vec::new();
    collect_features(&dir, &mut files);
    files.sort();
    let mut scenarios = Vec::new();
    for f in &files {
        let rel = f
            .strip_prefix(&dir)
            .unwrap_or(f)
            .to_string_lossy()
            .replace('\\', "/");
        match Feature::parse_path(f, GherkinEnv::default()) {
            Ok(feature) => expand(&feature, &rel, &mut scenarios),
            Err(_) => {
                // The Gherkin parser rejects a few files as a whole (very
                // long lines); parse them one scenario at a time instead.
                let text = std::fs::read_to_string(f).unwrap_or_default();
                for chunk in split_scenarios(&text) {
                    match Feature::parse(&chunk, GherkinEnv::default()) {
                        Ok(feature) => expand(&feature, &rel, &mut scenarios),
                        Err(e) => eprintln!("tck: cannot parse a scenario of {rel}: {e}"),
                    }
                }
            }
        }
    }
    let filter = std::env::var("KGQ_TCK_FILTER").ok();
    let mut results: Vec<(Scenario, Outcome)> = Vec::new();
    for s in scenarios {
        if let Some(f) = &filter
            && !s.id.contains(f.as_str())
        {
            continue;
        }
        let t0 = Instant::now();
        let outcome = run_scenario(&s, &graphs_dir);
        let took = t0.elapsed();
        if took > Duration::from_millis(300) {
            println!("tck: slow scenario ({:.1} s): {}", took.as_secs_f64(), s.id);
        }
        if filter.is_some() {
            println!(
                "{} {}{}",
                if outcome.passed { "PASS" } else { "FAIL" },
                s.id,
                if outcome.passed {
                    String::new()
                } else {
                    format!("\n    {}", outcome.reason)
                }
            );
        }
        results.push((s, outcome));
    }
    report(&results);
    println!(
        "tck: {} scenarios in {:.1} s",
        results.len(),
        started.elapsed().as_secs_f64()
    );

    let passing_path = root.join("tests/tck/passing.txt");
    let skipped_path = root.join("tests/tck/skipped.txt");
    let passing: BTreeSet<String> = results
        .iter()
        .filter(|(_, o)| o.passed)
        .map(|(s, _)| s.id.clone())
        .collect();
    if std::env::var("KGQ_TCK_UPDATE").is_ok_and(|v| v == "1") {
        let mut text = String::new();
        for id in &passing {
            text.push_str(id);
            text.push('\n');
        }
        std::fs::create_dir_all(root.join("tests/tck")).expect("create tests/tck");
        std::fs::write(&passing_path, text).expect("write passing.txt");
        std::fs::write(&skipped_path, skipped_text(&results)).expect("write skipped.txt");
        println!(
            "tck: wrote {} and {}",
            passing_path.display(),
            skipped_path.display()
        );
        return;
    }
    if filter.is_some() {
        return;
    }
    let listed = std::fs::read_to_string(&passing_path).unwrap_or_default();
    let regressions: Vec<&str> = listed
        .lines()
        .filter(|l| !l.trim().is_empty() && !passing.contains(*l))
        .collect();
    if !regressions.is_empty() {
        eprintln!(
            "tck: {} scenario(s) listed in tests/tck/passing.txt no longer pass:",
            regressions.len()
        );
        for r in &regressions {
            let reason = results
                .iter()
                .find(|(s, _)| s.id == *r)
                .map_or("not found in the feature files".to_owned(), |(_, o)| {
                    o.reason.clone()
                });
            eprintln!("  {r}\n      {reason}");
        }
        std::process::exit(1);
    }
}

/// Splits a feature file into one feature text per scenario.
fn split_scenarios(text: &str) -> Vec<String> {
    let mut header = String::new();
    let mut chunks: Vec<String> = Vec::new();
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with('@') {
            continue;
        }
        if t.starts_with("Scenario") {
            chunks.push(header.clone());
        }
        match chunks.last_mut() {
            Some(c) => c.push_str(line),
            None if t.starts_with("Feature") => header.push_str(line),
            None => continue,
        }
        match chunks.last_mut() {
            Some(c) => c.push('\n'),
            None => header.push_str("\n\n"),
        }
    }
    chunks
}

fn collect_features(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect_features(&p, out);
        } else if p.extension().is_some_and(|x| x == "feature") {
            out.push(p);
        }
    }
}

/// Expands a feature into scenarios: outlines give one per example row.
fn expand(feature: &Feature, rel: &str, out: &mut Vec<Scenario>) {
    let dir = rel.rsplit_once('/').map_or("", |(d, _)| d).to_owned() + "/";
    let background: Vec<gherkin::Step> = feature
        .background
        .as_ref()
        .map(|b| b.steps.clone())
        .unwrap_or_default();
    for sc in &feature.scenarios {
        if sc.tags.iter().any(|t| t == "ignore") {
            continue;
        }
        let mut variants: Vec<(String, Vec<gherkin::Step>)> = Vec::new();
        let table = sc.examples.first().and_then(|e| e.table.as_ref());
        match table {
            Some(t) if t.rows.len() > 1 => {
                let header = &t.rows[0];
                for (i, row) in t.rows.iter().skip(1).enumerate() {
                    let subst = |s: &str| {
                        let mut s = s.to_owned();
                        for (h, v) in header.iter().zip(row) {
                            s = s.replace(&format!("<{h}>"), v);
                        }
                        s
                    };
                    let steps = sc
                        .steps
                        .iter()
                        .map(|st| {
                            let mut st = st.clone();
                            st.value = subst(&st.value);
                            st.docstring = st.docstring.as_deref().map(subst);
                            if let Some(t) = &mut st.table {
                                for r in &mut t.rows {
                                    for c in r.iter_mut() {
                                        *c = subst(c);
                                    }
                                }
                            }
                            st
                        })
                        .collect();
                    variants.push((format!("{rel}:{} #{}", sc.name, i + 1), steps));
                }
            }
            _ => variants.push((format!("{rel}:{}", sc.name), sc.steps.clone())),
        }
        for (id, steps) in variants {
            let mut all = background.clone();
            all.extend(steps);
            let category = if all
                .iter()
                .any(|s| s.ty == StepType::Then && s.value.contains("should be raised"))
            {
                Category::Error
            } else {
                Category::Result
            };
            let given_graph = all.iter().find_map(|s| {
                let v = s.value.trim();
                (s.ty == StepType::Given && v.starts_with("the ") && v.ends_with(" graph"))
                    .then(|| v["the ".len()..v.len() - " graph".len()].to_owned())
            });
            out.push(Scenario {
                id,
                dir: dir.clone(),
                category,
                steps: all,
                given_graph,
            });
        }
    }
}

/// The last query's outcome.
enum Last {
    None,
    Ok(QueryResult),
    Err(QueryError),
}

fn fail(reason: impl Into<String>) -> Outcome {
    Outcome {
        passed: false,
        reason: reason.into(),
    }
}

fn run_scenario(s: &Scenario, graphs_dir: &Path) -> Outcome {
    let mut session = Session::new(Graph::new());
    session.options_mut().timeout = Some(STATEMENT_TIMEOUT);
    if let Some(name) = &s.given_graph {
        let path = graphs_dir.join(name).join(format!("{name}.cypher"));
        let Ok(script) = std::fs::read_to_string(&path) else {
            return fail(format!("setup: no named graph at {}", path.display()));
        };
        if let Err(e) = session.execute(&script) {
            return fail(format!("setup: named graph {name}: {e}"));
        }
    }
    let mut params = Params::new();
    let mut last = Last::None;
    for step in &s.steps {
        let v = step.value.trim();
        let doc = step.docstring.as_deref().unwrap_or("");
        if v.starts_with("having executed") {
            if let Err(e) = session.execute_with(doc, &params) {
                return fail(format!("setup: {e}"));
            }
        } else if v.starts_with("parameters are") {
            for row in step
                .table
                .as_ref()
                .map(|t| t.rows.as_slice())
                .unwrap_or(&[])
            {
                if row.len() != 2 {
                    continue;
                }
                match parse_expected(&row[1]).and_then(|e| e.to_value()) {
                    Some(val) => {
                        params.insert(row[0].clone(), val);
                    }
                    None => return fail(format!("cannot read parameter {}", row[1])),
                }
            }
        } else if v.starts_with("there exists a procedure") {
            return fail("unsupported: procedures");
        } else if step.ty == StepType::When {
            last = match session.execute_with(doc, &params) {
                Ok(r) => Last::Ok(r),
                Err(e) => Last::Err(e),
            };
        } else if step.ty == StepType::Then {
            if let Err(reason) = check(v, step, &last, session.graph()) {
                return fail(reason);
            }
        }
    }
    Outcome {
        passed: true,
        reason: String::new(),
    }
}

fn check(v: &str, step: &gherkin::Step, last: &Last, g: &Graph) -> Result<(), String> {
    if v.contains("should be raised") {
        return check_error(v, last);
    }
    if v == "no side effects" {
        return match last {
            Last::Ok(r) => compare_stats(&r.stats, &BTreeMap::new()),
            Last::Err(e) => Err(format!(
                "unexpected error: {} ({}): {}",
                e.kind, e.detail, e.message
            )),
            Last::None => Err("no query ran".into()),
        };
    }
    if v.starts_with("the side effects should be") {
        let mut want = BTreeMap::new();
        for row in step
            .table
            .as_ref()
            .map(|t| t.rows.as_slice())
            .unwrap_or(&[])
        {
            if row.len() == 2 {
                want.insert(
                    row[0].trim().to_owned(),
                    row[1].trim().parse::<u64>().unwrap_or(0),
                );
            }
        }
        return match last {
            Last::Ok(r) => compare_stats(&r.stats, &want),
            Last::Err(e) => Err(format!(
                "unexpected error: {} ({}): {}",
                e.kind, e.detail, e.message
            )),
            Last::None => Err("no query ran".into()),
        };
    }
    if v.starts_with("the result should be") {
        let r = match last {
            Last::Ok(r) => r,
            Last::Err(e) => {
                return Err(format!(
                    "unexpected error: {} ({}): {}",
                    e.kind, e.detail, e.message
                ));
            }
            Last::None => return Err("no query ran".into()),
        };
        let ordered = v.contains("in order");
        let unordered_lists = v.contains("ignoring element order for lists");
        let empty = v.contains("empty");
        let table: &[Vec<String>] = step
            .table
            .as_ref()
            .map(|t| t.rows.as_slice())
            .unwrap_or(&[]);
        if empty {
            if !r.rows.is_empty() {
                return Err(format!("expected no rows, got {}", r.rows.len()));
            }
            return Ok(());
        }
        let Some((header, rows)) = table.split_first() else {
            return Err("expected table missing".into());
        };
        if *header != r.columns {
            return Err(format!("columns: expected {header:?}, got {:?}", r.columns));
        }
        let mut want: Vec<Vec<String>> = Vec::new();
        for row in rows {
            let mut cells = Vec::new();
            for c in row {
                match parse_expected(c) {
                    Some(e) => cells.push(e.canonical(unordered_lists)),
                    None => return Err(format!("cannot read expected value {c}")),
                }
            }
            want.push(cells);
        }
        let mut got: Vec<Vec<String>> = r
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|v| canonical_actual(g, v, unordered_lists))
                    .collect()
            })
            .collect();
        if !ordered {
            want.sort();
            got.sort();
        }
        if want != got {
            return Err(format!(
                "rows differ:\n      expected {}\n      got      {}",
                show_rows(&want),
                show_rows(&got)
            ));
        }
        return Ok(());
    }
    Err(format!("unknown step: {v}"))
}

fn show_rows(rows: &[Vec<String>]) -> String {
    let shown: Vec<String> = rows
        .iter()
        .take(6)
        .map(|r| format!("[{}]", r.join(", ")))
        .collect();
    let more = if rows.len() > 6 {
        format!(" ... ({} rows)", rows.len())
    } else {
        String::new()
    };
    format!("{}{more}", shown.join(" "))
}

fn compare_stats(s: &Stats, want: &BTreeMap<String, u64>) -> Result<(), String> {
    let got = [
        ("+nodes", s.nodes_created),
        ("-nodes", s.nodes_deleted),
        ("+relationships", s.relationships_created),
        ("-relationships", s.relationships_deleted),
        ("+properties", s.properties_set),
        ("-properties", s.properties_removed),
        ("+labels", s.labels_added),
        ("-labels", s.labels_removed),
    ];
    let mut diffs = Vec::new();
    for (k, v) in got {
        let w = want.get(k).copied().unwrap_or(0);
        if w != v {
            diffs.push(format!("{k}: expected {w}, got {v}"));
        }
    }
    if diffs.is_empty() {
        Ok(())
    } else {
        Err(format!("side effects differ: {}", diffs.join(", ")))
    }
}

fn check_error(v: &str, last: &Last) -> Result<(), String> {
    // "a TypeError should be raised at runtime: InvalidArgumentType"
    let words: Vec<&str> = v.split_whitespace().collect();
    let kind = words.get(1).copied().unwrap_or("");
    let (phase_text, detail) = v
        .split_once("raised at ")
        .map(|(_, rest)| {
            rest.split_once(':')
                .map_or((rest, ""), |(p, d)| (p.trim(), d.trim()))
        })
        .unwrap_or(("", ""));
    let e = match last {
        Last::Err(e) => e,
        Last::Ok(r) => {
            return Err(format!(
                "expected {kind} ({detail}) at {phase_text}, got a result of {} rows",
                r.rows.len()
            ));
        }
        Last::None => return Err("no query ran".into()),
    };
    let phase_ok = match phase_text {
        "compile time" => e.phase.name() == "compile",
        "runtime" => e.phase.name() == "runtime",
        _ => true,
    };
    let detail_ok = detail == "*" || e.detail == detail;
    if e.kind.name() != kind || !detail_ok || !phase_ok {
        return Err(format!(
            "expected {kind} ({detail}) at {phase_text}, got {} ({}) at {}: {}",
            e.kind,
            e.detail,
            e.phase.name(),
            e.message
        ));
    }
    Ok(())
}

fn report(results: &[(Scenario, Outcome)]) {
    // dir -> (passed, total) for each category.
    let mut table: BTreeMap<&str, [(usize, usize); 2]> = BTreeMap::new();
    for (s, o) in results {
        let e = table.entry(s.dir.as_str()).or_default();
        let c = &mut e[if s.category == Category::Result { 0 } else { 1 }];
        c.1 += 1;
        if o.passed {
            c.0 += 1;
        }
    }
    println!("{:<48} {:>15} {:>15}", "directory", "result", "error");
    let mut totals = [(0usize, 0usize); 2];
    for (dir, counts) in &table {
        let excluded = EXCLUDED.iter().any(|x| dir.starts_with(x));
        println!(
            "{:<48} {:>15} {:>15}{}",
            dir,
            format!("{}/{}", counts[0].0, counts[0].1),
            format!("{}/{}", counts[1].0, counts[1].1),
            if excluded { "  (not counted)" } else { "" }
        );
        if !excluded {
            for i in 0..2 {
                totals[i].0 += counts[i].0;
                totals[i].1 += counts[i].1;
            }
        }
    }
    let pct = |(p, t): (usize, usize)| {
        if t == 0 {
            0.0
        } else {
            100.0 * p as f64 / t as f64
        }
    };
    println!(
        "total (without {}): result {}/{} = {:.1}%, error {}/{} = {:.1}%",
        EXCLUDED.join(", "),
        totals[0].0,
        totals[0].1,
        pct(totals[0]),
        totals[1].0,
        totals[1].1,
        pct(totals[1])
    );
}

/// The failures grouped by a short reason, one group per reason.
fn skipped_text(results: &[(Scenario, Outcome)]) -> String {
    let mut groups: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (s, o) in results.iter().filter(|(_, o)| !o.passed) {
        groups
            .entry(reason_group(&o.reason))
            .or_default()
            .push(&s.id);
    }
    let mut out = String::from(
        "# TCK scenarios that do not pass yet, grouped by reason (written by\n# `KGQ_TCK_UPDATE=1 cargo test --test tck`).\n",
    );
    for (reason, ids) in groups {
        out.push_str(&format!("\n# {reason} ({})\n", ids.len()));
        for id in ids {
            out.push_str(id);
            out.push('\n');
        }
    }
    out
}

fn reason_group(reason: &str) -> String {
    let first = reason.lines().next().unwrap_or("");
    if let Some((_, rest)) = first.split_once("there is no function `") {
        let name = rest.split('`').next().unwrap_or(rest);
        let root = name.split('.').next().unwrap_or(name);
        if [
            "date",
            "time",
            "datetime",
            "localtime",
            "localdatetime",
            "duration",
        ]
        .contains(&root)
        {
            return "temporal values (date, time, datetime, localtime, localdatetime, duration) are not in kgq's model yet".to_owned();
        }
        return format!("not implemented: the function `{name}`");
    }
    if first.starts_with("unsupported") {
        return format!("{first}: the TCK's test procedures are not registered in kgq");
    }
    if let Some(rest) = first.strip_prefix("expected ") {
        if let Some((want, got)) = rest.split_once(", got ") {
            let got = got.split(':').next().unwrap_or(got);
            return format!("error: expected {want}, got {got}");
        }
    }
    if first.starts_with("rows differ") {
        return "wrong rows".to_owned();
    }
    if first.starts_with("side effects differ") {
        return "wrong side effects".to_owned();
    }
    if let Some(rest) = first.strip_prefix("unexpected error: ") {
        return format!(
            "unexpected error {}",
            rest.split(':').next().unwrap_or(rest)
        );
    }
    if let Some(rest) = first.strip_prefix("setup: ") {
        return format!("setup failed: {}", rest.split(':').next().unwrap_or(rest));
    }
    first.chars().take(80).collect()
}
