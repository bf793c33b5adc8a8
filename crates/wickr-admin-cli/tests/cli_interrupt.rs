//! The binary against endpoints that never answer, and interrupted by SIGINT and SIGTERM: it
//! always ends, within the timeouts or a few seconds of the signal, with the report and the
//! summary of what is known.

mod cli_support;

use std::process::{Child, Output};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use cli_support::*;
use tokio::io::AsyncReadExt;
use wickr_admin_local::{Emulator, DEMO_NETWORK_ID};

/// Longest the binary may run in any test below before the test calls it a hang.
const HANG: Duration = Duration::from_secs(90);

/// A listener on 127.0.0.1 that accepts connections, reads what comes, and never answers.
struct Silent {
    url: String,
    /// Connections that sent something.
    requests: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Silent {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Silent {
    async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let requests = Arc::new(AtomicU64::new(0));
        let counter = requests.clone();
        let task = tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let counter = counter.clone();
                tokio::spawn(async move {
                    let mut buf = [0u8; 16 * 1024];
                    let mut counted = false;
                    while let Ok(n) = stream.read(&mut buf).await {
                        if n == 0 {
                            break;
                        }
                        if !counted {
                            counted = true;
                            counter.fetch_add(1, Ordering::SeqCst);
                        }
                    }
                });
            }
        });
        Self {
            url,
            requests,
            task,
        }
    }

    fn requests(&self) -> u64 {
        self.requests.load(Ordering::SeqCst)
    }
}

/// An emulator with the demo network that holds back every answer for `delay` (`1s`, `300ms`).
async fn answering_after(delay: &str) -> wickr_admin_local::RunningEmulator {
    Emulator::builder()
        .seed_demo_network(true)
        .faults(format!("delay=1.0:{delay}").parse().expect("fault spec"))
        .start()
        .await
        .expect("emulator starts")
}

/// Waits for the child to end; kills it and fails the test if it runs past [`HANG`].
async fn finish(child: Child) -> Output {
    let pid = child.id();
    let waiting = tokio::task::spawn_blocking(move || child.wait_with_output());
    match tokio::time::timeout(HANG, waiting).await {
        Ok(joined) => joined.expect("join").expect("wait for wickr-admin"),
        Err(_) => {
            // SAFETY: kill(2) on the pid of a child this test started and has not reaped.
            unsafe { libc::kill(pid as libc::pid_t, libc::SIGKILL) };
            panic!("wickr-admin ran past {HANG:?}");
        }
    }
}

fn signal(child: &Child, signal: libc::c_int) {
    // SAFETY: kill(2) on the pid of a child this test started and has not reaped.
    let sent = unsafe { libc::kill(child.id() as libc::pid_t, signal) };
    assert_eq!(sent, 0, "kill({signal})");
}

async fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < HANG, "waited too long for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operation_on_a_silent_endpoint_ends_with_a_timeout_error() {
    let silent = Silent::start().await;
    let dir = scratch("silent-op");
    let input = dir.join("count.json");
    std::fs::write(&input, format!("{{\"networkId\":\"{DEMO_NETWORK_ID}\"}}")).unwrap();
    let child = spawn(&[
        "--endpoint-url".into(),
        silent.url.clone(),
        "--cli-read-timeout".into(),
        "1".into(),
        "get-users-count".into(),
        "--cli-input-json".into(),
        input.display().to_string(),
    ]);
    let out = finish(child).await;
    // 255: the call did not complete and the service said nothing (the AWS CLI's code).
    assert_eq!(out.status.code(), Some(255), "{}", stderr(&out));
    assert!(stderr(&out).contains("timed out"), "{}", stderr(&out));
    assert!(
        silent.requests() >= 3,
        "a timeout is retried within the attempt budget"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_on_a_silent_endpoint_reports_sent_rows_unknown_and_exits_3() {
    let silent = Silent::start().await;
    let dir = scratch("silent-import");
    let file = users_file(&dir, "users.csv", "silent", 120);
    let report = dir.join("report.csv");
    let child = spawn(&import_args_at(
        &silent.url,
        &file,
        &[
            "--cli-read-timeout",
            "1",
            "--concurrency",
            "1",
            "--report",
            report.to_str().unwrap(),
            "--output",
            "json",
        ],
    ));
    let out = finish(child).await;
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let summary = json_summary(&out);
    assert_eq!(summary["unknown"], 100, "{summary}");
    assert_eq!(summary["notAttempted"], 20, "{summary}");
    let rows = read_report(&report);
    assert_eq!(rows.len(), 120);
    assert_eq!(rows[0]["outcome"], "unknown");
    assert_eq!(rows[119]["outcome"], "not-attempted");
}

/// Starts an import against a silent endpoint with no read timeout (it would wait forever) and
/// returns the child once its first calls are out.
async fn import_waiting_forever(silent: &Silent, dir: &std::path::Path) -> Child {
    let file = users_file(dir, "users.csv", "forever", 300);
    let report = dir.join("report.csv");
    let child = spawn(&import_args_at(
        &silent.url,
        &file,
        &[
            "--cli-read-timeout",
            "0",
            "--concurrency",
            "2",
            "--report",
            report.to_str().unwrap(),
            "--output",
            "json",
        ],
    ));
    wait_for("the first calls", || silent.requests() >= 2).await;
    child
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigint_and_sigterm_end_an_import_with_its_report_and_summary() {
    for sig in [libc::SIGINT, libc::SIGTERM] {
        let silent = Silent::start().await;
        let dir = scratch("signal");
        let child = import_waiting_forever(&silent, &dir).await;
        signal(&child, sig);
        let out = finish(child).await;
        // The two calls in flight never end: after the grace they are abandoned, their rows
        // unknown (exit 3); the rest were never sent.
        assert_eq!(out.status.code(), Some(3), "signal {sig}: {}", stderr(&out));
        let summary = json_summary(&out);
        assert_eq!(summary["cancelled"], true, "{summary}");
        assert_eq!(summary["unknown"], 100, "{summary}");
        assert_eq!(summary["notAttempted"], 200, "{summary}");
        let rows = read_report(&dir.join("report.csv"));
        assert_eq!(rows.len(), 300);
        assert!(rows[0]["reason"].contains("interrupted"), "{:?}", rows[0]);
        // The job stopped reading at the signal; the command reports the rest of the file.
        assert_eq!(rows[299]["outcome"], "not-attempted");
        assert!(
            rows[299]["reason"].contains("interrupted"),
            "{:?}",
            rows[299]
        );
        let err = stderr(&out);
        assert!(err.contains("sending nothing new"), "{err}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_signal_abandons_calls_in_flight_at_once() {
    let silent = Silent::start().await;
    let dir = scratch("twice");
    let child = import_waiting_forever(&silent, &dir).await;
    signal(&child, libc::SIGINT);
    tokio::time::sleep(Duration::from_millis(100)).await;
    signal(&child, libc::SIGINT);
    let out = finish(child).await;
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("stopping now"), "{}", stderr(&out));
    assert_eq!(read_report(&dir.join("report.csv")).len(), 300);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_lets_calls_in_flight_finish_and_reports_them_truthfully() {
    // Every answer takes a second: the calls in flight when SIGTERM comes end within the grace.
    let emu = answering_after("1s").await;
    let dir = scratch("sigterm-finish");
    let file = users_file(&dir, "users.csv", "graceful", 300);
    let report = dir.join("report.csv");
    let child = spawn(&import_args(
        &emu,
        &file,
        &[
            "--concurrency",
            "2",
            "--report",
            report.to_str().unwrap(),
            "--output",
            "json",
        ],
    ));
    wait_for("the first calls", || emu.faults_injected().delay >= 2).await;
    signal(&child, libc::SIGTERM);
    let out = finish(child).await;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let summary = json_summary(&out);
    let created = summary["created"].as_u64().unwrap();
    assert!((100..300).contains(&created), "{summary}");
    assert_eq!(summary["unknown"], 0, "{summary}");
    assert_eq!(
        created + summary["notAttempted"].as_u64().unwrap(),
        300,
        "{summary}"
    );
    // What the report calls created is exactly what the network gained.
    let names = usernames(&emu).await;
    assert_eq!(
        names.iter().filter(|n| n.starts_with("graceful")).count() as u64,
        created
    );
    let rows = read_report(&report);
    assert_eq!(
        rows.iter().filter(|r| r["outcome"] == "created").count() as u64,
        created
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_import_leaves_no_scratch_file_behind() {
    // Standard input is copied to a scratch file as it is read, to be read again; SIGKILL gives
    // the process no chance to remove it, so the file must be gone from its directory already.
    let emu = emulator().await;
    let dir = scratch("killed-scratch");
    let tmp = dir.join("tmp");
    std::fs::create_dir_all(&tmp).expect("tmp dir");
    let mut args = import_args(&emu, std::path::Path::new("-"), &[]);
    args.push("--dry-run".into());
    let mut child = command(&args)
        .env("TMPDIR", &tmp)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("start wickr-admin");
    let mut input = child.stdin.take().expect("stdin");
    let child = tokio::task::spawn_blocking(move || {
        use std::io::Write;
        // Far more than a pipe holds: once written, the import has read (and copied) most of it.
        let mut rows = String::from("username,firstName,lastName\n");
        for i in 0..40_000 {
            rows.push_str(&format!("killed{i}@example.com,F{i},L{i}\n"));
        }
        input
            .write_all(rows.as_bytes())
            .expect("the import reads its input");
        // The input stays open: the import is still reading when it is killed.
        signal(&child, libc::SIGKILL);
        let status = child.wait_with_output().expect("wait");
        drop(input);
        status
    })
    .await
    .expect("joined");
    assert_eq!(
        std::os::unix::process::ExitStatusExt::signal(&child.status),
        Some(libc::SIGKILL)
    );
    let left: Vec<_> = std::fs::read_dir(&tmp)
        .expect("tmp dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_import_into_a_report_being_written_is_refused() {
    // Two imports given one --report: the second, started while the first writes it, would empty
    // the first one's report and take its resume file. It is refused, sends nothing, and the
    // first ends with its whole report.
    let emu = answering_after("300ms").await;
    let dir = scratch("shared-report");
    let first_file = users_file(&dir, "first.csv", "first-writer-", 200);
    let second_file = users_file(&dir, "second.csv", "second-writer-", 50);
    let report = dir.join("report.csv");
    let first = spawn(&import_args(
        &emu,
        &first_file,
        &["--concurrency", "1", "--report", report.to_str().unwrap()],
    ));
    wait_for("the first call", || emu.faults_injected().delay >= 1).await;
    let out = run(
        import_args(&emu, &second_file, &["--report", report.to_str().unwrap()]),
        None,
    )
    .await;
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("being written by another command"), "{err}");
    let out = finish(first).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows = all_created(&report, 200);
    assert!(rows
        .iter()
        .all(|r| r["username"].starts_with("first-writer-")));
    let names = usernames(&emu).await;
    assert!(!names.iter().any(|n| n.starts_with("second-writer-")));
    // The resume file is the first job's: resuming it finds every row settled.
    let out = run(
        import_args(
            &emu,
            &first_file,
            &["--report", report.to_str().unwrap(), "--resume"],
        ),
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_local_import_resumed_reports_what_the_first_run_created() {
    // The sandbox runs in the command's process: killed, the command takes the emulator with it.
    // The sandbox's journal keeps every change and its client token, and its state file the
    // answers under the tokens, so the job resumed in a new process gets the answers the first
    // run was given ("created", with the user's id), not "already exists" for the users the
    // first run made; even when another command ran in the sandbox between the two, which
    // writes the state file and drops the journal.
    let dir = scratch("killed-local");
    let state = dir.join("state.json");
    let file = users_file(&dir, "users.csv", "killed-local-", 20_000);
    let report = dir.join("report.csv");
    let partial = dir.join("report.csv.partial");
    let args = |resume: bool| {
        let mut args = strings(&[
            "--local",
            "--local-state",
            state.to_str().unwrap(),
            "users",
            "import",
            file.to_str().unwrap(),
            "--report",
            report.to_str().unwrap(),
            "--concurrency",
            "8",
        ]);
        if resume {
            args.push("--resume".to_string());
        }
        args
    };
    let child = spawn(&args(false));
    // Killed once some users are reported, while others are being sent.
    wait_for("rows in the partial report", || {
        std::fs::read(&partial).is_ok_and(|text| text.iter().filter(|&&b| b == b'\n').count() > 500)
    })
    .await;
    signal(&child, libc::SIGKILL);
    let killed = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .expect("joined")
        .expect("wait");
    assert_eq!(
        std::os::unix::process::ExitStatusExt::signal(&killed.status),
        Some(libc::SIGKILL),
        "killed before it finished"
    );

    let pending = || async {
        let out = run(
            strings(&[
                "--local",
                "--local-state",
                state.to_str().unwrap(),
                "get-users-count",
                "--network-id",
                DEMO_NETWORK_ID,
            ]),
            None,
        )
        .await;
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let count: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        count["pending"].as_u64().unwrap()
    };
    // What an administrator looks at before resuming.
    let before = pending().await;
    assert!(
        before < 20_000,
        "the first run was killed halfway: {before}"
    );

    let out = run(args(true), None).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows = all_created(&report, 20_000);
    assert!(
        rows.iter().all(|row| !row["userId"].is_empty()),
        "every created row names its user"
    );
    assert_eq!(pending().await, 20_000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupted_export_says_how_many_users_its_partial_file_holds() {
    // Every answer takes 300 ms, so the signal comes with some pages written and more to come.
    let emu = answering_after("300ms").await;
    let names: Vec<String> = (0..600)
        .map(|i| format!("listed-{i}@example.com"))
        .collect();
    create_users(&emu, &names).await;
    let dir = scratch("export-signal");
    for (sig, code) in [(libc::SIGINT, 130), (libc::SIGTERM, 143)] {
        let file = dir.join(format!("users-{sig}.csv"));
        let partial = dir.join(format!("users-{sig}.csv.partial"));
        let before = emu.faults_injected().delay;
        let child = spawn(&export_args(&emu, &file));
        // The count, then two pages.
        wait_for("two pages", || emu.faults_injected().delay >= before + 3).await;
        signal(&child, sig);
        let out = finish(child).await;
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(code), "signal {sig}: {err}");
        let holds = format!("{} holds the ", partial.display());
        let said: u64 = err
            .split(holds.as_str())
            .nth(1)
            .and_then(|rest| rest.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no count of the users written: {err}"));
        assert!(err.contains("the export stopped"), "{err}");
        assert!(err.contains("is not complete"), "{err}");
        assert!(!file.exists(), "an interrupted export is not put in place");
        // What the line says is what the file holds: a header and one line per user.
        let lines = std::fs::read_to_string(&partial)
            .expect("partial file")
            .lines()
            .count();
        assert_eq!(lines as u64, said + 1, "{err}");
        assert!((100..=600).contains(&said), "{err}");
    }
}

/// The two ends of a new pseudo-terminal: the side a test writes to, and the side a child reads
/// as its standard input.
fn pseudo_terminal() -> (std::fs::File, std::fs::File) {
    use std::os::fd::FromRawFd;
    // SAFETY: posix_openpt, grantpt, unlockpt and ptsname on a descriptor this test opens and
    // owns; ptsname's buffer is copied before any other call could change it.
    unsafe {
        let master = libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY);
        assert!(master >= 0, "posix_openpt");
        assert_eq!(libc::grantpt(master), 0, "grantpt");
        assert_eq!(libc::unlockpt(master), 0, "unlockpt");
        let name = libc::ptsname(master);
        assert!(!name.is_null(), "ptsname");
        let name = std::ffi::CStr::from_ptr(name).to_string_lossy().to_string();
        let terminal = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&name)
            .expect("open the terminal side");
        (std::fs::File::from_raw_fd(master), terminal)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_at_the_deletion_question_ends_the_command_at_once_and_deletes_nothing() {
    use std::io::Read;
    let emu = emulator().await;
    let names: Vec<String> = (0..3).map(|i| format!("asked-{i}@example.com")).collect();
    create_users(&emu, &names).await;
    let dir = scratch("delete-question");
    let file = dir.join("leavers.txt");
    std::fs::write(&file, names.join("\n")).unwrap();
    let (_master, terminal) = pseudo_terminal();
    let mut child = command(&at(
        &emu,
        &[
            "users",
            "delete",
            file.to_str().unwrap(),
            "--network-id",
            DEMO_NETWORK_ID,
        ],
    ))
    .stdin(terminal)
    .stdout(std::process::Stdio::null())
    .stderr(std::process::Stdio::piped())
    .spawn()
    .expect("start the command");
    // The question is the last thing written before the command waits; read up to it.
    let mut err = child.stderr.take().expect("stderr");
    let mut said = Vec::new();
    let mut buf = [0u8; 256];
    while !String::from_utf8_lossy(&said).contains("Type yes to go on") {
        let n = err.read(&mut buf).expect("read the question");
        assert!(
            n > 0,
            "ended before asking: {}",
            String::from_utf8_lossy(&said)
        );
        said.extend_from_slice(&buf[..n]);
    }
    signal(&child, libc::SIGINT);
    // Without an answer the command must not wait for Enter: it ends within the hang bound.
    let ended = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if ended.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the command still waits for an answer 10 s after Ctrl-C");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let _ = err.read_to_end(&mut said);
    let said = String::from_utf8_lossy(&said);
    assert_eq!(status.code(), Some(2), "{said}");
    assert!(said.contains("nothing was deleted"), "{said}");
    let left = network_users(&emu).await;
    assert!(
        names.iter().all(|n| left.contains_key(n)),
        "deleted: {said}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_job_killed_before_its_report_is_written_does_not_resume_from_another_jobs() {
    // A first job creates 100 users and writes report.csv. The file is then edited (same
    // usernames, other first names), and a new job on the same report path is killed after its
    // first call, before its report is in place: report.csv is still the first job's. Resumed,
    // the new job must not take those rows for its own: the first job created the users, and
    // for the new one they already existed.
    let emu = answering_after("200ms").await;
    let dir = scratch("other-jobs-report");
    let report = dir.join("report.csv");
    let report_arg = report.to_str().unwrap();
    let first = users_file(&dir, "first.csv", "two-jobs-", 100);
    let out = run(import_args(&emu, &first, &["--report", report_arg]), None).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    all_created(&report, 100);

    let second = dir.join("second.csv");
    let edited = std::fs::read_to_string(&first)
        .unwrap()
        .replace(",F", ",Renamed");
    std::fs::write(&second, edited).unwrap();
    let before = emu.faults_injected().delay;
    let child = spawn(&import_args(
        &emu,
        &second,
        &["--concurrency", "1", "--report", report_arg],
    ));
    wait_for("the new job's first call", || {
        emu.faults_injected().delay > before
    })
    .await;
    signal(&child, libc::SIGKILL);
    finish(child).await;

    let out = run(
        import_args(&emu, &second, &["--report", report_arg, "--resume"]),
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows = read_report(&report);
    assert_eq!(rows.len(), 100);
    assert!(
        rows.iter().all(|row| row["outcome"] == "already-existed"),
        "{:?}",
        rows.iter()
            .map(|row| row["outcome"].as_str())
            .collect::<std::collections::HashSet<_>>()
    );
}
