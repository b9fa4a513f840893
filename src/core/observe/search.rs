//! Search events from raw requests: `Documents Searched GET/POST`, `Similar GET/POST`,
//! multi-search and facet search, each property derived as the server derives it (reference
//! section 3.1–3.4), with the fixes the catalog decided.

use crate::prelude::*;

use super::fields::{as_u64, is_true, len, limit_and_offset, strings, FilterFacts, DEFAULT_LIMIT};
use super::request::Request;
use crate::aggregate::Observation;
use crate::catalog::search::LOCALES;
use crate::collections::SortedSet;
use crate::json::{Json, Value};

/// Success, latency and the counts that depend on the result.
fn outcome(o: &mut Observation, request: &Request, with_search_result: bool) {
    if !request.succeeded() {
        return;
    }
    if let Some(ms) = as_u64(
        request
            .response_body()
            .and_then(|b| b.get("processingTimeMs")),
    ) {
        o.latency("requests.99th_response_time", ms);
    }
    o.number("requests.total_succeeded", 1);
    if with_search_result {
        let body = request.response_body();
        let degraded = is_true(body.and_then(|b| b.get("degraded")));
        o.number("requests.total_degraded", u64::from(degraded));
    }
}

fn filter(o: &mut Observation, body: &Json, on_vectors: bool) {
    let Some(filter) = body.get("filter").filter(|f| **f != Json::Null) else {
        return;
    };
    let facts = FilterFacts::of(filter);
    o.flag("filter.with_geoRadius", facts.mentions("_geoRadius("));
    o.flag(
        "filter.with_geoBoundingBox",
        facts.mentions("_geoBoundingBox("),
    );
    if on_vectors {
        o.flag("filter.on_vectors", facts.mentions("_vectors"));
    }
    o.ratio("filter.avg_criteria_number", facts.criteria, 1);
    o.vote("filter.most_used_syntax", facts.syntax);
}

fn scoring(o: &mut Observation, body: &Json) {
    o.flag(
        "scoring.show_ranking_score",
        is_true(body.get("showRankingScore")),
    );
    o.flag(
        "scoring.show_ranking_score_details",
        is_true(body.get("showRankingScoreDetails")),
    );
    o.flag(
        "scoring.ranking_score_threshold",
        present(body, "rankingScoreThreshold"),
    );
}

fn present(body: &Json, key: &str) -> bool {
    is_present(body.get(key))
}

fn text<'a>(body: &'a Json, key: &str) -> Option<&'a str> {
    text_of(body.get(key))
}

/// What the server counts in a query's words (split on Unicode white space).
#[derive(Default)]
struct QueryTerms {
    count: u64,
    /// Some word is `-` followed by something: the negative operator.
    negative: bool,
}

impl QueryTerms {
    fn of(q: &str) -> Self {
        let mut terms = Self::default();
        let mut add = |word: &[u8]| {
            terms.count += 1;
            terms.negative |= word.len() > 1 && word[0] == b'-';
        };
        if q.is_ascii() {
            // The common case, a byte at a time: the ASCII white space `char::is_whitespace` knows.
            q.as_bytes()
                .split(|b| matches!(b, b'\t'..=b'\r' | b' '))
                .filter(|word| !word.is_empty())
                .for_each(&mut add);
        } else {
            q.split_whitespace().for_each(|word| add(word.as_bytes()));
        }
        terms
    }
}

/// Declares [`SearchField`] (the body fields [`search`] reads), the key of each, and how many;
/// the keys are declared shortest first (checked when compiled).
macro_rules! search_fields {
    ($($field:ident = $key:literal,)*) => {
        /// A body field [`search`] reads, found once by [`SearchFields::of`].
        #[derive(Debug, Clone, Copy)]
        enum SearchField {
            $($field,)*
        }

        /// How many fields [`SearchField`] names.
        const FIELD_COUNT: usize = [$(SearchField::$field,)*].len();

        /// Each field's key, shortest first.
        const KEYS: [(&str, SearchField); FIELD_COUNT] = [$(($key, SearchField::$field),)*];
    };
}

