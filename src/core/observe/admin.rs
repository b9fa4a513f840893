//! Administration events from raw requests: indexes, tasks, swaps, experimental features,
//! network, exports, chat completions and template rendering (reference sections 3.10–3.18).

use crate::prelude::*;

use super::documents::primary_key;
use super::fields::{as_u64, is_true, len};
use super::request::Request;
use crate::aggregate::Observation;
use crate::catalog::admin::CHAT_MODELS;
use crate::json::Json;

/// `Index Created` / `Index Updated`.
pub fn index(o: &mut Observation, request: &Request) {
    let keys = match request.field("primaryKey") {
        Some(Json::String(name)) => vec![Json::from(primary_key(name))],
        _ => Vec::new(),
    };
    o.value("primary_key", Json::Array(keys));
}

const TASK_FILTERS: &[(&str, &str)] = &[
    ("uids", "filtered_by_uid"),
    ("indexUids", "filtered_by_index_uid"),
    ("types", "filtered_by_type"),
    ("statuses", "filtered_by_status"),
    ("canceledBy", "filtered_by_canceled_by"),
    ("beforeEnqueuedAt", "filtered_by_before_enqueued_at"),
    ("afterEnqueuedAt", "filtered_by_after_enqueued_at"),
    ("beforeStartedAt", "filtered_by_before_started_at"),
    ("afterStartedAt", "filtered_by_after_started_at"),
    ("beforeFinishedAt", "filtered_by_before_finished_at"),
    ("afterFinishedAt", "filtered_by_after_finished_at"),
];

/// `Tasks Canceled` / `Tasks Deleted`: which filters had a concrete value (`*` does not count).
pub fn tasks(o: &mut Observation, request: &Request) {
    for (param, path) in TASK_FILTERS {
        let concrete = request
            .param(param)
            .is_some_and(|v| !v.is_empty() && v != "*");
        o.flag(path, concrete);
    }
}

/// `Indexes Swapped`.
pub fn swap(o: &mut Observation, request: &Request) {
    let swaps: &[Json] = match &request.body {
        Some(Json::Array(swaps)) => swaps,
        _ => &[],
    };
    o.number("swap_operation_number", swaps.len() as u64);
    o.flag(
        "rename_used",
        swaps.iter().any(|s| is_true(s.get("rename"))),
    );
}

/// The experimental features: their key in the request and response, and their property.
pub(super) const FEATURES: &[(&str, &str)] = &[
    ("metrics", "metrics"),
    ("logsRoute", "logs_route"),
    ("editDocumentsByFunction", "edit_documents_by_function"),
    ("containsFilter", "contains_filter"),
    ("dynamicSearchRules", "dynamic_search_rules"),
    ("network", "network"),
    ("getTaskDocumentsRoute", "get_task_documents_route"),
    ("taskQueueCompactionRoute", "task_queue_compaction_route"),
    ("compositeEmbedders", "composite_embedders"),
    ("chatCompletions", "chat_completions"),
    ("multimodal", "multimodal"),
    ("foreignKeys", "foreign_keys"),
    (
        "disableDocumentsFetchQueue",
        "disable_documents_fetch_queue",
    ),
    ("legacySearch", "legacy_search"),
    ("renderRoute", "render_route"),
];

/// `Experimental features Updated`: the resulting state, which the response carries (else the
/// request's values; a feature neither mentions counts as off).
pub fn experimental(o: &mut Observation, request: &Request) {
    let state = request
        .response_body()
        .filter(|_| request.succeeded())
        .or(request.body.as_ref());
    for (key, path) in FEATURES {
        o.value(path, Json::Bool(is_true(state.and_then(|s| s.get(key)))));
    }
}

/// `Network Updated`: the resulting network (the response), else the request's.
pub fn network(o: &mut Observation, request: &Request) {
    let state = request.response_body().or(request.body.as_ref());
    let remotes = len(state.and_then(|s| s.get("remotes")));
    o.value("network_size", Json::Int(remotes as i64));
    let has_self = state
        .and_then(|s| s.get("self"))
        .is_some_and(|v| *v != Json::Null);
    o.value("network_has_self", Json::Bool(has_self));
}

