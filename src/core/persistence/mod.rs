//! What this package keeps in storage, under which keys, and how it is read back: the instance
//! UID (parsed forgivingly; a corrupt value is replaced), the user's consent choice, and (in
//! [`shared`]) what the tabs of one browser share: the sending tab's queue, hand-overs, parked
//! aggregates and each page's counters. Every key is named here, and only the core writes them.
//! Collection off means none of the data keys exists: [`purge`] removes them all, and nothing
//! writes them while off.

pub mod shared;

use crate::consent::UserChoice;
use crate::identity::InstanceUid;
use crate::platform::{Entropy, Storage, StorageError};

/// The instance UID.
pub const UID_KEY: &str = "meili-telemetry.instance-uid";
/// The user's choice (`opted-in` / `opted-out`): the one key kept while off, so that an opt-out
/// survives reloads.
pub const CONSENT_KEY: &str = "meili-telemetry.consent";
/// The sending tab's outbox (messages, retry state, delivered ids): written by that tab only.
pub const QUEUE_KEY: &str = "meili-telemetry.queue";
/// `<prefix><tab>.<n>`: sealed messages a tab hands over to the one that sends (write-once).
pub const HANDOVER_PREFIX: &str = "meili-telemetry.handover.";
/// `<prefix><tab>.<n>`: aggregates a hidden page parked, still mergeable (write-once).
pub const PARKED_PREFIX: &str = "meili-telemetry.parked.";
/// `<prefix><tab>`: one page's counters; `<prefix>past`: those of pages that are gone.
pub const STATS_PREFIX: &str = "meili-telemetry.stats.";
/// The UID whose data must still be deleted (collection was turned off after it sent data): the
/// one key kept while off besides the choice, removed once the collector acknowledged.
pub const DELETION_KEY: &str = "meili-telemetry.deletion-owed";
/// Present once an upload left under the stored UID: data may be at the collector, so turning
/// collection off owes its deletion.
pub const SENT_KEY: &str = "meili-telemetry.uid-sent";
/// Every fixed key holding telemetry data (removed when collection turns off)…
pub const DATA_KEYS: &[&str] = &[UID_KEY, QUEUE_KEY, SENT_KEY];
/// …and every prefix of such keys.
pub const DATA_PREFIXES: &[&str] = &[HANDOVER_PREFIX, PARKED_PREFIX, STATS_PREFIX];

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

/// The UID whose deletion is owed, if one is stored.
pub fn load_owed_deletion(storage: &dyn Storage) -> Option<InstanceUid> {
    storage
        .read(DELETION_KEY)
        .as_deref()
        .and_then(InstanceUid::parse)
}

/// Stores (`Some`) or removes (`None`) the UID whose deletion is owed.
pub fn save_owed_deletion(
    storage: &mut dyn Storage,
    uid: Option<InstanceUid>,
) -> Result<(), StorageError> {
    match uid {
        Some(uid) => storage.write(DELETION_KEY, &uid.text()),
        None => {
            storage.remove(DELETION_KEY);
            Ok(())
        }
    }
}

/// Collection was turned off: when `owe` (data was sent under the current UID, and the turn-off
/// asks for its deletion), the engine owes the deletion of that UID and moves to a fresh one;
/// then every data key goes, and the owed deletion, if any, is stored so a reload or a restart
/// still sends it.
pub fn turned_off(
    storage: &mut dyn Storage,
    engine: &mut crate::engine::Engine,
    entropy: &mut dyn Entropy,
    owe: bool,
) {
    if owe {
        engine.owe_deletion_of_current(entropy);
    }
    purge(storage);
    if let Some(owed) = engine.owed_deletion() {
        let _ = save_owed_deletion(storage, Some(owed));
    }
}

/// Whether `key` holds telemetry data (a fixed data key, or one under a data prefix).
pub(crate) fn is_data_key(key: &str) -> bool {
    DATA_KEYS.contains(&key) || DATA_PREFIXES.iter().any(|p| key.starts_with(p))
}

/// Removes every data key (the consent choice stays).
pub fn purge(storage: &mut dyn Storage) {
    for key in DATA_KEYS {
        storage.remove(key);
    }
    for key in storage.keys() {
        if is_data_key(&key) {
            storage.remove(&key);
        }
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
        for key in [
            QUEUE_KEY,
            "meili-telemetry.handover.a.1",
            "meili-telemetry.parked.b.2",
            "meili-telemetry.stats.past",
        ] {
            storage.write(key, "{}").unwrap();
        }
        storage.write("host.key", "kept").unwrap();
        purge(&mut storage);
        storage.entries.remove("host.key");
        assert_eq!(storage.entries.keys().collect::<Vec<_>>(), [CONSENT_KEY]);
        assert_eq!(load_choice(&storage), Some(UserChoice::OptedOut));
    }
}
