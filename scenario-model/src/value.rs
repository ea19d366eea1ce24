//! The simple Python values ops stores: config values, action params, stored-state
//! content and deferred-event snapshots.
//!
//! ops persists these with marshal/pickle, so they are limited to None, bool, int, float,
//! str, bytes, list, tuple, set and dict (with str or int keys). JSON has no bytes, tuples,
//! sets or int keys, so those are written as one-key objects (`{"$bytes": "6869"}`,
//! `{"$tuple": [..]}`, `{"$set": [..]}`, `{"$dict": [[k, v], ..]}`); everything else is
//! plain JSON.

use std::fmt;

use indexmap::IndexMap;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A dict key: ops only stores str and int keys.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DictKey {
    Str(String),
    Int(i64),
}

impl fmt::Display for DictKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DictKey::Str(s) => write!(f, "{s:?}"),
            DictKey::Int(i) => write!(f, "{i}"),
        }
    }
}

impl From<&str> for DictKey {
    fn from(s: &str) -> Self {
        DictKey::Str(s.to_owned())
    }
}

impl From<i64> for DictKey {
    fn from(i: i64) -> Self {
        DictKey::Int(i)
    }
}

/// One simple Python value.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    #[default]
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Bytes(Vec<u8>),
    List(Vec<Value>),
    Tuple(Vec<Value>),
    Set(Vec<Value>),
    Dict(IndexMap<DictKey, Value>),
}

impl Value {
    /// The Python type name, for messages ("expected int, got str").
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::None => "NoneType",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float",
            Value::Str(_) => "str",
            Value::Bytes(_) => "bytes",
            Value::List(_) => "list",
            Value::Tuple(_) => "tuple",
            Value::Set(_) => "set",
            Value::Dict(_) => "dict",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// A dict whose keys are all strings, as config and params are.
    pub fn str_dict<I, K>(items: I) -> Value
    where
        I: IntoIterator<Item = (K, Value)>,
        K: Into<String>,
    {
        Value::Dict(
            items
                .into_iter()
                .map(|(k, v)| (DictKey::Str(k.into()), v))
                .collect(),
        )
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Str(s.to_owned())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Str(s)
    }
}
impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Int(i)
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}
impl From<f64> for Value {
    fn from(f: f64) -> Self {
        Value::Float(f)
    }
}

fn hex(bytes: &[u8]) -> String {
    use fmt::Write;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

struct Tagged<'a>(&'static str, &'a [Value]);

impl Serialize for Tagged<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry(self.0, self.1)?;
        m.end()
    }
}

struct Pairs<'a>(&'a IndexMap<DictKey, Value>);

impl Serialize for Pairs<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for (k, v) in self.0 {
            let key = match k {
                DictKey::Str(s) => Value::Str(s.clone()),
                DictKey::Int(i) => Value::Int(*i),
            };
            seq.serialize_element(&(key, v))?;
        }
        seq.end()
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::None => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Int(i) => s.serialize_i64(*i),
            Value::Float(f) => s.serialize_f64(*f),
            Value::Str(v) => s.serialize_str(v),
            Value::Bytes(b) => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry("$bytes", &hex(b))?;
                m.end()
            }
            Value::List(items) => items.serialize(s),
            Value::Tuple(items) => Tagged("$tuple", items).serialize(s),
            Value::Set(items) => Tagged("$set", items).serialize(s),
            Value::Dict(map) => {
                if map.keys().all(|k| matches!(k, DictKey::Str(_))) {
                    let mut m = s.serialize_map(Some(map.len()))?;
                    for (k, v) in map {
                        if let DictKey::Str(k) = k {
                            m.serialize_entry(k, v)?;
                        }
                    }
                    m.end()
                } else {
                    let mut m = s.serialize_map(Some(1))?;
                    m.serialize_entry("$dict", &Pairs(map))?;
                    m.end()
                }
            }
        }
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a simple Python value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::None)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, i: i64) -> Result<Value, E> {
        Ok(Value::Int(i))
    }
    fn visit_u64<E: de::Error>(self, i: u64) -> Result<Value, E> {
        i64::try_from(i)
            .map(Value::Int)
            .map_err(|_| E::custom("integer out of the 64-bit range"))
    }
    fn visit_f64<E>(self, f: f64) -> Result<Value, E> {
        Ok(Value::Float(f))
    }
    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::Str(s.to_owned()))
    }
    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::Str(s))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(v) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out: IndexMap<DictKey, Value> = IndexMap::new();
        while let Some(key) = map.next_key::<String>()? {
            let value: Value = map.next_value()?;
            if out.is_empty() {
                if let Some(special) = untag::<A::Error>(&key, &value)? {
                    // A tag only counts when it is the only key.
                    if map.next_key::<String>()?.is_some() {
                        return Err(de::Error::custom(format!(
                            "{key} must be the only key of its object"
                        )));
                    }
                    return Ok(special);
                }
            }
            out.insert(DictKey::Str(key), value);
        }
        Ok(Value::Dict(out))
    }
}

fn untag<E: de::Error>(key: &str, value: &Value) -> Result<Option<Value>, E> {
    let items = |v: &Value| match v {
        Value::List(items) => Ok(items.clone()),
        other => Err(E::custom(format!(
            "{key} takes a list, got {}",
            other.type_name()
        ))),
    };
    Ok(Some(match key {
        "$bytes" => Value::Bytes(
            value
                .as_str()
                .and_then(unhex)
                .ok_or_else(|| E::custom("$bytes takes a hex string"))?,
        ),
        "$tuple" => Value::Tuple(items(value)?),
        "$set" => Value::Set(items(value)?),
        "$dict" => {
            let mut out = IndexMap::new();
            for pair in items(value)? {
                match pair {
                    Value::List(kv) if kv.len() == 2 => {
                        let key = match &kv[0] {
                            Value::Str(s) => DictKey::Str(s.clone()),
                            Value::Int(i) => DictKey::Int(*i),
                            other => {
                                return Err(E::custom(format!(
                                    "dict keys must be str or int, got {}",
                                    other.type_name()
                                )));
                            }
                        };
                        out.insert(key, kv[1].clone());
                    }
                    _ => return Err(E::custom("$dict takes [key, value] pairs")),
                }
            }
            Value::Dict(out)
        }
        _ => return Ok(None),
    }))
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_json_values_round_trip_through_json() {
        let mut dict = IndexMap::new();
        dict.insert(DictKey::Int(42), Value::Int(42));
        let v = Value::str_dict([
            ("b", Value::Bytes(b"hi".to_vec())),
            ("t", Value::Tuple(vec![Value::Int(1), Value::None])),
            ("s", Value::Set(vec![Value::from("x")])),
            ("d", Value::Dict(dict)),
            ("f", Value::Float(1.5)),
        ]);
        let json = serde_json::to_string(&v).unwrap();
        assert!(json.contains(r#""$bytes":"6869""#), "{json}");
        let back: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn a_tag_beside_other_keys_is_an_error() {
        let err = serde_json::from_str::<Value>(r#"{"$tuple": [], "x": 1}"#).unwrap_err();
        assert!(err.to_string().contains("only key"), "{err}");
    }

    #[test]
    fn an_ordinary_dollar_key_stays_a_key() {
        let v: Value = serde_json::from_str(r#"{"$other": 1}"#).unwrap();
        assert_eq!(v, Value::str_dict([("$other", Value::Int(1))]));
    }
}
