//! ListUsers over several pages from the command line: every page fetched and merged by default,
//! `--page-size`, `--max-items` with `--starting-token`, `--no-paginate`, `--query`, and each
//! `--output` layout; and the shell completion scripts.

mod cli_support;
mod operation_support;

use std::collections::BTreeSet;
use std::process::Output;

use cli_support::{at, at_url, command, emulator, run, run_stdout_closed, stderr, strings};
use operation_support::recorder::Recorder;
use serde_json::Value;
use wickr_admin::types::BatchCreateUserRequestItem;
use wickr_admin_local::{RunningEmulator, DEMO_GROUP_ID, DEMO_NETWORK_ID};

/// Users in the network: the demo administrator and 25 more.
const USERS: usize = 26;

async fn network_of_26_users() -> RunningEmulator {
    let emu = emulator().await;
    let mut call = emu.client().batch_create_user().network_id(DEMO_NETWORK_ID);
    for i in 0..USERS - 1 {
        call = call.users(
            BatchCreateUserRequestItem::builder()
                .username(format!("user{i:02}@example.com"))
                .security_group_ids(DEMO_GROUP_ID)
                .build()
                .expect("user"),
        );
    }
    call.send().await.expect("users created");
    emu
}

async fn list_users(url: &str, extra: &[&str]) -> Output {
    let mut args: Vec<String> = vec![
        "--endpoint-url".into(),
        url.into(),
        "list-users".into(),
        "--network-id".into(),
        DEMO_NETWORK_ID.into(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    run(args, None).await
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn json(out: &Output) -> Value {
    assert_eq!(out.status.code(), Some(0), "{}", stderr(out));
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(out)))
}

fn names(value: &Value) -> Vec<String> {
    value["users"]
        .as_array()
        .map(|users| {
            users
                .iter()
                .filter_map(|u| u["username"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_is_fetched_and_merged_and_page_size_sets_the_calls() {
    let emu = network_of_26_users().await;
    let proxy = Recorder::start(&emu.endpoint_url()).await;
    let merged = json(&list_users(&proxy.url, &["--page-size", "10"]).await);
    let all = names(&merged);
    assert_eq!(all.len(), USERS, "{merged}");
    assert_eq!(
        all.iter().collect::<BTreeSet<_>>().len(),
        USERS,
        "no user twice"
    );
    assert!(merged.get("nextToken").is_none() && merged.get("NextToken").is_none());
    let calls = proxy.take();
    assert_eq!(calls.len(), 3, "10 + 10 + 6");
    assert!(calls.iter().all(|c| c.target.contains("maxResults=10")));

    // The service's default page size (10) gives the same output.
    let default = json(&list_users(&proxy.url, &[]).await);
    assert_eq!(names(&default), all);
    proxy.take();

    // One page only: the service's answer as it is, with its own token.
    let one = json(&list_users(&proxy.url, &["--no-paginate", "--max-results", "5"]).await);
    assert_eq!(names(&one).len(), 5);
    assert!(one["nextToken"].is_string(), "{one}");
    assert_eq!(proxy.take().len(), 1);
    // The page token or size given as a member turns paging off, as in the AWS CLI.
    let manual = json(&list_users(&proxy.url, &["--max-results", "4"]).await);
    assert_eq!(names(&manual).len(), 4);
    assert_eq!(proxy.take().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn max_items_stops_with_a_token_that_starting_token_continues_from() {
    let emu = network_of_26_users().await;
    let all = names(&json(&list_users(&emu.endpoint_url(), &[]).await));
    for page_size in [None, Some("5")] {
        let mut seen = Vec::new();
        let mut token: Option<String> = None;
        for _ in 0..10 {
            let mut extra = vec!["--max-items", "12"];
            if let Some(size) = page_size {
                extra.extend(["--page-size", size]);
            }
            let token_arg;
            if let Some(t) = &token {
                token_arg = t.clone();
                extra.extend(["--starting-token", token_arg.as_str()]);
            }
            let part = json(&list_users(&emu.endpoint_url(), &extra).await);
            let got = names(&part);
            assert!(got.len() <= 12, "{part}");
            seen.extend(got);
            match part.get("NextToken").and_then(Value::as_str) {
                Some(next) => token = Some(next.to_owned()),
                None => break,
            }
        }
        // 12 + 12 + 2, in the order of one listing, nothing skipped or repeated.
        assert_eq!(seen, all, "page size {page_size:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn query_and_each_output_layout_over_several_pages() {
    let emu = network_of_26_users().await;
    let url = emu.endpoint_url();
    let all = names(&json(&list_users(&url, &[]).await));

    // --query on the merged pages.
    let out = list_users(&url, &["--query", "users[].username"]).await;
    assert_eq!(json(&out), serde_json::json!(all));
    let out = list_users(&url, &["--query", "length(users)"]).await;
    assert_eq!(stdout(&out), format!("{USERS}\n"));

    // text: one USERS line per user, in the listing's order; a query applies page by page, so
    // three pages of usernames are three lines, as the AWS CLI prints them.
    let out = list_users(&url, &["--output", "text", "--page-size", "10"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let rows: Vec<&str> = text.lines().filter(|l| l.starts_with("USERS\t")).collect();
    assert_eq!(rows.len(), USERS, "{text}");
    for (row, name) in rows.iter().zip(&all) {
        assert!(row.ends_with(&format!("\t{name}")), "{row}");
    }
    assert_eq!(
        text.lines()
            .filter(|l| l.starts_with("SECURITYGROUPS\t"))
            .count(),
        USERS
    );
    let out = list_users(
        &url,
        &[
            "--output",
            "text",
            "--page-size",
            "10",
            "--query",
            "users[].username",
        ],
    )
    .await;
    let lines: Vec<Vec<String>> = stdout(&out)
        .lines()
        .map(|l| l.split('\t').map(str::to_owned).collect())
        .collect();
    assert_eq!(lines.iter().map(Vec::len).collect::<Vec<_>>(), [10, 10, 6]);
    assert_eq!(lines.concat(), all);

    // text with --max-items ends with the token to continue from.
    let out = list_users(&url, &["--output", "text", "--max-items", "3"]).await;
    let text = stdout(&out);
    let last = text.lines().last().unwrap_or_default();
    assert!(last.starts_with("NEXTTOKEN\t"), "{text}");

    // table: titled with the operation, a users section per user (each has nested groups).
    let out = list_users(&url, &["--output", "table"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let table = stdout(&out);
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].chars().all(|c| c == '-'), "{table}");
    assert!(lines[1].starts_with('|') && lines[1].trim_matches(['|', ' ']) == "ListUsers");
    assert!(
        lines
            .iter()
            .all(|l| l.chars().count() == lines[0].chars().count()),
        "{table}"
    );
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.trim_matches(['|', ' ']) == "users")
            .count(),
        USERS
    );
    for name in &all {
        assert!(
            table.contains(&format!("  {name} ")),
            "{name} missing from\n{table}"
        );
    }
    let out = list_users(
        &url,
        &["--output", "table", "--query", "users[].[username, status]"],
    )
    .await;
    let table = stdout(&out);
    assert_eq!(
        table.lines().filter(|l| l.contains("@example.com")).count(),
        USERS
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completions_are_generated_for_bash_zsh_and_fish() {
    for (shell, marker) in [
        ("bash", "complete -F _wickr__admin"),
        ("zsh", "#compdef wickr-admin"),
        ("fish", "complete -c wickr-admin"),
    ] {
        let out = run(vec!["completion".into(), shell.into()], None).await;
        assert_eq!(out.status.code(), Some(0), "{shell}: {}", stderr(&out));
        let script = stdout(&out);
        for expected in [
            marker,
            "list-users",
            "batch-create-user",
            "network-id",
            "generate-cli-skeleton",
        ] {
            assert!(script.contains(expected), "{shell}: no {expected:?}");
        }
        if shell == "bash" {
            // The script parses, and registers the completion.
            let dir =
                std::env::temp_dir().join(format!("wickr-admin-completion-{}", std::process::id()));
            std::fs::create_dir_all(&dir).expect("dir");
            let file = dir.join("wickr-admin.bash");
            std::fs::write(&file, &script).expect("write");
            let check = std::process::Command::new("bash")
                .arg("-c")
                .arg(format!(
                    "source {} && complete -p wickr-admin",
                    file.display()
                ))
                .output()
                .expect("bash runs");
            let _ = std::fs::remove_dir_all(&dir);
            assert!(
                check.status.success(),
                "{}",
                String::from_utf8_lossy(&check.stderr)
            );
            assert!(String::from_utf8_lossy(&check.stdout).contains("wickr-admin"));
        }
    }
    let out = run(vec!["completion".into(), "tcsh".into()], None).await;
    assert_ne!(out.status.code(), Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn output_no_one_reads_is_an_error_never_a_panic() {
    let emu = network_of_26_users().await;
    let url = emu.endpoint_url();
    let mut runs: Vec<(Vec<String>, i32)> = Vec::new();
    for output in ["json", "table", "text"] {
        runs.push((
            at_url(
                &url,
                &[
                    "list-users",
                    "--network-id",
                    DEMO_NETWORK_ID,
                    "--output",
                    output,
                ],
            ),
            255,
        ));
    }
    runs.push((strings(&["list-users", "--generate-cli-skeleton"]), 255));
    for shell in ["bash", "zsh", "fish"] {
        runs.push((strings(&["completion", shell]), 1));
    }
    for (args, code) in runs {
        let out = run_stdout_closed(args.clone()).await;
        let err = stderr(&out);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(
            err.contains("cannot write to standard output"),
            "{args:?}: {err}"
        );
        assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
    }
}

/// A web server on 127.0.0.1 that answers every request with a 404 page, as a wrong endpoint
/// URL would.
async fn not_the_service() -> (String, tokio::task::JoinHandle<()>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut seen = Vec::new();
                let mut buf = [0u8; 4096];
                loop {
                    let Ok(n) = socket.read(&mut buf).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    seen.extend_from_slice(&buf[..n]);
                    if seen.windows(4).any(|w| w == b"\r\n\r\n") {
                        seen.clear();
                        let page = "<html>Not Found</html>";
                        let answer = format!(
                            "HTTP/1.1 404 Not Found\r\ncontent-type: text/html\r\n\
                             content-length: {}\r\n\r\n{page}",
                            page.len()
                        );
                        if socket.write_all(answer.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                }
            });
        }
    });
    (url, task)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endpoint_that_is_not_the_service_is_named_by_its_http_status() {
    let (url, server) = not_the_service().await;
    let out = run(
        at_url(&url, &["get-users-count", "--network-id", DEMO_NETWORK_ID]),
        None,
    )
    .await;
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(254), "{err}");
    assert!(
        err.contains("An error occurred (404) when calling the GetUsersCount operation")
            && err.contains("HTTP 404"),
        "{err}"
    );
    let out = run(
        at_url(&url, &["users", "export", "--network-id", DEMO_NETWORK_ID]),
        None,
    )
    .await;
    let err = stderr(&out);
    assert_ne!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("404"), "{err}");
    server.abort();
}

#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_standard_output_stops_the_command_before_it_does_anything() {
    // `wickr-admin users export >&-`: the export's users would go nowhere, and the command
    // would say it exported them.
    use std::os::unix::process::CommandExt;
    let emu = emulator().await;
    let args = at(&emu, &["users", "export", "--network-id", DEMO_NETWORK_ID]);
    let out = tokio::task::spawn_blocking(move || {
        let mut command = command(&args);
        command.stdout(std::process::Stdio::null());
        // SAFETY: only close(2) runs in the child between fork and exec.
        unsafe {
            command.pre_exec(|| {
                libc::close(1);
                Ok(())
            });
        }
        command.output().expect("run wickr-admin")
    })
    .await
    .expect("join");
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("standard output is closed"), "{err}");
    assert!(!err.contains("exported"), "{err}");
}

#[cfg(all(
    target_os = "linux",
    target_env = "gnu",
    target_pointer_width = "64",
    target_endian = "little"
))]
#[test]
fn the_command_is_linked_with_packed_relocations_when_the_build_found_them_to_work() {
    /// The section types of the ELF file at `path` (64-bit, little-endian).
    fn elf_section_types(path: &str) -> Vec<u32> {
        let bytes = std::fs::read(path).expect("read the binary");
        let u16_at = |at: usize| u16::from_le_bytes(bytes[at..at + 2].try_into().expect("2 bytes"));
        let u32_at = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
        let u64_at = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"));
        assert_eq!(&bytes[..4], b"\x7fELF", "{path} is not an ELF file");
        assert_eq!(bytes[4], 2, "{path} is not a 64-bit ELF file");
        let table = usize::try_from(u64_at(0x28)).expect("section table offset");
        let entry = usize::from(u16_at(0x3A));
        let count = usize::from(u16_at(0x3C));
        (0..count).map(|i| u32_at(table + i * entry + 4)).collect()
    }

    // The build script links the command with `DT_RELR` when a probe built that way runs here:
    // 0.9 MB less for the loader to read and keep at each start.
    const SHT_RELR: u32 = 19;
    let packed = env!("WICKR_ADMIN_PACKED_RELOCATIONS") == "true";
    let types = elf_section_types(cli_support::BIN);
    assert_eq!(
        types.contains(&SHT_RELR),
        packed,
        "the build script decided packed relocations {}, the binary's sections say otherwise",
        if packed { "work" } else { "do not work" }
    );
    // And the command it links runs.
    let out = std::process::Command::new(cli_support::BIN)
        .arg("--version")
        .output()
        .expect("run wickr-admin");
    assert!(out.status.success(), "{}", stderr(&out));
}
