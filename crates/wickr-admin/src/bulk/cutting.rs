//! Cutting a job's input into chunks: read inputs lazily, give each a place in the reorder
//! window, build its item, and close a chunk when it is full (in items or in request bytes), when
//! the next item repeats a key already in it, or when its inputs spread too far apart.
//!
//! Chunks are cut from the input alone (never from timing), so a job resumed over the same input
//! cuts the same chunks and sends the same tokens.

use super::chunk::{body_bytes, Chunk, ChunkRow};
use super::operation::BatchOperation;
use super::slot::Slot;
use super::token::{ContentHasher, Tokens};
use super::window::{OutcomeSink, OutcomeWindow, CHUNK_SPAN};

/// Reads a job's input and cuts it into chunks.
pub(crate) struct Cutter<O: BatchOperation, I> {
    inputs: I,
    network_id: String,
    chunk_size: usize,
    /// Largest request body to cut; lowered when the service refuses one as too large.
    pub(crate) max_body: usize,
    tokens: Tokens,
    next_chunk_id: u64,
    /// Inputs read to be sent.
    pub(crate) read: u64,
    pub(crate) input_done: bool,
    /// An input read and prepared that did not fit the chunk being cut (its key repeats one in
    /// the chunk, or the request would grow too large): it starts the next one.
    carry: Option<ChunkRow<O::Item>>,
}

impl<O, I> Cutter<O, I>
where
    O: BatchOperation,
    I: Iterator<Item = Slot<O::Input>>,
{
    pub(crate) fn new(
        inputs: I,
        network_id: String,
        chunk_size: usize,
        max_body: usize,
        tokens: Tokens,
    ) -> Self {
        Self {
            inputs,
            network_id,
            chunk_size: chunk_size.min(O::MAX_ITEMS).max(1),
            max_body,
            tokens,
            next_chunk_id: 0,
            read: 0,
            input_done: false,
            carry: None,
        }
    }

    /// A chunk of `rows`, with its token.
    pub(crate) fn new_chunk(
        &mut self,
        operation: &O,
        rows: Vec<ChunkRow<O::Item>>,
    ) -> Chunk<O::Item> {
        let id = self.next_chunk_id;
        self.next_chunk_id += 1;
        let mut content = ContentHasher::new(operation.name(), &self.network_id);
        for row in &rows {
            operation.canonical(&row.item, &mut content);
        }
        Chunk::new(id, &mut self.tokens, content, rows)
    }

    /// Reads inputs until a chunk is full (in items or in request bytes), its inputs span
    /// [`CHUNK_SPAN`] places, or the input ends. Inputs that cannot be sent get their outcome
    /// at once, and places the caller keeps are handed on when their turn comes. `None` when no
    /// chunk was cut: the input ended ([`input_done`](Self::input_done)), or [`CHUNK_SPAN`] kept
    /// places were read without an input to send.
    pub(crate) fn next_chunk(
        &mut self,
        operation: &O,
        window: &mut OutcomeWindow,
        sink: &mut impl OutcomeSink,
    ) -> Option<Chunk<O::Item>> {
        let mut rows: Vec<ChunkRow<O::Item>> = Vec::with_capacity(self.chunk_size);
        // A hash of each row's key, so a new row is compared in full only with rows whose key
        // hashes alike: a chunk of 50 users took over a thousand string comparisons.
        let mut keys: Vec<u64> = Vec::with_capacity(self.chunk_size);
        let mut body = body_bytes(std::iter::empty());
        let started_at = window.next_index();
        while rows.len() < self.chunk_size {
            let row = match self.carry.take() {
                Some(row) => row,
                None => {
                    let from = rows.first().map_or(started_at, |r| r.index);
                    if window.next_index() - from >= CHUNK_SPAN {
                        break;
                    }
                    match self.inputs.next() {
                        Some(Slot::Send(input)) => {
                            self.read += 1;
                            let index = window.push_pending();
                            match prepare(operation, window, index, input) {
                                Some(row) => row,
                                None => {
                                    window.drain(sink);
                                    continue;
                                }
                            }
                        }
                        Some(Slot::Skip) => {
                            window.push_kept();
                            window.drain(sink);
                            continue;
                        }
                        None => {
                            self.input_done = true;
                            break;
                        }
                    }
                }
            };
            let key = operation.key(&row.item);
            let hash = key_hash(key);
            if keys
                .iter()
                .zip(&rows)
                .any(|(&h, r)| h == hash && operation.key(&r.item) == key)
            {
                // The service would refuse the second one as a repeat within the call; send it in
                // the next chunk, where it meets the first one's effect.
                self.carry = Some(row);
                break;
            }
            let with_row = body
                .saturating_add(row.bytes)
                .saturating_add(usize::from(!rows.is_empty()));
            if !rows.is_empty() && with_row > self.max_body {
                self.carry = Some(row);
                break;
            }
            body = with_row;
            keys.push(hash);
            rows.push(row);
        }
        if rows.is_empty() {
            return None;
        }
        Some(self.new_chunk(operation, rows))
    }

    /// After the job: the input read but not sent is reported not attempted. With `read_on`,
    /// what is left of the input is read (without sending anything) and reported not attempted
    /// too, so every input gets an outcome; without it (a cancelled job, whose input may never
    /// end) nothing more is read, and the return value says whether input was left unread.
    pub(crate) fn not_attempted(
        &mut self,
        reason: &str,
        read_on: bool,
        window: &mut OutcomeWindow,
        sink: &mut impl OutcomeSink,
    ) -> bool {
        if let Some(row) = self.carry.take() {
            window.set_not_attempted(row.index, reason);
        }
        if self.input_done {
            return false;
        }
        if !read_on {
            return true;
        }
        for input in self.inputs.by_ref() {
            match input {
                Slot::Send(_) => {
                    self.read += 1;
                    let index = window.push_pending();
                    window.set_not_attempted(index, reason);
                }
                Slot::Skip => window.push_kept(),
            }
            window.drain(sink);
        }
        self.input_done = true;
        false
    }
}

/// A 64-bit FNV-1a hash of a key: only a first test of equality, which the keys themselves
/// confirm.
fn key_hash(key: &str) -> u64 {
    key.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Builds an input's item; an input that cannot be sent gets its outcome at once.
fn prepare<O: BatchOperation>(
    operation: &O,
    window: &mut OutcomeWindow,
    index: usize,
    input: O::Input,
) -> Option<ChunkRow<O::Item>> {
    match operation.prepare(input) {
        Ok(item) => {
            let bytes = operation.bytes(&item);
            Some(ChunkRow { index, item, bytes })
        }
        Err((field, reason)) => {
            window.set_failed(index, Some(&field), &reason);
            None
        }
    }
}
