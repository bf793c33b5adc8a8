//! Edits of a JSON document, applied while it is written out: a value replaced by one of another
//! type, a huge number, a long or invalid string, or deep nesting; a member or element removed or
//! written twice (so a key appears twice in its object); a member added. Writing the text
//! ourselves lets an edit make what a `serde_json::Value` cannot hold.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::Value;

use crate::bytes::{self, JSON_TOKENS};
use crate::literal::Bytes;

/// A value written in place of another, or as an added member's value.
#[derive(Clone, Debug)]
pub enum Fragment {
    Null,
    Bool(bool),
    Integer(i64),
    /// A number as written: `1e400`, `-0`, an integer past 64 bits...
    Number(&'static str),
    String(String),
    /// A string of one character repeated.
    Long(char, u32),
    /// A string whose content is written as these bytes (escapes, invalid UTF-8).
    RawString(&'static [u8]),
    EmptyObject,
    EmptyArray,
    /// Arrays (or objects, each with one member `a`) nested this deep around `1`.
    Nested(u32, bool),
}

/// Numbers that strain a reader.
const NUMBERS: &[&str] = &[
    "1e400",
    "-1e400",
    "-0",
    "0.5",
    "1E2",
    "2147483648",
    "-2147483649",
    "9223372036854775808",
    "18446744073709551616",
    "123456789012345678901234567890123456789",
    "1.7976931348623157e308",
    "5e-324",
];

/// String contents that strain a reader.
const RAW_STRINGS: &[&[u8]] = &[
    b"\\u0000",
    b"\\ud800",
    b"\\udc00\\ud800",
    b"\\uZZZZ",
    b"\\x41",
    b"\xff\xfe",
    b"\xc3",
    b"\xed\xa0\x80",
    b"\x01\x02\x7f",
    b"\t\n",
    b"\xe2\x80\xae",
    b"%00",
    b"a\\r\\nforged\\u001b[2J",
    b"\\u2028\\u0085",
];

impl Fragment {
    fn write(&self, out: &mut Vec<u8>) {
        match self {
            Fragment::Null => out.extend_from_slice(b"null"),
            Fragment::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
            Fragment::Integer(n) => out.extend_from_slice(n.to_string().as_bytes()),
            Fragment::Number(text) => out.extend_from_slice(text.as_bytes()),
            Fragment::String(text) => write_value(&Value::String(text.clone()), out),
            Fragment::Long(c, n) => {
                out.push(b'"');
                let mut buf = [0u8; 4];
                let c = c.encode_utf8(&mut buf).as_bytes();
                for _ in 0..*n {
                    out.extend_from_slice(c);
                }
                out.push(b'"');
            }
            Fragment::RawString(content) => {
                out.push(b'"');
                out.extend_from_slice(content);
                out.push(b'"');
            }
            Fragment::EmptyObject => out.extend_from_slice(b"{}"),
            Fragment::EmptyArray => out.extend_from_slice(b"[]"),
            Fragment::Nested(depth, object) => nested(*depth as usize, *object, out),
        }
    }
}

/// `depth` arrays (or single-member objects) around `1`.
pub fn nested(depth: usize, object: bool, out: &mut Vec<u8>) {
    let (open, close): (&[u8], &[u8]) = if object {
        (b"{\"a\":", b"}")
    } else {
        (b"[", b"]")
    };
    out.reserve(depth * (open.len() + close.len()) + 1);
    for _ in 0..depth {
        out.extend_from_slice(open);
    }
    out.push(b'1');
    for _ in 0..depth {
        out.extend_from_slice(close);
    }
}

/// One edit of a document. Node positions are [`Index`]es over the document's values in
/// pre-order (the root first), or over its objects for [`JsonEdit::AddMember`].
#[derive(Clone, Debug)]
pub enum JsonEdit {
    Replace(Index, Fragment),
    /// The value, with its key in an object, left out; the whole document for the root.
    Remove(Index),
    /// The value, with its key in an object, written twice.
    Repeat(Index),
    /// A member added to an object.
    AddMember(Index, String, Fragment),
}

/// How far edits go.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Longest string a [`Fragment::Long`] or byte run makes.
    pub max_long: u32,
    /// Deepest nesting a [`Fragment::Nested`] makes.
    pub max_depth: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_long: 70_000,
            max_depth: 300,
        }
    }
}

