//! Printing an answer as the AWS CLI prints it: `--query` (JMESPath) first, then `json` (four
//! spaces of indentation, nothing for an empty object), `text` (tab-separated, see `text.rs`) or
//! `table` (boxed, see `table.rs`).
//!
//! A paginated answer is the merge of its pages for `json` and `table`: the items of every page
//! under the items member, the first page's other members, and `NextToken` when `--max-items`
//! stopped before the end. `text` prints page by page, the query applied to each page, and
//! `NEXTTOKEN` last, as the AWS CLI does.

mod table;
mod text;

use serde_json::{Map, Value};

/// How the answer is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Text,
    Table,
}

impl Format {
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "json" => Some(Self::Json),
            "text" => Some(Self::Text),
            "table" => Some(Self::Table),
            _ => None,
        }
    }
}

/// What the calls answered.
#[derive(Debug)]
pub enum Answer {
    /// One call's output.
    One(Value),
    /// Every page of a paginated operation.
    Pages {
        pages: Vec<Value>,
        /// The output member with the items.
        items: &'static str,
        /// The output member with the next page's token.
        output_token: &'static str,
        /// Where to continue (`--starting-token`) when `--max-items` stopped early.
        resume: Option<String>,
    },
}

impl Answer {
    /// The answer as one value: pages merged.
    pub fn merged(&self) -> Value {
        match self {
            Self::One(value) => value.clone(),
            Self::Pages {
                pages,
                items,
                output_token,
                resume,
            } => {
                let mut merged = match pages.first() {
                    Some(Value::Object(first)) => first.clone(),
                    _ => Map::new(),
                };
                merged.remove(*output_token);
                let all: Vec<Value> = pages
                    .iter()
                    .filter_map(|page| page.get(*items).and_then(Value::as_array))
                    .flatten()
                    .cloned()
                    .collect();
                merged.insert((*items).to_owned(), Value::Array(all));
                if let Some(token) = resume {
                    merged.insert("NextToken".to_owned(), Value::String(token.clone()));
                }
                Value::Object(merged)
            }
        }
    }
}

/// A compiled `--query`.
pub struct Query(jmespath::Expression<'static>);

impl Query {
    pub fn compile(expression: &str) -> Result<Self, String> {
        jmespath::compile(expression)
            .map(Self)
            .map_err(|e| e.to_string().replace('\n', " "))
    }

    fn apply(&self, value: &Value) -> Result<Value, String> {
        let found = self
            .0
            .search(value)
            .map_err(|e| format!("--query: {}", e.to_string().replace('\n', " ")))?;
        serde_json::to_value(&*found).map_err(|e| format!("--query result: {e}"))
    }
}

/// The printed answer of `operation` (its model name titles a table).
pub fn render(
    operation: &str,
    answer: &Answer,
    format: Format,
    query: Option<&Query>,
) -> Result<String, String> {
    let queried = |value: Value| match query {
        Some(query) => query.apply(&value),
        None => Ok(value),
    };
    match format {
        Format::Json => json(&queried(answer.merged())?),
        Format::Table => Ok(table::format(
            operation,
            &queried(answer.merged())?,
            terminal_width(),
        )),
        Format::Text => match answer {
            Answer::One(value) => Ok(text::format(&queried(value.clone())?)),
            Answer::Pages {
                pages,
                items,
                output_token,
                resume,
            } => {
                let mut out = String::new();
                for (i, page) in pages.iter().enumerate() {
                    let mut shown = Map::new();
                    if let Value::Object(fields) = page {
                        for (key, value) in fields {
                            let keep = if i == 0 {
                                key != output_token
                            } else {
                                key == items
                            };
                            if keep {
                                shown.insert(key.clone(), value.clone());
                            }
                        }
                    }
                    out.push_str(&text::format(&queried(Value::Object(shown))?));
                }
                if let Some(token) = resume {
                    out.push_str(&format!("NEXTTOKEN\t{token}\n"));
                }
                Ok(out)
            }
        },
    }
}

/// JSON with four spaces of indentation and a final line break; nothing for an empty object.
fn json(value: &Value) -> Result<String, String> {
    if value.as_object().is_some_and(Map::is_empty) {
        return Ok(String::new());
    }
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    serde::Serialize::serialize(value, &mut serializer).map_err(|e| e.to_string())?;
    let mut text = String::from_utf8(out).map_err(|e| e.to_string())?;
    text.push('\n');
    Ok(text)
}

/// The terminal's width when standard output is one, else 80 (the AWS CLI's rule).
fn terminal_width() -> usize {
    console::Term::stdout()
        .size_checked()
        .map_or(80, |(_, columns)| usize::from(columns))
}

/// A value as Python's `str()` writes it, which is how the AWS CLI's text and table layouts
/// write values: `True`, `False`, `None`, floats with a decimal point.
pub fn python_text(value: &Value) -> String {
    match value {
        Value::Null => "None".to_owned(),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        Value::String(s) => s.clone(),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i.to_string(),
            (_, Some(u), _) => u.to_string(),
            (_, _, Some(f)) if f.fract() == 0.0 && f.abs() < 1e16 => format!("{f:.1}"),
            (_, _, Some(f)) => f.to_string(),
            _ => n.to_string(),
        },
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pages() -> Answer {
        Answer::Pages {
            pages: vec![
                json!({"users": [{"username": "a"}], "nextToken": "t1", "total": 3}),
                json!({"users": [{"username": "b"}, {"username": "c"}], "nextToken": "t2"}),
            ],
            items: "users",
            output_token: "nextToken",
            resume: Some("t2".into()),
        }
    }

    #[test]
    fn pages_merge_for_json_with_the_resume_token() {
        assert_eq!(
            pages().merged(),
            json!({"users": [{"username": "a"}, {"username": "b"}, {"username": "c"}],
                   "total": 3, "NextToken": "t2"})
        );
        // As the AWS CLI prints a merged listing: the answer's members, then `NextToken`.
        let printed = render("ListUsers", &pages(), Format::Json, None).unwrap();
        assert!(
            printed.ends_with("    \"total\": 3,\n    \"NextToken\": \"t2\"\n}\n"),
            "{printed}"
        );
        assert_eq!(
            render("X", &Answer::One(json!({})), Format::Json, None).unwrap(),
            ""
        );
    }

    #[test]
    fn text_goes_page_by_page_with_the_query_on_each() {
        let query = Query::compile("users[].username").unwrap();
        assert_eq!(
            render("ListUsers", &pages(), Format::Text, Some(&query)).unwrap(),
            "a\nb\tc\nNEXTTOKEN\tt2\n"
        );
        assert_eq!(
            render("ListUsers", &pages(), Format::Text, None).unwrap(),
            "3\nUSERS\ta\nUSERS\tb\nUSERS\tc\nNEXTTOKEN\tt2\n"
        );
    }

    #[test]
    fn a_bad_query_is_refused_with_its_reason() {
        let err = Query::compile("users[").err().expect("refused");
        assert!(!err.is_empty() && !err.contains('\n'), "{err}");
    }

    #[test]
    fn values_print_as_python_prints_them() {
        for (value, text) in [
            (json!(true), "True"),
            (json!(null), "None"),
            (json!(2), "2"),
            (json!(2.0), "2.0"),
            (json!(0.25), "0.25"),
            (json!("x y"), "x y"),
        ] {
            assert_eq!(python_text(&value), text);
        }
    }
}
