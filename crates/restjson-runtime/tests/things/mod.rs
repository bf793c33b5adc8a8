//! A small service written by hand the way the generator writes a crate, so that the runtime's
//! macros and call path are tested from outside the crate, as generated code uses them, on a
//! service that is not Wickr: its own SDK id, signing name, user agent, endpoint rules and
//! retryable errors.
//!
//! One operation, `PutThing` (`PUT /things/{name}` with a JSON body and an `X-Token`
//! idempotency header), and three errors: `SlowDown` (throttling), `Hiccup` (a retryable server
//! fault) and `Rejected` (a client error listing the fields it rejected). Its endpoint rules
//! read a client context parameter (`Express`), a static context parameter of the operation
//! (`Shelf`) and an input member marked `@contextParam` (`Name`).
//!
//! A test crate that includes it re-exports `client`, `config`, `types`, `Client` and `Error` at
//! its root, where generated code has them.

#![allow(dead_code)]

pub mod server;

use restjson_runtime::config::Credentials;

pub use client::Client;

/// The endpoint rule set: the configured URL; else a regional host, with the express host for
/// clients that set `Express` and a per-shelf host for `PutThing` calls on a thing named `big`.
pub const RULES: &str = r#"{
    "version": "1.0",
    "parameters": {
        "Region": {"type": "String", "builtIn": "AWS::Region", "required": false},
        "Endpoint": {"type": "String", "builtIn": "SDK::Endpoint", "required": false},
        "Express": {"type": "Boolean", "required": true, "default": false},
        "Shelf": {"type": "String", "required": false},
        "Name": {"type": "String", "required": false}
    },
    "rules": [
        {"type": "endpoint", "conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}],
         "endpoint": {"url": "{Endpoint}"}},
        {"type": "error", "conditions": [{"fn": "not", "argv": [{"fn": "isSet", "argv": [{"ref": "Region"}]}]}],
         "error": "a region is required"},
        {"type": "endpoint",
         "conditions": [{"fn": "booleanEquals", "argv": [{"ref": "Express"}, true]}],
         "endpoint": {"url": "https://express.things.{Region}.example.com"}},
        {"type": "endpoint",
         "conditions": [
             {"fn": "isSet", "argv": [{"ref": "Name"}]},
             {"fn": "stringEquals", "argv": [{"ref": "Name"}, "big"]},
             {"fn": "isSet", "argv": [{"ref": "Shelf"}]}
         ],
         "endpoint": {"url": "https://{Shelf}.things.{Region}.example.com",
                      "properties": {"authSchemes": [{"name": "sigv4", "signingName": "shelves", "signingRegion": "eu-west-1"}]}}},
        {"type": "endpoint", "conditions": [],
         "endpoint": {"url": "https://things.{Region}.example.com"}}
    ]
}"#;

/// The service's facts, as a generated `schema.rs` states them.
pub mod schema {
    use restjson_runtime::retry::ErrorKind;
    use restjson_runtime::schema::{
        AuthScheme, Location, MemberInfo, OperationInfo, RequestFacts, RetryableError, ServiceInfo,
        TypeInfo,
    };

    pub static SERVICE: ServiceInfo = ServiceInfo {
        shape_id: "example.things#Things",
        sdk_id: "Things",
        version: "2024-01-01",
        signing_name: Some("things"),
        auth: &[AuthScheme::SigV4],
        user_agent: "things-client/1.0",
        endpoint: super::config::endpoint::INFO,
        retryable_errors: &[
            RetryableError {
                code: "Hiccup",
                kind: ErrorKind::ServerError,
            },
            RetryableError {
                code: "SlowDown",
                kind: ErrorKind::ThrottlingError,
            },
        ],
        operations: &OPERATIONS,
    };

