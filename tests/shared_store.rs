//! The store the tabs of one browser share (`persistence::shared`), driven as the JS sender
//! drives it, over an in-memory storage that can be told to refuse writes: memory is the truth
//! and storage its cache — a failed write loses nothing, a stale stored copy never replaces
//! memory, parked aggregates merge once into one summary per interval, and every message sealed
//! is delivered, queued or lost under a reason.

use meili_telemetry::delivery::{Action, UploadOutcome};
use meili_telemetry::persistence::shared::{Stored, Tab};
use meili_telemetry::persistence::{self, QUEUE_KEY};
use meili_telemetry::platform::fakes::{MemoryStorage, SeededEntropy};
use meili_telemetry::platform::Storage;
use meili_telemetry::{Config, Engine, Stats, Value};

const INTERVAL_MS: u64 = 60_000;

fn page(seed: u64, now: u64) -> (Engine, Tab, SeededEntropy) {
    let mut entropy = SeededEntropy::new(seed);
    let config = Config::new("http://127.0.0.1:8787", "key")
        .unwrap()
        .with_flush_interval_ms(INTERVAL_MS)
        .unwrap();
    let engine = Engine::new(config, now, &mut entropy).unwrap();
    let tab = Tab::new(&mut entropy).unwrap();
    (engine, tab, entropy)
}

fn lost(stats: &Stats) -> u64 {
    stats.lost.total()
}

/// `sealed = delivered + Σ lost + queued`, for one page that neither hands over nor takes over.
fn balanced(engine: &Engine) {
    let s = engine.stats();
    assert_eq!(
        s.sealed,
        s.delivered + lost(s) + engine.queued() as u64,
        "{s:?}"
    );
}

fn send(engine: &mut Engine, entropy: &mut SeededEntropy, now: u64) -> Action {
    engine.poll(now, entropy)
}

#[test]
fn a_failed_write_loses_nothing_and_a_stale_copy_never_replaces_memory() {
    let mut storage = MemoryStorage::default();
    let (mut engine, mut tab, mut entropy) = page(1, 0);
    tab.take_over(&mut storage, &mut engine, 0, &mut entropy);
    for event in ["Dump Created", "Snapshot Created"] {
        engine.record(10, event, &Value::Null).unwrap();
    }
    // The first attempt fails; its retry state is stored; then storage starts refusing.
    let Action::Send(_) = send(&mut engine, &mut entropy, INTERVAL_MS) else {
        panic!("due")
    };
    assert!(tab.save_queue(&mut storage, &mut engine));
    engine.upload_finished(INTERVAL_MS, UploadOutcome::Status(500), None);
    assert!(tab.save_queue(&mut storage, &mut engine));
    storage.fail_writes = true;
    let Action::Wait(backoff) = send(&mut engine, &mut entropy, INTERVAL_MS) else {
        panic!("backing off")
    };
    let again = INTERVAL_MS + backoff;
    let Action::Send(retry) = send(&mut engine, &mut entropy, again) else {
        panic!("retry due")
    };
    assert_eq!(retry.message_ids.len(), 2);
    engine.upload_finished(again, UploadOutcome::Status(503), Some("2"));
    assert!(
        !tab.save_queue(&mut storage, &mut engine),
        "storage refuses"
    );
    // The stored copy is older (a retry time already past): the sender never reads it back, so
    // the Retry-After of memory holds.
    tab.claim(&mut storage, &mut engine, again + 100, &mut entropy);
    let Action::Wait(wait) = send(&mut engine, &mut entropy, again + 100) else {
        panic!("still held back")
    };
    assert!(wait >= 1_900, "Retry-After: 2 holds ({wait} ms left)");
    let at = again + 100 + wait;
    let Action::Send(last) = send(&mut engine, &mut entropy, at) else {
        panic!("Retry-After passed")
    };
    assert_eq!(
        last.message_ids, retry.message_ids,
        "same messages, same ids"
    );
    engine.upload_finished(at, UploadOutcome::Status(200), None);
    assert_eq!(engine.stats().delivered, 2);
    assert_eq!(lost(engine.stats()), 0);
    assert!(engine.stats().storage_failures >= 2);
    balanced(&engine);
}

