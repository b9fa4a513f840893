//! One observed request merging into its event's aggregate: the writer that the request
//! derivers (`crate::observe`) fill, property by property, in place. A request's contribution
//! costs what it sets (a search sets about thirty of its event's forty-odd properties) and no
//! intermediate copy. Only declared paths can be written, so a deriver cannot slip anything past
//! the catalog: a path the event does not declare is dropped and reported as an error. Derivers
//! are the crate's own code and every one runs in the test vectors, so that error (and a path set
//! twice, which debug builds refuse) is a bug the tests catch, not something input can cause.

use crate::prelude::*;

use super::accumulator::Accumulator;
use super::Aggregate;
use crate::catalog::PropertyDef;
use crate::error::RecordError;
use crate::json::{same_text, Value};

/// Turns a raw client header into the anonymized client names (`crate::observe` owns the rule).
pub type Anonymize = fn(&str) -> Vec<String>;

/// How many declared paths after the last one found are compared before the whole list.
const LOOK_AHEAD: usize = 3;

/// More properties than any event declares (checked by a test): a bit per property, for the
/// debug builds' check that no path is set twice.
#[cfg(debug_assertions)]
const MAX_PROPERTIES: usize = 128;

/// The contribution of one request, written into its event's aggregate.
#[derive(Debug)]
pub struct Observation<'g> {
    aggregate: &'g mut Aggregate,
    undeclared: Option<String>,
    /// Where the last path was found: derivers set paths mostly in declaration order, so the
    /// next lookup starts after it.
    cursor: usize,
    #[cfg(debug_assertions)]
    set: [u64; MAX_PROPERTIES / 64],
}

impl<'g> Observation<'g> {
    /// A writer into `aggregate`, which already counts this request.
    pub(super) fn new(aggregate: &'g mut Aggregate) -> Self {
        Self {
            aggregate,
            undeclared: None,
            cursor: 0,
            #[cfg(debug_assertions)]
            set: [0; MAX_PROPERTIES / 64],
        }
    }

    /// The position of `path` among the event's properties (inlined into its two callers: the
    /// wasm, built for size, would otherwise pay a call for each property set).
    #[inline(always)]
    fn index(&mut self, path: &str) -> Option<usize> {
        // Derivers set paths mostly in declaration order, skipping the ones a request leaves
        // unset: the next few declared paths are tried before the whole list.
        let properties = self.aggregate.event.properties;
        let mut at = self.cursor;
        let found = loop {
            match properties.get(at) {
                Some(p) if same_text(p.path, path) => break at,
                Some(_) if at < self.cursor + LOOK_AHEAD => at += 1,
                _ => break self.aggregate.event.property(path)?.0,
            }
        };
        self.cursor = found + 1;
        Some(found)
    }

    /// The declaration and running value of `path` (`None`, reported, when it is undeclared).
    #[inline(always)]
    fn slot(&mut self, path: &str) -> Option<(&'static PropertyDef, &mut Accumulator)> {
        let Some(index) = self.index(path) else {
            self.undeclared.get_or_insert_with(|| path.to_owned());
            return None;
        };
        let event = self.aggregate.event;
        #[cfg(debug_assertions)]
        {
            let (word, bit) = (index / 64, 1u64 << (index % 64));
            assert!(
                self.set[word] & bit == 0,
                "a deriver set {} twice",
                event.properties[index].path
            );
            self.set[word] |= bit;
        }
        Some((
            event.properties.get(index)?,
            self.aggregate.values.get_mut(index)?,
        ))
    }

    fn put(&mut self, path: &str, value: Accumulator) -> &mut Self {
        if let Some((prop, slot)) = self.slot(path) {
            slot.merge(prop.merge, value);
        }
        self
    }

    /// A boolean (OR, last, last-non-null).
    pub fn flag(&mut self, path: &str, on: bool) -> &mut Self {
        if let Some((prop, slot)) = self.slot(path) {
            slot.add_bool(prop, on);
        }
        self
    }

    /// An integer: a count (sum), a maximum, a minimum.
    pub fn number(&mut self, path: &str, n: u64) -> &mut Self {
        if let Some((prop, slot)) = self.slot(path) {
            slot.add_int(prop, i64::try_from(n).unwrap_or(i64::MAX));
        }
        self
    }

    /// A value merged by last, last-non-null or union (already shaped as sent).
    pub fn value(&mut self, path: &str, value: Value) -> &mut Self {
        if let Some((prop, slot)) = self.slot(path) {
            slot.add_value(prop, &value);
        }
        self
    }

