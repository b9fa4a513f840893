//! The engine: the pure state machine that ties the pipeline together. It is told the time and
//! given entropy; it records calls into aggregates, seals them into queued messages, hands out
//! upload requests and takes back their outcomes. It performs no I/O. This file holds its state,
//! recording and consent; `send.rs` holds sealing and the send decision; `shared.rs` what moves
//! between instances that share a store (tabs, page loads).

use crate::prelude::*;

mod deletion;
// A server's Identify and `Launched`: the browser never sends them (the wasm's catalog does not
// declare Identify).
#[cfg(feature = "server")]
mod identify;
mod send;
mod shared;
mod stats;
#[cfg(test)]
mod tests;

use crate::aggregate::Aggregates;
use crate::config::Config;
use crate::delivery::{LossReason, Outbox, RetryPolicy, UploadRequest};
use crate::error::{ConfigError, RecordError, RecordErrorKind};
use crate::identity::InstanceUid;
use crate::json::Value;
use crate::observe::{observe, Observer, Request};
use crate::platform::Entropy;

pub use deletion::{DeletionOutcome, PendingDeletion};
#[cfg(feature = "server")]
pub use identify::{InstanceStats, SystemTraits, Traits, TOTAL_LAUNCH_USER};
pub use shared::Absorbed;
pub use stats::Stats;

/// The engine of one telemetry instance.
#[derive(Debug, Clone)]
pub struct Engine {
    config: Config,
    instance_uid: InstanceUid,
    aggregates: Aggregates,
    outbox: Outbox,
    policy: RetryPolicy,
    /// SplitMix64 state for backoff jitter, seeded from entropy (jitter need not be secret).
    jitter: u64,
    last_flush_ms: u64,
    stats: Stats,
    /// Whether collection is on (consent); off, nothing is recorded, kept or sent — but the
    /// deletion owed to the UID that sent data.
    enabled: bool,
    /// The deletion owed, if collection was turned off after data was sent (`deletion.rs`).
    deletion: Option<deletion::PendingDeletion>,
    /// A server's traits and first-run `Launched` (`identify.rs`).
    #[cfg(feature = "server")]
    server: identify::ServerIdentity,
}

impl Engine {
    /// A new engine with a fresh instance UID drawn from `entropy`.
    pub fn new(
        config: Config,
        now_ms: u64,
        entropy: &mut dyn Entropy,
    ) -> Result<Self, ConfigError> {
        let uid = InstanceUid::generate(entropy).ok_or_else(|| {
            ConfigError::new(
                "entropy",
                "the platform provides no random numbers (crypto.getRandomValues / getrandom), which the instance UID needs",
            )
        })?;
        Ok(Self::with_instance_uid(config, now_ms, uid))
    }

