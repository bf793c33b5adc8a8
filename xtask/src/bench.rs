//! `cargo xtask bench <name> [args]`: dispatches to one benchmark module.

#[path = "bench_bulk.rs"]
mod bench_bulk;
#[path = "bench_codegen.rs"]
mod bench_codegen;
#[path = "bench_emulator.rs"]
mod bench_emulator;
#[path = "bench_export.rs"]
mod bench_export;
#[path = "bench_support.rs"]
mod bench_support;

/// Runs the named benchmark.
pub fn run(args: &[String]) -> Result<(), String> {
    match args.first().map(String::as_str) {
        Some("bulk") => bench_bulk::run(&args[1..]),
        Some("codegen") => bench_codegen::run(&args[1..]),
        Some("emulator") => bench_emulator::run(&args[1..]),
        Some("export") => bench_export::run(&args[1..]),
        Some(name) => Err(format!("unknown benchmark {name:?}")),
        None => Err("usage: cargo xtask bench <name> [args]".to_owned()),
    }
}
