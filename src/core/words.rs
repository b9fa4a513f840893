//! The package's word enums (a rejection kind, a loss reason, a consent reason) in serde's data
//! model: each is written as its stable name (`as_str`, the name the JS API and the counters
//! use); those with a complete list ([`Word`]) are read back from it, and a [`Tally`] of them is
//! written with every word present, zero or not ([`every_word`]).

use crate::prelude::*;

use crate::collections::Tally;

/// An enum whose every value has a stable name.
pub trait Word: Copy + Ord + 'static {
    /// Every value, in the order they are written.
    const ALL: &'static [Self];
    /// The value's stable name.
    fn name(self) -> &'static str;
}

/// `Serialize` as the enum's `as_str` name.
macro_rules! serialize_as_word {
    ($($word:ty),+) => {$(
        impl serde::Serialize for $word {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    )+};
}

/// [`Word`], `Serialize` and `Deserialize` by the enum's `as_str` name and its `ALL` list.
macro_rules! word {
    ($($word:ty),+) => {$(
        impl $crate::words::Word for $word {
            const ALL: &'static [Self] = &<$word>::ALL;
            fn name(self) -> &'static str {
                self.as_str()
            }
        }
        $crate::words::serialize_as_word!($word);
        impl<'de> serde::Deserialize<'de> for $word {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::words::read_word(deserializer)
            }
        }
    )+};
}

pub(crate) use {serialize_as_word, word};

/// A [`Word`] read back from its name.
pub(crate) fn read_word<'de, W: Word, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<W, D::Error> {
    let name = <String as serde::Deserialize>::deserialize(deserializer)?;
    W::ALL
        .iter()
        .copied()
        .find(|word| word.name() == name)
        .ok_or_else(|| serde::de::Error::unknown_variant(&name, &[]))
}

/// A [`Tally`] of words as an object of every word's count (`{ "oversize": 0, … }`), read back
/// ignoring unknown words and zeros.
pub mod every_word {
    use super::*;
    use serde::de::{MapAccess, Visitor};
    use serde::ser::SerializeMap;
    use serde::{Deserializer, Serializer};

    pub fn serialize<W: Word, S: Serializer>(
        tally: &Tally<W>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(W::ALL.len()))?;
        for word in W::ALL {
            map.serialize_entry(word.name(), &tally.get(word))?;
        }
        map.end()
    }

    pub fn deserialize<'de, W: Word, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Tally<W>, D::Error> {
        deserializer.deserialize_map(Counts(core::marker::PhantomData))
    }

    struct Counts<W>(core::marker::PhantomData<W>);

    impl<'de, W: Word> Visitor<'de> for Counts<W> {
        type Value = Tally<W>;

        fn expecting(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
            f.write_str("an object of counts")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tally<W>, A::Error> {
            let mut tally = Tally::new();
            while let Some((name, n)) = map.next_entry::<String, u64>()? {
                if let Some(word) = W::ALL.iter().find(|w| w.name() == name) {
                    if n > 0 {
                        tally.add(word, n);
                    }
                }
            }
            Ok(tally)
        }
    }
}
