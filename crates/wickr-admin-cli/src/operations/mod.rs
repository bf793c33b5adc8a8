//! One subcommand per service operation, taken the way the AWS CLI takes it:
//! `wickr-admin list-users --network-id 12345678 --query 'users[].username' --output text`.
//!
//! Everything comes from the client crate's generated operation table (`schema::OPERATIONS`):
//! the subcommands, a flag per input member with its help, type and enum values
//! (`arguments.rs`), the input document and its checks (`document.rs`), the skeleton
//! (`skeleton.rs`) and paging (`paginate.rs`). Sending needs the operation's type as well, which
//! `for_each_operation!` supplies by name (`call.rs`). Answers are printed as JSON, text or a
//! table (`output/`), failures as `failure.rs` says, with the AWS CLI v2's exit codes.

mod arguments;
mod call;
mod document;
mod failure;
mod output;
mod paginate;
mod skeleton;

use clap::{ArgMatches, Command};
use wickr_admin::schema::{OperationInfo, OPERATIONS};

use crate::cli::Connection;
use crate::connect;
use crate::console::tell;
use arguments::{
    GENERATE_CLI_SKELETON, MAX_ITEMS, NO_PAGINATE, OUTPUT, PAGE_SIZE, QUERY, STARTING_TOKEN,
};
use failure::{Failure, Problem};
use output::{Answer, Format, Query};
use paginate::Paging;

pub use failure::EXIT_BAD_INPUT;

/// Whether `name` is an operation subcommand.
pub fn is_operation(name: &str) -> bool {
    OPERATIONS.iter().any(|op| op.kebab_name == name)
}

/// Adds one subcommand per operation to the command tree.
pub fn add_to(command: Command) -> Command {
    command.subcommands(OPERATIONS.iter().map(arguments::subcommand))
}

/// Prints a command-line error clap found and returns the exit code: 252 (bad command-line
/// input, the AWS CLI's) when the command line names an operation, clap's own code otherwise
/// (0 for `--help` and `--version`).
pub fn command_line_error(error: &clap::Error) -> u8 {
    let _ = error.print();
    let code = u8::try_from(error.exit_code()).unwrap_or(EXIT_BAD_INPUT);
    let names_operation = std::env::args_os()
        .skip(1)
        .any(|arg| arg.to_str().is_some_and(is_operation));
    if code != 0 && names_operation {
        EXIT_BAD_INPUT
    } else {
        code
    }
}

/// Runs an operation subcommand; returns the exit code.
pub async fn run(name: &str, matches: &ArgMatches, connection: &Connection) -> u8 {
    let Some(op) = OPERATIONS.iter().find(|op| op.kebab_name == name) else {
        tell!("error: unknown operation {name}");
        return EXIT_BAD_INPUT;
    };
    match run_operation(op, matches, connection).await {
        Ok(()) => 0,
        Err(failure) => {
            tell!("{failure}");
            failure.exit_code()
        }
    }
}

async fn run_operation(
    op: &'static OperationInfo,
    matches: &ArgMatches,
    connection: &Connection,
) -> Result<(), Failure> {
    if matches.contains_id(GENERATE_CLI_SKELETON)
        && matches.value_source(GENERATE_CLI_SKELETON)
            == Some(clap::parser::ValueSource::CommandLine)
    {
        let text = output::render(
            op.name,
            &Answer::One(skeleton::skeleton(op)),
            Format::Json,
            None,
        )
        .map_err(Failure::Other)?;
        crate::console::text(&text).map_err(Failure::Other)?;
        return Ok(());
    }
    let bad = |problems: Vec<Problem>| Failure::input(op.name, problems);
    let format = matches
        .get_one::<String>(OUTPUT)
        .and_then(|name| Format::from_name(name))
        .unwrap_or(Format::Json);
    let query = match matches.get_one::<String>(QUERY) {
        Some(expression) => Some(
            Query::compile(expression)
                .map_err(|e| bad(vec![Problem::new(format!("--{QUERY}"), e)]))?,
        ),
        None => None,
    };
    let input = document::assemble(op, matches).map_err(bad)?;
    let paging = paging(op, matches, &input).map_err(bad)?;
    let local = if connection.local {
        Some(
            crate::sandbox::Local::start(connection)
                .await
                .map_err(Failure::Other)?,
        )
    } else {
        None
    };
    let answer = send(op, connection, local.as_ref(), &input, paging).await;
    // The sandbox's state is saved whatever the call's outcome; a failed save is never silent.
    if let Some(local) = local {
        if let Err(e) = local.finish().await {
            if answer.is_ok() {
                return Err(Failure::Other(e));
            }
            tell!("error: {e}");
        }
    }
    let text = output::render(op.name, &answer?, format, query.as_ref()).map_err(Failure::Other)?;
    crate::console::text(&text).map_err(Failure::Other)
}