/// A value to put in place of another.
pub fn fragment(
    strings: Arc<Vec<String>>,
    limits: Limits,
) -> impl Strategy<Value = Fragment> + Clone {
    let integers = prop_oneof![
        Just(i64::MIN),
        Just(i64::MAX),
        Just(0),
        Just(-1),
        Just(i64::from(i32::MAX) + 1),
        any::<i64>(),
    ];
    let text = prop_oneof![
        3 => proptest::sample::select(strings.to_vec()),
        1 => "\\PC{0,16}",
        1 => Just(String::new()),
    ];
    prop_oneof![
        2 => Just(Fragment::Null),
        2 => any::<bool>().prop_map(Fragment::Bool),
        2 => integers.prop_map(Fragment::Integer),
        2 => proptest::sample::select(NUMBERS).prop_map(Fragment::Number),
        3 => text.prop_map(Fragment::String),
        1 => (proptest::sample::select(vec!['a', '0', ' ', 'é', '"']), 1..=limits.max_long.max(1))
            .prop_map(|(c, n)| Fragment::Long(c, n)),
        2 => proptest::sample::select(RAW_STRINGS).prop_map(Fragment::RawString),
        1 => Just(Fragment::EmptyObject),
        1 => Just(Fragment::EmptyArray),
        1 => (1..=limits.max_depth.max(1), any::<bool>()).prop_map(|(d, o)| Fragment::Nested(d, o)),
    ]
}

/// One edit; added members take names from `keys`.
pub fn edit(
    keys: Arc<Vec<String>>,
    strings: Arc<Vec<String>>,
    limits: Limits,
) -> impl Strategy<Value = JsonEdit> + Clone {
    let value = fragment(strings, limits);
    prop_oneof![
        4 => (any::<Index>(), value.clone()).prop_map(|(at, f)| JsonEdit::Replace(at, f)),
        2 => any::<Index>().prop_map(JsonEdit::Remove),
        2 => any::<Index>().prop_map(JsonEdit::Repeat),
        2 => (any::<Index>(), proptest::sample::select(keys.to_vec()), value)
            .prop_map(|(at, key, f)| JsonEdit::AddMember(at, key, f)),
    ]
}

/// Every object key and every string found in `seeds`, plus `extra` keys: what edits draw names
/// and strings from, so that they hit real members.
pub fn vocabulary(seeds: &[Value], extra: &[&str]) -> (Vec<String>, Vec<String>) {
    fn walk(value: &Value, keys: &mut Vec<String>, strings: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    keys.push(k.clone());
                    walk(v, keys, strings);
                }
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, keys, strings)),
            Value::String(s) => strings.push(s.clone()),
            _ => {}
        }
    }
    let mut keys: Vec<String> = extra.iter().map(|k| (*k).to_owned()).collect();
    let mut strings = vec![String::new()];
    for seed in seeds {
        walk(seed, &mut keys, &mut strings);
    }
    keys.sort();
    keys.dedup();
    strings.sort();
    strings.dedup();
    (keys, strings)
}

/// Documents made from `seeds`: most with up to four JSON edits and, in two of five, up to two
/// byte edits; some written
/// from scratch, some arbitrary bytes. `seeds` must not be empty.
pub fn documents(
    seeds: Vec<Value>,
    extra_keys: &[&str],
    limits: Limits,
) -> impl Strategy<Value = Bytes> + Clone {
    let (keys, strings) = vocabulary(&seeds, extra_keys);
    let keys = Arc::new(keys);
    let strings = Arc::new(strings);
    let seeds = Arc::new(seeds);
    let count = seeds.len().max(1);
    let mutated = (
        0..count,
        proptest::collection::vec(edit(keys.clone(), strings.clone(), limits), 0..=4),
        prop_oneof![
            3 => Just(Vec::new()),
            2 => bytes::edits(JSON_TOKENS, 2, limits.max_long),
        ],
    )
        .prop_map(move |(i, json_edits, byte_edits)| {
            let mut out = match seeds.get(i) {
                Some(seed) => render(seed, &json_edits),
                None => Vec::new(),
            };
            bytes::apply(&mut out, &byte_edits);
            Bytes(out)
        });
    prop_oneof![
        8 => mutated,
        1 => arbitrary_value(keys, strings).prop_map(|v| {
            let mut out = Vec::new();
            write_value(&v, &mut out);
            Bytes(out)
        }),
        1 => bytes::random(256).prop_map(Bytes),
    ]
}

