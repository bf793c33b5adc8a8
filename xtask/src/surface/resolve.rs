//! Name resolution over crate sources: what a path written in some module names (an item of
//! a crate, a module, or something of the standard library), and under which public paths a
//! crate offers its items.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::path::PathBuf;

use super::source::{is_doc_hidden, item_attrs, Crate};

/// What kind of item a name is bound to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Struct,
    Enum,
    Union,
    Trait,
    TypeAlias,
    Fn,
    Static,
    Const,
    /// Something a macro invocation defines: its kind is unknown.
    MacroMade,
}

impl Kind {
    pub fn is_type(self) -> bool {
        matches!(
            self,
            Kind::Struct | Kind::Enum | Kind::Union | Kind::TypeAlias
        )
    }
}

/// An item defined in a crate: its crate (package id), module and name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ItemRef {
    pub krate: String,
    pub module: usize,
    pub name: String,
}

/// What a path names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Item(ItemRef, Kind),
    Module {
        krate: String,
        module: usize,
    },
    /// A path into `std`, `core` or `alloc`, spelled from `std`.
    Std(Vec<String>),
}

/// One way a module binds a name.
enum Binding {
    Item(Kind),
    Child(usize),
    Use(UsePath),
    Glob(UsePath),
}

/// A path as a `use` declaration writes it.
#[derive(Clone, Debug)]
pub struct UsePath {
    pub leading_colon: bool,
    pub segments: Vec<String>,
}

/// Where each package's library is and what it depends on, from `cargo metadata`.
pub struct Packages {
    /// Package id to (name, library root file, features on).
    pub libs: BTreeMap<String, (String, PathBuf, BTreeSet<String>)>,
    /// Package id to its dependencies, by the name its code uses, to their ids.
    pub deps: BTreeMap<String, BTreeMap<String, String>>,
}

/// Every crate loaded so far, loaded on first use.
pub struct Universe {
    packages: Packages,
    crates: HashMap<String, Crate>,
    /// Features to turn on beyond the resolved ones, per package name.
    extra_features: BTreeMap<String, BTreeSet<String>>,
}

impl Universe {
    pub fn new(packages: Packages, extra_features: BTreeMap<String, BTreeSet<String>>) -> Self {
        Self {
            packages,
            crates: HashMap::new(),
            extra_features,
        }
    }

    /// Loads the crate of package `id` if it is not loaded yet.
    pub fn load(&mut self, id: &str) -> Result<(), String> {
        if self.crates.contains_key(id) {
            return Ok(());
        }
        let (name, lib, features) = self
            .packages
            .libs
            .get(id)
            .ok_or_else(|| format!("package {id} has no library in cargo metadata"))?;
        let mut features = features.clone();
        if let Some(extra) = self.extra_features.get(name) {
            features.extend(extra.iter().cloned());
        }
        let deps = self.packages.deps.get(id).cloned().unwrap_or_default();
        let krate = Crate::load(lib, &features, deps)?;
        self.crates.insert(id.to_owned(), krate);
        Ok(())
    }

    pub fn krate(&self, id: &str) -> &Crate {
        &self.crates[id]
    }

