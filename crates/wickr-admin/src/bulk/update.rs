//! Changing users' names and security groups: UpdateUser, one user per call, as a bulk job runs
//! it. UpdateUser sets fields to given values, so an attempt applied twice changes nothing more.

use std::fmt;

use super::chunk::{json_bytes, ChunkRow};
use super::classify::{names_missing_user, reasons_of, the_one_item, AttemptError};
use super::operation::{BatchOperation, Rejection};
use super::token::ContentHasher;
use super::user_action::check_user_id;
use super::window::OutcomeWindow;
use crate::operation::update_user::{UpdateUserError, UpdateUserOutput};
use crate::types::UpdateUserDetails;
use crate::Client;

/// The fields to change on one user; fields left unset are not changed.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct UserUpdate {
    pub(crate) user_id: String,
    pub(crate) first_name: Option<String>,
    pub(crate) last_name: Option<String>,
    pub(crate) security_group_id: Option<String>,
}

impl UserUpdate {
    /// A change to the user with this id.
    pub fn new(user_id: impl Into<String>) -> Self {
        Self {
            user_id: user_id.into(),
            ..Self::default()
        }
    }

    /// New first name (sensitive).
    pub fn first_name(mut self, value: impl Into<String>) -> Self {
        self.first_name = Some(value.into());
        self
    }

    /// New last name (sensitive).
    pub fn last_name(mut self, value: impl Into<String>) -> Self {
        self.last_name = Some(value.into());
        self
    }

    /// The security group to move the user to.
    pub fn security_group_id(mut self, value: impl Into<String>) -> Self {
        self.security_group_id = Some(value.into());
        self
    }

    /// The user's id.
    pub fn user_id(&self) -> &str {
        &self.user_id
    }

    fn details(&self) -> UpdateUserDetails {
        UpdateUserDetails::builder()
            .set_first_name(self.first_name.clone())
            .set_last_name(self.last_name.clone())
            .set_security_group_ids(self.security_group_id.clone().map(|g| vec![g]))
            .build()
    }
}

impl fmt::Debug for UserUpdate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const REDACTED: &str = "*** Sensitive Data Redacted ***";
        f.debug_struct("UserUpdate")
            .field("user_id", &self.user_id)
            .field("first_name", &self.first_name.as_ref().map(|_| REDACTED))
            .field("last_name", &self.last_name.as_ref().map(|_| REDACTED))
            .field("security_group_id", &self.security_group_id)
            .finish()
    }
}

/// UpdateUser.
pub(crate) struct UpdateUsers;

/// What one call did.
pub(crate) enum UpdateAnswer {
    Updated,
    UserNotFound,
}

fn reasons(error: &UpdateUserError) -> Option<Vec<(String, String)>> {
    match error {
        UpdateUserError::ValidationError(invalid) => Some(reasons_of(invalid)),
        _ => None,
    }
}

impl BatchOperation for UpdateUsers {
    type Input = UserUpdate;
    type Item = UserUpdate;
    type Output = UpdateAnswer;

    const MAX_ITEMS: usize = 1;

    fn name(&self) -> &'static str {
        "UpdateUser"
    }

    fn prepare(&self, update: UserUpdate) -> Result<UserUpdate, Rejection> {
        check_user_id(&update.user_id)?;
        if update.first_name.is_none()
            && update.last_name.is_none()
            && update.security_group_id.is_none()
        {
            return Err(("userDetails".into(), "nothing to change".into()));
        }
        Ok(update)
    }

    fn key<'a>(&self, item: &'a UserUpdate) -> &'a str {
        &item.user_id
    }

    fn canonical(&self, item: &UserUpdate, content: &mut ContentHasher) {
        content.add_json(&serde_json::json!([
            item.user_id,
            item.first_name,
            item.last_name,
            item.security_group_id
        ]));
    }

    fn bytes(&self, item: &UserUpdate) -> usize {
        json_bytes(&crate::json::to_value(&item.details())) + item.user_id.len() + 16
    }

    fn locate(path: &str) -> Option<(usize, String)> {
        the_one_item(path)
    }

    async fn call(
        &self,
        client: &Client,
        network_id: &str,
        rows: &[ChunkRow<UserUpdate>],
        _token: &str,
    ) -> Result<UpdateAnswer, AttemptError> {
        let Some(row) = rows.first() else {
            return Ok(UpdateAnswer::Updated);
        };
        let sent: Result<UpdateUserOutput, _> = client
            .update_user()
            .network_id(network_id)
            .user_id(row.item.user_id.clone())
            .user_details(row.item.details())
            .send()
            .await;
        match sent {
            Ok(_) => Ok(UpdateAnswer::Updated),
            Err(e) if names_missing_user(&e) => Ok(UpdateAnswer::UserNotFound),
            Err(e) => Err(AttemptError::read(&e, reasons, Self::locate)),
        }
    }

    fn record(
        &self,
        record: &mut OutcomeWindow,
        rows: &[ChunkRow<UserUpdate>],
        answer: UpdateAnswer,
        _earlier_may_have_applied: bool,
    ) {
        for row in rows {
            match answer {
                UpdateAnswer::Updated => record.set_done(row.index, None, None),
                UpdateAnswer::UserNotFound => record.set_already(row.index, None),
            }
        }
    }
}
