//! Carrying out a sync plan with the bulk jobs, in this order: create, update, suspend, delete.
//! Each job has the engine's guarantees (bounded, throttle-adaptive concurrency; the same client
//! token on every attempt of a call; unknown when an answer was lost). An interruption stops
//! before the next job; what it did not send is reported not attempted.

use wickr_admin::bulk::{
    find_users, ActionReport, BulkReport, CancelToken, Found, Lookups, Outcome as CreateOutcome,
    UserAction, UserUpdate,
};
use wickr_admin::Client;

use super::plan::{Change, MissingAction, Plan, RowPlan};
use crate::import::new_user;
use crate::progress::ProgressDisplay;
use crate::report::{Outcome, ReportRow};
use crate::users::outcomes::{self, action_outcome, outcome_of, Outcomes};

/// Where and how to apply.
pub struct Target<'a> {
    pub client: &'a Client,
    pub network_id: &'a str,
    pub concurrency: u32,
    pub cancel: CancelToken,
}

const NOT_SENT: &str = "not sent: the sync was interrupted before this step";

/// Runs the plan's jobs and adds one report row per file row and per network user not in the
/// file.
pub async fn apply(target: &Target<'_>, plan: &Plan, outcomes: &mut Outcomes) {
    let creates: Vec<&crate::input::Row> = plan
        .rows
        .iter()
        .filter(|(_, p)| matches!(p, RowPlan::Create))
        .map(|(row, _)| row)
        .collect();
    let created = run_creates(target, &creates).await;
    let lookups = match &created {
        Some(report) => settle_unknown(target, &creates, report).await,
        None => Lookups::default(),
    };

    let updates: Vec<UserUpdate> = plan
        .rows
        .iter()
        .filter_map(|(row, p)| match p {
            RowPlan::Update { user_id, changes } => Some(update_of(row, user_id, changes)),
            _ => None,
        })
        .collect();
    let updated = if updates.is_empty() || target.cancel.is_cancelled() {
        None
    } else {
        let display = std::sync::Arc::new(ProgressDisplay::new(updates.len() as u64, "updates"));
        let shown = display.clone();
        let report = target
            .client
            .bulk_update_users(target.network_id)
            .updates(updates)
            .concurrency(target.concurrency)
            .cancel_token(target.cancel.clone())
            .on_progress(move |p| shown.update(p))
            .send()
            .await;
        display.finish();
        Some(report)
    };

    let suspended = run_action(target, plan, MissingAction::Suspend, UserAction::Suspend).await;
    let deleted = run_action(target, plan, MissingAction::Delete, UserAction::Delete).await;

    // The report: file rows in file order, then the network's other users.
    let mut create_answers = created.as_ref().map(BulkReport::iter);
    let mut update_answers = updated.as_ref().map(ActionReport::iter);
    for (row, planned) in &plan.rows {
        let (action, outcome, user_id, invite, reason): (_, _, Option<&str>, Option<&str>, _) =
            match planned {
                RowPlan::Create => {
                    let answer = create_answers.as_mut().and_then(Iterator::next);
                    let (outcome, user_id, invite, reason) =
                        create_outcome(answer, lookups.found.get(&row.username));
                    ("create", outcome, user_id, invite, reason)
                }
                RowPlan::Update { user_id, changes } => {
                    let fields: Vec<&str> = changes.iter().map(Change::field).collect();
                    let (outcome, reason) = match update_answers.as_mut().and_then(Iterator::next) {
                        Some(answer) => outcome_of(
                            Outcome::Updated,
                            "the network no longer has this user",
                            answer,
                        ),
                        None => (Outcome::NotAttempted, Some(NOT_SENT.to_string())),
                    };
                    let reason = Some(match reason {
                        Some(reason) => format!("{}: {reason}", fields.join(", ")),
                        None => fields.join(", "),
                    });
                    ("update", outcome, Some(user_id.as_str()), None, reason)
                }
                RowPlan::Unchanged { user_id } => (
                    "none",
                    Outcome::Unchanged,
                    Some(user_id.as_str()),
                    None,
                    None,
                ),
            };
        let shown = ReportRow {
            line: row.line,
            username: &row.username,
            action: Some(action),
            outcome,
            user_id,
            invite_code: invite,
            reason,
        };
        let as_asked =
            outcome.is_present() || matches!(outcome, Outcome::Updated | Outcome::Unchanged);
        outcomes.add(&shown, as_asked);
    }
    let mut suspend_answers = suspended.as_ref().map(ActionReport::iter);
    let mut delete_answers = deleted.as_ref().map(ActionReport::iter);
    for m in &plan.missing {
        let (outcome, reason) = match m.action {
            MissingAction::Leave => (Outcome::LeftAlone, m.note.clone()),
            MissingAction::Suspend => answer_of(&mut suspend_answers, UserAction::Suspend),
            MissingAction::Delete => answer_of(&mut delete_answers, UserAction::Delete),
        };
        let shown = ReportRow {
            line: 0,
            username: &m.user.username,
            action: Some(m.action.as_str()),
            outcome,
            user_id: Some(&m.user.user_id),
            invite_code: None,
            reason,
        };
        let as_asked = matches!(
            outcome,
            Outcome::LeftAlone | Outcome::Suspended | Outcome::Deleted | Outcome::NotFound
        );
        outcomes.add(&shown, as_asked);
    }
    if let Some(report) = &created {
        outcomes.add_create_job(report);
    }
    for report in [&updated, &suspended, &deleted].into_iter().flatten() {
        outcomes.add_job(report);
    }
}

