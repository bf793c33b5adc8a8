//! The columns of a users file, and the checks of one row's fields on their own.

use super::excerpt::quoted;
use super::{Entry, Problem, Rejected, Row, COLUMNS, EXPORT_COLUMNS};

/// Longest value of one field, in bytes. The model sets no limit; no username, name or invite
/// code is anywhere near this long, and refusing it keeps memory and messages bounded.
pub const MAX_FIELD_BYTES: usize = 64 * 1024;

/// A column of the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    Username,
    FirstName,
    LastName,
    SecurityGroupId,
    InviteCode,
    InviteCodeTtl,
    CodeValidation,
    /// What an export says of the user: `pending` or `active`. Read, checked, never sent.
    Status,
    /// What an export says of the user: `true` when suspended. Read, checked, never sent.
    Suspended,
    /// What an export says of the user: its id. Read, checked, never sent.
    UserId,
}

/// What JSON type a column's value has in JSON Lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueType {
    String,
    Integer,
    Boolean,
}

impl Column {
    /// Every column, in the order of their slots in [`Values`].
    pub const ALL: [Column; COLUMN_COUNT] = [
        Column::Username,
        Column::FirstName,
        Column::LastName,
        Column::SecurityGroupId,
        Column::InviteCode,
        Column::InviteCodeTtl,
        Column::CodeValidation,
        Column::Status,
        Column::Suspended,
        Column::UserId,
    ];

    pub fn parse(name: &str) -> Option<Self> {
        Column::ALL
            .into_iter()
            .find(|c| c.name().eq_ignore_ascii_case(name.trim()))
    }

    pub fn name(self) -> &'static str {
        match self {
            Column::Username => COLUMNS[0],
            Column::FirstName => COLUMNS[1],
            Column::LastName => COLUMNS[2],
            Column::SecurityGroupId => COLUMNS[3],
            Column::InviteCode => COLUMNS[4],
            Column::InviteCodeTtl => COLUMNS[5],
            Column::CodeValidation => COLUMNS[6],
            Column::Status => EXPORT_COLUMNS[0],
            Column::Suspended => EXPORT_COLUMNS[1],
            Column::UserId => EXPORT_COLUMNS[2],
        }
    }

    pub fn value_type(self) -> ValueType {
        match self {
            Column::InviteCodeTtl => ValueType::Integer,
            Column::CodeValidation | Column::Suspended => ValueType::Boolean,
            _ => ValueType::String,
        }
    }
}

/// The values of one row, by column.
#[derive(Default)]
pub struct Values {
    slots: [Option<String>; COLUMN_COUNT],
}

/// Number of columns a users file may have.
const COLUMN_COUNT: usize = 10;

impl Values {
    pub fn insert(&mut self, column: Column, value: String) {
        self.slots[column as usize] = Some(value);
    }

    pub fn remove(&mut self, column: &Column) -> Option<String> {
        self.slots[*column as usize].take()
    }

    /// The columns with a value, in column order.
    pub fn iter(&self) -> impl Iterator<Item = (Column, &String)> {
        Column::ALL
            .iter()
            .zip(&self.slots)
            .filter_map(|(c, v)| v.as_ref().map(|v| (*c, v)))
    }
}

/// Fields of one row as read, before checks that need the other rows.
#[derive(Default)]
pub struct RawRow {
    pub line: u64,
    pub values: Values,
    pub problems: Vec<Problem>,
}

