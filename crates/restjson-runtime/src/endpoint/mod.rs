//! Endpoint resolution from a model's rule set (`smithy.rules#endpointRuleSet`).
//!
//! A [`RuleSet`] is parsed once, from the JSON the model holds, and checked then: an unknown
//! function, a reference to something undeclared or an argument of the wrong type is a
//! [`RuleSetError`] that names where it is. Each call then fills a [`Params`] and resolves it,
//! which gives a [`ResolvedEndpoint`] (URL, headers, properties and typed
//! [`AuthScheme`]s) or a [`ResolveError`] (for an error rule, the rule set's own message).
//!
//! ```
//! use restjson_runtime::endpoint::{built_in, Params, RuleSet};
//!
//! let rules = RuleSet::from_json(r#"{
//!     "version": "1.0",
//!     "parameters": {
//!         "Region": {"type": "String", "builtIn": "AWS::Region"}
//!     },
//!     "rules": [
//!         {"type": "endpoint",
//!          "conditions": [
//!              {"fn": "isSet", "argv": [{"ref": "Region"}]},
//!              {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "p"}
//!          ],
//!          "endpoint": {"url": "https://svc.{Region}.{p#dnsSuffix}"}},
//!         {"type": "error", "conditions": [], "error": "Invalid Configuration: Missing Region"}
//!     ]
//! }"#)?;
//!
//! let params = Params::new().with_built_in(built_in::REGION, "cn-north-1");
//! let endpoint = rules.resolve(&params)?;
//! assert_eq!(endpoint.url(), "https://svc.cn-north-1.amazonaws.com.cn");
//!
//! let missing = rules.resolve(&Params::new()).unwrap_err();
//! assert_eq!(missing.to_string(), "Invalid Configuration: Missing Region");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The functions are the standard library's (`isSet`, `not`, `booleanEquals`, `stringEquals`,
//! `getAttr`, `substring`, `isValidHostLabel`, `parseURL`, `uriEncode`) and the AWS ones
//! (`aws.partition`, `aws.parseArn`, `aws.isVirtualHostableS3Bucket`). The partitions come from
//! the data file `data/partitions.json`, read once per process, unless a resolution is given
//! another table ([`RuleSet::resolve_with_partitions`]).

mod arn;
mod error;
mod evaluate;
mod function;
mod params;
mod parse;
mod partition;
mod resolved;
mod rule_set;
mod s3_bucket;
mod string_functions;
mod template;
mod url;
mod value;

pub use error::{ResolveError, RuleSetError};
pub use params::{built_in, ParamValue, Params};
pub use partition::{PartitionDataError, Partitions};
pub use resolved::{AuthScheme, ResolvedEndpoint};
pub use rule_set::{Parameter, ParameterType, RuleSet};
pub use string_functions::is_valid_host_label;