/// Sends the operation (every page of it when `paging` says so) and returns its answer.
async fn send(
    op: &'static OperationInfo,
    connection: &Connection,
    local: Option<&crate::sandbox::Local>,
    input: &document::Input,
    paging: Option<Paging>,
) -> Result<Answer, Failure> {
    let client = connect::client(connection, local)
        .await
        .map_err(Failure::Configuration)?;
    let place = |path: &str| input.place(op, path);
    let answer = match (op.pagination, paging) {
        (Some(pagination), Some(paging)) => {
            paginate::pages(
                op,
                pagination,
                &client,
                input.document.clone(),
                &paging,
                &place,
            )
            .await?
        }
        _ => {
            let output = call::call_by_name(op.kebab_name, &client, input.document.clone(), &place)
                .await
                .unwrap_or_else(|| Err(Failure::Other(format!("{} cannot be sent", op.name))))?;
            Answer::One(output)
        }
    };
    Ok(answer)
}

/// Whether every page is fetched, and how: `None` for one call. As in the AWS CLI, giving the
/// page token or page size member yourself (by flag or in `--cli-input-json`) turns automatic
/// paging off, like `--no-paginate`, and the paging options cannot be combined with either.
fn paging(
    op: &OperationInfo,
    matches: &ArgMatches,
    input: &document::Input,
) -> Result<Option<Paging>, Vec<Problem>> {
    let Some(pagination) = op.pagination else {
        return Ok(None);
    };
    let paging = Paging {
        starting_token: matches.get_one::<String>(STARTING_TOKEN).cloned(),
        max_items: matches.get_one::<u64>(MAX_ITEMS).copied(),
        page_size: matches.get_one::<i64>(PAGE_SIZE).copied(),
    };
    let manual = [Some(pagination.input_token), pagination.page_size]
        .into_iter()
        .flatten()
        .find(|member| input.sets(op, member));
    let off = if matches.get_flag(NO_PAGINATE) {
        Some(format!("--{NO_PAGINATE}"))
    } else {
        manual.map(|member| input.place(op, member))
    };
    let Some(off) = off else {
        return Ok(Some(paging));
    };
    let used: Vec<Problem> = [
        (STARTING_TOKEN, paging.starting_token.is_some()),
        (MAX_ITEMS, paging.max_items.is_some()),
        (PAGE_SIZE, paging.page_size.is_some()),
    ]
    .into_iter()
    .filter(|(_, given)| *given)
    .map(|(flag, _)| {
        Problem::new(
            format!("--{flag}"),
            format!("cannot be combined with {off}, which fetches one page only"),
        )
    })
    .collect();
    if used.is_empty() {
        Ok(None)
    } else {
        Err(used)
    }
}

/// The JSON skeleton of an operation's input, for tools and tests.
#[cfg(test)]
fn skeleton_of(name: &str) -> Option<serde_json::Value> {
    OPERATIONS
        .iter()
        .find(|op| op.kebab_name == name)
        .map(skeleton::skeleton)
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
        assert_eq!(table, call::SENDABLE);
        assert_eq!(table.len(), 44);
        assert!(is_operation("batch-create-user") && !is_operation("users"));
    }

    #[test]
    fn the_command_tree_with_every_operation_is_consistent() {
        add_to(<crate::cli::Cli as clap::CommandFactory>::command()).debug_assert();
    }

    #[test]
    fn member_flags_and_json_input_combine_with_flags_winning() {
        let command = add_to(<crate::cli::Cli as clap::CommandFactory>::command());
        let matches = command
            .try_get_matches_from([
                "wickr-admin",
                "list-users",
                "--cli-input-json",
                r#"{"networkId": "11111111", "username": "a@example.com"}"#,
                "--network-id",
                "22222222",
                "--status",
                "2",
            ])
            .expect("parses");
        let (_, sub) = matches.subcommand().expect("subcommand");
        let op = OPERATIONS
            .iter()
            .find(|op| op.kebab_name == "list-users")
            .unwrap();
        let input = document::assemble(op, sub).expect("valid");
        assert_eq!(
            serde_json::Value::Object(input.document),
            serde_json::json!({"networkId": "22222222", "username": "a@example.com", "status": 2})
        );
    }

    #[test]
    fn skeletons_have_every_member() {
        let skeleton = skeleton_of("batch-create-user").expect("operation");
        assert_eq!(
            skeleton,
            serde_json::json!({
                "networkId": "",
                "clientToken": "",
                "users": [{
                    "username": "", "firstName": "", "lastName": "", "securityGroupIds": [""],
                    "inviteCode": "", "inviteCodeTtl": 0, "codeValidation": true
                }]
            })
        );
    }
}
