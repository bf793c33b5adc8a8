//! The service-wide files: `schema.rs` (the service's facts and its operation table), and
//! `client.rs` and `config.rs` (the crate's own `Client`, `Config` and `config::Builder`, made by
//! the runtime's macros).

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::path;
use crate::plan::{AuthScheme, OperationPlan, Plan, RetryKind};
use crate::Error;

/// `client.rs`: the client type.
pub fn client_module(plan: &Plan) -> TokenStream {
    let doc = format!(" Client for the {}.", plan.service.title);
    quote! {
        //! The client of the service.

        ::restjson_runtime::client_type!(#[doc = #doc] super::schema::SERVICE, super::config::Config);
    }
}

/// `config.rs`: the configuration and its builder.
pub fn config_module() -> TokenStream {
    quote! {
        //! Client configuration.

        // Re-exported so callers need no extra dependency for the common settings.
        pub use ::restjson_runtime::config::{
            AppName, Credentials, IdentityCache, Region, RetryConfig, RetryMode, TimeoutConfig,
        };

        ::restjson_runtime::config_types!(super::schema::SERVICE);
    }
}

/// `schema.rs`: `SERVICE` and `OPERATIONS`.
pub fn schema_module(plan: &Plan, endpoint_resolver: Option<&str>) -> Result<TokenStream, Error> {
    let service = &plan.service;
    let shape_id = &service.shape_id;
    let sdk_id = &service.sdk_id;
    let version = &service.version;
    let signing_name = match &service.signing_name {
        Some(name) => quote!(Some(#name)),
        None => quote!(None),
    };
    let resolver = match endpoint_resolver {
        Some(text) => {
            let resolver: syn::Path = syn::parse_str(text).map_err(|e| {
                Error::new(format!(
                    "endpoint resolver {text:?} is not a Rust path: {e}"
                ))
            })?;
            quote!(Some(#resolver))
        }
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
    let operations = plan
        .operations
        .iter()
        .map(|op| operation_info(op, lists[op.errors.as_slice()], &service.auth));
    let count = proc_macro2::Literal::usize_unsuffixed(plan.operations.len());
    let doc = format!(
        " The {}: its facts for the runtime and its table of operations.",
        service.title
    );
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
            AuthScheme, OperationInfo, PaginationInfo, RequestFacts, RetryableError, ServiceInfo,
        };

        #[doc = #doc]
        pub static SERVICE: ServiceInfo = ServiceInfo {
            shape_id: #shape_id,
            sdk_id: #sdk_id,
            version: #version,
            signing_name: #signing_name,
            auth: &[#(#auth),*],
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")),
            endpoint_resolver: #resolver,
            retryable_errors: &[#(#retryable),*],
            operations: &OPERATIONS,
        };

        /// Every operation of the service, sorted by name.
        pub static OPERATIONS: [OperationInfo; #count] = [#(#operations),*];

        #(#error_lists)*
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

fn operation_info(op: &OperationPlan, errors: usize, service_auth: &[AuthScheme]) -> TokenStream {
    let name = &op.name;
    let kebab = &op.kebab;
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
            method: #method,
            uri: #uri,
            readonly: #readonly,
            idempotent: #idempotent,
            idempotency_token: #token,
            errors: #errors,
            pagination: #pagination,
            request: #request,
        }
    }
}
