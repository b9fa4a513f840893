//! One property's running value inside an aggregate, and how it merges and is emitted.

use crate::catalog::MergeRule;
use crate::json::Value;
use std::collections::BTreeSet;

/// The running value of one property. `Empty` until a call sets it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Accumulator {
    Empty,
    Int(i64),
    Bool(bool),
    Latest(Value),
    Set(BTreeSet<String>),
}

impl Accumulator {
    /// The accumulator of one call's (already validated) value.
    pub(crate) fn from_value(rule: MergeRule, value: &Value) -> Self {
        match (rule, value) {
            (MergeRule::Sum | MergeRule::Max, Value::Int(n)) => Accumulator::Int(*n),
            (MergeRule::Or, Value::Bool(b)) => Accumulator::Bool(*b),
            (MergeRule::Union, Value::Array(items)) => Accumulator::Set(
                items
                    .iter()
                    .filter_map(|v| match v {
                        Value::String(s) => Some(s.clone()),
                        _ => None,
                    })
                    .collect(),
            ),
            (MergeRule::Last, v) => Accumulator::Latest(v.clone()),
            _ => Accumulator::Empty,
        }
    }

    /// Merges the newer accumulator into this one.
    pub(crate) fn merge(&mut self, rule: MergeRule, newer: Accumulator) {
        let merged = match (std::mem::replace(self, Accumulator::Empty), newer) {
            (old, Accumulator::Empty) => old,
            (Accumulator::Empty, new) => new,
            (Accumulator::Int(a), Accumulator::Int(b)) => Accumulator::Int(match rule {
                MergeRule::Max => a.max(b),
                _ => a.saturating_add(b),
            }),
            (Accumulator::Bool(a), Accumulator::Bool(b)) => Accumulator::Bool(a || b),
            (Accumulator::Set(mut a), Accumulator::Set(b)) => {
                a.extend(b);
                Accumulator::Set(a)
            }
            (_, new) => new,
        };
        *self = merged;
    }

    /// The value as sent; an unset property is sent as the rule's neutral value.
    pub(crate) fn emit(&self, rule: MergeRule) -> Value {
        match (self, rule) {
            (Accumulator::Int(n), _) => Value::Int(*n),
            (Accumulator::Bool(b), _) => Value::Bool(*b),
            (Accumulator::Latest(v), _) => v.clone(),
            (Accumulator::Set(s), _) => Value::Array(s.iter().map(|x| x.as_str().into()).collect()),
            (Accumulator::Empty, MergeRule::Sum | MergeRule::Max) => Value::Int(0),
            (Accumulator::Empty, MergeRule::Or) => Value::Bool(false),
            (Accumulator::Empty, MergeRule::Union) => Value::Array(Vec::new()),
            (Accumulator::Empty, MergeRule::Last) => Value::Null,
        }
    }
}
