//! Client tokens derived from a chunk's content.
//!
//! The token of a chunk is a hash of the network id and the canonical JSON of every user in the
//! chunk, in order. Running the same import again (after a crash, a lost response or a cancelled
//! job) cuts the same chunks and so sends the same tokens: the service answers a chunk it has
//! already applied with the stored response instead of creating anything twice.

use sha2::{Digest, Sha256};

use super::user::NewUser;

/// Prefix of every token the bulk job sends; it also versions the derivation.
const PREFIX: &str = "bulk1-";
/// Hex characters of the hash kept in a token (224 bits).
const HASH_CHARS: usize = 56;

/// Accumulates the canonical form of a chunk.
#[derive(Clone)]
pub(crate) struct TokenHasher {
    hash: Sha256,
}

impl TokenHasher {
    pub(crate) fn new(network_id: &str) -> Self {
        let mut hash = Sha256::new();
        hash.update(b"BatchCreateUser\n");
        hash.update(network_id.as_bytes());
        hash.update(b"\n");
        Self { hash }
    }

    /// Adds one user, with the security group the job resolved for it.
    pub(crate) fn add(&mut self, user: &NewUser, security_group_ids: &[String]) {
        let canonical = serde_json::json!([
            user.username,
            user.first_name,
            user.last_name,
            security_group_ids,
            user.invite_code,
            user.invite_code_ttl,
            user.code_validation,
        ]);
        self.hash.update(canonical.to_string().as_bytes());
        self.hash.update(b"\n");
    }

    /// The token: matches the model's `ClientToken` pattern `^[a-zA-Z0-9-_:]+$`, at most 64 chars.
    pub(crate) fn finish(self) -> String {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let digest = self.hash.finalize();
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

    fn token(network: &str, users: &[NewUser]) -> String {
        let mut h = TokenHasher::new(network);
        for u in users {
            h.add(u, &["SG1".to_string()]);
        }
        h.finish()
    }

    #[test]
    fn tokens_are_stable_and_content_dependent() {
        let a = NewUser::new("a@example.com").first_name("Ann");
        let b = NewUser::new("b@example.com");
        let t1 = token("12345678", &[a.clone(), b.clone()]);
        assert_eq!(t1, token("12345678", &[a.clone(), b.clone()]));
        assert_ne!(t1, token("12345679", &[a.clone(), b.clone()]));
        assert_ne!(t1, token("12345678", &[b.clone(), a.clone()]));
        assert_ne!(t1, token("12345678", &[a.clone().first_name("Anne"), b]));
        assert!(t1.len() <= 64);
        assert!(t1
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':')));
    }
}
