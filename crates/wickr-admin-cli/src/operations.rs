//! One subcommand per service operation: `wickr-admin <operation> --cli-input-json FILE|-`
//! reads the operation's input as JSON (members by their model names), sends it and prints the
//! output as JSON.
//!
//! The subcommands are the client crate's generated operation table (`schema::OPERATIONS`);
//! sending one needs its operation type as well, which `for_each_operation!` supplies by name.

use std::io::Read;
use std::path::Path;

use clap::{Arg, ArgMatches, Command};
use wickr_admin::schema::{OperationInfo, OPERATIONS};
use wickr_admin::Client;

use crate::cli::Connection;
use crate::connect;

/// Exit code when the service or the connection failed.
const EXIT_CALL_FAILED: u8 = 1;
/// Exit code when the input JSON is unusable.
const EXIT_BAD_INPUT: u8 = 2;

macro_rules! typed_calls {
    ($( ($name:literal, $op:path) ),* $(,)?) => {
        /// Every operation that can be sent by name, as (subcommand name, model name).
        #[cfg(test)]
        const SENDABLE: &[(&str, &str)] = &[$(
            ($name, <$op as wickr_admin::operation_shape::OperationShape>::NAME)
        ),*];

        /// Deserializes `json` as the named operation's input, sends it and returns the output
        /// as pretty JSON. `None` when the name is not an operation.
        async fn call_by_name(
            name: &str,
            client: &Client,
            json: &str,
        ) -> Option<Result<String, CallError>> {
            match name {
                $($name => Some(call::<$op>(client, json).await),)*
                _ => None,
            }
        }
    };
}

wickr_admin::for_each_operation!(typed_calls);

/// Why an operation command failed.
#[derive(Debug)]
enum CallError {
    /// The JSON could not be read as the operation's input.
    Input(String),
    /// The call failed.
    Call(String),
}

async fn call<O>(client: &Client, json: &str) -> Result<String, CallError>
where
    O: wickr_admin::operation_shape::OperationShape,
    O::Input: wickr_admin::json::FromJson,
    O::Output: wickr_admin::json::ToJson,
{
    // Every key must be a member: a misspelled one would otherwise be dropped and the call sent
    // without it (a filter that matches everything, say).
    let input: O::Input = wickr_admin::json::from_str(json)
        .map_err(|e| CallError::Input(format!("{} input: {e}", O::NAME)))?;
    let output = client.call::<O>(input).await.map_err(|e| {
        // Input the model's checks refuse was never sent: bad input, as a JSON error is.
        let refused_input = matches!(e, wickr_admin::error::SdkError::ConstructionFailure(_))
            && caused_by_invalid_input(&e);
        let text = wickr_admin::error::explain(&e);
        if refused_input {
            CallError::Input(text)
        } else {
            CallError::Call(text)
        }
    })?;
    serde_json::to_string_pretty(&wickr_admin::json::to_value(&output))
        .map_err(|e| CallError::Call(e.to_string()))
}

/// Whether the model's checks refused the input (somewhere in the error's chain).
fn caused_by_invalid_input(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = error.source();
    while let Some(current) = next {
        if current.is::<wickr_admin::validation::InvalidInput>() {
            return true;
        }
        next = current.source();
    }
    false
}

/// Whether `name` is an operation subcommand.
pub fn is_operation(name: &str) -> bool {
    OPERATIONS.iter().any(|op| op.kebab_name == name)
}

/// Adds one subcommand per operation to the command tree.
pub fn add_to(command: Command) -> Command {
    command.subcommands(OPERATIONS.iter().map(subcommand))
}

fn subcommand(op: &OperationInfo) -> Command {
    let changes = if op.readonly { "reads only" } else { "changes" };
    Command::new(op.kebab_name)
        .about(format!(
            "Call {} ({} {}, {changes}): JSON input in, JSON output out",
            op.name, op.method, op.uri
        ))
        .arg(
            Arg::new("cli-input-json")
                .long("cli-input-json")
                .value_name("FILE")
                .required(true)
                .help("The operation's input as JSON (members by their model names), from FILE or `-` for standard input"),
        )
}

/// Runs an operation subcommand; returns the exit code.
pub async fn run(name: &str, matches: &ArgMatches, connection: &Connection) -> u8 {
    let Some(source) = matches.get_one::<String>("cli-input-json") else {
        eprintln!("error: --cli-input-json is required");
        return EXIT_BAD_INPUT;
    };
    let json = match read_source(source) {
        Ok(json) => json,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_BAD_INPUT;
        }
    };
    let local = if connection.local {
        match connect::Local::start().await {
            Ok(local) => Some(local),
            Err(e) => {
                eprintln!("error: {e}");
                return EXIT_CALL_FAILED;
            }
        }
    } else {
        None
    };
    let client = match connect::client(connection, local.as_ref()).await {
        Ok(client) => client,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_BAD_INPUT;
        }
    };
    match call_by_name(name, &client, &json).await {
        Some(Ok(output)) => {
            println!("{output}");
            0
        }
        Some(Err(CallError::Input(e))) => {
            eprintln!("error: {e}");
            EXIT_BAD_INPUT
        }
        Some(Err(CallError::Call(e))) => {
            eprintln!("error: {e}");
            EXIT_CALL_FAILED
        }
        None => {
            eprintln!("error: unknown operation {name}");
            EXIT_BAD_INPUT
        }
    }
}

/// The JSON document, without the byte order mark some editors put first.
fn read_source(source: &str) -> Result<String, String> {
    let text = if source == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        text
    } else {
        std::fs::read_to_string(Path::new(source))
            .map_err(|e| format!("cannot read {source}: {e}"))?
    };
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_of_the_table_can_be_sent_and_nothing_else() {
        let table: Vec<(&str, &str)> = OPERATIONS
            .iter()
            .map(|op| (op.kebab_name, op.name))
            .collect();
        assert_eq!(table, SENDABLE);
        assert_eq!(table.len(), 44);
        assert!(is_operation("batch-create-user") && !is_operation("users"));
    }
}
