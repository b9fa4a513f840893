//! The instance UID: a UUID v4 drawn from injected entropy, written lowercase and hyphenated,
//! parsed forgivingly (surrounding whitespace and a trailing newline do not make a new identity).

use crate::prelude::*;

use crate::platform::Entropy;
use core::fmt;

/// A random, anonymous identifier of one installation (the Segment `userId`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct InstanceUid(uuid::Uuid);

impl InstanceUid {
    /// A new UID from 16 random bytes, or `None` if the platform has no entropy.
    pub fn generate(entropy: &mut dyn Entropy) -> Option<Self> {
        let mut bytes = [0u8; 16];
        entropy
            .fill(&mut bytes)
            .then(|| Self(uuid::Builder::from_random_bytes(bytes).into_uuid()))
    }

    /// Parses a stored UID, ignoring surrounding whitespace. `None` if it is not a UUID.
    pub fn parse(text: &str) -> Option<Self> {
        uuid::Uuid::try_parse(text.trim()).ok().map(Self)
    }
}

impl InstanceUid {
    /// The hyphenated lowercase form, `c0ffee00-1234-4abc-8def-0123456789ab` (what
    /// `to_string` gives, without the formatting machinery).
    pub fn text(&self) -> String {
        let mut buffer = uuid::Uuid::encode_buffer();
        self.0.hyphenated().encode_lower(&mut buffer).to_owned()
    }
}

impl fmt::Display for InstanceUid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.hyphenated(), f)
    }
}

/// A fresh UUID v4 string for a `messageId`, or `None` without entropy.
pub fn message_id(entropy: &mut dyn Entropy) -> Option<String> {
    InstanceUid::generate(entropy).map(|uid| uid.text())
}

/// Written as its hyphenated lowercase text (what is stored and sent as `userId`).
impl serde::Serialize for InstanceUid {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text())
    }
}

/// Read as forgivingly as [`InstanceUid::parse`] reads a stored UID.
impl<'de> serde::Deserialize<'de> for InstanceUid {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <alloc::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Self::parse(&text).ok_or_else(|| {
            serde::de::Error::invalid_value(serde::de::Unexpected::Str(&text), &"a UUID")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::fakes::{NoEntropy, SeededEntropy};

    #[test]
    fn generates_v4_from_entropy() {
        let uid = InstanceUid::generate(&mut SeededEntropy::new(7)).unwrap();
        let text = uid.to_string();
        assert_eq!(text.len(), 36);
        assert_eq!(&text[14..15], "4", "version nibble");
        assert!(matches!(&text[19..20], "8" | "9" | "a" | "b"), "variant");
        assert_eq!(
            uid,
            InstanceUid::generate(&mut SeededEntropy::new(7)).unwrap()
        );
        assert!(InstanceUid::generate(&mut NoEntropy).is_none());
    }

    #[test]
    fn parses_forgivingly() {
        let uid = InstanceUid::generate(&mut SeededEntropy::new(1)).unwrap();
        let text = uid.to_string();
        assert_eq!(InstanceUid::parse(&format!("{text}\n")), Some(uid));
        assert_eq!(InstanceUid::parse(&format!("  {text} ")), Some(uid));
        assert_eq!(InstanceUid::parse("not-a-uuid"), None);
    }

    #[test]
    fn serializes_as_its_text() {
        let uid = InstanceUid::generate(&mut SeededEntropy::new(3)).unwrap();
        let written = crate::json::write(&uid);
        assert_eq!(written, ["\"", &uid.text(), "\""].concat());
        let read: InstanceUid = crate::json::decode(&written).unwrap();
        assert_eq!(read, uid);
        let padded = ["\" ", &uid.text(), "\\n\""].concat();
        assert_eq!(crate::json::decode::<InstanceUid>(&padded), Some(uid));
        assert_eq!(crate::json::decode::<InstanceUid>("\"nope\""), None);
    }
}
