//! The `config::endpoint` module of a generated crate: its rule set's parameters as a typed
//! `Params` (with its builder), the `ResolveEndpoint` trait resolvers implement, and the
//! `DefaultResolver`, which evaluates the rule set the crate carries.

/// Defines the endpoint items in the module that invokes it (the generated crate's
/// `config::endpoint`):
///
/// ```text
/// endpoint_module!(RULES_JSON;
///     region set_region: string "Region" built_in("AWS::Region") optional,
///     use_fips set_use_fips: boolean "UseFIPS" built_in("AWS::UseFIPS") default(false),
///     bucket set_bucket: string "Bucket" built_in() required,
/// );
/// ```
///
/// Each parameter is its Rust field and setter, its type (`string`, `boolean`, `string_array`), its name
/// in the rule set, its built-in (empty when none), and `optional`, `required` or
/// `default(expression)`. A parameter bound to `AWS::Region` must be a valid host label.
#[macro_export]
macro_rules! endpoint_module {
    (@ty string) => { String };
    (@ty boolean) => { bool };
    (@ty string_array) => { Vec<String> };
    (@field $kind:ident optional) => { Option<$crate::endpoint_module!(@ty $kind)> };
    (@field $kind:ident $($required:tt)*) => { $crate::endpoint_module!(@ty $kind) };
    (@get string $field:ident optional) => {
        /// The parameter's value, when set.
        pub fn $field(&self) -> Option<&str> { self.$field.as_deref() }
    };
    (@get string $field:ident $($required:tt)*) => {
        /// The parameter's value.
        pub fn $field(&self) -> Option<&str> { Some(&self.$field) }
    };
    (@get boolean $field:ident optional) => {
        /// The parameter's value, when set.
        pub fn $field(&self) -> Option<bool> { self.$field }
    };
    (@get boolean $field:ident $($required:tt)*) => {
        /// The parameter's value.
        pub fn $field(&self) -> Option<bool> { Some(self.$field) }
    };
    (@get string_array $field:ident optional) => {
        /// The parameter's value, when set.
        pub fn $field(&self) -> Option<&[String]> { self.$field.as_deref() }
    };
    (@get string_array $field:ident $($required:tt)*) => {
        /// The parameter's value.
        pub fn $field(&self) -> Option<&[String]> { Some(&self.$field) }
    };
    (@read string) => { $crate::endpoint_params::string_value };
    (@read boolean) => { $crate::endpoint_params::bool_value };
    (@read string_array) => { $crate::endpoint_params::string_array_value };
    (@finish $builder:ident $field:ident optional) => { $builder.$field };
    (@finish $builder:ident $field:ident required) => {
        $builder.$field.ok_or_else(|| InvalidParams::missing(stringify!($field)))?
    };
    (@finish $builder:ident $field:ident default($default:expr)) => {
        $builder.$field.unwrap_or_else(|| $default.into())
    };
    (@put string $params:ident $name:literal $value:expr) => { $params.set($name, $value.as_str()) };
    (@put boolean $params:ident $name:literal $value:expr) => { $params.set($name, *$value) };
    (@put string_array $params:ident $name:literal $value:expr) => { $params.set($name, $value.clone()) };
    (@set $params:ident $name:literal $kind:ident $value:expr, optional) => {
        if let Some(value) = &$value { $crate::endpoint_module!(@put $kind $params $name value); }
    };
    (@set $params:ident $name:literal $kind:ident $value:expr, $($required:tt)*) => {
        $crate::endpoint_module!(@put $kind $params $name (&$value));
    };
    (@check_region $builder:ident $field:ident "AWS::Region") => {
        if let Some(region) = &$builder.$field {
            if !$crate::endpoint_params::is_valid_region(region) {
                return Err(InvalidParams::invalid_value(stringify!($field), "must be a valid host label"));
            }
        }
    };
    (@check_region $builder:ident $field:ident $built_in:literal) => {};
    (@check_region $builder:ident $field:ident) => {};
    (@built_in) => { None };
    (@built_in $built_in:literal) => { Some($built_in) };

    ($rules:expr; $($field:ident $set:ident: $kind:ident $name:literal built_in($($built_in:tt)?) $($mode:ident)? $(($default:expr))?),* $(,)?) => {
        pub use $crate::config::{Endpoint, EndpointFuture, SharedEndpointResolver};

        /// The rule set, parsed on first use.
        static RULES: $crate::endpoint_params::ServiceRules = $crate::endpoint_params::ServiceRules::new($rules);

        /// What the endpoint rules take.
        #[non_exhaustive]
        #[derive(Clone, Debug, PartialEq)]
        pub struct Params {
            $(pub(crate) $field: $crate::endpoint_module!(@field $kind $($mode)? $(($default))?),)*
        }
        impl Params {
            /// Starts a builder.
            pub fn builder() -> ParamsBuilder {
                ParamsBuilder::default()
            }
            $($crate::endpoint_module!(@get $kind $field $($mode)? $(($default))?);)*
            /// The values as the rule set's engine takes them, by parameter name.
            fn values(&self) -> $crate::endpoint::Params {
                let mut params = $crate::endpoint::Params::new();
                $($crate::endpoint_module!(@set params $name $kind self.$field, $($mode)? $(($default))?);)*
                params
            }
            /// The parameters a call's values give: each parameter's value by name, else its
            /// built-in's.
            #[doc(hidden)]
            pub fn from_values(values: &$crate::endpoint::Params) -> Result<Self, $crate::error::BoxError> {
                let builder = ParamsBuilder {
                    $($field: $crate::endpoint_module!(@read $kind)(values, $name, $crate::endpoint_module!(@built_in $($built_in)?))?,)*
                };
                Ok(builder.build()?)
            }
        }

        /// Builds [`Params`].
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct ParamsBuilder {
            $($field: Option<$crate::endpoint_module!(@ty $kind)>,)*
        }
        impl ParamsBuilder {
            /// The parameters, with the rule set's defaults for those left unset; a required
            /// one left unset, or a region that is not a valid host label, is an error.
            pub fn build(self) -> Result<Params, InvalidParams> {
                $($crate::endpoint_module!(@check_region self $field $($built_in)?);)*
                Ok(Params {
                    $($field: $crate::endpoint_module!(@finish self $field $($mode)? $(($default))?),)*
                })
            }
            $(
                #[doc = concat!("Sets `", $name, "`.")]
                pub fn $field(mut self, value: impl Into<$crate::endpoint_module!(@ty $kind)>) -> Self {
                    self.$field = Some(value.into());
                    self
                }
                #[doc = concat!("Sets or clears `", $name, "`.")]
                pub fn $set(mut self, param: Option<$crate::endpoint_module!(@ty $kind)>) -> Self {
                    self.$field = param;
                    self
                }
            )*
        }

        /// Parameters that cannot be used.
        #[derive(Debug)]
        pub struct InvalidParams {
            field: std::borrow::Cow<'static, str>,
            message: Option<&'static str>,
        }
        impl InvalidParams {
            #[allow(dead_code)]
            fn missing(field: &'static str) -> Self {
                Self { field: field.into(), message: None }
            }
            #[allow(dead_code)]
            fn invalid_value(field: &'static str, message: &'static str) -> Self {
                Self { field: field.into(), message: Some(message) }
            }
        }
        impl std::fmt::Display for InvalidParams {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self.message {
                    None => write!(f, "a required field was missing: `{}`", self.field),
                    Some(message) => write!(f, "invalid value for field: `{}` - {}", self.field, message),
                }
            }
        }
        impl std::error::Error for InvalidParams {}

        /// Chooses the endpoint of a call from its [`Params`].
        pub trait ResolveEndpoint: Send + Sync + std::fmt::Debug {
            /// The endpoint for `params`.
            fn resolve_endpoint<'a>(&'a self, params: &'a Params) -> EndpointFuture<'a>;

            /// The resolver in the form the runtime components hold.
            fn into_shared_resolver(self) -> SharedEndpointResolver
            where
                Self: Sized + 'static,
            {
                SharedEndpointResolver::new(DowncastParams(self))
            }
        }

        #[derive(Debug)]
        struct DowncastParams<T>(T);
        impl<T: ResolveEndpoint> $crate::config::ResolveEndpointUntyped for DowncastParams<T> {
            fn resolve_endpoint<'a>(
                &'a self,
                params: &'a $crate::config::EndpointResolverParams,
            ) -> EndpointFuture<'a> {
                match params.get::<Params>() {
                    Some(params) => self.0.resolve_endpoint(params),
                    None => EndpointFuture::ready(Err("the endpoint parameters of this call are missing".into())),
                }
            }
        }

        /// Evaluates the service's endpoint rule set.
        #[derive(Debug, Default)]
        pub struct DefaultResolver {
            _private: (),
        }
        impl DefaultResolver {
            /// The service's rules (parsed once per process).
            pub fn new() -> Self {
                Self { _private: () }
            }
        }
        impl ResolveEndpoint for DefaultResolver {
            fn resolve_endpoint<'a>(&'a self, params: &'a Params) -> EndpointFuture<'a> {
                EndpointFuture::ready(RULES.resolve(&params.values()))
            }
        }

        fn typed_params(
            values: &$crate::endpoint::Params,
        ) -> Result<$crate::config::EndpointResolverParams, $crate::error::BoxError> {
            Ok($crate::config::EndpointResolverParams::new(Params::from_values(values)?))
        }

        fn default_resolver() -> SharedEndpointResolver {
            ResolveEndpoint::into_shared_resolver(DefaultResolver::new())
        }

        /// How the runtime reaches these parameters and the default resolver.
        #[doc(hidden)]
        pub const INFO: $crate::endpoint_params::EndpointInfo = $crate::endpoint_params::EndpointInfo {
            typed_params,
            default_resolver,
        };
    };
}
