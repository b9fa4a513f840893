//! One observed request, reduced to its contribution to each property of its event: the builder
//! that the request derivers (`crate::observe`) fill, merged in place into the interval's
//! aggregate of that event. Only the properties a request sets are kept (a search sets about
//! thirty of its event's forty-odd), so absorbing it costs what it contains. A path the event does
//! not declare is an error, reported before anything merges, so a deriver cannot slip anything
//! past the catalog and a rejected request changes nothing.

use super::accumulator::Accumulator;
use super::Aggregate;
use crate::catalog::{self, EventDef};
use crate::error::quoted;
use crate::error::{RecordError, RecordErrorKind};
use crate::json::{same_text, Value};

/// Turns a raw client header into the anonymized client names (`crate::observe` owns the rule).
pub type Anonymize = fn(&str) -> Vec<String>;

/// More properties than any event declares (checked by a test): a bit per property, to keep a
/// path set twice as one contribution (the later one), as a dense table would.
const MAX_PROPERTIES: usize = 128;

/// How many declared paths after the last one found are compared before the whole list.
const LOOK_AHEAD: usize = 3;

/// The contribution of one request to its event.
#[derive(Debug, Clone)]
pub struct Observation<'a> {
    event: &'static EventDef,
    /// The properties set, by their position in the event, in the order they were set.
    contributions: Vec<(usize, Accumulator)>,
    set: [u64; MAX_PROPERTIES / 64],
    /// The raw client header and how it is anonymized: the aggregate anonymizes it only when it
    /// differs from the last header it absorbed (a dashboard sends the same one every time).
    clients: Option<(&'a str, Anonymize)>,
    undeclared: Option<String>,
    /// Where the last path was found: derivers set paths mostly in declaration order, so the
    /// next lookup starts after it.
    cursor: usize,
}

impl<'a> Observation<'a> {
    /// An empty contribution to the catalog event `name`.
    pub fn new(name: &str) -> Result<Self, RecordError> {
        let event = catalog::event(name).ok_or_else(|| {
            RecordError::new(
                RecordErrorKind::UnknownEvent,
                format!("event {} is not in the telemetry catalog", quoted(name)),
            )
        })?;
        Ok(Self {
            event,
            contributions: Vec::with_capacity(event.properties.len()),
            set: [0; MAX_PROPERTIES / 64],
            clients: None,
            undeclared: None,
            cursor: 0,
        })
    }

