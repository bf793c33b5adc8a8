//! `aws.partition`: which AWS partition a region belongs to. The table is data: by default the
//! file `data/partitions.json`, compiled in and parsed once per process; a caller may give
//! another (see [`RuleSet::resolve_with_partitions`](super::RuleSet::resolve_with_partitions)).

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use regex_lite::Regex;
use serde_json::{Map, Value as Json};

use super::value::{Text, Value};

/// The partition data compiled into the crate.
const PARTITIONS_JSON: &str = include_str!("../../data/partitions.json");

/// The partition a region that matches nothing belongs to.
const DEFAULT_PARTITION: &str = "aws";

/// What the rules read from a partition (the record `aws.partition` returns).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct PartitionOutputs {
    pub(crate) name: String,
    pub(crate) dns_suffix: String,
    pub(crate) dual_stack_dns_suffix: String,
    pub(crate) supports_fips: bool,
    pub(crate) supports_dual_stack: bool,
    pub(crate) implicit_global_region: Option<String>,
}

impl PartitionOutputs {
    pub(crate) fn field(&self, key: &str) -> Option<Value<'_>> {
        fn text(s: &str) -> Value<'_> {
            Value::String(Text::Borrowed(s))
        }
        Some(match key {
            "name" => text(&self.name),
            "dnsSuffix" => text(&self.dns_suffix),
            "dualStackDnsSuffix" => text(&self.dual_stack_dns_suffix),
            "supportsFIPS" => Value::Boolean(self.supports_fips),
            "supportsDualStack" => Value::Boolean(self.supports_dual_stack),
            "implicitGlobalRegion" => text(self.implicit_global_region.as_deref()?),
            _ => return None,
        })
    }
}

#[derive(Debug)]
struct Partition {
    region_regex: Regex,
    outputs: PartitionOutputs,
}

/// A table of AWS partitions, in the shape of `partitions.json`: each partition's id, region
/// pattern, listed regions and outputs (DNS suffixes, FIPS and dual-stack support).
#[derive(Debug)]
pub struct Partitions {
    partitions: Vec<Partition>,
    by_region: HashMap<String, usize>,
    default: usize,
}

/// Partition data that cannot be used, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartitionDataError {
    message: String,
}

impl fmt::Display for PartitionDataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the partition data is unusable: {}", self.message)
    }
}

impl std::error::Error for PartitionDataError {}

impl Partitions {
    /// The table compiled into this crate (`data/partitions.json`), parsed on first use.
    pub fn built_in() -> Result<&'static Partitions, PartitionDataError> {
        static BUILT_IN: OnceLock<Result<Partitions, PartitionDataError>> = OnceLock::new();
        BUILT_IN
            .get_or_init(|| Partitions::from_json(PARTITIONS_JSON))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Reads a table from the JSON of a `partitions.json` file. It must have an `aws`
    /// partition, the one a region that matches no other belongs to.
    pub fn from_json(text: &str) -> Result<Self, PartitionDataError> {
        let fail = |message: String| PartitionDataError { message };
        let json: Json = serde_json::from_str(text).map_err(|e| fail(e.to_string()))?;
        let list = json
            .get("partitions")
            .and_then(Json::as_array)
            .ok_or_else(|| fail("no `partitions` list".into()))?;
        let mut partitions = Vec::with_capacity(list.len());
        let mut by_region = HashMap::new();
        for (index, entry) in list.iter().enumerate() {
            let partition =
                parse_partition(entry).map_err(|e| fail(format!("partitions[{index}]: {e}")))?;
            if let Some(regions) = entry.get("regions").and_then(Json::as_object) {
                for region in regions.keys() {
                    by_region.entry(region.clone()).or_insert(index);
                }
            }
            partitions.push(partition);
        }
        let default = partitions
            .iter()
            .position(|p| p.outputs.name == DEFAULT_PARTITION)
            .ok_or_else(|| fail(format!("no `{DEFAULT_PARTITION}` partition")))?;
        Ok(Self {
            partitions,
            by_region,
            default,
        })
    }

    /// The partition of `region`: one that lists it by name, else the first whose region
    /// pattern matches it, else `aws`. (Always `Some` for a table `from_json` accepted.)
    pub(crate) fn find(&self, region: &str) -> Option<&PartitionOutputs> {
        let index = self
            .by_region
            .get(region)
            .copied()
            .or_else(|| {
                self.partitions
                    .iter()
                    .position(|p| p.region_regex.is_match(region))
            })
            .unwrap_or(self.default);
        self.partitions.get(index).map(|p| &p.outputs)
    }
}

