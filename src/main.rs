//! The `kgq` binary: everything is in `kgq::shell`, except the conformance
//! protocol, which takes exactly `--tck-json FILE`.

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.len() == 3 && args[1] == "--tck-json" {
        print!("{}", kgq::tck::protocol_main(Path::new(&args[2])));
        return ExitCode::SUCCESS;
    }
    kgq::shell::main()
}
