//! The fetch wrapper (`src/wasm/js/instrument.js`) in headless Chromium, against the loopback
//! server answering like Meilisearch from recorded fixtures: callers get exactly what `fetch`
//! gives (successes, API errors, a timeout, a non-JSON answer, a dropped connection), and the
//! telemetry records what the server would, plus the dashboard's errors by kind — and nothing
//! of the requests' content reaches the batch.
use super::support::*;
use crate::Telemetry;
use serde_json::Value as Json;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

#[wasm_bindgen(module = "/js/instrument.js")]
extern "C" {
    #[wasm_bindgen(js_name = instrumentFetch, catch)]
    fn instrument_fetch(
        observe: &JsValue,
        fetch: &JsValue,
        options: &JsValue,
    ) -> Result<js_sys::Function, JsValue>;
}

#[wasm_bindgen(module = "/js/read.js")]
extern "C" {
    /// The engine's half of the wrapper: what the front saw, its clones read.
    #[wasm_bindgen(js_name = readObserved)]
    fn read_observed(seen: &JsValue) -> js_sys::Promise;
}

/// `read.js` imports the headers it passes on from the generated `core-data.js` (declared here so
/// that wasm-bindgen ships that module beside `read.js`).
#[wasm_bindgen(module = "/js/core-data.js")]
extern "C" {
    #[wasm_bindgen(thread_local_v2, js_name = REQUEST_HEADERS)]
    static PASSED_ON_HEADERS: js_sys::Array;
}

#[wasm_bindgen_test]
fn the_wrapper_passes_on_the_headers_the_core_reads() {
    let passed: Vec<String> =
        PASSED_ON_HEADERS.with(|list| list.iter().map(|name| name.as_string().unwrap()).collect());
    assert_eq!(passed, meili_telemetry_core::observe::REQUEST_HEADERS);
}

const MEILI_CLIENT: &str = "Meilisearch mini-dashboard (v0.4.2) ; Meilisearch JavaScript (v0.57.0)";

/// Calls `fetch(url, init)` and settles: `Ok((status, text))` or `Err(error name)`.
async fn call(fetch: &js_sys::Function, url: &str, init: &str) -> Result<(u16, String), String> {
    let init = js_eval(&format!("return {init};"));
    let promise = fetch
        .call2(&JsValue::NULL, &JsValue::from_str(url), &init)
        .unwrap();
    match JsFuture::from(js_sys::Promise::from(promise)).await {
        Ok(response) => {
            let response: web_sys::Response = response.unchecked_into();
            let text = JsFuture::from(response.text().unwrap()).await.unwrap();
            Ok((response.status(), text.as_string().unwrap()))
        }
        Err(error) => Err(js_sys::Reflect::get(&error, &"name".into())
            .ok()
            .and_then(|n| n.as_string())
            .unwrap_or_default()),
    }
}

fn stat(t: &Telemetry, name: &str) -> i64 {
    to_json(&t.stats())[name].as_i64().unwrap_or(-1)
}

