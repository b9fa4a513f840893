//! The engine used natively, as a Rust server would: the blocking `Client` over a clock, entropy
//! and a transport (here the fakes), sending the same Segment batch the browser sends.
use meili_telemetry::consent::{resolve_server, Consent};
use meili_telemetry::native::{FileStorage, OsEntropy, SystemClock};
use meili_telemetry::persistence::{UidOrigin, UID_KEY};
use meili_telemetry::platform::fakes::{ManualClock, RecordingTransport, SeededEntropy};
use meili_telemetry::platform::Clock;
use meili_telemetry::{Client, Config, UploadOutcome, Value};

fn config() -> Config {
    Config::new("http://127.0.0.1:8787", "server-key")
        .unwrap()
        .with_flush_interval_ms(60_000)
        .unwrap()
}

#[test]
fn a_server_records_and_sends_on_its_interval() {
    let clock = ManualClock::at(1_795_674_094_000);
    let transport = RecordingTransport::default();
    let mut client = Client::new(config(), &clock, SeededEntropy::new(9), transport).unwrap();
    client.record("Dump Created", &Value::Null).unwrap();
    clock.advance(1_000);
    client.record("Dump Created", &Value::Null).unwrap();
    assert!(client.tick().is_empty(), "not due before the interval");
    clock.advance(60_000);
    assert_eq!(client.tick(), vec![UploadOutcome::Status(200)]);

    let sent = &client.transport().sent;
    assert_eq!(sent.len(), 1);
    let body: serde_json::Value = serde_json::from_str(&sent[0].body).unwrap();
    let message = &body["batch"][0];
    assert_eq!(message["event"], "Dump Created");
    assert_eq!(message["properties"]["requests"]["total_received"], 2);
    assert_eq!(message["userId"], client.instance_uid().to_string());
    assert_eq!(message["timestamp"], "2026-11-26T06:21:34.000Z");
    assert_eq!(body["sentAt"], "2026-11-26T06:22:35.000Z");
    assert_eq!(client.stats().delivered, 1);
}

#[test]
fn a_failing_collector_keeps_the_batch_for_the_next_flush() {
    let clock = ManualClock::at(0);
    let mut transport = RecordingTransport::default();
    transport.script.push_back(UploadOutcome::Status(503));
    let mut client = Client::new(config(), &clock, SeededEntropy::new(1), transport).unwrap();
    client.record("Snapshot Created", &Value::Null).unwrap();
    assert_eq!(client.flush(), vec![UploadOutcome::Status(503)]);
    assert_eq!(client.flush(), vec![UploadOutcome::Status(200)]);
    let sent = &client.transport().sent;
    assert_eq!(sent[0].message_ids, sent[1].message_ids);
    assert!(client.flush().is_empty(), "nothing left");
}

#[test]
fn the_native_edge_provides_time_and_entropy() {
    let now = SystemClock.now_ms();
    assert!(now > 1_700_000_000_000, "a plausible wall clock");
    let client = Client::new(
        config(),
        SystemClock,
        OsEntropy,
        RecordingTransport::default(),
    )
    .unwrap();
    let other = Client::new(
        config(),
        SystemClock,
        OsEntropy,
        RecordingTransport::default(),
    )
    .unwrap();
    assert_ne!(client.instance_uid(), other.instance_uid());
}

