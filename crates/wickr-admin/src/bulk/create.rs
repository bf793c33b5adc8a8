//! Creating users: BatchCreateUser as a bulk job runs it.

use super::chunk::ChunkRow;
use super::classify::{item_of_field, means_already_exists, reasons_of, AttemptError};
use super::operation::{BatchOperation, Rejection};
use super::token::ContentHasher;
use super::user::NewUser;
use super::validate::prepare;
use super::window::OutcomeWindow;
use crate::operation::batch_create_user::{BatchCreateUserError, BatchCreateUserOutput};
use crate::types::{BatchCreateUserRequestItem, User};
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
        output: &BatchCreateUserOutput,
    ) {
        record_answer(record, rows, output);
    }
}

/// Bytes `item` takes in a request body, as the client writes it: an object of the members it
/// has, each string escaped as JSON escapes it.
pub(crate) fn item_bytes(item: &BatchCreateUserRequestItem) -> usize {
    let string = |s: &str| json_string_bytes(s);
    let mut members: Vec<usize> = Vec::with_capacity(7);
    let mut member = |name: &str, value: usize| members.push(name.len() + 3 + value);
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
        member("inviteCodeTtl", v.to_string().len());
    }
    if let Some(v) = item.last_name() {
        member("lastName", string(v));
    }
    let groups = item.security_group_ids();
    let list = 2 + groups.iter().map(|g| string(g)).sum::<usize>() + groups.len().saturating_sub(1);
    member("securityGroupIds", list);
    member("username", string(item.username()));
    2 + members.iter().sum::<usize>() + members.len().saturating_sub(1)
}

/// Bytes of a JSON string: its quotes, and its characters as escaped (quote, backslash and the
/// control characters; `\b \f \n \r \t` in two bytes, the others as `\u00XX`).
fn json_string_bytes(s: &str) -> usize {
    2 + s
        .bytes()
        .map(|b| match b {
            b'"' | b'\\' | 0x08 | 0x0c | b'\n' | b'\r' | b'\t' => 2,
            0..=0x1f => 6,
            _ => 1,
        })
        .sum::<usize>()
}

/// The fields and reasons of BatchCreateUser's ValidationError.
fn validation_reasons(error: &BatchCreateUserError) -> Option<Vec<(String, String)>> {
    match error {
        BatchCreateUserError::ValidationError(invalid) => Some(reasons_of(invalid)),
        _ => None,
    }
}

/// Matches the created users to the chunk's rows by username, and the failed entries (which
/// carry no username) to the remaining rows in request order.
fn record_answer(
    report: &mut OutcomeWindow,
    rows: &[ChunkRow<BatchCreateUserRequestItem>],
    output: &BatchCreateUserOutput,
) {
    let mut unmatched: Vec<&ChunkRow<BatchCreateUserRequestItem>> = Vec::with_capacity(rows.len());
    let mut created: Vec<Option<&User>> = vec![None; rows.len()];
    for user in output.successful() {
        let Some(name) = user.username() else {
            continue;
        };
        if let Some(position) = rows
            .iter()
            .enumerate()
            .position(|(i, row)| created[i].is_none() && row.item.username() == name)
        {
            created[position] = Some(user);
        }
    }
    for (row, user) in rows.iter().zip(&created) {
        match user {
            Some(user) => report.set_done(
                row.index,
                user.user_id().filter(|id| !id.is_empty()),
                user.invite_code(),
            ),
            None => unmatched.push(row),
        }
    }
    // Failed entries carry no username, so pairing them with rows by position is only sound
    // when the answer accounts for every row: each success matched a row, and the failures
    // number exactly the rows left. Otherwise nothing is guessed.
    let matched = created.iter().filter(|user| user.is_some()).count();
    let answer_fits =
        matched == output.successful().len() && matched + output.failed().len() == rows.len();
    if !answer_fits {
        for row in unmatched {
            report.set_unknown(
                row.index,
                "the service's answer did not account for this user; it may or may not exist",
            );
        }
        return;
    }
    let mut failed = output.failed().iter();
    for row in unmatched {
        match failed.next() {
            Some(entry) => {
                let field = entry.field();
                let reason = entry.reason();
                if means_already_exists(field, reason) {
                    let user_id = Some(entry.user_id()).filter(|id| !id.is_empty() && *id != "0");
                    report.set_already(row.index, user_id);
                } else {
                    report.set_failed(
                        row.index,
                        field,
                        reason.unwrap_or("the service refused this user without a reason"),
                    );
                }
            }
            None => report.set_failed(
                row.index,
                None,
                "the service answered without a result for this user",
            ),
        }
    }
}
