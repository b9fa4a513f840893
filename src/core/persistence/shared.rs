//! The store the tabs of one browser share (`localStorage`), and who writes what in it. Memory
//! is the truth; storage is its cache, so that a reload, a closed tab or another tab carries on:
//!
//! - One tab sends at a time (the edge elects it: the Web Lock `meili-telemetry.sender`). Its
//!   outbox is written to [`QUEUE_KEY`] after every change, by it alone; it reads that key only
//!   when it becomes the sender (merging, never replacing what it holds).
//! - The other tabs hand their sealed messages over in write-once keys under
//!   [`HANDOVER_PREFIX`]; a page being hidden parks its aggregates, still mergeable, under
//!   [`PARKED_PREFIX`]. The sender claims both.
//! - Each page writes its own counters under [`STATS_PREFIX`]`<tab>`; the sender folds those of
//!   pages that are gone into `…past`, so totals survive reloads.
//!
//! A write that fails loses nothing: what could not be stored stays in memory (and is counted
//! in `storageFailures`).

use crate::prelude::*;

use super::{HANDOVER_PREFIX, PARKED_PREFIX, QUEUE_KEY, STATS_PREFIX};
use crate::engine::{Engine, Stats};
use crate::json::decode;
use crate::platform::{Entropy, Storage};

/// Most bytes of queued messages a sender keeps from storage (oldest dropped first, counted
/// under `storage_full`): a few days of a busy dashboard, well inside a browser's 5 MB quota.
pub const MAX_STORED_BYTES: usize = 1_000_000;
/// The key of the counters of pages that are gone.
const PAST_STATS: &str = "past";

/// What became of something a tab tried to store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// There was nothing to store.
    Nothing,
    /// Written: the tab that sends will take it.
    Stored,
    /// The write failed: it stays in this tab's memory.
    Kept,
}

impl Stored {
    pub fn as_str(self) -> &'static str {
        match self {
            Stored::Nothing => "nothing",
            Stored::Stored => "stored",
            Stored::Kept => "kept",
        }
    }
}

/// One page's handle on the shared store: its id (the suffix of its keys) and how many
/// write-once keys it wrote.
#[derive(Debug, Clone)]
pub struct Tab {
    id: String,
    written: u64,
    /// The page is hidden (it parked its aggregates): it leaves its own parked aggregates in
    /// storage until it is shown again or their interval is over, so a hidden page that is
    /// killed without `pagehide` (a discarded tab, a crash) loses nothing.
    hidden: bool,
}

/// The keys under `prefix`, in the store's order (order does not matter: hand-overs join the
/// outbox by `messageId`, parked aggregates merge commutatively).
fn keys_under(storage: &dyn Storage, prefix: &str) -> Vec<String> {
    storage
        .keys()
        .into_iter()
        .filter(|k| k.starts_with(prefix))
        .collect()
}

impl Tab {
    /// A page with a fresh id (12 hex digits from `entropy`); `None` without entropy.
    pub fn new(entropy: &mut dyn Entropy) -> Option<Tab> {
        let mut bytes = [0u8; 6];
        if !entropy.fill(&mut bytes) {
            return None;
        }
        let mut id = String::with_capacity(12);
        for byte in bytes {
            crate::text::push_hex(&mut id, u32::from(byte), 2);
        }
        Some(Tab {
            id,
            written: 0,
            hidden: false,
        })
    }

    /// This page's id (the Web Lock `meili-telemetry.tab.<id>` says it is alive).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The page is visible again: its parked aggregates are claimed back on the next turn.
    pub fn shown(&mut self) {
        self.hidden = false;
    }

    fn next_key(&mut self, prefix: &str) -> String {
        self.written += 1;
        [prefix, &self.id, ".", &crate::text::int(self.written)].concat()
    }

    fn write(storage: &mut dyn Storage, engine: &mut Engine, key: &str, value: &str) -> bool {
        let written = storage.write(key, value).is_ok();
        if !written {
            engine.count_storage_failure();
        }
        written
    }

    /// Writes the sender's outbox and this page's counters (nothing while collection is off).
    /// Returns whether the outbox was stored.
    pub fn save_queue(&self, storage: &mut dyn Storage, engine: &mut Engine) -> bool {
        if !engine.is_enabled() {
            return false;
        }
        let queue = engine.export_outbox();
        let stored = Self::write(storage, engine, QUEUE_KEY, &queue);
        self.save_stats(storage, engine);
        stored
    }

    /// Writes this page's counters (nothing while collection is off).
    pub fn save_stats(&self, storage: &mut dyn Storage, engine: &mut Engine) {
        if engine.is_enabled() {
            let stats = crate::json::write(engine.stats());
            Self::write(storage, engine, &[STATS_PREFIX, &self.id].concat(), &stats);
        }
    }

