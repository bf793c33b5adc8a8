//! Which operation a request is for. The facts (HTTP method, URI template, `@readonly`, the
//! idempotency token) come from the generated operation table, `wickr_admin::schema::SERVICE`,
//! and requests are matched with its router; this module only names the operations the emulator
//! implements, so that each has its handler.

use http::Method;
use restjson_runtime::schema::OperationInfo;
use wickr_admin::schema::SERVICE;

macro_rules! operations {
    ($($name:ident),* $(,)?) => {
        /// Every operation the emulator implements: one handler each (`wire::execute`).
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

            /// The operation with this model name.
            pub fn from_name(name: &str) -> Option<Op> {
                match name {
                    $(stringify!($name) => Some(Op::$name),)*
                    _ => None,
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

/// Operations that are not `@readonly` in the model yet change nothing in the emulator, so
/// read-only keys may call them: a uname lookup and a dry run of an OIDC configuration.
const ALSO_READS: &[Op] = &[Op::BatchLookupUserUname, Op::RegisterOidcConfigTest];

impl Op {
    /// This operation's row of the generated table (every operation has one; a test checks).
    pub fn info(self) -> Option<&'static OperationInfo> {
        SERVICE.operation(self.name())
    }

    /// Whether the operation accepts an `X-Client-Token` (its input has an idempotency token).
    pub fn takes_client_token(self) -> bool {
        self.info().is_some_and(|op| op.idempotency_token.is_some())
    }

    /// Whether a read-only key may call it.
    pub fn is_read(self) -> bool {
        self.info().is_some_and(|op| op.readonly) || ALSO_READS.contains(&self)
    }
}

/// The labels of a matched path, by name, still percent-encoded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawLabels(pub Vec<(&'static str, String)>);

/// The operation bound to `method` and the request's path (with its query string), with the
/// path's labels. Where two templates match, the more literal one wins (`/users/count` over
/// `/users/{userId}`).
pub fn route_request(method: &Method, path_and_query: &str) -> Option<(Op, RawLabels)> {
    let route = SERVICE.route(method.as_str(), path_and_query)?;
    let op = Op::from_name(route.operation.name)?;
    Some((op, RawLabels(route.labels)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn routed(method: &str, path: &str) -> Option<(&'static str, Vec<(&'static str, String)>)> {
        let method = Method::from_bytes(method.as_bytes()).ok()?;
        route_request(&method, path).map(|(op, labels)| (op.name(), labels.0))
    }

    #[test]
    fn every_operation_of_the_table_has_a_handler_and_no_other() {
        for info in SERVICE.operations {
            assert!(
                Op::from_name(info.name).is_some(),
                "{} has no handler",
                info.name
            );
        }
        for op in Op::ALL {
            assert!(op.info().is_some(), "{op:?} is not in the service's table");
        }
        assert_eq!(Op::ALL.len(), SERVICE.operations.len());
    }

    #[test]
    fn facts_come_from_the_table() {
        assert!(Op::BatchCreateUser.takes_client_token());
        assert!(!Op::CreateBot.takes_client_token());
        assert!(Op::ListUsers.is_read());
        assert!(Op::BatchLookupUserUname.is_read());
        assert!(!Op::BatchDeleteUser.is_read());
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
