//! The JS configuration object, read by serde-wasm-bindgen into [`JsOptions`] (unknown options
//! refused, a type per option) and then into the core's [`Config`]. Every mistake becomes a JS
//! `Error` whose message names the option by its path (`config.retry.baseMs`) and says what to
//! pass instead.

use crate::convert::decimal as int;
use core::fmt;
use meili_telemetry_core::config::Config;
use meili_telemetry_core::consent::ConsentInputs;
use meili_telemetry_core::delivery::{RetryPolicy, UPLOAD_TIMEOUT_MS};
use serde::de::value::MapAccessDeserializer;
use serde::de::{
    self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Unexpected, Visitor,
};
use serde::{Deserialize, Deserializer, Serialize};
use wasm_bindgen::prelude::JsError;
use wasm_bindgen::JsValue;

/// The largest whole number a JS number holds exactly (`Number.MAX_SAFE_INTEGER`).
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// The options `Telemetry.create` understands, as the host spells them. `gzip`, `autoSend`,
/// `deleteOnOptOut` and `uploadTimeoutMs` reach the JS sender validated, as [`SendOptions`];
/// `loadTimeoutMs` is read by the front (`front.js`) before the engine exists, and checked here.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct JsOptions {
    endpoint: Option<String>,
    write_key: Option<String>,
    flush_interval_ms: Option<Millis<0, MAX_SAFE_INTEGER>>,
    consent: Option<Strict<ConsentOptions>>,
    storage: Option<StorageOption>,
    gzip: Option<bool>,
    auto_send: Option<bool>,
    delete_on_opt_out: Option<bool>,
    retry: Option<Strict<RetryOptions>>,
    upload_timeout_ms: Option<Timeout>,
    /// Checked only: the front has used it by now.
    #[serde(rename = "loadTimeoutMs")]
    _load_timeout_ms: Option<Timeout>,
}

/// What the JS sender does with each upload, with every default filled in: the one copy of these
/// options it reads (`Telemetry.sendOptions`).
#[derive(Serialize, Clone, Copy)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SendOptions {
    /// Compress upload bodies (`CompressionStream`); off by default.
    gzip: bool,
    /// Send on a timer and on page events; off: only `flush()` sends.
    auto_send: bool,
    /// Opting out asks the collector to delete what was sent.
    delete_on_opt_out: bool,
    /// How long one upload may take before it is abandoned (and retried).
    upload_timeout_ms: u64,
}

/// `config.consent`: what the server says about analytics.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ConsentOptions {
    /// The server's command line (only `--no-analytics` is read).
    server_args: Option<Listed<String>>,
    /// The raw `MEILI_NO_ANALYTICS` value.
    no_analytics_env: Option<String>,
    config_file_no_analytics: Option<bool>,
    server_analytics: Option<bool>,
    honor_browser_signals: Option<bool>,
}

/// `config.retry`: the backoff, in milliseconds.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RetryOptions {
    base_ms: Option<Millis<1, MAX_SAFE_INTEGER>>,
    cap_ms: Option<Millis<1, MAX_SAFE_INTEGER>>,
    max_age_ms: Option<Millis<1, MAX_SAFE_INTEGER>>,
    retry_after_cap_ms: Option<Millis<1, MAX_SAFE_INTEGER>>,
}

/// `config.storage`.
#[derive(Deserialize)]
#[serde(expecting = "\"localStorage\" (the default) or \"none\"")]
enum StorageOption {
    #[serde(rename = "localStorage")]
    LocalStorage,
    /// Nothing is kept.
    #[serde(rename = "none")]
    None,
}

/// An options object read key by key, so that `deny_unknown_fields` sees every key:
/// serde-wasm-bindgen reads a struct by looking up only the fields it declares, while a map is
/// read through all of the object's entries.
struct Strict<T>(T);

/// What an options object is expected to look like, for the error when it is not an object.
trait Example {
    const EXAMPLE: &'static str;
}

impl<'de, T: Deserialize<'de> + Example> Deserialize<'de> for Strict<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StrictVisitor(core::marker::PhantomData))
    }
}

struct StrictVisitor<T>(core::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de> + Example> Visitor<'de> for StrictVisitor<T> {
    type Value = Strict<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(T::EXAMPLE)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let keyed = Keyed { map, key: None };
        T::deserialize(MapAccessDeserializer::new(keyed)).map(Strict)
    }
}

