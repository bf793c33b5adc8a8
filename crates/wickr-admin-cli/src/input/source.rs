//! Reading a users file with a bound on line length: a file with no line breaks (`/dev/zero`, a
//! binary file, one 200 MB line) stops with an error naming the line instead of filling memory.
//!
//! [`load`] reads a whole file into memory; [`Source`] reads one block at a time, for readers
//! that go through a file row by row, and hashes what it reads (the SHA-256 identifies a job's
//! input) and copies it to a spool file when asked (standard input, read again later).

use std::io::{Read, Write};

use sha2::{Digest, Sha256};

/// Longest line read, in bytes: no row this long fits in one request.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// The file's bytes.
pub struct Loaded {
    pub bytes: Vec<u8>,
}

/// Why the file could not be read.
#[derive(Debug)]
pub enum LoadError {
    /// Reading failed.
    Io(String),
    /// A line is longer than [`MAX_LINE_BYTES`] (1-based line number).
    LineTooLong(u64),
}

/// Reads everything, refusing a line longer than [`MAX_LINE_BYTES`].
pub fn load(mut reader: impl Read) -> Result<Loaded, LoadError> {
    let mut bytes = Vec::new();
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
        bytes.extend_from_slice(data);
    }
    Ok(Loaded { bytes })
}

/// Bytes read from the file at a time.
const BLOCK: usize = 64 * 1024;

/// The UTF-8 byte order mark, which some editors put at the start of a file.
const BOM: &[u8] = b"\xef\xbb\xbf";

/// A file read block by block: the bytes not consumed yet, the line they start on, and the
/// line bound kept on everything read.
pub struct Source<R> {
    reader: R,
    buffer: Vec<u8>,
    /// Start of the bytes not consumed yet in `buffer`.
    start: usize,
    /// Line of the first byte not consumed yet (1-based).
    line: u64,
    /// Bytes of the line being read so far, up to the end of `buffer`, and that line's number.
    line_len: usize,
    read_line: u64,
    max_line: usize,
    ended: bool,
    at_start: bool,
    hash: Option<Sha256>,
    spool: Option<Box<dyn Write>>,
}

impl<R: Read> Source<R> {
    /// Reads `reader`, refusing a line longer than `max_line` bytes.
    pub fn new(reader: R, max_line: usize) -> Self {
        Self {
            reader,
            buffer: Vec::with_capacity(BLOCK),
            start: 0,
            line: 1,
            line_len: 0,
            read_line: 1,
            max_line,
            ended: false,
            at_start: true,
            hash: None,
            spool: None,
        }
    }

    /// Also computes the SHA-256 of every byte read.
    pub fn hashed(mut self) -> Self {
        self.hash = Some(Sha256::new());
        self
    }

    /// Also copies every byte read to `spool`.
    pub fn spooled(mut self, spool: Box<dyn Write>) -> Self {
        self.spool = Some(spool);
        self
    }

    /// Whether the whole file has been read (what is not consumed yet is all that is left).
    pub fn is_ended(&self) -> bool {
        self.ended
    }

    /// The line of the next byte to consume (1-based).
    pub fn line(&self) -> u64 {
        self.line
    }

    /// The bytes not consumed yet; empty at the end of the file. Reads a block when none are
    /// left, or when `more` asks for more than there are.
    pub fn fill(&mut self, more: bool) -> Result<&[u8], LoadError> {
        if (self.start == self.buffer.len() || more) && !self.ended {
            self.read_block()?;
        }
        while self.at_start && self.buffer.len() < BOM.len() && !self.ended {
            self.read_block()?;
        }
        if self.at_start {
            self.at_start = false;
            if self.buffer.starts_with(BOM) {
                self.start = BOM.len();
            }
        }
        Ok(&self.buffer[self.start..])
    }

