//! Administration events: indexes, tasks, swaps, experimental features, network, webhooks,
//! exports, dynamic search rules, chat, template rendering, dumps, snapshots, and `Launched`.
use super::declare::{
    average, count, derived_count, flag, maximum, server, set_of, shaped, state, with_pipeline,
};
use super::documents::PRIMARY_KEYS;
use super::{EventDef, MergeRule, Privacy, PropertyDef, ValueType};

/// Chat model families; any other model name is counted as `other`.
pub(crate) const CHAT_MODELS: &[&str] = &[
    "gpt-4o",
    "gpt-4o-mini",
    "gpt-4.1",
    "gpt-4.1-mini",
    "gpt-5",
    "gpt-5-mini",
    "o3",
    "o4-mini",
    "claude",
    "mistral",
    "gemini",
    "llama",
    "other",
];

const TASK_FILTERS: &[PropertyDef] = with_pipeline![
    flag(
        "filtered_by_uid",
        "The `uids` filter was given a concrete value (`*` does not count)."
    ),
    flag(
        "filtered_by_index_uid",
        "The `indexUids` filter was given a concrete value."
    ),
    flag(
        "filtered_by_type",
        "The `types` filter was given a concrete value."
    ),
    flag(
        "filtered_by_status",
        "The `statuses` filter was given a concrete value."
    ),
    flag(
        "filtered_by_canceled_by",
        "The `canceledBy` filter was given a concrete value."
    ),
    flag(
        "filtered_by_before_enqueued_at",
        "The `beforeEnqueuedAt` filter was given a date."
    ),
    flag(
        "filtered_by_after_enqueued_at",
        "The `afterEnqueuedAt` filter was given a date."
    ),
    flag(
        "filtered_by_before_started_at",
        "The `beforeStartedAt` filter was given a date."
    ),
    flag(
        "filtered_by_after_started_at",
        "The `afterStartedAt` filter was given a date."
    ),
    flag(
        "filtered_by_before_finished_at",
        "The `beforeFinishedAt` filter was given a date."
    ),
    flag(
        "filtered_by_after_finished_at",
        "The `afterFinishedAt` filter was given a date."
    ),
];

const PRIMARY_KEY: PropertyDef = set_of(
    "primary_key",
    PRIMARY_KEYS,
    "The `primaryKey` given in the body, as a common name or `other`; `[]` when none.",
    "[\"id\"]",
);

const COUNT_ONLY: &[PropertyDef] = with_pipeline![];

