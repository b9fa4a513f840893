//! The shared test vectors of `tests/vectors/`, embedded: each `<name>.json` (raw requests and
//! responses) with its `<name>.expected.jsonl` (the exact summaries they must produce).

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
