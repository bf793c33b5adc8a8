//! Everything the client and its runtime log at trace level during a BatchCreateUser call that
//! is retried and then fails: no `@sensitive` names and no credentials may appear.

mod runtime_support;

use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

use runtime_support::{config_for, Action, ScriptedServer, SECRET_KEY};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wickr_admin::config::{Credentials, RetryConfig};
use wickr_admin::types::BatchCreateUserRequestItem;
use wickr_admin::Client;

/// Writes every span field and event field, at every level, into one string.
#[derive(Clone, Default)]
struct Capture {
    text: Arc<Mutex<String>>,
    next_id: Arc<Mutex<u64>>,
}

struct Append<'a>(&'a mut String);

impl Visit for Append<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = writeln!(self.0, "{} = {value:?}", field.name());
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        if let Ok(mut text) = self.text.lock() {
            span.record(&mut Append(&mut text));
        }
        let mut next = self.next_id.lock().unwrap_or_else(|p| p.into_inner());
        *next += 1;
        Id::from_u64(*next)
    }

    fn record(&self, _: &Id, values: &Record<'_>) {
        if let Ok(mut text) = self.text.lock() {
            values.record(&mut Append(&mut text));
        }
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        if let Ok(mut text) = self.text.lock() {
            event.record(&mut Append(&mut text));
        }
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

const SESSION_TOKEN: &str = "SessionTokenThatMustStayHidden";

#[tokio::test]
async fn trace_output_holds_no_names_or_credentials() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());

    let server = ScriptedServer::start(vec![
        Action::json(
            500,
            r#"{"message":"boom","echo":{"firstName":"Zebulon","lastName":"Quaxley"}}"#,
        ),
        Action::json(
            200,
            r#"{"successful":[{"userId":"1","username":"z@example.com","firstName":"Zebulon","lastName":"Quaxley"}],"failed":[]}"#,
        ),
    ])
    .await;
    let config = config_for(&server.url)
        .credentials_provider(Credentials::new(
            "AKIDTRACE",
            SECRET_KEY,
            Some(SESSION_TOKEN.to_string()),
            None,
            "trace-test",
        ))
        .retry_config(
            RetryConfig::standard().with_initial_backoff(std::time::Duration::from_millis(1)),
        )
        .build();
    let item = match BatchCreateUserRequestItem::builder()
        .username("z@example.com")
        .security_group_ids("sg-1")
        .first_name("Zebulon")
        .last_name("Quaxley")
        .build()
    {
        Ok(item) => item,
        Err(e) => panic!("test item did not build: {e}"),
    };
    let output = Client::from_conf(config)
        .batch_create_user()
        .network_id("12345678")
        .users(item)
        .send()
        .await;
    assert!(output.is_ok(), "{:?}", output.err());
    let received = server.received();
    assert_eq!(received.len(), 2);
    assert_eq!(
        received[0].header("x-amz-security-token"),
        Some(SESSION_TOKEN)
    );

    let text = capture.text.lock().map(|t| t.clone()).unwrap_or_default();
    // The capture really saw the call.
    assert!(text.contains("BatchCreateUser"), "nothing was captured");
    assert!(text.contains("transmitting request") || text.contains("x-client-token"));
    for secret in ["Zebulon", "Quaxley", SECRET_KEY, SESSION_TOKEN] {
        assert!(
            !text.contains(secret),
            "{secret} appears in the trace output"
        );
    }
}
