//! HTTP bindings: which part of the message a member travels in, URI templates, timestamp
//! formats and pagination.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::*;
use crate::index::{get, has, unsupported};

pub(super) fn binding(member_id: &str, traits: &BTreeMap<String, Value>) -> Result<Binding, Error> {
    let mut found = Vec::new();
    let text = |name: &str| -> Result<Option<String>, Error> {
        match get(traits, name) {
            None => Ok(None),
            Some(value) => value
                .as_str()
                .map(|s| Some(s.to_owned()))
                .ok_or_else(|| Error::new(format!("{member_id}: @{name} is not a string"))),
        }
    };
    if has(traits, "httpLabel") {
        found.push(Binding::Label);
    }
    if let Some(key) = text("httpQuery")? {
        found.push(Binding::Query(key));
    }
    if has(traits, "httpQueryParams") {
        found.push(Binding::QueryParams);
    }
    if let Some(name) = text("httpHeader")? {
        found.push(Binding::Header(name));
    }
    if let Some(prefix) = text("httpPrefixHeaders")? {
        found.push(Binding::PrefixHeaders(prefix));
    }
    if has(traits, "httpPayload") {
        found.push(Binding::Payload);
    }
    if has(traits, "httpResponseCode") {
        found.push(Binding::ResponseCode);
    }
    match found.len() {
        0 => Ok(Binding::Body),
        1 => Ok(found.remove(0)),
        _ => Err(Error::new(format!(
            "{member_id}: more than one HTTP binding trait"
        ))),
    }
}

pub(super) fn timestamp_format(
    member_id: &str,
    format: Option<&str>,
    binding: &Binding,
) -> Result<&'static str, Error> {
    Ok(match format {
        Some("epoch-seconds") => "EpochSeconds",
        Some("date-time") => "DateTime",
        Some("http-date") => "HttpDate",
        Some(other) => {
            return Err(unsupported(
                member_id,
                &format!("the timestamp format {other}"),
            ))
        }
        None => match binding {
            Binding::Header(_) => "HttpDate",
            Binding::Label | Binding::Query(_) | Binding::QueryParams => "DateTime",
            _ => "EpochSeconds",
        },
    })
}

pub(super) fn pagination(
    id: &str,
    trait_value: &Value,
    input: &StructPlan,
    output: &StructPlan,
) -> Result<PaginationPlan, Error> {
    let key = |k: &str| -> Result<&str, Error> {
        trait_value
            .get(k)
            .and_then(Value::as_str)
            .ok_or_else(|| unsupported(id, &format!("@paginated without {k}")))
    };
    let find = |s: &StructPlan, name: &str| -> Result<MemberPlan, Error> {
        if name.contains('.') {
            return Err(unsupported(id, "@paginated paths into nested members"));
        }
        s.members
            .iter()
            .find(|m| m.name == name)
            .cloned()
            .ok_or_else(|| {
                Error::new(format!(
                    "{id}: @paginated names {name}, which is not a member"
                ))
            })
    };
    let input_token = find(input, key("inputToken")?)?;
    let output_token = find(output, key("outputToken")?)?;
    let items = match trait_value.get("items") {
        None => None,
        Some(name) => {
            let name = name
                .as_str()
                .ok_or_else(|| Error::new(format!("{id}: @paginated items is not a string")))?;
            let items = find(output, name)?;
            let Ty::List(item_ty) = items.ty else {
                return Err(unsupported(id, "@paginated items that are not a list"));
            };
            Some((items.name, items.field, items.optional, *item_ty))
        }
    };
    if input_token.ty != Ty::String || output_token.ty != Ty::String {
        return Err(unsupported(id, "@paginated tokens that are not strings"));
    }
    let page_size = match trait_value.get("pageSize") {
        None => None,
        Some(value) => {
            let name = value
                .as_str()
                .ok_or_else(|| Error::new(format!("{id}: @paginated pageSize is not a string")))?;
            Some(find(input, name)?.name)
        }
    };
    Ok(PaginationPlan {
        names: PaginationNames {
            input_token: input_token.name,
            output_token: output_token.name,
            items: items.as_ref().map(|i| i.0.clone()),
            page_size,
        },
        input_token: input_token.field,
        output_token: (output_token.field, output_token.optional),
        items: items.map(|(_, field, optional, ty)| (field, optional, ty)),
    })
}

