//! `aws.isVirtualHostableS3Bucket`: whether a bucket name can be put in front of a host name.

use super::url::is_ipv4;

/// A bucket name of 3 to 63 characters that starts and ends with a lower-case letter or digit
/// and holds only lower-case letters, digits and hyphens; with `allow_dots`, also dots, but no
/// dot next to another dot or a hyphen, and no name that reads as an IPv4 address.
pub(crate) fn is_virtual_hostable_s3_bucket(name: &str, allow_dots: bool) -> bool {
    let bytes = name.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    if !(3..=63).contains(&bytes.len()) || !is_lower_alphanumeric(first) {
        return false;
    }
    if !is_lower_alphanumeric(last) {
        return false;
    }
    if !allow_dots {
        return bytes.iter().all(|&b| is_lower_alphanumeric(b) || b == b'-');
    }
    let mut previous = first;
    for &b in &bytes[1..] {
        let allowed = match b {
            b'.' => previous != b'.' && previous != b'-',
            b'-' => previous != b'.',
            _ => is_lower_alphanumeric(b),
        };
        if !allowed {
            return false;
        }
        previous = b;
    }
    !is_ipv4(name)
}

fn is_lower_alphanumeric(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_without_dots() {
        for (name, valid) in [
            ("abc", true),
            ("my-bucket-1", true),
            ("a--b--x-s3", true),
            ("ab", false),
            (&"a".repeat(63), true),
            (&"a".repeat(64), false),
            ("-abc", false),
            ("abc-", false),
            ("Abc", false),
            ("my_bucket", false),
            ("my.bucket", false),
            ("", false),
        ] {
            assert_eq!(
                is_virtual_hostable_s3_bucket(name, false),
                valid,
                "{name:?}"
            );
        }
    }

    #[test]
    fn names_with_dots() {
        for (name, valid) in [
            ("my.bucket", true),
            ("a.b.c", true),
            ("my.bucket-name.example", true),
            ("a-.b", false),
            ("a.-b", false),
            ("a..b", false),
            (".ab", false),
            ("ab.", false),
            ("my.Bucket", false),
            ("192.168.5.4", false),
            ("192.168.5.400", true),
            ("1.2.3", true),
        ] {
            assert_eq!(is_virtual_hostable_s3_bucket(name, true), valid, "{name:?}");
        }
    }

    #[test]
    fn length_counts_the_whole_name_with_dots() {
        let long = format!("{}.{}", "a".repeat(31), "b".repeat(31));
        assert_eq!(long.len(), 63);
        assert!(is_virtual_hostable_s3_bucket(&long, true));
        assert!(!is_virtual_hostable_s3_bucket(&format!("{long}c"), true));
    }
}
