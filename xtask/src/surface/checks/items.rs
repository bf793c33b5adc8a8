//! Checks of the items a path names: types (their generics, `Send` and `Sync`, derives, fields
//! and variants), aliases, statics and constants.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote, ToTokens};
use syn::visit_mut::VisitMut;

use super::super::resolve::Kind;
use super::super::translate::Namer;
use super::functions::{method_check, trait_checks};
use super::*;

pub(super) fn item_checks(
    namer: &mut Namer<'_>,
    out: &mut Emitter,
    item: &super::super::resolve::ItemRef,
    kind: Kind,
    path: &[String],
) -> Result<(), String> {
    let Some(def) = namer.universe.item(item).cloned() else {
        return Ok(());
    };
    let parts: Vec<&str> = path.iter().map(String::as_str).collect();
    let p = krate_path(path);
    let shown = path.join("::");
    match (&def, kind) {
        (syn::Item::Struct(_), _) | (syn::Item::Enum(_), _) | (syn::Item::Union(_), _) => {
            let (attrs, generics) = match &def {
                syn::Item::Struct(s) => (&s.attrs, &s.generics),
                syn::Item::Enum(e) => (&e.attrs, &e.generics),
                syn::Item::Union(u) => (&u.attrs, &u.generics),
                _ => return Ok(()),
            };
            let mut generics = fn_generics(generics);
            let mut t = translator(namer, item.module, &generics, None);
            t.visit_generics_mut(&mut generics);
            if let Some(why) = t.error.take() {
                out.skipped.push(format!("{shown}: {why}"));
                return Ok(());
            }
            let args = generic_args(&generics);
            let ty = quote!(#p #args);
            // It is a type, with these generic parameters.
            let name = out.name(&[&parts.join("__"), "is_a_type"]);
            let (g, _, w) = generics.split_for_impl();
            out.items
                .push(quote!(fn #name #g (_: ::std::option::Option<#ty>) #w {}));
            if generics.params.is_empty() {
                let name = out.name(&[&parts.join("__"), "Send_Sync"]);
                out.items.push(implements(
                    &name,
                    &generics,
                    &ty,
                    &quote!(::std::marker::Send + ::std::marker::Sync),
                ));
            }
            for derived in derives(attrs) {
                if let Some(bound) = derive_trait(&derived) {
                    let mut g = generics.clone();
                    for param in g.params.iter_mut() {
                        if let syn::GenericParam::Type(t) = param {
                            t.bounds.push(syn::parse2(bound.clone()).map_err(|e| {
                                format!("derive bound {bound} does not parse: {e}")
                            })?);
                        }
                    }
                    let name = out.name(&[&parts.join("__"), "derives", &derived]);
                    out.items.push(implements(&name, &g, &ty, &bound));
                }
            }
            match &def {
                syn::Item::Struct(s) => struct_fields(namer, out, item.module, s, &ty, &parts),
                syn::Item::Enum(e) => {
                    enum_variants(namer, out, item.module, e, &ty, &generics, &parts);
                    if generics.params.is_empty() && enum_has_values(namer, item) {
                        out.enums.push(path.to_vec());
                    }
                }
                _ => {}
            }
        }
        (syn::Item::Trait(tr), _) => trait_checks(namer, out, item.module, tr, &p, &parts),
        (syn::Item::Type(alias), _) => {
            let mut generics = fn_generics(&alias.generics);
            let mut target = (*alias.ty).clone();
            let mut t = translator(namer, item.module, &alias.generics, None);
            t.visit_generics_mut(&mut generics);
            t.visit_type_mut(&mut target);
            if let Some(why) = t.error.take() {
                out.skipped.push(format!("{shown}: {why}"));
                return Ok(());
            }
            let args = generic_args(&generics);
            let (g, _, w) = generics.split_for_impl();
            let name = out.name(&[&parts.join("__"), "alias"]);
            out.items
                .push(quote!(fn #name #g (x: #p #args) -> #target #w { x }));
            // With only the parameters that have no default, the defaults fill the rest.
            let required: Vec<&syn::GenericParam> = alias
                .generics
                .params
                .iter()
                .filter(|p| match p {
                    syn::GenericParam::Type(t) => t.default.is_none(),
                    _ => true,
                })
                .collect();
            if required.len() < alias.generics.params.len() {
                let mut defaulted = alias.clone();
                let mut t = translator(namer, item.module, &alias.generics, None);
                t.visit_item_type_mut(&mut defaulted);
                let mut filled = (*defaulted.ty).clone();
                // Substitute each defaulted parameter by its default in the target.
                let defaults: Vec<(String, syn::Type)> = defaulted
                    .generics
                    .params
                    .iter()
                    .filter_map(|p| match p {
                        syn::GenericParam::Type(t) => {
                            t.default.clone().map(|d| (t.ident.to_string(), d))
                        }
                        _ => None,
                    })
                    .collect();
                let mut sub = Substitute(defaults);
                sub.visit_type_mut(&mut filled);
                let mut short = fn_generics(&defaulted.generics);
                short.params = short
                    .params
                    .into_iter()
                    .filter(|p| match p {
                        syn::GenericParam::Type(t) => !sub.0.iter().any(|(n, _)| t.ident == n),
                        _ => true,
                    })
                    .collect();
                let args = generic_args(&short);
                let (g, _, w) = short.split_for_impl();
                let name = out.name(&[&parts.join("__"), "alias_defaults"]);
                out.items
                    .push(quote!(fn #name #g (x: #p #args) -> #filled #w { x }));
            }
        }
        (syn::Item::Fn(f), _) => {
            let name = out.name(&parts);
            match method_check(
                namer,
                item.module,
                None,
                &syn::Generics::default(),
                &f.sig,
                &name,
                &quote!(#p),
            ) {
                Ok(tokens) => out.items.push(tokens),
                Err(why) => out.skipped.push(format!("{shown}: {why}")),
            }
        }
        (syn::Item::Static(s), _) => {
            let mut ty = (*s.ty).clone();
            let mut t = translator(namer, item.module, &syn::Generics::default(), None);
            t.visit_type_mut(&mut ty);
            FillElided.visit_type_mut(&mut ty);
            if let Some(why) = t.error.take() {
                out.skipped.push(format!("{shown}: {why}"));
                return Ok(());
            }
            let name = out.name(&parts);
            out.items.push(quote!(fn #name() -> &'static #ty { &#p }));
        }
        (syn::Item::Const(c), _) => {
            let mut ty = (*c.ty).clone();
            let mut t = translator(namer, item.module, &syn::Generics::default(), None);
            t.visit_type_mut(&mut ty);
            if let Some(why) = t.error.take() {
                out.skipped.push(format!("{shown}: {why}"));
                return Ok(());
            }
            let name = out.name(&parts);
            out.items.push(quote!(fn #name() -> #ty { #p }));
        }
        _ => {}
    }
    Ok(())
}

/// Replaces generic parameters by types.
struct Substitute(Vec<(String, syn::Type)>);

impl VisitMut for Substitute {
    fn visit_type_mut(&mut self, ty: &mut syn::Type) {
        if let syn::Type::Path(tp) = ty {
            if tp.qself.is_none() && tp.path.segments.len() == 1 {
                let name = tp.path.segments[0].ident.to_string();
                if let Some((_, with)) = self.0.iter().find(|(n, _)| *n == name) {
                    *ty = with.clone();
                    return;
                }
            }
        }
        syn::visit_mut::visit_type_mut(self, ty);
    }
}

fn enum_has_values(namer: &mut Namer<'_>, item: &super::super::resolve::ItemRef) -> bool {
    // An enum whose inherent impl defines `values()` returning string slices.
    let krate = namer.universe.krate(&item.krate);
    krate.modules[item.module].items.iter().any(|i| match i {
        syn::Item::Impl(imp) if imp.trait_.is_none() => {
            let is_self = matches!(&*imp.self_ty, syn::Type::Path(tp)
                if tp.path.segments.last().is_some_and(|s| s.ident == item.name));
            is_self
                && imp.items.iter().any(|ii| match ii {
                    syn::ImplItem::Fn(f) => {
                        f.sig.ident == "values"
                            && f.sig.output.to_token_stream().to_string().contains("str")
                    }
                    _ => false,
                })
        }
        _ => false,
    })
}

fn struct_fields(
    namer: &mut Namer<'_>,
    out: &mut Emitter,
    module: usize,
    s: &syn::ItemStruct,
    ty: &TokenStream,
    parts: &[&str],
) {
    let syn::Fields::Named(fields) = &s.fields else {
        return;
    };
    let path: Vec<String> = parts.iter().map(|p| p.to_string()).collect();
    let official_members = field_names(s);
    for field in &fields.named {
        if !matches!(field.vis, syn::Visibility::Public(_)) {
            continue;
        }
        let Some(field_name) = &field.ident else {
            continue;
        };
        if let Some(why) =
            out.filter
                .missing_member(&path, &field_name.to_string(), &official_members)
        {
            out.skipped
                .push(format!("{}.{field_name}: {why}", parts.join("::")));
            continue;
        }
        let mut field_ty = field.ty.clone();
        let mut t = translator(namer, module, &s.generics, None);
        t.visit_type_mut(&mut field_ty);
        if let Some(why) = t.error.take() {
            out.skipped
                .push(format!("{}.{field_name}: {why}", parts.join("::")));
            continue;
        }
        let mut generics = fn_generics(&s.generics);
        let mut t = translator(namer, module, &s.generics, None);
        t.visit_generics_mut(&mut generics);
        let (g, _, w) = generics.split_for_impl();
        let name = out.name(&[&parts.join("__"), "field", &field_name.to_string()]);
        out.items
            .push(quote!(fn #name #g (x: &#ty) -> &#field_ty #w { &x.#field_name }));
    }
}

/// The names of a structure's public fields.
pub(super) fn field_names(s: &syn::ItemStruct) -> BTreeSet<String> {
    s.fields
        .iter()
        .filter(|f| matches!(f.vis, syn::Visibility::Public(_)))
        .filter_map(|f| f.ident.as_ref().map(|i| i.to_string()))
        .collect()
}

fn enum_variants(
    namer: &mut Namer<'_>,
    out: &mut Emitter,
    module: usize,
    e: &syn::ItemEnum,
    ty: &TokenStream,
    generics: &syn::Generics,
    parts: &[&str],
) {
    let (g, _, w) = generics.split_for_impl();
    // Patterns name the enum without its generic arguments (inferred).
    let pat = ty_without_args(ty);
    for variant in &e.variants {
        let v = &variant.ident;
        let name = out.name(&[&parts.join("__"), "variant", &v.to_string()]);
        match &variant.fields {
            syn::Fields::Unit => {
                out.items.push(quote! {
                    fn #name #g (x: &#ty) -> (#ty, bool) #w {
                        #[allow(unreachable_patterns)]
                        let is = matches!(x, #pat::#v);
                        (<#ty>::#v, is)
                    }
                });
            }
            syn::Fields::Unnamed(fields) => {
                let mut types = Vec::new();
                let mut nameable = true;
                for field in &fields.unnamed {
                    let mut fty = field.ty.clone();
                    let mut t = translator(namer, module, &e.generics, None);
                    t.visit_type_mut(&mut fty);
                    if t.error.is_some() {
                        nameable = false;
                    }
                    types.push(fty);
                }
                let blanks = types.iter().map(|_| quote!(_));
                if nameable {
                    let vars: Vec<syn::Ident> =
                        (0..types.len()).map(|i| format_ident!("a{}", i)).collect();
                    out.items.push(quote! {
                        fn #name #g (x: &#ty, #(#vars: #types),*) -> (#ty, bool) #w {
                            #[allow(unreachable_patterns)]
                            let is = matches!(x, #pat::#v(#(#blanks),*));
                            (<#ty>::#v(#(#vars),*), is)
                        }
                    });
                } else {
                    // The payload is not nameable: the variant can be matched, not built.
                    out.items.push(quote! {
                        fn #name #g (x: &#ty) -> bool #w {
                            #[allow(unreachable_patterns)]
                            let is = matches!(x, #pat::#v(#(#blanks),*));
                            is
                        }
                    });
                }
            }
            syn::Fields::Named(fields) => {
                let names = fields.named.iter().filter_map(|f| f.ident.clone());
                out.items.push(quote! {
                    fn #name #g (x: &#ty) -> bool #w {
                        #[allow(unreachable_patterns)]
                        let is = matches!(x, #pat::#v { #(#names: _,)* .. });
                        is
                    }
                });
            }
        }
    }
}

pub(super) fn ty_without_args(ty: &TokenStream) -> TokenStream {
    match syn::parse2::<syn::Path>(ty.clone()) {
        Ok(mut path) => {
            if let Some(last) = path.segments.last_mut() {
                last.arguments = syn::PathArguments::None;
            }
            path.to_token_stream()
        }
        Err(_) => ty.clone(),
    }
}

/// Gives every elided reference lifetime (`&str`) the `'static` lifetime, as bounds and
/// return types without an input lifetime need.
pub(super) struct FillElided;

impl VisitMut for FillElided {
    fn visit_type_reference_mut(&mut self, r: &mut syn::TypeReference) {
        if r.lifetime.is_none() {
            r.lifetime = Some(syn::parse_quote!('static));
        }
        syn::visit_mut::visit_type_reference_mut(self, r);
    }
}
