//! The collector (binary `meili-collector`): a Segment-compatible intake that validates every
//! message against the catalog, stores it in SQLite idempotently by `messageId`, honours deletion
//! by instance UID, shows what arrived, serves the dashboard, and can forward to an upstream. A
//! server's binary: built with the workspace's `release` profile (speed, unwinding panics).

mod bodies;
mod config;
mod cors;
mod dashboard;
mod erasure;
mod intake;
mod read;
mod store;
mod upstream;
pub mod validate;

pub use config::CollectorConfig;
pub use dashboard::{with_metas, WRITE_KEY_META_NAME};
pub use erasure::{UpstreamDeletion, TOMBSTONE_TTL_MS};
pub use store::{Query, Store, StoredMessage};

use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use meili_telemetry::batch::MAX_BATCH_BYTES;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::services::ServeDir;
use tower_http::timeout::TimeoutLayer;

/// The shared state of the handlers.
pub(crate) struct App {
    pub(crate) config: CollectorConfig,
    /// The key that reads stored data (configured, or drawn at start).
    pub(crate) read_key: String,
    pub(crate) store: Mutex<Store>,
    pub(crate) wake_forwarder: tokio::sync::Notify,
    pub(crate) wake_deletions: tokio::sync::Notify,
}

impl App {
    /// Runs `work` on the store on a blocking thread (SQLite blocks; the async threads must
    /// not); `None` if that thread failed.
    pub(crate) async fn with_store<T: Send + 'static>(
        self: &Arc<Self>,
        work: impl FnOnce(&mut Store) -> T + Send + 'static,
    ) -> Option<T> {
        let app = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let mut store = app.store.lock().unwrap_or_else(|e| e.into_inner());
            work(&mut store)
        })
        .await
        .ok()
    }
}

async fn config_for_dashboard(State(app): State<Arc<App>>) -> Response {
    if !app.config.expose_write_key {
        return intake::error(StatusCode::NOT_FOUND, "not exposed");
    }
    let write_key = app.config.write_keys.first().cloned().unwrap_or_default();
    intake::reply(StatusCode::OK, bodies::DashboardConfig { write_key })
}

/// `GET /__panic` with `--test-panic-route`: a handler that panics.
async fn panicking() -> Response {
    panic!("the test route panics")
}

/// The answer to a request whose handler panicked (what it panicked with stays in the log).
fn panicked(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    eprintln!("meili-collector: a request handler panicked: {what}");
    intake::error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "the collector failed to handle this request; it keeps serving",
    )
}

/// A read key drawn from the OS: 32 hex digits.
pub fn random_read_key() -> String {
    let mut bytes = [0u8; 16];
    let _ = getrandom::fill(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The HTTP application over an opened store, and the background work (forwarding messages and
/// deletions upstream) when an upstream is configured. The read key is the configured one, else
/// drawn here (see [`App`]); `run` prints it.
pub fn app(
    config: CollectorConfig,
    store: Store,
) -> (Router, Option<impl std::future::Future<Output = ()>>) {
    let read_key = config.read_key.clone().unwrap_or_else(random_read_key);
    app_with_read_key(config, store, read_key)
}

fn app_with_read_key(
    config: CollectorConfig,
    store: Store,
    read_key: String,
) -> (Router, Option<impl std::future::Future<Output = ()>>) {
    let upstream = config.upstream.clone();
    let deletions = config.forwards_deletions();
    let www = config.www.clone();
    let pkg = config.pkg.clone();
    let panic_route = config.test_panic_route;
    // A slow body cannot hold a connection open: the whole request has this long.
    let timeout = Duration::from_millis(config.request_timeout_ms.max(1));
    let app = Arc::new(App {
        config,
        read_key,
        store: Mutex::new(store),
        wake_forwarder: tokio::sync::Notify::new(),
        wake_deletions: tokio::sync::Notify::new(),
    });
    let forwarder = upstream.map(|url| {
        let messages = upstream::forward(Arc::clone(&app), url);
        let regulations = deletions.then(|| upstream::forward_deletions(Arc::clone(&app)));
        async move {
            match regulations {
                Some(regulations) => {
                    tokio::join!(messages, regulations);
                }
                None => messages.await,
            }
        }
    });
    let mut router = Router::new()
        .route("/v1/batch", post(intake::batch))
        .route("/v1/track", post(intake::track))
        .route("/v1/identify", post(intake::identify))
        .route("/v1/deletion", post(intake::deletion))
        .route("/v1/events", get(read::events))
        .route("/v1/deletions", get(read::deletions))
        .route("/v1/config", get(config_for_dashboard))
        .route("/health", get(read::health))
        .route("/events", get(read::events_page))
        .route("/", get(dashboard::page))
        .route("/index.html", get(dashboard::page))
        .nest_service("/pkg", ServeDir::new(pkg))
        .fallback_service(ServeDir::new(www))
        .layer(DefaultBodyLimit::max(MAX_BATCH_BYTES))
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&app),
            cors::cors,
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            timeout,
        ));
    if panic_route {
        router = router.route("/__panic", get(panicking));
    }
    // Outermost: a handler that panics is answered 500 and the process keeps serving.
    let router = router
        .layer(CatchPanicLayer::custom(panicked))
        .with_state(app);
    (router, forwarder)
}

/// Opens the database, binds, and serves until the process is stopped. A misspelt
/// `MEILI_NO_ANALYTICS` stops it before it starts, as it stops the Meilisearch server.
pub async fn run(config: CollectorConfig) -> std::io::Result<()> {
    let consent = config.dashboard_consent().map_err(std::io::Error::other)?;
    if !consent.enabled {
        eprintln!(
            "meili-collector: analytics off ({}): the dashboard it serves collects nothing",
            consent.reason.as_str()
        );
    }
    if config
        .read_key
        .as_ref()
        .is_some_and(|k| k.is_empty() || config.write_keys.contains(k))
    {
        return Err(std::io::Error::other(
            "meili-collector: --read-key must be set and differ from every write key (a write key never reads)",
        ));
    }
    let store = Store::open(&config.db)
        .map_err(|e| std::io::Error::other(format!("{}: {e}", config.db.display())))?;
    let read_key = config.read_key.clone().unwrap_or_else(random_read_key);
    if config.read_key.is_none() {
        eprintln!(
            "meili-collector: read key for this run (GET /v1/events, /events): {read_key} — set --read-key or MEILI_COLLECTOR_READ_KEY to keep one"
        );
    }
    if config.upstream.is_some() && !config.forwards_deletions() {
        eprintln!(
            "meili-collector: no --upstream-deletion-token: deletions stay local, the upstream keeps what it was forwarded"
        );
    }
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    eprintln!(
        "meili-collector: listening on http://{} (database {})",
        listener.local_addr()?,
        config.db.display()
    );
    let (router, forwarder) = app_with_read_key(config, store, read_key);
    if let Some(forwarder) = forwarder {
        tokio::spawn(forwarder);
    }
    axum::serve(listener, router).await
}
