//! The `wickr-admin` binary end to end, against an emulator started in the test on 127.0.0.1.

mod cli_support;

use std::collections::HashSet;

use cli_support::*;
use wickr_admin_local::{Emulator, DEMO_GROUP_ID, DEMO_NETWORK_ID};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn importing_twice_creates_once_and_accounts_for_every_row() {
    let emu = emulator().await;
    let dir = scratch("twice");
    let before = usernames(&emu).await.len();
    let first_report = dir.join("first.csv");
    let out = run(
        import_args(
            &emu,
            &examples_users_csv(),
            &["--report", first_report.to_str().unwrap()],
        ),
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("created") && stdout.contains("300"),
        "{stdout}"
    );
    let first = read_report(&first_report);
    assert_eq!(first.len(), 300);
    assert!(first.iter().all(|r| r["outcome"] == "created"));
    assert_eq!(first[0]["line"], "2");
    assert_eq!(usernames(&emu).await.len(), before + 300);

    let second_report = dir.join("second.json");
    let out = run(
        import_args(
            &emu,
            &examples_users_csv(),
            &[
                "--report",
                second_report.to_str().unwrap(),
                "--output",
                "json",
            ],
        ),
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // A second import is a new job: nothing it sends is answered with the first one's result,
    // so it reports what is true of it: every user existed already.
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON summary");
    assert_eq!(summary["created"], 0, "{summary}");
    assert_eq!(summary["alreadyExisted"], 300, "{summary}");
    let second: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(&second_report).unwrap()).unwrap();
    assert_eq!(second.len(), 300);
    for (a, b) in first.iter().zip(&second) {
        assert_eq!(a["username"], b["username"].as_str().unwrap());
        assert_eq!(b["outcome"], "already-existed");
    }
    assert_eq!(usernames(&emu).await.len(), before + 300);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_lists_every_problem_and_sends_nothing() {
    let emu = emulator().await;
    let dir = scratch("bad");
    let file = dir.join("bad.csv");
    std::fs::write(
        &file,
        "username,firstName,lastName,inviteCodeTtl,codeValidation\n\
         ok1@example.com,Ann,Lee,,\n\
         ,Bob,Ray,,\n\
         ok1@example.com,Cy,Doe,,\n\
         ttl@example.com,Dee,Fox,soon,\n\
         bool@example.com,Eve,Gil,,perhaps\n\
         short@example.com,Fay\n\
         ok2@example.com,Gus,Hay,,\n",
    )
    .unwrap();
    let before = usernames(&emu).await.len();
    let report = dir.join("report.csv");
    let out = run(
        import_args(&emu, &file, &["--report", report.to_str().unwrap()]),
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    for expected in [
        "line 3: username",
        "line 4: username",
        "line 5: inviteCodeTtl",
        "line 6: codeValidation",
        "line 7: row",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    // Sensitive values are not echoed.
    assert!(!err.contains("Bob") && !err.contains("Fay"), "{err}");
    assert_eq!(usernames(&emu).await.len(), before);
    let rows = read_report(&report);
    assert_eq!(rows.len(), 7);
    assert_eq!(rows.iter().filter(|r| r["outcome"] == "invalid").count(), 5);

    // Unknown columns are refused as a whole.
    let unknown = dir.join("unknown.csv");
    std::fs::write(&unknown, "username,email\na@example.com,a@example.com\n").unwrap();
    let out = run(import_args(&emu, &unknown, &[]), None).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("email"), "{}", stderr(&out));

    // A bad network id is bad input too.
    let mut args = import_args(&emu, &examples_users_csv(), &[]);
    let at = args.iter().position(|a| a == DEMO_NETWORK_ID).unwrap();
    args[at] = "1234".into();
    let out = run(args, None).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--network-id"), "{}", stderr(&out));
    assert_eq!(usernames(&emu).await.len(), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn skip_invalid_imports_the_valid_rows() {
    let emu = emulator().await;
    let dir = scratch("skip");
    let file = dir.join("users.jsonl");
    std::fs::write(
        &file,
        "{\"username\":\"j1@example.com\",\"firstName\":\"J\"}\n\
         {\"username\":\"j2@example.com\",\"inviteCodeTtl\":\"x\"}\n\
         \n\
         {\"username\":\"j3@example.com\",\"codeValidation\":true}\n",
    )
    .unwrap();
    let report = dir.join("report.csv");
    let out = run(
        import_args(
            &emu,
            &file,
            &["--skip-invalid", "--report", report.to_str().unwrap()],
        ),
        None,
    )
    .await;
    // Not every row made it, so the exit code says so.
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let rows = read_report(&report);
    let outcomes: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["line"].as_str(), r["outcome"].as_str()))
        .collect();
    assert_eq!(
        outcomes,
        vec![("1", "created"), ("2", "invalid"), ("4", "created")]
    );
    let names = usernames(&emu).await;
    assert!(names.contains(&"j1@example.com".to_string()));
    assert!(names.contains(&"j3@example.com".to_string()));
    assert!(!names.contains(&"j2@example.com".to_string()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dry_run_sends_nothing() {
    let emu = emulator().await;
    let dir = scratch("dry");
    let report = dir.join("report.csv");
    let before = usernames(&emu).await.len();
    let out = run(
        import_args(
            &emu,
            &examples_users_csv(),
            &["--dry-run", "--report", report.to_str().unwrap()],
        ),
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows = read_report(&report);
    assert_eq!(rows.len(), 300);
    assert!(rows.iter().all(|r| r["outcome"] == "valid"));
    assert_eq!(usernames(&emu).await.len(), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_thousand_users_through_faults_end_up_exactly_once() {
    let spec = "429=0.03,500=0.03,reset=0.03,lost=0.03"
        .parse()
        .expect("fault spec");
    let emu = Emulator::builder()
        .seed_demo_network(true)
        .faults(spec)
        .fault_seed(20_261_128)
        .start()
        .await
        .expect("emulator starts");
    let dir = scratch("faults");
    let file = dir.join("users.csv");
    let mut text = String::from("username,firstName,lastName\n");
    for i in 0..5000 {
        text.push_str(&format!("fault{i}@example.com,F{i},L{i}\n"));
    }
    std::fs::write(&file, text).unwrap();
    let report = dir.join("report.csv");
    let out = run(
        import_args(
            &emu,
            &file,
            &[
                "--concurrency",
                "8",
                "--report",
                report.to_str().unwrap(),
                "--output",
                "json",
            ],
        ),
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let summary = json_summary(&out);
    // Throttled, the job ran fewer calls at times, never more than it was given.
    assert_eq!(summary["maxCallsAtOnce"], 8, "{summary}");
    assert!(summary["throttled"].as_u64().unwrap() > 0, "{summary}");
    let rows = read_report(&report);
    assert_eq!(rows.len(), 5000);
    assert!(
        rows.iter()
            .all(|r| r["outcome"] == "created" || r["outcome"] == "already-existed"),
        "{:?}",
        rows.iter().find(|r| r["outcome"] != "created")
    );
    let ids: HashSet<&str> = rows.iter().map(|r| r["userId"].as_str()).collect();
    assert_eq!(ids.len(), 5000, "every row names its own user");
    let names = usernames(&emu).await;
    let unique: HashSet<&String> = names.iter().collect();
    assert_eq!(
        names.len(),
        5001,
        "5,000 users plus the seeded administrator"
    );
    assert_eq!(unique.len(), names.len(), "no duplicates");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn local_mode_needs_no_account() {
    let dir = scratch("local");
    let out = run(
        vec![
            "--local".into(),
            "--local-state".into(),
            dir.join("state.json").display().to_string(),
            "users".into(),
            "import".into(),
            examples_users_csv().display().to_string(),
            "--output".into(),
            "json".into(),
        ],
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON summary");
    assert_eq!(summary["created"], 300);
    assert_eq!(summary["networkId"], DEMO_NETWORK_ID);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operations_take_json_input_and_print_json_output() {
    let emu = emulator().await;
    let input = format!(
        "{{\"networkId\":\"{DEMO_NETWORK_ID}\",\"users\":[{{\"username\":\"op@example.com\",\"securityGroupIds\":[\"{DEMO_GROUP_ID}\"]}}]}}"
    );
    let out = run(
        vec![
            "--endpoint-url".into(),
            emu.endpoint_url(),
            "batch-create-user".into(),
            "--cli-input-json".into(),
            "-".into(),
        ],
        Some(input),
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let output: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    assert_eq!(output["successful"][0]["username"], "op@example.com");

    let dir = scratch("ops");
    let count_input = dir.join("count.json");
    std::fs::write(
        &count_input,
        format!("{{\"networkId\":\"{DEMO_NETWORK_ID}\"}}"),
    )
    .unwrap();
    let out = run(
        vec![
            "--endpoint-url".into(),
            emu.endpoint_url(),
            "get-users-count".into(),
            "--cli-input-json".into(),
            count_input.display().to_string(),
        ],
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let output: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    assert_eq!(output["total"], 2);

    // Input that is not the operation's shape is refused before sending.
    let out = run(
        vec![
            "--endpoint-url".into(),
            emu.endpoint_url(),
            "get-users-count".into(),
            "--cli-input-json".into(),
            "-".into(),
        ],
        Some("{\"networkId\": 5}".into()),
    )
    .await;
    // 252: the AWS CLI's code for command-line input that cannot be used.
    assert_eq!(out.status.code(), Some(252), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_path_that_cannot_be_written_stops_before_sending() {
    let emu = emulator().await;
    let dir = scratch("badreport");
    let before = usernames(&emu).await.len();
    let report = dir.join("no-such-dir").join("report.csv");
    let out = run(
        import_args(
            &emu,
            &examples_users_csv(),
            &["--report", report.to_str().unwrap()],
        ),
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--report"), "{}", stderr(&out));
    assert_eq!(usernames(&emu).await.len(), before, "nothing was sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_network_id_does_not_hide_the_row_problems() {
    let emu = emulator().await;
    let dir = scratch("badnet");
    let file = dir.join("users.csv");
    std::fs::write(
        &file,
        "username,firstName,securityGroupId\n\
         ok@example.com,Ann,\n\
         ,Bob,SG1\n",
    )
    .unwrap();
    let before = usernames(&emu).await.len();
    let out = run(
        vec![
            "--endpoint-url".into(),
            emu.endpoint_url(),
            "users".into(),
            "import".into(),
            file.display().to_string(),
            "--network-id".into(),
            "1234".into(),
            "--security-group-id".into(),
            "bad group".into(),
        ],
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    for expected in [
        "--network-id",
        "--security-group-id",
        // The default group is checked on the row that takes it, as a call would check it.
        "line 2: securityGroupIds[0]",
        "line 3: username",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    assert_eq!(usernames(&emu).await.len(), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn local_refuses_a_region() {
    let out = run(
        vec![
            "--local".into(),
            "--region".into(),
            "eu-west-1".into(),
            "users".into(),
            "import".into(),
            examples_users_csv().display().to_string(),
        ],
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("--region") && err.contains("--local"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_json_members_are_refused_before_sending() {
    let emu = emulator().await;
    let before = usernames(&emu).await.len();
    let input = format!(
        "{{\"networkId\":\"{DEMO_NETWORK_ID}\",\"users\":[{{\"username\":\"typo@example.com\",\"frstName\":\"T\",\"securityGroupIds\":[\"{DEMO_GROUP_ID}\"]}}],\"clientTokn\":\"t1\"}}"
    );
    let out = run(
        vec![
            "--endpoint-url".into(),
            emu.endpoint_url(),
            "batch-create-user".into(),
            "--cli-input-json".into(),
            "-".into(),
        ],
        Some(input),
    )
    .await;
    assert_eq!(out.status.code(), Some(252), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("users[0].frstName") && err.contains("clientTokn"),
        "{err}"
    );
    assert_eq!(usernames(&emu).await.len(), before, "nothing was sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_summary_no_one_reads_leaves_the_import_and_its_exit_code_whole() {
    let emu = emulator().await;
    let dir = scratch("stdout-closed");
    let before = usernames(&emu).await.len();
    for output in ["table", "json"] {
        let file = users_file(
            &dir,
            &format!("{output}.csv"),
            &format!("closed-{output}-"),
            120,
        );
        let report = dir.join(format!("report-{output}.csv"));
        let out = run_stdout_closed(import_args(
            &emu,
            &file,
            &["--report", report.to_str().unwrap(), "--output", output],
        ))
        .await;
        let err = stderr(&out);
        assert!(!err.contains("panicked"), "{output}: {err}");
        assert!(
            err.contains("the summary could not be shown: cannot write to standard output"),
            "{output}: {err}"
        );
        // Every user is in the network, as the exit code says and the report shows.
        assert_eq!(out.status.code(), Some(0), "{output}: {err}");
        all_created(&report, 120);
    }
    assert_eq!(usernames(&emu).await.len(), before + 240);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_whose_output_no_one_reads_finishes_its_work() {
    // As `wickr-admin users import F 2>&1 | head -1`: the progress lines, the notes and the
    // summary have nowhere to go once the reader is gone; the import goes on to its end.
    let emu = emulator().await;
    let dir = scratch("all-output-closed");
    let before = usernames(&emu).await.len();
    let file = users_file(&dir, "users.csv", "unheard-", 300);
    let report = dir.join("report.csv");
    let status = run_output_closed(import_args(
        &emu,
        &file,
        &["--report", report.to_str().unwrap()],
    ))
    .await;
    assert_eq!(status.code(), Some(0), "{status}");
    all_created(&report, 300);
    assert_eq!(usernames(&emu).await.len(), before + 300);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_region_nothing_is_sent_and_a_bad_file_is_still_named() {
    // The AWS configuration is read while the file is checked; what each finds is still said,
    // the file's problems first, and nothing is sent.
    let emu = emulator().await;
    let dir = scratch("no-region");
    let before = usernames(&emu).await.len();
    let good = users_file(&dir, "good.csv", "regionless-", 5);
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "username,firstName\n,NoName\n").expect("write");
    for (file, expected) in [(&good, "no region"), (&bad, "missing username")] {
        let args = import_args(&emu, file, &[]);
        let out = tokio::task::spawn_blocking(move || {
            command(&args)
                .env_remove("AWS_REGION")
                .env_remove("AWS_DEFAULT_REGION")
                .output()
                .expect("wickr-admin runs")
        })
        .await
        .expect("joined");
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains(expected), "{err}");
        assert!(err.contains("nothing was sent"), "{err}");
    }
    assert_eq!(usernames(&emu).await.len(), before);
}

fn mkfifo(path: &std::path::Path) {
    let name = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo(3) with a NUL-terminated path the test owns.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0, "mkfifo");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_path_that_is_not_a_regular_file_is_refused_before_sending() {
    // The report is written beside its path and moved into its place: a directory, a FIFO or
    // a symbolic link there would be replaced. Each is refused, nothing is sent, and the path is
    // left as it was.
    let emu = emulator().await;
    let dir = scratch("report-not-regular");
    let before = usernames(&emu).await.len();
    let file = users_file(&dir, "users.csv", "not-regular-", 3);
    let directory = dir.join("a-directory");
    std::fs::create_dir(&directory).unwrap();
    let fifo = dir.join("a-fifo");
    mkfifo(&fifo);
    let target = dir.join("target.csv");
    std::fs::write(&target, "kept\n").unwrap();
    let link = dir.join("link.csv");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    for (report, expected) in [
        (&directory, "is a directory"),
        (&fifo, "not a regular file"),
        (&link, "a symbolic link"),
    ] {
        let out = run(
            import_args(&emu, &file, &["--report", report.to_str().unwrap()]),
            None,
        )
        .await;
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains(expected), "{err}");
    }
    assert!(directory.is_dir());
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "kept\n");
    {
        use std::os::unix::fs::FileTypeExt;
        assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    }
    let left: Vec<_> = std::fs::read_dir(&*dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".partial") || name.ends_with(".resume"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    // A link planted at the side file the report is written to first is not written through.
    let victim = dir.join("victim.txt");
    std::fs::write(&victim, "precious\n").unwrap();
    let planted = dir.join("planted.csv");
    std::os::unix::fs::symlink(&victim, dir.join("planted.csv.partial")).unwrap();
    let out = run(
        import_args(&emu, &file, &["--report", planted.to_str().unwrap()]),
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("a symbolic link"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    // The export refuses the same paths for its file.
    let out = run(export_args(&emu, &directory), None).await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("is a directory"), "{}", stderr(&out));
    assert_eq!(usernames(&emu).await.len(), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_users_file_that_is_a_fifo_is_read_once_and_imported_whole() {
    // A FIFO (as `<(command)` gives a pipe) cannot be opened and read a second time: the first
    // reading keeps a copy, as for standard input.
    let emu = emulator().await;
    let dir = scratch("fifo-input");
    let before = usernames(&emu).await.len();
    let fifo = dir.join("users.csv");
    mkfifo(&fifo);
    let mut text = String::from("username,firstName,lastName\n");
    for i in 0..120 {
        text.push_str(&format!("fifo{i}@example.com,F{i},L{i}\n"));
    }
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(&fifo, text))
    };
    let report = dir.join("report.csv");
    let out = tokio::time::timeout(
        std::time::Duration::from_secs(60),
        run(
            import_args(&emu, &fifo, &["--report", report.to_str().unwrap()]),
            None,
        ),
    )
    .await
    .expect("the import ends");
    writer.join().unwrap().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    all_created(&report, 120);
    assert_eq!(usernames(&emu).await.len(), before + 120);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usernames_differing_only_in_case_are_one_user_and_a_repeat() {
    // `users sync` takes usernames ignoring case; an import that created both would leave two
    // users sync counts as one (and with --delete-missing, deletes the one it did not pick).
    let emu = emulator().await;
    let dir = scratch("case-repeat");
    let before = usernames(&emu).await.len();
    let file = dir.join("users.csv");
    std::fs::write(
        &file,
        "username,firstName,lastName\ncase1@example.com,A,B\n CASE1@Example.com ,A,B\n",
    )
    .unwrap();
    let out = run(import_args(&emu, &file, &[]), None).await;
    let err = format!("{}{}", stderr(&out), String::from_utf8_lossy(&out.stdout));
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("line 3") && err.contains("first on line 2"),
        "{err}"
    );
    assert_eq!(usernames(&emu).await.len(), before);
    let report = dir.join("report.csv");
    let out = run(
        import_args(
            &emu,
            &file,
            &["--skip-invalid", "--report", report.to_str().unwrap()],
        ),
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let rows = read_report(&report);
    let outcomes: Vec<&str> = rows.iter().map(|r| r["outcome"].as_str()).collect();
    assert_eq!(outcomes, ["created", "invalid"]);
    assert_eq!(usernames(&emu).await.len(), before + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_keeps_rows_from_being_sent_is_said_as_it_is() {
    let emu = emulator().await;
    let dir = scratch("blocked-reasons");
    // Valid rows held back by a bad option: their reason names the options, and --skip-invalid
    // (which cannot help) is not offered.
    let file = users_file(&dir, "users.csv", "held-", 2);
    let report = dir.join("report.csv");
    let mut args = import_args(&emu, &file, &["--report", report.to_str().unwrap()]);
    let at = args.iter().position(|a| a == DEMO_NETWORK_ID).unwrap();
    args[at] = "1234".into();
    let out = run(args, None).await;
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(!err.contains("--skip-invalid"), "{err}");
    let rows = read_report(&report);
    assert_eq!(rows.len(), 2);
    for row in &rows {
        assert_eq!(row["outcome"], "not-attempted");
        assert!(row["reason"].contains("options"), "{row:?}");
        assert!(!row["reason"].contains("other rows are invalid"), "{row:?}");
    }
    // A file that cannot be used at all is not called empty, and --skip-invalid is not offered.
    let broken = dir.join("broken.csv");
    std::fs::write(
        &broken,
        b"username,firstName,lastName\nw1@example.com,A,B\nw2@example.com,Jos\xe9,B\n".as_slice(),
    )
    .unwrap();
    let out = run(import_args(&emu, &broken, &[]), None).await;
    let err = stderr(&out);
    let summary = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("not valid UTF-8"), "{err}");
    assert!(!err.contains("--skip-invalid"), "{err}");
    assert!(!summary.contains("the file has no rows"), "{summary}");
    assert!(summary.contains("no row is used"), "{summary}");
    // Invalid rows alone: --skip-invalid is the way on, and says so.
    let invalid = dir.join("invalid.csv");
    std::fs::write(&invalid, "username,firstName\nok@example.com,A\n,B\n").unwrap();
    let out = run(import_args(&emu, &invalid, &[]), None).await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--skip-invalid"), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resuming_with_a_report_that_is_not_one_is_refused() {
    let emu = emulator().await;
    let dir = scratch("resume-not-a-report");
    let file = users_file(&dir, "users.csv", "resume-garbage-", 3);
    let report = dir.join("report.csv");
    let out = run(
        import_args(&emu, &file, &["--report", report.to_str().unwrap()]),
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    std::fs::write(&report, "garbage\n").unwrap();
    let out = run(
        import_args(
            &emu,
            &file,
            &["--report", report.to_str().unwrap(), "--resume"],
        ),
        None,
    )
    .await;
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("is not a report of this command"), "{err}");
    assert!(err.contains("nothing was sent"), "{err}");
    assert_eq!(std::fs::read_to_string(&report).unwrap(), "garbage\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_username_a_bot_holds_is_a_failed_row_not_an_existing_user() {
    // Bots and users share a network's names. The service refuses the user; the report must not
    // say the user already exists, since no user has that name.
    let emu = emulator().await;
    emu.client()
        .create_bot()
        .network_id(DEMO_NETWORK_ID)
        .username("helper.bot")
        .display_name("Helper")
        .group_id(DEMO_GROUP_ID)
        .challenge("Secret-Passw0rd!xyz")
        .send()
        .await
        .expect("create the bot");
    let dir = scratch("bot-name");
    let file = dir.join("users.csv");
    std::fs::write(&file, "username,firstName,lastName\nhelper.bot,Help,Er\n").unwrap();
    let report = dir.join("report.csv");
    let out = run(
        import_args(&emu, &file, &["--report", report.to_str().unwrap()]),
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let rows = read_report(&report);
    assert_eq!(rows[0]["outcome"], "failed", "{:?}", rows[0]);
    assert!(rows[0]["reason"].contains("bot"), "{:?}", rows[0]);
}
