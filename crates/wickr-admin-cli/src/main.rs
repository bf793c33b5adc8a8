//! The `wickr-admin` command.

mod cli;
mod input;
mod report;

fn main() {}
