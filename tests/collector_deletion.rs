//! Deletion in the collector, over real HTTP on loopback against its real SQLite database: a
//! deleted UID's late arrivals are refused by a tombstone that holds a keyed hash, never the UID;
//! with an upstream and a deletion token, the deletion becomes one `SUPPRESS_WITH_DELETE`
//! regulation at a stand-in of Segment's Public API, through an outage of it, its state
//! readable; and reading stored data needs the read key, which no write key replaces.
mod collector_support;

use collector_support::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[test]
fn reading_needs_the_read_key_and_no_write_key_reads() {
    let server = Server::start(&[]);
    for path in ["/v1/events", "/events", "/v1/deletions"] {
        assert_eq!(server.get_as(path, None).0, 401, "{path} without a key");
        assert_eq!(
            server
                .get_as(path, Some(&format!("Basic {}", basic(KEY))))
                .0,
            401,
            "{path} with the write key"
        );
        assert_eq!(
            server.get_as(path, Some(&format!("Bearer {KEY}"))).0,
            401,
            "{path} with the write key as a bearer"
        );
        assert_eq!(server.get(path).0, 200, "{path} with the read key");
        assert_eq!(
            server
                .get_as(path, Some(&format!("Basic {}", basic(READ_KEY))))
                .0,
            200,
            "{path} with the read key as the Basic user (a browser's prompt)"
        );
    }
    assert_eq!(server.get_as("/health", None).0, 200, "counts stay open");
}

#[test]
fn a_deleted_uid_is_refused_by_a_tombstone_that_holds_no_uid() {
    let server = Server::start(&[]);
    let uid = "5f0c8a3e-1d2b-4c6f-9e7a-0b1c2d3e4f50";
    let first = format!(r#"{{"batch":[{}]}}"#, track("d-1", uid, "Dump Created"));
    assert_eq!(server.post("/v1/batch", &first, Some(KEY)).0, 200);
    let (status, reply) = server.post(
        "/v1/deletion",
        &format!(r#"{{"userId":"{uid}"}}"#),
        Some(KEY),
    );
    assert_eq!(
        (status, reply.contains(r#""deleted":1"#)),
        (200, true),
        "{reply}"
    );
    // A batch still queued in another tab arrives after the deletion.
    let late = format!(
        r#"{{"batch":[{},{}]}}"#,
        track("d-2", uid, "Snapshot Created"),
        track("o-1", "another-uid", "Dump Created")
    );
    let (status, reply) = server.post("/v1/batch", &late, Some(KEY));
    assert_eq!(status, 200, "{reply}");
    assert!(reply.contains(r#""accepted":["o-1"]"#), "{reply}");
    assert!(
        reply.contains(r#""messageId":"d-2","reason":"deleted""#),
        "{reply}"
    );
    let (_, events) = server.get(&format!("/v1/events?userId={uid}"));
    assert!(events.contains(r#""events":[]"#), "{events}");
    assert_eq!(server.count(), 1, "only the other installation's message");
    assert!(
        !server.database_text().contains(uid),
        "the UID is stored nowhere, tombstone included"
    );
}

/// Every request a stand-in received: its `Authorization` header and its body.
type Seen = Arc<Mutex<Vec<(String, String)>>>;

/// A stand-in of Segment's Public API on loopback: answers 503 to the first `failures`
/// requests, then 201; records every request (its `Authorization` header and body).
fn regulations_stand_in(failures: usize) -> (String, Seen) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/regulations", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming().take(20) {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let (mut length, mut authorization) = (0, String::new());
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap_or(0) > 2 {
                let lower = line.to_ascii_lowercase();
                if let Some(v) = lower.strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
                if lower.starts_with("authorization:") {
                    authorization = line["authorization:".len()..].trim().to_owned();
                }
                line.clear();
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let mut seen = log.lock().unwrap();
            seen.push((authorization, String::from_utf8_lossy(&body).into_owned()));
            let answer = if seen.len() <= failures {
                "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            } else {
                "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"
            };
            let _ = stream.write_all(answer.as_bytes());
        }
    });
    (url, seen)
}

#[test]
fn a_deletion_reaches_the_upstream_once_through_its_outage() {
    let (regulations, seen) = regulations_stand_in(2);
    let upstream = Server::start(&[]);
    let server = Server::start(&[
        "--upstream",
        &upstream.url,
        "--upstream-write-key",
        KEY,
        "--upstream-deletion-token",
        "segment-token",
        "--upstream-deletion-url",
        &regulations,
    ]);
    let uid = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    let batch = format!(r#"{{"batch":[{}]}}"#, track("u-1", uid, "Dump Created"));
    assert_eq!(server.post("/v1/batch", &batch, Some(KEY)).0, 200);
    let until = Instant::now() + Duration::from_secs(20);
    while upstream.count() < 1 && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(upstream.count(), 1, "the message was forwarded");
    let deletion = format!(r#"{{"userId":"{uid}"}}"#);
    assert_eq!(server.post("/v1/deletion", &deletion, Some(KEY)).0, 200);
    let (_, state) = server.get("/v1/deletions");
    assert!(
        state.contains(r#""state":"pending""#) || state.contains("forwarded"),
        "{state}"
    );
    let until = Instant::now() + Duration::from_secs(30);
    while !server.get("/v1/deletions").1.contains("forwarded") && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(200));
    }
    let (_, state) = server.get("/v1/deletions");
    assert!(state.contains(r#""state":"forwarded""#), "{state}");
    assert!(
        state.contains(r#""attempts":3"#),
        "two 503s, then the regulation: {state}"
    );
    assert!(!state.contains(uid), "the state never shows the UID");
    std::thread::sleep(Duration::from_millis(500));
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 3, "three attempts, one accepted: {seen:?}");
    for (authorization, body) in seen.iter() {
        assert_eq!(authorization, "Bearer segment-token");
        assert_eq!(
            body,
            &format!(
                r#"{{"regulationType":"SUPPRESS_WITH_DELETE","subjectType":"USER_ID","subjectIds":["{uid}"]}}"#
            )
        );
    }
    let db = rusqlite::Connection::open(&server.db).unwrap();
    let kept: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM upstream_deletions WHERE user_id IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kept, 0, "forwarded: the UID is erased from the queue");
}
