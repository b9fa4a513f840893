//! The shared test vectors of `tests/vectors/`: each `<name>.json` holds a sequence of raw
//! requests and responses, each `<name>.expected.jsonl` the exact summaries they must produce,
//! one JSON line per event. The same files run natively (here) and in Chromium and Firefox
//! (`tests/browser/vectors.rs`), through the same replay, and must match byte for byte on both.
//!
//! To regenerate the expected files after a deliberate change, run
//! `MEILI_BLESS=1 cargo test --test vectors` and review the diff.

mod common;

use common::vectors::{replay_vector as run, VECTORS};
use meili_telemetry::json::text::parse;
use meili_telemetry::Value;

#[test]
fn vectors_produce_the_expected_bytes() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
    let bless = std::env::var_os("MEILI_BLESS").is_some();
    let mut mismatched = Vec::new();
    for (name, input, expected) in VECTORS {
        let actual = run(name, input);
        if bless {
            std::fs::write(dir.join(format!("{name}.expected.jsonl")), &actual).unwrap();
        } else if actual != *expected {
            eprintln!("--- {name}: expected\n{expected}--- actual\n{actual}");
            mismatched.push(*name);
        }
    }
    assert!(mismatched.is_empty(), "vectors differ: {mismatched:?}");
}

/// The vector with every response body cut down to the top-level fields in `keep`.
fn with_response_bodies_cut_to(input: &str, keep: &[&str]) -> String {
    let mut vector = parse(input).unwrap();
    let Some(Value::Array(requests)) = vector.get_mut("requests") else {
        panic!("a requests array")
    };
    for request in requests {
        let Some(Value::Object(fields)) = request
            .get_mut("response")
            .and_then(|response| response.get_mut("body"))
        else {
            continue;
        };
        fields.retain(|(key, _)| keep.contains(&&**key));
    }
    vector.to_json()
}

#[test]
fn derivations_read_only_the_declared_response_fields() {
    let fields = meili_telemetry::observe::response_fields();
    for (name, input, expected) in VECTORS {
        let cut = with_response_bodies_cut_to(input, &fields);
        assert_eq!(
            run(name, &cut),
            *expected,
            "vector {name}, bodies cut to {fields:?}"
        );
    }
    // The fields matter: without them, some vector changes (so the check above can fail).
    let changed = VECTORS
        .iter()
        .filter(|(name, input, expected)| {
            run(name, &with_response_bodies_cut_to(input, &[])) != *expected
        })
        .count();
    assert!(
        changed >= 2,
        "response fields changed only {changed} vectors"
    );
}

#[test]
fn every_vector_file_is_listed_and_every_family_covered() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let file = entry.unwrap().file_name().into_string().unwrap();
        if let Some(name) = file.strip_suffix(".json") {
            assert!(
                VECTORS.iter().any(|(n, _, _)| *n == name),
                "{file} is not in VECTORS"
            );
        }
    }
    let produced: std::collections::BTreeSet<String> = VECTORS
        .iter()
        .flat_map(|(_, _, expected)| expected.lines())
        .filter_map(|line| parse(line)?.get("event").cloned())
        .filter_map(|event| match event {
            Value::String(name) => Some(name.into_owned()),
            _ => None,
        })
        .collect();
    for route_event in meili_telemetry::catalog::events().iter().filter(|e| {
        !matches!(
            e.name,
            "Identify" | "Launched" | "Dashboard Opened" | "Dashboard Index Switched"
        )
    }) {
        assert!(
            produced.contains(route_event.name),
            "no vector produces {:?}",
            route_event.name
        );
    }
}
