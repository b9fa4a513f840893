//! Timestamps as the wire writes them: RFC 3339, UTC, millisecond precision. Written with
//! integer arithmetic (the civil-from-days algorithm of Howard Hinnant's `chrono`-compatible date
//! library) so the wasm carries neither a date crate nor the formatting machinery; the tests
//! check it against `humantime`, natively.

/// The last millisecond RFC 3339 can write with a four-digit year: 9999-12-31T23:59:59.999Z.
pub const MAX_MS: u64 = 253_402_300_799_999;

const MS_PER_DAY: u64 = 86_400_000;

/// `ms` since the Unix epoch as `2026-11-26T06:21:34.123Z` (at most [`MAX_MS`]).
pub fn rfc3339_millis(ms: u64) -> String {
    let ms = ms.min(MAX_MS);
    let (year, month, day) = civil_from_days(ms / MS_PER_DAY);
    let of_day = ms % MS_PER_DAY;
    let mut out = String::with_capacity(24);
    let mut digits = |n: u64, width: u32, after: char| {
        for place in (0..width).rev() {
            out.push(char::from(b'0' + (n / 10u64.pow(place) % 10) as u8));
        }
        out.push(after);
    };
    digits(year, 4, '-');
    digits(month, 2, '-');
    digits(day, 2, 'T');
    digits(of_day / 3_600_000, 2, ':');
    digits(of_day / 60_000 % 60, 2, ':');
    digits(of_day / 1_000 % 60, 2, '.');
    digits(of_day % 1_000, 3, 'Z');
    out
}

/// The proleptic Gregorian (year, month, day) of `days` after 1970-01-01.
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_utc_millis() {
        assert_eq!(rfc3339_millis(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(
            rfc3339_millis(1_795_674_094_123),
            "2026-11-26T06:21:34.123Z"
        );
        assert_eq!(rfc3339_millis(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(rfc3339_millis(u64::MAX), "9999-12-31T23:59:59.999Z");
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn agrees_with_humantime_across_the_range() {
        use std::time::{Duration, UNIX_EPOCH};
        let mut ms = 0u64;
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        while ms <= MAX_MS {
            let expected = humantime::format_rfc3339_millis(UNIX_EPOCH + Duration::from_millis(ms))
                .to_string();
            assert_eq!(rfc3339_millis(ms), expected, "{ms}");
            // Irregular steps of up to about 3 years, every field moving.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            ms += state % 100_000_000_000 + 1;
        }
    }
}
