//! The generated operation table and service facts agree with the generated operation types,
//! and a router built on the table finds every operation from its method and path.

use wickr_admin::operation_shape::OperationShape;
use wickr_admin::retry::ErrorKind;
use wickr_admin::schema::{OPERATIONS, SERVICE};

/// For each operation type: its kebab-case name, model name and whether its input has an
/// idempotency token.
macro_rules! typed {
    ($( ($name:literal, $op:path) ),* $(,)?) => {
        fn typed_operations() -> Vec<(&'static str, &'static str, bool)> {
            vec![$((
                $name,
                <$op as OperationShape>::NAME,
                <$op as OperationShape>::idempotency_token(&mut Default::default()).is_some(),
            )),*]
        }
    };
}
wickr_admin::for_each_operation!(typed);

#[test]
fn the_table_lists_every_operation_type_with_its_token() {
    let table: Vec<(&str, &str, bool)> = OPERATIONS
        .iter()
        .map(|op| (op.kebab_name, op.name, op.idempotency_token.is_some()))
        .collect();
    assert_eq!(table, typed_operations());
    assert_eq!(SERVICE.operations.len(), 44);
    let create = SERVICE
        .operation("batch-create-user")
        .expect("in the table");
    assert_eq!(
        (create.method, create.uri, create.idempotency_token),
        ("POST", "/networks/{networkId}/users", Some("clientToken"))
    );
    let list = SERVICE.operation("ListUsers").expect("in the table");
    assert!(list.readonly && !list.idempotent);
    let pagination = list.pagination.expect("paginated");
    assert_eq!(
        (
            pagination.input_token,
            pagination.output_token,
            pagination.items,
            pagination.page_size
        ),
        ("nextToken", "nextToken", "users", Some("maxResults"))
    );
    assert_eq!(
        OPERATIONS
            .iter()
            .filter(|op| op.pagination.is_some())
            .count(),
        8
    );
    assert!(create.errors.contains(&"ValidationError"));
}

#[test]
fn every_operation_routes_back_to_itself() {
    for op in &OPERATIONS {
        // Each label filled with a value of its own, so labels can be told apart.
        let mut path = String::new();
        let mut expected = Vec::new();
        let template = op.uri.split('?').next().unwrap_or(op.uri);
        for segment in template.split('/').skip(1) {
            path.push('/');
            match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(label) => {
                    let value = format!("v{}", expected.len());
                    path.push_str(&value);
                    expected.push((label, value));
                }
                None => path.push_str(segment),
            }
        }
        let route = SERVICE
            .route(op.method, &path)
            .unwrap_or_else(|| panic!("{} {path} routes nowhere", op.method));
        assert_eq!(route.operation.name, op.name, "{} {path}", op.method);
        assert_eq!(route.labels, expected, "{} {path}", op.method);
    }
    assert!(SERVICE.route("PUT", "/networks/12345678/users").is_none());
}

#[test]
fn retry_facts_come_from_the_overlay() {
    assert_eq!(
        SERVICE.retryable_error("RateLimitError"),
        Some(ErrorKind::ThrottlingError)
    );
    assert_eq!(
        SERVICE.retryable_error("InternalServerError"),
        Some(ErrorKind::ServerError)
    );
    assert_eq!(SERVICE.retryable_error("ValidationError"), None);
    assert_eq!(SERVICE.signing_name, Some("wickr"));
    assert_eq!(SERVICE.sdk_id, "Wickr");
    assert!(SERVICE.user_agent.starts_with("wickr-admin/"));
}
