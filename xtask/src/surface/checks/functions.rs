//! Checks of what can be called or implemented: methods and associated functions (a function
//! with the official signature that calls them), trait implementations, and the crate's own
//! traits (a type implements each with the official signatures).

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote, ToTokens};
use syn::visit_mut::VisitMut;

use super::super::resolve::Target;
use super::super::translate::Namer;
use super::items::{field_names, FillElided};
use super::*;

pub(super) fn trait_checks(
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
pub(super) fn method_check(
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

pub(super) fn impl_checks(
    namer: &mut Namer<'_>,
    out: &mut Emitter,
    module: usize,
    imp: &syn::ItemImpl,
) {
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
