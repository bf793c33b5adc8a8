//! Job ids and the client tokens of a job's chunks.
//!
//! A chunk's token is a hash of the job id, the operation, the network id, the canonical JSON of
//! every item in the chunk (in order), and how many earlier chunks of the job had that same
//! content. So:
//!
//! - every attempt of one chunk carries the same token: a retry after a lost answer gets the
//!   service's stored answer instead of creating anything twice;
//! - a job resumed with its job id (after a crash or an interruption) cuts the same chunks from
//!   the same users and sends the same tokens, so what the first run applied is replayed, not
//!   repeated;
//! - a new job has a new id, so its tokens are new: importing a file again, even within the
//!   service's 24 hours of token memory, is sent and answered afresh, never answered with an
//!   earlier job's stored result.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use crate::types::BatchCreateUserRequestItem;

/// Prefix of every token the bulk job sends; it also versions the derivation.
const PREFIX: &str = "bulk2-";
/// Hex characters of the hash kept in a token (224 bits).
const HASH_CHARS: usize = 56;

/// A new random job id: 32 hex characters (128 bits).
pub fn new_job_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// The canonical content of a chunk: the operation, the network id and each item (a user with
/// the security group the job resolved for it, a user id, ...).
#[derive(Clone)]
pub(crate) struct ContentHasher {
    hash: Sha256,
    /// One item's canonical JSON, written here and then hashed at once (the hash takes one long
    /// update for much less than the many short writes of a serializer).
    item: Vec<u8>,
}

impl ContentHasher {
    pub(crate) fn new(operation: &str, network_id: &str) -> Self {
        let mut hash = Sha256::new();
        hash.update(operation.as_bytes());
        hash.update(b"\n");
        hash.update(network_id.as_bytes());
        hash.update(b"\n");
        Self {
            hash,
            item: Vec::new(),
        }
    }

    /// Adds one item given as canonical JSON.
    pub(crate) fn add_json(&mut self, canonical: &serde_json::Value) {
        self.hash.update(canonical.to_string().as_bytes());
        self.hash.update(b"\n");
    }

    /// Adds one user, with the security group the job resolved for it: its fields as a JSON
    /// array, written straight into the hash.
    pub(crate) fn add(&mut self, user: &BatchCreateUserRequestItem) {
        let canonical = (
            user.username(),
            user.first_name(),
            user.last_name(),
            user.security_group_ids(),
            user.invite_code(),
            user.invite_code_ttl(),
            user.code_validation(),
        );
        self.item.clear();
        // Writing into a vector cannot fail, nor can serializing strings, numbers and booleans.
        let _ = serde_json::to_writer(&mut self.item, &canonical);
        self.item.push(b'\n');
        self.hash.update(&self.item);
    }

    pub(crate) fn finish(self) -> [u8; 32] {
        self.hash.finalize().into()
    }
}

/// Hands out the tokens of one job's chunks.
pub(crate) struct Tokens {
    job_id: String,
    /// Chunks cut so far per content (the first 8 bytes of its hash), so two chunks of equal
    /// content get different tokens. This is the one thing a job keeps for its whole length:
    /// 8 bytes and a count per chunk, about 0.3 MB per million users.
    seen: HashMap<u64, u32>,
}

impl Tokens {
    pub(crate) fn new(job_id: String) -> Self {
        Self {
            job_id,
            seen: HashMap::new(),
        }
    }

    /// The token of the next chunk with this content. Matches the model's `ClientToken` pattern
    /// `^[a-zA-Z0-9-_:]+$` and is at most 64 characters.
    pub(crate) fn next(&mut self, content: [u8; 32]) -> String {
        let mut key = [0u8; 8];
        key.copy_from_slice(&content[..8]);
        let occurrence = self.seen.entry(u64::from_le_bytes(key)).or_insert(0);
        let mut hash = Sha256::new();
        hash.update(self.job_id.as_bytes());
        hash.update(b"\n");
        hash.update(occurrence.to_be_bytes());
        hash.update(content);
        *occurrence += 1;
        let digest = hash.finalize();
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut token = String::with_capacity(PREFIX.len() + HASH_CHARS);
        token.push_str(PREFIX);
        for byte in digest.iter().take(HASH_CHARS / 2) {
            token.push(char::from(HEX[usize::from(byte >> 4)]));
            token.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
        token
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulk::user::NewUser;
    use crate::bulk::validate::prepare;

    fn item(user: NewUser) -> BatchCreateUserRequestItem {
        prepare(user, Some("SG1")).unwrap()
    }

    fn content(network: &str, users: &[NewUser]) -> [u8; 32] {
        let mut h = ContentHasher::new("BatchCreateUser", network);
        for u in users {
            h.add(&item(u.clone()));
        }
        h.finish()
    }

    #[test]
    fn content_depends_on_network_order_and_values() {
        let a = NewUser::new("a@example.com").first_name("Ann");
        let b = NewUser::new("b@example.com");
        let c1 = content("12345678", &[a.clone(), b.clone()]);
        assert_eq!(c1, content("12345678", &[a.clone(), b.clone()]));
        assert_ne!(c1, content("12345679", &[a.clone(), b.clone()]));
        assert_ne!(c1, content("12345678", &[b.clone(), a.clone()]));
        assert_ne!(c1, content("12345678", &[a.first_name("Anne"), b]));
    }

    #[test]
    fn tokens_belong_to_one_job_and_one_occurrence() {
        let chunk = content("12345678", &[NewUser::new("a@example.com")]);
        let mut job = Tokens::new("job-1".into());
        let first = job.next(chunk);
        let second = job.next(chunk);
        assert_ne!(
            first, second,
            "equal chunks within a job get their own tokens"
        );
        // The same job cutting the same chunks again (a resume) sends the same tokens.
        let mut resumed = Tokens::new("job-1".into());
        assert_eq!(resumed.next(chunk), first);
        assert_eq!(resumed.next(chunk), second);
        // Another job never does.
        let mut other = Tokens::new("job-2".into());
        assert_ne!(other.next(chunk), first);
        assert!(first.len() <= 64);
        assert!(first
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':')));
    }

    #[test]
    fn a_user_hashes_as_the_json_array_of_its_fields() {
        // The canonical form is part of the token derivation: a resumed job started by an
        // earlier build must hash users to the same bytes.
        let users = [
            NewUser::new("a@example.com"),
            NewUser::new("q\"uote\\é@example.com")
                .first_name("Zoë")
                .last_name("O'Neil\n")
                .invite_code("CODE")
                .invite_code_ttl(7)
                .code_validation(true),
        ];
        for user in users {
            let groups = vec!["SG1".to_string()];
            let mut direct = ContentHasher::new("BatchCreateUser", "12345678");
            direct.add(&item(user.clone()));
            let mut as_value = ContentHasher::new("BatchCreateUser", "12345678");
            as_value.add_json(&serde_json::json!([
                user.username,
                user.first_name,
                user.last_name,
                groups,
                user.invite_code,
                user.invite_code_ttl,
                user.code_validation,
            ]));
            assert_eq!(direct.finish(), as_value.finish(), "{user:?}");
        }
    }

    #[test]
    fn new_job_ids_differ() {
        let (a, b) = (new_job_id(), new_job_id());
        assert_ne!(a, b);
        assert_eq!(a.len(), 32);
    }
}
