//! Sorting more fixed-size records than memory should hold: records are gathered in runs of
//! [`RUN_RECORDS`], each run sorted and written to a scratch file, and the runs merged back in
//! order, [`MERGE_WIDTH`] at a time (runs are merged into longer ones first when there are more).
//! Memory holds one run and a small read buffer per merged run, whatever the number of records;
//! the disk holds them all.

use std::cmp::Reverse;
use std::collections::binary_heap::PeekMut;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};

use crate::scratch::{Scratch, ScratchReader};

/// Records sorted in memory before a run is written out.
pub const RUN_RECORDS: usize = 64 * 1024;
/// Most runs merged at once.
pub const MERGE_WIDTH: usize = 64;
/// Read buffer of each run being merged.
const READ_BUFFER: usize = 8 * 1024;
/// Write buffer of the scratch file runs are written to.
const WRITE_BUFFER: usize = 64 * 1024;

/// A record of fixed size, ordered by its key.
pub trait Record: Copy + Ord {
    /// Bytes of one record on disk.
    const BYTES: usize;
    fn write_to(&self, out: &mut [u8]);
    fn read_from(bytes: &[u8]) -> Self;
}

/// A stretch of a scratch file holding sorted records.
#[derive(Clone, Copy, Debug)]
struct Run {
    offset: u64,
    records: u64,
}

/// Gathers records, then gives them back sorted.
pub struct Sorter<R: Record> {
    run_records: usize,
    merge_width: usize,
    buffer: Vec<R>,
    runs: Vec<Run>,
    file: Option<(Scratch, BufWriter<File>)>,
    written: u64,
    what: &'static str,
}

impl<R: Record> Sorter<R> {
    /// A sorter whose scratch files are named after `what` it sorts.
    pub fn new(what: &'static str) -> Self {
        Self::with_sizes(what, RUN_RECORDS, MERGE_WIDTH)
    }

    /// A sorter with runs of `run_records` merged `merge_width` at a time.
    fn with_sizes(what: &'static str, run_records: usize, merge_width: usize) -> Self {
        Self {
            run_records: run_records.max(1),
            merge_width: merge_width.max(2),
            buffer: Vec::new(),
            runs: Vec::new(),
            file: None,
            written: 0,
            what,
        }
    }

    pub fn push(&mut self, record: R) -> Result<(), String> {
        self.buffer.push(record);
        if self.buffer.len() >= self.run_records {
            self.spill()?;
        }
        Ok(())
    }

    /// Writes the records gathered as one sorted run.
    fn spill(&mut self) -> Result<(), String> {
        self.buffer.sort_unstable();
        if self.file.is_none() {
            let scratch = Scratch::create(self.what)?;
            let file = scratch.open_for_writing()?;
            self.file = Some((scratch, BufWriter::with_capacity(WRITE_BUFFER, file)));
        }
        let Some((scratch, out)) = self.file.as_mut() else {
            return Ok(());
        };
        let fail = |e: std::io::Error| {
            format!(
                "cannot write the scratch file {}: {e}",
                scratch.path().display()
            )
        };
        let mut bytes = vec![0u8; R::BYTES];
        for record in &self.buffer {
            record.write_to(&mut bytes);
            out.write_all(&bytes).map_err(fail)?;
        }
        let records = self.buffer.len() as u64;
        self.runs.push(Run {
            offset: self.written,
            records,
        });
        self.written += records * R::BYTES as u64;
        self.buffer.clear();
        Ok(())
    }

    /// Every record pushed, in order.
    pub fn finish(mut self) -> Result<Sorted<R>, String> {
        if self.runs.is_empty() {
            self.buffer.sort_unstable();
            return Ok(Sorted::Memory(std::mem::take(&mut self.buffer).into_iter()));
        }
        if !self.buffer.is_empty() {
            self.spill()?;
        }
        let Some((mut scratch, out)) = self.file.take() else {
            return Ok(Sorted::Memory(Vec::new().into_iter()));
        };
        finish_writing(&scratch, out)?;
        let mut runs = std::mem::take(&mut self.runs);
        // Merge runs into longer ones until one merge can take them all.
        while runs.len() > self.merge_width {
            let next = Scratch::create(self.what)?;
            let mut out = BufWriter::with_capacity(WRITE_BUFFER, next.open_for_writing()?);
            let mut longer = Vec::new();
            let mut offset = 0u64;
            for group in runs.chunks(self.merge_width) {
                let mut merge = Merge::<R>::new(&scratch, group)?;
                let mut records = 0u64;
                let mut bytes = vec![0u8; R::BYTES];
                while let Some(record) = merge.next_record()? {
                    record.write_to(&mut bytes);
                    out.write_all(&bytes).map_err(|e| {
                        format!(
                            "cannot write the scratch file {}: {e}",
                            next.path().display()
                        )
                    })?;
                    records += 1;
                }
                longer.push(Run { offset, records });
                offset += records * R::BYTES as u64;
            }
            finish_writing(&next, out)?;
            scratch = next;
            runs = longer;
        }
        let merge = Merge::new(&scratch, &runs)?;
        Ok(Sorted::Disk {
            merge,
            _scratch: scratch,
        })
    }
}

