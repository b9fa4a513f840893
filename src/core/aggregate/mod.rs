//! Aggregation: events of one kind merge in place, property by property, following the merge
//! rule the catalog declares, and leave as one summary per interval.
//!
//! A recorded property bag (`track`) is validated whole against the catalog before anything
//! merges, so a rejected call changes nothing. An observed request merges property by property
//! as its deriver writes it, through an [`Observation`] that accepts declared paths only. Output
//! is deterministic: events in catalog order, properties in declaration order, sets sorted.

use crate::prelude::*;

mod accumulator;
mod latency;
mod observation;
mod persisted;

pub use accumulator::neutral;
pub use latency::{LatencySketch, MAX_TRACKED_MS};
pub use observation::Observation;

use crate::catalog::{self, EventDef, EventKind, MergeRule};
use crate::collections::SortedSet;
use crate::error::quoted;
use crate::error::{RecordError, RecordErrorKind};
use crate::json::{same_text, Value};
use crate::message::MessageBuilder;
use accumulator::Accumulator;
use alloc::borrow::Cow;

/// Keys the pipeline adds to every Track event, after the event's own properties.
pub const USER_AGENT_KEY: &str = "user-agent";
pub const TOTAL_RECEIVED_PATH: &str = "requests.total_received";

/// Whether an event can be recorded from a property bag: Track events whose every property is
/// either recordable or set by the pipeline. The others are derived from raw requests.
pub fn check_recordable(def: &EventDef) -> Result<(), RecordError> {
    let derived = def
        .properties
        .iter()
        .find(|p| !p.merge.is_recordable() && p.merge != MergeRule::Pipeline);
    match (def.kind, derived) {
        (EventKind::Track, None) => Ok(()),
        (EventKind::Identify, _) => Err(RecordError::new(
            RecordErrorKind::NotRecordable,
            [
                &quoted(def.name),
                " is an Identify call, built from the instance's traits",
            ]
            .concat(),
        )),
        (_, Some(p)) => Err(RecordError::new(
            RecordErrorKind::NotRecordable,
            [
                &quoted(def.name),
                " is aggregated from raw requests (",
                &quoted(p.path),
                " is computed); record the request instead",
            ]
            .concat(),
        )),
    }
}

/// How many distinct raw client headers an aggregate remembers to skip anonymizing them again
/// (a dashboard sends one or two; past this, each further header is anonymized every time).
const MAX_CLIENT_HEADERS_REMEMBERED: usize = 8;

/// The merged summary of every recorded call of one event in the current interval.
#[derive(Debug, Clone, PartialEq)]
pub struct Aggregate {
    event: &'static EventDef,
    /// When the first merged call was recorded (the server keeps the first timestamp).
    first_recorded_ms: u64,
    /// How many calls were merged.
    total_received: u64,
    values: Vec<Accumulator>,
    user_agents: SortedSet<String>,
    /// The raw client headers already absorbed (the first few): the same header again adds
    /// nothing to `user_agents`, so it is not anonymized again.
    clients_seen: Vec<String>,
    /// The `messageId` this aggregate will be sent with, once one was drawn (when it was first
    /// previewed): the preview and the send then carry the same id.
    message_id: Option<String>,
}