    pub static OPERATIONS: [OperationInfo; 1] = [OperationInfo {
        name: "PutThing",
        kebab_name: "put-thing",
        summary: "Stores a thing under its name.",
        method: "PUT",
        uri: "/things/{name}",
        readonly: false,
        idempotent: true,
        idempotency_token: Some("token"),
        errors: &["Hiccup", "Rejected", "SlowDown"],
        pagination: None,
        input: &[
            MemberInfo {
                name: "name",
                json_name: "name",
                location: Location::Label,
                ty: &TypeInfo::String,
                required: true,
                doc: "The thing's name.",
            },
            MemberInfo {
                name: "token",
                json_name: "token",
                location: Location::Header("X-Token"),
                ty: &TypeInfo::String,
                required: false,
                doc: "Makes the call idempotent.",
            },
        ],
        request: RequestFacts::SERVICE_DEFAULTS,
    }];
}

pub mod config {
    pub mod endpoint {
        restjson_runtime::endpoint_module!(super::super::RULES;
            endpoint set_endpoint: string "Endpoint" built_in("SDK::Endpoint") optional,
            express set_express: boolean "Express" built_in() default(false),
            name set_name: string "Name" built_in() optional,
            region set_region: string "Region" built_in("AWS::Region") optional,
            shelf set_shelf: string "Shelf" built_in() optional,
        );
    }

    restjson_runtime::config_types!(super::schema::SERVICE);

    impl Builder {
        /// The client context parameter `Express`.
        pub fn express(mut self, value: impl Into<bool>) -> Self {
            self.set_client_context_param(
                "Express",
                Some(restjson_runtime::endpoint::ParamValue::from(value.into())),
            );
            self
        }
    }
}

pub mod client {
    restjson_runtime::client_type!(
        /// Client for the Things service.
        super::schema::SERVICE,
        super::config::Config
    );

    pub mod customize {
        restjson_runtime::customize_module!(crate);
    }
}

/// Where generated code has the error structures.
pub mod types {
    pub use super::error;
}

restjson_runtime::service_error!(Error in crate { Hiccup, Rejected, SlowDown });

/// The same service without auth (no `aws.auth#sigv4` in its model): requests go unsigned.
pub mod unsigned {
    use restjson_runtime::schema::ServiceInfo;

    pub static SERVICE: ServiceInfo = ServiceInfo {
        signing_name: None,
        auth: &[],
        endpoint: config::endpoint::INFO,
        ..super::schema::SERVICE
    };

    pub mod config {
        /// No rule set: the configured endpoint URL only.
        pub mod endpoint {
            restjson_runtime::endpoint_module!(
                r#"{"version":"1.0","parameters":{"Endpoint":{"type":"String","builtIn":"SDK::Endpoint","required":false}},"rules":[{"type":"endpoint","conditions":[{"fn":"isSet","argv":[{"ref":"Endpoint"}]}],"endpoint":{"url":"{Endpoint}"}},{"type":"error","conditions":[],"error":"this client needs an endpoint URL"}]}"#;
                endpoint set_endpoint: string "Endpoint" built_in("SDK::Endpoint") optional,
            );
        }
        restjson_runtime::config_types!(super::SERVICE);
    }

    pub mod client {
        restjson_runtime::client_type!(
            /// Client for the Things service, unsigned.
            super::SERVICE,
            super::config::Config
        );
    }
}

/// The error structures, as a generated `types/error.rs` writes them.
pub mod error {
    use restjson_runtime::error::ErrorMetadata;
    use restjson_runtime::error_details::ErrorDetails;
    use restjson_runtime::macros::*;

    /// One rejected field.
    #[derive(Clone, Debug, Default, PartialEq)]
    pub struct Reason {
        pub field: Option<String>,
        pub reason: Option<String>,
    }
    json_struct!(Reason ReasonBuilder { field "field", reason "reason" });

    macro_rules! error_structure {
        ($name:ident $builder:ident) => {
            #[derive(Clone, Debug, PartialEq)]
            pub struct $name {
                pub message: Option<String>,
                pub(crate) meta: ErrorMetadata,
            }
            modeled_error!($name opt_message);
            json_struct!($name $builder[meta] { message "message" });
        };
    }
    error_structure!(SlowDown SlowDownBuilder);
    impl SlowDown {
        pub fn builder() -> builders::SlowDownBuilder {
            builders::SlowDownBuilder::default()
        }
    }

