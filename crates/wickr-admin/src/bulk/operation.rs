//! What a bulk job needs to know about the batch operation it runs: how an input becomes an item
//! of a call, what identifies an item within a call, the item's canonical content (for client
//! tokens) and size, how to send one call, and how to read its answer into per-item outcomes.
//! The engine (`engine.rs`) runs any such operation with the same guarantees.

use std::future::Future;

use super::chunk::ChunkRow;
use super::classify::AttemptError;
use super::token::ContentHasher;
use super::window::OutcomeWindow;
use crate::Client;

/// Why an input cannot be sent: `(field, reason)`.
pub(crate) type Rejection = (String, String);

/// A batch operation with per-item outcomes, as a bulk job runs it.
pub(crate) trait BatchOperation: Send + Sync + 'static {
    /// What the job's input yields.
    type Input;
    /// What one input becomes in a call.
    type Item: Send + Sync + 'static;
    /// The answer to one call.
    type Output: Send + 'static;

    /// The operation's name (with anything that changes what a call does, like `suspend=true`),
    /// which sets its client tokens apart from other operations'.
    fn name(&self) -> &'static str;
    /// Most items one call takes.
    const MAX_ITEMS: usize;

    /// Builds the item of one input, or says why it cannot be sent.
    fn prepare(&self, input: Self::Input) -> Result<Self::Item, Rejection>;

    /// What identifies the item within one call; an item whose key repeats one already in the
    /// chunk starts the next chunk.
    fn key<'a>(&self, item: &'a Self::Item) -> &'a str;

    /// Adds the item's canonical content to a chunk's token content.
    fn canonical(&self, item: &Self::Item, content: &mut ContentHasher);

    /// Bytes the item takes in a request body.
    fn bytes(&self, item: &Self::Item) -> usize;

    /// Which item of a call a field path the client's checks named belongs to, and the field
    /// within it (`users[3].username`: item 3, `username`).
    fn locate(path: &str) -> Option<(usize, String)>;

    /// Sends one attempt of a call carrying `rows` with client token `token`.
    fn call<'a>(
        &'a self,
        client: &'a Client,
        network_id: &'a str,
        rows: &'a [ChunkRow<Self::Item>],
        token: &'a str,
    ) -> impl Future<Output = Result<Self::Output, AttemptError>> + Send + 'a;

    /// Records the answer to a call as one outcome per row. The answer is the record's to take
    /// from: what the outcomes keep of it (a created user's id) is moved, not copied.
    /// `earlier_may_have_applied` says that an earlier attempt of the chunk may have been applied
    /// without its answer arriving, so what this answer counts may not be all the job did.
    fn record(
        &self,
        record: &mut OutcomeWindow,
        rows: &[ChunkRow<Self::Item>],
        output: Self::Output,
        earlier_may_have_applied: bool,
    );
}
