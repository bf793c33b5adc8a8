//! Repeated usernames: a row whose username an earlier row has is a problem of that later row.
//!
//! [`RepeatFinder`] finds them in a file of any length without holding its usernames: each
//! username is reduced to a 128-bit hash with its line, the pairs are sorted on disk
//! ([`crate::external_sort`]), and equal hashes next to each other name the repeats. Two different
//! usernames share a 128-bit hash with a probability below 10^-26 in a file of a million rows.
//! The repeats come back in line order, to be read beside the rows.

use std::hash::Hasher;

use serde::{Deserialize, Serialize};

use super::{excerpt, Entry, Problem, Rejected};
use crate::external_sort::{Record, Sorter};
use crate::spill::{Spill, SpillReader};

/// Makes `entry` (whose username is `username`) a repeat of the row on line `first`.
pub fn mark(entry: &mut Entry, username: &str, first: u64) {
    let line = entry.line();
    let problem = Problem::new(
        line,
        "username",
        format!(
            "repeated username {} (first on line {first}; usernames match ignoring case and \
             surrounding spaces)",
            excerpt::quoted(username)
        ),
    );
    match entry {
        Entry::Invalid(rejected) => rejected.problems.push(problem),
        Entry::Valid(row) => {
            *entry = Entry::Invalid(Rejected {
                line,
                username: Some(std::mem::take(&mut row.username)),
                problems: vec![problem],
            })
        }
    }
}

/// A username's hash and the line it is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct NameAt {
    hash: u128,
    line: u64,
}

impl Record for NameAt {
    const BYTES: usize = 24;

    fn write_to(&self, out: &mut [u8]) {
        out[..16].copy_from_slice(&self.hash.to_le_bytes());
        out[16..24].copy_from_slice(&self.line.to_le_bytes());
    }

    fn read_from(bytes: &[u8]) -> Self {
        let mut hash = [0u8; 16];
        let mut line = [0u8; 8];
        hash.copy_from_slice(&bytes[..16]);
        line.copy_from_slice(&bytes[16..24]);
        Self {
            hash: u128::from_le_bytes(hash),
            line: u64::from_le_bytes(line),
        }
    }
}

/// A row whose username the row on line `first` has.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Repeat {
    pub line: u64,
    pub first: u64,
}

impl Record for Repeat {
    const BYTES: usize = 16;

    fn write_to(&self, out: &mut [u8]) {
        out[..8].copy_from_slice(&self.line.to_le_bytes());
        out[8..16].copy_from_slice(&self.first.to_le_bytes());
    }

    fn read_from(bytes: &[u8]) -> Self {
        let mut line = [0u8; 8];
        let mut first = [0u8; 8];
        line.copy_from_slice(&bytes[..8]);
        first.copy_from_slice(&bytes[8..16]);
        Self {
            line: u64::from_le_bytes(line),
            first: u64::from_le_bytes(first),
        }
    }
}

/// 128 bits of hash of a username's [`username_key`](super::username_key), computed without
/// building the key: two SipHash values, the second started with a word the first never sees,
/// fed the lowercased name together, a block at a time, so a username costs no allocation and
/// one pass over its bytes.
fn hash(username: &str) -> u128 {
    let name = super::trimmed(username).as_bytes();
    let mut low = std::hash::DefaultHasher::new();
    let mut high = std::hash::DefaultHasher::new();
    high.write_u64(0x7772_6570_6561_7473);
    let mut block = [0u8; 64];
    for chunk in name.chunks(block.len()) {
        let lower = &mut block[..chunk.len()];
        lower.copy_from_slice(chunk);
        lower.make_ascii_lowercase();
        low.write(lower);
        high.write(lower);
    }
    (u128::from(high.finish()) << 64) | u128::from(low.finish())
}

/// Gathers the usernames of a file, row by row.
pub struct RepeatFinder {
    names: Sorter<NameAt>,
}

impl Default for RepeatFinder {
    fn default() -> Self {
        Self {
            names: Sorter::new("usernames"),
        }
    }
}

