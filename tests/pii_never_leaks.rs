//! PII property test (10,000 cases): e-mail addresses, IPv4 and IPv6 addresses, URLs, API-key-like
//! tokens (hex and base64, 16–64 characters), index names and query texts are injected into every
//! field of every recording input — every string and key of the raw requests of every event family
//! (the shared vectors are the templates), index names in paths, query parameters, every header
//! (`Authorization`, `Referer`, `X-Meilisearch-Client`…), response bodies, and every property of
//! every `track()` bag — and none of them, nor any 8-character piece of them, appears in any batch.
use meili_telemetry::catalog::events;
use meili_telemetry::json::text::parse;
use meili_telemetry::observe::{Observer, Request};
use meili_telemetry::platform::fakes::SeededEntropy;
use meili_telemetry::{Config, Engine, Value};
use proptest::prelude::*;
use std::collections::HashSet;

const VECTORS: [&str; 8] = [
    include_str!("vectors/search.json"),
    include_str!("vectors/similar.json"),
    include_str!("vectors/multi-and-facet-search.json"),
    include_str!("vectors/settings.json"),
    include_str!("vectors/documents.json"),
    include_str!("vectors/indexes-and-tasks.json"),
    include_str!("vectors/admin.json"),
    include_str!("vectors/dashboard.json"),
];

/// Every request of every vector: the templates the PII is injected into.
fn templates() -> Vec<Value> {
    VECTORS
        .iter()
        .flat_map(|text| match parse(text).unwrap().get("requests") {
            Some(Value::Array(requests)) => requests.clone(),
            _ => Vec::new(),
        })
        .collect()
}

fn pii() -> impl Strategy<Value = String> {
    let word = "[a-z][a-z0-9]{5,11}";
    prop_oneof![
        (
            word,
            word,
            prop::sample::select(vec!["com", "org", "io", "fr"])
        )
            .prop_map(|(user, host, tld)| format!("{user}@{host}.{tld}")),
        (1u8..=255, 0u8..=255, 0u8..=255, 1u8..=254)
            .prop_map(|(a, b, c, d)| format!("{a}.{b}.{c}.{d}")),
        prop::collection::vec(0u16..=0xffff, 8).prop_map(|g| g
            .iter()
            .map(|x| format!("{x:04x}"))
            .collect::<Vec<_>>()
            .join(":")),
        (word, word, "[a-z0-9/]{0,16}")
            .prop_map(|(host, path, rest)| format!("https://{host}.example/{path}/{rest}")),
        "[0-9a-f]{16,64}",
        "[A-Za-z0-9+/]{16,64}={0,2}",
        "[a-z][a-z0-9_-]{7,24}",
        prop::collection::vec("[a-z]{3,9}", 2..6).prop_map(|w| w.join(" ")),
    ]
}

