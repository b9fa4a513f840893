//! # meili-telemetry
//!
//! Privacy-first, Meilisearch-style telemetry whose core runs both inside a Rust server and,
//! compiled to WebAssembly, inside a browser dashboard.
//!
//! The pipeline: **catalog** (what may be sent) → **aggregate** (merge calls of one event in
//! place) → **batch** (Segment-compatible messages within 32 KB / 500 KB) → **delivery** (upload
//! requests handed to the edge). The core never does I/O: it is told the time, given entropy and
//! handed back results. [`platform`] declares what an edge provides; [`native`] and the `wasm`
//! module are the two edges, and the only places that touch the outside world.
//!
//! The core needs only `alloc`: built for WebAssembly the crate is `no_std`, so no core module
//! can reach for the platform; the wasm edge links `std` through serde-wasm-bindgen.
//!
//! serde is the data model: the public values that cross a boundary (counters, consent, the
//! instance UID, JSON values) implement `Serialize`/`Deserialize` in every build, and
//! [`json::Value`] converts to and from `serde_json::Value`.

#![cfg_attr(target_arch = "wasm32", no_std)]

extern crate alloc;

/// The allocating names of std's prelude, which a `no_std` build lacks: each module that
/// allocates imports them from here, so one source builds with std and without.
mod prelude {
    pub use alloc::borrow::ToOwned;
    pub use alloc::boxed::Box;
    /// Tests only: the core builds no text with `format!` (see `text`).
    #[cfg(test)]
    pub use alloc::format;
    pub use alloc::string::{String, ToString};
    pub use alloc::vec;
    pub use alloc::vec::Vec;
}

pub mod aggregate;
pub mod basic_auth;
pub mod batch;
pub mod browser_traits;
pub mod catalog;
pub mod client;
pub mod collections;
pub mod config;
pub mod consent;
pub mod delivery;
pub mod engine;
pub mod error;
pub mod identity;
pub mod json;
pub mod message;
pub mod observe;
pub mod persistence;
pub mod platform;
mod text;
pub mod time;
pub mod words;

#[cfg(all(not(target_arch = "wasm32"), feature = "async-client"))]
pub mod async_client;
#[cfg(all(not(target_arch = "wasm32"), feature = "collector"))]
pub mod collector;
#[cfg(all(not(target_arch = "wasm32"), feature = "native-transport"))]
pub mod http_transport;
#[cfg(not(target_arch = "wasm32"))]
pub mod native;
#[cfg(all(not(target_arch = "wasm32"), feature = "observe-layer"))]
pub mod observe_layer;
#[cfg(all(not(target_arch = "wasm32"), feature = "system-traits"))]
pub mod system_traits;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

/// The README's Rust snippets, compiled as doctests (`cargo test --all-features`).
#[cfg(all(doctest, feature = "native-transport"))]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

pub use client::Client;
pub use config::Config;
pub use delivery::{UploadOutcome, UploadRequest};
pub use engine::{Engine, Stats};
pub use error::{ConfigError, RecordError, RecordErrorKind};
pub use identity::InstanceUid;
pub use json::Value;
pub use message::MessageBuilder;
