//! Checks on each user before it joins a chunk: the model's constraints on a request item, the
//! same checks a BatchCreateUser call runs before sending.

use crate::types::BatchCreateUserRequestItem;
use crate::validation::{Path, Validate};

use super::user::NewUser;

/// Why a user cannot be sent: `(field, reason)`.
pub(crate) type Rejection = (String, String);

/// Checks a network id against the model's `NetworkId` constraint (exactly 8 digits) without
/// sending anything: `Err` carries the reason, e.g. for a command-line option.
pub fn check_network_id(network_id: &str) -> Result<(), String> {
    let mut violations = Vec::new();
    crate::validation::pattern(
        &mut violations,
        &Path::Root,
        network_id,
        &crate::generated::constraints::NETWORK_ID,
    );
    if violations.is_empty() {
        return Ok(());
    }
    // A value given by mistake can be anything, a whole file even: show its start only.
    let shown: String = network_id.chars().take(20).collect();
    let cut = if shown.len() < network_id.len() {
        "..."
    } else {
        ""
    };
    Err(format!(
        "{shown:?}{cut} is not a network id (exactly 8 digits)"
    ))
}

/// Resolves the user's security group and builds the request item (required members present),
/// moving the user's values into it. The model's other constraints are left to the client, which
/// checks every call before sending it; the job turns a refused call into per-user failures (see
/// `classify`), so each user is checked once, not twice.
pub(crate) fn prepare(
    user: NewUser,
    default_security_group: Option<&str>,
) -> Result<BatchCreateUserRequestItem, Rejection> {
    if user.username.trim().is_empty() {
        return Err(("username".into(), "missing username".into()));
    }
    let mut security_group_ids = user.security_group_ids;
    if security_group_ids.is_empty() {
        match default_security_group {
            Some(group) => security_group_ids.push(group.to_string()),
            None => {
                return Err((
                    "securityGroupIds".into(),
                    "no security group: set one on the user or a default on the job".into(),
                ))
            }
        }
    }
    Ok(BatchCreateUserRequestItem {
        first_name: user.first_name,
        last_name: user.last_name,
        security_group_ids,
        username: user.username,
        invite_code: user.invite_code,
        invite_code_ttl: user.invite_code_ttl,
        code_validation: user.code_validation,
    })
}

/// Checks a user the way a bulk job would, without sending anything: `Ok` when the user would be
/// sent, else the field and the reason. Takes the user by value, as a check of many users reads
/// each once and has no use for it after (clone one to keep it).
pub fn check_user(
    user: NewUser,
    default_security_group: Option<&str>,
) -> Result<(), (String, String)> {
    let item = prepare(user, default_security_group)?;
    let mut violations = Vec::new();
    Validate::validate(&item, &Path::Root, &mut violations);
    match violations.into_iter().next() {
        Some(violation) => Err((violation.path, violation.rule)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_ids_are_eight_digits() {
        assert_eq!(check_network_id("12345678"), Ok(()));
        for bad in [
            "1234567",
            "123456789",
            "1234567a",
            "",
            "١٢٣٤٥٦٧٨",
            " 12345678",
        ] {
            let err = check_network_id(bad).unwrap_err();
            assert!(err.contains("exactly 8 digits"), "{bad:?}: {err}");
        }
        let err = check_network_id(&"1".repeat(1_000_000)).unwrap_err();
        assert!(err.len() < 100, "{err}");
    }

    #[test]
    fn check_user_runs_the_model_checks_the_job_leaves_to_the_client() {
        let user = NewUser::new("a").security_group_id("has space");
        assert!(prepare(user.clone(), None).is_ok());
        let (field, rule) = check_user(user, None).unwrap_err();
        assert_eq!(field, "securityGroupIds[0]");
        assert!(rule.contains("pattern"), "{rule}");
        assert_eq!(check_user(NewUser::new("a"), Some("SG1")), Ok(()));
    }

    #[test]
    fn default_group_fills_in_and_missing_group_is_refused() {
        let item = prepare(NewUser::new("a"), Some("SG1")).unwrap();
        assert_eq!(item.security_group_ids(), ["SG1".to_string()]);
        let item = prepare(NewUser::new("a").security_group_id("SG2"), Some("SG1")).unwrap();
        assert_eq!(item.security_group_ids(), ["SG2".to_string()]);
        let err = prepare(NewUser::new("a"), None).unwrap_err();
        assert_eq!(err.0, "securityGroupIds");
        let err = prepare(NewUser::new(" "), Some("SG1")).unwrap_err();
        assert_eq!(err.0, "username");
    }
}
