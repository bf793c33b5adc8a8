//! Values from the input as they appear in messages: cut short, so a huge value is never
//! repeated in full (a 10 MB column name makes a 10 MB error message otherwise).

/// Characters of a value shown before it is cut.
const SHOWN: usize = 40;

/// The value quoted (control characters escaped), cut after 40 characters with its length.
pub fn quoted(value: &str) -> String {
    match cut(value) {
        None => format!("{value:?}"),
        Some(head) => format!("{head:?}... ({} bytes)", value.len()),
    }
}

/// A name from the input (a column or a key) to use as a problem's field: cut after 40
/// characters; an empty name is shown as `""`, so the field is never blank.
pub fn name(value: &str) -> String {
    if value.is_empty() {
        return "\"\"".to_owned();
    }
    match cut(value) {
        None => value.to_string(),
        Some(head) => format!("{head}..."),
    }
}

fn cut(value: &str) -> Option<&str> {
    let (end, _) = value.char_indices().nth(SHOWN)?;
    Some(&value[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_are_cut_and_short_ones_kept() {
        assert_eq!(quoted("abc"), "\"abc\"");
        assert_eq!(name("email"), "email");
        assert_eq!(name(""), "\"\"");
        let long = "é".repeat(10_000);
        let shown = quoted(&long);
        assert!(shown.len() < 120, "{shown}");
        assert!(shown.ends_with("(20000 bytes)"), "{shown}");
        assert_eq!(name(&long).chars().count(), SHOWN + 3);
    }
}
