//! Helpers of the browser tests (wasm32 only): JS values from JSON text, the loopback collector's
//! channels, plain HTTP through `fetch`, and creating and flushing a `Telemetry`.

use crate::Telemetry;
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
        .map_err(JsValue::from)
        .expect("valid config")
}

/// A JS value as serde_json sees it (through `JSON.stringify`).
pub fn to_json(value: &JsValue) -> Json {
    let text = js_sys::JSON::stringify(value).unwrap().as_string().unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Sends one upload the engine asks for (`{ url, headers, body }`) with `fetch`: the status
/// (`None` without an answer) and the `Retry-After` header.
pub async fn send(action: &JsValue) -> (Option<u16>, Option<String>) {
    let field = |name: &str| js_sys::Reflect::get(action, &name.into()).unwrap();
    let headers = web_sys::Headers::new().unwrap();
    for pair in js_sys::Array::from(&field("headers")).iter() {
        let pair = js_sys::Array::from(&pair);
        headers
            .set(
                &pair.get(0).as_string().unwrap(),
                &pair.get(1).as_string().unwrap(),
            )
            .unwrap();
    }
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&field("body"));
    let request =
        web_sys::Request::new_with_str_and_init(&field("url").as_string().unwrap(), &init).unwrap();
    match JsFuture::from(web_sys::window().unwrap().fetch_with_request(&request)).await {
        Ok(response) => {
            let response: web_sys::Response = response.unchecked_into();
            let retry_after = response.headers().get("Retry-After").ok().flatten();
            (Some(response.status()), retry_after)
        }
        Err(_) => (None, None),
    }
}

/// Sends everything recorded, as the JS sender's explicit flush does: `{ delivered, attempts,
/// status, error }`.
pub async fn flush(t: &Telemetry) -> Json {
    let (mut delivered, mut attempts, mut status, mut error) = (0, 0, Json::Null, Json::Null);
    loop {
        let action = t.flush_now();
        if js_sys::Reflect::get(&action, &"action".into())
            .unwrap()
            .as_string()
            .as_deref()
            != Some("send")
        {
            break;
        }
        let ids =
            js_sys::Array::from(&js_sys::Reflect::get(&action, &"ids".into()).unwrap()).length();
        let (answer, retry_after) = send(&action).await;
        t.upload_finished(answer, retry_after);
        attempts += 1;
        status = answer.map_or(Json::Null, Json::from);
        match answer {
            Some(200..=299) => delivered += ids,
            Some(code) => {
                error = Json::from(format!("the collector answered HTTP {code}"));
                break;
            }
            None => {
                error =
                    Json::from("the collector could not be reached; the batch is kept and retried");
                break;
            }
        }
    }
    serde_json::json!({ "delivered": delivered, "attempts": attempts, "status": status, "error": error })
}

/// Asks for the deletion of `t`'s data, as the JS `requestDeletion()` does.
pub async fn request_deletion(t: &Telemetry) -> Json {
    let (status, _) = send(&t.deletion_request()).await;
    to_json(&t.deletion_answered(status))
}

/// Waits `ms` milliseconds (a `setTimeout` promise).
pub async fn sleep(ms: u32) {
    let promise = js_eval(&format!(
        "return new Promise((resolve) => setTimeout(resolve, {ms}));"
    ));
    let _ = JsFuture::from(js_sys::Promise::from(promise)).await;
}
