//! A crate's source as a tree of modules: every file reached from `lib.rs` through `mod`
//! declarations, parsed with `syn`, with items that `#[cfg]` turns off (tests, features that
//! are off) left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One crate's modules; index 0 is the crate root.
pub struct Crate {
    pub modules: Vec<Module>,
    /// The crates this one depends on, by the name its code uses (`http_1x`), to their package
    /// ids.
    pub deps: BTreeMap<String, String>,
}

/// One module and the items it holds directly.
pub struct Module {
    pub parent: Option<usize>,
    /// Declared `pub` (not `pub(crate)` or private) in its parent.
    pub public: bool,
    /// Hidden from the documentation (`#[doc(hidden)]`).
    pub hidden: bool,
    pub items: Vec<syn::Item>,
    pub children: BTreeMap<String, usize>,
}

impl Crate {
    /// Loads the crate whose root file is `lib_rs`, with `features` on.
    pub fn load(
        lib_rs: &Path,
        features: &BTreeSet<String>,
        deps: BTreeMap<String, String>,
    ) -> Result<Self, String> {
        let mut krate = Crate {
            modules: Vec::new(),
            deps,
        };
        let cfg = Cfg { features };
        let dir = lib_rs.parent().map(Path::to_path_buf).unwrap_or_default();
        let items = parse_file(lib_rs)?;
        krate.add_module(&cfg, Vec::new(), None, true, false, items, &dir, &dir)?;
        Ok(krate)
    }

    /// Adds a module with its items, then its child modules. `dir` is where its child modules'
    /// files are; `file_dir` the directory of the file it is written in (for `#[path]`).
    #[allow(clippy::too_many_arguments)]
    fn add_module(
        &mut self,
        cfg: &Cfg<'_>,
        path: Vec<String>,
        parent: Option<usize>,
        public: bool,
        hidden: bool,
        items: Vec<syn::Item>,
        dir: &Path,
        file_dir: &Path,
    ) -> Result<usize, String> {
        let index = self.modules.len();
        let items: Vec<syn::Item> = items
            .into_iter()
            .filter(|item| cfg.enabled(item_attrs(item)))
            .collect();
        let mut children = Vec::new();
        let mut kept = Vec::new();
        for item in items {
            if let syn::Item::Mod(m) = &item {
                children.push(m.clone());
            } else {
                kept.push(item);
            }
        }
        self.modules.push(Module {
            parent,
            public,
            hidden,
            items: kept,
            children: BTreeMap::new(),
        });
        for m in children {
            let name = m.ident.to_string();
            let child_public = matches!(m.vis, syn::Visibility::Public(_));
            let child_hidden = hidden || is_doc_hidden(&m.attrs);
            let mut child_path = path.clone();
            child_path.push(name.clone());
            let explicit = path_attr(&m.attrs);
            let child = match &m.content {
                Some((_, items)) => {
                    let child_dir = match &explicit {
                        Some(p) => dir.join(p),
                        None => dir.join(&name),
                    };
                    self.add_module(
                        cfg,
                        child_path,
                        Some(index),
                        child_public,
                        child_hidden,
                        items.clone(),
                        &child_dir,
                        file_dir,
                    )?
                }
                None => {
                    let file = match &explicit {
                        Some(p) => file_dir.join(p),
                        None => {
                            let flat = dir.join(format!("{name}.rs"));
                            if flat.exists() {
                                flat
                            } else {
                                dir.join(&name).join("mod.rs")
                            }
                        }
                    };
                    let items = parse_file(&file)?;
                    let file_parent = file.parent().map(Path::to_path_buf).unwrap_or_default();
                    let is_mod_rs = file.file_name().is_some_and(|f| f == "mod.rs");
                    let child_dir = if is_mod_rs || explicit.is_some() {
                        file_parent.clone()
                    } else {
                        dir.join(&name)
                    };
                    self.add_module(
                        cfg,
                        child_path,
                        Some(index),
                        child_public,
                        child_hidden,
                        items,
                        &child_dir,
                        &file_parent,
                    )?
                }
            };
            self.modules[index].children.insert(name, child);
        }
        Ok(index)
    }
}

fn parse_file(path: &Path) -> Result<Vec<syn::Item>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let file =
        syn::parse_file(&text).map_err(|e| format!("cannot parse {}: {e}", path.display()))?;
    Ok(file.items)
}

/// The attributes of any item.
pub fn item_attrs(item: &syn::Item) -> &[syn::Attribute] {
    use syn::Item::*;
    match item {
        Const(i) => &i.attrs,
        Enum(i) => &i.attrs,
        ExternCrate(i) => &i.attrs,
        Fn(i) => &i.attrs,
        ForeignMod(i) => &i.attrs,
        Impl(i) => &i.attrs,
        Macro(i) => &i.attrs,
        Mod(i) => &i.attrs,
        Static(i) => &i.attrs,
        Struct(i) => &i.attrs,
        Trait(i) => &i.attrs,
        TraitAlias(i) => &i.attrs,
        Type(i) => &i.attrs,
        Union(i) => &i.attrs,
        Use(i) => &i.attrs,
        _ => &[],
    }
}

/// Whether the attributes hide the item from the documentation.
pub fn is_doc_hidden(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("doc")
            && a.parse_args::<syn::Ident>()
                .is_ok_and(|ident| ident == "hidden")
    })
}

fn path_attr(attrs: &[syn::Attribute]) -> Option<PathBuf> {
    attrs.iter().find_map(|a| {
        if !a.path().is_ident("path") {
            return None;
        }
        match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(PathBuf::from(s.value())),
                _ => None,
            },
            _ => None,
        }
    })
}

/// Which `#[cfg]` predicates hold: the given features, a Linux target, not `test`, not
/// `docsrs`.
pub struct Cfg<'a> {
    pub features: &'a BTreeSet<String>,
}

impl Cfg<'_> {
    /// Whether every `#[cfg]` among `attrs` holds.
    pub fn enabled(&self, attrs: &[syn::Attribute]) -> bool {
        attrs.iter().filter(|a| a.path().is_ident("cfg")).all(|a| {
            match a.parse_args::<syn::Meta>() {
                Ok(meta) => self.holds(&meta),
                Err(_) => false,
            }
        })
    }

    fn holds(&self, meta: &syn::Meta) -> bool {
        match meta {
            syn::Meta::Path(p) => {
                let name = p.get_ident().map(|i| i.to_string()).unwrap_or_default();
                matches!(name.as_str(), "unix" | "debug_assertions")
            }
            syn::Meta::NameValue(nv) => {
                let key = nv
                    .path
                    .get_ident()
                    .map(|i| i.to_string())
                    .unwrap_or_default();
                let value = match &nv.value {
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }) => s.value(),
                    _ => return false,
                };
                match key.as_str() {
                    "feature" => self.features.contains(&value),
                    "target_os" => value == "linux",
                    "target_family" => value == "unix",
                    "target_pointer_width" => value == "64",
                    "target_arch" => value == "x86_64",
                    "panic" => value == "unwind",
                    _ => false,
                }
            }
            syn::Meta::List(list) => {
                let name = list
                    .path
                    .get_ident()
                    .map(|i| i.to_string())
                    .unwrap_or_default();
                let nested = list.parse_args_with(
                    syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
                );
                let Ok(nested) = nested else {
                    return false;
                };
                match name.as_str() {
                    "any" => nested.iter().any(|m| self.holds(m)),
                    "all" => nested.iter().all(|m| self.holds(m)),
                    "not" => nested.first().is_some_and(|m| !self.holds(m)),
                    _ => false,
                }
            }
        }
    }
}
