//! Reading the service's answer to a chunk into one outcome per user.

use super::chunk::ChunkRow;
use super::classify::{means_already_exists, row_of_field};
use super::report::BulkReport;
use crate::operation::batch_create_user::BatchCreateUserOutput;
use crate::types::User;

/// Matches the created users to the chunk's rows by username, and the failed entries (which
/// carry no username) to the remaining rows in request order.
pub(crate) fn record_answer(
    report: &mut BulkReport,
    rows: &[ChunkRow],
    output: &BatchCreateUserOutput,
) {
    let mut unmatched: Vec<&ChunkRow> = Vec::with_capacity(rows.len());
    let mut created: Vec<Option<&User>> = vec![None; rows.len()];
    for user in output.successful() {
        let Some(name) = user.username() else {
            continue;
        };
        if let Some(position) = rows
            .iter()
            .enumerate()
            .position(|(i, row)| created[i].is_none() && row.user.username() == name)
        {
            created[position] = Some(user);
        }
    }
    for (row, user) in rows.iter().zip(&created) {
        match user {
            Some(user) => report.set_created(
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
                    report.set_already_existed(row.index, user_id);
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

/// Marks the users a ValidationError names as failed and returns the others, to be sent again.
/// When it names none of them, every user fails with what the service said.
pub(crate) fn record_rejections(
    report: &mut BulkReport,
    rows: Vec<ChunkRow>,
    reasons: Vec<(String, String)>,
    whole_error: &str,
) -> Vec<ChunkRow> {
    let mut named: Vec<Option<(String, String)>> = vec![None; rows.len()];
    let mut general = Vec::new();
    for (path, reason) in reasons {
        match row_of_field(&path) {
            Some((row, field)) if row < named.len() => {
                let field = if field.is_empty() {
                    path.clone()
                } else {
                    field
                };
                named[row].get_or_insert((field, reason));
            }
            _ => general.push(if path.is_empty() {
                reason
            } else {
                format!("{path}: {reason}")
            }),
        }
    }
    if named.iter().all(Option::is_none) {
        let reason = if general.is_empty() {
            whole_error.to_string()
        } else {
            general.join("; ")
        };
        for row in &rows {
            report.set_failed(row.index, None, &reason);
        }
        return Vec::new();
    }
    // Reasons that name no user still belong to this answer: they go with each refused user,
    // so none of what the service said is lost.
    let also = if general.is_empty() {
        String::new()
    } else {
        format!(" (the service also said: {})", general.join("; "))
    };
    let mut rest = Vec::new();
    for (row, named) in rows.into_iter().zip(named) {
        match named {
            Some((field, reason)) => {
                report.set_failed(row.index, Some(&field), &format!("{reason}{also}"))
            }
            None => rest.push(row),
        }
    }
    rest
}
