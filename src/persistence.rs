//! What this package keeps in storage, under which keys, and how it is read back: the instance
//! UID (parsed forgivingly; a corrupt value is replaced) and the user's consent choice. Collection
//! off means none of the data keys exists: [`purge`] removes them all, and nothing writes them
//! while off.

use crate::consent::UserChoice;
use crate::identity::InstanceUid;
use crate::platform::{Entropy, Storage, StorageError};

/// The instance UID.
pub const UID_KEY: &str = "meili-telemetry.instance-uid";
/// The user's choice (`opted-in` / `opted-out`): the one key kept while off, so that an opt-out
/// survives reloads.
pub const CONSENT_KEY: &str = "meili-telemetry.consent";
/// Every key holding telemetry data (removed when collection turns off).
pub const DATA_KEYS: &[&str] = &[UID_KEY];

/// Where the instance UID came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UidOrigin {
    Stored,
    /// Nothing was stored (a first run).
    New,
    /// The stored value was not a UUID; a new one replaced it.
    ReplacedCorrupt,
}

/// The stored instance UID, or a new one (`None` without entropy). Does not write.
pub fn load_uid(
    storage: &dyn Storage,
    entropy: &mut dyn Entropy,
) -> Option<(InstanceUid, UidOrigin)> {
    match storage.read(UID_KEY) {
        Some(text) => match InstanceUid::parse(&text) {
            Some(uid) => Some((uid, UidOrigin::Stored)),
            None => InstanceUid::generate(entropy).map(|uid| (uid, UidOrigin::ReplacedCorrupt)),
        },
        None => InstanceUid::generate(entropy).map(|uid| (uid, UidOrigin::New)),
    }
}

/// Stores the UID (only while collection is on).
pub fn save_uid(storage: &mut dyn Storage, uid: InstanceUid) -> Result<(), StorageError> {
    storage.write(UID_KEY, &uid.text())
}

/// The persisted consent choice.
pub fn load_choice(storage: &dyn Storage) -> Option<UserChoice> {
    storage
        .read(CONSENT_KEY)
        .as_deref()
        .and_then(UserChoice::parse)
}

/// Persists the user's choice.
pub fn save_choice(storage: &mut dyn Storage, choice: UserChoice) -> Result<(), StorageError> {
    storage.write(CONSENT_KEY, choice.as_str())
}

/// Removes every data key (the consent choice stays).
pub fn purge(storage: &mut dyn Storage) {
    for key in DATA_KEYS {
        storage.remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::fakes::{MemoryStorage, SeededEntropy};
    use crate::prelude::*;

    #[test]
    fn uid_round_trips_forgivingly_and_corruption_is_replaced() {
        let mut storage = MemoryStorage::default();
        let mut entropy = SeededEntropy::new(5);
        let (uid, origin) = load_uid(&storage, &mut entropy).unwrap();
        assert_eq!(origin, UidOrigin::New);
        assert!(storage.entries.is_empty(), "loading never writes");
        save_uid(&mut storage, uid).unwrap();
        let stored = storage.entries[UID_KEY].clone();
        storage
            .entries
            .insert(UID_KEY.into(), format!("{stored}\n"));
        assert_eq!(
            load_uid(&storage, &mut entropy),
            Some((uid, UidOrigin::Stored))
        );
        storage.entries.insert(UID_KEY.into(), "not-a-uuid".into());
        let (replaced, origin) = load_uid(&storage, &mut entropy).unwrap();
        assert_eq!(origin, UidOrigin::ReplacedCorrupt);
        assert_ne!(replaced, uid);
        save_choice(&mut storage, UserChoice::OptedOut).unwrap();
        purge(&mut storage);
        assert_eq!(storage.entries.keys().collect::<Vec<_>>(), [CONSENT_KEY]);
        assert_eq!(load_choice(&storage), Some(UserChoice::OptedOut));
    }
}
