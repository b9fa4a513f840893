//! The outbox: sealed messages waiting to be sent, the one upload in flight, and the retry state
//! (consecutive failures, the earliest next attempt). It applies the [`RetryPolicy`] to each
//! outcome and counts every message it gives up on under a [`LossReason`]. It also reads and
//! writes its own persisted form, so a page reload or another tab can carry on where it stopped,
//! and remembers the ids it recently delivered so a message read back twice is not sent twice.

use crate::prelude::*;

use super::{classify, LossReason, RetryPolicy, UploadOutcome, Verdict};
use crate::batch::{batch_len_within, QueuedMessage};
use crate::collections::Tally;
use alloc::collections::VecDeque;
use serde::{Deserialize, Serialize};

/// How many delivered `messageId`s are remembered to refuse duplicates.
pub const REMEMBERED_DELIVERIES: usize = 1_024;

/// Sealed messages and the state of their delivery.
#[derive(Debug, Clone, Default)]
pub struct Outbox {
    messages: Vec<QueuedMessage>,
    /// How many messages at the head are in the upload under way (0: none).
    in_flight: usize,
    /// Consecutive failed attempts of the head batch.
    failures: u32,
    /// No attempt before this time (backoff, `Retry-After`).
    not_before_ms: u64,
    /// Whether the collector ever answered for the head batch (to tell "too old" from "blocked").
    answered: bool,
    delivered: VecDeque<String>,
}

