//! What a deletion leaves behind in the collector's database, and nothing more:
//!
//! - a **tombstone**: an HMAC-SHA-256 of the deleted UID under a key drawn once per database
//!   (never the UID), which refuses the UID's late arrivals (a batch still queued in another tab,
//!   a retry in flight) for [`TOMBSTONE_TTL_MS`];
//! - with an upstream that takes deletions, a **queued upstream deletion**: the one place the UID
//!   is kept, until the upstream has it (`pending` → `forwarded`, or `failed` with a reason), then
//!   erased from the row, which keeps only its state.

use super::store::Store;
use hmac::{Hmac, Mac};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use sha2::Sha256;

/// How long a tombstone refuses a deleted UID: 30 days. A message lives at most 24 h in a client
/// (`RetryPolicy::max_age_ms`) before it is dropped, so nothing older can arrive; the margin
/// covers clocks that are wrong and devices that were off. After that the hash goes too, so the
/// collector keeps nothing about a deleted installation for ever.
pub const TOMBSTONE_TTL_MS: u64 = 30 * 24 * 60 * 60 * 1000;

/// An upstream deletion's state, as `GET /v1/deletions` shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UpstreamDeletion {
    pub row: i64,
    /// `pending`, `forwarded` or `failed`.
    pub state: String,
    /// Why the last attempt did not go through (`pending`) or why it was given up (`failed`).
    pub reason: Option<String>,
    pub attempts: i64,
    #[serde(rename = "createdAt", serialize_with = "rfc3339")]
    pub created_ms: i64,
    #[serde(rename = "updatedAt", serialize_with = "rfc3339")]
    pub updated_ms: i64,
}

/// A time in ms as the read API writes it (RFC 3339, UTC).
fn rfc3339<S: serde::Serializer>(ms: &i64, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&meili_telemetry::time::rfc3339_millis(
        u64::try_from(*ms).unwrap_or(0),
    ))
}

pub(super) fn create_tables(db: &Connection) -> rusqlite::Result<()> {
    db.execute_batch(
        "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB NOT NULL);
         CREATE TABLE IF NOT EXISTS tombstones (
           hash TEXT PRIMARY KEY,
           created_ms INTEGER NOT NULL
         );
         CREATE TABLE IF NOT EXISTS upstream_deletions (
           row INTEGER PRIMARY KEY AUTOINCREMENT,
           user_id TEXT,
           state TEXT NOT NULL,
           reason TEXT,
           attempts INTEGER NOT NULL DEFAULT 0,
           created_ms INTEGER NOT NULL,
           updated_ms INTEGER NOT NULL
         );",
    )
}

/// The database's tombstone key, drawn (from the OS) the first time.
pub(super) fn tombstone_key(db: &Connection) -> rusqlite::Result<[u8; 32]> {
    let stored: Option<Vec<u8>> = db
        .query_row(
            "SELECT value FROM meta WHERE name = 'tombstone_key'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(key) = stored.and_then(|k| <[u8; 32]>::try_from(k).ok()) {
        return Ok(key);
    }
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).map_err(|e| {
        rusqlite::Error::ToSqlConversionFailure(format!("no OS entropy for the key: {e}").into())
    })?;
    db.execute(
        "INSERT OR REPLACE INTO meta (name, value) VALUES ('tombstone_key', ?1)",
        [&key[..]],
    )?;
    Ok(key)
}

/// Leaves the tombstone of a deletion and, with `forward`, queues it for the upstream, inside
/// the deletion's transaction.
pub(super) fn bury(
    tx: &Transaction<'_>,
    hash: &str,
    now_ms: u64,
    user_id: &str,
    forward: bool,
) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT OR REPLACE INTO tombstones (hash, created_ms) VALUES (?1, ?2)",
        params![hash, now_ms as i64],
    )?;
    if forward {
        tx.execute(
            "INSERT INTO upstream_deletions (user_id, state, created_ms, updated_ms)
             VALUES (?1, 'pending', ?2, ?2)",
            params![user_id, now_ms as i64],
        )?;
    }
    Ok(())
}

impl Store {
    /// The tombstone of `user_id`: its HMAC-SHA-256 under the database's key, in hex.
    pub(super) fn tombstone_hash(&self, user_id: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.tombstone_key)
            .expect("HMAC takes a key of any length");
        mac.update(user_id.as_bytes());
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Whether `user_id` was deleted (a tombstone younger than [`TOMBSTONE_TTL_MS`]).
    pub fn is_deleted(&self, user_id: &str, now_ms: u64) -> rusqlite::Result<bool> {
        let since = now_ms.saturating_sub(TOMBSTONE_TTL_MS) as i64;
        self.db
            .query_row(
                "SELECT 1 FROM tombstones WHERE hash = ?1 AND created_ms >= ?2",
                params![self.tombstone_hash(user_id), since],
                |_| Ok(()),
            )
            .optional()
            .map(|r| r.is_some())
    }

    /// Removes the tombstones older than [`TOMBSTONE_TTL_MS`]; returns how many.
    pub fn expire_tombstones(&mut self, now_ms: u64) -> rusqlite::Result<usize> {
        let since = now_ms.saturating_sub(TOMBSTONE_TTL_MS) as i64;
        self.db
            .execute("DELETE FROM tombstones WHERE created_ms < ?1", [since])
    }

    /// The oldest upstream deletion still pending: `(row, user_id)`.
    pub fn next_upstream_deletion(&self) -> rusqlite::Result<Option<(i64, String)>> {
        self.db
            .query_row(
                "SELECT row, user_id FROM upstream_deletions
                 WHERE state = 'pending' AND user_id IS NOT NULL ORDER BY row LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
    }

    /// Records an attempt at an upstream deletion: `done` (`forwarded`, or `failed` for good)
    /// erases the UID from its row; else it stays `pending` with `reason`.
    pub fn upstream_deletion_attempted(
        &mut self,
        row: i64,
        state: &str,
        reason: Option<&str>,
        now_ms: u64,
    ) -> rusqlite::Result<()> {
        let done = state != "pending";
        self.db.execute(
            "UPDATE upstream_deletions
             SET state = ?2, reason = ?3, attempts = attempts + 1, updated_ms = ?4,
                 user_id = CASE WHEN ?5 THEN NULL ELSE user_id END
             WHERE row = ?1",
            params![row, state, reason, now_ms as i64, done],
        )?;
        Ok(())
    }

    /// Every upstream deletion's state (never its UID), oldest first.
    pub fn upstream_deletions(&self) -> rusqlite::Result<Vec<UpstreamDeletion>> {
        let mut stmt = self.db.prepare_cached(
            "SELECT row, state, reason, attempts, created_ms, updated_ms
             FROM upstream_deletions ORDER BY row",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(UpstreamDeletion {
                row: r.get(0)?,
                state: r.get(1)?,
                reason: r.get(2)?,
                attempts: r.get(3)?,
                created_ms: r.get(4)?,
                updated_ms: r.get(5)?,
            })
        })?;
        rows.collect()
    }
}
