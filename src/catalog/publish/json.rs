//! The catalog as JSON: `{"events":[{"name","kind","origin",…,"properties":[{"path","type",…}]}]}`.

use crate::prelude::*;

use crate::catalog::{events, EventDef, Privacy, PropertyDef};
use crate::json::Value;

fn property(p: &PropertyDef) -> Value {
    let mut out = Value::object();
    out.insert("path", p.path.into());
    out.insert("type", p.value_type.as_str().into());
    out.insert("nullable", p.nullable.into());
    out.insert("merge", p.merge.as_str().into());
    out.insert("privacy", p.privacy.as_str().into());
    if let Privacy::Vocabulary(values) = p.privacy {
        out.insert(
            "values",
            Value::Array(values.iter().map(|v| (*v).into()).collect()),
        );
    }
    if let Privacy::Format(format) = p.privacy {
        out.insert("pattern", format.pattern().into());
    }
    out.insert("unit", p.unit.map_or(Value::Null, Value::from));
    out.insert("literalKey", p.literal_key.into());
    out.insert("description", p.description.into());
    out.insert("example", p.example.into());
    out
}

fn event(e: &EventDef) -> Value {
    let mut out = Value::object();
    out.insert("name", e.name.into());
    out.insert("kind", e.kind.as_str().into());
    out.insert("origin", e.origin.as_str().into());
    out.insert("description", e.description.into());
    out.insert("trigger", e.trigger.into());
    out.insert(
        "properties",
        Value::Array(e.properties.iter().map(property).collect()),
    );
    out
}

/// The whole catalog as a JSON value: `{"events":[…]}`.
pub fn catalog_value() -> Value {
    let mut root = Value::object();
    root.insert("events", Value::Array(events().iter().map(event).collect()));
    root
}

/// The whole catalog as pretty JSON text (two-space indent, a final newline).
pub fn catalog_json() -> String {
    let mut out = pretty(&catalog_value(), 0);
    out.push('\n');
    out
}

/// Indented JSON (the compact writer is for the wire; files for people are indented).
pub(crate) fn pretty(value: &Value, depth: usize) -> String {
    let pad = |d: usize| "  ".repeat(d);
    match value {
        Value::Array(items)
            if !items.is_empty()
                && items
                    .iter()
                    .any(|v| matches!(v, Value::Object(_) | Value::Array(_))) =>
        {
            let inner: Vec<String> = items
                .iter()
                .map(|v| format!("{}{}", pad(depth + 1), pretty(v, depth + 1)))
                .collect();
            format!("[\n{}\n{}]", inner.join(",\n"), pad(depth))
        }
        Value::Object(entries) if !entries.is_empty() => {
            let inner: Vec<String> = entries
                .iter()
                .map(|(k, v)| {
                    format!(
                        "{}{}: {}",
                        pad(depth + 1),
                        Value::from(k.as_ref()).to_json(),
                        pretty(v, depth + 1)
                    )
                })
                .collect();
            format!("{{\n{}\n{}}}", inner.join(",\n"), pad(depth))
        }
        other => other.to_json(),
    }
}