    /// The event observed.
    pub fn event(&self) -> &'static EventDef {
        self.event
    }

    /// The position of `path` among the event's properties (inlined into its two callers: the
    /// wasm, built for size, would otherwise pay a call for each property set).
    #[inline(always)]
    fn index(&mut self, path: &str) -> Option<usize> {
        // Derivers set paths mostly in declaration order, skipping the ones a request leaves
        // unset: the next few declared paths are tried before the whole list.
        let start = self.cursor.min(self.event.properties.len());
        let ahead = &self.event.properties[start..];
        let found = match ahead
            .iter()
            .take(LOOK_AHEAD)
            .position(|p| same_text(p.path, path))
        {
            Some(offset) => start + offset,
            None => self.event.property(path)?.0,
        };
        if found >= MAX_PROPERTIES {
            return None;
        }
        self.cursor = found + 1;
        Some(found)
    }

    fn put(&mut self, path: &str, value: Accumulator) -> &mut Self {
        match self.index(path) {
            Some(index) => self.put_at(index, value),
            None => self.undeclared(path),
        }
    }

    #[inline(always)]
    fn put_at(&mut self, index: usize, value: Accumulator) -> &mut Self {
        let (word, bit) = (index / 64, 1u64 << (index % 64));
        if self.set[word] & bit == 0 {
            // A value that changes nothing when merged (a zero count, a false flag) is left out:
            // most properties of a request are such, and the aggregate emits the same either way.
            if let Some(prop) = self.event.properties.get(index) {
                if value.is_merge_identity(prop) {
                    return self;
                }
            }
            self.set[word] |= bit;
            self.contributions.push((index, value));
        } else if let Some(slot) = self.contributions.iter_mut().find(|(i, _)| *i == index) {
            slot.1 = value;
        }
        self
    }

    fn undeclared(&mut self, path: &str) -> &mut Self {
        self.undeclared.get_or_insert_with(|| path.to_owned());
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
                self.put_at(index, Accumulator::from_value(rule, &value))
            }
            None => self.undeclared(path),
        }
    }

    /// One vote for a most-used value, or one count for a per-key sum.
    pub fn vote(&mut self, path: &str, key: &'static str) -> &mut Self {
        self.put(path, Accumulator::Vote(key))
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

    /// The clients that made the request: the raw header (`""` when there is none) and the
    /// function that anonymizes it.
    pub fn clients(&mut self, header: &'a str, anonymize: Anonymize) -> &mut Self {
        self.clients = Some((header, anonymize));
        self
    }

    /// An error if a deriver set a path its event does not declare.
    pub(crate) fn check(&self) -> Result<(), RecordError> {
        match &self.undeclared {
            Some(path) => Err(RecordError::new(
                RecordErrorKind::UnknownProperty,
                format!(
                    "property {} is not declared for {} in the catalog",
                    quoted(path),
                    quoted(self.event.name)
                ),
            )),
            None => Ok(()),
        }
    }

    /// Merges this contribution into `aggregate` (of the same event), recorded at `now_ms`.
    pub(crate) fn merge_into(self, aggregate: &mut Aggregate, now_ms: u64) {
        aggregate.absorb(now_ms, self.contributions, self.clients);
    }

    /// The single-request aggregate, recorded at `now_ms`.
    pub fn finish(self, now_ms: u64) -> Result<Aggregate, RecordError> {
        self.check()?;
        let mut aggregate = Aggregate::empty(self.event, now_ms);
        self.merge_into(&mut aggregate, now_ms);
        Ok(aggregate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_fits_the_set_bits() {
        for event in catalog::events() {
            assert!(event.properties.len() <= MAX_PROPERTIES, "{}", event.name);
        }
    }

    #[test]
    fn a_path_set_twice_counts_once_with_the_later_value() {
        let mut o = Observation::new("Documents Searched POST").unwrap();
        o.number("requests.total_succeeded", 1)
            .number("q.max_terms_number", 9)
            .number("requests.total_succeeded", 1)
            .number("q.max_terms_number", 2)
            .vote("pagination.most_used_navigation", "estimated")
            .vote("matching_strategy.most_used_strategy", "Last");
        let body = o.finish(0).unwrap().to_message().unwrap().body().to_json();
        assert!(body.contains(r#""max_terms_number":2"#), "{body}");
        assert!(body.contains(r#""total_succeeded":1"#), "{body}");
    }

    #[test]
    fn zeros_are_left_out_but_a_later_value_still_wins() {
        let mut o = Observation::new("Documents Searched POST").unwrap();
        o.number("q.max_terms_number", 0)
            .number("q.max_terms_number", 3)
            .number("vector.max_vector_size", 7)
            .number("vector.max_vector_size", 0)
            .flag("distinct", false)
            .vote("pagination.most_used_navigation", "estimated")
            .vote("matching_strategy.most_used_strategy", "Last");
        assert_eq!(o.contributions.len(), 4, "{:?}", o.contributions);
        let body = o.finish(0).unwrap().to_message().unwrap().body().to_json();
        assert!(body.contains(r#""max_terms_number":3"#), "{body}");
        assert!(body.contains(r#""max_vector_size":0"#), "{body}");
        assert!(body.contains(r#""distinct":false"#), "{body}");
    }

    #[test]
    fn an_undeclared_path_is_an_error() {
        let mut o = Observation::new("Documents Searched POST").unwrap();
        o.flag("query.text", true);
        let err = o.finish(0).unwrap_err();
        assert_eq!(err.kind, RecordErrorKind::UnknownProperty);
    }
}
