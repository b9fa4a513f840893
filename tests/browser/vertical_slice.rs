//! The vertical slice in a real browser (headless Chromium through `wasm-pack test`): the wasm
//! edge records an event, sends it with `fetch` to the loopback collector, and the exact bytes
//! that arrived are checked. Also: configuration errors and hostile recording inputs.
use super::support::*;
use crate::Telemetry;
use serde_json::Value as Json;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

fn is_rfc3339_millis(s: &str) -> bool {
    s.len() == 24 && s.ends_with('Z') && &s[10..11] == "T" && &s[19..20] == "."
}

#[wasm_bindgen_test]
async fn one_event_arrives_with_exact_content() {
    let endpoint = channel("one-event");
    let t = create(&endpoint).await;
    let before = js_sys::Date::now() as u64;
    let props = js(r#"{"swap_operation_number":2,"rename_used":true}"#);
    assert!(t
        .track("Indexes Swapped".into(), props, None)
        .is_undefined());
    assert!(t
        .track(
            "Indexes Swapped".into(),
            js(r#"{"swap_operation_number":5}"#),
            None
        )
        .is_undefined());

    let result = flush(&t).await;
    assert_eq!(result["delivered"], 1, "{result}");
    assert_eq!(result["status"], 200);
    assert_eq!(result["error"], Json::Null);

    let got = received(&endpoint).await;
    assert_eq!(got.len(), 1, "exactly one request");
    let request = &got[0];
    assert_eq!(request["headers"]["authorization"], "Basic dGVzdC1rZXk6"); // "test-key:"
    assert_eq!(request["headers"]["content-type"], "application/json");
    let body = request["body"].as_str().unwrap();
    let parsed: Json = serde_json::from_str(body).unwrap();
    let message = &parsed["batch"][0];
    let message_id = message["messageId"].as_str().unwrap();
    let timestamp = message["timestamp"].as_str().unwrap();
    let sent_at = parsed["sentAt"].as_str().unwrap();
    assert_eq!(message_id.len(), 36);
    assert!(
        is_rfc3339_millis(timestamp) && is_rfc3339_millis(sent_at),
        "{body}"
    );
    let recorded_at = js_sys::Date::parse(timestamp) as u64;
    assert!(recorded_at >= before - before % 1000 && recorded_at <= js_sys::Date::now() as u64);

    let expected = format!(
        concat!(
            r#"{{"batch":[{{"type":"track","event":"Indexes Swapped","#,
            r#""properties":{{"swap_operation_number":5,"rename_used":true,"user-agent":[],"requests":{{"total_received":2}}}},"#,
            r#""userId":"{uid}","messageId":"{id}","timestamp":"{ts}","#,
            r#""context":{{"ip":"0.0.0.0","library":{{"name":"meili-telemetry","version":"{v}"}}}}}}],"#,
            r#""sentAt":"{sent}"}}"#
        ),
        uid = t.instance_uid(),
        id = message_id,
        ts = timestamp,
        v = env!("CARGO_PKG_VERSION"),
        sent = sent_at,
    );
    assert_eq!(body, expected);

    let again = flush(&t).await;
    assert_eq!(again["attempts"], 0, "nothing left to send");
    assert_eq!(received(&endpoint).await.len(), 1);
}

#[wasm_bindgen_test]
async fn a_failed_send_keeps_the_batch_and_its_message_id() {
    let endpoint = channel("retry");
    http(
        "POST",
        &format!("{endpoint}/script"),
        Some(r#"{"status":503,"times":1}"#),
    )
    .await;
    let t = create(&endpoint).await;
    assert!(t
        .track("Dump Created".into(), JsValue::UNDEFINED, None)
        .is_undefined());

    let first = flush(&t).await;
    assert_eq!(first["delivered"], 0);
    assert_eq!(first["status"], 503);
    assert!(first["error"].as_str().unwrap().contains("503"));
    // The backoff binds flushes too: nothing goes before it passes.
    if let Some(ms) = t.retry_in_ms() {
        assert_eq!(
            flush(&t).await["attempts"],
            0,
            "nothing sent inside the backoff"
        );
        sleep(ms as u32 + 10).await;
    }
    let second = flush(&t).await;
    assert_eq!(second["delivered"], 1, "{second}");

    let got = received(&endpoint).await;
    assert_eq!(got.len(), 2);
    let id = |i: usize| {
        let body: Json = serde_json::from_str(got[i]["body"].as_str().unwrap()).unwrap();
        body["batch"][0]["messageId"].as_str().unwrap().to_owned()
    };
    assert_eq!(id(0), id(1), "the retry carries the same messageId");
}

#[wasm_bindgen_test]
async fn an_unreachable_collector_resolves_with_an_error() {
    // Port 9 (discard) is closed on loopback: the fetch fails at the network level.
    let t = create("http://127.0.0.1:9").await;
    assert!(t
        .track("Dump Created".into(), JsValue::NULL, None)
        .is_undefined());
    let result = flush(&t).await;
    assert_eq!(result["delivered"], 0);
    assert_eq!(result["status"], Json::Null);
    assert!(result["error"]
        .as_str()
        .unwrap()
        .contains("could not be reached"));
    let stats = to_json(&t.stats());
    assert_eq!(stats["failedUploads"], 1);
    assert_eq!(stats["recorded"], 1);
}

async fn create_error(config: JsValue) -> String {
    let error = match Telemetry::create(config) {
        Ok(_) => panic!("the config should be rejected"),
        Err(e) => JsValue::from(e),
    };
    assert!(
        error.is_instance_of::<js_sys::Error>(),
        "a real Error object"
    );
    String::from(error.unchecked_into::<js_sys::Error>().message())
}

#[wasm_bindgen_test]
async fn invalid_configs_throw_errors_that_say_what_to_fix() {
    let cases: [(JsValue, &str); 10] = [
        (JsValue::UNDEFINED, "expects a config object"),
        (JsValue::from_f64(3.0), "config: invalid type: integer `3`, expected a config object"),
        (js(r#"{"writeKey":"k"}"#), "config.endpoint is required"),
        (
            js(r#"{"endpoint":42,"writeKey":"k"}"#),
            "config.endpoint: invalid type: floating point `42.0`, expected a string",
        ),
        (
            js(r#"{"endpoint":"127.0.0.1:8787","writeKey":"k"}"#),
            "must start with http:// or https://",
        ),
        (
            js(r#"{"endpoint":"http://127.0.0.1:8787"}"#),
            "config.writeKey is required",
        ),
        (
            js(r#"{"endpoint":"http://127.0.0.1:8787","writeKey":"k","flushIntervalMs":"1h"}"#),
            "config.flushIntervalMs: invalid type: string \"1h\", expected a whole number of milliseconds",
        ),
        (
            js(r#"{"endpiont":"http://x","writeKey":"k"}"#),
            "config.endpiont: unknown field `endpiont`, expected one of `endpoint`",
        ),
        (
            js(r#"{"endpoint":"http://127.0.0.1:8787","writeKey":"k","retry":5}"#),
            "config.retry: invalid type: integer `5`, expected an object such as { baseMs: 2000, capMs: 3600000 }",
        ),
        (
            js(r#"{"endpoint":"http://127.0.0.1:8787","writeKey":"k","consent":"no"}"#),
            "config.consent: invalid type: string \"no\", expected an object such as { serverAnalytics: false }",
        ),
    ];
    for (config, expected) in cases {
        let message = create_error(config).await;
        assert!(
            message.contains(expected),
            "{message:?} should mention {expected:?}"
        );
        assert!(message.starts_with("meili-telemetry: "), "{message}");
    }
}

fn kind_of(result: &JsValue) -> String {
    js_sys::Reflect::get(result, &"kind".into())
        .unwrap()
        .as_string()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn hostile_recording_inputs_are_rejected_and_counted_never_thrown() {
    let endpoint = channel("hostile");
    let t = create(&endpoint).await;
    let cyclic = js_eval("const a = { rename_used: true }; a.self = a; return a;");
    let throwing = js_eval("return { get rename_used() { throw new Error('boom'); } };");
    let revoked = js_eval("const p = Proxy.revocable({}, {}); p.revoke(); return p.proxy;");
    let trap = js_eval("return new Proxy({}, { ownKeys() { throw new Error('trap'); } });");
    let huge = JsValue::from_str(&"x".repeat(5_000_000));
    let huge_props = js_eval("return { rename_used: 'y'.repeat(5000000) };");
    let many = js_eval("const o = {}; for (let i = 0; i < 100000; i++) o['k' + i] = i; return o;");
    let function = js_eval("return () => ({ rename_used: true });");
    // What the rejections of unreadable bags say.
    let message_of = |props: JsValue| {
        let result = t.track("Indexes Swapped".into(), props, None);
        js_sys::Reflect::get(&result, &"message".into())
            .unwrap()
            .as_string()
            .unwrap_or_default()
    };
    for (props, expected) in [
        (cyclic.clone(), "could not be serialized"),
        (throwing.clone(), "could not be serialized"),
        (huge_props.clone(), "longer than 65536 characters of JSON"),
        (
            function.clone(),
            "a value of type function cannot be recorded",
        ),
    ] {
        let message = message_of(props);
        assert!(
            message.contains(expected),
            "{message:?} should mention {expected:?}"
        );
    }
    let cases: Vec<(JsValue, JsValue, &str)> = vec![
        (JsValue::UNDEFINED, JsValue::UNDEFINED, "unknown_event"),
        (JsValue::NULL, JsValue::NULL, "unknown_event"),
        (JsValue::from_f64(42.0), js("{}"), "unknown_event"),
        (huge.clone(), JsValue::NULL, "unknown_event"),
        (
            "Indexes Swapped".into(),
            JsValue::from_f64(1.0),
            "malformed_input",
        ),
        (
            "Indexes Swapped".into(),
            "a string".into(),
            "malformed_input",
        ),
        ("Indexes Swapped".into(), cyclic, "malformed_input"),
        ("Indexes Swapped".into(), throwing, "malformed_input"),
        ("Indexes Swapped".into(), revoked, "malformed_input"),
        ("Indexes Swapped".into(), trap, "malformed_input"),
        ("Indexes Swapped".into(), huge_props, "malformed_input"),
        ("Indexes Swapped".into(), many, "malformed_input"),
        ("Indexes Swapped".into(), function, "malformed_input"),
        (
            "Indexes Swapped".into(),
            js(r#"{"q":"secret query"}"#),
            "unknown_property",
        ),
        (
            "Indexes Swapped".into(),
            js(r#"{"rename_used":"yes"}"#),
            "wrong_type",
        ),
        (
            "Indexes Swapped".into(),
            js(r#"{"swap_operation_number":-1}"#),
            "wrong_type",
        ),
        (
            "Indexes Swapped".into(),
            js(r#"{"swap_operation_number":1.5}"#),
            "wrong_type",
        ),
        (
            "Indexes Swapped".into(),
            js(r#"{"swap_operation_number":null}"#),
            "wrong_type",
        ),
    ];
    let n = cases.len();
    for (event, props, kind) in cases {
        let result = t.track(event, props, None);
        assert_eq!(kind_of(&result), kind);
    }
    // The module is alive and still records and sends; nothing rejected was queued.
    assert!(t
        .track(
            "Indexes Swapped".into(),
            js(r#"{"rename_used":true}"#),
            None
        )
        .is_undefined());
    let stats = to_json(&t.stats());
    let rejected: u64 = stats["rejected"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(
        rejected,
        n as u64 + 4,
        "the four message checks are rejections too"
    );
    assert_eq!(stats["recorded"], 1);
    assert_eq!(flush(&t).await["delivered"], 1);
    let got = received(&endpoint).await;
    let body = got[0]["body"].as_str().unwrap();
    assert!(body.contains(r#""properties":{"swap_operation_number":0,"rename_used":true,"user-agent":[],"requests":{"total_received":1}}"#), "{body}");
}
