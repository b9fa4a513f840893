//! The `Telemetry` class exported to JS: creation from a config object, recording, flushing with
//! `fetch`, and read-only views. Recording never throws: bad input is returned as a typed error
//! object and counted. The engine is borrowed only between awaits, never across one.

use super::config::{read_options, SendOptions};
use super::convert::{to_js, to_value};
use super::platform::{call_time, JsClock, JsEntropy};
use super::storage::{browser_facts, do_not_track, global_privacy_control, LocalStorage};
use core::cell::RefCell;
use meili_telemetry_core::consent::{self, Consent, ConsentInputs, Reason, UserChoice};
use meili_telemetry_core::engine::Engine;
use meili_telemetry_core::engine::Stats;
use meili_telemetry_core::error::quoted;
use meili_telemetry_core::error::{RecordError, RecordErrorKind};
use meili_telemetry_core::observe::{Observer, Request};
use meili_telemetry_core::persistence::shared::Tab;
use meili_telemetry_core::persistence::{self, UidOrigin};
use meili_telemetry_core::platform::{Clock, Storage};
use serde::Serialize;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// A telemetry instance: records calls into aggregates and sends them to the collector.
#[wasm_bindgen]
pub struct Telemetry {
    pub(crate) engine: Rc<RefCell<Engine>>,
    pub(crate) edge: Rc<RefCell<Edge>>,
}

/// What the edge keeps beside the engine: storage, this page's handle on what the tabs share,
/// its role among them, and the consent inputs it re-resolves.
pub(crate) struct Edge {
    pub(crate) storage: LocalStorage,
    pub(crate) tab: Tab,
    pub(crate) role: Role,
    /// The page is being unloaded (`leave`): it stored what it holds and must not claim, park
    /// or write again (a turn still awaiting would otherwise take back what it just stored).
    pub(crate) left: bool,
    inputs: ConsentInputs,
    consent: Consent,
    send: SendOptions,
    uid_origin: UidOrigin,
}

/// This page's part in sending (the JS sender elects it; see `persistence::shared`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// Another tab sends: sealed messages are handed over, aggregates parked when hidden.
    Follower,
    /// This tab sends for every tab: its outbox is stored after every change.
    Sender,
    /// No shared storage (none, or no Web Locks to elect a sender): this tab sends its own from
    /// memory and stores nothing but the UID and the choice.
    Alone,
}

impl Edge {
    /// Applies the current consent to the engine and storage: on keeps the UID stored; off
    /// removes every data key (the choice itself stays).
    fn apply(&mut self, engine: &mut Engine) -> bool {
        self.consent = consent::resolve(&self.inputs);
        // Data may be at the collector if an upload left under this UID (the sender marks it in
        // storage), or, with no storage, if this page made one.
        let stats = engine.stats();
        let had_data = self.storage.read(persistence::SENT_KEY).is_some()
            || stats.delivered + stats.failed_uploads > 0;
        let changed = engine.set_enabled(self.consent.enabled);
        // A deletion owed by another tab or an earlier page load (stored), and the UID
        // collection goes on with, are taken from storage, so every tab agrees (also at start).
        if engine.owed_deletion().is_none() {
            if let Some(owed) = persistence::load_owed_deletion(&self.storage) {
                if owed == engine.instance_uid() {
                    engine.owe_deletion_of_current(&mut JsEntropy);
                } else {
                    engine.owe_deletion(owed);
                }
            }
        }
        if self.consent.enabled {
            let stored = self
                .storage
                .read(persistence::UID_KEY)
                .and_then(|text| meili_telemetry_core::identity::InstanceUid::parse(&text));
            match stored {
                Some(uid)
                    if uid != engine.instance_uid() && Some(uid) != engine.owed_deletion() =>
                {
                    engine.adopt_identity(&uid.text());
                }
                _ => {
                    let _ = persistence::save_uid(&mut self.storage, engine.instance_uid());
                }
            }
        } else {
            let by_the_user = matches!(
                self.consent.reason,
                Reason::UserOptedOut | Reason::DoNotTrack | Reason::GlobalPrivacyControl
            );
            persistence::turned_off(
                &mut self.storage,
                engine,
                &mut JsEntropy,
                had_data && by_the_user,
            );
        }
        changed
    }
}

