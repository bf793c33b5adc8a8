//! Paginators walk `nextToken` until it is absent, and report a repeated one, against a scripted
//! server.

mod runtime_support;

use runtime_support::{config_for, Action, ScriptedServer};
use wickr_admin::error::{explain, ProvideErrorMetadata, SdkError};
use wickr_admin::operation::RequestId;
use wickr_admin::Client;

fn page(ids: &[&str], next: Option<&str>) -> Action {
    let networks: Vec<String> = ids
        .iter()
        .map(|id| {
            format!(
                r#"{{"networkId":"{id}","networkName":"n{id}","accessLevel":"STANDARD","awsAccountId":"123456789012","networkArn":"arn:aws:wickr:us-east-1:123456789012:network/{id}"}}"#
            )
        })
        .collect();
    let next = next
        .map(|t| format!(r#","nextToken":"{t}""#))
        .unwrap_or_default();
    Action::json(
        200,
        &format!(r#"{{"networks":[{}]{next}}}"#, networks.join(",")),
    )
}

#[tokio::test]
async fn pages_follow_the_token_until_it_is_absent() {
    let server = ScriptedServer::start(vec![
        page(&["11111111", "22222222"], Some("t1")),
        page(&["33333333"], Some("t2")),
        page(&[], None),
    ])
    .await;
    let client = Client::from_conf(config_for(&server.url).build());
    let mut pages = client
        .list_networks()
        .max_results(2)
        .into_paginator()
        .send();
    let mut sizes = Vec::new();
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => sizes.push(page.networks.len()),
            Err(e) => panic!("page failed: {e}"),
        }
    }
    assert_eq!(sizes, vec![2, 1, 0]);
    let targets: Vec<String> = server.received().iter().map(|r| r.target.clone()).collect();
    assert_eq!(targets.len(), 3);
    assert!(!targets[0].contains("nextToken"), "{}", targets[0]);
    assert!(targets[0].contains("maxResults=2"), "{}", targets[0]);
    assert!(targets[1].contains("nextToken=t1"), "{}", targets[1]);
    assert!(targets[2].contains("nextToken=t2"), "{}", targets[2]);
}

#[tokio::test]
async fn items_are_flattened_and_a_repeated_token_ends_the_walk_with_an_error() {
    let server = ScriptedServer::start(vec![
        page(&["11111111"], Some("same")),
        page(&["22222222"], Some("same")).header("x-amzn-requestid", "req-2"),
        page(&["99999999"], None),
    ])
    .await;
    let client = Client::from_conf(config_for(&server.url).build());
    let mut items = client.list_networks().into_paginator().items().send();
    let mut ids = Vec::new();
    let mut failure = None;
    while let Some(item) = items.next().await {
        match item {
            Ok(network) => ids.push(network.network_id),
            Err(e) => failure = Some(e),
        }
    }
    // Every item of the pages received, then an error saying the list may be incomplete.
    assert_eq!(ids, vec!["11111111", "22222222"]);
    let failure = failure.expect("a repeated token is reported");
    assert!(matches!(failure, SdkError::ResponseError(_)), "{failure:?}");
    assert_eq!(
        explain(&failure),
        "response error: ListNetworks: the service sent page token \"same\" a second time; the \
         walk stops here so as not to loop, and pages after it may be missing"
    );
    assert_eq!(failure.request_id(), Some("req-2"));
    assert_eq!(server.received().len(), 2);
    // `try_collect` reports it as the walk's error.
    let server = ScriptedServer::start(vec![
        page(&["11111111"], Some("same")),
        page(&["22222222"], Some("same")),
    ])
    .await;
    let client = Client::from_conf(config_for(&server.url).build());
    let walk = client
        .list_networks()
        .into_paginator()
        .send()
        .try_collect()
        .await;
    assert!(matches!(walk, Err(SdkError::ResponseError(_))), "{walk:?}");
}

#[tokio::test]
async fn an_error_ends_the_walk_after_reporting_it() {
    let server = ScriptedServer::start(vec![
        page(&["11111111"], Some("t1")),
        Action::json(403, r#"{"message":"denied"}"#).header("x-amzn-errortype", "ForbiddenError"),
    ])
    .await;
    let client = Client::from_conf(config_for(&server.url).build());
    let mut items = client.list_networks().into_paginator().items().send();
    assert!(matches!(items.next().await, Some(Ok(_))));
    let err = items.next().await;
    assert!(
        matches!(&err, Some(Err(e)) if e.code() == Some("ForbiddenError")),
        "{err:?}"
    );
    assert!(items.next().await.is_none());
}

#[tokio::test]
async fn invalid_paging_input_is_reported_by_the_first_page() {
    let server = ScriptedServer::start(vec![]).await;
    let client = Client::from_conf(config_for(&server.url).build());
    // ListUsers needs a network id; the build error surfaces as the first page.
    let mut pages = client.list_users().into_paginator().send();
    let first = pages.next().await;
    assert!(
        matches!(&first, Some(Err(SdkError::ConstructionFailure(_)))),
        "{first:?}"
    );
    assert!(pages.next().await.is_none());
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn a_token_cycle_ends_the_walk_with_an_error() {
    let server = ScriptedServer::start(vec![
        page(&["11111111"], Some("a")),
        page(&["22222222"], Some("b")),
        page(&["33333333"], Some("a")),
        page(&["99999999"], None),
    ])
    .await;
    let client = Client::from_conf(config_for(&server.url).build());
    let mut pages = client.list_networks().into_paginator().send();
    for _ in 0..3 {
        assert!(matches!(pages.next().await, Some(Ok(_))));
    }
    let err = pages.next().await;
    assert!(
        matches!(&err, Some(Err(e)) if explain(e).contains("\"a\" a second time")),
        "{err:?}"
    );
    assert!(pages.next().await.is_none());
    assert_eq!(server.received().len(), 3);
}

#[tokio::test]
async fn stop_on_duplicate_token_false_follows_a_repeated_token() {
    let server = ScriptedServer::start(vec![
        page(&["11111111"], Some("same")),
        page(&["22222222"], Some("same")),
        page(&["33333333"], None),
    ])
    .await;
    let client = Client::from_conf(config_for(&server.url).build());
    let pages = client
        .list_networks()
        .into_paginator()
        .stop_on_duplicate_token(false)
        .send()
        .try_collect()
        .await
        .unwrap_or_else(|e| panic!("{}", explain(&e)));
    assert_eq!(pages.len(), 3);
    assert_eq!(server.received().len(), 3);
}
