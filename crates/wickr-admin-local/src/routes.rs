//! Which operation a request is for: a table of the service's operations (name, HTTP method,
//! URI template, `@readonly`, whether it takes an `X-Client-Token`) and a matcher over it.
//!
//! The table has the shape of the model's operation table and the same facts; the matcher
//! knows URI templates, not Wickr. Where two templates match a path, the one with a literal
//! segment where the other has a label wins (`/users/count` over `/users/{userId}`), as Smithy
//! routes.

use http::Method;

macro_rules! operations {
    ($($name:ident),* $(,)?) => {
        /// Every operation of the service.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[allow(missing_docs)]
        pub enum Op {
            $($name),*
        }

        impl Op {
            /// Every operation.
            pub const ALL: &'static [Op] = &[$(Op::$name),*];

            /// The operation's name in the model.
            pub fn name(self) -> &'static str {
                match self {
                    $(Op::$name => stringify!($name)),*
                }
            }
        }
    };
}

operations!(
    BatchCreateUser,
    BatchDeleteUser,
    BatchLookupUserUname,
    BatchReinviteUser,
    BatchResetDevicesForUser,
    BatchToggleUserSuspendStatus,
    CreateBot,
    CreateDataRetentionBot,
    CreateDataRetentionBotChallenge,
    CreateNetwork,
    CreateSecurityGroup,
    DeleteBot,
    DeleteDataRetentionBot,
    DeleteNetwork,
    DeleteSecurityGroup,
    GetBot,
    GetBotsCount,
    GetDataRetentionBot,
    GetGuestUserHistoryCount,
    GetNetwork,
    GetNetworkSettings,
    GetOidcInfo,
    GetOpentdfConfig,
    GetSecurityGroup,
    GetUser,
    GetUsersCount,
    ListBlockedGuestUsers,
    ListBots,
    ListDevicesForUser,
    ListGuestUsers,
    ListNetworks,
    ListSecurityGroupUsers,
    ListSecurityGroups,
    ListUsers,
    RegisterOidcConfig,
    RegisterOidcConfigTest,
    RegisterOpentdfConfig,
    UpdateBot,
    UpdateDataRetention,
    UpdateGuestUser,
    UpdateNetwork,
    UpdateNetworkSettings,
    UpdateSecurityGroup,
    UpdateUser,
);

/// One row of the operation table.
#[derive(Debug, Clone, Copy)]
pub struct Route {
    /// The operation.
    pub op: Op,
    /// HTTP method.
    pub method: &'static str,
    /// URI template, labels in braces.
    pub uri: &'static str,
    /// `@readonly` in the model.
    pub readonly: bool,
    /// Whether the input has an idempotency token (sent as `X-Client-Token`).
    pub client_token: bool,
}

const fn route(
    op: Op,
    method: &'static str,
    uri: &'static str,
    readonly: bool,
    client_token: bool,
) -> Route {
    Route {
        op,
        method,
        uri,
        readonly,
        client_token,
    }
}

