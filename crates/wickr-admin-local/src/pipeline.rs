//! The request pipeline: from a received request to the response, in this order: a request id
//! for the answer, the body (size limit and read timeout), the signature, the route, injected
//! faults, the rate limit, permissions, the idempotency token, then the operation itself
//! ([`crate::wire::dispatch`]).

use crate::auth::{Access, SignedRequest};
use crate::error::{echo, ApiError};
use crate::faults::Fault;
use crate::idempotency::{Claim, StoredResponse};
use crate::journal;
use crate::routes::route_request;
use crate::server::{ConnectionControl, Shared};
use crate::wire::input::{self, decode_label, Query};
use crate::wire::{dispatch, Call, Reply};
use axum::body::Body;
use bytes::Bytes;
use http::{HeaderValue, Request, Response, StatusCode};
use std::sync::Arc;

/// Largest request body accepted, in bytes.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Handles one request end to end.
pub async fn handle(
    shared: Arc<Shared>,
    request: Request<Body>,
    conn: ConnectionControl,
) -> Response<Body> {
    let mut response = match handle_inner(&shared, request, &conn).await {
        Ok(response) => response,
        Err(e) => e.into_response(),
    };
    response
        .headers_mut()
        .insert("x-amzn-requestid", new_request_id());
    response
}

/// A fresh request id: a random (version 4) UUID, drawn from a fast non-cryptographic
/// generator since it only has to be unique.
fn new_request_id() -> HeaderValue {
    let id = uuid::Builder::from_random_bytes(fastrand::u128(..).to_le_bytes()).into_uuid();
    let mut text = [0u8; uuid::fmt::Hyphenated::LENGTH];
    HeaderValue::from_str(id.hyphenated().encode_lower(&mut text))
        .unwrap_or_else(|_| HeaderValue::from_static("unknown"))
}

async fn handle_inner(
    shared: &Shared,
    request: Request<Body>,
    conn: &ConnectionControl,
) -> Result<Response<Body>, ApiError> {
    let (parts, body) = request.into_parts();
    let read = axum::body::to_bytes(body, MAX_BODY_BYTES);
    let body = match tokio::time::timeout(shared.read_timeout, read).await {
        Err(_) => return Err(ApiError::RequestTimeout(shared.read_timeout)),
        Ok(Err(e)) if is_length_limit(&e) => return Err(ApiError::PayloadTooLarge(MAX_BODY_BYTES)),
        Ok(Err(e)) => {
            return Err(ApiError::BadRequest(format!(
                "the request body could not be read: {e}"
            )))
        }
        Ok(Ok(body)) => body,
    };
    // Signatures are checked before routing, as at AWS's front door: an unsigned request
    // learns nothing about which paths exist.
    let access = shared.verifier.verify(&SignedRequest::new(&parts, &body))?;
    let (op, raw_labels) = route_request(
        &parts.method,
        parts.uri.path_and_query().map_or("/", |p| p.as_str()),
    )
    .ok_or_else(|| {
        ApiError::UnknownOperation(format!("{} {}", parts.method, echo(parts.uri.path())))
    })?;

    let fault = shared.faults.next();
    match fault {
        Some(Fault::Throttle) => {
            return Err(ApiError::RateLimited {
                retry_after_secs: 1,
            })
        }
        Some(Fault::Internal) => {
            return Err(ApiError::Internal("injected internal error".to_owned()))
        }
        Some(Fault::Unavailable) => return Err(ApiError::ServiceUnavailable),
        Some(Fault::Reset) => return Ok(conn.reset_connection().await),
        Some(Fault::Delay(d)) => tokio::time::sleep(d).await,
        Some(Fault::Lost) | None => {}
    }

    let labels = decode_labels(raw_labels)?;
    if let Some(limiter) = &shared.rate_limit {
        let network = labels
            .iter()
            .find(|(name, _)| *name == "networkId")
            .map_or("", |(_, value)| value.as_str());
        if !limiter.allow(network) {
            return Err(ApiError::RateLimited {
                retry_after_secs: 1,
            });
        }
    }
    if access == Access::ReadOnly && !op.is_read() {
        return Err(ApiError::Forbidden(
            "this access key may only call read operations".to_owned(),
        ));
    }

    let token = if op.takes_client_token() {
        match parts.headers.get("x-client-token") {
            None => None,
            Some(v) => {
                let t = v
                    .to_str()
                    .map_err(|_| ApiError::invalid("clientToken", "must be visible ASCII"))?;
                input::check_client_token(t)?;
                Some(t.to_owned())
            }
        }
    } else {
        None
    };

    // A token claimed for this request: answered below, or given up if the request ends
    // another way (a rule that panics), so a retry waiting on it does not wait for ever.
    let mut claimed = None;
    if let Some(token) = &token {
        let fingerprint = fingerprint(op, &parts.uri, &body);
        if let Claim::Replay(stored) = shared.tokens.claim(token, fingerprint).await? {
            if fault == Some(Fault::Lost) {
                return Ok(conn.drop_connection().await);
            }
            return Ok(stored_to_response(stored));
        }
        claimed = Some(Claimed {
            tokens: &shared.tokens,
            token,
            done: false,
        });
    }
    let mut change = 0;

    let apply = || {
        execute(
            op,
            labels,
            parts.uri.query(),
            &body,
            &shared.backend,
            &shared.page_tokens,
        )
    };
    let result = match &shared.persistence {
        Some(_) if !op.is_read() => {
            let mut entry = journal::Entry::live(
                parts.method.as_str(),
                parts.uri.path_and_query().map_or("/", |p| p.as_str()),
                &body,
                shared.backend.preview_networks(),
            );
            entry.token = token.clone();
            let (result, unwritten, number) = journal::run_numbered(entry, true, apply);
            change = number;
            match unwritten {
                // The change is made, but would not outlive this process: the client is told
                // the outcome is unknown, and a retry finds what is there.
                Some(e) => Err(ApiError::Internal(format!(
                    "the change could not be written to the state file's journal ({e})"
                ))),
                None => result,
            }
        }
        _ => apply(),
    };
    let stored = render(result);
    if let Some(claimed) = claimed.take() {
        if stored.status.is_server_error() {
            claimed.abandon();
        } else {
            claimed.complete(stored.clone(), change);
        }
    }
    if fault == Some(Fault::Lost) {
        return Ok(conn.drop_connection().await);
    }
    Ok(stored_to_response(stored))
}

