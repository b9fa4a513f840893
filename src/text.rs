//! Text without the heavier parts of `core`: numbers written without `core::fmt` (the `.wasm` is
//! `no_std` and carries no formatting machinery; `format!`, `write!` and `to_string` on a number
//! would bring it back, about 3 KB gzip), and substrings found without `str`'s two-way searcher.
//! Integers are written by the `itoa` crate; other text is joined with `concat`.

use crate::prelude::*;

/// Appends `n` in decimal.
pub fn push_int(out: &mut String, n: impl itoa::Integer) {
    out.push_str(itoa::Buffer::new().format(n));
}

/// `n` in decimal.
pub fn int(n: impl itoa::Integer) -> String {
    itoa::Buffer::new().format(n).to_owned()
}

/// Where `needle` first occurs in `haystack`: a plain scan that compares the rest of the needle
/// only where its first byte is. The texts searched here (a user agent, a filter, a URL) are
/// short, and `str`'s two-way searcher costs more to set up than the scan, and 1.8 KB of wasm.
#[inline]
pub fn find(haystack: &str, needle: &str) -> Option<usize> {
    let Some((first, rest)) = needle.as_bytes().split_first() else {
        return Some(0);
    };
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|window| window[0] == *first && &window[1..] == rest)
}

/// Whether `needle` occurs in `haystack` (see [`find`]).
#[inline]
pub fn contains(haystack: &str, needle: &str) -> bool {
    find(haystack, needle).is_some()
}

/// `text` split at the first `separator`, which neither part contains (see [`find`]).
pub fn split_once<'t>(text: &'t str, separator: &str) -> Option<(&'t str, &'t str)> {
    let at = find(text, separator)?;
    // `separator` is whole characters, so both ends are character boundaries.
    Some((text.get(..at)?, text.get(at + separator.len()..)?))
}

/// The parts of `text` between occurrences of `separator` (see [`find`]); at least one.
pub fn split<'t>(text: &'t str, separator: &'t str) -> impl Iterator<Item = &'t str> {
    let mut rest = Some(text);
    core::iter::from_fn(move || {
        let current = rest?;
        match split_once(current, separator) {
            Some((part, after)) => {
                rest = Some(after);
                Some(part)
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
}

/// Appends `n` as `width` lowercase hexadecimal digits, zero-padded (the low `4 · width` bits).
pub fn push_hex(out: &mut String, n: u32, width: u32) {
    for place in (0..width).rev() {
        let digit = (n >> (place * 4)) & 0xf;
        out.push(char::from(b"0123456789abcdef"[digit as usize]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_integers_like_display() {
        for n in [0i64, 7, -7, 10, 99, 100, i64::MAX, i64::MIN] {
            assert_eq!(int(n), n.to_string());
        }
        assert_eq!(int(u64::MAX), u64::MAX.to_string());
        let mut out = String::from("x=");
        push_int(&mut out, 42u16);
        assert_eq!(out, "x=42");
    }

    #[test]
    fn finds_and_splits_like_str() {
        let texts = [
            "", "a", "abc", "a, b, c", ", ", "x, ", "é, ü, ", "ANDAND ", "aaab",
        ];
        let needles = ["", "a", "b", ", ", "AND ", "aab", "é", "abcd", "ü, "];
        for text in texts {
            for needle in needles {
                assert_eq!(
                    find(text, needle),
                    text.find(needle),
                    "{needle:?} in {text:?}"
                );
                assert_eq!(contains(text, needle), text.contains(needle));
                if !needle.is_empty() {
                    assert_eq!(split_once(text, needle), text.split_once(needle));
                    assert_eq!(
                        split(text, needle).collect::<Vec<_>>(),
                        text.split(needle).collect::<Vec<_>>(),
                        "{text:?} split at {needle:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn writes_padded_hex_like_display() {
        for n in [0u32, 0x1f, 0xab, 0xffff] {
            let mut out = String::new();
            push_hex(&mut out, n, 4);
            assert_eq!(out, format!("{n:04x}"));
        }
    }
}
