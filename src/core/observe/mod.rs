//! Observing raw Meilisearch requests: a request (method, path, query, headers, body) and its
//! response become the contribution of that request to its event, derived exactly as the server
//! derives it (reference section 3), then merged by the aggregator. This is the "record the raw
//! request" half of the API, shared by a Rust server and the browser's fetch wrapper.
mod admin;
mod documents;
mod fields;
mod replay;
mod request;
mod response_fields;
mod route;
mod search;
mod settings;
mod user_agent;

pub use replay::{replay, summary_lines};
pub use request::{query_pairs, Request, Response, REQUEST_HEADERS};
pub use response_fields::{response_fields, RESPONSE_FIELDS};
pub use route::Route;

use crate::aggregate::{Aggregates, Observation};
use crate::error::RecordError;
use crate::json::Json;

/// Who observes the request, which decides the event names of what is derived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Observer {
    /// The Meilisearch server (or a proxy in front of it): the server's events.
    Server,
    /// The dashboard in a browser: the server's events for the routes it calls (its searches are
    /// `Documents Searched POST/GET`), and its failed requests also as `Dashboard Errors`.
    Dashboard,
}

/// Merges one request, recorded at `now_ms`, into the aggregates it feeds: none for a route that
/// feeds no event (or a route counted only on success that failed), else its event's, plus
/// `Dashboard Errors` for a dashboard's failed request. Returns how many events it fed.
pub fn observe(
    request: &Request,
    observer: Observer,
    now_ms: u64,
    aggregates: &mut Aggregates,
) -> Result<usize, RecordError> {
    let mut fed = 0;
    if observer == Observer::Dashboard {
        if let Some(kind) = failure(request) {
            let mut errors = aggregates.observation(now_ms, "Dashboard Errors")?;
            errors
                .number(kind, 1)
                .clients(user_agent::client_header(request), user_agent::anonymize);
            errors.finish()?;
            fed += 1;
        }
    }
    let Some(route) = Route::recognize(&request.method, &request.path) else {
        return Ok(fed);
    };
    if route.counted_only_on_success() && !request.succeeded() {
        return Ok(fed);
    }
    let mut o = aggregates.observation(now_ms, route.event())?;
    o.clients(user_agent::client_header(request), user_agent::anonymize);
    derive(&mut o, request, route);
    o.finish()?;
    Ok(fed + 1)
}

fn derive(o: &mut Observation, request: &Request, route: Route) {
    use Route::*;
    let empty = Json::object();
    let post_body = request.body.as_ref().unwrap_or(&empty);
    match route {
        SearchGet => search::search(o, request, &request.query_as_body()),
        SearchPost => search::search(o, request, post_body),
        SimilarGet => search::similar(o, request, &request.query_as_body()),
        SimilarPost => search::similar(o, request, post_body),
        MultiSearch => search::multi_search(o, request),
        FacetSearch => search::facet_search(o, request),
        SettingsAll => settings::all(o, request),
        SettingsSection(name) => settings::section(o, request, name),
        DocumentGetOne | DocumentsBrowseGet | DocumentsFetchPost => {
            documents::fetched(o, request, route)
        }
        DocumentDeleteOne | DocumentsClear | DocumentsDeleteBatch | DocumentsDeleteByFilter => {
            documents::deleted(o, route)
        }
        DocumentsAdd | DocumentsUpdate => documents::added(o, request),
        DocumentsEdit => documents::edited(o, request),
        IndexCreate | IndexUpdate => admin::index(o, request),
        TasksCancel | TasksDelete => admin::tasks(o, request),
        SwapIndexes => admin::swap(o, request),
        ExperimentalFeatures => admin::experimental(o, request),
        Network => admin::network(o, request),
        Export => admin::export(o, request),
        ChatCompletion => admin::chat(o, request),
        RenderTemplate => admin::render(o, request),
        IndexCompact
        | WebhookCreate
        | WebhookUpdate
        | DynamicSearchRuleUpsert
        | DynamicSearchRuleDelete
        | DumpCreate
        | SnapshotCreate => {}
    }
}

/// The `Dashboard Errors` counter a failed request increments, if it failed.
fn failure(request: &Request) -> Option<&'static str> {
    let Some(response) = &request.response else {
        return Some("errors.network");
    };
    match (response.error.as_deref(), response.status) {
        (Some("timeout"), _) => Some("errors.timeout"),
        (_, None) => Some("errors.network"),
        (_, Some(401 | 403)) => Some("errors.unauthorized"),
        (_, Some(404)) => Some("errors.not_found"),
        (_, Some(400..=499)) => Some("errors.client"),
        (_, Some(500..=599)) => Some("errors.server"),
        (Some("invalid_json"), _) => Some("errors.invalid_response"),
        _ => None,
    }
}
