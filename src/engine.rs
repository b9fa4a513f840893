//! The engine: the pure state machine that ties the pipeline together. It is told the time and
//! given entropy; it records calls into aggregates, seals them into queued messages, hands out
//! upload requests and takes back their outcomes. It performs no I/O.

use crate::aggregate::Aggregates;
use crate::batch::{batch_body, batch_len, Envelope, QueuedMessage};
use crate::config::Config;
use crate::delivery::{UploadOutcome, UploadRequest};
use crate::error::{ConfigError, RecordError, RecordErrorKind};
use crate::identity::{message_id, InstanceUid};
use crate::json::Value;
use crate::observe::{observe, Observer, Request};
use crate::platform::Entropy;
use base64::Engine as _;
use std::collections::BTreeMap;

/// Counters a host can show and test: what was recorded, rejected, sent and lost.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Recording calls (and observed requests) accepted.
    pub recorded: u64,
    /// Observed requests whose route feeds no event (e.g. `GET /health`).
    pub ignored_requests: u64,
    /// Recording calls rejected, by reason.
    pub rejected: BTreeMap<RecordErrorKind, u64>,
    /// Messages the collector acknowledged.
    pub delivered: u64,
    /// Upload attempts that did not get a 2xx.
    pub failed_uploads: u64,
    /// Messages dropped because they exceeded the 32 KB message limit.
    pub dropped_oversize: u64,
    /// Aggregates dropped because they emitted a value the catalog forbids (a bug, never
    /// expected: nothing outside the catalog is ever sent).
    pub dropped_invalid: u64,
    /// Recording calls and requests discarded because collection was off.
    pub discarded_while_disabled: u64,
    /// Times the platform had no entropy for a `messageId` (the aggregates were kept).
    pub entropy_unavailable: u64,
}

