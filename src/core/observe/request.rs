//! A request as the Meilisearch API received it, and its response: the raw input of an
//! observation. Read from a JSON object (what the JS API and the test vectors pass):
//!
//! ```json
//! {"method":"POST","path":"/indexes/movies/search?x=1","query":{"primaryKey":"id"},
//!  "headers":{"X-Meilisearch-Client":"Meilisearch JavaScript (v0.57.0)"},
//!  "body":{"q":"…"},"indexCreation":false,
//!  "response":{"status":200,"body":{"processingTimeMs":3},"durationMs":12,"error":null}}
//! ```
//!
//! `response` is absent (or has no `status`) when no answer came; `response.error` is `"timeout"`,
//! `"network"` or `"invalid_json"` when the transport says so. None of these values leave the
//! machine: derivers reduce them to the catalog's booleans, counts and closed vocabularies.

use crate::prelude::*;

use crate::error::{RecordError, RecordErrorKind};
use crate::json::Json;
use alloc::borrow::Cow;

/// What came back, if anything. Its strings may borrow from the text the request was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Response<'a> {
    /// The HTTP status; `None` when no answer came.
    pub status: Option<u16>,
    pub body: Option<Json<'a>>,
    /// Time from the request to the response, in ms, as measured by the observer.
    pub duration_ms: Option<u64>,
    /// A transport failure: `timeout`, `network`, `invalid_json`.
    pub error: Option<Cow<'a, str>>,
}

impl Response<'_> {
    /// A 2xx status.
    pub fn succeeded(&self) -> bool {
        matches!(self.status, Some(200..=299))
    }
}

/// The request headers the derivations read, lowercase: all an edge keeps of a request's
/// headers (never `Authorization`), published to the JS layers in `core-data.js`.
pub const REQUEST_HEADERS: [&str; 3] = ["x-meilisearch-client", "user-agent", "content-type"];

/// One request to the Meilisearch API. Its strings may borrow from the text it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Request<'a> {
    /// Uppercase, e.g. `POST`.
    pub method: Cow<'a, str>,
    /// The path without its query string, e.g. `/indexes/movies/search`.
    pub path: Cow<'a, str>,
    /// Query parameters, decoded, in order (from the path's query string, then `query`).
    pub query: Vec<(String, String)>,
    /// Headers as sent ([`Request::header`] ignores the case of their names).
    pub headers: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    pub body: Option<Json<'a>>,
    /// The target index did not exist yet (documents added or edited), when the observer knows.
    pub index_creation: bool,
    pub response: Option<Response<'a>>,
}

fn malformed(message: impl Into<String>) -> RecordError {
    RecordError::new(RecordErrorKind::MalformedInput, message)
}

/// A scalar as text (query parameters and headers may arrive as numbers or booleans).
fn into_text(value: Json<'_>) -> Option<Cow<'_, str>> {
    match value {
        Json::String(s) => Some(s),
        Json::Int(n) => Some(Cow::Owned(crate::text::int(n))),
        Json::Bool(b) => Some(Cow::Borrowed(if b { "true" } else { "false" })),
        Json::Float(_) => Some(Cow::Owned(value.to_json())),
        _ => None,
    }
}

/// Decodes `%XX` escapes and `+` (a space) of a query-string component; bytes that do not
/// decode to UTF-8 become U+FFFD.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => match (hex_at(bytes, i + 1), hex_at(bytes, i + 2)) {
                (Some(high), Some(low)) => {
                    out.push((high << 4 | low) as u8);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    utf8_lossy(out)
}

/// The value of the hexadecimal digit at `at`, if there is one.
fn hex_at(bytes: &[u8], at: usize) -> Option<u32> {
    crate::text::hex_digit(*bytes.get(at)?)
}

/// `bytes` as text, each invalid sequence replaced by U+FFFD as `String::from_utf8_lossy` does,
/// through `str::from_utf8`, which the module has anyway (the lossy decoder is 0.5 KB more).
fn utf8_lossy(bytes: Vec<u8>) -> String {
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => return text,
        Err(error) => error.into_bytes(),
    };
    let mut out = String::with_capacity(bytes.len() + 2);
    let mut rest = &bytes[..];
    while !rest.is_empty() {
        match core::str::from_utf8(rest) {
            Ok(text) => {
                out.push_str(text);
                break;
            }
            Err(error) => {
                let (valid, after) = rest.split_at(error.valid_up_to());
                out.push_str(core::str::from_utf8(valid).unwrap_or_default());
                out.push(char::REPLACEMENT_CHARACTER);
                rest = after
                    .get(error.error_len().unwrap_or(after.len())..)
                    .unwrap_or_default();
            }
        }
    }
    out
}

