//! Resolution through the public API: how parameters are bound (by name, built-in, default),
//! what a wrong or missing value gives, how rules are tried, and what an endpoint carries.

use std::sync::Arc;
use std::thread;

use restjson_runtime::endpoint::{
    built_in, ParamValue, ParameterType, Params, Partitions, ResolveError, RuleSet,
};
use serde_json::json;

/// A small service's rules: a custom endpoint wins (not with FIPS); otherwise a region is
/// required and the host comes from its partition.
fn service_rules() -> RuleSet {
    RuleSet::from_value(&json!({
        "version": "1.0",
        "parameters": {
            "Region": {"type": "String", "builtIn": "AWS::Region"},
            "UseFIPS": {"type": "Boolean", "builtIn": "AWS::UseFIPS", "required": true,
                        "default": false},
            "Endpoint": {"type": "String", "builtIn": "SDK::Endpoint"},
            "Stage": {"type": "String", "required": true, "default": "prod"}
        },
        "rules": [
            {"type": "tree",
             "conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}],
             "rules": [
                 {"type": "error",
                  "conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, true]}],
                  "error": "Invalid Configuration: FIPS and custom endpoint are not supported"},
                 {"type": "endpoint", "conditions": [], "endpoint": {"url": {"ref": "Endpoint"}}}
             ]},
            {"type": "tree",
             "conditions": [
                 {"fn": "isSet", "argv": [{"ref": "Region"}]},
                 {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "PartitionResult"}
             ],
             "rules": [
                 {"type": "error",
                  "conditions": [{"fn": "not", "argv": [
                      {"fn": "isValidHostLabel", "argv": [{"ref": "Region"}, false]}]}],
                  "error": "Invalid Configuration: `{Region}` is not a valid host label"},
                 {"type": "endpoint",
                  "conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, true]}],
                  "endpoint": {
                      "url": "https://svc-fips.{Region}.{PartitionResult#dnsSuffix}/{Stage}",
                      "properties": {"authSchemes": [
                          {"name": "sigv4", "signingName": "svc",
                           "signingRegion": "{Region}", "disableDoubleEncoding": true},
                          {"name": "sigv4a", "signingName": "svc",
                           "signingRegionSet": ["*"]}
                      ]},
                      "headers": {"x-partition": ["{PartitionResult#name}", "fips"]}
                  }},
                 {"type": "endpoint", "conditions": [],
                  "endpoint": {"url": "https://svc.{Region}.{PartitionResult#dnsSuffix}/{Stage}"}}
             ]},
            {"type": "error", "conditions": [], "error": "Invalid Configuration: Missing Region"}
        ]
    }))
    .expect("the rule set parses")
}

fn url(rules: &RuleSet, params: &Params) -> String {
    rules.resolve(params).expect("an endpoint").url().to_owned()
}

#[test]
fn built_ins_bind_to_the_parameters_that_declare_them() {
    let rules = service_rules();
    let params = Params::new()
        .with_built_in(built_in::REGION, "eu-west-1")
        .with_built_in(built_in::USE_FIPS, false);
    assert_eq!(
        url(&rules, &params),
        "https://svc.eu-west-1.amazonaws.com/prod"
    );
}

#[test]
fn a_value_set_by_name_beats_the_built_in_which_beats_the_default() {
    let rules = service_rules();
    let params = Params::new()
        .with_built_in(built_in::REGION, "eu-west-1")
        .with("Region", "cn-north-1");
    assert_eq!(
        url(&rules, &params),
        "https://svc.cn-north-1.amazonaws.com.cn/prod"
    );

    // Set twice by name: the last wins.
    let mut params = Params::new();
    params
        .set("Stage", "beta")
        .set("Stage", "gamma")
        .set("Region", "us-east-1");
    assert_eq!(
        url(&rules, &params),
        "https://svc.us-east-1.amazonaws.com/gamma"
    );
    assert_eq!(
        params.get("Stage"),
        Some(&ParamValue::String("gamma".into()))
    );

    // A built-in false does not lose to the default, and a name beats it.
    let params = Params::new()
        .with("Region", "us-east-1")
        .with_built_in(built_in::USE_FIPS, true);
    assert!(url(&rules, &params).starts_with("https://svc-fips."));
    let params = params.with("UseFIPS", false);
    assert!(url(&rules, &params).starts_with("https://svc."));
}

