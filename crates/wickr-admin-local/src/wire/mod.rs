//! Wire handling: routing a request to its operation, the request pipeline (size limit, auth,
//! faults, rate limit, permissions, idempotency) and the per-operation handlers.

mod bots;
mod config;
mod groups;
pub mod input;
mod networks;
mod users;

use crate::auth::{Access, SignedRequest};
use crate::error::ApiError;
use crate::faults::Fault;
use crate::idempotency::{Claim, StoredResponse};
use crate::server::{ConnectionControl, Shared};
use crate::state::{Network, State, Store};
use axum::body::Body;
use bytes::Bytes;
use http::{HeaderValue, Method, Request, Response, StatusCode};
use input::{check_network_id, decode_label, Query, Reasons};
use serde_json::{Map, Value};
use std::sync::Arc;

/// Largest request body accepted, in bytes.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Every operation of the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Op {
    CreateNetwork,
    ListNetworks,
    DeleteNetwork,
    GetNetwork,
    UpdateNetwork,
    CreateBot,
    ListBots,
    GetBotsCount,
    DeleteBot,
    GetBot,
    UpdateBot,
    CreateDataRetentionBot,
    DeleteDataRetentionBot,
    GetDataRetentionBot,
    UpdateDataRetention,
    CreateDataRetentionBotChallenge,
    ListGuestUsers,
    ListBlockedGuestUsers,
    GetGuestUserHistoryCount,
    UpdateGuestUser,
    GetOidcInfo,
    RegisterOidcConfig,
    RegisterOidcConfigTest,
    CreateSecurityGroup,
    ListSecurityGroups,
    DeleteSecurityGroup,
    GetSecurityGroup,
    UpdateSecurityGroup,
    ListSecurityGroupUsers,
    GetNetworkSettings,
    UpdateNetworkSettings,
    GetOpentdfConfig,
    RegisterOpentdfConfig,
    BatchCreateUser,
    ListUsers,
    UpdateUser,
    BatchDeleteUser,
    GetUsersCount,
    BatchReinviteUser,
    BatchToggleUserSuspendStatus,
    BatchLookupUserUname,
    GetUser,
    BatchResetDevicesForUser,
    ListDevicesForUser,
}

impl Op {
    /// Whether the operation accepts an `X-Client-Token`.
    pub fn takes_client_token(self) -> bool {
        matches!(
            self,
            Op::DeleteNetwork
                | Op::UpdateNetwork
                | Op::CreateSecurityGroup
                | Op::BatchCreateUser
                | Op::BatchDeleteUser
                | Op::BatchReinviteUser
                | Op::BatchToggleUserSuspendStatus
                | Op::BatchLookupUserUname
                | Op::BatchResetDevicesForUser
        )
    }

    /// Whether the operation changes nothing (allowed for read-only keys).
    pub fn is_read(self) -> bool {
        matches!(
            self,
            Op::ListNetworks
                | Op::GetNetwork
                | Op::ListBots
                | Op::GetBotsCount
                | Op::GetBot
                | Op::GetDataRetentionBot
                | Op::ListGuestUsers
                | Op::ListBlockedGuestUsers
                | Op::GetGuestUserHistoryCount
                | Op::GetOidcInfo
                | Op::RegisterOidcConfigTest
                | Op::ListSecurityGroups
                | Op::GetSecurityGroup
                | Op::ListSecurityGroupUsers
                | Op::GetNetworkSettings
                | Op::GetOpentdfConfig
                | Op::ListUsers
                | Op::GetUsersCount
                | Op::BatchLookupUserUname
                | Op::GetUser
                | Op::ListDevicesForUser
        )
    }
}

