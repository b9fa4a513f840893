//! The engine's send path: sealing aggregates into messages, deciding what to do next (send,
//! wait or idle) under the retry policy, applying upload outcomes, and previewing the next batch.

use crate::prelude::*;

use super::Engine;
use crate::aggregate::Aggregates;
use crate::batch::{batch_body, batch_len, Envelope, QueuedMessage, MAX_BATCH_BYTES};
use crate::delivery::{Action, LossReason, UploadOutcome, UploadRequest};
use crate::identity::message_id;
use crate::platform::Entropy;

impl Engine {
    /// Turns the aggregates into queued messages in the outbox, each with its own `messageId`,
    /// after what a server owes the interval (`Launched` after a first run, its Identify).
    pub(super) fn seal(&mut self, now_ms: u64, entropy: &mut dyn Entropy) {
        #[cfg(feature = "server")]
        self.seal_identity(now_ms, entropy);
        if self.aggregates.is_empty() {
            return;
        }
        let aggregates = core::mem::take(&mut self.aggregates);
        self.aggregates = self.seal_these(aggregates, now_ms, entropy);
    }

    /// Seals `aggregates` into the outbox; returns those that could not be sealed (no entropy
    /// for their `messageId`), to keep.
    pub(super) fn seal_these(
        &mut self,
        mut aggregates: Aggregates,
        now_ms: u64,
        entropy: &mut dyn Entropy,
    ) -> Aggregates {
        let uid = self.instance_uid.text();
        let mut kept = Aggregates::default();
        for mut aggregate in aggregates.drain() {
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
                    // Unreachable unless an aggregator emits what the catalog forbids (or a
                    // parked aggregate was tampered with): dropped and counted, never sent.
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
            self.enqueue(&id, &built.message(&envelope), now_ms);
        }
        kept
    }

    /// Queues one sealed message in the outbox (counted sealed), or counts it lost as oversize.
    pub(super) fn enqueue(&mut self, message_id: &str, message: &crate::json::Value, now_ms: u64) {
        match QueuedMessage::new(message_id, message, now_ms) {
            Ok(queued) => {
                self.stats.sealed += 1;
                self.outbox.push(queued);
            }
            Err(_) => self.count_loss(LossReason::Oversize, 1),
        }
    }

