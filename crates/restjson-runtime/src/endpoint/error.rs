//! The two ways endpoint resolution fails: a rule set that cannot be used, and a resolution that
//! produced no endpoint.

use std::fmt;

use super::rule_set::ParameterType;

/// A rule set that cannot be used: malformed JSON, an unknown function, a reference to something
/// not declared, a type that does not fit. Found when the rule set is parsed, never later.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleSetError {
    location: String,
    message: String,
}

impl RuleSetError {
    pub(crate) fn new(location: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            location: location.into(),
            message: message.into(),
        }
    }

    /// Where in the rule set's JSON the problem is, e.g. `rules[1].conditions[0].argv[0]`
    /// (empty for the document as a whole).
    pub fn location(&self) -> &str {
        &self.location
    }

    /// What is wrong there.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for RuleSetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.location.is_empty() {
            write!(f, "invalid endpoint rule set: {}", self.message)
        } else {
            write!(
                f,
                "invalid endpoint rule set at {}: {}",
                self.location, self.message
            )
        }
    }
}

impl std::error::Error for RuleSetError {}

/// Why no endpoint came out of a resolution.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResolveError {
    /// An error rule of the rule set matched. `message` is the rule set's own text (its template
    /// filled in), e.g. `Invalid Configuration: Missing Region`.
    Rule {
        /// The rule set's message.
        message: String,
    },
    /// A value was given for a name the rule set does not declare.
    UnknownParameter {
        /// The name given.
        name: String,
        /// The names the rule set declares.
        declared: Vec<String>,
    },
    /// A value of the wrong type was given for a parameter.
    WrongParameterType {
        /// The parameter.
        name: String,
        /// The built-in the value was bound through, when it was.
        built_in: Option<String>,
        /// The parameter's declared type.
        expected: ParameterType,
        /// The type of the value given.
        found: ParameterType,
    },
    /// A required parameter without a default was not given.
    MissingParameter {
        /// The parameter.
        name: String,
    },
    /// Every rule was tried and none applied (a rule set should end with a catch-all rule).
    NoRuleMatched,
    /// The rule set asked for something the parameters cannot give, e.g. used an unset value
    /// where a function needs one. `message` names the function or template and the rule.
    Evaluation {
        /// What went wrong, and where.
        message: String,
    },
}

impl ResolveError {
    pub(crate) fn evaluation(message: impl Into<String>) -> Self {
        Self::Evaluation {
            message: message.into(),
        }
    }
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Rule { message } => f.write_str(message),
            Self::UnknownParameter { name, declared } => {
                write!(f, "`{name}` is not a parameter of the endpoint rule set")?;
                if declared.is_empty() {
                    write!(f, ", which declares none")
                } else {
                    write!(f, " (it declares {})", declared.join(", "))
                }
            }
            Self::WrongParameterType {
                name,
                built_in,
                expected,
                found,
            } => {
                write!(
                    f,
                    "endpoint parameter `{name}` is a {expected}, but a {found}"
                )?;
                if let Some(built_in) = built_in {
                    write!(f, " was bound to it through the built-in `{built_in}`")
                } else {
                    write!(f, " was given")
                }
            }
            Self::MissingParameter { name } => {
                write!(
                    f,
                    "endpoint parameter `{name}` is required but was not given"
                )
            }
            Self::NoRuleMatched => f.write_str("no endpoint rule applies to the given parameters"),
            Self::Evaluation { message } => f.write_str(message),
        }
    }
}

impl std::error::Error for ResolveError {}
