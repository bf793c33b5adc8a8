//! Reading a rule set's JSON into a [`RuleSet`], with every check that does not need the
//! parameters' values: known functions and arities, names in scope, argument types, template
//! syntax, `getAttr` paths, parameter declarations and the shape of endpoints.

mod document;
mod endpoint;
mod parameters;

use serde_json::{Map, Value as Json};

use super::error::RuleSetError;
use super::function::{Argument, Function};
use super::rule_set::{Condition, Expr, Outcome, ParameterType, Rule, RuleSet};
use super::template::{self, is_identifier, Piece, Template, TemplatePart};
use super::value::{AttrPath, Type};
use document::{allow_keys, array, join, object, required, string};

/// The rule set versions this engine reads. 1.1 added functions (`coalesce`, `ite`, `split`)
/// this engine does not have; a rule set that calls one is refused by name.
const SUPPORTED_VERSIONS: [&str; 2] = ["1.0", "1.1"];

pub(crate) fn rule_set(json: &Json) -> Result<RuleSet, RuleSetError> {
    let object = object(json, "")?;
    allow_keys(
        object,
        "",
        &[
            "version",
            "serviceId",
            "parameters",
            "rules",
            "documentation",
        ],
    )?;
    let version = string(required(object, "", "version")?, "version")?;
    if !SUPPORTED_VERSIONS.contains(&version) {
        return Err(RuleSetError::new(
            "version",
            format!(
                "version `{version}` is not one this engine reads ({})",
                SUPPORTED_VERSIONS.join(", ")
            ),
        ));
    }
    let parameters = parameters::parameters(required(object, "", "parameters")?)?;
    let mut parser = Parser {
        scope: parameters
            .iter()
            .enumerate()
            .map(|(slot, p)| Binding {
                name: p.name.clone(),
                slot,
                value_type: match p.parameter_type {
                    ParameterType::String => Type::String,
                    ParameterType::Boolean => Type::Boolean,
                    ParameterType::StringArray => Type::StringArray,
                },
            })
            .collect(),
        slot_count: parameters.len(),
    };
    let rules = parser.rules(required(object, "", "rules")?, "rules")?;
    Ok(RuleSet {
        parameters,
        rules,
        slot_count: parser.slot_count,
    })
}

/// A name in scope: a parameter, or a variable assigned by a condition of this rule or of an
/// enclosing tree rule.
struct Binding {
    name: String,
    slot: usize,
    value_type: Type,
}

/// Walks the rules in order, keeping the names in scope and numbering the slots.
struct Parser {
    scope: Vec<Binding>,
    slot_count: usize,
}

impl Parser {
    fn rules(&mut self, json: &Json, at: &str) -> Result<Vec<Rule>, RuleSetError> {
        let items = array(json, at)?;
        if items.is_empty() {
            return Err(RuleSetError::new(at, "a list of rules must not be empty"));
        }
        items
            .iter()
            .enumerate()
            .map(|(index, item)| self.rule(item, &format!("{at}[{index}]")))
            .collect()
    }

    fn rule(&mut self, json: &Json, at: &str) -> Result<Rule, RuleSetError> {
        let rule = object(json, at)?;
        let kind = string(required(rule, at, "type")?, &join(at, "type"))?;
        let outcome_key = match kind {
            "endpoint" => "endpoint",
            "error" => "error",
            "tree" => "rules",
            _ => {
                return Err(RuleSetError::new(
                    join(at, "type"),
                    format!("unknown rule type `{kind}` (endpoint, error or tree)"),
                ))
            }
        };
        allow_keys(
            rule,
            at,
            &["type", "conditions", outcome_key, "documentation"],
        )?;
        let conditions_at = join(at, "conditions");
        let scope_before = self.scope.len();
        let conditions = array(required(rule, at, "conditions")?, &conditions_at)?
            .iter()
            .enumerate()
            .map(|(index, item)| self.condition(item, &format!("{conditions_at}[{index}]")))
            .collect::<Result<Vec<_>, _>>()?;
        let outcome_json = required(rule, at, outcome_key)?;
        let outcome_at = join(at, outcome_key);
        let outcome = match kind {
            "endpoint" => Outcome::Endpoint(self.endpoint(outcome_json, &outcome_at)?),
            "error" => Outcome::Error(self.typed(outcome_json, &outcome_at, Type::String)?),
            _ => Outcome::Tree(self.rules(outcome_json, &outcome_at)?),
        };
        // What this rule's conditions assigned is not visible to the rules after it.
        self.scope.truncate(scope_before);
        Ok(Rule {
            location: at.into(),
            conditions,
            outcome,
        })
    }

