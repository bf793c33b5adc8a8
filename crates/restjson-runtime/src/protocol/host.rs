//! `@endpoint` host prefixes: text put before the endpoint's host, with `@hostLabel` members
//! filled in. The generated `host_prefix` checks each label here; the orchestrator puts the
//! prefix before the host of the endpoint the rules chose.

use aws_smithy_types::error::operation::BuildError;

/// A `@hostLabel` member's value, which must be a valid host label (letters, digits and
/// hyphens, 1 to 63 characters, not starting with a hyphen) since it becomes part of the host.
pub fn host_label(field: &'static str, value: &Option<String>) -> Result<String, BuildError> {
    let Some(value) = value else {
        return Err(BuildError::missing_field(field, "a host label must be set"));
    };
    let valid = !value.is_empty()
        && value.len() <= 63
        && !value.starts_with('-')
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if valid {
        Ok(value.clone())
    } else {
        Err(BuildError::invalid_field(
            field,
            format!("{value:?} is not a valid host label: use letters, digits and hyphens"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_labels_are_checked() {
        assert_eq!(
            host_label("l", &Some("bar".into())).ok().as_deref(),
            Some("bar")
        );
        assert!(host_label("l", &Some("a.b".into())).is_err());
        assert!(host_label("l", &Some(String::new())).is_err());
        assert!(host_label("l", &None).is_err());
    }
}
