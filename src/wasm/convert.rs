//! JS values to and from the core's JSON [`Value`], defensively. A JS value is read through its
//! JSON text: `JSON.stringify` reports a cycle, a throwing getter, a revoked proxy or a BigInt
//! by throwing (caught here, never unwinding through wasm), and the text's length is bounded
//! before it is copied into the module, so a huge input is rejected rather than followed.

use crate::prelude::*;

use crate::json::Value;
use crate::text::int;
use js_sys::{Array, Reflect};
use wasm_bindgen::JsValue;

/// Longest JSON text of a converted input (a `track` property bag or a configuration: a few
/// dozen short values at most), in UTF-16 code units; nesting is bounded by the reader.
const MAX_JSON_CHARS: u32 = 64 << 10;

/// Why a JS value could not be converted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ConvertError(pub String);

/// Converts a JS value of at most [`MAX_JSON_CHARS`] of JSON; `undefined` becomes `null`.
pub(crate) fn to_value(js: &JsValue) -> Result<Value, ConvertError> {
    if js.is_undefined() {
        return Ok(Value::Null);
    }
    let text = js_sys::JSON::stringify(js).map_err(|_| {
        ConvertError(
            "the input could not be serialized (a cycle, a BigInt, or a getter or proxy trap that threw)"
                .into(),
        )
    })?;
    if !text.is_string() {
        let type_name = js.js_typeof().as_string().unwrap_or_default();
        return Err(ConvertError(
            ["a value of type ", &type_name, " cannot be recorded"].concat(),
        ));
    }
    if text.length() > MAX_JSON_CHARS {
        return Err(ConvertError(
            [
                "the input is longer than ",
                &int(MAX_JSON_CHARS),
                " characters of JSON",
            ]
            .concat(),
        ));
    }
    crate::json::parse(&String::from(text)).ok_or_else(|| {
        ConvertError(
            [
                "the input is nested deeper than ",
                &int(crate::json::text::MAX_DEPTH),
                " levels",
            ]
            .concat(),
        )
    })
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
