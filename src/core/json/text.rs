//! JSON text, read and written by serde_json: into a [`Json`] that borrows its strings from the
//! text (a recorded request: no key or string without an escape is copied), or into an owned
//! [`Value`] (a `filter` query parameter, which the server parses as JSON when it is valid JSON,
//! and state read back from storage). Strict RFC 8259, nesting bounded by serde_json's recursion
//! limit ([`MAX_DEPTH`]); integers that fit in `i64` stay integers, other numbers are read
//! correctly rounded (`float_roundtrip`) and written in their shortest round-trip form.

use crate::prelude::*;

use super::{Json, Value};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// serde_json's recursion limit: deeper nesting is rejected, never followed.
pub const MAX_DEPTH: usize = 128;

/// Parses one JSON document into a value that owns its strings; `None` if `text` is not valid
/// JSON.
pub fn parse(text: &str) -> Option<Value> {
    read(text).map(Json::into_owned)
}

/// Parses one JSON document, borrowing its strings from `text` (those without escapes); `None`
/// if `text` is not valid JSON.
pub fn read(text: &str) -> Option<Json<'_>> {
    serde_json::from_str(text).ok()
}

/// Parses one JSON document as `T` (a [`Json`], or any serde type), borrowing from `text` what
/// it can; the error says where it stops being JSON, or being a `T`.
pub fn parse_at<'a, T: Deserialize<'a>>(text: &'a str) -> Result<T, serde_json::Error> {
    serde_json::from_str(text)
}

/// The compact JSON text of any serde value: the package's own types always serialize (their
/// map keys are strings), so this never fails on them; a foreign type that cannot be JSON gives
/// an empty text.
pub fn write<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// A serde value read from JSON text; `None` if the text is not JSON of that shape.
pub fn decode<T: DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_str(text).ok()
}

/// A decimal number (`-1.5e3`, `50`, `0.25`) as the nearest `f64`; `None` if `text` is not a JSON
/// number (no `+`, no `inf`, no leading `.`).
pub(crate) fn parse_decimal(text: &str) -> Option<f64> {
    match read(text)? {
        Json::Int(n) => Some(n as f64),
        Json::Float(x) => Some(x),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::borrow::Cow;

    #[test]
    fn reads_what_the_writer_writes() {
        let text = r#"{"a":[1,-2,true,null,"x\"y\u00e9\ud83d\ude00"],"b":{"c":1.5e2}}"#;
        let value = parse(text).unwrap();
        assert_eq!(value.get("b").unwrap().get("c"), Some(&Value::Float(150.0)));
        assert_eq!(
            value.to_json(),
            "{\"a\":[1,-2,true,null,\"x\\\"yé😀\"],\"b\":{\"c\":150}}"
        );
        // Hex digits of either case.
        assert_eq!(parse(r#""\u00C9\uD83D\uDE00""#), Some(Value::from("É😀")));
    }

    #[test]
    fn read_borrows_every_string_without_escapes() {
        let text = r#"{"q":"star wars","path":"/a\/b","tags":["x"]}"#;
        let value = read(text).unwrap();
        let Json::Object(entries) = &value else {
            panic!("not an object: {value:?}");
        };
        assert!(entries.iter().all(|(k, _)| matches!(k, Cow::Borrowed(_))));
        assert!(matches!(
            value.get("q"),
            Some(Json::String(Cow::Borrowed("star wars")))
        ));
        // An escape makes a decoded copy.
        assert!(matches!(value.get("path"), Some(Json::String(Cow::Owned(p))) if p == "/a/b"));
        let Some(Json::Array(tags)) = value.get("tags") else {
            panic!("no tags");
        };
        assert!(matches!(tags[0], Json::String(Cow::Borrowed("x"))));
        // `parse` owns everything, and reads the same value.
        let owned = parse(text).unwrap();
        assert!(matches!(owned.get("q"), Some(Json::String(Cow::Owned(_)))));
        assert_eq!(owned, value);
    }

    #[test]
    fn reads_decimals_exactly() {
        for (text, expected) in [
            ("1.5", 1.5),
            ("-0.25", -0.25),
            ("1e3", 1000.0),
            ("2.5E-2", 0.025),
            ("50", 50.0),
            ("0.8", 0.8),
            ("0.1", 0.1),
            ("2.2250738585072011e-308", 2.225_073_858_507_201e-308),
        ] {
            assert_eq!(parse_decimal(text), Some(expected), "{text}");
        }
        for bad in ["", "-", "1.2.3", "abc", "1e", "+1", ".5", "\"1\"", "1e999"] {
            assert_eq!(parse_decimal(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn rejects_what_is_not_json() {
        for bad in [
            "",
            "genre = horror",
            "[1,]",
            "{\"a\"}",
            "01",
            "\"\u{1}\"",
            "[1] x",
            "tru",
            // `\u` takes exactly four hex digits: no sign, no fewer.
            r#""\u+abc""#,
            r#""\u-abc""#,
            r#""\u12""#,
            r#""\u12g4""#,
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
        let deep = "[".repeat(MAX_DEPTH + 2) + &"]".repeat(MAX_DEPTH + 2);
        assert_eq!(parse(&deep), None);
    }
}
