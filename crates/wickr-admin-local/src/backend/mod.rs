//! The service's rules: what each operation does to the emulated state, apart from how
//! requests are read and answers written (that is [`crate::wire`]).
//!
//! A [`Backend`] owns the [`Store`]. Its methods take values the wire layer has already read
//! and checked against the model's shapes, apply the service's rules (a username is unique in
//! its network, a security group must exist, invite fields need a preview network, ...) under
//! the state lock, and return owned records or an [`ApiError`]. Listings page through
//! [`pagination`], one mechanism for all of them.
//!
//! A few methods stand for events that the admin API does not cause but a real network sees,
//! such as a guest user appearing or a user registering a device; tests use them to set up
//! what the API cannot.

mod bots;
mod groups;
mod network_config;
mod networks;
pub mod pagination;
mod users;

pub use bots::{BotChange, BotCounts, BotFilter, NewBot, BOT_SORT_FIELDS};
pub use groups::{GroupInfo, GROUP_SORT_FIELDS, GROUP_USER_SORT_FIELDS};
pub use network_config::{
    OidcConfig, OidcDiscovery, RetentionAction, RetentionBot, BLOCKED_GUEST_SORT_FIELDS,
    GUEST_SORT_FIELDS,
};
pub use networks::{NetworkInfo, NewNetwork, SettingsChange, NETWORK_SORT_FIELDS};
pub use users::{
    BatchCreated, BatchOutcome, Failure, NewUser, UnameLookup, UserChange, UserCounts, UserFilter,
    DEVICE_SORT_FIELDS, USER_SORT_FIELDS,
};

use crate::error::ApiError;
use crate::state::{Network, State, StateGuard, Store};

/// The emulated service.
#[derive(Debug)]
pub struct Backend {
    store: Store,
    preview_networks: bool,
    region: String,
}

impl Backend {
    /// An empty service in `region`; networks created through the API get preview features
    /// when `preview_networks`.
    pub fn new(region: impl Into<String>, preview_networks: bool) -> Self {
        Backend {
            store: Store::default(),
            preview_networks,
            region: region.into(),
        }
    }

    /// A service holding `state` (read from a state file).
    pub fn with_state(
        region: impl Into<String>,
        preview_networks: bool,
        state: crate::state::State,
    ) -> Self {
        Backend {
            store: Store::with_state(state),
            preview_networks,
            region: region.into(),
        }
    }

    /// Whether networks created through the API get preview features.
    pub(crate) fn preview_networks(&self) -> bool {
        self.preview_networks
    }

    /// The state, for seeding.
    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    /// Runs `f` on network `id` under the state lock; `ResourceNotFoundError` when it does not
    /// exist.
    fn with_network<T>(
        &self,
        id: &str,
        f: impl FnOnce(&mut State, &mut Network) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let mut state = self.store.lock();
        let Some(network) = state.networks.remove(id) else {
            return Err(network_not_found());
        };
        // The network goes back into the map when `lent` is dropped, even if `f` panics.
        let mut lent = LentNetwork {
            state,
            id: id.to_owned(),
            network: Some(network),
        };
        let LentNetwork {
            state,
            network: Some(network),
            ..
        } = &mut lent
        else {
            return Err(ApiError::Internal("network state unavailable".to_owned()));
        };
        f(state, network)
    }
}

fn network_not_found() -> ApiError {
    ApiError::NotFound("Network not found".to_owned())
}

/// A network taken out of the state for the length of one call, with the lock held.
struct LentNetwork<'a> {
    state: StateGuard<'a>,
    id: String,
    network: Option<Network>,
}

impl Drop for LentNetwork<'_> {
    fn drop(&mut self) {
        if let Some(network) = self.network.take() {
            self.state
                .networks
                .insert(std::mem::take(&mut self.id), network);
        }
    }
}

/// Whether `value` contains `filter`, ignoring case (list filters); no filter matches all.
fn contains_ignoring_case(value: Option<&str>, filter: Option<&str>) -> bool {
    match filter {
        None => true,
        Some(f) => value.is_some_and(|v| v.to_lowercase().contains(&f.to_lowercase())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_rule_does_not_lose_the_network() {
        let backend = Backend::new("us-east-1", false);
        let demo = crate::demo::seed(&backend);
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _: Result<(), ApiError> =
                backend.with_network(&demo.network_id, |_, _| panic!("rule bug"));
        }));
        assert!(panicked.is_err());
        assert!(backend.store.lock().networks.contains_key(&demo.network_id));
        // And the next call finds it as usual.
        let name = backend.with_network(&demo.network_id, |_, network| Ok(network.name.clone()));
        assert!(name.is_ok());
    }
}
