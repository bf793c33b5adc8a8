//! Sending one call of an operation chosen by name: the JSON input is read into the operation's
//! typed input, checked against the model's constraints, sent, and the output written back as
//! JSON. The operation's type comes from `wickr_admin::for_each_operation!`, the one fact the
//! operation table cannot carry as data.

use serde_json::{Map, Value};
use wickr_admin::operation_shape::OperationShape;
use wickr_admin::Client;

use super::failure::{Failure, Problem};

macro_rules! typed_calls {
    ($( ($name:literal, $op:path) ),* $(,)?) => {
        /// Every operation that can be sent by name, as (subcommand name, model name).
        #[cfg(test)]
        pub const SENDABLE: &[(&str, &str)] = &[$(
            ($name, <$op as OperationShape>::NAME)
        ),*];

        /// Sends the named operation (its subcommand name) with `input`; `None` when the name is
        /// not an operation. `place` names where a path of the input came from, for messages.
        pub async fn call_by_name(
            name: &str,
            client: &Client,
            input: Map<String, Value>,
            place: &dyn Fn(&str) -> String,
        ) -> Option<Result<Value, Failure>> {
            match name {
                $($name => Some(call::<$op>(client, input, place).await),)*
                _ => None,
            }
        }
    };
}

wickr_admin::for_each_operation!(typed_calls);

async fn call<O>(
    client: &Client,
    input: Map<String, Value>,
    place: &dyn Fn(&str) -> String,
) -> Result<Value, Failure>
where
    O: OperationShape,
    O::Input: wickr_admin::json::FromJson,
    O::Output: wickr_admin::json::ToJson,
{
    // Every key must be a member: a misspelled one would otherwise be dropped and the call sent
    // without it (a filter that matches everything, say).
    let input: O::Input = wickr_admin::json::from_value(Value::Object(input))
        .map_err(|e| Failure::input(O::NAME, vec![Problem::new(place(e.path()), e.message())]))?;
    // The model's constraints, checked here so that their problems name flags too.
    O::validate(&input).map_err(|invalid| {
        let problems = invalid
            .violations
            .iter()
            .map(|v| Problem::new(place(&v.path), v.rule.clone()))
            .collect();
        Failure::input(O::NAME, problems)
    })?;
    let output = client
        .call::<O>(input)
        .await
        .map_err(|e| Failure::from_sdk_error(O::NAME, &e))?;
    Ok(wickr_admin::json::to_value(&output))
}