/// Replaces strings and keys of `value` with PII from `pool` as `choices` dictates.
fn inject(value: &Value, pool: &[String], choices: &mut impl Iterator<Item = usize>) -> Value {
    let mut pick = || pool[choices.next().unwrap_or(0) % pool.len()].clone();
    match value {
        Value::String(_) => Value::from(pick()),
        Value::Array(items) => {
            Value::Array(items.iter().map(|v| inject(v, pool, choices)).collect())
        }
        Value::Object(entries) => Value::Object(
            entries
                .iter()
                .map(|(k, v)| {
                    let roll = choices.next().unwrap_or(0);
                    let key = if roll % 4 == 0 {
                        pool[roll % pool.len()].clone().into()
                    } else {
                        k.clone()
                    };
                    (key, inject(v, pool, choices))
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A template with PII everywhere a client could put it.
fn poisoned(template: &Value, pool: &[String], seed: &[usize]) -> Value {
    let mut choices = seed.iter().copied().cycle();
    let mut request = template.clone();
    let fields: Vec<String> = match &request {
        Value::Object(entries) => entries.iter().map(|(k, _)| k.to_string()).collect(),
        _ => Vec::new(),
    };
    for field in fields {
        match field.as_str() {
            "method" | "indexCreation" => {}
            "path" => {
                let Some(Value::String(path)) = request.get("path").cloned() else {
                    continue;
                };
                let segments: Vec<String> = path
                    .split('/')
                    .enumerate()
                    .map(|(i, s)| {
                        if i == 2 && path.starts_with("/indexes/") {
                            pool[0].clone()
                        } else {
                            s.to_owned()
                        }
                    })
                    .collect();
                let query = format!(
                    "q={}&filter={}&primaryKey={}",
                    pool[1 % pool.len()],
                    pool[2 % pool.len()],
                    pool[3 % pool.len()]
                );
                let joined = segments.join("/");
                let sep = if joined.contains('?') { '&' } else { '?' };
                request.insert("path", format!("{joined}{sep}{query}").into());
            }
            "response" => {
                let response = request.get("response").cloned().unwrap_or(Value::Null);
                let mut poisoned = inject(&response, pool, &mut choices);
                if let (Some(status), Value::Object(_)) = (response.get("status"), &poisoned) {
                    poisoned.insert("status", status.clone());
                }
                request.insert("response", poisoned);
            }
            other => {
                let value = request.get(other).cloned().unwrap_or(Value::Null);
                request.insert(other, inject(&value, pool, &mut choices));
            }
        }
    }
    let mut headers = request
        .get("headers")
        .cloned()
        .unwrap_or_else(Value::object);
    headers.insert(
        "Authorization",
        format!("Bearer {}", pool[choices.next().unwrap_or(0) % pool.len()]).into(),
    );
    headers.insert(
        "Referer",
        pool[choices.next().unwrap_or(0) % pool.len()]
            .clone()
            .into(),
    );
    headers.insert(
        "User-Agent",
        pool[choices.next().unwrap_or(0) % pool.len()]
            .clone()
            .into(),
    );
    headers.insert(
        "X-Meilisearch-Client",
        format!("Meilisearch {}", pool[0]).into(),
    );
    request.insert("headers", headers);
    request
}

/// Every 8-character piece of `text` (by characters).
fn pieces(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() < 8 {
        return vec![text.to_owned()];
    }
    chars.windows(8).map(|w| w.iter().collect()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn no_pii_reaches_a_batch(
        pool in prop::collection::vec(pii(), 4..8),
        picks in prop::collection::vec(any::<prop::sample::Index>(), 1..4),
        seed in prop::collection::vec(0usize..10_000, 32),
        dashboard in any::<bool>(),
        bag_event in any::<prop::sample::Index>(),
    ) {
        let all = templates();
        let mut entropy = SeededEntropy::new(seed[0] as u64);
        let config = Config::new("http://127.0.0.1:8787", "key").unwrap();
        let mut engine = Engine::new(config, 0, &mut entropy).unwrap();
        let observer = if dashboard { Observer::Dashboard } else { Observer::Server };
        for (i, pick) in picks.iter().enumerate() {
            let raw = poisoned(pick.get(&all), &pool, &seed[i..]);
            if let Ok(request) = Request::from_value(&raw) {
                let _ = engine.observe(i as u64, &request, observer);
            }
        }
        // A track() bag with PII in every declared property.
        let event = bag_event.get(events());
        let bag = Value::from(
            event.properties.iter().enumerate()
                .map(|(i, p)| (p.path.to_owned(), Value::from(pool[i % pool.len()].as_str())))
                .collect::<Vec<_>>(),
        );
        let _ = engine.record(9, event.name, &bag);
        let mut batches = Vec::new();
        let mut ids = vec![engine.instance_uid().to_string()];
        while let Some(upload) = engine.flush(10, &mut entropy) {
            batches.push(upload.body.clone());
            ids.extend(upload.message_ids.iter().cloned());
            engine.upload_finished(10, meili_telemetry::UploadOutcome::Status(200), None);
        }
        // The envelope's random UUIDs are not data: a random hex secret may share 8 digits
        // with one (about once in a hundred runs of 10,000 cases), which proves nothing.
        let body = ids.iter().fold(batches.join("\n"), |body, id| body.replace(id.as_str(), "<uuid>"));
        let windows: HashSet<String> = pieces(&body).into_iter().collect();
        for secret in &pool {
            prop_assert!(!body.contains(secret.as_str()), "{:?} reached the wire: {}", secret, body);
            for piece in pieces(secret) {
                prop_assert!(!windows.contains(&piece), "{:?} (from {:?}) reached the wire: {}", piece, secret, body);
            }
        }
    }
}