    fn condition(&mut self, json: &Json, at: &str) -> Result<Condition, RuleSetError> {
        let condition = object(json, at)?;
        allow_keys(condition, at, &["fn", "argv", "assign", "documentation"])?;
        if !condition.contains_key("fn") {
            return Err(RuleSetError::new(
                at,
                r#"a condition is a function call: {"fn": ..., "argv": [...]}"#,
            ));
        }
        let (call, value_type) = self.call(condition, at)?;
        let assign = match condition.get("assign") {
            Some(name) => {
                let assign_at = join(at, "assign");
                let name = string(name, &assign_at)?;
                if !is_identifier(name) {
                    return Err(RuleSetError::new(
                        assign_at,
                        format!("`{name}` is not a valid variable name"),
                    ));
                }
                if self.scope.iter().any(|b| b.name == name) {
                    return Err(RuleSetError::new(
                        assign_at,
                        format!("`{name}` is already a parameter or a variable in scope"),
                    ));
                }
                let slot = self.slot_count;
                self.slot_count += 1;
                self.scope.push(Binding {
                    name: name.to_owned(),
                    slot,
                    value_type,
                });
                Some(slot)
            }
            None => None,
        };
        Ok(Condition { call, assign })
    }

    /// An expression that must have type `expected`.
    fn typed(&mut self, json: &Json, at: &str, expected: Type) -> Result<Expr, RuleSetError> {
        let (expr, found) = self.expr(json, at)?;
        if found != expected {
            return Err(RuleSetError::new(
                at,
                format!("expected {}, found {}", expected.name(), found.name()),
            ));
        }
        Ok(expr)
    }

