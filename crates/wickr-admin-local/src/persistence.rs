//! Writing the state to its file while the emulator runs: after changes, every `interval`, and
//! once more when it stops. Saves never overlap, and each one writes a whole, consistent copy of
//! the state taken under the state lock. Between saves, every change is in the journal
//! ([`crate::journal`]), which the emulator runs again when it starts.

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::watch;

use crate::backend::Backend;
use crate::idempotency::TokenStore;
use crate::state_file::{StateFile, StateFileError};

/// How often a running emulator writes its state when something changed, unless told otherwise.
pub const DEFAULT_SAVE_INTERVAL: Duration = Duration::from_secs(5);

/// How long a write of the state waits for the answers of the changes it holds to be stored.
const ANSWER_WAIT: Duration = Duration::from_secs(5);

/// How often the journal's size is looked at between writes.
const JOURNAL_CHECK: Duration = Duration::from_secs(1);

/// A state file and what has been written to it.
#[derive(Debug)]
pub struct Persistence {
    file: Mutex<StateFile>,
    /// The last journal entry the state file holds: the state changed since when the journal's
    /// last entry is a later one.
    saved: AtomicU64,
    /// The id of the journal, written with the state.
    journal_id: String,
}

impl Persistence {
    /// Writes to `file`, which holds the journal's entries up to `saved`, naming the journal
    /// `journal_id`.
    pub fn new(file: StateFile, journal_id: String, saved: u64) -> Self {
        Self {
            journal_id,
            file: Mutex::new(file),
            saved: AtomicU64::new(saved),
        }
    }

    /// The state file's path.
    pub fn file_path(&self) -> std::path::PathBuf {
        let file = self.file.lock().unwrap_or_else(|p| p.into_inner());
        file.path().to_path_buf()
    }

    /// Gives the file's lock up (when the emulator stops).
    pub fn release(&self) {
        let mut file = self.file.lock().unwrap_or_else(|p| p.into_inner());
        file.release();
    }

    /// Writes the state now, with the answers stored under client tokens, and then removes the
    /// journal entries it holds.
    pub fn save(&self, backend: &Backend, tokens: &TokenStore) -> Result<(), StateFileError> {
        let file = self.file.lock().unwrap_or_else(|p| p.into_inner());
        let (state, last_entry, answering) = {
            let mut locked = backend.store().lock();
            // Changes from here on go to a new journal; when the aside fails, the journal keeps
            // every entry, and those the state file holds are skipped when it is read.
            if let Err(e) = locked.set_journal_aside() {
                tracing::warn!("cannot set the journal aside: {e}");
            }
            (locked.clone(), locked.last_entry(), tokens.in_flight())
        };
        // A change the state holds may still be having its answer stored: the journal that
        // would give it back goes once the file is written, so the answer is waited for.
        if !tokens.wait_for_answers(&answering, ANSWER_WAIT) {
            tracing::warn!("a client token's answer was not ready for the state file");
        }
        let kept = tokens.kept(crate::state::system_now_secs(), last_entry);
        file.save(&state, &kept, last_entry, &self.journal_id)?;
        self.saved.store(last_entry, Ordering::SeqCst);
        if let Err(e) = backend.store().lock().state_file_written(last_entry) {
            tracing::warn!("cannot remove the journal the state file now holds: {e}");
        }
        Ok(())
    }

    /// Writes the state when it changed since the last write.
    pub fn save_if_changed(
        &self,
        backend: &Backend,
        tokens: &TokenStore,
    ) -> Result<(), StateFileError> {
        if backend.store().lock().last_entry() == self.saved.load(Ordering::SeqCst) {
            return Ok(());
        }
        self.save(backend, tokens)
    }
}

/// Writes the state every `interval` while it changes, or sooner once the journal holds
/// `journal_bound` bytes, until `stop` turns true. A failed write
/// is tried again at the next tick; the first failure, and the write that works again after
/// failures, are said on standard error (whatever logging the embedding program set up): the
/// changes are safe in the journal meanwhile, but it grows until the state file is written. The
/// last word is the save when the emulator stops.
pub async fn save_periodically(
    shared: Arc<crate::server::Shared>,
    interval: Duration,
    journal_bound: u64,
    mut stop: watch::Receiver<bool>,
) {
    let Some(persistence) = shared.persistence.clone() else {
        return;
    };
    // The journal's size is looked at every second; the state is written when the interval
    // has passed, or sooner when the journal has grown past its bound.
    let mut ticks = tokio::time::interval(interval.min(JOURNAL_CHECK));
    ticks.tick().await;
    let mut last_write = tokio::time::Instant::now();
    let mut failing = false;
    loop {
        tokio::select! {
            _ = ticks.tick() => {}
            _ = stop.changed() => return,
        }
        if *stop.borrow() {
            return;
        }
        let journal = shared.backend.store().lock().journal_written();
        if last_write.elapsed() < interval && journal < journal_bound {
            continue;
        }
        last_write = tokio::time::Instant::now();
        let saving = persistence.clone();
        let shared = shared.clone();
        let saved = tokio::task::spawn_blocking(move || {
            saving.save_if_changed(&shared.backend, &shared.tokens)
        })
        .await;
        let said = match saved {
            Ok(Err(e)) if !failing => {
                failing = true;
                format!(
                    "wickr-admin-local: cannot write the state file ({e}); the changes are kept in \
                     its journal until it can be written"
                )
            }
            Ok(Ok(())) if failing => {
                failing = false;
                format!(
                    "wickr-admin-local: the state file {} is written again",
                    persistence.file_path().display()
                )
            }
            _ => continue,
        };
        tracing::warn!("{said}");
        // A standard error no one reads is no reason to stop saving.
        let _ = writeln!(std::io::stderr(), "{said}");
    }
}
