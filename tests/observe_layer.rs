//! `ObserveLayer` at its edges, in process (a router called through tower, no socket): a body
//! that fails mid-stream (a client gone mid-request) reaches the handler as the same failure —
//! never as a shorter or empty body the handler would take for the request — and the request
//! is still observed, without its body; a streamed body of unknown size passes untouched.
mod collector_support;

use axum::body::{Body, Bytes, HttpBody};
use axum::http::{Request, StatusCode};
use axum::routing::post;
use axum::Router;
use collector_support::spawn_client;
use meili_telemetry::async_client::AsyncClient;
use meili_telemetry::observe_layer::ObserveLayer;
use meili_telemetry::platform::fakes::MemoryStorage;
use std::pin::Pin;
use std::task::{Context, Poll};
use tower::ServiceExt;

/// A body that announces 100 bytes, gives 5, then fails.
struct CutShort {
    sent: bool,
}

impl HttpBody for CutShort {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        if self.sent {
            return Poll::Ready(Some(Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionReset,
                "the client went away",
            ))));
        }
        self.sent = true;
        Poll::Ready(Some(Ok(http_body::Frame::data(Bytes::from_static(
            b"{\"q\":",
        )))))
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(100)
    }
}

fn telemetry() -> AsyncClient {
    // Nothing is sent: the interval is an hour away and the test never shuts down.
    spawn_client(
        "http://127.0.0.1:9",
        Box::new(MemoryStorage::default()),
        3_600_000,
    )
}

/// A search route whose handler reads the whole body and answers its length.
fn router(telemetry: &AsyncClient) -> Router {
    Router::new()
        .route(
            "/indexes/movies/search",
            post(|body: Bytes| async move { body.len().to_string() }),
        )
        .layer(ObserveLayer::new(telemetry.clone()))
}

#[tokio::test]
async fn a_body_cut_short_fails_for_the_handler_too_and_the_request_is_observed() {
    let telemetry = telemetry();
    let request = Request::post("/indexes/movies/search")
        .body(Body::new(CutShort { sent: false }))
        .unwrap();
    let response = router(&telemetry).oneshot(request).await.unwrap();
    assert_eq!(
        response.status(),
        StatusCode::BAD_REQUEST,
        "the handler failed to read the body (axum answers 400), as without the layer"
    );
    assert_eq!(telemetry.stats().recorded, 1, "observed, without its body");
}

#[tokio::test]
async fn a_streamed_body_passes_untouched() {
    let telemetry = telemetry();
    let chunks = ["{\"q\":", "\"star\"}"].map(|c| Ok::<_, std::io::Error>(Bytes::from(c)));
    let request = Request::post("/indexes/movies/search")
        .body(Body::from_stream(futures_util::stream::iter(chunks)))
        .unwrap();
    let response = router(&telemetry).oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let length = axum::body::to_bytes(response.into_body(), 100)
        .await
        .unwrap();
    assert_eq!(&length[..], b"12", "the handler read all 12 bytes");
    assert_eq!(telemetry.stats().recorded, 1);
}
