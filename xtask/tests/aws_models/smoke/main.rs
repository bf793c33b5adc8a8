//! One request per AWS model, from the client generated from it to a server on 127.0.0.1.
//!
//! Each client is configured as a user would: a region, credentials, and an endpoint override
//! (which each model's endpoint rules return as the endpoint). It sends one operation signed
//! with SigV4 as its model's auth says; the server records the request and answers with a
//! response of the model's shape. The test checks the method, the path and query (labels and
//! query bindings as the model binds them), the signature (scope and value, see
//! `signature.rs`), and a field of the output the client read back.

mod calls;
mod server;
mod signature;

use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};
use aws_smithy_runtime_api::client::dns::{DnsFuture, ResolveDns};
use aws_smithy_runtime_api::client::http::SharedHttpClient;

use server::Received;

/// Resolves every host name to 127.0.0.1: `localhost`, and the host a model's `@endpoint`
/// prefix puts before it.
#[derive(Clone, Debug)]
struct Loopback;

impl ResolveDns for Loopback {
    fn resolve_dns<'a>(&'a self, _name: &'a str) -> DnsFuture<'a> {
        DnsFuture::ready(Ok(vec![std::net::Ipv4Addr::LOCALHOST.into()]))
    }
}

/// The HTTP client of every smoke test: the runtime's default one, with the loopback resolver.
fn http_client() -> SharedHttpClient {
    aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_with_resolver(Loopback)
}

/// A client of crate `$krate` configured with the test region, credentials and `$server` as
/// the endpoint, making one attempt per call.
macro_rules! client {
    ($krate:ident, $server:expr) => {
        $krate::Client::from_conf(
            $krate::Config::builder()
                .region($krate::config::Region::new(crate::signature::REGION))
                .credentials_provider(crate::signature::credentials())
                .endpoint_url($server.endpoint())
                .http_client(crate::http_client())
                .retry_config($krate::config::RetryConfig::disabled())
                .build(),
        )
    };
}
pub(crate) use client;

/// Checks what arrived: the method, the path and query, and a valid SigV4 signature for
/// `signing_name`.
fn expect_signed(request: &Received, method: &str, target: &str, signing_name: &str) {
    assert_eq!(request.method, method, "{request:?}");
    assert_eq!(request.target, target, "{request:?}");
    if let Err(problem) = signature::check(request, signing_name) {
        panic!("{problem}\n{request:?}");
    }
}

/// The JSON body of a request.
fn json_body(request: &Received) -> serde_json::Value {
    serde_json::from_slice(&request.body)
        .unwrap_or_else(|e| panic!("the body is not JSON ({e}): {request:?}"))
}
