//! The metric catalog: the one declaration of every event and property that may leave the
//! machine. Message building validates against it, so nothing outside it can be sent, and the
//! published documentation, JSON Schema and TypeScript types are generated from it.
//!
//! This file holds the vocabulary of a declaration (types, merge rules, privacy classes); the
//! declarations themselves live in the sibling modules, one per event family, so that a reviewer
//! reads what is collected without reading any aggregation code.

use crate::prelude::*;

pub(crate) mod admin;
use crate::json::same_text;

mod dashboard;
pub mod decisions;
mod declare;
pub(crate) mod documents;
#[cfg(feature = "server")]
mod identify;
pub(crate) mod search;
pub(crate) mod settings;
pub mod validate;

pub use validate::check_value;
pub(crate) use validate::require_event;

/// How a message is sent: a Segment `track` with properties, or an `identify` with traits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Track,
    Identify,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Track => "track",
            EventKind::Identify => "identify",
        }
    }
}

/// Who observes the event: the Meilisearch server's own telemetry, or the dashboard in a browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Server,
    Dashboard,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Server => "server",
            Origin::Dashboard => "dashboard",
        }
    }
}

/// The JSON type of a property as sent (a nullable property may also be `null`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    Boolean,
    /// A non-negative integer.
    Integer,
    /// A finite non-negative number, written with at most two decimals.
    Number,
    String,
    StringArray,
    IntegerArray,
    /// An object from closed-vocabulary keys to non-negative integers.
    CountMap,
    /// Always `null` (kept only for wire compatibility).
    Null,
}

impl ValueType {
    /// The documentation name of the type.
    pub fn as_str(self) -> &'static str {
        match self {
            ValueType::Boolean => "boolean",
            ValueType::Integer => "integer",
            ValueType::Number => "number",
            ValueType::String => "string",
            ValueType::StringArray => "array of strings",
            ValueType::IntegerArray => "array of integers",
            ValueType::CountMap => "object of counts",
            ValueType::Null => "null",
        }
    }
}

/// How two aggregates of one event merge a property (section 1 of the server reference).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MergeRule {
    /// Saturating integer addition.
    Sum,
    Max,
    Min,
    /// Boolean OR.
    Or,
    /// The newer value replaces the older one.
    Last,
    /// The newer value replaces the older one unless it is null.
    LastNonNull,
    /// Set union, sent as a sorted array.
    Union,
    /// Per-value counters summed; the most used value is sent (ties: the value earliest in the
    /// property's vocabulary).
    MostUsed,
    /// Numerator and denominator summed; divided when sent.
    Ratio,
    /// The 99th percentile of the merged values, from a bounded quantile sketch.
    Percentile99,
    /// Computed when sent from other properties of the same event.
    Derived,
    /// Per-key counters summed.
    PerKeySum,
    /// Distinct values collected (as hashes, never sent); their number is sent.
    DistinctCount,
    /// Set by the pipeline for every event (`user-agent`, `requests.total_received`).
    Pipeline,
    /// Never changes (a value the server always sends the same).
    Constant,
}

impl MergeRule {
    pub fn as_str(self) -> &'static str {
        match self {
            MergeRule::Sum => "sum",
            MergeRule::Max => "max",
            MergeRule::Min => "min",
            MergeRule::Or => "or",
            MergeRule::Last => "last",
            MergeRule::LastNonNull => "last-non-null",
            MergeRule::Union => "union",
            MergeRule::MostUsed => "most-used",
            MergeRule::Ratio => "ratio",
            MergeRule::Percentile99 => "p99",
            MergeRule::Derived => "derived",
            MergeRule::PerKeySum => "per-key-sum",
            MergeRule::DistinctCount => "distinct-count",
            MergeRule::Pipeline => "pipeline",
            MergeRule::Constant => "constant",
        }
    }

    /// Whether a recording call may set the property directly (the others are computed).
    pub fn is_recordable(self) -> bool {
        matches!(
            self,
            MergeRule::Sum
                | MergeRule::Max
                | MergeRule::Min
                | MergeRule::Or
                | MergeRule::Last
                | MergeRule::LastNonNull
                | MergeRule::Union
        )
    }
}

/// The Meilisearch clients whose `X-Meilisearch-Client` / `User-Agent` names are sent (with their
/// version); any other client is `other`, so no free text from a header ever leaves.
pub const KNOWN_CLIENTS: &[&str] = &[
    "JavaScript",
    "instant-meilisearch",
    "mini-dashboard",
    "docs-scraper",
    "docsearch",
    "Python",
    "Ruby",
    "Rails",
    "Go",
    "Rust",
    "PHP",
    "Laravel Scout",
    "Symfony",
    "Java",
    ".NET",
    "Swift",
    "Dart",
    "Strapi",
    "Gatsby",
    "Firebase",
    "Vuepress",
    "Vue",
    "React",
    "Angular",
    "Svelte",
    "Meteor",
    "Elixir",
    "Kotlin",
    "C++",
    "Crystal",
    "Deno",
    "Nuxt",
    "Next.js",
    "Wordpress",
    "Magento",
    "Shopify",
    "Drupal",
    "Django",
    "Flask",
    "Node",
    "Bun",
];

