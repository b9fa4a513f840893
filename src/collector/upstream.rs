//! Forwarding to a Segment-compatible upstream: validated messages are queued in the database
//! with the same commit as their storage, and a background task sends them in batches of at most
//! 500 KB under the same retry policy as the package (backoff with jitter, `Retry-After`,
//! rejections dropped), so a deployment that outgrows one machine feeds an existing pipeline.
//! Deletions follow the same way, queued in the deletion's commit, as `SUPPRESS_WITH_DELETE`
//! regulations of Segment's Public API (`--upstream-deletion-token`).

use super::bodies::Regulation;
use super::App;
use base64::Engine as _;
use meili_telemetry::batch::MAX_BATCH_BYTES;
use meili_telemetry::delivery::{classify, RetryPolicy, UploadOutcome, UploadRequest, Verdict};
use meili_telemetry::http_transport::HttpTransport;
use meili_telemetry::native::SystemClock;
use meili_telemetry::platform::{Clock, Transport};
use meili_telemetry::time::rfc3339_millis;
use std::sync::Arc;
use std::time::Duration;

/// The retry policy's waits between attempts to one upstream (backoff with jitter, `Retry-After`
/// on 429 and 503), as the package applies them.
struct Backoff {
    policy: RetryPolicy,
    failures: u32,
    jitter: u64,
}

impl Backoff {
    fn new() -> Self {
        Self {
            policy: RetryPolicy::default(),
            failures: 0,
            jitter: SystemClock.now_ms(),
        }
    }

    /// The wait before the next attempt after a retryable `outcome`.
    fn after_failure(&mut self, outcome: UploadOutcome, retry_after: Option<&str>) -> Duration {
        self.failures = self.failures.saturating_add(1);
        self.jitter = self
            .jitter
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let now = SystemClock.now_ms();
        let random = self.jitter >> 11;
        let wait = self
            .policy
            .wait_after(self.failures, outcome, retry_after, now, random);
        Duration::from_millis(wait)
    }
}

/// Sends `request` on a blocking thread: the outcome and the `Retry-After` header.
async fn send(request: UploadRequest) -> (UploadOutcome, Option<String>) {
    tokio::task::spawn_blocking(move || {
        let mut transport = HttpTransport::default();
        let outcome = transport.send(&request);
        (outcome, transport.last_retry_after())
    })
    .await
    .unwrap_or((UploadOutcome::NetworkError, None))
}

/// Runs forever, forwarding what is queued.
pub(crate) async fn forward(app: Arc<App>, upstream: String) {
    let mut backoff = Backoff::new();
    let key = base64::engine::general_purpose::STANDARD
        .encode(format!("{}:", app.config.upstream_write_key));
    loop {
        let rows = app
            .with_store(|store| store.outbound(MAX_BATCH_BYTES - 64))
            .await
            .and_then(Result::ok)
            .unwrap_or_default();
        if rows.is_empty() {
            let _ =
                tokio::time::timeout(Duration::from_secs(30), app.wake_forwarder.notified()).await;
            continue;
        }
        let body = format!(
            "{{\"batch\":[{}],\"sentAt\":\"{}\"}}",
            rows.iter()
                .map(|r| r.2.as_str())
                .collect::<Vec<_>>()
                .join(","),
            rfc3339_millis(SystemClock.now_ms())
        );
        let request = UploadRequest {
            url: format!("{}/v1/batch", upstream.trim_end_matches('/')),
            headers: vec![
                ("Content-Type".into(), "application/json".into()),
                ("Authorization".into(), format!("Basic {key}")),
            ],
            body,
            message_ids: rows.iter().map(|r| r.1.clone()).collect(),
        };
        let (outcome, retry_after) = send(request).await;
        let done: Vec<i64> = rows.iter().map(|r| r.0).collect();
        match classify(outcome) {
            Verdict::Delivered | Verdict::Rejected => {
                backoff.failures = 0;
                let _ = app.with_store(move |store| store.forwarded(&done)).await;
            }
            Verdict::Retry => {
                tokio::time::sleep(backoff.after_failure(outcome, retry_after.as_deref())).await;
            }
        }
    }
}

/// The regulation that asks Segment to delete and suppress everything of `user_id`.
fn regulation(app: &App, user_id: &str) -> UploadRequest {
    let body = Regulation {
        regulation_type: "SUPPRESS_WITH_DELETE",
        subject_type: "USER_ID",
        subject_ids: [user_id],
    };
    let token = app
        .config
        .upstream_deletion_token
        .clone()
        .unwrap_or_default();
    UploadRequest {
        url: app.config.upstream_deletion_url.clone(),
        headers: vec![
            ("Content-Type".into(), "application/json".into()),
            ("Authorization".into(), format!("Bearer {token}")),
        ],
        body: meili_telemetry::json::write(&body),
        message_ids: Vec::new(),
    }
}

/// Runs forever, forwarding the queued deletions one by one: `forwarded` on a 2xx, `failed` (with
/// the status) when the upstream refuses for good, retried under the policy otherwise.
pub(crate) async fn forward_deletions(app: Arc<App>) {
    let mut backoff = Backoff::new();
    loop {
        let next = app
            .with_store(|store| store.next_upstream_deletion())
            .await
            .and_then(Result::ok)
            .flatten();
        let Some((row, user_id)) = next else {
            let _ =
                tokio::time::timeout(Duration::from_secs(30), app.wake_deletions.notified()).await;
            continue;
        };
        let (outcome, retry_after) = send(regulation(&app, &user_id)).await;
        let reason = match outcome {
            UploadOutcome::Status(code) => format!("HTTP {code}"),
            UploadOutcome::NetworkError => "the upstream could not be reached".to_owned(),
        };
        let (state, reason) = match classify(outcome) {
            Verdict::Delivered => ("forwarded", None),
            Verdict::Rejected => ("failed", Some(reason)),
            Verdict::Retry => ("pending", Some(reason)),
        };
        let now = SystemClock.now_ms();
        let _ = app
            .with_store(move |store| {
                store.upstream_deletion_attempted(row, state, reason.as_deref(), now)
            })
            .await;
        if state == "pending" {
            tokio::time::sleep(backoff.after_failure(outcome, retry_after.as_deref())).await;
        } else {
            backoff.failures = 0;
        }
    }
}
