//! Tests of the JSON module. The `json_struct!` macro that generated structures use is tested
//! in `tests/macros.rs`, from outside the crate as generated code uses it.

use super::*;
use aws_smithy_types::DateTime;
use serde_json::json;

#[test]
fn paths_name_the_value_in_error() {
    let mut reader = Reader::body();
    let err = Vec::<Vec<String>>::from_json(json!([["a"], ["b", 3]]), &mut reader)
        .expect_err("3 is not a string");
    assert_eq!(err.path(), "[1][1]");
    assert_eq!(err.to_string(), "[1][1]: expected a string, found a number");
}

#[test]
fn a_long_map_key_in_an_error_path_is_cut_short() {
    let key = "k".repeat(100_000);
    let mut body = serde_json::Map::new();
    body.insert(key, json!(3));
    let err = std::collections::HashMap::<String, String>::from_json(
        serde_json::Value::Object(body),
        &mut Reader::body(),
    )
    .expect_err("3 is not a string");
    assert_eq!(
        err.path(),
        format!("[{:?}]", format!("{}...", "k".repeat(40)))
    );
}

#[test]
fn integers_are_range_checked() {
    let mut reader = Reader::body();
    assert_eq!(i32::from_json(json!(-7), &mut reader), Ok(-7));
    let err = i32::from_json(json!(3_000_000_000u64), &mut reader).expect_err("too big");
    assert!(err.message().contains("-2147483648 to 2147483647"), "{err}");
    let err = i64::from_json(json!(1.5), &mut reader).expect_err("not whole");
    assert_eq!(err.message(), "expected an integer, found 1.5");
    let err = i64::from_json(json!(u64::MAX), &mut reader).expect_err("too big");
    assert!(
        err.message().ends_with("found 18446744073709551615"),
        "{err}"
    );
    assert!(i8::from_json(json!("1"), &mut reader).is_err());
}

#[test]
fn f32_is_written_as_its_own_shortest_text() {
    assert_eq!(0.1f32.to_json(true), json!(0.1));
    assert_eq!(f32::from_json(json!(0.1), &mut Reader::body()), Ok(0.1f32));
}

#[test]
fn documents_refuse_null_list_elements_and_name_timestamp_formats() {
    let err = Vec::<String>::from_json(json!(["a", null]), &mut Reader::document())
        .expect_err("null element");
    assert_eq!(err.to_string(), "[1]: null is not a valid list element");
    let err = date_time::read(json!("Tue, 14 Nov 2023 22:13:20 GMT"), &mut Reader::body())
        .expect_err("not RFC 3339");
    assert!(
        err.message().starts_with("not an RFC 3339 timestamp"),
        "{err}"
    );
    let err = http_date::read(json!("2023-11-14T22:13:20Z"), &mut Reader::body())
        .expect_err("not an HTTP-date");
    assert!(
        err.message().starts_with("not an HTTP-date timestamp"),
        "{err}"
    );
}

#[test]
fn documents_refuse_a_key_given_twice() {
    let err = from_str::<Vec<String>>(r#"[{"a": 1}, {"b": 1, "b": 2}]"#).expect_err("twice");
    assert!(
        err.to_string()
            .starts_with("not valid JSON: key `b` appears twice in one object"),
        "{err}"
    );
    // Nested and equal keys in different objects are fine.
    let StrictValue(value) =
        serde_json::from_str(r#"{"a": {"a": [1, 2.5, "x", null, true]}}"#).expect("valid");
    assert_eq!(value, json!({"a": {"a": [1, 2.5, "x", null, true]}}));
    // The same check on a document read as a plain value.
    let err = parse_document(r#"{"x": {"y": 1, "y": 1}}"#).expect_err("twice");
    assert!(err.to_string().contains("key `y` appears twice"), "{err}");
    assert_eq!(parse_document("[1]").expect("valid"), json!([1]));
}

#[test]
fn floats_and_timestamps_round_trip() {
    let mut reader = Reader::body();
    for v in [1.5, f64::INFINITY, f64::NEG_INFINITY] {
        let back = f64::from_json(v.to_json(true), &mut reader).expect("reads");
        assert_eq!(back, v);
    }
    assert!(f64::from_json(f64::NAN.to_json(true), &mut reader)
        .expect("reads")
        .is_nan());
    let t = DateTime::from_secs_f64(1_700_000_000.25);
    assert_eq!(epoch_seconds::write(&t), json!(1_700_000_000.25));
    assert_eq!(
        epoch_seconds::read(json!(1_700_000_000.25), &mut reader),
        Ok(t)
    );
    let whole = DateTime::from_secs(1_700_000_000);
    assert_eq!(date_time::write(&whole), json!("2023-11-14T22:13:20Z"));
    assert_eq!(
        date_time::read(json!("2023-11-14T22:13:20Z"), &mut reader),
        Ok(whole)
    );
    assert_eq!(
        http_date::write(&Some(whole)),
        json!("Tue, 14 Nov 2023 22:13:20 GMT")
    );
    assert_eq!(http_date::write(&None::<DateTime>), Value::Null);
    assert!(date_time::read(json!("yesterday"), &mut reader).is_err());
    assert!(epoch_seconds::read(json!("1"), &mut reader).is_err());
}

#[test]
fn null_members_and_elements_read_as_absent() {
    let mut reader = Reader::body();
    assert_eq!(
        Vec::<String>::from_json(json!(["x", null, "y"]), &mut reader),
        Ok(vec!["x".to_owned(), "y".to_owned()])
    );
    let mut map = Map::new();
    put(&mut map, "gone", &None::<String>, true);
    put(&mut map, "kept", &Some(3), true);
    put_value(&mut map, "null", Value::Null);
    assert_eq!(Value::Object(map), json!({"kept": 3}));
}

#[test]
fn unknown_keys_are_reported_only_in_documents() {
    let mut body = Reader::body();
    body.steps.push(Step::Member("users"));
    body.steps.push(Step::Index(2));
    body.unknown("frstName");
    assert!(body.unknown.is_empty());
    let mut doc = Reader::document();
    doc.steps.push(Step::Member("users"));
    doc.steps.push(Step::Index(2));
    doc.unknown("frstName");
    assert_eq!(doc.unknown, ["users[2].frstName"]);
}