pub(super) const EVENTS: &[EventDef] = &[
    server("Index Created", "Index creations (`POST /indexes`).", "Before the task is registered.", with_pipeline![PRIMARY_KEY]),
    server("Index Updated", "Index updates (`PATCH /indexes/{uid}`).", "Before the task is registered.", with_pipeline![PRIMARY_KEY]),
    server("Index Compacted", "Index compactions (`POST /indexes/{uid}/compact`).", "Before the task is registered.", COUNT_ONLY),
    server("Tasks Canceled", "Task cancelations (`POST /tasks/cancel`), by the filters used.", "After the at-least-one-filter check.", TASK_FILTERS),
    server("Tasks Deleted", "Task deletions (`DELETE /tasks`), by the filters used.", "After the at-least-one-filter check.", TASK_FILTERS),
    server(
        "Indexes Swapped",
        "Index swaps (`POST /swap-indexes`).",
        "Before the payload is validated.",
        with_pipeline![
            maximum("swap_operation_number", "The largest number of swaps in one request."),
            flag("rename_used", "Some swap had `rename: true`."),
        ],
    ),
    server(
        "Experimental features Updated",
        "Experimental feature changes (`PATCH /experimental-features`); each value is the resulting state after the newest change.",
        "Before the new features are persisted.",
        with_pipeline![
            state("metrics", "`metrics` is on."),
            state("logs_route", "`logsRoute` is on."),
            state("edit_documents_by_function", "`editDocumentsByFunction` is on."),
            state("contains_filter", "`containsFilter` is on."),
            state("dynamic_search_rules", "`dynamicSearchRules` is on."),
            state("network", "`network` is on."),
            state("get_task_documents_route", "`getTaskDocumentsRoute` is on."),
            state("task_queue_compaction_route", "`taskQueueCompactionRoute` is on."),
            state("composite_embedders", "`compositeEmbedders` is on."),
            state("chat_completions", "`chatCompletions` is on."),
            state("multimodal", "`multimodal` is on."),
            state("foreign_keys", "`foreignKeys` is on."),
            state("disable_documents_fetch_queue", "`disableDocumentsFetchQueue` is on."),
            state("legacy_search", "`legacySearch` is on (unset counts as off)."),
            state("render_route", "`renderRoute` is on."),
        ],
    ),
    server(
        "Network Updated",
        "Network configuration changes (`PATCH /network`).",
        "After the change is validated.",
        with_pipeline![
            maximum("network_size", "Number of remotes in the resulting network.").merged(MergeRule::Last),
            state("network_has_self", "The resulting network has `self` set."),
        ],
    ),
    server("Webhooks Created", "Webhook creations (`POST /webhooks`).", "After success.", COUNT_ONLY),
    server("Webhooks Updated", "Webhook updates (`PATCH /webhooks/{uuid}`).", "After success.", COUNT_ONLY),
    server(
        "Export Triggered",
        "Exports to another instance (`POST /export`). Keys are top-level, as the server sends them.",
        "After the task is registered.",
        with_pipeline![
            count("total_received", "Exports triggered (the same as `requests.total_received`, kept for compatibility)."),
            flag("has_api_key", "Some export gave an `apiKey`."),
            average("avg_exports_meilisearch_cloud", "Share of exports to a Meilisearch Cloud host.").nullable(),
            average("avg_index_patterns", "Index patterns per export, on average.").nullable(),
            average("avg_patterns_with_filter", "Patterns with a `filter` per export, on average.").nullable(),
            average("avg_patterns_with_override_settings", "Patterns with `overrideSettings` per export, on average.").nullable(),
            shaped(
                "avg_payload_size",
                ValueType::Integer,
                MergeRule::Ratio,
                Privacy::Bucketed,
                "Mean `payloadSize`, whole bytes; null when no export gave one.",
                "1048576",
            )
            .nullable()
            .unit("bytes"),
        ],
    ),
    server("Dynamic Search Rules Created or Updated", "`PATCH /dynamic-search-rules/{uid}` calls.", "After success.", COUNT_ONLY),
    server("Dynamic Search Rules Deleted", "`DELETE /dynamic-search-rules` calls.", "After success.", COUNT_ONLY),
    server(
        "Chat Completion POST",
        "Streamed chat completions (`POST /chats/{workspace}/chat/completions`).",
        "When the stream is set up, before the conversation runs.",
        with_pipeline![
            count("total_received", "Requests (the same as `requests.total_received`, kept for compatibility)."),
            count("total_succeeded", "Requests whose stream was set up."),
            maximum("time_spent.max", "Longest set-up time.").unit("ms"),
            maximum("time_spent.min", "Shortest set-up time (0 when none).").merged(MergeRule::Min).unit("ms"),
            shaped("time_spent.avg", ValueType::Integer, MergeRule::Ratio, Privacy::Bucketed, "Mean set-up time, whole ms.", "120").unit("ms"),
            count("total_messages", "Messages sent in the requests."),
            average("avg_messages_per_request", "Messages per request, on average."),
            count("total_streamed_requests", "Requests with `stream: true`."),
            count("total_non_streamed_requests", "Requests without streaming."),
            average("streaming_ratio", "Share of streamed requests."),
            shaped(
                "models_used",
                ValueType::CountMap,
                MergeRule::PerKeySum,
                Privacy::Vocabulary(CHAT_MODELS),
                "Requests per model family (unknown models count as `other`).",
                "{\"gpt-4o\":3}",
            ),
        ],
    ),
    server(
        "Documents Rendered",
        "Template renderings (`POST /render-template`).",
        "After the render ran, whether it succeeded or failed.",
        with_pipeline![
            count("requests.total_succeeded", "Renders that succeeded."),
            derived_count("requests.total_failed", "Renders that failed: received minus succeeded."),
            flag("template.inline", "Some request gave an inline template."),
            flag("template.id", "Some request used a template stored in an index."),
            flag("input.inline", "Some request gave an inline input."),
            flag("input.id", "Some request gave an input document id."),
            flag("input.omitted", "Some request gave no input."),
        ],
    ),
    server("Dump Created", "Dump creations (`POST /dumps`).", "At request start.", COUNT_ONLY),
    server("Snapshot Created", "Snapshot creations (`POST /snapshots`).", "At request start.", COUNT_ONLY),
    server(
        "Launched",
        "A first launch of an instance: sent once under the instance UID (properties `null`, not aggregated).",
        "At the first start, when no instance UID existed.",
        &[],
    ),
];