#[test]
fn a_built_in_no_parameter_declares_is_not_used() {
    let rules = service_rules();
    let params = Params::new()
        .with("Region", "us-east-1")
        .with_built_in(built_in::USE_DUAL_STACK, true);
    assert_eq!(
        rules.built_in_parameters(built_in::USE_DUAL_STACK).count(),
        0
    );
    assert_eq!(
        url(&rules, &params),
        "https://svc.us-east-1.amazonaws.com/prod"
    );
    assert_eq!(
        params.built_in(built_in::USE_DUAL_STACK),
        Some(&true.into())
    );
}

#[test]
fn error_rules_give_the_rule_sets_message() {
    let rules = service_rules();
    let error = rules.resolve(&Params::new()).unwrap_err();
    assert_eq!(
        error,
        ResolveError::Rule {
            message: "Invalid Configuration: Missing Region".into()
        }
    );
    assert_eq!(error.to_string(), "Invalid Configuration: Missing Region");

    let params = Params::new()
        .with("Endpoint", "https://localhost:8443")
        .with("UseFIPS", true);
    assert_eq!(
        rules.resolve(&params).unwrap_err().to_string(),
        "Invalid Configuration: FIPS and custom endpoint are not supported"
    );

    // The message is a template.
    let params = Params::new().with("Region", "us east 1");
    assert_eq!(
        rules.resolve(&params).unwrap_err().to_string(),
        "Invalid Configuration: `us east 1` is not a valid host label"
    );
}

#[test]
fn an_undeclared_name_is_an_error_naming_the_declared_ones() {
    let rules = service_rules();
    let error = rules
        .resolve(&Params::new().with("Regoin", "us-east-1"))
        .unwrap_err();
    assert!(matches!(&error, ResolveError::UnknownParameter { name, .. } if name == "Regoin"));
    assert_eq!(
        error.to_string(),
        "`Regoin` is not a parameter of the endpoint rule set \
         (it declares Endpoint, Region, Stage, UseFIPS)"
    );
}

#[test]
fn a_value_of_the_wrong_type_is_an_error_naming_the_parameter() {
    let rules = service_rules();
    let error = rules
        .resolve(&Params::new().with("UseFIPS", "true"))
        .unwrap_err();
    assert_eq!(
        error,
        ResolveError::WrongParameterType {
            name: "UseFIPS".into(),
            built_in: None,
            expected: ParameterType::Boolean,
            found: ParameterType::String,
        }
    );
    assert_eq!(
        error.to_string(),
        "endpoint parameter `UseFIPS` is a boolean, but a string was given"
    );

    let error = rules
        .resolve(&Params::new().with_built_in(built_in::REGION, vec!["us-east-1".to_string()]))
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "endpoint parameter `Region` is a string, but a string array was bound to it \
         through the built-in `AWS::Region`"
    );
}

#[test]
fn a_required_parameter_without_a_value_is_an_error() {
    let rules = RuleSet::from_value(&json!({
        "version": "1.0",
        "parameters": {"Bucket": {"type": "String", "required": true}},
        "rules": [{"type": "endpoint", "conditions": [],
                   "endpoint": {"url": "https://{Bucket}.example.com"}}]
    }))
    .unwrap();
    let error = rules.resolve(&Params::new()).unwrap_err();
    assert_eq!(
        error,
        ResolveError::MissingParameter {
            name: "Bucket".into()
        }
    );
    assert_eq!(
        error.to_string(),
        "endpoint parameter `Bucket` is required but was not given"
    );
    assert_eq!(
        url(&rules, &Params::new().with("Bucket", "logs")),
        "https://logs.example.com"
    );
}