#[wasm_bindgen_test]
async fn the_wrapper_is_transparent_and_records_what_the_server_would() {
    let endpoint = channel("instrument");
    let telemetry = Rc::new(create(&endpoint).await);
    let recorder = Rc::clone(&telemetry);
    let record = Closure::<dyn Fn(JsValue)>::new(move |seen: JsValue| {
        // What the engine chunk does with what the front saw: read its clones, serialize the
        // request, hand the text to the engine.
        let recorder = Rc::clone(&recorder);
        let read = read_observed(&seen);
        wasm_bindgen_futures::spawn_local(async move {
            let request = JsFuture::from(read).await.unwrap_or(JsValue::NULL);
            if !request.is_null() {
                let text = js_sys::JSON::stringify(&request)
                    .map(String::from)
                    .unwrap_or_default();
                recorder.record_json(&text, None);
            }
        });
    });
    let window_fetch = js_eval("return window.fetch.bind(window);");
    let host = format!("{COLLECTOR}/meili");
    let options = js(&format!(r#"{{"host":"{host}"}}"#));
    let wrapped =
        instrument_fetch(record.as_ref(), &window_fetch, &options).expect("a fetch wrapper");
    let plain: js_sys::Function = window_fetch.unchecked_into();
    let json_post = |body: &str| {
        format!(
            r#"{{method: "POST", headers: {{"Content-Type": "application/json", "X-Meilisearch-Client": "{MEILI_CLIENT}", "Authorization": "Bearer secret-api-key"}}, body: JSON.stringify({body})}}"#
        )
    };

    // Each call answers exactly as the unwrapped fetch does.
    let cases = [
        ("/indexes/movies/search", json_post(r#"{q: "avengers", limit: 20}"#)),
        ("/indexes/missing/search", json_post(r#"{q: "secret query"}"#)),
        ("/indexes/movies/settings", r#"{method: "PATCH", headers: {"Content-Type": "application/json"}, body: JSON.stringify({searchableAttributes: ["title"], rankingRules: ["words", "typo"]})}"#.to_string()),
        ("/indexes", "{}".to_string()),
        ("/health", "{}".to_string()),
    ];
    for (path, init) in &cases {
        let url = format!("{host}{path}");
        let through = call(&wrapped, &url, init).await;
        let direct = call(&plain, &url, init).await;
        assert_eq!(through, direct, "{path}");
    }
    let search = call(
        &wrapped,
        &format!("{host}/indexes/movies/search"),
        &json_post("{}"),
    )
    .await
    .unwrap();
    assert_eq!(search.0, 200);
    assert!(search.1.contains("\"processingTimeMs\":4"));
    assert_eq!(
        call(
            &wrapped,
            &format!("{host}/indexes/missing/search"),
            "{method: 'POST'}"
        )
        .await
        .unwrap()
        .0,
        404
    );
    let timeout = call(
        &wrapped,
        &format!("{host}/stats"),
        "{signal: AbortSignal.timeout(150)}",
    )
    .await;
    assert_eq!(
        timeout,
        Err("TimeoutError".into()),
        "a timeout rejects as it would without the wrapper"
    );
    let dropped = call(&wrapped, &format!("{host}/dumps"), "{method: 'POST'}").await;
    assert_eq!(
        dropped,
        Err("TypeError".into()),
        "a dropped connection rejects as fetch does"
    );
    // Outside the instance: same origin, other path; never looked at.
    let outside = call(&wrapped, &format!("{COLLECTOR}/t/elsewhere/received"), "{}").await;
    assert!(outside.is_ok());

    // Recording happens after the response, on a clone: wait for it (bounded).
    for _ in 0..100 {
        if stat(&telemetry, "recorded") >= 8 {
            break;
        }
        sleep(50).await;
    }
    // Through the wrapper: 2 searches, 2 searches of a missing index, the settings, `/indexes`
    // (not JSON), the timeout, the dropped dump: 8 requests fed an event; `/health` fed none.
    assert_eq!(
        stat(&telemetry, "recorded"),
        8,
        "{}",
        to_json(&telemetry.stats())
    );
    assert_eq!(stat(&telemetry, "ignoredRequests"), 1);

    let result = flush(&telemetry).await;
    assert_eq!(result["status"], 200, "{result}");
    let got = received(&endpoint).await;
    let body = got[0]["body"].as_str().unwrap();
    for secret in [
        "avengers", "secret", "movies", "missing", "title", "Bearer", "meili/",
    ] {
        assert!(
            !body.contains(secret),
            "{secret:?} reached the wire: {body}"
        );
    }
    let batch: Json = serde_json::from_str(body).unwrap();
    let event = |name: &str| -> Json {
        batch["batch"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["event"] == name)
            .unwrap_or_else(|| panic!("no {name} in {body}"))["properties"]
            .clone()
    };
    let searched = event("Documents Searched POST");
    assert_eq!(searched["requests"]["total_received"], 4);
    assert_eq!(searched["requests"]["total_succeeded"], 2);
    assert_eq!(searched["requests"]["total_failed"], 2);
    assert_eq!(searched["requests"]["99th_response_time"], "4");
    assert_eq!(searched["q"]["max_terms_number"], 2);
    assert_eq!(
        searched["user-agent"],
        serde_json::json!([
            "Meilisearch JavaScript (v0.57.0)",
            "Meilisearch mini-dashboard (v0.4.2)",
            "other"
        ])
    );
    let settings = event("Settings Updated");
    assert_eq!(settings["searchable_attributes"]["total"], 1);
    assert_eq!(settings["ranking_rules"]["typo_position"], 1);
    assert_eq!(event("Dump Created")["requests"]["total_received"], 1);
    let errors = event("Dashboard Errors");
    assert_eq!(errors["errors"]["not_found"], 2, "{errors}");
    assert_eq!(errors["errors"]["timeout"], 1);
    assert_eq!(errors["errors"]["network"], 1);
    assert_eq!(errors["errors"]["invalid_response"], 1);
    assert_eq!(errors["errors"]["unauthorized"], 0);
}

#[wasm_bindgen_test]
fn wrong_arguments_throw_errors_that_say_what_to_fix() {
    let record = Closure::<dyn Fn(JsValue) -> JsValue>::new(|_| JsValue::UNDEFINED);
    let error = instrument_fetch(record.as_ref(), &JsValue::NULL, &JsValue::UNDEFINED).unwrap_err();
    assert!(error.is_instance_of::<js_sys::Error>());
    let message = js_sys::Error::from(error).message().as_string().unwrap();
    assert!(message.contains("needs a fetch function"), "{message}");
    let fetch = js_eval("return window.fetch.bind(window);");
    let error =
        instrument_fetch(record.as_ref(), &fetch, &js(r#"{"host":"not a url"}"#)).unwrap_err();
    let message = js_sys::Error::from(error).message().as_string().unwrap();
    assert!(message.contains("options.host"), "{message}");
}
