//! The sync plan: what to change so the network holds the users of the file, computed from the
//! file's rows and the network's users without sending anything.
//!
//! What counts as the same and as different:
//!
//! - **Usernames** match ignoring ASCII case and surrounding whitespace (`Alice@Example.com ` is
//!   `alice@example.com`): such a row is that user, never a second one, and sync never changes
//!   a username.
//! - **Names** are compared after trimming surrounding whitespace on both sides; any other
//!   difference, case included, is a change. An empty cell leaves the network's value as it is.
//! - **Security groups:** a user is unchanged when it is in exactly the row's group (or the
//!   `--security-group-id` default). A user whose group no longer exists in the network is moved
//!   to the row's group like any other difference, and the plan says the old group is gone.
//! - **Repeated usernames** in the file (ignoring case) make the plan ambiguous: they are input
//!   problems, and nothing is planned.
//! - **Users not in the file** are left alone unless `--suspend-missing` or `--delete-missing`;
//!   administrators are never suspended or deleted by sync, and a user already suspended is not
//!   suspended again.

use std::collections::{HashMap, HashSet};

use crate::input::Row;

/// What sync knows of a network user.
#[derive(Clone, Debug, Default)]
pub struct NetworkUser {
    pub user_id: String,
    pub username: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub security_groups: Vec<String>,
    pub suspended: bool,
    pub is_admin: bool,
}

/// What to do with users in the network but not in the file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MissingPolicy {
    #[default]
    Leave,
    Suspend,
    Delete,
}

/// A change to one field of a user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    FirstName,
    LastName,
    /// Moves the user from these groups (some perhaps gone from the network) to this one.
    SecurityGroup {
        from: Vec<String>,
        to: String,
        gone: Vec<String>,
    },
}

impl Change {
    pub fn field(&self) -> &'static str {
        match self {
            Change::FirstName => "firstName",
            Change::LastName => "lastName",
            Change::SecurityGroup { .. } => "securityGroupId",
        }
    }
}

/// What the plan does with one row of the file.
#[derive(Clone, Debug)]
pub enum RowPlan {
    Create,
    Update {
        user_id: String,
        changes: Vec<Change>,
    },
    Unchanged {
        user_id: String,
    },
}

/// What the plan does with one network user the file does not name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MissingAction {
    Leave,
    Suspend,
    Delete,
}

impl MissingAction {
    pub fn as_str(self) -> &'static str {
        match self {
            MissingAction::Leave => "leave",
            MissingAction::Suspend => "suspend",
            MissingAction::Delete => "delete",
        }
    }
}

/// A network user the file does not name.
#[derive(Clone, Debug)]
pub struct Missing {
    pub user: NetworkUser,
    pub action: MissingAction,
    /// Why the action is not the policy's, when it is not.
    pub note: Option<String>,
}

/// The plan: one entry per valid row (in file order), and the network's other users.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    pub rows: Vec<(Row, RowPlan)>,
    pub missing: Vec<Missing>,
}

impl Plan {
    pub fn creates(&self) -> usize {
        self.rows
            .iter()
            .filter(|(_, p)| matches!(p, RowPlan::Create))
            .count()
    }

    pub fn updates(&self) -> usize {
        self.rows
            .iter()
            .filter(|(_, p)| matches!(p, RowPlan::Update { .. }))
            .count()
    }

    pub fn unchanged(&self) -> usize {
        self.rows
            .iter()
            .filter(|(_, p)| matches!(p, RowPlan::Unchanged { .. }))
            .count()
    }

    pub fn count_missing(&self, action: MissingAction) -> usize {
        self.missing.iter().filter(|m| m.action == action).count()
    }
}

pub use crate::input::username_key;

fn differs(wanted: Option<&str>, current: Option<&str>) -> bool {
    match wanted.map(str::trim) {
        None | Some("") => false,
        Some(wanted) => current.map(str::trim) != Some(wanted),
    }
}

