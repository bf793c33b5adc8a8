//! Which structures and unions validate, settled once every shape is planned.
//!
//! Only shapes an operation input reaches are validated: outputs come from the service. A
//! structure validates when a member has a check of its own (a constraint, or a required member
//! that is optional in Rust), or holds (directly or in lists and maps) a structure or union that
//! validates. A union an input reaches always validates: its `Unknown` variant, which only a
//! response can produce, must not be sent back. Cycles make this a fixpoint.

use std::collections::{BTreeMap, BTreeSet};

use crate::plan::{MemberPlan, Plan, StructPlan, Ty, UnionPlan};

/// Sets `validates` on every structure and union, and `checks.nested` on every member.
pub(super) fn settle(
    plan: &mut Plan,
    structs: &mut BTreeMap<String, StructPlan>,
    unions: &mut BTreeMap<String, UnionPlan>,
) {
    // The named types each structure or union holds, by name.
    let mut holds: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for s in structs.values() {
        holds.insert(s.name.clone(), named(&s.members));
    }
    for u in unions.values() {
        holds.insert(u.name.clone(), named(&u.members));
    }
    let mut reachable = BTreeSet::new();
    let mut pending: Vec<String> = plan
        .operations
        .iter()
        .flat_map(|op| named(&op.input.members))
        .collect();
    while let Some(name) = pending.pop() {
        if reachable.insert(name.clone()) {
            pending.extend(holds.get(&name).cloned().unwrap_or_default());
        }
    }
    let mut validates: BTreeSet<String> = BTreeSet::new();
    for s in structs.values() {
        if reachable.contains(&s.name) && s.members.iter().any(own_checks) {
            validates.insert(s.name.clone());
        }
    }
    for u in unions.values() {
        if reachable.contains(&u.name) {
            validates.insert(u.name.clone());
        }
    }
    loop {
        let before = validates.len();
        for (name, held) in &holds {
            if reachable.contains(name) && held.iter().any(|h| validates.contains(h)) {
                validates.insert(name.clone());
            }
        }
        if validates.len() == before {
            break;
        }
    }
    let nest = |members: &mut Vec<MemberPlan>| {
        for m in members {
            m.checks.nested = match m.ty.innermost() {
                Ty::Struct(name) | Ty::Union(name) => validates.contains(name),
                _ => false,
            };
        }
    };
    for s in structs.values_mut() {
        s.validates = validates.contains(&s.name);
        nest(&mut s.members);
    }
    for u in unions.values_mut() {
        u.validates = validates.contains(&u.name);
        nest(&mut u.members);
    }
    for op in &mut plan.operations {
        nest(&mut op.input.members);
        op.input.validates = op.input.members.iter().any(own_checks)
            || op.input.members.iter().any(|m| m.checks.nested);
        op.output.validates = false;
    }
    // Only the patterns of what is validated are compiled into the crate.
    let mut used = BTreeSet::new();
    let validated = structs
        .values()
        .filter(|s| s.validates)
        .map(|s| &s.members)
        .chain(unions.values().filter(|u| u.validates).map(|u| &u.members))
        .chain(plan.operations.iter().map(|op| &op.input.members));
    for members in validated {
        for m in members {
            patterns_of(&m.checks, &mut used);
        }
    }
    plan.patterns.retain(|name, _| used.contains(name));
}

fn patterns_of(checks: &crate::plan::Checks, out: &mut BTreeSet<String>) {
    out.extend(checks.pattern.clone());
    for inner in [&checks.elements, &checks.keys].into_iter().flatten() {
        patterns_of(inner, out);
    }
}

/// The structures and unions the members hold, directly or in lists and maps.
pub(super) fn named(members: &[MemberPlan]) -> Vec<String> {
    members
        .iter()
        .filter_map(|m| match m.ty.innermost() {
            Ty::Struct(name) | Ty::Union(name) => Some(name.clone()),
            _ => None,
        })
        .collect()
}

/// A check of the member's own: a constraint, or a required member that may be left unset.
fn own_checks(m: &MemberPlan) -> bool {
    !m.checks.is_empty() || (m.optional && m.required)
}
