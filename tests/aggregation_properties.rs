//! Property tests of aggregation from raw requests:
//! - merging is associative for every event, and commutative for events whose properties merge
//!   by order-free rules (sums, maxima, ORs, unions, votes, ratios, sketches); `last` and
//!   `last-non-null` are order-dependent by definition, and the first timestamp is kept;
//! - aggregating requests in any split (per tab, per interval) and merging the parts equals
//!   aggregating them all at once;
//! - the sketch's p99 is within 1% of the exact p99 (the server's rank) on random, skewed,
//!   constant and adversarial latency sets.
use meili_telemetry::aggregate::{Aggregate, Aggregates, LatencySketch};
use meili_telemetry::observe::{observe, Observer, Request};
use meili_telemetry::Value;
use proptest::prelude::*;

fn obj(entries: Vec<(&str, Value)>) -> Value {
    Value::from(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect::<Vec<_>>(),
    )
}

fn maybe<T: std::fmt::Debug + Clone + 'static>(
    s: impl Strategy<Value = T>,
) -> impl Strategy<Value = Option<T>> {
    prop::option::weighted(0.5, s)
}

fn text_list(words: &'static [&'static str]) -> impl Strategy<Value = Value> {
    prop::collection::vec(prop::sample::select(words), 0..4)
        .prop_map(|w| Value::Array(w.into_iter().map(Value::from).collect()))
}

fn response() -> impl Strategy<Value = Value> {
    prop_oneof![
        (0u64..5_000, any::<bool>()).prop_map(|(ms, degraded)| obj(vec![
            ("status", Value::Int(200)),
            (
                "body",
                obj(vec![
                    ("processingTimeMs", Value::Int(ms as i64)),
                    ("degraded", degraded.into())
                ])
            ),
            ("durationMs", Value::Int(ms as i64 + 3)),
        ])),
        prop::sample::select(vec![400i64, 404, 500])
            .prop_map(|s| obj(vec![("status", Value::Int(s))])),
        Just(obj(vec![("error", "timeout".into())])),
    ]
}

fn search_body() -> impl Strategy<Value = Value> {
    (
        maybe("[a-z -]{0,20}"),
        maybe(prop_oneof![
            "[a-z =<>0-9]{1,12}( AND | OR )[a-z =0-9]{1,8}".prop_map(Value::from),
            text_list(&["a = 1", "b = 2 AND c = 3", "_geoRadius(1, 2, 3)"]),
        ]),
        maybe(text_list(&[
            "price:asc",
            "_geoPoint(1,2):desc",
            "year:desc",
        ])),
        maybe(0i64..500),
        maybe(1i64..10),
        maybe(prop::sample::select(vec!["last", "all", "frequency"])),
        maybe(text_list(&["en", "fr", "jpn", "cmn"])),
        maybe(text_list(&["genre", "year"])),
        any::<bool>(),
    )
        .prop_map(
            |(q, filter, sort, limit, page, strategy, locales, facets, score)| {
                let mut body = Value::object();
                if let Some(q) = q {
                    body.insert("q", q.into());
                }
                if let Some(f) = filter {
                    body.insert("filter", f);
                }
                if let Some(s) = sort {
                    body.insert("sort", s);
                }
                if let Some(l) = limit {
                    body.insert("limit", Value::Int(l));
                }
                if let Some(p) = page {
                    body.insert("page", Value::Int(p));
                }
                if let Some(m) = strategy {
                    body.insert("matchingStrategy", m.into());
                }
                if let Some(l) = locales {
                    body.insert("locales", l);
                }
                if let Some(f) = facets {
                    body.insert("facets", f);
                }
                body.insert("showRankingScore", score.into());
                body
            },
        )
}

/// A raw request of one of several families, all feeding `family`'s event.
fn request(family: usize) -> BoxedStrategy<Value> {
    let agents = prop::sample::select(vec![
        "Meilisearch JavaScript (v0.57.0)",
        "Meilisearch Python (v0.36.0)",
        "curl/8.5.0",
    ]);
    let with = move |method: &'static str, path: &'static str, body: BoxedStrategy<Value>| {
        (body, response(), agents.clone())
            .prop_map(move |(body, response, agent)| {
                obj(vec![
                    ("method", method.into()),
                    ("path", path.into()),
                    ("headers", obj(vec![("User-Agent", agent.into())])),
                    ("body", body),
                    ("response", response),
                ])
            })
            .boxed()
    };
    match family {
        0 => with("POST", "/indexes/m/search", search_body().boxed()),
        1 => with(
            "POST",
            "/multi-search",
            prop::collection::vec(prop::sample::select(vec!["a", "b", "c"]), 0..4)
                .prop_map(|uids| {
                    obj(vec![(
                        "queries",
                        Value::Array(
                            uids.into_iter()
                                .map(|u| obj(vec![("indexUid", u.into())]))
                                .collect(),
                        ),
                    )])
                })
                .boxed(),
        ),
        2 => with(
            "POST",
            "/indexes/m/facet-search",
            ("[a-d]", any::<bool>())
                .prop_map(|(name, q)| {
                    let mut b = obj(vec![("facetName", name.into())]);
                    if q {
                        b.insert("q", "x".into());
                    }
                    b
                })
                .boxed(),
        ),
        3 => with(
            "POST",
            "/chats/w/chat/completions",
            (
                prop::sample::select(vec!["gpt-4o", "claude-3", "private"]),
                0usize..4,
                any::<bool>(),
            )
                .prop_map(|(model, n, stream)| {
                    obj(vec![
                        ("model", model.into()),
                        ("messages", Value::Array(vec![Value::object(); n])),
                        ("stream", stream.into()),
                    ])
                })
                .boxed(),
        ),
        _ => with(
            "PATCH",
            "/indexes/m/settings",
            (
                maybe(text_list(&["words", "typo", "price:asc"])),
                maybe(text_list(&["a", "b", "*"])),
                maybe(any::<bool>()),
            )
                .prop_map(|(rules, searchable, facet)| {
                    let mut b = Value::object();
                    if let Some(r) = rules {
                        b.insert("rankingRules", r);
                    }
                    if let Some(s) = searchable {
                        b.insert("searchableAttributes", s);
                    }
                    if let Some(f) = facet {
                        b.insert("facetSearch", f.into());
                    }
                    b
                })
                .boxed(),
        ),
    }
}