/// What `optOut`/`optIn` return: the consent, and whether it changed.
#[derive(Serialize)]
struct Choice<'a> {
    #[serde(flatten)]
    consent: &'a Consent,
    changed: bool,
}

/// What `deletionAnswered` returns.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DeletionAnswer {
    status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    instance_uid: Option<String>,
    error: Option<&'static str>,
}

/// What `stats()` returns: the engine's counters, the edge's, and the totals over pages.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PageStats<'a> {
    #[serde(flatten)]
    page: &'a Stats,
    corrupt_uid_replaced: u8,
    module_memory_bytes: u64,
    queued: usize,
    scope: &'static str,
    totals: Option<Stats>,
}

#[wasm_bindgen]
impl Telemetry {
    /// Creates an instance from `{ endpoint, writeKey, flushIntervalMs? }`. Rejects with an
    /// `Error` that says what to fix when the configuration is invalid.
    pub fn create(config: JsValue) -> Result<Telemetry, JsError> {
        let options = read_options(&config)?;
        let storage = LocalStorage::open(options.use_storage);
        let mut inputs = options.consent;
        inputs.user_choice = persistence::load_choice(&storage);
        inputs.do_not_track = do_not_track();
        inputs.global_privacy_control = global_privacy_control();
        let (uid, uid_origin) = persistence::load_uid(&storage, &mut JsEntropy).ok_or_else(|| {
            JsError::new("meili-telemetry: crypto.getRandomValues is not available, and the instance UID needs it")
        })?;
        let tab = Tab::new(&mut JsEntropy).ok_or_else(|| {
            JsError::new(
                "meili-telemetry: crypto.getRandomValues is not available, and the tab id needs it",
            )
        })?;
        let mut engine = Engine::with_instance_uid(options.config, JsClock.now_ms(), uid);
        engine.set_policy(options.retry);
        engine.seed_jitter(&mut JsEntropy);
        let mut edge = Edge {
            storage,
            tab,
            role: Role::Follower,
            left: false,
            consent: consent::resolve(&inputs),
            inputs,
            uid_origin,
            send: options.send,
        };
        edge.apply(&mut engine);
        Ok(Telemetry {
            engine: Rc::new(RefCell::new(engine)),
            edge: Rc::new(RefCell::new(edge)),
        })
    }

    /// Whether collection is on, and why: `{ enabled, reason, error }` (`error` explains an
    /// unreadable server setting, which turns collection off).
    #[wasm_bindgen(getter)]
    pub fn consent(&self) -> JsValue {
        match self.edge.try_borrow() {
            Ok(edge) => to_js(&edge.consent),
            Err(_) => JsValue::NULL,
        }
    }

    /// The user opts out: remembered (the one key kept), collection stops at once, and every
    /// aggregate, queued message and stored key is removed. Returns `{ changed, enabled, reason }`.
    #[wasm_bindgen(js_name = optOut)]
    pub fn opt_out(&self) -> JsValue {
        self.choose(UserChoice::OptedOut)
    }

    /// The user opts in: remembered; collection starts clean unless the server (or an unreadable
    /// setting) keeps it off. Returns `{ changed, enabled, reason }`.
    #[wasm_bindgen(js_name = optIn)]
    pub fn opt_in(&self) -> JsValue {
        self.choose(UserChoice::OptedIn)
    }

    /// Another tab of this origin made a choice (`opted-in` / `opted-out`, as broadcast by the
    /// JS sender): applied at once, as if made here (it is already stored). Returns what
    /// `optOut`/`optIn` return; `null` for a word that is not a choice.
    #[wasm_bindgen(js_name = applyChoice)]
    pub fn apply_choice(&self, choice: &str) -> JsValue {
        match UserChoice::parse(choice) {
            Some(choice) => self.choose_with(choice, false),
            None => JsValue::NULL,
        }
    }

    fn choose(&self, choice: UserChoice) -> JsValue {
        self.choose_with(choice, true)
    }

    fn choose_with(&self, choice: UserChoice, save: bool) -> JsValue {
        let (Ok(mut engine), Ok(mut edge)) =
            (self.engine.try_borrow_mut(), self.edge.try_borrow_mut())
        else {
            return JsValue::NULL;
        };
        if save && persistence::save_choice(&mut edge.storage, choice).is_err() {
            engine.count_storage_failure();
        }
        edge.inputs.user_choice = Some(choice);
        let changed = edge.apply(&mut engine);
        to_js(&Choice {
            consent: &edge.consent,
            changed,
        })
    }

