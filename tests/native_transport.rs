//! The native HTTP transport (feature `native-transport`) against a loopback HTTP server in this
//! process: a 200, a 503 with `Retry-After` (kept for the policy), a refused connection, and an
//! answer slower than the timeout — each an outcome, never a panic; and a `Client` delivering
//! through it.
use meili_telemetry::delivery::UploadRequest;
use meili_telemetry::http_transport::HttpTransport;
use meili_telemetry::native::{OsEntropy, SystemClock};
use meili_telemetry::platform::Transport;
use meili_telemetry::{Client, Config, UploadOutcome, Value};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;

/// Serves `answers` in order, one connection each, then stops; returns the address and the
/// request texts received.
fn serve(answers: Vec<(&'static str, u64)>) -> (String, std::thread::JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let mut seen = Vec::new();
        for (answer, delay_ms) in answers {
            let Ok((mut stream, _)) = listener.accept() else {
                break;
            };
            stream
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            let mut buffer = vec![0u8; 64 * 1024];
            let mut text = String::new();
            while let Ok(n) = stream.read(&mut buffer) {
                text.push_str(&String::from_utf8_lossy(&buffer[..n]));
                let complete = text.split_once("\r\n\r\n").is_some_and(|(head, body)| {
                    let length = head
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                        })
                        .unwrap_or(0);
                    body.len() >= length
                });
                if n == 0 || complete {
                    break;
                }
            }
            seen.push(text);
            std::thread::sleep(Duration::from_millis(delay_ms));
            let _ = stream.write_all(answer.as_bytes());
        }
        seen
    });
    (address, handle)
}

const OK: &str = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}";
const UNAVAILABLE: &str = "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 7\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

fn request(url: &str) -> UploadRequest {
    UploadRequest {
        url: format!("{url}/v1/batch"),
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: r#"{"batch":[]}"#.into(),
        message_ids: Vec::new(),
    }
}

#[test]
fn answers_become_outcomes() {
    let (url, server) = serve(vec![(OK, 0), (UNAVAILABLE, 0), (OK, 1_500)]);
    let mut transport = HttpTransport::with_timeout(Duration::from_millis(500));
    assert_eq!(transport.send(&request(&url)), UploadOutcome::Status(200));
    assert_eq!(transport.send(&request(&url)), UploadOutcome::Status(503));
    assert_eq!(transport.last_retry_after().as_deref(), Some("7"));
    assert_eq!(
        transport.send(&request(&url)),
        UploadOutcome::NetworkError,
        "slower than the timeout"
    );
    let seen = server.join().unwrap();
    assert!(
        seen[0].starts_with("POST /v1/batch HTTP/1.1"),
        "{}",
        seen[0]
    );
    assert!(seen[0].ends_with(r#"{"batch":[]}"#));
    // Nothing listens any more: refused.
    assert_eq!(transport.send(&request(&url)), UploadOutcome::NetworkError);
}

#[test]
fn a_server_delivers_through_it() {
    let (url, server) = serve(vec![(UNAVAILABLE, 0), (OK, 0)]);
    let config = Config::new(&url, "server-key").unwrap();
    let mut client = Client::new(config, SystemClock, OsEntropy, HttpTransport::default()).unwrap();
    client.record("Dump Created", &Value::Null).unwrap();
    assert_eq!(client.flush(), vec![UploadOutcome::Status(503)]);
    assert_eq!(client.flush(), vec![UploadOutcome::Status(200)]);
    assert_eq!(client.stats().delivered, 1);
    let seen = server.join().unwrap();
    let authorization = seen[1]
        .lines()
        .find_map(|l| {
            l.split_once(':')
                .filter(|(k, _)| k.eq_ignore_ascii_case("authorization"))
        })
        .map(|(_, v)| v.trim());
    assert_eq!(authorization, Some("Basic c2VydmVyLWtleTo="), "{}", seen[1]);
    assert!(seen[1].contains(r#""event":"Dump Created""#));
}
