//! The example scripts in `examples/` answer questions about the article;
//! each `NAME.cypher` runs with `--format csv` and must print exactly
//! `NAME.out`, which was written from reading the article.

use std::path::{Path, PathBuf};
use std::process::Command;

fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")
}

fn scripts() -> Vec<PathBuf> {
    let mut scripts: Vec<PathBuf> = std::fs::read_dir(examples_dir())
        .expect("examples/ exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "cypher"))
        .collect();
    scripts.sort();
    scripts
}

#[test]
fn there_are_several_examples_each_with_its_expected_output() {
    let scripts = scripts();
    assert!(scripts.len() >= 4, "{scripts:?}");
    for script in scripts {
        let expected = script.with_extension("out");
        assert!(
            expected.exists(),
            "{} has no {}",
            script.display(),
            expected.display()
        );
        let text = std::fs::read_to_string(&script).unwrap();
        assert!(
            text.starts_with("//"),
            "{} opens with the question it answers",
            script.display()
        );
    }
}

#[test]
fn every_example_prints_its_expected_output() {
    let mut failures = Vec::new();
    for script in scripts() {
        let out = Command::new(env!("CARGO_BIN_EXE_kgq"))
            .args(["--format", "csv", "-f"])
            .arg(&script)
            .output()
            .unwrap();
        let expected = std::fs::read_to_string(script.with_extension("out")).unwrap();
        let actual = String::from_utf8_lossy(&out.stdout);
        if !out.status.success() || actual != expected {
            failures.push(format!(
                "{}:\n--- expected\n{expected}--- actual\n{actual}--- stderr\n{}",
                script.display(),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
