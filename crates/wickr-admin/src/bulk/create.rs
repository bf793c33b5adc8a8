//! Creating users: BatchCreateUser as a bulk job runs it.

use super::chunk::ChunkRow;
use super::classify::{item_of_field, means_already_exists, reasons_of, AttemptError};
use super::operation::{BatchOperation, Rejection};
use super::token::ContentHasher;
use super::user::NewUser;
use super::validate::prepare;
use super::window::OutcomeWindow;
use crate::operation::batch_create_user::{BatchCreateUserError, BatchCreateUserOutput};
use crate::types::{BatchCreateUserRequestItem, BatchUserErrorResponseItem};
use crate::Client;

/// BatchCreateUser, with the security group for users that name none.
pub(crate) struct CreateUsers {
    pub(crate) default_security_group: Option<String>,
}

impl BatchOperation for CreateUsers {
    type Input = NewUser;
    /// The user with its security group resolved.
    type Item = BatchCreateUserRequestItem;
    type Output = BatchCreateUserOutput;

    const MAX_ITEMS: usize = super::chunk::MAX_CHUNK;

    fn name(&self) -> &'static str {
        "BatchCreateUser"
    }

    fn prepare(&self, user: NewUser) -> Result<BatchCreateUserRequestItem, Rejection> {
        prepare(user, self.default_security_group.as_deref())
    }

    fn key<'a>(&self, item: &'a BatchCreateUserRequestItem) -> &'a str {
        item.username()
    }

    fn canonical(&self, item: &BatchCreateUserRequestItem, content: &mut ContentHasher) {
        content.add(item);
    }

    fn bytes(&self, item: &BatchCreateUserRequestItem) -> usize {
        item_bytes(item)
    }

    fn locate(path: &str) -> Option<(usize, String)> {
        item_of_field("users", path)
    }

    async fn call(
        &self,
        client: &Client,
        network_id: &str,
        rows: &[ChunkRow<BatchCreateUserRequestItem>],
        token: &str,
    ) -> Result<BatchCreateUserOutput, AttemptError> {
        let items: Vec<BatchCreateUserRequestItem> = rows.iter().map(|r| r.item.clone()).collect();
        client
            .batch_create_user()
            .network_id(network_id)
            .set_users(Some(items))
            .client_token(token)
            .send()
            .await
            .map_err(|e| AttemptError::read(&e, validation_reasons, Self::locate))
    }

    fn record(
        &self,
        record: &mut OutcomeWindow,
        rows: &[ChunkRow<BatchCreateUserRequestItem>],
        output: BatchCreateUserOutput,
        _earlier_may_have_applied: bool,
    ) {
        record_answer(record, rows, output);
    }
}

/// Bytes `item` takes in a request body, as the client writes it: an object of the members it
/// has, each string escaped as JSON escapes it.
pub(crate) fn item_bytes(item: &BatchCreateUserRequestItem) -> usize {
    let string = |s: &str| json_string_bytes(s);
    // Each member's bytes (`"name":value`) and how many members there are.
    let (mut bytes, mut members) = (0usize, 0usize);
    let mut member = |name: &str, value: usize| {
        bytes += name.len() + 3 + value;
        members += 1;
    };
    if let Some(v) = item.code_validation() {
        member("codeValidation", if v { 4 } else { 5 });
    }
    if let Some(v) = item.first_name() {
        member("firstName", string(v));
    }
    if let Some(v) = item.invite_code() {
        member("inviteCode", string(v));
    }
    if let Some(v) = item.invite_code_ttl() {
        member("inviteCodeTtl", decimal_digits(v));
    }
    if let Some(v) = item.last_name() {
        member("lastName", string(v));
    }
    let groups = item.security_group_ids();
    let list = 2 + groups.iter().map(|g| string(g)).sum::<usize>() + groups.len().saturating_sub(1);
    member("securityGroupIds", list);
    member("username", string(item.username()));
    2 + bytes + members.saturating_sub(1)
}

/// Characters of `v` written in decimal, its sign included.
fn decimal_digits(v: i32) -> usize {
    let digits = v
        .unsigned_abs()
        .checked_ilog10()
        .map_or(1, |log| log as usize + 1);
    usize::from(v < 0) + digits
}

