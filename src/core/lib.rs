//! # meili-telemetry-core
//!
//! The pure core of meili-telemetry, shared by the Rust server edge (`meili-telemetry`) and the
//! WebAssembly binding (`meili-telemetry-wasm`).
//!
//! The pipeline: **catalog** (what may be sent) → **aggregate** (merge calls of one event in
//! place) → **batch** (Segment-compatible messages within 32 KB / 500 KB) → **delivery** (upload
//! requests handed to the edge). The core never does I/O: it is told the time, given entropy and
//! handed back results. [`platform`] declares what an edge provides; the edges implement it and
//! are the only places that touch the outside world.
//!
//! The crate is `no_std` (it needs only `alloc`) and depends on no platform crate, so no module
//! here can reach for the platform.
//!
//! **Its public API** is what an edge or a host may use: the [`Engine`] (record, observe, poll
//! for uploads, hand back outcomes), its configuration, the catalog and its validation, the
//! observation of requests, consent, persistence of the engine's state through [`platform`]'s
//! `Storage`, and the values that cross a boundary. serde is the data model: those values
//! implement `Serialize`/`Deserialize`, and [`json::Value`] converts to and from
//! `serde_json::Value`.
//!
//! Features: `server` (a server's Identify and first-run `Launched`, and the catalog's Identify
//! declarations, which a browser never builds), `docs` (the catalog's text for people, which the
//! catalog tool publishes).

#![cfg_attr(not(test), no_std)]

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
mod basic_auth;
pub mod batch;
pub mod browser_traits;
pub mod catalog;
mod collections;
pub mod config;
pub mod consent;
pub mod delivery;
pub mod engine;
pub mod error;
pub mod identity;
pub mod json;
mod message;
pub mod observe;
pub mod persistence;
pub mod platform;
mod text;
pub mod time;
mod words;

/// The counters of [`Stats`] (`lost`, `rejected`): a count per reason, every reason present.
pub use collections::Tally;
pub use config::Config;
pub use delivery::{UploadOutcome, UploadRequest};
pub use engine::{Engine, Stats};
pub use error::{ConfigError, RecordError, RecordErrorKind};
pub use identity::InstanceUid;
pub use json::Value;
pub use message::MessageBuilder;
/// The enums written as one word on the wire and in the counters (`LossReason`, `RecordErrorKind`).
pub use words::Word;