#[test]
fn endpoints_carry_headers_and_typed_auth_schemes() {
    let rules = service_rules();
    let endpoint = rules
        .resolve(
            &Params::new()
                .with("Region", "us-gov-west-1")
                .with("UseFIPS", true),
        )
        .unwrap();
    assert_eq!(
        endpoint.url(),
        "https://svc-fips.us-gov-west-1.amazonaws.com/prod"
    );
    assert_eq!(
        endpoint.headers().get("x-partition"),
        Some(&vec!["aws-us-gov".to_string(), "fips".to_string()])
    );

    let schemes: Vec<_> = endpoint.auth_schemes().map(|s| s.name()).collect();
    assert_eq!(schemes, ["sigv4", "sigv4a"]);
    let sigv4 = endpoint.auth_scheme("sigv4").unwrap();
    assert_eq!(sigv4.signing_name(), Some("svc"));
    assert_eq!(sigv4.signing_region(), Some("us-gov-west-1"));
    assert!(sigv4.disable_double_encoding());
    assert!(!sigv4.disable_normalize_path());
    let sigv4a = endpoint.auth_scheme("sigv4a").unwrap();
    assert_eq!(sigv4a.signing_region_set(), Some(vec!["*"]));
    assert_eq!(sigv4a.signing_region(), None);
    assert_eq!(sigv4a.get("signingName"), Some(&json!("svc")));
    assert!(endpoint.auth_scheme("bearer").is_none());

    // The same rule set without FIPS: no properties, no headers.
    let plain = rules
        .resolve(&Params::new().with("Region", "us-gov-west-1"))
        .unwrap();
    assert!(plain.properties().is_empty() && plain.headers().is_empty());
    assert_eq!(plain.auth_schemes().count(), 0);
}

#[test]
fn a_tree_whose_rules_all_fail_ends_the_resolution() {
    let rules = RuleSet::from_value(&json!({
        "version": "1.0",
        "parameters": {"Flag": {"type": "Boolean", "required": true, "default": false}},
        "rules": [
            {"type": "tree", "conditions": [],
             "rules": [{"type": "endpoint",
                        "conditions": [{"fn": "booleanEquals", "argv": [{"ref": "Flag"}, true]}],
                        "endpoint": {"url": "https://flag.example.com"}}]},
            {"type": "endpoint", "conditions": [], "endpoint": {"url": "https://never.example.com"}}
        ]
    }))
    .unwrap();
    assert_eq!(
        url(&rules, &Params::new().with("Flag", true)),
        "https://flag.example.com"
    );
    let error = rules.resolve(&Params::new()).unwrap_err();
    assert_eq!(error, ResolveError::NoRuleMatched);
    assert_eq!(
        error.to_string(),
        "no endpoint rule applies to the given parameters"
    );
}

#[test]
fn a_custom_endpoint_must_be_an_absolute_web_url() {
    let rules = service_rules();
    assert_eq!(
        url(
            &rules,
            &Params::new().with("Endpoint", "http://127.0.0.1:4566")
        ),
        "http://127.0.0.1:4566"
    );
    for endpoint in [
        "localhost:8443",
        "example.com",
        "ftp://example.com",
        "https://",
    ] {
        let error = rules
            .resolve(&Params::new().with("Endpoint", endpoint))
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "the endpoint URL `{endpoint}` chosen by rules[0].rules[1] is not an absolute \
                 http or https URL with a host"
            )
        );
    }
}

#[test]
fn an_unset_value_given_to_a_function_is_a_clear_error() {
    // This rule set forgets to check that Region is set.
    let rules = RuleSet::from_value(&json!({
        "version": "1.0",
        "parameters": {"Region": {"type": "String"}},
        "rules": [{"type": "endpoint",
                   "conditions": [{"fn": "stringEquals", "argv": ["us-east-1", {"ref": "Region"}]}],
                   "endpoint": {"url": "https://example.com"}}]
    }))
    .unwrap();
    assert_eq!(
        rules.resolve(&Params::new()).unwrap_err().to_string(),
        "`stringEquals` in rules[0] was given an unset value as argument 2"
    );
}

