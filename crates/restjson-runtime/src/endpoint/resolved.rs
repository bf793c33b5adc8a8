//! What a resolution gives: the endpoint's URL, headers and properties, with typed access to
//! the `authSchemes` property.

use std::collections::BTreeMap;

use serde_json::{Map, Value as Json};

/// The endpoint a rule set chose.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResolvedEndpoint {
    pub(crate) url: String,
    pub(crate) headers: BTreeMap<String, Vec<String>>,
    pub(crate) properties: Map<String, Json>,
}

impl ResolvedEndpoint {
    /// The URL requests go to, e.g. `https://admin.wickr.us-east-1.amazonaws.com`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Headers every request to this endpoint carries, by name.
    pub fn headers(&self) -> &BTreeMap<String, Vec<String>> {
        &self.headers
    }

    /// The endpoint's properties, e.g. `authSchemes`.
    pub fn properties(&self) -> &Map<String, Json> {
        &self.properties
    }

    /// The authentication schemes of the `authSchemes` property, in the rule set's order of
    /// preference (none when the property is absent).
    pub fn auth_schemes(&self) -> impl Iterator<Item = AuthScheme<'_>> {
        self.properties
            .get("authSchemes")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
            .filter_map(|scheme| scheme.as_object().map(|fields| AuthScheme { fields }))
    }

    /// The scheme called `name` (e.g. `sigv4`), if the endpoint lists one.
    pub fn auth_scheme(&self, name: &str) -> Option<AuthScheme<'_>> {
        self.auth_schemes().find(|scheme| scheme.name() == name)
    }

    /// The URL, headers and properties, taken apart.
    pub fn into_parts(self) -> (String, BTreeMap<String, Vec<String>>, Map<String, Json>) {
        (self.url, self.headers, self.properties)
    }
}

/// One entry of an endpoint's `authSchemes`: how requests to it are signed. The rule set's
/// parse checked the types of the fields read here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuthScheme<'e> {
    fields: &'e Map<String, Json>,
}

impl<'e> AuthScheme<'e> {
    /// The scheme, e.g. `sigv4` or `sigv4a`.
    pub fn name(&self) -> &'e str {
        self.string("name").unwrap_or_default()
    }

    /// The service name to sign with, when the endpoint sets one.
    pub fn signing_name(&self) -> Option<&'e str> {
        self.string("signingName")
    }

    /// The region to sign with (SigV4), when the endpoint sets one.
    pub fn signing_region(&self) -> Option<&'e str> {
        self.string("signingRegion")
    }

    /// The regions to sign for (SigV4a), when the endpoint sets them.
    pub fn signing_region_set(&self) -> Option<Vec<&'e str>> {
        let items = self.fields.get("signingRegionSet")?.as_array()?;
        items.iter().map(Json::as_str).collect()
    }

    /// Whether the path must not be encoded a second time when signing.
    pub fn disable_double_encoding(&self) -> bool {
        self.boolean("disableDoubleEncoding")
    }

    /// Whether the path must not be normalized when signing.
    pub fn disable_normalize_path(&self) -> bool {
        self.boolean("disableNormalizePath")
    }

    /// Any field, by its name in the rule set.
    pub fn get(&self, field: &str) -> Option<&'e Json> {
        self.fields.get(field)
    }

    fn string(&self, field: &str) -> Option<&'e str> {
        self.fields.get(field).and_then(Json::as_str)
    }

    fn boolean(&self, field: &str) -> bool {
        self.fields
            .get(field)
            .and_then(Json::as_bool)
            .unwrap_or(false)
    }
}
