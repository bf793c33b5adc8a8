//! Which ways the client turns each structure into JSON and back ([`JsonSides`]).
//!
//! Inputs are written, outputs read. A structure held by an input is written, one held by an
//! output read. Errors, unions and what they hold go both ways: an error's details are written
//! back out when it is explained, and a union's reading and writing are compiled together.

use std::collections::{BTreeMap, BTreeSet};

use super::validation::named;
use crate::plan::{JsonSides, OperationPlan, Plan, StructPlan, StructRole, UnionPlan};

pub(super) fn settle(
    plan: &mut Plan,
    structs: &mut BTreeMap<String, StructPlan>,
    unions: &BTreeMap<String, UnionPlan>,
) {
    let mut holds: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for s in structs.values() {
        holds.insert(&s.name, named(&s.members));
    }
    for u in unions.values() {
        holds.insert(&u.name, named(&u.members));
    }
    let both: Vec<String> = structs
        .values()
        .filter(|s| s.role == StructRole::Error)
        .map(|s| s.name.clone())
        .chain(unions.keys().cloned())
        .collect();
    // What the inputs (or the outputs) hold, and what errors and unions hold.
    let reached_from = |side: fn(&OperationPlan) -> &StructPlan| {
        let start = plan
            .operations
            .iter()
            .flat_map(|op| named(&side(op).members))
            .chain(both.iter().cloned());
        reach(&holds, start)
    };
    let written = reached_from(|op| &op.input);
    let read = reached_from(|op| &op.output);
    for s in structs.values_mut() {
        s.json_sides = JsonSides {
            read: read.contains(&s.name),
            write: written.contains(&s.name),
        };
    }
    for op in &mut plan.operations {
        op.input.json_sides = JsonSides {
            read: false,
            write: true,
        };
        op.output.json_sides = JsonSides {
            read: true,
            write: false,
        };
    }
}

/// The names reachable from `start` through what each structure or union holds.
fn reach(
    holds: &BTreeMap<&str, Vec<String>>,
    start: impl Iterator<Item = String>,
) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut pending: Vec<String> = start.collect();
    while let Some(name) = pending.pop() {
        if let Some(held) = holds.get(name.as_str()) {
            if seen.insert(name) {
                pending.extend(held.iter().cloned());
            }
        } else {
            seen.insert(name);
        }
    }
    seen
}