/// Finds the operation for a method and path, with the raw (still encoded) path labels.
pub fn route(method: &Method, path: &str) -> Option<(Op, Vec<String>)> {
    let segs: Vec<&str> = path.strip_prefix('/')?.split('/').collect();
    if segs.iter().any(|s| s.is_empty()) || segs.first() != Some(&"networks") {
        return None;
    }
    let m = method.as_str();
    let rest = &segs[1..];
    let label = |i: usize| rest[i].to_owned();
    let op = match (m, rest) {
        ("POST", []) => return Some((Op::CreateNetwork, vec![])),
        ("GET", []) => return Some((Op::ListNetworks, vec![])),
        (_, [_]) => match m {
            "DELETE" => Op::DeleteNetwork,
            "GET" => Op::GetNetwork,
            "PATCH" => Op::UpdateNetwork,
            _ => return None,
        },
        (_, [_, "bots"]) => match m {
            "POST" => Op::CreateBot,
            "GET" => Op::ListBots,
            _ => return None,
        },
        ("GET", [_, "bots", "count"]) => Op::GetBotsCount,
        (_, [_, "bots", _]) => match m {
            "DELETE" => Op::DeleteBot,
            "GET" => Op::GetBot,
            "PATCH" => Op::UpdateBot,
            _ => return None,
        },
        (_, [_, "data-retention-bots"]) => match m {
            "POST" => Op::CreateDataRetentionBot,
            "DELETE" => Op::DeleteDataRetentionBot,
            "GET" => Op::GetDataRetentionBot,
            "PATCH" => Op::UpdateDataRetention,
            _ => return None,
        },
        ("POST", [_, "data-retention-bots", "challenge"]) => Op::CreateDataRetentionBotChallenge,
        ("GET", [_, "guest-users"]) => Op::ListGuestUsers,
        ("GET", [_, "guest-users", "blocklist"]) => Op::ListBlockedGuestUsers,
        ("GET", [_, "guest-users", "count"]) => Op::GetGuestUserHistoryCount,
        ("PATCH", [_, "guest-users", _]) => Op::UpdateGuestUser,
        ("GET", [_, "oidc"]) => Op::GetOidcInfo,
        ("POST", [_, "oidc", "save"]) => Op::RegisterOidcConfig,
        ("POST", [_, "oidc", "test"]) => Op::RegisterOidcConfigTest,
        (_, [_, "security-groups"]) => match m {
            "POST" => Op::CreateSecurityGroup,
            "GET" => Op::ListSecurityGroups,
            _ => return None,
        },
        (_, [_, "security-groups", _]) => match m {
            "DELETE" => Op::DeleteSecurityGroup,
            "GET" => Op::GetSecurityGroup,
            "PATCH" => Op::UpdateSecurityGroup,
            _ => return None,
        },
        ("GET", [_, "security-groups", _, "users"]) => Op::ListSecurityGroupUsers,
        (_, [_, "settings"]) => match m {
            "GET" => Op::GetNetworkSettings,
            "PATCH" => Op::UpdateNetworkSettings,
            _ => return None,
        },
        (_, [_, "tdf"]) => match m {
            "GET" => Op::GetOpentdfConfig,
            "POST" => Op::RegisterOpentdfConfig,
            _ => return None,
        },
        (_, [_, "users"]) => match m {
            "POST" => Op::BatchCreateUser,
            "GET" => Op::ListUsers,
            "PATCH" => Op::UpdateUser,
            _ => return None,
        },
        ("POST", [_, "users", "batch-delete"]) => Op::BatchDeleteUser,
        ("GET", [_, "users", "count"]) => Op::GetUsersCount,
        ("PATCH", [_, "users", "re-invite"]) => Op::BatchReinviteUser,
        ("PATCH", [_, "users", "toggleSuspend"]) => Op::BatchToggleUserSuspendStatus,
        ("POST", [_, "users", "uname-lookup"]) => Op::BatchLookupUserUname,
        ("GET", [_, "users", _]) => Op::GetUser,
        (_, [_, "users", _, "devices"]) => match m {
            "PATCH" => Op::BatchResetDevicesForUser,
            "GET" => Op::ListDevicesForUser,
            _ => return None,
        },
        _ => return None,
    };
    // Labels: the network id, then the second label for operations that have one.
    let mut labels = vec![label(0)];
    if matches!(
        op,
        Op::DeleteBot
            | Op::GetBot
            | Op::UpdateBot
            | Op::UpdateGuestUser
            | Op::DeleteSecurityGroup
            | Op::GetSecurityGroup
            | Op::UpdateSecurityGroup
            | Op::ListSecurityGroupUsers
            | Op::GetUser
            | Op::BatchResetDevicesForUser
            | Op::ListDevicesForUser
    ) {
        labels.push(label(2));
    }
    Some((op, labels))
}

