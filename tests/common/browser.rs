//! Helpers of the browser tests (wasm32 only): JS values from JSON text, the loopback collector's
//! channels, plain HTTP through `fetch`, and creating and flushing a `Telemetry`.

use meili_telemetry::wasm::Telemetry;
use serde_json::Value as Json;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The loopback collector started by the test runner (`tests/support/loopback-collector.mjs`).
pub const COLLECTOR: &str = match option_env!("MEILI_TEST_COLLECTOR") {
    Some(url) => url,
    None => "http://127.0.0.1:18787",
};

pub fn js(json: &str) -> JsValue {
    js_sys::JSON::parse(json).expect("test JSON")
}

pub fn js_eval(body: &str) -> JsValue {
    js_sys::Function::new_no_args(body)
        .call0(&JsValue::NULL)
        .expect("test script")
}

pub fn channel(name: &str) -> String {
    // A fresh channel per run, so a rerun against a long-lived collector starts empty.
    let nonce = js_sys::Math::random().to_bits();
    format!("{COLLECTOR}/t/{name}-{nonce:x}")
}

pub async fn http(method: &str, url: &str, body: Option<&str>) -> String {
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    if let Some(body) = body {
        init.set_body(&JsValue::from_str(body));
    }
    let request = web_sys::Request::new_with_str_and_init(url, &init).unwrap();
    let window = web_sys::window().unwrap();
    let response: web_sys::Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .unwrap()
        .unchecked_into();
    JsFuture::from(response.text().unwrap())
        .await
        .unwrap()
        .as_string()
        .unwrap()
}

pub async fn received(endpoint: &str) -> Vec<Json> {
    let text = http("GET", &format!("{endpoint}/received"), None).await;
    serde_json::from_str::<Vec<Json>>(&text).unwrap()
}

pub async fn create(endpoint: &str) -> Telemetry {
    let config = js(&format!(
        r#"{{"endpoint":"{endpoint}","writeKey":"test-key"}}"#
    ));
    Telemetry::create(config)
        .await
        .map_err(JsValue::from)
        .expect("valid config")
}

/// A JS value as serde_json sees it (through `JSON.stringify`).
pub fn to_json(value: &JsValue) -> Json {
    let text = js_sys::JSON::stringify(value).unwrap().as_string().unwrap();
    serde_json::from_str(&text).unwrap()
}

pub async fn flush(t: &Telemetry) -> Json {
    to_json(
        &JsFuture::from(t.flush())
            .await
            .expect("flush never rejects"),
    )
}

/// Waits `ms` milliseconds (a `setTimeout` promise).
pub async fn sleep(ms: u32) {
    let promise = js_eval(&format!(
        "return new Promise((resolve) => setTimeout(resolve, {ms}));"
    ));
    let _ = JsFuture::from(js_sys::Promise::from(promise)).await;
}
