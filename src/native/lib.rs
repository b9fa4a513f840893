//! # meili-telemetry
//!
//! Privacy-first, Meilisearch-style telemetry for Rust servers: the core
//! (`meili-telemetry-core`, re-exported here whole) with its native edge — the system clock, the
//! operating system's entropy, the instance UID kept as a file ([`native`]), HTTP transports —
//! and the drivers a server runs it with:
//!
//! - [`Client`]: the engine and its persistence, driven step by step; [`Client::tick`] over a
//!   blocking transport ([`http_transport::HttpTransport`], feature `native-transport`).
//! - [`async_client::AsyncClient`] (feature `async-client`): a tokio task drives the client over
//!   an async HTTP transport; the cloneable handle records without waiting on the network, and
//!   `shutdown` delivers what is buffered.
//! - [`observe_layer::ObserveLayer`] (feature `observe-layer`): a `tower::Layer` that observes
//!   every request an axum server handles.
//! - [`system_traits::system_traits`] (feature `system-traits`): the machine's traits for the
//!   Identify call, read through `sysinfo` as the Meilisearch server reads them.
//!
//! The core decides; this crate only does the I/O it is asked for.

pub use meili_telemetry_core::*;

#[cfg(feature = "async-client")]
pub mod async_client;
pub mod client;
#[cfg(feature = "native-transport")]
pub mod http_transport;
pub mod native;
#[cfg(feature = "observe-layer")]
pub mod observe_layer;
#[cfg(feature = "system-traits")]
pub mod system_traits;

pub use client::Client;

/// The README's Rust snippets, compiled as doctests (`cargo test --workspace --all-features`).
#[cfg(all(doctest, feature = "native-transport"))]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
