//! Reading the users file into memory with a bound on line length: a file with no line breaks
//! (`/dev/zero`, a binary file, one 200 MB line) stops with an error naming the line instead of
//! filling memory.

use std::io::Read;

use sha2::{Digest, Sha256};

/// Longest line read, in bytes: no row this long fits in one request.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// The file's bytes and their SHA-256 (hex), which identifies the input of a job.
pub struct Loaded {
    pub bytes: Vec<u8>,
    pub sha256: String,
}

/// Why the file could not be read.
pub enum LoadError {
    /// Reading failed.
    Io(String),
    /// A line is longer than [`MAX_LINE_BYTES`] (1-based line number).
    LineTooLong(u64),
}

/// Reads everything, refusing a line longer than [`MAX_LINE_BYTES`].
pub fn load(mut reader: impl Read) -> Result<Loaded, LoadError> {
    let mut bytes = Vec::new();
    let mut hash = Sha256::new();
    let mut line = 1u64;
    let mut line_len = 0usize;
    let mut block = vec![0u8; 64 * 1024];
    loop {
        let n = match reader.read(&mut block) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(LoadError::Io(e.to_string())),
        };
        let data = &block[..n];
        for &byte in data {
            if byte == b'\n' {
                line += 1;
                line_len = 0;
            } else {
                line_len += 1;
                if line_len > MAX_LINE_BYTES {
                    return Err(LoadError::LineTooLong(line));
                }
            }
        }
        hash.update(data);
        bytes.extend_from_slice(data);
    }
    let digest = hash.finalize();
    let sha256 = digest.iter().map(|b| format!("{b:02x}")).collect();
    Ok(Loaded { bytes, sha256 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_without_end_stops_reading_at_the_bound() {
        // An endless stream of zero bytes, as /dev/zero gives.
        let zeros = std::io::repeat(0);
        match load(zeros) {
            Err(LoadError::LineTooLong(line)) => assert_eq!(line, 1),
            _ => panic!("an endless line must be refused"),
        }
        let mut text = b"username\na\n".to_vec();
        text.extend(std::iter::repeat_n(b'x', MAX_LINE_BYTES + 1));
        match load(text.as_slice()) {
            Err(LoadError::LineTooLong(line)) => assert_eq!(line, 3),
            _ => panic!("a long third line must be refused"),
        }
    }

    #[test]
    fn files_are_read_whole_with_their_digest() {
        let loaded = load(&b"username\na\n"[..]).ok().unwrap();
        assert_eq!(loaded.bytes, b"username\na\n");
        assert_eq!(loaded.sha256.len(), 64);
    }
}
