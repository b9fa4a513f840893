//! Document events from raw requests: reads, deletions, additions and updates, edits by function
//! (reference sections 3.6–3.9). Content types and primary keys are reduced to closed lists.

use crate::prelude::*;

use super::fields::{is_true, len, limit_and_offset, visible_ascii, FilterFacts};
use super::request::Request;
use super::route::Route;
use crate::aggregate::Observation;
use crate::catalog::documents::{PAYLOAD_TYPES, PRIMARY_KEYS};
use crate::json::Json;

/// `Documents Fetched GET/POST`: one document, a browse with query parameters, or a fetch body.
pub fn fetched(o: &mut Observation, request: &Request, route: Route) {
    if route == Route::DocumentGetOne {
        o.flag("per_document_id", true);
        o.flag(
            "vector.retrieve_vectors",
            request.param("retrieveVectors") == Some("true"),
        );
        return;
    }
    let body = match route {
        Route::DocumentsFetchPost => request.body.clone().unwrap_or_else(Json::object),
        _ => request.query_as_body(),
    };
    if let Some(filter) = body.get("filter").filter(|f| **f != Json::Null) {
        o.flag("per_filter", true);
        o.flag(
            "with_vector_filter",
            FilterFacts::of(filter).mentions("_vectors"),
        );
    }
    o.flag("sort", body.get("sort").is_some_and(|s| *s != Json::Null));
    o.flag(
        "vector.retrieve_vectors",
        is_true(body.get("retrieveVectors")),
    );
    let ids = match body.get("ids") {
        Some(Json::String(list)) => list.split(',').filter(|s| !s.is_empty()).count() as u64,
        other => len(other),
    };
    o.number("max_document_ids", ids);
    limit_and_offset(o, &body);
}

/// `Documents Deleted`, by the route used.
pub fn deleted(o: &mut Observation, route: Route) {
    let path = match route {
        Route::DocumentDeleteOne => "per_document_id",
        Route::DocumentsClear => "clear_all",
        Route::DocumentsDeleteBatch => "per_batch",
        _ => "per_filter",
    };
    o.flag(path, true);
}

/// The media type of a `Content-Type` header, from the closed list.
fn payload_type(header: Option<&str>) -> &'static str {
    let Some(header) = header.filter(|h| visible_ascii(h)) else {
        return "unknown";
    };
    let media = header
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    PAYLOAD_TYPES
        .iter()
        .find(|t| **t == media && !matches!(**t, "other" | "unknown"))
        .copied()
        .unwrap_or("other")
}

/// A primary-key name from the closed list, else `other`.
pub fn primary_key(name: &str) -> &'static str {
    PRIMARY_KEYS
        .iter()
        .find(|k| **k == name)
        .copied()
        .unwrap_or("other")
}

/// `Documents Added` / `Documents Updated`.
pub fn added(o: &mut Observation, request: &Request) {
    let media = payload_type(request.header("content-type"));
    o.value("payload_types", Json::Array(vec![media.into()]));
    let keys = request
        .param("primaryKey")
        .map(primary_key)
        .into_iter()
        .map(Json::from)
        .collect();
    o.value("primary_key", Json::Array(keys));
    o.flag("index_creation", request.index_creation);
}

/// `Documents Edited By Function`.
pub fn edited(o: &mut Observation, request: &Request) {
    o.flag("filtered", request.field("filter").is_some());
    o.flag("with_context", request.field("context").is_some());
    o.flag("index_creation", request.index_creation);
}
