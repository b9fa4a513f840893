//! Calendar arithmetic: timestamps as the wire writes them (RFC 3339, UTC, millisecond precision)
//! and HTTP dates as a `Retry-After` header may give them. Written with integer arithmetic (the
//! days/civil algorithms of Howard Hinnant's `chrono`-compatible date library) so the wasm carries
//! neither a date crate nor the formatting machinery; the tests check both against `humantime`
//! and `httpdate`, natively.

use crate::prelude::*;

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

/// The ms since the Unix epoch of an HTTP date in IMF-fixdate form, the one form RFC 9110
/// (§5.6.7) lets a sender generate: `Sun, 06 Nov 1994 08:49:37 GMT`. `None` for anything else,
/// the obsolete RFC 850 and asctime forms included (a `Retry-After` in those is ignored and the
/// backoff applies), and for dates before 1970.
pub(crate) fn parse_imf_fixdate_ms(text: &str) -> Option<u64> {
    const DAYS: [&[u8]; 7] = [b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat", b"Sun"];
    const MONTHS: [&[u8]; 12] = [
        b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov",
        b"Dec",
    ];
    let b = text.as_bytes();
    let number = |range: core::ops::Range<usize>| {
        b[range].iter().try_fold(0u64, |n, &digit| {
            digit
                .is_ascii_digit()
                .then(|| n * 10 + u64::from(digit - b'0'))
        })
    };
    let shaped = b.len() == 29
        && DAYS.contains(&&b[0..3])
        && &b[3..5] == b", "
        && b[7] == b' '
        && b[11] == b' '
        && b[16] == b' '
        && b[19] == b':'
        && b[22] == b':'
        && &b[25..] == b" GMT";
    if !shaped {
        return None;
    }
    let month = MONTHS.iter().position(|m| *m == &b[8..11])? as u64 + 1;
    let (day, year) = (number(5..7)?, number(12..16)?);
    let (hour, minute, second) = (number(17..19)?, number(20..22)?, number(23..25)?);
    if year < 1970 || day == 0 || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    // A day past the month's end (31 Apr, 29 Feb of a common year) lands on another date.
    if civil_from_days(days) != (year, month, day) {
        return None;
    }
    Some(days * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1_000)
}

/// The days after 1970-01-01 of a proleptic Gregorian date from 1970 on (`month` 1–12).
fn days_from_civil(year: u64, month: u64, day: u64) -> u64 {
    let year = year - u64::from(month <= 2);
    let era = year / 400;
    let year_of_era = year - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
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

    #[test]
    fn reads_imf_fixdates_and_nothing_else() {
        assert_eq!(
            parse_imf_fixdate_ms("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777_000)
        );
        assert_eq!(
            parse_imf_fixdate_ms("Thu, 01 Jan 1970 00:00:00 GMT"),
            Some(0)
        );
        assert_eq!(
            parse_imf_fixdate_ms("Tue, 29 Feb 2000 23:59:59 GMT"),
            Some(951_868_799_000)
        );
        for refused in [
            "",
            "120",
            "Sunday, 06-Nov-94 08:49:37 GMT", // RFC 850
            "Sun Nov  6 08:49:37 1994",       // asctime
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 06 Nov 1994 08:49:37 GMT ",
            "Sun, 6 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 06 Nov 1994 08:60:00 GMT",
            "Sun, 31 Apr 1994 08:49:37 GMT",
            "Sun, 29 Feb 1900 08:49:37 GMT",
            "Thu, 29 Feb 2001 08:49:37 GMT",
            "Wed, 31 Dec 1969 23:59:59 GMT",
            "Sun, 00 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 19a4 08:49:37 GMT",
            "Xyz, 06 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nox 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 GMT\u{e9}",
            "Sun, 06 Nov 1994 08:4\u{e9}:3 GMT",
        ] {
            assert_eq!(parse_imf_fixdate_ms(refused), None, "{refused:?}");
        }
    }

    /// Every second `httpdate` writes (IMF-fixdate), read back to the same instant.
    #[test]
    fn reads_what_httpdate_writes_across_the_range() {
        use std::time::{Duration, UNIX_EPOCH};
        let mut seconds = 0u64;
        let mut random = crate::platform::fakes::SeededEntropy::new(1);
        while seconds <= MAX_MS / 1_000 {
            let written = httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(seconds));
            assert_eq!(
                parse_imf_fixdate_ms(&written),
                Some(seconds * 1_000),
                "{written}"
            );
            seconds += random.next_u64() % 100_000_000 + 1;
        }
    }

    #[test]
    fn agrees_with_humantime_across_the_range() {
        use std::time::{Duration, UNIX_EPOCH};
        let mut ms = 0u64;
        let mut random = crate::platform::fakes::SeededEntropy::new(2);
        while ms <= MAX_MS {
            let expected = humantime::format_rfc3339_millis(UNIX_EPOCH + Duration::from_millis(ms))
                .to_string();
            assert_eq!(rfc3339_millis(ms), expected, "{ms}");
            // Irregular steps of up to about 3 years, every field moving.
            ms += random.next_u64() % 100_000_000_000 + 1;
        }
    }
}
