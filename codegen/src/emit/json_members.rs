//! `json_struct!(..)` invocations: each structure's members with their JSON and model names and
//! reading modes.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, ToTokens};

use super::ident;
use super::shapes::default_fn_name;
use crate::plan::{Binding, MemberPlan, StructPlan, StructRole, Ty};

/// The module of `json` for a timestamp format (`epoch_seconds`, `date_time`, `http_date`).
pub fn format_module(format: &str) -> proc_macro2::Ident {
    format_ident!(
        "{}",
        match format {
            "EpochSeconds" => "epoch_seconds",
            "DateTime" => "date_time",
            _ => "http_date",
        }
    )
}

/// `json_struct!(..)`: the structure's members with their JSON and model names and reading
/// modes. Members bound outside the body are listed apart (documents carry them, bodies do not),
/// and a byte stream not at all. The way the client never uses is compiled only with the
/// crate's `documents` feature.
pub(super) fn json_impls(s: &StructPlan) -> TokenStream {
    let name = format_ident!("{}", s.name);
    let mut extra = match s.role {
        StructRole::Error => vec![quote!(meta)],
        StructRole::Output => vec![quote!(_request_id)],
        _ => Vec::new(),
    };
    for m in s.members.iter().filter(|m| m.ty == Ty::Stream) {
        extra.push(ident(&m.field).into_token_stream());
    }
    let extra = (!extra.is_empty()).then(|| quote!([#(#extra),*]));
    let (outside, body): (Vec<&MemberPlan>, Vec<&MemberPlan>) = s
        .members
        .iter()
        .filter(|m| m.ty != Ty::Stream)
        .partition(|m| m.binding != Binding::Body);
    let entries = |members: Vec<&MemberPlan>| -> Vec<TokenStream> {
        members.into_iter().map(|m| json_member(s, m)).collect()
    };
    let body = entries(body);
    let outside = (!outside.is_empty()).then(|| {
        let outside = entries(outside);
        quote!({ #(#outside),* })
    });
    let builder = format_ident!("{}", s.builder_name());
    let documents_only = quote!(#[cfg(feature = "documents")]);
    let read = (!s.json_sides.read).then(|| quote!(read #documents_only));
    let write = (!s.json_sides.write).then(|| quote!(write #documents_only));
    quote!(json_struct!(#name #builder #extra { #(#body),* } #outside #read #write);)
}

/// One member of `json_struct!`: `field "jsonName"` (and `/ "memberName"` when they differ) and
/// its mode.
fn json_member(s: &StructPlan, m: &MemberPlan) -> TokenStream {
    let f = ident(&m.field);
    let json = &m.json_name;
    let names = if m.json_name == m.name {
        quote!(#f #json)
    } else {
        let member = &m.name;
        quote!(#f #json / #member)
    };
    let mut mode = Vec::new();
    if let Some(format) = m.timestamp_format {
        let module = format_module(format);
        mode.push(quote!(as #module));
    }
    if !m.optional {
        mode.push(if m.default.is_some() {
            let f = default_fn_name(s, m);
            quote!(= #f)
        } else if m.ty == Ty::Timestamp {
            quote!(= ::restjson_runtime::json::default_timestamp)
        } else if m.value_defaults {
            quote!(= Default::default)
        } else {
            quote!(!)
        });
    }
    if mode.is_empty() {
        names
    } else {
        quote!(#names [#(#mode)*])
    }
}
