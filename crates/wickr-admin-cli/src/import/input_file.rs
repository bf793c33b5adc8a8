//! The users file as the import reads it twice: once to check every row before anything is sent,
//! once to send them. A file is opened again by its path (and its size and modification time are
//! compared, so a file changed in between is named); standard input, which cannot be read twice,
//! is copied to a scratch file on the first reading.

use std::fs::File;
use std::io::{BufWriter, Read};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::input::source::{Source, MAX_LINE_BYTES};
use crate::scratch::Scratch;

/// What is known of a file, to tell whether it changed.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
}

impl Stamp {
    fn of(file: &File) -> Option<Self> {
        let meta = file.metadata().ok()?;
        Some(Self {
            len: meta.len(),
            modified: meta.modified().ok(),
        })
    }
}

/// The users file, to be read again.
#[derive(Debug)]
pub struct InputFile {
    /// As the user named it (`-` for standard input).
    path: PathBuf,
    /// Standard input as first read.
    spool: Option<Scratch>,
    stamp: Option<Stamp>,
}

impl InputFile {
    /// Opens `path` for its first reading, hashed. What cannot be read twice is copied aside as
    /// it is read: standard input (`-`), and a FIFO or a pipe named by a path (`<(command)`),
    /// which a second opening would find empty or wait on forever.
    pub fn first_reading(path: &Path) -> Result<(Self, Source<Box<dyn Read>>), String> {
        if path.as_os_str() == "-" {
            return Self::spooled(path, Box::new(std::io::stdin()));
        }
        let opened =
            File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let file_type = opened
            .metadata()
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?
            .file_type();
        if !file_type.is_file() && !file_type.is_dir() {
            return Self::spooled(path, Box::new(opened));
        }
        let file = Self {
            path: path.to_path_buf(),
            spool: None,
            stamp: Stamp::of(&opened),
        };
        let reader: Box<dyn Read> = Box::new(opened);
        Ok((file, Source::new(reader, MAX_LINE_BYTES).hashed()))
    }

    /// A first reading of `reader` that keeps a copy of what it reads for the second.
    fn spooled(
        path: &Path,
        reader: Box<dyn Read>,
    ) -> Result<(Self, Source<Box<dyn Read>>), String> {
        let spool = Scratch::create("input")?;
        let copy = BufWriter::new(spool.open_for_writing()?);
        let source = Source::new(reader, MAX_LINE_BYTES)
            .hashed()
            .spooled(Box::new(copy));
        let file = Self {
            path: path.to_path_buf(),
            spool: Some(spool),
            stamp: None,
        };
        Ok((file, source))
    }

    /// The path the user gave, which names the file and tells its format.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Opens the file again, from its start.
    pub fn again(&self) -> Result<Source<Box<dyn Read>>, String> {
        let reader: Box<dyn Read> = match &self.spool {
            Some(spool) => Box::new(spool.open()?),
            None => Box::new(
                File::open(&self.path)
                    .map_err(|e| format!("cannot read {} again: {e}", self.path.display()))?,
            ),
        };
        Ok(Source::new(reader, MAX_LINE_BYTES))
    }

    /// `Err` when the file is no longer the one first read (its size or modification time
    /// changed).
    pub fn unchanged(&self) -> Result<(), String> {
        if self.spool.is_some() {
            return Ok(());
        }
        let now = File::open(&self.path).ok().and_then(|f| Stamp::of(&f));
        if now == self.stamp {
            Ok(())
        } else {
            Err(format!(
                "{} changed while it was being imported: the rows sent are those read the second \
                 time, and the report describes them",
                self.path.display()
            ))
        }
    }
}
