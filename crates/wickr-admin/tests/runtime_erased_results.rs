//! The call's output and error travel through the orchestrator type-erased, and interceptors may
//! replace them: the call gives back whatever they leave, as the operation's types, and says so
//! when they left a value of another type. Against the emulator on 127.0.0.1.

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    Error, FinalizerInterceptorContextMut, Output,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::OrchestratorError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use wickr_admin::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use wickr_admin::operation::get_network::GetNetworkOutput;
use wickr_admin_local::{
    Emulator, RunningEmulator, DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, DEMO_NETWORK_ID,
};

/// What the interceptor puts in place of the call's result.
#[derive(Debug, Clone, Copy)]
enum Replace {
    /// The output, renamed: a value of the operation's own output type.
    RenamedOutput,
    /// A string where the output was.
    OutputOfAnotherType,
    /// An error of a type the operation does not have, in place of the output.
    ErrorOfAnotherType,
}

#[derive(Debug)]
struct Replacing(Replace);

#[derive(Debug)]
struct Stranger;

impl std::fmt::Display for Stranger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a stranger")
    }
}

impl std::error::Error for Stranger {}

impl Intercept for Replacing {
    fn name(&self) -> &'static str {
        "Replacing"
    }

    fn modify_before_completion(
        &self,
        context: &mut FinalizerInterceptorContextMut<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let Some(result) = context.output_or_error_mut() else {
            return Err("the call has no result".into());
        };
        match self.0 {
            Replace::RenamedOutput => {
                let output = match result {
                    Ok(output) => output.downcast_mut::<GetNetworkOutput>(),
                    Err(_) => None,
                };
                let Some(output) = output else {
                    return Err("the call's output is not GetNetwork's".into());
                };
                let renamed = GetNetworkOutput::builder()
                    .network_id(output.network_id())
                    .network_name("renamed by an interceptor")
                    .access_level(output.access_level().clone())
                    .aws_account_id(output.aws_account_id())
                    .network_arn(output.network_arn())
                    .build()?;
                *result = Ok(Output::erase(renamed));
            }
            Replace::OutputOfAnotherType => *result = Ok(Output::erase("not an output".to_owned())),
            Replace::ErrorOfAnotherType => {
                *result = Err(OrchestratorError::operation(Error::erase(Stranger)));
            }
        }
        Ok(())
    }
}

async fn emulator() -> RunningEmulator {
    match Emulator::builder().seed_demo_network(true).start().await {
        Ok(emulator) => emulator,
        Err(e) => panic!("the emulator does not start: {e}"),
    }
}

fn client(endpoint: &str) -> wickr_admin::Client {
    let config = wickr_admin::Config::builder()
        .behavior_version(wickr_admin::config::BehaviorVersion::latest())
        .region(wickr_admin::config::Region::new("us-east-1"))
        .credentials_provider(wickr_admin::config::Credentials::new(
            DEFAULT_ACCESS_KEY_ID,
            DEFAULT_SECRET_ACCESS_KEY,
            None,
            None,
            "test",
        ))
        .endpoint_url(endpoint)
        .build();
    wickr_admin::Client::from_conf(config)
}

async fn get_network(
    client: &wickr_admin::Client,
    replace: Replace,
) -> Result<GetNetworkOutput, SdkError<wickr_admin::operation::get_network::GetNetworkError>> {
    client
        .get_network()
        .network_id(DEMO_NETWORK_ID)
        .customize()
        .interceptor(Replacing(replace))
        .send()
        .await
}

#[tokio::test]
async fn what_interceptors_leave_is_what_the_call_gives_back() {
    let emulator = emulator().await;
    let client = client(&emulator.endpoint_url());

    let output = get_network(&client, Replace::RenamedOutput)
        .await
        .unwrap_or_else(|e| panic!("{}", DisplayErrorContext(&e)));
    assert_eq!(output.network_name(), "renamed by an interceptor");
    assert_eq!(output.network_id(), DEMO_NETWORK_ID);

    let err = get_network(&client, Replace::OutputOfAnotherType)
        .await
        .expect_err("a string is not GetNetwork's output");
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
    let shown = DisplayErrorContext(&err).to_string();
    assert!(
        shown.contains("GetNetwork: an interceptor gave an output of another type"),
        "{shown}"
    );

    let err = get_network(&client, Replace::ErrorOfAnotherType)
        .await
        .expect_err("the interceptor left an error");
    let service = err.as_service_error().expect("an operation error");
    assert!(service.code().is_none(), "{service:?}");
    let shown = DisplayErrorContext(&err).to_string();
    assert!(
        shown.contains("GetNetwork: an interceptor gave an error of another type: a stranger"),
        "{shown}"
    );
}
