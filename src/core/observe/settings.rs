//! `Settings Updated` from a settings request: `PATCH /indexes/{uid}/settings` computes every
//! section from its body (an absent section as "not set"); a sub-route computes only its own
//! section from its body (reference section 3.5). Only positions, counts, booleans and closed
//! values are kept: never an attribute name, a word or a synonym.

use crate::prelude::*;

use super::fields::{as_u64, len, strings};
use super::request::Request;
use crate::aggregate::Observation;
use crate::catalog::search::LOCALES;
use crate::catalog::settings::{EMBEDDER_SOURCES, PREFIX_SEARCH, PROXIMITY_PRECISIONS};
use crate::collections::SortedSet;
use crate::json::{Json, Value};

/// Each section: the `PATCH /settings` body key, the sub-route, and how it is observed.
type Section = fn(&mut Observation, Option<&Json>);
const SECTIONS: &[(&str, &str, Section)] = &[
    ("rankingRules", "ranking-rules", ranking_rules),
    ("searchableAttributes", "searchable-attributes", searchable),
    ("displayedAttributes", "displayed-attributes", displayed),
    ("sortableAttributes", "sortable-attributes", sortable),
    ("filterableAttributes", "filterable-attributes", filterable),
    ("foreignKeys", "foreign-keys", foreign_keys),
    (
        "distinctAttribute",
        "distinct-attribute",
        distinct_attribute,
    ),
    (
        "proximityPrecision",
        "proximity-precision",
        proximity_precision,
    ),
    ("typoTolerance", "typo-tolerance", typo_tolerance),
    ("faceting", "faceting", faceting),
    ("pagination", "pagination", pagination),
    ("stopWords", "stop-words", |o, v| {
        total(o, "stop_words.total", v)
    }),
    ("synonyms", "synonyms", |o, v| total(o, "synonyms.total", v)),
    ("embedders", "embedders", embedders),
    ("searchCutoffMs", "search-cutoff-ms", search_cutoff),
    (
        "localizedAttributes",
        "localized-attributes",
        localized_attributes,
    ),
    ("dictionary", "dictionary", |o, v| {
        total(o, "dictionary.total", v)
    }),
    ("separatorTokens", "separator-tokens", |o, v| {
        total(o, "separator_tokens.total", v)
    }),
    ("nonSeparatorTokens", "non-separator-tokens", |o, v| {
        total(o, "non_separator_tokens.total", v)
    }),
    ("facetSearch", "facet-search", facet_search),
    ("prefixSearch", "prefix-search", prefix_search),
    ("chat", "chat", |o, v| {
        o.flag("chat.set", v.is_some());
    }),
];

/// The whole body of `PATCH /settings`: every section.
pub fn all(o: &mut Observation, request: &Request) {
    for (key, _, observe) in SECTIONS {
        observe(o, request.field(key));
    }
}

/// One sub-route's body: only its section.
pub fn section(o: &mut Observation, request: &Request, sub_route: &str) {
    if let Some((_, _, observe)) = SECTIONS.iter().find(|(_, route, _)| *route == sub_route) {
        observe(o, request.body.as_ref());
    }
}

fn some<'v, 'a>(value: Option<&'v Json<'a>>) -> Option<&'v Json<'a>> {
    value.filter(|v| **v != Json::Null)
}

fn total(o: &mut Observation, path: &str, value: Option<&Json>) {
    if let Some(v) = some(value) {
        let n = match v {
            Json::Array(_) => strings(Some(v)).into_iter().collect::<SortedSet<_>>().len() as u64,
            _ => len(Some(v)),
        };
        o.value(path, Json::Int(n as i64));
    }
}

const RANKING_RULES: &[(&str, &str)] = &[
    ("words", "ranking_rules.words_position"),
    ("typo", "ranking_rules.typo_position"),
    ("proximity", "ranking_rules.proximity_position"),
    ("attribute", "ranking_rules.attribute_position"),
    ("attributeRank", "ranking_rules.attribute_rank_position"),
    ("wordPosition", "ranking_rules.word_position_position"),
    ("sort", "ranking_rules.sort_position"),
    ("exactness", "ranking_rules.exactness_position"),
];

