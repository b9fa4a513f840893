//! Property test: whatever property bags a host records — declared paths, other events' paths,
//! made-up paths, values of every JSON type, strings from any vocabulary or none — the batches
//! the engine builds carry nothing outside the catalog: every message is a catalog event, and
//! every value it carries sits at a path declared for that event and passes that declaration.
mod common;

use common::{carried_values, to_value};
use meili_telemetry::batch::Envelope;
use meili_telemetry::catalog::{self, events, Privacy};
use meili_telemetry::platform::fakes::SeededEntropy;
use meili_telemetry::{Config, Engine, MessageBuilder, Value};
use proptest::prelude::*;

/// Every path and every closed-vocabulary string of the catalog: the inputs most likely to get
/// close to being accepted.
fn catalog_paths() -> Vec<&'static str> {
    events()
        .iter()
        .flat_map(|e| e.properties.iter().map(|p| p.path))
        .collect()
}

fn catalog_words() -> Vec<&'static str> {
    events()
        .iter()
        .flat_map(|e| e.properties.iter())
        .flat_map(|p| match p.privacy {
            Privacy::Vocabulary(values) => values.to_vec(),
            _ => vec![],
        })
        .chain(["1.50.0", "asc, desc", "100 MB", "12.50", "other", "NaN"])
        .collect()
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(catalog_words()).prop_map(str::to_owned),
        1 => "\\PC{0,16}",
        1 => "[a-z@./:]{0,24}",
    ]
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-5i64..2_000_000).prop_map(Value::Int),
        any::<i64>().prop_map(Value::Int),
        any::<f64>().prop_map(Value::Float),
        text().prop_map(Value::from),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(2, 12, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((text(), inner), 0..4).prop_map(Value::from),
        ]
    })
}

fn path(own: Vec<&'static str>) -> impl Strategy<Value = String> {
    let own = if own.is_empty() {
        vec!["user-agent"]
    } else {
        own
    };
    prop_oneof![
        6 => prop::sample::select(own).prop_map(str::to_owned),
        2 => prop::sample::select(catalog_paths()).prop_map(str::to_owned),
        1 => "[a-z_.-]{1,24}",
    ]
}

/// One recording call: a catalog event (now and then a made-up one) and a bag of entries.
fn call() -> impl Strategy<Value = (String, Value)> {
    let names: Vec<&'static str> = events().iter().map(|e| e.name).collect();
    prop_oneof![
        19 => prop::sample::select(names).prop_map(str::to_owned),
        1 => "[A-Za-z ]{1,20}",
    ]
    .prop_flat_map(|name| {
        let own = catalog::event(&name)
            .map(|e| e.properties.iter().map(|p| p.path).collect())
            .unwrap_or_default();
        let bag = prop_oneof![
            1 => Just(Value::Null),
            1 => scalar(),
            8 => prop::collection::vec((path(own), value()), 0..8).prop_map(Value::from),
        ];
        (Just(name), bag)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn batches_never_carry_anything_outside_the_catalog(
        calls in prop::collection::vec(call(), 1..6),
        seed in any::<u64>(),
    ) {
        let mut entropy = SeededEntropy::new(seed);
        let config = Config::new("http://127.0.0.1:8787", "key").unwrap();
        let mut engine = Engine::new(config, 0, &mut entropy).unwrap();
        let mut accepted = 0;
        for (at, (name, bag)) in calls.iter().enumerate() {
            if engine.record(at as u64, name, bag).is_ok() {
                accepted += 1;
            }
            // The same bag, entry by entry, straight into a message builder (every event,
            // Identify and the aggregated ones included): rejected entries are left out.
            if let (Some(def), Value::Object(entries)) = (catalog::event(name), bag) {
                let mut builder = MessageBuilder::for_event(def);
                for (path, value) in entries {
                    let _ = builder.set(path, value.clone());
                }
                let message: serde_json::Value =
                    serde_json::from_str(&builder.message(&ENVELOPE).to_json()).unwrap();
                assert_carries_only_the_catalog(&message)?;
            }
        }
        let stats = engine.stats();
        prop_assert_eq!(stats.recorded, accepted);
        prop_assert_eq!(stats.recorded + stats.rejected.total(), calls.len() as u64);

        let Some(upload) = engine.flush(1_000, &mut entropy) else {
            prop_assert_eq!(accepted, 0);
            return Ok(());
        };
        prop_assert_eq!(engine.stats().dropped_invalid, 0);
        let body: serde_json::Value = serde_json::from_str(&upload.body).unwrap();
        let batch = body["batch"].as_array().unwrap();
        prop_assert!(!batch.is_empty());
        for message in batch {
            assert_carries_only_the_catalog(message)?;
        }
    }
}

const ENVELOPE: Envelope<'static> = Envelope {
    user_id: "0d9a0c2b-5f5b-4b8e-9d8e-6e2a8c3c1f00",
    message_id: "2f1c1a4e-8d7b-4f0a-a1b2-c3d4e5f6a7b8",
    timestamp_ms: 0,
};

/// The message is a catalog event and every value it carries passes its declaration.
fn assert_carries_only_the_catalog(message: &serde_json::Value) -> Result<(), TestCaseError> {
    let name = message["event"].as_str().unwrap_or("Identify");
    let def = catalog::event(name);
    prop_assert!(def.is_some(), "{} is not a catalog event", name);
    let def = def.unwrap();
    for (path, carried) in carried_values(def, message) {
        let declared = def.property(&path);
        prop_assert!(declared.is_some(), "{}: {} is not declared", name, path);
        let (_, prop) = declared.unwrap();
        let checked = catalog::check_value(def, prop, &to_value(&carried));
        prop_assert!(
            checked.is_ok(),
            "{}: {} = {} fails its declaration",
            name,
            path,
            carried
        );
    }
    Ok(())
}
