//! One observed request, reduced to its contribution to each property of its event: the builder
//! that the request derivers (`crate::observe`) fill, and that becomes a single-request
//! [`Aggregate`]. A path the event does not declare is an error, reported when the observation
//! is finished, so a deriver cannot slip anything past the catalog.

use super::accumulator::Accumulator;
use super::Aggregate;
use crate::catalog::{self, EventDef};
use crate::error::{RecordError, RecordErrorKind};
use crate::json::Value;
use std::collections::BTreeSet;

/// The contribution of one request to its event.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    event: &'static EventDef,
    values: Vec<Accumulator>,
    user_agents: BTreeSet<String>,
    undeclared: Option<String>,
    /// Where the last path was found: derivers set paths mostly in declaration order, so the
    /// next lookup starts after it.
    cursor: usize,
    /// The event's position in the catalog (for its sorted path table).
    event_index: usize,
}

impl Observation {
    /// An empty contribution to the catalog event `name`.
    pub fn new(name: &str) -> Result<Self, RecordError> {
        let event_index = catalog::event_index(name).ok_or_else(|| {
            RecordError::new(
                RecordErrorKind::UnknownEvent,
                format!("event {name:?} is not in the telemetry catalog"),
            )
        })?;
        let event = &catalog::events()[event_index];
        Ok(Self {
            event,
            values: vec![Accumulator::Empty; event.properties.len()],
            user_agents: BTreeSet::new(),
            undeclared: None,
            cursor: 0,
            event_index,
        })
    }

    /// The event observed.
    pub fn event(&self) -> &'static EventDef {
        self.event
    }

    /// The position of `path` among the event's properties.
    fn index(&mut self, path: &str) -> Option<usize> {
        let properties = self.event.properties;
        let found = match properties.get(self.cursor) {
            Some(p) if p.path == path => self.cursor,
            _ => catalog::property_position(self.event_index, path)?,
        };
        self.cursor = found + 1;
        Some(found)
    }

    fn put(&mut self, path: &str, value: Accumulator) -> &mut Self {
        match self.index(path) {
            Some(index) => self.values[index] = value,
            None => {
                self.undeclared.get_or_insert_with(|| path.to_owned());
            }
        }
        self
    }

    /// A boolean (OR, last, last-non-null).
    pub fn flag(&mut self, path: &str, on: bool) -> &mut Self {
        self.put(path, Accumulator::Bool(on))
    }

    /// An integer: a count (sum), a maximum, a minimum.
    pub fn number(&mut self, path: &str, n: u64) -> &mut Self {
        self.put(path, Accumulator::Int(i64::try_from(n).unwrap_or(i64::MAX)))
    }

    /// A value merged by last, last-non-null or union (already shaped as sent).
    pub fn value(&mut self, path: &str, value: Value) -> &mut Self {
        match self.index(path) {
            Some(index) => {
                let rule = self.event.properties[index].merge;
                self.values[index] = Accumulator::from_value(rule, &value);
            }
            None => {
                self.undeclared.get_or_insert_with(|| path.to_owned());
            }
        }
        self
    }

    /// One vote for a most-used value, or one count for a per-key sum.
    pub fn vote(&mut self, path: &str, key: &str) -> &mut Self {
        self.put(path, Accumulator::counted(key, 1))
    }

    /// A numerator and denominator of an average.
    pub fn ratio(&mut self, path: &str, numerator: u64, denominator: u64) -> &mut Self {
        self.put(path, Accumulator::Ratio(numerator, denominator))
    }

    /// One latency for a p99.
    pub fn latency(&mut self, path: &str, ms: u64) -> &mut Self {
        self.put(path, Accumulator::latency(ms))
    }

    /// One value of a distinct count (only its hash is kept).
    pub fn distinct(&mut self, path: &str, value: &str) -> &mut Self {
        self.put(path, Accumulator::distinct(value))
    }

    /// The clients that made the request (already anonymized).
    pub fn user_agents(&mut self, agents: impl IntoIterator<Item = String>) -> &mut Self {
        self.user_agents.extend(agents);
        self
    }

    /// The single-request aggregate, recorded at `now_ms`.
    pub fn finish(self, now_ms: u64) -> Result<Aggregate, RecordError> {
        if let Some(path) = self.undeclared {
            return Err(RecordError::new(
                RecordErrorKind::UnknownProperty,
                format!(
                    "property {path:?} is not declared for {:?} in the catalog",
                    self.event.name
                ),
            ));
        }
        Ok(Aggregate::from_parts(
            self.event,
            now_ms,
            self.values,
            self.user_agents,
        ))
    }
}