fn ranking_rules(o: &mut Observation, value: Option<&Json>) {
    let Some(v) = some(value) else { return };
    let rules = strings(Some(v));
    for (rule, path) in RANKING_RULES {
        if let Some(position) = rules.iter().position(|r| r == rule) {
            o.value(path, Json::Int(position as i64));
        }
    }
    let directions: Vec<&str> = rules
        .iter()
        .filter_map(|r| match r.rsplit_once(':') {
            Some((_, d @ ("asc" | "desc"))) => Some(d),
            _ => None,
        })
        .collect();
    o.value("ranking_rules.values", Json::from(directions.join(", ")));
}

fn attribute_list(
    o: &mut Observation,
    value: Option<&Json>,
    prefix: &str,
    marker: &str,
    marker_path: &str,
) {
    let Some(v) = some(value) else { return };
    let names = strings(Some(v));
    let total = if prefix == "sortable_attributes" {
        names.iter().collect::<SortedSet<_>>().len() as u64
    } else {
        len(Some(v))
    };
    o.value(&[prefix, ".total"].concat(), Json::Int(total as i64));
    o.value(
        &[prefix, ".", marker_path].concat(),
        Json::Bool(names.contains(&marker)),
    );
}

fn searchable(o: &mut Observation, v: Option<&Json>) {
    attribute_list(o, v, "searchable_attributes", "*", "with_wildcard");
}

fn displayed(o: &mut Observation, v: Option<&Json>) {
    attribute_list(o, v, "displayed_attributes", "*", "with_wildcard");
}

fn sortable(o: &mut Observation, v: Option<&Json>) {
    attribute_list(o, v, "sortable_attributes", "_geo", "has_geo");
}

fn filterable(o: &mut Observation, value: Option<&Json>) {
    let Some(Json::Array(rules)) = some(value) else {
        return;
    };
    o.value("filterable_attributes.total", Json::Int(rules.len() as i64));
    let geo = rules
        .iter()
        .any(|r| matches!(r, Json::String(s) if s == "_geo"));
    let patterns = rules.iter().any(|r| matches!(r, Json::Object(_)));
    o.value("filterable_attributes.has_geo", Json::Bool(geo));
    o.value("filterable_attributes.has_patterns", Json::Bool(patterns));
}

fn foreign_keys(o: &mut Observation, value: Option<&Json>) {
    o.flag("foreign_keys.set", some(value).is_some());
    if let Some(v) = some(value) {
        o.value("foreign_keys.total", Json::Int(len(Some(v)) as i64));
    }
}

fn distinct_attribute(o: &mut Observation, value: Option<&Json>) {
    o.flag("distinct_attribute.set", some(value).is_some());
}

fn proximity_precision(o: &mut Observation, value: Option<&Json>) {
    o.flag("proximity_precision.set", some(value).is_some());
    if let Some(Json::String(p)) = some(value) {
        if PROXIMITY_PRECISIONS.contains(&&**p) {
            o.value("proximity_precision.value", Json::from(&**p));
        }
    }
}

fn typo_tolerance(o: &mut Observation, value: Option<&Json>) {
    let Some(v) = some(value) else { return };
    let enabled = v.get("enabled") != Some(&Json::Bool(false));
    o.value("typo_tolerance.enabled", Json::Bool(enabled));
    for (key, path) in [
        (
            "disableOnAttributes",
            "typo_tolerance.disable_on_attributes",
        ),
        ("disableOnWords", "typo_tolerance.disable_on_words"),
    ] {
        if let Some(list) = some(v.get(key)) {
            o.value(path, Json::Bool(len(Some(list)) > 0));
        }
    }
    let sizes = some(v.get("minWordSizeForTypos"));
    for (key, path) in [
        ("oneTypo", "typo_tolerance.min_word_size_for_one_typo"),
        ("twoTypos", "typo_tolerance.min_word_size_for_two_typos"),
    ] {
        if let Some(n) = as_u64(sizes.and_then(|s| s.get(key))) {
            o.value(path, Json::Int(n as i64));
        }
    }
}