search_fields! {
    Q = "q",
    Page = "page",
    Sort = "sort",
    Media = "media",
    Facets = "facets",
    Hybrid = "hybrid",
    Vector = "vector",
    Locales = "locales",
    Distinct = "distinct",
    CropLength = "cropLength",
    CropMarker = "cropMarker",
    UseNetwork = "useNetwork",
    HitsPerPage = "hitsPerPage",
    Personalize = "personalize",
    HybridEmbedder = "hybridEmbedder",
    HighlightPreTag = "highlightPreTag",
    RetrieveVectors = "retrieveVectors",
    AttributesToCrop = "attributesToCrop",
    HighlightPostTag = "highlightPostTag",
    MatchingStrategy = "matchingStrategy",
    HybridSemanticRatio = "hybridSemanticRatio",
    ShowMatchesPosition = "showMatchesPosition",
    AttributesToRetrieve = "attributesToRetrieve",
    AttributesToSearchOn = "attributesToSearchOn",
    AttributesToHighlight = "attributesToHighlight",
    PersonalizeUserContext = "personalizeUserContext",
}

const _: () = assert!(
    shortest_first(&KEYS),
    "declare the search fields shortest key first"
);

/// The length of the longest key.
const LONGEST_KEY: usize = KEYS[FIELD_COUNT - 1].0.len();

/// `KEYS_BY_LENGTH[n]..KEYS_BY_LENGTH[n + 1]`: where the keys of `n` bytes are in [`KEYS`].
const KEYS_BY_LENGTH: [u8; LONGEST_KEY + 2] = starts_by_length(&KEYS);

/// Whether the keys are declared shortest first, as [`KEYS_BY_LENGTH`] needs.
const fn shortest_first(keys: &[(&str, SearchField)]) -> bool {
    let mut i = 1;
    while i < keys.len() {
        if keys[i - 1].0.len() > keys[i].0.len() {
            return false;
        }
        i += 1;
    }
    true
}

/// For each length `n` up to `N - 1`, the index of the first key of `n` bytes or more.
const fn starts_by_length<const N: usize>(keys: &[(&str, SearchField)]) -> [u8; N] {
    let mut starts = [0; N];
    let mut length = 0;
    while length < N {
        let mut first = 0;
        while first < keys.len() && keys[first].0.len() < length {
            first += 1;
        }
        starts[length] = first as u8;
        length += 1;
    }
    starts
}

impl SearchField {
    /// The field a body key names, if `search` reads it: only the keys of its length are compared
    /// (at most three of the 26).
    fn of(key: &str) -> Option<Self> {
        let from = usize::from(*KEYS_BY_LENGTH.get(key.len())?);
        let to = usize::from(*KEYS_BY_LENGTH.get(key.len() + 1)?);
        KEYS.get(from..to)?
            .iter()
            .find(|(k, _)| k.as_bytes() == key.as_bytes())
            .map(|&(_, field)| field)
    }
}

/// A search body's fields in one pass over its entries, instead of a lookup per field read (a
/// search reads about thirty). The first of a repeated key wins, as a lookup finds it.
struct SearchFields<'b, 'a>([Option<&'b Json<'a>>; FIELD_COUNT]);

impl<'b, 'a> SearchFields<'b, 'a> {
    fn of(body: &'b Json<'a>) -> Self {
        let mut fields = Self([None; FIELD_COUNT]);
        if let Json::Object(entries) = body {
            for (key, value) in entries {
                if let Some(field) = SearchField::of(key) {
                    fields.0[field as usize].get_or_insert(value);
                }
            }
        }
        fields
    }

    fn get(&self, field: SearchField) -> Option<&'b Json<'a>> {
        self.0[field as usize]
    }
}

/// The text of a string field.
fn text_of<'b>(value: Option<&'b Json>) -> Option<&'b str> {
    value.and_then(Json::as_str)
}

/// A field given and not null.
fn is_present(value: Option<&Json>) -> bool {
    value.is_some_and(|v| *v != Json::Null)
}

