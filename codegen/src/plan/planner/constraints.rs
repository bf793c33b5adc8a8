//! Constraint traits (`@length`, `@range`, `@pattern`) turned into validation checks.

use std::collections::BTreeMap;

use heck::ToShoutySnakeCase;
use serde_json::Value;

use super::Planner;
use crate::index::{get, has, local_name, unsupported, ShapeType};
use crate::plan::{Checks, Ty};
use crate::Error;

impl Planner<'_, '_> {
    /// Constraint checks for a value with these member and target traits.
    pub(super) fn checks(
        &mut self,
        owner: &str,
        ty: &Ty,
        traits: &BTreeMap<String, Value>,
        target_traits: &BTreeMap<String, Value>,
        target: &str,
    ) -> Result<Checks, Error> {
        let pick = |name: &str| get(traits, name).or_else(|| get(target_traits, name));
        let mut checks = Checks::default();
        if let Some(length) = pick("length") {
            if !matches!(
                ty,
                Ty::String | Ty::Enum(_) | Ty::List(_) | Ty::Map(..) | Ty::Blob
            ) {
                return Err(unsupported(
                    owner,
                    "@length on something other than a string or list",
                ));
            }
            checks.length = Some((
                bound_u64(owner, length, "min")?,
                bound_u64(owner, length, "max")?,
            ));
        }
        if let Some(range) = pick("range") {
            if !matches!(
                ty,
                Ty::Byte | Ty::Short | Ty::Integer | Ty::Long | Ty::Float | Ty::Double
            ) {
                return Err(unsupported(
                    owner,
                    "@range on something other than a number",
                ));
            }
            checks.range = Some((
                bound_f64(owner, range, "min")?,
                bound_f64(owner, range, "max")?,
            ));
        }
        if let Some(pattern) = pick("pattern") {
            let source = pattern
                .as_str()
                .ok_or_else(|| Error::new(format!("{owner}: @pattern is not a string")))?;
            if !matches!(ty, Ty::String | Ty::Enum(_)) {
                return Err(unsupported(
                    owner,
                    "@pattern on something other than a string",
                ));
            }
            let static_name = if get(traits, "pattern").is_some() {
                owner.replace('$', "_")
            } else {
                target.to_owned()
            };
            let static_name = local_name(&static_name).to_shouty_snake_case();
            match self.plan.patterns.get(&static_name) {
                Some(existing) if existing != source => {
                    return Err(Error::new(format!(
                        "{owner}: two patterns would share the name {static_name}"
                    )))
                }
                _ => {
                    self.plan
                        .patterns
                        .insert(static_name.clone(), source.to_owned());
                }
            }
            checks.pattern = Some(static_name);
        }
        if has(traits, "uniqueItems") || has(target_traits, "uniqueItems") {
            if !matches!(ty, Ty::List(_)) {
                return Err(unsupported(
                    owner,
                    "@uniqueItems on something other than a list",
                ));
            }
            checks.unique_items = true;
        }
        match self.index.shape_type(target)? {
            ShapeType::List => {
                let list = self.index.shape(target)?;
                let member = list
                    .member
                    .as_ref()
                    .ok_or_else(|| Error::new(format!("{target}: a list without a member")))?;
                checks.elements = self.element_checks(&format!("{target}$member"), member)?;
            }
            ShapeType::Map => {
                let map = self.index.shape(target)?;
                if let Some(key) = &map.key {
                    checks.keys = self.element_checks(&format!("{target}$key"), key)?;
                }
                if let Some(value) = &map.value {
                    checks.elements = self.element_checks(&format!("{target}$value"), value)?;
                }
            }
            _ => {}
        }
        Ok(checks)
    }
}

impl Planner<'_, '_> {
    /// The checks on a list's elements or a map's keys or values, if there are any.
    fn element_checks(
        &mut self,
        member_id: &str,
        member: &crate::model::Member,
    ) -> Result<Option<Box<Checks>>, Error> {
        let ty = self.ty(member_id, &member.target)?;
        let target_traits = self.target_traits(&member.target)?;
        let checks = self.checks(
            member_id,
            &ty,
            &member.traits,
            &target_traits,
            &member.target,
        )?;
        Ok((!checks.is_empty()).then(|| Box::new(checks)))
    }
}

fn bound_u64(owner: &str, value: &Value, key: &str) -> Result<Option<u64>, Error> {
    match value.get(key) {
        None => Ok(None),
        Some(v) => v.as_u64().map(Some).ok_or_else(|| {
            Error::new(format!(
                "{owner}: @length {key} is not a non-negative integer"
            ))
        }),
    }
}

fn bound_f64(owner: &str, value: &Value, key: &str) -> Result<Option<f64>, Error> {
    match value.get(key) {
        None => Ok(None),
        Some(v) => v
            .as_f64()
            .map(Some)
            .ok_or_else(|| Error::new(format!("{owner}: @range {key} is not a number"))),
    }
}