    /// Errors that no operation declares, for the other shapes of `modeled_error!`: a required
    /// message, and no message member at all.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Fault {
        pub message: String,
        pub(crate) meta: ErrorMetadata,
    }
    modeled_error!(Fault message);
    json_struct!(Fault FaultBuilder[meta] { message "message"[= Default::default] });
    #[derive(Clone, Debug, PartialEq)]
    pub struct Gone {
        pub(crate) meta: ErrorMetadata,
    }
    modeled_error!(Gone);
    json_struct!(Gone GoneBuilder[meta] {});
    error_structure!(Hiccup HiccupBuilder);
    impl ErrorDetails for SlowDown {}
    impl ErrorDetails for Hiccup {}

    /// A client error that names the fields it rejected.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Rejected {
        pub message: Option<String>,
        pub reasons: Option<Vec<Reason>>,
        pub(crate) meta: ErrorMetadata,
    }
    impl Rejected {
        getter!(opt_list reasons, Reason);
    }
    modeled_error!(Rejected opt_message);
    impl ErrorDetails for Rejected {
        fn details(&self) -> Vec<String> {
            let mut out = Vec::new();
            for item in self.reasons.iter().flatten() {
                out.extend(restjson_runtime::error_details::record(&[
                    &item.field,
                    &item.reason,
                ]));
            }
            out
        }
    }
    json_struct!(Rejected RejectedBuilder[meta] { message "message", reasons "reasons" });

    service_errors!(crate::things::schema::SERVICE; Hiccup, Rejected, SlowDown);

    pub mod builders {
        use super::*;

        #[derive(Default)]
        pub struct ReasonBuilder {
            pub(crate) field: Option<String>,
            pub(crate) reason: Option<String>,
        }
        #[derive(Default)]
        pub struct SlowDownBuilder {
            pub(crate) message: Option<String>,
            meta: Option<ErrorMetadata>,
        }
        impl SlowDownBuilder {
            setter!(String, message, set_message, get_message);
            error_meta_setters!();
            pub fn build(self) -> SlowDown {
                SlowDown {
                    message: self.message,
                    meta: self.meta.unwrap_or_default(),
                }
            }
        }
        #[derive(Default)]
        pub struct FaultBuilder {
            pub(crate) message: Option<String>,
        }
        #[derive(Default)]
        pub struct GoneBuilder {}
        #[derive(Default)]
        pub struct HiccupBuilder {
            pub(crate) message: Option<String>,
        }
        #[derive(Default)]
        pub struct RejectedBuilder {
            pub(crate) message: Option<String>,
            pub(crate) reasons: Option<Vec<Reason>>,
        }
    }
}

/// The operation, as a generated `operation/put_thing.rs` writes it.
pub mod put_thing {
    use restjson_runtime::error::BuildError;
    use restjson_runtime::macros::*;
    use restjson_runtime::operation_shape as shape;
    use restjson_runtime::protocol;
    use restjson_runtime::validation as v;

    use super::error;

    #[derive(Clone, Copy, Debug, Default)]
    pub struct PutThing;

    impl shape::OperationShape for PutThing {
        const NAME: &'static str = "PutThing";
        type Input = PutThingInput;
        type Output = PutThingOutput;
        type Error = PutThingError;
        fn validate(input: &Self::Input) -> Result<(), v::InvalidInput> {
            v::InvalidInput::check(Self::NAME, |out| {
                let root = v::Path::Root;
                v::required(out, &root.field("name"), &input.name);
                if let Some(name) = &input.name {
                    v::length(out, &root.field("name"), name, Some(1), Some(10));
                }
            })
        }
        fn idempotency_token(input: &mut Self::Input) -> Option<&mut Option<String>> {
            Some(&mut input.token)
        }
        fn serialize(input: &Self::Input) -> Result<shape::SerializedRequest, BuildError> {
            let mut uri = String::from("/things/");
            uri.push_str(&protocol::label(
                "name",
                protocol::value(&input.name),
                false,
            )?);
            let mut headers = Vec::new();
            if let Some(value) = protocol::value(&input.token) {
                headers.push(("X-Token", protocol::header("token", value)?));
            }
            Ok(shape::SerializedRequest {
                method: "PUT",
                uri,
                headers,
                body: Some(protocol::json_body(input)?),
                ..Default::default()
            })
        }
        fn deserialize(
            response: shape::ResponseParts<'_>,
        ) -> Result<Self::Output, shape::DeserializeError<Self::Error>> {
            if !(200..300).contains(&response.status) {
                let error = PutThingError::from_response(protocol::ErrorResponse::read(&response))?;
                return Err(shape::DeserializeError::Service(error));
            }
            let mut output: PutThingOutput = protocol::parse_body(response.body)?;
            output._request_id = protocol::ResponseRequestId::read(response.headers);
            Ok(output)
        }
        fn endpoint_params(input: &Self::Input, params: &mut restjson_runtime::endpoint::Params) {
            params.set("Shelf", "tall");
            if let Some(value) = restjson_runtime::endpoint_params::context_value(&input.name) {
                params.set("Name", value);
            }
        }
    }