/// A constrained text format: the only strings that are not from a fixed list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextFormat {
    /// A release version: `1.50.0`, `v0.57.0`, `1.2.0-rc.1`, or `prototype-<name>-<n>`.
    Version,
    /// A decimal number with two decimals, as the server formats averages (`"1.50"`).
    Decimal,
    /// A whole number written as text (`"12"`).
    IntegerText,
    /// A byte size with its unit, as the server writes it (`"100 MB"`, `"10 KiB"`).
    ByteSize,
    /// `Meilisearch <known client>` from [`KNOWN_CLIENTS`], optionally with `(v<version>)`, or
    /// `other`.
    ClientAgent,
    /// Sort directions only, joined with `, ` (`"asc, desc"`), or empty.
    SortDirections,
}

impl TextFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            TextFormat::Version => "version",
            TextFormat::Decimal => "decimal",
            TextFormat::IntegerText => "integer-text",
            TextFormat::ByteSize => "byte-size",
            TextFormat::ClientAgent => "client-agent",
            TextFormat::SortDirections => "sort-directions",
        }
    }
}

/// What kind of information a property carries: the privacy review's vocabulary. There is no
/// free-text class: every string is drawn from a closed list or a narrow format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Privacy {
    /// A yes/no fact.
    Boolean,
    /// A count of requests or items.
    Count,
    /// A number that describes a configuration or a size, not a person (a maximum, a position,
    /// a byte size, a duration).
    Bucketed,
    /// One of a closed list of strings (for arrays and count maps: each element or key).
    Vocabulary(&'static [&'static str]),
    /// A string in a constrained format.
    Format(TextFormat),
    /// A value that never varies.
    Constant,
}

impl Privacy {
    pub fn as_str(self) -> &'static str {
        match self {
            Privacy::Boolean => "boolean",
            Privacy::Count => "count",
            Privacy::Bucketed => "bucketed number",
            Privacy::Vocabulary(_) => "closed vocabulary",
            Privacy::Format(TextFormat::Version) => "version string",
            Privacy::Format(_) => "formatted value",
            Privacy::Constant => "constant",
        }
    }
}

/// One property of an event, at its JSON path as sent (dots separate nested objects, except on
/// the paths the server sends as literal dotted keys, see [`PropertyDef::literal_key`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PropertyDef {
    pub path: &'static str,
    pub value_type: ValueType,
    pub nullable: bool,
    pub merge: MergeRule,
    pub privacy: Privacy,
    pub unit: Option<Doc>,
    pub description: Doc,
    /// An example value, as JSON text.
    pub example: Doc,
    /// The path is one literal key containing dots, not nested objects.
    pub literal_key: bool,
}

impl PropertyDef {
    /// The JSON object keys leading to the value, outermost first.
    pub fn keys(&self) -> Vec<&'static str> {
        if self.literal_key {
            vec![self.path]
        } else {
            self.path.split('.').collect()
        }
    }
}

/// Text for people (descriptions, triggers, examples, units): kept with the feature `docs`, which
/// the catalog tool (pages, schema, JS types) enables, and absent from the wasm, where nothing
/// reads it and every byte of the catalog tables is downloaded by every dashboard user.
#[cfg(feature = "docs")]
pub type Doc = &'static str;
/// Text for people: absent without the feature `docs` (see its definition).
#[cfg(not(feature = "docs"))]
pub type Doc = ();

/// One event: its exact name as sent, and every property it may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventDef {
    pub name: &'static str,
    pub kind: EventKind,
    pub origin: Origin,
    pub description: Doc,
    /// What the event counts, and when.
    pub trigger: Doc,
    pub properties: &'static [PropertyDef],
}

impl EventDef {
    /// The declaration of `path` in this event, with its position.
    pub fn property(&self, path: &str) -> Option<(usize, &'static PropertyDef)> {
        self.properties
            .iter()
            .enumerate()
            .find(|(_, p)| same_text(p.path, path))
    }
}

/// Every event of the catalog, in documentation order.
pub fn events() -> &'static [EventDef] {
    &ALL
}

/// The declarations of each part of the catalog, in documentation order.
const PARTS: &[&[EventDef]] = &[
    search::EVENTS,
    settings::EVENTS,
    documents::EVENTS,
    admin::EVENTS,
    // The instance's traits are sent by the server only: a browser never builds them, so the
    // wasm does not carry their ninety declarations.
    #[cfg(feature = "server")]
    identify::EVENTS,
    dashboard::EVENTS,
];

/// How many events the catalog declares.
const EVENT_COUNT: usize = {
    let (mut count, mut part) = (0, 0);
    while part < PARTS.len() {
        count += PARTS[part].len();
        part += 1;
    }
    count
};

/// Every event, concatenated when the program is compiled (no initialization at run time).
static ALL: [EventDef; EVENT_COUNT] = concatenate(PARTS);

const fn concatenate<const N: usize>(parts: &[&[EventDef]]) -> [EventDef; N] {
    let mut all = [parts[0][0]; N];
    let (mut at, mut part) = (0, 0);
    while part < parts.len() {
        let mut i = 0;
        while i < parts[part].len() {
            all[at] = parts[part][i];
            at += 1;
            i += 1;
        }
        part += 1;
    }
    all
}

/// The declaration of the event named `name`.
pub fn event(name: &str) -> Option<&'static EventDef> {
    events().iter().find(|e| same_text(e.name, name))
}

#[cfg(test)]
mod tests;
