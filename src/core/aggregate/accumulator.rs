//! One property's running value inside an aggregate, how it merges, and how it is emitted.
//! Emission is deterministic: sets and count maps in vocabulary order (else sorted), most-used
//! ties to the value earliest in the vocabulary, averages in integer arithmetic.

use crate::prelude::*;

use crate::text::int;

use super::latency::LatencySketch;
use crate::catalog::{MergeRule, Privacy, PropertyDef, TextFormat, ValueType};
use crate::collections::{SortedSet, Tally};
use crate::json::Value;

/// Two integers of one property, merged by its rule: the larger, the smaller, else the sum.
fn combine_ints(rule: MergeRule, a: i64, b: i64) -> i64 {
    match rule {
        MergeRule::Max => a.max(b),
        MergeRule::Min => a.min(b),
        _ => a.saturating_add(b),
    }
}

/// At most this many distinct values are remembered for a distinct count (memory stays bounded;
/// the count saturates there).
pub(crate) const MAX_DISTINCT: usize = 1024;

/// The running value of one property. `Empty` until a call sets it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Accumulator {
    Empty,
    Int(i64),
    Bool(bool),
    Latest(Value),
    Set(SortedSet<String>),
    /// One request's vote (most-used) or per-key count: a value of the vocabulary, kept without
    /// allocating; becomes `Counts` when another merges in.
    Vote(&'static str),
    /// Per-value counters: most-used votes or per-key sums, keyed by the vocabulary's own words
    /// (every vote comes from a deriver, with a word of the property's closed vocabulary).
    Counts(Tally<&'static str>),
    /// Numerator and denominator of an average.
    Ratio(u64, u64),
    /// One request's latency (cheap to build; becomes a sketch when a second one merges in).
    LatencyValue(u64),
    Latency(Box<LatencySketch>),
    /// Hashes of distinct values (the values themselves are never kept).
    /// One request's distinct value (by its hash).
    DistinctValue(u64),
    Distinct(SortedSet<u64>),
}

impl Accumulator {
    /// The accumulator of one call's (already validated) value.
    pub(crate) fn from_value(rule: MergeRule, value: &Value) -> Self {
        match (rule, value) {
            (MergeRule::Sum | MergeRule::Max | MergeRule::Min, Value::Int(n)) => {
                Accumulator::Int(*n)
            }
            (MergeRule::Or, Value::Bool(b)) => Accumulator::Bool(*b),
            (MergeRule::Union, Value::Array(items)) => Accumulator::Set(
                items
                    .iter()
                    .filter_map(|v| match v {
                        Value::String(s) => Some(s.to_string()),
                        _ => None,
                    })
                    .collect(),
            ),
            (MergeRule::Last, v) => Accumulator::Latest(v.clone()),
            (MergeRule::LastNonNull, Value::Null) => Accumulator::Empty,
            (MergeRule::LastNonNull, v) => Accumulator::Latest(v.clone()),
            _ => Accumulator::Empty,
        }
    }

    /// One latency.
    pub(crate) fn latency(ms: u64) -> Self {
        Accumulator::LatencyValue(ms)
    }

    /// One distinct value, remembered by a stable 64-bit hash (FNV-1a).
    pub(crate) fn distinct(value: &str) -> Self {
        let hash = value.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        Accumulator::DistinctValue(hash)
    }

    /// Whether no call set this property.
    pub(crate) fn is_empty(&self) -> bool {
        matches!(self, Accumulator::Empty)
    }

    /// Adds one request's integer (a count, a maximum, a minimum) in place. A zero sum or
    /// maximum of a property that is never null is skipped: merging it changes nothing, and an
    /// unset such property is sent as 0 anyway (an unset nullable one is sent as null).
    pub(crate) fn add_int(&mut self, prop: &PropertyDef, n: i64) {
        if n == 0 && !prop.nullable && matches!(prop.merge, MergeRule::Sum | MergeRule::Max) {
            return;
        }
        match self {
            Accumulator::Int(a) => *a = combine_ints(prop.merge, *a, n),
            _ => self.merge(prop.merge, Accumulator::Int(n)),
        }
    }

    /// ORs one request's boolean in place (a false OR of a never-null property is skipped, as
    /// [`Accumulator::add_int`] skips a zero).
    pub(crate) fn add_bool(&mut self, prop: &PropertyDef, on: bool) {
        if !on && !prop.nullable && prop.merge == MergeRule::Or {
            return;
        }
        match self {
            Accumulator::Bool(a) => *a = *a || on,
            _ => self.merge(prop.merge, Accumulator::Bool(on)),
        }
    }

    /// Counts one request's vote (or per-key count) in place.
    pub(crate) fn add_vote(&mut self, prop: &PropertyDef, key: &'static str) {
        match self {
            Accumulator::Counts(counts) => counts.add_word(key, 1),
            _ => self.merge(prop.merge, Accumulator::Vote(key)),
        }
    }

    /// Merges one request's value (last, last-non-null, union). An empty union of a property
    /// that is never null is skipped: merging it changes nothing, and an unset such property is
    /// sent as `[]` anyway.
    pub(crate) fn add_value(&mut self, prop: &PropertyDef, value: &Value) {
        let empty = matches!(value, Value::Array(items) if items.is_empty());
        if empty && prop.merge == MergeRule::Union && !prop.nullable {
            return;
        }
        self.merge(prop.merge, Accumulator::from_value(prop.merge, value));
    }

    /// Records one request's latency in place.
    pub(crate) fn add_latency(&mut self, prop: &PropertyDef, ms: u64) {
        match self {
            Accumulator::Latency(sketch) => sketch.record(ms),
            _ => self.merge(prop.merge, Accumulator::latency(ms)),
        }
    }

    /// Adds one request's numerator and denominator of an average in place.
    pub(crate) fn add_ratio(&mut self, prop: &PropertyDef, numerator: u64, denominator: u64) {
        match self {
            Accumulator::Ratio(n, d) => {
                *n = n.saturating_add(numerator);
                *d = d.saturating_add(denominator);
            }
            _ => self.merge(prop.merge, Accumulator::Ratio(numerator, denominator)),
        }
    }

    /// Merges the newer accumulator into this one.
    pub(crate) fn merge(&mut self, rule: MergeRule, newer: Accumulator) {
        // The common cases in place (a request's contribution into the running value); the
        // cases below them combine or replace whole accumulators.
        match (&mut *self, &newer) {
            (Accumulator::Int(a), Accumulator::Int(b)) => {
                *a = combine_ints(rule, *a, *b);
                return;
            }
            (Accumulator::Bool(a), Accumulator::Bool(b)) => {
                *a = *a || *b;
                return;
            }
            (Accumulator::Ratio(n1, d1), Accumulator::Ratio(n2, d2)) => {
                *n1 = n1.saturating_add(*n2);
                *d1 = d1.saturating_add(*d2);
                return;
            }
            (Accumulator::Counts(counts), Accumulator::Vote(key)) => {
                counts.add_word(key, 1);
                return;
            }
            (Accumulator::Distinct(hashes), Accumulator::DistinctValue(hash)) => {
                remember(hashes, *hash);
                return;
            }
            (Accumulator::Latency(sketch), Accumulator::LatencyValue(ms)) => {
                sketch.record(*ms);
                return;
            }
            _ => {}
        }
        let merged = match (core::mem::replace(self, Accumulator::Empty), newer) {
            (old, Accumulator::Empty) => old,
            (Accumulator::Empty, new) => new,
            (Accumulator::Set(mut a), Accumulator::Set(b)) => {
                a.extend(b);
                Accumulator::Set(a)
            }
            (Accumulator::Vote(key), Accumulator::Counts(mut a)) => {
                a.add_word(key, 1);
                Accumulator::Counts(a)
            }
            (Accumulator::Vote(a), Accumulator::Vote(b)) => {
                let mut counts = Tally::new();
                counts.add_word(a, 1);
                counts.add_word(b, 1);
                Accumulator::Counts(counts)
            }
            (Accumulator::Counts(mut a), Accumulator::Counts(b)) => {
                a.merge(b);
                Accumulator::Counts(a)
            }
            (Accumulator::Latency(mut a), Accumulator::Latency(b)) => {
                a.merge(&b);
                Accumulator::Latency(a)
            }
            (Accumulator::LatencyValue(ms), Accumulator::Latency(mut sketch)) => {
                sketch.record(ms);
                Accumulator::Latency(sketch)
            }
            (Accumulator::LatencyValue(a), Accumulator::LatencyValue(b)) => {
                let mut sketch = LatencySketch::new();
                sketch.record(a);
                sketch.record(b);
                Accumulator::Latency(Box::new(sketch))
            }
            (Accumulator::Distinct(mut a), Accumulator::Distinct(b)) => {
                for hash in b {
                    if a.len() >= MAX_DISTINCT {
                        break;
                    }
                    a.insert(hash);
                }
                Accumulator::Distinct(a)
            }
            (Accumulator::DistinctValue(hash), Accumulator::Distinct(mut a)) => {
                remember(&mut a, hash);
                Accumulator::Distinct(a)
            }
            (Accumulator::DistinctValue(a), Accumulator::DistinctValue(b)) => {
                Accumulator::Distinct([a, b].into_iter().collect())
            }
            (_, new) => new,
        };
        *self = merged;
    }

    /// The value as sent; an unset property is sent as its neutral value.
    pub(crate) fn emit(&self, prop: &PropertyDef) -> Value {
        match self {
            Accumulator::Int(n) => Value::Int(*n),
            Accumulator::Bool(b) => Value::Bool(*b),
            Accumulator::Latest(v) => v.clone(),
            Accumulator::Set(s) => Value::Array(
                in_vocabulary_order(prop, s.iter().map(String::as_str))
                    .into_iter()
                    .map(Value::from)
                    .collect(),
            ),
            Accumulator::Counts(counts) if prop.merge == MergeRule::MostUsed => {
                most_used(prop, counts).map_or(Value::Null, Value::from)
            }
            Accumulator::Counts(counts) => {
                let mut out = Value::object();
                for key in in_vocabulary_order(prop, counts.keys().copied()) {
                    let n = counts.get(key);
                    out.insert(key, Value::Int(i64::try_from(n).unwrap_or(i64::MAX)));
                }
                out
            }
            Accumulator::Vote(key) => {
                let mut counts = Tally::new();
                counts.add_word(key, 1);
                Accumulator::Counts(counts).emit(prop)
            }
            Accumulator::Ratio(n, d) => average(prop, *n, *d),
            Accumulator::LatencyValue(ms) => {
                let mut sketch = LatencySketch::new();
                sketch.record(*ms);
                Value::from(int(sketch.p99().unwrap_or(0)))
            }
            Accumulator::Latency(sketch) => match sketch.p99() {
                Some(ms) => Value::from(int(ms)),
                None => Value::Null,
            },
            Accumulator::DistinctValue(_) => Value::Int(1),
            Accumulator::Distinct(hashes) => Value::Int(hashes.len() as i64),
            Accumulator::Empty => neutral(prop).unwrap_or(Value::Null),
        }
    }
}

/// Adds `hash` to a distinct count unless it already holds [`MAX_DISTINCT`] values.
fn remember(hashes: &mut SortedSet<u64>, hash: u64) {
    if hashes.len() < MAX_DISTINCT {
        hashes.insert(hash);
    }
}

/// The value an unset property is sent with: null where allowed, else the type's zero. `None`
/// for a non-nullable string, which has no neutral value and must be recorded.
pub fn neutral(prop: &PropertyDef) -> Option<Value> {
    if prop.nullable {
        return Some(Value::Null);
    }
    Some(match prop.value_type {
        ValueType::Boolean => Value::Bool(false),
        ValueType::Integer | ValueType::Number => Value::Int(0),
        ValueType::StringArray | ValueType::IntegerArray => Value::Array(Vec::new()),
        ValueType::CountMap => Value::object(),
        ValueType::Null => Value::Null,
        ValueType::String => return None,
    })
}

/// `keys` in the property's vocabulary order (locales in Meilisearch's order); keys outside the
/// vocabulary, or without one, after them in sorted order.
fn in_vocabulary_order<'a>(
    prop: &PropertyDef,
    keys: impl Iterator<Item = &'a str> + Clone,
) -> Vec<&'a str> {
    let Privacy::Vocabulary(vocabulary) = prop.privacy else {
        return keys.collect();
    };
    let mut out: Vec<&str> = vocabulary
        .iter()
        .filter_map(|word| keys.clone().find(|k| k == word))
        .collect();
    out.extend(keys.filter(|k| !vocabulary.contains(k)));
    out
}

