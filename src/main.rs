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
    // mimalloc asks Linux for transparent huge pages, which the kernel zeroes 2 MiB at a time as
    // they are first touched; memory freed and taken again while 100,000 files are parsed is
    // zeroed again and again. Without them `cm validate` of 100,000 cases spends half the system
    // time and 25 MB less (measured in the benchmark notes). A kernel that cannot says so, and
    // changes nothing.
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
    cli::main()
}
