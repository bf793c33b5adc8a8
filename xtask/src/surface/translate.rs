//! Rewrites the types of a signature, as written in one module of the official crate, into
//! paths any other crate can write: the official crate's own items by their public path under
//! `krate::`, other crates' items by their public path under the name the test crate knows them
//! by, the standard library under `::std::`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use quote::format_ident;
use syn::visit_mut::{self, VisitMut};

use super::resolve::{is_primitive, ItemRef, Kind, Target, Universe};

/// Public paths of items and modules, per crate, computed once.
#[derive(Default)]
pub struct PublicPaths {
    items: HashMap<String, HashMap<ItemRef, Vec<String>>>,
    modules: HashMap<String, HashMap<usize, Vec<String>>>,
}

/// What the rewriting needs: the loaded crates, the official crate's id, the names the test
/// crate gives the other crates, and what it has found missing.
pub struct Namer<'u> {
    pub universe: &'u mut Universe,
    pub official: String,
    /// Package name to the name the test crate uses for it.
    pub test_crate_deps: BTreeMap<String, String>,
    paths: PublicPaths,
    /// Packages that the test crate would need as dependencies.
    pub missing_deps: BTreeSet<String>,
}

impl<'u> Namer<'u> {
    pub fn new(
        universe: &'u mut Universe,
        official: String,
        test_crate_deps: BTreeMap<String, String>,
    ) -> Self {
        Self {
            universe,
            official,
            test_crate_deps,
            paths: PublicPaths::default(),
            missing_deps: BTreeSet::new(),
        }
    }

    fn ensure_paths(&mut self, krate: &str) {
        if self.paths.items.contains_key(krate) {
            return;
        }
        let mut items = HashMap::new();
        let mut modules = HashMap::new();
        modules.insert(0usize, Vec::new());
        for (path, target) in self.universe.public_paths(krate) {
            match target {
                Target::Item(item, _) if item.krate == krate => {
                    items.entry(item).or_insert(path);
                }
                Target::Module { krate: k, module } if k == krate => {
                    modules.entry(module).or_insert(path);
                }
                _ => {}
            }
        }
        self.paths.items.insert(krate.to_owned(), items);
        self.paths.modules.insert(krate.to_owned(), modules);
    }

    /// The public path of an item within its crate, if it has one.
    pub fn item_path(&mut self, item: &ItemRef) -> Option<Vec<String>> {
        self.ensure_paths(&item.krate);
        self.paths.items[&item.krate].get(item).cloned()
    }

    /// A path that names `target` from the test crate.
    pub fn path_of(&mut self, target: &Target) -> Result<syn::Path, String> {
        let (krate, within) = match target {
            Target::Std(path) => return Ok(absolute(path)),
            Target::Item(item, Kind::MacroMade) => {
                // Not in the syntax tree: named through its module.
                self.ensure_paths(&item.krate);
                let module = self.paths.modules[&item.krate].get(&item.module).cloned();
                let mut path = module.ok_or_else(|| {
                    format!(
                        "`{}` of {} is in a module that is not public",
                        item.name,
                        self.universe.package_name(&item.krate)
                    )
                })?;
                path.push(item.name.clone());
                (item.krate.clone(), path)
            }
            Target::Item(item, _) => {
                let path = self.item_path(item).ok_or_else(|| {
                    format!(
                        "`{}` of {} is not public",
                        item.name,
                        self.universe.package_name(&item.krate)
                    )
                })?;
                (item.krate.clone(), path)
            }
            Target::Module { krate, module } => {
                self.ensure_paths(krate);
                let path = self.paths.modules[krate]
                    .get(module)
                    .cloned()
                    .ok_or_else(|| {
                        format!(
                            "a module of {} is not public",
                            self.universe.package_name(krate)
                        )
                    })?;
                (krate.clone(), path)
            }
        };
        if krate == self.official {
            let mut segments = vec!["krate".to_owned()];
            segments.extend(within);
            return Ok(relative(&segments));
        }
        let package = self.universe.package_name(&krate).to_owned();
        let Some(name) = self.test_crate_deps.get(&package).cloned() else {
            self.missing_deps.insert(package.clone());
            return Err(format!("the test crate does not depend on {package}"));
        };
        let mut segments = vec![name];
        segments.extend(within);
        Ok(absolute(&segments))
    }
}

fn absolute(segments: &[String]) -> syn::Path {
    let mut path = relative(segments);
    path.leading_colon = Some(Default::default());
    path
}

fn relative(segments: &[String]) -> syn::Path {
    let mut path = syn::Path {
        leading_colon: None,
        segments: Default::default(),
    };
    for segment in segments {
        path.segments.push(syn::PathSegment::from(ident(segment)));
    }
    path
}

/// An identifier, raw when it is a keyword.
pub fn ident(name: &str) -> syn::Ident {
    let name = name.strip_prefix("r#").unwrap_or(name);
    if syn::parse_str::<syn::Ident>(name).is_ok() {
        format_ident!("{}", name)
    } else {
        format_ident!("r#{}", name)
    }
}

