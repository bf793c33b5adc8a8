//! The official `aws-sdk-wickr` crate's public API, item by item, compiled against that crate
//! and against this one.
//!
//! `generated/surface.rs` is written by `cargo xtask surface` from the official crate's source
//! (`cargo xtask surface --check` fails when it is stale): one check per public path, type,
//! field, variant, method, associated function, trait implementation, trait, alias and
//! re-export, each written against `krate::`. It is included here once with `krate` naming the
//! official crate, which proves every check right, and once naming this crate, where a missing
//! item or a signature that the same calling code does not compile against fails the build.
//! What such a check cannot reach (signatures naming types the official crate keeps private)
//! is listed at the top of the generated file; `official_usage.rs` calls those the way user
//! code does.

macro_rules! surface {
    ($krate:ident) => {
        #[allow(
            dead_code,
            deprecated,
            non_snake_case,
            non_camel_case_types,
            unused_imports,
            unreachable_code,
            clippy::all
        )]
        mod $krate {
            use ::$krate as krate;

            /// Holds when the future of an `async` method can move between threads.
            fn assert_send<T: Send>(_: &T) {}

            include!("generated/surface.rs");
        }
    };
}

surface!(aws_sdk_wickr);
surface!(wickr_admin);

/// Each string enum holds the official values, and reads and writes each back as the official
/// crate does.
#[test]
fn string_enums_hold_the_official_values() {
    let official = aws_sdk_wickr::enum_values();
    let ours = wickr_admin::enum_values();
    assert!(!official.is_empty(), "the official crate has string enums");
    assert_eq!(ours, official);
    for (name, values, written_back) in &ours {
        assert_eq!(values, written_back, "{name}");
    }
}