/// A JSON value of any shape, with keys from `keys` and strings from `strings`.
pub fn arbitrary_value(
    keys: Arc<Vec<String>>,
    strings: Arc<Vec<String>>,
) -> impl Strategy<Value = Value> + Clone {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        proptest::sample::select(strings.to_vec()).prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::vec((proptest::sample::select(keys.to_vec()), inner), 0..6)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

/// The edits resolved to node numbers.
#[derive(Default)]
struct Plan {
    replace: HashMap<usize, Fragment>,
    remove: HashSet<usize>,
    repeat: HashSet<usize>,
    add: HashMap<usize, Vec<(String, Fragment)>>,
}

/// Writes `value` with `edits` applied.
pub fn render(value: &Value, edits: &[JsonEdit]) -> Vec<u8> {
    let nodes = count(value);
    let mut objects = Vec::new();
    object_nodes(value, &mut 0, &mut objects);
    let mut plan = Plan::default();
    for edit in edits {
        match edit {
            JsonEdit::Replace(at, fragment) => {
                plan.replace.insert(at.index(nodes), fragment.clone());
            }
            JsonEdit::Remove(at) => {
                plan.remove.insert(at.index(nodes));
            }
            JsonEdit::Repeat(at) => {
                plan.repeat.insert(at.index(nodes));
            }
            JsonEdit::AddMember(at, key, fragment) => {
                if !objects.is_empty() {
                    let node = objects[at.index(objects.len())];
                    plan.add
                        .entry(node)
                        .or_default()
                        .push((key.clone(), fragment.clone()));
                }
            }
        }
    }
    let mut out = Vec::new();
    if plan.remove.contains(&0) {
        return out;
    }
    let times = if plan.repeat.contains(&0) { 2 } else { 1 };
    for time in 0..times {
        if time > 0 {
            out.push(b' ');
        }
        write_node(value, &mut 0, &plan, &mut out);
    }
    out
}

/// Number of values in `value`, itself included.
fn count(value: &Value) -> usize {
    1 + match value {
        Value::Array(items) => items.iter().map(count).sum(),
        Value::Object(map) => map.values().map(count).sum(),
        _ => 0,
    }
}

fn object_nodes(value: &Value, next: &mut usize, out: &mut Vec<usize>) {
    let me = *next;
    *next += 1;
    match value {
        Value::Object(map) => {
            out.push(me);
            map.values().for_each(|v| object_nodes(v, next, out));
        }
        Value::Array(items) => items.iter().for_each(|v| object_nodes(v, next, out)),
        _ => {}
    }
}

fn write_node(value: &Value, next: &mut usize, plan: &Plan, out: &mut Vec<u8>) {
    let me = *next;
    if let Some(fragment) = plan.replace.get(&me) {
        *next += count(value);
        fragment.write(out);
        return;
    }
    *next += 1;
    match value {
        Value::Object(map) => {
            out.push(b'{');
            let mut first = true;
            let mut separator = |out: &mut Vec<u8>| {
                if !first {
                    out.push(b',');
                }
                first = false;
            };
            for (key, child) in map {
                let id = *next;
                if plan.remove.contains(&id) {
                    *next += count(child);
                    continue;
                }
                let times = if plan.repeat.contains(&id) { 2 } else { 1 };
                for _ in 0..times {
                    *next = id;
                    separator(out);
                    write_value(&Value::String(key.clone()), out);
                    out.push(b':');
                    write_node(child, next, plan, out);
                }
            }
            for (key, fragment) in plan.add.get(&me).into_iter().flatten() {
                separator(out);
                write_value(&Value::String(key.clone()), out);
                out.push(b':');
                fragment.write(out);
            }
            out.push(b'}');
        }
        Value::Array(items) => {
            out.push(b'[');
            let mut first = true;
            for child in items {
                let id = *next;
                if plan.remove.contains(&id) {
                    *next += count(child);
                    continue;
                }
                let times = if plan.repeat.contains(&id) { 2 } else { 1 };
                for _ in 0..times {
                    *next = id;
                    if !first {
                        out.push(b',');
                    }
                    first = false;
                    write_node(child, next, plan, out);
                }
            }
            out.push(b']');
        }
        scalar => write_value(scalar, out),
    }
}

/// A value as compact JSON text.
fn write_value(value: &Value, out: &mut Vec<u8>) {
    // Writing to a Vec cannot fail, and a Value always serializes.
    let _ = serde_json::to_writer(&mut *out, value);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    fn index_for(n: usize, of: usize) -> Index {
        // Index::index(size) is `(raw * size) >> 64`-like: search for one that lands on n.
        let mut runner = TestRunner::deterministic();
        loop {
            let at = any::<Index>()
                .new_tree(&mut runner)
                .map(|t| t.current())
                .unwrap_or_else(|e| panic!("{e}"));
            if at.index(of) == n {
                return at;
            }
        }
    }

    #[test]
    fn edits_land_on_the_values_they_name() {
        let seed: Value = serde_json::from_str(r#"{"a":[1,2],"b":{"c":"x"}}"#).unwrap();
        // Pre-order: 0 root, 1 a, 2 a[0], 3 a[1], 4 b, 5 b.c
        assert_eq!(render(&seed, &[]), br#"{"a":[1,2],"b":{"c":"x"}}"#);
        let at = |n| index_for(n, 6);
        assert_eq!(
            render(
                &seed,
                &[JsonEdit::Replace(at(2), Fragment::Number("1e400"))]
            ),
            br#"{"a":[1e400,2],"b":{"c":"x"}}"#
        );
        assert_eq!(
            render(&seed, &[JsonEdit::Repeat(at(5))]),
            br#"{"a":[1,2],"b":{"c":"x","c":"x"}}"#
        );
        assert_eq!(
            render(&seed, &[JsonEdit::Remove(at(1)), JsonEdit::Repeat(at(3))]),
            br#"{"b":{"c":"x"}}"#
        );
        assert_eq!(
            render(
                &seed,
                &[JsonEdit::AddMember(
                    index_for(1, 2),
                    "d".into(),
                    Fragment::Nested(2, false)
                )]
            ),
            br#"{"a":[1,2],"b":{"c":"x","d":[[1]]}}"#
        );
        assert_eq!(render(&seed, &[JsonEdit::Remove(at(0))]), b"");
    }
}
