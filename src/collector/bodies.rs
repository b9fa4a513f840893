//! The collector's request and answer bodies as serde types: what a sender posts (a Segment
//! batch, a deletion), what every endpoint answers (read through axum's `Json`), and the
//! regulation sent to Segment. The catalog's own messages stay [`Json`] values: they are
//! validated against the catalog, not against a Rust type.

use super::erasure::UpstreamDeletion;
use super::store::StoredMessage;
use meili_telemetry::json::Json;
use serde::{Deserialize, Serialize};

/// `POST /v1/batch`: a Segment batch (its `sentAt`, `context` and the rest are not read).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchBody<'a> {
    #[serde(borrow)]
    pub batch: Vec<Json<'a>>,
    /// The write key, when it is in the body (beacons cannot set headers).
    pub write_key: Option<String>,
}

/// `POST /v1/deletion`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeletionBody {
    /// The instance UID whose data is to be deleted.
    pub user_id: String,
    pub write_key: Option<String>,
}

/// Any refusal: `{ "success": false, "error": "…" }`.
#[derive(Serialize)]
pub struct Failure {
    pub success: bool,
    pub error: String,
}

/// The answer to an intake: what was stored, what was already there, what was refused.
#[derive(Serialize)]
pub struct IntakeAnswer {
    pub success: bool,
    pub accepted: Vec<String>,
    pub duplicates: usize,
    pub rejected: Vec<Rejection>,
}

/// One refused message.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rejection {
    /// Its place in the batch (not for a late arrival of a deleted UID).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
    pub message_id: Option<String>,
    /// `deleted` for a late arrival of a deleted UID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'static str>,
    pub error: String,
}

/// The answer to a deletion.
#[derive(Serialize)]
pub struct DeletionAnswer {
    pub success: bool,
    /// Rows erased.
    pub deleted: usize,
}

/// `GET /health`.
#[derive(Serialize)]
pub struct Health {
    pub status: &'static str,
    pub messages: i64,
    pub deletions: i64,
}

/// `GET /v1/events`: a page of stored messages, and the cursor of the next (`null`: the last).
#[derive(Serialize)]
pub struct EventsPage {
    pub events: Vec<StoredMessage>,
    pub next: Option<i64>,
}

/// `GET /v1/deletions`.
#[derive(Serialize)]
pub struct DeletionsList {
    pub deletions: Vec<UpstreamDeletion>,
}

/// `GET /config.json`, for the dashboard that `npm start` serves.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DashboardConfig {
    pub write_key: String,
}

/// Segment's regulation that deletes and suppresses one user's data.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Regulation<'a> {
    pub regulation_type: &'static str,
    pub subject_type: &'static str,
    pub subject_ids: [&'a str; 1],
}
