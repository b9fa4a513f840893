//! The JS configuration object, read into the core's [`Config`]. Every mistake becomes a JS
//! `Error` whose message names the option and says what to pass instead.

use crate::prelude::*;

use super::convert::to_value;
use crate::config::Config;
use crate::consent::ConsentInputs;
use crate::delivery::RetryPolicy;
use crate::error::quoted;
use crate::json::{Entry, Value};
use crate::text::int;
use wasm_bindgen::prelude::JsError;
use wasm_bindgen::JsValue;

/// The options `Telemetry.create` understands, as the host spells them.
/// `gzip`, `autoSend`, `deleteOnOptOut` and `uploadTimeoutMs` are read by the JS sender (`delivery.js`),
/// `loadTimeoutMs` by the front (`front.js`); all are validated here.
const KNOWN_OPTIONS: [&str; 11] = [
    "endpoint",
    "writeKey",
    "flushIntervalMs",
    "consent",
    "storage",
    "gzip",
    "autoSend",
    "retry",
    "uploadTimeoutMs",
    "loadTimeoutMs",
    "deleteOnOptOut",
];
/// The range of `uploadTimeoutMs` and `loadTimeoutMs`: a millisecond to ten minutes.
const TIMEOUT_RANGE_MS: (i64, i64) = (1, 600_000);
/// The keys of `config.retry`.
const RETRY_OPTIONS: [&str; 4] = ["baseMs", "capMs", "maxAgeMs", "retryAfterCapMs"];
/// The keys of `config.consent`.
const CONSENT_OPTIONS: [&str; 5] = [
    "serverArgs",
    "noAnalyticsEnv",
    "configFileNoAnalytics",
    "serverAnalytics",
    "honorBrowserSignals",
];

/// Everything `Telemetry.create` reads from its options.
pub(crate) struct Options {
    pub config: Config,
    /// The consent inputs the host gave (the browser's own signals and the persisted choice are
    /// added by the caller).
    pub consent: ConsentInputs,
    /// Whether `localStorage` may be used (`storage: "none"` keeps nothing).
    pub use_storage: bool,
    pub retry: RetryPolicy,
}

/// Reads `config.retry` over the defaults.
fn read_retry(value: Option<&Value>) -> Result<RetryPolicy, JsError> {
    let mut policy = RetryPolicy::default();
    let Some(entries) = optional_object(value, "retry", "{ baseMs: 2000, capMs: 3600000 }")? else {
        return Ok(policy);
    };
    for (key, item) in entries {
        let Value::Int(ms) = item else {
            return Err(error(&[
                "config.retry.",
                key,
                " must be a whole number of milliseconds, got ",
                type_name(item),
            ]));
        };
        let ms = u64::try_from(*ms).unwrap_or(0).max(1);
        match &**key {
            "baseMs" => policy.base_ms = ms,
            "capMs" => policy.cap_ms = ms,
            "maxAgeMs" => policy.max_age_ms = ms,
            "retryAfterCapMs" => policy.retry_after_cap_ms = ms,
            other => {
                return Err(error(&[
                    "unknown option `retry.",
                    other,
                    "`; the options are ",
                    &RETRY_OPTIONS.join(", "),
                ]))
            }
        }
    }
    Ok(policy)
}

/// The entries of the optional object option `config.<name>`: `None` when it is absent or null,
/// an error showing `example` when it is not an object.
fn optional_object<'v>(
    value: Option<&'v Value>,
    name: &str,
    example: &str,
) -> Result<Option<&'v [Entry<'static>]>, JsError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(entries)) => Ok(Some(entries)),
        Some(other) => Err(error(&[
            "config.",
            name,
            " must be an object such as ",
            example,
            ", got ",
            type_name(other),
        ])),
    }
}

