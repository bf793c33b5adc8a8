//! Printing the sync plan: a table for people, or one JSON document for programs. Neither shows
//! a first or last name: changed names are named by field only.

use serde_json::{json, Value};

use crate::console::say;

use super::plan::{Change, MissingAction, Plan, RowPlan};

/// The plan as JSON.
pub fn plan_json(plan: &Plan, network_id: &str, file: &str, refusal: Option<&str>) -> Value {
    let mut create = Vec::new();
    let mut update = Vec::new();
    let mut unchanged = Vec::new();
    for (row, planned) in &plan.rows {
        match planned {
            RowPlan::Create => create.push(json!({
                "line": row.line,
                "username": row.username,
                "securityGroupId": row.security_group_id,
            })),
            RowPlan::Update { user_id, changes } => {
                let fields: Vec<&str> = changes.iter().map(Change::field).collect();
                let mut entry = json!({
                    "line": row.line,
                    "username": row.username,
                    "userId": user_id,
                    "fields": fields,
                });
                for change in changes {
                    if let Change::SecurityGroup { from, to, gone } = change {
                        entry["securityGroup"] = json!({ "from": from, "to": to, "gone": gone });
                    }
                }
                update.push(entry);
            }
            RowPlan::Unchanged { user_id } => unchanged.push(json!({
                "line": row.line,
                "username": row.username,
                "userId": user_id,
            })),
        }
    }
    let missing: Vec<Value> = plan
        .missing
        .iter()
        .map(|m| {
            json!({
                "username": m.user.username,
                "userId": m.user.user_id,
                "action": m.action.as_str(),
                "note": m.note,
            })
        })
        .collect();
    json!({
        "networkId": network_id,
        "file": file,
        "counts": {
            "create": plan.creates(),
            "update": plan.updates(),
            "unchanged": plan.unchanged(),
            "missing": plan.missing.len(),
            "suspend": plan.count_missing(MissingAction::Suspend),
            "delete": plan.count_missing(MissingAction::Delete),
            "leave": plan.count_missing(MissingAction::Leave),
        },
        "create": create,
        "update": update,
        "unchanged": unchanged,
        "missing": missing,
        "refusal": refusal,
    })
}

fn describe(change: &Change) -> String {
    match change {
        Change::SecurityGroup { from, to, gone } => {
            let from = if from.is_empty() {
                "none".to_string()
            } else {
                from.join(" ")
            };
            let gone = if gone.is_empty() {
                String::new()
            } else {
                format!(", {} no longer exists", gone.join(" "))
            };
            format!("securityGroupId {from} -> {to}{gone}")
        }
        other => other.field().to_string(),
    }
}

/// The plan as a table on standard output.
pub fn print_plan(plan: &Plan, network_id: &str, file: &str, apply: bool) -> Result<(), String> {
    say!(
        "Sync plan for network {network_id} from {file}{}",
        if apply {
            ""
        } else {
            " (nothing is changed without --apply)"
        }
    )?;
    say!("  {:<26}{:>8}", "create", plan.creates())?;
    say!("  {:<26}{:>8}", "update", plan.updates())?;
    say!("  {:<26}{:>8}", "unchanged", plan.unchanged())?;
    say!("  {:<26}{:>8}", "not in the file", plan.missing.len())?;
    for action in [MissingAction::Suspend, MissingAction::Delete] {
        let n = plan.count_missing(action);
        if n > 0 {
            say!("    {:<24}{n:>8}", format!("to {}", action.as_str()))?;
        }
    }
    let mut lines = Vec::new();
    for (row, planned) in &plan.rows {
        match planned {
            RowPlan::Create => lines.push(format!("line {}: create {}", row.line, row.username)),
            RowPlan::Update { user_id, changes } => lines.push(format!(
                "line {}: update {} ({user_id}): {}",
                row.line,
                row.username,
                changes.iter().map(describe).collect::<Vec<_>>().join(", ")
            )),
            RowPlan::Unchanged { .. } => {}
        }
    }
    for m in &plan.missing {
        let note = m
            .note
            .as_deref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        lines.push(format!(
            "not in the file: {} {} ({}){note}",
            m.action.as_str(),
            m.user.username,
            m.user.user_id
        ));
    }
    for line in lines.iter().take(LISTED) {
        say!("  {line}")?;
    }
    if lines.len() > LISTED {
        say!(
            "  ... and {} more (--output json lists every one)",
            lines.len() - LISTED
        )?;
    }
    Ok(())
}

/// Most plan entries listed one by one in the table.
const LISTED: usize = 100;