/// Between an error's path and its message, until [`read_options`] writes it as `path: message`.
const PATH_END: &str = "\u{1f}";

/// The entries of an options object, each value's error prefixed with its key: the path of
/// `config.retry.baseMs` is built from the keys of the nested objects on the way out.
struct Keyed<A> {
    map: A,
    key: Option<String>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Keyed<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.key = self.map.next_key::<String>()?;
        match &self.key {
            None => Ok(None),
            Some(key) => seed
                .deserialize(key.as_str().into_deserializer())
                .map(Some)
                .map_err(|e| at_key(key, e)),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        let key = self.key.as_deref().unwrap_or_default();
        self.map.next_value_seed(seed).map_err(|e| at_key(key, e))
    }
}

/// `error`, found at `key` (a field name, or `[i]` for an array element): its path starts with
/// the key.
fn at_key<E: de::Error>(key: &str, error: E) -> E {
    let inner = error.to_string();
    let inner = plain_message(&inner);
    let joined = if inner.starts_with('[') {
        [key, inner].concat()
    } else if inner.contains(PATH_END) {
        [key, ".", inner].concat()
    } else {
        [key, PATH_END, inner].concat()
    };
    E::custom(joined)
}

/// A list whose element errors name their index (`serverArgs[1]`).
struct Listed<T>(Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Listed<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_seq(ListedVisitor(core::marker::PhantomData))
    }
}

struct ListedVisitor<T>(core::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ListedVisitor<T> {
    type Value = Listed<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        loop {
            match seq.next_element::<T>() {
                Ok(Some(item)) => items.push(item),
                Ok(None) => return Ok(Listed(items)),
                Err(e) => return Err(at_key(&["[", &int(items.len()), "]"].concat(), e)),
            }
        }
    }
}

/// An error's text without the `Error: ` that serde-wasm-bindgen's errors (JS `Error`s) add.
fn plain_message(text: &str) -> &str {
    text.strip_prefix("Error: ").unwrap_or(text)
}

impl Example for JsOptions {
    const EXAMPLE: &'static str =
        "a config object such as { endpoint: \"http://127.0.0.1:8787\", writeKey: \"…\" }";
}

impl Example for ConsentOptions {
    const EXAMPLE: &'static str = "an object such as { serverAnalytics: false }";
}

impl Example for RetryOptions {
    const EXAMPLE: &'static str = "an object such as { baseMs: 2000, capMs: 3600000 }";
}

/// `uploadTimeoutMs` and `loadTimeoutMs`: a millisecond to ten minutes.
type Timeout = Millis<1, 600_000>;

/// A whole number of milliseconds from `MIN` to `MAX`.
struct Millis<const MIN: u64, const MAX: u64>(u64);

impl<'de, const MIN: u64, const MAX: u64> Deserialize<'de> for Millis<MIN, MAX> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(MillisVisitor::<MIN, MAX>)
    }
}

struct MillisVisitor<const MIN: u64, const MAX: u64>;

impl<const MIN: u64, const MAX: u64> MillisVisitor<MIN, MAX> {
    fn in_range<E: serde::de::Error>(self, ms: u64) -> Result<Millis<MIN, MAX>, E> {
        if (MIN..=MAX).contains(&ms) {
            Ok(Millis(ms))
        } else {
            Err(E::invalid_value(Unexpected::Unsigned(ms), &self))
        }
    }
}

impl<const MIN: u64, const MAX: u64> Visitor<'_> for MillisVisitor<MIN, MAX> {
    type Value = Millis<MIN, MAX>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a whole number of milliseconds from ")?;
        f.write_str(&int(MIN))?;
        f.write_str(" to ")?;
        f.write_str(&int(MAX))
    }

    fn visit_u64<E: serde::de::Error>(self, ms: u64) -> Result<Self::Value, E> {
        self.in_range(ms)
    }

    fn visit_i64<E: serde::de::Error>(self, ms: i64) -> Result<Self::Value, E> {
        match u64::try_from(ms) {
            Ok(ms) => self.in_range(ms),
            Err(_) => Err(E::invalid_value(Unexpected::Signed(ms), &self)),
        }
    }

    fn visit_f64<E: serde::de::Error>(self, ms: f64) -> Result<Self::Value, E> {
        // A JS number: whole and within range, or refused (`1.5`, `-5`, `1e300`, `NaN`).
        let whole = ms == (ms as u64) as f64;
        if whole && ms >= MIN as f64 && ms <= MAX as f64 {
            Ok(Millis(ms as u64))
        } else {
            Err(E::invalid_value(Unexpected::Float(ms), &self))
        }
    }
}

