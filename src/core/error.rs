//! The crate's error types: configuration errors (the host must fix its setup) and recording
//! errors (bad input to a recording call, rejected and counted, never thrown into the host page).

use crate::prelude::*;

use core::fmt;

/// A configuration the engine cannot run with. The message says what to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The configuration field at fault, as the host spells it (e.g. `endpoint`).
    pub field: &'static str,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl ConfigError {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}

impl ConfigError {
    /// ``invalid telemetry config `field`: message``, what `to_string` gives (without the
    /// formatting machinery).
    pub fn text(&self) -> String {
        [
            "invalid telemetry config `",
            self.field,
            "`: ",
            &self.message,
        ]
        .concat()
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

impl core::error::Error for ConfigError {}

/// Why a recording call was rejected. Each kind is counted by the engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RecordErrorKind {
    /// The event name is not declared in the catalog.
    UnknownEvent,
    /// A property path is not declared for that event.
    UnknownProperty,
    /// A property value does not have the declared type.
    WrongType,
    /// A string is outside the property's closed vocabulary.
    OutsideVocabulary,
    /// A required property (one with no neutral value) is missing.
    MissingProperty,
    /// The event or property is computed from raw requests, not recorded directly.
    NotRecordable,
    /// The input is not an object, is nested too deeply, cyclic or too large.
    MalformedInput,
}

crate::words::word!(RecordErrorKind);

impl RecordErrorKind {
    /// Every kind, in a stable order (used for counters and reports).
    pub const ALL: [RecordErrorKind; 7] = [
        RecordErrorKind::UnknownEvent,
        RecordErrorKind::UnknownProperty,
        RecordErrorKind::WrongType,
        RecordErrorKind::OutsideVocabulary,
        RecordErrorKind::MissingProperty,
        RecordErrorKind::NotRecordable,
        RecordErrorKind::MalformedInput,
    ];

    /// The stable snake_case name used in counters and in the JS API.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordErrorKind::UnknownEvent => "unknown_event",
            RecordErrorKind::UnknownProperty => "unknown_property",
            RecordErrorKind::WrongType => "wrong_type",
            RecordErrorKind::OutsideVocabulary => "outside_vocabulary",
            RecordErrorKind::MissingProperty => "missing_property",
            RecordErrorKind::NotRecordable => "not_recordable",
            RecordErrorKind::MalformedInput => "malformed_input",
        }
    }
}

/// A rejected recording call: its kind and a message naming the offending event or property
/// (`{ kind, message }` in JS).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RecordError {
    pub kind: RecordErrorKind,
    pub message: String,
}

impl RecordError {
    pub(crate) fn new(kind: RecordErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    /// `property "<path>" of "<event>" <complaint>`: the message of most rejections.
    pub(crate) fn about_property(
        kind: RecordErrorKind,
        path: &str,
        event: &str,
        complaint: &str,
    ) -> Self {
        let message = [
            "property ",
            &quoted(path),
            " of ",
            &quoted(event),
            " ",
            complaint,
        ];
        Self::new(kind, message.concat())
    }

    /// A property path that its event does not declare.
    pub(crate) fn undeclared(path: &str, event: &str) -> Self {
        let message = [
            "property ",
            &quoted(path),
            " is not declared for ",
            &quoted(event),
            " in the catalog",
        ];
        Self::new(RecordErrorKind::UnknownProperty, message.concat())
    }
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.as_str(), self.message)
    }
}

impl core::error::Error for RecordError {}

/// `text` in double quotes with JSON escapes, for naming a caller's input in an error message
/// (the JSON writer is in every build already; `{:?}` would add Rust's debug escaping and the
/// formatting machinery).
pub fn quoted(text: &str) -> String {
    crate::json::Value::from(text).to_json()
}
