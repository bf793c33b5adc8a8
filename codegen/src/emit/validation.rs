//! `impl Validate`: the model's constraints checked before anything is sent.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::ident;
use super::unions::variant_name;
use crate::plan::{Checks, StructPlan, Ty, UnionPlan};

/// `impl Validate`: every member's checks, with field paths in the model's member names.
pub(super) fn validate_impl(s: &StructPlan) -> TokenStream {
    let name = format_ident!("{}", s.name);
    let checks = s.members.iter().map(|m| {
        let f = ident(&m.field);
        // Paths name members as the model does (`userId`), which is how the service and the
        // documentation name them too.
        let field = &m.name;
        let required = (m.optional && m.required)
            .then(|| quote!(v::required(out, &path.field(#field), &self.#f);));
        let value_checks = (!m.checks.is_empty()).then(|| {
            let inner = value_checks(&m.checks, &m.ty);
            if m.optional {
                quote! {
                    if let Some(value) = &self.#f {
                        let path = path.field(#field);
                        #inner
                    }
                }
            } else {
                quote! {
                    {
                        let value = &self.#f;
                        let path = path.field(#field);
                        #inner
                    }
                }
            }
        });
        quote!(#required #value_checks)
    });
    quote! {
        impl v::Validate for #name {
            fn validate(&self, path: &v::Path<'_>, out: &mut Vec<v::Violation>) {
                #(#checks)*
            }
        }
    }
}

/// `impl Validate` for a union: the checks of the member it holds, and `Unknown` refused.
pub(super) fn union_validate_impl(u: &UnionPlan) -> TokenStream {
    let name = format_ident!("{}", u.name);
    let arms = u
        .members
        .iter()
        .filter(|m| m.ty != Ty::Unit && !m.checks.is_empty())
        .map(|m| {
            let variant = format_ident!("{}", variant_name(m));
            let field = &m.name;
            let inner = value_checks(&m.checks, &m.ty);
            quote! {
                Self::#variant(value) => {
                    let path = path.field(#field);
                    #inner
                }
            }
        });
    let arms: Vec<TokenStream> = arms.collect();
    let checks = if arms.is_empty() {
        quote! {
            if self.is_unknown() {
                v::unknown_variant(out, path);
            }
        }
    } else {
        quote! {
            #[allow(unreachable_patterns)]
            match self {
                #(#arms)*
                Self::Unknown => v::unknown_variant(out, path),
                _ => {}
            }
        }
    };
    quote! {
        impl v::Validate for #name {
            fn validate(&self, path: &v::Path<'_>, out: &mut Vec<v::Violation>) {
                #checks
            }
        }
    }
}

fn opt_u64(v: Option<u64>) -> TokenStream {
    match v {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    }
}

/// Checks on `value` (a reference) found at `path`.
fn value_checks(c: &Checks, t: &Ty) -> TokenStream {
    if let Ty::Boxed(inner) = t {
        let checks = value_checks(c, inner);
        return quote! {
            {
                let value = &**value;
                #checks
            }
        };
    }
    let mut out = TokenStream::new();
    // A string enum is checked by its wire value.
    let text = match t {
        Ty::Enum(_) => quote!(value.as_str()),
        _ => quote!(value),
    };
    if let Some((min, max)) = c.length {
        let (min, max) = (opt_u64(min), opt_u64(max));
        out.extend(quote!(v::length(out, &path, #text, #min, #max);));
    }
    if let Some((min, max)) = c.range {
        if *t == Ty::Long {
            let bound = |b: Option<f64>, up: bool| match b {
                Some(b) => {
                    let v = if up { b.floor() } else { b.ceil() } as i64;
                    quote!(Some(#v))
                }
                None => quote!(None),
            };
            let (min, max) = (bound(min, false), bound(max, true));
            out.extend(quote!(v::range_i64(out, &path, *value, #min, #max);));
        } else {
            let bound = |b: Option<f64>| match b {
                Some(b) => {
                    let lit = Literal::f64_suffixed(b);
                    quote!(Some(#lit))
                }
                None => quote!(None),
            };
            let (min, max) = (bound(min), bound(max));
            out.extend(quote!(v::range(out, &path, *value, #min, #max);));
        }
    }
    if let Some(pattern) = &c.pattern {
        let p = format_ident!("{}", pattern);
        out.extend(quote!(v::pattern(out, &path, #text, &c::#p);));
    }
    if c.unique_items {
        out.extend(quote!(v::unique_items(out, &path, value);));
    }
    if c.nested {
        out.extend(quote!(v::Validate::validate(value, &path, out);));
    }
    match t {
        Ty::List(inner) => {
            if let Some(elements) = &c.elements {
                let inner_checks = element_checks(elements, inner);
                out.extend(quote! {
                    for (i, value) in value.iter().enumerate() {
                        let path = path.index(i);
                        #inner_checks
                    }
                });
            }
        }
        Ty::Map(key, inner) if c.elements.is_some() || c.keys.is_some() => {
            let key_checks = c.keys.as_deref().map(|k| {
                let checks = value_checks(k, key);
                quote! {
                    {
                        let value = key;
                        #checks
                    }
                }
            });
            let value_checks = c
                .elements
                .as_deref()
                .map(|elements| element_checks(elements, inner));
            let entries = if value_checks.is_some() {
                quote!((key, value) in value.iter())
            } else {
                quote!(key in value.keys())
            };
            out.extend(quote! {
                for #entries {
                    let path = path.key(::restjson_runtime::json::MapKey::as_key(key));
                    #key_checks
                    #value_checks
                }
            });
        }
        _ => {}
    }
    out
}

/// Checks on an element, which a `@sparse` collection may leave out.
fn element_checks(c: &Checks, t: &Ty) -> TokenStream {
    match t {
        Ty::Option(inner) => {
            let checks = value_checks(c, inner);
            quote! {
                if let Some(value) = value {
                    #checks
                }
            }
        }
        other => value_checks(c, other),
    }
}
