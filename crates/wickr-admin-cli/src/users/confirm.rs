//! Asking before anything is deleted: a question on a terminal, a refusal anywhere else.

use std::io::{BufRead, IsTerminal, Write};

use wickr_admin::bulk::CancelToken;

/// Whether the deletion may go ahead: `--yes`, or an answer `y`/`yes` typed on a terminal.
/// Without a terminal on standard input nothing is asked and the answer is no, with a message
/// saying to pass `--yes`. A cancellation of `cancel` while the question waits (Ctrl-C, once the
/// command watches for it) is a no at once.
pub async fn deletion_confirmed(
    question: &str,
    yes: bool,
    cancel: &CancelToken,
) -> Result<(), String> {
    if yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
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
    // The answer is read on a thread of its own: the command's one thread stays free to notice a
    // signal, which would otherwise wait for Enter. A thread still reading when the command ends
    // does not keep it from ending.
    let (answered, answer) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("confirmation".to_string())
        .spawn(move || {
            let mut line = String::new();
            let read = std::io::stdin().lock().read_line(&mut line).map(|_| line);
            let _ = answered.send(read);
        })
        .map_err(|e| format!("cannot read the answer ({e}): nothing was deleted"))?;
    let answer = tokio::select! {
        answer = answer => match answer {
            Ok(Ok(line)) => line,
            Ok(Err(e)) => return Err(format!("cannot read the answer: {e}")),
            Err(_) => return Err("cannot read the answer".to_string()),
        },
        () = cancel.cancelled() => {
            return Err("interrupted before an answer: nothing was deleted".to_string());
        }
    };
    if matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
        Ok(())
    } else {
        Err("not confirmed: nothing was deleted".to_string())
    }
}
