//! Input validation from the model's constraints, run before anything is sent.

use std::fmt;

/// One broken constraint: where, and which rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// Field path from the input root, e.g. `users[3].username`.
    pub path: String,
    /// The rule broken, e.g. `length must be between 8 and 8, got 3`.
    pub rule: String,
}

/// Every constraint an input breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidInput {
    /// The operation the input was for.
    pub operation: &'static str,
    /// The broken constraints, in field order.
    pub violations: Vec<Violation>,
}

impl fmt::Display for InvalidInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {} input: ", self.operation)?;
        for (i, v) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}: {}", v.path, v.rule)?;
        }
        Ok(())
    }
}

impl std::error::Error for InvalidInput {}