fn faceting(o: &mut Observation, value: Option<&Json>) {
    let Some(v) = some(value) else { return };
    if let Some(n) = as_u64(v.get("maxValuesPerFacet")) {
        o.value("faceting.max_values_per_facet", Json::Int(n as i64));
    }
    if let Some(sort_by) = some(v.get("sortFacetValuesBy")) {
        let star_count = sort_by.get("*") == Some(&Json::from("count"));
        o.value(
            "faceting.sort_facet_values_by_star_count",
            Json::Bool(star_count),
        );
        o.value(
            "faceting.sort_facet_values_by_total",
            Json::Int(len(Some(sort_by)) as i64),
        );
    }
}

fn pagination(o: &mut Observation, value: Option<&Json>) {
    if let Some(n) = as_u64(some(value).and_then(|v| v.get("maxTotalHits"))) {
        o.value("pagination.max_total_hits", Json::Int(n as i64));
    }
}

fn embedders(o: &mut Observation, value: Option<&Json>) {
    let Some(Json::Object(entries)) = some(value) else {
        o.value("embedders.sources", Json::Array(Vec::new()));
        return;
    };
    let objects: Vec<&Json> = entries
        .iter()
        .map(|(_, e)| e)
        .filter(|e| matches!(e, Json::Object(_)))
        .collect();
    o.value("embedders.total", Json::Int(entries.len() as i64));
    let sources: Vec<Value> = EMBEDDER_SOURCES
        .iter()
        .filter(|s| {
            objects
                .iter()
                .any(|e| e.get("source") == Some(&Json::from(**s)))
        })
        .map(|s| Json::from(*s))
        .collect();
    o.value("embedders.sources", Json::Array(sources));
    let template = objects
        .iter()
        .any(|e| some(e.get("documentTemplate")).is_some());
    o.flag("embedders.document_template_used", template);
    if let Some(max) = objects
        .iter()
        .filter_map(|e| as_u64(e.get("documentTemplateMaxBytes")))
        .max()
    {
        o.number("embedders.document_template_max_bytes", max);
    }
    let binary = objects
        .iter()
        .any(|e| some(e.get("binaryQuantized")).is_some());
    o.flag("embedders.binary_quantization_used", binary);
}

fn search_cutoff(o: &mut Observation, value: Option<&Json>) {
    if let Some(n) = as_u64(some(value)) {
        o.value("search_cutoff_ms", Json::Int(n as i64));
    }
}

fn localized_attributes(o: &mut Observation, value: Option<&Json>) {
    let Some(Json::Array(rules)) = some(value) else {
        return;
    };
    let given: SortedSet<&str> = rules
        .iter()
        .flat_map(|rule| strings(rule.get("locales")))
        .collect();
    let locales: Vec<Value> = LOCALES
        .iter()
        .filter(|l| given.contains(*l))
        .map(|l| Json::from(*l))
        .collect();
    o.value("locales", Json::Array(locales));
}

fn facet_search(o: &mut Observation, value: Option<&Json>) {
    o.flag("facet_search.set", some(value).is_some());
    if let Some(Json::Bool(on)) = some(value) {
        o.value("facet_search.value", Json::Bool(*on));
    }
}

fn prefix_search(o: &mut Observation, value: Option<&Json>) {
    o.flag("prefix_search.set", some(value).is_some());
    if let Some(Json::String(p)) = some(value) {
        if PREFIX_SEARCH.contains(&&**p) {
            o.value("prefix_search.value", Json::from(&**p));
        }
    }
}