/// Everything a handler needs about one call.
pub struct Call<'a> {
    /// Decoded path labels (network id first).
    pub labels: Vec<String>,
    /// Query parameters.
    pub query: Query,
    /// JSON body.
    pub body: Map<String, Value>,
    /// State.
    pub store: &'a Store,
    /// Whether new networks get preview features.
    pub preview_networks: bool,
}

impl Call<'_> {
    /// The validated network id label.
    pub fn network_id(&self) -> Result<&str, ApiError> {
        let id = self.labels.first().map(String::as_str).unwrap_or("");
        let mut r = Reasons::default();
        check_network_id("networkId", id, &mut r);
        r.finish()?;
        Ok(id)
    }

    /// The second path label.
    pub fn label(&self, i: usize) -> &str {
        self.labels.get(i).map(String::as_str).unwrap_or("")
    }

    /// Runs `f` on the addressed network under the state lock; 404 when it does not exist.
    pub fn with_network<T>(
        &self,
        f: impl FnOnce(&mut State, &mut Network) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let id = self.network_id()?.to_owned();
        let mut state = self.store.lock();
        let Some(network) = state.networks.remove(&id) else {
            return Err(ApiError::NotFound("Network not found".to_owned()));
        };
        // The network goes back into the map when `lent` is dropped, even if `f` panics.
        let mut lent = LentNetwork {
            state,
            id,
            network: Some(network),
        };
        let LentNetwork {
            state,
            network: Some(network),
            ..
        } = &mut lent
        else {
            return Err(ApiError::Internal("network state unavailable".to_owned()));
        };
        f(state, network)
    }
}

/// A network taken out of the state for the length of one call, with the lock held.
struct LentNetwork<'a> {
    state: std::sync::MutexGuard<'a, State>,
    id: String,
    network: Option<Network>,
}

impl Drop for LentNetwork<'_> {
    fn drop(&mut self) {
        if let Some(network) = self.network.take() {
            self.state
                .networks
                .insert(std::mem::take(&mut self.id), network);
        }
    }
}

/// A handler's answer: a JSON value, or a body already encoded.
pub enum Reply {
    /// To be encoded.
    Json(Value),
    /// Encoded JSON.
    Bytes(Vec<u8>),
}

fn execute(op: Op, call: &Call<'_>) -> Result<Reply, ApiError> {
    match op {
        Op::BatchCreateUser => users::batch_create(call),
        _ => execute_value(op, call).map(Reply::Json),
    }
}

