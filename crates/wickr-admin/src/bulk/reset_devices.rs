//! Signing users out of every device: per user, ListDevicesForUser and then
//! BatchResetDevicesForUser with all of its devices, as a bulk job runs it (one user per call).

use sha2::{Digest, Sha256};

use super::chunk::ChunkRow;
use super::classify::{names_missing_user, reasons_of, the_one_item, AttemptError};
use super::operation::{BatchOperation, Rejection};
use super::token::ContentHasher;
use super::user_action::{check_user_id, means_not_found};
use super::window::OutcomeWindow;
use crate::operation::batch_reset_devices_for_user::BatchResetDevicesForUserError;
use crate::operation::list_devices_for_user::ListDevicesForUserError;
use crate::Client;

/// Devices reset per BatchResetDevicesForUser call: the most the service documents ("Maximum 50
/// devices per batch request").
const DEVICES_PER_CALL: usize = 50;

/// BatchResetDevicesForUser over every device a user has.
pub(crate) struct ResetDevices;

/// What one call found and did.
pub(crate) enum ResetAnswer {
    /// The network has no such user.
    UserNotFound,
    /// The user's devices: how many were listed, reset, or already gone; and the refusals.
    Devices {
        listed: usize,
        reset: usize,
        gone: usize,
        failed: Vec<(Option<String>, String)>,
    },
}

/// The token of a reset call: the chunk's token together with the devices it names, so a retry
/// that finds the same devices replays the call, and one that finds others makes a new one.
fn reset_token(chunk_token: &str, app_ids: &[String]) -> String {
    let mut hash = Sha256::new();
    hash.update(chunk_token.as_bytes());
    for id in app_ids {
        hash.update(b"\n");
        hash.update(id.as_bytes());
    }
    let digest = hash.finalize();
    let mut token = String::from("reset-");
    for byte in digest.iter().take(28) {
        token.push_str(&format!("{byte:02x}"));
    }
    token
}

fn list_reasons(error: &ListDevicesForUserError) -> Option<Vec<(String, String)>> {
    match error {
        ListDevicesForUserError::ValidationError(invalid) => Some(reasons_of(invalid)),
        _ => None,
    }
}

fn reset_reasons(error: &BatchResetDevicesForUserError) -> Option<Vec<(String, String)>> {
    match error {
        BatchResetDevicesForUserError::ValidationError(invalid) => Some(reasons_of(invalid)),
        _ => None,
    }
}

impl BatchOperation for ResetDevices {
    type Input = String;
    type Item = String;
    type Output = ResetAnswer;

    const MAX_ITEMS: usize = 1;

    fn name(&self) -> &'static str {
        "BatchResetDevicesForUser"
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
        the_one_item(path)
    }

    async fn call(
        &self,
        client: &Client,
        network_id: &str,
        rows: &[ChunkRow<String>],
        token: &str,
    ) -> Result<ResetAnswer, AttemptError> {
        let Some(row) = rows.first() else {
            return Ok(ResetAnswer::Devices {
                listed: 0,
                reset: 0,
                gone: 0,
                failed: Vec::new(),
            });
        };
        let user_id = row.item.as_str();
        let mut app_ids = Vec::new();
        let mut pages = client
            .list_devices_for_user()
            .network_id(network_id)
            .user_id(user_id)
            .max_results(100)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            match page {
                Ok(page) => app_ids.extend(
                    page.devices()
                        .iter()
                        .filter_map(|d| d.app_id().map(str::to_string)),
                ),
                Err(e) if names_missing_user(&e) => return Ok(ResetAnswer::UserNotFound),
                Err(e) => {
                    // Listing changes nothing, and no reset was sent yet in this attempt.
                    let mut error = AttemptError::read(&e, list_reasons, Self::locate);
                    error.maybe_applied = false;
                    return Err(error);
                }
            }
        }
        if app_ids.is_empty() {
            return Ok(ResetAnswer::Devices {
                listed: 0,
                reset: 0,
                gone: 0,
                failed: Vec::new(),
            });
        }
        let listed = app_ids.len();
        let (mut reset, mut gone, mut failed) = (0, 0, Vec::new());
        // The service takes at most this many devices per call; a failed call fails the row,
        // and its retry resets again what an earlier call reset (a gone device counts as gone).
        for ids in app_ids.chunks(DEVICES_PER_CALL) {
            let sent = client
                .batch_reset_devices_for_user()
                .network_id(network_id)
                .user_id(user_id)
                .set_app_ids(Some(ids.to_vec()))
                .client_token(reset_token(token, ids))
                .send()
                .await;
            match sent {
                Ok(output) => {
                    for item in output.failed() {
                        let reason = item.reason().unwrap_or("refused without a reason");
                        // A device the service no longer knows is signed out already.
                        if means_not_found(reason)
                            || reason.to_ascii_lowercase().contains("invalid app id")
                        {
                            gone += 1;
                        } else {
                            failed.push((
                                item.field().map(str::to_string),
                                format!("device {}: {reason}", item.app_id()),
                            ));
                        }
                    }
                    reset += output.successful().len();
                }
                Err(e) if names_missing_user(&e) => return Ok(ResetAnswer::UserNotFound),
                Err(e) => {
                    // Devices an earlier call of this attempt reset are gone from the next
                    // listing: the attempt was applied in part, whatever this call's error.
                    let mut error = AttemptError::read(&e, reset_reasons, Self::locate);
                    error.maybe_applied |= reset > 0;
                    return Err(error);
                }
            }
        }
        Ok(ResetAnswer::Devices {
            listed,
            reset,
            gone,
            failed,
        })
    }

    fn record(
        &self,
        record: &mut OutcomeWindow,
        rows: &[ChunkRow<String>],
        answer: ResetAnswer,
        earlier_may_have_applied: bool,
    ) {
        for row in rows {
            match &answer {
                ResetAnswer::UserNotFound => record.set_already(row.index, None),
                ResetAnswer::Devices { failed, .. } if !failed.is_empty() => {
                    let reasons: Vec<&str> = failed.iter().map(|(_, r)| r.as_str()).collect();
                    let field = failed.first().and_then(|(f, _)| f.as_deref());
                    record.set_failed(row.index, field, &reasons.join("; "));
                }
                ResetAnswer::Devices {
                    listed,
                    reset,
                    gone,
                    ..
                } => {
                    let mut detail = if *gone > 0 {
                        format!("{reset} of {listed} devices reset, {gone} already gone")
                    } else {
                        format!("{reset} of {listed} devices reset")
                    };
                    // A reset device leaves the user's list: what an attempt whose answer was
                    // lost reset is not in this count.
                    if earlier_may_have_applied {
                        detail.push_str(
                            " by the last attempt; an earlier attempt, whose answer was lost, may \
                             have reset others",
                        );
                    }
                    record.set_done(row.index, Some(detail.into()), None);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reset_tokens_follow_the_devices_and_fit_the_model() {
        let ids = vec!["a".to_string(), "b".to_string()];
        let token = reset_token("bulk2-abc", &ids);
        assert_eq!(token, reset_token("bulk2-abc", &ids));
        assert_ne!(token, reset_token("bulk2-abc", &ids[..1]));
        assert_ne!(token, reset_token("bulk2-abd", &ids));
        assert!(token.len() <= 64);
        assert!(token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':')));
    }
}