/// `Documents Searched GET/POST`: `body` is the POST body, or the GET query converted to one.
pub fn search(o: &mut Observation, request: &Request, body: &Json) {
    use SearchField::*;
    let f = SearchFields::of(body);
    outcome(o, request, true);
    let terms = text_of(f.get(Q)).map_or(QueryTerms::default(), QueryTerms::of);
    if request.succeeded() {
        o.number(
            "requests.total_used_negative_operator",
            u64::from(terms.negative),
        );
    }
    if let Some(Json::Array(sort)) = f.get(Sort) {
        let geo = sort
            .iter()
            .any(|c| matches!(c, Json::String(s) if s.contains("_geoPoint(")));
        o.flag("sort.with_geoPoint", geo);
        o.ratio("sort.avg_criteria_number", sort.len() as u64, 1);
    }
    o.flag("distinct", is_present(f.get(Distinct)));
    filter(o, body, true);
    o.number(
        "attributes_to_search_on.total_number_of_uses",
        u64::from(is_present(f.get(AttributesToSearchOn))),
    );
    o.number("q.max_terms_number", terms.count);
    o.number("vector.max_vector_size", len(f.get(Vector)));
    o.flag("vector.retrieve_vectors", is_true(f.get(RetrieveVectors)));
    let hybrid = f
        .get(Hybrid)
        .filter(|h| **h != Json::Null)
        .or_else(|| f.get(HybridEmbedder));
    o.flag("hybrid.enabled", hybrid.is_some());
    let ratio = hybrid
        .and_then(|h| h.get("semanticRatio"))
        .or_else(|| f.get(HybridSemanticRatio));
    let non_default_ratio = match ratio {
        Some(Json::Float(x)) => *x != 0.5,
        Some(Json::String(s)) => s.trim() != "0.5",
        Some(Json::Int(_)) => true,
        _ => false,
    };
    o.flag(
        "hybrid.semantic_ratio",
        hybrid.is_some() && non_default_ratio,
    );
    o.number("hybrid.total_media", u64::from(is_present(f.get(Media))));
    let finite = is_present(f.get(Page)) || is_present(f.get(HitsPerPage));
    if finite {
        let per_page = as_u64(f.get(HitsPerPage)).unwrap_or(DEFAULT_LIMIT);
        let page = as_u64(f.get(Page)).unwrap_or(1);
        o.number("pagination.max_limit", per_page);
        o.number(
            "pagination.max_offset",
            page.saturating_sub(1).saturating_mul(per_page),
        );
    } else {
        limit_and_offset(o, body);
    }
    o.vote(
        "pagination.most_used_navigation",
        if finite { "exhaustive" } else { "estimated" },
    );
    o.number(
        "formatting.max_attributes_to_retrieve",
        len(f.get(AttributesToRetrieve)),
    );
    o.number(
        "formatting.max_attributes_to_highlight",
        len(f.get(AttributesToHighlight)),
    );
    let differs =
        |key: SearchField, default: &str| text_of(f.get(key)).is_some_and(|v| v != default);
    o.flag(
        "formatting.highlight_pre_tag",
        differs(HighlightPreTag, "<em>"),
    );
    o.flag(
        "formatting.highlight_post_tag",
        differs(HighlightPostTag, "</em>"),
    );
    o.number(
        "formatting.max_attributes_to_crop",
        len(f.get(AttributesToCrop)),
    );
    o.flag("formatting.crop_marker", differs(CropMarker, "…"));
    o.flag(
        "formatting.show_matches_position",
        is_true(f.get(ShowMatchesPosition)),
    );
    let crop_length = as_u64(f.get(CropLength));
    o.flag(
        "formatting.crop_length",
        crop_length.is_some_and(|n| n != 10),
    );
    if is_present(f.get(Facets)) {
        o.ratio("facets.avg_facets_number", len(f.get(Facets)), 1);
    }
    let strategy = match text_of(f.get(MatchingStrategy)) {
        Some("all") => "All",
        Some("frequency") => "Frequency",
        _ => "Last",
    };
    o.vote("matching_strategy.most_used_strategy", strategy);
    let locales: Vec<Value> = strings(f.get(Locales))
        .into_iter()
        .filter(|l| LOCALES.contains(l))
        .map(Json::from)
        .collect();
    o.value("locales", Json::Array(locales));
    scoring(o, body);
    o.number(
        "personalization.total_personalized",
        u64::from(is_present(f.get(Personalize)) || is_present(f.get(PersonalizeUserContext))),
    );
    o.number(
        "network.total_explicit_use_network",
        u64::from(is_true(f.get(UseNetwork))),
    );
}

/// `Similar GET/POST`.
pub fn similar(o: &mut Observation, request: &Request, body: &Json) {
    outcome(o, request, false);
    filter(o, body, false);
    o.flag(
        "vector.retrieve_vectors",
        is_true(body.get("retrieveVectors")),
    );
    limit_and_offset(o, body);
    o.number(
        "formatting.max_attributes_to_retrieve",
        len(body.get("attributesToRetrieve")),
    );
    scoring(o, body);
}