#[test]
fn a_server_observes_its_requests() {
    let clock = ManualClock::at(1_795_674_094_000);
    let mut client = Client::new(
        config(),
        &clock,
        SeededEntropy::new(3),
        RecordingTransport::default(),
    )
    .unwrap();
    let request = |json: &str| {
        meili_telemetry::observe::Request::from_value(
            &meili_telemetry::json::text::parse(json).unwrap(),
        )
        .unwrap()
    };
    let search = request(
        r#"{"method":"POST","path":"/indexes/movies/search","body":{"q":"a b"},"response":{"status":200,"body":{"processingTimeMs":7}}}"#,
    );
    assert_eq!(client.observe(&search), Ok(1));
    assert_eq!(client.observe(&request(r#"{"path":"/health"}"#)), Ok(0));
    assert_eq!(client.stats().ignored_requests, 1);
    client.flush();
    let body: serde_json::Value = serde_json::from_str(&client.transport().sent[0].body).unwrap();
    let properties = &body["batch"][0]["properties"];
    assert_eq!(body["batch"][0]["event"], "Documents Searched POST");
    assert_eq!(properties["requests"]["99th_response_time"], "7");
    assert_eq!(properties["q"]["max_terms_number"], 2);
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("meili-telemetry-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn open(
    dir: &std::path::Path,
    consent: &Consent,
    seed: u64,
) -> Client<SystemClock, SeededEntropy, RecordingTransport> {
    Client::open(
        config(),
        SystemClock,
        SeededEntropy::new(seed),
        RecordingTransport::default(),
        Box::new(FileStorage::new(dir)),
        consent,
    )
    .unwrap()
}

#[test]
fn the_instance_uid_survives_restarts_and_forgives_whitespace() {
    let dir = temp_dir("uid");
    let on = resolve_server::<&str>(&[], None, None).unwrap();
    let first = open(&dir, &on, 1);
    assert_eq!(first.uid_origin(), UidOrigin::New);
    let uid = first.instance_uid();
    drop(first);
    let file = dir.join(UID_KEY);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), uid.to_string());
    std::fs::write(&file, format!("{uid}\n")).unwrap(); // an editor's trailing newline
    let again = open(&dir, &on, 2);
    assert_eq!(
        (again.instance_uid(), again.uid_origin()),
        (uid, UidOrigin::Stored)
    );
    std::fs::write(&file, "garbage").unwrap();
    let replaced = open(&dir, &on, 3);
    assert_eq!(replaced.uid_origin(), UidOrigin::ReplacedCorrupt);
    assert_ne!(replaced.instance_uid(), uid);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        replaced.instance_uid().to_string()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn opted_out_writes_nothing_sends_nothing_and_purges() {
    let dir = temp_dir("off");
    let off = resolve_server(&["--no-analytics"], None, None).unwrap();
    let mut client = open(&dir, &off, 1);
    client.record("Dump Created", &Value::Null).unwrap();
    assert!(client.flush().is_empty(), "no request while off");
    assert!(!dir.exists(), "nothing stored while off");

    let on = resolve_server::<&str>(&[], Some("false"), None).unwrap();
    let mut client = open(&dir, &on, 1);
    client.record("Dump Created", &Value::Null).unwrap();
    assert!(dir.join(UID_KEY).exists());
    assert!(client.set_enabled(false));
    assert!(!client.set_enabled(false), "idempotent");
    assert!(!dir.join(UID_KEY).exists(), "purged");
    assert!(client.flush().is_empty());
    assert!(client.transport().sent.is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn deletion_is_requested_by_uid_even_while_off_then_the_uid_is_forgotten() {
    let dir = temp_dir("delete");
    let off = resolve_server(&["--no-analytics"], None, None).unwrap();
    let mut client = open(&dir, &off, 4);
    let uid = client.instance_uid();
    assert_eq!(client.request_deletion(), UploadOutcome::Status(200));
    let sent = &client.transport().sent;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].url, "http://127.0.0.1:8787/v1/deletion");
    let body: serde_json::Value = serde_json::from_str(&sent[0].body).unwrap();
    assert_eq!(body["userId"], uid.to_string());
    assert_ne!(client.instance_uid(), uid, "forgotten");
    assert!(!dir.exists(), "still nothing stored while off");
}

#[test]
fn turning_off_after_sending_owes_the_deletion_of_that_uid_until_it_is_acknowledged() {
    use meili_telemetry::persistence::DELETION_KEY;
    let dir = temp_dir("owed");
    let on = resolve_server::<&str>(&[], None, None).unwrap();
    let mut client = open(&dir, &on, 4);
    let uid = client.instance_uid();
    client.record("Dump Created", &Value::Null).unwrap();
    assert_eq!(client.flush(), vec![UploadOutcome::Status(200)]);
    // The operator turns analytics off while the collector is down.
    client
        .transport_mut()
        .script
        .push_back(UploadOutcome::Status(503));
    assert!(client.set_enabled(false));
    assert_eq!(
        std::fs::read_to_string(dir.join(DELETION_KEY)).unwrap(),
        uid.to_string(),
        "owed, on disk"
    );
    let (outcomes, wait) = client.tick_with_wait();
    assert_eq!(outcomes, vec![UploadOutcome::Status(503)]);
    assert!(wait.is_some(), "retried after the backoff");
    // A restart (still off) carries the owed deletion on.
    drop(client);
    let off = resolve_server(&["--no-analytics"], None, None).unwrap();
    let mut restarted = open(&dir, &off, 5);
    assert_ne!(restarted.instance_uid(), uid);
    assert_eq!(restarted.tick(), vec![UploadOutcome::Status(200)]);
    let sent = &restarted.transport().sent;
    assert!(sent[0].url.ends_with("/v1/deletion"));
    assert!(
        sent[0].body.contains(&uid.to_string()),
        "the UID that sent data: {}",
        sent[0].body
    );
    assert!(
        !dir.join(DELETION_KEY).exists(),
        "forgotten once acknowledged"
    );
    assert!(restarted.tick().is_empty(), "nothing more owed");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn starting_off_after_collection_was_on_owes_the_deletion() {
    let dir = temp_dir("restart-off");
    let on = resolve_server::<&str>(&[], None, None).unwrap();
    let uid = open(&dir, &on, 6).instance_uid();
    let off = resolve_server(&["--no-analytics"], None, None).unwrap();
    let mut client = open(&dir, &off, 7);
    assert_eq!(client.tick(), vec![UploadOutcome::Status(200)]);
    assert!(client.transport().sent[0].body.contains(&uid.to_string()));
    assert!(!dir.join(UID_KEY).exists());
    let _ = std::fs::remove_dir_all(&dir);
}
