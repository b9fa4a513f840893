//! The serde-wasm-bindgen boundary in a real browser (headless Chromium through `wasm-pack
//! test`): the configuration goes in as a plain JS object, and what comes out — counters,
//! consent, the send options, the next batch, an upload request — is plain JS data of the
//! documented shape, with every number as recorded.
#[path = "../support/numbers.rs"]
mod numbers;
use super::support::*;
use crate::Telemetry;
use serde_json::json;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

/// A JS object's own keys, in order.
fn keys(value: &JsValue) -> Vec<String> {
    js_sys::Object::keys(value.unchecked_ref::<js_sys::Object>())
        .iter()
        .map(|k| k.as_string().unwrap())
        .collect()
}

#[wasm_bindgen_test]
fn the_config_goes_in_and_the_send_options_come_out_validated() {
    let defaults = Telemetry::create(js(
        r#"{"endpoint":"http://127.0.0.1:9","writeKey":"k","storage":"none"}"#,
    ))
    .unwrap();
    assert_eq!(
        to_json(&defaults.send_options()),
        json!({ "gzip": false, "autoSend": true, "deleteOnOptOut": true, "uploadTimeoutMs": 30000 })
    );
    let set = Telemetry::create(js(r#"{"endpoint":"http://127.0.0.1:9","writeKey":"k","storage":"none",
        "gzip":true,"autoSend":false,"deleteOnOptOut":false,"uploadTimeoutMs":1500,"loadTimeoutMs":null,
        "retry":{"baseMs":10,"capMs":20},"consent":{"serverArgs":["meilisearch","--no-analytics"]}}"#))
    .unwrap();
    assert_eq!(
        to_json(&set.send_options()),
        json!({ "gzip": true, "autoSend": false, "deleteOnOptOut": false, "uploadTimeoutMs": 1500 })
    );
    // The server's flag, read from `consent.serverArgs`, turned collection off.
    assert_eq!(
        to_json(&set.consent()),
        json!({ "enabled": false, "reason": "server_flag", "error": null })
    );
}

#[wasm_bindgen_test]
fn counters_consent_and_the_batch_come_out_as_plain_data() {
    let t = Telemetry::create(js(
        r#"{"endpoint":"http://127.0.0.1:9","writeKey":"k","storage":"none"}"#,
    ))
    .unwrap();
    assert_eq!(
        to_json(&t.consent()),
        json!({ "enabled": true, "reason": "default", "error": null })
    );
    let rejected = t.track("No Such Event".into(), JsValue::UNDEFINED, None);
    assert_eq!(keys(&rejected), ["kind", "message"]);
    assert!(t
        .track(
            "Indexes Swapped".into(),
            js(r#"{"swap_operation_number":3}"#),
            None
        )
        .is_undefined());

    let stats = t.stats();
    let got = to_json(&stats);
    assert_eq!(got["recorded"], 1);
    assert_eq!(got["rejected"]["unknown_event"], 1);
    assert_eq!(got["rejected"]["unknown_property"], 0, "every kind present");
    assert_eq!(got["lost"]["oversize"], 0, "every loss reason present");
    assert_eq!(got["scope"], "page");
    assert_eq!(got["queued"], 0);
    assert_eq!(got["totals"], serde_json::Value::Null);
    assert!(got["moduleMemoryBytes"].as_u64().unwrap() >= 65_536);
    for key in [
        "recorded",
        "sealed",
        "rejected",
        "delivered",
        "failedUploads",
        "lost",
    ] {
        assert!(keys(&stats).iter().any(|k| k == key), "{key} in {got}");
    }

    let pending = to_json(&t.pending());
    let message = &pending["batch"][0];
    assert_eq!(message["event"], "Indexes Swapped");
    assert_eq!(message["properties"]["swap_operation_number"], 3);

    let request = to_json(&t.deletion_request());
    assert_eq!(request["url"], "http://127.0.0.1:9/v1/deletion");
    let headers = request["headers"].as_array().unwrap();
    assert!(
        headers
            .iter()
            .any(|h| h[0] == "Authorization" && h[1] == "Basic azo="),
        "{request}"
    );
    assert!(request["body"]
        .as_str()
        .unwrap()
        .contains(&t.instance_uid()));
    assert!(request["ids"].is_array());
}

#[wasm_bindgen_test]
fn numbers_are_written_back_exactly_in_wasm_too() {
    for &text in numbers::EDGE_CASES {
        let written = meili_telemetry_core::json::parse(text).unwrap().to_json();
        // JavaScript reads the written text as the very number it reads from the original.
        let original = js_sys::JSON::parse(text).unwrap();
        let back = js_sys::JSON::parse(&written).unwrap();
        assert!(js_sys::Object::is(&original, &back), "{text} → {written}");
    }
    assert_eq!(
        meili_telemetry_core::json::parse("9007199254740993")
            .unwrap()
            .to_json(),
        "9007199254740993",
        "an integer is kept digit for digit"
    );
}
