//! The HTTP client a client uses unless its configuration names another: hyper with rustls,
//! whose trusted root certificates are read from the system at the first `https` request.
//!
//! The usual client reads them (a file or a folder of them, parsed one by one) when a client is
//! made, so that every call can use them; that is most of a client's start-up and a few hundred
//! kilobytes of memory, spent for nothing against a plain `http://` endpoint (a local emulator,
//! a proxy on the machine). Here a request to an `http://` endpoint goes through a connector that
//! trusts no root (it makes no TLS connection), and the first `https://` request makes the
//! connector with the system's roots, which the process then keeps, as the usual client does.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode, TlsContext, TrustStore};
use aws_smithy_runtime_api::client::connector_metadata::ConnectorMetadata;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;

/// The default HTTP client: see the module's documentation.
pub fn default_http_client() -> SharedHttpClient {
    SharedHttpClient::new(RootsWhenNeeded {
        plain: client(
            TlsContext::builder().with_trust_store(TrustStore::empty().with_native_roots(false)),
        ),
        tls: client(TlsContext::builder()),
        connectors: Mutex::new(HashMap::new()),
    })
}

fn client(context: tls::TlsContextBuilder) -> SharedHttpClient {
    let builder = aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(CryptoMode::Ring));
    match context.build() {
        Ok(context) => builder.tls_context(context).build_https(),
        // Building a context from a trust store without certificates of its own cannot fail;
        // were it to, the usual client is the one to fall back on.
        Err(_) => builder.build_https(),
    }
}

/// Two clients behind one: `plain` for `http://`, `tls` for the rest.
#[derive(Debug)]
struct RootsWhenNeeded {
    plain: SharedHttpClient,
    tls: SharedHttpClient,
    /// One connector per timeout settings, as the clients behind keep theirs.
    connectors: Mutex<HashMap<Timeouts, SharedHttpConnector>>,
}

/// The connect and read timeouts of a connector's settings.
type Timeouts = (Option<Duration>, Option<Duration>);

impl HttpClient for RootsWhenNeeded {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        let key = (settings.connect_timeout(), settings.read_timeout());
        let mut connectors = self
            .connectors
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        connectors
            .entry(key)
            .or_insert_with(|| {
                SharedHttpConnector::new(ByScheme {
                    plain: self.plain.http_connector(settings, components),
                    tls: Arc::new(LaterTls {
                        client: self.tls.clone(),
                        settings: settings.clone(),
                        components: components.clone(),
                        connector: OnceLock::new(),
                    }),
                })
            })
            .clone()
    }

    /// The clients behind are the same hyper client; the user agent names it as for either.
    fn connector_metadata(&self) -> Option<ConnectorMetadata> {
        self.plain.connector_metadata()
    }
}

/// What the `https` connector is made from, when it is first needed.
#[derive(Debug)]
struct LaterTls {
    client: SharedHttpClient,
    settings: HttpConnectorSettings,
    components: RuntimeComponents,
    connector: OnceLock<SharedHttpConnector>,
}

#[derive(Debug)]
struct ByScheme {
    plain: SharedHttpConnector,
    tls: Arc<LaterTls>,
}

impl HttpConnector for ByScheme {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let plain = request
            .uri()
            .get(..7)
            .is_some_and(|scheme| scheme.eq_ignore_ascii_case("http://"));
        if plain {
            return self.plain.call(request);
        }
        let tls = &self.tls;
        tls.connector
            .get_or_init(|| tls.client.http_connector(&tls.settings, &tls.components))
            .call(request)
    }
}
