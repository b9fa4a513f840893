//! Where the server's own output is broken or leaks user-controlled text, what this catalog does
//! instead, and why. Published on the generated "What we collect" page.
/// One decision: the server's behaviour, kept for compatibility or fixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub topic: &'static str,
    pub server: &'static str,
    pub choice: Choice,
    pub reason: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Kept,
    Fixed,
}

impl Choice {
    pub fn as_str(self) -> &'static str {
        match self {
            Choice::Kept => "kept",
            Choice::Fixed => "fixed",
        }
    }
}

const fn kept(topic: &'static str, server: &'static str, reason: &'static str) -> Decision {
    Decision {
        topic,
        server,
        choice: Choice::Kept,
        reason,
    }
}

const fn fixed(topic: &'static str, server: &'static str, reason: &'static str) -> Decision {
    Decision {
        topic,
        server,
        choice: Choice::Fixed,
        reason,
    }
}

pub const DECISIONS: &[Decision] = &[
    kept("Wire names", "`user-agent`, `payload_types`, `requests.99th_response_time`, top-level export keys.", "Existing dashboards and collectors read these names."),
    kept("`requests.99th_response_time` as a string", "An integer in a string (`\"12\"`).", "Its type is part of the wire format readers parse."),
    fixed("`requests.99th_response_time` value", "Keeps every latency and sorts at send; facet search uses another index formula that gives null for one request.", "A bounded quantile sketch (1% relative error) with one formula for every event: memory no longer grows with traffic."),
    kept("Averages as two-decimal strings", "`sort.avg_criteria_number`, `filter.avg_criteria_number`, `facets.avg_facets_number` are strings like `\"1.50\"`.", "Readers parse strings."),
    fixed("`\"NaN\"` averages", "`\"NaN\"` when no request had the parameter (0/0).", "Sent as `null`, which JSON readers understand; `\"NaN\"` is not a number in any of them."),
    fixed("`facets.avg_facets_number`", "Never computed: always `\"NaN\"`.", "Computed from the number of `facets` asked, as the documentation describes."),
    fixed("`formatting.max_attributes_to_retrieve/highlight/crop`", "Never computed: always 0.", "Computed as the largest number of attributes asked in one request."),
    fixed("`separator_tokens.total` merge", "Takes the newer event's `non_separator_tokens.total` (a bug).", "Merged as last-non-null of its own value."),
    fixed("Ties of most-used values", "Decided by hash-map iteration order: nondeterministic.", "The value earliest in the property's vocabulary wins, so the same inputs give the same bytes."),
    fixed("Order of sets and of messages", "Hash-set order for `user-agent`, `payload_types`, `primary_key`, `embedders.sources`; hash-map order for messages in a batch.", "Sets are sent sorted (locales in Meilisearch's order); messages in catalog order."),
    fixed("`ranking_rules.values`", "The custom ranking rules with their attribute names (`\"price:asc\"`): user-controlled text.", "Only the directions are sent (`\"asc, desc\"`)."),
    fixed("`primary_key`", "Primary-key names as given: user-controlled text.", "A common name (`id`, `uid`, …) or `other`."),
    fixed("`payload_types`", "The raw `Content-Type` header, parameters included.", "The media type from a closed list, else `other`."),
    fixed("`user-agent`", "Raw header segments: any text a client sends.", "Known Meilisearch clients with their version, else `other`."),
    fixed("`models_used`", "Chat model names as given.", "Model families from a closed list, else `other`."),
    fixed("`system.server_provider`, `system.distribution`", "Raw `MEILI_SERVER_PROVIDER` value and OS name.", "A closed list, else `other`."),
    kept("Literal dotted keys of `Documents Fetched`", "`\"vector.retrieve_vectors\"`, `\"pagination.max_limit\"`, `\"pagination.max_offset\"` are single keys, not nested objects.", "Readers of the existing data expect these keys."),
    kept("`marker` on `Documents Fetched`", "Always `null`.", "Kept so existing schemas keep validating; it carries nothing."),
    kept("Duplicated counts", "`Export Triggered` and `Chat Completion POST` send `total_received` and `requests.total_received`.", "Both are read today; they are always equal."),
    fixed("Averages of multi-search, export and chat", "Full-precision floats.", "Rounded to two decimals: enough for any dashboard, and no float noise across platforms."),
    fixed("`experimental_max_number_of_batched_tasks`", "`usize::MAX` (18446744073709551615) for unlimited, beyond JSON number precision.", "Capped at 9007199254740991, the largest exact JSON integer."),
    fixed("Chat non-streamed requests", "`total_non_streamed_requests` is always 0: the handler returns \"not implemented\" before publishing.", "Counted, whatever the answer: the field then says how often clients ask for what the server cannot do."),
    kept("Chat set-up time", "`time_spent.*` measures the time to set the stream up, not the completion.", "Readers compare it across versions; the observer's own duration to the response headers is used the same way."),
    fixed("`facets.total_distinct_facet_count` memory", "Keeps every facet name of the interval in memory.", "Keeps 64-bit hashes of at most 1024 names: the count saturates there, memory does not grow."),
    kept("Routes counted before validation", "Settings, document, swap, index, dump and snapshot routes count invalid requests too; network, webhooks, export and dynamic search rules count only successes.", "The same counts as the server, so both sides of a migration agree."),
    kept("`Launched` properties", "`null`.", "Segment and existing readers accept it."),
];
