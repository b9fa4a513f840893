//! The dashboard page (`/` and `/index.html` of `--www`), served with what the package's front
//! reads from it: the server's resolved consent (`consent::page_meta`) and, with
//! `--expose-write-key`, the write key of the local dashboard. Everything else of `--www` is
//! served as files.

use super::read::escape;
use super::App;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use meili_telemetry::consent::{page_meta, Consent, Reason};
use std::sync::Arc;

/// The `name` of the meta element that carries the exposed write key.
pub const WRITE_KEY_META_NAME: &str = "meili-telemetry-write-key";

/// The meta elements the page carries.
pub(crate) fn page_metas(app: &App) -> String {
    // A misspelt setting stops `run` before it serves; built without `run`, it means off.
    let consent = app.config.dashboard_consent().unwrap_or(Consent {
        enabled: false,
        reason: Reason::InvalidServerSetting,
        error: None,
    });
    let mut metas = page_meta(&consent);
    if app.config.expose_write_key {
        let key = app.config.write_keys.first().map_or("", String::as_str);
        metas.push_str(&format!(
            r#"<meta name="{WRITE_KEY_META_NAME}" content="{}">"#,
            escape(key)
        ));
    }
    metas
}

/// `html` with `metas` placed right after its `<head>` tag (at its very start when it has none).
pub fn with_metas(html: &str, metas: &str) -> String {
    let at = html
        .to_ascii_lowercase()
        .find("<head")
        .and_then(|start| html[start..].find('>').map(|end| start + end + 1))
        .unwrap_or(0);
    [&html[..at], metas, &html[at..]].concat()
}

/// `GET /` and `GET /index.html`.
pub(crate) async fn page(State(app): State<Arc<App>>) -> Response {
    let file = app.config.www.join("index.html");
    match tokio::fs::read_to_string(&file).await {
        Ok(html) => (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            with_metas(&html, &page_metas(&app)),
        )
            .into_response(),
        Err(_) => (
            StatusCode::NOT_FOUND,
            "no dashboard built: run `npm run build`",
        )
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metas_go_right_after_the_head_tag() {
        let meta = r#"<meta name="x">"#;
        assert_eq!(
            with_metas(
                "<!doctype html><html><head lang=\"en\"><title>t</title>",
                meta
            ),
            r#"<!doctype html><html><head lang="en"><meta name="x"><title>t</title>"#
        );
        assert_eq!(
            with_metas("<p>no head</p>", meta),
            r#"<meta name="x"><p>no head</p>"#
        );
    }
}