impl Outbox {
    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }

    pub fn len(&self) -> usize {
        self.messages.len()
    }

    pub fn messages(&self) -> &[QueuedMessage] {
        &self.messages
    }

    pub(crate) fn in_flight(&self) -> bool {
        self.in_flight > 0
    }

    /// Bytes waiting (the messages' JSON).
    pub fn bytes(&self) -> usize {
        self.messages.iter().map(|m| m.json.len() + 1).sum()
    }

    /// Whether a retry is pending (a failed attempt not yet followed by a success).
    pub fn retrying(&self) -> bool {
        self.failures > 0
    }

    /// No attempt before this time.
    pub(crate) fn not_before_ms(&self) -> u64 {
        self.not_before_ms
    }

    /// Adds a message unless it is already here or was recently delivered.
    pub fn push(&mut self, message: QueuedMessage) -> bool {
        let known = self.delivered.contains(&message.message_id)
            || self
                .messages
                .iter()
                .any(|m| m.message_id == message.message_id);
        if !known {
            self.messages.push(message);
        }
        !known
    }

    /// Empties the outbox (opt-out, forgotten identity); returns how many messages were dropped.
    pub fn clear(&mut self) -> usize {
        let n = self.messages.len();
        self.messages.clear();
        self.in_flight = 0;
        self.failures = 0;
        self.not_before_ms = 0;
        self.answered = false;
        n
    }

    /// Drops the messages older than the policy's maximum age (not while in flight).
    pub(crate) fn drop_expired(
        &mut self,
        now_ms: u64,
        policy: &RetryPolicy,
        lost: &mut Tally<LossReason>,
    ) {
        if self.in_flight > 0 {
            return;
        }
        let reason = if self.answered {
            LossReason::TooOld
        } else {
            LossReason::Blocked
        };
        let before = self.messages.len();
        self.messages
            .retain(|m| now_ms.saturating_sub(m.created_ms) <= policy.max_age_ms);
        let dropped = before - self.messages.len();
        if dropped > 0 {
            lost.add(&reason, dropped as u64);
        }
    }

    /// Removes and returns every message not in flight.
    pub(crate) fn take_not_in_flight(&mut self) -> Vec<QueuedMessage> {
        self.messages.split_off(self.in_flight)
    }

    /// Marks the next batch (at most `max_bytes` of messages, at least one) in flight and returns
    /// it; `None` when empty or already in flight.
    pub(crate) fn take_batch(&mut self, max_bytes: usize) -> Option<&[QueuedMessage]> {
        if self.in_flight > 0 || self.messages.is_empty() {
            return None;
        }
        self.in_flight = batch_len_within(&self.messages, max_bytes);
        Some(&self.messages[..self.in_flight])
    }

    /// Applies the outcome of the upload in flight; returns how many messages were delivered.
    pub fn finished(
        &mut self,
        now_ms: u64,
        outcome: UploadOutcome,
        retry_after: Option<&str>,
        policy: &RetryPolicy,
        random: u64,
        lost: &mut Tally<LossReason>,
    ) -> usize {
        let n = core::mem::take(&mut self.in_flight).min(self.messages.len());
        if n == 0 {
            return 0;
        }
        if let UploadOutcome::Status(_) = outcome {
            self.answered = true;
        }
        match classify(outcome) {
            Verdict::Delivered => {
                for message in self.messages.drain(..n) {
                    self.delivered.push_back(message.message_id);
                }
                while self.delivered.len() > REMEMBERED_DELIVERIES {
                    self.delivered.pop_front();
                }
                self.failures = 0;
                self.not_before_ms = 0;
                self.answered = false;
                n
            }
            Verdict::Rejected => {
                self.messages.drain(..n);
                lost.add(&LossReason::Rejected, n as u64);
                self.failures = 0;
                self.not_before_ms = 0;
                self.answered = false;
                0
            }
            Verdict::Retry => {
                self.failures = self.failures.saturating_add(1);
                let wait = policy.wait_after(self.failures, outcome, retry_after, now_ms, random);
                self.not_before_ms = now_ms.saturating_add(wait);
                0
            }
        }
    }

    /// The persisted form ([`Stored`]): the retry state, the ids recently delivered and the
    /// messages.
    pub fn export(&self) -> String {
        crate::json::write(&Stored {
            failures: self.failures,
            not_before_ms: self.not_before_ms,
            answered: self.answered,
            delivered: self.delivered.iter().cloned().collect(),
            messages: self.messages.clone(),
        })
    }

    /// Reads a persisted outbox and merges it into this one: messages not already here (or
    /// delivered) are added, the retry state taken when this one has none. Returns how many
    /// messages were added, or `None` when `text` is not a persisted outbox.
    pub fn import(&mut self, text: &str) -> Option<usize> {
        let stored: Stored = crate::json::decode(text)?;
        for id in stored.delivered {
            if !self.delivered.contains(&id) {
                self.delivered.push_back(id);
            }
        }
        while self.delivered.len() > REMEMBERED_DELIVERIES {
            self.delivered.pop_front();
        }
        self.messages
            .retain(|m| !self.delivered.contains(&m.message_id));
        if self.failures == 0 {
            self.failures = stored.failures;
            self.not_before_ms = stored.not_before_ms;
            self.answered |= stored.answered;
        }
        Some(
            stored
                .messages
                .into_iter()
                .filter(|m| self.push(m.clone()))
                .count(),
        )
    }

    /// Keeps at most `max_bytes` of messages, dropping the oldest first (counted).
    pub fn bound(&mut self, max_bytes: usize, lost: &mut Tally<LossReason>) {
        let mut dropped = 0u64;
        while self.bytes() > max_bytes && self.messages.len() > self.in_flight {
            let oldest = (self.in_flight..self.messages.len())
                .min_by_key(|&i| self.messages[i].created_ms)
                .unwrap_or(self.in_flight);
            self.messages.remove(oldest);
            dropped += 1;
        }
        if dropped > 0 {
            lost.add(&LossReason::StorageFull, dropped);
        }
    }
}

/// An outbox as it is stored: `{"failures":…,"notBefore":…,"answered":…,"delivered":[ids],
/// "messages":[{"id","created","json"}]}` (what is missing reads as empty).
#[derive(Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct Stored {
    failures: u32,
    #[serde(rename = "notBefore")]
    not_before_ms: u64,
    answered: bool,
    delivered: Vec<String>,
    messages: Vec<QueuedMessage>,
}

/// Messages handed from one tab to the sending tab: `{"messages":[…]}`.
#[derive(Serialize)]
struct HandedOver {
    messages: Vec<QueuedMessage>,
}

/// The persisted form of a list of messages (a tab's sealed messages, for the sending tab).
pub(crate) fn export_messages(messages: Vec<QueuedMessage>) -> String {
    crate::json::write(&HandedOver { messages })
}
