//! Keeping the emulated service's state in a file between runs.
//!
//! - **Format:** one JSON document, `{"format": "wickr-admin-local state", "version": 1,
//!   "journal": N, "journal_id": "...", "state": {...}}`: the last journal entry the state
//!   holds, and the id of its journal (see [`crate::journal`]). A file of another format, or one
//!   that does not parse, is a [`StateFileError::Corrupt`] naming the file and what is wrong; a
//!   file of a later version is [`StateFileError::Newer`]. Neither is ever replaced: the
//!   emulator does not start.
//! - **Writing:** whole or not at all: the state goes to a temporary file beside it (`PATH.tmp`),
//!   which is flushed to disk and then renamed over `PATH`.
//! - **One process at a time:** opening a state file takes an exclusive lock on `PATH.lock`
//!   (`flock`, released by the system when the process ends, however it ends). A second process
//!   asking for the same file is refused with [`StateFileError::InUse`]; it never waits and never
//!   writes.
//! - **Client tokens:** the answers stored under client tokens, younger than a day, go in the
//!   member `tokens`, with the time each was first given; those of the changes since the state
//!   file was last written come back from the journal ([`crate::journal`]). So a client that
//!   retries after the emulator stopped and started again, however many times, gets the answer
//!   it was given, as from the service.
//! - **Not kept:** page tokens (they are bound to one run), fault and rate-limit counters.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::idempotency::KeptToken;
use crate::state::State;

/// What the `format` member of a state file says.
pub const FORMAT: &str = "wickr-admin-local state";
/// The version of the layout this emulator writes, and the latest it reads.
pub const VERSION: u32 = 1;

/// Why a state file could not be used.
#[derive(Debug)]
pub enum StateFileError {
    /// Another process holds the file's lock.
    InUse(PathBuf),
    /// The file is not a state file this emulator can read.
    Corrupt(PathBuf, String),
    /// The file was written by a later version of the emulator.
    Newer(PathBuf, u32),
    /// Reading, writing or locking failed.
    Io(PathBuf, std::io::Error),
    /// The journal beside the state file ([`crate::journal`]) cannot be run: it names the
    /// journal's file and why.
    Journal(PathBuf, String),
}

impl std::fmt::Display for StateFileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StateFileError::InUse(path) => write!(
                f,
                "the state file {} is in use by another process (it holds {}); stop that process \
                 first, or choose another state file",
                path.display(),
                lock_path(path).display()
            ),
            StateFileError::Corrupt(path, what) => write!(
                f,
                "the state file {} is not a readable state file ({what}); it was left as it is: \
                 move it away or delete it to start from an empty state",
                path.display()
            ),
            StateFileError::Newer(path, version) => write!(
                f,
                "the state file {} has format version {version}, written by a later version; this \
                 one reads version {VERSION} and leaves the file as it is",
                path.display()
            ),
            StateFileError::Io(path, e) => write!(f, "state file {}: {e}", path.display()),
            StateFileError::Journal(path, what) => write!(
                f,
                "the journal {} cannot be used ({what}); it was left as it is. It holds the \
                 changes made since the state file was last written: moving it away gives them \
                 up",
                path.display()
            ),
        }
    }
}

impl std::error::Error for StateFileError {}

#[derive(Serialize)]
struct Envelope<'a> {
    format: &'static str,
    version: u32,
    /// The last journal entry whose change the state holds ([`crate::journal`]).
    journal: u64,
    /// The id the journal's files carry in their first line.
    journal_id: &'a str,
    state: &'a State,
    tokens: &'a [KeptToken],
}

#[derive(Deserialize)]
struct Header {
    format: Option<String>,
    version: Option<u32>,
}

#[derive(Deserialize)]
struct Stored {
    #[serde(default)]
    journal: u64,
    #[serde(default)]
    journal_id: Option<String>,
    state: State,
    #[serde(default)]
    tokens: Vec<KeptToken>,
}

/// What a state file holds.
#[derive(Debug)]
pub struct Loaded {
    /// The state.
    pub state: State,
    /// The last journal entry whose change the state holds.
    pub journal: u64,
    /// The id of its journal; `None` in a file written before the journal had one.
    pub journal_id: Option<String>,
    /// The answers stored under client tokens when it was written, the oldest first.
    pub tokens: Vec<KeptToken>,
}

/// The lock file of a state file.
pub fn lock_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    path.with_file_name(name)
}

fn temp_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    path.with_file_name(name)
}

/// A state file, locked for this process while the value lives.
#[derive(Debug)]
pub struct StateFile {
    path: PathBuf,
    /// Holds the lock until [`release`](StateFile::release).
    lock: Option<File>,
}

