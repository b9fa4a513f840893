//! Validation against the catalog: a value's type, nullability, vocabulary and text format. Every
//! failure is a typed [`RecordError`] naming the event and the property.

use crate::prelude::*;

use super::{event, EventDef, Privacy, PropertyDef, TextFormat, ValueType, KNOWN_CLIENTS};
use crate::error::quoted;
use crate::error::{RecordError, RecordErrorKind};
use crate::json::Value;

/// Finds the event, or the typed error that a recording call reports.
pub(crate) fn require_event(name: &str) -> Result<&'static EventDef, RecordError> {
    event(name).ok_or_else(|| {
        RecordError::new(
            RecordErrorKind::UnknownEvent,
            ["event ", &quoted(name), " is not in the telemetry catalog"].concat(),
        )
    })
}

/// Checks one value against its declaration.
pub fn check_value(event: &EventDef, prop: &PropertyDef, value: &Value) -> Result<(), RecordError> {
    let wrong = || wrong_type(event, prop);
    match (prop.value_type, value) {
        (ValueType::Null, Value::Null) => Ok(()),
        (_, Value::Null) if prop.nullable => Ok(()),
        (ValueType::Boolean, Value::Bool(_)) => Ok(()),
        (ValueType::Integer, Value::Int(n)) if *n >= 0 => Ok(()),
        (ValueType::Number, Value::Int(n)) if *n >= 0 => Ok(()),
        (ValueType::Number, Value::Float(x)) if x.is_finite() && *x >= 0.0 => Ok(()),
        (ValueType::String, Value::String(s)) => check_text(event, prop, s),
        (ValueType::StringArray, Value::Array(items)) => {
            items.iter().try_for_each(|item| match item {
                Value::String(s) => check_text(event, prop, s),
                _ => Err(wrong()),
            })
        }
        (ValueType::IntegerArray, Value::Array(items)) => {
            items.iter().try_for_each(|item| match item {
                Value::Int(n) if *n >= 0 => Ok(()),
                _ => Err(wrong()),
            })
        }
        (ValueType::CountMap, Value::Object(entries)) => entries.iter().try_for_each(|(key, n)| {
            check_text(event, prop, key)?;
            match n {
                Value::Int(n) if *n >= 0 => Ok(()),
                _ => Err(wrong()),
            }
        }),
        _ => Err(wrong()),
    }
}

fn wrong_type(event: &EventDef, prop: &PropertyDef) -> RecordError {
    let expected = match prop.value_type {
        ValueType::Integer => "non-negative integer",
        ValueType::Number => "finite non-negative number",
        other => other.as_str(),
    };
    let nullable = if prop.nullable { " or null" } else { "" };
    let complaint = ["must be a ", expected, nullable].concat();
    RecordError::about_property(
        RecordErrorKind::WrongType,
        prop.path,
        event.name,
        &complaint,
    )
}

/// Whether `prop` accepts the string `s`: in its vocabulary, or in its text format.
pub(crate) fn accepts_text(prop: &PropertyDef, s: &str) -> bool {
    match prop.privacy {
        Privacy::Vocabulary(allowed) => allowed.contains(&s),
        Privacy::Format(format) => matches_format(format, s),
        _ => false,
    }
}

fn check_text(event: &EventDef, prop: &PropertyDef, s: &str) -> Result<(), RecordError> {
    if accepts_text(prop, s) {
        return Ok(());
    }
    let accepted = match prop.privacy {
        Privacy::Vocabulary(allowed) => {
            let listed: Vec<String> = allowed.iter().map(|word| quoted(word)).collect();
            ["one of [", &listed.join(", "), "]"].concat()
        }
        Privacy::Format(format) => ["a ", format.as_str(), " string"].concat(),
        _ => "no string".into(),
    };
    Err(RecordError::about_property(
        RecordErrorKind::OutsideVocabulary,
        prop.path,
        event.name,
        &["accepts ", &accepted].concat(),
    ))
}

/// Whether `s` is in `format` (the same language as the JSON Schema `pattern` the catalog tool
/// publishes for it).
pub(crate) fn matches_format(format: TextFormat, s: &str) -> bool {
    match format {
        TextFormat::Version => is_version(s),
        TextFormat::Decimal => s
            .split_once('.')
            .is_some_and(|(int, frac)| digits(int, 1, 15) && digits(frac, 2, 2)),
        TextFormat::IntegerText => digits(s, 1, 15),
        TextFormat::ByteSize => s.split_once(' ').is_some_and(|(number, unit)| {
            let number_ok = match number.split_once('.') {
                Some((int, frac)) => digits(int, 1, 20) && digits(frac, 1, 3),
                None => digits(number, 1, 20),
            };
            const UNITS: [&str; 11] = [
                "B", "KB", "MB", "GB", "TB", "PB", "KiB", "MiB", "GiB", "TiB", "PiB",
            ];
            number_ok && UNITS.contains(&unit)
        }),
        TextFormat::ClientAgent => is_client_agent(s),
        TextFormat::SortDirections => {
            s.is_empty()
                || (s.split(", ").count() <= 64 && s.split(", ").all(|d| d == "asc" || d == "desc"))
        }
    }
}

fn digits(s: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

fn is_release(s: &str) -> bool {
    let s = s.strip_prefix('v').unwrap_or(s);
    let (core, pre) = match s.split_once('-') {
        Some((core, pre)) => (core, Some(pre)),
        None => (s, None),
    };
    let mut parts = core.split('.');
    let core_ok =
        (0..3).all(|_| parts.next().is_some_and(|p| digits(p, 1, 4))) && parts.next().is_none();
    let pre_ok = pre.is_none_or(|p| {
        (1..=24).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.')
    });
    core_ok && pre_ok
}

fn is_version(s: &str) -> bool {
    match s.strip_prefix("prototype-") {
        Some(name) => {
            (1..=40).contains(&name.len())
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        }
        None => is_release(s),
    }
}

fn is_client_agent(s: &str) -> bool {
    if s == "other" {
        return true;
    }
    let Some(rest) = s.strip_prefix("Meilisearch ") else {
        return false;
    };
    let name = match rest.split_once(" (") {
        Some((name, version)) => match version.strip_suffix(')') {
            Some(v) if is_release(v) => name,
            _ => return false,
        },
        None => rest,
    };
    KNOWN_CLIENTS.contains(&name)
}
