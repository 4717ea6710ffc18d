//! The `kgq` binary: everything is in `kgq::shell`, except the conformance
//! protocol, whose `--tck-json FILE` are the last two arguments.

use std::path::Path;
use std::process::ExitCode;

/// mimalloc rather than the system allocator: a loaded graph is millions of
/// small allocations (value slices, strings), which mimalloc keeps in
/// size-class pages without a header each. At 10^6 relationships that is
/// 16 MiB less resident memory, and consecutive elements' values sit side
/// by side, so scans and groupings touch fewer cache lines (BENCHMARKS.md).
/// Built without transparent huge pages (`no_thp` in Cargo.toml): with
/// them, partly used 2 MiB pages raised the resident peak of that load by
/// 13 MiB, for a few percent on the traversal-heavy queries.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let [.., flag, file] = args.as_slice()
        && flag == "--tck-json"
    {
        print!("{}", kgq::tck::protocol_main(Path::new(file)));
        return ExitCode::SUCCESS;
    }
    kgq::shell::main()
}