impl StateFile {
    /// Locks `path` for this process, creating its folder when missing; refuses when another
    /// process holds it.
    pub fn open(path: &Path) -> Result<Self, StateFileError> {
        let io = |e| StateFileError::Io(path.to_path_buf(), e);
        // A symbolic link names the file it points to: the lock is that file's, so a link under
        // another name cannot share it, and saving replaces that file, leaving the link a link.
        let resolved = match std::fs::symlink_metadata(path) {
            Ok(meta) if meta.file_type().is_symlink() => std::fs::canonicalize(path).map_err(io)?,
            _ => path.to_path_buf(),
        };
        let path = resolved.as_path();
        let io = |e| StateFileError::Io(path.to_path_buf(), e);
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(lock_path(path))
            .map_err(io)?;
        if !try_lock(&lock).map_err(io)? {
            return Err(StateFileError::InUse(path.to_path_buf()));
        }
        Ok(Self {
            path: path.to_path_buf(),
            lock: Some(lock),
        })
    }

    /// Gives the lock up: another emulator, in this process or another, may then open the
    /// file. Nothing is written to it after this.
    pub fn release(&mut self) {
        self.lock = None;
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The stored state and the last journal entry it holds; `None` when the file does not
    /// exist yet.
    pub fn load(&self) -> Result<Option<Loaded>, StateFileError> {
        // A device or a pipe would be read without end, or wait forever.
        if std::fs::metadata(&self.path).is_ok_and(|meta| !meta.is_file()) {
            return Err(StateFileError::Corrupt(
                self.path.clone(),
                "not a regular file".to_owned(),
            ));
        }
        let text = match std::fs::read(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(StateFileError::Io(self.path.clone(), e)),
        };
        let corrupt = |what: String| StateFileError::Corrupt(self.path.clone(), what);
        let header: Header = serde_json::from_slice(&text)
            .map_err(|e| corrupt(format!("not a JSON object: {e}")))?;
        if header.format.as_deref() != Some(FORMAT) {
            return Err(corrupt(format!("its \"format\" is not {FORMAT:?}")));
        }
        let version = header
            .version
            .ok_or_else(|| corrupt("it has no \"version\"".to_string()))?;
        if version > VERSION {
            return Err(StateFileError::Newer(self.path.clone(), version));
        }
        if version < 1 {
            return Err(corrupt(format!("version {version} does not exist")));
        }
        let stored: Stored =
            serde_json::from_slice(&text).map_err(|e| corrupt(format!("state: {e}")))?;
        let mut state = stored.state;
        state.restore().map_err(corrupt)?;
        Ok(Some(Loaded {
            state,
            journal: stored.journal,
            journal_id: stored.journal_id,
            tokens: stored.tokens,
        }))
    }

    /// Removes the state file and its journal, so that the next start begins afresh; `Ok(true)`
    /// when the state file existed. The journal goes first: a state file left alone by an
    /// interruption is a whole state, while a journal without its state file is not.
    pub fn remove(&self) -> Result<bool, StateFileError> {
        let remove = |path: PathBuf| match std::fs::remove_file(&path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(StateFileError::Io(path, e)),
        };
        remove(crate::journal::journal_path(&self.path))?;
        remove(crate::journal::old_journal_path(&self.path))?;
        remove(self.path.clone())
    }

    /// Writes `state`, which holds the changes of the journal's entries up to `journal`, with
    /// the id of the journal and the answers stored under client tokens, whole or not at all.
    pub fn save(
        &self,
        state: &State,
        tokens: &[KeptToken],
        journal: u64,
        journal_id: &str,
    ) -> Result<(), StateFileError> {
        let io = |e| StateFileError::Io(self.path.clone(), e);
        if self.lock.is_none() {
            return Err(io(std::io::Error::other(
                "the emulator gave the file up when it stopped",
            )));
        }
        let envelope = Envelope {
            format: FORMAT,
            version: VERSION,
            journal,
            journal_id,
            state,
            tokens,
        };
        let temp = temp_path(&self.path);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        // Readable by the user alone: the state holds invite codes and OIDC client secrets.
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = std::io::BufWriter::new(options.open(&temp).map_err(io)?);
        serde_json::to_writer(&mut file, &envelope).map_err(|e| io(std::io::Error::other(e)))?;
        file.write_all(b"\n").map_err(io)?;
        let file = file.into_inner().map_err(|e| io(e.into_error()))?;
        file.sync_all().map_err(io)?;
        drop(file);
        std::fs::rename(&temp, &self.path).map_err(io)?;
        // The rename itself is made durable by syncing the folder, where the system allows it.
        if let Some(parent) = self.path.parent().filter(|p| !p.as_os_str().is_empty()) {
            if let Ok(dir) = File::open(parent) {
                let _ = dir.sync_all();
            }
        }
        Ok(())
    }
}

/// Takes the exclusive lock without waiting: `Ok(false)` when another process holds it.
#[cfg(unix)]
fn try_lock(file: &File) -> std::io::Result<bool> {
    use std::os::unix::io::AsRawFd;
    // SAFETY: flock on a descriptor this `File` owns and keeps open.
    let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    if rc == 0 {
        return Ok(true);
    }
    let error = std::io::Error::last_os_error();
    if error.kind() == std::io::ErrorKind::WouldBlock {
        Ok(false)
    } else {
        Err(error)
    }
}

/// Elsewhere the lock is taken for the life of the `File`, without a system lock: only one
/// holder per process is enforced.
#[cfg(not(unix))]
fn try_lock(_file: &File) -> std::io::Result<bool> {
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "wickr-admin-local-state-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_state_round_trips_and_a_second_holder_is_refused() {
        let dir = scratch("round-trip");
        let path = dir.join("state.json");
        let file = StateFile::open(&path).unwrap();
        assert!(file.load().unwrap().is_none());
        let backend = crate::backend::Backend::new("us-east-1", false);
        crate::demo::seed(&backend);
        let state = backend.store().lock().clone();
        file.save(&state, &[], 0, "j").unwrap();
        let back = file.load().unwrap().unwrap().state;
        assert_eq!(back.networks.len(), 1);
        let network = &back.networks[crate::DEMO_NETWORK_ID];
        assert_eq!(network.users.len(), 1);
        assert_eq!(network.usernames.len(), 1, "indexes are rebuilt");
        #[cfg(unix)]
        assert!(matches!(
            StateFile::open(&path),
            Err(StateFileError::InUse(_))
        ));
        drop(file);
        assert!(StateFile::open(&path).is_ok());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_to_a_state_file_shares_its_lock_and_stays_a_link() {
        let dir = scratch("link");
        let path = dir.join("state.json");
        let link = dir.join("other-name.json");
        let held = StateFile::open(&path).unwrap();
        let backend = crate::backend::Backend::new("us-east-1", false);
        crate::demo::seed(&backend);
        held.save(&backend.store().lock().clone(), &[], 0, "j")
            .unwrap();
        std::os::unix::fs::symlink(&path, &link).unwrap();
        assert!(matches!(
            StateFile::open(&link),
            Err(StateFileError::InUse(_))
        ));
        drop(held);
        let through = StateFile::open(&link).unwrap();
        through
            .save(&backend.store().lock().clone(), &[], 0, "j")
            .unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert!(through.load().unwrap().is_some());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[cfg(unix)]
    #[test]
    fn a_state_file_that_is_a_device_is_refused_unread() {
        let dir = scratch("device");
        let path = dir.join("state.json");
        std::os::unix::fs::symlink("/dev/zero", &path).unwrap();
        let err = StateFile::open(&path).unwrap().load().unwrap_err();
        assert!(err.to_string().contains("not a regular file"), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn corrupt_and_newer_files_are_errors_that_name_the_file() {
        let dir = scratch("bad");
        let path = dir.join("state.json");
        for (text, expect) in [
            ("{not json", "not a JSON object"),
            ("{\"format\":\"other\",\"version\":1}", "format"),
            (
                "{\"format\":\"wickr-admin-local state\",\"version\":1,\"state\":{\"networks\":7}}",
                "state:",
            ),
        ] {
            std::fs::write(&path, text).unwrap();
            let file = StateFile::open(&path).unwrap();
            let err = file.load().unwrap_err();
            assert!(matches!(err, StateFileError::Corrupt(..)), "{err}");
            let shown = err.to_string();
            assert!(shown.contains(&path.display().to_string()), "{shown}");
            assert!(shown.contains(expect), "{shown}");
            assert_eq!(
                std::fs::read_to_string(&path).unwrap(),
                text,
                "left as it is"
            );
        }
        std::fs::write(
            &path,
            "{\"format\":\"wickr-admin-local state\",\"version\":2,\"state\":{}}",
        )
        .unwrap();
        let err = StateFile::open(&path).unwrap().load().unwrap_err();
        assert!(matches!(err, StateFileError::Newer(_, 2)), "{err}");
        assert!(err.to_string().contains("version 2"), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
