//! Idempotency tokens for operations with an `@idempotencyToken` member (the `X-Client-Token`
//! header of BatchCreateUser and friends).
//!
//! The runtime fills an empty token once per logical call, before the first attempt, so every
//! retry of that call carries the same value and the service can recognise it as a repeat.

use std::fmt;
use std::sync::{Arc, Mutex};

/// Produces idempotency tokens.
///
/// The default draws random UUID v4 strings. Tests can pin the value with
/// [`IdempotencyTokenProvider::fixed`] or make the sequence reproducible with
/// [`IdempotencyTokenProvider::seeded`].
#[derive(Clone)]
pub struct IdempotencyTokenProvider {
    source: TokenSource,
}

#[derive(Clone)]
enum TokenSource {
    Random,
    Fixed(Arc<str>),
    Seeded(Arc<Mutex<fastrand::Rng>>),
}

impl IdempotencyTokenProvider {
    /// Random UUID v4 tokens (the default).
    pub fn random() -> Self {
        Self {
            source: TokenSource::Random,
        }
    }

    /// Always the same token. Useful in tests; in production it makes every call a repeat of the
    /// first one.
    pub fn fixed(token: impl Into<String>) -> Self {
        Self {
            source: TokenSource::Fixed(Arc::from(token.into())),
        }
    }

    /// UUID v4 shaped tokens drawn from a pseudo-random generator started from `seed`, so a test
    /// sees the same sequence on every run.
    pub fn seeded(seed: u64) -> Self {
        Self {
            source: TokenSource::Seeded(Arc::new(Mutex::new(fastrand::Rng::with_seed(seed)))),
        }
    }

    /// Returns the next token.
    pub fn make_token(&self) -> String {
        match &self.source {
            TokenSource::Random => uuid::Uuid::new_v4().to_string(),
            TokenSource::Fixed(token) => token.to_string(),
            TokenSource::Seeded(rng) => {
                let mut bytes = [0u8; 16];
                // A poisoned lock only means another thread panicked mid-draw; the generator
                // state is still usable.
                let mut rng = rng.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                rng.fill(&mut bytes);
                uuid::Builder::from_random_bytes(bytes)
                    .into_uuid()
                    .to_string()
            }
        }
    }
}

impl aws_smithy_types::config_bag::Storable for IdempotencyTokenProvider {
    type Storer = aws_smithy_types::config_bag::StoreReplace<Self>;
}

impl Default for IdempotencyTokenProvider {
    fn default() -> Self {
        Self::random()
    }
}

impl fmt::Debug for IdempotencyTokenProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match &self.source {
            TokenSource::Random => "random",
            TokenSource::Fixed(_) => "fixed",
            TokenSource::Seeded(_) => "seeded",
        };
        f.debug_struct("IdempotencyTokenProvider")
            .field("kind", &kind)
            .finish()
    }
}

impl From<&'static str> for IdempotencyTokenProvider {
    fn from(token: &'static str) -> Self {
        Self::fixed(token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_sequences_repeat_and_look_like_uuids() {
        let a = IdempotencyTokenProvider::seeded(7);
        let b = IdempotencyTokenProvider::seeded(7);
        let first = a.make_token();
        assert_eq!(first, b.make_token());
        assert_ne!(first, a.make_token());
        let parsed = uuid::Uuid::parse_str(&first).map(|u| u.get_version_num());
        assert_eq!(parsed.ok(), Some(4));
    }

    #[test]
    fn fixed_token_never_changes() {
        let p = IdempotencyTokenProvider::fixed("tok-1");
        assert_eq!(p.make_token(), "tok-1");
        assert_eq!(p.make_token(), "tok-1");
    }
}
