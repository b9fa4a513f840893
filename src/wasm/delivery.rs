//! The delivery bindings the JS sender drives (`src/wasm/js/delivery.js`): ask the core what to
//! do (`poll`, `flushNow`) and report what happened (`uploadFinished`). The policy stays in the
//! core, and so does storage: the sending tab's outbox is written here after every step
//! (`tabs.rs` holds what moves between tabs). These only translate.

use super::convert::to_js;
use super::platform::{JsClock, JsEntropy};
use super::telemetry::{Edge, Role, Telemetry};
use meili_telemetry_core::delivery::{Action, UploadOutcome, UploadRequest};
use meili_telemetry_core::engine::{DeletionOutcome, Engine};
use meili_telemetry_core::persistence;
use meili_telemetry_core::platform::Clock;
use meili_telemetry_core::platform::Storage;
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
impl Telemetry {
    /// What the sender should do now: `{ action: "send", url, headers: [[name, value]], body,
    /// ids }`, `{ action: "wait", ms }` or `{ action: "idle" }`.
    pub fn poll(&self) -> JsValue {
        self.sending(|engine| engine.poll(JsClock.now_ms(), &mut JsEntropy))
    }

    /// An explicit flush under the retry policy: `send` now, or `wait` when a backoff or a
    /// `Retry-After` holds the outbox back (nothing is sent early), or `idle`.
    #[wasm_bindgen(js_name = flushNow)]
    pub fn flush_now(&self) -> JsValue {
        self.sending(|engine| engine.flush_under_policy(JsClock.now_ms(), &mut JsEntropy))
    }

    /// The outcome of the upload `poll` asked for: the HTTP status (or `null`/`0` when no answer
    /// came) and the `Retry-After` header, if any. An outcome that arrives after the outbox was
    /// emptied (opt-out, deletion) is discarded and counted.
    #[wasm_bindgen(js_name = uploadFinished)]
    pub fn upload_finished(&self, status: Option<u16>, retry_after: Option<String>) {
        let outcome = outcome_of(status);
        self.sending(|engine| {
            engine.upload_finished(JsClock.now_ms(), outcome, retry_after.as_deref());
            Action::Idle
        });
    }

    /// The deletion owed to a UID that sent data before collection was turned off, when its
    /// backoff has passed: `{ url, headers, body, ids }` (sent also while off), or `null`.
    #[wasm_bindgen(js_name = pollDeletion)]
    pub fn poll_deletion(&self) -> JsValue {
        let Ok(mut engine) = self.engine.try_borrow_mut() else {
            return JsValue::NULL;
        };
        match engine.poll_deletion(JsClock.now_ms()) {
            Some(request) => to_js(&request),
            None => JsValue::NULL,
        }
    }

    /// The answer to the owed deletion: `"done"` (the stored UID is forgotten), `"retrying"` or
    /// `"given-up"` (a 4xx, counted in `deletionsRefused`).
    #[wasm_bindgen(js_name = deletionFinished)]
    pub fn deletion_finished(&self, status: Option<u16>, retry_after: Option<String>) -> String {
        let outcome = outcome_of(status);
        let (Ok(mut engine), Ok(mut edge)) =
            (self.engine.try_borrow_mut(), self.edge.try_borrow_mut())
        else {
            return "retrying".into();
        };
        let answer = engine.deletion_finished(JsClock.now_ms(), outcome, retry_after.as_deref());
        if answer != DeletionOutcome::Retrying {
            let _ = persistence::save_owed_deletion(&mut edge.storage, None);
        }
        match answer {
            DeletionOutcome::Done => "done",
            DeletionOutcome::Retrying => "retrying",
            DeletionOutcome::GivenUp => "given-up",
        }
        .into()
    }

