//! `Settings Updated`: what a settings change (`PATCH /indexes/{uid}/settings` or one of its 22
//! sub-routes) configured, reduced to positions, counts and booleans.
use super::declare::{
    flag, one_of, server, set_of, setting_flag, setting_number, shaped, text, with_pipeline,
};
use super::search::LOCALES;
use super::{EventDef, MergeRule, Privacy, TextFormat, ValueType};

pub(crate) const EMBEDDER_SOURCES: &[&str] = &[
    "openAi",
    "huggingFace",
    "userProvided",
    "ollama",
    "rest",
    "composite",
];
pub(crate) const PROXIMITY_PRECISIONS: &[&str] = &["byWord", "byAttribute"];
pub(crate) const PREFIX_SEARCH: &[&str] = &["indexingTime", "disabled"];

pub(super) const EVENTS: &[EventDef] = &[server(
    "Settings Updated",
    "Index settings changes, one summary per interval; each section reflects the newest change that set it.",
    "After the body is parsed, before the settings are validated, so invalid settings are counted too. Resets (`DELETE`) are not counted.",
    with_pipeline![
        setting_number("ranking_rules.words_position", "0-based position of `words` in `rankingRules`; null if absent or not set."),
        setting_number("ranking_rules.typo_position", "Position of `typo`."),
        setting_number("ranking_rules.proximity_position", "Position of `proximity`."),
        setting_number("ranking_rules.attribute_position", "Position of `attribute`."),
        setting_number("ranking_rules.attribute_rank_position", "Position of `attributeRank`."),
        setting_number("ranking_rules.word_position_position", "Position of `wordPosition`."),
        setting_number("ranking_rules.sort_position", "Position of `sort`."),
        setting_number("ranking_rules.exactness_position", "Position of `exactness`."),
        text(
            "ranking_rules.values",
            TextFormat::SortDirections,
            MergeRule::LastNonNull,
            "The directions of the custom `attribute:asc`/`attribute:desc` rules, in order, joined with `, ` (`\"asc, desc\"`); the attribute names are never sent. `\"\"` when there are none; null if not set.",
            "\"asc, desc\"",
        )
        .nullable(),
        setting_number("searchable_attributes.total", "Number of `searchableAttributes`."),
        setting_flag("searchable_attributes.with_wildcard", "`searchableAttributes` contains `*`."),
        setting_number("displayed_attributes.total", "Number of `displayedAttributes`."),
        setting_flag("displayed_attributes.with_wildcard", "`displayedAttributes` contains `*`."),
        setting_number("sortable_attributes.total", "Number of `sortableAttributes`."),
        setting_flag("sortable_attributes.has_geo", "`sortableAttributes` contains `_geo`."),
        setting_number("filterable_attributes.total", "Number of `filterableAttributes` rules."),
        setting_flag("filterable_attributes.has_geo", "A plain `_geo` filterable rule."),
        setting_flag("filterable_attributes.has_patterns", "At least one pattern (object) filterable rule."),
        flag("foreign_keys.set", "`foreignKeys` was set."),
        setting_number("foreign_keys.total", "Number of foreign keys."),
        flag("distinct_attribute.set", "`distinctAttribute` was set."),
        flag("proximity_precision.set", "`proximityPrecision` was set."),
        one_of(
            "proximity_precision.value",
            PROXIMITY_PRECISIONS,
            MergeRule::LastNonNull,
            "The `proximityPrecision` set.",
            "\"byWord\"",
        )
        .nullable(),
        setting_flag("typo_tolerance.enabled", "Typo tolerance enabled (false only when `enabled: false`); null if not set."),
        setting_flag("typo_tolerance.disable_on_attributes", "`disableOnAttributes` is non-empty."),
        setting_flag("typo_tolerance.disable_on_words", "`disableOnWords` is non-empty."),
        setting_number("typo_tolerance.min_word_size_for_one_typo", "`minWordSizeForTypos.oneTypo`."),
        setting_number("typo_tolerance.min_word_size_for_two_typos", "`minWordSizeForTypos.twoTypos`."),
        setting_number("faceting.max_values_per_facet", "`faceting.maxValuesPerFacet`."),
        setting_flag("faceting.sort_facet_values_by_star_count", "`sortFacetValuesBy` has `\"*\": \"count\"`."),
        setting_number("faceting.sort_facet_values_by_total", "Number of `sortFacetValuesBy` entries."),
        setting_number("pagination.max_total_hits", "`pagination.maxTotalHits`."),
        setting_number("stop_words.total", "Number of stop words."),
        setting_number("synonyms.total", "Number of synonym keys."),
        setting_number("embedders.total", "Number of embedders (entries set to null included)."),
        set_of("embedders.sources", EMBEDDER_SOURCES, "Embedder `source`s used.", "[\"openAi\"]").nullable(),
        setting_flag("embedders.document_template_used", "Some embedder sets `documentTemplate`.").merged(MergeRule::Or),
        setting_number("embedders.document_template_max_bytes", "Largest `documentTemplateMaxBytes`.")
            .merged(MergeRule::Max)
            .unit("bytes"),
        setting_flag("embedders.binary_quantization_used", "Some embedder sets `binaryQuantized`.").merged(MergeRule::Or),
        setting_number("search_cutoff_ms", "`searchCutoffMs`.").unit("ms"),
        shaped(
            "locales",
            ValueType::StringArray,
            MergeRule::LastNonNull,
            Privacy::Vocabulary(LOCALES),
            "Every locale of the `localizedAttributes` rules, in Meilisearch's locale order; null if not set.",
            "[\"en\",\"fr\"]",
        )
        .nullable(),
        setting_number("dictionary.total", "Number of `dictionary` entries."),
        setting_number("separator_tokens.total", "Number of `separatorTokens`."),
        setting_number("non_separator_tokens.total", "Number of `nonSeparatorTokens`."),
        flag("facet_search.set", "`facetSearch` was set."),
        setting_flag("facet_search.value", "The `facetSearch` value."),
        flag("prefix_search.set", "`prefixSearch` was set."),
        one_of("prefix_search.value", PREFIX_SEARCH, MergeRule::LastNonNull, "The `prefixSearch` value.", "\"indexingTime\"")
            .nullable(),
        flag("chat.set", "The `chat` settings were set."),
    ],
)];