    /// The request asking the collector to delete everything stored for this instance UID
    /// (also while off): `{ url, headers: [[name, value]], body, ids }`. The JS layer sends it and
    /// reports the answer to `deletionAnswered`.
    #[wasm_bindgen(js_name = deletionRequest)]
    pub fn deletion_request(&self) -> JsValue {
        let Ok(engine) = self.engine.try_borrow() else {
            return JsValue::NULL;
        };
        to_js(&engine.deletion_request(JsClock.now_ms()))
    }

    /// The collector's answer to the deletion request (`null`/`0`: no answer): after a 2xx the
    /// instance UID is forgotten (a new one drawn) with everything recorded under it; otherwise
    /// it is kept so the request can be retried. Returns `{ status, error, instanceUid }`.
    #[wasm_bindgen(js_name = deletionAnswered)]
    pub fn deletion_answered(&self, status: Option<u16>) -> JsValue {
        let status = status.filter(|s| *s > 0);
        let delivered = matches!(status, Some(200..=299));
        let mut answer = DeletionAnswer {
            status,
            instance_uid: None,
            error: (!delivered).then_some(
                "the deletion request did not reach the collector; the instance UID is kept so it can be retried",
            ),
        };
        if let (Ok(mut engine), Ok(mut edge)) =
            (self.engine.try_borrow_mut(), self.edge.try_borrow_mut())
        {
            if delivered {
                engine.forget_identity(&mut JsEntropy);
                persistence::purge(&mut edge.storage);
                let _ = persistence::save_owed_deletion(&mut edge.storage, None);
                if engine.is_enabled() {
                    let _ = persistence::save_uid(&mut edge.storage, engine.instance_uid());
                }
            }
            answer.instance_uid = Some(engine.instance_uid().text());
        }
        to_js(&answer)
    }

    /// Exactly what the next send would carry: `{ batch: [...] }` (its `sentAt` is added when
    /// sent), with the `messageId`s the send will keep. `{ batch: [] }` while off.
    pub fn pending(&self) -> JsValue {
        let Ok(mut engine) = self.engine.try_borrow_mut() else {
            return JsValue::NULL;
        };
        js_sys::JSON::parse(&engine.pending(&mut JsEntropy)).unwrap_or(JsValue::NULL)
    }

    /// Records one call of a catalog event with its properties (an object of catalog paths to
    /// values, or nothing), made at `atMs` (a `Date.now()`; absent: now). Returns `undefined`
    /// when accepted, else `{ kind, message }`; never throws.
    pub fn track(&self, event: JsValue, properties: JsValue, at_ms: Option<f64>) -> JsValue {
        let Ok(mut engine) = self.engine.try_borrow_mut() else {
            return JsValue::UNDEFINED;
        };
        let Some(name) = event.as_string() else {
            let error = RecordError {
                kind: RecordErrorKind::UnknownEvent,
                message: "the event name must be a string naming a catalog event".into(),
            };
            engine.count_rejection(error.kind);
            return to_js(&error);
        };
        let properties = match to_value(&properties) {
            Ok(value) => value,
            Err(e) => {
                let error = RecordError {
                    kind: RecordErrorKind::MalformedInput,
                    message: [
                        "the properties of ",
                        &quoted(&name),
                        " were rejected: ",
                        &e.0,
                    ]
                    .concat(),
                };
                engine.count_rejection(error.kind);
                return to_js(&error);
            }
        };
        match engine.record(call_time(at_ms), &name, &properties) {
            Ok(()) => JsValue::UNDEFINED,
            Err(error) => to_js(&error),
        }
    }

