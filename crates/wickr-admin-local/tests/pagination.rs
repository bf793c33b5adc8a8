//! Paging through every paginated operation whose items the admin API creates and deletes,
//! while it does: users created between two pages, or the users of the first page deleted
//! before the second, never make an item that existed throughout appear twice or go missing.

mod common;

use aws_sdk_wickr::types::{
    AccessLevel, BatchCreateUserRequestItem, SecurityGroupSettingsRequest, SortDirection,
};
use aws_sdk_wickr::Client;
use common::paging::{check, Listing, Page, PAGE, START};
use common::{sdk_client, start, start_demo};
use wickr_admin_local::{Emulator, RunningEmulator, DEMO_GROUP_ID, DEMO_NETWORK_ID};

fn user(name: &str, group: &str) -> BatchCreateUserRequestItem {
    BatchCreateUserRequestItem::builder()
        .username(name)
        .security_group_ids(group)
        .build()
        .unwrap()
}

async fn create_users(client: &Client, group: &str, names: Vec<String>) {
    let mut call = client.batch_create_user().network_id(DEMO_NETWORK_ID);
    for name in &names {
        call = call.users(user(name, group));
    }
    let out = call.send().await.unwrap();
    assert_eq!(out.successful().len(), names.len(), "{:?}", out.failed());
}

async fn delete_users(client: &Client, ids: &[String]) {
    let mut call = client.batch_delete_user().network_id(DEMO_NETWORK_ID);
    for id in ids {
        call = call.user_ids(id);
    }
    let out = call.send().await.unwrap();
    assert_eq!(out.successful().len(), ids.len());
}

struct Users {
    client: Client,
    sorted_by_username: bool,
}

impl Users {
    /// Usernames that interleave between rounds when sorted: round 0 takes even numbers,
    /// later rounds odd ones.
    fn names(round: usize, count: usize) -> Vec<String> {
        (0..count)
            .map(|i| {
                format!(
                    "user{:03}-{round}@example.com",
                    2 * i + usize::from(round > 0)
                )
            })
            .collect()
    }
}

impl Listing for Users {
    fn name(&self) -> String {
        format!(
            "ListUsers (sorted by username: {})",
            self.sorted_by_username
        )
    }
    async fn page(&self, token: Option<String>) -> Page {
        let mut call = self
            .client
            .list_users()
            .network_id(DEMO_NETWORK_ID)
            .max_results(PAGE)
            .set_next_token(token);
        if self.sorted_by_username {
            call = call
                .sort_fields("username")
                .sort_direction(SortDirection::Asc);
        }
        let out = call.send().await.unwrap();
        let ids = out
            .users()
            .iter()
            .filter_map(|u| u.user_id())
            .map(str::to_owned)
            .collect();
        (ids, out.next_token().map(str::to_owned))
    }
    async fn create(&self, round: usize, count: usize) {
        create_users(&self.client, DEMO_GROUP_ID, Self::names(round, count)).await;
    }
    async fn delete(&self, ids: &[String]) {
        delete_users(&self.client, ids).await;
    }
}

async fn users(sorted_by_username: bool) -> (RunningEmulator, Users) {
    let emulator = start_demo().await;
    let listing = Users {
        client: sdk_client(&emulator),
        sorted_by_username,
    };
    listing.create(0, START).await;
    (emulator, listing)
}

#[tokio::test]
async fn list_users_newest_first() {
    check(|| users(false)).await;
}

#[tokio::test]
async fn list_users_sorted_by_username() {
    check(|| users(true)).await;
}

struct GroupUsers {
    client: Client,
    group: String,
}

impl Listing for GroupUsers {
    fn name(&self) -> String {
        "ListSecurityGroupUsers".to_owned()
    }
    async fn page(&self, token: Option<String>) -> Page {
        let out = self
            .client
            .list_security_group_users()
            .network_id(DEMO_NETWORK_ID)
            .group_id(&self.group)
            .max_results(PAGE)
            .set_next_token(token)
            .send()
            .await
            .unwrap();
        let ids = out
            .users()
            .iter()
            .filter_map(|u| u.user_id())
            .map(str::to_owned)
            .collect();
        (ids, out.next_token().map(str::to_owned))
    }
    async fn create(&self, round: usize, count: usize) {
        create_users(&self.client, &self.group, Users::names(round, count)).await;
    }
    async fn delete(&self, ids: &[String]) {
        delete_users(&self.client, ids).await;
    }
}

