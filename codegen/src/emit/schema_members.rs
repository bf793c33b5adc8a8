//! The operation table's description of each input: its members (`MemberInfo`) with where they
//! travel and their types as `TypeInfo` descriptors. Structures, enum value lists and members that
//! several operations have alike are written once, as items that every user shares, so the table
//! stays small.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::format_variant;
use crate::plan::{Binding, MemberPlan, OperationPlan, Plan, Ty};

/// The longest one-line description kept for a member or an operation, in characters.
const SUMMARY_MAX: usize = 110;

/// The input members of every operation, with the members several operations have alike
/// (same name, location, type and documentation) named once.
pub struct InputMembers {
    /// Each shared member's tokens (as text) and the name of its constant.
    shared: BTreeMap<String, proc_macro2::Ident>,
    /// The shared constants, in order of first use.
    items: Vec<TokenStream>,
}

impl InputMembers {
    /// Finds the members that more than one operation has alike.
    pub fn new(plan: &Plan) -> Self {
        let mut uses: BTreeMap<String, usize> = BTreeMap::new();
        for op in &plan.operations {
            for m in &op.input.members {
                *uses.entry(member(m, true).to_string()).or_default() += 1;
            }
        }
        let mut shared = BTreeMap::new();
        let mut items = Vec::new();
        let mut taken: BTreeMap<String, usize> = BTreeMap::new();
        for op in &plan.operations {
            for m in &op.input.members {
                let tokens = member(m, true);
                let key = tokens.to_string();
                if uses[&key] < 2 || shared.contains_key(&key) {
                    continue;
                }
                let base = format!("MEMBER_{}", m.name.to_shouty_snake_case());
                let n = taken.entry(base.clone()).or_default();
                *n += 1;
                let ident = match *n {
                    1 => format_ident!("{}", base),
                    n => format_ident!("{}_{}", base, n),
                };
                let doc = format!(" The `{}` member of {} operations.", m.name, uses[&key]);
                items.push(quote! {
                    #[doc = #doc]
                    const #ident: MemberInfo = #tokens;
                });
                shared.insert(key, ident);
            }
        }
        Self { shared, items }
    }

