//! A configuration from an `SdkConfig` loaded by `aws-config`.

use aws_types::sdk_config::SdkConfig;
use aws_types::service_config::ServiceConfigKey;

use super::Builder;

impl Builder {
    /// The settings of an `SdkConfig` for the service whose SDK id is `sdk_id`: region,
    /// credentials, bearer token provider, endpoint URL (an endpoint URL set in code wins;
    /// otherwise the service's own `AWS_ENDPOINT_URL_<SDK_ID>` or `endpoint_url` in the
    /// profile's services section wins over the global one), FIPS and dual-stack, retry and timeout settings, sleep, HTTP client, time
    /// source, behavior version, auth scheme preference, stalled stream protection, identity
    /// cache, clock skew correction, application name and frameworks.
    pub fn from_sdk_config(input: &SdkConfig, sdk_id: &str) -> Self {
        let mut builder = Builder::default();
        builder.set_credentials_provider(input.credentials_provider());
        builder.set_token_provider(input.token_provider());
        builder.set_region(input.region().cloned());
        builder.set_use_fips(input.use_fips());
        builder.set_use_dual_stack(input.use_dual_stack());
        if input.get_origin("endpoint_url").is_client_config() {
            builder.set_endpoint_url(input.endpoint_url().map(str::to_owned));
        } else {
            let key = ServiceConfigKey::builder()
                .service_id(sdk_id)
                .env("AWS_ENDPOINT_URL")
                .profile("endpoint_url")
                .build();
            let specific = match (input.service_config(), key) {
                (Some(loader), Ok(key)) => loader.load_config(key),
                _ => None,
            };
            builder.set_endpoint_url(specific.or_else(|| input.endpoint_url().map(str::to_owned)));
        }
        builder.set_retry_config(input.retry_config().cloned());
        builder.set_timeout_config(input.timeout_config().cloned());
        builder.set_sleep_impl(input.sleep_impl());
        builder.set_http_client(input.http_client());
        builder.set_time_source(input.time_source());
        builder.set_behavior_version(input.behavior_version());
        builder.set_auth_scheme_preference(input.auth_scheme_preference().cloned());
        if let Some(config) = input.stalled_stream_protection() {
            builder.set_stalled_stream_protection(Some(config));
        }
        if let Some(cache) = input.identity_cache() {
            builder.set_identity_cache(cache);
        }
        builder.set_disable_clock_skew_correction(input.disable_clock_skew_correction());
        builder.set_app_name(input.app_name().cloned());
        for framework in input.framework_metadata() {
            builder.push_framework_metadata(framework.clone());
        }
        builder
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_types::service_config::{LoadServiceConfig, ServiceConfigKey};

    const SDK_ID: &str = "Example Service";

    #[derive(Debug)]
    struct EnvLike;

    impl LoadServiceConfig for EnvLike {
        fn load_config(&self, key: ServiceConfigKey<'_>) -> Option<String> {
            (key.env() == "AWS_ENDPOINT_URL" && key.service_id() == SDK_ID)
                .then(|| "http://127.0.0.1:9999".to_string())
        }
    }

    fn endpoint_url(builder: &Builder) -> Option<String> {
        builder
            .layer()
            .load::<aws_types::endpoint_config::EndpointUrl>()
            .map(|u| u.0.clone())
    }

    #[test]
    fn service_specific_endpoint_wins_over_the_global_one() {
        let mut sdk = SdkConfig::builder().service_config(EnvLike);
        sdk.set_endpoint_url(Some("http://global.example".into()));
        sdk.insert_origin(
            "endpoint_url",
            aws_types::origin::Origin::shared_environment_variable(),
        );
        let builder = Builder::from_sdk_config(&sdk.build(), SDK_ID);
        assert_eq!(
            endpoint_url(&builder).as_deref(),
            Some("http://127.0.0.1:9999")
        );
    }

    #[test]
    fn global_endpoint_is_used_without_a_service_specific_one() {
        let sdk = SdkConfig::builder()
            .endpoint_url("http://global.example")
            .build();
        let builder = Builder::from_sdk_config(&sdk, SDK_ID);
        assert_eq!(
            endpoint_url(&builder).as_deref(),
            Some("http://global.example")
        );
    }
}