#[test]
fn a_refused_hand_over_stays_in_the_page_that_made_it() {
    let mut storage = MemoryStorage {
        fail_writes: true,
        ..MemoryStorage::default()
    };
    let (mut engine, mut tab, mut entropy) = page(2, 0);
    engine.record(5, "Dump Created", &Value::Null).unwrap();
    assert_eq!(
        tab.hand_over(&mut storage, &mut engine, INTERVAL_MS, &mut entropy),
        Stored::Kept
    );
    assert_eq!(engine.queued(), 1, "kept in memory, for this page to send");
    engine.record(6, "Dump Created", &Value::Null).unwrap();
    assert_eq!(tab.park(&mut storage, &mut engine), Stored::Kept);
    assert!(!engine.is_idle(), "the aggregate stays in memory");
    assert!(storage.entries.is_empty());
    balanced(&engine);
}

#[test]
fn hidden_fifty_times_in_one_interval_is_one_summary() {
    let mut storage = MemoryStorage::default();
    let (mut engine, mut tab, mut entropy) = page(3, 0);
    tab.take_over(&mut storage, &mut engine, 0, &mut entropy);
    for i in 0..50 {
        engine
            .record(i * 100, "Dump Created", &Value::Null)
            .unwrap();
        assert_eq!(tab.park(&mut storage, &mut engine), Stored::Stored);
        assert!(engine.is_idle(), "parked, not sealed");
        // While hidden the page leaves its own parked aggregates where they are.
        assert_eq!(
            tab.claim(&mut storage, &mut engine, i * 100 + 40, &mut entropy),
            0
        );
        // Shown again: the sender's next turn takes them back; a second claim finds nothing.
        tab.shown();
        assert_eq!(
            tab.claim(&mut storage, &mut engine, i * 100 + 50, &mut entropy),
            1
        );
        assert_eq!(
            tab.claim(&mut storage, &mut engine, i * 100 + 60, &mut entropy),
            0
        );
    }
    assert_eq!(engine.stats().sealed, 0);
    let Action::Send(request) = send(&mut engine, &mut entropy, INTERVAL_MS) else {
        panic!("due")
    };
    assert_eq!(request.message_ids.len(), 1, "one message for the interval");
    assert!(
        request.body.contains(r#""total_received":50"#),
        "{}",
        request.body
    );
}

#[test]
fn a_page_that_never_comes_back_is_sent_by_the_next_at_once() {
    let mut storage = MemoryStorage::default();
    let (mut gone, mut gone_tab, _) = page(4, 0);
    gone.record(1_000, "Dump Created", &Value::Null).unwrap();
    gone.record(1_500, "Snapshot Created", &Value::Null)
        .unwrap();
    assert_eq!(gone_tab.park(&mut storage, &mut gone), Stored::Stored);
    gone_tab.save_stats(&mut storage, &mut gone);
    drop(gone);
    // The next page loads after the interval of the one that left: sent at once.
    let now = INTERVAL_MS + 5_000;
    let (mut next, mut tab, mut entropy) = page(5, now);
    tab.take_over(&mut storage, &mut next, now, &mut entropy);
    let Action::Send(request) = send(&mut next, &mut entropy, now) else {
        panic!("the interval of the page that left is over: sent at once")
    };
    assert_eq!(request.message_ids.len(), 2);
    next.upload_finished(now, UploadOutcome::Status(200), None);
    // Within its interval, parked aggregates join the current one instead.
    let (mut hidden, mut hidden_tab, _) = page(6, now);
    hidden
        .record(now + 10, "Dump Created", &Value::Null)
        .unwrap();
    hidden_tab.park(&mut storage, &mut hidden);
    next.record(now + 20, "Dump Created", &Value::Null).unwrap();
    tab.claim(&mut storage, &mut next, now + 30, &mut entropy);
    assert_eq!(next.queued(), 0, "merged, not sealed");
    let totals = tab.totals(&storage, &next).unwrap();
    assert_eq!(
        totals.recorded, 4,
        "the gone page's, the hidden one's, this one's: {totals:?}"
    );
    assert_eq!(totals.delivered, 2);
}

#[test]
fn counters_of_pages_that_are_gone_fold_into_the_past_once() {
    let mut storage = MemoryStorage::default();
    let (mut sender, mut tab, mut entropy) = page(7, 0);
    tab.take_over(&mut storage, &mut sender, 0, &mut entropy);
    let mut open = Vec::new();
    for seed in 10..13 {
        let (mut other, other_tab, _) = page(seed, 0);
        other.record(1, "Dump Created", &Value::Null).unwrap();
        other_tab.save_stats(&mut storage, &mut other);
        open.push(other_tab.id().to_owned());
    }
    let before = tab.totals(&storage, &sender).unwrap();
    tab.fold_past_stats(&mut storage, &mut sender, &open[..1]);
    let after = tab.totals(&storage, &sender).unwrap();
    assert_eq!(
        before, after,
        "folding changes where counters are, not their sum"
    );
    assert_eq!(after.recorded, 3);
    let stats_keys = storage
        .keys()
        .into_iter()
        .filter(|k| k.starts_with(persistence::STATS_PREFIX))
        .count();
    assert_eq!(
        stats_keys,
        3,
        "this page's, the open page's and the past: {:?}",
        storage.keys()
    );
}

#[test]
fn opting_out_leaves_no_data_key_and_an_outcome_after_it_is_discarded() {
    let mut storage = MemoryStorage::default();
    let (mut engine, mut tab, mut entropy) = page(8, 0);
    tab.take_over(&mut storage, &mut engine, 0, &mut entropy);
    engine.record(1, "Dump Created", &Value::Null).unwrap();
    let Action::Send(_) = send(&mut engine, &mut entropy, INTERVAL_MS) else {
        panic!("due")
    };
    tab.save_queue(&mut storage, &mut engine);
    engine.record(2, "Snapshot Created", &Value::Null).unwrap();
    tab.park(&mut storage, &mut engine);
    assert!(storage.entries.keys().any(|k| k == QUEUE_KEY));
    engine.set_enabled(false);
    persistence::purge(&mut storage);
    // The upload under way answers after the opt-out: nothing is written, the outcome counted.
    engine.upload_finished(INTERVAL_MS + 10, UploadOutcome::Status(200), None);
    assert!(!tab.save_queue(&mut storage, &mut engine));
    tab.save_stats(&mut storage, &mut engine);
    assert_eq!(
        tab.claim(&mut storage, &mut engine, INTERVAL_MS + 20, &mut entropy),
        0
    );
    assert!(storage.entries.is_empty(), "{:?}", storage.entries.keys());
    assert_eq!(engine.stats().outcomes_discarded, 1);
    assert_eq!(engine.stats().delivered, 0);
    assert_eq!(
        engine.stats().lost.total(),
        1,
        "the sealed message, purged by the opt-out"
    );
}

#[test]
fn a_hidden_page_keeps_its_parked_aggregates_in_storage_until_they_are_due() {
    let mut storage = MemoryStorage::default();
    let (mut engine, mut tab, mut entropy) = page(9, 0);
    tab.take_over(&mut storage, &mut engine, 0, &mut entropy);
    engine.record(10, "Dump Created", &Value::Null).unwrap();
    assert_eq!(tab.park(&mut storage, &mut engine), Stored::Stored);
    // Hidden: a turn before the interval ends leaves them stored (a page killed now loses
    // nothing: the next page load finds them).
    assert_eq!(tab.claim(&mut storage, &mut engine, 1_000, &mut entropy), 0);
    assert!(engine.is_idle());
    // Hidden past the interval: claimed, sealed and stored in the queue in the same step.
    assert_eq!(
        tab.claim(&mut storage, &mut engine, INTERVAL_MS, &mut entropy),
        1
    );
    assert_eq!(engine.queued(), 1);
    assert!(storage.entries[QUEUE_KEY].contains("Dump Created"));
}