/// Checks one row's fields on their own.
pub fn check_row(mut raw: RawRow) -> Entry {
    let line = raw.line;
    let mut too_long: Vec<Column> = raw
        .values
        .iter()
        .filter(|(_, v)| v.len() > MAX_FIELD_BYTES)
        .map(|(c, _)| c)
        .collect();
    too_long.sort_by_key(|c| c.name());
    for column in too_long {
        let length = raw.values.remove(&column).map_or(0, |v| v.len());
        raw.problems.push(Problem::new(
            line,
            column.name(),
            format!(
                "{length} bytes, more than the {} KiB a value may have",
                MAX_FIELD_BYTES / 1024
            ),
        ));
    }
    let username = raw.values.remove(&Column::Username);
    // A username already found wrong (too long, not a string) is not also reported missing.
    let already_reported = raw
        .problems
        .iter()
        .any(|p| p.field == "username" || p.field == "row");
    if username.is_none() && !already_reported {
        raw.problems
            .push(Problem::new(line, "username", "missing username"));
    }
    if let Some(u) = &username {
        if u.chars().any(char::is_control) {
            raw.problems.push(Problem::new(
                line,
                "username",
                "contains a control character",
            ));
        }
    }
    let security_group_id = raw.values.remove(&Column::SecurityGroupId);
    if let Some(sg) = &security_group_id {
        if sg.chars().any(char::is_whitespace) {
            raw.problems.push(Problem::new(
                line,
                "securityGroupId",
                format!(
                    "{} is not a security group id (one id, no spaces)",
                    quoted(sg)
                ),
            ));
        }
    }
    let invite_code_ttl = match raw.values.remove(&Column::InviteCodeTtl) {
        None => None,
        Some(v) => {
            let days = match v.parse::<i32>() {
                Ok(days) if days >= 1 => Ok(days),
                // A whole number past what the API takes is named as such, not as no number.
                Err(_) if is_positive_whole(&v) => Err(format!(
                    "{} is more days than the API takes (at most {})",
                    quoted(&v),
                    i32::MAX
                )),
                _ => Err(format!(
                    "{} is not a whole number of days (1 or more)",
                    quoted(&v)
                )),
            };
            match days {
                Ok(days) => Some(days),
                Err(why) => {
                    raw.problems.push(Problem::new(line, "inviteCodeTtl", why));
                    None
                }
            }
        }
    };
    let code_validation = match raw.values.remove(&Column::CodeValidation) {
        None => None,
        Some(v) => match parse_bool(&v) {
            Some(b) => Some(b),
            None => {
                raw.problems.push(Problem::new(
                    line,
                    "codeValidation",
                    format!("{} is not a boolean (true/false, yes/no, 1/0)", quoted(&v)),
                ));
                None
            }
        },
    };
    let status = raw.values.remove(&Column::Status);
    if let Some(v) = &status {
        if !matches!(v.to_ascii_lowercase().as_str(), "pending" | "active") {
            raw.problems.push(Problem::new(
                line,
                "status",
                format!("{} is not a status (pending or active)", quoted(v)),
            ));
        }
    }
    let suspended = match raw.values.remove(&Column::Suspended) {
        None => None,
        Some(v) => {
            let parsed = parse_bool(&v);
            if parsed.is_none() {
                raw.problems.push(Problem::new(
                    line,
                    "suspended",
                    format!("{} is not a boolean (true/false, yes/no, 1/0)", quoted(&v)),
                ));
            }
            parsed
        }
    };
    let user_id = raw.values.remove(&Column::UserId);
    if let Some(v) = &user_id {
        if !(1..=10).contains(&v.len()) || !v.bytes().all(|b| b.is_ascii_digit()) {
            raw.problems.push(Problem::new(
                line,
                "userId",
                format!("{} is not a user id (1 to 10 digits)", quoted(v)),
            ));
        }
    }
    if !raw.problems.is_empty() {
        return Entry::Invalid(Rejected {
            line,
            username,
            problems: raw.problems,
        });
    }
    Entry::Valid(Row {
        line,
        status,
        suspended,
        user_id,
        username: username.unwrap_or_default(),
        first_name: raw.values.remove(&Column::FirstName),
        last_name: raw.values.remove(&Column::LastName),
        security_group_id,
        invite_code: raw.values.remove(&Column::InviteCode),
        invite_code_ttl,
        code_validation,
    })
}

/// Whether `v` is written as a whole number above zero (digits, perhaps after a `+`).
fn is_positive_whole(v: &str) -> bool {
    let digits = v.strip_prefix('+').unwrap_or(v);
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && digits.bytes().any(|b| b != b'0')
}

fn parse_bool(v: &str) -> Option<bool> {
    match v.to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" | "1" => Some(true),
        "false" | "no" | "n" | "0" => Some(false),
        _ => None,
    }
}
