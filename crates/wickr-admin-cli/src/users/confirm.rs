//! Asking before anything is deleted: a question on a terminal, a refusal anywhere else.

use std::io::{BufRead, IsTerminal, Write};

/// Whether the deletion may go ahead: `--yes`, or an answer `y`/`yes` typed on a terminal.
/// Without a terminal on standard input nothing is asked and the answer is no, with a message
/// saying to pass `--yes`.
pub fn deletion_confirmed(question: &str, yes: bool) -> Result<(), String> {
    if yes {
        return Ok(());
    }
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Err(format!(
            "{question}: refusing without confirmation, since standard input is not a terminal \
             to ask on; pass --yes to delete"
        ));
    }
    // A question that cannot be shown is not asked: nothing is deleted on an answer given blind.
    let mut err = std::io::stderr();
    write!(
        err,
        "{question}? This cannot be undone. Type yes to go on: "
    )
    .and_then(|()| err.flush())
    .map_err(|e| format!("cannot ask for confirmation ({e}): nothing was deleted"))?;
    let mut answer = String::new();
    stdin
        .lock()
        .read_line(&mut answer)
        .map_err(|e| format!("cannot read the answer: {e}"))?;
    if matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
        Ok(())
    } else {
        Err("not confirmed: nothing was deleted".to_string())
    }
}
