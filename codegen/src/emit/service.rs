//! The service-wide files: `schema.rs` (the service's facts and its operation table), and
//! `client.rs` and `config.rs` (the crate's own `Client`, `Config` and `config::Builder`, made by
//! the runtime's macros).

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::path;
use super::schema_members::{operation_summary, shared_descriptors, InputMembers};
use crate::plan::{AuthScheme, OperationPlan, Plan, RetryKind};
use crate::Error;

/// `client.rs`: the client type, and what `customize()` returns.
pub fn client_module(plan: &Plan) -> TokenStream {
    let doc = format!(" Client for the {}.", plan.service.title);
    quote! {
        //! The client of the service.

        ::restjson_runtime::client_type!(#[doc = #doc] super::schema::SERVICE, super::config::Config);

        /// One call, customized before it is sent: `customize()` on a fluent builder.
        pub mod customize {
            ::restjson_runtime::customize_module!(crate);
        }
    }
}

/// `config.rs`: the configuration and its builder, with the types their settings take, and
/// the endpoint rules.
pub fn config_module(plan: &Plan) -> TokenStream {
    let endpoint = super::endpoint::endpoint_module(&plan.service.endpoint);
    let context_setters = super::endpoint::client_context_setters(&plan.service.endpoint);
    quote! {
        //! Client configuration.

        // The types the settings take, under the paths every AWS SDK crate offers them.
        pub use ::restjson_runtime::config::{
            AppName, AsyncSleep, BehaviorVersion, ConfigBag, Credentials, FrameworkMetadata,
            FrozenLayer, HttpClient, IdentityCache, Intercept, IntoShared, Layer,
            ProvideCredentials, Region, ResolveCachedIdentity, RetryConfig, RetryMode,
            RuntimeComponents, RuntimeComponentsBuilder, RuntimePlugin, SharedAsyncSleep,
            SharedCredentialsProvider, SharedHttpClient, SharedIdentityCache, SharedInterceptor,
            SharedRuntimePlugin, Sleep, StalledStreamProtectionConfig, TimeoutConfig,
        };
        pub use ::restjson_runtime::config::{http, interceptors, retry, timeout};
        /// How a call chooses its auth scheme.
        pub mod auth {
            pub use ::restjson_runtime::auth::{
                BuildError, DefaultAuthSchemeResolver, Params, ParamsBuilder, ResolveAuthScheme,
            };
        }

        #endpoint

        ::restjson_runtime::config_types!(super::schema::SERVICE);

        #context_setters
    }
}

/// The crate's root additions: the crate-wide `Error` and `meta`.
pub fn api_items(plan: &Plan) -> TokenStream {
    let errors = plan.errors.iter().map(|e| format_ident!("{}", e.name));
    quote! {
        ::restjson_runtime::service_error!(Error in crate { #(#errors),* });

        /// Facts about this crate.
        pub mod meta {
            /// The crate's version.
            pub static PKG_VERSION: &str = env!("CARGO_PKG_VERSION");
        }
    }
}

/// `schema.rs`: `SERVICE` and `OPERATIONS`.
pub fn schema_module(plan: &Plan) -> Result<TokenStream, Error> {
    let service = &plan.service;
    let shape_id = &service.shape_id;
    let sdk_id = &service.sdk_id;
    let version = &service.version;
    let signing_name = match &service.signing_name {
        Some(name) => quote!(Some(#name)),
        None => quote!(None),
    };
    let auth = auth_list(&service.auth);
    let retryable = service.retryable.iter().map(|(code, kind)| {
        let kind = format_ident!(
            "{}",
            match kind {
                RetryKind::ThrottlingError => "ThrottlingError",
                RetryKind::ServerError => "ServerError",
                RetryKind::TransientError => "TransientError",
            }
        );
        quote!(RetryableError { code: #code, kind: ErrorKind::#kind })
    });
    // Operations share their error lists; each distinct list is written once.
    let mut lists: BTreeMap<&[String], usize> = BTreeMap::new();
    for op in &plan.operations {
        let next = lists.len() + 1;
        lists.entry(op.errors.as_slice()).or_insert(next);
    }
    let mut shared: Vec<(&usize, &&[String])> = lists.iter().map(|(l, n)| (n, l)).collect();
    shared.sort();
    let error_lists = shared.iter().map(|(n, list)| {
        let name = format_ident!("ERRORS_{}", n);
        quote! {
            /// Errors that operations declare, shared by every operation with this list.
            const #name: &[&str] = &[#(#list),*];
        }
    });
    let inputs = InputMembers::new(plan);
    let operations = plan
        .operations
        .iter()
        .map(|op| operation_info(op, lists[op.errors.as_slice()], &inputs, &service.auth));
    let shared_members = inputs.items();
    let count = proc_macro2::Literal::usize_unsuffixed(plan.operations.len());
    let doc = format!(
        " The {}: its facts for the runtime and its table of operations.",
        service.title
    );
    let descriptors = shared_descriptors(plan);
    let error_kind = (!service.retryable.is_empty()).then(|| {
        quote!(
            use ::restjson_runtime::retry::ErrorKind;
        )
    });
    Ok(quote! {
        //! The service's facts as data: what the runtime needs to know of it (SDK id, signing
        //! name, retryable errors, endpoint resolver) and the table of its operations, which tools
        //! read to build subcommands or route requests.

        #error_kind
        // The table's types, so that its readers need no other crate.
        pub use ::restjson_runtime::schema::{
            AuthScheme, Location, MemberInfo, OperationInfo, PaginationInfo, RequestFacts,
            RetryableError, ServiceInfo, StructureInfo, TypeInfo,
        };

        #[doc = #doc]
        pub static SERVICE: ServiceInfo = ServiceInfo {
            shape_id: #shape_id,
            sdk_id: #sdk_id,
            version: #version,
            signing_name: #signing_name,
            auth: &[#(#auth),*],
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")),
            endpoint: super::config::endpoint::INFO,
            retryable_errors: &[#(#retryable),*],
            operations: &OPERATIONS,
        };

        /// Every operation of the service, sorted by name.
        pub static OPERATIONS: [OperationInfo; #count] = [#(#operations),*];

        #(#error_lists)*

        #shared_members
        #descriptors
    })
}

/// `AuthScheme::...` paths for a list of schemes.
fn auth_list(schemes: &[AuthScheme]) -> Vec<TokenStream> {
    schemes
        .iter()
        .map(|scheme| match scheme {
            AuthScheme::SigV4 => quote!(AuthScheme::SigV4),
            AuthScheme::Bearer => quote!(AuthScheme::Bearer),
        })
        .collect()
}

/// The operation's `RequestFacts`: `RequestFacts::SERVICE_DEFAULTS` when it adds nothing.
fn request_facts(op: &OperationPlan, service_auth: &[AuthScheme]) -> TokenStream {
    let auth = (op.auth != service_auth).then(|| {
        let schemes = auth_list(&op.auth);
        quote!(auth: Some(&[#(#schemes),*]),)
    });
    let flags = [
        ("unsigned_payload", op.unsigned_payload),
        ("checksum_required", op.checksum_required),
        ("request_compression", op.request_compression),
        ("requires_length", op.requires_length),
    ];
    let set: Vec<TokenStream> = flags
        .iter()
        .filter(|(_, on)| *on)
        .map(|(name, _)| {
            let name = format_ident!("{}", name);
            quote!(#name: true,)
        })
        .collect();
    if auth.is_none() && set.is_empty() {
        return quote!(RequestFacts::SERVICE_DEFAULTS);
    }
    quote!(RequestFacts { #auth #(#set)* ..RequestFacts::SERVICE_DEFAULTS })
}

fn operation_info(
    op: &OperationPlan,
    errors: usize,
    inputs: &InputMembers,
    service_auth: &[AuthScheme],
) -> TokenStream {
    let name = &op.name;
    let kebab = &op.kebab;
    let summary = operation_summary(op);
    let method = &op.method;
    let uri = &op.uri;
    let readonly = op.readonly;
    let idempotent = op.idempotent;
    let token = match op.input.members.iter().find(|m| m.idempotency_token) {
        Some(m) => {
            let name = &m.name;
            quote!(Some(#name))
        }
        None => quote!(None),
    };
    let errors = path(&format!("ERRORS_{errors}"));
    let input = inputs.of(op);
    let request = request_facts(op, service_auth);
    let pagination = match &op.pagination {
        Some(p) => {
            let names = &p.names;
            let (input, output) = (&names.input_token, &names.output_token);
            let items = names.items.as_deref().unwrap_or_default();
            let page_size = match &names.page_size {
                Some(size) => quote!(Some(#size)),
                None => quote!(None),
            };
            quote! {
                Some(PaginationInfo {
                    input_token: #input,
                    output_token: #output,
                    items: #items,
                    page_size: #page_size,
                })
            }
        }
        None => quote!(None),
    };
    quote! {
        OperationInfo {
            name: #name,
            kebab_name: #kebab,
            summary: #summary,
            method: #method,
            uri: #uri,
            readonly: #readonly,
            idempotent: #idempotent,
            idempotency_token: #token,
            errors: #errors,
            pagination: #pagination,
            input: #input,
            request: #request,
        }
    }
}