/// Writes out what is buffered. A scratch file is not synced to the disk: only this process
/// reads it back, through the page cache, and it is gone when the process ends (a sync made the
/// import wait for the disk before its first call, with nothing gained).
fn finish_writing(scratch: &Scratch, out: BufWriter<File>) -> Result<(), String> {
    out.into_inner().map(drop).map_err(|e| {
        format!(
            "cannot write the scratch file {}: {}",
            scratch.path().display(),
            e.error()
        )
    })
}

/// Records in order, from memory or merged from sorted runs on disk.
pub enum Sorted<R: Record> {
    Memory(std::vec::IntoIter<R>),
    Disk {
        merge: Merge<R>,
        /// Kept until the records are read.
        _scratch: Scratch,
    },
}

impl<R: Record> Sorted<R> {
    /// The next record, `None` at the end.
    pub fn next_record(&mut self) -> Result<Option<R>, String> {
        match self {
            Sorted::Memory(records) => Ok(records.next()),
            Sorted::Disk { merge, .. } => merge.next_record(),
        }
    }
}

/// Runs read side by side, the smallest record first.
pub struct Merge<R: Record> {
    readers: Vec<BufReader<std::io::Take<ScratchReader>>>,
    heads: BinaryHeap<Reverse<(R, usize)>>,
    bytes: Vec<u8>,
    path: String,
}

impl<R: Record> Merge<R> {
    fn new(scratch: &Scratch, runs: &[Run]) -> Result<Self, String> {
        let path = scratch.path().display().to_string();
        let mut merge = Self {
            readers: Vec::with_capacity(runs.len()),
            heads: BinaryHeap::with_capacity(runs.len()),
            bytes: vec![0u8; R::BYTES],
            path,
        };
        for (i, run) in runs.iter().enumerate() {
            let mut file = scratch.open()?;
            file.seek(SeekFrom::Start(run.offset))
                .map_err(|e| merge.fail(e))?;
            let length = run.records * R::BYTES as u64;
            merge
                .readers
                .push(BufReader::with_capacity(READ_BUFFER, file.take(length)));
            if let Some(record) = merge.read(i)? {
                merge.heads.push(Reverse((record, i)));
            }
        }
        Ok(merge)
    }

    fn fail(&self, e: std::io::Error) -> String {
        read_failed(&self.path, e)
    }

    fn read(&mut self, run: usize) -> Result<Option<R>, String> {
        read_record(&mut self.readers, &mut self.bytes, run).map_err(|e| self.fail(e))
    }

    pub fn next_record(&mut self) -> Result<Option<R>, String> {
        let Some(mut head) = self.heads.peek_mut() else {
            return Ok(None);
        };
        let Reverse((_, run)) = *head;
        // The run's next record takes the place of the one given out: one sift through the
        // heap instead of a pop and a push.
        let Reverse((record, _)) = match read_record(&mut self.readers, &mut self.bytes, run) {
            Ok(Some(next)) => std::mem::replace(&mut *head, Reverse((next, run))),
            Ok(None) => PeekMut::pop(head),
            Err(e) => return Err(read_failed(&self.path, e)),
        };
        Ok(Some(record))
    }
}

fn read_failed(path: &str, e: std::io::Error) -> String {
    format!("cannot read the scratch file {path}: {e}")
}

/// The next record of run `run`, read into `bytes`; `None` once the run is read to its end.
fn read_record<R: Record>(
    readers: &mut [BufReader<std::io::Take<ScratchReader>>],
    bytes: &mut [u8],
    run: usize,
) -> std::io::Result<Option<R>> {
    let Some(reader) = readers.get_mut(run) else {
        return Ok(None);
    };
    match reader.read_exact(bytes) {
        Ok(()) => Ok(Some(R::read_from(bytes))),
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Record for (u64, u64) {
        const BYTES: usize = 16;
        fn write_to(&self, out: &mut [u8]) {
            out[..8].copy_from_slice(&self.0.to_le_bytes());
            out[8..16].copy_from_slice(&self.1.to_le_bytes());
        }
        fn read_from(bytes: &[u8]) -> Self {
            let mut a = [0u8; 8];
            let mut b = [0u8; 8];
            a.copy_from_slice(&bytes[..8]);
            b.copy_from_slice(&bytes[8..16]);
            (u64::from_le_bytes(a), u64::from_le_bytes(b))
        }
    }

    fn sorted(n: u64, run_records: usize, merge_width: usize) -> Vec<(u64, u64)> {
        let mut sorter = Sorter::with_sizes("sort-test", run_records, merge_width);
        for i in 0..n {
            // A scrambled order with repeated keys.
            sorter.push(((i * 7919) % 1000, i)).unwrap();
        }
        let mut out = Vec::new();
        let mut all = sorter.finish().unwrap();
        while let Some(record) = all.next_record().unwrap() {
            out.push(record);
        }
        out
    }

    #[test]
    fn records_come_back_sorted_from_memory_and_from_disk() {
        for n in [0, 1, 1000, 3 * 1000 + 17] {
            let out = sorted(n, 1000, MERGE_WIDTH);
            assert_eq!(out.len() as u64, n);
            assert!(out.windows(2).all(|w| w[0] <= w[1]), "{n}");
        }
    }

    #[test]
    fn more_runs_than_one_merge_takes_are_merged_in_rounds() {
        // 103 runs of 100, merged 4 at a time: three rounds.
        let n = 100 * 102 + 5;
        let out = sorted(n, 100, 4);
        assert_eq!(out.len() as u64, n);
        assert!(out.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(out[0], (0, 0));
    }
}
