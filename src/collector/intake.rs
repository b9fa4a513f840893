//! The write side: `POST /v1/batch`, `/v1/track`, `/v1/identify` and `/v1/deletion`. Write-key
//! authentication, gzip bodies, the 500 KB batch and 32 KB message limits, validation of each
//! message against the catalog with partial acceptance, and storage committed before the 2xx.

use super::validate::{validate, ValidMessage};
use super::App;
use crate::batch::MAX_BATCH_BYTES;
use crate::catalog::EventKind;
use crate::json::{Json, Value};
use crate::native::SystemClock;
use crate::platform::Clock;
use crate::time::rfc3339_millis;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use std::io::Read;
use std::sync::Arc;

pub(crate) fn reply(status: StatusCode, body: Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_json(),
    )
        .into_response()
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
    let mut body = Value::object();
    body.insert("success", false.into());
    body.insert("error", message.into().into());
    reply(status, body)
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

/// The body as JSON: gunzipped if so encoded (still at most 500 KB), UTF-8, parsed.
fn read_json(headers: &HeaderMap, body: &Bytes) -> Result<Value, Refusal> {
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
    let text = String::from_utf8(bytes).map_err(|e| {
        Refusal::new(
            StatusCode::BAD_REQUEST,
            format!(
                "the body is not UTF-8 (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })?;
    crate::json::text::parse_at(&text)
        .map(Json::into_owned)
        .map_err(|e| {
            Refusal::new(
                StatusCode::BAD_REQUEST,
                format!("malformed JSON: {e} (a body of {} bytes)", text.len()),
            )
        })
}

/// The body as JSON, once its write key (the Basic user name, else a `writeKey` in the body, as
/// beacons send it) is one the collector accepts.
fn read_authorized(app: &App, headers: &HeaderMap, body: &Bytes) -> Result<Value, Refusal> {
    let json = read_json(headers, body)?;
    let key = basic_user(headers).or_else(|| match json.get("writeKey") {
        Some(Value::String(k)) => Some(k.to_string()),
        _ => None,
    });
    if key.is_some_and(|k| app.config.write_keys.contains(&k)) {
        Ok(json)
    } else {
        Err(Refusal::new(
            StatusCode::UNAUTHORIZED,
            "missing or wrong write key: send it as the HTTP Basic user name",
        ))
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
    let json = match read_authorized(&app, &headers, &body) {
        Ok(json) => json,
        Err(refusal) => return refusal.response(),
    };
    let messages: Vec<Value> = match (default_type, json) {
        (None, mut json) => match json.take("batch") {
            Some(Value::Array(items)) => items,
            _ => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "the body must be {\"batch\": [ …messages ]}",
                )
            }
        },
        (Some(kind), mut message) => {
            if message.get("type").is_none() {
                message.insert("type", kind.into());
            }
            vec![message]
        }
    };
    let mut valid = Vec::new();
    let mut rejected = Vec::new();
    for (index, message) in messages.iter().enumerate() {
        match validate(message, message.to_json().len()) {
            Ok(m) => valid.push(m),
            Err(reason) => {
                let mut entry = Value::object();
                entry.insert("index", Value::Int(index as i64));
                entry.insert(
                    "messageId",
                    message
                        .get("messageId")
                        .filter(|v| matches!(v, Value::String(_)))
                        .cloned()
                        .unwrap_or(Value::Null),
                );
                entry.insert("error", reason.into());
                rejected.push(entry);
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
        let mut entry = Value::object();
        entry.insert("messageId", message_id.into());
        entry.insert("reason", "deleted".into());
        entry.insert(
            "error",
            "this installation's data was deleted: its late messages are not stored".into(),
        );
        rejected.push(entry);
    }
    if forward {
        app.wake_forwarder.notify_one();
    }
    let accepted: Vec<Value> = valid.iter().map(|m| m.message_id.as_str().into()).collect();
    let duplicates = fresh.iter().filter(|f| !**f).count();
    let mut body = Value::object();
    body.insert("success", (!valid.is_empty() || messages.is_empty()).into());
    body.insert("accepted", Value::Array(accepted));
    body.insert("duplicates", Value::Int(duplicates as i64));
    body.insert("rejected", Value::Array(rejected));
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
    let json = match read_authorized(&app, &headers, &body) {
        Ok(json) => json,
        Err(refusal) => return refusal.response(),
    };
    let Some(Value::String(user_id)) = json.get("userId").cloned() else {
        return error(
            StatusCode::BAD_REQUEST,
            "the body must be {\"userId\": \"<instance uid>\"}",
        );
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
            let mut body = Value::object();
            body.insert("success", true.into());
            body.insert("deleted", Value::Int(n as i64));
            reply(StatusCode::OK, body)
        }
        _ => error(
            StatusCode::SERVICE_UNAVAILABLE,
            "the deletion could not be committed; retry",
        ),
    }
}
