//! The JS configuration object, read into the core's [`Config`]. Every mistake becomes a JS
//! `Error` whose message names the option and says what to pass instead.

use super::convert::{to_value, PROPERTY_BAG};
use crate::config::Config;
use crate::json::Value;
use wasm_bindgen::prelude::JsError;
use wasm_bindgen::JsValue;

/// The options `Telemetry.create` understands, as the host spells them.
const KNOWN_OPTIONS: [&str; 3] = ["endpoint", "writeKey", "flushIntervalMs"];

fn error(message: String) -> JsError {
    JsError::new(&format!("meili-telemetry: {message}"))
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Int(_) | Value::Float(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Reads and validates the configuration object passed to `Telemetry.create`.
pub(crate) fn read_config(js: &JsValue) -> Result<Config, JsError> {
    const EXAMPLE: &str = "{ endpoint: \"http://127.0.0.1:8787\", writeKey: \"…\" }";
    let value = to_value(js, PROPERTY_BAG)
        .map_err(|e| error(format!("the config could not be read: {}", e.0)))?;
    let Value::Object(entries) = &value else {
        return Err(error(format!(
            "Telemetry.create expects a config object such as {EXAMPLE}, got {}",
            type_name(&value)
        )));
    };
    if let Some((unknown, _)) = entries
        .iter()
        .find(|(k, _)| !KNOWN_OPTIONS.contains(&k.as_str()))
    {
        return Err(error(format!(
            "unknown config option `{unknown}`; the options are {}",
            KNOWN_OPTIONS.join(", ")
        )));
    }
    let string = |name: &str, hint: &str| -> Result<String, JsError> {
        match value.get(name) {
            Some(Value::String(s)) => Ok(s.clone()),
            None | Some(Value::Null) => {
                Err(error(format!("config.{name} is required: pass {hint}")))
            }
            Some(other) => Err(error(format!(
                "config.{name} must be a string ({hint}), got {}",
                type_name(other)
            ))),
        }
    };
    let endpoint = string(
        "endpoint",
        "the collector's base URL, e.g. \"http://127.0.0.1:8787\"",
    )?;
    let write_key = string("writeKey", "the write key the collector accepts")?;
    let mut config = Config::new(&endpoint, &write_key).map_err(|e| error(e.to_string()))?;
    match value.get("flushIntervalMs") {
        None | Some(Value::Null) => {}
        Some(Value::Int(ms)) if *ms >= 0 => {
            config = config
                .with_flush_interval_ms(*ms as u64)
                .map_err(|e| error(e.to_string()))?;
        }
        Some(other) => {
            return Err(error(format!(
                "config.flushIntervalMs must be a whole number of milliseconds, got {}",
                type_name(other)
            )))
        }
    }
    Ok(config)
}
