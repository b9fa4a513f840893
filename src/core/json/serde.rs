//! [`Json`] in serde's data model, so serde_json reads and writes its text and
//! serde-wasm-bindgen carries it to JS: objects are maps in insertion order, strings are borrowed
//! from the input wherever the deserializer can lend them (serde_json can for every string
//! without an escape), numbers are `i64` when they are integers that fit, else `f64`. Also the
//! conversions to and from `serde_json::Value`, for Rust hosts.

use crate::prelude::*;

use super::Json;
use alloc::borrow::Cow;
use core::fmt;
use core::marker::PhantomData;
use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Below 2^53 every integer is an exact `f64`: an integral `f64` there is written as an integer
/// (`2`, not `2.0`: the same number, and the wire's bytes as they always were).
const EXACT_INTEGERS: f64 = 9_007_199_254_740_992.0;

impl Serialize for Json<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Null => serializer.serialize_unit(),
            Json::Bool(b) => serializer.serialize_bool(*b),
            Json::Int(n) => serializer.serialize_i64(*n),
            Json::Float(x) => serialize_float(*x, serializer),
            Json::String(s) => serializer.serialize_str(s),
            Json::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Json::Object(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (key, value) in entries {
                    map.serialize_entry(&**key, value)?;
                }
                map.end()
            }
        }
    }
}

/// A finite number in its shortest round-trip form (an integer below 2^53 as an integer; `-0`
/// keeps its sign); a non-finite one, which JSON cannot hold, as `null`.
fn serialize_float<S: Serializer>(x: f64, serializer: S) -> Result<S::Ok, S::Error> {
    let integral = x == (x as i64) as f64;
    if !x.is_finite() {
        serializer.serialize_unit()
    } else if integral && x.abs() < EXACT_INTEGERS && !(x == 0.0 && x.is_sign_negative()) {
        serializer.serialize_i64(x as i64)
    } else {
        serializer.serialize_f64(x)
    }
}

/// Read from any deserializer whose input outlives the value (`'de: 'a`), so that strings can
/// be borrowed from it; an owned [`Value`](super::Value) is read with [`owned`].
impl<'de: 'a, 'a> Deserialize<'de> for Json<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor(PhantomData))
    }
}

struct JsonVisitor<'a>(PhantomData<Json<'a>>);

impl<'de: 'a, 'a> Visitor<'de> for JsonVisitor<'a> {
    type Value = Json<'a>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Json::Null)
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Json::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, inner: D) -> Result<Self::Value, D::Error> {
        Json::deserialize(inner)
    }

    fn visit_bool<E>(self, b: bool) -> Result<Self::Value, E> {
        Ok(Json::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Self::Value, E> {
        Ok(Json::Int(n))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Self::Value, E> {
        Ok(i64::try_from(n).map_or(Json::Float(n as f64), Json::Int))
    }

    fn visit_f64<E>(self, x: f64) -> Result<Self::Value, E> {
        Ok(Json::Float(x))
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
        Ok(Json::String(Cow::Borrowed(s)))
    }

    fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
        Ok(Json::String(Cow::Owned(s.to_owned())))
    }

    fn visit_string<E>(self, s: String) -> Result<Self::Value, E> {
        Ok(Json::String(Cow::Owned(s)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(8).min(64));
        while let Some(key) = map.next_key_seed(KeySeed(PhantomData))? {
            entries.push((key, map.next_value()?));
        }
        Ok(Json::Object(entries))
    }
}

/// An object key, borrowed when the deserializer can lend it.
struct KeySeed<'a>(PhantomData<Cow<'a, str>>);

impl<'de: 'a, 'a> DeserializeSeed<'de> for KeySeed<'a> {
    type Value = Cow<'a, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(KeyVisitor(PhantomData))
    }
}

struct KeyVisitor<'a>(PhantomData<Cow<'a, str>>);

impl<'de: 'a, 'a> Visitor<'de> for KeyVisitor<'a> {
    type Value = Cow<'a, str>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(s))
    }

    fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(s.to_owned()))
    }

    fn visit_string<E>(self, s: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(s))
    }
}

/// An owned value read from any deserializer (what a struct field of type [`Value`] uses).
///
/// [`Value`]: super::Value
pub fn owned<'de, D: Deserializer<'de>>(deserializer: D) -> Result<super::Value, D::Error> {
    Json::<'de>::deserialize(deserializer).map(Json::into_owned)
}

/// A value as `serde_json` holds it (numbers as the wire writes them).
impl From<&Json<'_>> for serde_json::Value {
    fn from(value: &Json<'_>) -> Self {
        serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
    }
}

/// A `serde_json` value as the core's (integers that fit in `i64` stay integers).
impl From<serde_json::Value> for super::Value {
    fn from(value: serde_json::Value) -> Self {
        owned(value).unwrap_or(Json::Null)
    }
}
