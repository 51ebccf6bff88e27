//! `cm`, the command: parses the command line, runs the command, turns the result into an exit
//! status. Everything `cm` does lives in the library crates (`cm-base`, `cm-case`, `cm-ops`);
//! this crate alone reads arguments, prints, colours and decides exit statuses.

#![forbid(unsafe_code)]

mod cli;
mod progress;

use std::process::ExitCode;

/// mimalloc: parsing thousands of small YAML files is mostly small allocations, which it serves
/// in a fraction of the time of the system allocator (measured in the benchmark notes).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    cli::main()
}