    /// The package name of a package id.
    pub fn package_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.packages
            .libs
            .get(id)
            .map(|(name, _, _)| name.as_str())
            .unwrap_or(id)
    }

    /// The item definition an item reference points at.
    pub fn item(&self, item: &ItemRef) -> Option<&syn::Item> {
        let module = &self.krate(&item.krate).modules[item.module];
        module
            .items
            .iter()
            .find(|i| item_name(i).is_some_and(|(name, _)| name == item.name))
    }

    /// Resolves a path written in module `module` of crate `krate`.
    pub fn resolve(
        &mut self,
        krate: &str,
        module: usize,
        leading_colon: bool,
        segments: &[String],
    ) -> Option<Target> {
        self.resolve_depth(krate, module, leading_colon, segments, 0)
    }

    fn resolve_depth(
        &mut self,
        krate: &str,
        module: usize,
        leading_colon: bool,
        segments: &[String],
        depth: usize,
    ) -> Option<Target> {
        if depth > 32 || segments.is_empty() {
            return None;
        }
        let first = segments[0].as_str();
        let (mut current, rest) = if leading_colon {
            (self.extern_root(krate, first)?, &segments[1..])
        } else {
            match first {
                "crate" => (
                    Target::Module {
                        krate: krate.to_owned(),
                        module: 0,
                    },
                    &segments[1..],
                ),
                "self" => (
                    Target::Module {
                        krate: krate.to_owned(),
                        module,
                    },
                    &segments[1..],
                ),
                "super" => {
                    let parent = self.krate(krate).modules[module].parent?;
                    (
                        Target::Module {
                            krate: krate.to_owned(),
                            module: parent,
                        },
                        &segments[1..],
                    )
                }
                _ => match self.lookup(krate, module, first, depth) {
                    Some(found) => (found, &segments[1..]),
                    None => match self.extern_root(krate, first) {
                        Some(found) => (found, &segments[1..]),
                        None => (Target::Std(prelude_path(first)?), &segments[1..]),
                    },
                },
            }
        };
        for segment in rest {
            current = match current {
                Target::Module { krate, module } => {
                    if segment == "super" {
                        let parent = self.krate(&krate).modules[module].parent?;
                        Target::Module {
                            krate,
                            module: parent,
                        }
                    } else if segment == "self" {
                        Target::Module { krate, module }
                    } else {
                        self.lookup(&krate, module, segment, depth)?
                    }
                }
                Target::Std(mut path) => {
                    path.push(segment.clone());
                    Target::Std(path)
                }
                Target::Item(..) => return None,
            };
        }
        Some(current)
    }

    /// A crate named at the start of a path: a dependency, or the standard library.
    fn extern_root(&mut self, krate: &str, name: &str) -> Option<Target> {
        match name {
            "std" | "core" | "alloc" => return Some(Target::Std(vec!["std".to_owned()])),
            _ => {}
        }
        let id = self.krate(krate).deps.get(name)?.clone();
        self.load(&id).ok()?;
        Some(Target::Module {
            krate: id,
            module: 0,
        })
    }

    /// What `name` is bound to in a module.
    fn lookup(&mut self, krate: &str, module: usize, name: &str, depth: usize) -> Option<Target> {
        let bindings = self.bindings_named(krate, module, name);
        let mut globs = Vec::new();
        for binding in bindings {
            match binding {
                Binding::Item(kind) => {
                    return Some(Target::Item(
                        ItemRef {
                            krate: krate.to_owned(),
                            module,
                            name: name.to_owned(),
                        },
                        kind,
                    ))
                }
                Binding::Child(child) => {
                    return Some(Target::Module {
                        krate: krate.to_owned(),
                        module: child,
                    })
                }
                Binding::Use(path) => {
                    if let Some(found) = self.resolve_depth(
                        krate,
                        module,
                        path.leading_colon,
                        &path.segments,
                        depth + 1,
                    ) {
                        return Some(found);
                    }
                }
                Binding::Glob(path) => globs.push(path),
            }
        }
        for glob in globs {
            let target =
                self.resolve_depth(krate, module, glob.leading_colon, &glob.segments, depth + 1);
            match target {
                Some(Target::Module {
                    krate: k,
                    module: m,
                }) => {
                    if let Some(found) = self.lookup(&k, m, name, depth + 1) {
                        return Some(found);
                    }
                }
                Some(Target::Std(mut path)) => {
                    path.push(name.to_owned());
                    return Some(Target::Std(path));
                }
                _ => {}
            }
        }
        // Items a macro invocation defines (`new_type_future!`) are not in the syntax tree; a
        // capitalized name in a module with invocations is taken to be one of them.
        let m = &self.krate(krate).modules[module];
        let has_invocations = m.items.iter().any(|i| match i {
            syn::Item::Macro(mac) => mac.ident.is_none(),
            _ => false,
        });
        if has_invocations && name.starts_with(|c: char| c.is_ascii_uppercase()) {
            return Some(Target::Item(
                ItemRef {
                    krate: krate.to_owned(),
                    module,
                    name: name.to_owned(),
                },
                Kind::MacroMade,
            ));
        }
        None
    }

    fn bindings_named(&self, krate: &str, module: usize, name: &str) -> Vec<Binding> {
        let m = &self.krate(krate).modules[module];
        let mut found = Vec::new();
        for item in &m.items {
            if let Some((item_name, kind)) = item_name(item) {
                if item_name == name {
                    found.push(Binding::Item(kind));
                }
            }
        }
        if let Some(child) = m.children.get(name) {
            found.push(Binding::Child(*child));
        }
        for item in &m.items {
            if let syn::Item::Use(u) = item {
                for (bound, path, glob, _) in use_entries(u) {
                    if glob {
                        found.push(Binding::Glob(path));
                    } else if bound.as_deref() == Some(name) {
                        found.push(Binding::Use(path));
                    }
                }
            }
        }
        found
    }

    /// Every public name a module offers: its `pub` items, `pub mod`s and `pub use`s, with
    /// what each names.
    pub fn public_names(&mut self, krate: &str, module: usize) -> Vec<(String, Target)> {
        let m = &self.krate(krate).modules[module];
        // Each name with what binds it: an item, a child module or a `use`.
        type Named = (String, Option<Kind>, Option<usize>, Option<UsePath>);
        let mut names: Vec<Named> = Vec::new();
        for item in &m.items {
            if is_doc_hidden(item_attrs(item)) {
                continue;
            }
            if let Some((name, kind)) = item_name(item) {
                if item_is_pub(item) {
                    names.push((name, Some(kind), None, None));
                }
            }
            if let syn::Item::Use(u) = item {
                if matches!(u.vis, syn::Visibility::Public(_)) {
                    for (bound, path, glob, _) in use_entries(u) {
                        if let (Some(bound), false) = (bound, glob) {
                            names.push((bound, None, None, Some(path)));
                        }
                    }
                }
            }
        }
        for (name, child) in &m.children {
            let c = &self.krate(krate).modules[*child];
            if c.public && !c.hidden {
                names.push((name.clone(), None, Some(*child), None));
            }
        }
        let mut out = Vec::new();
        for (name, kind, child, path) in names {
            let target = if let Some(kind) = kind {
                Some(Target::Item(
                    ItemRef {
                        krate: krate.to_owned(),
                        module,
                        name: name.clone(),
                    },
                    kind,
                ))
            } else if let Some(child) = child {
                Some(Target::Module {
                    krate: krate.to_owned(),
                    module: child,
                })
            } else if let Some(path) = path {
                self.resolve(krate, module, path.leading_colon, &path.segments)
            } else {
                None
            };
            if let Some(target) = target {
                out.push((name, target));
            }
        }
        out
    }

    /// Every public path of a crate, breadth first from its root (so the first path found for
    /// an item is a shortest one).
    pub fn public_paths(&mut self, krate: &str) -> Vec<(Vec<String>, Target)> {
        let mut out = Vec::new();
        let mut seen = BTreeSet::new();
        let mut queue = VecDeque::from([(0usize, Vec::<String>::new())]);
        seen.insert(0usize);
        while let Some((module, path)) = queue.pop_front() {
            for (name, target) in self.public_names(krate, module) {
                let mut full = path.clone();
                full.push(name);
                if let Target::Module {
                    krate: k,
                    module: m,
                } = &target
                {
                    if k == krate && seen.insert(*m) {
                        queue.push_back((*m, full.clone()));
                    }
                }
                out.push((full, target));
            }
        }
        out
    }
}

