//! Consent in headless Chromium, with the loopback collector as the request log and
//! `localStorage` inspected directly: opted out by each source in turn (server flag, environment,
//! a misspelt environment, the server's report, the persisted choice, Do Not Track, Global
//! Privacy Control) means zero requests and zero storage keys written; an opt-out mid-session
//! purges what was queued and it is never sent; deletion is requested by instance UID even while
//! off; the UID persists across instances, forgivingly, and a corrupt one is replaced.
use super::support::*;
use crate::Telemetry;
use serde_json::Value as Json;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

const PREFIX: &str = "meili-telemetry.";

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// Our keys in `localStorage`, with their values, sorted.
fn stored() -> Vec<(String, String)> {
    let s = storage();
    let mut out = Vec::new();
    for i in 0..s.length().unwrap() {
        let key = s.key(i).unwrap().unwrap();
        if key.starts_with(PREFIX) {
            out.push((key.clone(), s.get_item(&key).unwrap().unwrap()));
        }
    }
    out.sort();
    out
}

fn clear() {
    for (key, _) in stored() {
        storage().remove_item(&key).unwrap();
    }
    js_eval("delete navigator.doNotTrack; delete navigator.globalPrivacyControl;");
}

async fn create_with(endpoint: &str, extra: &str) -> Telemetry {
    let config = js(&format!(
        r#"{{"endpoint":"{endpoint}","writeKey":"test-key"{extra}}}"#
    ));
    Telemetry::create(config)
        .map_err(JsValue::from)
        .expect("valid config")
}

/// Records through both APIs, previews, flushes; returns what the collector received.
async fn exercise(t: &Telemetry, endpoint: &str) -> (Json, Json, Vec<Json>) {
    assert!(t
        .track("Dump Created".into(), JsValue::NULL, None)
        .is_undefined());
    let request = r#"{"method":"POST","path":"/indexes/movies/search","body":{"q":"x"},"response":{"status":200,"body":{"processingTimeMs":1}}}"#;
    assert!(t.record_json(request, None).is_undefined());
    let pending = to_json(&t.pending());
    let result = flush(t).await;
    (pending, result, received(endpoint).await)
}

