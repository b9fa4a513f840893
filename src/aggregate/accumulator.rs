//! One property's running value inside an aggregate, and how it merges and is emitted.

use crate::catalog::{MergeRule, PropertyDef, ValueType};
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
            (MergeRule::Sum | MergeRule::Max | MergeRule::Min, Value::Int(n)) => {
                Accumulator::Int(*n)
            }
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
            (MergeRule::LastNonNull, Value::Null) => Accumulator::Empty,
            (MergeRule::LastNonNull, v) => Accumulator::Latest(v.clone()),
            _ => Accumulator::Empty,
        }
    }

    /// Whether no call set this property.
    pub(crate) fn is_empty(&self) -> bool {
        matches!(self, Accumulator::Empty)
    }

    /// Merges the newer accumulator into this one.
    pub(crate) fn merge(&mut self, rule: MergeRule, newer: Accumulator) {
        let merged = match (std::mem::replace(self, Accumulator::Empty), newer) {
            (old, Accumulator::Empty) => old,
            (Accumulator::Empty, new) => new,
            (Accumulator::Int(a), Accumulator::Int(b)) => Accumulator::Int(match rule {
                MergeRule::Max => a.max(b),
                MergeRule::Min => a.min(b),
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

    /// The value as sent; an unset property is sent as its neutral value.
    pub(crate) fn emit(&self, prop: &PropertyDef) -> Value {
        match self {
            Accumulator::Int(n) => Value::Int(*n),
            Accumulator::Bool(b) => Value::Bool(*b),
            Accumulator::Latest(v) => v.clone(),
            Accumulator::Set(s) => Value::Array(s.iter().map(|x| x.as_str().into()).collect()),
            Accumulator::Empty => neutral(prop).unwrap_or(Value::Null),
        }
    }
}

/// The value an unset property is sent with: null where allowed, else the type's zero. `None`
/// for a non-nullable string, which has no neutral value and must be recorded.
pub(crate) fn neutral(prop: &PropertyDef) -> Option<Value> {
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
