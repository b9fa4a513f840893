//! Timestamps as the wire writes them: RFC 3339, UTC, millisecond precision.

use std::time::{Duration, UNIX_EPOCH};

/// `ms` since the Unix epoch as `2026-11-26T06:21:34.123Z`.
pub fn rfc3339_millis(ms: u64) -> String {
    humantime::format_rfc3339_millis(UNIX_EPOCH + Duration::from_millis(ms)).to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_utc_millis() {
        assert_eq!(super::rfc3339_millis(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(
            super::rfc3339_millis(1_795_674_094_123),
            "2026-11-26T06:21:34.123Z"
        );
    }
}