fn parse_partition(entry: &Json) -> Result<Partition, String> {
    let id = string(entry.as_object(), "id")?;
    let pattern = string(entry.as_object(), "regionRegex")?;
    // The whole region must match, whether or not the pattern is anchored.
    let region_regex = Regex::new(&format!("^(?:{pattern})$"))
        .map_err(|e| format!("regionRegex `{pattern}`: {e}"))?;
    let outputs = entry
        .get("outputs")
        .and_then(Json::as_object)
        .ok_or("no `outputs` object")?;
    let boolean = |key: &str| {
        outputs
            .get(key)
            .and_then(Json::as_bool)
            .ok_or_else(|| format!("outputs.{key} must be a boolean"))
    };
    Ok(Partition {
        region_regex,
        outputs: PartitionOutputs {
            name: id,
            dns_suffix: string(Some(outputs), "dnsSuffix")?,
            dual_stack_dns_suffix: string(Some(outputs), "dualStackDnsSuffix")?,
            supports_fips: boolean("supportsFIPS")?,
            supports_dual_stack: boolean("supportsDualStack")?,
            implicit_global_region: outputs
                .get("implicitGlobalRegion")
                .and_then(Json::as_str)
                .map(str::to_owned),
        },
    })
}

fn string(object: Option<&Map<String, Json>>, key: &str) -> Result<String, String> {
    object
        .and_then(|o| o.get(key))
        .and_then(Json::as_str)
        .map(str::to_owned)
        .ok_or_else(|| format!("`{key}` must be a string"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn partition_of(region: &str) -> &'static str {
        &Partitions::built_in().unwrap().find(region).unwrap().name
    }

    #[test]
    fn regions_find_their_partitions() {
        for (region, partition) in [
            ("us-east-1", "aws"),
            ("il-central-1", "aws"),
            ("us-gov-west-1", "aws-us-gov"),
            ("cn-northwest-1", "aws-cn"),
            ("us-iso-west-1", "aws-iso"),
            ("us-isob-east-1", "aws-iso-b"),
            ("eu-isoe-west-1", "aws-iso-e"),
            ("us-isof-south-1", "aws-iso-f"),
            ("eusc-de-east-1", "aws-eusc"),
            // Listed by name, though no pattern matches.
            ("aws-cn-global", "aws-cn"),
            ("aws-us-gov-global", "aws-us-gov"),
            // Matches a pattern, though not listed.
            ("us-gov-north-9", "aws-us-gov"),
            ("cn-south-7", "aws-cn"),
            // Matches nothing.
            ("nowhere", "aws"),
            ("mars-east-1", "aws"),
            ("", "aws"),
        ] {
            assert_eq!(partition_of(region), partition, "{region}");
        }
    }

    #[test]
    fn outputs_come_from_the_data_file() {
        let china = Partitions::built_in().unwrap().find("cn-north-1").unwrap();
        assert_eq!(china.dns_suffix, "amazonaws.com.cn");
        assert_eq!(china.dual_stack_dns_suffix, "api.amazonwebservices.com.cn");
        assert_eq!(
            china.implicit_global_region.as_deref(),
            Some("cn-northwest-1")
        );
        assert!(china.supports_fips && china.supports_dual_stack);
    }

    #[test]
    fn unusable_data_is_an_error_that_says_why() {
        let missing_default = r#"{"partitions": [{"id": "x", "regionRegex": "^x$",
            "outputs": {"dnsSuffix": "a", "dualStackDnsSuffix": "b",
                        "supportsFIPS": true, "supportsDualStack": false}}]}"#;
        let error = Partitions::from_json(missing_default)
            .unwrap_err()
            .to_string();
        assert!(error.contains("no `aws` partition"), "{error}");

        let bad_regex = r#"{"partitions": [{"id": "aws", "regionRegex": "(", "outputs": {}}]}"#;
        let error = Partitions::from_json(bad_regex).unwrap_err().to_string();
        assert!(error.contains("partitions[0]: regionRegex"), "{error}");

        let error = Partitions::from_json("[]").unwrap_err().to_string();
        assert!(error.contains("no `partitions` list"), "{error}");
    }
}
