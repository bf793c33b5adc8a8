//! Reading a report this command wrote, one row at a time (for `--resume`, and to settle rows a
//! look-up found after the job): CSV, JSON Lines, or one JSON array, as its extension says. Rows
//! come in line order; a report whose lines do not increase is refused, since it cannot be one
//! this command wrote.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::report::{Kind, Outcome};

/// Longest row of a JSON report read back: no row this command writes comes near it.
const MAX_ROW_BYTES: usize = 1 << 20;

/// A row of an earlier report, read back.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EarlierRow {
    pub line: u64,
    pub username: String,
    pub outcome: Outcome,
    #[serde(default, deserialize_with = "empty_is_none")]
    pub user_id: Option<String>,
    #[serde(default, deserialize_with = "empty_is_none")]
    pub invite_code: Option<String>,
    #[serde(default, deserialize_with = "empty_is_none")]
    pub reason: Option<String>,
}

fn empty_is_none<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let value = Option::<String>::deserialize(d)?;
    Ok(value.filter(|v| !v.is_empty()))
}

enum Rows {
    Csv(csv::DeserializeRecordsIntoIter<BufReader<File>, EarlierRow>),
    JsonLines {
        reader: BufReader<File>,
        line: u64,
        text: String,
    },
    JsonArray(JsonArray),
}

/// The rows of a report, one at a time.
pub struct ReportReader {
    rows: Rows,
    path: PathBuf,
    read: u64,
    last_line: Option<u64>,
}

impl ReportReader {
    /// Opens the report at `path`, in its extension's format.
    pub fn open(path: &Path) -> Result<Self, String> {
        Self::open_as(path, Kind::of(path))
    }

    /// Opens the report at `path`, written in `kind`.
    pub fn open_as(path: &Path, kind: Kind) -> Result<Self, String> {
        let file = File::open(path)
            .map_err(|e| format!("cannot read the report {}: {e}", path.display()))?;
        let reader = BufReader::new(file);
        let rows = match kind {
            Kind::Csv => {
                let mut csv = csv::Reader::from_reader(reader);
                // A file that is not a report (another CSV, or anything at all) is said to be
                // so, instead of read as a report with no rows.
                let headers = csv
                    .headers()
                    .map_err(|e| format!("cannot read the report {}: {e}", path.display()))?;
                if let Some(missing) = ["line", "username", "outcome"]
                    .into_iter()
                    .find(|column| !headers.iter().any(|h| h == *column))
                {
                    return Err(format!(
                        "{} is not a report of this command: its header has no {missing} column",
                        path.display()
                    ));
                }
                Rows::Csv(csv.into_deserialize())
            }
            Kind::JsonLines => Rows::JsonLines {
                reader,
                line: 0,
                text: String::new(),
            },
            Kind::Json => Rows::JsonArray(JsonArray {
                reader,
                started: false,
                ended: false,
                value: Vec::new(),
            }),
        };
        Ok(Self {
            rows,
            path: path.to_path_buf(),
            read: 0,
            last_line: None,
        })
    }

    fn fail(&self, what: impl std::fmt::Display) -> String {
        format!("cannot read the report {}: {what}", self.path.display())
    }

    /// The next row, `None` after the last.
    pub fn next_row(&mut self) -> Result<Option<EarlierRow>, String> {
        let row = match &mut self.rows {
            Rows::Csv(rows) => match rows.next() {
                None => None,
                Some(Ok(row)) => Some(row),
                Some(Err(e)) => return Err(self.fail(format!("row {}: {e}", self.read + 1))),
            },
            Rows::JsonLines { reader, line, text } => loop {
                text.clear();
                *line += 1;
                match reader.read_line(text) {
                    Ok(0) => break None,
                    Ok(_) if text.trim().is_empty() => continue,
                    Ok(_) => match serde_json::from_str(text) {
                        Ok(row) => break Some(row),
                        Err(e) => {
                            let at = *line;
                            return Err(self.fail(format!("line {at}: {e}")));
                        }
                    },
                    Err(e) => return Err(self.fail(e)),
                }
            },
            Rows::JsonArray(rows) => match rows.next_value() {
                Ok(None) => None,
                Ok(Some(value)) => match serde_json::from_slice(value) {
                    Ok(row) => Some(row),
                    Err(e) => return Err(self.fail(format!("row {}: {e}", self.read + 1))),
                },
                Err(e) => return Err(self.fail(e)),
            },
        };
        let Some(row) = row else {
            return Ok(None);
        };
        self.read += 1;
        if self.last_line.is_some_and(|last| row.line <= last) {
            return Err(self.fail(format!(
                "row {} is for line {}, after line {}: its rows are not in the order this \
                 command writes them",
                self.read,
                row.line,
                self.last_line.unwrap_or_default()
            )));
        }
        self.last_line = Some(row.line);
        Ok(Some(row))
    }
}

/// A JSON array read one element at a time: the bytes of each element are found (strings and
/// nesting followed) and handed out whole.
struct JsonArray {
    reader: BufReader<File>,
    started: bool,
    ended: bool,
    value: Vec<u8>,
}

