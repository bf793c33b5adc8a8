//! Finding users by username: ListUsers says whether each one is in the network, and with which
//! id. Used to settle users whose create call got no definitive answer, and to turn the
//! usernames of a delete, suspend or re-invite file into user ids.

use std::collections::{HashMap, HashSet};

use super::progress::CancelToken;
use crate::Client;

/// Up to this many users are looked up one by one (ListUsers filtered by username); more are
/// found in one listing of the whole network, which costs a call per 100 users of the network
/// instead of a call per user.
pub const ONE_BY_ONE_UP_TO: usize = 20;

/// What a look-up found for one username.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found {
    /// The network has the user.
    Present {
        /// The user's id, when the listing gave one.
        user_id: Option<String>,
    },
    /// The network does not have the user.
    Absent,
    /// No user has exactly this username, and one has it but for ASCII case. Whether that is
    /// the user looked for depends on whether the service tells usernames apart by case: it
    /// names the user when an exact one was given to an action, but it does not show that a
    /// create whose answer was lost was applied.
    OtherCase {
        /// Its id, when the listing gave one.
        user_id: Option<String>,
    },
    /// No user has exactly this username, and several have it but for ASCII case: which one is
    /// meant cannot be told.
    Ambiguous {
        /// Their ids (those the listing gave).
        user_ids: Vec<String>,
    },
}

/// The users a listing gave whose username is the one looked for but for ASCII case: `(exact,
/// user id)` each.
#[derive(Default)]
struct Candidates(Vec<(bool, Option<String>)>);

impl Candidates {
    /// The exact match, else the only match but for case.
    fn found(self) -> Found {
        if let Some((_, user_id)) = self.0.iter().find(|(exact, _)| *exact) {
            return Found::Present {
                user_id: user_id.clone(),
            };
        }
        match self.0.len() {
            0 => Found::Absent,
            1 => Found::OtherCase {
                user_id: self.0.into_iter().next().and_then(|(_, id)| id),
            },
            _ => Found::Ambiguous {
                user_ids: self.0.into_iter().filter_map(|(_, id)| id).collect(),
            },
        }
    }
}

/// What the look-ups found, and why they stopped early when they did.
#[derive(Debug, Default)]
pub struct Lookups {
    /// What was found, per username looked up.
    pub found: HashMap<String, Found>,
    /// The error that stopped the look-ups; usernames without a result were not settled.
    pub stopped: Option<String>,
}

/// Looks `usernames` up in the network: one by one up to [`ONE_BY_ONE_UP_TO`] of them, else in
/// one listing of the network. A username matches a user whose username is the same
/// ([`Found::Present`]), else one whose username is the same but for ASCII case
/// ([`Found::OtherCase`] when there is one such user, [`Found::Ambiguous`] when there are
/// several). Stops at the first failed call (the client's
/// own retries spent), or when `cancel` is cancelled (then nothing is settled); the usernames
/// not looked up get no result.
pub async fn find_users(
    client: &Client,
    network_id: &str,
    usernames: &[String],
    cancel: &CancelToken,
) -> Lookups {
    if usernames.is_empty() {
        return Lookups::default();
    }
    tokio::select! {
        lookups = look_up_all(client, network_id, usernames) => lookups,
        _ = cancel.cancelled() => Lookups {
            found: HashMap::new(),
            stopped: Some("interrupted".to_string()),
        },
    }
}

async fn look_up_all(client: &Client, network_id: &str, usernames: &[String]) -> Lookups {
    let mut lookups = Lookups::default();
    if usernames.len() <= ONE_BY_ONE_UP_TO {
        for name in usernames {
            match find_one(client, network_id, name).await {
                Ok(found) => {
                    lookups.found.insert(name.clone(), found);
                }
                Err(e) => {
                    lookups.stopped = Some(e);
                    break;
                }
            }
        }
    } else if let Err(e) = find_all(client, network_id, usernames, &mut lookups.found).await {
        lookups.found.clear();
        lookups.stopped = Some(e);
    }
    lookups
}

/// ListUsers filtered by the username (the service matches parts of names too, so every page is
/// read and the name compared in full).
async fn find_one(client: &Client, network_id: &str, username: &str) -> Result<Found, String> {
    let mut pages = client
        .list_users()
        .network_id(network_id)
        .username(username)
        .max_results(100)
        .into_paginator()
        .send();
    let mut candidates = Candidates::default();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| crate::error::explain(&e))?;
        for user in page.users() {
            match user.username() {
                Some(name) if name.eq_ignore_ascii_case(username) => candidates
                    .0
                    .push((name == username, user.user_id().map(str::to_string))),
                _ => {}
            }
        }
    }
    Ok(candidates.found())
}

/// One listing of the network, keeping only the usernames looked for.
async fn find_all(
    client: &Client,
    network_id: &str,
    usernames: &[String],
    found: &mut HashMap<String, Found>,
) -> Result<(), String> {
    let wanted: HashSet<String> = usernames.iter().map(|n| n.to_ascii_lowercase()).collect();
    // Every listed user whose username some wanted one is, but for case: (username, id).
    let mut by_lower: HashMap<String, Vec<(String, Option<String>)>> = HashMap::new();
    let mut pages = client
        .list_users()
        .network_id(network_id)
        .max_results(100)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| crate::error::explain(&e))?;
        for user in page.users() {
            let Some(name) = user.username() else {
                continue;
            };
            let lower = name.to_ascii_lowercase();
            if wanted.contains(&lower) {
                by_lower
                    .entry(lower)
                    .or_default()
                    .push((name.to_string(), user.user_id().map(str::to_string)));
            }
        }
    }
    for name in usernames {
        let listed = by_lower.get(&name.to_ascii_lowercase());
        let candidates = Candidates(
            listed
                .into_iter()
                .flatten()
                .map(|(listed, id)| (listed == name, id.clone()))
                .collect(),
        );
        found.insert(name.clone(), candidates.found());
    }
    Ok(())
}
