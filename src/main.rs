use std::process::ExitCode;

fn main() -> ExitCode {
    cm::cli::main()
}
