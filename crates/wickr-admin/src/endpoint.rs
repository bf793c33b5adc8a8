//! Endpoint resolution: the service's endpoint rule set, written out as code.
//!
//! The rules (from the model's `smithy.rules#endpointRuleSet`):
//! a custom endpoint URL wins, but cannot be combined with FIPS or dual-stack; otherwise a region is
//! required, its partition is found (explicit region list first, then the partition's region
//! pattern, falling back to `aws`), and the host is
//! `admin.wickr[-fips].{region}.{dnsSuffix | dualStackDnsSuffix}`.
//!
//! This is the one piece of hand-written Wickr knowledge the client still sends calls through:
//! the generated `schema::SERVICE` names [`resolve_endpoint`] as the service's endpoint resolver
//! (`cargo xtask codegen` passes it to the generator). It gives way when the runtime evaluates
//! the model's rule set itself.

pub use restjson_runtime::endpoint_builtins::{EndpointError, EndpointParams};

/// The facts the rule set reads from a partition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Partition {
    /// Partition id, e.g. `aws-cn`.
    pub id: &'static str,
    /// DNS suffix of regular endpoints.
    pub dns_suffix: &'static str,
    /// DNS suffix of dual-stack endpoints.
    pub dual_stack_dns_suffix: &'static str,
    /// Whether FIPS endpoints exist.
    pub supports_fips: bool,
    /// Whether dual-stack endpoints exist.
    pub supports_dual_stack: bool,
    regions: &'static [&'static str],
    /// Region prefix before the `-<word>-<digits>` tail (e.g. `us-gov` for `us-gov-west-1`).
    region_prefixes: &'static [&'static str],
}

const PARTITIONS: &[Partition] = &[
    Partition {
        id: "aws",
        dns_suffix: "amazonaws.com",
        dual_stack_dns_suffix: "api.aws",
        supports_fips: true,
        supports_dual_stack: true,
        regions: &["aws-global"],
        region_prefixes: &["us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx"],
    },
    Partition {
        id: "aws-cn",
        dns_suffix: "amazonaws.com.cn",
        dual_stack_dns_suffix: "api.amazonwebservices.com.cn",
        supports_fips: true,
        supports_dual_stack: true,
        regions: &["aws-cn-global"],
        region_prefixes: &["cn"],
    },
    Partition {
        id: "aws-eusc",
        dns_suffix: "amazonaws.eu",
        dual_stack_dns_suffix: "api.amazonwebservices.eu",
        supports_fips: true,
        supports_dual_stack: true,
        regions: &[],
        region_prefixes: &["eusc-de"],
    },
    Partition {
        id: "aws-iso",
        dns_suffix: "c2s.ic.gov",
        dual_stack_dns_suffix: "api.aws.ic.gov",
        supports_fips: true,
        supports_dual_stack: true,
        regions: &["aws-iso-global"],
        region_prefixes: &["us-iso"],
    },
    Partition {
        id: "aws-iso-b",
        dns_suffix: "sc2s.sgov.gov",
        dual_stack_dns_suffix: "api.aws.scloud",
        supports_fips: true,
        supports_dual_stack: true,
        regions: &["aws-iso-b-global"],
        region_prefixes: &["us-isob"],
    },
    Partition {
        id: "aws-iso-e",
        dns_suffix: "cloud.adc-e.uk",
        dual_stack_dns_suffix: "api.cloud-aws.adc-e.uk",
        supports_fips: true,
        supports_dual_stack: true,
        regions: &["aws-iso-e-global"],
        region_prefixes: &["eu-isoe"],
    },
    Partition {
        id: "aws-iso-f",
        dns_suffix: "csp.hci.ic.gov",
        dual_stack_dns_suffix: "api.aws.hci.ic.gov",
        supports_fips: true,
        supports_dual_stack: true,
        regions: &["aws-iso-f-global"],
        region_prefixes: &["us-isof"],
    },
    Partition {
        id: "aws-us-gov",
        dns_suffix: "amazonaws.com",
        dual_stack_dns_suffix: "api.aws",
        supports_fips: true,
        supports_dual_stack: true,
        regions: &["aws-us-gov-global"],
        region_prefixes: &["us-gov"],
    },
];

/// `prefix-<word>-<digits>`, where `<word>` is one or more of `[A-Za-z0-9_]`.
fn matches_region_pattern(region: &str, prefix: &str) -> bool {
    let Some(rest) = region
        .strip_prefix(prefix)
        .and_then(|r| r.strip_prefix('-'))
    else {
        return false;
    };
    let Some((word, digits)) = rest.rsplit_once('-') else {
        return false;
    };
    !word.is_empty()
        && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
}