#[wasm_bindgen_test]
async fn each_opt_out_source_means_no_request_and_no_storage_write() {
    let sources: [(&str, &str, &str, &str); 7] = [
        ("flag", r#","consent":{"serverArgs":["--no-analytics"]}"#, "", "server_flag"),
        ("env", r#","consent":{"noAnalyticsEnv":"true"}"#, "", "server_env"),
        ("misspelt env", r#","consent":{"noAnalyticsEnv":"TRUE"}"#, "", "invalid_server_setting"),
        ("server report", r#","consent":{"serverAnalytics":false}"#, "", "server_reports_disabled"),
        ("persisted choice", "", "localStorage.setItem('meili-telemetry.consent', 'opted-out');", "user_opted_out"),
        ("DNT", "", "Object.defineProperty(navigator, 'doNotTrack', { value: '1', configurable: true });", "do_not_track"),
        ("GPC", "", "Object.defineProperty(navigator, 'globalPrivacyControl', { value: true, configurable: true });", "global_privacy_control"),
    ];
    for (name, options, setup, reason) in sources {
        clear();
        js_eval(setup);
        let before = stored();
        let endpoint = channel(&format!("off-{}", name.replace(' ', "-")));
        let t = create_with(&endpoint, options).await;
        let consent = to_json(&t.consent());
        assert_eq!(consent["enabled"], false, "{name}: {consent}");
        assert_eq!(consent["reason"], reason, "{name}");
        assert_eq!(
            consent["error"].is_string(),
            reason == "invalid_server_setting",
            "{name}"
        );
        let (pending, result, got) = exercise(&t, &endpoint).await;
        assert_eq!(pending, serde_json::json!({"batch": []}), "{name}");
        assert_eq!(result["attempts"], 0, "{name}: {result}");
        assert!(got.is_empty(), "{name}: the collector received {got:?}");
        assert_eq!(stored(), before, "{name}: storage was written");
        assert_eq!(to_json(&t.stats())["discardedWhileDisabled"], 2, "{name}");
    }
    clear();
}

#[wasm_bindgen_test]
async fn browser_signals_can_be_turned_off_by_the_host() {
    clear();
    js_eval("Object.defineProperty(navigator, 'doNotTrack', { value: '1', configurable: true });");
    let endpoint = channel("signals-off");
    let t = create_with(&endpoint, r#","consent":{"honorBrowserSignals":false}"#).await;
    assert_eq!(to_json(&t.consent())["enabled"], true);
    clear();
}

#[wasm_bindgen_test]
async fn opting_out_mid_session_purges_and_nothing_is_ever_sent() {
    clear();
    let endpoint = channel("mid-session");
    let t = create_with(&endpoint, "").await;
    assert_eq!(to_json(&t.consent())["reason"], "default");
    let uid = t.instance_uid();
    assert_eq!(
        stored(),
        vec![(format!("{PREFIX}instance-uid"), uid.clone())]
    );
    assert!(t
        .track("Dump Created".into(), JsValue::NULL, None)
        .is_undefined());
    assert_eq!(to_json(&t.pending())["batch"].as_array().unwrap().len(), 1);

    let out = to_json(&t.opt_out());
    assert_eq!(
        (out["changed"].clone(), out["enabled"].clone()),
        (Json::Bool(true), Json::Bool(false))
    );
    assert_eq!(to_json(&t.opt_out())["changed"], false, "idempotent");
    assert_eq!(
        stored(),
        vec![(format!("{PREFIX}consent"), "opted-out".into())]
    );
    assert_eq!(to_json(&t.pending()), serde_json::json!({"batch": []}));
    assert_eq!(flush(&t).await["attempts"], 0);
    assert!(
        received(&endpoint).await.is_empty(),
        "the purged data never left"
    );

    let back = to_json(&t.opt_in());
    assert_eq!(
        (back["changed"].clone(), back["reason"].clone()),
        (Json::Bool(true), Json::from("user_opted_in"))
    );
    assert!(t
        .track("Snapshot Created".into(), JsValue::NULL, None)
        .is_undefined());
    assert_eq!(flush(&t).await["delivered"], 1);
    let got = received(&endpoint).await;
    let body: Json = serde_json::from_str(got[0]["body"].as_str().unwrap()).unwrap();
    let events: Vec<&str> = body["batch"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["event"].as_str().unwrap())
        .collect();
    assert_eq!(events, ["Snapshot Created"], "on starts clean");
    clear();
}

#[wasm_bindgen_test]
async fn deletion_is_requested_by_uid_even_while_off() {
    clear();
    let endpoint = channel("deletion");
    let t = create_with(&endpoint, r#","consent":{"serverArgs":["--no-analytics"]}"#).await;
    let uid = t.instance_uid();
    let result = request_deletion(&t).await;
    assert_eq!(result["status"], 200, "{result}");
    assert_ne!(result["instanceUid"], uid.as_str(), "the UID is forgotten");
    let got = received(&endpoint).await;
    assert_eq!(got.len(), 1);
    assert!(got[0]["path"].as_str().unwrap().ends_with("/v1/deletion"));
    let body: Json = serde_json::from_str(got[0]["body"].as_str().unwrap()).unwrap();
    assert_eq!(body["userId"], uid.as_str());
    assert!(stored().is_empty(), "still nothing stored while off");
}

#[wasm_bindgen_test]
async fn the_uid_persists_forgivingly_and_a_corrupt_one_is_replaced() {
    clear();
    let endpoint = channel("uid");
    let first = create_with(&endpoint, "").await.instance_uid();
    assert_eq!(
        create_with(&endpoint, "").await.instance_uid(),
        first,
        "same identity after a reload"
    );
    storage()
        .set_item(&format!("{PREFIX}instance-uid"), &format!(" {first}\n"))
        .unwrap();
    assert_eq!(
        create_with(&endpoint, "").await.instance_uid(),
        first,
        "whitespace is forgiven"
    );
    storage()
        .set_item(&format!("{PREFIX}instance-uid"), "corrupt")
        .unwrap();
    let t = create_with(&endpoint, "").await;
    assert_ne!(t.instance_uid(), first);
    assert_eq!(to_json(&t.stats())["corruptUidReplaced"], 1);
    assert_eq!(
        stored(),
        vec![(format!("{PREFIX}instance-uid"), t.instance_uid())]
    );
    let none = create_with(&endpoint, r#","storage":"none""#).await;
    assert_ne!(
        none.instance_uid(),
        t.instance_uid(),
        "storage: none keeps nothing"
    );
    clear();
}

#[wasm_bindgen_test]
async fn dashboard_opened_carries_only_coarse_browser_traits() {
    clear();
    let endpoint = channel("opened");
    let t = create_with(&endpoint, "").await;
    assert!(t.record_opened("0.4.2".into(), None).is_undefined());
    let pending = to_json(&t.pending());
    let message = &pending["batch"][0];
    assert_eq!(message["event"], "Dashboard Opened");
    let props = &message["properties"];
    let ua = web_sys::window().unwrap().navigator().user_agent().unwrap();
    // The two engines the tests run in (Debian's Chromium and Firefox ESR).
    let expected_engine = if ua.contains("Firefox/") {
        "gecko"
    } else {
        "chromium"
    };
    assert_eq!(props["browser"]["engine"], expected_engine, "{ua}");
    assert_eq!(props["browser"]["os_family"], "linux");
    let cores = props["browser"]["cores"].as_i64().unwrap();
    assert!(cores.count_ones() == 1 && cores <= 64, "{cores}");
    let text = message.to_string();
    assert!(
        !text.contains("HeadlessChrome") && !text.contains(&ua[..20]),
        "{text}"
    );
    assert_eq!(
        message["context"],
        serde_json::json!({"ip": "0.0.0.0", "library": {"name": "meili-telemetry", "version": env!("CARGO_PKG_VERSION")}})
    );
    clear();
}
