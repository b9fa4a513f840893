//! The deletion owed to an installation that turned collection off: the UID that sent data is
//! kept for one purpose only — to ask the collector to delete what it holds — and the request is
//! retried under the delivery policy (backoff with jitter, `Retry-After`) until it answers 2xx,
//! then forgotten. Like Glean's deletion-request ping, it is the one request made while off.

use crate::prelude::*;

use super::Engine;
use crate::delivery::{classify, UploadOutcome, UploadRequest, Verdict};
use crate::identity::InstanceUid;
use crate::json::Value;

/// A deletion request not yet acknowledged, and its retry state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingDeletion {
    pub uid: InstanceUid,
    failures: u32,
    not_before_ms: u64,
    in_flight: bool,
}

/// What an answer to the deletion request did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeletionOutcome {
    /// The collector deleted the UID's data: nothing is owed any more.
    Done,
    /// Not this time: retried after the backoff.
    Retrying,
    /// The collector will never take it (a 4xx other than 408/429): given up, counted.
    GivenUp,
}

impl Engine {
    /// Owes the deletion of `uid` (the UID that sent data, when collection turns off, or one
    /// read back from storage after a reload). Replaces a deletion owed for another UID only
    /// when none is owed.
    pub fn owe_deletion(&mut self, uid: InstanceUid) {
        if self.deletion.is_none() {
            self.deletion = Some(PendingDeletion {
                uid,
                failures: 0,
                not_before_ms: 0,
                in_flight: false,
            });
        }
    }

    /// Collection was turned off after this installation sent data: the deletion of its UID is
    /// owed, and the engine moves to a fresh UID at once (so that, should collection come back
    /// before the collector answered, nothing new is recorded under the UID being deleted).
    /// `false` without entropy (then the UID is kept, and nothing is owed).
    pub fn owe_deletion_of_current(&mut self, entropy: &mut dyn crate::platform::Entropy) -> bool {
        let Some(fresh) = InstanceUid::generate(entropy) else {
            return false;
        };
        let old = core::mem::replace(&mut self.instance_uid, fresh);
        self.deletion = None;
        self.owe_deletion(old);
        true
    }

    /// The UID whose deletion is owed, if any.
    pub fn owed_deletion(&self) -> Option<InstanceUid> {
        self.deletion.as_ref().map(|d| d.uid)
    }

    /// The UID a deletion request targets: the one owed, else the current one (never a fresh UID
    /// that sent nothing while an older one has data).
    pub(crate) fn deletion_target(&self) -> InstanceUid {
        self.owed_deletion().unwrap_or(self.instance_uid)
    }

    /// The owed deletion's request when its backoff has passed (also while collection is off),
    /// marked in flight; `None` when nothing is owed, it is in flight, or it must wait.
    pub fn poll_deletion(&mut self, now_ms: u64) -> Option<UploadRequest> {
        let pending = self.deletion.as_mut()?;
        if pending.in_flight || now_ms < pending.not_before_ms {
            return None;
        }
        pending.in_flight = true;
        let uid = pending.uid;
        Some(self.deletion_request_for(uid, now_ms))
    }

    /// Milliseconds until the owed deletion may be sent again (`None`: nothing owed or due now).
    pub fn deletion_retry_in_ms(&self, now_ms: u64) -> Option<u64> {
        let pending = self.deletion.as_ref()?;
        (pending.not_before_ms > now_ms).then(|| pending.not_before_ms - now_ms)
    }

    /// Takes the answer to the owed deletion's request.
    pub fn deletion_finished(
        &mut self,
        now_ms: u64,
        outcome: UploadOutcome,
        retry_after: Option<&str>,
    ) -> DeletionOutcome {
        let random = self.next_jitter();
        let Some(pending) = self.deletion.as_mut() else {
            return DeletionOutcome::Done;
        };
        pending.in_flight = false;
        match classify(outcome) {
            Verdict::Delivered => {
                self.deletion = None;
                DeletionOutcome::Done
            }
            Verdict::Rejected => {
                self.deletion = None;
                self.stats.deletions_refused += 1;
                DeletionOutcome::GivenUp
            }
            Verdict::Retry => {
                pending.failures = pending.failures.saturating_add(1);
                let wait =
                    self.policy
                        .wait_after(pending.failures, outcome, retry_after, now_ms, random);
                pending.not_before_ms = now_ms.saturating_add(wait);
                DeletionOutcome::Retrying
            }
        }
    }

    /// The request asking the collector to delete everything stored for `uid`:
    /// `POST <endpoint>/v1/deletion` with `{"userId":…,"requestedAt":…}`.
    pub(crate) fn deletion_request_for(&self, uid: InstanceUid, now_ms: u64) -> UploadRequest {
        let mut body = Value::object();
        body.insert("userId", uid.text().into());
        body.insert("requestedAt", crate::time::rfc3339_millis(now_ms).into());
        UploadRequest {
            url: self.config.endpoint.deletion_url(),
            headers: self.headers(),
            body: body.to_json(),
            message_ids: Vec::new(),
        }
    }
}
