//! Aggregates parked by a hidden page and merged by the tab that sends give, byte for byte, the
//! summaries of the same requests merged in one memory: every shared test vector is cut into
//! pieces, each piece's aggregates go through their persisted text (as `localStorage` holds
//! them), and the pieces are merged back in order.

mod common;

use common::vectors::{START_MS, VECTORS};
use meili_telemetry::aggregate::Aggregates;
use meili_telemetry::json::text::{parse, read};
use meili_telemetry::observe::{observe, summary_lines, Observer, Request};
use meili_telemetry::Value;

#[test]
fn parked_pieces_merge_into_the_summaries_of_one_memory() {
    for (name, input, expected) in VECTORS {
        let vector = parse(input).unwrap();
        let observer = match vector.get("observer") {
            Some(Value::String(o)) if o == "dashboard" => Observer::Dashboard,
            _ => Observer::Server,
        };
        let Some(Value::Array(requests)) = vector.get("requests") else {
            panic!("{name}: a requests array")
        };
        for piece in [1, 2, 3, 7] {
            let mut merged = Aggregates::default();
            for (start, chunk) in requests.chunks(piece).enumerate() {
                let mut hidden_page = Aggregates::default();
                for (i, raw) in chunk.iter().enumerate() {
                    let request = Request::from_value(raw).unwrap();
                    let now = START_MS + 1_000 * (start * piece + i) as u64;
                    observe(&request, observer, now, &mut hidden_page).unwrap();
                }
                let stored = hidden_page.persisted().to_json();
                let restored = Aggregates::from_persisted(&read(&stored).unwrap())
                    .unwrap_or_else(|| panic!("{name}: the parked text reads back"));
                for aggregate in restored.snapshot() {
                    merged.add(aggregate);
                }
            }
            assert_eq!(
                summary_lines(merged).unwrap(),
                *expected,
                "{name}, pieces of {piece}"
            );
        }
    }
}

#[test]
fn a_tampered_parked_text_is_skipped_never_trusted() {
    for text in [
        r#"[{"event":"No Such Event","first":1,"total":1,"id":null,"agents":[],"values":[]}]"#,
        r#"[{"event":"Dump Created","first":1,"total":1,"id":null,"agents":[],"values":[null,null,null]}]"#,
        r#"[{"event":"Dump Created","first":-1,"total":1,"id":null,"agents":[],"values":[null,null]}]"#,
    ] {
        let aggregates = Aggregates::from_persisted(&read(text).unwrap()).unwrap();
        assert!(aggregates.is_empty(), "{text}");
    }
    assert!(Aggregates::from_persisted(&read(r#"{"not":"a list"}"#).unwrap()).is_none());
}
