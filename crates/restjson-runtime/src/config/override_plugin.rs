//! A configuration override for one call (`customize().config_override(..)`), as an operation
//! runtime plugin laid over the client's configuration.

use std::borrow::Cow;

use aws_smithy_runtime::client::config_override::Resolver;
use aws_smithy_runtime::client::identity::IdentityCache;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponentsBuilder;
use aws_smithy_runtime_api::client::runtime_plugin::RuntimePlugin;
use aws_smithy_types::config_bag::{FrozenLayer, Layer};
use aws_types::region::{Region, SigningRegion};

use super::{Builder, Config};

/// The settings and components one call overrides.
#[derive(Debug)]
pub(crate) struct ConfigOverrideRuntimePlugin {
    config: FrozenLayer,
    components: RuntimeComponentsBuilder,
}

impl ConfigOverrideRuntimePlugin {
    /// The override `config_override` over the client's configuration `initial`.
    pub(crate) fn new(config_override: Builder, initial: &Config) -> Self {
        let parts = config_override.into_parts();
        let mut layer = parts.config;
        let mut components = parts.runtime_components;
        let mut resolver = Resolver::overrid(
            initial.config.clone(),
            &initial.runtime_components,
            &mut layer,
            &mut components,
        );
        if let Some(region) = resolver.config_mut().load::<Region>().cloned() {
            resolver.config_mut().store_put(SigningRegion::from(region));
        }
        // Credentials given for one call get a cache of their own, so they neither pollute
        // nor read the client's.
        if components.has_identity_resolvers() && components.identity_cache().is_none() {
            components.set_identity_cache(Some(IdentityCache::lazy().max_partitions(1).build()));
        }
        Self {
            config: Layer::from(layer)
                .with_name("restjson_runtime::config::ConfigOverrideRuntimePlugin")
                .freeze(),
            components,
        }
    }
}

impl RuntimePlugin for ConfigOverrideRuntimePlugin {
    fn config(&self) -> Option<FrozenLayer> {
        Some(self.config.clone())
    }

    fn runtime_components(
        &self,
        _current: &RuntimeComponentsBuilder,
    ) -> Cow<'_, RuntimeComponentsBuilder> {
        Cow::Borrowed(&self.components)
    }
}
