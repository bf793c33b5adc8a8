//! One user to create, as the bulk job takes it.

use std::fmt;

/// A user to create in a bulk job.
///
/// Unlike [`BatchCreateUserRequestItem`](crate::types::BatchCreateUserRequestItem), the security
/// group may be left out: the job's
/// [`default_security_group`](super::BulkCreateUsers::default_security_group) fills it. First and
/// last names are sensitive and never printed by `Debug`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct NewUser {
    pub(crate) username: String,
    pub(crate) first_name: Option<String>,
    pub(crate) last_name: Option<String>,
    pub(crate) security_group_ids: Vec<String>,
    pub(crate) invite_code: Option<String>,
    pub(crate) invite_code_ttl: Option<i32>,
    pub(crate) code_validation: Option<bool>,
}

impl NewUser {
    /// A user with this username (an email address or a name unique in the network).
    pub fn new(username: impl Into<String>) -> Self {
        Self {
            username: username.into(),
            ..Self::default()
        }
    }

    /// First name (sensitive).
    pub fn first_name(mut self, value: impl Into<String>) -> Self {
        self.first_name = Some(value.into());
        self
    }

    /// Last name (sensitive).
    pub fn last_name(mut self, value: impl Into<String>) -> Self {
        self.last_name = Some(value.into());
        self
    }

    /// Adds a security group. The service accepts exactly one per user.
    pub fn security_group_id(mut self, value: impl Into<String>) -> Self {
        self.security_group_ids.push(value.into());
        self
    }

    /// A custom invite code (networks in preview only).
    pub fn invite_code(mut self, value: impl Into<String>) -> Self {
        self.invite_code = Some(value.into());
        self
    }

    /// Days until the invite code expires (networks in preview only).
    pub fn invite_code_ttl(mut self, days: i32) -> Self {
        self.invite_code_ttl = Some(days);
        self
    }

    /// Whether the user may be verified through the custom invite code (networks in preview only).
    pub fn code_validation(mut self, value: bool) -> Self {
        self.code_validation = Some(value);
        self
    }

    /// The username.
    pub fn username(&self) -> &str {
        &self.username
    }

    /// The security groups set on this user (the job's default is not included).
    pub fn security_group_ids(&self) -> &[String] {
        &self.security_group_ids
    }
}

impl fmt::Debug for NewUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const REDACTED: &str = "*** Sensitive Data Redacted ***";
        f.debug_struct("NewUser")
            .field("username", &self.username)
            .field("first_name", &self.first_name.as_ref().map(|_| REDACTED))
            .field("last_name", &self.last_name.as_ref().map(|_| REDACTED))
            .field("security_group_ids", &self.security_group_ids)
            .field("invite_code", &self.invite_code)
            .field("invite_code_ttl", &self.invite_code_ttl)
            .field("code_validation", &self.code_validation)
            .finish()
    }
}

impl From<&str> for NewUser {
    fn from(username: &str) -> Self {
        NewUser::new(username)
    }
}

impl From<String> for NewUser {
    fn from(username: String) -> Self {
        NewUser::new(username)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_names() {
        let user = NewUser::new("a@example.com")
            .first_name("Privatefirst")
            .last_name("Privatelast");
        let shown = format!("{user:?}");
        assert!(shown.contains("a@example.com"));
        assert!(!shown.contains("Privatefirst") && !shown.contains("Privatelast"));
    }
}
