//! Every operation's input read from a document a person wrote (`json::from_str`, which the
//! command's `--cli-input-json` uses), on mutated documents: the model's example inputs with
//! values of the wrong type, keys repeated or misspelled, huge numbers, long and invalid strings,
//! deep nesting, cut short or with bytes flipped.
//!
//! Each document is read, without a panic, into the input or a `JsonError` with a message of
//! bounded length (a long key is not repeated in full); an input it reads checks against the
//! model without a panic, and written back as a document reads back the same.
//!
//! `cargo xtask fuzz --target documents` runs the same property longer.

mod response_cases;

use std::collections::BTreeMap;
use std::fmt;

use fuzzing::json::{documents, Limits};
use fuzzing::proptest::prelude::*;
use fuzzing::Bytes;
use response_cases::{examples, OperationExamples};
use serde_json::Value;
use wickr_admin::json::{self, FromJson, ToJson};
use wickr_admin::operation_shape::OperationShape;
use wickr_admin::schema::SERVICE;

/// Cases under `cargo test`, over all operations.
const CASES: u32 = 1500;
/// Longest message of a refused document: where and what, without repeating the document.
const MAX_MESSAGE_BYTES: usize = 1024;

/// A document given as one operation's input.
#[derive(Clone)]
struct DocumentCase {
    operation: &'static str,
    document: Bytes,
}

impl fmt::Debug for DocumentCase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "operation {:?}, document Bytes({:?}.to_vec())",
            self.operation, self.document
        )
    }
}

fn read_document<Op>(document: &[u8]) -> Result<(), String>
where
    Op: OperationShape,
    Op::Input: FromJson + ToJson + PartialEq,
{
    // The command reads the file as text first; bytes that are not UTF-8 never get here.
    let Ok(text) = std::str::from_utf8(document) else {
        return Ok(());
    };
    match json::from_str::<Op::Input>(text) {
        Ok(input) => {
            let _ = Op::validate(&input);
            let written = json::to_value(&input);
            let again: Op::Input = json::from_value(written.clone())
                .map_err(|e| format!("the input written back ({written}) does not read: {e}"))?;
            if again != input {
                return Err(format!(
                    "the input written back reads differently: {input:?} then {again:?}"
                ));
            }
        }
        Err(error) => {
            let shown = error.to_string();
            if error.message().is_empty() {
                return Err("a refused document was given no message".into());
            }
            if shown.len() > MAX_MESSAGE_BYTES {
                return Err(format!(
                    "a message of {} bytes: {}...",
                    shown.len(),
                    shown.chars().take(200).collect::<String>()
                ));
            }
        }
    }
    Ok(())
}

macro_rules! every_operation {
    ($( ($kebab:literal, $op:path) ),* $(,)?) => {
        fn every_operations_documents(
            all: &BTreeMap<String, OperationExamples>,
        ) -> impl Strategy<Value = DocumentCase> {
            let strategies: Vec<BoxedStrategy<DocumentCase>> = vec![$(
                {
                    let name = <$op as OperationShape>::NAME;
                    let mut seeds: Vec<Value> = all
                        .get(name)
                        .map(|e| e.inputs.clone())
                        .unwrap_or_default();
                    if seeds.is_empty() {
                        seeds.push(Value::Object(Default::default()));
                    }
                    documents(seeds, &["clientToken", "nextToken", "maxResults"], Limits::default())
                        .prop_map(move |document| DocumentCase { operation: name, document })
                        .boxed()
                }
            ),*];
            assert_eq!(strategies.len(), SERVICE.operations.len());
            prop::strategy::Union::new(strategies)
        }

        fn read_operation_document(case: &DocumentCase) -> Result<(), String> {
            $(
                if case.operation == <$op as OperationShape>::NAME {
                    return read_document::<$op>(&case.document);
                }
            )*
            Err(format!("{} is not an operation", case.operation))
        }
    };
}

wickr_admin::for_each_operation!(every_operation);

#[test]
fn every_operation_reads_mutated_input_documents_into_inputs_or_located_errors() {
    fuzzing::check(
        "documents",
        CASES,
        every_operations_documents(&examples()),
        read_operation_document,
    );
}

/// Documents the property once failed on, kept as regression cases.
fn regressions() -> Vec<DocumentCase> {
    vec![
        // A 954-character unknown key was repeated in full in the message.
        DocumentCase {
            operation: "UpdateNetworkSettings",
            document: Bytes(
                format!(
                    "{{\"networkId\":\"12345678\",\"{}settings\":{{\"dataRetention\":true}}}}",
                    " ".repeat(954)
                )
                .into_bytes(),
            ),
        },
    ]
}

#[test]
fn documents_that_once_failed_hold_the_property() {
    for case in regressions() {
        if let Err(e) = read_operation_document(&case) {
            panic!("{case:?}: {e}");
        }
    }
}

/// A long unknown key is named by its first 40 characters.
#[test]
fn a_long_unknown_key_is_named_cut_short() {
    let key = format!("frst{}", "N".repeat(10_000));
    let document = format!("{{\"networkId\":\"12345678\",\"{key}\":1}}");
    let input: Result<
        <wickr_admin::operation::get_network::GetNetwork as OperationShape>::Input,
        _,
    > = json::from_str(&document);
    let error = input.expect_err("an unknown key is refused");
    assert!(
        error.message().contains(&format!("{}...", &key[..40])),
        "{}",
        error.message()
    );
    assert!(error.message().len() < 200, "{}", error.message());
}
