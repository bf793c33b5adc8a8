//! SigV4: the receiving server recomputes each request's signature from the bytes it received
//! and the known secret, with aws-sigv4's public signing function (not the client's code path).

mod runtime_support;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use runtime_support::probe::{probe_input, Probe};
use runtime_support::{config_for, Action, Received, ScriptedServer, ACCESS_KEY, SECRET_KEY};
use wickr_admin::config::{Region, RetryConfig};
use wickr_admin::Client;

/// `20261128T134000Z` as a point in time.
fn parse_amz_date(value: &str) -> Option<SystemTime> {
    let num = |range: std::ops::Range<usize>| value.get(range)?.parse::<i64>().ok();
    let (y, m, d) = (num(0..4)?, num(4..6)?, num(6..8)?);
    let (hh, mm, ss) = (num(9..11)?, num(11..13)?, num(13..15)?);
    // Days from 1970-01-01 to the civil date (proleptic Gregorian).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + hh * 3600 + mm * 60 + ss;
    Some(UNIX_EPOCH + Duration::from_secs(u64::try_from(secs).ok()?))
}

/// The signed header names listed in the Authorization header.
fn signed_headers(authorization: &str) -> Vec<String> {
    authorization
        .split(", ")
        .find_map(|part| part.strip_prefix("SignedHeaders="))
        .or_else(|| {
            authorization
                .split(' ')
                .find_map(|part| part.trim_end_matches(',').strip_prefix("SignedHeaders="))
        })
        .map(|list| {
            list.trim_end_matches(',')
                .split(';')
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Recomputes the Authorization header the request should carry if it was signed with `secret`.
fn expected_authorization(request: &Received, secret: &str, region: &str) -> Option<String> {
    let authorization = request.header("authorization")?;
    let time = parse_amz_date(request.header("x-amz-date")?)?;
    let names = signed_headers(authorization);
    let headers: Vec<(&str, &str)> = request
        .headers
        .iter()
        .filter(|(n, _)| names.contains(n) && n != "x-amz-date")
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let identity: Identity = Credentials::new(ACCESS_KEY, secret, None, None, "verifier").into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name("wickr")
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .ok()?
        .into();
    let signable = SignableRequest::new(
        &request.method,
        request.target.as_str(),
        headers.into_iter(),
        SignableBody::Bytes(&request.body),
    )
    .ok()?;
    let (instructions, _) = sign(signable, &params).ok()?.into_parts();
    let authorization = instructions
        .headers()
        .find(|(n, _)| n.eq_ignore_ascii_case("authorization"))
        .map(|(_, v)| v.to_string());
    authorization
}

#[tokio::test]
async fn every_attempt_is_signed_and_verifiable_with_the_secret() {
    let server = ScriptedServer::start(vec![
        Action::json(503, "{}"),
        Action::json(200, r#"{"ok":true}"#),
    ])
    .await;
    let config = config_for(&server.url)
        .retry_config(RetryConfig::standard().with_initial_backoff(Duration::from_millis(1)))
        .build();
    let result = Client::from_conf(config)
        .call::<Probe>(probe_input(&["alice"]))
        .await;
    assert!(result.is_ok(), "{:?}", result.err());
    let received = server.received();
    assert_eq!(received.len(), 2);
    for request in &received {
        let authorization = request.header("authorization").unwrap_or_default();
        assert!(
            authorization.starts_with(&format!("AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/")),
            "{authorization}"
        );
        assert!(
            authorization.contains("/us-east-1/wickr/aws4_request"),
            "{authorization}"
        );
        let names = signed_headers(authorization);
        for required in ["content-type", "host", "x-amz-date", "x-client-token"] {
            assert!(
                names.iter().any(|n| n == required),
                "{required} not signed: {names:?}"
            );
        }
        assert_eq!(
            expected_authorization(request, SECRET_KEY, "us-east-1").as_deref(),
            Some(authorization)
        );
        let wrong = expected_authorization(request, "not-the-secret", "us-east-1");
        assert!(wrong.is_some());
        assert_ne!(wrong.as_deref(), Some(authorization));
    }
}

#[tokio::test]
async fn a_client_with_the_wrong_secret_fails_verification() {
    let server = ScriptedServer::start(vec![Action::json(200, "{}")]).await;
    let config = config_for(&server.url)
        .credentials_provider(Credentials::new(
            ACCESS_KEY,
            "wrong-secret",
            None,
            None,
            "t",
        ))
        .build();
    let _ = Client::from_conf(config)
        .call::<Probe>(probe_input(&["a"]))
        .await;
    let received = server.received();
    assert_eq!(received.len(), 1);
    let sent = received[0].header("authorization");
    assert!(sent.is_some());
    assert_ne!(
        expected_authorization(&received[0], SECRET_KEY, "us-east-1").as_deref(),
        sent
    );
    // The server can recompute what was sent, from the secret the client was given.
    assert_eq!(
        expected_authorization(&received[0], "wrong-secret", "us-east-1").as_deref(),
        sent
    );
}

#[tokio::test]
async fn the_signing_region_follows_the_configured_region() {
    let server = ScriptedServer::start(vec![Action::json(200, "{}")]).await;
    let config = config_for(&server.url)
        .region(Region::new("eu-central-1"))
        .build();
    let result = Client::from_conf(config)
        .call::<Probe>(probe_input(&["a"]))
        .await;
    assert!(result.is_ok(), "{:?}", result.err());
    let request = &server.received()[0];
    let authorization = request.header("authorization").unwrap_or_default();
    assert!(authorization.contains("/eu-central-1/wickr/aws4_request"));
    assert_eq!(
        expected_authorization(request, SECRET_KEY, "eu-central-1").as_deref(),
        Some(authorization)
    );
}

#[tokio::test]
async fn session_tokens_are_sent_and_signed() {
    let server = ScriptedServer::start(vec![Action::json(200, "{}")]).await;
    let config = config_for(&server.url)
        .credentials_provider(Credentials::new(
            ACCESS_KEY,
            SECRET_KEY,
            Some("session-token-value".into()),
            None,
            "t",
        ))
        .build();
    let result = Client::from_conf(config)
        .call::<Probe>(probe_input(&["a"]))
        .await;
    assert!(result.is_ok(), "{:?}", result.err());
    let request = &server.received()[0];
    assert_eq!(
        request.header("x-amz-security-token"),
        Some("session-token-value")
    );
    let names = signed_headers(request.header("authorization").unwrap_or_default());
    assert!(
        names.iter().any(|n| n == "x-amz-security-token"),
        "{names:?}"
    );
}

#[tokio::test]
async fn missing_region_or_credentials_are_clear_errors_not_panics() {
    let server = ScriptedServer::start(vec![]).await;
    let no_region = wickr_admin::Config::builder()
        .endpoint_url(&server.url)
        .credentials_provider(Credentials::new(ACCESS_KEY, SECRET_KEY, None, None, "t"))
        .build();
    let err = Client::from_conf(no_region)
        .call::<Probe>(probe_input(&["a"]))
        .await
        .err()
        .map(|e| wickr_admin::error::explain(&e))
        .unwrap_or_default();
    assert!(err.contains("no region is configured"), "{err}");

    let no_region_no_endpoint = wickr_admin::Config::builder()
        .credentials_provider(Credentials::new(ACCESS_KEY, SECRET_KEY, None, None, "t"))
        .build();
    let err = Client::from_conf(no_region_no_endpoint)
        .call::<Probe>(probe_input(&["a"]))
        .await
        .err()
        .map(|e| wickr_admin::error::explain(&e))
        .unwrap_or_default();
    assert!(err.contains("no region is configured"), "{err}");

    let no_credentials = wickr_admin::Config::builder()
        .endpoint_url(&server.url)
        .region(Region::new("us-east-1"))
        .build();
    let err = Client::from_conf(no_credentials)
        .call::<Probe>(probe_input(&["a"]))
        .await
        .err()
        .map(|e| wickr_admin::error::explain(&e))
        .unwrap_or_default();
    assert!(err.contains("no credentials provider"), "{err}");
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn credentials_never_show_in_debug_output() {
    let server = ScriptedServer::start(vec![Action::json(403, r#"{"message":"denied"}"#)]).await;
    let client = Client::from_conf(config_for(&server.url).build());
    let err = client.call::<Probe>(probe_input(&["a"])).await.err();
    let printed = format!("{client:?} {:?} {:?}", client.config(), err);
    assert!(!printed.contains(SECRET_KEY), "{printed}");
    let shown = err
        .map(|e| wickr_admin::error::explain(&e))
        .unwrap_or_default();
    assert!(!shown.contains(SECRET_KEY));
}

#[tokio::test]
async fn the_configured_time_source_dates_the_signature() {
    let server = ScriptedServer::start(vec![Action::json(200, "{}")]).await;
    // 2030-01-02T03:04:05Z
    let at = UNIX_EPOCH + Duration::from_secs(1_893_553_445);
    let config = config_for(&server.url)
        .time_source(aws_smithy_async::time::StaticTimeSource::new(at))
        .build();
    let result = Client::from_conf(config)
        .call::<Probe>(probe_input(&["a"]))
        .await;
    assert!(result.is_ok(), "{:?}", result.err());
    let request = &server.received()[0];
    assert_eq!(request.header("x-amz-date"), Some("20300102T030405Z"));
    assert_eq!(parse_amz_date("20300102T030405Z"), Some(at));
    let authorization = request.header("authorization").unwrap_or_default();
    assert!(authorization.contains("/20300102/us-east-1/wickr/aws4_request"));
    assert_eq!(
        expected_authorization(request, SECRET_KEY, "us-east-1").as_deref(),
        Some(authorization)
    );
}

#[derive(Debug)]
struct NoCredentials;

impl aws_credential_types::provider::ProvideCredentials for NoCredentials {
    fn provide_credentials<'a>(
        &'a self,
    ) -> aws_credential_types::provider::future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        aws_credential_types::provider::future::ProvideCredentials::ready(Err(
            aws_credential_types::provider::error::CredentialsError::not_loaded(
                "no credentials in the test environment",
            ),
        ))
    }
}

#[tokio::test]
async fn a_failing_credentials_provider_is_reported_without_sending() {
    let server = ScriptedServer::start(vec![Action::json(200, "{}")]).await;
    let config = config_for(&server.url)
        .credentials_provider(NoCredentials)
        .build();
    let err = Client::from_conf(config)
        .call::<Probe>(probe_input(&["a"]))
        .await
        .err();
    let shown = err
        .as_ref()
        .map(|e| wickr_admin::error::explain(e))
        .unwrap_or_default();
    // As with the official client, the orchestrator reports it as a dispatch failure; the
    // chain says why, and that it is the credentials.
    assert!(
        matches!(err, Some(wickr_admin::error::SdkError::DispatchFailure(_))),
        "{err:?}"
    );
    assert!(
        err.as_ref()
            .is_some_and(|e| wickr_admin::error::is_credentials_failure(e)),
        "{err:?}"
    );
    assert!(
        shown.contains("no credentials in the test environment"),
        "{shown}"
    );
    assert!(!shown.contains('\n'), "{shown}");
    assert!(server.received().is_empty());
}