impl Aggregate {
    /// An aggregate of one call, validated against the catalog.
    pub fn single(now_ms: u64, event: &str, properties: &Value) -> Result<Self, RecordError> {
        let def = catalog::require_event(event)?;
        check_recordable(def)?;
        let mut values = empty_values(def);
        let entries: &[(Cow<str>, Value)] = match properties {
            Value::Object(entries) => entries,
            Value::Null => &[],
            _ => {
                return Err(RecordError::new(
                    RecordErrorKind::MalformedInput,
                    ["the properties of ", &quoted(event), " must be an object"].concat(),
                ))
            }
        };
        for (path, value) in entries {
            let Some((index, prop)) = def.property(path) else {
                return Err(RecordError::undeclared(path, event));
            };
            if !prop.merge.is_recordable() {
                return Err(RecordError::about_property(
                    RecordErrorKind::NotRecordable,
                    path,
                    event,
                    "is set by the pipeline, not recorded",
                ));
            }
            catalog::check_value(def, prop, value)?;
            if let Some(slot) = values.get_mut(index) {
                *slot = Accumulator::from_value(prop.merge, value);
            }
        }
        for (prop, value) in def.properties.iter().zip(&values) {
            if value.is_empty() && prop.merge.is_recordable() && neutral(prop).is_none() {
                return Err(RecordError::about_property(
                    RecordErrorKind::MissingProperty,
                    prop.path,
                    event,
                    "is required",
                ));
            }
        }
        Ok(Self::from_parts(def, now_ms, values, SortedSet::new()))
    }

    /// A single-request aggregate from its accumulators (see [`Observation`]).
    fn from_parts(
        event: &'static EventDef,
        now_ms: u64,
        values: Vec<Accumulator>,
        user_agents: SortedSet<String>,
    ) -> Self {
        Self {
            event,
            first_recorded_ms: now_ms,
            total_received: 1,
            values,
            user_agents,
            clients_seen: Vec::new(),
            message_id: None,
        }
    }

    /// An aggregate of no call yet, to absorb observations into.
    fn empty(event: &'static EventDef, now_ms: u64) -> Self {
        Self {
            total_received: 0,
            ..Self::from_parts(event, now_ms, empty_values(event), SortedSet::new())
        }
    }

    /// Adds the clients of one observed request: its raw header is anonymized unless it is one
    /// already absorbed (a dashboard sends the same one every time).
    fn absorb_clients(&mut self, header: &str, anonymize: observation::Anonymize) {
        if !self.clients_seen.iter().any(|seen| same_text(seen, header)) {
            self.user_agents.extend(anonymize(header));
            if self.clients_seen.len() < MAX_CLIENT_HEADERS_REMEMBERED {
                self.clients_seen.push(header.to_owned());
            }
        }
    }

    /// The catalog entry of this aggregate's event.
    pub fn event(&self) -> &'static EventDef {
        self.event
    }

    /// When the first merged call was recorded, in ms since the Unix epoch.
    pub fn first_recorded_ms(&self) -> u64 {
        self.first_recorded_ms
    }

    /// The `messageId` drawn for this aggregate, if any.
    pub fn message_id(&self) -> Option<&str> {
        self.message_id.as_deref()
    }

    /// Keeps `id` as this aggregate's `messageId` unless it already has one; returns the id.
    pub(crate) fn assign_message_id(
        &mut self,
        id: impl FnOnce() -> Option<String>,
    ) -> Option<&str> {
        if self.message_id.is_none() {
            self.message_id = id();
        }
        self.message_id.as_deref()
    }

    /// How many calls were merged into this aggregate.
    pub fn total_received(&self) -> u64 {
        self.total_received
    }

    /// Merges `newer` (an aggregate of the same event) into `self`.
    pub fn merge(&mut self, newer: Aggregate) {
        debug_assert_eq!(self.event.name, newer.event.name);
        self.first_recorded_ms = self.first_recorded_ms.min(newer.first_recorded_ms);
        self.total_received = self.total_received.saturating_add(newer.total_received);
        for ((slot, newer), prop) in self
            .values
            .iter_mut()
            .zip(newer.values)
            .zip(self.event.properties)
        {
            slot.merge(prop.merge, newer);
        }
        self.user_agents.extend(newer.user_agents);
        if self.message_id.is_none() {
            self.message_id = newer.message_id;
        }
    }

    /// The message of this aggregate: every declared property as sent, in declaration order
    /// (the pipeline's `user-agent` and `requests.total_received` among them), each checked
    /// against the catalog on the way out.
    pub fn to_message(&self) -> Result<MessageBuilder, RecordError> {
        let mut builder = MessageBuilder::for_event(self.event);
        for (index, (prop, value)) in self.event.properties.iter().zip(&self.values).enumerate() {
            let value = match prop.path {
                USER_AGENT_KEY if prop.merge == MergeRule::Pipeline => {
                    Value::Array(self.user_agents.iter().map(|s| s.as_str().into()).collect())
                }
                TOTAL_RECEIVED_PATH if prop.merge == MergeRule::Pipeline => {
                    Value::Int(i64::try_from(self.total_received).unwrap_or(i64::MAX))
                }
                _ if prop.merge == MergeRule::Derived => self.derived(prop.path),
                _ => value.emit(prop),
            };
            builder.set_declared(index, value)?;
        }
        Ok(builder)
    }

    /// A property computed when sent from the others: `total_failed` is received minus
    /// succeeded (saturating), as the server computes it.
    fn derived(&self, path: &str) -> Value {
        let succeeded_path = path.replace("total_failed", "total_succeeded");
        let succeeded = match self.event.property(&succeeded_path) {
            Some((index, _)) if succeeded_path != path => match self.values[index] {
                Accumulator::Int(n) => u64::try_from(n).unwrap_or(0),
                _ => 0,
            },
            _ => 0,
        };
        Value::Int(i64::try_from(self.total_received.saturating_sub(succeeded)).unwrap_or(0))
    }
}