    /// Records one raw Meilisearch request and its response, given as JSON text (the JS layer
    /// serializes `{ method, path, query?, headers?, body?, response? }` with `JSON.stringify`,
    /// which is faster than reading the object field by field and already refuses cycles,
    /// throwing getters and BigInts). Returns `undefined` when accepted (or when the route feeds
    /// no event), else `{ kind, message }`; never throws. `atMs`: when the request was answered
    /// (a `Date.now()`; absent: now).
    #[wasm_bindgen(js_name = recordJson)]
    pub fn record_json(&self, request: &str, at_ms: Option<f64>) -> JsValue {
        let Ok(mut engine) = self.engine.try_borrow_mut() else {
            return JsValue::UNDEFINED;
        };
        let parsed = meili_telemetry_core::json::read(request)
            .ok_or_else(|| RecordError {
                kind: RecordErrorKind::MalformedInput,
                message: "the request is not valid JSON".into(),
            })
            .and_then(Request::from_owned);
        let outcome = match parsed {
            Ok(request) => engine
                .observe(call_time(at_ms), &request, Observer::Dashboard)
                .map(|_| ()),
            Err(error) => {
                engine.count_rejection(error.kind);
                Err(error)
            }
        };
        match outcome {
            Ok(()) => JsValue::UNDEFINED,
            Err(error) => to_js(&error),
        }
    }

    /// Counts a request the JS layer could not serialize (a cycle, a throwing getter, a BigInt).
    #[wasm_bindgen(js_name = countMalformed)]
    pub fn count_malformed(&self) {
        if let Ok(mut engine) = self.engine.try_borrow_mut() {
            engine.count_rejection(RecordErrorKind::MalformedInput);
        }
    }

    /// Records `Dashboard Opened` with the dashboard's version and the browser's coarse traits
    /// (core count bucket, memory bucket, OS family, engine family; never the user-agent string).
    /// Returns `undefined` when accepted, else `{ kind, message }`; never throws. `atMs`: when the
    /// dashboard was opened (a `Date.now()`; absent: now).
    #[wasm_bindgen(js_name = recordOpened)]
    pub fn record_opened(&self, dashboard_version: JsValue, at_ms: Option<f64>) -> JsValue {
        let version = dashboard_version.as_string().unwrap_or_default();
        let bag =
            meili_telemetry_core::browser_traits::dashboard_opened(&browser_facts(), &version);
        match self.engine.try_borrow_mut() {
            Ok(mut engine) => match engine.record(call_time(at_ms), "Dashboard Opened", &bag) {
                Ok(()) => JsValue::UNDEFINED,
                Err(error) => to_js(&error),
            },
            Err(_) => JsValue::UNDEFINED,
        }
    }

    /// The validated sending options, defaults filled in: `{ gzip, autoSend, deleteOnOptOut,
    /// uploadTimeoutMs }` (what the JS sender reads).
    #[wasm_bindgen(getter, js_name = sendOptions)]
    pub fn send_options(&self) -> JsValue {
        match self.edge.try_borrow() {
            Ok(edge) => to_js(&edge.send),
            Err(_) => JsValue::NULL,
        }
    }

    /// This installation's anonymous ID (quote it to request deletion).
    #[wasm_bindgen(getter, js_name = instanceUid)]
    pub fn instance_uid(&self) -> String {
        self.engine
            .try_borrow()
            .map(|e| e.instance_uid().text())
            .unwrap_or_default()
    }

    /// This page's counters (`scope: "page"`): recorded, rejected by kind, sealed, delivered,
    /// failed uploads, lost by reason, `queued` now; and `totals`, the same counters summed over
    /// every page of this browser that kept its counters in storage (`null` without it).
    pub fn stats(&self) -> JsValue {
        match (self.engine.try_borrow(), self.edge.try_borrow()) {
            (Ok(engine), Ok(edge)) => {
                let pages = core::arch::wasm32::memory_size(0) as u64;
                to_js(&PageStats {
                    page: engine.stats(),
                    corrupt_uid_replaced: (edge.uid_origin == UidOrigin::ReplacedCorrupt).into(),
                    module_memory_bytes: pages * 65_536,
                    queued: engine.queued(),
                    scope: "page",
                    totals: match edge.role {
                        Role::Alone => None,
                        _ => edge.tab.totals(&edge.storage, &engine),
                    },
                })
            }
            _ => JsValue::NULL,
        }
    }
}

/// The response body fields the derivations read: the JS layer keeps only these before a request
/// is serialized, so a page of hits costs nothing to record.
#[wasm_bindgen(js_name = responseFields)]
pub fn response_fields() -> js_sys::Array {
    meili_telemetry_core::observe::response_fields()
        .into_iter()
        .map(JsValue::from_str)
        .collect()
}
