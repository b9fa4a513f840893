//! CORS for the configured origins: preflights answered, responses marked, other origins refused
//! (a browser then blocks the request; non-browser clients are unaffected).

use super::App;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

fn allowed(app: &App, origin: &str) -> bool {
    app.config
        .allowed_origins
        .iter()
        .any(|o| o == "*" || o == origin)
}

pub(crate) async fn cors(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let origin = request
        .headers()
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
        .map(str::to_owned);
    let preflight = request.method() == Method::OPTIONS;
    let Some(origin) = origin else {
        return next.run(request).await;
    };
    if !allowed(&app, &origin) {
        if preflight {
            return (StatusCode::FORBIDDEN, "origin not allowed").into_response();
        }
        return next.run(request).await;
    }
    let mut response = if preflight {
        StatusCode::NO_CONTENT.into_response()
    } else {
        next.run(request).await
    };
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&origin) {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
    }
    headers.insert(header::VARY, HeaderValue::from_static("Origin"));
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, POST, OPTIONS"),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static(
            "Content-Type, Authorization, Content-Encoding, X-Meilisearch-Client",
        ),
    );
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("Retry-After"),
    );
    headers.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("600"),
    );
    response
}