/// `n` requests of one family, and whether that event's merge is order-free.
fn requests(n: std::ops::Range<usize>) -> impl Strategy<Value = (Vec<Value>, bool)> {
    (0usize..5).prop_flat_map(move |family| {
        (
            prop::collection::vec(request(family), n.clone()),
            Just(family != 4),
        )
    })
}

fn single(raw: &Value, at: u64) -> Aggregate {
    let request = Request::from_value(raw).unwrap();
    let mut aggregates = Aggregates::default();
    assert_eq!(
        observe(&request, Observer::Server, at, &mut aggregates),
        Ok(1)
    );
    let mut fed = aggregates.drain();
    assert_eq!(fed.len(), 1);
    fed.pop().unwrap()
}

fn bytes(aggregate: &Aggregate) -> String {
    aggregate.to_message().unwrap().body().to_json()
}

fn merged(mut parts: Vec<Aggregate>) -> Aggregate {
    let mut first = parts.remove(0);
    for part in parts {
        first.merge(part);
    }
    first
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn merge_is_associative_and_order_free_rules_commute((raw, order_free) in requests(3..4)) {
        let [a, b, c] = [single(&raw[0], 1), single(&raw[1], 2), single(&raw[2], 3)];
        let left = merged(vec![merged(vec![a.clone(), b.clone()]), c.clone()]);
        let right = merged(vec![a.clone(), merged(vec![b.clone(), c.clone()])]);
        prop_assert_eq!(bytes(&left), bytes(&right));
        prop_assert_eq!(left.first_recorded_ms(), 1);
        if order_free {
            prop_assert_eq!(bytes(&merged(vec![a.clone(), b.clone()])), bytes(&merged(vec![b, a])));
        }
    }

    #[test]
    fn aggregating_in_parts_then_merging_equals_aggregating_at_once(
        (raw, _) in requests(1..12),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..4),
    ) {
        let mut all = Aggregates::default();
        for (i, r) in raw.iter().enumerate() {
            all.add(single(r, i as u64));
        }
        let at_once = all.drain().pop().unwrap();

        let mut bounds: Vec<usize> = cuts.iter().map(|c| c.index(raw.len())).collect();
        bounds.extend([0, raw.len()]);
        bounds.sort_unstable();
        bounds.dedup();
        let parts: Vec<Aggregate> = bounds
            .windows(2)
            .map(|w| merged((w[0]..w[1]).map(|i| single(&raw[i], i as u64)).collect()))
            .collect();
        let in_parts = merged(parts);
        prop_assert_eq!(bytes(&in_parts), bytes(&at_once));
        prop_assert_eq!(in_parts.total_received(), raw.len() as u64);
        // And the sums are the sums: successes counted once each, whatever the split.
        let succeeded = raw
            .iter()
            .filter(|r| r.get("response").and_then(|x| x.get("status")) == Some(&Value::Int(200)))
            .count() as i64;
        let body = in_parts.to_message().unwrap().body();
        let counted = body
            .get("requests")
            .and_then(|r| r.get("total_succeeded"))
            .or_else(|| body.get("total_succeeded"));
        if let Some(counted) = counted {
            prop_assert_eq!(counted, &Value::Int(succeeded));
        }
    }

    #[test]
    fn sketch_p99_is_within_one_percent(latencies in prop_oneof![
        prop::collection::vec(0u64..10_000, 1..2_000),
        prop::collection::vec((0u32..22).prop_map(|e| (1u64 << e) - 1), 1..2_000),
        (0u64..3_600_000, 1usize..2_000).prop_map(|(v, n)| vec![v; n]),
        prop::collection::vec(prop_oneof![9 => Just(1u64), 1 => 100_000u64..3_600_000], 1..3_000),
        prop::collection::vec(0u64..3_600_000, 1..500),
    ]) {
        let mut sketch = LatencySketch::new();
        latencies.iter().for_each(|ms| sketch.record(*ms));
        let mut sorted = latencies.clone();
        sorted.sort_unstable();
        let exact = sorted[sorted.len() * 99 / 100];
        let got = sketch.p99().unwrap();
        prop_assert!(got.abs_diff(exact) as f64 <= 0.01 * exact as f64, "p99 {} vs exact {}", got, exact);
    }
}
