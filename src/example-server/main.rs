//! An example Meilisearch-shaped server (search, settings, documents) that sends its telemetry
//! as the Meilisearch server does: every request observed by the tower layer, an Identify with
//! the machine's traits at every interval, `Launched` on a first run, and on Ctrl-C or SIGTERM a
//! graceful shutdown that delivers what is buffered.
//!
//! ```sh
//! npm run collector &            # or any Segment-compatible collector
//! cargo run -p example-server
//! ```
//!
//! Environment: `MEILI_EXAMPLE_LISTEN` (default `127.0.0.1:7700`), `MEILI_TELEMETRY_ENDPOINT`
//! (default `http://127.0.0.1:8787`), `MEILI_TELEMETRY_WRITE_KEY` (default `local-dev-key`),
//! `MEILI_EXAMPLE_DATA` (where the instance UID is kept, default `data/example-server`),
//! `MEILI_TELEMETRY_INTERVAL_MS` (default one hour), and `MEILI_NO_ANALYTICS` / `--no-analytics`,
//! parsed as the Meilisearch server parses them.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use axum::{Json, Router};
use meili_telemetry::async_client::{AsyncClient, NoTransport};
use meili_telemetry::consent::resolve_server;
use meili_telemetry::engine::{InstanceStats, Traits};
use meili_telemetry::native::{FileStorage, OsEntropy, SystemClock};
use meili_telemetry::observe_layer::{IndexCreated, ObserveLayer};
use meili_telemetry::system_traits::system_traits;
use meili_telemetry::{Client, Config};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const VERSION: &str = "1.50.0";

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

/// The server's state: the task counter and the indexes that exist.
#[derive(Default)]
struct Tasks {
    next_uid: AtomicU64,
    indexes: Mutex<HashSet<String>>,
}

impl Tasks {
    fn enqueued(&self, index: &str, kind: &str) -> (StatusCode, Json<Value>) {
        let uid = self.next_uid.fetch_add(1, Ordering::Relaxed);
        let task = json!({ "taskUid": uid, "indexUid": index, "status": "enqueued", "type": kind, "enqueuedAt": "2026-12-03T00:00:00Z" });
        (StatusCode::ACCEPTED, Json(task))
    }
}

async fn search(Path(index): Path<String>, Json(query): Json<Value>) -> Json<Value> {
    let limit = query.get("limit").and_then(Value::as_u64).unwrap_or(20);
    Json(json!({
        "hits": [{ "id": 1, "title": "Star Wars" }],
        "query": query.get("q").cloned().unwrap_or(Value::Null),
        "processingTimeMs": 3, "limit": limit, "offset": 0, "estimatedTotalHits": 1, "indexUid": index,
    }))
}

async fn settings(
    State(tasks): State<Arc<Tasks>>,
    Path(index): Path<String>,
) -> (StatusCode, Json<Value>) {
    tasks.enqueued(&index, "settingsUpdate")
}

/// Adding documents creates the index if it does not exist, which the answer tells the layer
/// (`Documents Added`'s `index_creation`).
async fn documents(State(tasks): State<Arc<Tasks>>, Path(index): Path<String>) -> Response {
    let created = tasks
        .indexes
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(index.clone());
    let mut response = tasks
        .enqueued(&index, "documentAdditionOrUpdate")
        .into_response();
    if created {
        response.extensions_mut().insert(IndexCreated);
    }
    response
}

async fn health() -> Json<Value> {
    Json(json!({ "status": "available" }))
}

/// Ctrl-C or SIGTERM.
async fn stopped() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate => {}
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let consent = resolve_server(
        &args,
        std::env::var("MEILI_NO_ANALYTICS").ok().as_deref(),
        None,
    )?;
    let interval: u64 = env_or("MEILI_TELEMETRY_INTERVAL_MS", "3600000").parse()?;
    let config = Config::new(
        &env_or("MEILI_TELEMETRY_ENDPOINT", "http://127.0.0.1:8787"),
        &env_or("MEILI_TELEMETRY_WRITE_KEY", "local-dev-key"),
    )?
    .with_flush_interval_ms(interval)?;
    let storage = FileStorage::new(env_or("MEILI_EXAMPLE_DATA", "data/example-server"));
    let client = Client::open(
        config,
        SystemClock,
        OsEntropy,
        NoTransport,
        Box::new(storage),
        &consent,
    )?;
    let telemetry = AsyncClient::spawn(client);
    let mut traits = Traits::new(VERSION)?;
    traits
        .system(&system_traits())?
        .stats(&InstanceStats {
            database_size: 1 << 20,
            indexes_number: 1,
            documents_number: vec![1],
        })?
        .info("env", "development")?;
    telemetry.set_traits(traits);

    let app = Router::new()
        .route("/indexes/{index}/search", post(search))
        .route("/indexes/{index}/settings", patch(settings))
        .route("/indexes/{index}/documents", post(documents))
        .route("/health", get(health))
        .with_state(Arc::new(Tasks::default()))
        .layer(ObserveLayer::new(telemetry.clone()));
    let listen = env_or("MEILI_EXAMPLE_LISTEN", "127.0.0.1:7700");
    let listener = tokio::net::TcpListener::bind(&listen).await?;
    eprintln!(
        "example server on http://{listen}, telemetry {}",
        if consent.enabled { "on" } else { "off" }
    );
    axum::serve(listener, app)
        .with_graceful_shutdown(stopped())
        .await?;
    let stats = telemetry.shutdown(Duration::from_secs(10)).await;
    eprintln!(
        "telemetry: {} recorded, {} delivered at exit",
        stats.recorded, stats.delivered
    );
    Ok(())
}
