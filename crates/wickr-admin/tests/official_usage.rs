//! Typical code written for the official `aws-sdk-wickr` crate, written once and run against
//! both crates (`usage!(aws_sdk_wickr); usage!(wickr_admin);`) over real HTTP, on the emulator
//! with its demo network: error handling, paginators, configuration, request ids and
//! `customize()`. Where `official_api_surface` checks that every item compiles, this checks that
//! the usual calls behave the same way with either crate.

use std::sync::{Arc, Mutex};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use wickr_admin_local::{
    Emulator, RunningEmulator, DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, DEMO_GROUP_ID,
    DEMO_NETWORK_ID,
};

/// Records a header of every request just before it is sent.
#[derive(Clone, Debug, Default)]
struct SeenHeader {
    name: &'static str,
    values: Arc<Mutex<Vec<Option<String>>>>,
}

impl SeenHeader {
    fn new(name: &'static str) -> Self {
        Self {
            name,
            values: Arc::default(),
        }
    }

    fn values(&self) -> Vec<Option<String>> {
        self.values.lock().map(|v| v.clone()).unwrap_or_default()
    }
}

impl Intercept for SeenHeader {
    fn name(&self) -> &'static str {
        "SeenHeader"
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let value = context
            .request()
            .headers()
            .get(self.name)
            .map(str::to_owned);
        if let Ok(mut values) = self.values.lock() {
            values.push(value);
        }
        Ok(())
    }
}

async fn emulator() -> RunningEmulator {
    match Emulator::builder().seed_demo_network(true).start().await {
        Ok(emulator) => emulator,
        Err(e) => panic!("the emulator does not start: {e}"),
    }
}

