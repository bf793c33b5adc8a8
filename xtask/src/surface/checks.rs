//! The checks: one small item per piece of the official crate's public API, written against
//! `krate::`, so that the same file compiles against the official crate (which proves each
//! check right) and against ours (where a missing or incompatible item fails the build).
//!
//! - every public path (`use krate::path as _;`);
//! - every type: that it is one (with its generic parameters), `Send` and `Sync`, its derived
//!   traits, its public fields, an enum's variants (built and matched);
//! - every public method and associated function: a function with the official signature that
//!   calls it, so the call compiles exactly as calling code would (an `async` one also has to
//!   give a `Send` future);
//! - every trait implementation whose trait and type a user can name (with the impl's generic
//!   parameters and bounds);
//! - every public trait of the crate: a type implements it with the official signatures;
//! - every type alias: the alias, with its defaults and with every parameter given, is the
//!   official target type;
//! - every re-export of another crate's item: the same item (a type is the same type, a trait
//!   bounds the same types).
//!
//! What cannot be checked this way (a signature naming a type the official crate does not
//! export) is listed at the top of the generated file.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote, ToTokens};

use super::model_filter::ModelFilter;
use super::resolve::Target;
use super::source::is_doc_hidden;
use super::translate::{ident, Namer, Translate};

mod functions;
mod items;
mod reexports;

use functions::impl_checks;
use items::item_checks;
use reexports::{alias_check, reexport_check};

/// What the checks came to.
pub struct Checks {
    /// The check items, in a stable order.
    pub items: Vec<TokenStream>,
    /// The official crate's string enums, by public path, for the runtime comparison.
    pub enums: Vec<Vec<String>>,
    /// Items left unchecked, each with why.
    pub skipped: Vec<String>,
}

/// Builds every check of the official crate's public API.
pub fn collect(namer: &mut Namer<'_>, filter: ModelFilter) -> Result<Checks, String> {
    let official = namer.official.clone();
    let mut out = Emitter {
        filter,
        by_path: Default::default(),
        items: Vec::new(),
        skipped: Vec::new(),
        names: BTreeSet::new(),
        enums: Vec::new(),
    };
    let paths = namer.universe.public_paths(&official);
    for (path, target) in &paths {
        if let Target::Item(item, _) = target {
            out.by_path.insert(path.clone(), item.clone());
        }
    }
    let mut canonical_done = BTreeSet::new();
    for (path, target) in &paths {
        let shown = path.join("::");
        match target {
            Target::Module { .. } => out.path_exists(path),
            Target::Item(_, kind) if kind.is_type() && out.filter.missing_type(path).is_some() => {
                if let Some(why) = out.filter.missing_type(path) {
                    out.skipped.push(format!("{shown}: {why}"));
                }
            }
            Target::Item(item, kind) if item.krate == official => {
                let canonical = namer.item_path(item).unwrap_or_default();
                if &canonical == path && canonical_done.insert(item.clone()) {
                    out.path_exists(path);
                    item_checks(namer, &mut out, item, *kind, path)?;
                } else {
                    alias_check(namer, &mut out, item, *kind, path, &canonical);
                }
            }
            Target::Item(item, kind) => {
                out.path_exists(path);
                reexport_check(namer, &mut out, item, *kind, path);
            }
            Target::Std(_) => {
                out.path_exists(path);
                out.skipped.push(format!(
                    "{shown}: re-exports the standard library; only its path is checked"
                ));
            }
        }
    }
    // Implementations, wherever they are written.
    let module_count = namer.universe.krate(&official).modules.len();
    for module in 0..module_count {
        let impls: Vec<syn::ItemImpl> = namer.universe.krate(&official).modules[module]
            .items
            .iter()
            .filter_map(|i| match i {
                syn::Item::Impl(imp) => Some(imp.clone()),
                _ => None,
            })
            .collect();
        for imp in impls {
            impl_checks(namer, &mut out, module, &imp);
        }
    }
    Ok(Checks {
        items: out.items,
        enums: out.enums,
        skipped: out.skipped,
    })
}

pub(super) struct Emitter {
    pub(super) filter: ModelFilter,
    /// The official crate's items by public path.
    pub(super) by_path: std::collections::BTreeMap<Vec<String>, super::resolve::ItemRef>,
    pub(super) items: Vec<TokenStream>,
    pub(super) skipped: Vec<String>,
    pub(super) names: BTreeSet<String>,
    pub(super) enums: Vec<Vec<String>>,
}

impl Emitter {
    /// A new, unique function name from the parts of what it checks.
    pub(super) fn name(&mut self, parts: &[&str]) -> syn::Ident {
        let mut base: String = parts
            .iter()
            .map(|p| p.trim_start_matches("r#"))
            .collect::<Vec<_>>()
            .join("__");
        base = base.replace(|c: char| !c.is_ascii_alphanumeric() && c != '_', "_");
        let mut name = base.clone();
        let mut n = 2;
        while !self.names.insert(name.clone()) {
            name = format!("{base}_{n}");
            n += 1;
        }
        format_ident!("{}", name)
    }

