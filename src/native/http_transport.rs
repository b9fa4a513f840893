//! The native transport (cargo feature `native-transport`): uploads with a small blocking HTTP
//! client (`ureq`), for a Rust server's background thread. Every failure is an outcome, never a
//! panic: no answer is `NetworkError`, any answer is its status (with `Retry-After` kept for the
//! policy). HTTPS needs the `native-transport-tls` feature.

use crate::delivery::{UploadOutcome, UploadRequest, UPLOAD_TIMEOUT_MS};
use crate::platform::Transport;
use std::time::Duration;

/// An upload unanswered after this long counts as a network error (the core's
/// [`UPLOAD_TIMEOUT_MS`], every edge's default).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_millis(UPLOAD_TIMEOUT_MS);

/// Sends upload requests over HTTP.
pub struct HttpTransport {
    agent: ureq::Agent,
    last_retry_after: Option<String>,
}

impl Default for HttpTransport {
    fn default() -> Self {
        Self::with_timeout(DEFAULT_TIMEOUT)
    }
}

impl HttpTransport {
    pub fn with_timeout(timeout: Duration) -> Self {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .build()
            .into();
        Self {
            agent,
            last_retry_after: None,
        }
    }
}

impl Transport for HttpTransport {
    fn send(&mut self, request: &UploadRequest) -> UploadOutcome {
        self.last_retry_after = None;
        let mut call = self.agent.post(&request.url);
        for (name, value) in &request.headers {
            call = call.header(name, value);
        }
        match call.send(request.body.as_bytes()) {
            Ok(response) => {
                self.last_retry_after = response
                    .headers()
                    .get("Retry-After")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned);
                UploadOutcome::Status(response.status().as_u16())
            }
            Err(_) => UploadOutcome::NetworkError,
        }
    }

    fn last_retry_after(&self) -> Option<String> {
        self.last_retry_after.clone()
    }
}
