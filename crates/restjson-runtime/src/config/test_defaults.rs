//! Settings for unit tests of code that uses a client: what `with_test_defaults` sets in the
//! official AWS SDK crates (a fixed idempotency token, a fixed clock, test credentials, the
//! latest behavior version, and for the `_v2` forms a region), so a client built for a test
//! double (aws-smithy-mocks) needs nothing else.

use std::time::{Duration, UNIX_EPOCH};

use aws_credential_types::Credentials;
use aws_smithy_async::time::{SharedTimeSource, StaticTimeSource};

use super::{BehaviorVersion, Builder, Region, SharedCredentialsProvider};
use crate::idempotency::IdempotencyTokenProvider;

impl Builder {
    /// A fixed idempotency token, a clock at 2009-02-13T23:31:30Z, test credentials and the
    /// latest behavior version.
    pub fn apply_test_defaults(&mut self) -> &mut Self {
        self.set_idempotency_token_provider(Some(IdempotencyTokenProvider::fixed(
            "00000000-0000-4000-8000-000000000000",
        )));
        self.set_time_source(Some(SharedTimeSource::new(StaticTimeSource::new(
            UNIX_EPOCH + Duration::from_secs(1_234_567_890),
        ))));
        self.set_credentials_provider(Some(SharedCredentialsProvider::new(Credentials::new(
            "ANOTREAL",
            "notrealrnrELgWzOk3IfjzDKtFBhDby",
            Some("notarealsessiontoken".to_owned()),
            None,
            "test",
        ))));
        self.parts_mut().behavior_version = Some(BehaviorVersion::latest());
        self
    }

    /// [`apply_test_defaults`](Self::apply_test_defaults), and the region `us-east-1` when none
    /// is set.
    pub fn apply_test_defaults_v2(&mut self) -> &mut Self {
        self.apply_test_defaults();
        if self.parts().config.load::<Region>().is_none() {
            self.set_region(Some(Region::new("us-east-1")));
        }
        self
    }
}