    fn read_block(&mut self) -> Result<(), LoadError> {
        if self.start > 0 {
            self.buffer.drain(..self.start);
            self.start = 0;
        }
        let old = self.buffer.len();
        self.buffer.resize(old + BLOCK, 0);
        let n = loop {
            match self.reader.read(&mut self.buffer[old..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.buffer.truncate(old);
                    return Err(LoadError::Io(e.to_string()));
                }
            }
        };
        self.buffer.truncate(old + n);
        if n == 0 {
            self.ended = true;
            return Ok(());
        }
        let data = &self.buffer[old..];
        if let Some(hash) = &mut self.hash {
            hash.update(data);
        }
        if let Some(spool) = &mut self.spool {
            spool
                .write_all(data)
                .map_err(|e| LoadError::Io(format!("cannot keep a copy of the input: {e}")))?;
        }
        // The line bound, on everything read (parsers never see a line longer than it).
        let mut rest = data;
        if data.len() <= self.max_line {
            // No line that starts and ends in this block can pass the bound: only the one it
            // continues and the one it leaves open are measured.
            if let Some(first) = memchr::memchr(b'\n', data) {
                if self.line_len + first > self.max_line {
                    return Err(LoadError::LineTooLong(self.read_line));
                }
                let last = memchr::memrchr(b'\n', data).unwrap_or(first);
                self.read_line += memchr::memchr_iter(b'\n', data).count() as u64;
                self.line_len = 0;
                rest = &data[last + 1..];
            }
        }
        while let Some(at) = memchr::memchr(b'\n', rest) {
            if self.line_len + at > self.max_line {
                return Err(LoadError::LineTooLong(self.read_line));
            }
            self.line_len = 0;
            self.read_line += 1;
            rest = &rest[at + 1..];
        }
        self.line_len += rest.len();
        if self.line_len > self.max_line {
            return Err(LoadError::LineTooLong(self.read_line));
        }
        Ok(())
    }

    /// Marks `n` bytes of what [`fill`](Self::fill) returned as read.
    pub fn consume(&mut self, n: usize) {
        let end = (self.start + n).min(self.buffer.len());
        self.line += memchr::memchr_iter(b'\n', &self.buffer[self.start..end]).count() as u64;
        self.start = end;
    }

    /// Reads to the end, then gives the SHA-256 (hex) of every byte read, and flushes the
    /// spool.
    pub fn finish(mut self) -> Result<Option<String>, LoadError> {
        while !self.ended {
            self.start = self.buffer.len();
            self.read_block()?;
        }
        if let Some(spool) = &mut self.spool {
            spool
                .flush()
                .map_err(|e| LoadError::Io(format!("cannot keep a copy of the input: {e}")))?;
        }
        Ok(self.hash.map(|hash| hex(&hash.finalize())))
    }
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
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

    /// Everything a source gives, consuming `step` bytes at a time.
    fn drain(mut source: Source<&[u8]>, step: usize) -> Result<(Vec<u8>, u64), LoadError> {
        let mut out = Vec::new();
        loop {
            let block = source.fill(false)?;
            if block.is_empty() {
                return Ok((out, source.line()));
            }
            let n = block.len().min(step);
            out.extend_from_slice(&block[..n]);
            source.consume(n);
        }
    }

    #[test]
    fn a_source_gives_every_byte_once_counts_lines_and_skips_a_byte_order_mark() {
        let mut text = b"\xef\xbb\xbfusername\n".to_vec();
        for i in 0..20_000 {
            text.extend_from_slice(format!("user{i}@example.com\n").as_bytes());
        }
        for step in [1, 7, 100_000] {
            let (out, line) = drain(Source::new(text.as_slice(), MAX_LINE_BYTES), step).unwrap();
            assert_eq!(out, &text[3..]);
            assert_eq!(line, 20_002);
        }
        let source = Source::new(text.as_slice(), MAX_LINE_BYTES).hashed();
        let digest = hex(&Sha256::digest(&text));
        assert_eq!(source.finish().ok().unwrap(), Some(digest));
    }

    #[test]
    fn a_source_refuses_a_line_past_the_bound_where_it_reads_it() {
        let text = b"ab\ncd\nefghij\nk\n";
        match drain(Source::new(&text[..], 4), 1) {
            Err(LoadError::LineTooLong(line)) => assert_eq!(line, 3),
            _ => panic!("the third line is longer than 4 bytes"),
        }
        assert!(drain(Source::new(&text[..], 6), 1).is_ok());
    }

    #[test]
    fn a_bound_longer_than_a_block_names_the_line_past_it() {
        // Blocks of whole short lines are measured at their ends only; the count must still
        // name the long line, wherever blocks cut it.
        for short in [69_999usize, 70_000, 70_001] {
            let mut text = b"a\n".repeat(short);
            let bound = 100_000;
            text.extend(std::iter::repeat_n(b'x', bound));
            text.extend_from_slice(b"\nb\n");
            let lines = (short + 3) as u64;
            assert_eq!(
                drain(Source::new(text.as_slice(), bound), 4096).unwrap().1,
                lines
            );
            let at = short * 2 + 10;
            text.insert(at, b'y');
            match drain(Source::new(text.as_slice(), bound), 4096) {
                Err(LoadError::LineTooLong(line)) => assert_eq!(line, short as u64 + 1),
                _ => panic!("line {} is longer than the bound", short + 1),
            }
        }
    }

    #[test]
    fn files_are_read_whole() {
        let loaded = load(&b"username\na\n"[..]).ok().unwrap();
        assert_eq!(loaded.bytes, b"username\na\n");
    }
}