/// The `Error` thrown for a configuration the engine cannot run with: the parts of its message,
/// after the package's name.
fn error(message: &[&str]) -> JsError {
    JsError::new(&["meili-telemetry: ", &message.concat()].concat())
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

/// Reads `config.consent`.
fn read_consent(value: Option<&Value>) -> Result<ConsentInputs, JsError> {
    let mut inputs = ConsentInputs::default();
    let Some(entries) = optional_object(value, "consent", "{ serverAnalytics: false }")? else {
        return Ok(inputs);
    };
    for (key, item) in entries {
        let wrong = |expected: &str| {
            error(&[
                "config.consent.",
                key,
                " must be ",
                expected,
                ", got ",
                type_name(item),
            ])
        };
        let flag = |item: &Value| match item {
            Value::Bool(b) => Ok(Some(*b)),
            Value::Null => Ok(None),
            _ => Err(wrong("a boolean")),
        };
        match &**key {
            "serverArgs" => match item {
                Value::Array(args) => {
                    inputs.server_args = args
                        .iter()
                        .map(|a| match a {
                            Value::String(s) => Ok(String::from(s.as_ref())),
                            _ => Err(wrong("an array of strings (the server's command line)")),
                        })
                        .collect::<Result<_, _>>()?;
                }
                _ => return Err(wrong("an array of strings (the server's command line)")),
            },
            "noAnalyticsEnv" => match item {
                Value::String(s) => inputs.env_no_analytics = Some(String::from(s.as_ref())),
                Value::Null => inputs.env_no_analytics = None,
                _ => {
                    return Err(wrong(
                        "the raw MEILI_NO_ANALYTICS value as a string, or null",
                    ))
                }
            },
            "configFileNoAnalytics" => inputs.config_file_no_analytics = flag(item)?,
            "serverAnalytics" => inputs.server_analytics_enabled = flag(item)?,
            "honorBrowserSignals" => inputs.honor_browser_signals = flag(item)?.unwrap_or(true),
            other => {
                return Err(error(&[
                    "unknown option `consent.",
                    other,
                    "`; the options are ",
                    &CONSENT_OPTIONS.join(", "),
                ]))
            }
        }
    }
    Ok(inputs)
}

/// Checks the optional timeout `config.<name>`: a whole number of milliseconds in
/// [`TIMEOUT_RANGE_MS`].
fn check_timeout(value: Option<&Value>, name: &str) -> Result<(), JsError> {
    let (min, max) = TIMEOUT_RANGE_MS;
    match value {
        None | Some(Value::Null) => Ok(()),
        Some(Value::Int(ms)) if (min..=max).contains(ms) => Ok(()),
        Some(other) => Err(error(&[
            "config.",
            name,
            " must be a whole number of milliseconds from ",
            &int(min),
            " to ",
            &int(max),
            ", got ",
            &described(other),
        ])),
    }
}

/// A wrong value as an error message shows it: numbers and strings themselves, else their type.
fn described(value: &Value) -> String {
    match value {
        Value::Int(n) => int(*n),
        Value::String(s) => quoted(s),
        other => type_name(other).to_owned(),
    }
}

/// Reads and validates the configuration object passed to `Telemetry.create`.
pub(crate) fn read_options(js: &JsValue) -> Result<Options, JsError> {
    const EXAMPLE: &str = "{ endpoint: \"http://127.0.0.1:8787\", writeKey: \"…\" }";
    let value = to_value(js).map_err(|e| error(&["the config could not be read: ", &e.0]))?;
    let Value::Object(entries) = &value else {
        return Err(error(&[
            "Telemetry.create expects a config object such as ",
            EXAMPLE,
            ", got ",
            type_name(&value),
        ]));
    };
    if let Some((unknown, _)) = entries.iter().find(|(k, _)| !KNOWN_OPTIONS.contains(&&**k)) {
        return Err(error(&[
            "unknown config option `",
            unknown,
            "`; the options are ",
            &KNOWN_OPTIONS.join(", "),
        ]));
    }
    let string = |name: &str, hint: &str| -> Result<String, JsError> {
        match value.get(name) {
            Some(Value::String(s)) => Ok(String::from(s.as_ref())),
            None | Some(Value::Null) => Err(error(&["config.", name, " is required: pass ", hint])),
            Some(other) => Err(error(&[
                "config.",
                name,
                " must be a string (",
                hint,
                "), got ",
                type_name(other),
            ])),
        }
    };
    let endpoint = string(
        "endpoint",
        "the collector's base URL, e.g. \"http://127.0.0.1:8787\"",
    )?;
    let write_key = string("writeKey", "the write key the collector accepts")?;
    let mut config = Config::new(&endpoint, &write_key).map_err(|e| error(&[&e.text()]))?;
    match value.get("flushIntervalMs") {
        None | Some(Value::Null) => {}
        Some(Value::Int(ms)) if *ms >= 0 => {
            config = config
                .with_flush_interval_ms(*ms as u64)
                .map_err(|e| error(&[&e.text()]))?;
        }
        Some(other) => {
            return Err(error(&[
                "config.flushIntervalMs must be a whole number of milliseconds, got ",
                type_name(other),
            ]))
        }
    }
    let use_storage = match value.get("storage") {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) if s == "localStorage" => true,
        Some(Value::String(s)) if s == "none" => false,
        Some(other) => {
            let got = match other {
                Value::String(s) => quoted(s),
                other => type_name(other).to_owned(),
            };
            return Err(error(&[
                "config.storage must be \"localStorage\" (the default) or \"none\", got ",
                &got,
            ]));
        }
    };
    for name in ["uploadTimeoutMs", "loadTimeoutMs"] {
        check_timeout(value.get(name), name)?;
    }
    for name in ["gzip", "autoSend", "deleteOnOptOut"] {
        if let Some(other) = value
            .get(name)
            .filter(|v| !matches!(v, Value::Null | Value::Bool(_)))
        {
            return Err(error(&[
                "config.",
                name,
                " must be a boolean, got ",
                type_name(other),
            ]));
        }
    }
    Ok(Options {
        config,
        consent: read_consent(value.get("consent"))?,
        use_storage,
        retry: read_retry(value.get("retry"))?,
    })
}
