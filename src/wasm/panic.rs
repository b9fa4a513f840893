//! What a panic does in the shipped `.wasm`: trap at once. The crate is `no_std` there, so the
//! panic handler is ours, and it never formats the message: with `panic = "abort"` std's handler
//! would format it for a stderr that wasm32-unknown-unknown does not have, and the formatting
//! machinery behind that (`core::fmt`, every `Debug` a panic message can name, the messages and
//! source paths themselves) would ship to every dashboard user for nothing.
//!
//! Behind the `wasm-panic-trap` feature, which `.ci/build` turns on: a build that links std (the
//! `wasm-bindgen-test` runner of `npm test`) brings std's handler, and two cannot coexist.
//! Nothing in the core is meant to panic: recording calls return typed errors.

#[panic_handler]
fn trap(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}