/// Whether `url`'s host ends with a Meilisearch Cloud domain (a suffix match, as the server's).
fn is_cloud(url: &str) -> bool {
    let Some((_, rest)) = url.split_once("://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or("");
    let host = host.split(':').next().unwrap_or("").to_ascii_lowercase();
    ["meilisearch.dev", "meilisearch.com", "meilisearch.io"]
        .iter()
        .any(|domain| host.ends_with(domain))
}

/// A `payloadSize` in bytes: a number, or a text with a unit (`"50 MiB"`, `"1kb"`).
fn byte_size(value: Option<&Json>) -> Option<u64> {
    if let Some(n) = as_u64(value) {
        return Some(n);
    }
    let Some(Json::String(text)) = value else {
        return None;
    };
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(text.len());
    let (number, unit) = text.split_at_checked(split)?;
    let number = crate::json::text::parse_decimal(number)?;
    let unit = unit.trim().to_ascii_lowercase();
    let factor: u64 = match unit.as_str() {
        "" | "b" => 1,
        "kb" => 1_000,
        "kib" => 1 << 10,
        "mb" => 1_000_000,
        "mib" => 1 << 20,
        "gb" => 1_000_000_000,
        "gib" => 1 << 30,
        _ => return None,
    };
    Some((number * factor as f64) as u64)
}

/// `Export Triggered`.
pub fn export(o: &mut Observation, request: &Request) {
    o.number("total_received", 1);
    o.flag("has_api_key", request.field("apiKey").is_some());
    let cloud = matches!(request.field("url"), Some(Json::String(url)) if is_cloud(url));
    o.ratio("avg_exports_meilisearch_cloud", u64::from(cloud), 1);
    let patterns: Vec<&Json> = match request.field("indexes") {
        Some(Json::Object(entries)) => entries.iter().map(|(_, v)| v).collect(),
        _ => Vec::new(),
    };
    o.ratio("avg_index_patterns", patterns.len() as u64, 1);
    let with_filter = patterns
        .iter()
        .filter(|p| p.get("filter").is_some_and(|f| *f != Json::Null))
        .count();
    o.ratio("avg_patterns_with_filter", with_filter as u64, 1);
    let overriding = patterns
        .iter()
        .filter(|p| is_true(p.get("overrideSettings")))
        .count();
    o.ratio("avg_patterns_with_override_settings", overriding as u64, 1);
    if let Some(bytes) = byte_size(request.field("payloadSize")) {
        o.ratio("avg_payload_size", bytes, 1);
    }
}

/// A chat model name reduced to its family from the closed list, else `other`.
fn model_family(model: &str) -> &'static str {
    let model = model.to_ascii_lowercase();
    let exact = CHAT_MODELS.iter().find(|m| **m == model);
    let family = || {
        ["claude", "mistral", "gemini", "llama"]
            .iter()
            .find(|f| model.contains(**f))
            .and_then(|f| CHAT_MODELS.iter().find(|m| *m == f))
    };
    exact.or_else(family).copied().unwrap_or("other")
}

/// `Chat Completion POST`.
pub fn chat(o: &mut Observation, request: &Request) {
    o.number("total_received", 1);
    if request.succeeded() {
        o.number("total_succeeded", 1);
    }
    if let Some(ms) = request.response.as_ref().and_then(|r| r.duration_ms) {
        o.number("time_spent.max", ms)
            .number("time_spent.min", ms)
            .ratio("time_spent.avg", ms, 1);
    }
    let messages = len(request.field("messages"));
    o.number("total_messages", messages);
    o.ratio("avg_messages_per_request", messages, 1);
    let streamed = is_true(request.field("stream"));
    o.number("total_streamed_requests", u64::from(streamed));
    o.number("total_non_streamed_requests", u64::from(!streamed));
    o.ratio("streaming_ratio", u64::from(streamed), 1);
    if let Some(Json::String(model)) = request.field("model") {
        o.vote("models_used", model_family(model));
    }
}

/// `Documents Rendered`.
pub fn render(o: &mut Observation, request: &Request) {
    if request.succeeded() {
        o.number("requests.total_succeeded", 1);
    }
    let template = request.field("template");
    o.flag(
        "template.inline",
        template.and_then(|t| t.get("inline")).is_some(),
    );
    o.flag(
        "template.id",
        template.and_then(|t| t.get("indexUid")).is_some(),
    );
    let input = request.field("input");
    o.flag(
        "input.inline",
        input.and_then(|i| i.get("inline")).is_some(),
    );
    o.flag("input.id", input.and_then(|i| i.get("id")).is_some());
    o.flag("input.omitted", input.is_none());
}
