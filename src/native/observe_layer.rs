//! A `tower::Layer` for axum (and any tower stack over axum's `Body`) that observes every request
//! the server handles (feature `observe-layer`): method, path, query, the headers the
//! derivations read, the request body up to a limit, and the response's status, duration and
//! body up to the limit (its `processingTimeMs` and the other fields the derivations read). Each
//! request is handed to an [`AsyncClient`], which records it under a short lock: the handler never
//! waits on telemetry, and the network is the driving task's.
//!
//! A body is read only when its size is known and within the limit (a `Content-Length`, or a
//! response built from bytes); a streamed or larger one is passed through untouched and the
//! request recorded without it, as the browser's fetch wrapper does past its limit.

use crate::async_client::AsyncClient;
use crate::json::{self, Json};
use crate::observe::{query_pairs, Request, Response as Observed, REQUEST_HEADERS};
use axum::body::{Body, Bytes, HttpBody};
use axum::http::{header, HeaderMap, Request as HttpRequest, Response as HttpResponse};
use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;
use tower::{Layer, Service};

/// The largest body read, request or response (the browser's wrapper reads as much).
pub const DEFAULT_BODY_LIMIT: usize = 1 << 20;

/// What only the handler knows: its document addition created the index (`Documents Added`'s
/// `index_creation`). A handler answers with it among the response's extensions
/// (`response.extensions_mut().insert(IndexCreated)`); the layer reads it and takes it off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexCreated;

/// Observes every request of the service it wraps into `client`.
#[derive(Clone)]
pub struct ObserveLayer {
    client: AsyncClient,
    body_limit: usize,
}

impl ObserveLayer {
    pub fn new(client: AsyncClient) -> Self {
        Self {
            client,
            body_limit: DEFAULT_BODY_LIMIT,
        }
    }

    /// Bodies over `bytes` are not read (the request is recorded without them).
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }
}

impl<S> Layer<S> for ObserveLayer {
    type Service = Observe<S>;

    fn layer(&self, inner: S) -> Observe<S> {
        Observe {
            inner,
            client: self.client.clone(),
            body_limit: self.body_limit,
        }
    }
}

/// The service [`ObserveLayer`] wraps around another.
#[derive(Clone)]
pub struct Observe<S> {
    inner: S,
    client: AsyncClient,
    body_limit: usize,
}

/// The body's bytes when its size is known and within `limit`; else the body, untouched.
async fn read_within(body: Body, limit: usize) -> (Body, Option<Bytes>) {
    match body.size_hint().exact() {
        Some(size) if size <= limit as u64 => match axum::body::to_bytes(body, limit).await {
            Ok(bytes) => (Body::from(bytes.clone()), Some(bytes)),
            // The stream failed (a client gone mid-body): the handler reads the same failure,
            // never a shorter body.
            Err(error) => (failed(error), None),
        },
        _ => (body, None),
    }
}

/// A body whose reading fails with `error`.
fn failed(error: axum::Error) -> Body {
    Body::from_stream(futures_util::stream::once(
        async move { Err::<Bytes, _>(error) },
    ))
}

/// A JSON body, if it is one.
fn json_of(bytes: Option<&Bytes>) -> Option<Json<'static>> {
    let text = std::str::from_utf8(bytes?).ok()?;
    json::parse(text)
}

fn kept_headers(headers: &HeaderMap) -> Vec<(Cow<'static, str>, Cow<'static, str>)> {
    REQUEST_HEADERS
        .iter()
        .filter_map(|name| {
            let value = headers.get(*name)?.to_str().ok()?;
            Some((Cow::Borrowed(*name), Cow::Owned(value.to_owned())))
        })
        .collect()
}

impl<S> Service<HttpRequest<Body>> for Observe<S>
where
    S: Service<HttpRequest<Body>, Response = HttpResponse<Body>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
{
    type Response = HttpResponse<Body>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: HttpRequest<Body>) -> Self::Future {
        // The clone that was polled ready serves this call; the fresh clone waits for the next.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let client = self.client.clone();
        let limit = self.body_limit;
        Box::pin(async move {
            let started = Instant::now();
            let (parts, body) = request.into_parts();
            let (body, bytes) = read_within(body, limit).await;
            let method = parts.method.as_str().to_owned();
            let path = parts.uri.path().to_owned();
            let query = parts.uri.query().map(query_pairs).unwrap_or_default();
            let headers = kept_headers(&parts.headers);
            let response = inner.call(HttpRequest::from_parts(parts, body)).await?;
            let (mut parts, body) = response.into_parts();
            let index_creation = parts.extensions.remove::<IndexCreated>().is_some();
            let is_json = parts
                .headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("application/json"));
            let (body, response_bytes) = if is_json {
                read_within(body, limit).await
            } else {
                (body, None)
            };
            let observed = Request {
                method: method.into(),
                path: path.into(),
                query,
                headers,
                body: json_of(bytes.as_ref()),
                index_creation,
                response: Some(Observed {
                    status: Some(parts.status.as_u16()),
                    body: json_of(response_bytes.as_ref()),
                    duration_ms: Some(
                        u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
                    ),
                    error: None,
                }),
            };
            // A rejected request (an unknown route) is counted by the engine; never the host's
            // concern.
            let _ = client.observe(&observed);
            Ok(HttpResponse::from_parts(parts, body))
        })
    }
}
