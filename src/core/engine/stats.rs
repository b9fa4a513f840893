//! The engine's counters ([`Stats`]) and their published form: the object `stats()` returns in
//! JS (its serde form), whose zero value the package's front also answers before the engine has loaded.

use crate::collections::Tally;
use crate::delivery::LossReason;
use crate::error::RecordErrorKind;
use crate::words::every_word;
use serde::{Deserialize, Serialize};

/// Counters a host can show and test: what was recorded, rejected, sent and lost. Serialized as
/// the JS `stats()` object spells them (camelCase; every rejection kind and loss reason present,
/// zero or not); read back ignoring what is missing or unknown (a page's stored counters).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Stats {
    /// Recording calls (and observed requests) accepted.
    pub recorded: u64,
    /// Messages sealed from aggregates (each then delivered once, or lost with a reason).
    pub sealed: u64,
    /// Recording calls rejected, by reason.
    #[serde(with = "every_word")]
    pub rejected: Tally<RecordErrorKind>,
    /// Messages the collector acknowledged.
    pub delivered: u64,
    /// Upload attempts that did not get a 2xx.
    pub failed_uploads: u64,
    /// Messages lost, by reason (oversize, too old, rejected, storage full, purged, blocked).
    #[serde(with = "every_word")]
    pub lost: Tally<LossReason>,
    /// Times the platform had no entropy for a `messageId` (the aggregates were kept).
    pub entropy_unavailable: u64,
    /// Observed requests whose route feeds no event (e.g. `GET /health`).
    pub ignored_requests: u64,
    /// Aggregates dropped because they emitted a value the catalog forbids (a bug, never
    /// expected: nothing outside the catalog is ever sent).
    pub dropped_invalid: u64,
    /// Recording calls and requests discarded because collection was off.
    pub discarded_while_disabled: u64,
    /// Upload answers that arrived after the outbox was emptied (collection turned off, data
    /// deleted): discarded, nothing written.
    pub outcomes_discarded: u64,
    /// Storage reads or writes that failed (full, disabled, throwing): what memory holds is kept.
    pub storage_failures: u64,
    /// Deletion requests the collector refused for good (a 4xx): given up, never retried.
    pub deletions_refused: u64,
}

impl Stats {
    /// Adds every counter of `other` (totals over pages).
    pub fn add(&mut self, other: &Stats) {
        let sum = |a: &mut u64, b: u64| *a = a.saturating_add(b);
        sum(&mut self.recorded, other.recorded);
        sum(&mut self.ignored_requests, other.ignored_requests);
        sum(&mut self.sealed, other.sealed);
        sum(&mut self.delivered, other.delivered);
        sum(&mut self.failed_uploads, other.failed_uploads);
        sum(&mut self.dropped_invalid, other.dropped_invalid);
        sum(
            &mut self.discarded_while_disabled,
            other.discarded_while_disabled,
        );
        sum(&mut self.entropy_unavailable, other.entropy_unavailable);
        sum(&mut self.outcomes_discarded, other.outcomes_discarded);
        sum(&mut self.storage_failures, other.storage_failures);
        sum(&mut self.deletions_refused, other.deletions_refused);
        self.rejected.merge(other.rejected.clone());
        self.lost.merge(other.lost.clone());
    }
}
