//! An operation's request: the serializer (URI labels, query string, headers, body or payload)
//! and, when the operation has them, its `@endpoint` host prefix and streaming payload.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use super::shapes::member_format;
use crate::plan::{Binding, HostPart, MemberPlan, OperationPlan, PathPart, Ty};

/// The value of an input member as `Option<String>` for a label, query parameter or header.
fn http_value(m: &MemberPlan) -> TokenStream {
    let f = ident(&m.field);
    if m.ty == Ty::Timestamp {
        let format = member_format(m);
        quote!(protocol::timestamp(&input.#f, #format)?)
    } else if m.media_type.is_some() && m.ty == Ty::String {
        quote!(protocol::base64_header(&input.#f))
    } else {
        quote!(protocol::value(&input.#f))
    }
}

/// A header member's value as `Option<String>`: scalars as text, lists as one comma-separated
/// value.
fn header_value(m: &MemberPlan) -> TokenStream {
    let f = ident(&m.field);
    match &m.ty {
        Ty::List(inner) if **inner == Ty::Timestamp => {
            let format = member_format(m);
            quote!(protocol::header_timestamps(&input.#f, #format)?)
        }
        Ty::List(_) => quote!(protocol::header_list(&input.#f)),
        _ => http_value(m),
    }
}

/// The `Content-Type` a payload (or JSON body) is sent with, unless a header member sets it.
fn default_content_type(op: &OperationPlan) -> Option<(String, Option<TokenStream>)> {
    let members = &op.input.members;
    let (content_type, when_set) = match op.input.payload() {
        Some(p) => {
            let f = ident(&p.field);
            let set = Some(quote!(input.#f.is_some()));
            match &p.ty {
                // JSON payloads: the runtime adds `application/json` to any body without a type.
                Ty::Struct(_) | Ty::Union(_) | Ty::Document => return None,
                Ty::Blob => (
                    p.media_type
                        .clone()
                        .unwrap_or("application/octet-stream".into()),
                    set,
                ),
                Ty::Stream => (
                    p.media_type
                        .clone()
                        .unwrap_or("application/octet-stream".into()),
                    None,
                ),
                _ => (p.media_type.clone().unwrap_or("text/plain".into()), set),
            }
        }
        None if members.iter().any(|m| m.binding == Binding::Body) => {
            ("application/json".to_owned(), None)
        }
        None => return None,
    };
    let explicit = members.iter().find(
        |m| matches!(&m.binding, Binding::Header(name) if name.eq_ignore_ascii_case("content-type")),
    );
    let mut conditions = Vec::new();
    if let Some(set) = when_set {
        conditions.push(set);
    }
    if let Some(m) = explicit {
        let f = ident(&m.field);
        conditions.push(quote!(input.#f.is_none()));
    }
    let condition = (!conditions.is_empty()).then(|| quote!(#(#conditions)&&*));
    Some((content_type, condition))
}

/// The `serialize` function of the operation's `OperationShape`: a list of calls on the
/// runtime's `RequestWriter`, each step compiled once in the runtime.
pub(super) fn serializer(op: &OperationPlan) -> TokenStream {
    let method = &op.method;
    let members = &op.input.members;
    let mut steps = Vec::new();
    let mut parts = op.path.iter().peekable();
    let first_literal = match parts.peek() {
        Some(PathPart::Literal(text)) => {
            parts.next();
            text.clone()
        }
        _ => String::new(),
    };
    for part in parts {
        match part {
            PathPart::Literal(text) => steps.push(quote!(request.path(#text);)),
            PathPart::Label { member, greedy } => {
                let m = &members[*member];
                let field = &m.name;
                let value = http_value(m);
                steps.push(quote!(request.label(#field, #value, #greedy)?;));
            }
        }
    }
    for pair in &op.static_query {
        steps.push(quote!(request.query.push_literal(#pair);));
    }
    let mut bound_keys: Vec<String> = op
        .static_query
        .iter()
        .map(|pair| pair.split('=').next().unwrap_or(pair).to_owned())
        .collect();
    let mut header_steps = Vec::new();
    for m in members {
        let f = ident(&m.field);
        match &m.binding {
            Binding::Query(key) => {
                bound_keys.push(key.clone());
                match &m.ty {
                    Ty::List(inner) if **inner == Ty::Timestamp => {
                        let format = member_format(m);
                        steps.push(quote! {
                            request.query.push_all(#key, protocol::timestamps(&input.#f, #format)?);
                        });
                    }
                    Ty::List(_) => steps.push(quote! {
                        request.query.push_all(#key, input.#f.iter().flatten().map(protocol::HttpValue::to_http_value));
                    }),
                    _ => {
                        let value = http_value(m);
                        steps.push(quote!(request.query.push(#key, #value);));
                    }
                }
            }
            Binding::Header(header) => {
                let field = &m.name;
                let value = header_value(m);
                header_steps.push(quote!(request.header(#header, #field, #value)?;));
            }
            Binding::PrefixHeaders(prefix) => {
                let field = &m.name;
                header_steps.push(quote! {
                    request.prefix_headers(protocol::prefix_headers(#prefix, #field, &input.#f)?);
                });
            }
            _ => {}
        }
    }
    for m in members.iter().filter(|m| m.binding == Binding::QueryParams) {
        let f = ident(&m.field);
        steps.push(quote!(request.query.push_params(&input.#f, &[#(#bound_keys),*]);));
    }
    steps.extend(header_steps);
    if let Some((ct, condition)) = default_content_type(op) {
        let push = quote!(request.content_type(#ct););
        steps.push(match condition {
            Some(condition) => quote!(if #condition { #push }),
            None => push,
        });
    }
    let has_body = members.iter().any(|m| m.binding == Binding::Body);
    let body = match op.input.payload() {
        Some(p) => {
            let f = ident(&p.field);
            match &p.ty {
                Ty::Struct(_) => quote!(protocol::json_payload(&input.#f, true)?),
                Ty::Union(_) | Ty::Document => quote!(protocol::json_payload(&input.#f, false)?),
                Ty::Blob => quote!(protocol::blob_payload(&input.#f)),
                Ty::Stream => quote!(None),
                _ => quote!(protocol::string_payload(&input.#f)),
            }
        }
        None if has_body => quote!(Some(protocol::json_body(input)?)),
        None => quote!(None),
    };
    let streaming_only = op.input.payload().is_some_and(|p| p.ty == Ty::Stream);
    let input_used = members
        .iter()
        .any(|m| !matches!(m.binding, Binding::Body | Binding::Payload))
        || has_body
        || (op.input.payload().is_some() && !streaming_only);
    let input_name = if input_used {
        quote!(input)
    } else {
        quote!(_input)
    };
    let request_mut = if steps.is_empty() {
        quote!(request)
    } else {
        quote!(mut request)
    };
    quote! {
        fn serialize(
            #input_name: &Self::Input,
        ) -> Result<shape::SerializedRequest, BuildError> {
            let #request_mut = protocol::RequestWriter::new(#method, #first_literal);
            #(#steps)*
            Ok(request.finish(#body))
        }
    }
}

/// `host_prefix` and `take_stream`, for operations with an `@endpoint` host prefix or a
/// streaming payload.
pub(super) fn request_extras(op: &OperationPlan) -> TokenStream {
    let mut out = TokenStream::new();
    if let Some(parts) = &op.host_prefix {
        let steps = parts.iter().map(|part| match part {
            HostPart::Literal(text) if text.chars().count() == 1 => {
                let c = text.chars().next().unwrap_or('.');
                quote!(prefix.push(#c);)
            }
            HostPart::Literal(text) => quote!(prefix.push_str(#text);),
            HostPart::Label(index) => {
                let m = &op.input.members[*index];
                let f = ident(&m.field);
                let field = &m.name;
                quote!(prefix.push_str(&protocol::host_label(#field, &input.#f)?);)
            }
        });
        out.extend(quote! {
            fn host_prefix(input: &Self::Input) -> Result<Option<String>, BuildError> {
                let _ = input;
                let mut prefix = String::new();
                #(#steps)*
                Ok(Some(prefix))
            }
        });
    }
    if let Some(stream) = op.streaming_input() {
        let f = ident(&stream.field);
        out.extend(quote! {
            fn take_stream(input: &mut Self::Input) -> Option<::restjson_runtime::primitives::ByteStream> {
                Some(std::mem::take(&mut input.#f))
            }
        });
    }
    out
}
