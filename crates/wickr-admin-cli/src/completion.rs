//! `wickr-admin completion bash|zsh|fish`: a shell completion script for the whole command, every
//! operation subcommand and member flag included (clap_complete).

use crate::console::tell;
use clap::{Arg, ArgMatches, Command};
use clap_complete::Shell;

/// The subcommand's name.
pub const NAME: &str = "completion";

/// Adds the `completion` subcommand.
pub fn add_to(command: Command) -> Command {
    command.subcommand(
        Command::new(NAME)
            .about("Print a shell completion script: e.g. `source <(wickr-admin completion bash)`")
            .arg(
                Arg::new("shell")
                    .required(true)
                    .value_parser(["bash", "zsh", "fish"])
                    .help("The shell to complete in"),
            ),
    )
}

/// Writes the script for the chosen shell of the whole command tree to standard output.
pub fn run(matches: &ArgMatches, mut command: Command) -> u8 {
    let shell = match matches.get_one::<String>("shell").map(String::as_str) {
        Some("bash") => Shell::Bash,
        Some("zsh") => Shell::Zsh,
        Some("fish") => Shell::Fish,
        _ => {
            tell!("error: name a shell: bash, zsh or fish");
            return crate::operations::EXIT_BAD_INPUT;
        }
    };
    let name = command.get_name().to_owned();
    command.set_bin_name(name);
    command.build();
    let mut script = Vec::new();
    let written = clap_complete::Generator::try_generate(&shell, &command, &mut script)
        .map_err(|e| format!("cannot write the completion script: {e}"))
        .and_then(|()| crate::console::text(&script));
    match written {
        Ok(()) => 0,
        Err(e) => {
            tell!("error: {e}");
            1
        }
    }
}
