//! One place in the input of a job whose outcomes are handed out as they become final: an input
//! to send, or a place the caller keeps for something it settles itself.

use super::user::NewUser;

/// One place in a job's input.
///
/// A job run with [`send_each`](super::BulkCreateUsers::send_each) hands out one outcome per
/// place, in input order. A caller that interleaves inputs it settles itself (a row an earlier
/// run already created, a row that failed the caller's own checks) with inputs to send gives
/// those a [`Slot::Skip`]: nothing is sent for it, and its turn comes back as `None`, so the
/// caller can put its own outcome there without holding anything in the meantime.
///
/// Anything that converts into a [`NewUser`] converts into [`Slot::Send`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Slot<T> {
    /// Send this input.
    Send(T),
    /// Keep this place in the order; send nothing.
    Skip,
}

impl<T: Into<NewUser>> From<T> for Slot<NewUser> {
    fn from(user: T) -> Self {
        Slot::Send(user.into())
    }
}
