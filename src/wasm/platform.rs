//! The browser's clock and entropy.
use meili_telemetry_core::platform::{Clock, Entropy};

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

/// When a call was made: `at_ms` (a `Date.now()` the JS front took when the host called, before
/// the engine had loaded) when it is a time not after now, else now. A time in the future or not
/// a number is never trusted: the call is recorded now.
pub(crate) fn call_time(at_ms: Option<f64>) -> u64 {
    let now = JsClock.now_ms();
    match at_ms {
        Some(at) if at.is_finite() && at > 0.0 && at <= now as f64 => at as u64,
        _ => now,
    }
}

/// `crypto.getRandomValues`, through `getrandom`'s `wasm_js` backend.
pub(crate) struct JsEntropy;

impl Entropy for JsEntropy {
    fn fill(&mut self, dest: &mut [u8]) -> bool {
        getrandom::fill(dest).is_ok()
    }
}
