//! After the job: rows whose calls got no definitive answer are looked up in the network
//! (ListUsers), and the report and the summary are rewritten with what was found.
//!
//! The rows to look up come from a list that spills to disk, and are looked up in batches of
//! [`LOOKUP_BATCH`] usernames, each batch alone in memory (one listing of the network per batch of
//! more than 20); what was found goes to another such list, read beside the report's rows when
//! it is written again.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use wickr_admin::bulk::{find_users, CancelToken, Found};

use super::rows::UnknownRow;
use super::Target;
use crate::report::{partial_path, Kind, Outcome, ReportRow, ReportWriter};
use crate::report_reader::ReportReader;
use crate::spill::{Spill, SpillReader};
use crate::summary::Summary;
use crate::unsuccessful::UnsuccessfulRow;

/// Most usernames looked up at once.
pub const LOOKUP_BATCH: usize = 50_000;

/// What a look-up found for one row.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Settled {
    pub line: u64,
    /// The user's id when the network has the user; `None` inside `Some` when it has the user
    /// without giving its id.
    pub present: Option<Option<String>>,
}

/// Looks up `unknown` rows in batches; what was found, in line order, and why the look-ups
/// stopped early, if they did.
pub async fn look_up(
    target: &Target,
    unknown: &Spill<UnknownRow>,
    cancel: &CancelToken,
) -> Result<(Spill<Settled>, Option<String>), String> {
    let mut found: Spill<Settled> = Spill::new("looked-up");
    let mut rows = unknown.reader()?;
    let mut batch: Vec<UnknownRow> = Vec::new();
    let mut stopped = None;
    loop {
        let next = rows.next_item()?;
        let full = batch.len() >= LOOKUP_BATCH;
        if (next.is_none() || full) && !batch.is_empty() {
            let names: Vec<String> = batch.iter().map(|r| r.username.clone()).collect();
            let lookups = find_users(&target.client, &target.network_id, &names, cancel).await;
            for row in batch.drain(..) {
                let present = match lookups.found.get(&row.username) {
                    Some(Found::Present { user_id }) => Some(user_id.clone()),
                    Some(Found::Absent) => None,
                    // A user with the name but for case does not show that this row's create
                    // was applied (the service may keep both), nor does one of several: the
                    // row stays unknown, and a resumed job asks the service again with its
                    // client token.
                    Some(Found::OtherCase { .. } | Found::Ambiguous { .. }) | None => continue,
                };
                found.push(Settled {
                    line: row.line,
                    present,
                })?;
            }
            if lookups.stopped.is_some() {
                stopped = lookups.stopped;
                break;
            }
        }
        match next {
            Some(row) => batch.push(row),
            None => break,
        }
    }
    found.flush()?;
    Ok((found, stopped))
}

/// The looked-up rows, read beside rows in line order.
struct SettledCursor<'a> {
    reader: SpillReader<'a, Settled>,
    next: Option<Settled>,
}

impl<'a> SettledCursor<'a> {
    fn new(found: &'a Spill<Settled>) -> Result<Self, String> {
        Ok(Self {
            reader: found.reader()?,
            next: None,
        })
    }

    fn at(&mut self, line: u64) -> Result<Option<Settled>, String> {
        loop {
            if self.next.is_none() {
                self.next = self.reader.next_item()?;
            }
            match &self.next {
                Some(s) if s.line < line => self.next = None,
                Some(s) if s.line == line => return Ok(self.next.take()),
                _ => return Ok(None),
            }
        }
    }
}

/// A row of no definitive answer, as a look-up settled it: its outcome, user id and reason.
fn settled_row(settled: &Settled, error: &str) -> (Outcome, Option<String>, String) {
    match &settled.present {
        Some(user_id) => (
            Outcome::Present,
            user_id.clone(),
            format!(
                "no definitive answer ({error}); ListUsers finds the user: this import created \
                 it, or it was already there"
            ),
        ),
        None => (
            Outcome::NotCreated,
            None,
            format!(
                "no definitive answer ({error}); ListUsers does not find the user: it was not \
                 created"
            ),
        ),
    }
}

