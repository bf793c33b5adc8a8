//! Acting on existing users by id, 50 per call: BatchDeleteUser, BatchToggleUserSuspendStatus
//! (suspend and unsuspend) and BatchReinviteUser, as a bulk job runs them.

use std::collections::HashMap;

use super::chunk::ChunkRow;
use super::classify::{item_of_field, reasons_of, AttemptError};
use super::operation::{BatchOperation, Rejection};
use super::token::ContentHasher;
use super::window::OutcomeWindow;
use crate::types::{BatchUserErrorResponseItem, BatchUserSuccessResponseItem};
use crate::Client;

/// What a user-action job does to each user.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UserAction {
    /// Removes the user from the network (BatchDeleteUser). Cannot be undone.
    Delete,
    /// Locks the user out of the network (BatchToggleUserSuspendStatus, `suspend=true`).
    Suspend,
    /// Lets a suspended user back in (BatchToggleUserSuspendStatus, `suspend=false`).
    Unsuspend,
    /// Sends a pending user a new invitation (BatchReinviteUser).
    Reinvite,
    /// Signs the user out of every device (ListDevicesForUser, then BatchResetDevicesForUser
    /// with all of them), one user per call.
    ResetDevices,
}

impl UserAction {
    /// The action's name as the command spells it: `delete`, `suspend`, `unsuspend`,
    /// `reinvite`, `reset-devices`.
    pub fn as_str(self) -> &'static str {
        match self {
            UserAction::Delete => "delete",
            UserAction::Suspend => "suspend",
            UserAction::Unsuspend => "unsuspend",
            UserAction::Reinvite => "reinvite",
            UserAction::ResetDevices => "reset-devices",
        }
    }
}

/// Checks a user id against the model's `UserId` (1 to 10 digits).
pub(crate) fn check_user_id(user_id: &str) -> Result<(), Rejection> {
    if (1..=10).contains(&user_id.len()) && user_id.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(());
    }
    let shown: String = user_id.chars().take(20).collect();
    let cut = if shown.len() < user_id.len() {
        "..."
    } else {
        ""
    };
    Err((
        "userId".into(),
        format!("{shown:?}{cut} is not a user id (1 to 10 digits)"),
    ))
}

/// The actions one batch call over user ids carries out: every [`UserAction`] but
/// `ResetDevices`, which lists each user's devices first (`reset_devices.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BatchAction {
    Delete,
    Suspend,
    Unsuspend,
    Reinvite,
}

impl BatchAction {
    /// The batch call of `action`; `None` for `ResetDevices`.
    pub(crate) fn of(action: UserAction) -> Option<Self> {
        match action {
            UserAction::Delete => Some(Self::Delete),
            UserAction::Suspend => Some(Self::Suspend),
            UserAction::Unsuspend => Some(Self::Unsuspend),
            UserAction::Reinvite => Some(Self::Reinvite),
            UserAction::ResetDevices => None,
        }
    }
}

/// The batch operations over user ids whose answer lists each user as successful or failed.
pub(crate) struct ByUserId {
    pub(crate) action: BatchAction,
}

/// The answer to one call: users processed and users refused.
pub(crate) struct UserAnswer {
    successful: Vec<BatchUserSuccessResponseItem>,
    failed: Vec<BatchUserErrorResponseItem>,
}

macro_rules! read_answer {
    ($sent:expr, $error:path) => {
        $sent
            .map(|output| UserAnswer {
                successful: output.successful().to_vec(),
                failed: output.failed().to_vec(),
            })
            .map_err(|e| {
                AttemptError::read(
                    &e,
                    |error| match error {
                        $error(invalid) => Some(reasons_of(invalid)),
                        _ => None,
                    },
                    ByUserId::locate,
                )
            })
    };
}

impl BatchOperation for ByUserId {
    type Input = String;
    type Item = String;
    type Output = UserAnswer;

    const MAX_ITEMS: usize = super::chunk::MAX_CHUNK;

