//! Checks of the names a path gives another item: an alias of one of the crate's types is that
//! type, a re-export of another crate's item is that item.

use std::collections::BTreeSet;

use quote::quote;
use syn::visit_mut::VisitMut;

use super::super::resolve::{Kind, Target};
use super::super::translate::{Namer, Translate};
use super::*;

pub(super) fn alias_check(
    namer: &mut Namer<'_>,
    out: &mut Emitter,
    item: &super::super::resolve::ItemRef,
    kind: Kind,
    path: &[String],
    canonical: &[String],
) {
    out.path_exists(path);
    if !kind.is_type() || canonical.is_empty() {
        return;
    }
    let generics = match namer.universe.item(item) {
        Some(syn::Item::Struct(s)) => s.generics.clone(),
        Some(syn::Item::Enum(e)) => e.generics.clone(),
        Some(syn::Item::Type(t)) => t.generics.clone(),
        _ => return,
    };
    let mut generics = fn_generics(&generics);
    let mut t = translator(namer, item.module, &generics.clone(), None);
    t.visit_generics_mut(&mut generics);
    if t.error.is_some() {
        return;
    }
    let args = generic_args(&generics);
    let alias = krate_path(path);
    let target = krate_path(canonical);
    let (g, _, w) = generics.split_for_impl();
    let parts: Vec<&str> = path.iter().map(String::as_str).collect();
    let name = out.name(&[&parts.join("__"), "same_as", &canonical.join("__")]);
    out.items
        .push(quote!(fn #name #g (x: #alias #args) -> #target #args #w { x }));
}

pub(super) fn reexport_check(
    namer: &mut Namer<'_>,
    out: &mut Emitter,
    item: &super::super::resolve::ItemRef,
    kind: Kind,
    path: &[String],
) {
    let shown = path.join("::");
    let target = Target::Item(item.clone(), kind);
    let theirs = match namer.path_of(&target) {
        Ok(p) => p,
        Err(why) => {
            out.skipped.push(format!("{shown}: {why}"));
            return;
        }
    };
    let ours = krate_path(path);
    let parts: Vec<&str> = path.iter().map(String::as_str).collect();
    let def = namer.universe.item(item).cloned();
    match (kind, def) {
        (k, Some(def)) if k.is_type() => {
            let generics = match &def {
                syn::Item::Struct(s) => s.generics.clone(),
                syn::Item::Enum(e) => e.generics.clone(),
                syn::Item::Union(u) => u.generics.clone(),
                syn::Item::Type(t) => t.generics.clone(),
                _ => return,
            };
            let mut generics = fn_generics(&generics);
            // The item's bounds are written in its own crate.
            let krate = item.krate.clone();
            let mut names = BTreeSet::new();
            for p in generics.type_params() {
                names.insert(p.ident.to_string());
            }
            let mut t = Translate {
                namer,
                krate,
                module: item.module,
                generics: names,
                self_ty: None,
                error: None,
            };
            t.visit_generics_mut(&mut generics);
            if let Some(why) = t.error.take() {
                out.skipped.push(format!("{shown}: {why}"));
                return;
            }
            let args = generic_args(&generics);
            let (g, _, w) = generics.split_for_impl();
            let name = out.name(&[&parts.join("__"), "is", &item.name]);
            out.items
                .push(quote!(fn #name #g (x: #ours #args) -> #theirs #args #w { x }));
        }
        (Kind::Trait, Some(syn::Item::Trait(tr))) if tr.generics.params.is_empty() => {
            let name = out.name(&[&parts.join("__"), "is", &item.name]);
            out.items.push(quote! {
                fn #name<T: ?::std::marker::Sized + #ours>() {
                    fn req<U: ?::std::marker::Sized + #theirs>() {}
                    req::<T>();
                }
            });
            let name = out.name(&[&parts.join("__"), "is", &item.name, "back"]);
            out.items.push(quote! {
                fn #name<T: ?::std::marker::Sized + #theirs>() {
                    fn req<U: ?::std::marker::Sized + #ours>() {}
                    req::<T>();
                }
            });
        }
        (Kind::Fn, _) | (Kind::Static, _) | (Kind::Const, _) => {}
        (Kind::MacroMade, _) => {
            // A macro made it, so its generics are unknown: checked as a type whose lifetimes
            // (if any) are elided, which holds for every such item the official crate
            // re-exports.
            let name = out.name(&[&parts.join("__"), "is", &item.name]);
            out.items.push(quote!(fn #name(x: #ours) -> #theirs { x }));
        }
        (Kind::Trait, _) => out.skipped.push(format!(
            "{shown}: a re-export of a generic trait; only its path is checked"
        )),
        _ => out.skipped.push(format!(
            "{shown}: a re-export whose definition was not found; only its path is checked"
        )),
    }
}
