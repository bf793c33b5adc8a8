//! Creating users: BatchCreateUser as a bulk job runs it.

use super::chunk::{json_bytes, ChunkRow};
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

/// A user with its security group resolved, and the request item built from it.
pub(crate) struct CreateItem {
    pub(crate) user: NewUser,
    pub(crate) request: BatchCreateUserRequestItem,
}

impl BatchOperation for CreateUsers {
    type Input = NewUser;
    type Item = CreateItem;
    type Output = BatchCreateUserOutput;

    const MAX_ITEMS: usize = super::chunk::MAX_CHUNK;

    fn name(&self) -> &'static str {
        "BatchCreateUser"
    }

    fn prepare(&self, user: NewUser) -> Result<CreateItem, Rejection> {
        let (user, request) = prepare(user, self.default_security_group.as_deref())?;
        Ok(CreateItem { user, request })
    }

    fn key<'a>(&self, item: &'a CreateItem) -> &'a str {
        item.user.username()
    }

    fn canonical(&self, item: &CreateItem, content: &mut ContentHasher) {
        content.add(&item.user, &item.user.security_group_ids);
    }

    fn bytes(&self, item: &CreateItem) -> usize {
        json_bytes(&crate::json::to_value(&item.request))
    }

    fn locate(path: &str) -> Option<(usize, String)> {
        item_of_field("users", path)
    }

    async fn call(
        &self,
        client: &Client,
        network_id: &str,
        rows: &[ChunkRow<CreateItem>],
        token: &str,
    ) -> Result<BatchCreateUserOutput, AttemptError> {
        let items: Vec<BatchCreateUserRequestItem> =
            rows.iter().map(|r| r.item.request.clone()).collect();
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
        rows: &[ChunkRow<CreateItem>],
        output: &BatchCreateUserOutput,
    ) {
        record_answer(record, rows, output);
    }
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
    rows: &[ChunkRow<CreateItem>],
    output: &BatchCreateUserOutput,
) {
    let mut unmatched: Vec<&ChunkRow<CreateItem>> = Vec::with_capacity(rows.len());
    let mut created: Vec<Option<&User>> = vec![None; rows.len()];
    for user in output.successful() {
        let Some(name) = user.username() else {
            continue;
        };
        if let Some(position) = rows
            .iter()
            .enumerate()
            .position(|(i, row)| created[i].is_none() && row.item.user.username() == name)
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