    #[derive(Clone, Debug, Default, PartialEq)]
    pub struct PutThingInput {
        pub name: Option<String>,
        pub size: Option<i32>,
        pub tags: Option<Vec<String>>,
        pub token: Option<String>,
        pub secret: Option<String>,
    }
    impl PutThingInput {
        getter!(opt_str name);
        getter!(opt_copy size, i32);
        getter!(opt_list tags, String);
        getter!(opt_str token);
        pub fn builder() -> builders::PutThingInputBuilder {
            builders::PutThingInputBuilder::default()
        }
    }
    json_struct!(
        PutThingInput PutThingInputBuilder { size "size", tags "tags", secret "secret" }
        { name "name", token "X-Token" }
    );

    #[derive(Clone, Debug, Default, PartialEq)]
    pub struct PutThingOutput {
        pub id: String,
        pub(crate) _request_id: protocol::ResponseRequestId,
    }
    impl PutThingOutput {
        getter!(str id);
    }
    output_request_id!(PutThingOutput);
    json_struct!(PutThingOutput PutThingOutputBuilder[_request_id] { id "id"[!] });

    operation_error!(
        "PutThing" PutThingError in error into crate::Error {
            Hiccup is_hiccup, Rejected is_rejected, SlowDown is_slow_down
        }
    );

    impl super::client::Client {
        pub fn put_thing(&self) -> builders::PutThingFluentBuilder {
            builders::PutThingFluentBuilder::new(self.handle().clone())
        }
    }

    pub mod builders {
        use super::*;

        #[derive(Clone, PartialEq, Default)]
        pub struct PutThingInputBuilder {
            pub(crate) name: Option<String>,
            pub(crate) size: Option<i32>,
            pub(crate) tags: Option<Vec<String>>,
            pub(crate) token: Option<String>,
            pub(crate) secret: Option<String>,
        }
        impl PutThingInputBuilder {
            setter!(String, name, set_name, get_name);
            setter!(i32, size, set_size, get_size);
            setter!([String], tags, set_tags, get_tags);
            setter!(String, token, set_token, get_token);
            setter!(String, secret, set_secret, get_secret);
            pub fn build(self) -> Result<PutThingInput, BuildError> {
                Ok(PutThingInput {
                    name: self.name,
                    size: self.size,
                    tags: self.tags,
                    token: self.token,
                    secret: self.secret,
                })
            }
        }
        redacted_debug!(
            PutThingInputBuilder { name show, size show, tags show, token show, secret hide }
        );

        #[derive(Default)]
        pub struct PutThingOutputBuilder {
            pub(crate) id: Option<String>,
        }

        fluent_builder!(
            crate,
            PutThing,
            PutThingFluentBuilder,
            PutThingInputBuilder,
            PutThingOutput,
            PutThingError
        );
        impl PutThingFluentBuilder {
            fluent_setter!(String, name, set_name, get_name);
            fluent_setter!(i32, size, set_size, get_size);
            fluent_setter!([String], tags, set_tags, get_tags);
            fluent_setter!(String, token, set_token, get_token);
        }
    }
}

/// Test credentials.
pub fn credentials() -> Credentials {
    Credentials::new("AKIDTHINGS", "things-secret", None, None, "test")
}
