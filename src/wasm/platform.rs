//! The browser's clock and entropy.
use crate::platform::{Clock, Entropy};

/// `Date.now()`.
pub(crate) struct JsClock;

impl Clock for JsClock {
    fn now_ms(&self) -> u64 {
        let now = js_sys::Date::now();
        if now.is_finite() && now > 0.0 {
            now as u64
        } else {
            0
        }
    }
}

/// `crypto.getRandomValues`, through `getrandom`'s `wasm_js` backend.
pub(crate) struct JsEntropy;

impl Entropy for JsEntropy {
    fn fill(&mut self, dest: &mut [u8]) -> bool {
        getrandom::fill(dest).is_ok()
    }
}
