//! The metric catalog: the one declaration of every event and property that may leave the
//! machine. Message building validates against it, so nothing outside it can be sent.
//!
//! The types here describe an entry; the declarations themselves live in the sibling modules,
//! one per event family, so that a reviewer reads what is collected without reading any code.

mod server_events;

use crate::error::{RecordError, RecordErrorKind};
use crate::json::Value;

/// How a message is sent: a Segment `track` with properties, or an `identify` with traits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Track,
    Identify,
}

/// Who observes the event: the Meilisearch server's own telemetry, or the dashboard in a browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Server,
    Dashboard,
}

/// The JSON type of a property as sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    Boolean,
    Integer,
    String,
    StringArray,
}

impl ValueType {
    /// The JSON Schema / documentation name of the type.
    pub fn as_str(self) -> &'static str {
        match self {
            ValueType::Boolean => "boolean",
            ValueType::Integer => "integer",
            ValueType::String => "string",
            ValueType::StringArray => "array<string>",
        }
    }
}

/// How two aggregates of one event merge a property (section 1 of the server reference).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MergeRule {
    /// Saturating integer addition.
    Sum,
    /// Numeric maximum.
    Max,
    /// Boolean OR.
    Or,
    /// The newer value replaces the older one.
    Last,
    /// Set union, sent as a sorted array.
    Union,
}

impl MergeRule {
    pub fn as_str(self) -> &'static str {
        match self {
            MergeRule::Sum => "sum",
            MergeRule::Max => "max",
            MergeRule::Or => "or",
            MergeRule::Last => "last",
            MergeRule::Union => "union",
        }
    }
}

/// What kind of information a property carries: the privacy review's vocabulary. There is no
/// free-text class: every string is drawn from a closed list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Privacy {
    /// A yes/no fact.
    Boolean,
    /// A count of requests or items.
    Count,
    /// A number reduced to a coarse bucket or a maximum of small integers.
    Bucketed,
    /// One of a closed list of strings.
    Vocabulary(&'static [&'static str]),
}

/// One property of an event, at its JSON path as sent (dots separate nested objects).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PropertyDef {
    pub path: &'static str,
    pub value_type: ValueType,
    pub merge: MergeRule,
    pub privacy: Privacy,
    pub unit: Option<&'static str>,
    pub description: &'static str,
}

/// One event: its exact name as sent, and every property it may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventDef {
    pub name: &'static str,
    pub kind: EventKind,
    pub origin: Origin,
    pub description: &'static str,
    pub properties: &'static [PropertyDef],
}

impl EventDef {
    /// The declaration of `path` in this event.
    pub fn property(&self, path: &str) -> Option<(usize, &'static PropertyDef)> {
        self.properties
            .iter()
            .enumerate()
            .find(|(_, p)| p.path == path)
    }
}

/// Every event of the catalog, in documentation order.
pub fn events() -> &'static [EventDef] {
    server_events::EVENTS
}

/// The declaration of the event named `name`.
pub fn event(name: &str) -> Option<&'static EventDef> {
    events().iter().find(|e| e.name == name)
}

/// Finds the event, or the typed error that a recording call reports.
pub fn require_event(name: &str) -> Result<&'static EventDef, RecordError> {
    event(name).ok_or_else(|| {
        RecordError::new(
            RecordErrorKind::UnknownEvent,
            format!("event {name:?} is not in the telemetry catalog"),
        )
    })
}

/// Checks one value against its declaration: type, and vocabulary for strings.
pub fn check_value(event: &EventDef, prop: &PropertyDef, value: &Value) -> Result<(), RecordError> {
    let type_ok = match (prop.value_type, value) {
        (ValueType::Boolean, Value::Bool(_)) => true,
        (ValueType::Integer, Value::Int(n)) => *n >= 0,
        (ValueType::String, Value::String(s)) => return check_vocabulary(event, prop, s),
        (ValueType::StringArray, Value::Array(items)) => {
            for item in items {
                match item {
                    Value::String(s) => check_vocabulary(event, prop, s)?,
                    _ => return Err(wrong_type(event, prop)),
                }
            }
            true
        }
        _ => false,
    };
    if type_ok {
        Ok(())
    } else {
        Err(wrong_type(event, prop))
    }
}

fn wrong_type(event: &EventDef, prop: &PropertyDef) -> RecordError {
    RecordError::new(
        RecordErrorKind::WrongType,
        format!(
            "property {:?} of {:?} must be a {}",
            prop.path,
            event.name,
            match prop.value_type {
                ValueType::Integer => "non-negative integer",
                other => other.as_str(),
            }
        ),
    )
}

fn check_vocabulary(event: &EventDef, prop: &PropertyDef, s: &str) -> Result<(), RecordError> {
    match prop.privacy {
        Privacy::Vocabulary(allowed) if allowed.contains(&s) => Ok(()),
        Privacy::Vocabulary(allowed) => Err(RecordError::new(
            RecordErrorKind::OutsideVocabulary,
            format!(
                "property {:?} of {:?} accepts only {:?}",
                prop.path, event.name, allowed
            ),
        )),
        _ => Err(RecordError::new(
            RecordErrorKind::OutsideVocabulary,
            format!(
                "property {:?} of {:?} has no closed vocabulary, so it takes no string",
                prop.path, event.name
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_names_and_paths_are_unique() {
        let mut names: Vec<_> = events().iter().map(|e| e.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), events().len());
        for e in events() {
            let mut paths: Vec<_> = e.properties.iter().map(|p| p.path).collect();
            paths.sort_unstable();
            paths.dedup();
            assert_eq!(paths.len(), e.properties.len(), "{}", e.name);
        }
    }

    #[test]
    fn strings_only_from_closed_vocabularies() {
        for e in events() {
            for p in e.properties {
                if matches!(p.value_type, ValueType::String | ValueType::StringArray) {
                    assert!(
                        matches!(p.privacy, Privacy::Vocabulary(_)),
                        "{}.{} is a string without a vocabulary",
                        e.name,
                        p.path
                    );
                }
            }
        }
    }
}
