//! The native platform edge: the system clock, the operating system's entropy, and storage as
//! files in a directory (as the server keeps its `instance-uid` in its database directory).

use crate::platform::{Clock, Entropy, Storage, StorageError};
use std::path::PathBuf;
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

/// One file per key in a directory (created on the first write).
#[derive(Debug, Clone)]
pub struct FileStorage {
    dir: PathBuf,
}

impl FileStorage {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    fn path(&self, key: &str) -> PathBuf {
        let name: String = key
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        self.dir.join(name)
    }
}

impl Storage for FileStorage {
    fn read(&self, key: &str) -> Option<String> {
        std::fs::read_to_string(self.path(key)).ok()
    }

    fn write(&mut self, key: &str, value: &str) -> Result<(), StorageError> {
        std::fs::create_dir_all(&self.dir)
            .and_then(|_| std::fs::write(self.path(key), value))
            .map_err(|e| StorageError(format!("{}: {e}", self.path(key).display())))
    }

    fn remove(&mut self, key: &str) {
        let _ = std::fs::remove_file(self.path(key));
    }

    /// The file names (keys of this crate's spelling round-trip: letters, digits, `.` and `-`).
    fn keys(&self) -> Vec<String> {
        std::fs::read_dir(&self.dir)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok()?.file_name().into_string().ok())
                    .collect()
            })
            .unwrap_or_default()
    }
}