/// Rewrites types written in one module of one crate.
pub struct Translate<'n, 'u> {
    pub namer: &'n mut Namer<'u>,
    pub krate: String,
    pub module: usize,
    /// Generic parameters in scope, which are not paths to resolve.
    pub generics: BTreeSet<String>,
    /// What `Self` stands for.
    pub self_ty: Option<syn::Type>,
    /// The first reason a path could not be named.
    pub error: Option<String>,
}

impl Translate<'_, '_> {
    fn fail(&mut self, why: String) {
        if self.error.is_none() {
            self.error = Some(why);
        }
    }

    fn rewrite(&mut self, path: &mut syn::Path) {
        if self.error.is_some() || path.segments.is_empty() {
            return;
        }
        let first = path.segments[0].ident.to_string();
        if path.leading_colon.is_none() && path.segments.len() == 1 {
            if self.generics.contains(&first) || is_primitive(&first) {
                return;
            }
            if first == "Self" {
                match &self.self_ty {
                    Some(syn::Type::Path(tp)) if tp.qself.is_none() => {
                        let args = path.segments[0].arguments.clone();
                        *path = tp.path.clone();
                        if !args.is_empty() {
                            if let Some(last) = path.segments.last_mut() {
                                last.arguments = args;
                            }
                        }
                    }
                    _ => self.fail("`Self` is not a plain path here".to_owned()),
                }
                return;
            }
        }
        let names: Vec<String> = path
            .segments
            .iter()
            .map(|s| s.ident.to_string().trim_start_matches("r#").to_owned())
            .collect();
        let target = self.namer.universe.resolve(
            &self.krate,
            self.module,
            path.leading_colon.is_some(),
            &names,
        );
        let Some(target) = target else {
            self.fail(format!("cannot resolve `{}`", names.join("::")));
            return;
        };
        match self.namer.path_of(&target) {
            Ok(mut new_path) => {
                let args = path
                    .segments
                    .last()
                    .map(|s| s.arguments.clone())
                    .unwrap_or_default();
                if let Some(last) = new_path.segments.last_mut() {
                    last.arguments = args;
                }
                *path = new_path;
            }
            Err(why) => self.fail(why),
        }
    }
}

impl VisitMut for Translate<'_, '_> {
    fn visit_type_mut(&mut self, ty: &mut syn::Type) {
        if let syn::Type::Path(tp) = ty {
            let starts_with_self = tp.qself.is_none()
                && tp.path.leading_colon.is_none()
                && tp.path.segments.len() > 1
                && tp.path.segments[0].ident == "Self";
            if starts_with_self {
                // `Self::Assoc` becomes `<SelfType>::Assoc`.
                if let Some(self_ty) = self.self_ty.clone() {
                    let mut rest = syn::Path {
                        leading_colon: Some(Default::default()),
                        segments: Default::default(),
                    };
                    for segment in tp.path.segments.iter().skip(1) {
                        rest.segments.push(segment.clone());
                    }
                    *tp = syn::TypePath {
                        qself: Some(syn::QSelf {
                            lt_token: Default::default(),
                            ty: Box::new(self_ty),
                            position: 0,
                            as_token: None,
                            gt_token: Default::default(),
                        }),
                        path: rest,
                    };
                    for segment in tp.path.segments.iter_mut() {
                        visit_mut::visit_path_arguments_mut(self, &mut segment.arguments);
                    }
                    return;
                }
            }
        }
        visit_mut::visit_type_mut(self, ty);
    }

    fn visit_type_path_mut(&mut self, tp: &mut syn::TypePath) {
        if let Some(qself) = &mut tp.qself {
            self.visit_type_mut(&mut qself.ty);
            let position = qself.position;
            if position > 0 {
                // `<T as a::Trait>::Assoc`: the trait is the path's first `position` segments.
                let mut trait_path = syn::Path {
                    leading_colon: tp.path.leading_colon,
                    segments: tp.path.segments.iter().take(position).cloned().collect(),
                };
                self.rewrite(&mut trait_path);
                for segment in trait_path.segments.iter_mut() {
                    visit_mut::visit_path_arguments_mut(self, &mut segment.arguments);
                }
                let rest: Vec<syn::PathSegment> =
                    tp.path.segments.iter().skip(position).cloned().collect();
                qself.position = trait_path.segments.len();
                tp.path = trait_path;
                tp.path.segments.extend(rest);
            }
            return;
        }
        visit_mut::visit_type_path_mut(self, tp);
    }

    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        self.rewrite(path);
        for segment in path.segments.iter_mut() {
            visit_mut::visit_path_arguments_mut(self, &mut segment.arguments);
        }
    }

    fn visit_expr_mut(&mut self, _expr: &mut syn::Expr) {}
}
