//! The WebAssembly edge: the only module where `wasm_bindgen`, `js_sys` and `web_sys` appear.
//!
//! It adapts the browser (or Node) to the core: `Date.now` as the clock, `crypto.getRandomValues`
//! as entropy, `localStorage` as storage, and JS values converted to the core's [`Value`] at the
//! boundary with limits that make hostile input (cycles, huge strings, throwing getters) a counted
//! rejection instead of an exception or a panic. The network is the JS sender's (`js/delivery.js`),
//! driven by the bindings of `delivery.rs` and, between tabs, `tabs.rs`.
//!
//! [`Value`]: crate::json::Value
mod config;
mod convert;
mod delivery;
mod platform;
mod storage;
mod tabs;
mod telemetry;

pub use telemetry::Telemetry;

/// The allocator: Talc instead of the default dlmalloc, faster on the many small allocations of
/// a recorded request and smaller in the `.wasm` (single-threaded wasm; the heap grows the
/// module's memory as needed).
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
