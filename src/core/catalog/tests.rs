//! Consistency of the declarations themselves.

use crate::prelude::*;

use super::validate::matches_format;
use super::*;
use alloc::collections::BTreeSet;

#[test]
fn event_names_and_paths_are_unique() {
    let names: BTreeSet<_> = events().iter().map(|e| e.name).collect();
    assert_eq!(names.len(), events().len());
    for e in events() {
        let paths: BTreeSet<_> = e.properties.iter().map(|p| p.path).collect();
        assert_eq!(paths.len(), e.properties.len(), "{}", e.name);
    }
}

#[test]
fn covers_the_servers_events_and_paths() {
    let server_tracks = events()
        .iter()
        .filter(|e| e.origin == Origin::Server && e.kind == EventKind::Track)
        .count();
    assert_eq!(server_tracks, 31, "30 aggregated events and Launched");
    let identify = event("Identify").unwrap();
    assert_eq!(
        identify.properties.len(),
        66,
        "65 traits and context.app.version"
    );
    let distinct: BTreeSet<_> = events()
        .iter()
        .filter(|e| e.origin == Origin::Server)
        .flat_map(|e| e.properties.iter().map(|p| p.path))
        .collect();
    assert!(
        distinct.len() >= 230,
        "{} distinct server paths",
        distinct.len()
    );
}

#[test]
fn every_string_is_closed() {
    for e in events() {
        for p in e.properties {
            let textual = matches!(
                p.value_type,
                ValueType::String | ValueType::StringArray | ValueType::CountMap
            );
            if textual {
                assert!(
                    matches!(p.privacy, Privacy::Vocabulary(_) | Privacy::Format(_)),
                    "{}.{} is free text",
                    e.name,
                    p.path
                );
            }
        }
    }
}

#[test]
fn pipeline_properties_end_every_aggregated_event() {
    for e in events()
        .iter()
        .filter(|e| e.kind == EventKind::Track && !e.properties.is_empty())
    {
        let pipeline: Vec<_> = e
            .properties
            .iter()
            .filter(|p| p.merge == MergeRule::Pipeline)
            .map(|p| p.path)
            .collect();
        assert_eq!(pipeline.len(), 2, "{}", e.name);
        assert!(pipeline.contains(&"user-agent") && pipeline.contains(&"requests.total_received"));
    }
}

#[test]
fn formats_accept_and_reject() {
    let cases: &[(TextFormat, &[&str], &[&str])] = &[
        (
            TextFormat::Version,
            &["1.50.0", "v0.57.0", "1.2.0-rc.1", "prototype-foo-3"],
            &["1.2", "", "1.2.3 ", "a.b.c", "1.2.3-"],
        ),
        (
            TextFormat::Decimal,
            &["0.00", "12.50"],
            &["NaN", "1.5", "1", ".50", "-1.00"],
        ),
        (
            TextFormat::IntegerText,
            &["0", "12"],
            &["", "1.0", "-1", " 1"],
        ),
        (
            TextFormat::ByteSize,
            &["100 MB", "10 KiB", "5 B", "1.5 GB"],
            &["100MB", "100 mb", "MB", "1 XB"],
        ),
        (
            TextFormat::ClientAgent,
            &[
                "other",
                "Meilisearch JavaScript (v0.57.0)",
                "Meilisearch mini-dashboard (v0.4.2)",
                "Meilisearch Laravel Scout",
                "Meilisearch .NET (v0.15.0)",
                "Meilisearch instant-meilisearch (v0.31.3)",
            ],
            &[
                "Mozilla/5.0 (X11; Linux x86_64)",
                "Meilisearch",
                "Meilisearch a@b.com (v1.0.0)",
                "Meilisearch JS (http://x)",
                "curl/8.0",
                "Meilisearch Johnsmith",
                "Meilisearch Acme Corp (v1.0.0)",
            ],
        ),
        (
            TextFormat::SortDirections,
            &["", "asc", "asc, desc"],
            &["price:asc", "asc,desc", "ASC"],
        ),
    ];
    for (format, good, bad) in cases {
        for s in *good {
            assert!(matches_format(*format, s), "{format:?} should accept {s:?}");
        }
        for s in *bad {
            assert!(
                !matches_format(*format, s),
                "{format:?} should reject {s:?}"
            );
        }
    }
}
