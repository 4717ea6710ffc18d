//! The error catalogue `docs/errors.md` against the program: every
//! example query produces the kind, detail and message the page states, and
//! every data example the stated message, so the page cannot drift.

use std::fs;
use std::sync::atomic::Ordering;
use std::thread;
use std::time::Duration;

use kgq::Session;
use kgq::error::Error;

const CATALOGUE: &str = include_str!("../docs/errors.md");

/// The fenced blocks with info string `info`, as their lines.
fn blocks(info: &str) -> Vec<Vec<&'static str>> {
    let mut out = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    for line in CATALOGUE.lines() {
        match &mut current {
            None if line.trim_end() == format!("```{info}") => current = Some(Vec::new()),
            None => {}
            Some(lines) if line.trim_end() == "```" => {
                out.push(std::mem::take(lines));
                current = None;
            }
            Some(lines) => lines.push(line),
        }
    }
    assert!(current.is_none(), "an unclosed ```{info} block");
    out
}

/// `⟨x×n⟩` stands for n copies of x.
fn expand(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('⟨') {
        out.push_str(&rest[..open]);
        let after = &rest[open + '⟨'.len_utf8()..];
        let close = after.find('⟩').expect("⟨ has its ⟩");
        let (piece, count) = after[..close].rsplit_once('×').expect("⟨piece×count⟩");
        out.push_str(&piece.repeat(count.parse().expect("a count")));
        rest = &after[close + '⟩'.len_utf8()..];
    }
    out.push_str(rest);
    out
}

fn millis(s: &str) -> Duration {
    Duration::from_millis(s.trim_end_matches("ms").parse().expect("a duration in ms"))
}

/// Runs one `error` block; returns a description of a mismatch.
fn check_query(lines: &[&str]) -> Result<(), String> {
    let (expected, head) = lines.split_last().ok_or("an empty block")?;
    let mut session = Session::new(kgq::io::article_graph());
    let mut cancel_after = None;
    let mut query = None;
    for line in head {
        if let Some(q) = line.strip_prefix("query: ") {
            query = Some(expand(q));
        } else if let Some(o) = line.strip_prefix("option: ") {
            let (name, value) = o.split_once(' ').unwrap_or((o, ""));
            match name {
                "read-only" => session.options_mut().read_only = true,
                "max-rows" => session.options_mut().max_rows = value.parse().ok(),
                "max-memory" => session.options_mut().max_memory = value.parse().ok(),
                "timeout" => session.options_mut().timeout = Some(millis(value)),
                "cancel-after" => cancel_after = Some(millis(value)),
                other => return Err(format!("unknown option `{other}`")),
            }
        } else {
            return Err(format!("unexpected line `{line}`"));
        }
    }
    let query = query.ok_or("no `query:` line")?;
    let canceller = cancel_after.map(|after| {
        let flag = session.cancel_flag();
        thread::spawn(move || {
            thread::sleep(after);
            flag.store(true, Ordering::SeqCst);
        })
    });
    // A safety net so that an example that does not fail cannot hang.
    if session.options().timeout.is_none() {
        session.options_mut().timeout = Some(Duration::from_secs(30));
    }
    let result = session.execute(&query);
    if let Some(c) = canceller {
        c.join().map_err(|_| "the canceller panicked")?;
    }
    match result {
        Ok(r) => Err(format!("`{query}` succeeded with {} rows", r.rows.len())),
        Err(e) if e.to_string() == *expected => Ok(()),
        Err(e) => Err(format!("`{query}`\n   gives: {e}\n   page:  {expected}")),
    }
}

/// Runs one `data-error` block.
fn check_data(lines: &[&str]) -> Result<(), String> {
    let [format, input, expected] = lines else {
        return Err(format!(
            "expected format, input and message lines: {lines:?}"
        ));
    };
    let format = format.strip_prefix("format: ").ok_or("no `format:` line")?;
    let input = input.strip_prefix("input: ").ok_or("no `input:` line")?;
    let input = input.replace("\\n", "\n") + "\n";
    let error = match format {
        "json" => match kgq::io::native::load_str(input.trim_end(), None) {
            Ok(_) => return Err(format!("`{input}` loaded")),
            Err(e) => e,
        },
        "csv" => {
            let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
            let (nodes, rels) = input.split_once(" | ").unwrap_or((&input, ""));
            let n = dir.path().join("nodes.csv");
            fs::write(&n, nodes).map_err(|e| e.to_string())?;
            let mut rel_files = Vec::new();
            if !rels.is_empty() {
                let r = dir.path().join("rels.csv");
                fs::write(&r, rels).map_err(|e| e.to_string())?;
                rel_files.push(r);
            }
            match kgq::io::load_csv(&[n], &rel_files) {
                Ok(_) => return Err(format!("`{input}` loaded")),
                Err(Error::Data(e)) => e,
                Err(other) => return Err(format!("not a data error: {other}")),
            }
        }
        other => return Err(format!("unknown format `{other}`")),
    };
    let mut shown = error.clone();
    shown.path = None;
    let shown = shown.to_string();
    let first = shown.lines().next().unwrap_or("");
    if first == *expected {
        Ok(())
    } else {
        Err(format!(
            "{format} `{input}`\n   gives: {first}\n   page:  {expected}"
        ))
    }
}

#[test]
fn every_query_example_gives_the_stated_error() {
    let examples = blocks("error");
    assert!(examples.len() >= 40, "only {} examples", examples.len());
    let failures: Vec<String> = examples
        .iter()
        .filter_map(|b| check_query(b).err())
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_data_example_gives_the_stated_error() {
    let examples = blocks("data-error");
    assert!(examples.len() >= 10, "only {} examples", examples.len());
    let failures: Vec<String> = examples
        .iter()
        .filter_map(|b| check_data(b).err())
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_kind_has_a_section() {
    use kgq::error::ErrorKind::*;
    for kind in [
        SyntaxError,
        SemanticError,
        TypeError,
        ArgumentError,
        EntityNotFound,
        ConstraintVerificationFailed,
        ParameterMissing,
        ProcedureError,
        ArithmeticError,
        Cancelled,
        ResourceLimit,
        NotAllowed,
    ] {
        assert!(
            CATALOGUE.contains(&format!("### {} (", kind.name())),
            "docs/errors.md has no entry for {kind}"
        );
    }
}