/// One unset accumulator per property of `event` (built one by one: cloning `Empty` would
/// bring the whole clone of an accumulator into the wasm).
fn empty_values(event: &EventDef) -> Vec<Accumulator> {
    core::iter::repeat_with(|| Accumulator::Empty)
        .take(event.properties.len())
        .collect()
}

/// The position of `event` in the catalog (events are compared by address: each is a static).
fn catalog_rank(event: &'static EventDef) -> usize {
    catalog::events()
        .iter()
        .position(|e| core::ptr::eq(e, event))
        .unwrap_or(usize::MAX)
}

/// The aggregates of the current interval, one per event, in catalog order.
#[derive(Debug, Default, Clone)]
pub struct Aggregates {
    entries: Vec<Aggregate>,
}

impl Aggregates {
    /// Validates one call and merges it into its event's aggregate.
    pub fn record(
        &mut self,
        now_ms: u64,
        event: &str,
        properties: &Value,
    ) -> Result<(), RecordError> {
        let single = Aggregate::single(now_ms, event, properties)?;
        self.add(single);
        Ok(())
    }

    /// Counts one observed request of the catalog event `name`, recorded at `now_ms`, and
    /// returns the writer its properties merge through, in place.
    pub fn observation(&mut self, now_ms: u64, name: &str) -> Result<Observation<'_>, RecordError> {
        let event = catalog::require_event(name)?;
        let index = match self.position(event) {
            Some(index) => index,
            None => self.insert(Aggregate::empty(event, now_ms)),
        };
        let aggregate = &mut self.entries[index];
        aggregate.first_recorded_ms = aggregate.first_recorded_ms.min(now_ms);
        aggregate.total_received = aggregate.total_received.saturating_add(1);
        Ok(Observation::new(aggregate))
    }

    /// Where the aggregate of `event` is, if there is one.
    fn position(&self, event: &'static EventDef) -> Option<usize> {
        self.entries
            .iter()
            .position(|a| core::ptr::eq(a.event, event))
    }

    /// Adds the aggregate of an event not yet present, at its catalog position; returns where.
    fn insert(&mut self, aggregate: Aggregate) -> usize {
        let rank = catalog_rank(aggregate.event);
        let at = self
            .entries
            .iter()
            .position(|a| catalog_rank(a.event) > rank)
            .unwrap_or(self.entries.len());
        self.entries.insert(at, aggregate);
        at
    }

    /// Merges an aggregate (e.g. one restored from storage or from another tab).
    pub fn add(&mut self, aggregate: Aggregate) {
        match self.position(aggregate.event) {
            Some(index) => self.entries[index].merge(aggregate),
            None => {
                self.insert(aggregate);
            }
        }
    }

    /// Whether nothing was recorded since the last drain.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Takes every aggregate, in catalog order.
    pub fn drain(&mut self) -> Vec<Aggregate> {
        core::mem::take(&mut self.entries)
    }

    /// Forgets every aggregate.
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// The aggregates in catalog order, mutably (to draw their message ids for a preview).
    pub(crate) fn in_order_mut(&mut self) -> impl Iterator<Item = &mut Aggregate> {
        self.entries.iter_mut()
    }

    /// A view of the aggregates in catalog order, without taking them.
    pub fn snapshot(&self) -> Vec<Aggregate> {
        self.clone().drain()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bag(entries: &[(&str, Value)]) -> Value {
        Value::Object(
            entries
                .iter()
                .map(|(k, v)| (k.to_string().into(), v.clone()))
                .collect(),
        )
    }

    #[test]
    fn merges_by_declared_rules_and_keeps_first_timestamp() {
        let mut aggs = Aggregates::default();
        aggs.record(
            2_000,
            "Indexes Swapped",
            &bag(&[("swap_operation_number", Value::Int(3))]),
        )
        .unwrap();
        aggs.record(
            1_000,
            "Indexes Swapped",
            &bag(&[
                ("swap_operation_number", Value::Int(1)),
                ("rename_used", true.into()),
            ]),
        )
        .unwrap();
        let drained = aggs.drain();
        assert_eq!(drained.len(), 1);
        assert_eq!(drained[0].first_recorded_ms(), 1_000);
        assert_eq!(
            drained[0].to_message().unwrap().body().to_json(),
            r#"{"swap_operation_number":3,"rename_used":true,"user-agent":[],"requests":{"total_received":2}}"#
        );
        assert!(aggs.is_empty());
    }

    #[test]
    fn property_less_events_count_calls() {
        let mut aggs = Aggregates::default();
        for t in 0..5 {
            aggs.record(t, "Dump Created", &Value::Null).unwrap();
        }
        let drained = aggs.drain();
        assert_eq!(
            drained[0].to_message().unwrap().body().to_json(),
            r#"{"user-agent":[],"requests":{"total_received":5}}"#
        );
    }

    #[test]
    fn a_rejected_call_changes_nothing() {
        let mut aggs = Aggregates::default();
        let bad = bag(&[
            ("rename_used", true.into()),
            ("swap_operation_number", "3".into()),
        ]);
        let err = aggs.record(0, "Indexes Swapped", &bad).unwrap_err();
        assert_eq!(err.kind, RecordErrorKind::WrongType);
        assert!(aggs.is_empty());
        let err = aggs.record(0, "Made Up", &Value::Null).unwrap_err();
        assert_eq!(err.kind, RecordErrorKind::UnknownEvent);
        let err = aggs
            .record(0, "Dump Created", &bag(&[("query", "secret".into())]))
            .unwrap_err();
        assert_eq!(err.kind, RecordErrorKind::UnknownProperty);
        let err = aggs.record(0, "Dump Created", &Value::Int(3)).unwrap_err();
        assert_eq!(err.kind, RecordErrorKind::MalformedInput);
        assert!(aggs.is_empty());
    }

    #[test]
    fn drains_in_catalog_order() {
        let mut aggs = Aggregates::default();
        aggs.record(0, "Snapshot Created", &Value::Null).unwrap();
        aggs.record(0, "Documents Deleted", &Value::Null).unwrap();
        let names: Vec<_> = aggs.drain().iter().map(|a| a.event().name).collect();
        assert_eq!(names, ["Documents Deleted", "Snapshot Created"]);
    }
}
