//! Forwarding to a Segment-compatible upstream: validated messages are queued in the database
//! with the same commit as their storage, and a background task sends them in batches of at most
//! 500 KB under the same retry policy as the package (backoff with jitter, `Retry-After`,
//! rejections dropped), so a deployment that outgrows one machine feeds an existing pipeline.

use super::App;
use crate::batch::MAX_BATCH_BYTES;
use crate::delivery::{classify, RetryPolicy, UploadOutcome, UploadRequest, Verdict};
use crate::http_transport::HttpTransport;
use crate::native::SystemClock;
use crate::platform::{Clock, Transport};
use crate::time::rfc3339_millis;
use base64::Engine as _;
use std::sync::Arc;
use std::time::Duration;

/// Runs forever, forwarding what is queued.
pub(crate) async fn forward(app: Arc<App>, upstream: String) {
    let policy = RetryPolicy::default();
    let mut failures = 0u32;
    let mut transport = HttpTransport::default();
    let key = base64::engine::general_purpose::STANDARD
        .encode(format!("{}:", app.config.upstream_write_key));
    let mut jitter = SystemClock.now_ms();
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
        let (outcome, retry_after, back) = tokio::task::spawn_blocking(move || {
            let outcome = transport.send(&request);
            let retry_after = transport.last_retry_after();
            (outcome, retry_after, transport)
        })
        .await
        .unwrap_or((UploadOutcome::NetworkError, None, HttpTransport::default()));
        transport = back;
        let done: Vec<i64> = rows.iter().map(|r| r.0).collect();
        match classify(outcome) {
            Verdict::Delivered | Verdict::Rejected => {
                failures = 0;
                let _ = app.with_store(move |store| store.forwarded(&done)).await;
            }
            Verdict::Retry => {
                failures = failures.saturating_add(1);
                jitter = jitter
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let mut wait = policy.backoff_ms(failures, jitter >> 11);
                if matches!(outcome, UploadOutcome::Status(429 | 503)) {
                    wait = wait.max(
                        policy
                            .retry_after_ms(retry_after.as_deref(), SystemClock.now_ms())
                            .unwrap_or(0),
                    );
                }
                tokio::time::sleep(Duration::from_millis(wait)).await;
            }
        }
    }
}
