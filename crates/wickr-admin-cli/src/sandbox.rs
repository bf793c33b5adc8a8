//! The local sandbox behind `--local`: an emulator inside the process whose state is kept in a
//! file between commands, so an import can be exported, synced and deleted by the commands that
//! follow. The file is locked while a command uses it: a second command at the same time is
//! refused with a message, never lets the two write over each other.

use std::path::{Path, PathBuf};

use wickr_admin::Client;
use wickr_admin_local::state_file::StateFile;

use crate::cli::Connection;
use crate::console::tell;

/// Name of the state file under the data directory.
const STATE_FILE: &str = "wickr-admin/local-state.json";

/// The user's data directory, by the XDG rules on Linux and the platform's conventions
/// elsewhere: `$XDG_DATA_HOME`, else `~/.local/share` (`~/Library/Application Support` on macOS,
/// `%APPDATA%` on Windows).
fn data_dir() -> Option<PathBuf> {
    let absolute = |v: std::ffi::OsString| Some(PathBuf::from(v)).filter(|p| p.is_absolute());
    if cfg!(windows) {
        return std::env::var_os("APPDATA").and_then(absolute);
    }
    if !cfg!(target_os = "macos") {
        if let Some(dir) = std::env::var_os("XDG_DATA_HOME").and_then(absolute) {
            return Some(dir);
        }
    }
    let home = std::env::var_os("HOME").and_then(absolute)?;
    if cfg!(target_os = "macos") {
        Some(home.join("Library/Application Support"))
    } else {
        Some(home.join(".local/share"))
    }
}

/// The sandbox's state file: `--local-state`, or the default under the data directory.
pub fn state_path(connection: &Connection) -> Result<PathBuf, String> {
    if let Some(path) = &connection.local_state {
        return Ok(path.clone());
    }
    data_dir().map(|dir| dir.join(STATE_FILE)).ok_or_else(|| {
        "no data directory for the sandbox's state (set HOME or XDG_DATA_HOME, or pass \
         --local-state PATH)"
            .to_string()
    })
}

/// Refuses to write a command's output (a report, an export) over one of the sandbox's own
/// files: its state file, journal, lock or the files written on the way to them. Written over,
/// the sandbox's state would be lost, or the report lost when the sandbox writes its state.
pub fn check_outputs_apart(connection: &Connection, outputs: &[&Path]) -> Result<(), String> {
    if !connection.local || outputs.is_empty() {
        return Ok(());
    }
    let state = state_path(connection)?;
    let with = |path: &Path, suffix: &str| {
        let mut name = path.file_name().unwrap_or_default().to_os_string();
        name.push(suffix);
        path.with_file_name(name)
    };
    let own: Vec<PathBuf> = ["", ".journal", ".journal.old", ".lock", ".tmp"]
        .iter()
        .map(|suffix| with(&state, suffix))
        .collect();
    for output in outputs {
        // A report or export goes to `PATH.partial` first, a report's job to `PATH.resume`.
        let written = ["", ".partial", ".resume", ".resume.partial"].map(|s| with(output, s));
        for path in &written {
            if let Some(hit) = own.iter().find(|own| same_place(path, own)) {
                return Err(format!(
                    "{} would be written over {}, a file of the --local sandbox (its state is kept \
                     there): choose another path",
                    output.display(),
                    hit.display()
                ));
            }
        }
    }
    Ok(())
}

/// Whether two paths name the same file, whether or not it exists yet.
fn same_place(a: &Path, b: &Path) -> bool {
    let place = |path: &Path| -> Option<PathBuf> {
        if let Ok(resolved) = std::fs::canonicalize(path) {
            return Some(resolved);
        }
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
        let dir = std::fs::canonicalize(parent.unwrap_or(Path::new("."))).ok()?;
        Some(dir.join(path.file_name()?))
    };
    matches!((place(a), place(b)), (Some(a), Some(b)) if a == b)
}

/// An emulator running inside this process, with its demo network and the sandbox's state.
pub struct Local {
    emulator: wickr_admin_local::RunningEmulator,
    pub client: Client,
    pub network_id: String,
    pub security_group_id: String,
}

/// How often a long command writes the sandbox's state file whole.
const SAVE_INTERVAL: std::time::Duration = std::time::Duration::from_secs(3600);

impl Local {
    /// Starts the sandbox from its state file (the demo network alone when the file does not
    /// exist yet).
    pub async fn start(connection: &Connection) -> Result<Self, String> {
        let path = state_path(connection)?;
        let emulator = wickr_admin_local::Emulator::builder()
            .seed_demo_network(true)
            .state_file(&path)
            // Written when the command starts and ends, and between only each hour or once the
            // journal holds 64 MiB: until then every change of a command is in the journal with
            // its client token, so a command killed halfway and run again with `--resume` gets
            // the answers it was given.
            .save_interval(SAVE_INTERVAL)
            .start()
            .await
            .map_err(|e| format!("cannot start the local sandbox: {e}"))?;
        let demo = emulator.demo_network().cloned().ok_or(
            "the local sandbox started without its demo network (run `wickr-admin local reset`)",
        )?;
        let client = emulator.client();
        tell!(
            "local sandbox at {} with demo network {} (security group {}), state in {}",
            emulator.endpoint_url(),
            demo.network_id,
            demo.security_group_id,
            path.display()
        );
        Ok(Self {
            emulator,
            client,
            network_id: demo.network_id,
            security_group_id: demo.security_group_id,
        })
    }

    /// Stops the sandbox and writes its state.
    pub async fn finish(self) -> Result<(), String> {
        self.emulator
            .stop()
            .await
            .map_err(|e| format!("the local sandbox's state was not saved: {e}"))
    }
}

/// `wickr-admin local reset`: deletes the state file (refused while a command uses it).
pub fn reset(connection: &Connection) -> Result<String, String> {
    let path = state_path(connection)?;
    let file = StateFile::open(&path).map_err(|e| e.to_string())?;
    let existed = file.remove().map_err(|e| e.to_string())?;
    drop(file);
    Ok(if existed {
        format!(
            "removed {}: the next --local command starts from the demo network",
            path.display()
        )
    } else {
        format!("{} does not exist: nothing to reset", path.display())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_explicit_path_wins() {
        let connection = Connection {
            local_state: Some(PathBuf::from("/tmp/x.json")),
            ..Connection::default()
        };
        assert_eq!(
            state_path(&connection).unwrap(),
            PathBuf::from("/tmp/x.json")
        );
    }
}
