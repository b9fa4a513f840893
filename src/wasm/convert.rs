//! JS values to the core's JSON [`Value`], defensively: every property read goes through
//! `Reflect` (which reports a throwing getter or proxy trap as an error instead of unwinding
//! through wasm), and depth, size and string length are bounded so cycles and huge inputs are
//! rejected rather than followed.

use crate::json::Value;
use js_sys::{Array, Reflect};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

// Imports that may throw on hostile input (revoked proxies, throwing traps), declared with
// `catch` so the exception becomes an `Err` instead of unwinding through wasm frames.
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    fn is_array(value: &JsValue) -> Result<bool, JsValue>;
    #[wasm_bindgen(catch, js_namespace = Object, js_name = keys)]
    fn own_enumerable_keys(value: &JsValue) -> Result<Array, JsValue>;
}

/// Bounds on one converted input.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Deepest nesting accepted.
    pub depth: usize,
    /// Most values (objects, arrays and scalars together).
    pub nodes: usize,
    /// Longest string, in UTF-16 code units.
    pub string_len: u32,
}

/// A property bag for `track` (catalog paths are at most a few levels deep).
pub(crate) const PROPERTY_BAG: Limits = Limits {
    depth: 8,
    nodes: 4_096,
    string_len: 1_024,
};

/// Why a JS value could not be converted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ConvertError(pub String);

/// Converts a JS value within `limits`; `undefined` becomes `null`.
pub(crate) fn to_value(js: &JsValue, limits: Limits) -> Result<Value, ConvertError> {
    let mut budget = limits.nodes;
    convert(js, 0, &mut budget, &limits)
}

fn convert(
    js: &JsValue,
    depth: usize,
    budget: &mut usize,
    limits: &Limits,
) -> Result<Value, ConvertError> {
    let (max_nodes, max_depth, max_len) = (limits.nodes, limits.depth, limits.string_len);
    if *budget == 0 {
        return Err(ConvertError(format!(
            "the input has more than {max_nodes} values"
        )));
    }
    *budget -= 1;
    if js.is_null() || js.is_undefined() {
        return Ok(Value::Null);
    }
    if let Some(b) = js.as_bool() {
        return Ok(Value::Bool(b));
    }
    if let Some(x) = js.as_f64() {
        return Ok(number(x));
    }
    if let Some(s) = js.dyn_ref::<js_sys::JsString>() {
        if s.length() > max_len {
            return Err(ConvertError(format!(
                "a string is longer than {max_len} characters"
            )));
        }
        return Ok(Value::from(String::from(s)));
    }
    if depth >= max_depth {
        return Err(ConvertError(format!(
            "the input is nested deeper than {max_depth} levels (or is cyclic)"
        )));
    }
    if is_array(js).map_err(|_| thrown())? {
        let array: &Array = js.unchecked_ref();
        let len = array.length();
        if len as usize > *budget {
            return Err(ConvertError(format!(
                "the input has more than {max_nodes} values"
            )));
        }
        let mut items = Vec::with_capacity(len as usize);
        for i in 0..len {
            let item = Reflect::get_u32(js, i).map_err(|_| thrown())?;
            items.push(convert(&item, depth + 1, budget, limits)?);
        }
        return Ok(Value::Array(items));
    }
    if js.is_object() && !js.is_function() {
        let keys = own_enumerable_keys(js).map_err(|_| thrown())?;
        if keys.length() as usize > *budget {
            return Err(ConvertError(format!(
                "the input has more than {max_nodes} values"
            )));
        }
        let mut entries = Vec::new();
        for key in keys.iter() {
            let too_long = key
                .dyn_ref::<js_sys::JsString>()
                .is_some_and(|k| k.length() > max_len);
            if too_long {
                return Err(ConvertError(format!(
                    "a property name is longer than {max_len} characters"
                )));
            }
            let Some(name) = key.as_string() else {
                continue;
            };
            let item = Reflect::get(js, &key).map_err(|_| thrown())?;
            if item.is_undefined() {
                continue; // as JSON.stringify does
            }
            entries.push((name.into(), convert(&item, depth + 1, budget, limits)?));
        }
        return Ok(Value::Object(entries));
    }
    Err(ConvertError(format!(
        "a value of type {} cannot be recorded",
        js.js_typeof().as_string().unwrap_or_default()
    )))
}

fn thrown() -> ConvertError {
    ConvertError("reading the input threw (a getter or proxy trap failed)".into())
}

/// Integral numbers within the safe range become integers; others stay floats.
fn number(x: f64) -> Value {
    const SAFE: f64 = 9_007_199_254_740_991.0;
    if x.fract() == 0.0 && (-SAFE..=SAFE).contains(&x) {
        Value::Int(x as i64)
    } else {
        Value::Float(x)
    }
}

/// The core's [`Value`] as a plain JS value (objects, arrays, strings, numbers, booleans, null).
pub(crate) fn to_js(value: &Value) -> JsValue {
    match value {
        Value::Null => JsValue::NULL,
        Value::Bool(b) => JsValue::from_bool(*b),
        Value::Int(n) => JsValue::from_f64(*n as f64),
        Value::Float(x) => JsValue::from_f64(*x),
        Value::String(s) => JsValue::from_str(s),
        Value::Array(items) => items.iter().map(to_js).collect::<Array>().into(),
        Value::Object(entries) => {
            let object = js_sys::Object::new();
            for (key, item) in entries {
                // Setting a data property on a fresh plain object cannot throw.
                let _ = Reflect::set(&object, &JsValue::from_str(key), &to_js(item));
            }
            object.into()
        }
    }
}
