//! Values across the JS boundary. Out: any serde value, by serde-wasm-bindgen (plain objects,
//! arrays, numbers, strings, booleans and `null`). In: a `track` property bag, defensively,
//! through its JSON text: `JSON.stringify` reports a cycle, a throwing getter, a revoked proxy or
//! a BigInt by throwing (caught here, never unwinding through wasm; serde-wasm-bindgen would
//! follow a cycle until the stack overflows), and the text's length is bounded before it is
//! copied into the module, so a huge input is rejected rather than followed.

use meili_telemetry_core::json::Value;

use serde::Serialize;
use wasm_bindgen::JsValue;

/// `n` in decimal, by `itoa` (no `core::fmt` on the recording path).
pub(crate) fn decimal(n: impl itoa::Integer) -> String {
    itoa::Buffer::new().format(n).to_owned()
}

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
                &decimal(MAX_JSON_CHARS),
                " characters of JSON",
            ]
            .concat(),
        ));
    }
    meili_telemetry_core::json::parse(&String::from(text)).ok_or_else(|| {
        ConvertError(
            [
                "the input is nested deeper than ",
                &decimal(meili_telemetry_core::json::text::MAX_DEPTH),
                " levels",
            ]
            .concat(),
        )
    })
}

/// A serde value as a plain JS value (maps as objects, `None` as `null`). Only a number beyond
/// 2^53, which no JS number holds exactly, cannot be carried: `null` then (the package's own
/// outputs hold none; the exact wire text is what `pending()` parses).
pub(crate) fn to_js<T: Serialize + ?Sized>(value: &T) -> JsValue {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::NULL)
}
