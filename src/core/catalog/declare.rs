//! Short constructors for declarations, so that each event reads as a list of one-line entries.
//! Each names the property's type, merge rule and privacy class in its own name.
use super::{
    Doc, EventDef, EventKind, MergeRule, Origin, Privacy, PropertyDef, TextFormat, ValueType,
};

/// Documentation text, kept with the feature `docs` (published pages, schema) and left out of the
/// wasm, where nothing reads it and every byte is downloaded by every dashboard user.
#[cfg(feature = "docs")]
pub(crate) const fn doc(text: &'static str) -> Doc {
    text
}

/// Documentation text: nothing without the feature `docs` (see its definition).
#[cfg(not(feature = "docs"))]
pub(crate) const fn doc(_text: &'static str) -> Doc {}

const fn property(
    path: &'static str,
    value_type: ValueType,
    merge: MergeRule,
    privacy: Privacy,
    description: &'static str,
    example: &'static str,
) -> PropertyDef {
    PropertyDef {
        path,
        value_type,
        nullable: false,
        merge,
        privacy,
        unit: None,
        description: doc(description),
        example: doc(example),
        literal_key: false,
    }
}

impl PropertyDef {
    /// The same property, also allowed to be `null`.
    pub(crate) const fn nullable(mut self) -> Self {
        self.nullable = true;
        self
    }

    /// The same property with a unit.
    pub(crate) const fn unit(mut self, unit: &'static str) -> Self {
        // Without `docs`, `Doc` is `()`: the unit then takes no room.
        #[allow(clippy::unit_arg)]
        {
            self.unit = Some(doc(unit));
        }
        self
    }

    /// The same property, merged by another rule.
    pub(crate) const fn merged(mut self, merge: MergeRule) -> Self {
        self.merge = merge;
        self
    }

    /// The same property, sent as one literal dotted key.
    pub(crate) const fn literal(mut self) -> Self {
        self.literal_key = true;
        self
    }
}

/// A boolean: true if any merged call had it (OR).
pub(crate) const fn flag(path: &'static str, description: &'static str) -> PropertyDef {
    property(
        path,
        ValueType::Boolean,
        MergeRule::Or,
        Privacy::Boolean,
        description,
        "true",
    )
}

/// A boolean reflecting the newest call (last).
pub(crate) const fn state(path: &'static str, description: &'static str) -> PropertyDef {
    flag(path, description).merged(MergeRule::Last)
}

/// A count summed across calls.
pub(crate) const fn count(path: &'static str, description: &'static str) -> PropertyDef {
    property(
        path,
        ValueType::Integer,
        MergeRule::Sum,
        Privacy::Count,
        description,
        "3",
    )
}

/// A count computed when sent.
pub(crate) const fn derived_count(path: &'static str, description: &'static str) -> PropertyDef {
    count(path, description).merged(MergeRule::Derived)
}

/// A small integer of which the largest value is kept (max).
pub(crate) const fn maximum(path: &'static str, description: &'static str) -> PropertyDef {
    property(
        path,
        ValueType::Integer,
        MergeRule::Max,
        Privacy::Bucketed,
        description,
        "20",
    )
}

/// An integer setting reflecting the newest call that set it (last-non-null), or null.
pub(crate) const fn setting_number(path: &'static str, description: &'static str) -> PropertyDef {
    property(
        path,
        ValueType::Integer,
        MergeRule::LastNonNull,
        Privacy::Bucketed,
        description,
        "2",
    )
    .nullable()
}

/// A boolean setting reflecting the newest call that set it (last-non-null), or null.
pub(crate) const fn setting_flag(path: &'static str, description: &'static str) -> PropertyDef {
    flag(path, description)
        .merged(MergeRule::LastNonNull)
        .nullable()
}

/// A number computed when sent (an average), at most two decimals.
pub(crate) const fn average(path: &'static str, description: &'static str) -> PropertyDef {
    property(
        path,
        ValueType::Number,
        MergeRule::Ratio,
        Privacy::Bucketed,
        description,
        "1.5",
    )
}

/// A value from a closed list.
pub(crate) const fn one_of(
    path: &'static str,
    allowed: &'static [&'static str],
    merge: MergeRule,
    description: &'static str,
    example: &'static str,
) -> PropertyDef {
    property(
        path,
        ValueType::String,
        merge,
        Privacy::Vocabulary(allowed),
        description,
        example,
    )
}

/// A set of values from a closed list, merged by union and sent sorted.
pub(crate) const fn set_of(
    path: &'static str,
    allowed: &'static [&'static str],
    description: &'static str,
    example: &'static str,
) -> PropertyDef {
    property(
        path,
        ValueType::StringArray,
        MergeRule::Union,
        Privacy::Vocabulary(allowed),
        description,
        example,
    )
}

/// A string in a constrained format.
pub(crate) const fn text(
    path: &'static str,
    format: TextFormat,
    merge: MergeRule,
    description: &'static str,
    example: &'static str,
) -> PropertyDef {
    property(
        path,
        ValueType::String,
        merge,
        Privacy::Format(format),
        description,
        example,
    )
}

/// A value of another shape (arrays of integers, count maps, constants).
pub(crate) const fn shaped(
    path: &'static str,
    value_type: ValueType,
    merge: MergeRule,
    privacy: Privacy,
    description: &'static str,
    example: &'static str,
) -> PropertyDef {
    property(path, value_type, merge, privacy, description, example)
}

/// The pipeline's `user-agent`: the known Meilisearch clients that made the merged calls.
pub(crate) const USER_AGENT: PropertyDef = property(
    "user-agent",
    ValueType::StringArray,
    MergeRule::Pipeline,
    Privacy::Format(TextFormat::ClientAgent),
    "The Meilisearch clients that made the calls (`X-Meilisearch-Client`, else `User-Agent`, split on `;`), each reduced to a known client name and version, else `other`.",
    r#"["Meilisearch JavaScript (v0.57.0)"]"#,
);

/// The pipeline's `requests.total_received`: how many calls were merged.
pub(crate) const TOTAL_RECEIVED: PropertyDef = property(
    "requests.total_received",
    ValueType::Integer,
    MergeRule::Pipeline,
    Privacy::Count,
    "How many calls were merged into this event during the interval.",
    "12",
);

/// A Track event observed by the server.
pub(crate) const fn server(
    name: &'static str,
    description: &'static str,
    trigger: &'static str,
    properties: &'static [PropertyDef],
) -> EventDef {
    EventDef {
        name,
        kind: EventKind::Track,
        origin: Origin::Server,
        description: doc(description),
        trigger: doc(trigger),
        properties,
    }
}

/// A Track event observed by the dashboard.
pub(crate) const fn dashboard(
    name: &'static str,
    description: &'static str,
    trigger: &'static str,
    properties: &'static [PropertyDef],
) -> EventDef {
    EventDef {
        origin: Origin::Dashboard,
        ..server(name, description, trigger, properties)
    }
}

/// The property list of an event: the given properties, then the pipeline's two.
macro_rules! with_pipeline {
    ($($property:expr),* $(,)?) => {
        &[$($property,)* $crate::catalog::declare::USER_AGENT, $crate::catalog::declare::TOTAL_RECEIVED]
    };
}
pub(crate) use with_pipeline;
