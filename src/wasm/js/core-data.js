// Generated from the core by `npm run catalog:write`: do not edit.
// The response fields the derivations read (observe::response_fields).
// One string, split on spaces: the shortest form for the front's budget.
export const RESPONSE_FIELDS = "processingTimeMs degraded remotes self metrics logsRoute editDocumentsByFunction containsFilter dynamicSearchRules network getTaskDocumentsRoute taskQueueCompactionRoute compositeEmbedders chatCompletions multimodal foreignKeys disableDocumentsFetchQueue legacySearch renderRoute";
// The request headers the derivations read (observe::REQUEST_HEADERS): no other is passed on.
export const REQUEST_HEADERS = ["x-meilisearch-client","user-agent","content-type"];
// `stats()` before anything was counted (engine::Stats and the edge's counters), a fresh object
// at each call (an object literal: shorter than JSON text once minified).
export const zeroStats = () => ({"recorded":0,"sealed":0,"rejected":{"unknown_event":0,"unknown_property":0,"wrong_type":0,"outside_vocabulary":0,"missing_property":0,"not_recordable":0,"malformed_input":0},"delivered":0,"failedUploads":0,"lost":{"oversize":0,"too_old":0,"rejected":0,"storage_full":0,"purged_by_opt_out":0,"blocked":0},"entropyUnavailable":0,"ignoredRequests":0,"droppedInvalid":0,"discardedWhileDisabled":0,"outcomesDiscarded":0,"storageFailures":0,"deletionsRefused":0,"corruptUidReplaced":0,"moduleMemoryBytes":0,"queued":0,"scope":"page","totals":null});
