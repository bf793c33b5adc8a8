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
use syn::visit_mut::VisitMut;

use super::model_filter::ModelFilter;
use super::resolve::{Kind, Target};
use super::source::is_doc_hidden;
use super::translate::{ident, Namer, Translate};

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

struct Emitter {
    filter: ModelFilter,
    /// The official crate's items by public path.
    by_path: std::collections::BTreeMap<Vec<String>, super::resolve::ItemRef>,
    items: Vec<TokenStream>,
    skipped: Vec<String>,
    names: BTreeSet<String>,
    enums: Vec<Vec<String>>,
}

impl Emitter {
    /// A new, unique function name from the parts of what it checks.
    fn name(&mut self, parts: &[&str]) -> syn::Ident {
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

    fn path_exists(&mut self, path: &[String]) {
        let p = krate_path(path);
        self.items.push(quote!(use #p as _;));
    }
}

fn krate_path(path: &[String]) -> syn::Path {
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

fn translator<'n, 'u>(
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
fn fn_generics(generics: &syn::Generics) -> syn::Generics {
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
fn generic_args(generics: &syn::Generics) -> TokenStream {
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

fn merge_generics(a: &syn::Generics, b: &syn::Generics) -> syn::Generics {
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

fn derives(attrs: &[syn::Attribute]) -> Vec<String> {
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

fn derive_trait(name: &str) -> Option<TokenStream> {
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
fn implements(
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

fn item_checks(
    namer: &mut Namer<'_>,
    out: &mut Emitter,
    item: &super::resolve::ItemRef,
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

fn enum_has_values(namer: &mut Namer<'_>, item: &super::resolve::ItemRef) -> bool {
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
fn field_names(s: &syn::ItemStruct) -> BTreeSet<String> {
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

fn ty_without_args(ty: &TokenStream) -> TokenStream {
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
struct FillElided;

impl VisitMut for FillElided {
    fn visit_type_reference_mut(&mut self, r: &mut syn::TypeReference) {
        if r.lifetime.is_none() {
            r.lifetime = Some(syn::parse_quote!('static));
        }
        syn::visit_mut::visit_type_reference_mut(self, r);
    }
}

fn trait_checks(
    namer: &mut Namer<'_>,
    out: &mut Emitter,
    module: usize,
    tr: &syn::ItemTrait,
    p: &syn::Path,
    parts: &[&str],
) {
    let shown = parts.join("::");
    if !tr.generics.params.is_empty() {
        out.skipped.push(format!(
            "{shown}: a generic trait; only its path is checked"
        ));
        return;
    }
    let implementor = out.name(&["Implementor", &parts.join("__")]);
    let self_ty: syn::Type = syn::parse_quote!(#implementor);
    let mut required = Vec::new();
    let mut provided = Vec::new();
    for item in &tr.items {
        match item {
            syn::TraitItem::Fn(f) => {
                let mut sig = f.sig.clone();
                let mut t = translator(namer, module, &sig.generics, Some(self_ty.clone()));
                t.visit_signature_mut(&mut sig);
                if let Some(why) = t.error.take() {
                    out.skipped.push(format!("{shown}::{}: {why}", f.sig.ident));
                    return;
                }
                // Argument patterns are not part of the signature; receivers stay as written.
                for (i, (input, original)) in
                    sig.inputs.iter_mut().zip(f.sig.inputs.iter()).enumerate()
                {
                    match input {
                        syn::FnArg::Typed(pt) => {
                            let arg = format_ident!("_a{}", i);
                            *pt.pat = syn::parse_quote!(#arg);
                        }
                        syn::FnArg::Receiver(_) => *input = original.clone(),
                    }
                }
                if f.default.is_none() {
                    required.push(quote! {
                        #sig { unreachable!("a compile-time check; never called") }
                    });
                } else if sig.generics.type_params().next().is_none() {
                    provided.push(sig.ident.clone());
                }
            }
            syn::TraitItem::Type(ty) if ty.default.is_none() => {
                out.skipped.push(format!(
                    "{shown}: has an associated type to choose; only its path is checked"
                ));
                return;
            }
            _ => {}
        }
    }
    out.items.push(quote! {
        #[derive(Debug, Clone, Copy, Default)]
        pub struct #implementor;
        impl #p for #implementor {
            #(#required)*
        }
    });
    for method in provided {
        let name = out.name(&[&parts.join("__"), "provided", &method.to_string()]);
        out.items.push(quote! {
            fn #name() {
                let _ = <#implementor as #p>::#method;
            }
        });
    }
}

/// A function with the official signature that calls the method: `path` is the type (or
/// module) the function is reached through.
fn method_check(
    namer: &mut Namer<'_>,
    module: usize,
    self_ty: Option<&syn::Type>,
    impl_generics: &syn::Generics,
    sig: &syn::Signature,
    name: &syn::Ident,
    path: &TokenStream,
) -> Result<TokenStream, String> {
    if sig.unsafety.is_some() {
        return Err("an unsafe function".to_owned());
    }
    let merged = merge_generics(impl_generics, &sig.generics);
    let mut generics = fn_generics(&merged);
    let mut t = translator(namer, module, &merged, self_ty.cloned());
    t.visit_generics_mut(&mut generics);
    let mut inputs = Vec::new();
    let mut args = Vec::new();
    for (i, input) in sig.inputs.iter().enumerate() {
        match input {
            syn::FnArg::Receiver(r) => {
                let Some(self_ty) = self_ty else {
                    return Err("a receiver without a type".to_owned());
                };
                let ty: syn::Type = if r.colon_token.is_some() {
                    let mut ty = (*r.ty).clone();
                    t.visit_type_mut(&mut ty);
                    ty
                } else if let Some((_, lifetime)) = &r.reference {
                    let mutability = r.mutability;
                    syn::parse_quote!(& #lifetime #mutability #self_ty)
                } else {
                    self_ty.clone()
                };
                inputs.push(quote!(this: #ty));
                args.push(quote!(this));
            }
            syn::FnArg::Typed(pt) => {
                let mut ty = (*pt.ty).clone();
                t.visit_type_mut(&mut ty);
                let arg = format_ident!("a{}", i);
                inputs.push(quote!(#arg: #ty));
                args.push(quote!(#arg));
            }
        }
    }
    let mut output = sig.output.clone();
    t.visit_return_type_mut(&mut output);
    if let Some(why) = t.error.take() {
        return Err(why);
    }
    let method = &sig.ident;
    // A method's type parameter that no argument mentions has to be given explicitly.
    let arg_text: String = sig
        .inputs
        .iter()
        .map(|i| i.to_token_stream().to_string())
        .collect();
    let explicit: Vec<&syn::Ident> = sig
        .generics
        .type_params()
        .map(|tp| &tp.ident)
        .filter(|ident| {
            !arg_text
                .split(|c: char| !c.is_alphanumeric() && c != '_')
                .any(|w| *ident == w)
        })
        .collect();
    let has_impl_arg = arg_text.contains("impl ");
    let turbofish = if explicit.is_empty() || has_impl_arg {
        TokenStream::new()
    } else {
        let all = sig.generics.type_params().map(|tp| &tp.ident);
        quote!(::<#(#all),*>)
    };
    let callee = match self_ty {
        Some(ty) => quote!(<#ty>::#method #turbofish),
        None => quote!(#path #turbofish),
    };
    let (g, _, w) = generics.split_for_impl();
    if sig.asyncness.is_some() {
        let ret = match &output {
            syn::ReturnType::Default => quote!(()),
            syn::ReturnType::Type(_, ty) => ty.to_token_stream(),
        };
        Ok(quote! {
            async fn #name #g (#(#inputs),*) -> #ret #w {
                let future = #callee(#(#args),*);
                assert_send(&future);
                future.await
            }
        })
    } else {
        Ok(quote! {
            fn #name #g (#(#inputs),*) #output #w {
                #callee(#(#args),*)
            }
        })
    }
}

fn impl_checks(namer: &mut Namer<'_>, out: &mut Emitter, module: usize, imp: &syn::ItemImpl) {
    if is_doc_hidden(&imp.attrs) || imp.unsafety.is_some() {
        return;
    }
    // Only implementations for types a user can name.
    let syn::Type::Path(self_path) = &*imp.self_ty else {
        return;
    };
    if self_path.qself.is_some() {
        return;
    }
    let official = namer.official.clone();
    let names: Vec<String> = self_path
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    let Some(target) = namer.universe.resolve(
        &official,
        module,
        self_path.path.leading_colon.is_some(),
        &names,
    ) else {
        return;
    };
    let Target::Item(self_item, _) = &target else {
        return;
    };
    let Some(self_public) = namer.item_path(self_item) else {
        return;
    };
    if out.filter.missing_type(&self_public).is_some() {
        // Already listed with the type.
        return;
    }
    // The members of the shape: the public fields of the structure (for a builder, of the
    // structure it builds).
    let mut shape_path: Vec<String> = self_public
        .iter()
        .filter(|s| *s != "builders")
        .cloned()
        .collect();
    if let Some(last) = shape_path.last_mut() {
        if let Some(stripped) = last.strip_suffix("Builder") {
            *last = stripped.to_owned();
        }
    }
    let shape_item = out
        .by_path
        .get(&shape_path)
        .cloned()
        .unwrap_or(self_item.clone());
    let official_members = match namer.universe.item(&shape_item) {
        Some(syn::Item::Struct(s)) => field_names(s),
        _ => BTreeSet::new(),
    };
    let self_name = self_public.join("__");
    let mut generics = fn_generics(&imp.generics);
    let mut self_ty = (*imp.self_ty).clone();
    let mut t = translator(namer, module, &imp.generics, None);
    t.visit_generics_mut(&mut generics);
    t.visit_type_mut(&mut self_ty);
    if let Some(why) = t.error.take() {
        out.skipped
            .push(format!("impl for {}: {why}", self_public.join("::")));
        return;
    }
    match &imp.trait_ {
        None => {
            for item in &imp.items {
                let syn::ImplItem::Fn(f) = item else {
                    continue;
                };
                if !matches!(f.vis, syn::Visibility::Public(_)) || is_doc_hidden(&f.attrs) {
                    continue;
                }
                let method = f.sig.ident.to_string();
                if let Some(why) =
                    out.filter
                        .missing_member(&self_public, &method, &official_members)
                {
                    out.skipped
                        .push(format!("{}::{method}: {why}", self_public.join("::")));
                    continue;
                }
                let name = out.name(&[&self_name, &f.sig.ident.to_string()]);
                match method_check(
                    namer,
                    module,
                    Some(&self_ty),
                    &imp.generics,
                    &f.sig,
                    &name,
                    &TokenStream::new(),
                ) {
                    Ok(tokens) => out.items.push(tokens),
                    Err(why) => out.skipped.push(format!(
                        "{}::{}: {why}",
                        self_public.join("::"),
                        f.sig.ident
                    )),
                }
            }
        }
        Some((negative, trait_path, _)) => {
            if negative.is_some() {
                return;
            }
            let mut trait_path = trait_path.clone();
            // The trait itself must be one a user can name.
            let trait_names: Vec<String> = trait_path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            match namer.universe.resolve(
                &official,
                module,
                trait_path.leading_colon.is_some(),
                &trait_names,
            ) {
                Some(target @ Target::Item(..)) => {
                    if namer.path_of(&target).is_err() {
                        return;
                    }
                }
                Some(Target::Std(_)) => {}
                _ => return,
            }
            let mut t = translator(namer, module, &imp.generics, Some(self_ty.clone()));
            t.visit_path_mut(&mut trait_path);
            if let Some(why) = t.error.take() {
                out.skipped.push(format!(
                    "impl {} for {}: {why}",
                    trait_names.join("::"),
                    self_public.join("::")
                ));
                return;
            }
            FillElided.visit_path_mut(&mut trait_path);
            let trait_last = trait_names.last().cloned().unwrap_or_default();
            let name = out.name(&[&self_name, "impl", &trait_last]);
            let ty = self_ty.to_token_stream();
            out.items.push(implements(
                &name,
                &generics,
                &ty,
                &trait_path.to_token_stream(),
            ));
        }
    }
}

fn alias_check(
    namer: &mut Namer<'_>,
    out: &mut Emitter,
    item: &super::resolve::ItemRef,
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

fn reexport_check(
    namer: &mut Namer<'_>,
    out: &mut Emitter,
    item: &super::resolve::ItemRef,
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
