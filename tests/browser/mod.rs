//! The browser tests: the wasm binding's unit tests, run in headless Chromium and Firefox by
//! `wasm-pack test src/wasm` (`npm test` starts the loopback collector they talk to). The
//! binding is a `cdylib` only, so its tests live inside it: `src/wasm/lib.rs` includes this
//! module under `cfg(test)`.

mod boundary;
mod consent;
mod consent_table;
mod instrument;
mod support;
mod vectors;
mod vertical_slice;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
