//! What the engine gives up and takes back when several instances share one store (the tabs of
//! a browser, and its page loads): the outbox's persisted form, sealed messages handed over to
//! the instance that sends, and aggregates parked while a page is hidden, still mergeable. Which
//! key holds what, and who writes it, is `persistence::shared`'s; this file only converts.

use crate::prelude::*;

use super::Engine;
use crate::aggregate::Aggregates;
use crate::delivery::export_messages;
use crate::json::Json;
use crate::platform::Entropy;
use serde::{Deserialize, Serialize};

/// What [`Engine::absorb_parked`] did with parked aggregates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Absorbed {
    /// Their interval is not over: merged into this one's aggregates.
    Merged,
    /// Their interval is over: sealed at once, ready to send.
    Sealed,
    /// Not a parked form (or collection is off): nothing taken.
    Ignored,
}

impl Engine {
    /// Seals the aggregates and moves every message that is not in flight out of the outbox,
    /// in their persisted form (a tab handing its messages to the one that sends); `None` when
    /// there is nothing to hand over (or collection is off).
    pub fn hand_over(&mut self, now_ms: u64, entropy: &mut dyn Entropy) -> Option<String> {
        if !self.enabled {
            return None;
        }
        self.last_flush_ms = now_ms;
        self.seal(now_ms, entropy);
        let messages = self.outbox.take_not_in_flight();
        (!messages.is_empty()).then(|| export_messages(messages))
    }

    /// The outbox's persisted form (messages, retry state, recently delivered ids).
    pub(crate) fn export_outbox(&self) -> String {
        self.outbox.export()
    }

    /// Merges a persisted outbox (or a tab's handed-over messages) into this one: messages are
    /// added by `messageId` (never replacing what memory holds), the later retry time is kept.
    /// Returns how many messages were new. Bounded by `max_bytes` (oldest dropped first,
    /// counted). `None` if unreadable.
    pub(crate) fn import_outbox(&mut self, text: &str, max_bytes: usize) -> Option<usize> {
        if !self.enabled {
            return Some(0);
        }
        let added = self.outbox.import(text)?;
        self.outbox.bound(max_bytes, &mut self.stats.lost);
        Some(added)
    }

    /// Takes the aggregates out (a page being hidden), in their persisted form with the end of
    /// the interval they belong to (when this instance would send them):
    /// `{"intervalEnd":…,"aggregates":[…]}`. `None` when there
    /// are none (or collection is off). Give them back with [`Engine::restore_parked`] if they
    /// could not be stored.
    pub(crate) fn park_aggregates(&mut self) -> Option<String> {
        if !self.enabled || self.aggregates.is_empty() {
            return None;
        }
        let parked = crate::json::write(&Parked {
            interval_end: self.last_flush_ms + self.config.flush_interval_ms,
            aggregates: self.aggregates.persisted(),
        });
        self.aggregates.clear();
        Some(parked)
    }

    /// Merges parked aggregates back whatever their interval (their store refused them).
    pub(crate) fn restore_parked(&mut self, text: &str) -> bool {
        match read_parked(text) {
            Some((_, aggregates)) if self.enabled => {
                self.merge_aggregates(aggregates);
                true
            }
            _ => false,
        }
    }

    /// Takes parked aggregates (this instance's, another tab's, or a closed page's): merged
    /// into the current interval when theirs is not over yet (one summary per event and
    /// interval), else sealed now, to be sent at once (their page would have sent them by now).
    pub(crate) fn absorb_parked(
        &mut self,
        text: &str,
        now_ms: u64,
        entropy: &mut dyn Entropy,
    ) -> Absorbed {
        let Some((interval_end, aggregates)) = read_parked(text).filter(|_| self.enabled) else {
            return Absorbed::Ignored;
        };
        if interval_end > now_ms {
            self.merge_aggregates(aggregates);
            return Absorbed::Merged;
        }
        let kept = self.seal_these(aggregates, now_ms, entropy);
        self.merge_aggregates(kept);
        Absorbed::Sealed
    }

    /// Whether parked aggregates belong to an interval that is over (they are sent at once).
    pub(crate) fn parked_is_due(&self, text: &str, now_ms: u64) -> bool {
        crate::json::text::parse_at::<Parked>(text)
            .is_ok_and(|parked| parked.interval_end <= now_ms)
    }

    fn merge_aggregates(&mut self, mut aggregates: Aggregates) {
        for aggregate in aggregates.drain() {
            self.aggregates.add(aggregate);
        }
    }

    /// Takes the identity another instance drew after its data was deleted: everything recorded
    /// under the old one is dropped. `false` when `uid` is not a UID (nothing changed).
    pub fn adopt_identity(&mut self, uid: &str) -> bool {
        let Some(uid) = crate::identity::InstanceUid::parse(uid) else {
            return false;
        };
        if uid != self.instance_uid {
            self.instance_uid = uid;
            self.aggregates.clear();
            self.outbox.clear();
        }
        true
    }
}

/// Aggregates parked by a hidden page: `{"intervalEnd":…,"aggregates":…}` (the aggregates in
/// their exact persisted form, `aggregate::persisted`).
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Parked<'a> {
    interval_end: u64,
    #[serde(borrow)]
    aggregates: Json<'a>,
}

fn read_parked(text: &str) -> Option<(u64, Aggregates)> {
    let parked: Parked = crate::json::text::parse_at(text).ok()?;
    Some((
        parked.interval_end,
        Aggregates::from_persisted(&parked.aggregates)?,
    ))
}
