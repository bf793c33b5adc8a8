//! `--generate-cli-skeleton`: a JSON template of an operation's input with every member, by the
//! AWS CLI's conventions: empty strings, zeros, `true`, an enum's first value, lists of one
//! element, maps with one `KeyName` entry, and a structure that contains itself left empty.

use serde_json::{Map, Value};
use wickr_admin::schema::{MemberInfo, OperationInfo, TypeInfo};

/// The template of the operation's input.
pub fn skeleton(op: &OperationInfo) -> Value {
    let mut within = Vec::new();
    Value::Object(members(op.input, &mut within))
}

fn members(members: &[MemberInfo], within: &mut Vec<&'static str>) -> Map<String, Value> {
    members
        .iter()
        .map(|m| (m.json_name.to_owned(), value(m.ty, within)))
        .collect()
}

fn value(ty: &TypeInfo, within: &mut Vec<&'static str>) -> Value {
    match ty {
        TypeInfo::String | TypeInfo::Blob => Value::from(""),
        TypeInfo::Enum(values) => Value::from(values.first().copied().unwrap_or_default()),
        TypeInfo::IntEnum(values) => Value::from(values.first().map_or(0, |(_, v)| *v)),
        TypeInfo::Boolean => Value::Bool(true),
        TypeInfo::Byte
        | TypeInfo::Short
        | TypeInfo::Integer
        | TypeInfo::Long
        | TypeInfo::BigInteger => Value::from(0),
        TypeInfo::Float | TypeInfo::Double | TypeInfo::BigDecimal => Value::from(0.0),
        TypeInfo::Timestamp(_) => Value::from("1970-01-01T00:00:00"),
        TypeInfo::Document => Value::Object(Map::new()),
        TypeInfo::List(element) => Value::Array(vec![value(element, within)]),
        TypeInfo::Map(_, element) => {
            let mut map = Map::new();
            map.insert("KeyName".to_owned(), value(element, within));
            Value::Object(map)
        }
        TypeInfo::Structure(structure) | TypeInfo::Union(structure) => {
            if within.contains(&structure.name) {
                return Value::Object(Map::new());
            }
            within.push(structure.name);
            let object = members(structure.members, within);
            within.pop();
            Value::Object(object)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use wickr_admin::schema::{Location, StructureInfo};

    static NODE: StructureInfo = StructureInfo {
        name: "Node",
        members: &[
            MemberInfo {
                name: "label",
                json_name: "label",
                location: Location::Body,
                ty: &TypeInfo::Enum(&["LEAF", "BRANCH"]),
                required: true,
                doc: "",
            },
            MemberInfo {
                name: "children",
                json_name: "children",
                location: Location::Body,
                ty: &TypeInfo::List(&TypeInfo::Structure(&NODE)),
                required: false,
                doc: "",
            },
        ],
    };

    #[test]
    fn a_structure_within_itself_is_left_empty() {
        let mut within = Vec::new();
        assert_eq!(
            value(&TypeInfo::Structure(&NODE), &mut within),
            json!({"label": "LEAF", "children": [{}]})
        );
    }
}
