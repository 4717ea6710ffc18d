//! The `kgq` binary: everything is in `kgq::shell`.

fn main() -> std::process::ExitCode {
    kgq::shell::main()
}
