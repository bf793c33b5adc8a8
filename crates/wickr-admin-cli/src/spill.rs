//! A list that may grow with the input (the problems of a file, the rows that did not end well)
//! kept in memory up to a few hundred items, and in a scratch file (one JSON document a line)
//! beyond: it can be read back in order as often as needed, and its memory stays the same
//! whatever its length.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};

use serde::de::DeserializeOwned;
use serde::ser::SerializeSeq;
use serde::Serialize;

use crate::scratch::{Scratch, ScratchReader};

/// Items kept in memory before the rest go to a file.
pub const IN_MEMORY: usize = 256;

/// An append-only list, in memory then on disk.
pub struct Spill<T> {
    head: Vec<T>,
    tail: Option<(Scratch, BufWriter<File>)>,
    len: u64,
    what: &'static str,
}

impl<T> std::fmt::Debug for Spill<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Spill")
            .field("what", &self.what)
            .field("len", &self.len)
            .finish_non_exhaustive()
    }
}

impl<T: Serialize + DeserializeOwned> Spill<T> {
    /// An empty list; `what` names its scratch file.
    pub fn new(what: &'static str) -> Self {
        Self {
            head: Vec::new(),
            tail: None,
            len: 0,
            what,
        }
    }

    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn push(&mut self, item: T) -> Result<(), String> {
        self.len += 1;
        if self.head.len() < IN_MEMORY {
            self.head.push(item);
            return Ok(());
        }
        if self.tail.is_none() {
            let scratch = Scratch::create(self.what)?;
            let file = scratch.open_for_writing()?;
            self.tail = Some((scratch, BufWriter::new(file)));
        }
        let Some((scratch, out)) = self.tail.as_mut() else {
            return Ok(());
        };
        let fail = |e: &dyn std::fmt::Display| {
            format!(
                "cannot write the scratch file {}: {e}",
                scratch.path().display()
            )
        };
        serde_json::to_writer(&mut *out, &item).map_err(|e| fail(&e))?;
        out.write_all(b"\n").map_err(|e| fail(&e))
    }

    /// Makes everything pushed readable; call before reading.
    pub fn flush(&mut self) -> Result<(), String> {
        if let Some((scratch, out)) = self.tail.as_mut() {
            out.flush().map_err(|e| {
                format!(
                    "cannot write the scratch file {}: {e}",
                    scratch.path().display()
                )
            })?;
        }
        Ok(())
    }

    /// Calls `each` with every item, in order (after [`flush`](Self::flush)).
    pub fn visit(&self, mut each: impl FnMut(&T) -> Result<(), String>) -> Result<(), String> {
        for item in &self.head {
            each(item)?;
        }
        let Some((scratch, _)) = &self.tail else {
            return Ok(());
        };
        let reader = BufReader::new(scratch.open()?);
        for line in reader.lines() {
            let line = line.map_err(|e| {
                format!(
                    "cannot read the scratch file {}: {e}",
                    scratch.path().display()
                )
            })?;
            let item: T = serde_json::from_str(&line).map_err(|e| {
                format!(
                    "cannot read the scratch file {}: {e}",
                    scratch.path().display()
                )
            })?;
            each(&item)?;
        }
        Ok(())
    }
}

/// Reads a [`Spill`] in order, one item at a time.
pub struct SpillReader<'a, T> {
    head: std::slice::Iter<'a, T>,
    tail: Option<(std::io::Lines<BufReader<ScratchReader>>, &'a Scratch)>,
}

impl<T: Serialize + DeserializeOwned + Clone> Spill<T> {
    /// A reader from the first item (after [`flush`](Self::flush)).
    pub fn reader(&self) -> Result<SpillReader<'_, T>, String> {
        let tail = match &self.tail {
            Some((scratch, _)) => Some((BufReader::new(scratch.open()?).lines(), scratch)),
            None => None,
        };
        Ok(SpillReader {
            head: self.head.iter(),
            tail,
        })
    }
}

impl<T: DeserializeOwned + Clone> SpillReader<'_, T> {
    /// The next item, `None` after the last.
    pub fn next_item(&mut self) -> Result<Option<T>, String> {
        if let Some(item) = self.head.next() {
            return Ok(Some(item.clone()));
        }
        let Some((lines, scratch)) = &mut self.tail else {
            return Ok(None);
        };
        let fail = |e: &dyn std::fmt::Display| {
            format!(
                "cannot read the scratch file {}: {e}",
                scratch.path().display()
            )
        };
        match lines.next() {
            None => Ok(None),
            Some(Err(e)) => Err(fail(&e)),
            Some(Ok(line)) => serde_json::from_str(&line).map(Some).map_err(|e| fail(&e)),
        }
    }
}

/// The list as a JSON array, read from memory and disk as it is written out (after
/// [`flush`](Spill::flush)).
impl<T: Serialize + DeserializeOwned> Serialize for Spill<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(usize::try_from(self.len).ok())?;
        let mut failed: Option<String> = None;
        let mut result = Ok(());
        let visited = self.visit(|item| {
            if result.is_ok() {
                result = seq.serialize_element(item);
            }
            Ok(())
        });
        if let Err(e) = visited {
            failed = Some(e);
        }
        result?;
        if let Some(e) = failed {
            return Err(serde::ser::Error::custom(e));
        }
        seq.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_come_back_in_order_from_memory_and_from_disk() {
        let mut spill: Spill<(u64, String)> = Spill::new("spill-test");
        let n = IN_MEMORY as u64 * 3 + 5;
        for i in 0..n {
            spill.push((i, format!("item {i}"))).unwrap();
        }
        assert_eq!(spill.len(), n);
        spill.flush().unwrap();
        for _ in 0..2 {
            let mut back = Vec::new();
            spill
                .visit(|item| {
                    back.push(item.clone());
                    Ok(())
                })
                .unwrap();
            assert_eq!(back.len() as u64, n);
            assert!(back.iter().enumerate().all(|(i, (j, _))| i as u64 == *j));
        }
        let mut reader = spill.reader().unwrap();
        let mut count = 0;
        while let Some((i, _)) = reader.next_item().unwrap() {
            assert_eq!(i, count);
            count += 1;
        }
        assert_eq!(count, n);
        let json = serde_json::to_value(&spill).unwrap();
        assert_eq!(json.as_array().map(Vec::len), Some(n as usize));
        assert_eq!(json[n as usize - 1][1], format!("item {}", n - 1));
    }
}
