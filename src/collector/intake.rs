//! The write side: `POST /v1/batch`, `/v1/track`, `/v1/identify` and `/v1/deletion`. Write-key
//! authentication, gzip bodies, the 500 KB batch and 32 KB message limits, validation of each
//! message against the catalog with partial acceptance, and storage committed before the 2xx.
//! The bodies are the serde types of `bodies.rs`, read by serde_json, answered by axum's `Json`.

use super::bodies::{BatchBody, DeletionAnswer, DeletionBody, Failure, IntakeAnswer, Rejection};
use super::validate::{validate, ValidMessage};
use super::App;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json as JsonBody;
use base64::Engine as _;
use meili_telemetry::batch::MAX_BATCH_BYTES;
use meili_telemetry::catalog::EventKind;
use meili_telemetry::json::{Json, Value};
use meili_telemetry::native::SystemClock;
use meili_telemetry::platform::Clock;
use meili_telemetry::time::rfc3339_millis;
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::sync::Arc;

/// An answer: `body` as JSON (`Content-Type: application/json`) with `status`.
pub(crate) fn reply(status: StatusCode, body: impl Serialize) -> Response {
    (status, JsonBody(body)).into_response()
}

/// A refused request: its status and the message that says what is wrong.
pub(crate) struct Refusal(pub StatusCode, pub String);

impl Refusal {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self(status, message.into())
    }

    pub(crate) fn response(self) -> Response {
        error(self.0, self.1)
    }
}

pub(crate) fn error(status: StatusCode, message: impl Into<String>) -> Response {
    reply(
        status,
        Failure {
            success: false,
            error: message.into(),
        },
    )
}

/// The write key of the `Authorization: Basic` header, if any.
pub(crate) fn basic_user(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value.strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    Some(
        text.split_once(':')
            .map_or(text.as_str(), |(user, _)| user)
            .to_owned(),
    )
}