/// The decoded `name=value` pairs of a query string.
pub fn query_pairs(query_string: &str) -> Vec<(String, String)> {
    query_string
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

/// A path without its query string, and the query string's parameters.
fn split_query(path: Cow<'_, str>) -> (Cow<'_, str>, Vec<(String, String)>) {
    let Some(at) = path.find('?') else {
        return (path, Vec::new());
    };
    let query = query_pairs(&path[at + 1..]);
    let path = match path {
        Cow::Borrowed(p) => Cow::Borrowed(&p[..at]),
        Cow::Owned(mut p) => {
            p.truncate(at);
            Cow::Owned(p)
        }
    };
    (path, query)
}

impl<'a> Request<'a> {
    /// Reads a request from its JSON object form (see the module documentation).
    pub fn from_value(value: &Json<'_>) -> Result<Request<'static>, RecordError> {
        Request::from_owned(value.clone().into_owned())
    }

    /// Reads a request, taking its strings and bodies without copying them.
    pub fn from_owned(mut value: Json<'a>) -> Result<Self, RecordError> {
        let Json::Object(_) = value else {
            return Err(malformed("a request must be an object {method, path, …}"));
        };
        let method = match value.take("method") {
            Some(Json::String(m)) if m.bytes().any(|b| b.is_ascii_lowercase()) => {
                Cow::Owned(m.to_ascii_uppercase())
            }
            Some(Json::String(m)) => m,
            None => Cow::Borrowed("GET"),
            Some(_) => {
                return Err(malformed(
                    "request.method must be a string such as \"POST\"",
                ))
            }
        };
        let (path, mut query) = match value.take("path") {
            Some(Json::String(p)) => split_query(p),
            _ => {
                return Err(malformed(
                    "request.path must be the URL path, e.g. \"/indexes/movies/search\"",
                ))
            }
        };
        if let Some(Json::Object(entries)) = value.take("query") {
            query.extend(
                entries
                    .into_iter()
                    .filter_map(|(k, v)| Some((k.into_owned(), into_text(v)?.into_owned()))),
            );
        }
        let headers = match value.take("headers") {
            Some(Json::Object(entries)) => entries
                .into_iter()
                .filter_map(|(k, v)| Some((k, into_text(v)?)))
                .collect(),
            _ => Vec::new(),
        };
        let response = match value.take("response") {
            Some(mut r @ Json::Object(_)) => Some(Response {
                status: match r.get("status") {
                    Some(Json::Int(n)) => u16::try_from(*n).ok().filter(|s| *s > 0),
                    _ => None,
                },
                duration_ms: match r.get("durationMs") {
                    Some(Json::Int(n)) => u64::try_from(*n).ok(),
                    Some(Json::Float(x)) if x.is_finite() && *x >= 0.0 => Some(*x as u64),
                    _ => None,
                },
                body: r.take("body").filter(|b| *b != Json::Null),
                error: r.take("error").and_then(into_text),
            }),
            _ => None,
        };
        Ok(Self {
            method,
            path,
            query,
            headers,
            body: value.take("body").filter(|b| *b != Json::Null),
            index_creation: value.get("indexCreation") == Some(&Json::Bool(true)),
            response,
        })
    }

    /// The last value of query parameter `name`.
    pub(crate) fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of header `name`, whatever the case of its name. The derivations read only
    /// the headers of [`REQUEST_HEADERS`], the ones the edges keep.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_ref())
    }

    /// The body field `name`, unless absent or null.
    pub fn field(&self, name: &str) -> Option<&Json<'a>> {
        self.body
            .as_ref()
            .and_then(|b| b.get(name))
            .filter(|v| **v != Json::Null)
    }

    /// Whether a response came back with a 2xx status.
    pub fn succeeded(&self) -> bool {
        self.response.as_ref().is_some_and(Response::succeeded)
    }

    /// The response body, if any.
    pub(crate) fn response_body(&self) -> Option<&Json<'a>> {
        self.response.as_ref().and_then(|r| r.body.as_ref())
    }

    /// The body of a GET search or similar request: its query parameters turned into the JSON
    /// body the POST route takes, as the server converts them (`filter` parsed as JSON when it is
    /// valid JSON, lists split on commas, `sort` keeping `_geoPoint(…)` groups together).
    pub(crate) fn query_as_body(&self) -> Json<'_> {
        let mut body = Json::object();
        for (name, raw) in &self.query {
            let value = match name.as_str() {
                "filter" => crate::json::read(raw).unwrap_or(Json::String(Cow::Borrowed(raw))),
                "sort" => Json::Array(split_sort(raw).into_iter().map(Json::from).collect()),
                "attributesToRetrieve"
                | "attributesToCrop"
                | "attributesToHighlight"
                | "facets"
                | "attributesToSearchOn"
                | "locales"
                | "vector" => Json::Array(
                    raw.split(',')
                        .filter(|s| !s.is_empty())
                        .map(|s| Json::String(Cow::Borrowed(s.trim())))
                        .collect(),
                ),
                "offset" | "limit" | "page" | "hitsPerPage" | "cropLength" => {
                    match raw.parse::<i64>() {
                        Ok(n) => Json::Int(n),
                        Err(_) => Json::String(Cow::Borrowed(raw)),
                    }
                }
                _ if raw == "true" => Json::Bool(true),
                _ if raw == "false" => Json::Bool(false),
                _ => Json::String(Cow::Borrowed(raw)),
            };
            body.insert(name, value);
        }
        body
    }
}

