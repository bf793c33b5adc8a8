//! A chunk: the items sent in one call (up to 50 users), with the token every attempt of that
//! call reuses and what the job learned from its attempts so far.

use super::token::{ContentHasher, Tokens};

/// Most users a batch operation takes in one call.
pub(crate) const MAX_CHUNK: usize = 50;

/// Largest request body the job sends by default: the emulator refuses bodies over 1 MiB with
/// HTTP 413, and the service documents no limit of its own.
pub const DEFAULT_MAX_REQUEST_BYTES: usize = 1 << 20;

/// Bytes of a batch body around its items, e.g. `{"users":[` and `]}`: a bound for every batch
/// operation's list member.
const BODY_FRAME_BYTES: usize = 12;

/// One input on its way to the service.
pub(crate) struct ChunkRow<T> {
    /// Position in the input.
    pub(crate) index: usize,
    /// What is sent for it.
    pub(crate) item: T,
    /// Bytes the item takes in a request body.
    pub(crate) bytes: usize,
}

/// Bytes `value` takes when the client writes it into a request body.
pub(crate) fn json_bytes(value: &serde_json::Value) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    match serde_json::to_writer(&mut count, value) {
        Ok(()) => count.0,
        // Writing to a counter cannot fail; should it, the item is taken as too large to share
        // a call, and is sent alone.
        Err(_) => usize::MAX / 2,
    }
}

/// Bytes of a request body holding users of these sizes.
pub(crate) fn body_bytes(item_sizes: impl Iterator<Item = usize>) -> usize {
    let mut total = BODY_FRAME_BYTES;
    for (i, size) in item_sizes.enumerate() {
        total = total
            .saturating_add(size)
            .saturating_add(usize::from(i > 0));
    }
    total
}

/// The items sent in one call.
pub(crate) struct Chunk<T> {
    /// The job's number for this chunk.
    pub(crate) id: u64,
    pub(crate) rows: Vec<ChunkRow<T>>,
    pub(crate) token: String,
    pub(crate) transient_failures: u32,
    pub(crate) throttled: u32,
    /// Whether an attempt may have reached the service and been applied without the job
    /// learning its answer (a lost answer, a timeout after sending, a server error).
    pub(crate) maybe_applied: bool,
    pub(crate) last_error: String,
}

impl<T> Chunk<T> {
    /// A chunk whose token comes from `content`, which holds the canonical content of `rows`.
    pub(crate) fn new(
        id: u64,
        tokens: &mut Tokens,
        content: ContentHasher,
        rows: Vec<ChunkRow<T>>,
    ) -> Self {
        Self {
            id,
            token: tokens.next(content.finish()),
            rows,
            transient_failures: 0,
            throttled: 0,
            maybe_applied: false,
            last_error: String::new(),
        }
    }

    /// Bytes of this chunk's request body.
    pub(crate) fn body_bytes(&self) -> usize {
        body_bytes(self.rows.iter().map(|r| r.bytes))
    }

    /// Attempts made so far.
    pub(crate) fn attempts(&self) -> u32 {
        self.transient_failures + self.throttled
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::types::BatchCreateUserRequestItem;

    #[test]
    fn body_size_is_what_the_client_sends() {
        let all_bytes: String = (0u8..0x80).map(char::from).collect();
        let items: Vec<BatchCreateUserRequestItem> = [
            ("a@example.com", Some("Zoë"), None, None, None),
            (
                "b\"q\\@example.com",
                None,
                Some("O'Neil\t\n"),
                Some(-7),
                Some(false),
            ),
            (
                all_bytes.as_str(),
                Some("日本\u{1}"),
                Some("x"),
                Some(123_456),
                Some(true),
            ),
        ]
        .iter()
        .map(|(name, first, last, ttl, validation)| {
            let mut item = BatchCreateUserRequestItem::builder()
                .username(*name)
                .set_first_name(first.map(str::to_string))
                .set_last_name(last.map(str::to_string))
                .security_group_ids("SG1")
                .set_invite_code_ttl(*ttl)
                .set_code_validation(*validation);
            if ttl.is_some() {
                item = item.invite_code("CODE\u{7f}").security_group_ids("SG\"2");
            }
            item.build().unwrap()
        })
        .collect();
        let input = crate::operation::batch_create_user::BatchCreateUserInput::builder()
            .network_id("12345678")
            .set_users(Some(items.clone()))
            .build()
            .unwrap();
        let sent = crate::protocol::json_body(&input).unwrap();
        assert_eq!(
            body_bytes(items.iter().map(crate::bulk::create::item_bytes)),
            sent.len()
        );
        for item in &items {
            let alone = crate::operation::batch_create_user::BatchCreateUserInput::builder()
                .network_id("12345678")
                .users(item.clone())
                .build()
                .unwrap();
            let sent = crate::protocol::json_body(&alone).unwrap();
            assert_eq!(
                body_bytes(std::iter::once(crate::bulk::create::item_bytes(item))),
                sent.len()
            );
        }
    }
}
