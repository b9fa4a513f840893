//! The shared test vectors of `tests/vectors/`, embedded: each `<name>.json` (raw requests and
//! responses) with its `<name>.expected.jsonl` (the exact summaries they must produce).

use meili_telemetry_core::json::text::parse;
use meili_telemetry_core::observe::{replay, Observer};
use meili_telemetry_core::Value;

macro_rules! vectors {
    ($($name:literal),* $(,)?) => {
        &[$((
            $name,
            include_str!(concat!("../vectors/", $name, ".json")),
            include_str!(concat!("../vectors/", $name, ".expected.jsonl")),
        )),*]
    };
}

/// `(name, input, expected)` of every vector.
pub const VECTORS: &[(&str, &str, &str)] = vectors![
    "search",
    "similar",
    "multi-and-facet-search",
    "settings",
    "documents",
    "indexes-and-tasks",
    "admin",
    "dashboard",
];

/// 2026-11-26T00:00:00Z: the first request of every vector.
pub const START_MS: u64 = 1_795_651_200_000;

/// The summaries a vector's requests produce (one JSON line per event), as its observer sees
/// them: the replay every build of the core runs over the same files.
pub fn replay_vector(name: &str, input: &str) -> String {
    let vector = parse(input).unwrap_or_else(|| panic!("{name}.json is not valid JSON"));
    let observer = match vector.get("observer") {
        Some(Value::String(o)) if o == "dashboard" => Observer::Dashboard,
        _ => Observer::Server,
    };
    let requests = vector.get("requests").expect("a requests array");
    replay(requests, observer, START_MS).unwrap_or_else(|e| panic!("{name}: {e}"))
}
