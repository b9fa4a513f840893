//! Helpers shared by the Rust integration tests: converting JSON between `serde_json` (the
//! independent parser) and the crate's `Value`, and listing the leaf paths a message carries.
#![allow(dead_code)]

pub mod vectors;

use meili_telemetry::catalog::{EventDef, EventKind};
use meili_telemetry::Value;
use std::collections::BTreeMap;

/// The crate's `Value` for a `serde_json` value (integers stay integers).
pub fn to_value(json: &serde_json::Value) -> Value {
    match json {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        serde_json::Value::String(s) => Value::from(s.as_str()),
        serde_json::Value::Array(items) => Value::Array(items.iter().map(to_value).collect()),
        serde_json::Value::Object(entries) => Value::from(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), to_value(v)))
                .collect::<Vec<_>>(),
        ),
    }
}

/// Every value a Segment message carries for its event, keyed by catalog path: the leaves of
/// `properties` (Track) or of `traits` plus the message's own `context` entries (Identify).
/// Walking stops at a declared path (count maps are objects), so anything undeclared shows up
/// under its own path.
pub fn carried_values(
    def: &EventDef,
    message: &serde_json::Value,
) -> BTreeMap<String, serde_json::Value> {
    let mut out = BTreeMap::new();
    match def.kind {
        EventKind::Track => walk(def, "", &message["properties"], &mut out),
        EventKind::Identify => {
            walk(def, "", &message["traits"], &mut out);
            let mut context = message["context"].clone();
            if let Some(entries) = context.as_object_mut() {
                entries.remove("ip");
                entries.remove("library");
            }
            walk(def, "context.", &context, &mut out);
        }
    }
    out
}

fn walk(
    def: &EventDef,
    prefix: &str,
    node: &serde_json::Value,
    out: &mut BTreeMap<String, serde_json::Value>,
) {
    match node {
        serde_json::Value::Object(entries) => {
            for (key, value) in entries {
                let path = format!("{prefix}{key}");
                let declared = def.properties.iter().any(|p| p.path == path);
                if declared || !value.is_object() || value.as_object().unwrap().is_empty() {
                    out.insert(path, value.clone());
                } else {
                    walk(def, &format!("{path}."), value, out);
                }
            }
        }
        serde_json::Value::Null if prefix.is_empty() => {}
        other => {
            out.insert(format!("{prefix}<not an object>"), other.clone());
        }
    }
}