macro_rules! usage {
    ($krate:ident) => {
        mod $krate {
            use std::time::Duration;

            use ::$krate as krate;
            use krate::config::retry::RetryConfig;
            use krate::config::timeout::TimeoutConfig;
            use krate::config::{BehaviorVersion, Credentials, Region};
            use krate::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
            use krate::operation::get_user::GetUserError;
            use krate::operation::RequestId;
            use krate::types::BatchCreateUserRequestItem;

            use super::*;

            fn credentials() -> Credentials {
                Credentials::new(
                    DEFAULT_ACCESS_KEY_ID,
                    DEFAULT_SECRET_ACCESS_KEY,
                    None,
                    None,
                    "usage",
                )
            }

            fn config(endpoint: &str) -> krate::config::Builder {
                krate::Config::builder()
                    .behavior_version(BehaviorVersion::latest())
                    .region(Region::new("us-east-1"))
                    .credentials_provider(credentials())
                    .endpoint_url(endpoint)
                    .retry_config(RetryConfig::standard().with_max_attempts(2))
                    .timeout_config(
                        TimeoutConfig::builder()
                            .operation_timeout(Duration::from_secs(30))
                            .build(),
                    )
            }

            fn client(endpoint: &str) -> krate::Client {
                krate::Client::from_conf(config(endpoint).build())
            }

            async fn create_users(client: &krate::Client, names: &[&str]) {
                let mut call = client.batch_create_user().network_id(DEMO_NETWORK_ID);
                for name in names {
                    let item = BatchCreateUserRequestItem::builder()
                        .username(*name)
                        .security_group_ids(DEMO_GROUP_ID)
                        .build();
                    match item {
                        Ok(item) => call = call.users(item),
                        Err(e) => panic!("the item builds: {e}"),
                    }
                }
                let output = call.send().await;
                let output = output.unwrap_or_else(|e| panic!("{}", DisplayErrorContext(&e)));
                assert_eq!(output.successful().len(), names.len(), "{output:?}");
                assert!(
                    output.request_id().is_some(),
                    "outputs carry the request id"
                );
            }

            /// The usual error handling: match the service error, ask its kind, code, message,
            /// metadata and request id, and print it with its context.
            #[tokio::test]
            async fn errors_are_matched_and_explained() {
                let emulator = emulator().await;
                let client = client(&emulator.endpoint_url());
                let err = client
                    .get_user()
                    .network_id(DEMO_NETWORK_ID)
                    .user_id("99999999")
                    .send()
                    .await
                    .expect_err("no such user");
                assert!(matches!(err, SdkError::ServiceError(_)), "{err:?}");
                let code = err.code().map(str::to_owned);
                assert_eq!(code.as_deref(), Some("ResourceNotFoundError"));
                assert!(err.message().is_some_and(|m| !m.is_empty()));
                assert_eq!(err.meta().code(), code.as_deref());
                let request_id = err.request_id().map(str::to_owned);
                assert!(request_id.is_some(), "{err:?}");
                let shown = DisplayErrorContext(&err).to_string();
                assert!(shown.contains("ResourceNotFoundError"), "{shown}");
                let service = err.as_service_error().expect("a service error");
                assert!(service.is_resource_not_found_error());
                assert_eq!(service.request_id(), request_id.as_deref());
                match err.into_service_error() {
                    GetUserError::ResourceNotFoundError(e) => {
                        assert!(e.message().is_some());
                    }
                    other => panic!("expected ResourceNotFoundError, got {other:?}"),
                }
            }

            async fn get_missing_user(client: &krate::Client) -> Result<(), krate::Error> {
                client
                    .get_user()
                    .network_id(DEMO_NETWORK_ID)
                    .user_id("99999999")
                    .send()
                    .await?;
                Ok(())
            }

            /// `?` turns any operation's error into the crate-wide `Error`.
            #[tokio::test]
            async fn question_mark_converts_into_the_crate_error() {
                let emulator = emulator().await;
                let client = client(&emulator.endpoint_url());
                let err = get_missing_user(&client).await.expect_err("no such user");
                assert!(
                    matches!(err, krate::Error::ResourceNotFoundError(_)),
                    "{err:?}"
                );
                assert_eq!(err.code(), Some("ResourceNotFoundError"));
                assert!(err.request_id().is_some());
                // A failure without an answer is kept too, with its metadata.
                let nowhere = krate::Client::from_conf(config("http://127.0.0.1:9").build());
                let err = get_missing_user(&nowhere)
                    .await
                    .expect_err("nothing listens");
                assert!(err.code().is_none(), "{err:?}");
                assert!(std::error::Error::source(&err).is_some(), "{err:?}");
            }

            /// Calls run on tasks of their own, as concurrent code spawns them: the future
            /// `send()` returns is `Send` and `'static`.
            #[tokio::test]
            async fn calls_are_spawned_on_tasks() {
                let emulator = emulator().await;
                let client = client(&emulator.endpoint_url());
                let calls: Vec<_> = (0..3)
                    .map(|_| tokio::spawn(client.get_network().network_id(DEMO_NETWORK_ID).send()))
                    .collect();
                for call in calls {
                    let output = match call.await {
                        Ok(output) => output,
                        Err(e) => panic!("the task ends: {e}"),
                    };
                    let output = output.unwrap_or_else(|e| panic!("{}", DisplayErrorContext(&e)));
                    assert_eq!(output.network_id(), DEMO_NETWORK_ID);
                }
            }

            /// Paginators are streams of pages or of items.
            #[tokio::test]
            async fn paginators_stream_pages_and_items() {
                let emulator = emulator().await;
                let client = client(&emulator.endpoint_url());
                create_users(
                    &client,
                    &["p1@example.com", "p2@example.com", "p3@example.com"],
                )
                .await;
                let list = || client.list_users().network_id(DEMO_NETWORK_ID);
                let pages = list()
                    .into_paginator()
                    .page_size(2)
                    .send()
                    .collect::<Vec<_>>()
                    .await;
                assert!(pages.len() >= 2, "{pages:?}");
                assert!(pages.iter().all(|page| page.is_ok()));
                let mut items = list().into_paginator().page_size(2).items().send();
                let mut names = Vec::new();
                while let Some(user) = items.next().await {
                    let user = user.unwrap_or_else(|e| panic!("{}", DisplayErrorContext(&e)));
                    names.extend(user.username().map(str::to_owned));
                }
                let collected = list()
                    .into_paginator()
                    .items()
                    .send()
                    .try_collect()
                    .await
                    .unwrap_or_else(|e| panic!("{}", DisplayErrorContext(&e)));
                assert_eq!(collected.len(), names.len());
                for name in ["p1@example.com", "p2@example.com", "p3@example.com"] {
                    assert!(names.iter().any(|n| n == name), "{names:?}");
                }
                // A build failure (no network id) is the stream's first and only item.
                let mut pages = client.list_users().into_paginator().send();
                assert!(matches!(
                    pages.next().await,
                    Some(Err(SdkError::ConstructionFailure(_)))
                ));
                assert!(pages.next().await.is_none());
            }

            /// A configuration from an `SdkConfig`, read back and changed with `to_builder`.
            #[tokio::test]
            async fn configuration_from_sdk_config_and_back() {
                let emulator = emulator().await;
                let sdk_config = aws_types::SdkConfig::builder()
                    .behavior_version(BehaviorVersion::latest())
                    .region(Region::new("us-east-1"))
                    .credentials_provider(
                        aws_credential_types::provider::SharedCredentialsProvider::new(
                            credentials(),
                        ),
                    )
                    .endpoint_url(emulator.endpoint_url())
                    .build();
                let conf = krate::Config::new(&sdk_config);
                assert_eq!(conf.region().map(|r| r.as_ref()), Some("us-east-1"));
                assert_eq!(conf.signing_name(), "wickr");
                let changed = conf
                    .to_builder()
                    .retry_config(RetryConfig::standard().with_max_attempts(5))
                    .build();
                assert_eq!(
                    changed.retry_config().map(RetryConfig::max_attempts),
                    Some(5)
                );
                // A fixed idempotency token, as tests of code using either crate set one (the
                // provider's type is not nameable in the official crate; a `&'static str` is).
                let token = SeenHeader::new("x-client-token");
                let fixed = krate::Client::from_conf(
                    krate::config::Builder::from(&sdk_config)
                        .idempotency_token_provider("00000000-0000-4000-8000-000000000001")
                        .interceptor(token.clone())
                        .build(),
                );
                let output = fixed
                    .batch_create_user()
                    .network_id(DEMO_NETWORK_ID)
                    .users(
                        BatchCreateUserRequestItem::builder()
                            .username("token@example.com")
                            .security_group_ids(DEMO_GROUP_ID)
                            .build()
                            .expect("the item builds"),
                    )
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("{}", DisplayErrorContext(&e)));
                assert_eq!(output.successful().len(), 1, "{output:?}");
                assert_eq!(
                    token.values(),
                    vec![Some("00000000-0000-4000-8000-000000000001".to_owned())]
                );
                let client = krate::Client::new(&sdk_config);
                let network = client
                    .get_network()
                    .network_id(DEMO_NETWORK_ID)
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("{}", DisplayErrorContext(&e)));
                assert!(network.request_id().is_some());
            }

            /// A resolver of the caller's own replaces the endpoint rules.
            #[derive(Debug)]
            struct ToEmulator(String);

            impl krate::config::endpoint::ResolveEndpoint for ToEmulator {
                fn resolve_endpoint<'a>(
                    &'a self,
                    params: &'a krate::config::endpoint::Params,
                ) -> krate::config::endpoint::EndpointFuture<'a> {
                    assert_eq!(params.region(), Some("us-east-1"));
                    krate::config::endpoint::EndpointFuture::ready(Ok(
                        krate::config::endpoint::Endpoint::builder()
                            .url(self.0.clone())
                            .build(),
                    ))
                }
            }

            #[tokio::test]
            async fn a_custom_endpoint_resolver_is_used() {
                let emulator = emulator().await;
                let client = krate::Client::from_conf(
                    krate::Config::builder()
                        .behavior_version(BehaviorVersion::latest())
                        .region(Region::new("us-east-1"))
                        .credentials_provider(credentials())
                        .endpoint_resolver(ToEmulator(emulator.endpoint_url()))
                        .build(),
                );
                client
                    .get_network()
                    .network_id(DEMO_NETWORK_ID)
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("{}", DisplayErrorContext(&e)));
                // The rules themselves, through the public API.
                let params = krate::config::endpoint::Params::builder()
                    .region("eu-west-2")
                    .build()
                    .expect("valid parameters");
                let resolver = krate::config::endpoint::DefaultResolver::new();
                let endpoint =
                    krate::config::endpoint::ResolveEndpoint::resolve_endpoint(&resolver, &params)
                        .await
                        .expect("the rules give an endpoint");
                assert_eq!(
                    endpoint.url(),
                    "https://admin.wickr.eu-west-2.amazonaws.com"
                );
            }

            /// Interceptors from the configuration run on every call; `customize()` adds
            /// interceptors, changes the request and overrides settings for one call.
            #[tokio::test]
            async fn interceptors_and_customize() {
                let emulator = emulator().await;
                let seen = SeenHeader::new("x-usage");
                let client = krate::Client::from_conf(
                    config(&emulator.endpoint_url())
                        .interceptor(seen.clone())
                        .build(),
                );
                let output = client
                    .get_users_count()
                    .network_id(DEMO_NETWORK_ID)
                    .customize()
                    .mutate_request(|request| {
                        request.headers_mut().insert("x-usage", "customized");
                    })
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("{}", DisplayErrorContext(&e)));
                assert!(output.request_id().is_some());
                let per_call = SeenHeader::new("x-usage");
                client
                    .get_users_count()
                    .network_id(DEMO_NETWORK_ID)
                    .customize()
                    .interceptor(per_call.clone())
                    .config_override(
                        krate::Config::builder()
                            .retry_config(RetryConfig::standard().with_max_attempts(1)),
                    )
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("{}", DisplayErrorContext(&e)));
                assert_eq!(
                    seen.values(),
                    vec![Some("customized".to_owned()), None],
                    "the configuration's interceptor saw both calls"
                );
                assert_eq!(per_call.values(), vec![None], "the call's own ran once");
                // An override's credentials are used for that call only.
                let wrong = Credentials::new("AKIDWRONG", "wrong", None, None, "wrong");
                let err = client
                    .get_users_count()
                    .network_id(DEMO_NETWORK_ID)
                    .customize()
                    .config_override(krate::Config::builder().credentials_provider(wrong))
                    .send()
                    .await
                    .expect_err("the emulator refuses unknown keys");
                assert!(matches!(err, SdkError::ServiceError(_)), "{err:?}");
                client
                    .get_users_count()
                    .network_id(DEMO_NETWORK_ID)
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("{}", DisplayErrorContext(&e)));
            }
        }
    };
}

usage!(aws_sdk_wickr);
usage!(wickr_admin);
