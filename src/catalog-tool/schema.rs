//! The JSON Schema (draft 2020-12) of a batch payload, with one definition per event for its
//! message and one for its properties.

use super::json::pretty;
use crate::pattern::pattern;
use meili_telemetry_core::catalog::{events, EventDef, EventKind, Privacy, PropertyDef, ValueType};
use meili_telemetry_core::json::Value;

const UUID: &str = "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$";

fn obj(entries: Vec<(&str, Value)>) -> Value {
    Value::Object(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned().into(), v))
            .collect(),
    )
}

fn strings(values: &[&str]) -> Value {
    Value::Array(values.iter().map(|v| (*v).into()).collect())
}

fn text(p: &PropertyDef) -> Value {
    match p.privacy {
        Privacy::Vocabulary(values) => obj(vec![("enum", strings(values))]),
        Privacy::Format(format) => obj(vec![
            ("type", "string".into()),
            ("pattern", pattern(format).into()),
        ]),
        _ => obj(vec![("not", Value::object())]),
    }
}

fn leaf(p: &PropertyDef) -> Value {
    let count = || obj(vec![("type", "integer".into()), ("minimum", Value::Int(0))]);
    let schema = match p.value_type {
        ValueType::Boolean => obj(vec![("type", "boolean".into())]),
        ValueType::Integer => count(),
        ValueType::Number => obj(vec![("type", "number".into()), ("minimum", Value::Int(0))]),
        ValueType::String => text(p),
        ValueType::StringArray => obj(vec![("type", "array".into()), ("items", text(p))]),
        ValueType::IntegerArray => obj(vec![("type", "array".into()), ("items", count())]),
        ValueType::CountMap => obj(vec![
            ("type", "object".into()),
            ("propertyNames", text(p)),
            ("additionalProperties", count()),
        ]),
        ValueType::Null => obj(vec![("type", "null".into())]),
    };
    if p.nullable {
        obj(vec![(
            "anyOf",
            Value::Array(vec![schema, obj(vec![("type", "null".into())])]),
        )])
    } else {
        schema
    }
}

/// A closed object schema from `(keys, leaf schema)` pairs, nesting on the keys.
fn object(entries: &[(Vec<&str>, Value)]) -> Value {
    let mut names: Vec<&str> = Vec::new();
    for (keys, _) in entries {
        if let Some(first) = keys.first() {
            if !names.contains(first) {
                names.push(first);
            }
        }
    }
    let mut properties = Value::object();
    for name in &names {
        let children: Vec<(Vec<&str>, Value)> = entries
            .iter()
            .filter(|(keys, _)| keys.first() == Some(name))
            .map(|(keys, schema)| (keys[1..].to_vec(), schema.clone()))
            .collect();
        let schema = match children.as_slice() {
            [(rest, schema)] if rest.is_empty() => schema.clone(),
            _ => object(&children),
        };
        properties.insert(name, schema);
    }
    obj(vec![
        ("type", "object".into()),
        ("additionalProperties", false.into()),
        ("required", strings(&names)),
        ("properties", properties),
    ])
}

fn properties_schema(e: &EventDef) -> Value {
    if e.properties.is_empty() {
        return obj(vec![("type", "null".into())]);
    }
    let entries: Vec<(Vec<&str>, Value)> = e
        .properties
        .iter()
        .filter(|p| !p.path.starts_with("context."))
        .map(|p| (p.keys(), leaf(p)))
        .collect();
    object(&entries)
}

fn slug(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

fn context_schema(e: &EventDef) -> Value {
    let library = obj(vec![
        ("type", "object".into()),
        ("additionalProperties", false.into()),
        ("required", strings(&["name", "version"])),
        (
            "properties",
            obj(vec![
                ("name", obj(vec![("const", "meili-telemetry".into())])),
                ("version", obj(vec![("type", "string".into())])),
            ]),
        ),
    ]);
    let mut entries = vec![
        (vec!["ip"], obj(vec![("const", "0.0.0.0".into())])),
        (vec!["library"], library),
    ];
    for p in e
        .properties
        .iter()
        .filter(|p| p.path.starts_with("context."))
    {
        entries.push((p.keys()[1..].to_vec(), leaf(p)));
    }
    object(&entries)
}

fn message_schema(e: &EventDef) -> Value {
    let uuid = || obj(vec![("type", "string".into()), ("pattern", UUID.into())]);
    let body = format!("#/$defs/{}.properties", slug(e.name));
    let (payload_key, kind) = match e.kind {
        EventKind::Track => ("properties", "track"),
        EventKind::Identify => ("traits", "identify"),
    };
    let mut props = vec![("type", obj(vec![("const", kind.into())]))];
    if e.kind == EventKind::Track {
        props.push(("event", obj(vec![("const", e.name.into())])));
    }
    props.extend([
        (payload_key, obj(vec![("$ref", body.into())])),
        ("userId", uuid()),
        ("messageId", uuid()),
        (
            "timestamp",
            obj(vec![
                ("type", "string".into()),
                ("format", "date-time".into()),
            ]),
        ),
        ("context", context_schema(e)),
    ]);
    let required: Vec<&str> = props.iter().map(|(k, _)| *k).collect();
    obj(vec![
        ("type", "object".into()),
        ("additionalProperties", false.into()),
        ("required", strings(&required)),
        ("properties", obj(props)),
    ])
}

/// The schema of a whole batch, as pretty JSON text.
pub fn batch_schema() -> String {
    let mut defs = Value::object();
    for e in events() {
        defs.insert(&slug(e.name), message_schema(e));
        defs.insert(
            &format!("{}.properties", slug(e.name)),
            properties_schema(e),
        );
    }
    let refs: Vec<Value> = events()
        .iter()
        .map(|e| obj(vec![("$ref", format!("#/$defs/{}", slug(e.name)).into())]))
        .collect();
    let schema = obj(vec![
        (
            "$schema",
            "https://json-schema.org/draft/2020-12/schema".into(),
        ),
        ("$id", "urn:meili-telemetry:batch".into()),
        (
            "title",
            "meili-telemetry batch (generated from the catalog)".into(),
        ),
        ("type", "object".into()),
        ("additionalProperties", false.into()),
        ("required", strings(&["batch", "sentAt"])),
        (
            "properties",
            obj(vec![
                (
                    "batch",
                    obj(vec![
                        ("type", "array".into()),
                        ("items", obj(vec![("oneOf", Value::Array(refs))])),
                    ]),
                ),
                (
                    "sentAt",
                    obj(vec![
                        ("type", "string".into()),
                        ("format", "date-time".into()),
                    ]),
                ),
            ]),
        ),
        ("$defs", defs),
    ]);
    let mut out = pretty(&schema);
    out.push('\n');
    out
}
