//! Browser storage: `localStorage` as the core's [`Storage`], defensively (it may be missing, as
//! in Node, or throw, as in sandboxed frames and some private modes: then nothing is kept).
//! Also what the navigator tells: the privacy signals (Do Not Track, Global Privacy Control) and
//! the device facts the coarse browser traits are reduced from.

use js_sys::Reflect;
use meili_telemetry_core::platform::{Storage, StorageError};
use wasm_bindgen::{JsCast, JsValue};

/// `globalThis.localStorage`, or nothing when absent or inaccessible.
pub(crate) struct LocalStorage(Option<web_sys::Storage>);

impl LocalStorage {
    /// The page's storage (`enabled: false`: none, nothing is ever kept).
    pub(crate) fn open(enabled: bool) -> Self {
        if !enabled {
            return Self(None);
        }
        let storage = Reflect::get(&js_sys::global(), &JsValue::from_str("localStorage"))
            .ok()
            .filter(|s| !s.is_undefined() && !s.is_null())
            .and_then(|s| s.dyn_into::<web_sys::Storage>().ok());
        Self(storage)
    }

    /// Whether the page has a storage at all (its writes may still fail).
    pub(crate) fn is_present(&self) -> bool {
        self.0.is_some()
    }
}

impl Storage for LocalStorage {
    fn read(&self, key: &str) -> Option<String> {
        self.0.as_ref()?.get_item(key).ok().flatten()
    }

    fn write(&mut self, key: &str, value: &str) -> Result<(), StorageError> {
        let Some(storage) = &self.0 else {
            return Err(StorageError("no storage in this context".into()));
        };
        storage
            .set_item(key, value)
            .map_err(|_| StorageError("localStorage refused the write (quota or policy)".into()))
    }

    fn remove(&mut self, key: &str) {
        if let Some(storage) = &self.0 {
            let _ = storage.remove_item(key);
        }
    }

    fn keys(&self) -> Vec<String> {
        let Some(storage) = &self.0 else {
            return Vec::new();
        };
        let n = storage.length().unwrap_or(0);
        (0..n)
            .filter_map(|i| storage.key(i).ok().flatten())
            .collect()
    }
}

fn navigator_field(name: &str) -> JsValue {
    Reflect::get(&js_sys::global(), &JsValue::from_str("navigator"))
        .ok()
        .filter(|n| n.is_object())
        .and_then(|n| Reflect::get(&n, &JsValue::from_str(name)).ok())
        .unwrap_or(JsValue::UNDEFINED)
}

/// What the navigator says about the device, for the coarse traits of `Dashboard Opened`.
pub(crate) fn browser_facts() -> meili_telemetry_core::browser_traits::BrowserFacts {
    meili_telemetry_core::browser_traits::BrowserFacts {
        user_agent: navigator_field("userAgent").as_string().unwrap_or_default(),
        hardware_concurrency: navigator_field("hardwareConcurrency").as_f64(),
        device_memory_gb: navigator_field("deviceMemory").as_f64(),
    }
}

/// `navigator.doNotTrack === "1"`.
pub(crate) fn do_not_track() -> bool {
    navigator_field("doNotTrack").as_string().as_deref() == Some("1")
}

/// `navigator.globalPrivacyControl === true`.
pub(crate) fn global_privacy_control() -> bool {
    navigator_field("globalPrivacyControl").as_bool() == Some(true)
}
