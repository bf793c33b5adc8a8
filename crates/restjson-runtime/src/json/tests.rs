//! Tests of the JSON module. The `json_struct!` macro that generated structures use is tested
//! in `tests/macros.rs`, from outside the crate as generated code uses it.

use super::*;
use aws_smithy_types::DateTime;
use serde_json::json;

/// Reads `text` as a message body.
fn body<T: FromJson>(text: &str) -> Result<T, JsonError> {
    from_body(text.as_bytes())
}

/// Writes `value` as a message body and parses the text.
fn written(value: &dyn ToJson) -> Value {
    serde_json::from_slice(&to_body(value)).expect("the writer writes JSON")
}

/// Reads `text` as a timestamp in the format of `read`.
fn timestamp(
    read: fn(&mut Reader<'_>) -> Result<DateTime, JsonError>,
    text: &str,
) -> Result<DateTime, JsonError> {
    let mut reader = Reader::new(text, true);
    read(&mut reader)
}

#[test]
fn paths_name_the_value_in_error() {
    let err = body::<Vec<Vec<String>>>(r#"[["a"], ["b", 3]]"#).expect_err("3 is not a string");
    assert_eq!(err.path(), "[1][1]");
    assert_eq!(err.to_string(), "[1][1]: expected a string, found a number");
}

#[test]
fn a_long_map_key_in_an_error_path_is_cut_short() {
    let text = format!("{{\"{}\": 3}}", "k".repeat(100_000));
    let err =
        body::<std::collections::HashMap<String, String>>(&text).expect_err("3 is not a string");
    assert_eq!(
        err.path(),
        format!("[{:?}]", format!("{}...", "k".repeat(40)))
    );
}

#[test]
fn integers_are_range_checked() {
    assert_eq!(body::<i32>("-7"), Ok(-7));
    let err = body::<i32>("3000000000").expect_err("too big");
    assert!(err.message().contains("-2147483648 to 2147483647"), "{err}");
    let err = body::<i64>("1.5").expect_err("not whole");
    assert_eq!(err.message(), "expected an integer, found 1.5");
    let err = body::<i64>(&u64::MAX.to_string()).expect_err("too big");
    assert!(
        err.message().ends_with("found 18446744073709551615"),
        "{err}"
    );
    let err = body::<i64>("123456789012345678901234567890").expect_err("too big");
    assert!(
        err.message().starts_with("expected an integer from"),
        "{err}"
    );
    assert!(body::<i8>("\"1\"").is_err());
}

#[test]
fn f32_is_written_as_its_own_shortest_text() {
    assert_eq!(to_body(&0.1f32), b"0.1");
    assert_eq!(body::<f32>("0.1"), Ok(0.1f32));
}

#[test]
fn documents_refuse_null_list_elements_and_name_timestamp_formats() {
    let err = from_str::<Vec<String>>(r#"["a", null]"#).expect_err("null element");
    assert_eq!(err.to_string(), "[1]: null is not a valid list element");
    let err =
        timestamp(date_time::read, "\"Tue, 14 Nov 2023 22:13:20 GMT\"").expect_err("not RFC 3339");
    assert!(
        err.message().starts_with("not an RFC 3339 timestamp"),
        "{err}"
    );
    let err = timestamp(http_date::read, "\"2023-11-14T22:13:20Z\"").expect_err("not an HTTP-date");
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
    let value = parse_document(r#"{"a": {"a": [1, 2.5, "x", null, true]}}"#).expect("valid");
    assert_eq!(value, json!({"a": {"a": [1, 2.5, "x", null, true]}}));
    // The same check on a document read as a plain value.
    let err = parse_document(r#"{"x": {"y": 1, "y": 1}}"#).expect_err("twice");
    assert!(err.to_string().contains("key `y` appears twice"), "{err}");
    assert_eq!(parse_document("[1]").expect("valid"), json!([1]));
    // A message body keeps the last value, as a service's other clients do.
    assert_eq!(
        body::<std::collections::HashMap<String, i32>>(r#"{"b": 1, "b": 2}"#)
            .expect("reads")
            .get("b"),
        Some(&2)
    );
}

#[test]
fn floats_and_timestamps_round_trip() {
    for v in [1.5, f64::INFINITY, f64::NEG_INFINITY, 1e300, -2.5e-10] {
        let text = to_body(&v);
        let back: f64 = from_body(&text).expect("reads");
        assert_eq!(back, v, "{}", String::from_utf8_lossy(&text));
    }
    let nan: f64 = from_body(&to_body(&f64::NAN)).expect("reads");
    assert!(nan.is_nan());
    let t = DateTime::from_secs_f64(1_700_000_000.25);
    let mut writer = Writer::new(true);
    epoch_seconds::write(&t, &mut writer);
    assert_eq!(writer.into_bytes(), b"1700000000.25");
    assert_eq!(timestamp(epoch_seconds::read, "1700000000.25"), Ok(t));
    let whole = DateTime::from_secs(1_700_000_000);
    let mut writer = Writer::new(true);
    date_time::write(&whole, &mut writer);
    http_date::write(&Some(whole), &mut writer);
    http_date::write(&None::<DateTime>, &mut writer);
    assert_eq!(
        String::from_utf8(writer.into_bytes()).expect("text"),
        r#""2023-11-14T22:13:20Z","Tue, 14 Nov 2023 22:13:20 GMT",null"#
    );
    assert_eq!(
        timestamp(date_time::read, "\"2023-11-14T22:13:20Z\""),
        Ok(whole)
    );
    assert!(timestamp(date_time::read, "\"yesterday\"").is_err());
    assert!(timestamp(epoch_seconds::read, "\"1\"").is_err());
}

#[test]
fn null_members_and_elements_read_as_absent_and_absent_members_are_not_written() {
    assert_eq!(
        body::<Vec<String>>(r#"["x", null, "y"]"#),
        Ok(vec!["x".to_owned(), "y".to_owned()])
    );
    let mut writer = Writer::new(true);
    writer.begin_object();
    put(&mut writer, "gone", &None::<String>);
    put(&mut writer, "kept", &Some(3));
    put(&mut writer, "text", &"a\"\\\n\u{1}é".to_owned());
    writer.end_object();
    assert_eq!(
        String::from_utf8(writer.into_bytes()).expect("text"),
        r#"{"kept":3,"text":"a\"\\\n\u0001é"}"#
    );
    // A sparse list keeps its nulls both ways.
    let sparse: Vec<Option<i32>> = body("[1, null]").expect("reads");
    assert_eq!(sparse, [Some(1), None]);
    assert_eq!(written(&sparse), json!([1, null]));
}

#[test]
fn unknown_keys_are_reported_only_in_documents() {
    let mut body = Reader::new("{}", true);
    body.push_member("users");
    body.push_index(2);
    body.unknown("frstName");
    assert!(body.unknown.is_empty());
    let mut doc = Reader::new("{}", false);
    doc.push_member("users");
    doc.push_index(2);
    doc.unknown("frstName");
    assert_eq!(doc.unknown, ["users[2].frstName"]);
}

#[test]
fn strings_are_unescaped_and_bad_text_is_refused() {
    assert_eq!(
        body::<String>(r#""a\u00e9\ud83d\ude00\n\/""#),
        Ok("aé😀\n/".to_owned())
    );
    for (text, reason) in [
        (r#""\ud83d""#, "unexpected end of hex escape"),
        (r#""\ude00""#, "lone leading surrogate"),
        ("\"a\u{1}\"", "control character"),
        (r#""\x""#, "invalid escape"),
        ("[1,]", "trailing comma"),
        ("{\"a\":1,}", "trailing comma"),
        ("[1 2]", "expected `,` or `]`"),
        ("{\"a\" 1}", "expected `:`"),
        ("{1:2}", "key must be a string"),
        ("01", "invalid number"),
        ("1.", "EOF while parsing a value"),
        ("-", "EOF while parsing a value"),
        ("tru", "EOF while parsing a value"),
        ("nul!", "expected ident"),
        ("[1] 2", "trailing characters"),
        ("\"abc", "EOF while parsing a string"),
        ("", "EOF while parsing a value"),
    ] {
        let err = body::<aws_smithy_types::Document>(text).expect_err(text);
        assert!(err.message().starts_with(reason), "{text}: {err}");
    }
    let err = from_body::<String>(b"\"\xff\"").expect_err("not UTF-8");
    assert!(err.message().starts_with("not UTF-8"), "{err}");
}

#[test]
fn skipped_values_are_checked_and_bounded() {
    // Unknown members of a body are skipped, however they nest, but must still be JSON.
    let mut nested = String::new();
    for _ in 0..126 {
        nested.push_str("{\"a\":[");
    }
    nested.push('1');
    for _ in 0..126 {
        nested.push_str("]}");
    }
    let err = body::<std::collections::HashMap<String, i32>>(&format!("{{\"x\":{nested}}}"))
        .expect_err("too deep");
    assert!(
        err.message().starts_with("recursion limit exceeded"),
        "{err}"
    );
    let within = format!("{}1{}", "[".repeat(127), "]".repeat(127));
    assert!(body::<aws_smithy_types::Document>(&within).is_ok());
    let past = format!("{}1{}", "[".repeat(128), "]".repeat(128));
    let err = body::<aws_smithy_types::Document>(&past).expect_err("too deep");
    assert!(
        err.message().starts_with("recursion limit exceeded"),
        "{err}"
    );
}

#[test]
fn a_syntax_error_is_named_before_a_value_of_the_wrong_kind() {
    // The wrong kind comes first in the text, the syntax error later: the syntax error is what
    // is wrong with the body.
    let err = body::<Vec<i32>>(r#"["a", 1, }"#).expect_err("not JSON");
    assert!(err.message().starts_with("expected value"), "{err}");
    assert_eq!(err.path(), "");
}

#[test]
fn documents_and_values_convert_both_ways() {
    let value = json!({"a": [1, -2, 2.5, "x", null, true, {"b": 18446744073709551615u64}]});
    let read: aws_smithy_types::Document = from_value(value.clone()).expect("reads");
    assert_eq!(to_value(&read), value);
    assert_eq!(document("[1, 2]"), document_from(json!([1, 2])));
    assert_eq!(document("[1, 2"), aws_smithy_types::Document::Null);
}

#[test]
fn plain_runs_end_at_the_first_quote_backslash_or_control_character() {
    // Every special byte at every offset of a run longer than one step, among bytes on both
    // sides of each boundary (0x1f/0x20, 0x21/0x22/0x23, 0x5b/0x5c/0x5d, 0x7f/0x80, 0xff).
    let plain = [b' ', b'!', b'#', b'[', b']', 0x7f, 0x80, 0xff, b'a'];
    for special in [b'"', b'\\', 0x00, 0x1f, b'\n'] {
        for len in 0..20 {
            for at in 0..=len {
                let mut bytes: Vec<u8> = (0..len).map(|i| plain[i % plain.len()]).collect();
                if at < len {
                    bytes[at] = special;
                }
                for from in 0..=at {
                    assert_eq!(
                        tokens::plain_until(&bytes, from),
                        at,
                        "{bytes:?} from {from}"
                    );
                }
            }
        }
    }
}