/// Splits a `sort` parameter on commas, keeping `_geoPoint(lat, lng)` groups whole.
fn split_sort(raw: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    for c in raw.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                out.push(core::mem::take(&mut current).trim().to_owned());
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    if !current.trim().is_empty() {
        out.push(current.trim().to_owned());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lossy_text_is_what_std_makes_of_the_same_bytes() {
        let mut random = crate::platform::fakes::SeededEntropy::new(4);
        let mut cases: Vec<Vec<u8>> = vec![
            b"plain".to_vec(),
            "caf\u{e9} \u{1f600}".as_bytes().to_vec(),
            vec![0xff],
            vec![b'a', 0xe2, 0x82],
            vec![0xf0, 0x9f, 0x98, b'x', 0xed, 0xa0, 0x80, 0xc0, 0xaf],
        ];
        for _ in 0..2000 {
            let length = random.next_u64() % 12;
            cases.push(
                (0..length)
                    .map(|_| {
                        let pick = random.next_u64() % 9;
                        [b'a', 0x80, 0xbf, 0xc3, 0xe2, 0xed, 0xf0, 0xf4, 0xff][pick as usize]
                    })
                    .collect(),
            );
        }
        for bytes in cases {
            assert_eq!(
                utf8_lossy(bytes.clone()),
                String::from_utf8_lossy(&bytes),
                "{bytes:x?}"
            );
        }
        assert_eq!(percent_decode("a%20b+c%zz%4"), "a b c%zz%4");
        assert_eq!(percent_decode("%C3%A9%ff"), "\u{e9}\u{fffd}");
    }

    #[test]
    fn reads_query_strings_and_get_bodies() {
        let value = crate::json::parse(
            r#"{"method":"get","path":"/indexes/m/search?q=a+b%20c&filter=%5B%22x%20%3D%201%22%5D&sort=_geoPoint(1.0,%202.0):asc,price:desc&limit=5","headers":{"User-Agent":"x"}}"#,
        )
        .unwrap();
        let request = Request::from_value(&value).unwrap();
        assert_eq!(request.method, "GET");
        assert_eq!(request.path, "/indexes/m/search");
        assert_eq!(request.param("q"), Some("a b c"));
        assert_eq!(request.header("user-agent"), Some("x"));
        assert_eq!(
            request.query_as_body().to_json(),
            r#"{"q":"a b c","filter":["x = 1"],"sort":["_geoPoint(1.0, 2.0):asc","price:desc"],"limit":5}"#
        );
    }

    #[test]
    fn rejects_requests_without_a_path() {
        let err = Request::from_value(&Json::object()).unwrap_err();
        assert_eq!(err.kind, RecordErrorKind::MalformedInput);
        assert!(Request::from_value(&Json::Int(1)).is_err());
    }

    /// Every header a derivation asks for is one the edges keep: a derivation that reads a new
    /// header must add it to `REQUEST_HEADERS`, or no edge would ever pass it on.
    #[test]
    fn the_derivations_read_only_the_kept_headers() {
        let sources = [
            include_str!("admin.rs"),
            include_str!("documents.rs"),
            include_str!("fields.rs"),
            include_str!("mod.rs"),
            include_str!("replay.rs"),
            include_str!("response_fields.rs"),
            include_str!("route.rs"),
            include_str!("search.rs"),
            include_str!("settings.rs"),
            include_str!("user_agent.rs"),
        ];
        let mut read = 0;
        for source in sources {
            for call in source.split(".header(\"").skip(1) {
                let name = &call[..call.find('"').unwrap()];
                assert!(REQUEST_HEADERS.contains(&name), "header {name:?} is read");
                read += 1;
            }
        }
        assert!(read >= 3, "found the derivations' header reads");
    }
}
