//! Malformed requests get a modeled error or 404/413, never a panic or a hung connection.

mod common;

use common::{raw_request, start_demo, Signing};
use wickr_admin_local::DEMO_NETWORK_ID;

#[tokio::test]
async fn malformed_json_is_bad_request() {
    let emulator = start_demo().await;
    let path = format!("/networks/{DEMO_NETWORK_ID}/users");
    let r = raw_request(
        &emulator,
        "POST",
        &path,
        b"{\"users\": [",
        Some(Signing::default_key()),
    )
    .await
    .unwrap();
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.header("x-amzn-errortype"), Some("BadRequestError"));
    assert!(r.json()["message"].as_str().unwrap().contains("JSON"));
}

#[tokio::test]
async fn wrong_types_are_validation_errors() {
    let emulator = start_demo().await;
    let path = format!("/networks/{DEMO_NETWORK_ID}/users");
    let r = raw_request(
        &emulator,
        "POST",
        &path,
        b"{\"users\": \"everyone\"}",
        Some(Signing::default_key()),
    )
    .await
    .unwrap();
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["reasons"][0]["field"], "users");

    let r = raw_request(
        &emulator,
        "GET",
        &format!("/networks/{DEMO_NETWORK_ID}/users?maxResults=lots"),
        b"",
        Some(Signing::default_key()),
    )
    .await
    .unwrap();
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["reasons"][0]["field"], "maxResults");

    let r = raw_request(
        &emulator,
        "GET",
        "/networks/123",
        b"",
        Some(Signing::default_key()),
    )
    .await
    .unwrap();
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["reasons"][0]["field"], "networkId");

    let r = raw_request(
        &emulator,
        "POST",
        &path,
        b"[1, 2]",
        Some(Signing::default_key()),
    )
    .await
    .unwrap();
    assert_eq!(r.status, 400, "{}", r.body);
}

#[tokio::test]
async fn unknown_paths_are_not_found() {
    let emulator = start_demo().await;
    for (method, path) in [
        ("GET", "/nothing-here".to_owned()),
        ("GET", format!("/networks/{DEMO_NETWORK_ID}/printers")),
        ("PUT", format!("/networks/{DEMO_NETWORK_ID}/users")),
        ("GET", "/".to_owned()),
    ] {
        let r = raw_request(&emulator, method, &path, b"", Some(Signing::default_key()))
            .await
            .unwrap();
        assert_eq!(r.status, 404, "{method} {path}: {}", r.body);
        assert_eq!(
            r.header("x-amzn-errortype"),
            Some("UnknownOperationException")
        );
    }
}

#[tokio::test]
async fn oversized_body_is_payload_too_large() {
    let emulator = start_demo().await;
    let path = format!("/networks/{DEMO_NETWORK_ID}/users");
    let body = vec![b' '; 2 * 1024 * 1024];
    let r = raw_request(&emulator, "POST", &path, &body, None)
        .await
        .unwrap();
    assert_eq!(r.status, 413, "{}", r.body);
}

#[tokio::test]
async fn missing_network_is_not_found_for_every_network_operation() {
    let emulator = start_demo().await;
    for path in [
        "/networks/87654321",
        "/networks/87654321/settings",
        "/networks/87654321/users/count",
    ] {
        let r = raw_request(&emulator, "GET", path, b"", Some(Signing::default_key()))
            .await
            .unwrap();
        assert_eq!(r.status, 404, "{path}: {}", r.body);
        assert_eq!(r.header("x-amzn-errortype"), Some("ResourceNotFoundError"));
    }
}
