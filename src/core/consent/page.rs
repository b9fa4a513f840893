//! The server's consent, carried to the dashboard page it serves: a Rust server that serves the
//! dashboard renders [`page_meta`] into the page's `<head>`, and the package's front reads it
//! (`<meta name="meili-telemetry-consent" content="off">` means the server runs with analytics
//! off, so the dashboard collects nothing: consent reason `server_reports_disabled`).

use crate::prelude::*;

use super::Consent;

/// The `name` of the meta element the package's front reads.
pub const PAGE_META_NAME: &str = "meili-telemetry-consent";

/// The meta element that tells the dashboard the server's resolved consent: `content="off"`
/// when the server runs with analytics off (`--no-analytics`, `MEILI_NO_ANALYTICS=true`, its
/// config file, or an unreadable setting), else `content="on"`.
pub fn page_meta(server: &Consent) -> String {
    let content = if server.enabled { "on" } else { "off" };
    [
        "<meta name=\"",
        PAGE_META_NAME,
        "\" content=\"",
        content,
        "\">",
    ]
    .concat()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consent::{resolve_server, Reason};

    #[test]
    fn the_meta_says_off_exactly_when_the_server_runs_without_analytics() {
        let off = resolve_server(&["meilisearch", "--no-analytics"], None, None).unwrap();
        assert_eq!(off.reason, Reason::ServerFlag);
        assert_eq!(
            page_meta(&off),
            r#"<meta name="meili-telemetry-consent" content="off">"#
        );
        let env_off = resolve_server::<&str>(&[], Some("true"), None).unwrap();
        assert!(page_meta(&env_off).contains(r#"content="off""#));
        let on = resolve_server::<&str>(&[], Some("false"), None).unwrap();
        assert!(page_meta(&on).contains(r#"content="on""#));
    }
}
