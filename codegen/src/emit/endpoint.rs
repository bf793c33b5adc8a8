//! The endpoint items: the `config::endpoint` module (the rule set as text and its parameters,
//! through the runtime's `endpoint_module!`), the configuration setters of the
//! `@clientContextParams`, and what an operation gives the rules (`@staticContextParams`,
//! `@contextParam` members).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use super::ident;
use crate::plan::{EndpointPlan, OperationPlan, ParamKind, ParamMode};

fn kind_token(kind: ParamKind) -> TokenStream {
    match kind {
        ParamKind::String => quote!(string),
        ParamKind::Boolean => quote!(boolean),
        ParamKind::StringArray => quote!(string_array),
    }
}

/// A JSON value as a Rust expression of the parameter's type.
fn value_expr(value: &Value) -> TokenStream {
    match value {
        Value::Bool(b) => quote!(#b),
        Value::String(s) => quote!(#s),
        Value::Array(items) => {
            let items = items.iter().filter_map(Value::as_str);
            quote!(vec![#(String::from(#items)),*])
        }
        other => {
            let text = other.to_string();
            quote!(#text)
        }
    }
}

/// `pub mod endpoint { endpoint_module!(...) }`.
pub fn endpoint_module(plan: &EndpointPlan) -> TokenStream {
    let rules = &plan.rules_json;
    let params = plan.params.iter().map(|p| {
        let field = ident(&p.field);
        let setter = format_ident!("{}", p.setter);
        let kind = kind_token(p.kind);
        let name = &p.name;
        let built_in = p.built_in.iter();
        let mode = match &p.mode {
            ParamMode::Optional => quote!(optional),
            ParamMode::Required => quote!(required),
            ParamMode::Default(value) => {
                let value = value_expr(value);
                quote!(default(#value))
            }
        };
        quote!(#field #setter: #kind #name built_in(#(#built_in)*) #mode)
    });
    quote! {
        /// Endpoint resolution: the service's rule set, the parameters it takes, and the
        /// resolvers that choose an endpoint from them.
        pub mod endpoint {
            ::restjson_runtime::endpoint_module!(#rules; #(#params),*);
        }
    }
}

/// The configuration builder's setters of the `@clientContextParams`.
pub fn client_context_setters(plan: &EndpointPlan) -> Option<TokenStream> {
    if plan.client_context.is_empty() {
        return None;
    }
    let setters = plan.client_context.iter().map(|p| {
        let field = ident(&p.field);
        let set = format_ident!("set_{}", p.field);
        let name = &p.name;
        let ty = match p.kind {
            ParamKind::String => quote!(String),
            ParamKind::Boolean => quote!(bool),
            ParamKind::StringArray => quote!(Vec<String>),
        };
        let doc = format!(" Sets the endpoint rules' `{name}` for every call.");
        let set_doc = format!(" Sets or clears the endpoint rules' `{name}`.");
        quote! {
            #[doc = #doc]
            pub fn #field(mut self, value: impl Into<#ty>) -> Self {
                self.#set(Some(value.into()));
                self
            }
            #[doc = #set_doc]
            pub fn #set(&mut self, value: Option<#ty>) -> &mut Self {
                self.set_client_context_param(#name, value.map(::restjson_runtime::endpoint::ParamValue::from));
                self
            }
        }
    });
    Some(quote! {
        impl Builder {
            #(#setters)*
        }
    })
}

/// `endpoint_params`: what the operation gives the rules, when it gives anything.
pub fn operation_params(op: &OperationPlan) -> Option<TokenStream> {
    let plan = &op.endpoint;
    if plan.static_params.is_empty() && plan.context_params.is_empty() {
        return None;
    }
    let statics = plan.static_params.iter().map(|(name, value)| {
        let value = value_expr(value);
        quote!(params.set(#name, #value);)
    });
    let context = plan.context_params.iter().map(|(name, field)| {
        let field = ident(field);
        quote! {
            if let Some(value) = ::restjson_runtime::endpoint_params::context_value(&input.#field) {
                params.set(#name, value);
            }
        }
    });
    Some(quote! {
        fn endpoint_params(input: &Self::Input, params: &mut ::restjson_runtime::endpoint::Params) {
            #(#statics)*
            #(#context)*
        }
    })
}