    fn expr(&mut self, json: &Json, at: &str) -> Result<(Expr, Type), RuleSetError> {
        match json {
            Json::String(text) => {
                let expr = match self.template(text, at)? {
                    StringOrTemplate::String(text) => Expr::String(text.into()),
                    StringOrTemplate::Template(template) => Expr::Template(template),
                };
                Ok((expr, Type::String))
            }
            Json::Bool(b) => Ok((Expr::Boolean(*b), Type::Boolean)),
            Json::Number(n) => match n.as_i64() {
                Some(n) => Ok((Expr::Integer(n), Type::Integer)),
                None => Err(RuleSetError::new(at, format!("{n} is not an integer"))),
            },
            Json::Array(items) => {
                let strings = items
                    .iter()
                    .map(|item| item.as_str().map(str::to_owned))
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| RuleSetError::new(at, "a list must hold only strings"))?;
                Ok((Expr::StringArray(strings), Type::StringArray))
            }
            Json::Object(object) if object.contains_key("ref") => {
                allow_keys(object, at, &["ref"])?;
                let name = string(required(object, at, "ref")?, &join(at, "ref"))?;
                let binding = self.lookup(name, at)?;
                Ok((Expr::Ref { slot: binding.slot }, binding.value_type))
            }
            Json::Object(object) if object.contains_key("fn") => {
                allow_keys(object, at, &["fn", "argv"])?;
                self.call(object, at)
            }
            Json::Object(_) => Err(RuleSetError::new(
                at,
                r#"an object here must be a reference {"ref": ...} or a function call {"fn": ..., "argv": [...]}"#,
            )),
            Json::Null => Err(RuleSetError::new(at, "null is not a value")),
        }
    }

    fn call(&mut self, call: &Map<String, Json>, at: &str) -> Result<(Expr, Type), RuleSetError> {
        let fn_at = join(at, "fn");
        let name = string(required(call, at, "fn")?, &fn_at)?;
        let function = Function::named(name).ok_or_else(|| {
            let known: Vec<_> = Function::known_names().collect();
            RuleSetError::new(
                &fn_at,
                format!(
                    "unknown function `{name}` (this engine has {})",
                    known.join(", ")
                ),
            )
        })?;
        let argv_at = join(at, "argv");
        let argv = array(required(call, at, "argv")?, &argv_at)?;
        let expected = function.arguments();
        if argv.len() != expected.len() {
            return Err(RuleSetError::new(
                argv_at,
                format!(
                    "`{name}` takes {} argument(s), {} given",
                    expected.len(),
                    argv.len()
                ),
            ));
        }
        let arg_at = |index: usize| format!("{argv_at}[{index}]");
        if function == Function::GetAttr {
            let (target, target_type) = self.expr(&argv[0], &arg_at(0))?;
            let path_text = argv[1].as_str().ok_or_else(|| {
                RuleSetError::new(arg_at(1), "the path of `getAttr` must be a literal string")
            })?;
            let path = AttrPath::parse(path_text).map_err(|e| RuleSetError::new(arg_at(1), e))?;
            let value_type = path
                .result_type(target_type)
                .map_err(|e| RuleSetError::new(arg_at(1), e))?;
            let target = Box::new(target);
            return Ok((Expr::GetAttr { target, path }, value_type));
        }
        let mut args = Vec::with_capacity(argv.len());
        for (index, (json, argument)) in argv.iter().zip(expected).enumerate() {
            let (expr, found) = self.expr(json, &arg_at(index))?;
            if let Argument::Of(wanted) = argument {
                if *wanted != found {
                    return Err(RuleSetError::new(
                        arg_at(index),
                        format!(
                            "`{name}` takes {} here, not {}",
                            wanted.name(),
                            found.name()
                        ),
                    ));
                }
            }
            args.push(expr);
        }
        Ok((Expr::Call { function, args }, function.result()))
    }

    fn lookup(&self, name: &str, at: &str) -> Result<&Binding, RuleSetError> {
        self.scope
            .iter()
            .rev()
            .find(|b| b.name == name)
            .ok_or_else(|| {
                RuleSetError::new(
                    at,
                    format!(
                        "`{name}` is not a declared parameter, nor a variable assigned earlier in \
                         this rule or an enclosing one"
                    ),
                )
            })
    }

    /// A template string, resolved against the names in scope.
    fn template(&self, text: &str, at: &str) -> Result<StringOrTemplate, RuleSetError> {
        let pieces = template::split(text).map_err(|e| RuleSetError::new(at, e))?;
        match pieces.as_slice() {
            [] => return Ok(StringOrTemplate::String(String::new())),
            [Piece::Literal(text)] => return Ok(StringOrTemplate::String(text.clone())),
            _ => {}
        }
        let mut parts = Vec::with_capacity(pieces.len());
        for piece in pieces {
            let part = match piece {
                Piece::Literal(text) => TemplatePart::Literal(text.into()),
                Piece::Placeholder { name, path, source } => {
                    let binding = self.lookup(name, at)?;
                    let in_placeholder = |e| RuleSetError::new(at, format!("`{{{source}}}`: {e}"));
                    let (path, value_type) = match path {
                        Some(path) => {
                            let path = AttrPath::parse(path).map_err(in_placeholder)?;
                            let value_type = path
                                .result_type(binding.value_type)
                                .map_err(in_placeholder)?;
                            (Some(path), value_type)
                        }
                        None => (None, binding.value_type),
                    };
                    if value_type != Type::String {
                        return Err(RuleSetError::new(
                            at,
                            format!(
                                "`{{{source}}}` is {}; a template can only hold strings",
                                value_type.name()
                            ),
                        ));
                    }
                    TemplatePart::Value {
                        slot: binding.slot,
                        path,
                        source: source.into(),
                    }
                }
            };
            parts.push(part);
        }
        Ok(StringOrTemplate::Template(Template { parts }))
    }
}

/// A string of a rule set: plain text, or a template with placeholders.
enum StringOrTemplate {
    String(String),
    Template(Template),
}