/// The value with the most votes; ties go to the one earliest in the vocabulary.
fn most_used<'a>(prop: &PropertyDef, counts: &'a Tally<&'static str>) -> Option<&'a str> {
    let order = in_vocabulary_order(prop, counts.keys().copied());
    let mut best: Option<(&str, u64)> = None;
    for key in order {
        let n = counts.get(key);
        if best.is_none_or(|(_, top)| n > top) {
            best = Some((key, n));
        }
    }
    best.map(|(key, _)| key)
}

/// `n / d` as the property is sent: whole units (floor) for an integer, two decimals for a
/// number, a two-decimal string for a decimal text; null (or 0 where not nullable) for `d = 0`.
fn average(prop: &PropertyDef, n: u64, d: u64) -> Value {
    if d == 0 {
        return neutral(prop).unwrap_or(Value::Null);
    }
    let whole = |x: u64| i64::try_from(x).unwrap_or(i64::MAX);
    // Hundredths, rounded half up, in integer arithmetic (u128: no overflow).
    let hundredths = (u128::from(n) * 200 + u128::from(d)) / (2 * u128::from(d));
    let hundredths = u64::try_from(hundredths).unwrap_or(u64::MAX);
    match (prop.value_type, prop.privacy) {
        (ValueType::Integer, _) => Value::Int(whole(n / d)),
        (ValueType::String, Privacy::Format(TextFormat::Decimal)) => {
            let cents = hundredths % 100;
            let zero = if cents < 10 { ".0" } else { "." };
            Value::from([&int(hundredths / 100), zero, &int(cents)].concat())
        }
        _ if hundredths % 100 == 0 => Value::Int(whole(hundredths / 100)),
        _ => Value::Float(hundredths as f64 / 100.0),
    }
}
