//! Applying a parsed rule set to the parameters of one resolution.
//!
//! Rules are tried in order. A rule applies when each of its conditions gives a value that is
//! set and not `false`; then an endpoint rule gives its endpoint, an error rule its message, and
//! a tree rule the outcome of its own rules (a tree is final: when none of its rules applies,
//! the resolution fails rather than going on to the tree's siblings).

use std::collections::BTreeMap;
use std::rc::Rc;

use serde_json::{Map, Value as Json};

use super::arn::Arn;
use super::error::ResolveError;
use super::function::Function;
use super::params::{self, Params};
use super::partition::Partitions;
use super::resolved::ResolvedEndpoint;
use super::rule_set::{Condition, EndpointTemplate, Expr, Outcome, Property, Rule, RuleSet};
use super::s3_bucket::is_virtual_hostable_s3_bucket;
use super::string_functions::{is_valid_host_label, substring, uri_encode};
use super::template::{Template, TemplatePart};
use super::url::Url;
use super::value::{Text, TextList, Type, Value};

/// Resolves `params` with `rule_set`; `aws.partition` reads `partitions`, or the built-in table
/// when there are none.
pub(crate) fn resolve(
    rule_set: &RuleSet,
    params: &Params,
    partitions: Option<&Partitions>,
) -> Result<ResolvedEndpoint, ResolveError> {
    let mut evaluation = Evaluation {
        slots: params::bind(rule_set, params)?,
        rule: "",
        partitions,
    };
    evaluation.rules(&rule_set.rules)
}

struct Evaluation<'a> {
    /// Parameters, then variables, by the slot numbers the parse gave them.
    slots: Vec<Option<Value<'a>>>,
    /// Where the rule being tried is, for messages.
    rule: &'a str,
    partitions: Option<&'a Partitions>,
}

impl<'a> Evaluation<'a> {
    fn rules(&mut self, rules: &'a [Rule]) -> Result<ResolvedEndpoint, ResolveError> {
        for rule in rules {
            self.rule = &rule.location;
            if !self.conditions_hold(&rule.conditions)? {
                continue;
            }
            return match &rule.outcome {
                Outcome::Endpoint(endpoint) => self.endpoint(endpoint),
                Outcome::Error(message) => Err(ResolveError::Rule {
                    message: self.string(message, "the error message")?,
                }),
                Outcome::Tree(rules) => self.rules(rules),
            };
        }
        Err(ResolveError::NoRuleMatched)
    }

    fn conditions_hold(&mut self, conditions: &'a [Condition]) -> Result<bool, ResolveError> {
        for condition in conditions {
            let value = self.eval(&condition.call)?;
            let holds = !matches!(value, None | Some(Value::Boolean(false)));
            if let Some(slot) = condition.assign.and_then(|s| self.slots.get_mut(s)) {
                *slot = value;
            }
            if !holds {
                return Ok(false);
            }
        }
        Ok(true)
    }

