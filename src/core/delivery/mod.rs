//! Delivery: what the engine hands an edge to send, and what the edge reports back. The edge
//! performs the I/O; the core decides what to send, when, and what a result means.

use crate::prelude::*;

mod loss;
mod outbox;
mod policy;

pub use loss::LossReason;
pub(crate) use outbox::export_messages;
pub use outbox::{Outbox, REMEMBERED_DELIVERIES};
pub use policy::{classify, RetryPolicy, Verdict, UPLOAD_TIMEOUT_MS};

/// What the edge should do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Send this request, then report its outcome.
    Send(UploadRequest),
    /// Nothing to do for this many ms (then ask again).
    Wait(u64),
    /// Nothing to do until something is recorded (or an upload in flight finishes).
    Idle,
}

/// One HTTP request to the collector, ready to send: the edge adds nothing to it. Serialized as
/// the JS sender reads it: `{ url, headers: [[name, value]], body, ids }`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UploadRequest {
    /// Absolute URL (`<endpoint>/v1/batch`).
    pub url: String,
    /// Header name/value pairs.
    pub headers: Vec<(String, String)>,
    /// The JSON body.
    pub body: String,
    /// The `messageId` of every message in the body, to acknowledge or re-queue them.
    #[serde(rename = "ids")]
    pub message_ids: Vec<String>,
}

/// What happened to an upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadOutcome {
    /// The collector answered with this HTTP status.
    Status(u16),
    /// No HTTP answer: connection refused, DNS, offline, blocked, timed out.
    NetworkError,
}

impl UploadOutcome {
    /// Whether the collector took the batch (any 2xx).
    pub fn is_delivered(self) -> bool {
        matches!(self, UploadOutcome::Status(200..=299))
    }
}
