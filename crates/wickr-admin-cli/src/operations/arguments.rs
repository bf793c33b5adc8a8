//! An operation's subcommand and its flags, from the operation table: one flag per top-level
//! input member, named as the AWS CLI names it, and the AWS CLI's own options (`--cli-input-json`,
//! `--generate-cli-skeleton`, `--output`, `--query`, and the paging options of paginated
//! operations).

use clap::builder::{PossibleValue, PossibleValuesParser};
use clap::{Arg, ArgAction, ArgMatches, Command};
use wickr_admin::schema::{MemberInfo, OperationInfo, TypeInfo};

/// The argument ids of the options every operation has.
pub const CLI_INPUT_JSON: &str = "cli-input-json";
pub const GENERATE_CLI_SKELETON: &str = "generate-cli-skeleton";
pub const OUTPUT: &str = "output";
pub const QUERY: &str = "query";
pub const STARTING_TOKEN: &str = "starting-token";
pub const MAX_ITEMS: &str = "max-items";
pub const PAGE_SIZE: &str = "page-size";
pub const NO_PAGINATE: &str = "no-paginate";

/// The flag of a member: its name in kebab case, as the AWS CLI derives it (`networkId` is
/// `network-id`, `DBInstanceId` is `db-instance-id`).
pub fn flag_name(member: &str) -> String {
    let chars: Vec<char> = member.chars().collect();
    let mut out = String::with_capacity(member.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if prev.is_lowercase() || prev.is_ascii_digit() || (prev.is_uppercase() && next_lower) {
                out.push('-');
            }
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// The argument id of a member's flag (and of `--no-` for a boolean's `false`).
pub fn member_id(member: &MemberInfo) -> String {
    format!("member:{}", member.json_name)
}

/// The argument id of a boolean member's `--no-` flag.
pub fn negated_id(member: &MemberInfo) -> String {
    format!("member-not:{}", member.json_name)
}

/// Whether the member is the page token or the page size of a paginated operation: the AWS CLI
/// keeps their flags but leaves them out of the help, and using one turns automatic paging off.
pub fn is_paging_member(op: &OperationInfo, member: &MemberInfo) -> bool {
    op.pagination
        .is_some_and(|p| p.input_token == member.name || p.page_size == Some(member.name))
}

/// The subcommand of one operation.
pub fn subcommand(op: &'static OperationInfo) -> Command {
    let about = if op.summary.is_empty() {
        format!("Call {}", op.name)
    } else {
        op.summary.to_owned()
    };
    let changes = if op.readonly {
        "reads only"
    } else {
        "may change state"
    };
    let mut command = Command::new(op.kebab_name)
        .about(about)
        .long_about(format!(
            "{}\n\n{} {} {}; {changes}.",
            op.summary, op.name, op.method, op.uri
        ))
        .next_help_heading("Members");
    for member in op.input {
        for arg in member_args(op, member) {
            command = command.arg(arg);
        }
    }
    command = command
        .next_help_heading("Input and output")
        .arg(
            Arg::new(CLI_INPUT_JSON)
                .long(CLI_INPUT_JSON)
                .value_name("JSON")
                .help(
                    "The input as one JSON object (members by their JSON names): the JSON itself, \
                     file://PATH, or - for standard input. Flags given too take precedence",
                ),
        )
        .arg(
            Arg::new(GENERATE_CLI_SKELETON)
                .long(GENERATE_CLI_SKELETON)
                .num_args(0..=1)
                .default_missing_value("input")
                .value_parser(["input"])
                .help("Print a JSON template of the input with every member, for --cli-input-json, and send nothing"),
        )
        .arg(
            Arg::new(OUTPUT)
                .long(OUTPUT)
                .value_parser(["json", "text", "table"])
                .default_value("json")
                .help("How the answer is printed"),
        )
        .arg(
            Arg::new(QUERY)
                .long(QUERY)
                .value_name("JMESPATH")
                .help("A JMESPath expression applied to the answer before it is printed"),
        );
    if let Some(paging) = op.pagination {
        command = command
            .next_help_heading("Paging (every page is fetched and merged by default)")
            .arg(
                Arg::new(STARTING_TOKEN)
                    .long(STARTING_TOKEN)
                    .value_name("TOKEN")
                    .help("Start after an earlier run: the NextToken it printed"),
            )
            .arg(
                Arg::new(NO_PAGINATE)
                    .long(NO_PAGINATE)
                    .action(ArgAction::SetTrue)
                    .help("Fetch the first page only, as the service answers it (with its own next-page token)"),
            );
        if paging.page_size.is_some() {
            command = command
                .arg(
                    Arg::new(MAX_ITEMS)
                        .long(MAX_ITEMS)
                        .value_name("N")
                        .value_parser(clap::value_parser!(u64).range(1..))
                        .help("Print at most N items in all, and a NextToken to continue from when there are more"),
                )
                .arg(
                    Arg::new(PAGE_SIZE)
                        .long(PAGE_SIZE)
                        .value_name("N")
                        .value_parser(clap::value_parser!(i64).range(1..=i64::from(i32::MAX)))
                        .help("Items per call to the service; the output is the same, in more or fewer calls"),
                );
        }
    }
    command
}

/// The flags of one member: one, or `--x` and `--no-x` for a boolean.
fn member_args(op: &OperationInfo, member: &'static MemberInfo) -> Vec<Arg> {
    let flag = flag_name(member.name);
    let hidden = is_paging_member(op, member);
    let mut help = member.doc.to_owned();
    if member.required {
        help.push_str(" [required]");
    }
    let arg = Arg::new(member_id(member))
        .long(flag.clone())
        .hide(hidden)
        .help(help.clone());
    if *member.ty == TypeInfo::Boolean {
        let negated = Arg::new(negated_id(member))
            .long(format!("no-{flag}"))
            .action(ArgAction::SetTrue)
            .hide(hidden)
            .conflicts_with(member_id(member))
            .help(format!("Sets {} to false", member.name));
        return vec![arg.action(ArgAction::SetTrue), negated];
    }
    let arg = match member.ty {
        TypeInfo::List(element) if element.is_scalar() => arg
            .value_name(value_name(element))
            .num_args(1..)
            .action(ArgAction::Append)
            .allow_negative_numbers(is_number(element)),
        TypeInfo::List(_) => arg
            .value_name("JSON")
            .num_args(1..)
            .action(ArgAction::Append),
        scalar => arg
            .value_name(value_name(scalar))
            .allow_negative_numbers(is_number(scalar)),
    };
    vec![with_values(arg, member.ty)]
}

/// Lists an enum's values, so that help and shell completion offer them. File references are
/// accepted too, as for any value.
fn with_values(arg: Arg, ty: &TypeInfo) -> Arg {
    let element = match ty {
        TypeInfo::List(element) => element,
        other => other,
    };
    match element {
        TypeInfo::Enum(values) => arg.value_parser(PossibleValuesParser::new(
            values.iter().map(|v| PossibleValue::new(*v)),
        )),
        TypeInfo::IntEnum(values) => {
            arg.value_parser(PossibleValuesParser::new(values.iter().map(
                |(name, number)| PossibleValue::new(number.to_string()).help(*name),
            )))
        }
        _ => arg,
    }
}

fn is_number(ty: &TypeInfo) -> bool {
    matches!(
        ty,
        TypeInfo::Byte
            | TypeInfo::Short
            | TypeInfo::Integer
            | TypeInfo::Long
            | TypeInfo::Float
            | TypeInfo::Double
            | TypeInfo::BigInteger
            | TypeInfo::BigDecimal
            | TypeInfo::IntEnum(_)
    )
}

fn value_name(ty: &TypeInfo) -> &'static str {
    match ty {
        TypeInfo::String | TypeInfo::Enum(_) => "STRING",
        TypeInfo::Boolean => "BOOLEAN",
        TypeInfo::Byte
        | TypeInfo::Short
        | TypeInfo::Integer
        | TypeInfo::Long
        | TypeInfo::BigInteger
        | TypeInfo::IntEnum(_) => "INTEGER",
        TypeInfo::Float | TypeInfo::Double | TypeInfo::BigDecimal => "NUMBER",
        TypeInfo::Timestamp(_) => "TIMESTAMP",
        TypeInfo::Blob => "BASE64",
        _ => "JSON",
    }
}

/// What the command line gave for one member: nothing, `true`/`false` from a boolean's flags, or
/// the texts after its flag.
pub enum Given {
    Nothing,
    Boolean(bool),
    Texts(Vec<String>),
}

/// What the command line gave for `member`.
pub fn given(matches: &ArgMatches, member: &MemberInfo) -> Given {
    let id = member_id(member);
    if *member.ty == TypeInfo::Boolean {
        let on = matches!(
            matches.value_source(&id),
            Some(clap::parser::ValueSource::CommandLine)
        );
        let off = matches!(
            matches.value_source(&negated_id(member)),
            Some(clap::parser::ValueSource::CommandLine)
        );
        return match (on, off) {
            (true, _) => Given::Boolean(true),
            (_, true) => Given::Boolean(false),
            _ => Given::Nothing,
        };
    }
    match matches.get_many::<String>(&id) {
        Some(values) => Given::Texts(values.cloned().collect()),
        None => Given::Nothing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_are_kebab_case_as_the_aws_cli_names_them() {
        for (member, flag) in [
            ("networkId", "network-id"),
            ("users", "users"),
            ("ssoTokenBufferMinutes", "sso-token-buffer-minutes"),
            ("DBInstanceId", "db-instance-id"),
            ("MaxItems", "max-items"),
        ] {
            assert_eq!(flag_name(member), flag, "{member}");
        }
    }
}
