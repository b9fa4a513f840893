//! Unit tests of the engine: recording, sending, retrying, consent and previews.

use crate::prelude::*;

use super::*;
use crate::delivery::{Action, UploadOutcome};
use crate::platform::fakes::SeededEntropy;

fn engine() -> (Engine, SeededEntropy) {
    let mut entropy = SeededEntropy::new(42);
    let config = Config::new("http://127.0.0.1:8787", "key").unwrap();
    (Engine::new(config, 0, &mut entropy).unwrap(), entropy)
}

#[test]
fn one_event_becomes_one_segment_batch() {
    let (mut engine, mut entropy) = engine();
    engine.record(1_000, "Dump Created", &Value::Null).unwrap();
    engine.record(2_000, "Dump Created", &Value::Null).unwrap();
    let request = engine.flush(3_000, &mut entropy).unwrap();
    assert_eq!(request.url, "http://127.0.0.1:8787/v1/batch");
    assert!(request
        .headers
        .contains(&("Authorization".into(), "Basic a2V5Og==".into())));
    let uid = engine.instance_uid().to_string();
    let id = &request.message_ids[0];
    assert_eq!(
        request.body,
        format!(
            concat!(
                r#"{{"batch":[{{"type":"track","event":"Dump Created","properties":{{"user-agent":[],"requests":{{"total_received":2}}}},"#,
                r#""userId":"{uid}","messageId":"{id}","timestamp":"1970-01-01T00:00:01.000Z","#,
                r#""context":{{"ip":"0.0.0.0","library":{{"name":"meili-telemetry","version":"{v}"}}}}}}],"#,
                r#""sentAt":"1970-01-01T00:00:03.000Z"}}"#
            ),
            uid = uid,
            id = id,
            v = env!("CARGO_PKG_VERSION")
        )
    );
}

#[test]
fn failed_uploads_keep_messages_and_ids() {
    let (mut engine, mut entropy) = engine();
    engine.record(0, "Dump Created", &Value::Null).unwrap();
    let first = engine.flush(10, &mut entropy).unwrap();
    assert!(
        engine.flush(11, &mut entropy).is_none(),
        "one upload at a time"
    );
    engine.upload_finished(15, UploadOutcome::NetworkError, None);
    let retry = engine.flush(20, &mut entropy).unwrap();
    assert_eq!(first.message_ids, retry.message_ids);
    assert_ne!(first.body, retry.body, "sentAt is per attempt");
    engine.upload_finished(25, UploadOutcome::Status(200), None);
    assert!(engine.is_idle());
    assert_eq!(engine.stats().delivered, 1);
    assert_eq!(engine.stats().failed_uploads, 1);
    assert!(engine.flush(30, &mut entropy).is_none());
}

#[test]
fn rejections_are_counted() {
    let (mut engine, _) = engine();
    assert!(engine.record(0, "Nope", &Value::Null).is_err());
    assert!(engine.record(0, "Nope", &Value::Null).is_err());
    assert_eq!(
        engine.stats().rejected.get(&RecordErrorKind::UnknownEvent),
        2
    );
    assert_eq!(engine.stats().recorded, 0);
    assert!(engine.is_idle());
}