/// Rules in the manner of S3's: the functions the fixtures do not reach, working together.
fn bucket_rules() -> RuleSet {
    RuleSet::from_value(&json!({
        "version": "1.0",
        "parameters": {
            "Bucket": {"type": "String", "required": true},
            "Endpoint": {"type": "String"},
            "Prefixes": {"type": "stringArray", "required": true, "default": ["logs", "data"]}
        },
        "rules": [
            {"type": "endpoint",
             "conditions": [
                 {"fn": "aws.parseArn", "argv": [{"ref": "Bucket"}], "assign": "arn"},
                 {"fn": "getAttr", "argv": [{"ref": "arn"}, "resourceId[1]"], "assign": "name"},
                 {"fn": "stringEquals", "argv": [
                     {"fn": "getAttr", "argv": [{"ref": "arn"}, "resourceId[0]"]}, "accesspoint"]}
             ],
             "endpoint": {"url": "https://{name}-{arn#accountId}.s3-accesspoint.{arn#region}.amazonaws.com"}},
            {"type": "endpoint",
             "conditions": [
                 {"fn": "isSet", "argv": [{"ref": "Endpoint"}]},
                 {"fn": "parseURL", "argv": [{"ref": "Endpoint"}], "assign": "url"},
                 {"fn": "getAttr", "argv": [{"ref": "url"}, "isIp"], "assign": "ip"}
             ],
             "endpoint": {"url": "{url#scheme}://{url#authority}{url#normalizedPath}{Bucket}"}},
            {"type": "endpoint",
             "conditions": [
                 {"fn": "isSet", "argv": [{"ref": "Endpoint"}]},
                 {"fn": "parseURL", "argv": [{"ref": "Endpoint"}], "assign": "hostUrl"},
                 {"fn": "aws.isVirtualHostableS3Bucket", "argv": [{"ref": "Bucket"}, true]}
             ],
             "endpoint": {"url": "{hostUrl#scheme}://{Bucket}.{hostUrl#authority}{hostUrl#path}"}},
            {"type": "endpoint",
             "conditions": [
                 {"fn": "substring", "argv": [{"ref": "Bucket"}, 0, 6, true], "assign": "suffix"},
                 {"fn": "stringEquals", "argv": [{"ref": "suffix"}, "--x-s3"]},
                 {"fn": "getAttr", "argv": [{"ref": "Prefixes"}, "[0]"], "assign": "first"}
             ],
             "endpoint": {"url": "https://express.example.com/{first}/{Bucket}"}},
            {"type": "error",
             "conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}],
             "error": "Custom endpoint `{Endpoint}` was not a valid URI"},
            {"type": "endpoint", "conditions": [],
             "endpoint": {"url": "https://s3.amazonaws.com/{Bucket}",
                          "headers": {"x-bucket": [{"fn": "uriEncode", "argv": [{"ref": "Bucket"}]}]}}}
        ]
    }))
    .expect("the rule set parses")
}