/// Bytes of a JSON string: its quotes, and its characters as escaped (quote, backslash and the
/// control characters; `\b \f \n \r \t` in two bytes, the others as `\u00XX`).
fn json_string_bytes(s: &str) -> usize {
    // What each byte adds to its own: one for a two-character escape, five for `\u00XX`. Written
    // without branches, so the sum runs over many bytes at once.
    let extra: usize = s
        .bytes()
        .map(|b| {
            let short = matches!(b, b'"' | b'\\' | 0x08 | 0x0c | b'\n' | b'\r' | b'\t');
            let long = b < 0x20 && !short;
            usize::from(short) + 5 * usize::from(long)
        })
        .sum();
    2 + s.len() + extra
}

/// The fields and reasons of BatchCreateUser's ValidationError.
fn validation_reasons(error: &BatchCreateUserError) -> Option<Vec<(String, String)>> {
    match error {
        BatchCreateUserError::ValidationError(invalid) => Some(reasons_of(invalid)),
        _ => None,
    }
}

/// Matches the created users to the chunk's rows by username, and the failed entries (which
/// carry no username) to the remaining rows in request order. What an outcome keeps of the
/// answer (a created user's id and invite code) is moved out of it, not copied.
fn record_answer(
    report: &mut OutcomeWindow,
    rows: &[ChunkRow<BatchCreateUserRequestItem>],
    output: BatchCreateUserOutput,
) {
    let mut successful = output.successful.unwrap_or_default();
    let failed = output.failed.unwrap_or_default();
    // For each row, which created user is its own (by position in `successful`).
    let mut user_of_row: Vec<Option<usize>> = vec![None; rows.len()];
    let mut matched = 0;
    for (at, user) in successful.iter().enumerate() {
        let Some(name) = user.username() else {
            continue;
        };
        if let Some(position) = rows
            .iter()
            .enumerate()
            .position(|(i, row)| user_of_row[i].is_none() && row.item.username() == name)
        {
            user_of_row[position] = Some(at);
            matched += 1;
        }
    }
    // Failed entries carry no username, so pairing them with rows by position is only sound
    // when the answer accounts for every row: each success matched a row, and the failures
    // number exactly the rows left. Otherwise nothing is guessed.
    let answer_fits = matched == successful.len() && matched + failed.len() == rows.len();
    let mut failed = failed.into_iter();
    for (row, user) in rows.iter().zip(user_of_row) {
        let Some(user) = user.and_then(|at| successful.get_mut(at)) else {
            record_unmatched(report, row.index, answer_fits.then(|| failed.next()));
            continue;
        };
        report.set_done(
            row.index,
            user.user_id
                .take()
                .filter(|id| !id.is_empty())
                .map(String::into_boxed_str),
            user.invite_code.take().map(String::into_boxed_str),
        );
    }
}

/// The outcome of a row no created user matched: `entry` is the failed entry paired with it
/// (`Some(None)`: the answer ran out of entries), or `None` when the answer could not be paired
/// with the rows at all.
fn record_unmatched(
    report: &mut OutcomeWindow,
    index: usize,
    entry: Option<Option<BatchUserErrorResponseItem>>,
) {
    match entry {
        None => report.set_unknown(
            index,
            "the service's answer did not account for this user; it may or may not exist",
        ),
        Some(Some(entry)) => {
            let field = entry.field();
            let reason = entry.reason();
            if means_already_exists(field, reason) {
                let user_id = Some(entry.user_id)
                    .filter(|id| !id.is_empty() && id != "0")
                    .map(String::into_boxed_str);
                report.set_already(index, user_id);
            } else {
                report.set_failed(
                    index,
                    field,
                    reason.unwrap_or("the service refused this user without a reason"),
                );
            }
        }
        Some(None) => report.set_failed(
            index,
            None,
            "the service answered without a result for this user",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::decimal_digits;

    #[test]
    fn decimal_digits_count_as_the_writer_writes() {
        for v in [
            0,
            1,
            9,
            10,
            99,
            100,
            -1,
            -9,
            -10,
            123_456,
            999_999_999,
            1_000_000_000,
            i32::MAX,
            i32::MIN,
        ] {
            assert_eq!(decimal_digits(v), v.to_string().len(), "{v}");
        }
    }
}