/// Rewrites the summary's counts and its list of unsuccessful rows with what was found.
pub fn settle_summary(summary: &mut Summary, found: &Spill<Settled>) -> Result<(), String> {
    let mut cursor = SettledCursor::new(found)?;
    let mut rewritten: Spill<UnsuccessfulRow> = Spill::new("unsuccessful");
    let old = std::mem::replace(&mut summary.unsuccessful, Spill::new("unsuccessful"));
    let mut reader = old.reader()?;
    while let Some(mut row) = reader.next_item()? {
        if row.outcome == Outcome::Unknown {
            if let Some(settled) = cursor.at(row.line)? {
                let (outcome, _, reason) = settled_row(&settled, &row.reason);
                summary.unknown -= 1;
                match outcome {
                    Outcome::Present => {
                        summary.present += 1;
                        continue;
                    }
                    _ => {
                        summary.not_created += 1;
                        row.outcome = outcome;
                        row.reason = reason;
                    }
                }
            }
        }
        rewritten.push(row)?;
    }
    rewritten.flush()?;
    summary.unsuccessful = rewritten;
    Ok(())
}

/// Writes the report at `path` again from the one written at `written`, with what was found.
pub fn settle_report(path: &Path, written: PathBuf, found: &Spill<Settled>) -> Result<(), String> {
    let kind = Kind::of(path);
    // The first report is moved aside, so the new one can be written where reports are.
    let mut aside = written.as_os_str().to_os_string();
    aside.push(".unsettled");
    let aside = PathBuf::from(aside);
    std::fs::rename(&written, &aside).map_err(|e| {
        format!(
            "cannot move report {} to {}: {e}",
            written.display(),
            aside.display()
        )
    })?;
    match rewrite(path, &aside, kind, found) {
        Ok(()) => {
            let _ = std::fs::remove_file(&aside);
            Ok(())
        }
        // The first report is whole: it goes back where it was, so that no row is lost.
        Err(e) => match std::fs::rename(&aside, &written) {
            Ok(()) => Err(format!(
                "{e}; the report without the look-ups' results is {}",
                written.display()
            )),
            Err(_) => Err(format!(
                "{e}; the report without the look-ups' results is {}",
                aside.display()
            )),
        },
    }
}

fn rewrite(path: &Path, aside: &Path, kind: Kind, found: &Spill<Settled>) -> Result<(), String> {
    let mut cursor = SettledCursor::new(found)?;
    let mut rows = ReportReader::open_as(aside, kind)?;
    let mut writer = ReportWriter::create_at(path, &partial_path(path), false)?;
    while let Some(row) = rows.next_row()? {
        let mut settled = None;
        if row.outcome == Outcome::Unknown {
            if let Some(found) = cursor.at(row.line)? {
                settled = Some(settled_row(
                    &found,
                    row.reason.as_deref().unwrap_or_default(),
                ));
            }
        }
        let out = match &settled {
            Some((outcome, user_id, reason)) => ReportRow {
                line: row.line,
                username: &row.username,
                action: None,
                outcome: *outcome,
                user_id: user_id.as_deref(),
                invite_code: None,
                reason: Some(reason.clone()),
            },
            None => ReportRow {
                line: row.line,
                username: &row.username,
                action: None,
                outcome: row.outcome,
                user_id: row.user_id.as_deref(),
                invite_code: row.invite_code.as_deref(),
                reason: row.reason.clone(),
            },
        };
        writer.write(&out)?;
    }
    writer.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_rewrite_puts_the_whole_report_back() {
        let dir = std::env::temp_dir().join(format!("wickr-admin-settle-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let written = dir.join("report.csv.partial");
        let text = "line,username,outcome\n2,a@example.com,created\n";
        std::fs::write(&written, text).unwrap();
        // The report's folder does not exist, so the rewrite cannot create it.
        let report = dir.join("missing").join("report.csv");
        let found: Spill<Settled> = Spill::new("looked-up");
        let err = settle_report(&report, written.clone(), &found).expect_err("cannot write");
        assert!(err.contains(&*written.to_string_lossy()), "{err}");
        assert_eq!(std::fs::read_to_string(&written).unwrap(), text);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
