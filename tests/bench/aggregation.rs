//! Native aggregation throughput (criterion): realistic search requests observed by the engine,
//! and the same requests read from their JSON text first, on one core.
//! Run: `cargo bench --bench aggregation`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use meili_telemetry::json::text::{parse, read};
use meili_telemetry::observe::{Observer, Request};
use meili_telemetry::platform::fakes::SeededEntropy;
use meili_telemetry::{Config, Engine};
use std::hint::black_box;

/// A dashboard-like mix: a plain query, a filtered and sorted one, a paged one, a failure.
const SEARCHES: [&str; 4] = [
    r#"{"method":"POST","path":"/indexes/movies/search","headers":{"X-Meilisearch-Client":"Meilisearch instant-meilisearch (v0.31.3) ; Meilisearch JavaScript (v0.57.0)"},"body":{"q":"star wars","limit":20,"attributesToHighlight":["*"],"highlightPreTag":"__ais-highlight__","highlightPostTag":"__/ais-highlight__","facets":["genre","year"]},"response":{"status":200,"body":{"processingTimeMs":3}}}"#,
    r#"{"method":"POST","path":"/indexes/movies/search","headers":{"X-Meilisearch-Client":"Meilisearch JavaScript (v0.57.0)"},"body":{"q":"alien","filter":"genre = horror AND year > 1979","sort":["year:desc"],"locales":["en"],"showRankingScore":true},"response":{"status":200,"body":{"processingTimeMs":12}}}"#,
    r#"{"method":"POST","path":"/indexes/movies/search","body":{"q":"dune","page":2,"hitsPerPage":25,"matchingStrategy":"all"},"response":{"status":200,"body":{"processingTimeMs":40}}}"#,
    r#"{"method":"POST","path":"/indexes/missing/search","body":{"q":"x"},"response":{"status":404}}"#,
];

fn engine() -> Engine {
    let config = Config::new("http://127.0.0.1:8787", "key").unwrap();
    Engine::new(config, 0, &mut SeededEntropy::new(1)).unwrap()
}

fn observe(c: &mut Criterion) {
    let requests: Vec<Request> = SEARCHES
        .iter()
        .map(|s| Request::from_value(&parse(s).unwrap()).unwrap())
        .collect();
    let mut group = c.benchmark_group("aggregation");
    group.throughput(Throughput::Elements(1));
    group.bench_function("observe a search request", |b| {
        let mut engine = engine();
        let mut i = 0u64;
        b.iter(|| {
            i += 1;
            let request = &requests[(i % 4) as usize];
            black_box(engine.observe(i, black_box(request), Observer::Server)).ok();
        })
    });
    group.bench_function("parse JSON text, then observe", |b| {
        let mut engine = engine();
        let mut i = 0u64;
        b.iter(|| {
            i += 1;
            let value = read(black_box(SEARCHES[(i % 4) as usize])).unwrap();
            let request = Request::from_owned(value).unwrap();
            black_box(engine.observe(i, &request, Observer::Server)).ok();
        })
    });
    group.finish();
}

criterion_group!(benches, observe);
criterion_main!(benches);
