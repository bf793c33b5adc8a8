//! Reading a refusal of a whole call (a ValidationError that names some of its items) into
//! per-item outcomes, for any operation.

use super::chunk::ChunkRow;
use super::window::OutcomeWindow;

/// Marks the items a ValidationError names as failed and returns the others, to be sent again.
/// When it names none of them, every item fails with what the service said. `locate` reads a
/// field path as an item of the call and a field within it.
pub(crate) fn record_rejections<T>(
    report: &mut OutcomeWindow,
    rows: Vec<ChunkRow<T>>,
    reasons: Vec<(String, String)>,
    whole_error: &str,
    locate: fn(&str) -> Option<(usize, String)>,
) -> Vec<ChunkRow<T>> {
    let mut named: Vec<Option<(String, String)>> = vec![None; rows.len()];
    let mut general = Vec::new();
    for (path, reason) in reasons {
        match locate(&path) {
            Some((row, field)) if row < named.len() => {
                let field = if field.is_empty() {
                    path.clone()
                } else {
                    field
                };
                named[row].get_or_insert((field, reason));
            }
            _ => general.push(if path.is_empty() {
                reason
            } else {
                format!("{path}: {reason}")
            }),
        }
    }
    if named.iter().all(Option::is_none) {
        let reason = if general.is_empty() {
            whole_error.to_string()
        } else {
            general.join("; ")
        };
        for row in &rows {
            report.set_failed(row.index, None, &reason);
        }
        return Vec::new();
    }
    // Reasons that name no user still belong to this answer: they go with each refused user,
    // so none of what the service said is lost.
    let also = if general.is_empty() {
        String::new()
    } else {
        format!(" (the service also said: {})", general.join("; "))
    };
    let mut rest = Vec::new();
    for (row, named) in rows.into_iter().zip(named) {
        match named {
            Some((field, reason)) => {
                report.set_failed(row.index, Some(&field), &format!("{reason}{also}"))
            }
            None => rest.push(row),
        }
    }
    rest
}