/// The engine of one telemetry instance.
#[derive(Debug, Clone)]
pub struct Engine {
    config: Config,
    instance_uid: InstanceUid,
    aggregates: Aggregates,
    queue: Vec<QueuedMessage>,
    /// How many messages at the head of `queue` are in the upload under way (0: none).
    in_flight: usize,
    last_flush_ms: u64,
    stats: Stats,
    /// Whether collection is on (consent); off, nothing is recorded, kept or sent.
    enabled: bool,
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
            queue: Vec::new(),
            in_flight: 0,
            last_flush_ms: now_ms,
            stats: Stats::default(),
            enabled: true,
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
        let observed = observe(request, observer).and_then(|observations| {
            let singles = observations
                .into_iter()
                .map(|o| o.finish(now_ms))
                .collect::<Result<Vec<_>, _>>()?;
            let fed = singles.len();
            singles
                .into_iter()
                .for_each(|single| self.aggregates.add(single));
            Ok(fed)
        });
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
        self.aggregates.clear();
        self.queue.clear();
        self.in_flight = 0;
        true
    }

    /// The request asking the collector to delete everything stored for this instance UID:
    /// `POST <endpoint>/v1/deletion` with `{"userId":…,"requestedAt":…}`. Allowed while
    /// collection is off (it carries no telemetry).
    pub fn deletion_request(&self, now_ms: u64) -> UploadRequest {
        let mut body = Value::object();
        body.insert("userId", self.instance_uid.to_string().into());
        body.insert("requestedAt", crate::time::rfc3339_millis(now_ms).into());
        UploadRequest {
            url: self.config.endpoint.deletion_url(),
            headers: self.headers(),
            body: body.to_json(),
            message_ids: Vec::new(),
        }
    }

    /// Forgets the instance UID after its data was deleted: a new one is drawn and everything
    /// recorded under the old one is dropped. `false` (nothing changed) without entropy.
    pub fn forget_identity(&mut self, entropy: &mut dyn Entropy) -> bool {
        let Some(uid) = InstanceUid::generate(entropy) else {
            return false;
        };
        self.instance_uid = uid;
        self.aggregates.clear();
        self.queue.clear();
        self.in_flight = 0;
        true
    }

    /// Exactly the messages the next send would carry, as the batch JSON without its `sentAt`
    /// (set when sent): queued messages as they are, then what is being aggregated, sealed as it
    /// would be now, with the `messageId` it will keep. `{"batch":[]}` when nothing is pending or
    /// collection is off.
    pub fn pending(&mut self, entropy: &mut dyn Entropy) -> String {
        let mut messages: Vec<String> = Vec::new();
        if self.enabled {
            messages.extend(self.queue.iter().map(|m| m.json.clone()));
            let uid = self.instance_uid.to_string();
            for aggregate in self.aggregates.in_order_mut() {
                let Some(id) = aggregate
                    .assign_message_id(|| message_id(entropy))
                    .map(str::to_owned)
                else {
                    continue;
                };
                if let Ok(built) = aggregate.to_message() {
                    let envelope = Envelope {
                        user_id: &uid,
                        message_id: &id,
                        timestamp_ms: aggregate.first_recorded_ms(),
                    };
                    let json = built.message(&envelope).to_json();
                    if json.len() <= crate::batch::MAX_MESSAGE_BYTES {
                        messages.push(json);
                    }
                }
            }
        }
        let queued: Vec<QueuedMessage> = messages
            .into_iter()
            .map(|json| QueuedMessage {
                message_id: String::new(),
                json,
            })
            .collect();
        let n = batch_len(&queued);
        let mut out = String::from("{\"batch\":[");
        for (i, message) in queued[..n].iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&message.json);
        }
        out.push_str("]}");
        out
    }

    fn headers(&self) -> Vec<(String, String)> {
        let credentials = format!("{}:", self.config.write_key.as_str());
        let authorization = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(credentials)
        );
        vec![
            ("Content-Type".into(), "application/json".into()),
            ("Authorization".into(), authorization),
        ]
    }

    /// Counts a call rejected before it reached the engine (e.g. unconvertible input at an edge).
    pub fn count_rejection(&mut self, kind: RecordErrorKind) {
        *self.stats.rejected.entry(kind).or_default() += 1;
    }

    /// Whether a send is due: the interval elapsed, or a full batch is waiting.
    pub fn is_due(&self, now_ms: u64) -> bool {
        let has_data = !self.aggregates.is_empty() || !self.queue.is_empty();
        has_data
            && (now_ms.saturating_sub(self.last_flush_ms) >= self.config.flush_interval_ms
                || batch_len(&self.queue) < self.queue.len())
    }

    /// Milliseconds until the next interval send is due.
    pub fn next_due_in_ms(&self, now_ms: u64) -> u64 {
        (self.last_flush_ms + self.config.flush_interval_ms).saturating_sub(now_ms)
    }

    /// Whether nothing is aggregated or queued.
    pub fn is_idle(&self) -> bool {
        self.aggregates.is_empty() && self.queue.is_empty()
    }

    /// Turns the interval's aggregates into queued messages, each with its own `messageId`.
    fn seal(&mut self, entropy: &mut dyn Entropy) {
        if self.aggregates.is_empty() {
            return;
        }
        let uid = self.instance_uid.to_string();
        let mut kept = Aggregates::default();
        for mut aggregate in self.aggregates.drain() {
            let Some(id) = aggregate
                .assign_message_id(|| message_id(entropy))
                .map(str::to_owned)
            else {
                self.stats.entropy_unavailable += 1;
                kept.add(aggregate);
                continue;
            };
            let built = match aggregate.to_message() {
                Ok(built) => built,
                Err(error) => {
                    // Unreachable unless an aggregator emits what the catalog forbids: the
                    // aggregate is dropped and counted rather than sent.
                    self.stats.dropped_invalid += 1;
                    debug_assert!(false, "{error}");
                    continue;
                }
            };
            let envelope = Envelope {
                user_id: &uid,
                message_id: &id,
                timestamp_ms: aggregate.first_recorded_ms(),
            };
            let message = built.message(&envelope);
            match QueuedMessage::new(&id, &message) {
                Ok(queued) => self.queue.push(queued),
                Err(_) => self.stats.dropped_oversize += 1,
            }
        }
        self.aggregates = kept;
    }

    /// Seals what was recorded and returns the next upload, unless one is already under way or
    /// nothing is queued. Call [`Engine::upload_finished`] with its outcome.
    pub fn flush(&mut self, now_ms: u64, entropy: &mut dyn Entropy) -> Option<UploadRequest> {
        self.last_flush_ms = now_ms;
        if !self.enabled || self.in_flight > 0 {
            return None;
        }
        self.seal(entropy);
        let n = batch_len(&self.queue);
        if n == 0 {
            return None;
        }
        self.in_flight = n;
        let headers = self.headers();
        let messages = &self.queue[..n];
        Some(UploadRequest {
            url: self.config.endpoint.batch_url(),
            headers,
            body: batch_body(messages, now_ms),
            message_ids: messages.iter().map(|m| m.message_id.clone()).collect(),
        })
    }

    /// Takes the outcome of the upload under way: delivered messages leave the queue; on failure
    /// they stay, with the same `messageId`, for the next flush.
    pub fn upload_finished(&mut self, outcome: UploadOutcome) {
        let n = std::mem::take(&mut self.in_flight).min(self.queue.len());
        if outcome.is_delivered() {
            self.queue.drain(..n);
            self.stats.delivered += n as u64;
        } else {
            self.stats.failed_uploads += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::fakes::SeededEntropy;

    fn engine() -> (Engine, SeededEntropy) {
        let mut entropy = SeededEntropy::new(42);
        let config = Config::new("http://127.0.0.1:8787", "key").unwrap();
        (Engine::new(config, 0, &mut entropy).unwrap(), entropy)
    }

    #[test]
    fn one_event_becomes_one_segment_batch() {
        let (mut engine, mut entropy) = engine();
        engine.record(1_000, "Dump Created", &Value::Null).unwrap();
        engine.record(2_000, "Dump Created", &Value::Null).unwrap();
        let request = engine.flush(3_000, &mut entropy).unwrap();
        assert_eq!(request.url, "http://127.0.0.1:8787/v1/batch");
        assert!(request
            .headers
            .contains(&("Authorization".into(), "Basic a2V5Og==".into())));
        let uid = engine.instance_uid().to_string();
        let id = &request.message_ids[0];
        assert_eq!(
            request.body,
            format!(
                concat!(
                    r#"{{"batch":[{{"type":"track","event":"Dump Created","properties":{{"user-agent":[],"requests":{{"total_received":2}}}},"#,
                    r#""userId":"{uid}","messageId":"{id}","timestamp":"1970-01-01T00:00:01.000Z","#,
                    r#""context":{{"ip":"0.0.0.0","library":{{"name":"meili-telemetry","version":"{v}"}}}}}}],"#,
                    r#""sentAt":"1970-01-01T00:00:03.000Z"}}"#
                ),
                uid = uid,
                id = id,
                v = env!("CARGO_PKG_VERSION")
            )
        );
    }

    #[test]
    fn failed_uploads_keep_messages_and_ids() {
        let (mut engine, mut entropy) = engine();
        engine.record(0, "Dump Created", &Value::Null).unwrap();
        let first = engine.flush(10, &mut entropy).unwrap();
        assert!(
            engine.flush(11, &mut entropy).is_none(),
            "one upload at a time"
        );
        engine.upload_finished(UploadOutcome::NetworkError);
        let retry = engine.flush(20, &mut entropy).unwrap();
        assert_eq!(first.message_ids, retry.message_ids);
        assert_ne!(first.body, retry.body, "sentAt is per attempt");
        engine.upload_finished(UploadOutcome::Status(200));
        assert!(engine.is_idle());
        assert_eq!(engine.stats().delivered, 1);
        assert_eq!(engine.stats().failed_uploads, 1);
        assert!(engine.flush(30, &mut entropy).is_none());
    }

    #[test]
    fn rejections_are_counted() {
        let (mut engine, _) = engine();
        assert!(engine.record(0, "Nope", &Value::Null).is_err());
        assert!(engine.record(0, "Nope", &Value::Null).is_err());
        assert_eq!(engine.stats().rejected[&RecordErrorKind::UnknownEvent], 2);
        assert_eq!(engine.stats().recorded, 0);
        assert!(engine.is_idle());
    }

    #[test]
    fn turning_off_purges_and_blocks_everything_and_is_idempotent() {
        let (mut engine, mut entropy) = engine();
        engine.record(0, "Dump Created", &Value::Null).unwrap();
        let _ = engine.flush(1, &mut entropy).unwrap(); // in flight
        engine.record(2, "Snapshot Created", &Value::Null).unwrap();
        assert!(engine.set_enabled(false));
        assert!(!engine.set_enabled(false), "idempotent");
        assert!(engine.is_idle(), "aggregates and queue purged");
        engine.upload_finished(UploadOutcome::Status(200)); // the in-flight answer changes nothing
        engine.record(3, "Dump Created", &Value::Null).unwrap();
        assert!(engine.is_idle(), "nothing recorded while off");
        assert!(
            engine.flush(4, &mut entropy).is_none(),
            "no request while off"
        );
        assert_eq!(engine.pending(&mut entropy), r#"{"batch":[]}"#);
        assert_eq!(engine.stats().discarded_while_disabled, 1);
        assert!(engine.set_enabled(true));
        assert!(engine.is_idle(), "on starts clean");
    }

    #[test]
    fn pending_is_exactly_what_the_next_send_carries() {
        let (mut engine, mut entropy) = engine();
        engine.record(10, "Dump Created", &Value::Null).unwrap();
        engine.record(20, "Indexes Swapped", &Value::Null).unwrap();
        let preview = engine.pending(&mut entropy);
        assert_eq!(preview, engine.pending(&mut entropy), "stable");
        let sent = engine.flush(30, &mut entropy).unwrap();
        let without_sent_at = sent.body.split(",\"sentAt\"").next().unwrap().to_owned() + "}";
        assert_eq!(preview, without_sent_at);
    }

    #[test]
    fn deletion_requests_name_the_uid_and_forgetting_draws_a_new_one() {
        let (mut engine, mut entropy) = engine();
        let uid = engine.instance_uid();
        engine.set_enabled(false);
        let request = engine.deletion_request(0);
        assert_eq!(request.url, "http://127.0.0.1:8787/v1/deletion");
        assert_eq!(
            request.body,
            format!(r#"{{"userId":"{uid}","requestedAt":"1970-01-01T00:00:00.000Z"}}"#)
        );
        assert!(engine.forget_identity(&mut entropy));
        assert_ne!(engine.instance_uid(), uid);
    }

    #[test]
    fn due_after_the_interval() {
        let (mut engine, _) = engine();
        assert!(!engine.is_due(u64::MAX), "nothing to send");
        engine.record(5, "Dump Created", &Value::Null).unwrap();
        assert!(!engine.is_due(1_000));
        assert!(engine.is_due(crate::config::DEFAULT_FLUSH_INTERVAL_MS));
    }
}