    /// `&[..]`: the operation's input members, in model order.
    pub fn of(&self, op: &OperationPlan) -> TokenStream {
        let entries = op.input.members.iter().map(|m| {
            let tokens = member(m, true);
            match self.shared.get(&tokens.to_string()) {
                Some(ident) => quote!(#ident),
                None => tokens,
            }
        });
        quote!(&[#(#entries),*])
    }

    /// The shared members' constants.
    pub fn items(&self) -> TokenStream {
        let items = &self.items;
        quote!(#(#items)*)
    }
}

/// The first sentence of an operation's documentation.
pub fn operation_summary(op: &OperationPlan) -> String {
    summary(&op.doc)
}

/// The statics the input descriptions name: one `StructureInfo` per structure or union
/// reachable from an operation input, and one value list per enum they use.
pub fn shared_descriptors(plan: &Plan) -> TokenStream {
    let mut structs = BTreeSet::new();
    let mut enums = BTreeSet::new();
    for op in &plan.operations {
        for m in &op.input.members {
            reach(plan, &m.ty, &mut structs, &mut enums);
        }
    }
    let structures = structs.iter().filter_map(|name| {
        let members = match (
            plan.structs.iter().find(|s| &s.name == name),
            plan.unions.iter().find(|u| &u.name == name),
        ) {
            (Some(s), _) => members(&s.members),
            (None, Some(u)) => members(&u.members),
            (None, None) if name == UNIT => quote!(&[]),
            (None, None) => return None,
        };
        let ident = structure_ident(name);
        let doc = format!(" The members of `{name}`.");
        Some(quote! {
            #[doc = #doc]
            static #ident: StructureInfo = StructureInfo { name: #name, members: #members };
        })
    });
    let values = enums.iter().filter_map(|name| {
        let e = plan.enums.iter().find(|e| &e.name == name)?;
        let ident = values_ident(name);
        let doc = format!(" The values of `{name}`.");
        Some(if e.int {
            let pairs = e.variants.iter().filter_map(|v| {
                let number = i32::try_from(v.value.as_i64()?).ok()?;
                let label = &v.name;
                Some(quote!((#label, #number)))
            });
            quote! {
                #[doc = #doc]
                const #ident: &[(&str, i32)] = &[#(#pairs),*];
            }
        } else {
            let texts = e.variants.iter().filter_map(|v| v.value.as_str());
            quote! {
                #[doc = #doc]
                const #ident: &[&str] = &[#(#texts),*];
            }
        })
    });
    quote!(#(#structures)* #(#values)*)
}

/// The members of a nested structure or union (all in the body).
fn members(members: &[MemberPlan]) -> TokenStream {
    let entries = members.iter().map(|m| member(m, false));
    quote!(&[#(#entries),*])
}

fn member(m: &MemberPlan, top_level: bool) -> TokenStream {
    let name = &m.name;
    let json_name = &m.json_name;
    let location = if top_level {
        match &m.binding {
            // A response code binding means nothing on an input; the planner puts such a
            // member in the body.
            Binding::Body | Binding::ResponseCode => quote!(Location::Body),
            Binding::Label => quote!(Location::Label),
            Binding::Query(key) => quote!(Location::Query(#key)),
            Binding::QueryParams => quote!(Location::QueryParams),
            Binding::Header(header) => quote!(Location::Header(#header)),
            Binding::PrefixHeaders(prefix) => quote!(Location::PrefixHeaders(#prefix)),
            Binding::Payload => quote!(Location::Payload),
        }
    } else {
        quote!(Location::Body)
    };
    let ty = type_info(&m.ty, m.timestamp_format);
    let required = m.required;
    let doc = summary(&m.doc);
    quote! {
        MemberInfo {
            name: #name,
            json_name: #json_name,
            location: #location,
            ty: &#ty,
            required: #required,
            doc: #doc,
        }
    }
}

fn type_info(ty: &Ty, timestamp_format: Option<&str>) -> TokenStream {
    match ty {
        Ty::String => quote!(TypeInfo::String),
        Ty::Bool => quote!(TypeInfo::Boolean),
        Ty::Byte => quote!(TypeInfo::Byte),
        Ty::Short => quote!(TypeInfo::Short),
        Ty::Integer => quote!(TypeInfo::Integer),
        Ty::Long => quote!(TypeInfo::Long),
        Ty::Float => quote!(TypeInfo::Float),
        Ty::Double => quote!(TypeInfo::Double),
        Ty::Timestamp => {
            let format = format_variant(timestamp_format.unwrap_or("EpochSeconds"));
            quote!(TypeInfo::Timestamp(#format))
        }
        Ty::Enum(name) => {
            let values = values_ident(name);
            quote!(TypeInfo::Enum(#values))
        }
        Ty::IntEnum(name) => {
            let values = values_ident(name);
            quote!(TypeInfo::IntEnum(#values))
        }
        Ty::BigInteger => quote!(TypeInfo::BigInteger),
        Ty::BigDecimal => quote!(TypeInfo::BigDecimal),
        // A streaming payload is bytes too, when a document gives it.
        Ty::Blob | Ty::Stream => quote!(TypeInfo::Blob),
        Ty::Document => quote!(TypeInfo::Document),
        Ty::List(inner) => {
            let inner = type_info(inner, timestamp_format);
            quote!(TypeInfo::List(&#inner))
        }
        Ty::Map(key, value) => {
            let key = type_info(key, None);
            let value = type_info(value, timestamp_format);
            quote!(TypeInfo::Map(&#key, &#value))
        }
        // A sparse element or a boxed member has the type of what it holds.
        Ty::Option(inner) | Ty::Boxed(inner) => type_info(inner, timestamp_format),
        Ty::Struct(name) => {
            let ident = structure_ident(name);
            quote!(TypeInfo::Structure(&#ident))
        }
        Ty::Union(name) => {
            let ident = structure_ident(name);
            quote!(TypeInfo::Union(&#ident))
        }
        // A union variant without a value is written as an empty object.
        Ty::Unit => {
            let ident = structure_ident(UNIT);
            quote!(TypeInfo::Structure(&#ident))
        }
    }
}

/// The name of the empty structure that describes a union variant without a value (no
/// generated type can have it).
const UNIT: &str = "smithy.api#Unit";

/// Adds the structures and enums `ty` reaches to the sets, following structure members.
fn reach(plan: &Plan, ty: &Ty, structs: &mut BTreeSet<String>, enums: &mut BTreeSet<String>) {
    match ty {
        Ty::Enum(name) | Ty::IntEnum(name) => {
            enums.insert(name.clone());
        }
        Ty::List(inner) | Ty::Option(inner) | Ty::Boxed(inner) => {
            reach(plan, inner, structs, enums)
        }
        Ty::Map(key, value) => {
            reach(plan, key, structs, enums);
            reach(plan, value, structs, enums);
        }
        Ty::Struct(name) if structs.insert(name.clone()) => {
            if let Some(s) = plan.structs.iter().find(|s| &s.name == name) {
                for m in &s.members {
                    reach(plan, &m.ty, structs, enums);
                }
            }
        }
        Ty::Union(name) if structs.insert(name.clone()) => {
            if let Some(u) = plan.unions.iter().find(|u| &u.name == name) {
                for m in &u.members {
                    reach(plan, &m.ty, structs, enums);
                }
            }
        }
        Ty::Unit => {
            structs.insert(UNIT.to_owned());
        }
        _ => {}
    }
}

fn structure_ident(name: &str) -> proc_macro2::Ident {
    format_ident!("STRUCTURE_{}", name.to_shouty_snake_case())
}

fn values_ident(name: &str) -> proc_macro2::Ident {
    format_ident!("VALUES_{}", name.to_shouty_snake_case())
}

/// The first sentence of documentation lines, cut at a word boundary when it is long.
pub fn summary(lines: &[String]) -> String {
    let text = lines
        .iter()
        .map(|l| l.trim())
        .take_while(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let sentence = match text.find(". ") {
        Some(end) => &text[..=end],
        None => text.as_str(),
    };
    if sentence.chars().count() <= SUMMARY_MAX {
        return sentence.to_owned();
    }
    let mut cut = String::new();
    for word in sentence.split(' ') {
        if cut.chars().count() + word.chars().count() + 1 > SUMMARY_MAX - 3 {
            break;
        }
        if !cut.is_empty() {
            cut.push(' ');
        }
        cut.push_str(word);
    }
    cut.push_str("...");
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_keep_the_first_sentence_and_cut_long_ones_at_a_word() {
        let lines = |text: &str| vec![text.to_owned()];
        assert_eq!(
            summary(&lines("Lists users. Filters apply.")),
            "Lists users."
        );
        assert_eq!(summary(&lines("No full stop")), "No full stop");
        assert_eq!(
            summary(&["First line".to_owned(), "goes on.".to_owned()]),
            "First line goes on."
        );
        assert_eq!(
            summary(&["Paragraph one".to_owned(), String::new(), "Two.".to_owned()]),
            "Paragraph one"
        );
        let long = "word ".repeat(40);
        let cut = summary(&lines(long.trim()));
        assert!(
            cut.ends_with("...") && cut.chars().count() <= SUMMARY_MAX,
            "{cut}"
        );
        assert!(cut.trim_end_matches("...").split(' ').all(|w| w == "word"));
    }
}
