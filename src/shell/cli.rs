//! Command-line arguments.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use super::command::{parse_duration, parse_size};
use super::output::OutputFormat;

/// kgq: ask a knowledge graph questions, in a query language that follows
/// openCypher. With no arguments, opens the REPL on the bundled graph of a
/// news article.
#[derive(Debug, Parser)]
#[command(name = "kgq", version, about, args_conflicts_with_subcommands = true)]
#[command(after_help = "\
Examples:
  kgq                                    REPL on the bundled article graph
  kgq -c 'MATCH (p:Person) RETURN p.name'
  kgq -f examples/who_said_what.cypher --format csv
  echo 'MATCH (n) RETURN count(n);' | kgq --format json
  kgq export --format graphml -o out.graphml --query 'MATCH (n)-[r]-(m) RETURN n, r, m'

Exit status: 0 when everything succeeded, 1 when a statement or command
failed, 2 for a usage error.")]
pub struct Cli {
    /// A subcommand (`export`); without one, the REPL or a script runs.
    #[command(subcommand)]
    pub subcommand: Option<Sub>,

    /// Open the graph in PATH (native JSON, a neo4j-admin CSV directory or a
    /// script of write statements) instead of the bundled article.
    #[arg(long, value_name = "PATH", conflicts_with = "empty", global = false)]
    pub data: Option<PathBuf>,

    /// The format of --data, when its extension does not say.
    #[arg(long, value_name = "FORMAT", requires = "data")]
    pub from: Option<String>,

    /// Start with an empty graph.
    #[arg(long)]
    pub empty: bool,

    /// Run QUERY (one or more statements separated by ;) and exit.
    #[arg(short = 'c', long = "command", value_name = "QUERY", conflicts_with_all = ["file", "check"])]
    pub query: Option<String>,

    /// Run the statements and meta-commands in FILE (- for standard input)
    /// and exit.
    #[arg(
        short = 'f',
        long = "file",
        value_name = "FILE",
        conflicts_with = "check"
    )]
    pub file: Option<PathBuf>,

    /// Parse and analyse every statement in FILE without running any, and
    /// report every error.
    #[arg(long, value_name = "FILE")]
    pub check: Option<PathBuf>,

    /// Output format: table, json, jsonl, csv, tsv or markdown.
    #[arg(long, value_name = "FORMAT", value_parser = parse_format)]
    pub format: Option<OutputFormat>,

    /// Set the query parameter $NAME to VALUE (a literal such as 42,
    /// 'text' or [1, 2]; anything else is taken as a string). Repeatable.
    #[arg(short = 'P', long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,

    /// Refuse every write.
    #[arg(long)]
    pub read_only: bool,

    /// Safe mode for scripts you did not write: no :load, :save, :export
    /// or :source. Cannot be turned off from inside.
    #[arg(long)]
    pub safe: bool,

    /// Stop any query that runs longer than DURATION (e.g. 500ms, 10s, 2m).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub timeout: Option<Duration>,

    /// Keep at most N rows of any result.
    #[arg(long, value_name = "N")]
    pub max_rows: Option<usize>,

    /// Stop any query whose intermediate rows would take more than SIZE of
    /// memory (e.g. 512MiB, 4GiB), instead of exhausting the machine.
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_memory: Option<usize>,

    /// Report the time each statement takes in the engine: in each JSON
    /// object with --format json, in the table's footer, else on standard
    /// error.
    #[arg(long)]
    pub timing: bool,

    /// Run every statement of a script even after one fails (the exit
    /// status is still 1).
    #[arg(long)]
    pub continue_on_error: bool,

    /// Do not read or write the REPL's history file.
    #[arg(long)]
    pub no_history: bool,

    /// Never page long results.
    #[arg(long)]
    pub no_pager: bool,

    /// The conformance protocol (see the TCK's PROTOCOL.md); must be the
    /// only option.
    #[arg(long, value_name = "FILE", hide = true)]
    pub tck_json: Option<PathBuf>,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Sub {
    /// Write a subgraph (what a query selects, or everything) to a file.
    Export(ExportArgs),
}

/// `kgq export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// json, node-link, graphml, dot, cypher, csv, mermaid or svg; without
    /// it, the output file's extension decides.
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,

    /// Where to write (- for standard output).
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: PathBuf,

    /// The query whose result selects the subgraph.
    #[arg(
        long,
        value_name = "QUERY",
        required_unless_present = "all",
        conflicts_with = "all"
    )]
    pub query: Option<String>,

    /// Export the whole graph.
    #[arg(long)]
    pub all: bool,

    /// Add every relationship between the selected nodes.
    #[arg(long)]
    pub induced: bool,

    /// Read the graph from PATH instead of the bundled article.
    #[arg(long, value_name = "PATH")]
    pub data: Option<PathBuf>,

    /// Set the query parameter $NAME to VALUE. Repeatable.
    #[arg(short = 'P', long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
}

fn parse_format(name: &str) -> Result<OutputFormat, String> {
    OutputFormat::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = OutputFormat::ALL.iter().map(|f| f.name()).collect();
        format!("expected one of {}", names.join(", "))
    })
}

/// Splits `NAME=VALUE`.
pub fn split_param(arg: &str) -> Result<(&str, &str), String> {
    let (name, value) = arg
        .split_once('=')
        .ok_or_else(|| format!("-P {arg}: expected NAME=VALUE"))?;
    let name = name.trim().trim_start_matches('$');
    if !crate::graph::is_plain_identifier(name) {
        return Err(format!("-P {arg}: `{name}` is not a parameter name"));
    }
    Ok((name, value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_argument_definitions_are_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn tck_json_is_accepted() {
        let cli = Cli::try_parse_from(["kgq", "--tck-json", "s.json"]).unwrap();
        assert_eq!(cli.tck_json, Some(PathBuf::from("s.json")));
    }

    #[test]
    fn command_and_file_conflict() {
        assert!(Cli::try_parse_from(["kgq", "-c", "RETURN 1", "-f", "x"]).is_err());
    }

    #[test]
    fn export_needs_a_query_or_all() {
        assert!(Cli::try_parse_from(["kgq", "export", "-o", "x.dot"]).is_err());
        let cli = Cli::try_parse_from(["kgq", "export", "-o", "x.dot", "--all"]).unwrap();
        assert!(matches!(
            cli.subcommand,
            Some(Sub::Export(ExportArgs { all: true, .. }))
        ));
    }

    #[test]
    fn params_split_at_the_first_equals_sign() {
        assert_eq!(split_param("who=a=b"), Ok(("who", "a=b")));
        assert!(split_param("novalue").is_err());
        assert!(split_param("1x=2").is_err());
    }
}
