//! The retry policy, without I/O: what an upload's outcome means (delivered, retry later, or
//! rejected for good), how long to wait before the next attempt (exponential backoff with full
//! jitter, `Retry-After` honoured within a cap), and how old a batch may get before it is dropped.
use super::UploadOutcome;
use crate::time::parse_imf_fixdate_ms;

/// An upload unanswered after this long (30 s) counts as a network error: every edge's default
/// (the JS sender's `uploadTimeoutMs`, the native blocking and async transports).
pub const UPLOAD_TIMEOUT_MS: u64 = 30_000;

/// When to retry and when to give up. Every limit is a named field with its default's reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// First backoff ceiling: 2 s, short enough to ride out a restart of the collector.
    pub base_ms: u64,
    /// Largest backoff ceiling: 1 h, the default interval, so a collector that keeps failing
    /// (or an ad-blocker) sees at most about one attempt per interval and never a tight loop.
    pub cap_ms: u64,
    /// A message older than this (24 h: the server's daily interval) is dropped and counted.
    pub max_age_ms: u64,
    /// The longest `Retry-After` obeyed (24 h); a longer one is treated as this.
    pub retry_after_cap_ms: u64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            base_ms: 2_000,
            cap_ms: 60 * 60 * 1000,
            max_age_ms: 24 * 60 * 60 * 1000,
            retry_after_cap_ms: 24 * 60 * 60 * 1000,
        }
    }
}

/// What an outcome means for the batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Delivered,
    /// Network errors, 408, 429 and 5xx except 501 and 505: try again later.
    Retry,
    /// Any other answer: the collector will never take this batch.
    Rejected,
}

/// The verdict on an outcome.
pub fn classify(outcome: UploadOutcome) -> Verdict {
    match outcome {
        UploadOutcome::Status(200..=299) => Verdict::Delivered,
        UploadOutcome::NetworkError => Verdict::Retry,
        UploadOutcome::Status(501 | 505) => Verdict::Rejected,
        UploadOutcome::Status(408 | 429 | 500..=599) => Verdict::Retry,
        UploadOutcome::Status(_) => Verdict::Rejected,
    }
}

impl RetryPolicy {
    /// The wait before attempt `failures + 1` after `failures` consecutive failures: uniform in
    /// `[0, min(cap, base · 2^(failures-1))]` ("full jitter"), drawn from `random`.
    pub(crate) fn backoff_ms(&self, failures: u32, random: u64) -> u64 {
        let doublings = failures.saturating_sub(1).min(40);
        let ceiling = self
            .base_ms
            .saturating_mul(1u64 << doublings)
            .min(self.cap_ms);
        random % (ceiling + 1)
    }

    /// The wait before the next attempt after the `failures`-th consecutive retryable
    /// `outcome`: the backoff, or the `Retry-After` of a 429 or 503 when it asks for longer.
    pub fn wait_after(
        &self,
        failures: u32,
        outcome: UploadOutcome,
        retry_after: Option<&str>,
        now_ms: u64,
        random: u64,
    ) -> u64 {
        let backoff = self.backoff_ms(failures, random);
        let asked = match outcome {
            UploadOutcome::Status(429 | 503) => self.retry_after_ms(retry_after, now_ms),
            _ => None,
        };
        backoff.max(asked.unwrap_or(0))
    }

    /// The wait a `Retry-After` header asks for (delta-seconds or an IMF-fixdate), capped; `None`
    /// when absent or unreadable.
    pub(crate) fn retry_after_ms(&self, header: Option<&str>, now_ms: u64) -> Option<u64> {
        let header = header?.trim();
        let wait = match header.parse::<u64>() {
            Ok(seconds) => seconds.saturating_mul(1_000),
            Err(_) => parse_imf_fixdate_ms(header)?.saturating_sub(now_ms),
        };
        Some(wait.min(self.retry_after_cap_ms))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_as_the_policy_says() {
        use UploadOutcome::*;
        for retry in [
            NetworkError,
            Status(408),
            Status(429),
            Status(500),
            Status(502),
            Status(503),
            Status(504),
        ] {
            assert_eq!(classify(retry), Verdict::Retry, "{retry:?}");
        }
        for rejected in [
            Status(400),
            Status(401),
            Status(404),
            Status(413),
            Status(501),
            Status(505),
        ] {
            assert_eq!(classify(rejected), Verdict::Rejected, "{rejected:?}");
        }
        assert_eq!(classify(Status(204)), Verdict::Delivered);
    }

    #[test]
    fn backoff_is_bounded_and_grows() {
        let p = RetryPolicy::default();
        assert!(p.backoff_ms(1, u64::MAX - 1) <= 2_000);
        assert_eq!(p.backoff_ms(3, 7_999), 7_999);
        assert_eq!(p.backoff_ms(3, 8_001), 0, "wraps within [0, 8000]");
        assert!(p.backoff_ms(100, u64::MAX) <= p.cap_ms);
    }

    #[test]
    fn retry_after_in_both_forms() {
        let p = RetryPolicy::default();
        assert_eq!(p.retry_after_ms(Some("120"), 0), Some(120_000));
        // Sun, 06 Nov 1994 08:49:37 GMT = 784111777 s.
        let now = 784_111_777_000 - 30_000;
        assert_eq!(
            p.retry_after_ms(Some("Sun, 06 Nov 1994 08:49:37 GMT"), now),
            Some(30_000)
        );
        assert_eq!(
            p.retry_after_ms(Some("Sun, 06 Nov 1994 08:49:37 GMT"), now + 60_000),
            Some(0)
        );
        assert_eq!(p.retry_after_ms(Some("soon"), 0), None);
        assert_eq!(p.retry_after_ms(None, 0), None);
        assert_eq!(
            p.retry_after_ms(Some("999999999"), 0),
            Some(p.retry_after_cap_ms)
        );
    }
}
