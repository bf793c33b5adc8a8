//! The rows that did not end as asked, shared by every command's summary: each one as it is kept
//! (in a [`Spill`], so the list costs the same memory whatever its length) and as the table lists
//! it, at most [`LISTED_WITH_REPORT`] lines when a report file holds them all anyway.

use std::fmt::Display;

use serde::{Deserialize, Serialize};
use wickr_admin::error::OneLine;

use crate::console::say;
use crate::report::{Outcome, ReportRow};
use crate::spill::Spill;

/// Most lines listed one by one in the table when a report file holds them all anyway.
pub const LISTED_WITH_REPORT: usize = 20;

/// A row that did not end as asked.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UnsuccessfulRow {
    pub line: u64,
    pub username: String,
    /// What a sync meant to do with the row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    pub outcome: Outcome,
    pub reason: String,
}

impl From<&ReportRow<'_>> for UnsuccessfulRow {
    fn from(row: &ReportRow<'_>) -> Self {
        Self {
            line: row.line,
            username: row.username.to_string(),
            action: row.action.map(str::to_string),
            outcome: row.outcome,
            reason: row.reason.clone().unwrap_or_default(),
        }
    }
}

/// The lines of a summary table that name rows and problems one by one.
pub struct Listing {
    limit: usize,
    listed: usize,
}

impl Listing {
    /// Lists every line, or the first [`LISTED_WITH_REPORT`] when a report file holds them all.
    pub fn new(with_report: bool) -> Self {
        Self {
            limit: if with_report {
                LISTED_WITH_REPORT
            } else {
                usize::MAX
            },
            listed: 0,
        }
    }

    /// Prints one line, unless the limit is reached (it is still counted).
    pub fn show(&mut self, line: impl Display) -> Result<(), String> {
        if self.listed < self.limit {
            say!("  {line}")?;
        }
        self.listed += 1;
        Ok(())
    }

    /// Prints the rows of `rows`, in order (after [`Spill::flush`]).
    pub fn rows(&mut self, rows: &Spill<UnsuccessfulRow>) -> Result<(), String> {
        rows.visit(|r| {
            let action = r
                .action
                .as_deref()
                .map(|a| format!("{a} "))
                .unwrap_or_default();
            self.show(format_args!(
                "line {}: {} {action}{}: {}",
                r.line,
                r.username,
                r.outcome.as_str(),
                OneLine(&r.reason)
            ))
        })
    }

    /// Says how many lines were left out.
    pub fn end(self) -> Result<(), String> {
        if self.listed > self.limit {
            say!("  ... and {} more", self.listed - self.limit)?;
        }
        Ok(())
    }
}