    /// One vote for a most-used value, or one count for a per-key sum.
    pub(crate) fn vote(&mut self, path: &str, key: &'static str) -> &mut Self {
        if let Some((prop, slot)) = self.slot(path) {
            slot.add_vote(prop, key);
        }
        self
    }

    /// A numerator and denominator of an average.
    pub fn ratio(&mut self, path: &str, numerator: u64, denominator: u64) -> &mut Self {
        if let Some((prop, slot)) = self.slot(path) {
            slot.add_ratio(prop, numerator, denominator);
        }
        self
    }

    /// One latency for a p99.
    pub fn latency(&mut self, path: &str, ms: u64) -> &mut Self {
        if let Some((prop, slot)) = self.slot(path) {
            slot.add_latency(prop, ms);
        }
        self
    }

    /// One value of a distinct count (only its hash is kept).
    pub fn distinct(&mut self, path: &str, value: &str) -> &mut Self {
        self.put(path, Accumulator::distinct(value))
    }

    /// The clients that made the request: the raw header (`""` when there is none) and the
    /// function that anonymizes it.
    pub fn clients(&mut self, header: &str, anonymize: Anonymize) -> &mut Self {
        self.aggregate.absorb_clients(header, anonymize);
        self
    }

    /// Ends the observation: an error if a deriver set a path its event does not declare (that
    /// value was dropped).
    pub fn finish(self) -> Result<(), RecordError> {
        match &self.undeclared {
            Some(path) => Err(RecordError::undeclared(path, self.aggregate.event.name)),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Aggregates;
    use crate::prelude::*;

    /// The body sent for the observations `fill` writes into one `Documents Searched POST`.
    fn sent(fill: impl FnOnce(&mut super::Observation)) -> String {
        let mut aggregates = Aggregates::default();
        let mut o = aggregates
            .observation(0, "Documents Searched POST")
            .unwrap();
        fill(&mut o);
        o.finish().unwrap();
        let aggregate = aggregates.drain().pop().unwrap();
        aggregate.to_message().unwrap().body().to_json()
    }

    #[test]
    #[cfg(debug_assertions)]
    fn every_event_fits_the_set_bits() {
        for event in crate::catalog::events() {
            assert!(
                event.properties.len() <= super::MAX_PROPERTIES,
                "{}",
                event.name
            );
        }
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "a deriver set requests.total_succeeded twice")]
    fn a_path_set_twice_is_a_bug_debug_builds_refuse() {
        sent(|o| {
            o.number("requests.total_succeeded", 1)
                .number("requests.total_succeeded", 1);
        });
    }

    #[test]
    fn zeros_and_false_flags_merge_as_nothing_and_send_as_themselves() {
        let body = sent(|o| {
            o.number("q.max_terms_number", 0)
                .number("vector.max_vector_size", 7)
                .flag("distinct", false)
                .vote("pagination.most_used_navigation", "estimated")
                .vote("matching_strategy.most_used_strategy", "Last");
        });
        assert!(body.contains(r#""max_terms_number":0"#), "{body}");
        assert!(body.contains(r#""max_vector_size":7"#), "{body}");
        assert!(body.contains(r#""distinct":false"#), "{body}");
    }

    #[test]
    fn paths_out_of_declaration_order_are_found() {
        let body = sent(|o| {
            o.vote("matching_strategy.most_used_strategy", "All")
                .number("q.max_terms_number", 4)
                .number("requests.total_succeeded", 1)
                .vote("pagination.most_used_navigation", "exhaustive");
        });
        assert!(body.contains(r#""most_used_strategy":"All""#), "{body}");
        assert!(body.contains(r#""max_terms_number":4"#), "{body}");
        assert!(body.contains(r#""total_succeeded":1"#), "{body}");
    }

    #[test]
    fn an_undeclared_path_is_dropped_and_reported() {
        let mut aggregates = Aggregates::default();
        let mut o = aggregates
            .observation(0, "Documents Searched POST")
            .unwrap();
        o.flag("query.text", true)
            .vote("pagination.most_used_navigation", "estimated")
            .vote("matching_strategy.most_used_strategy", "Last");
        let err = o.finish().unwrap_err();
        assert_eq!(err.kind, crate::error::RecordErrorKind::UnknownProperty);
        let body = aggregates.drain()[0].to_message().unwrap().body().to_json();
        assert!(!body.contains("query"), "{body}");
    }
}
