//! The bindings for what moves between the tabs of one browser (`persistence::shared` decides;
//! the JS sender elects the sending tab with Web Locks, runs the timers and relays what other
//! tabs broadcast): become the sender, claim, hand over, park when hidden, leave, and adopt an
//! identity another tab drew after a deletion.

use super::delivery::action_js;
use super::platform::{JsClock, JsEntropy};
use super::telemetry::{Edge, Role, Telemetry};
use meili_telemetry_core::delivery::Action;
use meili_telemetry_core::engine::Engine;
use meili_telemetry_core::persistence::{shared::Stored, QUEUE_KEY};
use meili_telemetry_core::platform::{Clock, Storage};
use wasm_bindgen::prelude::*;

/// Browsers cap the bodies of keepalive requests at 64 KiB in total; the batch's wrapper and
/// headers take the last kilobyte.
const KEEPALIVE_BODY_BYTES: usize = 63 * 1024;

#[wasm_bindgen]
impl Telemetry {
    /// This page's id in the shared store (its Web Lock is `meili-telemetry.tab.<id>`).
    #[wasm_bindgen(getter, js_name = tabId)]
    pub fn tab_id(&self) -> String {
        self.edge
            .try_borrow()
            .map(|e| e.tab.id().to_owned())
            .unwrap_or_default()
    }

    /// Whether this page has a storage the tabs can share (else it sends alone, from memory).
    #[wasm_bindgen(getter, js_name = hasStorage)]
    pub fn has_storage(&self) -> bool {
        self.edge
            .try_borrow()
            .map(|e| e.storage.is_present())
            .unwrap_or(false)
    }

    /// This page becomes the one that sends for every tab: the stored queue and what the other
    /// tabs stored are merged into its memory.
    #[wasm_bindgen(js_name = becomeSender)]
    pub fn become_sender(&self) {
        self.with_edge(|engine, edge| {
            edge.role = Role::Sender;
            let Edge { storage, tab, .. } = edge;
            tab.take_over(storage, engine, JsClock.now_ms(), &mut JsEntropy);
        });
    }

    /// This page sends its own, from memory, and shares nothing (no storage, or no Web Locks).
    #[wasm_bindgen(js_name = sendAlone)]
    pub fn send_alone(&self) {
        self.with_edge(|_, edge| edge.role = Role::Alone);
    }

    /// The sender claims what the other pages stored, and folds the counters of the pages that
    /// are gone (`live`: the ids of the pages still open; absent: unknown, nothing folded).
    pub fn claim(&self, live: Option<Vec<String>>) {
        self.with_edge(|engine, edge| {
            if edge.role != Role::Sender || edge.left {
                return;
            }
            let Edge { storage, tab, .. } = edge;
            tab.claim(storage, engine, JsClock.now_ms(), &mut JsEntropy);
            if let Some(live) = live {
                tab.fold_past_stats(storage, engine, &live);
            }
        });
    }

    /// A page that does not send hands its sealed messages over, when its interval is due (or
    /// `force`): `"stored"`, `"kept"` (the write failed: this page must send them itself) or
    /// `"nothing"`.
    #[wasm_bindgen(js_name = handOver)]
    pub fn hand_over(&self, force: bool) -> String {
        self.with_edge(|engine, edge| {
            let now = JsClock.now_ms();
            if edge.role != Role::Follower
                || edge.left
                || (!force && engine.next_due_in_ms(now) > 0)
            {
                return Stored::Nothing;
            }
            let Edge { storage, tab, .. } = edge;
            tab.hand_over(storage, engine, now, &mut JsEntropy)
        })
        .unwrap_or(Stored::Nothing)
        .as_str()
        .into()
    }

    /// The page is hidden: its aggregates are parked, still mergeable, for the sender (this
    /// page on its next turn, another tab, or the next page load) to merge into the same
    /// interval. `"stored"`, `"kept"` (they stay in memory) or `"nothing"`.
    pub fn park(&self) -> String {
        self.with_edge(|engine, edge| match edge.role {
            _ if edge.left => Stored::Nothing,
            Role::Alone => Stored::Nothing,
            _ => {
                let Edge { storage, tab, .. } = edge;
                tab.park(storage, engine)
            }
        })
        .unwrap_or(Stored::Nothing)
        .as_str()
        .into()
    }

    /// The page is being unloaded: everything is stored for the next sender (aggregates
    /// parked, the queue or a hand-over written, the counters saved). What could not be stored
    /// comes back as one last upload for `fetch(…, { keepalive: true })`, the one upload in
    /// flight (none while another is under way); the stored queue is removed first, so the next
    /// page does not send those messages again. `null` when everything was stored.
    pub fn leave(&self) -> JsValue {
        self.with_edge(|engine, edge| {
            let now = JsClock.now_ms();
            if edge.left {
                return JsValue::NULL;
            }
            edge.left = true;
            let Edge {
                storage, tab, role, ..
            } = edge;
            let mut kept = match role {
                Role::Alone => true,
                _ => tab.park(storage, engine) == Stored::Kept,
            };
            kept |= match role {
                Role::Sender => engine.queued() > 0 && !tab.save_queue(storage, engine),
                Role::Follower => {
                    tab.hand_over(storage, engine, now, &mut JsEntropy) == Stored::Kept
                }
                Role::Alone => false,
            };
            if !kept {
                return JsValue::NULL;
            }
            if *role == Role::Sender {
                storage.remove(QUEUE_KEY);
            }
            match engine.last_chance(now, &mut JsEntropy, KEEPALIVE_BODY_BYTES) {
                Some(request) => action_js(Action::Send(request)),
                None => JsValue::NULL,
            }
        })
        .unwrap_or(JsValue::NULL)
    }

    /// The page is visible again: the sender claims its own parked aggregates back.
    pub fn shown(&self) {
        self.with_edge(|_, edge| edge.tab.shown());
    }

    /// The page came back from the back/forward cache after `leave`: it takes part again.
    pub fn resume(&self) {
        self.with_edge(|_, edge| edge.left = false);
    }

    /// Another tab deleted this installation's data and drew a new UID (broadcast by the JS
    /// sender): this page takes it and drops what it recorded under the old one.
    #[wasm_bindgen(js_name = adoptIdentity)]
    pub fn adopt_identity(&self, uid: &str) -> bool {
        self.with_edge(|engine, _| engine.adopt_identity(uid))
            .unwrap_or(false)
    }

    fn with_edge<T>(&self, work: impl FnOnce(&mut Engine, &mut Edge) -> T) -> Option<T> {
        let (Ok(mut engine), Ok(mut edge)) =
            (self.engine.try_borrow_mut(), self.edge.try_borrow_mut())
        else {
            return None;
        };
        Some(work(&mut engine, &mut edge))
    }
}