    fn name(&self) -> &'static str {
        match self.action {
            BatchAction::Delete => "BatchDeleteUser",
            BatchAction::Suspend => "BatchToggleUserSuspendStatus?suspend=true",
            BatchAction::Unsuspend => "BatchToggleUserSuspendStatus?suspend=false",
            BatchAction::Reinvite => "BatchReinviteUser",
        }
    }

    fn prepare(&self, user_id: String) -> Result<String, Rejection> {
        check_user_id(&user_id)?;
        Ok(user_id)
    }

    fn key<'a>(&self, item: &'a String) -> &'a str {
        item
    }

    fn canonical(&self, item: &String, content: &mut ContentHasher) {
        content.add_json(&serde_json::Value::from(item.as_str()));
    }

    fn bytes(&self, item: &String) -> usize {
        item.len() + 2
    }

    fn locate(path: &str) -> Option<(usize, String)> {
        item_of_field("userIds", path)
    }

    async fn call(
        &self,
        client: &Client,
        network_id: &str,
        rows: &[ChunkRow<String>],
        token: &str,
    ) -> Result<UserAnswer, AttemptError> {
        let ids: Vec<String> = rows.iter().map(|r| r.item.clone()).collect();
        match self.action {
            BatchAction::Delete => read_answer!(
                client
                    .batch_delete_user()
                    .network_id(network_id)
                    .set_user_ids(Some(ids))
                    .client_token(token)
                    .send()
                    .await,
                crate::operation::batch_delete_user::BatchDeleteUserError::ValidationError
            ),
            BatchAction::Suspend | BatchAction::Unsuspend => read_answer!(
                client
                    .batch_toggle_user_suspend_status()
                    .network_id(network_id)
                    .suspend(self.action == BatchAction::Suspend)
                    .set_user_ids(Some(ids))
                    .client_token(token)
                    .send()
                    .await,
                crate::operation::batch_toggle_user_suspend_status::BatchToggleUserSuspendStatusError::ValidationError
            ),
            BatchAction::Reinvite => read_answer!(
                client
                    .batch_reinvite_user()
                    .network_id(network_id)
                    .set_user_ids(Some(ids))
                    .client_token(token)
                    .send()
                    .await,
                crate::operation::batch_reinvite_user::BatchReinviteUserError::ValidationError
            ),
        }
    }

    fn record(
        &self,
        record: &mut OutcomeWindow,
        rows: &[ChunkRow<String>],
        answer: UserAnswer,
        _earlier_may_have_applied: bool,
    ) {
        record_user_answer(record, rows, &answer);
    }
}

/// Matches the answer's entries to the rows by user id. A row the answer does not mention is
/// unknown: nothing is guessed.
fn record_user_answer(record: &mut OutcomeWindow, rows: &[ChunkRow<String>], answer: &UserAnswer) {
    let by_id: HashMap<&str, usize> = rows.iter().map(|r| (r.item.as_str(), r.index)).collect();
    let mut settled: Vec<usize> = Vec::with_capacity(rows.len());
    for item in &answer.successful {
        if let Some(&index) = by_id.get(item.user_id()) {
            record.set_done(index, None, None);
            settled.push(index);
        }
    }
    for item in &answer.failed {
        let Some(&index) = by_id.get(item.user_id()) else {
            continue;
        };
        let reason = item.reason().unwrap_or("");
        if means_not_found(reason) {
            record.set_already(index, None);
        } else {
            record.set_failed(
                index,
                item.field(),
                if reason.is_empty() {
                    "the service refused this user without a reason"
                } else {
                    reason
                },
            );
        }
        settled.push(index);
    }
    for row in rows {
        if !settled.contains(&row.index) {
            record.set_unknown(
                row.index,
                "the service's answer did not account for this user; the action may or may not \
                 have been applied",
            );
        }
    }
}

/// Whether a per-user failure says the network has no such user.
pub(crate) fn means_not_found(reason: &str) -> bool {
    let reason = reason.to_ascii_lowercase();
    reason.contains("not found") || reason.contains("does not exist")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_ids_are_one_to_ten_digits() {
        assert!(check_user_id("1042").is_ok());
        assert!(check_user_id("1234567890").is_ok());
        for bad in ["", "12345678901", "12a", " 12", "alice@example.com"] {
            let (field, reason) = check_user_id(bad).unwrap_err();
            assert_eq!(field, "userId");
            assert!(reason.contains("not a user id"), "{reason}");
        }
    }

    #[test]
    fn missing_users_are_told_apart_from_refusals() {
        assert!(means_not_found("User not found"));
        assert!(means_not_found("user does not exist"));
        assert!(!means_not_found("User has already accepted the invitation"));
    }
}