#[test]
fn arns_urls_buckets_substrings_and_encoding_in_rules() {
    let rules = bucket_rules();
    let resolve = |params: Params| rules.resolve(&params);

    let arn = "arn:aws:s3:us-west-2:123456789012:accesspoint/reports";
    assert_eq!(
        resolve(Params::new().with("Bucket", arn)).unwrap().url(),
        "https://reports-123456789012.s3-accesspoint.us-west-2.amazonaws.com"
    );
    // An ARN with one resource part: resourceId[1] is unset, so the rule does not apply.
    let short = resolve(Params::new().with("Bucket", "arn:aws:s3:::bucket")).unwrap();
    assert_eq!(short.url(), "https://s3.amazonaws.com/arn:aws:s3:::bucket");
    assert_eq!(
        short.headers()["x-bucket"],
        ["arn%3Aaws%3As3%3A%3A%3Abucket"]
    );

    let on_ip = Params::new()
        .with("Bucket", "my.bucket")
        .with("Endpoint", "http://127.0.0.1:9000/base");
    assert_eq!(
        resolve(on_ip).unwrap().url(),
        "http://127.0.0.1:9000/base/my.bucket"
    );

    let hosted = Params::new()
        .with("Bucket", "my.bucket")
        .with("Endpoint", "https://storage.example.com:8443");
    assert_eq!(
        resolve(hosted).unwrap().url(),
        "https://my.bucket.storage.example.com:8443"
    );

    let express = Params::new().with("Bucket", "mybucket--x-s3");
    assert_eq!(
        resolve(express).unwrap().url(),
        "https://express.example.com/logs/mybucket--x-s3"
    );
    let express = Params::new()
        .with("Bucket", "mybucket--x-s3")
        .with("Prefixes", &["tmp"][..]);
    assert_eq!(
        resolve(express).unwrap().url(),
        "https://express.example.com/tmp/mybucket--x-s3"
    );

    let bad = Params::new()
        .with("Bucket", "b")
        .with("Endpoint", "https://example.com?x=1");
    assert_eq!(
        resolve(bad).unwrap_err().to_string(),
        "Custom endpoint `https://example.com?x=1` was not a valid URI"
    );
}

#[test]
fn partition_data_can_be_given_for_a_resolution() {
    let rules = service_rules();
    let partitions = Partitions::from_json(
        r#"{"partitions": [
            {"id": "aws", "regionRegex": "^earth-\\w+-\\d+$", "regions": {},
             "outputs": {"dnsSuffix": "example.net", "dualStackDnsSuffix": "dual.example.net",
                         "supportsFIPS": true, "supportsDualStack": true}},
            {"id": "moon", "regionRegex": "^moon-\\w+-\\d+$", "regions": {"moon-global": {}},
             "outputs": {"dnsSuffix": "example.moon", "dualStackDnsSuffix": "dual.example.moon",
                         "supportsFIPS": false, "supportsDualStack": false}}
        ]}"#,
    )
    .unwrap();
    let resolve = |region: &str| {
        rules
            .resolve_with_partitions(&Params::new().with("Region", region), &partitions)
            .unwrap()
            .url()
            .to_owned()
    };
    assert_eq!(
        resolve("moon-north-1"),
        "https://svc.moon-north-1.example.moon/prod"
    );
    assert_eq!(
        resolve("moon-global"),
        "https://svc.moon-global.example.moon/prod"
    );
    assert_eq!(
        resolve("us-east-1"),
        "https://svc.us-east-1.example.net/prod"
    );
    // The built-in table is untouched.
    assert_eq!(
        url(&rules, &Params::new().with("Region", "moon-north-1")),
        "https://svc.moon-north-1.amazonaws.com/prod"
    );
    assert!(Partitions::from_json("{}").is_err());
}

#[test]
fn one_rule_set_serves_many_threads() {
    let rules = Arc::new(service_rules());
    let handles: Vec<_> = ["us-east-1", "cn-north-1", "us-gov-east-1", "eu-isoe-west-1"]
        .into_iter()
        .map(|region| {
            let rules = Arc::clone(&rules);
            thread::spawn(move || {
                (0..100)
                    .map(|_| url(&rules, &Params::new().with("Region", region)))
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let suffixes = [
        "amazonaws.com",
        "amazonaws.com.cn",
        "amazonaws.com",
        "cloud.adc-e.uk",
    ];
    for (handle, suffix) in handles.into_iter().zip(suffixes) {
        let urls = handle.join().unwrap();
        assert_eq!(urls.len(), 100);
        assert!(
            urls.iter().all(|u| u.ends_with(&format!("{suffix}/prod"))),
            "{urls:?}"
        );
    }
}