/// The service's operations, as the model declares them: operation, method, URI template,
/// `@readonly`, takes a client token.
#[rustfmt::skip]
pub const ROUTES: &[Route] = &[
    route(Op::BatchCreateUser,                 "POST",   "/networks/{networkId}/users", false, true),
    route(Op::BatchDeleteUser,                 "POST",   "/networks/{networkId}/users/batch-delete", false, true),
    route(Op::BatchLookupUserUname,            "POST",   "/networks/{networkId}/users/uname-lookup", false, true),
    route(Op::BatchReinviteUser,               "PATCH",  "/networks/{networkId}/users/re-invite", false, true),
    route(Op::BatchResetDevicesForUser,        "PATCH",  "/networks/{networkId}/users/{userId}/devices", false, true),
    route(Op::BatchToggleUserSuspendStatus,    "PATCH",  "/networks/{networkId}/users/toggleSuspend", false, true),
    route(Op::CreateBot,                       "POST",   "/networks/{networkId}/bots", false, false),
    route(Op::CreateDataRetentionBot,          "POST",   "/networks/{networkId}/data-retention-bots", false, false),
    route(Op::CreateDataRetentionBotChallenge, "POST",   "/networks/{networkId}/data-retention-bots/challenge", false, false),
    route(Op::CreateNetwork,                   "POST",   "/networks", false, false),
    route(Op::CreateSecurityGroup,             "POST",   "/networks/{networkId}/security-groups", false, true),
    route(Op::DeleteBot,                       "DELETE", "/networks/{networkId}/bots/{botId}", false, false),
    route(Op::DeleteDataRetentionBot,          "DELETE", "/networks/{networkId}/data-retention-bots", false, false),
    route(Op::DeleteNetwork,                   "DELETE", "/networks/{networkId}", false, true),
    route(Op::DeleteSecurityGroup,             "DELETE", "/networks/{networkId}/security-groups/{groupId}", false, false),
    route(Op::GetBot,                          "GET",    "/networks/{networkId}/bots/{botId}", true, false),
    route(Op::GetBotsCount,                    "GET",    "/networks/{networkId}/bots/count", true, false),
    route(Op::GetDataRetentionBot,             "GET",    "/networks/{networkId}/data-retention-bots", true, false),
    route(Op::GetGuestUserHistoryCount,        "GET",    "/networks/{networkId}/guest-users/count", true, false),
    route(Op::GetNetwork,                      "GET",    "/networks/{networkId}", true, false),
    route(Op::GetNetworkSettings,              "GET",    "/networks/{networkId}/settings", true, false),
    route(Op::GetOidcInfo,                     "GET",    "/networks/{networkId}/oidc", true, false),
    route(Op::GetOpentdfConfig,                "GET",    "/networks/{networkId}/tdf", true, false),
    route(Op::GetSecurityGroup,                "GET",    "/networks/{networkId}/security-groups/{groupId}", true, false),
    route(Op::GetUser,                         "GET",    "/networks/{networkId}/users/{userId}", true, false),
    route(Op::GetUsersCount,                   "GET",    "/networks/{networkId}/users/count", true, false),
    route(Op::ListBlockedGuestUsers,           "GET",    "/networks/{networkId}/guest-users/blocklist", true, false),
    route(Op::ListBots,                        "GET",    "/networks/{networkId}/bots", true, false),
    route(Op::ListDevicesForUser,              "GET",    "/networks/{networkId}/users/{userId}/devices", true, false),
    route(Op::ListGuestUsers,                  "GET",    "/networks/{networkId}/guest-users", true, false),
    route(Op::ListNetworks,                    "GET",    "/networks", true, false),
    route(Op::ListSecurityGroupUsers,          "GET",    "/networks/{networkId}/security-groups/{groupId}/users", true, false),
    route(Op::ListSecurityGroups,              "GET",    "/networks/{networkId}/security-groups", true, false),
    route(Op::ListUsers,                       "GET",    "/networks/{networkId}/users", true, false),
    route(Op::RegisterOidcConfig,              "POST",   "/networks/{networkId}/oidc/save", false, false),
    route(Op::RegisterOidcConfigTest,          "POST",   "/networks/{networkId}/oidc/test", false, false),
    route(Op::RegisterOpentdfConfig,           "POST",   "/networks/{networkId}/tdf", false, false),
    route(Op::UpdateBot,                       "PATCH",  "/networks/{networkId}/bots/{botId}", false, false),
    route(Op::UpdateDataRetention,             "PATCH",  "/networks/{networkId}/data-retention-bots", false, false),
    route(Op::UpdateGuestUser,                 "PATCH",  "/networks/{networkId}/guest-users/{usernameHash}", false, false),
    route(Op::UpdateNetwork,                   "PATCH",  "/networks/{networkId}", false, true),
    route(Op::UpdateNetworkSettings,           "PATCH",  "/networks/{networkId}/settings", false, false),
    route(Op::UpdateSecurityGroup,             "PATCH",  "/networks/{networkId}/security-groups/{groupId}", false, false),
    route(Op::UpdateUser,                      "PATCH",  "/networks/{networkId}/users", false, false),
];