/// Rows that name no network user exactly, while several network users have their username but
/// for case or spaces: which one the row means cannot be told, and choosing would update one
/// and leave the others to the missing-user policy (a deletion, with --delete-missing).
pub fn ambiguous_rows(rows: &[Row], network: &[NetworkUser]) -> Vec<crate::input::Problem> {
    let mut exact: HashSet<&str> = HashSet::with_capacity(network.len());
    let mut by_key: HashMap<String, Vec<&str>> = HashMap::with_capacity(network.len());
    for user in network {
        exact.insert(user.username.trim());
        by_key
            .entry(username_key(&user.username))
            .or_default()
            .push(&user.user_id);
    }
    rows.iter()
        .filter(|row| !exact.contains(row.username.trim()))
        .filter_map(|row| {
            let ids = by_key.get(&username_key(&row.username))?;
            (ids.len() > 1).then(|| {
                crate::input::Problem::new(
                    row.line,
                    "username",
                    format!(
                        "the network has {} users with this username but for case or spaces \
                         (user ids {}) and none written exactly so: name one of them exactly",
                        ids.len(),
                        ids.join(", ")
                    ),
                )
            })
        })
        .collect()
}

/// Computes the plan. `rows` are the file's valid rows, their security group filled from the
/// default; `groups` are the network's security group ids. A network user whose username the
/// file names (but for case or spaces) is never a missing user, even when the row matched
/// another user of that name.
pub fn plan(
    rows: Vec<Row>,
    network: Vec<NetworkUser>,
    groups: &HashSet<String>,
    policy: MissingPolicy,
) -> Plan {
    let mut exact: HashMap<String, usize> = HashMap::with_capacity(network.len());
    let mut by_key: HashMap<String, usize> = HashMap::with_capacity(network.len());
    for (i, user) in network.iter().enumerate() {
        exact.entry(user.username.trim().to_string()).or_insert(i);
        // An exact match wins over one that differs only in case.
        let key = username_key(&user.username);
        match by_key.get(&key) {
            Some(&j) if network[j].username.trim() == user.username.trim() => {}
            _ => {
                by_key.insert(key, i);
            }
        }
    }
    let mut named = vec![false; network.len()];
    let keys_named: HashSet<String> = rows.iter().map(|row| username_key(&row.username)).collect();
    for (user, named) in network.iter().zip(named.iter_mut()) {
        *named = keys_named.contains(&username_key(&user.username));
    }
    let mut planned = Vec::with_capacity(rows.len());
    for row in rows {
        let found = exact
            .get(row.username.trim())
            .or_else(|| by_key.get(&username_key(&row.username)))
            .copied();
        let Some(i) = found else {
            planned.push((row, RowPlan::Create));
            continue;
        };
        named[i] = true;
        let user = &network[i];
        let mut changes = Vec::new();
        if differs(row.first_name.as_deref(), user.first_name.as_deref()) {
            changes.push(Change::FirstName);
        }
        if differs(row.last_name.as_deref(), user.last_name.as_deref()) {
            changes.push(Change::LastName);
        }
        if let Some(group) = row.security_group_id.as_deref().map(str::trim) {
            if user.security_groups.len() != 1 || user.security_groups[0] != group {
                let gone = user
                    .security_groups
                    .iter()
                    .filter(|g| !groups.contains(*g))
                    .cloned()
                    .collect();
                changes.push(Change::SecurityGroup {
                    from: user.security_groups.clone(),
                    to: group.to_string(),
                    gone,
                });
            }
        }
        let user_id = user.user_id.clone();
        let plan = if changes.is_empty() {
            RowPlan::Unchanged { user_id }
        } else {
            RowPlan::Update { user_id, changes }
        };
        planned.push((row, plan));
    }
    let missing = network
        .into_iter()
        .zip(named)
        .filter(|(_, named)| !named)
        .map(|(user, _)| missing(user, policy))
        .collect();
    Plan {
        rows: planned,
        missing,
    }
}

