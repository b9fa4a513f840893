//! Every catalog entry round-trips through message building: each event, with every property set
//! to its declared example, becomes a Segment message that an independent JSON parser reads back
//! with exactly those values at exactly the declared paths, and nothing else.
mod common;

use common::{carried_values, to_value};
use meili_telemetry::batch::Envelope;
use meili_telemetry::catalog::{events, EventKind};
use meili_telemetry::MessageBuilder;
use std::collections::BTreeMap;

const ENVELOPE: Envelope<'static> = Envelope {
    user_id: "0d9a0c2b-5f5b-4b8e-9d8e-6e2a8c3c1f00",
    message_id: "2f1c1a4e-8d7b-4f0a-a1b2-c3d4e5f6a7b8",
    timestamp_ms: 1_764_000_000_000,
};

#[test]
fn every_entry_round_trips_through_message_building() {
    let mut checked = 0;
    for def in events() {
        let mut builder = MessageBuilder::for_event(def);
        let mut expected = BTreeMap::new();
        for prop in def.properties {
            let example: serde_json::Value =
                serde_json::from_str(prop.example).unwrap_or_else(|e| {
                    panic!("{}: example of {} is not JSON: {e}", def.name, prop.path)
                });
            builder
                .set(prop.path, to_value(&example))
                .unwrap_or_else(|e| {
                    panic!("{}: example of {} is rejected: {e}", def.name, prop.path)
                });
            expected.insert(prop.path.to_string(), example);
            checked += 1;
        }
        let text = builder.message(&ENVELOPE).to_json();
        let message: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(message["type"], def.kind.as_str(), "{}", def.name);
        assert_eq!(message["userId"], ENVELOPE.user_id);
        assert_eq!(message["messageId"], ENVELOPE.message_id);
        assert_eq!(message["timestamp"], "2025-11-24T16:00:00.000Z");
        assert_eq!(message["context"]["ip"], "0.0.0.0");
        match def.kind {
            EventKind::Track => assert_eq!(message["event"], def.name),
            EventKind::Identify => assert!(message.get("event").is_none()),
        }
        if def.properties.is_empty() {
            assert!(message["properties"].is_null(), "{}", def.name);
        }
        assert_eq!(carried_values(def, &message), expected, "{}", def.name);
    }
    assert!(checked >= 300, "only {checked} properties checked");
}

#[test]
fn literal_dotted_keys_stay_literal() {
    let literal: Vec<_> = events()
        .iter()
        .flat_map(|e| e.properties.iter().map(move |p| (e, p)))
        .filter(|(_, p)| p.literal_key)
        .collect();
    assert!(
        !literal.is_empty(),
        "Documents Fetched sends literal dotted keys"
    );
    for (def, prop) in literal {
        let mut builder = MessageBuilder::for_event(def);
        let example: serde_json::Value = serde_json::from_str(prop.example).unwrap();
        builder.set(prop.path, to_value(&example)).unwrap();
        let message: serde_json::Value =
            serde_json::from_str(&builder.message(&ENVELOPE).to_json()).unwrap();
        assert_eq!(message["properties"][prop.path], example, "{}", prop.path);
    }
}
