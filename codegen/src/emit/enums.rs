//! Enums and intEnums, with a variant that keeps unknown values.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::docs;
use crate::plan::EnumPlan;

/// An enum or intEnum with a variant keeping unknown values.
pub fn enumeration(e: &EnumPlan) -> TokenStream {
    let name = format_ident!("{}", e.name);
    let doc = docs(&e.doc);
    let variants: Vec<_> = e
        .variants
        .iter()
        .map(|v| format_ident!("{}", v.name))
        .collect();
    let variant_docs = e.variants.iter().map(|v| docs(&v.doc));
    let unknown_doc = " A value this version of the crate does not know, kept as received.";
    if e.int {
        let values: Vec<Literal> = e
            .variants
            .iter()
            .map(|v| {
                v.value
                    .as_i64()
                    .and_then(|n| i32::try_from(n).ok())
                    .unwrap_or_default()
            })
            .map(Literal::i32_unsuffixed)
            .collect();
        return quote! {
            #doc
            #[non_exhaustive]
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
            pub enum #name {
                #(#variant_docs #variants,)*
                #[doc = #unknown_doc]
                Unknown(i32),
            }
            impl #name {
                /// The value on the wire.
                pub fn value(&self) -> i32 {
                    match self {
                        #(Self::#variants => #values,)*
                        Self::Unknown(value) => *value,
                    }
                }
                /// Every value the model defines.
                pub const fn values() -> &'static [i32] {
                    &[#(#values),*]
                }
            }
            impl From<i32> for #name {
                fn from(value: i32) -> Self {
                    match value {
                        #(#values => Self::#variants,)*
                        other => Self::Unknown(other),
                    }
                }
            }
            impl From<#name> for i32 {
                fn from(value: #name) -> Self {
                    value.value()
                }
            }
            impl Default for #name {
                /// An unknown value of 0, used when a response leaves a required member out.
                fn default() -> Self {
                    Self::from(0)
                }
            }
            impl std::fmt::Display for #name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    write!(f, "{}", self.value())
                }
            }
            impl ::restjson_runtime::protocol::HttpValue for #name {
                fn to_http_value(&self) -> String {
                    self.value().to_string()
                }
            }
            impl ::restjson_runtime::protocol::FromHttpValue for #name {
                fn from_http_value(text: &str) -> Result<Self, String> {
                    <i32 as ::restjson_runtime::protocol::FromHttpValue>::from_http_value(text).map(Self::from)
                }
            }
            impl ::restjson_runtime::json::FromJson for #name {
                fn from_json(
                    reader: &mut ::restjson_runtime::json::Reader<'_>,
                ) -> Result<Self, ::restjson_runtime::json::JsonError> {
                    <i32 as ::restjson_runtime::json::FromJson>::from_json(reader).map(Self::from)
                }
            }
            impl ::restjson_runtime::json::ToJson for #name {
                fn to_json(&self, writer: &mut ::restjson_runtime::json::Writer) {
                    writer.integer(self.value().into());
                }
            }
            impl std::str::FromStr for #name {
                type Err = std::num::ParseIntError;
                fn from_str(s: &str) -> Result<Self, Self::Err> {
                    s.trim().parse::<i32>().map(Self::from)
                }
            }
        };
    }
    let values: Vec<String> = e
        .variants
        .iter()
        .map(|v| v.value.as_str().unwrap_or_default().to_owned())
        .collect();
    // `values()` lists them sorted, as the official SDK crates do.
    let mut sorted = values.clone();
    sorted.sort();
    quote! {
        #doc
        #[non_exhaustive]
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#variant_docs #variants,)*
            #[doc = #unknown_doc]
            Unknown(String),
        }
        impl #name {
            /// The value on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #values,)*
                    Self::Unknown(value) => value,
                }
            }
            /// Every value the model defines, sorted.
            pub const fn values() -> &'static [&'static str] {
                &[#(#sorted),*]
            }
            /// The value the model defines as `value`; any other is an error.
            pub fn try_parse(value: &str) -> Result<Self, ::restjson_runtime::error::UnknownVariantError> {
                match Self::from(value) {
                    Self::Unknown(_) => Err(::restjson_runtime::error::UnknownVariantError::new(value)),
                    known => Ok(known),
                }
            }
        }
        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#values => Self::#variants,)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }
        impl From<String> for #name {
            fn from(value: String) -> Self {
                Self::from(value.as_str())
            }
        }
        impl From<#name> for String {
            fn from(value: #name) -> Self {
                match value {
                    #name::Unknown(value) => value,
                    known => known.as_str().to_owned(),
                }
            }
        }
        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(s))
            }
        }
        impl AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }
        ::restjson_runtime::json_string_enum!(#name);
        impl Default for #name {
            /// An empty unknown value, used when a response leaves a required member out.
            fn default() -> Self {
                Self::Unknown(String::new())
            }
        }
        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::restjson_runtime::protocol::HttpValue for #name {
            fn to_http_value(&self) -> String {
                self.as_str().to_owned()
            }
        }
        impl ::restjson_runtime::protocol::FromHttpValue for #name {
            fn from_http_value(text: &str) -> Result<Self, String> {
                Ok(Self::from(text))
            }
        }
    }
}
