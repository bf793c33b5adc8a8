//! Auth: the schemes a service offers and those each operation is called with.
//!
//! A service offers the schemes whose traits it carries (`aws.auth#sigv4`,
//! `@httpBearerAuth`), in the order of its `@auth` trait, else in the order of their shape ids,
//! as Smithy defines. An operation uses its own `@auth` list, none with `@optionalAuth` (it is
//! sent unsigned), else the service's. Other auth schemes are traits the generator does not know,
//! and an error.

use serde_json::Value;

use super::Planner;
use crate::index::{get, has};
use crate::model::Shape;
use crate::plan::AuthScheme;
use crate::Error;

/// Every scheme the generator supports, by its trait's shape id, sorted by id.
const SCHEMES: &[(&str, AuthScheme)] = &[
    ("aws.auth#sigv4", AuthScheme::SigV4),
    ("smithy.api#httpBearerAuth", AuthScheme::Bearer),
];

/// The service's schemes in order of preference.
pub(super) fn service_auth(id: &str, service: &Shape) -> Result<Vec<AuthScheme>, Error> {
    let offered: Vec<AuthScheme> = SCHEMES
        .iter()
        .filter(|(trait_id, _)| service.traits.contains_key(*trait_id))
        .map(|(_, scheme)| *scheme)
        .collect();
    match get(&service.traits, "auth") {
        Some(list) => schemes_named(id, list, &offered),
        None => Ok(offered),
    }
}

/// The schemes an `@auth` trait lists, each of which the service must offer.
fn schemes_named(
    owner: &str,
    list: &Value,
    offered: &[AuthScheme],
) -> Result<Vec<AuthScheme>, Error> {
    let ids = list
        .as_array()
        .ok_or_else(|| Error::new(format!("{owner}: @auth is not a list")))?;
    let mut out = Vec::new();
    for id in ids {
        let id = id
            .as_str()
            .ok_or_else(|| Error::new(format!("{owner}: @auth lists a non-string")))?;
        let scheme = SCHEMES
            .iter()
            .find(|(trait_id, _)| *trait_id == id)
            .map(|(_, scheme)| *scheme)
            .ok_or_else(|| {
                Error::new(format!(
                    "{owner}: @auth names {id}, an auth scheme the generator does not support"
                ))
            })?;
        if !offered.contains(&scheme) {
            return Err(Error::new(format!(
                "{owner}: @auth names {id}, which the service does not offer"
            )));
        }
        out.push(scheme);
    }
    Ok(out)
}

impl Planner<'_, '_> {
    /// The schemes an operation is called with, in order of preference; empty when it is sent
    /// unsigned.
    pub(super) fn operation_auth(&self, id: &str, shape: &Shape) -> Result<Vec<AuthScheme>, Error> {
        if has(&shape.traits, "optionalAuth") {
            return Ok(Vec::new());
        }
        match get(&shape.traits, "auth") {
            Some(list) => schemes_named(id, list, &self.service_auth),
            None => Ok(self.service_auth.clone()),
        }
    }
}
