//! Scratch files: what the import keeps on disk instead of in memory (standard input read once
//! to be read again, sorted runs, rows kept for later), in the temporary directory (`TMPDIR`).
//!
//! On Unix a scratch file is removed from its directory as soon as it is created: it lives as
//! long as the process holds it open, so a process that is killed (SIGKILL, a crash, the machine
//! running out of memory) leaves nothing behind, however much it had spilled. Each reader reads
//! at offsets of its own (`pread`), so any number of them share the one open file. Elsewhere the
//! file keeps its name until the scratch is dropped, and readers open it again.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Files created by this process so far, to name the next one.
static CREATED: AtomicU64 = AtomicU64::new(0);

/// A file of the temporary directory that only this process uses, gone when dropped (on Unix,
/// gone from its directory from the start).
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
                Ok(file) => {
                    #[cfg(unix)]
                    if let Err(e) = std::fs::remove_file(&path) {
                        return Err(format!(
                            "cannot prepare the scratch file {}: {e}",
                            path.display()
                        ));
                    }
                    return Ok(Self { path, file });
                }
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

    /// The name the file was created with, for messages (on Unix, no longer in its directory).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file to write, as a handle of its own (all such handles share one cursor).
    pub fn open_for_writing(&self) -> Result<File, String> {
        self.file
            .try_clone()
            .map_err(|e| format!("cannot write the scratch file {}: {e}", self.path.display()))
    }

    /// A reader of the file from its start, with a position of its own.
    pub fn open(&self) -> Result<ScratchReader, String> {
        #[cfg(unix)]
        let file = self.file.try_clone();
        #[cfg(not(unix))]
        let file = File::open(&self.path);
        let file =
            file.map_err(|e| format!("cannot read the scratch file {}: {e}", self.path.display()))?;
        Ok(ScratchReader { file, offset: 0 })
    }
}

#[cfg(not(unix))]
impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Reads a scratch file at a position of its own.
#[derive(Debug)]
pub struct ScratchReader {
    file: File,
    /// Where the next read starts (on Unix; elsewhere the file's own cursor is this reader's).
    offset: u64,
}

impl Read for ScratchReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        #[cfg(unix)]
        let n = std::os::unix::fs::FileExt::read_at(&self.file, buf, self.offset)?;
        #[cfg(not(unix))]
        let n = self.file.read(buf)?;
        self.offset += n as u64;
        Ok(n)
    }
}

impl Seek for ScratchReader {
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        #[cfg(not(unix))]
        {
            self.offset = self.file.seek(to)?;
            Ok(self.offset)
        }
        #[cfg(unix)]
        {
            let base = match to {
                SeekFrom::Start(at) => {
                    self.offset = at;
                    return Ok(at);
                }
                SeekFrom::Current(by) => (self.offset, by),
                SeekFrom::End(by) => (self.file.metadata()?.len(), by),
            };
            self.offset = base.0.checked_add_signed(base.1).ok_or_else(|| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    "seek to a position before the start or past the largest offset",
                )
            })?;
            Ok(self.offset)
        }
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
            let mode = a.file.metadata().unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "readable by others: {mode:o}");
            // Out of its directory from the start: a killed process leaves nothing behind.
            assert!(!a.path().exists());
        }
        a.open_for_writing().unwrap().write_all(b"hello").unwrap();
        let mut back = String::new();
        a.open().unwrap().read_to_string(&mut back).unwrap();
        assert_eq!(back, "hello");
        let path = a.path().to_path_buf();
        drop(a);
        assert!(!path.exists());
    }

    #[test]
    fn each_reader_reads_from_a_position_of_its_own() {
        let s = Scratch::create("readers").unwrap();
        s.open_for_writing()
            .unwrap()
            .write_all(b"0123456789")
            .unwrap();
        let mut first = s.open().unwrap();
        let mut second = s.open().unwrap();
        let mut two = [0u8; 2];
        first.read_exact(&mut two).unwrap();
        assert_eq!(&two, b"01");
        second.seek(SeekFrom::Start(5)).unwrap();
        second.read_exact(&mut two).unwrap();
        assert_eq!(&two, b"56");
        first.read_exact(&mut two).unwrap();
        assert_eq!(&two, b"23");
        assert_eq!(second.seek(SeekFrom::Current(-3)).unwrap(), 4);
        assert_eq!(second.seek(SeekFrom::End(-1)).unwrap(), 9);
        let mut rest = String::new();
        second.read_to_string(&mut rest).unwrap();
        assert_eq!(rest, "9");
        assert!(second.seek(SeekFrom::Current(-20)).is_err());
        // What is written after a reader opened is there for it to read.
        s.open_for_writing().unwrap().write_all(b"ab").unwrap();
        rest.clear();
        second.read_to_string(&mut rest).unwrap();
        assert_eq!(rest, "ab");
    }
}
