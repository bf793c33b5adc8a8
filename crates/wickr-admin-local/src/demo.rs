//! The demo network created by `--seed` / `seed_demo_network(true)`.
//!
//! Network `12345678` ("Demo Network", PREMIUM, preview features on) with its default security
//! group `BCTY8Qhe`, one active administrator `admin@example.com` with two devices, two guest
//! users and six months of guest history.

use crate::backend::Backend;
use crate::state::{now_secs, Device, GuestUser, Network, User};

/// Id of the demo network.
pub const DEMO_NETWORK_ID: &str = "12345678";
/// Id of the demo network's security group.
pub const DEMO_GROUP_ID: &str = "BCTY8Qhe";

/// Ids in the demo network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoNetwork {
    /// Network id.
    pub network_id: String,
    /// Security group id.
    pub security_group_id: String,
    /// User id of the seeded administrator.
    pub admin_user_id: String,
}

/// The demo network's ids in a state read from a file, when it holds the demo network. A stored
/// network with the demo network's id is the demo network, whatever became of its groups since:
/// seeding again would replace it and its users.
pub(crate) fn find(backend: &Backend) -> Option<DemoNetwork> {
    let state = backend.store().lock();
    let network = state.networks.get(DEMO_NETWORK_ID)?;
    let admin_user_id = network
        .usernames
        .get("admin@example.com")
        .map(u64::to_string)
        .unwrap_or_default();
    Some(DemoNetwork {
        network_id: DEMO_NETWORK_ID.to_owned(),
        security_group_id: DEMO_GROUP_ID.to_owned(),
        admin_user_id,
    })
}

pub(crate) fn seed(backend: &Backend) -> DemoNetwork {
    let mut state = backend.store().lock();
    let seq = state.next_seq();
    let mut n = Network::new(
        DEMO_NETWORK_ID.to_owned(),
        "Demo Network".to_owned(),
        "PREMIUM".to_owned(),
        seq,
        DEMO_GROUP_ID.to_owned(),
    );
    n.preview = true;
    let now = now_secs();
    let admin_id = state.new_user_id();
    let devices = vec![
        Device {
            app_id: state.new_hex64(),
            kind: "desktop".to_owned(),
            created: "January 15th 2024, 2:30:45 pm".to_owned(),
            last_login: "January 20th 2024, 9:15:30 am".to_owned(),
            suspended: false,
        },
        Device {
            app_id: state.new_hex64(),
            kind: "mobile".to_owned(),
            created: "December 10th 2023, 11:45:20 am".to_owned(),
            last_login: "January 18th 2024, 4:20:15 pm".to_owned(),
            suspended: false,
        },
    ];
    let admin = User {
        id: admin_id,
        username: "admin@example.com".to_owned(),
        first_name: Some("Demo".to_owned()),
        last_name: Some("Admin".to_owned()),
        security_groups: vec![DEMO_GROUP_ID.to_owned()],
        is_admin: true,
        suspended: false,
        status: 2,
        invite_code: state.new_invite_code(),
        invite_expiration: now,
        code_validation: false,
        uname: state.new_uname(),
        devices,
        modified: now,
        last_login: Some(now),
    };
    n.insert_user(admin);
    for (name, period) in [
        ("guest1@example.com", "2024-01"),
        ("guest2@example.com", "2023-12"),
    ] {
        let hash = state.new_hex64();
        n.guests.push(GuestUser {
            username: name.to_owned(),
            username_hash: hash,
            billing_period: period.to_owned(),
        });
    }
    n.guest_history = [
        ("2024_01", 32),
        ("2023_12", 28),
        ("2023_11", 35),
        ("2023_10", 22),
        ("2023_09", 18),
        ("2023_08", 15),
    ]
    .iter()
    .map(|(m, c)| ((*m).to_owned(), *c))
    .collect();
    state.networks.insert(DEMO_NETWORK_ID.to_owned(), n);
    DemoNetwork {
        network_id: DEMO_NETWORK_ID.to_owned(),
        security_group_id: DEMO_GROUP_ID.to_owned(),
        admin_user_id: admin_id.to_string(),
    }
}