impl JsonArray {
    fn peek(&mut self) -> Result<Option<u8>, String> {
        let buffer = self.reader.fill_buf().map_err(|e| e.to_string())?;
        Ok(buffer.first().copied())
    }

    fn skip_space(&mut self) -> Result<Option<u8>, String> {
        loop {
            match self.peek()? {
                Some(b) if b.is_ascii_whitespace() => self.reader.consume(1),
                other => return Ok(other),
            }
        }
    }

    fn expect(&mut self, what: u8) -> Result<(), String> {
        match self.skip_space()? {
            Some(b) if b == what => {
                self.reader.consume(1);
                Ok(())
            }
            Some(b) => Err(format!(
                "expected `{}`, found `{}`",
                char::from(what),
                char::from(b)
            )),
            None => Err(format!("expected `{}`, found the end", char::from(what))),
        }
    }

    /// The bytes of the next element, `None` after the last.
    fn next_value(&mut self) -> Result<Option<&[u8]>, String> {
        if self.ended {
            return Ok(None);
        }
        if !self.started {
            self.started = true;
            self.expect(b'[')?;
            if self.skip_space()? == Some(b']') {
                self.reader.consume(1);
                self.ended = true;
                return Ok(None);
            }
        } else {
            match self.skip_space()? {
                Some(b']') => {
                    self.reader.consume(1);
                    self.ended = true;
                    return Ok(None);
                }
                _ => self.expect(b',')?,
            }
        }
        self.skip_space()?;
        self.value.clear();
        let mut depth = 0usize;
        let mut in_string = false;
        let mut escaped = false;
        loop {
            let Some(byte) = self.peek()? else {
                return Err("the report ends inside a row".to_string());
            };
            self.reader.consume(1);
            self.value.push(byte);
            if self.value.len() > MAX_ROW_BYTES {
                return Err("a row is longer than 1 MiB".to_string());
            }
            if in_string {
                match (escaped, byte) {
                    (true, _) => escaped = false,
                    (false, b'\\') => escaped = true,
                    (false, b'"') => in_string = false,
                    _ => {}
                }
                continue;
            }
            match byte {
                b'"' => in_string = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' => depth = depth.saturating_sub(1),
                _ => {}
            }
            let next_ends = matches!(self.peek()?, None | Some(b',' | b']'))
                || self.peek()?.is_some_and(|b| b.is_ascii_whitespace());
            if depth == 0 && next_ends {
                return Ok(Some(&self.value));
            }
        }
    }
}

/// Every row of a report.
#[cfg(test)]
pub fn read_report(path: &Path) -> Result<Vec<EarlierRow>, String> {
    let mut reader = ReportReader::open(path)?;
    let mut rows = Vec::new();
    while let Some(row) = reader.next_row()? {
        rows.push(row);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file named in the temporary directory, removed when dropped.
    struct Named(std::path::PathBuf);

    impl Named {
        fn path(&self) -> &std::path::Path {
            &self.0
        }
    }

    impl Drop for Named {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    fn scratch(name: &str, text: &str) -> Named {
        let path = std::env::temp_dir().join(format!(
            "wickr-admin-report-reader-{}-{name}",
            std::process::id()
        ));
        std::fs::write(&path, text).unwrap();
        Named(path)
    }

    #[test]
    fn json_reports_are_read_an_element_at_a_time_whatever_their_layout() {
        let text = r#" [ {"line":2,"username":"a,]\"{","outcome":"created","userId":"1","inviteCode":null,"reason":null},
            {"line":5,"username":"b","outcome":"failed","userId":null,"inviteCode":null,"reason":"x [y] {z}"} ] "#;
        let s = scratch("r.json", text);
        let mut reader = ReportReader::open_as(s.path(), Kind::Json).unwrap();
        let first = reader.next_row().unwrap().unwrap();
        assert_eq!((first.line, first.username.as_str()), (2, "a,]\"{"));
        let second = reader.next_row().unwrap().unwrap();
        assert_eq!(second.reason.as_deref(), Some("x [y] {z}"));
        assert_eq!(reader.next_row().unwrap(), None);
        let empty = scratch("e.json", "[]\n");
        let mut reader = ReportReader::open_as(empty.path(), Kind::Json).unwrap();
        assert_eq!(reader.next_row().unwrap(), None);
    }

    #[test]
    fn a_csv_file_that_is_not_a_report_is_refused() {
        for text in ["garbage\n", "username,firstName\na,b\n", ""] {
            let s = scratch("not-a-report.csv", text);
            let err = ReportReader::open_as(s.path(), Kind::Csv)
                .err()
                .unwrap_or_else(|| panic!("{text:?} was read as a report"));
            assert!(err.contains("is not a report of this command"), "{err}");
        }
    }

    #[test]
    fn rows_out_of_line_order_are_refused() {
        let text = "line,username,outcome,userId,inviteCode,reason\n\
                    3,a,created,1,,\n\
                    3,b,created,2,,\n";
        let s = scratch("r.csv", text);
        let mut reader = ReportReader::open_as(s.path(), Kind::Csv).unwrap();
        assert!(reader.next_row().unwrap().is_some());
        let err = reader.next_row().unwrap_err();
        assert!(err.contains("not in the order"), "{err}");
    }
}
