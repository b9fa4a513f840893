//! The collector's embedded database (SQLite through `rusqlite`, bundled): accepted messages,
//! idempotent by `messageId`; the outbound queue to an upstream; a record that deletions
//! happened (never whose). Deleted rows are overwritten, not just unlinked. Writes are committed with `synchronous=FULL` in WAL mode before the
//! HTTP answer, so a 2xx survives a crash of the process.

use super::validate::ValidMessage;
use meili_telemetry::catalog::EventKind;
use meili_telemetry::json::Value;
use rusqlite::{params, Connection, OptionalExtension};
use std::path::Path;

/// One stored message, as the read API returns it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredMessage {
    pub row: i64,
    pub message_id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub event: String,
    pub user_id: String,
    pub timestamp: Option<String>,
    pub received_at: String,
    pub properties: Value,
}

/// Filters of the read API.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub event: Option<String>,
    pub user_id: Option<String>,
    /// Received at or after (RFC 3339, compared as text).
    pub from: Option<String>,
    /// Received before.
    pub to: Option<String>,
    /// Rows after this one (pagination cursor).
    pub after: i64,
    pub limit: u32,
}

pub struct Store {
    pub(super) db: Connection,
    /// The key of the tombstones' keyed hash, drawn once per database (`erasure.rs`).
    pub(super) tombstone_key: [u8; 32],
}

