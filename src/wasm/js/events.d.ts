// Generated from the catalog (src/core/catalog/) by `npm run catalog:write`: do not edit.
// The property bag each recordable event accepts; `track()` is typed by it.

/** Every event a host can record with `track()`, and the properties it accepts. */
export interface EventProperties {
  /** Index settings changes, one summary per interval; each section reflects the newest change that set it. */
  "Settings Updated": {
    /** 0-based position of `words` in `rankingRules`; null if absent or not set. Merge: last-non-null. */
    "ranking_rules.words_position"?: number | null;
    /** Position of `typo`. Merge: last-non-null. */
    "ranking_rules.typo_position"?: number | null;
    /** Position of `proximity`. Merge: last-non-null. */
    "ranking_rules.proximity_position"?: number | null;
    /** Position of `attribute`. Merge: last-non-null. */
    "ranking_rules.attribute_position"?: number | null;
    /** Position of `attributeRank`. Merge: last-non-null. */
    "ranking_rules.attribute_rank_position"?: number | null;
    /** Position of `wordPosition`. Merge: last-non-null. */
    "ranking_rules.word_position_position"?: number | null;
    /** Position of `sort`. Merge: last-non-null. */
    "ranking_rules.sort_position"?: number | null;
    /** Position of `exactness`. Merge: last-non-null. */
    "ranking_rules.exactness_position"?: number | null;
    /** The directions of the custom `attribute:asc`/`attribute:desc` rules, in order, joined with `, ` (`"asc, desc"`); the attribute names are never sent. `""` when there are none; null if not set. Merge: last-non-null. Format: sort-directions (`^((asc|desc)(, (asc|desc)){0,63})?$`). */
    "ranking_rules.values"?: string | null;
    /** Number of `searchableAttributes`. Merge: last-non-null. */
    "searchable_attributes.total"?: number | null;
    /** `searchableAttributes` contains `*`. Merge: last-non-null. */
    "searchable_attributes.with_wildcard"?: boolean | null;
    /** Number of `displayedAttributes`. Merge: last-non-null. */
    "displayed_attributes.total"?: number | null;
    /** `displayedAttributes` contains `*`. Merge: last-non-null. */
    "displayed_attributes.with_wildcard"?: boolean | null;
    /** Number of `sortableAttributes`. Merge: last-non-null. */
    "sortable_attributes.total"?: number | null;
    /** `sortableAttributes` contains `_geo`. Merge: last-non-null. */
    "sortable_attributes.has_geo"?: boolean | null;
    /** Number of `filterableAttributes` rules. Merge: last-non-null. */
    "filterable_attributes.total"?: number | null;
    /** A plain `_geo` filterable rule. Merge: last-non-null. */
    "filterable_attributes.has_geo"?: boolean | null;
    /** At least one pattern (object) filterable rule. Merge: last-non-null. */
    "filterable_attributes.has_patterns"?: boolean | null;
    /** `foreignKeys` was set. Merge: or. */
    "foreign_keys.set"?: boolean;
    /** Number of foreign keys. Merge: last-non-null. */
    "foreign_keys.total"?: number | null;
    /** `distinctAttribute` was set. Merge: or. */
    "distinct_attribute.set"?: boolean;
    /** `proximityPrecision` was set. Merge: or. */
    "proximity_precision.set"?: boolean;
    /** The `proximityPrecision` set. Merge: last-non-null. */
    "proximity_precision.value"?: "byWord" | "byAttribute" | null;
    /** Typo tolerance enabled (false only when `enabled: false`); null if not set. Merge: last-non-null. */
    "typo_tolerance.enabled"?: boolean | null;
    /** `disableOnAttributes` is non-empty. Merge: last-non-null. */
    "typo_tolerance.disable_on_attributes"?: boolean | null;
    /** `disableOnWords` is non-empty. Merge: last-non-null. */
    "typo_tolerance.disable_on_words"?: boolean | null;
    /** `minWordSizeForTypos.oneTypo`. Merge: last-non-null. */
    "typo_tolerance.min_word_size_for_one_typo"?: number | null;
    /** `minWordSizeForTypos.twoTypos`. Merge: last-non-null. */
    "typo_tolerance.min_word_size_for_two_typos"?: number | null;
    /** `faceting.maxValuesPerFacet`. Merge: last-non-null. */
    "faceting.max_values_per_facet"?: number | null;
    /** `sortFacetValuesBy` has `"*": "count"`. Merge: last-non-null. */
    "faceting.sort_facet_values_by_star_count"?: boolean | null;
    /** Number of `sortFacetValuesBy` entries. Merge: last-non-null. */
    "faceting.sort_facet_values_by_total"?: number | null;
    /** `pagination.maxTotalHits`. Merge: last-non-null. */
    "pagination.max_total_hits"?: number | null;
    /** Number of stop words. Merge: last-non-null. */
    "stop_words.total"?: number | null;
    /** Number of synonym keys. Merge: last-non-null. */
    "synonyms.total"?: number | null;
    /** Number of embedders (entries set to null included). Merge: last-non-null. */
    "embedders.total"?: number | null;
    /** Embedder `source`s used. Merge: union. */
    "embedders.sources"?: ReadonlyArray<"openAi" | "huggingFace" | "userProvided" | "ollama" | "rest" | "composite"> | null;
    /** Some embedder sets `documentTemplate`. Merge: or. */
    "embedders.document_template_used"?: boolean | null;
    /** Largest `documentTemplateMaxBytes`. Merge: max. Unit: bytes. */
    "embedders.document_template_max_bytes"?: number | null;
    /** Some embedder sets `binaryQuantized`. Merge: or. */
    "embedders.binary_quantization_used"?: boolean | null;
    /** `searchCutoffMs`. Merge: last-non-null. Unit: ms. */
    "search_cutoff_ms"?: number | null;
    /** Every locale of the `localizedAttributes` rules, in Meilisearch's locale order; null if not set. Merge: last-non-null. */
    "locales"?: ReadonlyArray<"af" | "ak" | "am" | "ar" | "az" | "be" | "bn" | "bg" | "ca" | "cs" | "da" | "de" | "el" | "en" | "eo" | "et" | "fi" | "fr" | "gu" | "he" | "hi" | "hr" | "hu" | "hy" | "id" | "it" | "jv" | "ja" | "kn" | "ka" | "km" | "ko" | "la" | "lv" | "lt" | "ml" | "mr" | "mk" | "my" | "ne" | "nl" | "nb" | "or" | "pa" | "fa" | "pl" | "pt" | "ro" | "ru" | "si" | "sk" | "sl" | "sn" | "es" | "sr" | "sv" | "ta" | "te" | "tl" | "th" | "tk" | "tr" | "uk" | "ur" | "uz" | "vi" | "yi" | "zh" | "zu" | "afr" | "aka" | "amh" | "ara" | "aze" | "bel" | "ben" | "bul" | "cat" | "ces" | "dan" | "deu" | "ell" | "eng" | "epo" | "est" | "fin" | "fra" | "guj" | "heb" | "hin" | "hrv" | "hun" | "hye" | "ind" | "ita" | "jav" | "jpn" | "kan" | "kat" | "khm" | "kor" | "lat" | "lav" | "lit" | "mal" | "mar" | "mkd" | "mya" | "nep" | "nld" | "nob" | "ori" | "pan" | "pes" | "pol" | "por" | "ron" | "rus" | "sin" | "slk" | "slv" | "sna" | "spa" | "srp" | "swe" | "tam" | "tel" | "tgl" | "tha" | "tuk" | "tur" | "ukr" | "urd" | "uzb" | "vie" | "yid" | "zho" | "zul" | "cmn"> | null;
    /** Number of `dictionary` entries. Merge: last-non-null. */
    "dictionary.total"?: number | null;
    /** Number of `separatorTokens`. Merge: last-non-null. */
    "separator_tokens.total"?: number | null;
    /** Number of `nonSeparatorTokens`. Merge: last-non-null. */
    "non_separator_tokens.total"?: number | null;
    /** `facetSearch` was set. Merge: or. */
    "facet_search.set"?: boolean;
    /** The `facetSearch` value. Merge: last-non-null. */
    "facet_search.value"?: boolean | null;
    /** `prefixSearch` was set. Merge: or. */
    "prefix_search.set"?: boolean;
    /** The `prefixSearch` value. Merge: last-non-null. */
    "prefix_search.value"?: "indexingTime" | "disabled" | null;
    /** The `chat` settings were set. Merge: or. */
    "chat.set"?: boolean;
  };
  /** Document deletions, by the route used. */
  "Documents Deleted": {
    /** `DELETE /indexes/{uid}/documents/{id}` was used. Merge: or. */
    "per_document_id"?: boolean;
    /** `DELETE /indexes/{uid}/documents` was used. Merge: or. */
    "clear_all"?: boolean;
    /** `POST /indexes/{uid}/documents/delete-batch` was used. Merge: or. */
    "per_batch"?: boolean;
    /** `POST /indexes/{uid}/documents/delete` was used. Merge: or. */
    "per_filter"?: boolean;
  };
  /** Document additions or replacements (`POST /indexes/{uid}/documents`). */
  "Documents Added": {
    /** The payloads' `Content-Type` media types. Merge: union. */
    "payload_types"?: ReadonlyArray<"application/json" | "application/x-ndjson" | "text/csv" | "other" | "unknown">;
    /** The `primaryKey` query parameters given, as a common name or `other`; `[]` when none. Merge: union. */
    "primary_key"?: ReadonlyArray<"id" | "uid" | "_id" | "ID" | "Id" | "objectID" | "key" | "sku" | "other">;
    /** The target index did not exist yet. Merge: or. */
    "index_creation"?: boolean;
  };
  /** Document updates (`PUT /indexes/{uid}/documents`). */
  "Documents Updated": {
    /** The payloads' `Content-Type` media types. Merge: union. */
    "payload_types"?: ReadonlyArray<"application/json" | "application/x-ndjson" | "text/csv" | "other" | "unknown">;
    /** The `primaryKey` query parameters given, as a common name or `other`; `[]` when none. Merge: union. */
    "primary_key"?: ReadonlyArray<"id" | "uid" | "_id" | "ID" | "Id" | "objectID" | "key" | "sku" | "other">;
    /** The target index did not exist yet. Merge: or. */
    "index_creation"?: boolean;
  };
  /** Documents edited with a function (`POST /indexes/{uid}/documents/edit`). */
  "Documents Edited By Function": {
    /** The body had a `filter`. Merge: or. */
    "filtered"?: boolean;
    /** The body had a `context`. Merge: or. */
    "with_context"?: boolean;
    /** The target index did not exist. Merge: or. */
    "index_creation"?: boolean;
  };
  /** Index creations (`POST /indexes`). */
  "Index Created": {
    /** The `primaryKey` given in the body, as a common name or `other`; `[]` when none. Merge: union. */
    "primary_key"?: ReadonlyArray<"id" | "uid" | "_id" | "ID" | "Id" | "objectID" | "key" | "sku" | "other">;
  };
  /** Index updates (`PATCH /indexes/{uid}`). */
  "Index Updated": {
    /** The `primaryKey` given in the body, as a common name or `other`; `[]` when none. Merge: union. */
    "primary_key"?: ReadonlyArray<"id" | "uid" | "_id" | "ID" | "Id" | "objectID" | "key" | "sku" | "other">;
  };
  /** Index compactions (`POST /indexes/{uid}/compact`). */
  "Index Compacted": {
  };
  /** Task cancelations (`POST /tasks/cancel`), by the filters used. */
  "Tasks Canceled": {
    /** The `uids` filter was given a concrete value (`*` does not count). Merge: or. */
    "filtered_by_uid"?: boolean;
    /** The `indexUids` filter was given a concrete value. Merge: or. */
    "filtered_by_index_uid"?: boolean;
    /** The `types` filter was given a concrete value. Merge: or. */
    "filtered_by_type"?: boolean;
    /** The `statuses` filter was given a concrete value. Merge: or. */
    "filtered_by_status"?: boolean;
    /** The `canceledBy` filter was given a concrete value. Merge: or. */
    "filtered_by_canceled_by"?: boolean;
    /** The `beforeEnqueuedAt` filter was given a date. Merge: or. */
    "filtered_by_before_enqueued_at"?: boolean;
    /** The `afterEnqueuedAt` filter was given a date. Merge: or. */
    "filtered_by_after_enqueued_at"?: boolean;
    /** The `beforeStartedAt` filter was given a date. Merge: or. */
    "filtered_by_before_started_at"?: boolean;
    /** The `afterStartedAt` filter was given a date. Merge: or. */
    "filtered_by_after_started_at"?: boolean;
    /** The `beforeFinishedAt` filter was given a date. Merge: or. */
    "filtered_by_before_finished_at"?: boolean;
    /** The `afterFinishedAt` filter was given a date. Merge: or. */
    "filtered_by_after_finished_at"?: boolean;
  };
  /** Task deletions (`DELETE /tasks`), by the filters used. */
  "Tasks Deleted": {
    /** The `uids` filter was given a concrete value (`*` does not count). Merge: or. */
    "filtered_by_uid"?: boolean;
    /** The `indexUids` filter was given a concrete value. Merge: or. */
    "filtered_by_index_uid"?: boolean;
    /** The `types` filter was given a concrete value. Merge: or. */
    "filtered_by_type"?: boolean;
    /** The `statuses` filter was given a concrete value. Merge: or. */
    "filtered_by_status"?: boolean;
    /** The `canceledBy` filter was given a concrete value. Merge: or. */
    "filtered_by_canceled_by"?: boolean;
    /** The `beforeEnqueuedAt` filter was given a date. Merge: or. */
    "filtered_by_before_enqueued_at"?: boolean;
    /** The `afterEnqueuedAt` filter was given a date. Merge: or. */
    "filtered_by_after_enqueued_at"?: boolean;
    /** The `beforeStartedAt` filter was given a date. Merge: or. */
    "filtered_by_before_started_at"?: boolean;
    /** The `afterStartedAt` filter was given a date. Merge: or. */
    "filtered_by_after_started_at"?: boolean;
    /** The `beforeFinishedAt` filter was given a date. Merge: or. */
    "filtered_by_before_finished_at"?: boolean;
    /** The `afterFinishedAt` filter was given a date. Merge: or. */
    "filtered_by_after_finished_at"?: boolean;
  };
  /** Index swaps (`POST /swap-indexes`). */
  "Indexes Swapped": {
    /** The largest number of swaps in one request. Merge: max. */
    "swap_operation_number"?: number;
    /** Some swap had `rename: true`. Merge: or. */
    "rename_used"?: boolean;
  };
  /** Experimental feature changes (`PATCH /experimental-features`); each value is the resulting state after the newest change. */
  "Experimental features Updated": {
    /** `metrics` is on. Merge: last. */
    "metrics"?: boolean;
    /** `logsRoute` is on. Merge: last. */
    "logs_route"?: boolean;
    /** `editDocumentsByFunction` is on. Merge: last. */
    "edit_documents_by_function"?: boolean;
    /** `containsFilter` is on. Merge: last. */
    "contains_filter"?: boolean;
    /** `dynamicSearchRules` is on. Merge: last. */
    "dynamic_search_rules"?: boolean;
    /** `network` is on. Merge: last. */
    "network"?: boolean;
    /** `getTaskDocumentsRoute` is on. Merge: last. */
    "get_task_documents_route"?: boolean;
    /** `taskQueueCompactionRoute` is on. Merge: last. */
    "task_queue_compaction_route"?: boolean;
    /** `compositeEmbedders` is on. Merge: last. */
    "composite_embedders"?: boolean;
    /** `chatCompletions` is on. Merge: last. */
    "chat_completions"?: boolean;
    /** `multimodal` is on. Merge: last. */
    "multimodal"?: boolean;
    /** `foreignKeys` is on. Merge: last. */
    "foreign_keys"?: boolean;
    /** `disableDocumentsFetchQueue` is on. Merge: last. */
    "disable_documents_fetch_queue"?: boolean;
    /** `legacySearch` is on (unset counts as off). Merge: last. */
    "legacy_search"?: boolean;
    /** `renderRoute` is on. Merge: last. */
    "render_route"?: boolean;
  };
  /** Network configuration changes (`PATCH /network`). */
  "Network Updated": {
    /** Number of remotes in the resulting network. Merge: last. */
    "network_size"?: number;
    /** The resulting network has `self` set. Merge: last. */
    "network_has_self"?: boolean;
  };
  /** Webhook creations (`POST /webhooks`). */
  "Webhooks Created": {
  };
  /** Webhook updates (`PATCH /webhooks/{uuid}`). */
  "Webhooks Updated": {
  };
  /** `PATCH /dynamic-search-rules/{uid}` calls. */
  "Dynamic Search Rules Created or Updated": {
  };
  /** `DELETE /dynamic-search-rules` calls. */
  "Dynamic Search Rules Deleted": {
  };
  /** Dump creations (`POST /dumps`). */
  "Dump Created": {
  };
  /** Snapshot creations (`POST /snapshots`). */
  "Snapshot Created": {
  };
  /** A first launch of an instance: sent once under the instance UID (properties `null`, not aggregated). */
  "Launched": {
  };
  /** Dashboard page loads, with the versions and coarse traits of the browser that loaded it (the newest load wins). */
  "Dashboard Opened": {
    /** Version of the dashboard. Merge: last. Format: version (`^(v?[0-9]{1,4}\.[0-9]{1,4}\.[0-9]{1,4}(-[0-9A-Za-z.]{1,24})?|prototype-[0-9A-Za-z.-]{1,40})$`). */
    "dashboard.version": string;
    /** Version of this telemetry package. Merge: last. Format: version (`^(v?[0-9]{1,4}\.[0-9]{1,4}\.[0-9]{1,4}(-[0-9A-Za-z.]{1,24})?|prototype-[0-9A-Za-z.-]{1,40})$`). */
    "package.version": string;
    /** `navigator.hardwareConcurrency` rounded down to a power of two, at most 64 (0 when unknown). Merge: last. */
    "browser.cores"?: number;
    /** `navigator.deviceMemory` in GiB (already bucketed by the browser), or `unknown`. Merge: last. */
    "browser.memory_gb": "0.25" | "0.5" | "1" | "2" | "4" | "8" | "16" | "32" | "unknown";
    /** Operating system family. Merge: last. */
    "browser.os_family": "windows" | "macos" | "linux" | "android" | "ios" | "chromeos" | "other";
    /** Browser engine family. Merge: last. */
    "browser.engine": "chromium" | "gecko" | "webkit" | "other";
  };
  /** Changes of the selected index in the dashboard (never the index names). */
  "Dashboard Index Switched": {
    /** Largest number of indexes listed at a switch. Merge: max. */
    "indexes.max_available"?: number;
  };
  /** Requests from the dashboard to Meilisearch that failed, by kind. */
  "Dashboard Errors": {
    /** The request got no answer (offline, refused, blocked). Merge: sum. */
    "errors.network"?: number;
    /** The request timed out. Merge: sum. */
    "errors.timeout"?: number;
    /** HTTP 401 or 403 (missing or wrong API key). Merge: sum. */
    "errors.unauthorized"?: number;
    /** HTTP 404. Merge: sum. */
    "errors.not_found"?: number;
    /** Another HTTP 4xx. Merge: sum. */
    "errors.client"?: number;
    /** HTTP 5xx. Merge: sum. */
    "errors.server"?: number;
    /** A response that was not valid JSON. Merge: sum. */
    "errors.invalid_response"?: number;
  };
}

/** The name of an event a host can record. */
export type EventName = keyof EventProperties;
