//! Paging through the listings whose items come from outside the admin API (devices register
//! from clients, guest users from federation; the emulator's backend stands in for both) while
//! they change: the same guarantee as for the other listings.

mod common;

use aws_sdk_wickr::Client;
use common::paging::{creating_between_pages, deleting_the_first_page, Listing, Page, PAGE, START};
use common::{sdk_client, start_demo};
use wickr_admin_local::{RunningEmulator, DEMO_NETWORK_ID};

/// Devices of the demo administrator; the admin API removes devices but only clients add
/// them, so new ones come through the backend.
struct Devices<'a> {
    emulator: &'a RunningEmulator,
    client: Client,
    user_id: String,
}

impl Listing for Devices<'_> {
    fn name(&self) -> String {
        "ListDevicesForUser".to_owned()
    }
    async fn page(&self, token: Option<String>) -> Page {
        let out = self
            .client
            .list_devices_for_user()
            .network_id(DEMO_NETWORK_ID)
            .user_id(&self.user_id)
            .max_results(PAGE)
            .set_next_token(token)
            .send()
            .await
            .unwrap();
        let ids = out
            .devices()
            .iter()
            .filter_map(|d| d.app_id())
            .map(str::to_owned)
            .collect();
        (ids, out.next_token().map(str::to_owned))
    }
    async fn create(&self, _round: usize, count: usize) {
        let user_id: u64 = self.user_id.parse().unwrap();
        for _ in 0..count {
            self.emulator
                .backend()
                .register_device(DEMO_NETWORK_ID, user_id, "mobile")
                .unwrap();
        }
    }
    async fn delete(&self, ids: &[String]) {
        let out = self
            .client
            .batch_reset_devices_for_user()
            .network_id(DEMO_NETWORK_ID)
            .user_id(&self.user_id)
            .set_app_ids(Some(ids.to_vec()))
            .send()
            .await
            .unwrap();
        assert_eq!(out.successful().len(), ids.len());
    }
}

#[tokio::test]
async fn list_devices_for_user() {
    for scenario in 0..2 {
        let emulator = start_demo().await;
        let listing = Devices {
            emulator: &emulator,
            client: sdk_client(&emulator),
            user_id: emulator.demo_network().unwrap().admin_user_id.clone(),
        };
        listing.create(0, START).await;
        if scenario == 0 {
            creating_between_pages(&listing).await;
        } else {
            deleting_the_first_page(&listing).await;
        }
    }
}

/// Guest users come from federation, not from the admin API: they are added and aged out
/// through the backend.
struct Guests<'a> {
    emulator: &'a RunningEmulator,
    client: Client,
}

impl Listing for Guests<'_> {
    fn name(&self) -> String {
        "ListGuestUsers".to_owned()
    }
    async fn page(&self, token: Option<String>) -> Page {
        let out = self
            .client
            .list_guest_users()
            .network_id(DEMO_NETWORK_ID)
            .max_results(PAGE)
            .set_next_token(token)
            .send()
            .await
            .unwrap();
        let ids = out
            .guestlist()
            .iter()
            .map(|g| g.username_hash().to_owned())
            .collect();
        (ids, out.next_token().map(str::to_owned))
    }
    async fn create(&self, round: usize, count: usize) {
        for i in 0..count {
            self.emulator
                .backend()
                .record_guest_user(
                    DEMO_NETWORK_ID,
                    &format!("guest{round}-{i}@example.org"),
                    "2024-02",
                )
                .unwrap();
        }
    }
    async fn delete(&self, ids: &[String]) {
        for id in ids {
            self.emulator
                .backend()
                .forget_guest_user(DEMO_NETWORK_ID, id)
                .unwrap();
        }
    }
}

#[tokio::test]
async fn list_guest_users() {
    for scenario in 0..2 {
        let emulator = start_demo().await;
        let listing = Guests {
            emulator: &emulator,
            client: sdk_client(&emulator),
        };
        listing.create(0, START).await;
        if scenario == 0 {
            creating_between_pages(&listing).await;
        } else {
            deleting_the_first_page(&listing).await;
        }
    }
}

/// Blocked guests: guests come through the backend, blocking and unblocking through the API.
struct Blocked<'a> {
    guests: Guests<'a>,
}

impl Listing for Blocked<'_> {
    fn name(&self) -> String {
        "ListBlockedGuestUsers".to_owned()
    }
    async fn page(&self, token: Option<String>) -> Page {
        let out = self
            .guests
            .client
            .list_blocked_guest_users()
            .network_id(DEMO_NETWORK_ID)
            .max_results(PAGE)
            .set_next_token(token)
            .send()
            .await
            .unwrap();
        let ids = out
            .blocklist()
            .iter()
            .map(|b| b.username_hash().to_owned())
            .collect();
        (ids, out.next_token().map(str::to_owned))
    }
    async fn create(&self, round: usize, count: usize) {
        let backend = self.guests.emulator.backend();
        for i in 0..count {
            let hash = backend
                .record_guest_user(
                    DEMO_NETWORK_ID,
                    &format!("blocked{round}-{i}@example.org"),
                    "2024-02",
                )
                .unwrap();
            self.set_blocked(&hash, true).await;
        }
    }
    async fn delete(&self, ids: &[String]) {
        for id in ids {
            self.set_blocked(id, false).await;
        }
    }
}

impl Blocked<'_> {
    async fn set_blocked(&self, hash: &str, block: bool) {
        self.guests
            .client
            .update_guest_user()
            .network_id(DEMO_NETWORK_ID)
            .username_hash(hash)
            .block(block)
            .send()
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn list_blocked_guest_users() {
    for scenario in 0..2 {
        let emulator = start_demo().await;
        let listing = Blocked {
            guests: Guests {
                emulator: &emulator,
                client: sdk_client(&emulator),
            },
        };
        listing.create(0, START).await;
        if scenario == 0 {
            creating_between_pages(&listing).await;
        } else {
            deleting_the_first_page(&listing).await;
        }
    }
}
