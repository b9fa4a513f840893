//! Building one message from values checked against the catalog. This is the only way a
//! message's `properties` (Track) or `traits` and `context` (Identify) are assembled: every value
//! goes through [`MessageBuilder::set`], which accepts only a declared path with a value of the
//! declared type, vocabulary and format. So a message cannot carry anything the catalog does not
//! declare.

use crate::prelude::*;

use crate::text::int;

use crate::batch::{segment_message, Envelope};
use crate::catalog::{self, EventDef, EventKind};
use crate::error::quoted;
use crate::error::{RecordError, RecordErrorKind};
use crate::json::Value;

/// The prefix of Identify paths that belong to the message `context`, not to its `traits`.
const CONTEXT_PREFIX: &str = "context.";

/// The values of one message, set property by property and emitted in declaration order.
#[derive(Debug, Clone, PartialEq)]
pub struct MessageBuilder {
    event: &'static EventDef,
    values: Vec<Option<Value>>,
}

impl MessageBuilder {
    /// A builder for the catalog event named `event`.
    pub fn new(event: &str) -> Result<Self, RecordError> {
        Ok(Self::for_event(catalog::require_event(event)?))
    }

    /// A builder for a catalog entry.
    pub fn for_event(event: &'static EventDef) -> Self {
        Self {
            event,
            values: vec![None; event.properties.len()],
        }
    }

    /// The event being built.
    pub fn event(&self) -> &'static EventDef {
        self.event
    }

    /// Sets the property at `path`, after checking the value against its declaration.
    pub fn set(&mut self, path: &str, value: Value) -> Result<&mut Self, RecordError> {
        let Some((index, _)) = self.event.property(path) else {
            return Err(RecordError::undeclared(path, self.event.name));
        };
        self.set_declared(index, value)
    }

    /// Sets the `index`-th declared property (the order of [`EventDef::properties`]).
    pub(crate) fn set_declared(
        &mut self,
        index: usize,
        value: Value,
    ) -> Result<&mut Self, RecordError> {
        let prop = self.event.properties.get(index).ok_or_else(|| {
            RecordError::new(
                RecordErrorKind::UnknownProperty,
                [
                    &quoted(self.event.name),
                    " declares no property #",
                    &int(index),
                ]
                .concat(),
            )
        })?;
        catalog::check_value(self.event, prop, &value)?;
        self.values[index] = Some(value);
        Ok(self)
    }

    /// The values set so far, nested at their paths, in declaration order. For Identify, the
    /// `traits` (its `context.` paths excluded).
    pub fn body(&self) -> Value {
        self.nest(
            |path| !(self.is_identify() && path.starts_with(CONTEXT_PREFIX)),
            0,
        )
    }

    /// The Identify call's own `context` entries (e.g. `app.version`); an empty object for Track.
    pub fn context(&self) -> Value {
        if !self.is_identify() {
            return Value::object();
        }
        self.nest(
            |path| path.starts_with(CONTEXT_PREFIX),
            CONTEXT_PREFIX.len(),
        )
    }

    /// The whole Segment message: a `track` with `properties` or an `identify` with `traits`.
    /// A Track event without properties is sent with `"properties": null`, as the server does.
    pub fn message(&self, envelope: &Envelope<'_>) -> Value {
        let body = match (self.is_identify(), self.event.properties.is_empty()) {
            (false, true) => Value::Null,
            _ => self.body(),
        };
        segment_message(self.event, body, self.context(), envelope)
    }

    fn is_identify(&self) -> bool {
        self.event.kind == EventKind::Identify
    }

    fn nest(&self, include: impl Fn(&str) -> bool, strip: usize) -> Value {
        let mut out = Value::object();
        for (prop, value) in self.event.properties.iter().zip(&self.values) {
            let Some(value) = value else { continue };
            if !include(prop.path) {
                continue;
            }
            let Some(path) = prop.path.get(strip..) else {
                continue;
            };
            if prop.literal_key {
                out.insert(path, value.clone());
            } else {
                out.insert_path(path, value.clone());
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn envelope() -> Envelope<'static> {
        Envelope {
            user_id: "uid",
            message_id: "mid",
            timestamp_ms: 0,
        }
    }

    #[test]
    fn rejects_what_the_catalog_does_not_declare() {
        assert_eq!(
            MessageBuilder::new("Made Up").unwrap_err().kind,
            RecordErrorKind::UnknownEvent
        );
        let mut builder = MessageBuilder::new("Indexes Swapped").unwrap();
        let err = builder.set("query", "secret".into()).unwrap_err();
        assert_eq!(err.kind, RecordErrorKind::UnknownProperty);
        let err = builder.set("rename_used", Value::Int(1)).unwrap_err();
        assert_eq!(err.kind, RecordErrorKind::WrongType);
        assert_eq!(builder.body(), Value::object(), "nothing was set");
    }

    #[test]
    fn identify_splits_traits_and_context() {
        let mut builder = MessageBuilder::new("Identify").unwrap();
        builder
            .set("context.app.version", "1.50.0".into())
            .unwrap()
            .set("system.cores", Value::Int(8))
            .unwrap();
        let message = builder.message(&envelope()).to_json();
        assert!(message.starts_with(r#"{"type":"identify","traits":{"system":{"cores":8}},"#));
        assert!(message.contains(r#""context":{"ip":"0.0.0.0","library":{"#));
        assert!(
            message.ends_with(r#""app":{"version":"1.50.0"}}}"#),
            "{message}"
        );
    }
}
