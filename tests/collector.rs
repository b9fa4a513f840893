//! The collector over real HTTP on loopback against its real SQLite database: every status it
//! answers, gzip bodies, CORS preflight, partial acceptance, deduplication on retry, deletion,
//! the read API's filters, forwarding to an upstream through an outage, and a corpus of
//! malformed payloads (each a clear 4xx, the server keeps serving, nothing invalid stored).
mod collector_support;

use collector_support::*;
use std::io::{Read, Write};
use std::time::{Duration, Instant};

#[test]
fn statuses_partial_acceptance_dedupe_and_privacy() {
    let server = Server::start(&[]);
    let good = track("m-1", "u-1", "Dump Created");
    let body = format!(r#"{{"batch":[{good}]}}"#);
    assert_eq!(server.post("/v1/batch", &body, None).0, 401, "no write key");
    assert_eq!(
        server.post("/v1/batch", &body, Some("wrong")).0,
        401,
        "wrong write key"
    );
    let (status, reply) = server.post("/v1/batch", &body, Some(KEY));
    assert_eq!(status, 200, "{reply}");
    assert!(reply.contains(r#""accepted":["m-1"]"#), "{reply}");

    // A retry stores nothing twice.
    let (status, reply) = server.post("/v1/batch", &body, Some(KEY));
    assert_eq!(
        (status, reply.contains(r#""duplicates":1"#)),
        (200, true),
        "{reply}"
    );
    assert_eq!(server.count(), 1);

    // Partial acceptance: the valid message is kept, the others reported by index.
    let oversize = format!(
        r#"{{"type":"track","event":"Dump Created","userId":"u-1","messageId":"big","properties":{{"requests":{{"total_received":1}}}},"padding":"{}"}}"#,
        "x".repeat(33 * 1024)
    );
    let mixed = format!(
        r#"{{"batch":[{},{},{},{}]}}"#,
        track("m-2", "u-1", "Snapshot Created"),
        track("m-3", "u-1", "Made Up"),
        r#"{"type":"track","event":"Indexes Swapped","userId":"u-1","messageId":"m-4","properties":{"swap_operation_number":"many"}}"#,
        oversize
    );
    let (status, reply) = server.post("/v1/batch", &mixed, Some(KEY));
    assert_eq!(status, 200, "{reply}");
    assert!(reply.contains(r#""accepted":["m-2"]"#), "{reply}");
    assert!(
        reply.contains(r#""index":1"#) && reply.contains("not in the telemetry catalog"),
        "{reply}"
    );
    assert!(
        reply.contains(r#""index":2"#) && reply.contains("must be a non-negative integer"),
        "{reply}"
    );
    assert!(
        reply.contains(r#""index":3"#) && reply.contains("at most 32768"),
        "{reply}"
    );
    let all_bad = format!(r#"{{"batch":[{}]}}"#, track("m-5", "u-1", "Nope"));
    assert_eq!(server.post("/v1/batch", &all_bad, Some(KEY)).0, 400);

    // Single-message routes.
    assert_eq!(
        server
            .post("/v1/track", &track("m-6", "u-2", "Dump Created"), Some(KEY))
            .0,
        200
    );
    let identify = r#"{"userId":"u-2","messageId":"m-7","traits":{"system":{"cores":8}},"context":{"app":{"version":"1.50.0"},"ip":"203.0.113.9"}}"#;
    let (status, reply) = server.post("/v1/identify", identify, Some(KEY));
    assert_eq!(status, 200, "{reply}");

    // Nothing of the sender's network identity is stored.
    let (_, events) = server.get("/v1/events?userId=u-2");
    assert!(
        events.contains(r#""traits"#) || events.contains(r#""system":{"cores":8}"#),
        "{events}"
    );
    assert!(
        !events.contains("203.0.113.9"),
        "an IP was stored: {events}"
    );
    assert!(
        events.contains(r#""context":{"app":{"version":"1.50.0"}}"#),
        "{events}"
    );

    // A 500 KB body is refused; so is a gzip body that inflates past it.
    let huge = format!(r#"{{"batch":[],"pad":"{}"}}"#, "x".repeat(600 * 1024));
    assert_eq!(server.post("/v1/batch", &huge, Some(KEY)).0, 413);
    let bomb =
        gzip(format!(r#"{{"batch":[],"pad":"{}"}}"#, "x".repeat(2 * 1024 * 1024)).as_bytes());
    assert!(bomb.len() < 100 * 1024);
    assert_eq!(
        server
            .post_bytes(
                "/v1/batch",
                &bomb,
                Some(KEY),
                &[("Content-Encoding", "gzip")]
            )
            .0,
        413
    );
    let zipped =
        gzip(format!(r#"{{"batch":[{}]}}"#, track("m-8", "u-3", "Dump Created")).as_bytes());
    let (status, reply) = server.post_bytes(
        "/v1/batch",
        &zipped,
        Some(KEY),
        &[("Content-Encoding", "gzip")],
    );
    assert_eq!(status, 200, "{reply}");
    assert_eq!(server.count(), 5);
}

#[test]
fn cors_preflight_for_allowed_origins_only() {
    let server = Server::start(&["--allow-origin", "http://dashboard.test"]);
    let (status, headers) = server.options("/v1/batch", "http://dashboard.test");
    assert_eq!(status, 204);
    assert_eq!(
        headers
            .get("access-control-allow-origin")
            .map(String::as_str),
        Some("http://dashboard.test")
    );
    assert!(headers["access-control-allow-headers"].contains("Authorization"));
    assert!(headers["access-control-allow-headers"].contains("Content-Encoding"));
    assert_eq!(server.options("/v1/batch", "http://evil.test").0, 403);
}

#[test]
fn deletion_erases_a_uid_and_records_only_that_it_happened() {
    let server = Server::start(&[]);
    let batch = format!(
        r#"{{"batch":[{},{},{}]}}"#,
        track("a1", "uid-a", "Dump Created"),
        track("a2", "uid-a", "Snapshot Created"),
        track("b1", "uid-b", "Dump Created")
    );
    assert_eq!(server.post("/v1/batch", &batch, Some(KEY)).0, 200);
    assert_eq!(
        server.post("/v1/deletion", r#"{"userId":"uid-a"}"#, None).0,
        401
    );
    let (status, reply) = server.post("/v1/deletion", r#"{"userId":"uid-a"}"#, Some(KEY));
    assert_eq!(
        (status, reply.contains(r#""deleted":2"#)),
        (200, true),
        "{reply}"
    );
    let (_, events) = server.get("/v1/events");
    assert!(
        !events.contains("uid-a") && events.contains("uid-b"),
        "{events}"
    );
    let (_, health) = server.get("/health");
    assert!(health.contains(r#""deletions":1"#), "{health}");
    assert!(
        !server.database_text().contains("uid-a"),
        "the UID is not kept anywhere"
    );
}

#[test]
fn the_read_api_filters_and_paginates() {
    let server = Server::start(&[]);
    let mut messages = Vec::new();
    for i in 0..7 {
        let event = if i % 2 == 0 {
            "Dump Created"
        } else {
            "Snapshot Created"
        };
        messages.push(track(
            &format!("r{i}"),
            if i < 4 { "uid-1" } else { "uid-2" },
            event,
        ));
    }
    assert_eq!(
        server
            .post(
                "/v1/batch",
                &format!(r#"{{"batch":[{}]}}"#, messages.join(",")),
                Some(KEY)
            )
            .0,
        200
    );
    let ids = |json: &str| -> Vec<String> {
        json.split(r#""messageId":""#)
            .skip(1)
            .map(|s| s.split('"').next().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        ids(&server.get("/v1/events?event=Dump%20Created").1),
        ["r0", "r2", "r4", "r6"]
    );
    assert_eq!(
        ids(&server.get("/v1/events?userId=uid-2").1),
        ["r4", "r5", "r6"]
    );
    let (_, page) = server.get("/v1/events?limit=3");
    assert_eq!(ids(&page), ["r0", "r1", "r2"]);
    assert!(page.contains(r#""next":3"#), "{page}");
    assert_eq!(
        ids(&server.get("/v1/events?limit=3&after=3").1),
        ["r3", "r4", "r5"]
    );
    assert_eq!(
        ids(&server
            .get("/v1/events?from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z")
            .1),
        Vec::<String>::new()
    );
    assert_eq!(
        ids(&server.get("/v1/events?from=2000-01-01T00:00:00Z").1).len(),
        7
    );
    assert_eq!(server.get("/v1/events?limit=-1").0, 400);
    let (status, html) = server.get("/events");
    assert_eq!(status, 200);
    assert!(html.contains("<table>") && html.contains("Snapshot Created"));
}

#[test]
fn malformed_payloads_get_a_clear_4xx_and_store_nothing() {
    let server = Server::start(&["--request-timeout-ms", "1500"]);
    let deep = format!("{}{}", "[".repeat(500), "]".repeat(500));
    let corpus: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        ("truncated", br#"{"batch":[{"type":"track""#.to_vec(), 400, "malformed JSON: EOF while parsing"),
        ("deep nesting", deep.into_bytes(), 400, "recursion limit exceeded"),
        ("huge numbers", br#"{"batch":[{"type":"track","event":"Indexes Swapped","userId":"u","messageId":"n","properties":{"swap_operation_number":1e999}}]}"#.to_vec(), 400, "number out of range"),
        ("invalid UTF-8", b"{\"batch\":[\"\xff\xfe\"]}".to_vec(), 400, "not UTF-8"),
        ("wrong types", br#"{"batch":{"type":"track"}}"#.to_vec(), 400, "the body must be"),
        ("message not an object", br#"{"batch":[42]}"#.to_vec(), 400, "must be an object"),
    ];
    for (name, body, status, says) in corpus {
        let (got, reply) = server.post_bytes("/v1/batch", &body, Some(KEY), &[]);
        assert_eq!(got, status, "{name}: {reply}");
        assert!(reply.contains(says), "{name}: {reply}");
        assert_eq!(server.get("/health").0, 200, "{name}: still serving");
    }
    // A 10 MB body: answered 413 as soon as the limit is passed (read on a raw socket, since the
    // server stops reading and a client library sees only the broken pipe).
    let mut stream = std::net::TcpStream::connect(server.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let header = format!(
        "POST /v1/batch HTTP/1.1\r\nHost: x\r\nAuthorization: Basic {}\r\nContent-Length: {}\r\n\r\n",
        basic(KEY),
        10 * 1024 * 1024
    );
    stream.write_all(header.as_bytes()).unwrap();
    let chunk = vec![b'x'; 64 * 1024];
    for _ in 0..160 {
        if stream.write_all(&chunk).is_err() {
            break;
        }
    }
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "10 MB body: {answer:?}");
    assert_eq!(server.get("/health").0, 200);

    // A slow-loris body: the request is cut at the timeout (408), not held open.
    let started = Instant::now();
    let mut stream = std::net::TcpStream::connect(server.addr()).unwrap();
    write!(stream, "POST /v1/batch HTTP/1.1\r\nHost: x\r\nAuthorization: Basic {}\r\nContent-Length: 1000\r\n\r\n{{", basic(KEY)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    for _ in 0..30 {
        if stream.write_all(b" ").is_err() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer:?}");
    assert!(started.elapsed() < Duration::from_secs(8));
    assert_eq!(server.get("/health").0, 200);
    assert_eq!(server.count(), 0, "nothing invalid was stored");
}

#[test]
fn validated_messages_are_forwarded_upstream_once_even_after_an_outage() {
    // The upstream's address is reserved first; it starts only after the downstream has queued.
    let reserved = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let upstream_url = format!("http://{}", reserved.local_addr().unwrap());
    drop(reserved); // nothing listens now: the first forwards are refused
    let downstream = Server::start(&["--upstream", &upstream_url, "--upstream-write-key", KEY]);
    let batch = format!(
        r#"{{"batch":[{},{}]}}"#,
        track("f1", "uid-f", "Dump Created"),
        r#"{"type":"identify","userId":"uid-f","messageId":"f2","traits":{"system":{"cores":4}},"context":{"ip":"198.51.100.7","app":{"version":"1.50.0"}}}"#
    );
    assert_eq!(downstream.post("/v1/batch", &batch, Some(KEY)).0, 200);
    std::thread::sleep(Duration::from_millis(500));

    let upstream = Server::start_on(
        std::net::TcpListener::bind(upstream_url.trim_start_matches("http://")).unwrap(),
        &[],
    );
    let until = Instant::now() + Duration::from_secs(20);
    while upstream.count() < 2 && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(
        upstream.count(),
        2,
        "both messages forwarded after the outage"
    );
    let (_, events) = upstream.get("/v1/events");
    assert!(
        events.contains(r#""messageId":"f1""#) && events.contains(r#""messageId":"f2""#),
        "{events}"
    );
    assert!(
        !events.contains("198.51.100.7"),
        "no IP forwarded: {events}"
    );
    // A retry downstream is a duplicate there, and forwards nothing twice.
    assert!(downstream
        .post("/v1/batch", &batch, Some(KEY))
        .1
        .contains(r#""duplicates":2"#));
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(upstream.count(), 2);
}

#[test]
fn a_panicking_handler_is_answered_500_and_the_collector_keeps_serving() {
    let server = Server::start(&["--test-panic-route"]);
    let (status, body) = server.get("/__panic");
    assert_eq!(status, 500, "{body}");
    assert!(body.contains(r#""success":false"#), "{body}");
    // The same process answers the next requests, the write side included.
    assert_eq!(server.get("/health").0, 200);
    let (status, body) = server.post(
        "/v1/batch",
        &format!(
            r#"{{"batch":[{}]}}"#,
            track("after-panic", "u-p", "Dump Created")
        ),
        Some(KEY),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(server.count(), 1);
    // Without the test flag the route does not exist.
    assert_eq!(Server::start(&[]).get("/__panic").0, 404);
}

#[test]
fn a_servers_identify_and_first_run_launched_are_stored() {
    use meili_telemetry::engine::{SystemTraits, Traits};
    use meili_telemetry::platform::fakes::SeededEntropy;
    use meili_telemetry::{Config, Engine};
    let server = Server::start(&[]);
    let config = Config::new(&server.url, KEY).unwrap();
    let mut entropy = SeededEntropy::new(11);
    let mut engine = Engine::new(config, 1_795_674_094_000, &mut entropy).unwrap();
    let mut traits = Traits::new("1.50.0").unwrap();
    traits
        .system(&SystemTraits {
            cores: 4,
            ram_size: 8 << 30,
            ..SystemTraits::default()
        })
        .unwrap()
        .info("env", "production")
        .unwrap();
    engine.set_traits(traits);
    engine.first_run(1_795_674_094_000, &mut entropy);
    let Some(request) = engine.flush(1_795_674_094_000, &mut entropy) else {
        panic!("something to send")
    };
    let (status, body) = server.post("/v1/batch", &request.body, Some(KEY));
    assert_eq!(status, 200, "{body}");
    assert!(body.contains(r#""rejected":[]"#), "{body}");
    assert_eq!(server.count(), 3, "Launched twice and the Identify");
    let (_, stored) = server.get("/v1/events?event=Identify");
    assert!(stored.contains(r#""cores":4"#), "{stored}");
}
