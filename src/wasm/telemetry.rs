//! The `Telemetry` class exported to JS: creation from a config object, recording, flushing with
//! `fetch`, and read-only views. Recording never throws: bad input is returned as a typed error
//! object and counted. The engine is borrowed only between awaits, never across one.

use super::config::read_config;
use super::convert::{to_js, to_value, PROPERTY_BAG};
use super::fetch;
use super::platform::{JsClock, JsEntropy};
use crate::delivery::UploadOutcome;
use crate::engine::{Engine, Stats};
use crate::error::{RecordError, RecordErrorKind};
use crate::json::Value;
use crate::json_text;
use crate::observe::{Observer, Request};
use crate::platform::Clock;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// A telemetry instance: records calls into aggregates and sends them to the collector.
#[wasm_bindgen]
pub struct Telemetry {
    engine: Rc<RefCell<Engine>>,
}

fn record_error_js(error: &RecordError) -> JsValue {
    let mut object = Value::object();
    object.insert("kind", error.kind.as_str().into());
    object.insert("message", error.message.as_str().into());
    to_js(&object)
}

fn stats_value(stats: &Stats) -> Value {
    let mut rejected = Value::object();
    for kind in RecordErrorKind::ALL {
        let n = stats.rejected.get(&kind).copied().unwrap_or(0);
        rejected.insert(kind.as_str(), count(n));
    }
    let mut out = Value::object();
    out.insert("recorded", count(stats.recorded));
    out.insert("rejected", rejected);
    out.insert("delivered", count(stats.delivered));
    out.insert("failedUploads", count(stats.failed_uploads));
    out.insert("droppedOversize", count(stats.dropped_oversize));
    out.insert("entropyUnavailable", count(stats.entropy_unavailable));
    out.insert("ignoredRequests", count(stats.ignored_requests));
    out.insert("droppedInvalid", count(stats.dropped_invalid));
    out
}

fn count(n: u64) -> Value {
    Value::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

#[wasm_bindgen]
impl Telemetry {
    /// Creates an instance from `{ endpoint, writeKey, flushIntervalMs? }`. Rejects with an
    /// `Error` that says what to fix when the configuration is invalid.
    pub async fn create(config: JsValue) -> Result<Telemetry, JsError> {
        let config = read_config(&config)?;
        let engine = Engine::new(config, JsClock.now_ms(), &mut JsEntropy)
            .map_err(|e| JsError::new(&format!("meili-telemetry: {e}")))?;
        Ok(Telemetry {
            engine: Rc::new(RefCell::new(engine)),
        })
    }

    /// Records one call of a catalog event with its properties (an object of catalog paths to
    /// values, or nothing). Returns `undefined` when accepted, else `{ kind, message }`; never
    /// throws.
    pub fn track(&self, event: JsValue, properties: JsValue) -> JsValue {
        let Ok(mut engine) = self.engine.try_borrow_mut() else {
            return JsValue::UNDEFINED;
        };
        let Some(name) = event.as_string() else {
            let error = RecordError {
                kind: RecordErrorKind::UnknownEvent,
                message: "the event name must be a string naming a catalog event".into(),
            };
            engine.count_rejection(error.kind);
            return record_error_js(&error);
        };
        let properties = match to_value(&properties, PROPERTY_BAG) {
            Ok(value) => value,
            Err(e) => {
                let error = RecordError {
                    kind: RecordErrorKind::MalformedInput,
                    message: format!("the properties of {name:?} were rejected: {}", e.0),
                };
                engine.count_rejection(error.kind);
                return record_error_js(&error);
            }
        };
        match engine.record(JsClock.now_ms(), &name, &properties) {
            Ok(()) => JsValue::UNDEFINED,
            Err(error) => record_error_js(&error),
        }
    }

    /// Records one raw Meilisearch request and its response, given as JSON text (the JS layer
    /// serializes `{ method, path, query?, headers?, body?, response? }` with `JSON.stringify`,
    /// which is faster than reading the object field by field and already refuses cycles,
    /// throwing getters and BigInts). Returns `undefined` when accepted (or when the route feeds
    /// no event), else `{ kind, message }`; never throws.
    #[wasm_bindgen(js_name = recordJson)]
    pub fn record_json(&self, request: &str) -> JsValue {
        let Ok(mut engine) = self.engine.try_borrow_mut() else {
            return JsValue::UNDEFINED;
        };
        let parsed = json_text::parse(request)
            .ok_or_else(|| RecordError {
                kind: RecordErrorKind::MalformedInput,
                message: "the request is not valid JSON".into(),
            })
            .and_then(Request::from_owned);
        let outcome = match parsed {
            Ok(request) => engine
                .observe(JsClock.now_ms(), &request, Observer::Dashboard)
                .map(|_| ()),
            Err(error) => {
                engine.count_rejection(error.kind);
                Err(error)
            }
        };
        match outcome {
            Ok(()) => JsValue::UNDEFINED,
            Err(error) => record_error_js(&error),
        }
    }

    /// Counts a request the JS layer could not serialize (a cycle, a throwing getter, a BigInt).
    #[wasm_bindgen(js_name = countMalformed)]
    pub fn count_malformed(&self) {
        if let Ok(mut engine) = self.engine.try_borrow_mut() {
            engine.count_rejection(RecordErrorKind::MalformedInput);
        }
    }

    /// Sends everything recorded so far. Resolves (never rejects) with
    /// `{ delivered, attempts, status, error }`: `status` is the last HTTP status (or null) and
    /// `error` is null when everything queued was delivered.
    pub fn flush(&self) -> js_sys::Promise {
        let engine = Rc::clone(&self.engine);
        wasm_bindgen_futures::future_to_promise(async move {
            let mut delivered = 0i64;
            let mut attempts = 0i64;
            let mut status = Value::Null;
            let mut error = Value::Null;
            loop {
                let request = match engine.try_borrow_mut() {
                    Ok(mut engine) => engine.flush(JsClock.now_ms(), &mut JsEntropy),
                    Err(_) => None,
                };
                let Some(request) = request else { break };
                attempts += 1;
                let outcome = fetch::send(&request).await;
                if let Ok(mut engine) = engine.try_borrow_mut() {
                    engine.upload_finished(outcome);
                }
                let failure = match outcome {
                    UploadOutcome::Status(code) => {
                        status = Value::Int(code.into());
                        format!("the collector answered HTTP {code}; the batch is kept for the next flush")
                    }
                    UploadOutcome::NetworkError => {
                        status = Value::Null;
                        "the collector could not be reached; the batch is kept for the next flush"
                            .into()
                    }
                };
                if outcome.is_delivered() {
                    delivered += request.message_ids.len() as i64;
                } else {
                    error = failure.into();
                    break;
                }
            }
            let mut result = Value::object();
            result.insert("delivered", Value::Int(delivered));
            result.insert("attempts", Value::Int(attempts));
            result.insert("status", status);
            result.insert("error", error);
            Ok(to_js(&result))
        })
    }

    /// This installation's anonymous ID (quote it to request deletion).
    #[wasm_bindgen(getter, js_name = instanceUid)]
    pub fn instance_uid(&self) -> String {
        self.engine
            .try_borrow()
            .map(|e| e.instance_uid().to_string())
            .unwrap_or_default()
    }

    /// Counters: recorded, rejected by kind, delivered, failed uploads, dropped.
    pub fn stats(&self) -> JsValue {
        match self.engine.try_borrow() {
            Ok(engine) => to_js(&stats_value(engine.stats())),
            Err(_) => JsValue::NULL,
        }
    }
}
