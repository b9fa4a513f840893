//! Search events: `Documents Searched GET/POST`, `Similar GET/POST`, multi-search and facet
//! search, with the properties the server derives from the search query and its result.
use super::declare::{
    average, count, derived_count, flag, maximum, one_of, server, set_of, text, with_pipeline,
    TOTAL_RECEIVED, USER_AGENT,
};
use super::{EventDef, MergeRule, PropertyDef, TextFormat};

/// The locales Meilisearch accepts, in its declaration order (two-letter codes, three-letter
/// codes, then `cmn`), which is also the order a `locales` set is sent in.
pub(crate) const LOCALES: &[&str] = &[
    "af", "ak", "am", "ar", "az", "be", "bn", "bg", "ca", "cs", "da", "de", "el", "en", "eo", "et",
    "fi", "fr", "gu", "he", "hi", "hr", "hu", "hy", "id", "it", "jv", "ja", "kn", "ka", "km", "ko",
    "la", "lv", "lt", "ml", "mr", "mk", "my", "ne", "nl", "nb", "or", "pa", "fa", "pl", "pt", "ro",
    "ru", "si", "sk", "sl", "sn", "es", "sr", "sv", "ta", "te", "tl", "th", "tk", "tr", "uk", "ur",
    "uz", "vi", "yi", "zh", "zu", "afr", "aka", "amh", "ara", "aze", "bel", "ben", "bul", "cat",
    "ces", "dan", "deu", "ell", "eng", "epo", "est", "fin", "fra", "guj", "heb", "hin", "hrv",
    "hun", "hye", "ind", "ita", "jav", "jpn", "kan", "kat", "khm", "kor", "lat", "lav", "lit",
    "mal", "mar", "mkd", "mya", "nep", "nld", "nob", "ori", "pan", "pes", "pol", "por", "ron",
    "rus", "sin", "slk", "slv", "sna", "spa", "srp", "swe", "tam", "tel", "tgl", "tha", "tuk",
    "tur", "ukr", "urd", "uzb", "vie", "yid", "zho", "zul", "cmn",
];

pub(crate) const FILTER_SYNTAXES: &[&str] = &["string", "array", "mixed", "none"];
pub(crate) const MATCHING_STRATEGIES: &[&str] = &["Last", "All", "Frequency"];
/// `estimated` first: a tie (as many paged requests as others) is `estimated`, as on the server.
const NAVIGATIONS: &[&str] = &["estimated", "exhaustive"];

const P99: PropertyDef = text(
    "requests.99th_response_time",
    TextFormat::IntegerText,
    MergeRule::Percentile99,
    "99th percentile of `processingTimeMs` over the successful requests, as whole milliseconds in a string; null when none succeeded.",
    "\"12\"",
)
.nullable()
.unit("ms");
const SUCCEEDED: PropertyDef = count(
    "requests.total_succeeded",
    "Requests that returned a result.",
);
const FAILED: PropertyDef = derived_count(
    "requests.total_failed",
    "Requests that failed: received minus succeeded.",
);

const fn criteria_average(path: &'static str, description: &'static str) -> PropertyDef {
    text(
        path,
        TextFormat::Decimal,
        MergeRule::Ratio,
        description,
        "\"1.50\"",
    )
    .nullable()
}

const FILTER_AVG: PropertyDef = criteria_average(
    "filter.avg_criteria_number",
    "Average number of `AND`/`OR`-separated criteria per filtered request, two decimals; null when no request filtered.",
);
const FILTER_SYNTAX: PropertyDef = one_of(
    "filter.most_used_syntax",
    FILTER_SYNTAXES,
    MergeRule::MostUsed,
    "The filter form used most: a `string`, an `array`, a `mixed` array with `AND`/`OR` inside, or `none` of those; null when no request filtered.",
    "\"string\"",
)
.nullable();
const GEO_RADIUS: PropertyDef = flag("filter.with_geoRadius", "Some filter used `_geoRadius(`.");
const GEO_BOX: PropertyDef = flag(
    "filter.with_geoBoundingBox",
    "Some filter used `_geoBoundingBox(`.",
);
const RETRIEVE_VECTORS: PropertyDef = flag(
    "vector.retrieve_vectors",
    "Some request set `retrieveVectors`.",
);
const MAX_RETRIEVE: PropertyDef = maximum(
    "formatting.max_attributes_to_retrieve",
    "Largest number of `attributesToRetrieve` in one request (0 when never given).",
);
const SHOW_SCORE: PropertyDef = flag(
    "scoring.show_ranking_score",
    "Some request set `showRankingScore`.",
);
const SHOW_DETAILS: PropertyDef = flag(
    "scoring.show_ranking_score_details",
    "Some request set `showRankingScoreDetails`.",
);
const THRESHOLD: PropertyDef = flag(
    "scoring.ranking_score_threshold",
    "Some request set `rankingScoreThreshold`.",
);

