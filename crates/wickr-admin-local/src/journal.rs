//! The journal beside a state file: every request that may change the state is written to
//! `PATH.journal` under the state lock, before it is answered. The state file itself is written
//! whole only now and then ([`crate::persistence`]); a process killed in between comes back by
//! running the journal's requests again on the last state written, so every change it answered
//! is there again, with the same ids, invite codes and times.
//!
//! - **Same results when run again:** a request runs with its own clock reading and random
//!   seed, both written with it, and the emulator's `--preview` option; [`crate::state::now_secs`],
//!   the state's random generator and network creation take them from here while it runs. Run
//!   again at a start, a request with a client token stores its answer under the token once
//!   more, with the age it had.
//! - **Order:** each entry has the next sequence number, given under the state lock, so the
//!   journal's order is the order in which the changes were applied.
//! - **Its own state file only:** the state file names its journal by a random id, which the
//!   first line of each journal file repeats; a journal moved beside another state file stops
//!   the start.
//! - **Bounded:** when the state file is written, the journal is set aside (`PATH.journal.old`)
//!   and a new one started; the old one is removed once the state file holds its changes. The
//!   state file says up to which entry it holds.
//! - **A write cut short** (the process killed within it) leaves a last line without its line
//!   end; that request was never answered, and it is left out. A line that does not read, a
//!   missing entry, or entries without the state file they follow stop the start: the files are
//!   left as they are.
//! - **A write that fails** (a full disk) is answered as an error: the change is made in memory,
//!   but would not outlive the process, so its outcome is unknown to the client. Later changes
//!   are answered the same way until the state file is written with all of them, since run
//!   again without the missing one they could come out otherwise.
//! - The journal is written, not flushed to the disk at each request: it survives the process,
//!   not the machine; the state file, flushed when written, survives both.

use std::cell::RefCell;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// One request that may have changed the state, as received and as run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Its place in the order of changes; the first request after an empty journal is 1.
    pub seq: u64,
    /// HTTP method.
    pub method: String,
    /// Path and query string, as received.
    pub target: String,
    /// The body (JSON, so text).
    pub body: String,
    /// The random seed the request ran with.
    pub seed: u64,
    /// The clock reading (seconds since the Unix epoch) the request ran with.
    pub now: i64,
    /// Whether networks the request created got preview features (`--preview`), which a start
    /// with other options would otherwise change.
    #[serde(default)]
    pub preview: bool,
    /// The request's client token (`X-Client-Token`), if it had one: run again, the request
    /// stores its answer under it once more, so a retry after a restart gets that answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

/// What the request running on this thread is, while it runs.
struct Running {
    entry: Entry,
    /// Write the entry when the state lock is let go (a live request), or not (one being run
    /// again from the journal).
    record: bool,
    written: bool,
    failed: Option<std::io::Error>,
}

thread_local! {
    static RUNNING: RefCell<Option<Running>> = const { RefCell::new(None) };
}

impl Entry {
    /// A live request, with this moment's clock and a fresh seed; `seq` is given when it is
    /// written.
    pub fn live(method: &str, target: &str, body: &[u8], preview: bool) -> Self {
        Self {
            seq: 0,
            method: method.to_owned(),
            target: target.to_owned(),
            body: String::from_utf8_lossy(body).into_owned(),
            seed: fastrand::u64(..),
            now: crate::state::system_now_secs(),
            preview,
            token: None,
        }
    }
}

/// Runs `f`, one request's operation, with `entry`'s clock and seed. When `record`, the entry is
/// written to the journal the first time the state lock is let go; `Err` when that write failed
/// (the change is made in memory, but would not survive the process).
pub fn run<T>(entry: Entry, record: bool, f: impl FnOnce() -> T) -> (T, Option<std::io::Error>) {
    let (result, failed, _) = run_numbered(entry, record, f);
    (result, failed)
}

