//! Structures, their builders, enums and error structures.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::{docs, format_variant, ident, imports, path, ty};
use crate::plan::{Binding, DefaultValue, MemberPlan, Plan, StructPlan, StructRole, Ty};

/// `types/mod.rs`: plain structures, enums and their builders.
pub fn types_module(plan: &Plan) -> TokenStream {
    let structs = plan.structs.iter().map(structure);
    let enums = plan.enums.iter().map(super::enums::enumeration);
    let unions = plan.unions.iter().map(super::unions::union);
    let builders = plan.structs.iter().map(builder);
    let union_members: Vec<StructPlan> = plan
        .unions
        .iter()
        .map(|u| StructPlan {
            id: u.id.clone(),
            name: u.name.clone(),
            module: "crate::types".to_owned(),
            role: StructRole::Plain,
            members: u.members.clone(),
            doc: Vec::new(),
            validates: u.validates,
            derives_default: false,
            plain_data: true,
            json_sides: crate::plan::JsonSides::BOTH,
        })
        .collect();
    let imports = imports(plan.structs.iter().chain(&union_members), false);
    let build_error = plan.structs.iter().any(fallible_build).then(|| {
        quote!(
            use ::restjson_runtime::error::BuildError;
        )
    });
    let macros = (!plan.structs.is_empty() || !plan.unions.is_empty()).then(|| {
        quote!(
            use ::restjson_runtime::macros::*;
        )
    });
    quote! {
        //! Data types of the service: structures, unions and enumerations.

        #imports
        #macros

        pub mod error;

        #(#structs)*
        #(#unions)*
        #(#enums)*

        /// Builders for the structures in [`crate::types`].
        pub mod builders {
            use super::*;
            #build_error

            #(#builders)*
        }
    }
}