fn answer_of<'a>(
    answers: &mut Option<impl Iterator<Item = wickr_admin::bulk::ActionOutcome<'a>>>,
    action: UserAction,
) -> (Outcome, Option<String>) {
    match answers.as_mut().and_then(Iterator::next) {
        Some(answer) => action_outcome(action, answer),
        None => (Outcome::NotAttempted, Some(NOT_SENT.to_string())),
    }
}

/// The change of an Update row: only the fields that differ, trimmed.
fn update_of(row: &crate::input::Row, user_id: &str, changes: &[Change]) -> UserUpdate {
    let mut update = UserUpdate::new(user_id);
    for change in changes {
        update = match change {
            Change::FirstName => update.first_name(row.first_name.as_deref().unwrap_or("").trim()),
            Change::LastName => update.last_name(row.last_name.as_deref().unwrap_or("").trim()),
            Change::SecurityGroup { to, .. } => update.security_group_id(to.clone()),
        };
    }
    update
}

async fn run_creates(target: &Target<'_>, rows: &[&crate::input::Row]) -> Option<BulkReport> {
    if rows.is_empty() || target.cancel.is_cancelled() {
        return None;
    }
    let display = std::sync::Arc::new(ProgressDisplay::new(rows.len() as u64, "users"));
    let shown = display.clone();
    let report = target
        .client
        .bulk_create_users(target.network_id)
        .users(rows.iter().map(|row| new_user(row)))
        .concurrency(target.concurrency)
        .cancel_token(target.cancel.clone())
        .on_progress(move |p| shown.update(p))
        .send()
        .await;
    display.finish();
    Some(report)
}

/// Users created without a definitive answer: ListUsers says whether they are there.
async fn settle_unknown(
    target: &Target<'_>,
    rows: &[&crate::input::Row],
    report: &BulkReport,
) -> Lookups {
    if report.cancelled() || report.stop_reason().is_some() {
        return Lookups::default();
    }
    let unknown: Vec<String> = rows
        .iter()
        .zip(report.iter())
        .filter(|(_, outcome)| matches!(outcome, CreateOutcome::Unknown { .. }))
        .map(|(row, _)| row.username.clone())
        .collect();
    find_users(target.client, target.network_id, &unknown, &target.cancel).await
}

async fn run_action(
    target: &Target<'_>,
    plan: &Plan,
    missing: MissingAction,
    action: UserAction,
) -> Option<ActionReport> {
    let ids: Vec<String> = plan
        .missing
        .iter()
        .filter(|m| m.action == missing)
        .map(|m| m.user.user_id.clone())
        .collect();
    if ids.is_empty() || target.cancel.is_cancelled() {
        return None;
    }
    let display = std::sync::Arc::new(ProgressDisplay::new(ids.len() as u64, "users"));
    let shown = display.clone();
    let report = target
        .client
        .bulk_user_action(target.network_id, action)
        .user_ids(ids)
        .concurrency(target.concurrency)
        .cancel_token(target.cancel.clone())
        .on_progress(move |p| shown.update(p))
        .send()
        .await;
    display.finish();
    Some(report)
}

/// A create row's outcome, with a look-up's verdict for an unknown one.
fn create_outcome<'a>(
    answer: Option<CreateOutcome<'a>>,
    found: Option<&'a Found>,
) -> (Outcome, Option<&'a str>, Option<&'a str>, Option<String>) {
    match (answer, found) {
        (None, _) => (
            Outcome::NotAttempted,
            None,
            None,
            Some(NOT_SENT.to_string()),
        ),
        // No definitive answer, settled by a look-up after the job.
        (Some(CreateOutcome::Unknown { error }), Some(Found::Present { user_id })) => (
            Outcome::Present,
            user_id.as_deref(),
            None,
            Some(format!(
                "no definitive answer ({error}); ListUsers finds the user"
            )),
        ),
        (Some(CreateOutcome::Unknown { error }), Some(Found::Absent)) => (
            Outcome::NotCreated,
            None,
            None,
            Some(format!(
                "no definitive answer ({error}); ListUsers does not find the user"
            )),
        ),
        (Some(answer), _) => outcomes::create_outcome(answer),
    }
}
