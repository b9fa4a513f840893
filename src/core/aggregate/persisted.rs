//! The persisted form of [`Aggregates`]: what a browser tab writes when it is hidden, still
//! mergeable, so that the tab that sends (this one when it is shown again, another tab, or the
//! next page load) merges it into the same interval's summary instead of sending a partial one.
//!
//! Every accumulator is kept exactly (the latency sketch by its counters, distinct counts by
//! their hashes), so `export` then `import` then merge gives the message merging in memory would.
//! Reading is defensive: an entry that does not fit the catalog (unknown event, wrong number of
//! properties, a word outside a vocabulary, a bucket past an hour) is skipped, never trusted.

use crate::prelude::*;

use super::accumulator::Accumulator;
use super::latency::LatencySketch;
use super::{Aggregate, Aggregates};
use crate::catalog::{self, Privacy, PropertyDef};
use crate::collections::{SortedSet, Tally};
use crate::json::{Json, Value};

fn int(n: u64) -> Value {
    Value::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

fn ints(values: impl Iterator<Item = u64>) -> Value {
    Value::Array(values.map(int).collect())
}

fn tagged(tag: &str, value: Value) -> Value {
    let mut out = Value::object();
    out.insert(tag, value);
    out
}

fn counts_value<'a>(counts: impl Iterator<Item = (&'a str, u64)>) -> Value {
    let mut out = Value::object();
    for (word, n) in counts {
        out.insert(word, int(n));
    }
    out
}

/// One accumulator: `null` when unset, else an object of one tag (`i` integer, `b` boolean, `v`
/// latest value, `s` set, `c` counts, `r` ratio, `l` latency buckets, `d` distinct hashes).
fn accumulator_value(accumulator: &Accumulator) -> Value {
    match accumulator {
        Accumulator::Empty => Value::Null,
        Accumulator::Int(n) => tagged("i", Value::Int(*n)),
        Accumulator::Bool(b) => tagged("b", Value::Bool(*b)),
        Accumulator::Latest(v) => tagged("v", v.clone()),
        Accumulator::Set(set) => tagged(
            "s",
            Value::Array(set.iter().map(|s| s.as_str().into()).collect()),
        ),
        Accumulator::Vote(word) => tagged("c", counts_value([(*word, 1)].into_iter())),
        Accumulator::Counts(counts) => {
            tagged("c", counts_value(counts.iter().map(|(w, n)| (*w, n))))
        }
        Accumulator::Ratio(n, d) => tagged("r", ints([*n, *d].into_iter())),
        Accumulator::LatencyValue(ms) => {
            let mut sketch = LatencySketch::new();
            sketch.record(*ms);
            latency_value(&sketch)
        }
        Accumulator::Latency(sketch) => latency_value(sketch),
        // Hashes are u64: kept as the i64 of the same bits.
        Accumulator::DistinctValue(hash) => {
            tagged("d", Value::Array(vec![Value::Int(*hash as i64)]))
        }
        Accumulator::Distinct(hashes) => tagged(
            "d",
            Value::Array(hashes.iter().map(|h| Value::Int(*h as i64)).collect()),
        ),
    }
}

fn latency_value(sketch: &LatencySketch) -> Value {
    let pairs = sketch
        .buckets()
        .flat_map(|(bucket, n)| [bucket as u64, n])
        .collect::<Vec<_>>();
    tagged("l", ints(pairs.into_iter()))
}

fn as_u64(value: &Json) -> Option<u64> {
    match value {
        Json::Int(n) => u64::try_from(*n).ok(),
        _ => None,
    }
}

fn u64s(value: &Json) -> Option<Vec<u64>> {
    match value {
        Json::Array(items) => items.iter().map(as_u64).collect(),
        _ => None,
    }
}

/// The word of `prop`'s vocabulary spelled `text` (counts are keyed by the program's literals).
fn vocabulary_word(prop: &PropertyDef, text: &str) -> Option<&'static str> {
    match prop.privacy {
        Privacy::Vocabulary(words) => words.iter().copied().find(|w| *w == text),
        _ => None,
    }
}