/// `types/error.rs`: error structures and their builders.
pub fn errors_module(plan: &Plan) -> TokenStream {
    let structs = plan.errors.iter().map(structure);
    let builders = plan.errors.iter().map(builder);
    let imports = imports(&plan.errors, true);
    let build_error = plan.errors.iter().any(fallible_build).then(|| {
        quote!(
            use ::restjson_runtime::error::BuildError;
        )
    });
    let all = plan.errors.iter().map(|e| format_ident!("{}", e.name));
    let details = plan.errors.iter().map(|e| error_details(e, plan));
    let protocol = plan
        .errors
        .iter()
        .any(|e| e.members.iter().any(|m| m.binding != Binding::Body))
        .then(|| {
            quote!(
                use ::restjson_runtime::protocol;
            )
        });
    quote! {
        //! Error structures the service may answer with.

        use ::restjson_runtime::error::ErrorMetadata;
        use ::restjson_runtime::error_details::ErrorDetails;
        use ::restjson_runtime::macros::*;
        #protocol
        #imports

        #(#structs)*
        #(#details)*

        service_errors!(crate::schema::SERVICE; #(#all),*);

        /// Builders for the structures in [`crate::types::error`].
        pub mod builders {
            use super::*;
            #build_error

            #(#builders)*
        }
    }
}

/// A structure: type, getters, `builder()`, Debug, validation and (for errors) error traits.
pub fn structure(s: &StructPlan) -> TokenStream {
    let name = format_ident!("{}", s.name);
    let doc = docs(&s.doc);
    let fields = s.members.iter().map(field);
    let getters = s.members.iter().map(getter);
    let meta_field = match s.role {
        StructRole::Error => Some(quote! {
            pub(crate) meta: ErrorMetadata,
        }),
        StructRole::Output => Some(quote! {
            _request_id: ::restjson_runtime::protocol::ResponseRequestId,
        }),
        _ => None,
    };
    let request_id = (s.role == StructRole::Output).then(|| quote!(output_request_id!(#name);));
    let mut derives = Vec::new();
    if s.plain_data {
        derives.extend([quote!(Clone), quote!(PartialEq)]);
    }
    if !s.has_sensitive() {
        derives.push(quote!(Debug));
    }
    if s.derives_default && s.role != StructRole::Error {
        derives.push(quote!(Default));
    }
    let builder_path = path(&format!("builders::{}", s.builder_name()));
    let builder_doc = format!(" Creates a builder for [`{}`].", s.name);
    let debug = s
        .has_sensitive()
        .then(|| debug_impl(&s.name, &s.members, s.role == StructRole::Error, false));
    let defaults = s.members.iter().filter_map(|m| default_fn(s, m));
    let validate = s.validates.then(|| super::validation::validate_impl(s));
    let error_impls = (s.role == StructRole::Error).then(|| error_impls(s));
    let json = super::json_members::json_impls(s);
    quote! {
        #doc
        #[non_exhaustive]
        #[derive(#(#derives),*)]
        pub struct #name {
            #(#fields)*
            #meta_field
        }
        impl #name {
            #(#getters)*
            #[doc = #builder_doc]
            pub fn builder() -> #builder_path {
                #builder_path::default()
            }
        }
        #debug
        #(#defaults)*
        #validate
        #error_impls
        #request_id
        #json
    }
}

pub(super) fn default_fn_name(s: &StructPlan, m: &MemberPlan) -> proc_macro2::Ident {
    format_ident!(
        "default_{}_{}",
        heck::ToSnakeCase::to_snake_case(s.name.as_str()),
        m.field
    )
}

/// The function giving a member's `@default` value.
fn default_fn(s: &StructPlan, m: &MemberPlan) -> Option<TokenStream> {
    let value = m.default.as_ref()?;
    let fn_name = default_fn_name(s, m);
    let t = ty(&m.ty);
    let expr = match (value, &m.ty) {
        (DefaultValue::Str(text), Ty::String) => quote!(#text.to_owned()),
        (DefaultValue::Str(text), _) => quote!(#t::from(#text)),
        (DefaultValue::Bool(b), _) => quote!(#b),
        (DefaultValue::Number(n), Ty::Float | Ty::Double) => {
            let lit = Literal::f64_unsuffixed(n.as_f64().unwrap_or_default());
            quote!(#lit)
        }
        (DefaultValue::Number(n), _) => {
            let lit = Literal::i64_unsuffixed(n.as_i64().unwrap_or_default());
            quote!(#lit)
        }
        (DefaultValue::EmptyList, _) => quote!(Vec::new()),
        (DefaultValue::EmptyMap, _) => quote!(::std::collections::HashMap::new()),
        (DefaultValue::Blob(_), _) => quote!(::restjson_runtime::primitives::Blob::new(Vec::new())),
        (DefaultValue::Document(value), _) => {
            let text = value.to_string();
            quote!(::restjson_runtime::json::document(#text))
        }
        (DefaultValue::Timestamp(secs), _) => {
            let lit = Literal::f64_unsuffixed(*secs);
            quote!(DateTime::from_secs_f64(#lit))
        }
    };
    let doc = format!(" The model's default for `{}`.", m.name);
    Some(quote! {
        #[doc = #doc]
        fn #fn_name() -> #t {
            #expr
        }
    })
}

fn field(m: &MemberPlan) -> TokenStream {
    let doc = docs(&m.doc);
    let name = ident(&m.field);
    let t = ty(&m.ty);
    let t = if m.optional { quote!(Option<#t>) } else { t };
    quote! {
        #doc
        pub #name: #t,
    }
}

fn getter(m: &MemberPlan) -> TokenStream {
    let name = ident(&m.field);
    let t = ty(&m.ty);
    match (&m.ty, m.optional) {
        (Ty::String, true) => quote!(getter!(opt_str #name);),
        (Ty::List(inner), true) => {
            let inner = ty(inner);
            quote!(getter!(opt_list #name, #inner);)
        }
        (Ty::Boxed(inner), true) => {
            let inner = ty(inner);
            quote!(getter!(opt_box #name, #inner);)
        }
        (t2, true) if t2.is_copy() => quote!(getter!(opt_copy #name, #t);),
        (_, true) => quote!(getter!(opt_ref #name, #t);),
        (Ty::String, false) => quote!(getter!(str #name);),
        (Ty::List(inner), false) => {
            let inner = ty(inner);
            quote!(getter!(list #name, #inner);)
        }
        (Ty::Boxed(inner), false) => {
            let inner = ty(inner);
            quote!(getter!(ref #name, #inner);)
        }
        (t2, false) if t2.is_copy() => quote!(getter!(copy #name, #t);),
        (_, false) => quote!(getter!(ref #name, #t);),
    }
}

fn debug_impl(name: &str, members: &[MemberPlan], with_meta: bool, builder: bool) -> TokenStream {
    let type_name = if builder {
        format!("{name}Builder")
    } else {
        name.to_owned()
    };
    let type_ident = format_ident!("{}", type_name);
    let fields = members.iter().map(|m| {
        let f = ident(&m.field);
        if m.sensitive {
            quote!(#f hide)
        } else {
            quote!(#f show)
        }
    });
    let meta = with_meta.then(|| quote!(meta show));
    let entries: Vec<TokenStream> = fields.chain(meta).collect();
    quote!(redacted_debug!(#type_ident { #(#entries),* });)
}

/// The builder of a structure.
pub fn builder(s: &StructPlan) -> TokenStream {
    let name = format_ident!("{}", s.builder_name());
    let target_ident = format_ident!("{}", s.name);
    let target = quote!(#target_ident);
    let doc = format!(" A builder for [`{}`].", s.name);
    let fields = s.members.iter().map(|m| {
        let f = ident(&m.field);
        let t = ty(&m.ty);
        quote!(pub(crate) #f: Option<#t>,)
    });
    let meta_field = (s.role == StructRole::Error).then(|| quote!(meta: Option<ErrorMetadata>,));
    let methods = s.members.iter().map(|m| setters(m, false));
    let mut derives = Vec::new();
    if s.plain_data {
        derives.extend([quote!(Clone), quote!(PartialEq)]);
    }
    derives.push(quote!(Default));
    if !s.has_sensitive() {
        derives.push(quote!(Debug));
    }
    let debug = s
        .has_sensitive()
        .then(|| debug_impl(&s.name, &s.members, s.role == StructRole::Error, true));
    let meta_methods = (s.role == StructRole::Error).then(|| quote!(error_meta_setters!();));
    let build = build_fn(s, &target);
    quote! {
        #[doc = #doc]
        #[non_exhaustive]
        #[derive(#(#derives),*)]
        pub struct #name {
            #(#fields)*
            #meta_field
        }
        impl #name {
            #(#methods)*
            #meta_methods
            #build
        }
        #debug
    }
}

/// The setter, `set_` and `get_` methods of a member; on a fluent builder (`fluent`) they
/// forward to its input builder.
pub fn setters(m: &MemberPlan, fluent: bool) -> TokenStream {
    let f = ident(&m.field);
    let set = format_ident!("set_{}", m.field);
    let get = format_ident!("get_{}", m.field);
    let t = match &m.ty {
        Ty::List(inner) => {
            let inner = ty(inner);
            quote!([#inner])
        }
        Ty::Map(key, value) => {
            let (key, value) = (ty(key), ty(value));
            quote!({#key: #value})
        }
        Ty::Boxed(inner) => {
            let inner = ty(inner);
            quote!(box #inner)
        }
        other => ty(other),
    };
    if fluent {
        quote!(fluent_setter!(#t, #f, #set, #get);)
    } else {
        quote!(setter!(#t, #f, #set, #get);)
    }
}

/// Whether a member must be set before its structure can be built: it is required and has no
/// default (a byte stream is empty when unset).
fn must_be_set(m: &MemberPlan) -> bool {
    !m.optional && m.default.is_none() && m.ty != Ty::Stream
}

/// Whether a structure's `build()` returns a `Result`.
fn fallible_build(s: &StructPlan) -> bool {
    s.role == StructRole::Input || s.members.iter().any(must_be_set)
}

fn build_fn(s: &StructPlan, target: &TokenStream) -> TokenStream {
    let missing: Vec<&MemberPlan> = s.members.iter().filter(|m| must_be_set(m)).collect();
    let assigns = s.members.iter().map(|m| {
        let f = ident(&m.field);
        if m.optional {
            quote!(#f: self.#f,)
        } else if m.ty == Ty::Stream {
            quote!(#f: self.#f.unwrap_or_default(),)
        } else if m.default.is_some() {
            let default = default_fn_name(s, m);
            quote!(#f: self.#f.unwrap_or_else(super::#default),)
        } else {
            quote!(#f,)
        }
    });
    let meta = match s.role {
        StructRole::Error => Some(quote!(meta: self.meta.unwrap_or_default(),)),
        StructRole::Output => Some(quote!(_request_id: Default::default(),)),
        _ => None,
    };
    let construct = quote!(#target { #(#assigns)* #meta });
    let fallible = s.role == StructRole::Input || !missing.is_empty();
    let doc = if missing.is_empty() {
        format!(" Builds the [`{}`].", s.name)
    } else {
        let names: Vec<String> = missing.iter().map(|m| format!("`{}`", m.field)).collect();
        format!(
            " Builds the [`{}`]; fails naming every required member that is not set ({}).",
            s.name,
            names.join(", ")
        )
    };
    if !fallible {
        return quote! {
            #[doc = #doc]
            pub fn build(self) -> #target {
                #construct
            }
        };
    }
    if missing.is_empty() {
        return quote! {
            #[doc = #doc]
            pub fn build(self) -> Result<#target, BuildError> {
                Ok(#construct)
            }
        };
    }
    let idents: Vec<_> = missing.iter().map(|m| ident(&m.field)).collect();
    let names: Vec<_> = missing.iter().map(|m| m.field.clone()).collect();
    let type_name = &s.name;
    quote! {
        #[doc = #doc]
        pub fn build(self) -> Result<#target, BuildError> {
            match (#(self.#idents,)*) {
                (#(Some(#idents),)*) => Ok(#construct),
                (#(#idents,)*) => Err(::restjson_runtime::validation::missing_members(
                    #type_name,
                    &[#((#names, #idents.is_none())),*],
                )),
            }
        }
    }
}

fn error_impls(s: &StructPlan) -> TokenStream {
    let name = format_ident!("{}", s.name);
    let message = s
        .members
        .iter()
        .find(|m| m.field == "message" && m.ty == Ty::String);
    let message = match message {
        Some(m) if m.optional => Some(quote!(opt_message)),
        Some(_) => Some(quote!(message)),
        None => None,
    };
    let headers = super::http_response::header_steps(s, quote!(self), &quote!(headers));
    if headers.is_empty() {
        return quote!(modeled_error!(#name #message););
    }
    quote! {
        impl #name {
            /// Reads the members bound to response headers.
            fn read_header_members(
                &mut self,
                headers: &::restjson_runtime::protocol::HeaderMap,
            ) -> Result<(), ::restjson_runtime::protocol::Malformed> {
                #(#headers)*
                Ok(())
            }
        }
        modeled_error!(#name #message; read_header_members);
    }
}

/// `ErrorDetails` for an error structure: every member but the message and the sensitive ones,
/// rendered as the runtime's `error_details` module describes.
fn error_details(s: &StructPlan, plan: &Plan) -> TokenStream {
    let name = format_ident!("{}", s.name);
    let members: Vec<&MemberPlan> = s
        .members
        .iter()
        .filter(|m| !m.sensitive && !m.name.eq_ignore_ascii_case("message"))
        .collect();
    if members.is_empty() {
        return quote!(impl ErrorDetails for #name {});
    }
    let record_of = |item: TokenStream, struct_name: &str| -> TokenStream {
        let fields = plan
            .structs
            .iter()
            .find(|p| p.name == struct_name)
            .map(|p| {
                p.members
                    .iter()
                    .filter(|m| !m.sensitive)
                    .map(|m| {
                        let f = ident(&m.field);
                        quote!(&#item.#f)
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        quote!(out.extend(::restjson_runtime::error_details::record(&[#(#fields),*]));)
    };
    let steps = members.iter().map(|m| {
        let f = ident(&m.field);
        match &m.ty {
            Ty::List(inner) => match &**inner {
                Ty::Struct(struct_name) => {
                    let items = if m.optional {
                        quote!(self.#f.iter().flatten())
                    } else {
                        quote!(self.#f.iter())
                    };
                    let record = record_of(quote!(item), struct_name);
                    quote!(for item in #items { #record })
                }
                _ => named(m),
            },
            Ty::Struct(struct_name) => {
                let record = record_of(quote!(item), struct_name);
                if m.optional {
                    quote!(if let Some(item) = &self.#f { #record })
                } else {
                    quote!({ let item = &self.#f; #record })
                }
            }
            _ => named(m),
        }
    });
    quote! {
        impl ErrorDetails for #name {
            fn details(&self) -> Vec<String> {
                let mut out = Vec::new();
                #(#steps)*
                out
            }
        }
    }
}

fn named(m: &MemberPlan) -> TokenStream {
    let f = ident(&m.field);
    let json = &m.json_name;
    quote!(out.extend(::restjson_runtime::error_details::named(#json, &self.#f));)
}

/// The `Format` of a member's timestamps, for serializers.
pub fn member_format(m: &MemberPlan) -> TokenStream {
    format_variant(m.timestamp_format.unwrap_or("DateTime"))
}
