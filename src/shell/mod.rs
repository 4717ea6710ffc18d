//! The `kgq` shell: the REPL, script files, standard input and one-shot
//! queries, all fed through one [`runner::Shell`] the same way; results in
//! a box table or a machine-readable format.
//!
//! [`main`] is the binary's entry point; `src/main.rs` only calls it.

pub mod cli;
pub mod command;
pub mod data;
pub mod help;
pub mod helper;
pub mod history;
pub mod lexer;
pub mod output;
pub mod repl;
pub mod runner;
pub mod schema;
pub mod script;
pub mod suggest;

use std::io::{self, IsTerminal, Read, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;

use cli::{Cli, ExportArgs, Sub};
use output::OutputFormat;
use runner::{Shell, color_allowed};
use script::Outcome;

use crate::graph::{Graph, Value};
use crate::session::{Params, Session};

/// Exit status for a usage error (bad arguments, unreadable script).
const USAGE: u8 = 2;
/// Exit status when a statement or command failed.
const FAILED: u8 = 1;

/// Runs the `kgq` command line and returns its exit status.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with status 0; errors to
            // stderr with status 2.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { USAGE } else { 0 });
        }
    };
    if cli.tck_json.is_some() {
        eprintln!("kgq: --tck-json FILE must be the last two arguments: kgq --tck-json FILE");
        return ExitCode::from(USAGE);
    }
    if let Some(Sub::Export(args)) = &cli.subcommand {
        return export_main(args);
    }
    if let Some(path) = &cli.check {
        return check_main(path, &cli);
    }
    run_main(&cli)
}

/// Reads the graph the options ask for: `--data`, `--empty` or the
/// bundled article. Returns it with a description.
fn initial_graph(
    data: Option<&Path>,
    from: Option<&str>,
    empty: bool,
) -> Result<(Graph, String), String> {
    if empty {
        return Ok((Graph::new(), "an empty graph".to_owned()));
    }
    match data {
        Some(path) => data::load(path, from)
            .map(|g| (g, path.display().to_string()))
            .map_err(|e| format!("kgq: cannot load {}: {e}", path.display())),
        None => Ok((data::bundled_graph(), "the article graph".to_owned())),
    }
}

/// The value of `-P name=VALUE`: a literal the engine can evaluate, else
/// JSON, else the text itself.
pub fn param_value(session: &mut Session, text: &str) -> Value {
    if let Ok(result) = session.execute(&format!("RETURN {text}"))
        && let Some(value) = result.rows.first().and_then(|r| r.first())
        && !matches!(value, Value::Node(_) | Value::Rel(_) | Value::Path(_))
    {
        return value.clone();
    }
    if let Ok(json) = serde_json::from_str::<serde_json::Value>(text)
        && let Ok(value) = crate::render::from_json(&json)
    {
        return value;
    }
    Value::String(text.to_owned())
}

fn set_params(session: &mut Session, args: &[String]) -> Result<(), String> {
    for arg in args {
        let (name, text) = cli::split_param(arg)?;
        let value = param_value(session, text);
        session.params_mut().insert(name.to_owned(), value);
    }
    Ok(())
}

fn read_input(path: &Path) -> Result<(String, String), String> {
    if path == Path::new("-") {
        let mut text = String::new();
        io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| format!("kgq: cannot read standard input: {e}"))?;
        return Ok((text, "<stdin>".to_owned()));
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("kgq: cannot read {}: {e}", path.display()))?;
    Ok((text, path.display().to_string()))
}

fn run_main(cli: &Cli) -> ExitCode {
    let started = Instant::now();
    let (graph, from) = match initial_graph(cli.data.as_deref(), cli.from.as_deref(), cli.empty) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(FAILED);
        }
    };
    let load_time = started.elapsed();
    let terminal = io::stdout().is_terminal();
    let out = Box::new(io::BufWriter::new(io::stdout()));
    let mut shell = Shell::new(graph, out, Box::new(io::stderr()));
    shell.loaded_from = from;
    shell.load_time = load_time;
    shell.terminal = terminal;
    shell.pager = terminal && !cli.no_pager;
    shell.safe = cli.safe;
    shell.output.format = cli.format.unwrap_or(OutputFormat::Table);
    shell.output.timing = cli.timing;
    shell.output.color = terminal && color_allowed();
    {
        let options = shell.session.options_mut();
        options.read_only = cli.read_only;
        options.timeout = cli.timeout;
        options.max_rows = cli.max_rows;
        options.max_memory = cli.max_memory;
    }
    if let Err(e) = set_params(&mut shell.session, &cli.params) {
        eprintln!("kgq: {e}");
        return ExitCode::from(USAGE);
    }

    let script = if let Some(query) = &cli.query {
        Some((query.clone(), None))
    } else if let Some(path) = &cli.file {
        match read_input(path) {
            Ok((text, name)) => Some((text, Some(name))),
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(USAGE);
            }
        }
    } else if !io::stdin().is_terminal() {
        match read_input(Path::new("-")) {
            Ok((text, name)) => Some((text, Some(name))),
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(FAILED);
            }
        }
    } else {
        None
    };
    match script {
        Some((text, name)) => {
            let outcome =
                script::run_text(&mut shell, &text, name.as_deref(), cli.continue_on_error);
            shell.flush();
            if shell.failures > 0 || outcome == Outcome::Stopped {
                ExitCode::from(FAILED)
            } else {
                ExitCode::SUCCESS
            }
        }
        None => {
            let history = if cli.no_history {
                None
            } else {
                history::default_path()
            };
            repl::run(shell, history)
        }
    }
}

fn check_main(path: &Path, cli: &Cli) -> ExitCode {
    let (text, name) = match read_input(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(USAGE);
        }
    };
    let mut session = Session::new(Graph::new());
    if let Err(e) = set_params(&mut session, &cli.params) {
        eprintln!("kgq: {e}");
        return ExitCode::from(USAGE);
    }
    let params: Params = session.params().clone();
    let (count, errors) = script::check_text(&text, &name, &params);
    for e in &errors {
        eprintln!("{e}");
    }
    if errors.is_empty() {
        println!("{name}: {count} statements and commands, no errors");
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "{name}: {} errors in {count} statements and commands",
            errors.len()
        );
        ExitCode::from(FAILED)
    }
}

fn export_main(args: &ExportArgs) -> ExitCode {
    let (graph, _) = match initial_graph(args.data.as_deref(), None, false) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(FAILED);
        }
    };
    let mut session = Session::new(graph);
    if let Err(e) = set_params(&mut session, &args.params) {
        eprintln!("kgq: {e}");
        return ExitCode::from(USAGE);
    }
    let result = match &args.query {
        Some(query) => match session.execute(query) {
            Ok(result) => Some(result),
            Err(e) => {
                eprintln!("{}", e.render(query, None));
                return ExitCode::from(FAILED);
            }
        },
        None => None,
    };
    let outcome = data::export(
        session.graph(),
        result.as_ref(),
        args.induced,
        args.format.as_deref(),
        &args.output,
    );
    let _ = io::stdout().flush();
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kgq export: {e}");
            ExitCode::from(FAILED)
        }
    }
}
