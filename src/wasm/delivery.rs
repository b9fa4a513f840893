//! The delivery bindings the JS sender drives (`src/wasm/js/delivery.js`): ask the core what to
//! do (`poll`), report what happened (`uploadFinished`), and move the outbox in and out of
//! storage so that a reload, a browser restart or another tab carries on without loss or
//! duplicates. The policy stays in the core; these only translate.

use crate::prelude::*;

use super::convert::to_js;
use super::platform::{JsClock, JsEntropy};
use super::telemetry::Telemetry;
use crate::delivery::{Action, LossReason, UploadOutcome, UploadRequest};
use crate::json::Value;
use crate::platform::Clock;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
impl Telemetry {
    /// What the sender should do now: `{ action: "send", url, headers: [[name, value]], body,
    /// ids }`, `{ action: "wait", ms }` or `{ action: "idle" }`.
    pub fn poll(&self) -> JsValue {
        let Ok(mut engine) = self.engine.try_borrow_mut() else {
            return JsValue::NULL;
        };
        action_js(engine.poll(JsClock.now_ms(), &mut JsEntropy))
    }

    /// Like `poll`, but sends now whatever the interval or the backoff (an explicit flush).
    #[wasm_bindgen(js_name = pollNow)]
    pub fn poll_now(&self) -> JsValue {
        let Ok(mut engine) = self.engine.try_borrow_mut() else {
            return JsValue::NULL;
        };
        let action = match engine.flush(JsClock.now_ms(), &mut JsEntropy) {
            Some(request) => Action::Send(request),
            None => Action::Idle,
        };
        action_js(action)
    }

    /// The upload of handed-over messages (`handOver`'s text) as a request with a fresh
    /// `sentAt`, for a last send when the page is hidden: `{ url, headers, body }`, or `null`.
    #[wasm_bindgen(js_name = requestFor)]
    pub fn request_for(&self, text: &str) -> JsValue {
        let Ok(engine) = self.engine.try_borrow() else {
            return JsValue::NULL;
        };
        match engine.request_for(text, JsClock.now_ms()) {
            Some(request) => action_js(Action::Send(request)),
            None => JsValue::NULL,
        }
    }

    /// The outcome of the upload `poll` asked for: the HTTP status (or `null`/`0` when no answer
    /// came) and the `Retry-After` header, if any.
    #[wasm_bindgen(js_name = uploadFinished)]
    pub fn upload_finished(&self, status: Option<u16>, retry_after: Option<String>) {
        if let Ok(mut engine) = self.engine.try_borrow_mut() {
            let outcome = match status {
                Some(code) if code > 0 => UploadOutcome::Status(code),
                _ => UploadOutcome::NetworkError,
            };
            engine.upload_finished(JsClock.now_ms(), outcome, retry_after.as_deref());
        }
    }

    /// The outbox's persisted form.
    #[wasm_bindgen(js_name = exportOutbox)]
    pub fn export_outbox(&self) -> String {
        self.engine
            .try_borrow()
            .map(|e| e.export_outbox())
            .unwrap_or_default()
    }

    /// Merges a persisted outbox or a tab's handed-over messages (at most `max_bytes` kept,
    /// oldest dropped first, counted); returns how many messages were new, or `-1` if the text
    /// was unreadable.
    #[wasm_bindgen(js_name = importOutbox)]
    pub fn import_outbox(&self, text: &str, max_bytes: u32) -> i32 {
        match self.engine.try_borrow_mut() {
            Ok(mut engine) => engine
                .import_outbox(text, max_bytes as usize)
                .map_or(-1, |n| i32::try_from(n).unwrap_or(i32::MAX)),
            Err(_) => -1,
        }
    }

    /// Empties the outbox (the sender re-reads the stored one at each turn).
    #[wasm_bindgen(js_name = resetOutbox)]
    pub fn reset_outbox(&self) {
        if let Ok(mut engine) = self.engine.try_borrow_mut() {
            engine.reset_outbox();
        }
    }

    /// Seals this tab's aggregates when its interval is due (or `force`), and hands every
    /// message it holds over in their persisted form; `null` when there is nothing to hand over.
    #[wasm_bindgen(js_name = handOver)]
    pub fn hand_over(&self, force: bool) -> Option<String> {
        let mut engine = self.engine.try_borrow_mut().ok()?;
        let now = JsClock.now_ms();
        if !force && engine.next_due_in_ms(now) > 0 {
            return None;
        }
        engine.hand_over(now, &mut JsEntropy)
    }

    /// Counts messages lost at the edge (`reason`: `storage_full`, …).
    #[wasm_bindgen(js_name = countLoss)]
    pub fn count_loss(&self, reason: &str, n: u32) {
        let Some(reason) = LossReason::ALL.into_iter().find(|r| r.as_str() == reason) else {
            return;
        };
        if let Ok(mut engine) = self.engine.try_borrow_mut() {
            engine.count_loss(reason, u64::from(n));
        }
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

/// An upload request as the JS layer sends it: `{ url, headers: [[name, value]], body, ids }`.
pub(crate) fn request_value(request: UploadRequest) -> Value {
    let mut out = Value::object();
    out.insert("url", request.url.into());
    out.insert(
        "headers",
        Value::Array(
            request
                .headers
                .into_iter()
                .map(|(k, v)| Value::Array(vec![k.into(), v.into()]))
                .collect(),
        ),
    );
    out.insert("body", request.body.into());
    out.insert(
        "ids",
        Value::Array(request.message_ids.into_iter().map(Value::from).collect()),
    );
    out
}

/// An [`Action`] as the JS sender reads it.
fn action_js(action: Action) -> JsValue {
    let (kind, mut out) = match action {
        Action::Send(request) => ("send", request_value(request)),
        Action::Wait(ms) => {
            let mut out = Value::object();
            out.insert("ms", Value::Int(i64::try_from(ms).unwrap_or(i64::MAX)));
            ("wait", out)
        }
        Action::Idle => ("idle", Value::object()),
    };
    out.insert("action", kind.into());
    to_js(&out)
}
