//! Repository tasks: `cargo xtask codegen [--check] [--model M --out DIR [--crate-name NAME]]`,
//! `cargo xtask fixtures [--check]`, `cargo xtask fresh-clone-test [--keep]`,
//! `cargo xtask surface [--check]`, `cargo xtask bench <name> [args]` and
//! `cargo xtask fuzz [--seconds N] [--target NAME] [--seed S] [--release]`.

mod bench;
mod codegen;
mod fixtures;
mod fresh_clone;
mod fuzz;
mod protocol_model;
mod surface;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen::run(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("fixtures") => fixtures::run(&args[1..]),
        Some("fresh-clone-test") => fresh_clone::run(&args[1..]),
        Some("fuzz") => fuzz::run(&args[1..]),
        Some("surface") => surface::run(&args[1..]),
        _ => Err(usage()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn usage() -> String {
    "usage: cargo xtask codegen [--check]\n       \
     cargo xtask codegen [--check] --out <dir> [--model <path>] [--overlay <path>] [--crate-name <name>]\n       \
     cargo xtask fixtures [--check] [--shared <dir>]\n       \
     cargo xtask fresh-clone-test [--keep]\n       \
     cargo xtask surface [--check]\n       \
     cargo xtask bench <name> [args]\n       \
     cargo xtask fuzz [--seconds N] [--target NAME]... [--seed S] [--release]"
        .to_owned()
}
