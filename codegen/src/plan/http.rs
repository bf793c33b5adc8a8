//! HTTP bindings: which part of the message a member travels in, URI templates, timestamp
//! formats and pagination.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::*;
use crate::index::{get, has, unsupported};

pub(super) fn binding(member_id: &str, traits: &BTreeMap<String, Value>) -> Result<Binding, Error> {
    let mut found = Vec::new();
    if has(traits, "httpLabel") {
        found.push(Binding::Label);
    }
    if let Some(key) = get(traits, "httpQuery") {
        let key = key
            .as_str()
            .ok_or_else(|| Error::new(format!("{member_id}: @httpQuery is not a string")))?;
        found.push(Binding::Query(key.to_owned()));
    }
    if let Some(name) = get(traits, "httpHeader") {
        let name = name
            .as_str()
            .ok_or_else(|| Error::new(format!("{member_id}: @httpHeader is not a string")))?;
        found.push(Binding::Header(name.to_owned()));
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
            Binding::Body => "EpochSeconds",
            Binding::Header(_) => "HttpDate",
            Binding::Label | Binding::Query(_) => "DateTime",
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
    let items = find(output, key("items")?)?;
    let Ty::List(item_ty) = items.ty else {
        return Err(unsupported(id, "@paginated items that are not a list"));
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
            items: items.name.clone(),
            page_size,
        },
        input_token: input_token.field,
        output_token: (output_token.field, output_token.optional),
        items: (items.field, items.optional, *item_ty),
    })
}

pub(super) fn parse_uri(
    id: &str,
    uri: &str,
    input: &StructPlan,
) -> Result<(Vec<PathPart>, Vec<String>), Error> {
    let (path, query) = uri.split_once('?').unwrap_or((uri, ""));
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut rest = path;
    let mut labels = BTreeSet::new();
    while let Some(start) = rest.find('{') {
        literal.push_str(&rest[..start]);
        let end = rest[start..]
            .find('}')
            .ok_or_else(|| Error::new(format!("{id}: unclosed label in URI {uri}")))?
            + start;
        let label = &rest[start + 1..end];
        let (name, greedy) = match label.strip_suffix('+') {
            Some(name) => (name, true),
            None => (label, false),
        };
        let index = input
            .members
            .iter()
            .position(|m| m.name == name && matches!(m.binding, Binding::Label))
            .ok_or_else(|| {
                Error::new(format!(
                    "{id}: URI label {name} has no @httpLabel input member"
                ))
            })?;
        if !literal.is_empty() {
            parts.push(PathPart::Literal(std::mem::take(&mut literal)));
        }
        parts.push(PathPart::Label {
            member: index,
            greedy,
        });
        labels.insert(index);
        rest = &rest[end + 1..];
    }
    literal.push_str(rest);
    if !literal.is_empty() {
        parts.push(PathPart::Literal(literal));
    }
    for (i, m) in input.members.iter().enumerate() {
        if let Binding::Label = m.binding {
            if !labels.contains(&i) {
                return Err(Error::new(format!(
                    "{id}: @httpLabel member {} is not in the URI {uri}",
                    m.name
                )));
            }
        }
    }
    let static_query = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect();
    Ok((parts, static_query))
}
