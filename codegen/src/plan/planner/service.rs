//! The service-wide facts: SDK id, version, signing name, title, and the errors worth another
//! attempt (from `@retryable` and the overlay).

use serde_json::Value;

use super::super::*;
use crate::index::{get, get_str, Index};
use crate::model::Shape;
use crate::Overlay;

/// The service's SDK id, version, signing name and title.
pub(super) fn service_facts(id: &str, service: &Shape) -> Result<ServicePlan, Error> {
    let name = local_name(id);
    let sdk_id = match service.traits.get("aws.api#service") {
        Some(value) => value
            .get("sdkId")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::new(format!("{id}: aws.api#service has no sdkId string")))?,
        None => name,
    };
    let signing_name = match service.traits.get("aws.auth#sigv4") {
        Some(value) => Some(
            value
                .get("name")
                .and_then(Value::as_str)
                .ok_or_else(|| Error::new(format!("{id}: aws.auth#sigv4 has no name string")))?
                .to_owned(),
        ),
        None => None,
    };
    Ok(ServicePlan {
        shape_id: id.to_owned(),
        sdk_id: sdk_id.to_owned(),
        version: service.version.clone().unwrap_or_default(),
        signing_name,
        title: get_str(&service.traits, "title").unwrap_or(name).to_owned(),
        retryable: Vec::new(),
        endpoint: EndpointPlan::default(),
        aws_query_compatible: service
            .traits
            .contains_key("aws.protocols#awsQueryCompatible"),
        auth: Vec::new(),
    })
}

/// The errors worth another attempt: those the model marks `@retryable`, and those the overlay
/// names. An overlay entry must name an error the service uses and the model leaves unmarked.
pub(super) fn retryable_errors(
    index: &Index<'_>,
    errors: &[StructPlan],
    overlay: &Overlay,
) -> Result<Vec<(String, RetryKind)>, Error> {
    let mut out = Vec::new();
    for extra in &overlay.retryable {
        if !errors.iter().any(|e| e.id == extra.error) {
            return Err(Error::new(format!(
                "the overlay marks {} retryable, which is not an error the service uses",
                extra.error
            )));
        }
    }
    for error in errors {
        let shape = index.shape(&error.id)?;
        let modeled = get(&shape.traits, "retryable");
        let extra = overlay.retryable.iter().find(|e| e.error == error.id);
        let throttling = match (modeled, extra) {
            (Some(_), Some(_)) => {
                return Err(Error::new(format!(
                    "the overlay marks {} retryable, but the model already does: remove it from \
                     the overlay",
                    error.id
                )))
            }
            (Some(value), None) => value
                .get("throttling")
                .map(|t| {
                    t.as_bool().ok_or_else(|| {
                        Error::new(format!(
                            "{}: @retryable throttling is not a boolean",
                            error.id
                        ))
                    })
                })
                .transpose()?
                .unwrap_or(false),
            (None, Some(extra)) => extra.throttling,
            (None, None) => continue,
        };
        let kind = if throttling {
            RetryKind::ThrottlingError
        } else if get_str(&shape.traits, "error") == Some("server") {
            RetryKind::ServerError
        } else {
            RetryKind::TransientError
        };
        out.push((error.name.clone(), kind));
    }
    Ok(out)
}