    pub(super) fn path_exists(&mut self, path: &[String]) {
        let p = krate_path(path);
        self.items.push(quote!(use #p as _;));
    }
}

pub(super) fn krate_path(path: &[String]) -> syn::Path {
    let mut p = syn::Path {
        leading_colon: None,
        segments: Default::default(),
    };
    p.segments.push(format_ident!("krate").into());
    for s in path {
        p.segments.push(ident(s).into());
    }
    p
}

pub(super) fn translator<'n, 'u>(
    namer: &'n mut Namer<'u>,
    module: usize,
    generics: &syn::Generics,
    self_ty: Option<syn::Type>,
) -> Translate<'n, 'u> {
    let krate = namer.official.clone();
    let mut names = BTreeSet::new();
    for param in &generics.params {
        match param {
            syn::GenericParam::Type(t) => {
                names.insert(t.ident.to_string());
            }
            syn::GenericParam::Const(c) => {
                names.insert(c.ident.to_string());
            }
            syn::GenericParam::Lifetime(_) => {}
        }
    }
    Translate {
        namer,
        krate,
        module,
        generics: names,
        self_ty,
        error: None,
    }
}

/// Generic parameters with their bounds and where clause, translated; defaults dropped (a
/// function cannot have them).
pub(super) fn fn_generics(generics: &syn::Generics) -> syn::Generics {
    let mut generics = generics.clone();
    for param in generics.params.iter_mut() {
        if let syn::GenericParam::Type(t) = param {
            t.default = None;
            t.eq_token = None;
        }
        if let syn::GenericParam::Const(c) = param {
            c.default = None;
            c.eq_token = None;
        }
    }
    generics
}

/// The generic arguments that name each parameter of `generics` (`<'a, T, N>`).
pub(super) fn generic_args(generics: &syn::Generics) -> TokenStream {
    if generics.params.is_empty() {
        return TokenStream::new();
    }
    let args = generics.params.iter().map(|p| match p {
        syn::GenericParam::Type(t) => t.ident.to_token_stream(),
        syn::GenericParam::Lifetime(l) => l.lifetime.to_token_stream(),
        syn::GenericParam::Const(c) => c.ident.to_token_stream(),
    });
    quote!(<#(#args),*>)
}

pub(super) fn merge_generics(a: &syn::Generics, b: &syn::Generics) -> syn::Generics {
    let mut merged = a.clone();
    // Lifetimes first, as Rust wants them.
    let mut params: Vec<syn::GenericParam> = a.params.iter().cloned().collect();
    params.extend(b.params.iter().cloned());
    params.sort_by_key(|p| !matches!(p, syn::GenericParam::Lifetime(_)));
    merged.params = params.into_iter().collect();
    if let Some(w) = &b.where_clause {
        let clause = merged.make_where_clause();
        clause.predicates.extend(w.predicates.iter().cloned());
    }
    merged
}

pub(super) fn derives(attrs: &[syn::Attribute]) -> Vec<String> {
    let mut out = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        let _ = attr.parse_nested_meta(|meta| {
            if let Some(last) = meta.path.segments.last() {
                out.push(last.ident.to_string());
            }
            Ok(())
        });
    }
    out
}

pub(super) fn derive_trait(name: &str) -> Option<TokenStream> {
    Some(match name {
        "Clone" => quote!(::std::clone::Clone),
        "Copy" => quote!(::std::marker::Copy),
        "Debug" => quote!(::std::fmt::Debug),
        "Default" => quote!(::std::default::Default),
        "PartialEq" => quote!(::std::cmp::PartialEq),
        "Eq" => quote!(::std::cmp::Eq),
        "PartialOrd" => quote!(::std::cmp::PartialOrd),
        "Ord" => quote!(::std::cmp::Ord),
        "Hash" => quote!(::std::hash::Hash),
        _ => return None,
    })
}

/// `fn name<G>() where W { fn req<G, T: ?Sized + Bound>() where W {} req::<G, Type>(); }`
pub(super) fn implements(
    name: &syn::Ident,
    generics: &syn::Generics,
    ty: &TokenStream,
    bound: &TokenStream,
) -> TokenStream {
    // Lifetimes cannot be given to `req` explicitly; the checks use `'static` for them.
    let mut g = fn_generics(generics);
    let lifetimes: Vec<syn::Lifetime> = g
        .params
        .iter()
        .filter_map(|p| match p {
            syn::GenericParam::Lifetime(l) => Some(l.lifetime.clone()),
            _ => None,
        })
        .collect();
    g.params = g
        .params
        .into_iter()
        .filter(|p| !matches!(p, syn::GenericParam::Lifetime(_)))
        .collect();
    let replace = |tokens: TokenStream| -> TokenStream {
        let mut text = tokens.to_string();
        for l in &lifetimes {
            text = text.replace(&l.to_string(), "'static");
        }
        text.parse().unwrap_or(tokens)
    };
    let ty = replace(ty.clone());
    let bound = replace(bound.clone());
    let g_tokens: syn::Generics =
        syn::parse2(replace(g.to_token_stream())).unwrap_or_else(|_| g.clone());
    let where_clause = g
        .where_clause
        .as_ref()
        .map(|w| replace(w.to_token_stream()));
    let params: Vec<&syn::GenericParam> = g_tokens.params.iter().collect();
    let args = g_tokens.params.iter().map(|p| match p {
        syn::GenericParam::Type(t) => t.ident.to_token_stream(),
        syn::GenericParam::Const(c) => c.ident.to_token_stream(),
        syn::GenericParam::Lifetime(l) => l.lifetime.to_token_stream(),
    });
    quote! {
        fn #name<#(#params),*>() #where_clause {
            fn req<#(#params,)* T: ?::std::marker::Sized + #bound>() #where_clause {}
            req::<#(#args,)* #ty>();
        }
    }
}
