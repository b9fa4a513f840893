//! The `Authorization` header of an upload: HTTP Basic with the write key as the user name and an
//! empty password, as Segment's intake expects (`Basic base64("<writeKey>:")`). The encoder is
//! the standard alphabet with padding (RFC 4648 §4), written out here because it only ever
//! encodes one short key: the `base64` crate's general engine costs about 3 KB of wasm for it
//! (the collector, natively, decodes with the crate).

use crate::prelude::*;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// `Basic <base64 of "write_key:">`.
pub(crate) fn basic_authorization(write_key: &str) -> String {
    let mut credentials = String::with_capacity(write_key.len() + 1);
    credentials.push_str(write_key);
    credentials.push(':');
    let mut header = String::from("Basic ");
    header.push_str(&encode(credentials.as_bytes()));
    header
}

/// Standard base64 with padding.
fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_4648_vectors() {
        let vectors = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in vectors {
            assert_eq!(encode(plain.as_bytes()), encoded, "{plain}");
        }
    }

    #[test]
    fn header_is_the_key_with_an_empty_password() {
        assert_eq!(basic_authorization("key"), "Basic a2V5Og==");
        // RFC 7617's example credentials.
        assert_eq!(
            encode(b"Aladdin:open sesame"),
            "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
    }
}
