//! Every operation from the command line with member flags, against the emulator behind a
//! recording proxy: the flags make exactly the request the model's serializer makes for the same
//! input; skeletons list every member and read back; bad values, missing members and `file://`
//! input behave as the AWS CLI's do, and nothing is sent when the input is wrong.

mod cli_support;
mod operation_support;

use std::collections::BTreeSet;

use cli_support::{emulator, run, scratch, stderr, strings, usernames};
use operation_support::recorder::{Recorded, Recorder};
use operation_support::{examples, expected_request, flags_for, kebab, operation};
use serde_json::Value;
use wickr_admin::schema::{TypeInfo, OPERATIONS};
use wickr_admin_local::{DEMO_GROUP_ID, DEMO_NETWORK_ID};

fn endpoint(url: &str, rest: Vec<String>) -> Vec<String> {
    let mut args = vec!["--endpoint-url".to_owned(), url.to_owned()];
    args.extend(rest);
    args
}

/// The differences between a recorded request and the expected one, if any.
fn compare(name: &str, input: &Value, recorded: &Recorded) -> Vec<String> {
    let expected = expected_request(name, input);
    let mut differences = Vec::new();
    if recorded.method != expected.method {
        differences.push(format!("method {} != {}", recorded.method, expected.method));
    }
    if recorded.target != expected.uri {
        differences.push(format!("target {} != {}", recorded.target, expected.uri));
    }
    let body = |bytes: &[u8]| -> Value {
        if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(bytes).unwrap_or(Value::Null)
        }
    };
    let expected_body = body(expected.body.as_deref().unwrap_or_default());
    if body(&recorded.body) != expected_body {
        differences.push(format!(
            "body {} != {expected_body}",
            String::from_utf8_lossy(&recorded.body)
        ));
    }
    for (header, value) in &expected.headers {
        if recorded.header(header) != Some(value.as_str()) {
            differences.push(format!(
                "header {header}: {:?} != {value:?}",
                recorded.header(header)
            ));
        }
    }
    differences
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_takes_its_members_as_flags_and_sends_what_the_model_says() {
    let emu = emulator().await;
    let proxy = Recorder::start(&emu.endpoint_url()).await;
    let examples = examples();
    let mut failures = Vec::new();
    let mut answered = 0;
    // Operations that delete the demo network go last, so the others find it.
    let mut order: Vec<_> = OPERATIONS.iter().collect();
    order.sort_by_key(|op| op.name == "DeleteNetwork");
    for op in order {
        let Some(example) = examples.get(op.name).and_then(|list| list.first()) else {
            failures.push(format!("{}: no example to take flags from", op.name));
            continue;
        };
        let input = &example["input"];
        let mut args = vec![op.kebab_name.to_owned()];
        args.extend(flags_for(op, input));
        let out = run(endpoint(&proxy.url, args.clone()), None).await;
        let requests = proxy.take();
        match out.status.code() {
            Some(0) => {
                answered += 1;
                if serde_json::from_slice::<Value>(&out.stdout).is_err() && !out.stdout.is_empty() {
                    failures.push(format!("{}: output is not JSON", op.name));
                }
            }
            // A service error (e.g. an example's id the emulator does not have) still shows the
            // request was made and read.
            Some(254) if stderr(&out).contains(&format!("calling the {} operation", op.name)) => {}
            other => failures.push(format!(
                "{}: exit {other:?} for {args:?}: {}",
                op.name,
                stderr(&out)
            )),
        }
        match requests.as_slice() {
            [one] => {
                for difference in compare(op.kebab_name, input, one) {
                    failures.push(format!("{}: {difference}", op.name));
                }
            }
            other => failures.push(format!("{}: {} requests, not 1", op.name, other.len())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Most examples name the demo network's own resources and succeed; the count is printed.
    eprintln!(
        "{answered} of {} operations answered with success",
        OPERATIONS.len()
    );
    assert!(answered > 0);
}

/// The members of a structure shape in the model file, by their names (the skeleton's keys).
fn model_members(shapes: &Value, id: &str) -> BTreeSet<String> {
    shapes[id]["members"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_skeleton_lists_every_member_and_reads_back() {
    let emu = emulator().await;
    let proxy = Recorder::start(&emu.endpoint_url()).await;
    let model: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../model/wickr.json"
        ))
        .expect("model"),
    )
    .expect("model is JSON");
    let shapes = &model["shapes"];
    let dir = scratch("skeletons");
    let mut failures = Vec::new();
    for op in OPERATIONS.iter() {
        let out = run(strings(&[op.kebab_name, "--generate-cli-skeleton"]), None).await;
        if out.status.code() != Some(0) {
            failures.push(format!(
                "{}: skeleton exit {:?}",
                op.name,
                out.status.code()
            ));
            continue;
        }
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let skeleton: Value = match serde_json::from_str(&text) {
            Ok(value) => value,
            // An operation without input members prints nothing, as the AWS CLI prints `{}`
            // only for an input that has members.
            Err(_) if text.is_empty() => Value::Object(Default::default()),
            Err(e) => {
                failures.push(format!("{}: skeleton is not JSON: {e}", op.name));
                continue;
            }
        };
        let input_id = shapes[format!("com.amazonaws.wickr#{}", op.name)]["input"]["target"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let keys: BTreeSet<String> = skeleton
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        if keys != model_members(shapes, &input_id) {
            failures.push(format!("{}: skeleton keys {keys:?}", op.name));
        }
        // Read back: the document is read and type-checked; only the model's constraints on
        // the placeholder values (empty strings, zeros) may refuse it.
        let file = dir.join(format!("{}.json", op.kebab_name));
        std::fs::write(&file, &text).expect("write skeleton");
        let out = run(
            endpoint(
                &proxy.url,
                vec![
                    op.kebab_name.to_owned(),
                    "--cli-input-json".to_owned(),
                    format!("file://{}", file.display()),
                ],
            ),
            None,
        )
        .await;
        let err = stderr(&out);
        for reading_problem in ["unknown member", "expected ", "not valid JSON", "is null"] {
            if err.contains(reading_problem) {
                failures.push(format!("{}: skeleton read back with: {err}", op.name));
            }
        }
        if !matches!(out.status.code(), Some(0 | 252 | 254)) {
            failures.push(format!(
                "{}: read back exit {:?}: {err}",
                op.name,
                out.status.code()
            ));
        }
    }
    proxy.take();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_flag_values_are_refused_with_the_flag_named_and_nothing_sent() {
    let emu = emulator().await;
    let proxy = Recorder::start(&emu.endpoint_url()).await;
    let network = ["--network-id", DEMO_NETWORK_ID];
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["list-users", "--max-results", "ten"],
            "--max-results: \"ten\" is not an integer",
        ),
        (
            vec!["list-users", "--max-results", "99999999999"],
            "--max-results: is not a 32-bit integer",
        ),
        (
            vec!["list-users", "--sort-direction", "UP"],
            "--sort-direction",
        ),
        (vec!["list-users", "--status", "7"], "--status"),
        (
            vec!["get-users-count", "--network-id", "1234"],
            "--network-id: length must be between 8 and 8, got 4",
        ),
        (
            vec!["get-user", "--user-id", "1", "--start-time", "last week"],
            "--start-time: \"last week\" is not a timestamp",
        ),
        (
            vec!["batch-create-user", "--users", "{not json"],
            "--users: not valid JSON",
        ),
        (
            vec![
                "batch-create-user",
                "--users",
                r#"[{"username": "a@example.com", "frstName": "A", "securityGroupIds": ["BCTY8Qhe"]}]"#,
            ],
            "--users (users[0].frstName): unknown member",
        ),
        (
            vec!["batch-create-user", "--users", r#"[{"username": 5}]"#],
            "--users (users[0].username): expected a string, got a number",
        ),
        (
            vec!["list-users", "--query", "users[", "--output", "json"],
            "--query",
        ),
        (vec!["list-users", "--output", "yaml"], "--output"),
        (vec!["list-users", "--no-such-flag"], "--no-such-flag"),
        (
            vec!["list-users", "--no-paginate", "--max-items", "3"],
            "--max-items: cannot be combined with --no-paginate",
        ),
        (
            vec![
                "list-users",
                "--next-token",
                "abc",
                "--starting-token",
                "abc",
            ],
            "--starting-token: cannot be combined with --next-token",
        ),
        (
            vec![
                "update-guest-user",
                "--username-hash",
                "h",
                "--block",
                "--no-block",
            ],
            "--no-block",
        ),
        (
            vec!["list-users", "--cli-input-json", "[1, 2]"],
            "--cli-input-json: expected a JSON object, got a list",
        ),
        (
            vec![
                "list-users",
                "--cli-input-json",
                r#"{"networkId": "12345678", "networkId": "1"}"#,
            ],
            "appears twice",
        ),
    ];
    let mut failures = Vec::new();
    for (args, expected) in cases {
        let mut full = vec![args[0]];
        if !args.contains(&"--network-id") {
            full.extend(network);
        }
        full.extend(&args[1..]);
        let out = run(endpoint(&proxy.url, strings(&full)), None).await;
        let err = stderr(&out);
        if out.status.code() != Some(252) || !err.contains(expected) {
            failures.push(format!(
                "{args:?}: exit {:?}, wanted 252 and {expected:?} in: {err}",
                out.status.code()
            ));
        }
        let sent = proxy.take();
        if !sent.is_empty() {
            failures.push(format!("{args:?}: {} requests were sent", sent.len()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_required_member_names_its_flag_and_nothing_is_sent() {
    let emu = emulator().await;
    let proxy = Recorder::start(&emu.endpoint_url()).await;
    let out = run(
        endpoint(
            &proxy.url,
            strings(&["get-user", "--network-id", DEMO_NETWORK_ID]),
        ),
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(252), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--user-id (userId): is required"),
        "{}",
        stderr(&out)
    );
    // A required boolean needs one of its two flags.
    let out = run(
        endpoint(
            &proxy.url,
            strings(&[
                "update-guest-user",
                "--network-id",
                DEMO_NETWORK_ID,
                "--username-hash",
                "h",
            ]),
        ),
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(252), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--block (block): is required"),
        "{}",
        stderr(&out)
    );
    assert!(proxy.take().is_empty(), "nothing was sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn file_references_are_read_for_member_values_and_the_input_document() {
    let emu = emulator().await;
    let dir = scratch("file-input");
    let users = dir.join("users.json");
    std::fs::write(
        &users,
        format!(
            r#"[{{"username": "file1@example.com", "securityGroupIds": ["{DEMO_GROUP_ID}"]}},
                {{"username": "file2@example.com", "securityGroupIds": ["{DEMO_GROUP_ID}"]}}]"#
        ),
    )
    .expect("write users");
    let out = run(
        endpoint(
            &emu.endpoint_url(),
            vec![
                "batch-create-user".into(),
                "--network-id".into(),
                DEMO_NETWORK_ID.into(),
                "--users".into(),
                format!("file://{}", users.display()),
            ],
        ),
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let names = usernames(&emu).await;
    assert!(
        names.contains(&"file1@example.com".to_owned())
            && names.contains(&"file2@example.com".to_owned()),
        "{names:?}"
    );

    // The whole input from a file, a flag over it winning.
    let input = dir.join("input.json");
    std::fs::write(
        &input,
        r#"{"networkId": "00000000", "username": "file1@example.com"}"#,
    )
    .expect("write input");
    let out = run(
        endpoint(
            &emu.endpoint_url(),
            vec![
                "list-users".into(),
                "--cli-input-json".into(),
                format!("file://{}", input.display()),
                "--network-id".into(),
                DEMO_NETWORK_ID.into(),
                "--query".into(),
                "users[].username".into(),
            ],
        ),
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let found: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(found, serde_json::json!(["file1@example.com"]));

    // A file that is not there names the flag.
    let out = run(
        endpoint(
            &emu.endpoint_url(),
            vec![
                "batch-create-user".into(),
                "--network-id".into(),
                DEMO_NETWORK_ID.into(),
                "--users".into(),
                format!("file://{}", dir.join("missing.json").display()),
            ],
        ),
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(252), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--users: cannot read"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_table_flags_match_the_models_member_types() {
    // Booleans take --x/--no-x, lists of scalars several values: the shapes the tests above
    // use are the ones the model has.
    let op = operation("BatchToggleUserSuspendStatus");
    let suspend = op.input_member("suspend").expect("member");
    assert_eq!(*suspend.ty, TypeInfo::Boolean);
    let args = flags_for(
        op,
        &serde_json::json!({"networkId": "12345678", "suspend": false, "userIds": ["1", "2"]}),
    );
    assert_eq!(
        args,
        [
            "--network-id",
            "12345678",
            "--no-suspend",
            "--user-ids",
            "1",
            "2"
        ]
    );
    assert_eq!(kebab("ssoTokenBufferMinutes"), "sso-token-buffer-minutes");
}
