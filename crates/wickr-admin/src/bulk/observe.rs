//! Seeing throttling the client retried on its own.
//!
//! The client's retry layer absorbs most `429` answers before the job sees an error, yet those are
//! exactly the signal the job needs to lower its concurrency. The job therefore sends through a
//! copy of the client whose HTTP client counts every `429` response on the way back.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;

use crate::Client;

/// Counts throttled responses.
#[derive(Clone, Debug, Default)]
pub(crate) struct ThrottleCounter(Arc<AtomicU64>);

impl ThrottleCounter {
    pub(crate) fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

#[derive(Debug)]
struct CountingClient {
    inner: SharedHttpClient,
    counter: ThrottleCounter,
}

impl HttpClient for CountingClient {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(CountingConnector {
            inner: self.inner.http_connector(settings, components),
            counter: self.counter.clone(),
        })
    }
}

#[derive(Debug)]
struct CountingConnector {
    inner: SharedHttpConnector,
    counter: ThrottleCounter,
}

impl HttpConnector for CountingConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let response = self.inner.call(request);
        let counter = self.counter.clone();
        HttpConnectorFuture::new(async move {
            let response = response.await?;
            if response.status().as_u16() == 429 {
                counter.0.fetch_add(1, Ordering::Relaxed);
            }
            Ok(response)
        })
    }
}

/// The HTTPS client a [`Client`] uses when its configuration names none.
fn default_http_client() -> SharedHttpClient {
    use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};
    aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https()
}

/// A copy of `client` (same configuration) whose throttled responses are counted.
pub(crate) fn observed(client: &Client) -> (Client, ThrottleCounter) {
    let counter = ThrottleCounter::default();
    let config = client.config();
    let inner = config
        .http_client
        .clone()
        .unwrap_or_else(default_http_client);
    let counting = SharedHttpClient::new(CountingClient {
        inner,
        counter: counter.clone(),
    });
    let config = config.to_builder().http_client(counting).build();
    (Client::from_conf(config), counter)
}
