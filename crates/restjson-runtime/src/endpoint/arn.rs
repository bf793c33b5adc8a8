//! `aws.parseArn`: an Amazon Resource Name split into its parts.

use std::rc::Rc;

use super::value::{Text, TextList, Value};

/// A parsed ARN (the record `aws.parseArn` returns).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Arn {
    partition: Rc<str>,
    service: Rc<str>,
    region: Rc<str>,
    account_id: Rc<str>,
    /// The sixth part, split on every `:` and `/`.
    resource_id: Rc<[Rc<str>]>,
}

impl Arn {
    /// `arn:partition:service:region:account-id:resource`. Partition, service and resource must
    /// not be empty; region and account id may be. Anything else is not an ARN (`None`).
    pub(crate) fn parse(input: &str) -> Option<Self> {
        let mut parts = input.splitn(6, ':');
        let (
            Some("arn"),
            Some(partition),
            Some(service),
            Some(region),
            Some(account),
            Some(resource),
        ) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        )
        else {
            return None;
        };
        if partition.is_empty() || service.is_empty() || resource.is_empty() {
            return None;
        }
        Some(Self {
            partition: partition.into(),
            service: service.into(),
            region: region.into(),
            account_id: account.into(),
            resource_id: resource.split([':', '/']).map(Rc::from).collect(),
        })
    }

    pub(crate) fn field(&self, key: &str) -> Option<Value<'static>> {
        let text = |s: &Rc<str>| Value::String(Text::Shared(Rc::clone(s)));
        Some(match key {
            "partition" => text(&self.partition),
            "service" => text(&self.service),
            "region" => text(&self.region),
            "accountId" => text(&self.account_id),
            "resourceId" => Value::StringArray(TextList::Shared(Rc::clone(&self.resource_id))),
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(arn: &Arn) -> (String, String, String, String, Vec<String>) {
        (
            arn.partition.to_string(),
            arn.service.to_string(),
            arn.region.to_string(),
            arn.account_id.to_string(),
            arn.resource_id.iter().map(|s| s.to_string()).collect(),
        )
    }

    #[test]
    fn resource_ids_split_on_colons_and_slashes() {
        let arn = Arn::parse(
            "arn:aws:s3-outposts:us-west-2:123456789012:outpost/op-01/accesspoint:reports",
        )
        .unwrap();
        assert_eq!(
            parts(&arn),
            (
                "aws".into(),
                "s3-outposts".into(),
                "us-west-2".into(),
                "123456789012".into(),
                vec![
                    "outpost".into(),
                    "op-01".into(),
                    "accesspoint".into(),
                    "reports".into()
                ]
            )
        );
    }

    #[test]
    fn region_and_account_may_be_empty() {
        let arn = Arn::parse("arn:aws:s3:::my_bucket/logs/*").unwrap();
        let (_, service, region, account, resource) = parts(&arn);
        assert_eq!(service, "s3");
        assert_eq!((region.as_str(), account.as_str()), ("", ""));
        assert_eq!(resource, vec!["my_bucket", "logs", "*"]);
    }

    #[test]
    fn empty_resource_segments_are_kept() {
        let arn = Arn::parse("arn:aws:iam::123456789012:user//name:").unwrap();
        assert_eq!(parts(&arn).4, vec!["user", "", "name", ""]);
    }

    #[test]
    fn things_that_are_not_arns() {
        for input in [
            "",
            "11111111-2222-3333-4444-555555555555",
            "arn:aws:s3:us-east-1:123",
            "arn::s3:us-east-1:123:bucket",
            "arn:aws::us-east-1:123:bucket",
            "arn:aws:s3:us-east-1:123:",
            "ARN:aws:s3:us-east-1:123:bucket",
            "urn:aws:s3:us-east-1:123:bucket",
        ] {
            assert!(Arn::parse(input).is_none(), "{input}");
        }
    }

    #[test]
    fn fields_are_read_by_their_rule_names() {
        let arn = Arn::parse("arn:aws:sns:us-west-2:012345678910:topic").unwrap();
        let text = |key| match arn.field(key) {
            Some(Value::String(t)) => t.as_str().to_owned(),
            other => panic!("{key}: {other:?}"),
        };
        assert_eq!(text("accountId"), "012345678910");
        assert_eq!(text("region"), "us-west-2");
        assert!(matches!(
            arn.field("resourceId"),
            Some(Value::StringArray(_))
        ));
        assert!(arn.field("resource").is_none());
    }
}