/// The name and kind an item defines, for items that define one in the type or value
/// namespace.
pub fn item_name(item: &syn::Item) -> Option<(String, Kind)> {
    use syn::Item::*;
    Some(match item {
        Struct(i) => (i.ident.to_string(), Kind::Struct),
        Enum(i) => (i.ident.to_string(), Kind::Enum),
        Union(i) => (i.ident.to_string(), Kind::Union),
        Trait(i) => (i.ident.to_string(), Kind::Trait),
        Type(i) => (i.ident.to_string(), Kind::TypeAlias),
        Fn(i) => (i.sig.ident.to_string(), Kind::Fn),
        Static(i) => (i.ident.to_string(), Kind::Static),
        Const(i) => (i.ident.to_string(), Kind::Const),
        _ => return None,
    })
}

fn item_is_pub(item: &syn::Item) -> bool {
    use syn::Item::*;
    let vis = match item {
        Struct(i) => &i.vis,
        Enum(i) => &i.vis,
        Union(i) => &i.vis,
        Trait(i) => &i.vis,
        Type(i) => &i.vis,
        Fn(i) => &i.vis,
        Static(i) => &i.vis,
        Const(i) => &i.vis,
        _ => return false,
    };
    matches!(vis, syn::Visibility::Public(_))
}

