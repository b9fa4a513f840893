//! Segment-compatible messages and batches, and the size limits both obey.
//!
//! A message is serialized once, when it is queued, so its size is known and its bytes (and its
//! `messageId`) stay the same across retries; only the batch's `sentAt` changes per attempt.

use crate::prelude::*;

use crate::catalog::{EventDef, EventKind};
use crate::json::Value;
use crate::time::rfc3339_millis;

/// Largest serialized message: Segment's per-event limit and the server's `segment` crate's
/// `MAX_MESSAGE_SIZE` (32 KiB). A larger message is rejected and counted, never truncated.
pub const MAX_MESSAGE_BYTES: usize = 32 * 1024;

/// Largest batch: the server's `MAX_BATCH_SIZE` (500 KiB = 512 000 bytes, under Segment's 500 KB
/// HTTP API limit once the wrapper is added). Counted as the sum of messages plus separators.
pub const MAX_BATCH_BYTES: usize = 500 * 1024;

/// The library name sent in `context.library`.
pub const LIBRARY_NAME: &str = "meili-telemetry";

/// Who sends a message, which one it is, and when it happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Envelope<'a> {
    pub user_id: &'a str,
    pub message_id: &'a str,
    pub timestamp_ms: u64,
}

/// A Segment message, keys in Segment's documented order: a `track` carries `event` and
/// `properties`, an `identify` carries `traits`. The `context` makes Segment-compatible
/// collectors record no IP address, names this library, and ends with `extra_context` (the
/// Identify call's `app.version`). Build messages with [`crate::message::MessageBuilder`].
pub(crate) fn segment_message(
    event: &EventDef,
    body: Value,
    extra_context: Value,
    envelope: &Envelope<'_>,
) -> Value {
    let mut library = Value::object();
    library.insert("name", LIBRARY_NAME.into());
    library.insert("version", env!("CARGO_PKG_VERSION").into());
    let mut context = Value::object();
    context.insert("ip", "0.0.0.0".into());
    context.insert("library", library);
    if let Value::Object(entries) = extra_context {
        for (key, value) in entries {
            context.insert(&key, value);
        }
    }

    let mut message = Value::object();
    message.insert("type", event.kind.as_str().into());
    match event.kind {
        EventKind::Track => {
            message.insert("event", event.name.into());
            message.insert("properties", body);
        }
        EventKind::Identify => message.insert("traits", body),
    }
    message.insert("userId", envelope.user_id.into());
    message.insert("messageId", envelope.message_id.into());
    message.insert("timestamp", rfc3339_millis(envelope.timestamp_ms).into());
    message.insert("context", context);
    message
}

/// A message serialized and waiting in the queue; persisted as `{ id, created, json }`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct QueuedMessage {
    #[serde(rename = "id")]
    pub message_id: String,
    pub json: String,
    /// When it was sealed (its age decides when it is too old to send).
    #[serde(rename = "created")]
    pub created_ms: u64,
}

impl QueuedMessage {
    /// Serializes a message; `Err(size)` if it exceeds [`MAX_MESSAGE_BYTES`].
    pub fn new(message_id: &str, message: &Value, created_ms: u64) -> Result<Self, usize> {
        let json = message.to_json();
        if json.len() > MAX_MESSAGE_BYTES {
            return Err(json.len());
        }
        Ok(Self {
            message_id: message_id.to_owned(),
            json,
            created_ms,
        })
    }
}

/// How many of `queue`'s leading messages fit in one batch (at least one if any).
pub(crate) fn batch_len(queue: &[QueuedMessage]) -> usize {
    batch_len_within(queue, MAX_BATCH_BYTES)
}

/// How many messages from the head of `queue` fit in `max_bytes` (always at least one).
pub(crate) fn batch_len_within(queue: &[QueuedMessage], max_bytes: usize) -> usize {
    let mut bytes = 0usize;
    for (i, message) in queue.iter().enumerate() {
        bytes += message.json.len() + 1;
        if bytes > max_bytes && i > 0 {
            return i;
        }
    }
    queue.len()
}

/// The batch body `{"batch":[…],"sentAt":…}` for already-serialized messages.
pub(crate) fn batch_body(messages: &[QueuedMessage], sent_at_ms: u64) -> String {
    let mut out =
        String::with_capacity(messages.iter().map(|m| m.json.len() + 1).sum::<usize>() + 64);
    out.push_str("{\"batch\":[");
    for (i, message) in messages.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&message.json);
    }
    out.push_str("],\"sentAt\":");
    out.push_str(&crate::json::write(&rfc3339_millis(sent_at_ms)));
    out.push('}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn queued(id: &str, size: usize) -> QueuedMessage {
        QueuedMessage {
            message_id: id.into(),
            json: "x".repeat(size),
            created_ms: 0,
        }
    }

    #[test]
    fn oversize_messages_are_rejected_not_truncated() {
        let big = Value::from("a".repeat(MAX_MESSAGE_BYTES));
        assert_eq!(QueuedMessage::new("m", &big, 0), Err(MAX_MESSAGE_BYTES + 2));
        assert!(
            QueuedMessage::new("m", &Value::from("a".repeat(MAX_MESSAGE_BYTES - 2)), 0).is_ok()
        );
    }

    #[test]
    fn batches_stop_at_the_limit() {
        let queue: Vec<_> = (0..40).map(|i| queued(&i.to_string(), 30_000)).collect();
        let n = batch_len(&queue);
        assert_eq!(n, MAX_BATCH_BYTES / 30_001);
        assert!(n * 30_001 <= MAX_BATCH_BYTES);
        assert_eq!(batch_len(&queue[..3]), 3);
        assert_eq!(batch_len(&[]), 0);
    }

    #[test]
    fn body_wraps_messages_with_sent_at() {
        let queue = vec![queued("a", 0), queued("b", 0)];
        let mut q = queue.clone();
        q[0].json = "{}".into();
        q[1].json = "[]".into();
        assert_eq!(
            batch_body(&q, 0),
            r#"{"batch":[{},[]],"sentAt":"1970-01-01T00:00:00.000Z"}"#
        );
    }
}
