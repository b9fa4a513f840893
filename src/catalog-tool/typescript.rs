//! The TypeScript types of the JS API's event inputs: for every event a host can record from a
//! property bag, the paths it accepts, each with its type (closed vocabularies as unions of
//! string literals) and whether it may be left out. `track()` is typed by them, so a misspelt
//! event or path, or a value outside a vocabulary, fails to compile in the host.

use crate::pattern::pattern;
use meili_telemetry_core::aggregate::{check_recordable, neutral};
use meili_telemetry_core::catalog::{events, EventDef, Privacy, PropertyDef, ValueType};
use meili_telemetry_core::json::Value;

fn literal(s: &str) -> String {
    Value::from(s).to_json()
}

/// The element type of a string: a union of its vocabulary, or `string` for a format.
fn text_type(p: &PropertyDef) -> String {
    match p.privacy {
        Privacy::Vocabulary(values) => values
            .iter()
            .map(|v| literal(v))
            .collect::<Vec<_>>()
            .join(" | "),
        _ => "string".into(),
    }
}

fn value_type(p: &PropertyDef) -> String {
    let base = match p.value_type {
        ValueType::Boolean => "boolean".to_string(),
        ValueType::Integer | ValueType::Number => "number".to_string(),
        ValueType::String => text_type(p),
        ValueType::StringArray => format!("ReadonlyArray<{}>", text_type(p)),
        ValueType::IntegerArray => "ReadonlyArray<number>".to_string(),
        ValueType::CountMap => format!("Partial<Record<{}, number>>", text_type(p)),
        ValueType::Null => "null".to_string(),
    };
    if p.nullable && p.value_type != ValueType::Null {
        format!("{base} | null")
    } else {
        base
    }
}

fn doc_comment(p: &PropertyDef) -> String {
    let mut lines = vec![p.description.replace("*/", "*\\/")];
    let mut facts = vec![format!("Merge: {}.", p.merge.as_str())];
    if let Some(unit) = p.unit {
        facts.push(format!("Unit: {unit}."));
    }
    if let Privacy::Format(format) = p.privacy {
        facts.push(format!(
            "Format: {} (`{}`).",
            format.as_str(),
            pattern(format)
        ));
    }
    lines.push(facts.join(" "));
    format!("    /** {} */\n", lines.join(" "))
}

fn event_type(e: &EventDef) -> String {
    let mut out = format!(
        "  /** {} */\n  {}: {{\n",
        e.description.replace("*/", "*\\/"),
        literal(e.name)
    );
    for p in e.properties.iter().filter(|p| p.merge.is_recordable()) {
        let optional = if neutral(p).is_some() { "?" } else { "" };
        out.push_str(&doc_comment(p));
        out.push_str(&format!(
            "    {}{optional}: {};\n",
            literal(p.path),
            value_type(p)
        ));
    }
    out.push_str("  };\n");
    out
}

/// `events.d.ts`: the property bag of every recordable event.
pub fn event_types() -> String {
    let mut out = String::from(
        "// Generated from the catalog (src/core/catalog/) by `npm run catalog:write`: do not edit.\n\
         // The property bag each recordable event accepts; `track()` is typed by it.\n\n\
         /** Every event a host can record with `track()`, and the properties it accepts. */\n\
         export interface EventProperties {\n",
    );
    for e in events().iter().filter(|e| check_recordable(e).is_ok()) {
        out.push_str(&event_type(e));
    }
    out.push_str("}\n\n/** The name of an event a host can record. */\nexport type EventName = keyof EventProperties;\n");
    out
}
