//! # meili-telemetry-wasm
//!
//! The WebAssembly binding (a `cdylib`, the module of the npm package): the only crate where
//! `wasm_bindgen`, `js_sys` and `web_sys` appear.
//!
//! It adapts the browser (or Node) to the core: `Date.now` as the clock, `crypto.getRandomValues`
//! as entropy, `localStorage` as storage, and JS values converted to the core's [`Value`] at the
//! boundary with limits that make hostile input (cycles, huge strings, throwing getters) a counted
//! rejection instead of an exception or a panic. The network is the JS sender's (`js/delivery.js`),
//! driven by the bindings of `delivery.rs` and, between tabs, `tabs.rs`.
//!
//! [`Value`]: meili_telemetry_core::json::Value
//!
//! Everything is for `wasm32`: built natively, the crate is empty. Its tests (`tests/browser/`)
//! are this crate's unit tests, run in Chromium and Firefox by `wasm-pack test src/wasm`.
#![cfg(target_arch = "wasm32")]

mod config;
mod convert;
mod delivery;
mod platform;
mod storage;
mod tabs;
mod telemetry;

pub use telemetry::Telemetry;

#[cfg(test)]
#[path = "../../tests/browser/mod.rs"]
mod browser_tests;

/// The allocator: Talc instead of the default dlmalloc, faster on the many small allocations of
/// a recorded request and smaller in the `.wasm` (single-threaded wasm; the heap grows the
/// module's memory as needed).
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