    /// A new engine for a known instance UID.
    pub fn with_instance_uid(config: Config, now_ms: u64, instance_uid: InstanceUid) -> Self {
        Self {
            config,
            instance_uid,
            aggregates: Aggregates::default(),
            outbox: Outbox::default(),
            policy: RetryPolicy::default(),
            jitter: now_ms ^ 0x5DEE_CE66_D1CE_4E5B,
            last_flush_ms: now_ms,
            stats: Stats::default(),
            enabled: true,
            deletion: None,
            #[cfg(feature = "server")]
            server: identify::ServerIdentity::default(),
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn instance_uid(&self) -> InstanceUid {
        self.instance_uid
    }

    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// Records one call of `event` with a property bag (an object of catalog paths to values, or
    /// null). Rejected calls are counted by reason and change nothing else.
    pub fn record(
        &mut self,
        now_ms: u64,
        event: &str,
        properties: &Value,
    ) -> Result<(), RecordError> {
        if !self.enabled {
            self.stats.discarded_while_disabled += 1;
            return Ok(());
        }
        match self.aggregates.record(now_ms, event, properties) {
            Ok(()) => {
                self.stats.recorded += 1;
                Ok(())
            }
            Err(error) => {
                self.count_rejection(error.kind);
                Err(error)
            }
        }
    }

    /// Observes one raw Meilisearch request (see [`crate::observe`]): its contributions merge
    /// into their events' aggregates. Returns how many events it fed (0 for a route that feeds
    /// none, counted in `ignored_requests`). Rejected requests are counted by reason.
    pub fn observe(
        &mut self,
        now_ms: u64,
        request: &Request,
        observer: Observer,
    ) -> Result<usize, RecordError> {
        if !self.enabled {
            self.stats.discarded_while_disabled += 1;
            return Ok(0);
        }
        let observed = observe(request, observer, now_ms, &mut self.aggregates);
        match observed {
            Ok(0) => self.stats.ignored_requests += 1,
            Ok(_) => self.stats.recorded += 1,
            Err(ref error) => self.count_rejection(error.kind),
        }
        observed
    }

    /// Whether collection is on.
    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    /// Turns collection on or off; returns whether that changed anything. Off stops recording at
    /// once and forgets every aggregate and queued message (the edge purges its storage too); on
    /// starts clean. Idempotent.
    pub fn set_enabled(&mut self, enabled: bool) -> bool {
        if self.enabled == enabled {
            return false;
        }
        self.enabled = enabled;
        if !enabled {
            let purged = self.outbox.clear() + self.aggregates.drain().len();
            if purged > 0 {
                self.stats
                    .lost
                    .add(&LossReason::PurgedByOptOut, purged as u64);
            }
            #[cfg(feature = "server")]
            {
                self.server = identify::ServerIdentity::default();
            }
        }
        self.aggregates.clear();
        self.outbox.clear();
        true
    }

    /// The request asking the collector to delete everything stored for this installation:
    /// `POST <endpoint>/v1/deletion` with `{"userId":…,"requestedAt":…}`, for the UID whose
    /// deletion is owed if there is one, else the current UID. Allowed while collection is off
    /// (it carries no telemetry).
    pub fn deletion_request(&self, now_ms: u64) -> UploadRequest {
        self.deletion_request_for(self.deletion_target(), now_ms)
    }

    /// Forgets the instance UID after its data was deleted: a new one is drawn and everything
    /// recorded under the old one is dropped. `false` (nothing changed) without entropy.
    pub fn forget_identity(&mut self, entropy: &mut dyn Entropy) -> bool {
        let Some(uid) = InstanceUid::generate(entropy) else {
            return false;
        };
        self.instance_uid = uid;
        self.aggregates.clear();
        self.outbox.clear();
        self.deletion = None;
        true
    }

    pub(crate) fn headers(&self) -> Vec<(String, String)> {
        let authorization = crate::basic_auth::basic_authorization(self.config.write_key.as_str());
        vec![
            ("Content-Type".into(), "application/json".into()),
            ("Authorization".into(), authorization),
        ]
    }

    /// Counts a call rejected before it reached the engine (e.g. unconvertible input at an edge).
    pub fn count_rejection(&mut self, kind: RecordErrorKind) {
        self.stats.rejected.add(&kind, 1);
    }

    /// How many sealed messages wait in the outbox (in flight included).
    pub fn queued(&self) -> usize {
        self.outbox.len()
    }

    /// Whether nothing is aggregated or queued.
    pub fn is_idle(&self) -> bool {
        self.aggregates.is_empty() && self.outbox.is_empty()
    }

    /// The retry policy in use.
    pub fn policy(&self) -> &RetryPolicy {
        &self.policy
    }

    /// Replaces the retry policy (backoff base and cap, maximum age, `Retry-After` cap).
    pub fn set_policy(&mut self, policy: RetryPolicy) {
        self.policy = policy;
    }

    /// Counts a storage read or write that failed (what memory holds is kept).
    pub fn count_storage_failure(&mut self) {
        self.stats.storage_failures += 1;
    }

    /// Counts a loss detected at an edge (e.g. storage refusing a write).
    pub(crate) fn count_loss(&mut self, reason: LossReason, n: u64) {
        self.stats.lost.add(&reason, n);
    }
}
