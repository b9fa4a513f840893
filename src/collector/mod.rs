//! The collector (cargo feature `collector`, binary `meili-collector`): a Segment-compatible
//! intake that validates every message against the catalog, stores it in SQLite idempotently by
//! `messageId`, honours deletion by instance UID, shows what arrived, serves the dashboard, and
//! can forward to an upstream. Native only; none of it reaches the wasm.

mod config;
mod cors;
mod dashboard;
mod intake;
mod read;
mod store;
mod upstream;
pub mod validate;

pub use config::CollectorConfig;
pub use dashboard::{with_metas, WRITE_KEY_META_NAME};
pub use store::{Query, Store, StoredMessage};

use crate::batch::MAX_BATCH_BYTES;
use crate::json::Value;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tower_http::services::ServeDir;
use tower_http::timeout::TimeoutLayer;

/// The shared state of the handlers.
pub(crate) struct App {
    pub(crate) config: CollectorConfig,
    pub(crate) store: Mutex<Store>,
    pub(crate) wake_forwarder: tokio::sync::Notify,
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
    let mut body = Value::object();
    body.insert(
        "writeKey",
        app.config
            .write_keys
            .first()
            .cloned()
            .unwrap_or_default()
            .into(),
    );
    intake::reply(StatusCode::OK, body)
}

/// The HTTP application over an opened store (and the forwarder's future, when an upstream is
/// configured).
pub fn app(
    config: CollectorConfig,
    store: Store,
) -> (Router, Option<impl std::future::Future<Output = ()>>) {
    let upstream = config.upstream.clone();
    let www = config.www.clone();
    let pkg = config.pkg.clone();
    // A slow body cannot hold a connection open: the whole request has this long.
    let timeout = Duration::from_millis(config.request_timeout_ms.max(1));
    let app = Arc::new(App {
        config,
        store: Mutex::new(store),
        wake_forwarder: tokio::sync::Notify::new(),
    });
    let forwarder = upstream.map(|url| upstream::forward(Arc::clone(&app), url));
    let router = Router::new()
        .route("/v1/batch", post(intake::batch))
        .route("/v1/track", post(intake::track))
        .route("/v1/identify", post(intake::identify))
        .route("/v1/deletion", post(intake::deletion))
        .route("/v1/events", get(read::events))
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
        ))
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
    let store = Store::open(&config.db)
        .map_err(|e| std::io::Error::other(format!("{}: {e}", config.db.display())))?;
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    eprintln!(
        "meili-collector: listening on http://{} (database {})",
        listener.local_addr()?,
        config.db.display()
    );
    let (router, forwarder) = app(config, store);
    if let Some(forwarder) = forwarder {
        tokio::spawn(forwarder);
    }
    axum::serve(listener, router).await
}
