//! The native platform edge: the system clock and the operating system's entropy.

use crate::platform::{Clock, Entropy};
use std::time::{SystemTime, UNIX_EPOCH};

/// `SystemTime::now()` in ms since the Unix epoch (0 if the clock is before 1970).
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
            .unwrap_or(0)
    }
}

/// The OS random number generator, through `getrandom`.
#[derive(Debug, Default, Clone, Copy)]
pub struct OsEntropy;

impl Entropy for OsEntropy {
    fn fill(&mut self, dest: &mut [u8]) -> bool {
        getrandom::fill(dest).is_ok()
    }
}
