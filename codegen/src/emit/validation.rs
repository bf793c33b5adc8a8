//! `impl Validate`: the model's constraints checked before anything is sent.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::ident;
use crate::plan::{Checks, StructPlan, Ty};

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

fn opt_u64(v: Option<u64>) -> TokenStream {
    match v {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    }
}

/// Checks on `value` (a reference) found at `path`.
fn value_checks(c: &Checks, t: &Ty) -> TokenStream {
    let mut out = TokenStream::new();
    if let Some((min, max)) = c.length {
        let (min, max) = (opt_u64(min), opt_u64(max));
        out.extend(quote!(v::length(out, &path, value, #min, #max);));
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
        out.extend(quote!(v::pattern(out, &path, value, &c::#p);));
    }
    if c.nested {
        out.extend(quote!(v::Validate::validate(value, &path, out);));
    }
    if let (Some(elements), Ty::List(inner)) = (&c.elements, t) {
        let inner_checks = value_checks(elements, inner);
        out.extend(quote! {
            for (i, value) in value.iter().enumerate() {
                let path = path.index(i);
                #inner_checks
            }
        });
    }
    out
}
