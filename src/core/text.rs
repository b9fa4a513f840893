//! Numbers as text without `core::fmt`: the `.wasm` is `no_std` and carries no formatting
//! machinery (`format!`, `write!` and `to_string` on a number would bring it back, about 3 KB
//! gzip). Integers are written by the `itoa` crate; other text is joined with `concat`. Hex
//! digits are read here too, one at a time: `from_str_radix` would also take a leading `+`.

use crate::prelude::*;

/// `n` in decimal.
pub fn int(n: impl itoa::Integer) -> String {
    itoa::Buffer::new().format(n).to_owned()
}

/// Appends `n` as `width` lowercase hexadecimal digits, zero-padded (the low `4 · width` bits).
pub(crate) fn push_hex(out: &mut String, n: u32, width: u32) {
    for place in (0..width).rev() {
        let digit = (n >> (place * 4)) & 0xf;
        out.push(char::from(b"0123456789abcdef"[digit as usize]));
    }
}

/// The value of one hexadecimal digit (`0-9`, `a-f`, `A-F`), `None` for any other byte.
pub(crate) fn hex_digit(byte: u8) -> Option<u32> {
    char::from(byte).to_digit(16)
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
    }

    #[test]
    fn writes_padded_hex_like_display() {
        for n in [0u32, 0x1f, 0xab, 0xffff] {
            let mut out = String::new();
            push_hex(&mut out, n, 4);
            assert_eq!(out, format!("{n:04x}"));
        }
    }

    #[test]
    fn reads_only_hex_digits() {
        for byte in 0..=u8::MAX {
            let expected = match byte {
                b'0'..=b'9' => Some(u32::from(byte - b'0')),
                b'a'..=b'f' => Some(u32::from(byte - b'a' + 10)),
                b'A'..=b'F' => Some(u32::from(byte - b'A' + 10)),
                _ => None,
            };
            assert_eq!(hex_digit(byte), expected, "{byte:#04x}");
        }
    }
}
