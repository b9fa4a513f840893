//! The clients behind a request, as the server extracts them (`X-Meilisearch-Client`, else
//! `User-Agent`, split on `;` and trimmed), each then reduced to a known Meilisearch client with
//! its version, else `other`: a raw header is text anyone can send, so it never leaves as is.

use crate::prelude::*;

use super::fields::visible_ascii;
use super::request::Request;
use crate::catalog::validate::matches_format;
use crate::catalog::TextFormat;

/// The raw client header of a request (`X-Meilisearch-Client`, else `User-Agent`), `""` when
/// it has neither.
pub(crate) fn client_header<'r>(request: &'r Request) -> &'r str {
    request
        .header("x-meilisearch-client")
        .or_else(|| request.header("user-agent"))
        .unwrap_or("")
}

/// The anonymized clients of a raw client header.
pub(crate) fn anonymize(header: &str) -> Vec<String> {
    if header.is_empty() || !visible_ascii(header) {
        return vec!["other".to_owned()];
    }
    header
        .split(';')
        .map(str::trim)
        .map(|segment| {
            if matches_format(TextFormat::ClientAgent, segment) {
                segment.to_owned()
            } else {
                "other".to_owned()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::text::parse;

    fn agents(headers: &str) -> Vec<String> {
        let value = parse(&format!(r#"{{"path":"/x","headers":{headers}}}"#)).unwrap();
        anonymize(client_header(&Request::from_value(&value).unwrap()))
    }

    #[test]
    fn keeps_known_clients_only() {
        assert_eq!(
            agents(
                r#"{"X-Meilisearch-Client":"Meilisearch JavaScript (v0.57.0); Meilisearch mini-dashboard (v0.4.2)","User-Agent":"Mozilla/5.0"}"#
            ),
            [
                "Meilisearch JavaScript (v0.57.0)",
                "Meilisearch mini-dashboard (v0.4.2)"
            ]
        );
        assert_eq!(
            agents(r#"{"User-Agent":"Mozilla/5.0 (X11; Linux x86_64)"}"#),
            ["other", "other"]
        );
        assert_eq!(agents("{}"), ["other"]);
        assert_eq!(
            agents(r#"{"User-Agent":"Meilisearch Rust (v0.28.0);"}"#),
            ["Meilisearch Rust (v0.28.0)", "other"]
        );
    }
}