/// The names a `use` declaration binds: (bound name, path, is a glob, original name). A
/// `use x as _` binds no name.
pub fn use_entries(u: &syn::ItemUse) -> Vec<(Option<String>, UsePath, bool, String)> {
    let mut out = Vec::new();
    walk_use(
        &u.tree,
        &mut Vec::new(),
        u.leading_colon.is_some(),
        &mut out,
    );
    out
}

fn walk_use(
    tree: &syn::UseTree,
    prefix: &mut Vec<String>,
    leading_colon: bool,
    out: &mut Vec<(Option<String>, UsePath, bool, String)>,
) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            walk_use(&p.tree, prefix, leading_colon, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) => {
            let name = n.ident.to_string();
            let mut segments = prefix.clone();
            let bound = if name == "self" {
                prefix.last().cloned()
            } else {
                segments.push(name.clone());
                Some(name.clone())
            };
            out.push((
                bound,
                UsePath {
                    leading_colon,
                    segments,
                },
                false,
                name,
            ));
        }
        syn::UseTree::Rename(r) => {
            let name = r.ident.to_string();
            let mut segments = prefix.clone();
            if name != "self" {
                segments.push(name.clone());
            }
            let rename = r.rename.to_string();
            let bound = (rename != "_").then_some(rename);
            out.push((
                bound,
                UsePath {
                    leading_colon,
                    segments,
                },
                false,
                name,
            ));
        }
        syn::UseTree::Glob(_) => out.push((
            None,
            UsePath {
                leading_colon,
                segments: prefix.clone(),
            },
            true,
            String::new(),
        )),
        syn::UseTree::Group(g) => {
            for tree in &g.items {
                walk_use(tree, prefix, leading_colon, out);
            }
        }
    }
}

/// Where the standard prelude's names live.
pub fn prelude_path(name: &str) -> Option<Vec<String>> {
    let module = match name {
        "Option" | "Some" | "None" => "option",
        "Result" | "Ok" | "Err" => "result",
        "Vec" => "vec",
        "String" | "ToString" => "string",
        "Box" => "boxed",
        "Send" | "Sync" | "Sized" | "Unpin" | "Copy" => "marker",
        "Clone" => "clone",
        "Default" => "default",
        "Drop" | "Fn" | "FnMut" | "FnOnce" => "ops",
        "Into" | "From" | "AsRef" | "AsMut" | "TryFrom" | "TryInto" => "convert",
        "Iterator"
        | "IntoIterator"
        | "Extend"
        | "DoubleEndedIterator"
        | "ExactSizeIterator"
        | "FromIterator" => "iter",
        "PartialEq" | "Eq" | "PartialOrd" | "Ord" => "cmp",
        "ToOwned" => "borrow",
        _ => return None,
    };
    Some(vec!["std".to_owned(), module.to_owned(), name.to_owned()])
}

/// Whether a single-segment type name is a primitive type.
pub fn is_primitive(name: &str) -> bool {
    matches!(
        name,
        "bool"
            | "char"
            | "str"
            | "u8"
            | "u16"
            | "u32"
            | "u64"
            | "u128"
            | "usize"
            | "i8"
            | "i16"
            | "i32"
            | "i64"
            | "i128"
            | "isize"
            | "f32"
            | "f64"
    )
}
