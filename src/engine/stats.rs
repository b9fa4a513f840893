//! The engine's counters ([`Stats`]) and their published form: the object `stats()` returns in
//! JS, whose zero value the package's front also answers before the engine has loaded.

use crate::collections::Tally;
use crate::delivery::LossReason;
use crate::error::RecordErrorKind;
use crate::json::Value;

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
        out
    }
}

fn count(n: u64) -> Value {
    Value::Int(i64::try_from(n).unwrap_or(i64::MAX))
}
