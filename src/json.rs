//! A small JSON value that keeps object keys in insertion order, and its compact writer.
//! [`Json`] may borrow its strings from the text it was read from (a recorded request is read
//! without copying a key or a string); [`Value`] owns them (state that outlives its input).
//!
//! The wire format is built from this type so that the same inputs give the same bytes on every
//! platform: keys are written in the order they were inserted (the catalog's declaration order),
//! numbers are integers written in decimal, and strings are escaped as RFC 8259 requires.

use crate::prelude::*;

use crate::float::{is_integral, round_to_i64};
use crate::text::{int, push_hex, push_int};
use alloc::borrow::Cow;

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
    pub fn insert_path(&mut self, path: &str, value: Json<'a>) {
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

    /// The compact JSON text of this value.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_to(&mut out);
        out
    }

    /// Appends the compact JSON text of this value to `out`.
    pub fn write_to(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(true) => out.push_str("true"),
            Json::Bool(false) => out.push_str("false"),
            Json::Int(n) => push_int(out, *n),
            Json::Float(x) if x.is_finite() => write_float(*x, out),
            Json::Float(_) => out.push_str("null"),
            Json::String(s) => write_string(s, out),
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write_to(out);
                }
                out.push(']');
            }
            Json::Object(entries) => {
                out.push('{');
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_string(key, out);
                    out.push(':');
                    value.write_to(out);
                }
                out.push('}');
            }
        }
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

/// Decimals written for a non-integral number. Every number this package emits has at most two
/// (averages are rounded to hundredths); six keep the inputs read back (a `filter`, a ratio)
/// faithful enough for what is derived from them. Written in integer arithmetic, without the
/// standard library's float formatting, which would cost every dashboard user ~11 KB of wasm.
const FLOAT_DECIMALS: u32 = 6;

/// Writes a finite number: as an integer when it is one (within 2^53), else with up to six
/// decimals, trailing zeros dropped (`1.5`, `0.333333`).
pub fn write_float(x: f64, out: &mut String) {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    if is_integral(x) && x.abs() < EXACT {
        push_int(out, x as i64);
        return;
    }
    let scale = 10u64.pow(FLOAT_DECIMALS);
    let scaled = round_to_i64(x.abs() * scale as f64) as f64;
    if scaled >= EXACT {
        // Too large for six decimals: its integer part is as precise as an f64 gets.
        push_int(out, round_to_i64(x));
        return;
    }
    let scaled = scaled as u64;
    if x < 0.0 && scaled > 0 {
        out.push('-');
    }
    push_int(out, scaled / scale);
    let mut fraction = scaled % scale;
    if fraction > 0 {
        let mut digits = FLOAT_DECIMALS;
        while fraction % 10 == 0 {
            fraction /= 10;
            digits -= 1;
        }
        out.push('.');
        let written = int(fraction);
        (written.len()..digits as usize).for_each(|_| out.push('0'));
        out.push_str(&written);
    }
}

/// Writes `s` as a JSON string literal: quotes, backslashes and control characters escaped.
/// Runs of characters that need no escape are copied whole.
pub fn write_string(s: &str, out: &mut String) {
    out.reserve(s.len() + 2);
    out.push('"');
    let mut rest = s;
    // Every byte that needs an escape is ASCII, so the text splits into valid UTF-8 around it.
    while let Some((at, byte)) = rest
        .bytes()
        .enumerate()
        .find(|&(_, b)| b == b'"' || b == b'\\' || b < 0x20)
    {
        let (Some(plain), Some(after)) = (rest.get(..at), rest.get(at + 1..)) else {
            break;
        };
        out.push_str(plain);
        match byte {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            control => {
                out.push_str("\\u");
                push_hex(out, u32::from(control), 4);
            }
        }
        rest = after;
    }
    out.push_str(rest);
    out.push('"');
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
    fn non_finite_floats_become_null() {
        assert_eq!(Value::Float(f64::NAN).to_json(), "null");
        assert_eq!(Value::Float(1.5).to_json(), "1.5");
        assert_eq!(Value::Float(0.33).to_json(), "0.33");
        assert_eq!(Value::Float(-0.05).to_json(), "-0.05");
        assert_eq!(Value::Float(2.0).to_json(), "2");
        assert_eq!(Value::Float(1.0 / 3.0).to_json(), "0.333333");
        assert_eq!(
            Value::Float(1e300).to_json().len(),
            19,
            "huge values saturate as integers"
        );
    }
}
