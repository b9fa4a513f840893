//! The engine's counters ([`Stats`]) and their published form: the object `stats()` returns in
//! JS, whose zero value the package's front also answers before the engine has loaded.

use crate::collections::Tally;
use crate::delivery::LossReason;
use crate::error::RecordErrorKind;
use crate::json::{Json, Value};

/// Counters a host can show and test: what was recorded, rejected, sent and lost.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Recording calls (and observed requests) accepted.
    pub recorded: u64,
    /// Observed requests whose route feeds no event (e.g. `GET /health`).
    pub ignored_requests: u64,
    /// Recording calls rejected, by reason.
    pub rejected: Tally<RecordErrorKind>,
    /// Messages sealed from aggregates (each then delivered once, or lost with a reason).
    pub sealed: u64,
    /// Messages the collector acknowledged.
    pub delivered: u64,
    /// Upload attempts that did not get a 2xx.
    pub failed_uploads: u64,
    /// Messages lost, by reason (oversize, too old, rejected, storage full, purged, blocked).
    pub lost: Tally<LossReason>,
    /// Aggregates dropped because they emitted a value the catalog forbids (a bug, never
    /// expected: nothing outside the catalog is ever sent).
    pub dropped_invalid: u64,
    /// Recording calls and requests discarded because collection was off.
    pub discarded_while_disabled: u64,
    /// Times the platform had no entropy for a `messageId` (the aggregates were kept).
    pub entropy_unavailable: u64,
    /// Upload answers that arrived after the outbox was emptied (collection turned off, data
    /// deleted): discarded, nothing written.
    pub outcomes_discarded: u64,
    /// Storage reads or writes that failed (full, disabled, throwing): what memory holds is kept.
    pub storage_failures: u64,
    /// Deletion requests the collector refused for good (a 4xx): given up, never retried.
    pub deletions_refused: u64,
}

impl Stats {
    /// The counters as the JS `stats()` object spells them (camelCase; every rejection kind and
    /// loss reason present, zero or not).
    pub fn to_value(&self) -> Value {
        let mut rejected = Value::object();
        for kind in RecordErrorKind::ALL {
            rejected.insert(kind.as_str(), count(self.rejected.get(&kind)));
        }
        let mut lost = Value::object();
        for reason in LossReason::ALL {
            lost.insert(reason.as_str(), count(self.lost.get(&reason)));
        }
        let mut out = Value::object();
        out.insert("recorded", count(self.recorded));
        out.insert("sealed", count(self.sealed));
        out.insert("rejected", rejected);
        out.insert("delivered", count(self.delivered));
        out.insert("failedUploads", count(self.failed_uploads));
        out.insert("lost", lost);
        out.insert("entropyUnavailable", count(self.entropy_unavailable));
        out.insert("ignoredRequests", count(self.ignored_requests));
        out.insert("droppedInvalid", count(self.dropped_invalid));
        out.insert(
            "discardedWhileDisabled",
            count(self.discarded_while_disabled),
        );
        out.insert("outcomesDiscarded", count(self.outcomes_discarded));
        out.insert("storageFailures", count(self.storage_failures));
        out.insert("deletionsRefused", count(self.deletions_refused));
        out
    }

    /// Counters read back from [`Stats::to_value`]'s form (a page's stored counters); fields
    /// that are missing or not counts read as 0, unknown ones are ignored.
    pub fn from_value(value: &Json) -> Stats {
        let get = |key: &str| match value.get(key) {
            Some(Json::Int(n)) => u64::try_from(*n).unwrap_or(0),
            _ => 0,
        };
        let count_in = |key: &str, name: &str| match value.get(key).and_then(|v| v.get(name)) {
            Some(Json::Int(n)) => u64::try_from(*n).unwrap_or(0),
            _ => 0,
        };
        let mut stats = Stats {
            recorded: get("recorded"),
            ignored_requests: get("ignoredRequests"),
            sealed: get("sealed"),
            delivered: get("delivered"),
            failed_uploads: get("failedUploads"),
            dropped_invalid: get("droppedInvalid"),
            discarded_while_disabled: get("discardedWhileDisabled"),
            entropy_unavailable: get("entropyUnavailable"),
            outcomes_discarded: get("outcomesDiscarded"),
            storage_failures: get("storageFailures"),
            deletions_refused: get("deletionsRefused"),
            ..Stats::default()
        };
        for kind in RecordErrorKind::ALL {
            match count_in("rejected", kind.as_str()) {
                0 => {}
                n => stats.rejected.add(&kind, n),
            }
        }
        for reason in LossReason::ALL {
            match count_in("lost", reason.as_str()) {
                0 => {}
                n => stats.lost.add(&reason, n),
            }
        }
        stats
    }

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

fn count(n: u64) -> Value {
    Value::Int(i64::try_from(n).unwrap_or(i64::MAX))
}