const SEARCH: &[PropertyDef] = &[
    P99,
    SUCCEEDED,
    FAILED,
    TOTAL_RECEIVED,
    count("requests.total_degraded", "Successful requests whose result was degraded (search cutoff reached)."),
    count("requests.total_used_negative_operator", "Successful requests that used a negative operator (`-word`)."),
    flag("sort.with_geoPoint", "Some sort criterion used `_geoPoint(`."),
    criteria_average(
        "sort.avg_criteria_number",
        "Average number of sort criteria per request that sorted, two decimals; null when no request sorted.",
    ),
    flag("distinct", "Some request set `distinct`."),
    GEO_RADIUS,
    GEO_BOX,
    flag("filter.on_vectors", "Some filter mentioned `_vectors`."),
    FILTER_AVG,
    FILTER_SYNTAX,
    count(
        "attributes_to_search_on.total_number_of_uses",
        "Requests that set `attributesToSearchOn`.",
    ),
    maximum("q.max_terms_number", "Largest number of whitespace-separated terms in one query (never the terms)."),
    maximum("vector.max_vector_size", "Largest `vector` length in one request."),
    RETRIEVE_VECTORS,
    flag("hybrid.enabled", "Some request used hybrid search."),
    flag("hybrid.semantic_ratio", "Some hybrid request set a `semanticRatio` other than 0.5."),
    count("hybrid.total_media", "Requests that set `media`."),
    maximum("pagination.max_limit", "Largest page size: `hitsPerPage` with pages, else `limit` (default 20)."),
    maximum("pagination.max_offset", "Largest offset: `(page - 1) × hitsPerPage` with pages, else `offset`."),
    one_of(
        "pagination.most_used_navigation",
        NAVIGATIONS,
        MergeRule::MostUsed,
        "`exhaustive` when more than half the requests used `page`/`hitsPerPage`, else `estimated` (each request votes for one).",
        "\"estimated\"",
    ),
    MAX_RETRIEVE,
    maximum(
        "formatting.max_attributes_to_highlight",
        "Largest number of `attributesToHighlight` in one request (0 when never given).",
    ),
    flag("formatting.highlight_pre_tag", "Some request set a `highlightPreTag` other than `<em>`."),
    flag("formatting.highlight_post_tag", "Some request set a `highlightPostTag` other than `</em>`."),
    maximum(
        "formatting.max_attributes_to_crop",
        "Largest number of `attributesToCrop` in one request (0 when never given).",
    ),
    flag("formatting.crop_marker", "Some request set a `cropMarker` other than `…`."),
    flag("formatting.show_matches_position", "Some request set `showMatchesPosition`."),
    flag("formatting.crop_length", "Some request set a `cropLength` other than 10."),
    criteria_average(
        "facets.avg_facets_number",
        "Average number of `facets` asked per request that asked for facets, two decimals; null when none did.",
    ),
    one_of(
        "matching_strategy.most_used_strategy",
        MATCHING_STRATEGIES,
        MergeRule::MostUsed,
        "The `matchingStrategy` used most (`Last` is the default).",
        "\"Last\"",
    ),
    set_of("locales", LOCALES, "Every locale given in `locales`.", "[\"en\",\"fr\"]"),
    SHOW_SCORE,
    SHOW_DETAILS,
    THRESHOLD,
    count("personalization.total_personalized", "Requests that set `personalize`."),
    count("network.total_explicit_use_network", "Requests that set `useNetwork: true`."),
    USER_AGENT,
];

const SIMILAR: &[PropertyDef] = &[
    P99,
    SUCCEEDED,
    FAILED,
    TOTAL_RECEIVED,
    GEO_RADIUS,
    GEO_BOX,
    FILTER_AVG,
    FILTER_SYNTAX,
    RETRIEVE_VECTORS,
    maximum("pagination.max_limit", "Largest `limit` (default 20)."),
    maximum("pagination.max_offset", "Largest `offset` (default 0)."),
    MAX_RETRIEVE,
    SHOW_SCORE,
    SHOW_DETAILS,
    THRESHOLD,
    USER_AGENT,
];

pub(super) const EVENTS: &[EventDef] = &[
    server(
        "Documents Searched GET",
        "Searches made with `GET /indexes/{uid}/search`.",
        "After the search ran, whether it succeeded or failed.",
        SEARCH,
    ),
    server(
        "Documents Searched POST",
        "Searches made with `POST /indexes/{uid}/search`.",
        "After the search ran, whether it succeeded or failed.",
        SEARCH,
    ),
    server(
        "Similar GET",
        "Similar-document queries made with `GET /indexes/{uid}/similar`.",
        "After execution.",
        SIMILAR,
    ),
    server(
        "Similar POST",
        "Similar-document queries made with `POST /indexes/{uid}/similar`.",
        "After execution.",
        SIMILAR,
    ),
    server(
        "Documents Searched by Multi-Search POST",
        "Multi-searches (`POST /multi-search`), federated or not.",
        "After execution.",
        &[
            SUCCEEDED,
            FAILED,
            TOTAL_RECEIVED,
            count("indexes.total_single_index", "Requests whose queries all targeted one index."),
            count("indexes.total_distinct_index_count", "Sum over requests of the number of distinct indexes queried."),
            average("indexes.avg_distinct_index_count", "Distinct indexes per request, on average."),
            count("remotes.total_distinct_remote_count", "Sum over requests of the number of distinct remotes queried."),
            average("remotes.avg_distinct_remote_count", "Distinct remotes per request, on average."),
            count("searches.total_search_count", "Sum over requests of the number of queries."),
            average("searches.avg_search_count", "Queries per request, on average."),
            flag("scoring.show_ranking_score", "Some query set `showRankingScore: true`."),
            flag("scoring.show_ranking_score_details", "Some query set `showRankingScoreDetails: true`."),
            flag("federation.use_federation", "Some request was federated."),
            USER_AGENT,
        ],
    ),
    server(
        "Facet Searched POST",
        "Facet searches (`POST /indexes/{uid}/facet-search`).",
        "After execution.",
        with_pipeline![
            P99,
            SUCCEEDED,
            FAILED,
            count("facets.total_distinct_facet_count", "Number of distinct facet names searched (never the names; at most 1024 are told apart).")
                .merged(MergeRule::DistinctCount),
            flag(
                "facets.additional_search_parameters_provided",
                "Some request also gave search parameters (`q`, `filter`, `vector`, `hybrid`, `locales`, …).",
            ),
        ],
    ),
];
