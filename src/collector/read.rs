//! The read side: `GET /health` (counts only, open), and, with the read key, `GET /v1/events`
//! (JSON, filtered and paginated), `GET /events` (a small HTML page of what arrived) and `GET
//! /v1/deletions` (the state of the deletions forwarded upstream, never a UID). Write keys never
//! read: a dashboard's write key is public by nature, the data of every installation is not.

use super::bodies::{DeletionsList, EventsPage, Health};
use super::intake::{basic_user, error, reply, Refusal};
use super::store::{Query, StoredMessage};
use super::App;
use axum::extract::{Query as UrlQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use std::collections::HashMap;
use std::sync::Arc;

const MAX_PAGE: u32 = 1_000;

pub(crate) async fn health(State(app): State<Arc<App>>) -> Response {
    match app.with_store(|store| store.counts()).await {
        Some(Ok((messages, deletions))) => reply(
            StatusCode::OK,
            Health {
                status: "available",
                messages,
                deletions,
            },
        ),
        _ => error(
            StatusCode::SERVICE_UNAVAILABLE,
            "the database is not available",
        ),
    }
}

/// Whether `a` equals `b`, in time that depends on their lengths only.
fn same_key(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// `Ok` when the request carries the read key (`Authorization: Bearer <key>`, or the HTTP Basic
/// user name, which a browser asks for on `/events`); else the 401 to answer.
fn authorize_read(app: &App, headers: &HeaderMap) -> Result<(), Box<Response>> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|k| k.trim().to_owned());
    match bearer.or_else(|| basic_user(headers)) {
        Some(key) if same_key(&key, &app.read_key) => Ok(()),
        _ => {
            let mut response = error(
                StatusCode::UNAUTHORIZED,
                "reading stored data needs the read key (--read-key), as `Authorization: Bearer <key>` or the Basic user name; write keys never read",
            );
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Basic realm=\"meili-collector read key\""),
            );
            Err(Box::new(response))
        }
    }
}

/// `GET /v1/deletions`: every deletion queued for the upstream, with its state (`pending`,
/// `forwarded`, `failed`) and reason, oldest first; never the UID.
pub(crate) async fn deletions(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    if let Err(response) = authorize_read(&app, &headers) {
        return *response;
    }
    match app.with_store(|store| store.upstream_deletions()).await {
        Some(Ok(deletions)) => reply(StatusCode::OK, DeletionsList { deletions }),
        _ => error(
            StatusCode::SERVICE_UNAVAILABLE,
            "the database is not available",
        ),
    }
}

fn read_query(params: &HashMap<String, String>) -> Result<Query, Refusal> {
    let number = |name: &str, default: i64| -> Result<i64, Refusal> {
        match params.get(name) {
            None => Ok(default),
            Some(v) => v.parse::<i64>().ok().filter(|n| *n >= 0).ok_or_else(|| {
                Refusal::new(
                    StatusCode::BAD_REQUEST,
                    format!("`{name}` must be a non-negative whole number"),
                )
            }),
        }
    };
    Ok(Query {
        event: params.get("event").cloned(),
        user_id: params.get("userId").cloned(),
        from: params.get("from").cloned(),
        to: params.get("to").cloned(),
        after: number("after", 0)?,
        limit: number("limit", 100)?.clamp(1, MAX_PAGE as i64) as u32,
    })
}

async fn fetch(app: Arc<App>, query: Query) -> Result<Vec<StoredMessage>, Refusal> {
    app.with_store(move |store| store.query(&query))
        .await
        .and_then(Result::ok)
        .ok_or_else(|| {
            Refusal::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "the database is not available",
            )
        })
}

/// `GET /v1/events?event=&userId=&from=&to=&after=&limit=`: oldest first; `next` is the `after`
/// of the following page (null on the last one).
pub(crate) async fn events(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    UrlQuery(params): UrlQuery<HashMap<String, String>>,
) -> Response {
    if let Err(response) = authorize_read(&app, &headers) {
        return *response;
    }
    let query = match read_query(&params) {
        Ok(q) => q,
        Err(refusal) => return refusal.response(),
    };
    let limit = query.limit as usize;
    match fetch(app, query).await {
        Ok(events) => {
            let next = (events.len() == limit)
                .then(|| events.last().map(|r| r.row))
                .flatten();
            reply(StatusCode::OK, EventsPage { events, next })
        }
        Err(refusal) => refusal.response(),
    }
}

/// `text` safe inside HTML text and attribute values.
pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `GET /events`: the newest received messages as an HTML table.
pub(crate) async fn events_page(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    if let Err(response) = authorize_read(&app, &headers) {
        return *response;
    }
    let rows = match fetch(
        app,
        Query {
            limit: MAX_PAGE,
            ..Query::default()
        },
    )
    .await
    {
        Ok(rows) => rows,
        Err(refusal) => return refusal.response(),
    };
    let mut html = String::from(
        "<!doctype html><meta charset=utf-8><title>Received telemetry</title>\
         <style>body{font:14px system-ui;margin:2rem}td,th{border:1px solid #ddd;padding:.3rem;vertical-align:top}\
         table{border-collapse:collapse}pre{margin:0;font-size:12px;white-space:pre-wrap}</style>\
         <h1>Received telemetry</h1><p>Every message this collector stored, newest first (track events and identify traits). \
         <a href=\"/v1/events\">JSON</a> · <a href=\"/\">dashboard</a></p>\
         <table><tr><th>received</th><th>type</th><th>event</th><th>instance</th><th>properties / traits</th></tr>",
    );
    for m in rows.iter().rev() {
        html.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td><td><pre>{}</pre></td></tr>",
            escape(&m.received_at),
            escape(&m.kind),
            escape(&m.event),
            escape(&m.user_id),
            escape(&m.properties.to_json())
        ));
    }
    html.push_str("</table>");
    ([(header::CACHE_CONTROL, "no-store")], Html(html)).into_response()
}