impl Store {
    /// Opens (creating) the database at `path`; `:memory:` for a throwaway one.
    pub fn open(path: &Path) -> rusqlite::Result<Self> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            let _ = std::fs::create_dir_all(dir);
        }
        let db = Connection::open(path)?;
        db.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = FULL;
             PRAGMA secure_delete = ON;
             CREATE TABLE IF NOT EXISTS messages (
               row INTEGER PRIMARY KEY AUTOINCREMENT,
               message_id TEXT NOT NULL UNIQUE,
               user_id TEXT NOT NULL,
               kind TEXT NOT NULL,
               event TEXT NOT NULL,
               timestamp TEXT,
               received_at TEXT NOT NULL,
               properties TEXT NOT NULL
             );
             CREATE INDEX IF NOT EXISTS messages_user ON messages (user_id);
             CREATE INDEX IF NOT EXISTS messages_event ON messages (event);
             CREATE TABLE IF NOT EXISTS outbound (
               row INTEGER PRIMARY KEY AUTOINCREMENT,
               message_id TEXT NOT NULL UNIQUE,
               created_ms INTEGER NOT NULL,
               json TEXT NOT NULL
             );
             CREATE TABLE IF NOT EXISTS deletions (
               row INTEGER PRIMARY KEY AUTOINCREMENT,
               requested_at TEXT NOT NULL,
               deleted_rows INTEGER NOT NULL
             );",
        )?;
        super::erasure::create_tables(&db)?;
        let tombstone_key = super::erasure::tombstone_key(&db)?;
        Ok(Self { db, tombstone_key })
    }

    /// Stores the messages in one transaction; returns, for each, whether it was new (false: a
    /// duplicate `messageId`, stored once already). `outbound`: also queue them for an upstream.
    /// The caller first drops the messages of deleted UIDs ([`Store::deleted_users`]), under the
    /// same lock.
    pub fn insert(
        &mut self,
        messages: &[ValidMessage],
        received_at: &str,
        outbound: Option<(u64, &[String])>,
    ) -> rusqlite::Result<Vec<bool>> {
        let tx = self.db.transaction()?;
        let mut fresh = Vec::with_capacity(messages.len());
        {
            let mut insert = tx.prepare_cached(
                "INSERT OR IGNORE INTO messages (message_id, user_id, kind, event, timestamp, received_at, properties)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            let mut queue = tx.prepare_cached(
                "INSERT OR IGNORE INTO outbound (message_id, created_ms, json) VALUES (?1, ?2, ?3)",
            )?;
            for (i, m) in messages.iter().enumerate() {
                let kind = match m.kind {
                    EventKind::Track => "track",
                    EventKind::Identify => "identify",
                };
                let n = insert.execute(params![
                    m.message_id,
                    m.user_id,
                    kind,
                    m.event,
                    m.timestamp,
                    received_at,
                    m.properties.to_json()
                ])?;
                if n == 1 {
                    if let Some((now_ms, jsons)) = outbound {
                        queue.execute(params![m.message_id, now_ms as i64, jsons[i]])?;
                    }
                }
                fresh.push(n == 1);
            }
        }
        tx.commit()?;
        Ok(fresh)
    }

    /// Erases every message of `user_id` (and its queued forwards); records that a deletion
    /// happened and how many rows it removed, not whose; leaves a tombstone (a keyed hash of
    /// the UID) that refuses its late arrivals; and, with `forward_upstream`, queues the
    /// deletion for the upstream — all in one commit. Returns the count.
    pub fn delete_user(
        &mut self,
        user_id: &str,
        requested_at: &str,
        now_ms: u64,
        forward_upstream: bool,
    ) -> rusqlite::Result<usize> {
        let hash = self.tombstone_hash(user_id);
        let tx = self.db.transaction()?;
        let ids: Vec<String> = {
            let mut stmt = tx.prepare("SELECT message_id FROM messages WHERE user_id = ?1")?;
            let rows = stmt.query_map([user_id], |r| r.get(0))?;
            rows.collect::<Result<_, _>>()?
        };
        for id in &ids {
            tx.execute("DELETE FROM outbound WHERE message_id = ?1", [id])?;
        }
        let n = tx.execute("DELETE FROM messages WHERE user_id = ?1", [user_id])?;
        tx.execute(
            "INSERT INTO deletions (requested_at, deleted_rows) VALUES (?1, ?2)",
            params![requested_at, n as i64],
        )?;
        super::erasure::bury(&tx, &hash, now_ms, user_id, forward_upstream)?;
        tx.commit()?;
        // Erased, not just unlinked: `secure_delete` zeroes the freed pages, and the checkpoint
        // truncates the write-ahead log that still held the old pages.
        self.db
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(n)
    }

    /// Stored messages matching `query`, oldest first.
    pub fn query(&self, query: &Query) -> rusqlite::Result<Vec<StoredMessage>> {
        let mut stmt = self.db.prepare_cached(
            "SELECT row, message_id, user_id, kind, event, timestamp, received_at, properties FROM messages
             WHERE row > ?1 AND (?2 IS NULL OR event = ?2) AND (?3 IS NULL OR user_id = ?3)
               AND (?4 IS NULL OR received_at >= ?4) AND (?5 IS NULL OR received_at < ?5)
             ORDER BY row LIMIT ?6",
        )?;
        let rows = stmt.query_map(
            params![
                query.after,
                query.event,
                query.user_id,
                query.from,
                query.to,
                query.limit
            ],
            |r| {
                let properties: String = r.get(7)?;
                Ok(StoredMessage {
                    row: r.get(0)?,
                    message_id: r.get(1)?,
                    user_id: r.get(2)?,
                    kind: r.get(3)?,
                    event: r.get(4)?,
                    timestamp: r.get(5)?,
                    received_at: r.get(6)?,
                    properties: meili_telemetry::json::parse(&properties).unwrap_or(Value::Null),
                })
            },
        )?;
        rows.collect()
    }

    /// How many messages are stored, and how many deletions happened.
    pub fn counts(&self) -> rusqlite::Result<(i64, i64)> {
        let messages = self
            .db
            .query_row("SELECT COUNT(*) FROM messages", [], |r| r.get(0))?;
        let deletions = self
            .db
            .query_row("SELECT COUNT(*) FROM deletions", [], |r| r.get(0))?;
        Ok((messages, deletions))
    }

    /// The oldest queued forwards, up to `max_bytes` of JSON: `(row, message_id, json, created_ms)`.
    pub fn outbound(&self, max_bytes: usize) -> rusqlite::Result<Vec<(i64, String, String, u64)>> {
        let mut stmt = self.db.prepare_cached(
            "SELECT row, message_id, json, created_ms FROM outbound ORDER BY row LIMIT 500",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)? as u64,
            ))
        })?;
        let mut out = Vec::new();
        let mut bytes = 0;
        for row in rows {
            let row = row?;
            bytes += row.2.len() + 1;
            if bytes > max_bytes && !out.is_empty() {
                break;
            }
            out.push(row);
        }
        Ok(out)
    }

    /// Removes forwarded (or abandoned) rows.
    pub fn forwarded(&mut self, rows: &[i64]) -> rusqlite::Result<()> {
        let tx = self.db.transaction()?;
        for row in rows {
            tx.execute("DELETE FROM outbound WHERE row = ?1", [row])?;
        }
        tx.commit()
    }

    /// Whether a message with this id is stored.
    pub fn has(&self, message_id: &str) -> rusqlite::Result<bool> {
        self.db
            .query_row(
                "SELECT 1 FROM messages WHERE message_id = ?1",
                [message_id],
                |_| Ok(()),
            )
            .optional()
            .map(|r| r.is_some())
    }
}