    pub(super) fn next_jitter(&mut self) -> u64 {
        self.jitter = self.jitter.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.jitter;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Reseeds the backoff jitter from `entropy` (so instances do not retry in step).
    pub fn seed_jitter(&mut self, entropy: &mut dyn Entropy) {
        let mut seed = [0u8; 8];
        if entropy.fill(&mut seed) {
            self.jitter ^= u64::from_le_bytes(seed);
        }
    }

    fn upload(&mut self, now_ms: u64, max_bytes: usize) -> Option<UploadRequest> {
        let headers = self.headers();
        let url = self.config.endpoint.batch_url();
        let messages = self.outbox.take_batch(max_bytes)?;
        Some(UploadRequest {
            url,
            headers,
            body: batch_body(messages, now_ms),
            message_ids: messages.iter().map(|m| m.message_id.clone()).collect(),
        })
    }

    /// What to do now: send the next batch (a sealed message is waiting and no backoff holds it
    /// back), wait, or idle. The aggregates are sealed when the interval elapses. Messages past
    /// the maximum age are dropped (counted) first.
    pub fn poll(&mut self, now_ms: u64, entropy: &mut dyn Entropy) -> Action {
        if !self.enabled || self.outbox.in_flight() {
            return Action::Idle;
        }
        self.outbox
            .drop_expired(now_ms, &self.policy, &mut self.stats.lost);
        let interval_due =
            now_ms.saturating_sub(self.last_flush_ms) >= self.config.flush_interval_ms;
        #[cfg(feature = "server")]
        let owed = self.owes_identity();
        #[cfg(not(feature = "server"))]
        let owed = false;
        if interval_due && (!self.aggregates.is_empty() || owed) {
            self.seal(now_ms, entropy);
        }
        if interval_due {
            self.last_flush_ms = now_ms;
        }
        if !self.outbox.is_empty() {
            if now_ms < self.outbox.not_before_ms() {
                return Action::Wait(self.outbox.not_before_ms() - now_ms);
            }
            if let Some(request) = self.upload(now_ms, MAX_BATCH_BYTES) {
                return Action::Send(request);
            }
        }
        if self.aggregates.is_empty() && self.outbox.is_empty() && !owed {
            return Action::Idle;
        }
        Action::Wait(self.next_due_in_ms(now_ms).max(1))
    }

    /// Milliseconds until a backoff or a `Retry-After` lets the next upload go; `None` when
    /// nothing is held back.
    pub fn retry_in_ms(&self, now_ms: u64) -> Option<u64> {
        let not_before = self.outbox.not_before_ms();
        (!self.outbox.is_empty() && not_before > now_ms).then(|| not_before - now_ms)
    }

    /// Milliseconds until the next interval send is due.
    pub fn next_due_in_ms(&self, now_ms: u64) -> u64 {
        (self.last_flush_ms + self.config.flush_interval_ms).saturating_sub(now_ms)
    }

    /// Sends now, whatever the interval or the backoff: seals what was recorded and returns the
    /// next upload, unless one is already under way or nothing is queued. Call
    /// [`Engine::upload_finished`] with its outcome.
    pub fn flush(&mut self, now_ms: u64, entropy: &mut dyn Entropy) -> Option<UploadRequest> {
        if !self.enabled || self.outbox.in_flight() {
            return None;
        }
        self.last_flush_ms = now_ms;
        self.outbox
            .drop_expired(now_ms, &self.policy, &mut self.stats.lost);
        self.seal(now_ms, entropy);
        self.upload(now_ms, MAX_BATCH_BYTES)
    }

    /// An explicit flush under the retry policy (the browser's `flush()`): seals what was
    /// recorded, then sends unless a backoff or a `Retry-After` holds the outbox back — then
    /// [`Action::Wait`] says for how long, and nothing is sent early. [`Action::Idle`] when
    /// nothing is queued or an upload is already under way.
    pub fn flush_under_policy(&mut self, now_ms: u64, entropy: &mut dyn Entropy) -> Action {
        if !self.enabled || self.outbox.in_flight() {
            return Action::Idle;
        }
        self.last_flush_ms = now_ms;
        self.outbox
            .drop_expired(now_ms, &self.policy, &mut self.stats.lost);
        self.seal(now_ms, entropy);
        if self.outbox.is_empty() {
            return Action::Idle;
        }
        if now_ms < self.outbox.not_before_ms() {
            return Action::Wait(self.outbox.not_before_ms() - now_ms);
        }
        self.upload(now_ms, MAX_BATCH_BYTES)
            .map_or(Action::Idle, Action::Send)
    }

    /// The last upload of a page being unloaded that nothing else can deliver (its storage
    /// failed): everything sealed, then the first messages that fit in `max_bytes` (browsers cap
    /// a keepalive body at 64 KB), as the one upload in flight. `None` when an upload is already
    /// under way (one at a time) or nothing is queued. Report its outcome as usual if the page
    /// lives to see it.
    pub fn last_chance(
        &mut self,
        now_ms: u64,
        entropy: &mut dyn Entropy,
        max_bytes: usize,
    ) -> Option<UploadRequest> {
        if !self.enabled || self.outbox.in_flight() {
            return None;
        }
        self.seal(now_ms, entropy);
        self.upload(now_ms, max_bytes)
    }

    /// Takes the outcome of the upload under way (`retry_after`: the `Retry-After` header, if
    /// any): delivered messages leave the outbox; retryable failures keep them, with the same
    /// `messageId`, until the backoff (or `Retry-After`) passes; rejected ones are dropped and
    /// counted.
    pub fn upload_finished(
        &mut self,
        now_ms: u64,
        outcome: UploadOutcome,
        retry_after: Option<&str>,
    ) {
        if !self.outbox.in_flight() {
            // The outbox was emptied while the upload was under way (collection turned off, the
            // identity forgotten): its outcome belongs to nothing any more.
            self.stats.outcomes_discarded += 1;
            return;
        }
        let random = self.next_jitter();
        let delivered = self.outbox.finished(
            now_ms,
            outcome,
            retry_after,
            &self.policy,
            random,
            &mut self.stats.lost,
        );
        self.stats.delivered += delivered as u64;
        if !outcome.is_delivered() {
            self.stats.failed_uploads += 1;
        }
    }

    /// The next batch as it would be sent, without `sentAt`: queued messages as they are, then
    /// what is being aggregated, sealed as it would be now, with the `messageId` it will keep.
    /// `{"batch":[]}` when nothing is pending or collection is off.
    pub fn pending(&mut self, entropy: &mut dyn Entropy) -> String {
        let mut messages: Vec<QueuedMessage> = Vec::new();
        if self.enabled {
            messages.extend(self.outbox.messages().iter().cloned());
            let uid = self.instance_uid.text();
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
                    if let Ok(queued) = QueuedMessage::new(&id, &built.message(&envelope), 0) {
                        messages.push(queued);
                    }
                }
            }
        }
        let n = batch_len(&messages);
        let mut out = String::from("{\"batch\":[");
        for (i, message) in messages[..n].iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&message.json);
        }
        out.push_str("]}");
        out
    }
}
