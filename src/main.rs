use std::process::ExitCode;

/// mimalloc: parsing thousands of small YAML files is mostly small allocations, which it serves
/// in a fraction of the time of the system allocator (measured in the benchmark notes).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    cm::cli::main()
}