/// A token claimed by the request running, given up when dropped unanswered.
struct Claimed<'a> {
    tokens: &'a crate::idempotency::TokenStore,
    token: &'a str,
    done: bool,
}

impl Claimed<'_> {
    fn complete(mut self, answer: StoredResponse, change: u64) {
        self.done = true;
        self.tokens.complete_change(self.token, answer, change);
    }

    fn abandon(mut self) {
        self.done = true;
        self.tokens.abandon(self.token);
    }
}

impl Drop for Claimed<'_> {
    fn drop(&mut self) {
        if !self.done {
            self.tokens.abandon(self.token);
        }
    }
}

/// What a client token is bound to: the operation and the exact request, as their SHA-256 (a
/// stored answer keeps 32 bytes of its request, not the request).
fn fingerprint(op: crate::routes::Op, uri: &http::Uri, body: &[u8]) -> Vec<u8> {
    use sha2::Digest;
    let mut hasher = sha2::Sha256::new();
    hasher.update(format!("{op:?} {uri}\n").as_bytes());
    hasher.update(body);
    hasher.finalize().to_vec()
}

fn decode_labels(raw: crate::routes::RawLabels) -> Result<Vec<(&'static str, String)>, ApiError> {
    raw.0
        .into_iter()
        .map(|(name, raw)| decode_label(&raw).map(|value| (name, value)))
        .collect()
}

/// Reads the query and body of a routed request and runs its operation on `backend`.
fn execute(
    op: crate::routes::Op,
    labels: Vec<(&'static str, String)>,
    query: Option<&str>,
    body: &[u8],
    backend: &crate::backend::Backend,
    page_tokens: &crate::wire::page_token::PageTokens,
) -> Result<Reply, ApiError> {
    let query = Query::parse(query)?;
    let body = input::parse_body(body)?;
    let call = Call {
        op,
        labels,
        query,
        body,
        backend,
        page_tokens,
    };
    dispatch(&call)
}

/// Runs a journal entry again on `backend`, as it ran when it was received: its route, clock
/// and seed. Its answer was sent then; an error now is the error it had then. The answer goes
/// back under its client token in `tokens`, with the age it has.
pub(crate) fn run_again(
    entry: journal::Entry,
    backend: &crate::backend::Backend,
    tokens: &crate::idempotency::TokenStore,
) {
    let Ok(method) = http::Method::from_bytes(entry.method.as_bytes()) else {
        return;
    };
    let Some((op, raw_labels)) = route_request(&method, &entry.target) else {
        return;
    };
    let Ok(labels) = decode_labels(raw_labels) else {
        return;
    };
    let target = entry.target.clone();
    let query = target.split_once('?').map(|(_, query)| query.to_owned());
    let body = entry.body.clone();
    let token = entry.token.clone();
    let age = crate::state::system_now_secs().saturating_sub(entry.now);
    let page_tokens = crate::wire::page_token::PageTokens::new();
    let (result, _) = journal::run(entry, false, || {
        execute(
            op,
            labels,
            query.as_deref(),
            body.as_bytes(),
            backend,
            &page_tokens,
        )
    });
    let (Some(token), Ok(uri)) = (token, http::Uri::try_from(target.as_str())) else {
        return;
    };
    let stored = render(result);
    // As when it was answered: a server error keeps nothing.
    if !stored.status.is_server_error() {
        let age = std::time::Duration::from_secs(u64::try_from(age).unwrap_or(0));
        tokens.restore(&token, fingerprint(op, &uri, body.as_bytes()), stored, age);
    }
}

fn is_length_limit(e: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if err.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = err.source();
    }
    false
}

fn json_response(
    status: StatusCode,
    error_type: Option<&'static str>,
    body: Bytes,
) -> Response<Body> {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Some(t) = error_type {
        headers.insert("x-amzn-errortype", HeaderValue::from_static(t));
    }
    response
}

fn render(result: Result<Reply, ApiError>) -> StoredResponse {
    match result {
        Ok(Reply::Json(value)) => StoredResponse {
            status: StatusCode::OK,
            error_type: None,
            body: Bytes::from(serde_json::to_vec(&value).unwrap_or_default()),
        },
        Ok(Reply::Bytes(bytes)) => StoredResponse {
            status: StatusCode::OK,
            error_type: None,
            body: Bytes::from(bytes),
        },
        Err(e) => StoredResponse {
            status: e.status(),
            error_type: Some(e.type_name()),
            body: Bytes::from(serde_json::to_vec(&e.body()).unwrap_or_default()),
        },
    }
}

fn stored_to_response(s: StoredResponse) -> Response<Body> {
    json_response(s.status, s.error_type, s.body)
}
