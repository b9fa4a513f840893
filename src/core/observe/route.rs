//! Which Meilisearch route a request is: recognised by method and path only (never by the index
//! name, which is not kept), as the server's routing table declares them.
/// A route that feeds an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    SearchGet,
    SearchPost,
    SimilarGet,
    SimilarPost,
    MultiSearch,
    FacetSearch,
    /// `PATCH /indexes/{uid}/settings`: every section.
    SettingsAll,
    /// `PUT|PATCH /indexes/{uid}/settings/{sub-route}`: one section.
    SettingsSection(&'static str),
    DocumentGetOne,
    DocumentsBrowseGet,
    DocumentsFetchPost,
    DocumentDeleteOne,
    DocumentsClear,
    DocumentsDeleteBatch,
    DocumentsDeleteByFilter,
    DocumentsAdd,
    DocumentsUpdate,
    DocumentsEdit,
    IndexCreate,
    IndexUpdate,
    IndexCompact,
    TasksCancel,
    TasksDelete,
    SwapIndexes,
    ExperimentalFeatures,
    Network,
    WebhookCreate,
    WebhookUpdate,
    Export,
    DynamicSearchRuleUpsert,
    DynamicSearchRuleDelete,
    ChatCompletion,
    RenderTemplate,
    DumpCreate,
    SnapshotCreate,
}

/// The settings sub-routes (their path segment is also the section's key) and the verb each
/// accepts besides `DELETE`, which resets and is not counted.
pub const SETTINGS_SECTIONS: &[(&str, &str)] = &[
    ("filterable-attributes", "PUT"),
    ("sortable-attributes", "PUT"),
    ("displayed-attributes", "PUT"),
    ("searchable-attributes", "PUT"),
    ("stop-words", "PUT"),
    ("non-separator-tokens", "PUT"),
    ("separator-tokens", "PUT"),
    ("dictionary", "PUT"),
    ("synonyms", "PUT"),
    ("distinct-attribute", "PUT"),
    ("proximity-precision", "PUT"),
    ("localized-attributes", "PUT"),
    ("ranking-rules", "PUT"),
    ("search-cutoff-ms", "PUT"),
    ("facet-search", "PUT"),
    ("prefix-search", "PUT"),
    ("foreign-keys", "PUT"),
    ("typo-tolerance", "PATCH"),
    ("faceting", "PATCH"),
    ("pagination", "PATCH"),
    ("embedders", "PATCH"),
    ("chat", "PATCH"),
];

/// More path segments than any route has.
const MAX_SEGMENTS: usize = 8;

