//! The earlier run of a job `--resume` continues: its id (from the resume file), and the rows its
//! report settled, read beside the input's rows one at a time (both are in line order), so
//! resuming a job over a million rows holds none of them.

use std::path::{Path, PathBuf};

use crate::report_reader::{EarlierRow, ReportReader};
use crate::resume::ResumeFile;

/// The job `--resume` continues.
pub struct Earlier {
    pub job_id: String,
    /// Whether the report beside the resume file is this job's.
    pub report_written: bool,
    /// Rows the earlier report settled.
    pub settled: u64,
    /// The earlier report, when the earlier run got as far as writing it.
    report: Option<PathBuf>,
}

/// Whether an earlier row keeps its outcome: the user is in the network, or the service refused
/// it. Rows not sent, not created or unknown are sent again.
fn is_settled(row: &EarlierRow) -> bool {
    row.outcome.is_present() || row.outcome == crate::report::Outcome::Failed
}

impl Earlier {
    /// Reads the resume file and checks that it is this job, then reads the report through
    /// once, so an unreadable one is refused before anything is sent; a report that is not the
    /// job's is not read.
    pub fn read(report: &Path, this_job: &ResumeFile) -> Result<Self, String> {
        let recorded = ResumeFile::read(&ResumeFile::path_for(report))?;
        recorded.check_same_job(this_job)?;
        let mut settled = 0;
        // A new job killed before its report was in place left another job's report there.
        let report = if recorded.report_written && report.exists() {
            let mut rows = ReportReader::open(report)?;
            while let Some(row) = rows.next_row()? {
                settled += u64::from(is_settled(&row));
            }
            Some(report.to_path_buf())
        } else {
            None
        };
        Ok(Self {
            job_id: recorded.job_id,
            report_written: recorded.report_written,
            settled,
            report,
        })
    }

    /// Reads the settled rows beside the input.
    pub fn cursor(&self) -> Result<EarlierCursor, String> {
        Ok(EarlierCursor {
            rows: self.report.as_deref().map(ReportReader::open).transpose()?,
            next: None,
            failed: None,
        })
    }
}

/// The earlier report's rows, in line order.
pub struct EarlierCursor {
    rows: Option<ReportReader>,
    next: Option<EarlierRow>,
    /// Why the report stopped being readable (its rows after that are sent again).
    pub failed: Option<String>,
}

impl EarlierCursor {
    /// The earlier row of the input row on `line` with `username`, when that row was settled.
    /// Asked for lines in increasing order.
    pub fn settled(&mut self, line: u64, username: &str) -> Option<EarlierRow> {
        loop {
            if self.next.is_none() {
                let rows = self.rows.as_mut()?;
                match rows.next_row() {
                    Ok(Some(row)) => self.next = Some(row),
                    Ok(None) => {
                        self.rows = None;
                        return None;
                    }
                    Err(e) => {
                        self.failed = Some(e);
                        self.rows = None;
                        return None;
                    }
                }
            }
            match &self.next {
                Some(row) if row.line < line => self.next = None,
                Some(row) if row.line == line => {
                    let row = self.next.take()?;
                    return (row.username == username && is_settled(&row)).then_some(row);
                }
                _ => return None,
            }
        }
    }
}