/// The partition a region belongs to (`aws` when nothing matches, as the rules engine does).
pub fn partition_for(region: &str) -> &'static Partition {
    let explicit = PARTITIONS.iter().find(|p| p.regions.contains(&region));
    if let Some(p) = explicit {
        return p;
    }
    // The most specific prefix wins (`us-gov-west-1` is aws-us-gov, not aws).
    PARTITIONS
        .iter()
        .flat_map(|p| p.region_prefixes.iter().map(move |prefix| (p, *prefix)))
        .filter(|(_, prefix)| matches_region_pattern(region, prefix))
        .max_by_key(|(_, prefix)| prefix.len())
        .map(|(p, _)| p)
        .unwrap_or(&PARTITIONS[0])
}

/// A region must be a valid host label before it is put into a URL.
fn is_valid_host_label(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= 63
        && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !label.starts_with('-')
        && !label.ends_with('-')
}

/// Applies the rule set to `params` and returns the endpoint URL.
pub fn resolve_endpoint(params: &EndpointParams) -> Result<String, EndpointError> {
    if let Some(endpoint) = &params.endpoint {
        if params.use_fips {
            return Err(EndpointError::new(
                "Invalid Configuration: FIPS and custom endpoint are not supported",
            ));
        }
        if params.use_dual_stack {
            return Err(EndpointError::new(
                "Invalid Configuration: Dualstack and custom endpoint are not supported",
            ));
        }
        return Ok(endpoint.clone());
    }
    let Some(region) = params.region.as_deref() else {
        return Err(EndpointError::new("Invalid Configuration: Missing Region"));
    };
    if !is_valid_host_label(region) {
        return Err(EndpointError::new(format!(
            "Invalid Configuration: region {region:?} is not a valid host label"
        )));
    }
    let partition = partition_for(region);
    let (host, suffix) = match (params.use_fips, params.use_dual_stack) {
        (true, true) => {
            if !(partition.supports_fips && partition.supports_dual_stack) {
                return Err(EndpointError::new(
                    "FIPS and DualStack are enabled, but this partition does not support one or both",
                ));
            }
            ("admin.wickr-fips", partition.dual_stack_dns_suffix)
        }
        (true, false) => {
            if !partition.supports_fips {
                return Err(EndpointError::new(
                    "FIPS is enabled but this partition does not support FIPS",
                ));
            }
            ("admin.wickr-fips", partition.dns_suffix)
        }
        (false, true) => {
            if !partition.supports_dual_stack {
                return Err(EndpointError::new(
                    "DualStack is enabled but this partition does not support DualStack",
                ));
            }
            ("admin.wickr", partition.dual_stack_dns_suffix)
        }
        (false, false) => ("admin.wickr", partition.dns_suffix),
    };
    Ok(format!("https://{host}.{region}.{suffix}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_follow_the_region_patterns() {
        assert_eq!(partition_for("us-east-1").id, "aws");
        assert_eq!(partition_for("il-central-1").id, "aws");
        assert_eq!(partition_for("us-gov-west-1").id, "aws-us-gov");
        assert_eq!(partition_for("cn-northwest-1").id, "aws-cn");
        assert_eq!(partition_for("us-iso-west-1").id, "aws-iso");
        assert_eq!(partition_for("us-isob-east-1").id, "aws-iso-b");
        assert_eq!(partition_for("eu-isoe-west-1").id, "aws-iso-e");
        assert_eq!(partition_for("us-isof-south-1").id, "aws-iso-f");
        assert_eq!(partition_for("eusc-de-east-1").id, "aws-eusc");
        assert_eq!(partition_for("aws-cn-global").id, "aws-cn");
        assert_eq!(partition_for("nowhere").id, "aws");
    }

    #[test]
    fn eusc_and_iso_e_hosts() {
        let p = EndpointParams {
            region: Some("eusc-de-east-1".into()),
            ..Default::default()
        };
        assert_eq!(
            resolve_endpoint(&p).as_deref(),
            Ok("https://admin.wickr.eusc-de-east-1.amazonaws.eu")
        );
        let p = EndpointParams {
            region: Some("eu-isoe-west-1".into()),
            use_fips: true,
            ..Default::default()
        };
        assert_eq!(
            resolve_endpoint(&p).as_deref(),
            Ok("https://admin.wickr-fips.eu-isoe-west-1.cloud.adc-e.uk")
        );
    }

    #[test]
    fn a_region_that_is_not_a_host_label_is_refused() {
        let p = EndpointParams {
            region: Some("us-east-1/evil".into()),
            ..Default::default()
        };
        let err = resolve_endpoint(&p).err().map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.contains("not a valid host label")));
    }
}