#[tokio::test]
async fn list_security_group_users() {
    check(|| async {
        let emulator = start_demo().await;
        let client = sdk_client(&emulator);
        let group = client
            .create_security_group()
            .network_id(DEMO_NETWORK_ID)
            .name("paged")
            .security_group_settings(SecurityGroupSettingsRequest::builder().build())
            .send()
            .await
            .unwrap()
            .security_group()
            .map(|g| g.id().to_owned())
            .unwrap();
        let listing = GroupUsers { client, group };
        listing.create(0, START).await;
        (emulator, listing)
    })
    .await;
}

struct Bots(Client);

impl Listing for Bots {
    fn name(&self) -> String {
        "ListBots".to_owned()
    }
    async fn page(&self, token: Option<String>) -> Page {
        let out = self
            .0
            .list_bots()
            .network_id(DEMO_NETWORK_ID)
            .max_results(PAGE)
            .set_next_token(token)
            .send()
            .await
            .unwrap();
        let ids = out
            .bots()
            .iter()
            .filter_map(|b| b.bot_id())
            .map(str::to_owned)
            .collect();
        (ids, out.next_token().map(str::to_owned))
    }
    async fn create(&self, round: usize, count: usize) {
        for i in 0..count {
            self.0
                .create_bot()
                .network_id(DEMO_NETWORK_ID)
                .username(format!("paged{round}x{i}bot"))
                .group_id(DEMO_GROUP_ID)
                .challenge("secret")
                .send()
                .await
                .unwrap();
        }
    }
    async fn delete(&self, ids: &[String]) {
        for id in ids {
            self.0
                .delete_bot()
                .network_id(DEMO_NETWORK_ID)
                .bot_id(id)
                .send()
                .await
                .unwrap();
        }
    }
}

#[tokio::test]
async fn list_bots() {
    check(|| async {
        let emulator = start_demo().await;
        let listing = Bots(sdk_client(&emulator));
        listing.create(0, START).await;
        (emulator, listing)
    })
    .await;
}

struct Groups(Client);

impl Listing for Groups {
    fn name(&self) -> String {
        "ListSecurityGroups".to_owned()
    }
    async fn page(&self, token: Option<String>) -> Page {
        let out = self
            .0
            .list_security_groups()
            .network_id(DEMO_NETWORK_ID)
            .max_results(PAGE)
            .set_next_token(token)
            .send()
            .await
            .unwrap();
        let ids = out
            .security_groups()
            .iter()
            .map(|g| g.id().to_owned())
            .collect();
        (ids, out.next_token().map(str::to_owned))
    }
    async fn create(&self, round: usize, count: usize) {
        for i in 0..count {
            self.0
                .create_security_group()
                .network_id(DEMO_NETWORK_ID)
                .name(format!("group {round}-{i}"))
                .security_group_settings(SecurityGroupSettingsRequest::builder().build())
                .send()
                .await
                .unwrap();
        }
    }
    async fn delete(&self, ids: &[String]) {
        for id in ids {
            let r = self
                .0
                .delete_security_group()
                .network_id(DEMO_NETWORK_ID)
                .group_id(id)
                .send()
                .await;
            // The default group sorts first and cannot be deleted: the one refusal expected.
            if id != DEMO_GROUP_ID {
                r.unwrap();
            }
        }
    }
}

#[tokio::test]
async fn list_security_groups() {
    check(|| async {
        let emulator = start_demo().await;
        let listing = Groups(sdk_client(&emulator));
        listing.create(0, START).await;
        (emulator, listing)
    })
    .await;
}

struct Networks(Client);

impl Listing for Networks {
    fn name(&self) -> String {
        "ListNetworks".to_owned()
    }
    async fn page(&self, token: Option<String>) -> Page {
        let out = self
            .0
            .list_networks()
            .max_results(PAGE)
            .set_next_token(token)
            .send()
            .await
            .unwrap();
        let ids = out
            .networks()
            .iter()
            .map(|n| n.network_id().to_owned())
            .collect();
        (ids, out.next_token().map(str::to_owned))
    }
    async fn create(&self, round: usize, count: usize) {
        for i in 0..count {
            self.0
                .create_network()
                .network_name(format!("net {round}-{i}"))
                .access_level(AccessLevel::Standard)
                .send()
                .await
                .unwrap();
        }
    }
    async fn delete(&self, ids: &[String]) {
        for id in ids {
            self.0.delete_network().network_id(id).send().await.unwrap();
        }
    }
}

#[tokio::test]
async fn list_networks() {
    check(|| async {
        let emulator = start(Emulator::builder()).await;
        let listing = Networks(sdk_client(&emulator));
        listing.create(0, START).await;
        (emulator, listing)
    })
    .await;
}