#[test]
fn turning_off_purges_and_blocks_everything_and_is_idempotent() {
    let (mut engine, mut entropy) = engine();
    engine.record(0, "Dump Created", &Value::Null).unwrap();
    let _ = engine.flush(1, &mut entropy).unwrap(); // in flight
    engine.record(2, "Snapshot Created", &Value::Null).unwrap();
    assert!(engine.set_enabled(false));
    assert!(!engine.set_enabled(false), "idempotent");
    assert!(engine.is_idle(), "aggregates and queue purged");
    engine.upload_finished(25, UploadOutcome::Status(200), None); // the in-flight answer changes nothing
    engine.record(3, "Dump Created", &Value::Null).unwrap();
    assert!(engine.is_idle(), "nothing recorded while off");
    assert!(
        engine.flush(4, &mut entropy).is_none(),
        "no request while off"
    );
    assert_eq!(engine.pending(&mut entropy), r#"{"batch":[]}"#);
    assert_eq!(engine.stats().discarded_while_disabled, 1);
    assert!(engine.set_enabled(true));
    assert!(engine.is_idle(), "on starts clean");
}

#[test]
fn pending_is_exactly_what_the_next_send_carries() {
    let (mut engine, mut entropy) = engine();
    engine.record(10, "Dump Created", &Value::Null).unwrap();
    engine.record(20, "Indexes Swapped", &Value::Null).unwrap();
    let preview = engine.pending(&mut entropy);
    assert_eq!(preview, engine.pending(&mut entropy), "stable");
    let sent = engine.flush(30, &mut entropy).unwrap();
    let without_sent_at = sent.body.split(",\"sentAt\"").next().unwrap().to_owned() + "}";
    assert_eq!(preview, without_sent_at);
}

#[test]
fn deletion_requests_name_the_uid_and_forgetting_draws_a_new_one() {
    let (mut engine, mut entropy) = engine();
    let uid = engine.instance_uid();
    engine.set_enabled(false);
    let request = engine.deletion_request(0);
    assert_eq!(request.url, "http://127.0.0.1:8787/v1/deletion");
    assert_eq!(
        request.body,
        format!(r#"{{"userId":"{uid}","requestedAt":"1970-01-01T00:00:00.000Z"}}"#)
    );
    assert!(engine.forget_identity(&mut entropy));
    assert_ne!(engine.instance_uid(), uid);
}

#[test]
fn sends_when_the_interval_elapsed_and_waits_otherwise() {
    let (mut engine, mut entropy) = engine();
    let interval = crate::config::DEFAULT_FLUSH_INTERVAL_MS;
    assert_eq!(
        engine.poll(1, &mut entropy),
        Action::Idle,
        "nothing to send"
    );
    engine.record(5, "Dump Created", &Value::Null).unwrap();
    assert_eq!(
        engine.poll(1_000, &mut entropy),
        Action::Wait(interval - 1_000)
    );
    assert!(matches!(
        engine.poll(interval, &mut entropy),
        Action::Send(_)
    ));
    assert_eq!(
        engine.poll(interval + 1, &mut entropy),
        Action::Idle,
        "one in flight"
    );
    engine.upload_finished(interval + 2, UploadOutcome::Status(200), None);
    assert_eq!(engine.poll(interval + 3, &mut entropy), Action::Idle);
}

#[test]
fn retries_back_off_honour_retry_after_and_drop_rejections() {
    let (mut engine, mut entropy) = engine();
    engine.record(0, "Dump Created", &Value::Null).unwrap();
    let first = engine.flush(10, &mut entropy).unwrap();
    engine.upload_finished(20, UploadOutcome::Status(503), Some("120"));
    match engine.poll(30, &mut entropy) {
        Action::Wait(ms) => assert!(ms >= 120_000 - 10, "{ms}"),
        other => panic!("{other:?}"),
    }
    let Action::Send(retry) = engine.poll(20 + 120_000, &mut entropy) else {
        panic!("the retry is due")
    };
    assert_eq!(retry.message_ids, first.message_ids, "same messageId");
    engine.upload_finished(120_030, UploadOutcome::Status(400), None);
    assert!(engine.is_idle(), "a 400 is dropped");
    assert_eq!(engine.stats().lost.get(&LossReason::Rejected), 1);
}

/// Requests a browser makes in the first minute of an outage with the default policy (the
/// README quotes these figures): the first attempt, then retries after full-jitter backoffs of
/// 2, 4, 8, … s. Over 1,000 seeds: a handful a minute, never a tight loop.
#[test]
fn a_one_minute_outage_costs_a_handful_of_requests() {
    let mut counts = Vec::new();
    for seed in 0..1_000u64 {
        let mut entropy = SeededEntropy::new(seed);
        let config = Config::new("http://127.0.0.1:8787", "key").unwrap();
        let mut engine = Engine::new(config, 0, &mut entropy).unwrap();
        engine.seed_jitter(&mut entropy);
        engine.record(1, "Dump Created", &Value::Null).unwrap();
        let start = engine.config().flush_interval_ms;
        let (mut now, mut requests) = (start, 0);
        while now < start + 60_000 {
            match engine.poll(now, &mut entropy) {
                Action::Send(_) => {
                    requests += 1;
                    engine.upload_finished(now, UploadOutcome::NetworkError, None);
                }
                Action::Wait(ms) => now += ms.max(50), // the JS sender's shortest timer
                Action::Idle => unreachable!("the message is kept"),
            }
        }
        counts.push(requests);
    }
    counts.sort_unstable();
    let mean = counts.iter().sum::<u64>() as f64 / counts.len() as f64;
    let (median, max) = (counts[counts.len() / 2], counts[counts.len() - 1]);
    eprintln!("one-minute outage: mean {mean:.1}, median {median}, max {max} requests");
    assert!(
        max <= 12,
        "at most 12 requests in a minute of outage, got {max}"
    );
}
