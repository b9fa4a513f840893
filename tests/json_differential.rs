//! The package's JSON reader and writer (`meili_telemetry::json`: what reads `track` property
//! bags, recorded requests and stored state, and writes the wire) checked differentially against
//! `serde_json::Value` on a generated corpus: every JSON value reads as the same value and is
//! written back to text that reads as the same value; arbitrary and mutated texts are accepted
//! and rejected exactly as serde_json accepts and rejects them; and the edge cases of numbers
//! are written back as the same number.
//!
//! Native only (proptest); the number cases are run in the browser by `browser_boundary.rs`.
#[path = "support/numbers.rs"]
mod numbers;
use meili_telemetry::json::{self, Json, Value};
use proptest::prelude::*;
use serde_json::Value as Reference;

/// Whether two values are the same JSON value: numbers compared by value (an `i64`, a `u64`
/// beyond it and an `f64` are the same number when they are equal; `-0` and `0` by sign too),
/// object keys as a set.
fn same(a: &Reference, b: &Reference) -> bool {
    match (a, b) {
        (Reference::Number(x), Reference::Number(y)) => same_number(x, y),
        (Reference::Array(x), Reference::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Reference::Object(x), Reference::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fn same_number(x: &serde_json::Number, y: &serde_json::Number) -> bool {
    match (x.as_i64(), y.as_i64(), x.as_u64(), y.as_u64()) {
        (Some(a), Some(b), _, _) => a == b,
        (_, _, Some(a), Some(b)) => a == b,
        _ => {
            let (a, b) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            a.to_bits() == b.to_bits() || (a == b && a != 0.0)
        }
    }
}

/// Every JSON value: all integers, every finite double (subnormals, zeros of both signs),
/// strings with escapes, controls and astral characters, nested arrays and objects.
fn any_json() -> impl Strategy<Value = Reference> {
    let number = prop_oneof![
        any::<i64>().prop_map(Reference::from),
        any::<u64>().prop_map(Reference::from),
        any::<f64>()
            .prop_filter("finite", |x| x.is_finite())
            .prop_map(Reference::from),
        prop::sample::select(vec![
            0.0,
            -0.0,
            5e-324,
            1e22,
            1.5e300,
            -1e-78,
            f64::MAX,
            f64::MIN_POSITIVE
        ])
        .prop_map(Reference::from),
    ];
    let leaf = prop_oneof![
        Just(Reference::Null),
        any::<bool>().prop_map(Reference::Bool),
        number,
        "(\\PC|[\"\\\\\u{0}-\u{1f}\u{7f}\u{2028}\u{1F600}])*".prop_map(Reference::String),
    ];
    leaf.prop_recursive(5, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Reference::Array),
            prop::collection::vec(("\\PC{0,8}", inner), 0..8)
                .prop_map(|entries| Reference::Object(entries.into_iter().collect())),
        ]
    })
}

/// Texts close to JSON: random runs of JSON's own characters, and valid documents with one
/// byte removed, doubled or replaced.
fn any_text() -> impl Strategy<Value = String> {
    let near = "[\\[\\]{}:,\" \\\\0-9eE.+\\-tfnrulsa\t\n\u{1}é]{0,24}";
    let mutated = (
        any_json(),
        any::<prop::sample::Index>(),
        0..3u8,
        any::<char>(),
    )
        .prop_map(|(value, at, how, c)| {
            let mut chars: Vec<char> = serde_json::to_string(&value).unwrap().chars().collect();
            let at = at.index(chars.len() + 1);
            match how {
                0 if at < chars.len() => {
                    chars.remove(at);
                }
                1 if at < chars.len() => chars.insert(at, chars[at]),
                _ if at < chars.len() => chars[at] = c,
                _ => chars.push(c),
            }
            chars.into_iter().collect()
        });
    prop_oneof![near.prop_map(String::from), mutated]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn every_value_reads_and_writes_back_the_same(value in any_json()) {
        let text = serde_json::to_string(&value).unwrap();
        let read = json::parse(&text).expect("valid JSON is read");
        prop_assert!(same(&Reference::from(&read), &value), "{text} read as {read:?}");
        // Borrowed or owned, the same value.
        prop_assert_eq!(json::read(&text).unwrap(), read.clone());
        let written = read.to_json();
        let back: Reference = serde_json::from_str(&written).expect("what is written is JSON");
        prop_assert!(same(&back, &value), "{text} written back as {written}");
        // And it is a fixed point: read again, written again, the same bytes.
        prop_assert_eq!(json::parse(&written).unwrap().to_json(), written);
    }

    #[test]
    fn texts_are_accepted_and_rejected_as_serde_json_does(text in any_text()) {
        let ours = json::parse(&text);
        let reference = serde_json::from_str::<Reference>(&text);
        prop_assert_eq!(ours.is_some(), reference.is_ok(), "{:?}: ours {:?}, serde_json {:?}", text, ours, reference);
        if let (Some(ours), Ok(reference)) = (ours, reference) {
            prop_assert!(same(&Reference::from(&ours), &reference), "{:?}", text);
        }
    }
}

#[test]
fn the_edge_cases_of_numbers_are_written_back_as_the_same_number() {
    for &text in numbers::EDGE_CASES {
        let read = json::parse(text).unwrap();
        let written = read.to_json();
        let expected: f64 = text.parse().unwrap();
        let back = match json::parse(&written).unwrap() {
            Json::Int(n) => n as f64,
            Json::Float(x) => x,
            other => panic!("{text} written as {written}, read back as {other:?}"),
        };
        assert_eq!(back.to_bits(), expected.to_bits(), "{text} → {written}");
        // Integers that fit are kept digit for digit.
        // (`-0` is the negative zero, a double, for serde_json as for JavaScript.)
        if let Ok(n) =
            text.parse::<i64>()
                .map_err(drop)
                .and_then(|n| if text == "-0" { Err(()) } else { Ok(n) })
        {
            assert_eq!(written, n.to_string(), "{text}");
        }
        // What serde_json reads from our text is what it reads from the original.
        let reference: Reference = serde_json::from_str(text).unwrap();
        let from_ours: Reference = serde_json::from_str(&written).unwrap();
        assert!(same(&reference, &from_ours), "{text} → {written}");
    }
    // The negative zero keeps its sign.
    assert_eq!(Value::Float(-0.0).to_json(), "-0.0");
    assert_eq!(json::parse("-0"), Some(Value::Float(-0.0)));
}

#[test]
fn values_convert_to_and_from_serde_json() {
    let text = r#"{"b":[1,-2,1.5,null,true,"é"],"a":{"x":9007199254740993}}"#;
    let ours = json::parse(text).unwrap();
    let reference: Reference = serde_json::from_str(text).unwrap();
    assert!(same(&Reference::from(&ours), &reference));
    // serde_json's map is sorted; ours keeps the text's order: the same value.
    let back = Value::from(reference.clone());
    assert!(same(&Reference::from(&back), &reference));
    assert_eq!(back.get("a"), ours.get("a"));
}
