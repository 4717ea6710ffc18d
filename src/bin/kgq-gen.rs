//! `kgq-gen`: writes a generated news graph as a neo4j-admin CSV
//! directory, with `params.json` naming the nodes benchmark queries use.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use kgq::generate::NewsData;

/// Generate a deterministic news-style knowledge graph as neo4j-admin CSV.
#[derive(Parser, Debug)]
#[command(name = "kgq-gen", version)]
struct Args {
    /// Number of relationships (nodes are about a quarter of this).
    #[arg(long, default_value_t = 10_000)]
    rels: u64,
    /// Seed of the pseudo-random generator; the same seed gives the same files.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Directory to write `nodes_*.csv`, `rels_*.csv` and `params.json` into
    /// (created if missing; files of the same names are replaced).
    #[arg(long)]
    out: PathBuf,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let started = Instant::now();
    let data = NewsData::generate(args.rels, args.seed);
    let result = data
        .write_csv(&args.out)
        .and_then(|_| data.write_params(&args.out.join("params.json")));
    match result {
        Ok(()) => {
            eprintln!(
                "kgq-gen: {} nodes, {} relationships written to {} in {:.2} s",
                data.node_count(),
                data.rel_count(),
                args.out.display(),
                started.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!(
                "kgq-gen: cannot write to {}: {e}; check that the directory is writable",
                args.out.display()
            );
            ExitCode::FAILURE
        }
    }
}