/// [`run`], with the number the entry was given in the journal (0 when it was not written).
pub fn run_numbered<T>(
    entry: Entry,
    record: bool,
    f: impl FnOnce() -> T,
) -> (T, Option<std::io::Error>, u64) {
    RUNNING.with(|running| {
        *running.borrow_mut() = Some(Running {
            entry,
            record,
            written: false,
            failed: None,
        })
    });
    // Cleared even if `f` panics, so a later request on this thread does not inherit it.
    struct Clear;
    impl Drop for Clear {
        fn drop(&mut self) {
            RUNNING.with(|running| running.borrow_mut().take());
        }
    }
    let clear = Clear;
    let result = f();
    let (failed, seq) = RUNNING.with(|running| {
        let mut running = running.borrow_mut();
        let running = running.as_mut();
        let seq = running.as_ref().map_or(0, |r| r.entry.seq);
        (running.and_then(|r| r.failed.take()), seq)
    });
    drop(clear);
    (result, failed, seq)
}

/// The clock reading of the request running on this thread, if one runs.
pub(crate) fn now() -> Option<i64> {
    RUNNING.with(|running| running.borrow().as_ref().map(|r| r.entry.now))
}

/// The random seed of the request running on this thread, if one runs.
pub(crate) fn seed() -> Option<u64> {
    RUNNING.with(|running| running.borrow().as_ref().map(|r| r.entry.seed))
}

/// Whether networks created by the request running on this thread get preview features, if
/// one runs.
pub(crate) fn preview() -> Option<bool> {
    RUNNING.with(|running| running.borrow().as_ref().map(|r| r.entry.preview))
}

/// Called as the state lock is let go: writes the running request, if it is live and not
/// written yet, as entry `*last + 1`.
pub(crate) fn on_unlock(journal: &mut Option<Journal>, last: &mut u64) {
    RUNNING.with(|running| {
        let mut running = running.borrow_mut();
        let Some(running) = running.as_mut().filter(|r| r.record && !r.written) else {
            return;
        };
        running.written = true;
        // A rule that panicked changed nothing it answered for, and run again at the next start
        // it would panic again and stop the start.
        if std::thread::panicking() {
            return;
        }
        let Some(journal) = journal.as_mut() else {
            return;
        };
        *last += 1;
        running.entry.seq = *last;
        let written = match journal.unwritten {
            // The change is made in memory either way. Once one is missing from the journal,
            // later ones would be run again on a state without it: none is written, and each is
            // answered as an error, until the state file holds them all.
            Some(_) => Err(std::io::Error::other(
                "an earlier change could not be written to it; changes are not kept until the \
                 state file is written again",
            )),
            None => journal.append(&running.entry),
        };
        if let Err(e) = written {
            journal.unwritten = Some(*last);
            running.failed = Some(e);
        }
    });
}

/// The journal file of a state file, open for appending.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: Option<File>,
    /// The last entry that could not be written, until the state file holds it.
    unwritten: Option<u64>,
    /// Bytes written since the journal was last set aside or emptied.
    written: u64,
    /// The id of the state file's journal, in the first line of each of its files.
    id: String,
}

/// The first line of each journal file: the id the state file names its journal by, so that a
/// journal is never run on another state file.
#[derive(Serialize, Deserialize)]
struct Header {
    journal: String,
}

/// A new random journal id: 32 hex characters.
pub fn new_journal_id() -> String {
    format!("{:032x}", fastrand::u128(..))
}

/// The id in the first line of the journal of the state file `state` (the current file, or the
/// one set aside), when there is one: the journal of a state file that does not name its id yet.
pub fn existing_id(state: &Path) -> Option<String> {
    [journal_path(state), old_journal_path(state)]
        .iter()
        .find_map(|path| {
            // Looked at before it is opened: opening a pipe waits for a writer, for ever.
            if !std::fs::metadata(path).is_ok_and(|meta| meta.is_file()) {
                return None;
            }
            let file = File::open(path).ok()?;
            let mut line = Vec::new();
            std::io::BufReader::new(file)
                .take(MAX_LINE_BYTES as u64)
                .read_until(b'\n', &mut line)
                .ok()?;
            let header: Header = serde_json::from_slice(&line).ok()?;
            Some(header.journal)
        })
}