    fn eval(&self, expr: &'a Expr) -> Result<Option<Value<'a>>, ResolveError> {
        Ok(match expr {
            Expr::String(text) => Some(Value::String(Text::Borrowed(text))),
            Expr::Boolean(b) => Some(Value::Boolean(*b)),
            Expr::Integer(n) => Some(Value::Integer(*n)),
            Expr::StringArray(items) => Some(Value::StringArray(TextList::Borrowed(items))),
            Expr::Template(template) => {
                Some(Value::String(Text::Shared(self.render(template)?.into())))
            }
            Expr::Ref { slot } => self.slots.get(*slot).cloned().flatten(),
            Expr::GetAttr { target, path } => match self.eval(target)? {
                Some(value) => path.get(&value),
                None => return Err(self.unset(Function::GetAttr, 0)),
            },
            Expr::Call { function, args } => self.call(*function, args)?,
        })
    }

    fn call(
        &self,
        function: Function,
        args: &'a [Expr],
    ) -> Result<Option<Value<'a>>, ResolveError> {
        // The parse checked each function's number of arguments.
        let expr = |index: usize| {
            args.get(index).ok_or_else(|| {
                ResolveError::evaluation(format!(
                    "`{}` in {} lacks argument {}",
                    function.name(),
                    self.rule,
                    index + 1
                ))
            })
        };
        let arg = |index: usize| -> Result<Value<'a>, ResolveError> {
            self.eval(expr(index)?)?
                .ok_or_else(|| self.unset(function, index))
        };
        let string = |index| match arg(index)? {
            Value::String(text) => Ok(text),
            other => Err(self.mistyped(function, index, Type::String, &other)),
        };
        let boolean = |index| match arg(index)? {
            Value::Boolean(b) => Ok(b),
            other => Err(self.mistyped(function, index, Type::Boolean, &other)),
        };
        let integer = |index| match arg(index)? {
            Value::Integer(n) => Ok(n),
            other => Err(self.mistyped(function, index, Type::Integer, &other)),
        };
        let result = match function {
            Function::IsSet => Value::Boolean(self.eval(expr(0)?)?.is_some()),
            Function::Not => Value::Boolean(!boolean(0)?),
            Function::BooleanEquals => Value::Boolean(boolean(0)? == boolean(1)?),
            Function::StringEquals => Value::Boolean(string(0)?.as_str() == string(1)?.as_str()),
            Function::GetAttr => {
                // The parse compiles every getAttr to `Expr::GetAttr`, with its path.
                return Err(ResolveError::evaluation(format!(
                    "`getAttr` in {} has no compiled path",
                    self.rule
                )));
            }
            Function::Substring => {
                let (text, start, stop, reverse) =
                    (string(0)?, integer(1)?, integer(2)?, boolean(3)?);
                let part = match text {
                    Text::Borrowed(text) => {
                        substring(text, start, stop, reverse).map(Text::Borrowed)
                    }
                    Text::Shared(text) => {
                        substring(&text, start, stop, reverse).map(|part| Text::Shared(part.into()))
                    }
                };
                return Ok(part.map(Value::String));
            }
            Function::IsValidHostLabel => {
                Value::Boolean(is_valid_host_label(string(0)?.as_str(), boolean(1)?))
            }
            Function::ParseUrl => {
                return Ok(Url::parse(string(0)?.as_str()).map(|url| Value::Url(Rc::new(url))))
            }
            Function::UriEncode => {
                Value::String(Text::Shared(uri_encode(string(0)?.as_str()).into()))
            }
            Function::AwsPartition => {
                let partitions = match self.partitions {
                    Some(partitions) => partitions,
                    None => Partitions::built_in()
                        .map_err(|e| ResolveError::evaluation(e.to_string()))?,
                };
                return Ok(partitions.find(string(0)?.as_str()).map(Value::Partition));
            }
            Function::AwsParseArn => {
                return Ok(Arn::parse(string(0)?.as_str()).map(|arn| Value::Arn(Rc::new(arn))))
            }
            Function::AwsIsVirtualHostableS3Bucket => Value::Boolean(
                is_virtual_hostable_s3_bucket(string(0)?.as_str(), boolean(1)?),
            ),
        };
        Ok(Some(result))
    }

    fn endpoint(&self, endpoint: &'a EndpointTemplate) -> Result<ResolvedEndpoint, ResolveError> {
        let url = self.string(&endpoint.url, "the endpoint URL")?;
        check_url(&url, self.rule)?;
        let mut headers = BTreeMap::new();
        for (name, values) in &endpoint.headers {
            let values = values
                .iter()
                .map(|value| self.string(value, "a header value"))
                .collect::<Result<Vec<_>, _>>()?;
            headers.insert(name.clone(), values);
        }
        let mut properties = Map::new();
        for (name, property) in &endpoint.properties {
            properties.insert(name.clone(), self.property(property)?);
        }
        Ok(ResolvedEndpoint {
            url,
            headers,
            properties,
        })
    }

    fn property(&self, property: &'a Property) -> Result<Json, ResolveError> {
        Ok(match property {
            Property::Literal(json) => json.clone(),
            Property::Template(template) => Json::String(self.render(template)?),
            Property::Array(items) => Json::Array(
                items
                    .iter()
                    .map(|item| self.property(item))
                    .collect::<Result<_, _>>()?,
            ),
            Property::Object(fields) => Json::Object(
                fields
                    .iter()
                    .map(|(key, value)| Ok((key.clone(), self.property(value)?)))
                    .collect::<Result<_, ResolveError>>()?,
            ),
        })
    }

    /// The text of a string expression (`what` it is names it in messages).
    fn string(&self, expr: &'a Expr, what: &str) -> Result<String, ResolveError> {
        match expr {
            Expr::String(text) => Ok(text.to_string()),
            Expr::Template(template) => self.render(template),
            _ => match self.eval(expr)? {
                Some(Value::String(text)) => Ok(text.as_str().to_owned()),
                Some(other) => Err(ResolveError::evaluation(format!(
                    "{what} in {} is {}, not a string",
                    self.rule,
                    other.value_type().name()
                ))),
                None => Err(ResolveError::evaluation(format!(
                    "{what} in {} is an unset value",
                    self.rule
                ))),
            },
        }
    }

    fn render(&self, template: &'a Template) -> Result<String, ResolveError> {
        let mut text = String::with_capacity(template.literal_len() + 32);
        for part in &template.parts {
            let (slot, path, source) = match part {
                TemplatePart::Literal(literal) => {
                    text.push_str(literal);
                    continue;
                }
                TemplatePart::Value { slot, path, source } => (*slot, path, source),
            };
            let value = self.slots.get(slot).and_then(Option::as_ref);
            let value = match (value, path) {
                (Some(Value::String(part)), None) => {
                    text.push_str(part.as_str());
                    continue;
                }
                (Some(value), Some(path)) => path.get(value),
                (Some(value), None) => Some(value.clone()),
                (None, _) => None,
            };
            match value {
                Some(Value::String(part)) => text.push_str(part.as_str()),
                Some(other) => {
                    return Err(ResolveError::evaluation(format!(
                        "`{{{source}}}` in {} is {}, not a string",
                        self.rule,
                        other.value_type().name()
                    )))
                }
                None => {
                    return Err(ResolveError::evaluation(format!(
                        "`{{{source}}}` in {} refers to an unset value",
                        self.rule
                    )))
                }
            }
        }
        Ok(text)
    }

    fn unset(&self, function: Function, index: usize) -> ResolveError {
        ResolveError::evaluation(format!(
            "`{}` in {} was given an unset value as argument {}",
            function.name(),
            self.rule,
            index + 1
        ))
    }

    fn mistyped(
        &self,
        function: Function,
        index: usize,
        wanted: Type,
        found: &Value,
    ) -> ResolveError {
        ResolveError::evaluation(format!(
            "`{}` in {} was given {} as argument {}, where it takes {}",
            function.name(),
            self.rule,
            found.value_type().name(),
            index + 1,
            wanted.name()
        ))
    }
}

/// An endpoint URL must be absolute, `http` or `https`, with a host: a custom endpoint given
/// without its scheme is caught here rather than by the HTTP client.
fn check_url(url: &str, rule: &str) -> Result<(), ResolveError> {
    let host = url.split_once("://").and_then(|(scheme, rest)| {
        let web = scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https");
        web.then_some(rest)
    });
    match host {
        Some(rest) if !rest.is_empty() && !rest.starts_with(['/', '?', '#', ':']) => Ok(()),
        _ => Err(ResolveError::evaluation(format!(
            "the endpoint URL `{url}` chosen by {rule} is not an absolute http or https URL with a host"
        ))),
    }
}
