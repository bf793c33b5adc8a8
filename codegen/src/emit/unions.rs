//! Unions: a Rust enum with one variant per member and `Unknown`, its accessors, Debug, JSON and
//! validation.

use heck::ToUpperCamelCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{docs, ty};
use crate::plan::{MemberPlan, Ty, UnionPlan};

/// The Rust name of a union member's variant.
pub fn variant_name(m: &MemberPlan) -> String {
    m.name.to_upper_camel_case()
}

/// A union and its impls.
pub fn union(u: &UnionPlan) -> TokenStream {
    let name = format_ident!("{}", u.name);
    let doc = docs(&u.doc);
    let variants = u.members.iter().map(|m| {
        let doc = docs(&m.doc);
        let variant = format_ident!("{}", variant_name(m));
        if m.ty == Ty::Unit {
            quote!(#doc #variant,)
        } else {
            let t = ty(&m.ty);
            quote!(#doc #variant(#t),)
        }
    });
    let accessors = u.members.iter().map(|m| {
        let variant = format_ident!("{}", variant_name(m));
        let as_fn = format_ident!("as_{}", m.field);
        let is_fn = format_ident!("is_{}", m.field);
        if m.ty == Ty::Unit {
            quote!(union_variant!(#variant #as_fn #is_fn);)
        } else {
            let t = ty(&m.ty);
            quote!(union_variant!(#variant #as_fn #is_fn, #t);)
        }
    });
    let mut derives = vec![quote!(Clone), quote!(PartialEq)];
    let debug = if u.has_sensitive() {
        Some(debug_impl(u))
    } else {
        derives.push(quote!(Debug));
        None
    };
    let json = json_union(u);
    let validate = u
        .validates
        .then(|| super::validation::union_validate_impl(u));
    quote! {
        #doc
        #[non_exhaustive]
        #[derive(#(#derives),*)]
        pub enum #name {
            #(#variants)*
            /// A member this version of the crate does not know, which a newer service may send.
            /// It cannot be sent back.
            #[non_exhaustive]
            Unknown,
        }
        impl #name {
            #(#accessors)*
            /// Whether this is a member this version of the crate does not know.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown)
            }
        }
        #debug
        #json
        #validate
    }
}

/// Debug that shows the variant and hides the value of a `@sensitive` member.
fn debug_impl(u: &UnionPlan) -> TokenStream {
    let name = format_ident!("{}", u.name);
    let arms = u.members.iter().map(|m| {
        let variant = format_ident!("{}", variant_name(m));
        let label = variant_name(m);
        if m.ty == Ty::Unit {
            quote!(Self::#variant => f.write_str(#label),)
        } else if m.sensitive {
            quote!(Self::#variant(_) => f.debug_tuple(#label).field(&"*** Sensitive Data Redacted ***").finish(),)
        } else {
            quote!(Self::#variant(value) => f.debug_tuple(#label).field(value).finish(),)
        }
    });
    quote! {
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    #(#arms)*
                    Self::Unknown => f.write_str("Unknown"),
                }
            }
        }
    }
}

fn json_union(u: &UnionPlan) -> TokenStream {
    let name = format_ident!("{}", u.name);
    let entries = u.members.iter().map(|m| {
        let variant = format_ident!("{}", variant_name(m));
        let json = &m.json_name;
        let names = if m.json_name == m.name {
            quote!(#variant #json)
        } else {
            let member = &m.name;
            quote!(#variant #json / #member)
        };
        if m.ty == Ty::Unit {
            quote!(#names [unit])
        } else if let Some(format) = m.timestamp_format {
            let module = super::json_members::format_module(format);
            quote!(#names [as #module])
        } else {
            names
        }
    });
    quote!(json_union!(#name { #(#entries),* });)
}
