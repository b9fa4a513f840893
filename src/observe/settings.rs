//! `Settings Updated` from a settings request: `PATCH /indexes/{uid}/settings` computes every
//! section from its body (an absent section as "not set"); a sub-route computes only its own
//! section from its body (reference section 3.5). Only positions, counts, booleans and closed
//! values are kept: never an attribute name, a word or a synonym.

use super::fields::{as_u64, len, strings};
use super::request::Request;
use crate::aggregate::Observation;
use crate::catalog::search::LOCALES;
use crate::catalog::settings::{EMBEDDER_SOURCES, PREFIX_SEARCH, PROXIMITY_PRECISIONS};
use crate::collections::SortedSet;
use crate::json::Value;

/// Each section: the `PATCH /settings` body key, the sub-route, and how it is observed.
type Section = fn(&mut Observation, Option<&Value>);
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

fn some(value: Option<&Value>) -> Option<&Value> {
    value.filter(|v| **v != Value::Null)
}

fn total(o: &mut Observation, path: &str, value: Option<&Value>) {
    if let Some(v) = some(value) {
        let n = match v {
            Value::Array(_) => strings(Some(v)).into_iter().collect::<SortedSet<_>>().len() as u64,
            _ => len(Some(v)),
        };
        o.value(path, Value::Int(n as i64));
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

fn ranking_rules(o: &mut Observation, value: Option<&Value>) {
    let Some(v) = some(value) else { return };
    let rules = strings(Some(v));
    for (rule, path) in RANKING_RULES {
        if let Some(position) = rules.iter().position(|r| r == rule) {
            o.value(path, Value::Int(position as i64));
        }
    }
    let directions: Vec<&str> = rules
        .iter()
        .filter_map(|r| match r.rsplit_once(':') {
            Some((_, d @ ("asc" | "desc"))) => Some(d),
            _ => None,
        })
        .collect();
    o.value("ranking_rules.values", Value::from(directions.join(", ")));
}

fn attribute_list(
    o: &mut Observation,
    value: Option<&Value>,
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
    o.value(&format!("{prefix}.total"), Value::Int(total as i64));
    o.value(
        &format!("{prefix}.{marker_path}"),
        Value::Bool(names.contains(&marker)),
    );
}

fn searchable(o: &mut Observation, v: Option<&Value>) {
    attribute_list(o, v, "searchable_attributes", "*", "with_wildcard");
}

fn displayed(o: &mut Observation, v: Option<&Value>) {
    attribute_list(o, v, "displayed_attributes", "*", "with_wildcard");
}

fn sortable(o: &mut Observation, v: Option<&Value>) {
    attribute_list(o, v, "sortable_attributes", "_geo", "has_geo");
}

fn filterable(o: &mut Observation, value: Option<&Value>) {
    let Some(Value::Array(rules)) = some(value) else {
        return;
    };
    o.value(
        "filterable_attributes.total",
        Value::Int(rules.len() as i64),
    );
    let geo = rules
        .iter()
        .any(|r| matches!(r, Value::String(s) if s == "_geo"));
    let patterns = rules.iter().any(|r| matches!(r, Value::Object(_)));
    o.value("filterable_attributes.has_geo", Value::Bool(geo));
    o.value("filterable_attributes.has_patterns", Value::Bool(patterns));
}

fn foreign_keys(o: &mut Observation, value: Option<&Value>) {
    o.flag("foreign_keys.set", some(value).is_some());
    if let Some(v) = some(value) {
        o.value("foreign_keys.total", Value::Int(len(Some(v)) as i64));
    }
}

fn distinct_attribute(o: &mut Observation, value: Option<&Value>) {
    o.flag("distinct_attribute.set", some(value).is_some());
}

fn proximity_precision(o: &mut Observation, value: Option<&Value>) {
    o.flag("proximity_precision.set", some(value).is_some());
    if let Some(Value::String(p)) = some(value) {
        if PROXIMITY_PRECISIONS.contains(&p.as_str()) {
            o.value("proximity_precision.value", Value::from(p.as_str()));
        }
    }
}

fn typo_tolerance(o: &mut Observation, value: Option<&Value>) {
    let Some(v) = some(value) else { return };
    let enabled = v.get("enabled") != Some(&Value::Bool(false));
    o.value("typo_tolerance.enabled", Value::Bool(enabled));
    for (key, path) in [
        (
            "disableOnAttributes",
            "typo_tolerance.disable_on_attributes",
        ),
        ("disableOnWords", "typo_tolerance.disable_on_words"),
    ] {
        if let Some(list) = some(v.get(key)) {
            o.value(path, Value::Bool(len(Some(list)) > 0));
        }
    }
    let sizes = some(v.get("minWordSizeForTypos"));
    for (key, path) in [
        ("oneTypo", "typo_tolerance.min_word_size_for_one_typo"),
        ("twoTypos", "typo_tolerance.min_word_size_for_two_typos"),
    ] {
        if let Some(n) = as_u64(sizes.and_then(|s| s.get(key))) {
            o.value(path, Value::Int(n as i64));
        }
    }
}

fn faceting(o: &mut Observation, value: Option<&Value>) {
    let Some(v) = some(value) else { return };
    if let Some(n) = as_u64(v.get("maxValuesPerFacet")) {
        o.value("faceting.max_values_per_facet", Value::Int(n as i64));
    }
    if let Some(sort_by) = some(v.get("sortFacetValuesBy")) {
        let star_count = sort_by.get("*") == Some(&Value::from("count"));
        o.value(
            "faceting.sort_facet_values_by_star_count",
            Value::Bool(star_count),
        );
        o.value(
            "faceting.sort_facet_values_by_total",
            Value::Int(len(Some(sort_by)) as i64),
        );
    }
}

fn pagination(o: &mut Observation, value: Option<&Value>) {
    if let Some(n) = as_u64(some(value).and_then(|v| v.get("maxTotalHits"))) {
        o.value("pagination.max_total_hits", Value::Int(n as i64));
    }
}

fn embedders(o: &mut Observation, value: Option<&Value>) {
    let Some(Value::Object(entries)) = some(value) else {
        o.value("embedders.sources", Value::Array(Vec::new()));
        return;
    };
    let objects: Vec<&Value> = entries
        .iter()
        .map(|(_, e)| e)
        .filter(|e| matches!(e, Value::Object(_)))
        .collect();
    o.value("embedders.total", Value::Int(entries.len() as i64));
    let sources: Vec<Value> = EMBEDDER_SOURCES
        .iter()
        .filter(|s| {
            objects
                .iter()
                .any(|e| e.get("source") == Some(&Value::from(**s)))
        })
        .map(|s| Value::from(*s))
        .collect();
    o.value("embedders.sources", Value::Array(sources));
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

fn search_cutoff(o: &mut Observation, value: Option<&Value>) {
    if let Some(n) = as_u64(some(value)) {
        o.value("search_cutoff_ms", Value::Int(n as i64));
    }
}

fn localized_attributes(o: &mut Observation, value: Option<&Value>) {
    let Some(Value::Array(rules)) = some(value) else {
        return;
    };
    let given: SortedSet<&str> = rules
        .iter()
        .flat_map(|rule| strings(rule.get("locales")))
        .collect();
    let locales: Vec<Value> = LOCALES
        .iter()
        .filter(|l| given.contains(*l))
        .map(|l| Value::from(*l))
        .collect();
    o.value("locales", Value::Array(locales));
}

fn facet_search(o: &mut Observation, value: Option<&Value>) {
    o.flag("facet_search.set", some(value).is_some());
    if let Some(Value::Bool(on)) = some(value) {
        o.value("facet_search.value", Value::Bool(*on));
    }
}

fn prefix_search(o: &mut Observation, value: Option<&Value>) {
    o.flag("prefix_search.set", some(value).is_some());
    if let Some(Value::String(p)) = some(value) {
        if PREFIX_SEARCH.contains(&p.as_str()) {
            o.value("prefix_search.value", Value::from(p.as_str()));
        }
    }
}
