//! Reading JSON text into a [`Json`] that borrows its strings from the text (a recorded request:
//! no key or string copied), or into an owned [`Value`] (a `filter` query parameter, which the
//! server parses as JSON when it is valid JSON, and state read back from storage). Strict RFC
//! 8259, nesting bounded by [`MAX_DEPTH`]; integers that fit in `i64` stay integers.

use crate::prelude::*;

use crate::float::scale_by_power_of_ten;
use crate::json::{Json, Value};
use crate::text::hex_digit;
use alloc::borrow::Cow;

/// Deeper nesting is rejected (no recursion without bound on hostile input).
pub const MAX_DEPTH: usize = 64;

/// Parses one JSON document into a value that owns its strings; `None` if `text` is not valid
/// JSON.
pub fn parse(text: &str) -> Option<Value> {
    parse_at(text).ok().map(Json::into_owned)
}

/// Parses one JSON document, borrowing its strings from `text` (those without escapes); `None`
/// if `text` is not valid JSON.
pub fn read(text: &str) -> Option<Json<'_>> {
    parse_at(text).ok()
}

/// Parses one JSON document, borrowing from `text`; `Err(offset)`: the byte offset where it stops
/// being valid JSON (or nests deeper than [`MAX_DEPTH`]).
pub fn parse_at(text: &str) -> Result<Json<'_>, usize> {
    let mut parser = Parser { text, at: 0 };
    let value = parser.value(0).ok_or(parser.at)?;
    parser.skip_whitespace();
    if parser.at == parser.text.len() {
        Ok(value)
    } else {
        Err(parser.at)
    }
}

/// A decimal number (`-1.5e3`, `50`, `0.25`) as an `f64`, without the standard library's float
/// parser (about 4 KB of wasm): the first 19 significant digits are kept, which is more precision
/// than anything derived from them needs. `None` if `text` is not such a number.
pub fn parse_decimal(text: &str) -> Option<f64> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (number, exponent) = match rest.find(['e', 'E']) {
        Some(at) => (rest.get(..at)?, rest.get(at + 1..)?.parse::<i32>().ok()?),
        None => (rest, 0),
    };
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    let mut mantissa = 0u64;
    let mut scale = exponent;
    let mut kept = 0;
    for (i, b) in whole.bytes().chain(fraction.bytes()).enumerate() {
        if !b.is_ascii_digit() {
            return None;
        }
        let in_fraction = i >= whole.len();
        if kept < 19 {
            if mantissa > 0 || b != b'0' {
                kept += 1;
            }
            mantissa = mantissa * 10 + u64::from(b - b'0');
            scale -= i32::from(in_fraction);
        } else if !in_fraction {
            scale += 1;
        }
    }
    let value = scale_by_power_of_ten(mantissa as f64, scale);
    Some(if negative { -value } else { value })
}

struct Parser<'a> {
    /// The text (valid UTF-8: slices between ASCII delimiters need no validation).
    text: &'a str,
    at: usize,
}

