//! Track events of the Meilisearch server whose properties are plain flags and counts, declared
//! with their wire names, types and merge rules exactly as the server sends them.
//! (Every event also carries the pipeline's `user-agent` and `requests.total_received`.)

use super::{EventDef, EventKind, MergeRule, Origin, Privacy, PropertyDef, ValueType};

/// A boolean that is true when any merged request had it (merge: OR).
const fn flag(path: &'static str, description: &'static str) -> PropertyDef {
    PropertyDef {
        path,
        value_type: ValueType::Boolean,
        merge: MergeRule::Or,
        privacy: Privacy::Boolean,
        unit: None,
        description,
    }
}

/// A boolean that reflects the newest request only (merge: last).
const fn state(path: &'static str, description: &'static str) -> PropertyDef {
    PropertyDef {
        merge: MergeRule::Last,
        ..flag(path, description)
    }
}

/// A small integer of which the largest value seen is kept (merge: max).
const fn max_count(path: &'static str, description: &'static str) -> PropertyDef {
    PropertyDef {
        path,
        value_type: ValueType::Integer,
        merge: MergeRule::Max,
        privacy: Privacy::Bucketed,
        unit: None,
        description,
    }
}

const fn track(
    name: &'static str,
    description: &'static str,
    properties: &'static [PropertyDef],
) -> EventDef {
    EventDef {
        name,
        kind: EventKind::Track,
        origin: Origin::Server,
        description,
        properties,
    }
}

const TASK_FILTERS: &[PropertyDef] = &[
    flag(
        "filtered_by_uid",
        "The `uids` filter was given a concrete value.",
    ),
    flag(
        "filtered_by_index_uid",
        "The `indexUids` filter was given a concrete value.",
    ),
    flag(
        "filtered_by_type",
        "The `types` filter was given a concrete value.",
    ),
    flag(
        "filtered_by_status",
        "The `statuses` filter was given a concrete value.",
    ),
    flag(
        "filtered_by_canceled_by",
        "The `canceledBy` filter was given a concrete value.",
    ),
    flag(
        "filtered_by_before_enqueued_at",
        "The `beforeEnqueuedAt` filter was given a date.",
    ),
    flag(
        "filtered_by_after_enqueued_at",
        "The `afterEnqueuedAt` filter was given a date.",
    ),
    flag(
        "filtered_by_before_started_at",
        "The `beforeStartedAt` filter was given a date.",
    ),
    flag(
        "filtered_by_after_started_at",
        "The `afterStartedAt` filter was given a date.",
    ),
    flag(
        "filtered_by_before_finished_at",
        "The `beforeFinishedAt` filter was given a date.",
    ),
    flag(
        "filtered_by_after_finished_at",
        "The `afterFinishedAt` filter was given a date.",
    ),
];

pub(super) static EVENTS: &[EventDef] = &[
    track(
        "Documents Deleted",
        "Document deletions, by the route used.",
        &[
            flag(
                "per_document_id",
                "`DELETE /indexes/{uid}/documents/{id}` was used.",
            ),
            flag("clear_all", "`DELETE /indexes/{uid}/documents` was used."),
            flag(
                "per_batch",
                "`POST /indexes/{uid}/documents/delete-batch` was used.",
            ),
            flag(
                "per_filter",
                "`POST /indexes/{uid}/documents/delete` was used.",
            ),
        ],
    ),
    track(
        "Documents Edited By Function",
        "Documents edited with a function (`POST /indexes/{uid}/documents/edit`).",
        &[
            flag("filtered", "The body had a `filter`."),
            flag("with_context", "The body had a `context`."),
            flag("index_creation", "The target index did not exist."),
        ],
    ),
    track(
        "Index Compacted",
        "Index compactions (`POST /indexes/{uid}/compact`).",
        &[],
    ),
    track(
        "Tasks Canceled",
        "Task cancelations (`POST /tasks/cancel`), by the filters used.",
        TASK_FILTERS,
    ),
    track(
        "Tasks Deleted",
        "Task deletions (`DELETE /tasks`), by the filters used.",
        TASK_FILTERS,
    ),
    track(
        "Indexes Swapped",
        "Index swaps (`POST /swap-indexes`).",
        &[
            max_count(
                "swap_operation_number",
                "The largest number of swaps in one request.",
            ),
            flag("rename_used", "Some swap had `rename: true`."),
        ],
    ),
    track(
        "Network Updated",
        "Network configuration changes (`PATCH /network`).",
        &[
            PropertyDef {
                merge: MergeRule::Last,
                ..max_count(
                    "network_size",
                    "Number of remotes in the resulting network.",
                )
            },
            state("network_has_self", "The resulting network has `self` set."),
        ],
    ),
    track(
        "Webhooks Created",
        "Webhook creations (`POST /webhooks`).",
        &[],
    ),
    track(
        "Webhooks Updated",
        "Webhook updates (`PATCH /webhooks/{uuid}`).",
        &[],
    ),
    track(
        "Dynamic Search Rules Created or Updated",
        "`PATCH /dynamic-search-rules/{uid}` calls.",
        &[],
    ),
    track(
        "Dynamic Search Rules Deleted",
        "`DELETE /dynamic-search-rules` calls.",
        &[],
    ),
    track("Dump Created", "Dump creations (`POST /dumps`).", &[]),
    track(
        "Snapshot Created",
        "Snapshot creations (`POST /snapshots`).",
        &[],
    ),
];
