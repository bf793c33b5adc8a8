//! The macros generated code invokes, used from outside the crate on the hand-written service in
//! `things/`, and `json_struct!` on a structure with every member mode.

mod things;

use restjson_runtime::config::{Region, SdkConfig};
use restjson_runtime::error::{ProvideErrorMetadata, RequestId};
use restjson_runtime::error_details::ErrorDetails;
use restjson_runtime::json;
use restjson_runtime::operation_shape::{DeserializeError, OperationShape, ResponseParts};
use restjson_runtime::primitives::DateTime;
use serde_json::json;

use things::put_thing::{PutThing, PutThingError, PutThingInput};
// Where generated code has them.
pub use things::{client, config, types, Client, Error};

/// What `PutThing` reads from an answer (the error boxed: it is large).
type Read = Result<things::put_thing::PutThingOutput, Box<DeserializeError<PutThingError>>>;

fn answer(status: u16, headers: &[(&'static str, &'static str)], body: &str) -> Read {
    let mut map = http::HeaderMap::new();
    for (name, value) in headers {
        map.insert(*name, http::HeaderValue::from_static(value));
    }
    PutThing::deserialize(ResponseParts {
        status,
        headers: &map,
        body: body.as_bytes(),
    })
    .map_err(Box::new)
}

/// The service error an answer reads as.
fn service_error(read: Read) -> PutThingError {
    match read.map_err(|e| *e) {
        Err(DeserializeError::Service(error)) => error,
        other => panic!("expected a service error, got {other:?}"),
    }
}

#[test]
fn setters_append_list_elements_and_getters_borrow() {
    let input = PutThingInput::builder()
        .name("lamp")
        .size(3)
        .tags("a")
        .tags("b")
        .build()
        .expect("builds");
    assert_eq!(input.name(), Some("lamp"));
    assert_eq!(input.size(), Some(3));
    assert_eq!(input.tags(), ["a", "b"]);
    assert_eq!(PutThingInput::default().tags(), [] as [String; 0]);
    let builder = PutThingInput::builder().set_tags(Some(vec!["x".into()]));
    assert_eq!(builder.get_tags().as_deref(), Some(&["x".to_owned()][..]));
}

#[test]
fn redacted_debug_hides_sensitive_members() {
    let builder = PutThingInput::builder().name("lamp").secret("hunter2");
    let shown = format!("{builder:?}");
    assert!(shown.contains("\"lamp\""), "{shown}");
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(shown.contains("*** Sensitive Data Redacted ***"), "{shown}");
}