    /// Milliseconds until the owed deletion may be retried (`null`: none owed, or due now).
    #[wasm_bindgen(getter, js_name = deletionRetryInMs)]
    pub fn deletion_retry_in_ms(&self) -> Option<f64> {
        let engine = self.engine.try_borrow().ok()?;
        engine
            .deletion_retry_in_ms(JsClock.now_ms())
            .map(|ms| ms as f64)
    }

    /// Whether a deletion is owed (the sender keeps looking while off).
    #[wasm_bindgen(getter, js_name = owesDeletion)]
    pub fn owes_deletion(&self) -> bool {
        self.engine
            .try_borrow()
            .is_ok_and(|e| e.owed_deletion().is_some())
    }

    /// Runs one step of the send path; the sender's outbox (and this page's counters) is stored
    /// after it, before an upload leaves, so a reload mid-send resends it with the same ids; a
    /// follower sending what its storage refused stores its counters.
    fn sending(&self, step: impl FnOnce(&mut Engine) -> Action) -> JsValue {
        let (Ok(mut engine), Ok(mut edge)) =
            (self.engine.try_borrow_mut(), self.edge.try_borrow_mut())
        else {
            return JsValue::NULL;
        };
        let action = step(&mut engine);
        if matches!(action, Action::Send(_)) && engine.is_enabled() && !edge.left {
            let uid = engine.instance_uid().text();
            if edge.storage.read(persistence::SENT_KEY).as_deref() != Some(uid.as_str())
                && edge.storage.write(persistence::SENT_KEY, &uid).is_err()
            {
                engine.count_storage_failure();
            }
        }
        if !edge.left {
            let Edge {
                storage, tab, role, ..
            } = &mut *edge;
            match role {
                Role::Sender => {
                    tab.save_queue(storage, &mut engine);
                }
                Role::Follower => tab.save_stats(storage, &mut engine),
                Role::Alone => {}
            }
        }
        action_js(action)
    }

    /// Milliseconds until a backoff or a `Retry-After` lets the next upload go (`null`: none
    /// holds it back).
    #[wasm_bindgen(getter, js_name = retryInMs)]
    pub fn retry_in_ms(&self) -> Option<f64> {
        let engine = self.engine.try_borrow().ok()?;
        engine.retry_in_ms(JsClock.now_ms()).map(|ms| ms as f64)
    }

    /// Milliseconds until the next interval send is due (`null` while collection is off or
    /// nothing is waiting).
    #[wasm_bindgen(getter, js_name = nextSendInMs)]
    pub fn next_send_in_ms(&self) -> Option<f64> {
        let engine = self.engine.try_borrow().ok()?;
        if !engine.is_enabled() || engine.is_idle() {
            return None;
        }
        Some(engine.next_due_in_ms(JsClock.now_ms()) as f64)
    }

    /// The configured interval between two sends, in ms.
    #[wasm_bindgen(getter, js_name = flushIntervalMs)]
    pub fn flush_interval_ms(&self) -> f64 {
        self.engine
            .try_borrow()
            .map(|e| e.config().flush_interval_ms as f64)
            .unwrap_or(0.0)
    }
}

/// An HTTP status as the JS sender reports it (`null`/`0`: no answer) as an outcome.
fn outcome_of(status: Option<u16>) -> UploadOutcome {
    match status {
        Some(code) if code > 0 => UploadOutcome::Status(code),
        _ => UploadOutcome::NetworkError,
    }
}

/// An [`Action`] as the JS sender reads it: `{ action: "send", url, headers, body, ids }`,
/// `{ action: "wait", ms }` or `{ action: "idle" }`.
#[derive(Serialize)]
#[serde(tag = "action", rename_all = "lowercase")]
enum ActionView {
    Send(UploadRequest),
    Wait { ms: f64 },
    Idle,
}

pub(crate) fn action_js(action: Action) -> JsValue {
    to_js(&match action {
        Action::Send(request) => ActionView::Send(request),
        Action::Wait(ms) => ActionView::Wait { ms: ms as f64 },
        Action::Idle => ActionView::Idle,
    })
}