/// The body as text: gunzipped if so encoded (still at most 500 KB), UTF-8.
fn read_text(headers: &HeaderMap, body: &Bytes) -> Result<String, Refusal> {
    let gzip = headers
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("gzip"));
    let bytes = if gzip {
        let mut out = Vec::new();
        let mut decoder = flate2::read::GzDecoder::new(&body[..]).take(MAX_BATCH_BYTES as u64 + 1);
        decoder.read_to_end(&mut out).map_err(|e| {
            Refusal::new(
                StatusCode::BAD_REQUEST,
                format!("the gzip body could not be decompressed: {e}"),
            )
        })?;
        if out.len() > MAX_BATCH_BYTES {
            return Err(Refusal::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!(
                    "the decompressed body is over {MAX_BATCH_BYTES} bytes; send smaller batches"
                ),
            ));
        }
        out
    } else {
        body.to_vec()
    };
    String::from_utf8(bytes).map_err(|e| {
        Refusal::new(
            StatusCode::BAD_REQUEST,
            format!(
                "the body is not UTF-8 (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

/// The body read as `T`: text that is not JSON is "malformed JSON", JSON of another shape is
/// answered with the `shape` the endpoint takes.
fn parse_body<'a, T: Deserialize<'a>>(text: &'a str, shape: &str) -> Result<T, Refusal> {
    meili_telemetry::json::text::parse_at(text).map_err(|e| {
        let message = if e.is_data() {
            format!("the body must be {shape}: {e}")
        } else {
            format!("malformed JSON: {e} (a body of {} bytes)", text.len())
        };
        Refusal::new(StatusCode::BAD_REQUEST, message)
    })
}

/// `Ok` once the write key (the Basic user name, else a `writeKey` in the body, as beacons
/// send it) is one the collector accepts.
fn authorize(app: &App, headers: &HeaderMap, in_body: Option<&str>) -> Result<(), Refusal> {
    let key = basic_user(headers).or_else(|| in_body.map(str::to_owned));
    if key.is_some_and(|k| app.config.write_keys.contains(&k)) {
        Ok(())
    } else {
        Err(Refusal::new(
            StatusCode::UNAUTHORIZED,
            "missing or wrong write key: send it as the HTTP Basic user name",
        ))
    }
}

/// The messages of a request, once authorized: a batch's, or the one message of `/v1/track`
/// and `/v1/identify` (whose `type` defaults to the endpoint's).
fn read_messages(
    app: &App,
    headers: &HeaderMap,
    body: &Bytes,
    default_type: Option<&str>,
) -> Result<Vec<Value>, Refusal> {
    if basic_user(headers).is_some() {
        // A key in the header is checked before the body is read.
        authorize(app, headers, None)?;
    }
    let text = read_text(headers, body)?;
    match default_type {
        None => {
            let batch: BatchBody = parse_body(&text, "{\"batch\": [ …messages ]}")?;
            authorize(app, headers, batch.write_key.as_deref())?;
            Ok(batch.batch.into_iter().map(Json::into_owned).collect())
        }
        Some(kind) => {
            let mut message: Json = parse_body(&text, "a message object")?;
            authorize(app, headers, message.get("writeKey").and_then(Json::as_str))?;
            if message.get("type").is_none() {
                message.insert("type", kind.into());
            }
            Ok(vec![message.into_owned()])
        }
    }
}

/// The message as forwarded upstream: only what was validated, with no IP.
fn forwarded(m: &ValidMessage) -> String {
    let mut out = Value::object();
    match m.kind {
        EventKind::Track => {
            out.insert("type", "track".into());
            out.insert("event", m.event.into());
            out.insert("properties", m.properties.clone());
        }
        EventKind::Identify => {
            let mut traits = m.properties.clone();
            let context = traits.take("context");
            out.insert("type", "identify".into());
            out.insert("traits", traits);
            if let Some(Value::Object(extra)) = context {
                let mut ctx = Value::object();
                ctx.insert("ip", "0.0.0.0".into());
                for (k, v) in extra {
                    ctx.insert(&k, v);
                }
                out.insert("context", ctx);
            }
        }
    }
    out.insert("userId", m.user_id.as_str().into());
    out.insert("messageId", m.message_id.as_str().into());
    if let Some(ts) = &m.timestamp {
        out.insert("timestamp", ts.as_str().into());
    }
    if out.get("context").is_none() {
        let mut ctx = Value::object();
        ctx.insert("ip", "0.0.0.0".into());
        out.insert("context", ctx);
    }
    out.to_json()
}

async fn intake(
    app: Arc<App>,
    headers: HeaderMap,
    body: Bytes,
    default_type: Option<&str>,
) -> Response {
    let messages = match read_messages(&app, &headers, &body, default_type) {
        Ok(messages) => messages,
        Err(refusal) => return refusal.response(),
    };
    let mut valid = Vec::new();
    let mut rejected = Vec::new();
    for (index, message) in messages.iter().enumerate() {
        match validate(message, message.to_json().len()) {
            Ok(m) => valid.push(m),
            Err(reason) => {
                rejected.push(Rejection {
                    index: Some(index),
                    message_id: message
                        .get("messageId")
                        .and_then(Json::as_str)
                        .map(str::to_owned),
                    reason: None,
                    error: reason,
                });
            }
        }
    }
    let received_at = rfc3339_millis(SystemClock.now_ms());
    let forward = app.config.upstream.is_some();
    let stored = {
        let valid = valid.clone();
        app.with_store(move |store| {
            // Late arrivals of a deleted UID are refused under the same lock as the insert, so
            // a deletion and a batch never interleave.
            let now = SystemClock.now_ms();
            let mut kept = Vec::new();
            let mut buried = Vec::new();
            for m in valid {
                if store.is_deleted(&m.user_id, now)? {
                    buried.push(m.message_id);
                } else {
                    kept.push(m);
                }
            }
            let jsons: Vec<String> = if forward {
                kept.iter().map(forwarded).collect()
            } else {
                Vec::new()
            };
            let fresh = store.insert(
                &kept,
                &received_at,
                forward.then_some((now, jsons.as_slice())),
            )?;
            Ok::<_, rusqlite::Error>((kept, buried, fresh))
        })
        .await
    };
    let (valid, buried, fresh) = match stored {
        Some(Ok(stored)) => stored,
        Some(Err(e)) => {
            return error(
                StatusCode::SERVICE_UNAVAILABLE,
                format!("the database refused the write: {e}"),
            )
        }
        None => {
            return error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the write did not complete",
            )
        }
    };
    for message_id in buried {
        rejected.push(Rejection {
            index: None,
            message_id: Some(message_id),
            reason: Some("deleted"),
            error: "this installation's data was deleted: its late messages are not stored".into(),
        });
    }
    if forward {
        app.wake_forwarder.notify_one();
    }
    let body = IntakeAnswer {
        success: !valid.is_empty() || messages.is_empty(),
        accepted: valid.iter().map(|m| m.message_id.clone()).collect(),
        duplicates: fresh.iter().filter(|f| !**f).count(),
        rejected,
    };
    let status = if valid.is_empty() && !messages.is_empty() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    reply(status, body)
}

pub(crate) async fn batch(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    intake(app, headers, body, None).await
}

pub(crate) async fn track(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    intake(app, headers, body, Some("track")).await
}

pub(crate) async fn identify(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    intake(app, headers, body, Some("identify")).await
}

/// `POST /v1/deletion` `{"userId": …}`: erases every row of that instance UID, leaves its
/// tombstone, and queues the deletion for the upstream (with a deletion token), in one commit.
pub(crate) async fn deletion(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request = read_text(&headers, &body).and_then(|text| {
        let request: DeletionBody = parse_body(&text, "{\"userId\": \"<instance uid>\"}")?;
        authorize(&app, &headers, request.write_key.as_deref())?;
        Ok(request)
    });
    let user_id = match request {
        Ok(request) => request.user_id,
        Err(refusal) => return refusal.response(),
    };
    let now = SystemClock.now_ms();
    let requested_at = rfc3339_millis(now);
    let upstream = app.config.forwards_deletions();
    let deleted = app
        .with_store(move |store| {
            store.expire_tombstones(now)?;
            store.delete_user(&user_id, &requested_at, now, upstream)
        })
        .await;
    match deleted {
        Some(Ok(n)) => {
            if upstream {
                app.wake_deletions.notify_one();
            }
            reply(
                StatusCode::OK,
                DeletionAnswer {
                    success: true,
                    deleted: n,
                },
            )
        }
        _ => error(
            StatusCode::SERVICE_UNAVAILABLE,
            "the deletion could not be committed; retry",
        ),
    }
}
