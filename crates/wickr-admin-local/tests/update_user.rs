//! UpdateUser validates `userDetails` like create does: keys outside the model's
//! `UpdateUserDetails` and a blank `inviteCode` are `ValidationError`s that name the member, and
//! a refused update changes nothing.

mod common;

use common::{raw_request, start_demo, RawResponse, Signing};
use serde_json::{json, Value};
use wickr_admin_local::{RunningEmulator, DEMO_GROUP_ID, DEMO_NETWORK_ID};

async fn send(emulator: &RunningEmulator, method: &str, path: &str, body: &Value) -> RawResponse {
    let body = serde_json::to_vec(body).expect("a JSON value serializes");
    raw_request(emulator, method, path, &body, Some(Signing::default_key()))
        .await
        .expect("the emulator answers")
}

fn users_path() -> String {
    format!("/networks/{DEMO_NETWORK_ID}/users")
}

/// Creates one user with a known first name and invite code; returns its id.
async fn create_user(emulator: &RunningEmulator) -> String {
    let r = send(
        emulator,
        "POST",
        &users_path(),
        &json!({"users": [{
            "username": "dana@example.com",
            "firstName": "Dana",
            "securityGroupIds": [DEMO_GROUP_ID],
            "inviteCode": "FIRSTCODE",
        }]}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["successful"][0]["userId"]
        .as_str()
        .expect("the created user has an id")
        .to_owned()
}

/// The user as ListUsers shows it (GetUser does not return the invite code).
async fn find_user(emulator: &RunningEmulator, id: &str) -> Value {
    let r = raw_request(
        emulator,
        "GET",
        &format!("{}?maxResults=100", users_path()),
        b"",
        Some(Signing::default_key()),
    )
    .await
    .expect("the emulator answers");
    assert_eq!(r.status, 200, "{}", r.body);
    let users = r.json()["users"].clone();
    users
        .as_array()
        .into_iter()
        .flatten()
        .find(|u| u["userId"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("user {id} is listed: {users}"))
}

/// The `(field, reason)` pairs of a ValidationError answer.
fn reasons(r: &RawResponse) -> Vec<(String, String)> {
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.header("x-amzn-errortype"), Some("ValidationError"));
    r.json()["reasons"]
        .as_array()
        .expect("a ValidationError lists its reasons")
        .iter()
        .map(|x| {
            (
                x["field"].as_str().unwrap_or_default().to_owned(),
                x["reason"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn unknown_user_details_keys_are_refused_by_name() {
    let emulator = start_demo().await;
    let id = create_user(&emulator).await;

    let r = send(
        &emulator,
        "PATCH",
        &users_path(),
        &json!({"userId": id, "userDetails": {"firstName": "Changed", "password": "hunter2"}}),
    )
    .await;
    let got = reasons(&r);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "userDetails.password");
    assert!(got[0].1.contains("`password`"), "{got:?}");
    assert!(got[0].1.contains("UpdateUserDetails"), "{got:?}");
    let message = r.json()["message"].as_str().unwrap_or_default().to_owned();
    assert!(message.contains("userDetails.password"), "{message}");

    // A misspelt member is not silently dropped either; every unknown key is named.
    let r = send(
        &emulator,
        "PATCH",
        &users_path(),
        &json!({"userId": id, "userDetails": {"firstname": "Changed", "nickname": "D"}}),
    )
    .await;
    let mut fields: Vec<String> = reasons(&r).into_iter().map(|(f, _)| f).collect();
    fields.sort();
    assert_eq!(fields, ["userDetails.firstname", "userDetails.nickname"]);

    let user = find_user(&emulator, &id).await;
    assert_eq!(
        user["firstName"], "Dana",
        "a refused update changes nothing"
    );
}

#[tokio::test]
async fn a_blank_invite_code_is_refused_as_on_create() {
    let emulator = start_demo().await;
    let id = create_user(&emulator).await;

    let on_create = send(
        &emulator,
        "POST",
        &users_path(),
        &json!({"users": [{
            "username": "erin@example.com",
            "securityGroupIds": [DEMO_GROUP_ID],
            "inviteCode": " ",
        }]}),
    )
    .await;
    let create_reasons = reasons(&on_create);
    assert_eq!(create_reasons.len(), 1, "{create_reasons:?}");
    assert_eq!(create_reasons[0].0, "users[0].inviteCode");

    for blank in ["", " ", "\t \n"] {
        let r = send(
            &emulator,
            "PATCH",
            &users_path(),
            &json!({"userId": id, "userDetails": {"firstName": "Changed", "inviteCode": blank}}),
        )
        .await;
        assert_eq!(
            reasons(&r),
            [(
                "userDetails.inviteCode".to_owned(),
                create_reasons[0].1.clone()
            )],
            "inviteCode {blank:?}"
        );
    }

    let user = find_user(&emulator, &id).await;
    assert_eq!(
        user["inviteCode"], "FIRSTCODE",
        "a refused update changes nothing"
    );
    assert_eq!(user["firstName"], "Dana");
}

#[tokio::test]
async fn every_update_user_details_member_is_accepted() {
    let emulator = start_demo().await;
    let id = create_user(&emulator).await;

    let r = send(
        &emulator,
        "PATCH",
        &users_path(),
        &json!({"userId": id, "userDetails": {
            "firstName": "Dana",
            "lastName": "Reyes",
            "username": "dana.reyes@example.com",
            "securityGroupIds": [DEMO_GROUP_ID],
            "inviteCode": "SECONDCODE",
            "inviteCodeTtl": 14,
            "codeValidation": true,
        }}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);

    let user = find_user(&emulator, &id).await;
    assert_eq!(user["lastName"], "Reyes");
    assert_eq!(user["username"], "dana.reyes@example.com");
    assert_eq!(user["inviteCode"], "SECONDCODE");
    assert_eq!(user["codeValidation"], true);
}