fn read_accumulator(prop: &PropertyDef, value: &Json) -> Option<Accumulator> {
    let Json::Object(entries) = value else {
        return matches!(value, Json::Null).then_some(Accumulator::Empty);
    };
    let [(tag, inner)] = entries.as_slice() else {
        return None;
    };
    Some(match (tag.as_ref(), inner) {
        ("i", Json::Int(n)) => Accumulator::Int(*n),
        ("b", Json::Bool(b)) => Accumulator::Bool(*b),
        ("v", v) => Accumulator::Latest(v.clone().into_owned()),
        ("s", Json::Array(items)) => Accumulator::Set(
            items
                .iter()
                .map(|s| s.as_str().map(str::to_owned))
                .collect::<Option<SortedSet<String>>>()?,
        ),
        ("c", Json::Object(counts)) => {
            let mut tally = Tally::new();
            for (word, n) in counts {
                tally.add_word(vocabulary_word(prop, word)?, as_u64(n)?);
            }
            Accumulator::Counts(tally)
        }
        ("r", ratio) => match u64s(ratio)?.as_slice() {
            [n, d] => Accumulator::Ratio(*n, *d),
            _ => return None,
        },
        ("l", pairs) => {
            let pairs = u64s(pairs)?;
            if pairs.len() % 2 != 0 {
                return None;
            }
            let sketch = LatencySketch::from_buckets(
                pairs
                    .chunks_exact(2)
                    .map(|pair| (usize::try_from(pair[0]).unwrap_or(usize::MAX), pair[1])),
            )?;
            Accumulator::Latency(Box::new(sketch))
        }
        ("d", Json::Array(hashes)) => Accumulator::Distinct(
            hashes
                .iter()
                .map(|h| match h {
                    Json::Int(n) => Some(*n as u64),
                    _ => None,
                })
                .collect::<Option<SortedSet<u64>>>()?,
        ),
        _ => return None,
    })
}

impl Aggregate {
    fn persisted(&self) -> Value {
        let mut out = Value::object();
        out.insert("event", self.event.name.into());
        out.insert("first", int(self.first_recorded_ms));
        out.insert("total", int(self.total_received));
        out.insert(
            "id",
            self.message_id.as_deref().map_or(Value::Null, Value::from),
        );
        out.insert(
            "agents",
            Value::Array(self.user_agents.iter().map(|s| s.as_str().into()).collect()),
        );
        out.insert(
            "values",
            Value::Array(self.values.iter().map(accumulator_value).collect()),
        );
        out
    }

    fn read_persisted(value: &Json) -> Option<Self> {
        let event = catalog::event(value.get("event")?.as_str()?)?;
        let Some(Json::Array(values)) = value.get("values") else {
            return None;
        };
        if values.len() != event.properties.len() {
            return None;
        }
        let values = event
            .properties
            .iter()
            .zip(values)
            .map(|(prop, value)| read_accumulator(prop, value))
            .collect::<Option<Vec<_>>>()?;
        let user_agents = match value.get("agents") {
            Some(Json::Array(items)) => items
                .iter()
                .map(|s| s.as_str().map(str::to_owned))
                .collect::<Option<SortedSet<String>>>()?,
            _ => return None,
        };
        let mut aggregate =
            Self::from_parts(event, as_u64(value.get("first")?)?, values, user_agents);
        aggregate.total_received = as_u64(value.get("total")?)?;
        aggregate.message_id = value.get("id").and_then(Json::as_str).map(str::to_owned);
        Some(aggregate)
    }
}

impl Aggregates {
    /// The persisted form: an array of `{event, first, total, id, agents, values}`.
    pub fn persisted(&self) -> Value {
        Value::Array(self.entries.iter().map(Aggregate::persisted).collect())
    }

    /// Reads a persisted form; entries that do not fit the catalog are skipped. `None` when the
    /// value is not a persisted form at all.
    pub fn from_persisted(value: &Json) -> Option<Aggregates> {
        let Json::Array(entries) = value else {
            return None;
        };
        let mut out = Aggregates::default();
        for aggregate in entries.iter().filter_map(Aggregate::read_persisted) {
            out.add(aggregate);
        }
        Some(out)
    }
}