fn execute_value(op: Op, call: &Call<'_>) -> Result<Value, ApiError> {
    match op {
        Op::CreateNetwork => networks::create(call),
        Op::ListNetworks => networks::list(call),
        Op::DeleteNetwork => networks::delete(call),
        Op::GetNetwork => networks::get(call),
        Op::UpdateNetwork => networks::update(call),
        Op::GetNetworkSettings => networks::get_settings(call),
        Op::UpdateNetworkSettings => networks::update_settings(call),
        Op::CreateBot => bots::create(call),
        Op::ListBots => bots::list(call),
        Op::GetBotsCount => bots::count(call),
        Op::DeleteBot => bots::delete(call),
        Op::GetBot => bots::get(call),
        Op::UpdateBot => bots::update(call),
        Op::CreateDataRetentionBot => config::create_retention_bot(call),
        Op::DeleteDataRetentionBot => config::delete_retention_bot(call),
        Op::GetDataRetentionBot => config::get_retention_bot(call),
        Op::UpdateDataRetention => config::update_retention(call),
        Op::CreateDataRetentionBotChallenge => config::retention_challenge(call),
        Op::ListGuestUsers => config::list_guests(call),
        Op::ListBlockedGuestUsers => config::list_blocked_guests(call),
        Op::GetGuestUserHistoryCount => config::guest_history(call),
        Op::UpdateGuestUser => config::update_guest(call),
        Op::GetOidcInfo => config::get_oidc(call),
        Op::RegisterOidcConfig => config::register_oidc(call),
        Op::RegisterOidcConfigTest => config::test_oidc(call),
        Op::GetOpentdfConfig => config::get_tdf(call),
        Op::RegisterOpentdfConfig => config::register_tdf(call),
        Op::CreateSecurityGroup => groups::create(call),
        Op::ListSecurityGroups => groups::list(call),
        Op::DeleteSecurityGroup => groups::delete(call),
        Op::GetSecurityGroup => groups::get(call),
        Op::UpdateSecurityGroup => groups::update(call),
        Op::ListSecurityGroupUsers => groups::list_users(call),
        Op::BatchCreateUser => Err(ApiError::Internal(
            "BatchCreateUser is answered by its own encoder".to_owned(),
        )),
        Op::ListUsers => users::list(call),
        Op::UpdateUser => users::update(call),
        Op::BatchDeleteUser => users::batch_delete(call),
        Op::GetUsersCount => users::count(call),
        Op::BatchReinviteUser => users::batch_reinvite(call),
        Op::BatchToggleUserSuspendStatus => users::batch_toggle_suspend(call),
        Op::BatchLookupUserUname => users::batch_lookup_uname(call),
        Op::GetUser => users::get(call),
        Op::BatchResetDevicesForUser => users::batch_reset_devices(call),
        Op::ListDevicesForUser => users::list_devices(call),
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
    let what = format!("{} {}", parts.method, parts.uri.path());
    let (op, raw_labels) =
        route(&parts.method, parts.uri.path()).ok_or(ApiError::UnknownOperation(what))?;

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

    let labels = raw_labels
        .iter()
        .map(|l| decode_label(l))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(limiter) = &shared.rate_limit {
        if !limiter.allow(labels.first().map(String::as_str).unwrap_or("")) {
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

    if let Some(token) = &token {
        let mut fingerprint = Vec::with_capacity(body.len() + 64);
        fingerprint.extend_from_slice(format!("{op:?} {}\n", parts.uri).as_bytes());
        fingerprint.extend_from_slice(&body);
        if let Claim::Replay(stored) = shared.tokens.claim(token, fingerprint).await? {
            if fault == Some(Fault::Lost) {
                return Ok(conn.drop_connection().await);
            }
            return Ok(stored_to_response(stored));
        }
    }

    let result = parse_and_execute(op, labels, parts.uri.query(), &body, shared);
    let stored = render(result);
    if let Some(token) = &token {
        if stored.status.is_server_error() {
            shared.tokens.abandon(token);
        } else {
            shared.tokens.complete(token, stored.clone());
        }
    }
    if fault == Some(Fault::Lost) {
        return Ok(conn.drop_connection().await);
    }
    Ok(stored_to_response(stored))
}

fn parse_and_execute(
    op: Op,
    labels: Vec<String>,
    query: Option<&str>,
    body: &[u8],
    shared: &Shared,
) -> Result<Reply, ApiError> {
    let query = Query::parse(query)?;
    let body = input::parse_body(body)?;
    let call = Call {
        labels,
        query,
        body,
        store: &shared.store,
        preview_networks: shared.preview_networks,
    };
    execute(op, &call)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_handler_does_not_lose_the_network() {
        let store = Store::default();
        let demo = crate::demo::seed(&store);
        let call = Call {
            labels: vec![demo.network_id.clone()],
            query: Query::default(),
            body: Map::new(),
            store: &store,
            preview_networks: false,
        };
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _: Result<(), ApiError> = call.with_network(|_, _| panic!("handler bug"));
        }));
        assert!(panicked.is_err());
        assert!(store.lock().networks.contains_key(&demo.network_id));
        // And the next call finds it as usual.
        let name = call.with_network(|_, network| Ok(network.name.clone()));
        assert!(name.is_ok());
    }
}
