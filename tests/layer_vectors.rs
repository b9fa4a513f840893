//! The server path against the shared vectors (`tests/vectors/`): each vector's requests are sent
//! over loopback HTTP, exactly as recorded (method, path and query, headers, body), to an axum
//! router behind `ObserveLayer` whose handler answers each with its recorded response; the
//! `AsyncClient` behind the layer delivers its summaries to the real collector at shutdown. What
//! the collector stored must be, property for property and byte for byte, the vector's expected
//! lines — the very bytes the browser build derives from the same requests
//! (`tests/browser/vectors.rs`, in Chromium and Firefox) and the native replay (`tests/vectors.rs`).
mod collector_support;
mod common;

use axum::body::Body;
use axum::http::{header, Response, StatusCode};
use axum::Router;
use collector_support::*;
use common::vectors::VECTORS;
use meili_telemetry::json::parse;
use meili_telemetry::native::FileStorage;
use meili_telemetry::observe_layer::{IndexCreated, ObserveLayer};
use meili_telemetry::Value;
use std::io::{Read, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// The one input a wire cannot replay: how long the handler took. The layer measures it (a chat
/// completion's `time_spent`); the vector records a figure. Compared apart: plausible, not equal.
const MEASURED: (&str, &str) = ("Chat Completion POST", "time_spent");

/// One recorded exchange: the request as bytes on the wire, and the answer to give (a request
/// recorded without one, as the server observes some routes before answering, is answered 200
/// with no body, which those derivations do not read).
struct Exchange {
    request: Vec<u8>,
    status: u16,
    body: Option<String>,
    /// The handler created the index (`indexCreation`), which it tells the layer.
    index_created: bool,
}

fn text(value: &Value) -> &str {
    match value {
        Value::String(s) => s,
        other => panic!("expected a string, got {}", other.to_json()),
    }
}

fn exchanges(input: &str) -> Vec<Exchange> {
    let vector = parse(input).unwrap();
    let Some(Value::Array(requests)) = vector.get("requests") else {
        panic!("a requests array")
    };
    requests
        .iter()
        .map(|request| {
            let body = request.get("body").map(Value::to_json);
            let mut head = format!(
                "{} {} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n",
                text(request.get("method").unwrap()),
                text(request.get("path").unwrap()),
            );
            if let Some(Value::Object(headers)) = request.get("headers") {
                for (name, value) in headers {
                    head.push_str(&format!("{name}: {}\r\n", text(value)));
                }
            }
            let body = body.unwrap_or_default();
            head.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
            let response = request.get("response");
            let status = match response.and_then(|r| r.get("status")) {
                Some(Value::Int(status)) => *status as u16,
                _ => 200,
            };
            Exchange {
                request: head.into_bytes(),
                status,
                body: response.and_then(|r| r.get("body")).map(Value::to_json),
                index_created: request.get("indexCreation") == Some(&Value::Bool(true)),
            }
        })
        .collect()
}

/// A router that answers the `i`-th request with the `i`-th recorded response.
fn replaying_router(exchanges: Arc<Vec<Exchange>>) -> Router {
    let next = Arc::new(AtomicUsize::new(0));
    Router::new().fallback(move || {
        let exchanges = Arc::clone(&exchanges);
        let i = next.fetch_add(1, Ordering::SeqCst);
        async move {
            let exchange = &exchanges[i];
            let mut response =
                Response::builder().status(StatusCode::from_u16(exchange.status).unwrap());
            let body = match &exchange.body {
                Some(json) => {
                    response = response.header(header::CONTENT_TYPE, "application/json");
                    Body::from(json.clone())
                }
                None => Body::empty(),
            };
            let mut response = response.body(body).unwrap();
            if exchange.index_created {
                response.extensions_mut().insert(IndexCreated);
            }
            response
        }
    })
}

/// Sends the recorded bytes one request after another, each on its own connection.
fn send_all(address: std::net::SocketAddr, exchanges: &[Exchange]) {
    for exchange in exchanges {
        let mut stream = std::net::TcpStream::connect(address).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream.write_all(&exchange.request).unwrap();
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).unwrap();
        assert!(answer.starts_with(b"HTTP/1.1 "), "an HTTP answer");
    }
}

/// The stored properties of `event` under `uid`, as the collector returns them (in order).
fn stored(collector: &Server, event: &str, uid: &str) -> Vec<Value> {
    let (status, body) = collector.get(&format!(
        "/v1/events?event={}&userId={uid}",
        event.replace(' ', "%20")
    ));
    assert_eq!(status, 200, "{body}");
    let page = parse(&body).unwrap();
    let Some(Value::Array(events)) = page.get("events") else {
        panic!("an events array: {body}")
    };
    events
        .iter()
        .map(|e| e.get("properties").unwrap().clone())
        .collect()
}

/// Takes the property `key` out of `properties`.
fn take(properties: &mut Value, key: &str) -> Option<Value> {
    let Value::Object(fields) = properties else {
        return None;
    };
    let at = fields.iter().position(|(k, _)| k == key)?;
    Some(fields.remove(at).1)
}

fn int(value: &Value, key: &str) -> i64 {
    match value.get(key) {
        Some(Value::Int(n)) => *n,
        other => panic!("{key}: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_layer_derives_the_bytes_the_browser_build_derives() {
    let collector = Server::start(&[]);
    let mut compared = 0;
    for (name, input, expected) in VECTORS {
        if parse(input).unwrap().get("observer") == Some(&Value::from("dashboard")) {
            continue; // the page's own events: no server observes them
        }
        let dir =
            std::env::temp_dir().join(format!("meili-layer-vectors-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let telemetry = spawn_client(&collector.url, Box::new(FileStorage::new(&dir)), 3_600_000);
        let uid = telemetry.instance_uid().text();

        let exchanges = Arc::new(exchanges(input));
        let app =
            replaying_router(Arc::clone(&exchanges)).layer(ObserveLayer::new(telemetry.clone()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let server = tokio::spawn(async move { axum::serve(listener, app).await });
        let sent = Arc::clone(&exchanges);
        tokio::task::spawn_blocking(move || send_all(address, &sent))
            .await
            .unwrap();
        let stats = telemetry.shutdown(Duration::from_secs(10)).await;
        server.abort();
        assert_eq!(stats.delivered, stats.sealed, "{name}: {stats:?}");

        for line in expected.lines() {
            let line = parse(line).unwrap();
            let event = text(line.get("event").unwrap());
            let mut want = line.get("properties").unwrap().clone();
            let mut got = stored(&collector, event, &uid);
            assert_eq!(got.len(), 1, "vector {name}: one summary of {event:?}");
            let got = &mut got[0];
            if event == MEASURED.0 {
                take(&mut want, MEASURED.1);
                let spent = take(got, MEASURED.1).expect("a measured time");
                let (min, max) = (int(&spent, "min"), int(&spent, "max"));
                assert!(0 <= min && min <= int(&spent, "avg") && int(&spent, "avg") <= max);
            }
            assert_eq!(
                got.to_json(),
                want.to_json(),
                "vector {name}, event {event:?}: the server's summary differs from the browser's"
            );
            compared += 1;
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
    assert!(compared >= 30, "only {compared} summaries compared");
}