#[test]
fn outputs_keep_their_request_id() {
    let output =
        answer(200, &[("x-amzn-requestid", "req-1")], r#"{"id":"t-1"}"#).expect("a 2xx answer");
    assert_eq!(output.id(), "t-1");
    assert_eq!(output.request_id(), Some("req-1"));
    let missing = answer(200, &[], "{}").expect_err("id is required");
    assert!(
        matches!(&*missing, DeserializeError::Malformed(m) if m.contains("required member `id`")),
        "{missing:?}"
    );
}

#[test]
fn operation_errors_are_read_by_code_with_metadata_and_details() {
    let body =
        r#"{"message":"no","reasons":[{"field":"name","reason":"too long"},{"field":"size"}]}"#;
    let error = service_error(answer(
        400,
        &[
            ("x-amzn-errortype", "Rejected:extra"),
            ("x-amzn-requestid", "req-2"),
        ],
        body,
    ));
    assert!(error.is_rejected() && !error.is_slow_down());
    assert_eq!(error.code(), Some("Rejected"));
    assert_eq!(error.message(), Some("no"));
    assert_eq!(error.request_id(), Some("req-2"));
    assert_eq!(error.details(), ["name: too long", "size"]);
    match &error {
        PutThingError::Rejected(r) => assert_eq!(r.reasons().len(), 2),
        other => panic!("expected Rejected, got {other:?}"),
    }
    // A code the operation does not declare stays unhandled, with its status.
    let error = service_error(answer(
        409,
        &[],
        r#"{"__type":"ns#Conflict","message":"taken"}"#,
    ));
    #[allow(deprecated)]
    let unhandled = matches!(&error, PutThingError::Unhandled(_));
    assert!(unhandled);
    assert_eq!(
        restjson_runtime::error::http_status(error.meta()),
        Some(409)
    );
    assert_eq!(error.code(), Some("Conflict"));
    assert!(error.details().is_empty());
    assert_eq!(error.to_string(), "PutThing: Conflict: taken (HTTP 409)");
}

#[test]
fn modeled_errors_show_their_name_and_message_and_keep_their_metadata() {
    use restjson_runtime::error::ErrorMetadata;
    use restjson_runtime::protocol::ModeledError;
    use things::error::SlowDown;

    let meta = ErrorMetadata::builder()
        .code("SlowDown")
        .message("from the response")
        .custom("aws_request_id", "req-3")
        .build();
    let error = SlowDown::builder()
        .message("slow down")
        .meta(meta.clone())
        .build();
    assert_eq!(error.to_string(), "SlowDown: slow down");
    assert_eq!(error.request_id(), Some("req-3"));
    assert_eq!(error.code(), Some("SlowDown"));
    let mut builder = SlowDown::builder();
    builder.set_meta(Some(meta.clone()));
    assert_eq!(builder.build().to_string(), "SlowDown");

    // A required message, and no message member (the response's message is shown).
    let fault =
        json::from_body::<things::error::Fault>(br#"{"message": "always"}"#).expect("reads");
    assert_eq!(fault.to_string(), "Fault: always");
    let gone = json::from_body::<things::error::Gone>(b"{}")
        .expect("reads")
        .with_meta(meta);
    assert_eq!(gone.to_string(), "Gone: from the response");
}

#[test]
fn config_types_forward_to_the_runtime_with_the_services_facts() {
    use things::config::endpoint::{DefaultResolver, Params, ResolveEndpoint};

    let config = things::config::Config::builder()
        .region(Region::new("eu-west-3"))
        .build();
    assert_eq!(config.region().map(|r| r.as_ref()), Some("eu-west-3"));
    assert_eq!(config.signing_name(), "things");
    let changed = config
        .to_builder()
        .endpoint_url("http://127.0.0.1:1")
        .build();
    assert_eq!(changed.endpoint_url(), Some("http://127.0.0.1:1"));
    assert_eq!(changed.region().map(|r| r.as_ref()), Some("eu-west-3"));
    // The service's own endpoint rules, through its typed parameters.
    let resolve = |params: Params| -> Result<String, String> {
        let resolver = DefaultResolver::new();
        let future = resolver.resolve_endpoint(&params);
        let mut future = std::pin::pin!(future);
        let mut context = std::task::Context::from_waker(std::task::Waker::noop());
        match std::future::Future::poll(future.as_mut(), &mut context) {
            std::task::Poll::Ready(result) => result
                .map(|e| e.url().to_owned())
                .map_err(|e| e.to_string()),
            std::task::Poll::Pending => Err("pending".to_owned()),
        }
    };
    let regional = Params::builder()
        .region("eu-west-3")
        .build()
        .expect("valid");
    assert_eq!(
        resolve(regional.clone()).as_deref(),
        Ok("https://things.eu-west-3.example.com")
    );
    assert_eq!(regional.express(), Some(false), "the rule set's default");
    let express = Params::builder()
        .region("eu-west-3")
        .express(true)
        .build()
        .expect("valid");
    assert_eq!(
        resolve(express).as_deref(),
        Ok("https://express.things.eu-west-3.example.com")
    );
    let missing = resolve(Params::builder().build().expect("valid"));
    assert_eq!(missing, Err("a region is required".to_owned()));
    // A region is a host label.
    let err = Params::builder()
        .region("eu west")
        .build()
        .expect_err("invalid region");
    assert!(err.to_string().contains("region"), "{err}");
    let sdk = SdkConfig::builder()
        .region(Region::new("ap-south-1"))
        .endpoint_url("http://127.0.0.1:2")
        .build();
    let from_sdk = things::config::Config::from(&sdk);
    assert_eq!(from_sdk.region().map(|r| r.as_ref()), Some("ap-south-1"));
    assert_eq!(from_sdk.endpoint_url(), Some("http://127.0.0.1:2"));
}

/// `json_struct!` on a structure that uses every member mode (a member that must be present,
/// timestamp formats, a fallback with a format) and a member that travels outside the body.
mod json_struct_modes {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Thing {
        name: Option<String>,
        count: i32,
        label: String,
        id: String,
        seen: Option<DateTime>,
        at: DateTime,
        token: Option<String>,
        extra: u8,
    }

    fn default_label() -> String {
        "none".to_owned()
    }

    mod builders {
        use super::*;

        #[derive(Default)]
        pub struct ThingBuilder {
            pub(crate) name: Option<String>,
            pub(crate) count: Option<i32>,
            pub(crate) label: Option<String>,
            pub(crate) id: Option<String>,
            pub(crate) seen: Option<DateTime>,
            pub(crate) at: Option<DateTime>,
            pub(crate) token: Option<String>,
        }
    }

    restjson_runtime::json_struct!(
        Thing ThingBuilder [extra] {
            name "name", count "count"[= Default::default], label "Label"[= default_label],
            id "id"[!], seen "seen"[as date_time],
            at "at"[as http_date = restjson_runtime::json::default_timestamp]
        } { token "X-Token" }
    );

    const WHEN: i64 = 1_700_000_000;

    #[test]
    fn a_body_reads_every_mode_and_skips_what_it_does_not_carry() {
        let body = json!({
            "name": "n", "count": 3, "Label": "L", "id": "i",
            "seen": "2023-11-14T22:13:20Z", "at": "Tue, 14 Nov 2023 22:13:20 GMT",
            "X-Token": "not in a body", "newer": 1
        });
        let thing: Thing = json::from_body(body.to_string().as_bytes()).expect("reads");
        assert_eq!(
            thing,
            Thing {
                name: Some("n".into()),
                count: 3,
                label: "L".into(),
                id: "i".into(),
                seen: Some(DateTime::from_secs(WHEN)),
                at: DateTime::from_secs(WHEN),
                token: None,
                extra: 0,
            }
        );
        let sparse = json::from_body::<Thing>(br#"{"id": "i", "name": null}"#).expect("reads");
        assert_eq!((sparse.name, sparse.count), (None, 0));
        assert_eq!(sparse.label, "none");
        assert_eq!(sparse.at, DateTime::from_secs(0));
        let err = json::from_body::<Thing>(br#"{"name": "n"}"#).expect_err("no id");
        assert_eq!(err.to_string(), "required member `id` is missing");
        let err = json::from_body::<Thing>(br#"{"id": "i", "seen": 5}"#).expect_err("not a string");
        assert_eq!(
            err.to_string(),
            "seen: expected a timestamp string, found a number"
        );
    }

    #[test]
    fn a_document_reads_and_writes_the_members_outside_the_body() {
        let thing: Thing = json::from_value(json!({"id": "i", "X-Token": "t"})).expect("reads");
        assert_eq!(thing.token.as_deref(), Some("t"));
        let err =
            json::from_value::<Thing>(json!({"id": "i", "newer": 1})).expect_err("unknown key");
        assert!(err.to_string().starts_with("unknown member newer"), "{err}");
        let thing = Thing {
            seen: Some(DateTime::from_secs(WHEN)),
            at: DateTime::from_secs(WHEN),
            ..thing
        };
        let everything = json!({
            "count": 0, "Label": "none", "id": "i", "seen": "2023-11-14T22:13:20Z",
            "at": "Tue, 14 Nov 2023 22:13:20 GMT", "X-Token": "t"
        });
        assert_eq!(json::to_value(&thing), everything);
        let mut body = everything;
        body.as_object_mut().map(|m| m.remove("X-Token"));
        let written: serde_json::Value =
            serde_json::from_slice(&json::to_body(&thing)).expect("JSON");
        assert_eq!(written, body);
    }
}

/// `json_struct!`'s `read` and `write` attributes: a side whose attribute compiles it out is not
/// there, and the other side still works.
mod json_struct_sides {
    use std::marker::PhantomData;

    use super::*;

    #[derive(Debug, Default, PartialEq)]
    struct Sent {
        a: Option<String>,
    }

    #[derive(Debug, Default, PartialEq)]
    struct Received {
        b: Option<String>,
    }

    mod builders {
        // Only the reading side uses it, and that is compiled out below.
        #[allow(dead_code)]
        #[derive(Default)]
        pub struct SentBuilder {
            pub(crate) a: Option<String>,
        }

        #[derive(Default)]
        pub struct ReceivedBuilder {
            pub(crate) b: Option<String>,
        }
    }

    restjson_runtime::json_struct!(Sent SentBuilder { a "a" } read #[cfg(any())]);
    restjson_runtime::json_struct!(Received ReceivedBuilder { b "b" } write #[cfg(any())]);

    /// Which JSON traits `T` implements, told apart by method resolution: a method of a trait
    /// implemented for `Probe<T>` itself wins over the fallback implemented for `&Probe<T>`.
    struct Probe<T>(PhantomData<T>);

    trait ReadsFallback {
        fn reads(&self) -> bool {
            false
        }
    }
    impl<T> ReadsFallback for &Probe<T> {}
    trait Reads {
        fn reads(&self) -> bool {
            true
        }
    }
    impl<T: json::FromJson> Reads for Probe<T> {}

    trait WritesFallback {
        fn writes(&self) -> bool {
            false
        }
    }
    impl<T> WritesFallback for &Probe<T> {}
    trait Writes {
        fn writes(&self) -> bool {
            true
        }
    }
    impl<T: json::ToJson> Writes for Probe<T> {}

    #[test]
    fn a_side_compiled_out_is_absent_and_the_other_works() {
        assert!(!(&Probe::<Sent>(PhantomData)).reads());
        assert!((&Probe::<Sent>(PhantomData)).writes());
        assert!((&Probe::<Received>(PhantomData)).reads());
        assert!(!(&Probe::<Received>(PhantomData)).writes());
        // The probe tells a type with both sides from one with neither.
        assert!((&Probe::<String>(PhantomData)).reads());
        assert!(!(&Probe::<u128>(PhantomData)).writes());

        let sent = Sent {
            a: Some("x".to_owned()),
        };
        assert_eq!(json::to_value(&sent), json!({"a": "x"}));
        let received: Received = json::from_value(json!({"b": "y"})).expect("reads");
        assert_eq!(received.b.as_deref(), Some("y"));
    }
}
