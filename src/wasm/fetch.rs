//! The transport: an [`UploadRequest`] sent with the global `fetch` (browser or Node), its outcome
//! read back as a status code. Failures become outcomes, never exceptions.

use crate::delivery::{UploadOutcome, UploadRequest};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, Request, RequestInit, RequestMode, Response};

#[wasm_bindgen]
extern "C" {
    /// The global `fetch`, whatever the global object is (window, worker, Node).
    #[wasm_bindgen(catch, js_name = fetch)]
    fn global_fetch(request: &Request) -> Result<js_sys::Promise, JsValue>;
}

fn build(request: &UploadRequest) -> Result<Request, JsValue> {
    let headers = Headers::new()?;
    for (name, value) in &request.headers {
        headers.set(name, value)?;
    }
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_mode(RequestMode::Cors);
    init.set_headers(&headers);
    init.set_body(&JsValue::from_str(&request.body));
    Request::new_with_str_and_init(&request.url, &init)
}

/// Sends the request; a network error, a blocked request or a missing `fetch` is `NetworkError`.
/// Also returns the answer's `Retry-After` header, if any.
pub(crate) async fn send(request: &UploadRequest) -> (UploadOutcome, Option<String>) {
    let Ok(promise) = build(request).and_then(|r| global_fetch(&r)) else {
        return (UploadOutcome::NetworkError, None);
    };
    match JsFuture::from(promise).await {
        Ok(response) => match response.dyn_into::<Response>() {
            Ok(response) => {
                let retry_after = response.headers().get("Retry-After").ok().flatten();
                (UploadOutcome::Status(response.status()), retry_after)
            }
            Err(_) => (UploadOutcome::NetworkError, None),
        },
        Err(_) => (UploadOutcome::NetworkError, None),
    }
}