impl RepeatFinder {
    /// The row on `line` has `username` (rows come in line order).
    pub fn add(&mut self, username: &str, line: u64) -> Result<(), String> {
        if username.is_empty() {
            return Ok(());
        }
        self.names.push(NameAt {
            hash: hash(username),
            line,
        })
    }

    /// Every repeat, in line order.
    pub fn finish(self) -> Result<Spill<Repeat>, String> {
        let mut names = self.names.finish()?;
        let mut repeats = Sorter::new("repeats");
        let mut group: Option<NameAt> = None;
        while let Some(name) = names.next_record()? {
            match group {
                Some(first) if first.hash == name.hash => repeats.push(Repeat {
                    line: name.line,
                    first: first.line,
                })?,
                _ => group = Some(name),
            }
        }
        let mut sorted = repeats.finish()?;
        let mut list = Spill::new("repeats");
        while let Some(repeat) = sorted.next_record()? {
            list.push(repeat)?;
        }
        list.flush()?;
        Ok(list)
    }
}

/// Reads repeats beside the rows of a file, in line order.
pub struct RepeatCursor<'a> {
    reader: SpillReader<'a, Repeat>,
    next: Option<Repeat>,
    done: bool,
}

impl<'a> RepeatCursor<'a> {
    pub fn new(repeats: &'a Spill<Repeat>) -> Result<Self, String> {
        Ok(Self {
            reader: repeats.reader()?,
            next: None,
            done: false,
        })
    }

    /// The first line with the username of the row on `line`, when that row is a repeat. Asked
    /// for lines in increasing order.
    pub fn first_line_of(&mut self, line: u64) -> Result<Option<u64>, String> {
        loop {
            if self.next.is_none() && !self.done {
                self.next = self.reader.next_item()?;
                self.done = self.next.is_none();
            }
            match self.next {
                Some(repeat) if repeat.line < line => self.next = None,
                Some(repeat) if repeat.line == line => return Ok(Some(repeat.first)),
                _ => return Ok(None),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_rows_with_an_earlier_username_are_repeats_of_its_first_line() {
        let mut finder = RepeatFinder::default();
        let names = ["a", "b", "a", "", "c", "b", "a", ""];
        for (i, name) in names.iter().enumerate() {
            finder.add(name, i as u64 + 2).unwrap();
        }
        let repeats = finder.finish().unwrap();
        assert_eq!(repeats.len(), 3);
        let mut repeats = RepeatCursor::new(&repeats).unwrap();
        let found: Vec<(u64, Option<u64>)> = (2..10)
            .map(|line| (line, repeats.first_line_of(line).unwrap()))
            .collect();
        assert_eq!(
            found,
            vec![
                (2, None),
                (3, None),
                (4, Some(2)),
                (5, None),
                (6, None),
                (7, Some(3)),
                (8, Some(2)),
                (9, None),
            ]
        );
    }

    #[test]
    fn names_are_told_apart_as_sync_tells_them_apart() {
        // ASCII case and surrounding white space do not make another user...
        assert_eq!(hash("A@Example.COM"), hash("a@example.com"));
        assert_eq!(hash(" a@example.com\t"), hash("a@example.com"));
        let long = "x".repeat(150);
        assert_eq!(hash(&long.to_uppercase()), hash(&long));
        // ...anything else does, blocks of the lowercased name included.
        assert_ne!(hash("a@example.com"), hash("b@example.com"));
        assert_ne!(hash("a b"), hash("ab"));
        assert_ne!(hash(&"x".repeat(64)), hash(&"x".repeat(65)));
        assert_ne!(hash("é@example.com"), hash("É@example.com"));
        // It is the hash of the key sync and the actions compare, whatever the name.
        for name in [" A@Example.COM ", "é@EXAMPLE.com", "", "x y", &long] {
            assert_eq!(
                hash(name),
                hash(&crate::input::username_key(name)),
                "{name:?}"
            );
        }
    }
}
