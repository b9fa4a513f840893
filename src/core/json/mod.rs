//! A JSON value that keeps object keys in insertion order. [`Json`] may borrow its strings from
//! the text it was read from (a recorded request is read without copying a key or a string);
//! [`Value`] owns them (state that outlives its input). It is a serde type (`serde.rs`), read
//! and written as text by serde_json (`text.rs`).
//!
//! The wire format is built from this type so that the same inputs give the same bytes on every
//! platform: keys are written in the order they were inserted (the catalog's declaration order),
//! and every number is written so that it reads back as the same number.

use crate::prelude::*;

use alloc::borrow::Cow;

mod serde;
pub mod text;

pub use self::serde::owned;
pub use text::{decode, parse, read, write};

/// A JSON value whose strings are borrowed for `'a` or owned. Objects are ordered lists of
/// `(key, value)` pairs.
#[derive(Debug, Clone, PartialEq)]
pub enum Json<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(Cow<'a, str>),
    Array(Vec<Json<'a>>),
    Object(Vec<Entry<'a>>),
}

/// One key and value of an object.
pub type Entry<'a> = (Cow<'a, str>, Json<'a>);

/// A JSON value that owns its strings.
pub type Value = Json<'static>;

/// Whether two strings are equal, the lengths compared inline first: most keys looked up differ
/// in length, and the wasm (built for size) would otherwise call out for every comparison. Two
/// copies of one literal (a catalog name looked up by the code that names it) are one address
/// after linking, so their bytes are not compared.
#[inline(always)]
pub(crate) fn same_text(a: &str, b: &str) -> bool {
    a.len() == b.len() && (core::ptr::eq(a.as_ptr(), b.as_ptr()) || a.as_bytes() == b.as_bytes())
}

impl<'a> Json<'a> {
    /// An empty object.
    pub fn object() -> Self {
        Json::Object(Vec::new())
    }

    /// The value at `key` of an object, if this is an object holding it.
    pub fn get(&self, key: &str) -> Option<&Json<'a>> {
        match self {
            Json::Object(entries) => entries
                .iter()
                .find(|(k, _)| same_text(k, key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// The value at `key` of an object, mutably.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Json<'a>> {
        match self {
            Json::Object(entries) => entries
                .iter_mut()
                .find(|(k, _)| same_text(k, key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// Removes `key` from an object and returns its value.
    pub fn take(&mut self, key: &str) -> Option<Json<'a>> {
        match self {
            Json::Object(entries) => {
                let at = entries.iter().position(|(k, _)| same_text(k, key))?;
                Some(entries.remove(at).1)
            }
            _ => None,
        }
    }

    /// Sets `key` in an object (replacing a previous value in place, else appending).
    /// Does nothing on a non-object.
    pub fn insert(&mut self, key: &str, value: Json<'a>) {
        if let Json::Object(entries) = self {
            match entries.iter_mut().find(|(k, _)| same_text(k, key)) {
                Some(entry) => entry.1 = value,
                None => entries.push((Cow::Owned(key.to_owned()), value)),
            }
        }
    }

    /// Sets a dotted `path` (`requests.total_received`) in an object, creating the intermediate
    /// objects. A non-object met on the way is replaced by an object.
    pub(crate) fn insert_path(&mut self, path: &str, value: Json<'a>) {
        match path.split_once('.') {
            None => self.insert(path, value),
            Some((head, rest)) => {
                if !matches!(self.get(head), Some(Json::Object(_))) {
                    self.insert(head, Json::object());
                }
                if let Json::Object(entries) = self {
                    if let Some((_, child)) = entries.iter_mut().find(|(k, _)| k == head) {
                        child.insert_path(rest, value);
                    }
                }
            }
        }
    }

    /// The text of a string value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// The same value, owning its strings (containers are reused, not reallocated).
    pub fn into_owned(self) -> Value {
        match self {
            Json::Null => Json::Null,
            Json::Bool(b) => Json::Bool(b),
            Json::Int(n) => Json::Int(n),
            Json::Float(x) => Json::Float(x),
            Json::String(s) => Json::String(Cow::Owned(s.into_owned())),
            Json::Array(items) => Json::Array(items.into_iter().map(Json::into_owned).collect()),
            Json::Object(entries) => Json::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (Cow::Owned(k.into_owned()), v.into_owned()))
                    .collect(),
            ),
        }
    }

    /// The compact JSON text of this value (serde_json's: numbers in their shortest round-trip
    /// form, strings escaped as RFC 8259 requires).
    pub fn to_json(&self) -> String {
        text::write(self)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(Cow::Owned(s.to_owned()))
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(Cow::Owned(s))
    }
}

/// An object of owned keys.
impl From<Vec<(String, Value)>> for Value {
    fn from(entries: Vec<(String, Value)>) -> Self {
        Value::Object(
            entries
                .into_iter()
                .map(|(k, v)| (Cow::Owned(k), v))
                .collect(),
        )
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Self {
        Value::Int(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_compact_json_in_insertion_order() {
        let mut v = Value::object();
        v.insert("z", Value::Int(-3));
        v.insert(
            "a",
            Value::Array(vec![Value::Null, true.into(), "x".into()]),
        );
        v.insert_path("requests.total_received", Value::Int(2));
        assert_eq!(
            v.to_json(),
            r#"{"z":-3,"a":[null,true,"x"],"requests":{"total_received":2}}"#
        );
    }

    #[test]
    fn escapes_strings() {
        let v = Value::from("a\"b\\c\n\u{1}é");
        assert_eq!(v.to_json(), "\"a\\\"b\\\\c\\n\\u0001é\"");
    }

    #[test]
    fn insert_replaces_in_place() {
        let mut v = Value::object();
        v.insert("a", 1.into());
        v.insert("b", 2.into());
        v.insert("a", 3.into());
        assert_eq!(v.to_json(), r#"{"a":3,"b":2}"#);
    }

    #[test]
    fn numbers_are_written_to_read_back_the_same() {
        assert_eq!(Value::Float(f64::NAN).to_json(), "null");
        assert_eq!(Value::Float(f64::INFINITY).to_json(), "null");
        // An integral number below 2^53 is written as an integer, and reads back as one.
        assert_eq!(Value::Float(2.0).to_json(), "2");
        assert_eq!(parse("2"), Some(Value::Int(2)));
        for (x, text) in [
            (1.5, "1.5"),
            (0.33, "0.33"),
            (-0.05, "-0.05"),
            (1e22, "1e+22"),
            (1.5e300, "1.5e+300"),
            (-1e-78, "-1e-78"),
            (5e-324, "5e-324"),
            (1.0 / 3.0, "0.3333333333333333"),
        ] {
            assert_eq!(Value::Float(x).to_json(), text, "{x}");
            assert_eq!(parse(text), Some(Value::Float(x)), "{text}");
        }
        let minus_zero = Value::Float(-0.0).to_json();
        let Some(Value::Float(back)) = parse(&minus_zero) else {
            panic!("{minus_zero} read back as something else");
        };
        assert!(back == 0.0 && back.is_sign_negative(), "{minus_zero}");
        assert_eq!(
            parse("9007199254740993").unwrap().to_json(),
            "9007199254740993"
        );
    }
}
