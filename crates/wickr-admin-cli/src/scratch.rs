//! Scratch files: what the import keeps on disk instead of in memory (standard input read once
//! to be read again, sorted runs, rows kept for later), in the temporary directory (`TMPDIR`),
//! removed when dropped.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Files created by this process so far, to name the next one.
static CREATED: AtomicU64 = AtomicU64::new(0);

/// A file of the temporary directory that only this process uses, removed when dropped.
#[derive(Debug)]
pub struct Scratch {
    path: PathBuf,
    file: File,
}

impl Scratch {
    /// Creates an empty file, named after `what` it holds.
    pub fn create(what: &str) -> Result<Self, String> {
        let dir = std::env::temp_dir();
        let mut last_error = String::new();
        for _ in 0..16 {
            let n = CREATED.fetch_add(1, Ordering::Relaxed);
            let path = dir.join(format!("wickr-admin-{}-{n}-{what}", std::process::id()));
            let mut options = OpenOptions::new();
            options.read(true).write(true).create_new(true);
            // Readable by the user alone: scratch files hold users' names and invite codes.
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            match options.open(&path) {
                Ok(file) => return Ok(Self { path, file }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    last_error = e.to_string();
                }
                Err(e) => {
                    return Err(format!(
                        "cannot create a scratch file in {}: {e}",
                        dir.display()
                    ))
                }
            }
        }
        Err(format!(
            "cannot create a scratch file in {}: {last_error}",
            dir.display()
        ))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file to write, as a handle of its own (all such handles share one cursor).
    pub fn open_for_writing(&self) -> Result<File, String> {
        self.file
            .try_clone()
            .map_err(|e| format!("cannot write the scratch file {}: {e}", self.path.display()))
    }

    /// The file opened again, with a cursor of its own at the start.
    pub fn open(&self) -> Result<File, String> {
        File::open(&self.path)
            .map_err(|e| format!("cannot read the scratch file {}: {e}", self.path.display()))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    #[test]
    fn scratch_files_are_private_readable_again_and_removed() {
        let a = Scratch::create("test").unwrap();
        let b = Scratch::create("test").unwrap();
        assert_ne!(a.path(), b.path());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(a.path()).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "readable by others: {mode:o}");
        }
        a.open_for_writing().unwrap().write_all(b"hello").unwrap();
        let mut back = String::new();
        a.open().unwrap().read_to_string(&mut back).unwrap();
        assert_eq!(back, "hello");
        let path = a.path().to_path_buf();
        drop(a);
        assert!(!path.exists());
    }
}
