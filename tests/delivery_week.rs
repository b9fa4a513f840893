//! A simulated week of delivery under random fault schedules (property test, fake clock): hourly
//! recording, outages of random length, 429 and 503 with `Retry-After` in both forms, random 5xx
//! and 4xx. Every sealed message is delivered exactly once (by `messageId`) or counted lost with
//! a reason; `Retry-After` and the backoff are never undercut; there is never more than one
//! upload in flight, and the attempts stay within the policy's rate.
use meili_telemetry::delivery::{Action, LossReason, UploadOutcome};
use meili_telemetry::platform::fakes::SeededEntropy;
use meili_telemetry::{Config, Engine, Value};
use proptest::prelude::*;
use std::collections::BTreeMap;

const HOUR: u64 = 3_600_000;
const WEEK: u64 = 7 * 24 * HOUR;
const START: u64 = 1_795_651_200_000; // 2026-11-26T00:00:00Z

/// What the collector does to an attempt at a given time.
#[derive(Debug, Clone)]
struct Faults {
    /// (start, length) of outages: no answer at all.
    outages: Vec<(u64, u64)>,
    /// Per attempt, in order: 0 = 200, 1 = 500, 2 = 503 + Retry-After seconds, 3 = 429 +
    /// Retry-After date, 4 = 400 (rejected), 5 = 502.
    answers: Vec<u8>,
}

fn faults() -> impl Strategy<Value = Faults> {
    (
        prop::collection::vec((0..WEEK, 60_000u64..30 * HOUR), 0..6),
        prop::collection::vec(prop_oneof![12 => Just(0u8), 2 => Just(1u8), 1 => Just(2u8), 1 => Just(3u8), 1 => Just(4u8), 1 => Just(5u8)], 50..400),
    )
        .prop_map(|(outages, answers)| Faults { outages, answers })
}

fn http_date(ms: u64) -> String {
    httpdate::fmt_http_date(std::time::UNIX_EPOCH + std::time::Duration::from_millis(ms))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn a_week_of_faults_loses_nothing_silently(faults in faults(), seed in any::<u64>(), events_per_hour in 1usize..4) {
        let mut entropy = SeededEntropy::new(seed);
        let config = Config::new("http://127.0.0.1:8787", "key").unwrap();
        let mut engine = Engine::new(config, START, &mut entropy).unwrap();
        engine.seed_jitter(&mut entropy);
        let names = ["Dump Created", "Snapshot Created", "Index Compacted", "Webhooks Created"];

        let mut now = START;
        let mut next_record = START;
        let mut received: BTreeMap<String, u32> = BTreeMap::new();
        let mut earliest_next_attempt = 0u64;
        let mut attempts = 0usize;
        let mut answer_index = 0usize;
        let healed = START + WEEK;
        let end = healed + 3 * 24 * HOUR;
        while now < end {
            if now >= next_record && now < healed {
                for name in names.iter().take(events_per_hour) {
                    engine.record(now, name, &Value::Null).unwrap();
                }
                next_record += HOUR;
            }
            match engine.poll(now, &mut entropy) {
                Action::Send(request) => {
                    prop_assert!(now >= earliest_next_attempt, "attempt at {} before {}", now, earliest_next_attempt);
                    prop_assert!(engine.poll(now, &mut entropy) == Action::Idle, "a second upload while one is in flight");
                    attempts += 1;
                    let in_outage = now < healed && faults.outages.iter().any(|(s, l)| now >= START + s && now < START + s + l);
                    let answer = if now >= healed { 0 } else { faults.answers[answer_index % faults.answers.len()] };
                    answer_index += 1;
                    let (outcome, retry_after) = match (in_outage, answer) {
                        (true, _) => (UploadOutcome::NetworkError, None),
                        (_, 0) => (UploadOutcome::Status(200), None),
                        (_, 1) => (UploadOutcome::Status(500), None),
                        (_, 2) => (UploadOutcome::Status(503), Some("90".to_owned())),
                        (_, 3) => (UploadOutcome::Status(429), Some(http_date(now + 600_000))),
                        (_, 4) => (UploadOutcome::Status(400), None),
                        _ => (UploadOutcome::Status(502), None),
                    };
                    if outcome == UploadOutcome::Status(200) {
                        for id in &request.message_ids {
                            *received.entry(id.clone()).or_default() += 1;
                        }
                    }
                    // Retry-After is never undercut (the HTTP date has one-second resolution).
                    earliest_next_attempt = match (outcome, &retry_after) {
                        (UploadOutcome::Status(503), Some(_)) => now + 90_000,
                        (UploadOutcome::Status(429), Some(_)) => now + 599_000,
                        _ => now,
                    };
                    engine.upload_finished(now, outcome, retry_after.as_deref());
                    now += 200; // the upload took some time
                }
                Action::Wait(ms) => {
                    prop_assert!(ms > 0);
                    now = (now + ms).min(if now < healed { next_record.max(now + 1) } else { now + ms });
                }
                Action::Idle => {
                    now = if now < healed { next_record } else { end };
                }
            }
        }
        let stats = engine.stats();
        prop_assert!(received.values().all(|n| *n == 1), "a message was delivered twice");
        prop_assert_eq!(stats.delivered, received.len() as u64);
        let lost: u64 = stats.lost.total();
        prop_assert_eq!(stats.lost.get(&LossReason::Oversize), 0);
        prop_assert_eq!(stats.sealed, stats.delivered + lost, "sealed {} = delivered {} + lost {:?}", stats.sealed, stats.delivered, stats.lost);
        prop_assert!(engine.is_idle(), "everything settled after the collector healed");
        // Never a tight loop: at most one attempt per interval plus one per failure, and
        // failures are spaced by the backoff.
        prop_assert!(attempts <= 168 + 72 + faults.answers.len() * 4, "{} attempts", attempts);
    }
}