fn missing(user: NetworkUser, policy: MissingPolicy) -> Missing {
    let (action, note) = match policy {
        MissingPolicy::Leave => (MissingAction::Leave, None),
        _ if user.is_admin => (
            MissingAction::Leave,
            Some("an administrator: sync never suspends or deletes one".to_string()),
        ),
        MissingPolicy::Suspend if user.suspended => {
            (MissingAction::Leave, Some("already suspended".to_string()))
        }
        MissingPolicy::Suspend => (MissingAction::Suspend, None),
        MissingPolicy::Delete => (MissingAction::Delete, None),
    };
    Missing { user, action, note }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(line: u64, username: &str, first: &str, group: &str) -> Row {
        Row {
            line,
            username: username.into(),
            first_name: Some(first.into()).filter(|f: &String| !f.is_empty()),
            security_group_id: Some(group.into()),
            ..Row::default()
        }
    }

    fn user(id: &str, username: &str, first: &str, group: &str) -> NetworkUser {
        NetworkUser {
            user_id: id.into(),
            username: username.into(),
            first_name: Some(first.into()),
            security_groups: vec![group.into()],
            ..NetworkUser::default()
        }
    }

    fn groups() -> HashSet<String> {
        ["SG1".to_string(), "SG2".to_string()].into_iter().collect()
    }

    #[test]
    fn case_and_whitespace_of_usernames_do_not_make_a_new_user() {
        let p = plan(
            vec![row(2, " Alice@Example.COM ", "Alice", "SG1")],
            vec![user("1", "alice@example.com", "Alice", "SG1")],
            &groups(),
            MissingPolicy::Delete,
        );
        assert!(matches!(p.rows[0].1, RowPlan::Unchanged { .. }), "{p:?}");
        assert!(p.missing.is_empty());
    }

    #[test]
    fn names_compare_trimmed_and_case_is_a_change() {
        let p = plan(
            vec![
                row(2, "a@example.com", "  Ann ", "SG1"),
                row(3, "b@example.com", "BOB", "SG1"),
                row(4, "c@example.com", "", "SG1"),
            ],
            vec![
                user("1", "a@example.com", "Ann", "SG1"),
                user("2", "b@example.com", "Bob", "SG1"),
                user("3", "c@example.com", "Cy", "SG1"),
            ],
            &groups(),
            MissingPolicy::Leave,
        );
        assert!(matches!(p.rows[0].1, RowPlan::Unchanged { .. }));
        match &p.rows[1].1 {
            RowPlan::Update { changes, .. } => assert_eq!(changes, &vec![Change::FirstName]),
            other => panic!("{other:?}"),
        }
        assert!(
            matches!(p.rows[2].1, RowPlan::Unchanged { .. }),
            "an empty cell changes nothing"
        );
    }

    #[test]
    fn a_user_in_a_group_that_is_gone_moves_to_the_rows_group() {
        let p = plan(
            vec![row(2, "a@example.com", "Ann", "SG2")],
            vec![user("1", "a@example.com", "Ann", "GONE")],
            &groups(),
            MissingPolicy::Leave,
        );
        match &p.rows[0].1 {
            RowPlan::Update { changes, .. } => assert_eq!(
                changes,
                &vec![Change::SecurityGroup {
                    from: vec!["GONE".into()],
                    to: "SG2".into(),
                    gone: vec!["GONE".into()],
                }]
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn missing_users_follow_the_policy_but_administrators_and_suspended_users_stay() {
        let mut admin = user("1", "admin@example.com", "A", "SG1");
        admin.is_admin = true;
        let mut suspended = user("2", "s@example.com", "S", "SG1");
        suspended.suspended = true;
        let plain = user("3", "p@example.com", "P", "SG1");
        let network = vec![admin, suspended, plain];
        let p = plan(vec![], network.clone(), &groups(), MissingPolicy::Suspend);
        let actions: Vec<MissingAction> = p.missing.iter().map(|m| m.action).collect();
        assert_eq!(
            actions,
            vec![
                MissingAction::Leave,
                MissingAction::Leave,
                MissingAction::Suspend
            ]
        );
        let p = plan(vec![], network, &groups(), MissingPolicy::Delete);
        assert_eq!(p.count_missing(MissingAction::Delete), 2);
        assert_eq!(p.count_missing(MissingAction::Leave), 1);
    }
}