/// Operations that are not `@readonly` in the model yet change nothing in the emulator, so
/// read-only keys may call them: a uname lookup and a dry run of an OIDC configuration.
const ALSO_READS: &[Op] = &[Op::BatchLookupUserUname, Op::RegisterOidcConfigTest];

impl Op {
    /// This operation's row of [`ROUTES`] (every operation has one; a test checks).
    pub fn route(self) -> Option<&'static Route> {
        ROUTES.iter().find(|r| r.op == self)
    }

    /// Whether the operation accepts an `X-Client-Token`.
    pub fn takes_client_token(self) -> bool {
        self.route().is_some_and(|r| r.client_token)
    }

    /// Whether a read-only key may call it.
    pub fn is_read(self) -> bool {
        self.route().is_some_and(|r| r.readonly) || ALSO_READS.contains(&self)
    }
}

/// The labels of a matched path, by name, still percent-encoded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawLabels(pub Vec<(&'static str, String)>);

/// The operation bound to `method` and `path`, with the path's labels.
pub fn route_request(method: &Method, path: &str) -> Option<(Op, RawLabels)> {
    let segments: Vec<&str> = path.strip_prefix('/')?.split('/').collect();
    if segments.iter().any(|s| s.is_empty()) {
        return None;
    }
    let mut best: Option<(&Route, Vec<bool>)> = None;
    for r in ROUTES.iter().filter(|r| r.method == method.as_str()) {
        let Some(literals) = match_template(r.uri, &segments) else {
            continue;
        };
        if best.as_ref().is_none_or(|(_, b)| literals > *b) {
            best = Some((r, literals));
        }
    }
    let (r, _) = best?;
    let uri: &'static str = r.uri;
    let mut labels = Vec::new();
    for (part, segment) in uri.split('/').skip(1).zip(&segments) {
        if let Some(name) = part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
            labels.push((name, (*segment).to_owned()));
        }
    }
    Some((r.op, RawLabels(labels)))
}

/// For a template matching `segments`, which positions matched a literal.
fn match_template(template: &str, segments: &[&str]) -> Option<Vec<bool>> {
    let parts: Vec<&str> = template.strip_prefix('/')?.split('/').collect();
    if parts.len() != segments.len() {
        return None;
    }
    parts
        .iter()
        .zip(segments)
        .map(|(part, segment)| {
            if part.starts_with('{') {
                Some(false)
            } else {
                (part == segment).then_some(true)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn routed(method: &str, path: &str) -> Option<(&'static str, Vec<(&'static str, String)>)> {
        let method = Method::from_bytes(method.as_bytes()).ok()?;
        route_request(&method, path).map(|(op, labels)| (op.name(), labels.0))
    }

    #[test]
    fn every_operation_has_one_row() {
        for op in Op::ALL {
            assert_eq!(ROUTES.iter().filter(|r| r.op == *op).count(), 1, "{op:?}");
        }
        assert_eq!(ROUTES.len(), Op::ALL.len());
        assert_eq!(ROUTES.len(), 44);
    }

    #[test]
    fn literal_segments_win_over_labels() {
        assert_eq!(
            routed("GET", "/networks/12345678/users/count"),
            Some(("GetUsersCount", vec![("networkId", "12345678".to_owned())]))
        );
        assert_eq!(
            routed("GET", "/networks/12345678/users/42"),
            Some((
                "GetUser",
                vec![
                    ("networkId", "12345678".to_owned()),
                    ("userId", "42".to_owned())
                ]
            ))
        );
        assert_eq!(
            routed("PATCH", "/networks/1/guest-users/count").map(|r| r.0),
            Some("UpdateGuestUser")
        );
        assert_eq!(
            routed("GET", "/networks").map(|r| r.0),
            Some("ListNetworks")
        );
    }

    #[test]
    fn unknown_paths_and_methods_match_nothing() {
        assert_eq!(routed("GET", "/"), None);
        assert_eq!(routed("GET", "/networks/"), None);
        assert_eq!(routed("GET", "/networks//users"), None);
        assert_eq!(routed("PUT", "/networks/12345678"), None);
        assert_eq!(routed("GET", "/networks/12345678/nowhere"), None);
        assert_eq!(routed("GET", "/elsewhere"), None);
    }
}