    /// This page becomes the sender: the queue the previous sender stored is merged into what
    /// this page holds, then every hand-over and parked aggregate is claimed.
    pub fn take_over(
        &mut self,
        storage: &mut dyn Storage,
        engine: &mut Engine,
        now_ms: u64,
        entropy: &mut dyn Entropy,
    ) {
        if let Some(queue) = storage.read(QUEUE_KEY) {
            let _ = engine.import_outbox(&queue, MAX_STORED_BYTES);
        }
        self.claim(storage, engine, now_ms, entropy);
    }

    /// The sender claims what the other pages stored: hand-overs join the outbox (by
    /// `messageId`: a copy read twice is not sent twice); parked aggregates merge into this
    /// interval's (or are sealed, when their interval is over). Then the queue is stored, and
    /// the hand-overs it now holds are removed. Returns how many keys were claimed.
    pub fn claim(
        &mut self,
        storage: &mut dyn Storage,
        engine: &mut Engine,
        now_ms: u64,
        entropy: &mut dyn Entropy,
    ) -> usize {
        if !engine.is_enabled() {
            return 0;
        }
        let handovers = keys_under(storage, HANDOVER_PREFIX);
        for key in &handovers {
            if let Some(text) = storage.read(key) {
                let _ = engine.import_outbox(&text, MAX_STORED_BYTES);
            }
        }
        let own = [PARKED_PREFIX, &self.id, "."].concat();
        let mut parked = keys_under(storage, PARKED_PREFIX);
        parked.retain(|key| {
            let Some(text) = storage.read(key) else {
                return false;
            };
            if self.hidden && key.starts_with(&own) && !engine.parked_is_due(&text, now_ms) {
                return false; // still this hidden page's, safe in storage
            }
            // Removed before it is merged: parked aggregates are counts, never merged twice.
            storage.remove(key);
            engine.absorb_parked(&text, now_ms, entropy);
            true
        });
        if self.save_queue(storage, engine) {
            handovers.iter().for_each(|key| storage.remove(key));
        }
        handovers.len() + parked.len()
    }

    /// A page that does not send hands its sealed messages over (sealing its aggregates first);
    /// if the write fails they go back into its outbox.
    pub fn hand_over(
        &mut self,
        storage: &mut dyn Storage,
        engine: &mut Engine,
        now_ms: u64,
        entropy: &mut dyn Entropy,
    ) -> Stored {
        let Some(text) = engine.hand_over(now_ms, entropy) else {
            return Stored::Nothing;
        };
        let key = self.next_key(HANDOVER_PREFIX);
        if Self::write(storage, engine, &key, &text) {
            self.save_stats(storage, engine);
            return Stored::Stored;
        }
        let _ = engine.import_outbox(&text, usize::MAX);
        Stored::Kept
    }

    /// A page being hidden parks its aggregates, still mergeable; if the write fails they stay
    /// in memory.
    pub fn park(&mut self, storage: &mut dyn Storage, engine: &mut Engine) -> Stored {
        let Some(text) = engine.park_aggregates() else {
            return Stored::Nothing;
        };
        self.hidden = true;
        let key = self.next_key(PARKED_PREFIX);
        if Self::write(storage, engine, &key, &text) {
            self.save_stats(storage, engine);
            return Stored::Stored;
        }
        engine.restore_parked(&text);
        Stored::Kept
    }

    /// The counters of every page this browser ran (those gone, those open, this one as it is
    /// now); `None` when nothing of them could be read (no storage).
    pub fn totals(&self, storage: &dyn Storage, engine: &Engine) -> Option<Stats> {
        let own = [STATS_PREFIX, &self.id].concat();
        let mut totals = engine.stats().clone();
        let mut read_any = storage.read(&own).is_some();
        for key in keys_under(storage, STATS_PREFIX) {
            if key == own {
                continue;
            }
            if let Some(stats) = storage.read(&key).as_deref().and_then(decode::<Stats>) {
                totals.add(&stats);
                read_any = true;
            }
        }
        read_any.then_some(totals)
    }

    /// Folds the counters of pages that are gone (not in `live`, the ids of the pages holding
    /// their tab lock) into `…past`. Run by the sender only, so `…past` has one writer.
    pub fn fold_past_stats(&self, storage: &mut dyn Storage, engine: &mut Engine, live: &[String]) {
        let past_key = [STATS_PREFIX, PAST_STATS].concat();
        let gone: Vec<String> = keys_under(storage, STATS_PREFIX)
            .into_iter()
            .filter(|key| {
                let id = &key[STATS_PREFIX.len()..];
                id != PAST_STATS && id != self.id && !live.iter().any(|l| l == id)
            })
            .collect();
        if gone.is_empty() || !engine.is_enabled() {
            return;
        }
        let mut past = storage
            .read(&past_key)
            .as_deref()
            .and_then(decode::<Stats>)
            .unwrap_or_default();
        for key in &gone {
            if let Some(stats) = storage.read(key).as_deref().and_then(decode::<Stats>) {
                past.add(&stats);
            }
        }
        if Self::write(storage, engine, &past_key, &crate::json::write(&past)) {
            gone.iter().for_each(|key| storage.remove(key));
        }
    }
}
