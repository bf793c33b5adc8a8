//! The reorder window: a job's inputs settle in any order (calls end in any order, and a chunk
//! sent again settles after chunks cut later), and leave the job in input order.
//!
//! The window holds a place for every input read and not yet handed out, from the oldest one
//! still waiting for its outcome to the newest read. Outcomes are handed to the job's sink as
//! soon as they and every outcome before them are final, so a job keeps no outcome longer than
//! its slowest call in flight makes it. The window has room for [`REORDER_WINDOW`] places: when
//! it is full the job reads no further input until the oldest places settle, so memory stays
//! bounded whatever the input's length, at the price of waiting on a chunk that is slow to
//! settle (one sent again after a throttled or failed attempt).

use std::collections::VecDeque;
use std::sync::Arc;

use super::report::{Kind, Stored, Tally};

/// Most inputs a job holds between the oldest one without an outcome and the newest one read.
///
/// It is 2.5 times the most users a job can have in flight (256 calls of 50, for a job that
/// tunes its own concurrency), so calls that end out of order, and a few chunks waiting to be
/// sent again, do not stop the reading; a full window takes about 3 MB. A job with fewer calls
/// in flight fills it only while a chunk near its start is slow to settle.
pub(crate) const REORDER_WINDOW: usize = 32_768;

/// Most places between the first and the last input of one chunk. A chunk whose inputs lie
/// further apart (many inputs the caller keeps back between them) is cut there: as this depends
/// on the input alone, a resumed job cuts the same chunks.
pub(crate) const CHUNK_SPAN: usize = REORDER_WINDOW / 2;

/// Where the outcomes of a job go, in input order.
pub(crate) trait OutcomeSink {
    /// The next input's outcome; `None` for a place the caller kept without sending anything.
    fn take(&mut self, outcome: Option<Stored<'_>>);
}

/// A failure, not-attempted or unknown outcome's text.
#[derive(Debug, PartialEq, Eq)]
struct Message {
    field: Option<Box<str>>,
    reason: Box<str>,
}

/// One settled outcome, waiting for the outcomes before it.
#[derive(Debug)]
struct Settled {
    kind: Kind,
    a: Option<Box<str>>,
    b: Option<Box<str>>,
    message: Option<Arc<Message>>,
}

#[derive(Debug)]
enum Place {
    Pending,
    Settled(Settled),
    /// Kept by the caller: nothing is sent for it.
    Kept,
}

/// The places of the inputs between the oldest without an outcome and the newest read.
#[derive(Debug, Default)]
pub(crate) struct OutcomeWindow {
    /// Index of the input in `places[0]`.
    first: usize,
    places: VecDeque<Place>,
    tally: Tally,
    /// The last message stored: the users of one chunk usually share theirs.
    last_message: Option<Arc<Message>>,
}

impl OutcomeWindow {
    /// Places held now.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.places.len()
    }

    /// Index the next input will get.
    pub(crate) fn next_index(&self) -> usize {
        self.first + self.places.len()
    }

    /// Whether a new chunk may start: it adds at most [`CHUNK_SPAN`] places.
    pub(crate) fn has_room_for_a_chunk(&self) -> bool {
        self.places.len() + CHUNK_SPAN <= REORDER_WINDOW
    }

    pub(crate) fn tally(&self) -> Tally {
        self.tally
    }

    /// Adds a place for the next input, waiting for its outcome, and returns its index.
    pub(crate) fn push_pending(&mut self) -> usize {
        self.places.push_back(Place::Pending);
        self.next_index() - 1
    }

    /// Adds a place the caller keeps: it is handed back as `None`, in order.
    pub(crate) fn push_kept(&mut self) {
        self.places.push_back(Place::Kept);
    }

    /// Hands every outcome at the front that is final to `sink`, in order.
    pub(crate) fn drain(&mut self, sink: &mut impl OutcomeSink) {
        while let Some(front) = self.places.front() {
            match front {
                Place::Pending => return,
                Place::Kept => sink.take(None),
                Place::Settled(settled) => sink.take(Some(stored(settled))),
            }
            self.places.pop_front();
            self.first += 1;
        }
    }

    /// Gives every input still without an outcome this one (it may have been sent), and hands
    /// everything out.
    pub(crate) fn finish(&mut self, error: &str, sink: &mut impl OutcomeSink) {
        for index in self.first..self.next_index() {
            self.set_unknown(index, error);
        }
        self.drain(sink);
    }

    fn place(&mut self, index: usize) -> Option<&mut Place> {
        let offset = index.checked_sub(self.first)?;
        self.places
            .get_mut(offset)
            .filter(|p| matches!(p, Place::Pending))
    }

    fn settle(&mut self, index: usize, settled: Settled) -> bool {
        let Some(place) = self.place(index) else {
            return false;
        };
        *place = Place::Settled(settled);
        true
    }