impl<'a> Parser<'a> {
    #[inline(always)]
    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.bytes().get(self.at).copied()
    }

    #[inline(always)]
    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn eat(&mut self, literal: &str) -> Option<()> {
        let end = self.at + literal.len();
        (self.bytes().get(self.at..end)? == literal.as_bytes()).then(|| self.at = end)
    }

    fn value(&mut self, depth: usize) -> Option<Json<'a>> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_whitespace();
        match self.peek()? {
            b'n' => self.eat("null").map(|_| Json::Null),
            b't' => self.eat("true").map(|_| Json::Bool(true)),
            b'f' => self.eat("false").map(|_| Json::Bool(false)),
            b'"' => self.string().map(Json::String),
            b'[' => {
                self.at += 1;
                let mut items = Vec::new();
                self.skip_whitespace();
                if self.peek() == Some(b']') {
                    self.at += 1;
                    return Some(Json::Array(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    self.skip_whitespace();
                    match self.peek()? {
                        b',' => self.at += 1,
                        b']' => {
                            self.at += 1;
                            return Some(Json::Array(items));
                        }
                        _ => return None,
                    }
                }
            }
            b'{' => {
                self.at += 1;
                let mut entries = Vec::with_capacity(8);
                self.skip_whitespace();
                if self.peek() == Some(b'}') {
                    self.at += 1;
                    return Some(Json::Object(entries));
                }
                loop {
                    self.skip_whitespace();
                    if self.peek()? != b'"' {
                        return None;
                    }
                    let key = self.string()?;
                    self.skip_whitespace();
                    if self.peek()? != b':' {
                        return None;
                    }
                    self.at += 1;
                    entries.push((key, self.value(depth + 1)?));
                    self.skip_whitespace();
                    match self.peek()? {
                        b',' => self.at += 1,
                        b'}' => {
                            self.at += 1;
                            return Some(Json::Object(entries));
                        }
                        _ => return None,
                    }
                }
            }
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn number(&mut self) -> Option<Json<'a>> {
        let start = self.at;
        let digits = |p: &mut Self| {
            let from = p.at;
            while matches!(p.peek(), Some(b'0'..=b'9')) {
                p.at += 1;
            }
            p.at > from
        };
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        let int_start = self.at;
        if !digits(self) || (self.bytes()[int_start] == b'0' && self.at - int_start > 1) {
            return None;
        }
        let mut integral = true;
        if self.peek() == Some(b'.') {
            self.at += 1;
            integral = false;
            if !digits(self) {
                return None;
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            integral = false;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if !digits(self) {
                return None;
            }
        }
        let text = self.text.get(start..self.at)?;
        if integral {
            if let Ok(n) = text.parse::<i64>() {
                return Some(Json::Int(n));
            }
        }
        parse_decimal(text).map(Json::Float)
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.bytes().get(self.at..self.at + 4)?;
        self.at += 4;
        digits
            .iter()
            .try_fold(0, |code, &digit| Some(code << 4 | hex_digit(digit)?))
    }

    /// The run of plain characters from the current position up to a quote, a backslash or a
    /// control character (a slice of the text: it starts and ends next to ASCII bytes).
    #[inline(always)]
    fn plain_run(&mut self) -> Option<&'a str> {
        let start = self.at;
        let mut end = start;
        while !matches!(*self.bytes().get(end)?, b'"' | b'\\' | 0..=0x1f) {
            end += 1;
        }
        self.at = end;
        self.text.get(start..end)
    }

    fn string(&mut self) -> Option<Cow<'a, str>> {
        self.at += 1; // the opening quote
        let first = self.plain_run()?;
        if self.peek()? == b'"' {
            // No escape: the text itself.
            self.at += 1;
            return Some(Cow::Borrowed(first));
        }
        let mut out = String::from(first);
        loop {
            match self.peek()? {
                b'"' => {
                    self.at += 1;
                    return Some(Cow::Owned(out));
                }
                b'\\' => {
                    self.at += 1;
                    let escaped = self.peek()?;
                    self.at += 1;
                    match escaped {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let high = self.hex4()?;
                            let code = if (0xd800..0xdc00).contains(&high) {
                                self.eat("\\u")?;
                                let low = self.hex4()?;
                                if !(0xdc00..0xe000).contains(&low) {
                                    return None;
                                }
                                0x10000 + ((high - 0xd800) << 10) + (low - 0xdc00)
                            } else {
                                high
                            };
                            out.push(char::from_u32(code)?);
                        }
                        _ => return None,
                    }
                    let run = self.plain_run()?;
                    out.push_str(run);
                }
                _ => return None, // a raw control character
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn reads_decimals_without_the_float_parser() {
        let close = |a: f64, b: f64| (a - b).abs() <= b.abs() * 1e-12;
        for (text, expected) in [
            ("1.5", 1.5),
            ("-0.25", -0.25),
            ("1e3", 1000.0),
            ("2.5E-2", 0.025),
            ("50", 50.0),
            ("0.8", 0.8),
        ] {
            assert!(close(parse_decimal(text).unwrap(), expected), "{text}");
        }
        assert!(parse_decimal("1e999").unwrap().is_infinite());
        for bad in ["", "-", "1.2.3", "abc", "1e"] {
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