impl Route {
    /// The route of `method` and `path` (the URL path, without query string), if it feeds an
    /// event. A trailing slash is ignored.
    pub(crate) fn recognize(method: &str, path: &str) -> Option<Route> {
        // The segments, without allocating: a path longer than this keeps its first ones, which
        // changes nothing (no route has more; the longest match only their first segment).
        let mut kept = [""; MAX_SEGMENTS];
        let n = split_path(path, &mut kept);
        let segments = kept.get(..n).unwrap_or_default();
        use Route::*;
        Some(match (method, segments) {
            ("GET", ["indexes", _, "search"]) => SearchGet,
            ("POST", ["indexes", _, "search"]) => SearchPost,
            ("GET", ["indexes", _, "similar"]) => SimilarGet,
            ("POST", ["indexes", _, "similar"]) => SimilarPost,
            ("POST", ["multi-search"]) => MultiSearch,
            ("POST", ["indexes", _, "facet-search"]) => FacetSearch,
            ("PATCH", ["indexes", _, "settings"]) => SettingsAll,
            (verb, ["indexes", _, "settings", section]) => {
                let (name, _) = SETTINGS_SECTIONS.iter().find(|(name, accepted)| {
                    name == section && (verb == *accepted || verb == "PUT" || verb == "PATCH")
                })?;
                SettingsSection(name)
            }
            ("GET", ["indexes", _, "documents", _]) => DocumentGetOne,
            ("GET", ["indexes", _, "documents"]) => DocumentsBrowseGet,
            ("POST", ["indexes", _, "documents", "fetch"]) => DocumentsFetchPost,
            ("POST", ["indexes", _, "documents", "delete-batch"]) => DocumentsDeleteBatch,
            ("POST", ["indexes", _, "documents", "delete"]) => DocumentsDeleteByFilter,
            ("POST", ["indexes", _, "documents", "edit"]) => DocumentsEdit,
            ("DELETE", ["indexes", _, "documents", _]) => DocumentDeleteOne,
            ("DELETE", ["indexes", _, "documents"]) => DocumentsClear,
            ("POST", ["indexes", _, "documents"]) => DocumentsAdd,
            ("PUT", ["indexes", _, "documents"]) => DocumentsUpdate,
            ("POST", ["indexes"]) => IndexCreate,
            ("PATCH", ["indexes", _]) => IndexUpdate,
            ("POST", ["indexes", _, "compact"]) => IndexCompact,
            ("POST", ["tasks", "cancel"]) => TasksCancel,
            ("DELETE", ["tasks"]) => TasksDelete,
            ("POST", ["swap-indexes"]) => SwapIndexes,
            ("PATCH", ["experimental-features"]) => ExperimentalFeatures,
            ("PATCH", ["network"]) => Network,
            ("POST", ["webhooks"]) => WebhookCreate,
            ("PATCH", ["webhooks", _]) => WebhookUpdate,
            ("POST", ["export"]) => Export,
            ("PATCH", ["dynamic-search-rules", _]) => DynamicSearchRuleUpsert,
            ("DELETE", ["dynamic-search-rules", ..]) => DynamicSearchRuleDelete,
            ("POST", ["chats", _, "chat", "completions"]) => ChatCompletion,
            ("POST", ["render-template"]) => RenderTemplate,
            ("POST", ["dumps"]) => DumpCreate,
            ("POST", ["snapshots"]) => SnapshotCreate,
            _ => return None,
        })
    }

    /// The event this route feeds.
    pub fn event(self) -> &'static str {
        use Route::*;
        match self {
            SearchGet => "Documents Searched GET",
            SearchPost => "Documents Searched POST",
            SimilarGet => "Similar GET",
            SimilarPost => "Similar POST",
            MultiSearch => "Documents Searched by Multi-Search POST",
            FacetSearch => "Facet Searched POST",
            SettingsAll | SettingsSection(_) => "Settings Updated",
            DocumentGetOne | DocumentsBrowseGet => "Documents Fetched GET",
            DocumentsFetchPost => "Documents Fetched POST",
            DocumentDeleteOne | DocumentsClear | DocumentsDeleteBatch | DocumentsDeleteByFilter => {
                "Documents Deleted"
            }
            DocumentsAdd => "Documents Added",
            DocumentsUpdate => "Documents Updated",
            DocumentsEdit => "Documents Edited By Function",
            IndexCreate => "Index Created",
            IndexUpdate => "Index Updated",
            IndexCompact => "Index Compacted",
            TasksCancel => "Tasks Canceled",
            TasksDelete => "Tasks Deleted",
            SwapIndexes => "Indexes Swapped",
            ExperimentalFeatures => "Experimental features Updated",
            Network => "Network Updated",
            WebhookCreate => "Webhooks Created",
            WebhookUpdate => "Webhooks Updated",
            Export => "Export Triggered",
            DynamicSearchRuleUpsert => "Dynamic Search Rules Created or Updated",
            DynamicSearchRuleDelete => "Dynamic Search Rules Deleted",
            ChatCompletion => "Chat Completion POST",
            RenderTemplate => "Documents Rendered",
            DumpCreate => "Dump Created",
            SnapshotCreate => "Snapshot Created",
        }
    }

    /// Whether the server publishes only after the request succeeded (the others are counted
    /// whatever the outcome, as the server publishes before validating or running them).
    pub(crate) fn counted_only_on_success(self) -> bool {
        use Route::*;
        matches!(
            self,
            Network
                | WebhookCreate
                | WebhookUpdate
                | Export
                | DynamicSearchRuleUpsert
                | DynamicSearchRuleDelete
        )
    }
}