/// How large the journal may grow before the state file is written, however long the interval
/// between writes: the disk it takes, and the time a start takes to run it again, stay bounded.
pub const WRITE_STATE_AFTER_BYTES: u64 = 64 * 1024 * 1024;

/// `PATH.journal` for the state file `PATH`.
pub fn journal_path(state: &Path) -> PathBuf {
    with_suffix(state, ".journal")
}

/// `PATH.journal.old`: the journal set aside while the state file is written.
pub fn old_journal_path(state: &Path) -> PathBuf {
    with_suffix(state, ".journal.old")
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

fn open_for_append(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true).append(true).create(true);
    // Readable by the user alone, as the state file: the requests hold names and invite codes.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

impl Journal {
    /// The journal `id` of the state file `state`, opened (created when missing) for appending.
    /// A last line without its line end (a write the process did not finish) is cut off first:
    /// the next entry would be written onto it.
    pub fn open(state: &Path, id: &str) -> std::io::Result<Self> {
        let path = journal_path(state);
        let file = open_for_append(&path)?;
        drop_cut_line(&file)?;
        let mut journal = Self {
            path,
            file: Some(file),
            unwritten: None,
            written: 0,
            id: id.to_owned(),
        };
        journal.start_file()?;
        Ok(journal)
    }

    /// Opens the journal's file if it is not open, and gives it its first line if it is empty.
    fn start_file(&mut self) -> std::io::Result<()> {
        if self.file.is_none() {
            self.file = Some(open_for_append(&self.path)?);
        }
        let Some(file) = self.file.as_mut() else {
            return Err(std::io::Error::other("the journal is not open"));
        };
        if file.metadata()?.len() == 0 {
            let mut line = serde_json::to_vec(&Header {
                journal: self.id.clone(),
            })
            .map_err(std::io::Error::other)?;
            line.push(b'\n');
            file.write_all(&line)?;
        }
        Ok(())
    }

    fn append(&mut self, entry: &Entry) -> std::io::Result<()> {
        let mut line = serde_json::to_vec(entry).map_err(std::io::Error::other)?;
        line.push(b'\n');
        if self.file.is_none() {
            self.start_file()?;
        }
        match self.file.as_mut() {
            Some(file) => file.write_all(&line)?,
            None => return Err(std::io::Error::other("the journal is not open")),
        }
        self.written += line.len() as u64;
        Ok(())
    }

    /// Bytes written since the journal was last set aside or emptied.
    pub(crate) fn written(&self) -> u64 {
        self.written
    }

    /// Sets the journal aside (`PATH.journal.old`) and starts a new one, while the state file is
    /// written; nothing is done while an earlier one is still set aside (the write that was to
    /// hold its changes failed), so that its entries stay until a write holds them.
    pub(crate) fn set_aside(&mut self) -> std::io::Result<()> {
        let old = with_suffix(&self.path, ".old");
        if old.exists() {
            return Ok(());
        }
        self.file = None;
        std::fs::rename(&self.path, &old)?;
        self.written = 0;
        self.start_file()
    }

    /// The state file now holds every change up to entry `holds`: removes the journal set aside,
    /// and writes entries again if the ones that could not be written are among those.
    pub(crate) fn state_file_written(&mut self, holds: u64) -> std::io::Result<()> {
        if self.unwritten.is_some_and(|unwritten| unwritten <= holds) {
            // Nothing was written since the failure, so the state file holds every entry of
            // this journal; it starts again empty, without the line the failure may have cut.
            if let Some(file) = &self.file {
                file.set_len(0)?;
            }
            self.start_file()?;
            self.written = 0;
            self.unwritten = None;
        }
        match std::fs::remove_file(with_suffix(&self.path, ".old")) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

/// The longest line a journal entry can take: a request body of at most
/// [`MAX_BODY_BYTES`](crate::pipeline::MAX_BODY_BYTES), each byte escaped in six, and the rest.
const MAX_LINE_BYTES: usize = 8 * 1024 * 1024;

/// Runs `each` on the entries after `after` of the journal of the state file `state` (the one
/// set aside, then the current one), in order, one at a time; the number of the last entry, or
/// `after` when there is none. Each file's first line must name the journal `id`, when given.
/// `Err` names the file and what is wrong with it; `each` may have run on the entries before
/// the problem.
pub fn replay_after(
    state: &Path,
    after: u64,
    id: Option<&str>,
    mut each: impl FnMut(Entry),
) -> Result<u64, (PathBuf, String)> {
    let mut last = after;
    for path in [old_journal_path(state), journal_path(state)] {
        let file = match std::fs::metadata(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err((path, e.to_string())),
            // A device or a pipe would be read without end, or wait forever.
            Ok(meta) if !meta.is_file() => return Err((path, "not a regular file".to_owned())),
            Ok(_) => File::open(&path).map_err(|e| (path.clone(), e.to_string()))?,
        };
        let mut lines = std::io::BufReader::new(file);
        let mut line = Vec::new();
        for number in 1.. {
            line.clear();
            let read = (&mut lines)
                .take(MAX_LINE_BYTES as u64 + 1)
                .read_until(b'\n', &mut line)
                .map_err(|e| (path.clone(), e.to_string()))?;
            // A last line without its line end is a write the process did not finish; its
            // request was not answered.
            if read == 0 || line.last() != Some(&b'\n') {
                if line.len() > MAX_LINE_BYTES {
                    return Err((path, format!("line {number} is longer than any entry")));
                }
                break;
            }
            if number == 1 {
                let header: Header = serde_json::from_slice(&line).map_err(|_| {
                    (
                        path.clone(),
                        "line 1 is not a journal's first line".to_owned(),
                    )
                })?;
                if id.is_some_and(|id| id != header.journal) {
                    return Err((
                        path,
                        "it is the journal of another state file (its id is not the one the \
                         state file names)"
                            .to_owned(),
                    ));
                }
                continue;
            }
            if line.len() == 1 {
                continue;
            }
            let entry: Entry = serde_json::from_slice(&line)
                .map_err(|e| (path.clone(), format!("line {number}: {e}")))?;
            if entry.seq <= after {
                continue;
            }
            // Entries are written in order, under the state lock: each follows the last.
            if entry.seq != last + 1 {
                return Err((
                    path,
                    format!(
                        "entry {} is missing (the next one is {}), so it does not follow the \
                         state file",
                        last + 1,
                        entry.seq
                    ),
                ));
            }
            last = entry.seq;
            each(entry);
        }
    }
    Ok(last)
}

/// Shortens `file` to its last line end, if it does not end with one.
fn drop_cut_line(mut file: &File) -> std::io::Result<()> {
    use std::io::{Seek, SeekFrom};
    let mut end = file.metadata()?.len();
    let mut block = vec![0u8; 64 * 1024];
    while end > 0 {
        let start = end.saturating_sub(block.len() as u64);
        let block = &mut block[..usize::try_from(end - start).unwrap_or(0)];
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(block)?;
        if let Some(at) = block.iter().rposition(|&b| b == b'\n') {
            let whole = start + at as u64 + 1;
            if whole != file.metadata()?.len() {
                file.set_len(whole)?;
            }
            return Ok(());
        }
        end = start;
    }
    file.set_len(0)
}

/// The journal id of the tests.
#[cfg(test)]
const TEST_ID: &str = "0123456789abcdef0123456789abcdef";

/// The entries [`replay_after`] runs, gathered.
#[cfg(test)]
fn read_after(state: &Path, after: u64) -> Result<Vec<Entry>, (PathBuf, String)> {
    let mut entries = Vec::new();
    replay_after(state, after, Some(TEST_ID), |entry| entries.push(entry))?;
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "wickr-admin-local-journal-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn entry(seq: u64) -> Entry {
        Entry {
            seq,
            method: "POST".to_owned(),
            target: "/networks/1/users".to_owned(),
            body: "{}".to_owned(),
            seed: seq * 7,
            now: 1_700_000_000,
            preview: false,
            token: None,
        }
    }

    fn line(seq: u64) -> String {
        format!("{}\n", serde_json::to_string(&entry(seq)).unwrap())
    }

    /// A journal file's first line, for `id`.
    fn header(id: &str) -> String {
        format!("{{\"journal\":\"{id}\"}}\n")
    }

    #[test]
    fn entries_come_back_in_order_from_both_files_and_a_cut_last_line_is_left_out() {
        let dir = scratch("order");
        let state = dir.join("state.json");
        std::fs::write(
            old_journal_path(&state),
            header(TEST_ID) + &line(3) + &line(4),
        )
        .unwrap();
        let cut = line(7);
        std::fs::write(
            journal_path(&state),
            header(TEST_ID) + &line(5) + &line(6) + &cut[..cut.len() / 2],
        )
        .unwrap();
        let entries = read_after(&state, 3).unwrap();
        assert_eq!(
            entries.iter().map(|e| e.seq).collect::<Vec<_>>(),
            [4, 5, 6],
            "entry 3 is in the state file; 7 was never finished"
        );
        assert_eq!(entries[0], entry(4));
        assert!(read_after(&dir.join("none.json"), 0).unwrap().is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_missing_entry_or_a_line_that_does_not_read_is_an_error_naming_the_file() {
        let dir = scratch("bad");
        let state = dir.join("state.json");
        std::fs::write(journal_path(&state), header(TEST_ID) + &line(1) + &line(3)).unwrap();
        let (path, what) = read_after(&state, 0).unwrap_err();
        assert_eq!(path, journal_path(&state));
        assert!(what.contains("entry 2 is missing"), "{what}");

        let text = header(TEST_ID) + &line(1) + "{not json\n" + &line(2);
        std::fs::write(journal_path(&state), text).unwrap();
        let (path, what) = read_after(&state, 0).unwrap_err();
        assert_eq!(path, journal_path(&state));
        assert!(what.starts_with("line 3:"), "{what}");

        // A journal whose first line names another state file's journal, or none.
        std::fs::write(journal_path(&state), header("another") + &line(1)).unwrap();
        let (path, what) = read_after(&state, 0).unwrap_err();
        assert_eq!(path, journal_path(&state));
        assert!(what.contains("another state file"), "{what}");
        std::fs::write(journal_path(&state), line(1)).unwrap();
        let (_, what) = read_after(&state, 0).unwrap_err();
        assert!(what.contains("not a journal's first line"), "{what}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_cut_last_line_is_cut_off_before_the_next_entry_is_written() {
        let dir = scratch("cut");
        let state = dir.join("state.json");
        let cut = line(2);
        std::fs::write(
            journal_path(&state),
            header(TEST_ID) + &line(1) + &cut[..cut.len() / 2],
        )
        .unwrap();
        let mut journal = Journal::open(&state, TEST_ID).unwrap();
        journal.append(&entry(2)).unwrap();
        let seqs: Vec<u64> = read_after(&state, 0)
            .unwrap()
            .iter()
            .map(|e| e.seq)
            .collect();
        assert_eq!(seqs, [1, 2]);
        // Nothing but a cut line: the file starts again from its first line.
        std::fs::write(journal_path(&state), &cut[..10]).unwrap();
        drop(Journal::open(&state, TEST_ID).unwrap());
        assert_eq!(
            std::fs::read_to_string(journal_path(&state)).unwrap(),
            header(TEST_ID)
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[cfg(unix)]
    #[test]
    fn a_journal_that_is_not_a_regular_file_is_refused_unread() {
        let dir = scratch("device");
        let state = dir.join("state.json");
        std::os::unix::fs::symlink("/dev/zero", journal_path(&state)).unwrap();
        let (path, what) = read_after(&state, 0).unwrap_err();
        assert_eq!(path, journal_path(&state));
        assert_eq!(what, "not a regular file");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_live_request_is_written_once_with_the_next_number_and_its_clock_and_seed_hold() {
        let dir = scratch("live");
        let state = dir.join("state.json");
        let mut journal = Some(Journal::open(&state, TEST_ID).unwrap());
        let mut last = 41;
        let live = Entry::live("POST", "/networks/1/users", b"{\"a\":1}", true);
        let (now, failed) = run(live.clone(), true, || {
            on_unlock(&mut journal, &mut last);
            on_unlock(&mut journal, &mut last);
            (now(), seed())
        });
        assert!(failed.is_none());
        assert_eq!(now, (Some(live.now), Some(live.seed)));
        assert_eq!(last, 42, "one entry for the request");
        assert_eq!(
            now_and_seed_outside(),
            (None, None),
            "cleared after the run"
        );
        let entries = read_after(&state, 41).unwrap();
        assert_eq!(entries, [Entry { seq: 42, ..live }]);

        // A request run again from the journal is not written again.
        let ((), _) = run(entry(43), false, || on_unlock(&mut journal, &mut last));
        assert_eq!(last, 42);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn after_a_write_fails_no_change_is_written_until_the_state_file_holds_it() {
        let dir = scratch("full");
        let state = dir.join("state.json");
        let mut journal = Some(Journal::open(&state, TEST_ID).unwrap());
        let mut last = 0;
        let change = |journal: &mut Option<Journal>, last: &mut u64| {
            let live = Entry::live("PATCH", "/networks/1/users?userId=1001", b"{}", false);
            run(live, true, || on_unlock(journal, last)).1
        };
        assert!(change(&mut journal, &mut last).is_none());
        let regular = journal.as_mut().unwrap().file.take();
        journal.as_mut().unwrap().file =
            Some(OpenOptions::new().append(true).open("/dev/full").unwrap());
        assert!(
            change(&mut journal, &mut last).is_some(),
            "entry 2 is not written"
        );
        journal.as_mut().unwrap().file = regular;
        let refused = change(&mut journal, &mut last).expect("nor is entry 3");
        assert!(refused.to_string().contains("earlier change"), "{refused}");
        // A state file holding entry 2 but not 3 is not enough.
        journal.as_mut().unwrap().state_file_written(2).unwrap();
        assert!(change(&mut journal, &mut last).is_some(), "nor entry 4");
        journal.as_mut().unwrap().state_file_written(4).unwrap();
        assert!(
            change(&mut journal, &mut last).is_none(),
            "entry 5 is written"
        );
        let seqs: Vec<u64> = read_after(&state, 4)
            .unwrap()
            .iter()
            .map(|e| e.seq)
            .collect();
        assert_eq!(seqs, [5]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn now_and_seed_outside() -> (Option<i64>, Option<u64>) {
        (now(), seed())
    }

    #[test]
    fn setting_aside_keeps_an_earlier_journal_until_a_write_holds_it() {
        let dir = scratch("aside");
        let state = dir.join("state.json");
        let mut journal = Journal::open(&state, TEST_ID).unwrap();
        journal.append(&entry(1)).unwrap();
        journal.set_aside().unwrap();
        journal.append(&entry(2)).unwrap();
        // The write after the first setting aside failed: the old journal stays, new entries
        // go on in the current one.
        journal.set_aside().unwrap();
        journal.append(&entry(3)).unwrap();
        assert_eq!(read_after(&state, 0).unwrap().len(), 3);
        journal.state_file_written(3).unwrap();
        assert!(!old_journal_path(&state).exists());
        assert_eq!(
            read_after(&state, 1)
                .unwrap()
                .iter()
                .map(|e| e.seq)
                .collect::<Vec<_>>(),
            [2, 3]
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
