//! Document events: fetches, deletions, additions and updates, and edits by function.
use super::declare::{flag, maximum, server, set_of, shaped, with_pipeline};
use super::{EventDef, MergeRule, Privacy, PropertyDef, ValueType};

/// Payload content types, reduced to their media type (parameters such as `charset` dropped);
/// anything else is `other`, a missing or unreadable header `unknown`.
pub(crate) const PAYLOAD_TYPES: &[&str] = &[
    "application/json",
    "application/x-ndjson",
    "text/csv",
    "other",
    "unknown",
];

/// Primary-key names common enough to carry no information about the data; any other name is
/// sent as `other`.
pub(crate) const PRIMARY_KEYS: &[&str] = &[
    "id", "uid", "_id", "ID", "Id", "objectID", "key", "sku", "other",
];

const FETCHED: [PropertyDef; 11] = [
    flag(
        "per_document_id",
        "`GET /indexes/{uid}/documents/{id}` was used.",
    ),
    flag("per_filter", "Some browse request gave a `filter`."),
    flag("with_vector_filter", "Some filter mentioned `_vectors`."),
    flag("sort", "Some browse request gave a `sort`."),
    flag(
        "vector.retrieve_vectors",
        "Some request set `retrieveVectors`.",
    )
    .literal(),
    maximum(
        "max_document_ids",
        "Largest number of `ids` asked in one request.",
    ),
    maximum(
        "pagination.max_limit",
        "Largest `limit` (browse default 20; 0 for a single document).",
    )
    .literal(),
    maximum("pagination.max_offset", "Largest `offset`.").literal(),
    shaped(
        "marker",
        ValueType::Null,
        MergeRule::Constant,
        Privacy::Constant,
        "Always null (an artefact of the server's serialization, kept for wire compatibility).",
        "null",
    ),
    super::declare::USER_AGENT,
    super::declare::TOTAL_RECEIVED,
];

const ADDED: [PropertyDef; 3] = [
    set_of(
        "payload_types",
        PAYLOAD_TYPES,
        "The payloads' `Content-Type` media types.",
        "[\"application/json\"]",
    ),
    set_of(
        "primary_key",
        PRIMARY_KEYS,
        "The `primaryKey` query parameters given, as a common name or `other`; `[]` when none.",
        "[\"id\"]",
    ),
    flag("index_creation", "The target index did not exist yet."),
];

pub(super) const EVENTS: &[EventDef] = &[
    server(
        "Documents Fetched GET",
        "Document reads: `GET /indexes/{uid}/documents/{id}` and `GET /indexes/{uid}/documents`. Dotted keys are literal keys, as the server sends them.",
        "Before the read runs (a missing document is still counted).",
        &FETCHED,
    ),
    server(
        "Documents Fetched POST",
        "Document reads with `POST /indexes/{uid}/documents/fetch`.",
        "Before the read runs.",
        &FETCHED,
    ),
    server(
        "Documents Deleted",
        "Document deletions, by the route used.",
        "Before the task is registered (invalid filters are counted).",
        with_pipeline![
            flag("per_document_id", "`DELETE /indexes/{uid}/documents/{id}` was used."),
            flag("clear_all", "`DELETE /indexes/{uid}/documents` was used."),
            flag("per_batch", "`POST /indexes/{uid}/documents/delete-batch` was used."),
            flag("per_filter", "`POST /indexes/{uid}/documents/delete` was used."),
        ],
    ),
    server(
        "Documents Added",
        "Document additions or replacements (`POST /indexes/{uid}/documents`).",
        "Before the payload is read or validated.",
        with_pipeline![ADDED[0], ADDED[1], ADDED[2]],
    ),
    server(
        "Documents Updated",
        "Document updates (`PUT /indexes/{uid}/documents`).",
        "Before the payload is read or validated.",
        with_pipeline![ADDED[0], ADDED[1], ADDED[2]],
    ),
    server(
        "Documents Edited By Function",
        "Documents edited with a function (`POST /indexes/{uid}/documents/edit`).",
        "Before the function is compiled and the filter validated.",
        with_pipeline![
            flag("filtered", "The body had a `filter`."),
            flag("with_context", "The body had a `context`."),
            flag("index_creation", "The target index did not exist."),
        ],
    ),
];