    fn message(&mut self, field: Option<&str>, reason: &str) -> Arc<Message> {
        if let Some(last) = &self.last_message {
            if last.field.as_deref() == field && *last.reason == *reason {
                return last.clone();
            }
        }
        let message = Arc::new(Message {
            field: field.map(Box::from),
            reason: Box::from(reason),
        });
        self.last_message = Some(message.clone());
        message
    }

    /// The operation was applied to this input (a created user: its id and invite code). An
    /// input that has an outcome already keeps it.
    pub(crate) fn set_done(&mut self, index: usize, a: Option<Box<str>>, b: Option<Box<str>>) {
        let settled = Settled {
            kind: Kind::Done,
            a,
            b,
            message: None,
        };
        if self.settle(index, settled) {
            self.tally.done += 1;
        }
    }

    /// The network already was as asked for this input.
    pub(crate) fn set_already(&mut self, index: usize, a: Option<Box<str>>) {
        let settled = Settled {
            kind: Kind::Already,
            a,
            b: None,
            message: None,
        };
        if self.settle(index, settled) {
            self.tally.already += 1;
        }
    }

    fn set_message(&mut self, index: usize, kind: Kind, field: Option<&str>, reason: &str) -> bool {
        if self.place(index).is_none() {
            return false;
        }
        let message = Some(self.message(field, reason));
        self.settle(
            index,
            Settled {
                kind,
                a: None,
                b: None,
                message,
            },
        )
    }

    pub(crate) fn set_failed(&mut self, index: usize, field: Option<&str>, reason: &str) {
        if self.set_message(index, Kind::Failed, field, reason) {
            self.tally.failed += 1;
        }
    }

    pub(crate) fn set_not_attempted(&mut self, index: usize, error: &str) {
        if self.set_message(index, Kind::NotAttempted, None, error) {
            self.tally.not_attempted += 1;
        }
    }

    pub(crate) fn set_unknown(&mut self, index: usize, error: &str) {
        if self.set_message(index, Kind::Unknown, None, error) {
            self.tally.unknown += 1;
        }
    }
}

fn stored(settled: &Settled) -> Stored<'_> {
    let (field, reason) = match &settled.message {
        Some(m) => (m.field.as_deref(), &*m.reason),
        None => (None, ""),
    };
    Stored {
        kind: settled.kind,
        a: settled.a.as_deref(),
        b: settled.b.as_deref(),
        field,
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a sink was handed, as text.
    #[derive(Default)]
    struct Seen(Vec<String>);

    impl OutcomeSink for Seen {
        fn take(&mut self, outcome: Option<Stored<'_>>) {
            self.0.push(match outcome {
                None => "kept".to_string(),
                Some(s) => format!("{:?} {}{}", s.kind, s.a.unwrap_or(""), s.reason),
            });
        }
    }

    #[test]
    fn outcomes_leave_in_input_order_as_soon_as_those_before_them_are_final() {
        let mut window = OutcomeWindow::default();
        let mut seen = Seen::default();
        let a = window.push_pending();
        let b = window.push_pending();
        window.push_kept();
        let c = window.push_pending();
        window.set_done(c, Some("3".into()), None);
        window.set_failed(b, Some("username"), "bad");
        window.drain(&mut seen);
        assert!(seen.0.is_empty(), "the first input has no outcome yet");
        assert_eq!(window.len(), 4);
        window.set_already(a, Some("1".into()));
        window.drain(&mut seen);
        assert_eq!(seen.0, ["Already 1", "Failed bad", "kept", "Done 3"]);
        assert_eq!(window.len(), 0);
        assert_eq!(window.next_index(), 4);
        // An outcome for an input handed out already, or given twice, changes nothing.
        window.set_unknown(a, "late");
        let d = window.push_pending();
        window.set_not_attempted(d, "first");
        window.set_unknown(d, "second");
        window.drain(&mut seen);
        assert_eq!(
            seen.0.last().map(String::as_str),
            Some("NotAttempted first")
        );
        let t = window.tally();
        assert_eq!(
            (t.done, t.already, t.failed, t.not_attempted, t.unknown),
            (1, 1, 1, 1, 0)
        );
    }

    #[test]
    fn finishing_gives_the_inputs_still_waiting_an_unknown_outcome() {
        let mut window = OutcomeWindow::default();
        let mut seen = Seen::default();
        let a = window.push_pending();
        window.push_pending();
        window.set_done(a, None, None);
        window.finish("no answer", &mut seen);
        assert_eq!(seen.0, ["Done ", "Unknown no answer"]);
        assert_eq!(window.tally().unknown, 1);
    }

    #[test]
    fn a_chunk_may_start_while_its_widest_span_still_fits() {
        let mut window = OutcomeWindow::default();
        while window.has_room_for_a_chunk() {
            window.push_pending();
        }
        assert_eq!(window.len(), REORDER_WINDOW - CHUNK_SPAN + 1);
        assert!(window.len() + CHUNK_SPAN <= REORDER_WINDOW + 1);
    }
}