/// Everything `Telemetry.create` reads from its options.
pub(crate) struct Options {
    pub config: Config,
    /// The consent inputs the host gave (the browser's own signals and the persisted choice are
    /// added by the caller).
    pub consent: ConsentInputs,
    /// Whether `localStorage` may be used (`storage: "none"` keeps nothing).
    pub use_storage: bool,
    pub retry: RetryPolicy,
    pub send: SendOptions,
}

/// The `Error` thrown for a configuration the engine cannot run with: the parts of its message,
/// after the package's name.
fn error(message: &[&str]) -> JsError {
    JsError::new(&["meili-telemetry: ", &message.concat()].concat())
}

/// Reads and validates the configuration object passed to `Telemetry.create`.
pub(crate) fn read_options(js: &JsValue) -> Result<Options, JsError> {
    if js.is_undefined() || js.is_null() {
        return Err(error(&[
            "Telemetry.create expects a config object such as { endpoint: \"http://127.0.0.1:8787\", writeKey: \"…\" }, got nothing",
        ]));
    }
    let deserializer = serde_wasm_bindgen::Deserializer::from(js.clone());
    let Strict(options) = Strict::<JsOptions>::deserialize(deserializer).map_err(|e| {
        let text = e.to_string();
        match plain_message(&text).split_once(PATH_END) {
            Some((path, message)) => error(&["config.", path, ": ", message]),
            None => error(&["config: ", plain_message(&text)]),
        }
    })?;
    let required = |value: Option<String>, name: &str, hint: &str| {
        value.ok_or_else(|| error(&["config.", name, " is required: pass ", hint]))
    };
    let endpoint = required(
        options.endpoint,
        "endpoint",
        "the collector's base URL, e.g. \"http://127.0.0.1:8787\"",
    )?;
    let write_key = required(
        options.write_key,
        "writeKey",
        "the write key the collector accepts",
    )?;
    let mut config = Config::new(&endpoint, &write_key).map_err(config_error)?;
    if let Some(Millis(ms)) = options.flush_interval_ms {
        config = config.with_flush_interval_ms(ms).map_err(config_error)?;
    }
    Ok(Options {
        config,
        consent: options
            .consent
            .map(|c| consent_inputs(c.0))
            .unwrap_or_default(),
        use_storage: !matches!(options.storage, Some(StorageOption::None)),
        retry: options.retry.map(|r| retry_policy(r.0)).unwrap_or_default(),
        send: SendOptions {
            gzip: options.gzip.unwrap_or(false),
            auto_send: options.auto_send.unwrap_or(true),
            delete_on_opt_out: options.delete_on_opt_out.unwrap_or(true),
            upload_timeout_ms: options.upload_timeout_ms.map_or(UPLOAD_TIMEOUT_MS, |m| m.0),
        },
    })
}

/// A value the core's [`Config`] refused, named by its option.
fn config_error(e: meili_telemetry_core::ConfigError) -> JsError {
    error(&["config.", e.field, ": ", &e.message])
}

fn consent_inputs(options: ConsentOptions) -> ConsentInputs {
    ConsentInputs {
        server_args: options.server_args.map(|args| args.0).unwrap_or_default(),
        env_no_analytics: options.no_analytics_env,
        config_file_no_analytics: options.config_file_no_analytics,
        server_analytics_enabled: options.server_analytics,
        honor_browser_signals: options.honor_browser_signals.unwrap_or(true),
        ..ConsentInputs::default()
    }
}

fn retry_policy(options: RetryOptions) -> RetryPolicy {
    let default = RetryPolicy::default();
    let or =
        |value: Option<Millis<1, MAX_SAFE_INTEGER>>, fallback: u64| value.map_or(fallback, |m| m.0);
    RetryPolicy {
        base_ms: or(options.base_ms, default.base_ms),
        cap_ms: or(options.cap_ms, default.cap_ms),
        max_age_ms: or(options.max_age_ms, default.max_age_ms),
        retry_after_cap_ms: or(options.retry_after_cap_ms, default.retry_after_cap_ms),
    }
}
