//! Helpers of the collector tests: a collector serving in this process on a free loopback port
//! with its own temporary database, and a small HTTP client over it.
#![allow(dead_code)]

use base64::Engine as _;
use clap::Parser;
use meili_collector::{app, CollectorConfig, Store};
use meili_telemetry::async_client::{AsyncClient, NoTransport};
use meili_telemetry::consent::resolve_server;
use meili_telemetry::native::{OsEntropy, SystemClock};
use meili_telemetry::platform::Storage;
use meili_telemetry::{Client, Config};
use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;

pub const KEY: &str = "test-key";

/// A server's client (the server's consent defaults) driven by a tokio task, sending to
/// `endpoint` every `interval_ms`. Call it inside a tokio runtime.
pub fn spawn_client(
    endpoint: &str,
    storage: Box<dyn Storage + Send>,
    interval_ms: u64,
) -> AsyncClient {
    let config = Config::new(endpoint, KEY)
        .unwrap()
        .with_flush_interval_ms(interval_ms)
        .unwrap();
    let on = resolve_server::<&str>(&[], None, None).unwrap();
    let client = Client::open(config, SystemClock, OsEntropy, NoTransport, storage, &on).unwrap();
    AsyncClient::spawn(client)
}

/// Polls `check` every 50 ms until it holds (`true`) or `within` has passed (`false`).
pub fn wait_until(within: std::time::Duration, mut check: impl FnMut() -> bool) -> bool {
    let until = std::time::Instant::now() + within;
    loop {
        if check() {
            return true;
        }
        if std::time::Instant::now() >= until {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// A loopback port free at the time of the call.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
/// The read key every test collector is started with.
pub const READ_KEY: &str = "test-read-key";

pub fn basic(key: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("{key}:"))
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// A valid track message.
pub fn track(message_id: &str, user_id: &str, event: &str) -> String {
    format!(
        r#"{{"type":"track","event":"{event}","properties":{{"user-agent":[],"requests":{{"total_received":1}}}},"userId":"{user_id}","messageId":"{message_id}","timestamp":"2026-11-26T00:00:00.000Z","context":{{"ip":"0.0.0.0"}}}}"#
    )
}

pub struct Server {
    pub url: String,
    pub db: PathBuf,
    agent: ureq::Agent,
}

impl Server {
    /// Starts a collector with `flags` (over the test defaults) on a free port.
    pub fn start(flags: &[&str]) -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        Self::start_on(listener, flags)
    }

    /// Starts a collector on an already bound listener (to know its address in advance).
    pub fn start_on(listener: std::net::TcpListener, flags: &[&str]) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "meili-collector-test-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        ));
        let db = dir.join("db.sqlite");
        let mut args = vec![
            "meili-collector",
            "--write-key",
            KEY,
            "--read-key",
            READ_KEY,
            "--db",
        ];
        let db_text = db.to_string_lossy().into_owned();
        args.push(&db_text);
        args.extend_from_slice(flags);
        let config = CollectorConfig::parse_from(args);
        let store = Store::open(&db).unwrap();
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                let (router, forwarder) = app(config, store);
                if let Some(forwarder) = forwarder {
                    tokio::spawn(forwarder);
                }
                let _ = axum::serve(listener, router).await;
            });
        });
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(std::time::Duration::from_secs(20)))
            .build()
            .into();
        Self { url, db, agent }
    }

    pub fn addr(&self) -> String {
        self.url.trim_start_matches("http://").to_owned()
    }

    pub fn post_bytes(
        &self,
        path: &str,
        body: &[u8],
        key: Option<&str>,
        headers: &[(&str, &str)],
    ) -> (u16, String) {
        let mut request = self
            .agent
            .post(&format!("{}{path}", self.url))
            .header("Content-Type", "application/json");
        if let Some(key) = key {
            request = request.header("Authorization", &format!("Basic {}", basic(key)));
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        match request.send(body) {
            Ok(mut response) => {
                let status = response.status().as_u16();
                (
                    status,
                    response.body_mut().read_to_string().unwrap_or_default(),
                )
            }
            Err(e) => (0, e.to_string()),
        }
    }

    pub fn post(&self, path: &str, body: &str, key: Option<&str>) -> (u16, String) {
        self.post_bytes(path, body.as_bytes(), key, &[])
    }

    /// `GET path` with the read key.
    pub fn get(&self, path: &str) -> (u16, String) {
        self.get_as(path, Some(&format!("Bearer {READ_KEY}")))
    }

    /// `GET path` with this `Authorization` header (or none).
    pub fn get_as(&self, path: &str, authorization: Option<&str>) -> (u16, String) {
        let mut request = self.agent.get(&format!("{}{path}", self.url));
        if let Some(value) = authorization {
            request = request.header("Authorization", value);
        }
        match request.call() {
            Ok(mut response) => {
                let status = response.status().as_u16();
                (
                    status,
                    response.body_mut().read_to_string().unwrap_or_default(),
                )
            }
            Err(e) => (0, e.to_string()),
        }
    }

    /// A CORS preflight from `origin`: the status and the response headers (lowercase names).
    pub fn options(&self, path: &str, origin: &str) -> (u16, HashMap<String, String>) {
        let response = self
            .agent
            .options(&format!("{}{path}", self.url))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .header(
                "Access-Control-Request-Headers",
                "authorization, content-type",
            )
            .call()
            .unwrap();
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
            .collect();
        (response.status().as_u16(), headers)
    }

    /// How many messages are stored (through `/health`).
    pub fn count(&self) -> i64 {
        let (_, health) = self.get("/health");
        health
            .split(r#""messages":"#)
            .nth(1)
            .and_then(|s| s.split(',').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(-1)
    }

    /// The stored messages of `event` (the read API's first page).
    pub fn events(&self, event: &str) -> Vec<serde_json::Value> {
        let (_, body) = self.get(&format!("/v1/events?event={}", event.replace(' ', "%20")));
        let page: serde_json::Value = serde_json::from_str(&body).unwrap();
        page["events"].as_array().cloned().unwrap_or_default()
    }

    /// Every byte of the database files, as text (to prove a value is stored nowhere).
    pub fn database_text(&self) -> String {
        let mut text = String::new();
        for suffix in ["", "-wal", "-shm"] {
            let path = PathBuf::from(format!("{}{suffix}", self.db.display()));
            if let Ok(bytes) = std::fs::read(path) {
                text.push_str(&String::from_utf8_lossy(&bytes));
            }
        }
        text
    }
}
