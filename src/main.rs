//! The `kgq` binary: everything is in `kgq::shell`, except the conformance
//! protocol, whose `--tck-json FILE` are the last two arguments.

use std::path::Path;
use std::process::ExitCode;

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
