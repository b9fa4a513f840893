//! The observing layer's cost per request (criterion): an axum router answering a search, called
//! in process (no socket) with and without `ObserveLayer` in front of it, on a current-thread
//! tokio runtime. The difference is what a server pays per request for its telemetry: reading
//! the bodies within the limit, parsing them, and recording under the client's lock.
//! Run: `cargo bench --bench layer`.

mod bench {
    use axum::body::Body;
    use axum::http::Request;
    use axum::routing::post;
    use axum::{Json, Router};
    use criterion::Criterion;
    use meili_telemetry::async_client::{AsyncClient, NoTransport};
    use meili_telemetry::native::{OsEntropy, SystemClock};
    use meili_telemetry::observe_layer::ObserveLayer;
    use meili_telemetry::{Client, Config};
    use serde_json::{json, Value};
    use std::hint::black_box;
    use tower::ServiceExt;

    const QUERY: &str =
        r#"{"q":"star wars","limit":20,"filter":"genre = scifi","facets":["genre","year"]}"#;

    async fn search(Json(query): Json<Value>) -> Json<Value> {
        Json(
            json!({ "hits": [{ "id": 1, "title": "Star Wars" }], "query": query["q"], "processingTimeMs": 3, "limit": 20, "offset": 0, "estimatedTotalHits": 1 }),
        )
    }

    fn request() -> Request<Body> {
        Request::post("/indexes/movies/search")
            .header("content-type", "application/json")
            .header("x-meilisearch-client", "Meilisearch JavaScript (v0.57.0)")
            .header("content-length", QUERY.len())
            .body(Body::from(QUERY))
            .unwrap()
    }

    pub fn run() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let router = Router::new().route("/indexes/{index}/search", post(search));
        let config = Config::new("http://127.0.0.1:9", "bench")
            .unwrap()
            .with_flush_interval_ms(604_800_000)
            .unwrap();
        let client = Client::new(config, SystemClock, OsEntropy, NoTransport).unwrap();
        let telemetry = runtime.block_on(async { AsyncClient::spawn(client) });
        let observed = router.clone().layer(ObserveLayer::new(telemetry.clone()));
        let mut criterion = Criterion::default().configure_from_args();
        let mut group = criterion.benchmark_group("layer");
        group.bench_function("search without the layer", |b| {
            b.iter(|| {
                runtime
                    .block_on(async { black_box(router.clone().oneshot(request()).await.unwrap()) })
            })
        });
        group.bench_function("search with ObserveLayer", |b| {
            b.iter(|| {
                runtime.block_on(async {
                    black_box(observed.clone().oneshot(request()).await.unwrap())
                })
            })
        });
        group.finish();
        criterion.final_summary();
        assert!(
            telemetry.stats().recorded > 0,
            "the layer recorded the searches"
        );
    }
}

fn main() {
    bench::run();
}
