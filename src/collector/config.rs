//! The collector's configuration, from flags or environment variables (`meili-collector --help`).

use clap::Parser;
use meili_telemetry::consent::{resolve_server, Consent, ServerFlagError};
use std::net::SocketAddr;
use std::path::PathBuf;

/// A Segment-compatible intake for meili-telemetry batches, stored in SQLite.
#[derive(Debug, Clone, Parser)]
#[command(name = "meili-collector", version)]
pub struct CollectorConfig {
    /// Address to listen on.
    #[arg(long, env = "MEILI_COLLECTOR_LISTEN", default_value = "127.0.0.1:8787")]
    pub listen: SocketAddr,
    /// The SQLite database file (created if missing).
    #[arg(
        long,
        env = "MEILI_COLLECTOR_DB",
        default_value = "data/collector.sqlite"
    )]
    pub db: PathBuf,
    /// Accepted write keys (HTTP Basic user name), comma-separated in the environment.
    #[arg(
        long = "write-key",
        env = "MEILI_COLLECTOR_WRITE_KEYS",
        value_delimiter = ',',
        default_value = "local-dev-key"
    )]
    pub write_keys: Vec<String>,
    /// Origins allowed by CORS (`*` for any), comma-separated in the environment.
    #[arg(
        long = "allow-origin",
        env = "MEILI_COLLECTOR_ALLOWED_ORIGINS",
        value_delimiter = ',',
        default_value = "*"
    )]
    pub allowed_origins: Vec<String>,
    /// A Segment-compatible upstream (`https://api.segment.io`, a RudderStack data plane…) to
    /// forward validated messages to.
    #[arg(long, env = "MEILI_COLLECTOR_UPSTREAM")]
    pub upstream: Option<String>,
    /// The write key for the upstream.
    #[arg(long, env = "MEILI_COLLECTOR_UPSTREAM_WRITE_KEY", default_value = "")]
    pub upstream_write_key: String,
    /// A token of Segment's Public API (a workspace token with the Deletion and Suppression
    /// permission): each deletion is forwarded to the upstream as a `SUPPRESS_WITH_DELETE`
    /// regulation. Without it, deletions stay local (the collector says so at start).
    #[arg(long, env = "MEILI_COLLECTOR_UPSTREAM_DELETION_TOKEN")]
    pub upstream_deletion_token: Option<String>,
    /// Where regulations are created (Segment's Public API, or a stand-in).
    #[arg(
        long,
        env = "MEILI_COLLECTOR_UPSTREAM_DELETION_URL",
        default_value = "https://api.segmentapis.com/regulations"
    )]
    pub upstream_deletion_url: String,
    /// The key that reads stored data (`GET /v1/events`, `/events`, `/v1/deletions`), as a
    /// Bearer token or the HTTP Basic user name; distinct from every write key. Without it, one is
    /// drawn at start and printed.
    #[arg(long, env = "MEILI_COLLECTOR_READ_KEY")]
    pub read_key: Option<String>,
    /// Directory served at `/` (the built dashboard).
    #[arg(long, env = "MEILI_COLLECTOR_WWW", default_value = "www/dist")]
    pub www: PathBuf,
    /// Directory served at `/pkg` (the built npm package).
    #[arg(long, env = "MEILI_COLLECTOR_PKG", default_value = "pkg")]
    pub pkg: PathBuf,
    /// A request (body included) slower than this is answered 408, in ms.
    #[arg(
        long,
        env = "MEILI_COLLECTOR_REQUEST_TIMEOUT_MS",
        default_value_t = 10_000
    )]
    pub request_timeout_ms: u64,
    /// Serve the first write key at `/v1/config` and in the dashboard page, for the local
    /// dashboard (development only).
    #[arg(long, env = "MEILI_COLLECTOR_EXPOSE_WRITE_KEY")]
    pub expose_write_key: bool,
    /// The dashboard served at `/` collects nothing: its page tells the package that the server
    /// runs with analytics off, as `meilisearch --no-analytics` would. `MEILI_NO_ANALYTICS`
    /// (exactly `true` or `false`) is read as the Meilisearch server reads it.
    #[arg(long = "no-analytics")]
    pub no_analytics: bool,
    /// Tests only: `GET /__panic` panics, to prove that a panicking handler is answered 500 and
    /// the collector keeps serving.
    #[arg(long, hide = true)]
    pub test_panic_route: bool,
    /// The raw `MEILI_NO_ANALYTICS`, read when the flags are parsed (see [`Self::dashboard_consent`]).
    #[arg(skip = std::env::var("MEILI_NO_ANALYTICS").ok())]
    pub no_analytics_env: Option<String>,
}

impl CollectorConfig {
    /// The consent the served dashboard is told, resolved as the Meilisearch server resolves its
    /// own (`consent::resolve_server`): `Err` for a misspelt `MEILI_NO_ANALYTICS`, which stops
    /// the collector from starting, as it stops the server.
    pub fn dashboard_consent(&self) -> Result<Consent, ServerFlagError> {
        let args: &[&str] = if self.no_analytics {
            &["--no-analytics"]
        } else {
            &[]
        };
        resolve_server(args, self.no_analytics_env.as_deref(), None)
    }
}

impl CollectorConfig {
    /// Whether deletions are forwarded to an upstream (one is set, with a deletion token).
    pub fn forwards_deletions(&self) -> bool {
        self.upstream.is_some()
            && self
                .upstream_deletion_token
                .as_deref()
                .is_some_and(|t| !t.is_empty())
    }
}