pub(super) fn parse_uri(
    id: &str,
    uri: &str,
    input: &StructPlan,
) -> Result<(Vec<PathPart>, Vec<String>), Error> {
    let (path, query) = uri.split_once('?').unwrap_or((uri, ""));
    let template = Template {
        id,
        shown: uri,
        place: "URI",
        label_trait: "httpLabel",
        greedy: true,
    };
    let parts = template
        .parse(path, input, |m| matches!(m.binding, Binding::Label))?
        .into_iter()
        .map(|piece| match piece {
            Piece::Literal(text) => PathPart::Literal(text),
            Piece::Label { member, greedy } => PathPart::Label { member, greedy },
        })
        .collect();
    let static_query = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect();
    Ok((parts, static_query))
}

/// The pieces of an `@endpoint` host prefix: literal text and `{label}`s, each naming a
/// `@hostLabel` input member. Every `@hostLabel` member must appear.
pub(super) fn parse_host_prefix(
    id: &str,
    prefix: &str,
    input: &StructPlan,
) -> Result<Vec<HostPart>, Error> {
    let template = Template {
        id,
        shown: prefix,
        place: "host prefix",
        label_trait: "hostLabel",
        greedy: false,
    };
    Ok(template
        .parse(prefix, input, |m| m.host_label)?
        .into_iter()
        .map(|piece| match piece {
            Piece::Literal(text) => HostPart::Literal(text),
            Piece::Label { member, .. } => HostPart::Label(member),
        })
        .collect())
}

/// A template with `{label}`s bound to input members: a URI path or a host prefix.
struct Template<'a> {
    /// The operation, for errors.
    id: &'a str,
    /// The template as the model writes it, for errors.
    shown: &'a str,
    /// What the template is, for errors: `URI`, `host prefix`.
    place: &'a str,
    /// The trait that binds a member to a label: `httpLabel`, `hostLabel`.
    label_trait: &'a str,
    /// Whether a label may end with `+` (greedy).
    greedy: bool,
}

/// A piece of a template.
enum Piece {
    Literal(String),
    Label { member: usize, greedy: bool },
}

impl Template<'_> {
    /// Splits `text` into literal text and labels, each naming an input member that `bound`
    /// says carries the label trait; every such member must appear.
    fn parse(
        &self,
        text: &str,
        input: &StructPlan,
        bound: impl Fn(&MemberPlan) -> bool,
    ) -> Result<Vec<Piece>, Error> {
        let (id, shown, place) = (self.id, self.shown, self.place);
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut rest = text;
        let mut used = BTreeSet::new();
        while let Some(start) = rest.find('{') {
            literal.push_str(&rest[..start]);
            let end = rest[start..]
                .find('}')
                .ok_or_else(|| Error::new(format!("{id}: unclosed label in {place} {shown}")))?
                + start;
            let label = &rest[start + 1..end];
            let (name, greedy) = match label.strip_suffix('+').filter(|_| self.greedy) {
                Some(name) => (name, true),
                None => (label, false),
            };
            let member = input
                .members
                .iter()
                .position(|m| m.name == name && bound(m))
                .ok_or_else(|| {
                    Error::new(format!(
                        "{id}: {place} label {name} has no @{} input member",
                        self.label_trait
                    ))
                })?;
            if !literal.is_empty() {
                parts.push(Piece::Literal(std::mem::take(&mut literal)));
            }
            parts.push(Piece::Label { member, greedy });
            used.insert(member);
            rest = &rest[end + 1..];
        }
        literal.push_str(rest);
        if !literal.is_empty() {
            parts.push(Piece::Literal(literal));
        }
        for (i, m) in input.members.iter().enumerate() {
            if bound(m) && !used.contains(&i) {
                return Err(Error::new(format!(
                    "{id}: @{} member {} is not in the {place} {shown}",
                    self.label_trait, m.name
                )));
            }
        }
        Ok(parts)
    }
}
