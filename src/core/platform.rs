//! The platform the engine runs on, as traits: a clock, entropy, storage and a transport. The core
//! never reaches any of these itself; the edges (the crates `meili-telemetry` and `meili-telemetry-wasm`) implement them, and the
//! in-memory fakes in [`fakes`] let tests drive days of telemetry deterministically.

use crate::prelude::*;

use crate::delivery::{UploadOutcome, UploadRequest};

/// Wall-clock time in milliseconds since the Unix epoch.
pub trait Clock {
    fn now_ms(&self) -> u64;
}

/// A shared clock is a clock (a test keeps the clock and lends it to the client).
impl<C: Clock + ?Sized> Clock for &C {
    fn now_ms(&self) -> u64 {
        (**self).now_ms()
    }
}

/// Random bytes. Returns `false` if the platform could not provide them.
pub trait Entropy {
    fn fill(&mut self, dest: &mut [u8]) -> bool;
}

/// A failed storage write (quota exceeded, storage disabled, private mode…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageError(pub String);

/// A small key-value store for the engine's persisted state.
pub trait Storage {
    fn read(&self, key: &str) -> Option<String>;
    fn write(&mut self, key: &str, value: &str) -> Result<(), StorageError>;
    fn remove(&mut self, key: &str);
    /// Every key held (to find the keys of other instances under a prefix).
    fn keys(&self) -> Vec<String>;
}

/// Sends one upload request and reports what happened (blocking; async edges drive the
/// engine themselves).
pub trait Transport {
    fn send(&mut self, request: &UploadRequest) -> UploadOutcome;

    /// The `Retry-After` header of the last answer, if it had one.
    fn last_retry_after(&self) -> Option<String> {
        None
    }
}

/// In-memory fakes of every platform trait, shared by all tests.
pub mod fakes {
    use super::*;
    use alloc::collections::BTreeMap;
    use core::cell::Cell;

    /// A clock that only moves when told to.
    #[derive(Debug, Default)]
    pub struct ManualClock(Cell<u64>);

    impl ManualClock {
        pub fn at(ms: u64) -> Self {
            Self(Cell::new(ms))
        }
        pub fn advance(&self, ms: u64) {
            self.0.set(self.0.get().saturating_add(ms));
        }
        pub fn set(&self, ms: u64) {
            self.0.set(ms);
        }
    }

    impl Clock for ManualClock {
        fn now_ms(&self) -> u64 {
            self.0.get()
        }
    }

    /// Deterministic entropy (SplitMix64) from a seed.
    #[derive(Debug, Clone)]
    pub struct SeededEntropy(u64);

    impl SeededEntropy {
        pub fn new(seed: u64) -> Self {
            Self(seed)
        }

        /// The next 64 bits of the sequence (SplitMix64): also the tests' source of
        /// deterministic pseudo-random inputs.
        pub(crate) fn next_u64(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }
    }

    impl Entropy for SeededEntropy {
        fn fill(&mut self, dest: &mut [u8]) -> bool {
            for chunk in dest.chunks_mut(8) {
                chunk.copy_from_slice(&self.next_u64().to_le_bytes()[..chunk.len()]);
            }
            true
        }
    }

    /// Entropy that is never available.
    #[derive(Debug, Default)]
    pub struct NoEntropy;

    impl Entropy for NoEntropy {
        fn fill(&mut self, _dest: &mut [u8]) -> bool {
            false
        }
    }

    /// A map in memory; can be told to fail every write.
    #[derive(Debug, Default)]
    pub struct MemoryStorage {
        pub entries: BTreeMap<String, String>,
        pub fail_writes: bool,
    }

    impl Storage for MemoryStorage {
        fn read(&self, key: &str) -> Option<String> {
            self.entries.get(key).cloned()
        }
        fn write(&mut self, key: &str, value: &str) -> Result<(), StorageError> {
            if self.fail_writes {
                return Err(StorageError("storage is full".into()));
            }
            self.entries.insert(key.to_owned(), value.to_owned());
            Ok(())
        }
        fn remove(&mut self, key: &str) {
            self.entries.remove(key);
        }
        fn keys(&self) -> Vec<String> {
            self.entries.keys().cloned().collect()
        }
    }

    /// A transport that records every request and answers from a script (default: 200).
    #[derive(Debug, Default)]
    pub struct RecordingTransport {
        pub sent: Vec<UploadRequest>,
        pub script: alloc::collections::VecDeque<UploadOutcome>,
        /// `Retry-After` values answered with the scripted outcomes, in the same order.
        pub retry_after_script: alloc::collections::VecDeque<Option<String>>,
        last_retry_after: Option<String>,
    }

    impl Transport for RecordingTransport {
        fn send(&mut self, request: &UploadRequest) -> UploadOutcome {
            self.sent.push(request.clone());
            self.last_retry_after = self.retry_after_script.pop_front().flatten();
            self.script
                .pop_front()
                .unwrap_or(UploadOutcome::Status(200))
        }

        fn last_retry_after(&self) -> Option<String> {
            self.last_retry_after.clone()
        }
    }
}
