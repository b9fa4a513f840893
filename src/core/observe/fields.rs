//! Reading request fields the way the server's aggregates read them: presence, numbers with
//! defaults, list lengths, header text, the paging and filter analyses shared by search, similar
//! and document reads.

use crate::prelude::*;

use crate::aggregate::Observation;
use crate::json::Json;
use alloc::borrow::Cow;

/// The page size search, similar and document reads use when none is given.
pub const DEFAULT_LIMIT: u64 = 20;

/// `pagination.max_limit` and `pagination.max_offset` from a body's `limit` and `offset`
/// (defaults 20 and 0), as search, similar and document reads count them.
pub(crate) fn limit_and_offset(o: &mut Observation, body: &Json) {
    o.number(
        "pagination.max_limit",
        as_u64(body.get("limit")).unwrap_or(DEFAULT_LIMIT),
    );
    o.number(
        "pagination.max_offset",
        as_u64(body.get("offset")).unwrap_or(0),
    );
}

/// Whether a header value is visible ASCII, as the server requires before reading it.
pub(crate) fn visible_ascii(text: &str) -> bool {
    text.bytes().all(|b| (0x20..0x7f).contains(&b))
}

/// A non-negative integer field (a float is truncated; anything else is `None`).
pub fn as_u64(value: Option<&Json>) -> Option<u64> {
    match value? {
        Json::Int(n) => u64::try_from(*n).ok(),
        Json::Float(x) if x.is_finite() && *x >= 0.0 => Some(*x as u64),
        Json::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// `true` only for a JSON `true` (or the text `"true"` of a query parameter).
pub(crate) fn is_true(value: Option<&Json>) -> bool {
    matches!(value, Some(Json::Bool(true))) || matches!(value, Some(Json::String(s)) if s == "true")
}

/// The number of items of an array (or of entries of an object); 0 otherwise.
pub fn len(value: Option<&Json>) -> u64 {
    match value {
        Some(Json::Array(items)) => items.len() as u64,
        Some(Json::Object(entries)) => entries.len() as u64,
        _ => 0,
    }
}

/// The strings of an array (other items skipped).
pub fn strings<'v>(value: Option<&'v Json>) -> Vec<&'v str> {
    match value {
        Some(Json::Array(items)) => items.iter().filter_map(Json::as_str).collect(),
        _ => Vec::new(),
    }
}

/// Occurrences of the server's `AND | OR` separator regex (`"AND "` or `" OR"`), leftmost first.
fn separators(text: &str) -> u64 {
    let bytes = text.as_bytes();
    let (mut i, mut n) = (0, 0);
    while i < bytes.len() {
        // Bytes compared one by one: most positions fail on the first, without a call.
        let rest = &bytes[i..];
        if rest.len() >= 4
            && rest[0] == b'A'
            && rest[1] == b'N'
            && rest[2] == b'D'
            && rest[3] == b' '
        {
            n += 1;
            i += 4;
        } else if rest.len() >= 3 && rest[0] == b' ' && rest[1] == b'O' && rest[2] == b'R' {
            n += 1;
            i += 3;
        } else {
            i += 1;
        }
    }
    n
}

/// What the server derives from a `filter`.
pub struct FilterFacts<'f> {
    /// The text the server's `contains` checks and separator count read: the filter serialized
    /// as JSON. A string filter is read as it is, without serializing it: every needle looked for
    /// is made of characters JSON never escapes, and starts with one no escape sequence ends
    /// with, so it occurs in the string exactly when it occurs in the string's JSON text.
    pub json: Cow<'f, str>,
    /// Pieces when split on `AND | OR`: 1 + the separators.
    pub criteria: u64,
    /// `string`, `array`, `mixed` or `none`.
    pub syntax: &'static str,
}

impl<'f> FilterFacts<'f> {
    pub fn of(filter: &'f Json) -> Self {
        let json = match filter {
            Json::String(text) => Cow::Borrowed(&**text),
            other => Cow::Owned(other.to_json()),
        };
        let syntax = match filter {
            Json::String(_) => "string",
            Json::Array(items) if items.iter().any(|i| separators(&i.to_json()) > 0) => "mixed",
            Json::Array(_) => "array",
            _ => "none",
        };
        Self {
            criteria: 1 + separators(&json),
            json,
            syntax,
        }
    }

    /// Whether the filter's JSON text contains `needle` (a plain scan: the texts are short, and
    /// the standard library's substring searcher costs more to set up than the scan; the rest of
    /// the needle is compared only where its first byte is).
    pub(crate) fn mentions(&self, needle: &str) -> bool {
        let Some((first, rest)) = needle.as_bytes().split_first() else {
            return true;
        };
        self.json
            .as_bytes()
            .windows(needle.len())
            .any(|window| window[0] == *first && &window[1..] == rest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::text::parse;

    #[test]
    fn filters_as_the_server_reads_them() {
        let filter = Json::from("genre = horror AND year > 2000 OR _geoRadius(1, 2, 3)");
        let f = FilterFacts::of(&filter);
        assert_eq!((f.criteria, f.syntax), (3, "string"));
        assert!(f.mentions("_geoRadius("));
        let filter = parse(r#"["a = 1", ["b = 2", "c = 3"]]"#).unwrap();
        let f = FilterFacts::of(&filter);
        assert_eq!((f.criteria, f.syntax), (1, "array"));
        let filter = parse(r#"["a = 1 AND b = 2", "c = 3"]"#).unwrap();
        let f = FilterFacts::of(&filter);
        assert_eq!((f.criteria, f.syntax), (2, "mixed"));
        assert_eq!(FilterFacts::of(&Json::Int(3)).syntax, "none");
    }

    #[test]
    fn a_string_filter_reads_as_its_json_text_does() {
        let needles = ["_geoRadius(", "_geoBoundingBox(", "_vectors", "AND ", " OR"];
        for text in [
            "a = 1 AND b = \"x\" OR _geoRadius(1, 2, 3)",
            "\u{1a}ND OR\u{1f}AND \\AND \n OR\t_vectors.x = 1",
            "tag = \"\u{b}_geoBoundingBox([1, 2], [3, 4])\" AND\u{0} ",
            "\\_vectors\\ OR\"AND \"",
        ] {
            let filter = Json::from(text);
            let raw = FilterFacts::of(&filter);
            let serialized = filter.to_json();
            assert_eq!(raw.criteria, 1 + separators(&serialized), "{text:?}");
            for needle in needles {
                assert_eq!(
                    raw.mentions(needle),
                    serialized.contains(needle),
                    "{needle:?} in {text:?}"
                );
            }
        }
    }
}
