//! One call per model. Each test names its model's crate (the dependency key is the model's
//! file name without its date) and the SigV4 signing name of the model's `aws.auth#sigv4`.

use std::collections::HashMap;

use crate::server::{Answer, Server};
use crate::{client, expect_signed, json_body};

#[tokio::test]
async fn appconfigdata_start_configuration_session() {
    let server = Server::start(Answer::json(
        201,
        r#"{"InitialConfigurationToken":"token-1"}"#,
    ))
    .await;
    let output = client!(appconfigdata, server)
        .start_configuration_session()
        .application_identifier("app")
        .configuration_profile_identifier("profile")
        .environment_identifier("env")
        .send()
        .await
        .expect("the session starts");
    assert_eq!(output.initial_configuration_token(), Some("token-1"));
    let request = server.only_request();
    expect_signed(&request, "POST", "/configurationsessions", "appconfig");
    let body = json_body(&request);
    assert_eq!(body["ApplicationIdentifier"], "app", "{body}");
    assert_eq!(body["EnvironmentIdentifier"], "env", "{body}");
}

#[tokio::test]
async fn backupsearch_list_tags_for_resource() {
    let server = Server::start(Answer::json(200, r#"{"Tags":{"team":"search"}}"#)).await;
    let output = client!(backupsearch, server)
        .list_tags_for_resource()
        .resource_arn("arn:aws:backup:us-test-1:123456789012:recovery-point:rp/1")
        .send()
        .await
        .expect("the tags are listed");
    assert_eq!(
        output.tags().and_then(|tags| tags.get("team")),
        Some(&Some("search".to_owned()))
    );
    // A label that is not greedy is percent-encoded whole, its `/` included.
    expect_signed(
        &server.only_request(),
        "GET",
        "/tags/arn%3Aaws%3Abackup%3Aus-test-1%3A123456789012%3Arecovery-point%3Arp%2F1",
        "backup-search",
    );
}

#[tokio::test]
async fn dsql_get_cluster() {
    let server = Server::start(Answer::json(
        200,
        r#"{"arn":"arn:aws:dsql:us-test-1:123456789012:cluster/someIdentifier",
            "identifier":"someIdentifier","status":"ACTIVE","creationTime":1700000000,
            "deletionProtectionEnabled":true}"#,
    ))
    .await;
    let output = client!(dsql, server)
        .get_cluster()
        .identifier("someIdentifier")
        .send()
        .await
        .expect("the cluster is described");
    assert_eq!(output.status(), &dsql::types::ClusterStatus::Active);
    assert_eq!(output.creation_time().secs(), 1_700_000_000);
    assert!(output.deletion_protection_enabled());
    expect_signed(
        &server.only_request(),
        "GET",
        "/cluster/someIdentifier",
        "dsql",
    );
}

#[tokio::test]
async fn geo_maps_get_style_descriptor() {
    let descriptor = br#"{"version":8}"#;
    let server = Server::start(Answer::bytes(
        200,
        &[("content-type", "application/json"), ("etag", "\"e-1\"")],
        descriptor,
    ))
    .await;
    let output = client!(geo_maps, server)
        .get_style_descriptor()
        .style(geo_maps::types::MapStyle::Standard)
        .color_scheme(geo_maps::types::ColorScheme::Dark)
        .send()
        .await
        .expect("the style is read");
    // The payload is the body as it came; the headers are members.
    assert_eq!(
        output.blob().map(|blob| blob.as_ref()),
        Some(&descriptor[..])
    );
    assert_eq!(output.e_tag(), Some("\"e-1\""));
    assert_eq!(output.content_type(), Some("application/json"));
    expect_signed(
        &server.only_request(),
        "GET",
        "/styles/Standard/descriptor?color-scheme=Dark",
        "geo-maps",
    );
}

#[tokio::test]
async fn inspector_scan_scan_sbom() {
    use inspector_scan::primitives::Document;
    let server = Server::start(Answer::json(
        200,
        r#"{"sbom":{"specVersion":"1.5","vulnerabilities":[]}}"#,
    ))
    .await;
    let sbom = Document::Object(HashMap::from([(
        "bomFormat".to_owned(),
        Document::String("CycloneDX".to_owned()),
    )]));
    let output = client!(inspector_scan, server)
        .scan_sbom()
        .sbom(sbom)
        .send()
        .await
        .expect("the SBOM is scanned");
    let Some(Document::Object(result)) = output.sbom() else {
        panic!("the answer's document is an object: {output:?}");
    };
    assert_eq!(
        result.get("specVersion"),
        Some(&Document::String("1.5".to_owned()))
    );
    let request = server.only_request();
    expect_signed(&request, "POST", "/scan/sbom", "inspector-scan");
    assert_eq!(json_body(&request)["sbom"]["bomFormat"], "CycloneDX");
}

#[tokio::test]
async fn iot_data_plane_get_thing_shadow() {
    let shadow = br#"{"state":{"reported":{"on":true}}}"#;
    let server = Server::start(Answer::bytes(
        200,
        &[("content-type", "application/json")],
        shadow,
    ))
    .await;
    let output = client!(iot_data_plane, server)
        .get_thing_shadow()
        .thing_name("fake-thing")
        .shadow_name("config")
        .send()
        .await
        .expect("the shadow is read");
    assert_eq!(
        output.payload().map(|blob| blob.as_ref()),
        Some(&shadow[..])
    );
    expect_signed(
        &server.only_request(),
        "GET",
        "/things/fake-thing/shadow?name=config",
        "iotdata",
    );
}

#[tokio::test]
async fn mediastore_data_put_object() {
    let server = Server::start(Answer::json(
        200,
        r#"{"ETag":"etag-1","ContentSHA256":"abc"}"#,
    ))
    .await;
    let output = client!(mediastore_data, server)
        .put_object()
        .path("folder/file.txt")
        .content_type("text/plain")
        .body(mediastore_data::primitives::ByteStream::from_static(
            b"hello",
        ))
        .send()
        .await
        .expect("the object is stored");
    assert_eq!(output.e_tag(), Some("etag-1"));
    let request = server.only_request();
    // A greedy label keeps its `/`; the body is a stream, sent with an unsigned payload as
    // `aws.auth#unsignedPayload` says.
    expect_signed(&request, "PUT", "/folder/file.txt", "mediastore");
    assert_eq!(request.header("x-amz-content-sha256"), "UNSIGNED-PAYLOAD");
    assert_eq!(request.header("content-type"), "text/plain");
    assert_eq!(&request.body[..], b"hello");
}

#[tokio::test]
async fn rds_data_execute_statement() {
    let server = Server::start(Answer::json(
        200,
        r#"{"records":[[{"longValue":1},{"stringValue":"a"}]],"numberOfRecordsUpdated":0}"#,
    ))
    .await;
    let output = client!(rds_data, server)
        .execute_statement()
        .resource_arn("arn:aws:rds:us-test-1:123456789012:cluster:db")
        .secret_arn("arn:aws:secretsmanager:us-test-1:123456789012:secret:db")
        .sql("select 1, 'a'")
        .send()
        .await
        .expect("the statement runs");
    // Each field of a record is a union; the answer names its variant.
    let row = &output.records()[0];
    assert_eq!(row[0].as_long_value(), Ok(&1));
    assert_eq!(row[1].as_string_value().map(String::as_str), Ok("a"));
    let request = server.only_request();
    expect_signed(&request, "POST", "/Execute", "rds-data");
    assert_eq!(json_body(&request)["sql"], "select 1, 'a'");
}

#[tokio::test]
async fn scheduler_get_schedule() {
    let server = Server::start(Answer::json(
        200,
        r#"{"Name":"nightly","GroupName":"default","State":"ENABLED","CreationDate":1700000000}"#,
    ))
    .await;
    let output = client!(scheduler, server)
        .get_schedule()
        .name("nightly")
        .group_name("default")
        .send()
        .await
        .expect("the schedule is read");
    assert_eq!(
        output.state(),
        Some(&scheduler::types::ScheduleState::Enabled)
    );
    assert_eq!(
        output.creation_date().map(|d| d.secs()),
        Some(1_700_000_000)
    );
    expect_signed(
        &server.only_request(),
        "GET",
        "/schedules/nightly?groupName=default",
        "scheduler",
    );
}

#[tokio::test]
async fn workspaces_thin_client_get_environment() {
    let server = Server::start(Answer::json(
        200,
        r#"{"environment":{"id":"abc123def","name":"lab"}}"#,
    ))
    .await;
    let output = client!(workspaces_thin_client, server)
        .get_environment()
        .id("abc123def")
        .send()
        .await
        .expect("the environment is read");
    assert_eq!(output.environment().and_then(|e| e.name()), Some("lab"));
    let request = server.only_request();
    expect_signed(&request, "GET", "/environments/abc123def", "thinclient");
    // The operation's `@endpoint` host prefix goes before the configured endpoint's host.
    assert_eq!(request.header("host"), format!("api.{}", server.host()));
}
