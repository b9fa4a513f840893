//! The catalog as JSON: `{"events":[{"name","kind","origin",…,"properties":[{"path","type",…}]}]}`,
//! the listing a serde type written by serde_json.

use crate::pattern::pattern;
use meili_telemetry_core::catalog::{events, EventDef, Privacy, PropertyDef};
use serde::Serialize;

/// One property as the listing shows it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PropertyListing {
    path: &'static str,
    #[serde(rename = "type")]
    value_type: &'static str,
    nullable: bool,
    merge: &'static str,
    privacy: &'static str,
    /// The vocabulary, for a property limited to one.
    #[serde(skip_serializing_if = "Option::is_none")]
    values: Option<&'static [&'static str]>,
    /// The pattern, for a property limited to a format.
    #[serde(skip_serializing_if = "Option::is_none")]
    pattern: Option<&'static str>,
    unit: Option<&'static str>,
    literal_key: bool,
    description: &'static str,
    example: &'static str,
}

/// One event as the listing shows it.
#[derive(Serialize)]
struct EventListing {
    name: &'static str,
    kind: &'static str,
    origin: &'static str,
    description: &'static str,
    trigger: &'static str,
    properties: Vec<PropertyListing>,
}

/// The listing: every event of the catalog, in declaration order.
#[derive(Serialize)]
struct CatalogListing {
    events: Vec<EventListing>,
}

fn property(p: &PropertyDef) -> PropertyListing {
    PropertyListing {
        path: p.path,
        value_type: p.value_type.as_str(),
        nullable: p.nullable,
        merge: p.merge.as_str(),
        privacy: p.privacy.as_str(),
        values: match p.privacy {
            Privacy::Vocabulary(values) => Some(values),
            _ => None,
        },
        pattern: match p.privacy {
            Privacy::Format(format) => Some(pattern(format)),
            _ => None,
        },
        unit: p.unit,
        literal_key: p.literal_key,
        description: p.description,
        example: p.example,
    }
}

fn event(e: &EventDef) -> EventListing {
    EventListing {
        name: e.name,
        kind: e.kind.as_str(),
        origin: e.origin.as_str(),
        description: e.description,
        trigger: e.trigger,
        properties: e.properties.iter().map(property).collect(),
    }
}

fn listing() -> CatalogListing {
    CatalogListing {
        events: events().iter().map(event).collect(),
    }
}

/// The whole catalog as compact JSON text: `{"events":[…]}`.
pub fn catalog_text() -> String {
    meili_telemetry_core::json::write(&listing())
}

/// The whole catalog as pretty JSON text (two-space indent, a final newline).
pub fn catalog_json() -> String {
    let mut out = pretty(&listing());
    out.push('\n');
    out
}

/// Indented JSON (the compact writer is for the wire; files for people are indented).
pub(crate) fn pretty<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}