/// Puts the first segments of `path`, without its leading and trailing slashes, into `kept`;
/// returns how many. Byte by byte: `str::split('/')` searches with a call per segment and
/// compares each match again, which cost 5% of the instructions of an observed search.
fn split_path<'p>(path: &'p str, kept: &mut [&'p str]) -> usize {
    let bytes = path.as_bytes();
    let first = bytes.iter().position(|&b| b != b'/').unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|&b| b != b'/')
        .map_or(first, |last| last + 1);
    let mut rest = path.get(first..end).unwrap_or_default();
    let mut n = 0;
    while let Some(slot) = kept.get_mut(n) {
        n += 1;
        match rest.bytes().position(|b| b == b'/') {
            Some(at) => {
                *slot = rest.get(..at).unwrap_or_default();
                rest = rest.get(at + 1..).unwrap_or_default();
            }
            None => {
                *slot = rest;
                break;
            }
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;

    #[test]
    fn splits_paths_as_str_split_does() {
        for path in [
            "",
            "/",
            "//",
            "a",
            "/a/",
            "a//b",
            "//indexes/m/search//",
            "/x/é/y",
            "/1/2/3/4/5/6/7/8/9/10",
        ] {
            let mut kept = [""; MAX_SEGMENTS];
            let n = split_path(path, &mut kept);
            let expected: Vec<&str> = path
                .trim_matches('/')
                .split('/')
                .take(MAX_SEGMENTS)
                .collect();
            assert_eq!(kept[..n], expected[..], "{path:?}");
        }
    }

    #[test]
    fn recognizes_by_method_and_path() {
        assert_eq!(
            Route::recognize("POST", "/indexes/movies/search"),
            Some(Route::SearchPost)
        );
        assert_eq!(
            Route::recognize("GET", "/indexes/movies/search/"),
            Some(Route::SearchGet)
        );
        assert_eq!(
            Route::recognize("PUT", "/indexes/m/settings/stop-words"),
            Some(Route::SettingsSection("stop-words"))
        );
        assert_eq!(
            Route::recognize("DELETE", "/indexes/m/settings/stop-words"),
            None,
            "resets are not counted"
        );
        assert_eq!(
            Route::recognize("GET", "/indexes/m/documents/42"),
            Some(Route::DocumentGetOne)
        );
        assert_eq!(
            Route::recognize("POST", "/indexes/m/documents/fetch"),
            Some(Route::DocumentsFetchPost)
        );
        assert_eq!(Route::recognize("GET", "/indexes"), None);
        assert_eq!(Route::recognize("GET", "/health"), None);
        assert_eq!(Route::recognize("POST", "/indexes/m/search/extra"), None);
    }

    #[test]
    fn long_paths_match_only_the_routes_open_at_their_end() {
        let deep = format!("/dynamic-search-rules/{}", ["r"; 20].join("/"));
        assert_eq!(
            Route::recognize("DELETE", &deep),
            Some(Route::DynamicSearchRuleDelete)
        );
        let nine = "/indexes/m/documents/1/2/3/4/5/6";
        assert_eq!(nine.split('/').count() - 1, MAX_SEGMENTS + 1);
        assert_eq!(Route::recognize("GET", nine), None);
        assert_eq!(
            Route::recognize("POST", "/indexes/m/search/a/b/c/d/e/f"),
            None
        );
    }

    #[test]
    fn every_route_names_a_catalog_event() {
        let routes = [
            ("GET", "/indexes/m/search"),
            ("POST", "/multi-search"),
            ("PATCH", "/indexes/m/settings"),
            ("DELETE", "/indexes/m/documents"),
            ("POST", "/tasks/cancel"),
            ("PATCH", "/network"),
            ("POST", "/export"),
            ("POST", "/chats/w/chat/completions"),
            ("POST", "/render-template"),
            ("POST", "/snapshots"),
            ("DELETE", "/dynamic-search-rules/r"),
            ("POST", "/indexes/m/compact"),
        ];
        for (method, path) in routes {
            let route = Route::recognize(method, path).unwrap();
            assert!(crate::catalog::event(route.event()).is_some(), "{route:?}");
        }
    }
}
