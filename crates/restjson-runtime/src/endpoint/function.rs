//! The functions a rule set may call: their names and signatures.

use super::value::Type;

/// A function of the rules engine's standard library or of its AWS extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Function {
    IsSet,
    Not,
    BooleanEquals,
    StringEquals,
    GetAttr,
    Substring,
    IsValidHostLabel,
    ParseUrl,
    UriEncode,
    AwsPartition,
    AwsParseArn,
    AwsIsVirtualHostableS3Bucket,
}

/// What an argument must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Argument {
    /// A value of this type.
    Of(Type),
    /// Any value (what `isSet` tests).
    Any,
}

const ALL: [Function; 12] = [
    Function::IsSet,
    Function::Not,
    Function::BooleanEquals,
    Function::StringEquals,
    Function::GetAttr,
    Function::Substring,
    Function::IsValidHostLabel,
    Function::ParseUrl,
    Function::UriEncode,
    Function::AwsPartition,
    Function::AwsParseArn,
    Function::AwsIsVirtualHostableS3Bucket,
];

impl Function {
    /// The function a rule set names, if this engine has it.
    pub(crate) fn named(name: &str) -> Option<Self> {
        ALL.into_iter().find(|f| f.name() == name)
    }

    /// The names this engine knows, for messages.
    pub(crate) fn known_names() -> impl Iterator<Item = &'static str> {
        ALL.into_iter().map(Function::name)
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::IsSet => "isSet",
            Self::Not => "not",
            Self::BooleanEquals => "booleanEquals",
            Self::StringEquals => "stringEquals",
            Self::GetAttr => "getAttr",
            Self::Substring => "substring",
            Self::IsValidHostLabel => "isValidHostLabel",
            Self::ParseUrl => "parseURL",
            Self::UriEncode => "uriEncode",
            Self::AwsPartition => "aws.partition",
            Self::AwsParseArn => "aws.parseArn",
            Self::AwsIsVirtualHostableS3Bucket => "aws.isVirtualHostableS3Bucket",
        }
    }

    /// The arguments it takes. `getAttr`'s are checked on their own: a record or list, then a
    /// literal path.
    pub(crate) fn arguments(self) -> &'static [Argument] {
        use Argument::{Any, Of};
        const STRING: Argument = Of(Type::String);
        const BOOLEAN: Argument = Of(Type::Boolean);
        const INTEGER: Argument = Of(Type::Integer);
        match self {
            Self::IsSet => &[Any],
            Self::Not => &[BOOLEAN],
            Self::BooleanEquals => &[BOOLEAN, BOOLEAN],
            Self::StringEquals => &[STRING, STRING],
            Self::GetAttr => &[Any, STRING],
            Self::Substring => &[STRING, INTEGER, INTEGER, BOOLEAN],
            Self::IsValidHostLabel | Self::AwsIsVirtualHostableS3Bucket => &[STRING, BOOLEAN],
            Self::ParseUrl | Self::UriEncode | Self::AwsPartition | Self::AwsParseArn => &[STRING],
        }
    }

    /// The type of its result (for `getAttr`, the path decides).
    pub(crate) fn result(self) -> Type {
        match self {
            Self::IsSet
            | Self::Not
            | Self::BooleanEquals
            | Self::StringEquals
            | Self::IsValidHostLabel
            | Self::AwsIsVirtualHostableS3Bucket => Type::Boolean,
            Self::GetAttr | Self::Substring | Self::UriEncode => Type::String,
            Self::ParseUrl => Type::Url,
            Self::AwsPartition => Type::Partition,
            Self::AwsParseArn => Type::Arn,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_function_is_found_by_its_name() {
        for function in ALL {
            assert_eq!(Function::named(function.name()), Some(function));
        }
        assert_eq!(Function::named("parseUrl"), None);
        assert_eq!(Function::named("coalesce"), None);
    }
}