/// `Documents Searched by Multi-Search POST`.
pub(crate) fn multi_search(o: &mut Observation, request: &Request) {
    let empty = Json::object();
    let body = request.body.as_ref().unwrap_or(&empty);
    if request.succeeded() {
        o.number("requests.total_succeeded", 1);
    }
    let queries: &[Json] = match body.get("queries") {
        Some(Json::Array(queries)) => queries,
        _ => &[],
    };
    let indexes: SortedSet<&str> = queries.iter().filter_map(|q| text(q, "indexUid")).collect();
    let remotes: SortedSet<&str> = queries
        .iter()
        .filter_map(|q| q.get("federationOptions").and_then(|f| text(f, "remote")))
        .collect();
    o.number("indexes.total_single_index", u64::from(indexes.len() == 1));
    o.number("indexes.total_distinct_index_count", indexes.len() as u64);
    o.ratio("indexes.avg_distinct_index_count", indexes.len() as u64, 1);
    o.number("remotes.total_distinct_remote_count", remotes.len() as u64);
    o.ratio("remotes.avg_distinct_remote_count", remotes.len() as u64, 1);
    o.number("searches.total_search_count", queries.len() as u64);
    o.ratio("searches.avg_search_count", queries.len() as u64, 1);
    o.flag(
        "scoring.show_ranking_score",
        queries.iter().any(|q| is_true(q.get("showRankingScore"))),
    );
    o.flag(
        "scoring.show_ranking_score_details",
        queries
            .iter()
            .any(|q| is_true(q.get("showRankingScoreDetails"))),
    );
    o.flag("federation.use_federation", present(body, "federation"));
}

/// The search parameters whose presence makes a facet search "with additional parameters".
const FACET_SEARCH_EXTRAS: &[&str] = &[
    "q",
    "vector",
    "media",
    "filter",
    "hybrid",
    "attributesToSearchOn",
    "rankingScoreThreshold",
    "locales",
    "exhaustiveFacetCount",
    "useNetwork",
];

/// `Facet Searched POST`.
pub fn facet_search(o: &mut Observation, request: &Request) {
    let empty = Json::object();
    let body = request.body.as_ref().unwrap_or(&empty);
    outcome(o, request, false);
    if let Some(name) = text(body, "facetName") {
        o.distinct("facets.total_distinct_facet_count", name);
    }
    let strategy = text(body, "matchingStrategy").is_some_and(|s| s != "last");
    let extras = strategy || FACET_SEARCH_EXTRAS.iter().any(|k| present(body, k));
    o.flag("facets.additional_search_parameters_provided", extras);
}

#[cfg(test)]
mod tests {
    use super::QueryTerms;
    use crate::prelude::*;

    #[test]
    fn each_key_names_its_field_and_nothing_else_names_one() {
        for (key, field) in super::KEYS {
            assert_eq!(
                super::SearchField::of(key).map(|f| f as usize),
                Some(field as usize)
            );
            let longer = [key, "x"].concat();
            assert!(super::SearchField::of(&longer).is_none(), "{longer}");
            assert!(
                super::SearchField::of(&key.to_ascii_uppercase()).is_none(),
                "{key}"
            );
        }
        for other in ["", "limit", "offset", "filter", "Q", &"q".repeat(300)] {
            assert!(super::SearchField::of(other).is_none(), "{other}");
        }
    }

    #[test]
    fn one_pass_finds_what_a_lookup_finds() {
        use super::SearchField::*;
        let body = crate::json::text::parse(
            r#"{"vector":[1,2],"q":"x","attributesToCrop":["a"],"q":"later","other":1}"#,
        )
        .unwrap();
        let fields = super::SearchFields::of(&body);
        for (field, key) in [
            (Vector, "vector"),
            (Q, "q"),
            (AttributesToCrop, "attributesToCrop"),
        ] {
            assert_eq!(fields.get(field), body.get(key), "{key}");
        }
        assert_eq!(fields.get(Sort), None);
    }

    #[test]
    fn query_terms_split_as_split_whitespace_does() {
        for q in [
            "",
            "  ",
            "star wars",
            "\tstar\u{b}wars\r\n-x",
            "-",
            "a - b",
            "a -b",
            "caf\u{e9} -cr\u{e8}me",
            "a\u{a0}-b",
            "x\u{2003}y\u{85}z",
        ] {
            let terms = QueryTerms::of(q);
            let words: Vec<&str> = q.split_whitespace().collect();
            assert_eq!(terms.count, words.len() as u64, "{q:?}");
            let negative = words.iter().any(|t| t.len() > 1 && t.starts_with('-'));
            assert_eq!(terms.negative, negative, "{q:?}");
        }
    }
}
