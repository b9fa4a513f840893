//! The dashboard's own events: what the browser dashboard observes about its own use. Never an
//! index name, a query, a URL, a locale, a time zone or the browser's user-agent string: only
//! counts, booleans, versions and coarse traits from closed lists.
use super::declare::{count, dashboard, maximum, one_of, shaped, text, with_pipeline};
use super::{EventDef, MergeRule, Privacy, TextFormat, ValueType};

const OS_FAMILIES: &[&str] = &[
    "windows", "macos", "linux", "android", "ios", "chromeos", "other",
];
const ENGINES: &[&str] = &["chromium", "gecko", "webkit", "other"];
/// `navigator.deviceMemory` values (the browser already rounds them), or `unknown`.
const MEMORY_BUCKETS: &[&str] = &["0.25", "0.5", "1", "2", "4", "8", "16", "32", "unknown"];

pub(super) const EVENTS: &[EventDef] = &[
    dashboard(
        "Dashboard Opened",
        "Dashboard page loads, with the versions and coarse traits of the browser that loaded it (the newest load wins).",
        "When the telemetry starts in a page.",
        with_pipeline![
            text("dashboard.version", TextFormat::Version, MergeRule::Last, "Version of the dashboard.", "\"0.4.2\""),
            text("package.version", TextFormat::Version, MergeRule::Last, "Version of this telemetry package.", "\"0.1.0\""),
            shaped(
                "browser.cores",
                ValueType::Integer,
                MergeRule::Last,
                Privacy::Bucketed,
                "`navigator.hardwareConcurrency` rounded down to a power of two, at most 64 (0 when unknown).",
                "8",
            ),
            one_of("browser.memory_gb", MEMORY_BUCKETS, MergeRule::Last, "`navigator.deviceMemory` in GiB (already bucketed by the browser), or `unknown`.", "\"8\""),
            one_of("browser.os_family", OS_FAMILIES, MergeRule::Last, "Operating system family.", "\"linux\""),
            one_of("browser.engine", ENGINES, MergeRule::Last, "Browser engine family.", "\"chromium\""),
        ],
    ),
    dashboard(
        "Dashboard Index Switched",
        "Changes of the selected index in the dashboard (never the index names).",
        "When the user selects another index.",
        with_pipeline![maximum("indexes.max_available", "Largest number of indexes listed at a switch.")],
    ),
    dashboard(
        "Dashboard Errors",
        "Requests from the dashboard to Meilisearch that failed, by kind.",
        "When a request fails.",
        with_pipeline![
            count("errors.network", "The request got no answer (offline, refused, blocked)."),
            count("errors.timeout", "The request timed out."),
            count("errors.unauthorized", "HTTP 401 or 403 (missing or wrong API key)."),
            count("errors.not_found", "HTTP 404."),
            count("errors.client", "Another HTTP 4xx."),
            count("errors.server", "HTTP 5xx."),
            count("errors.invalid_response", "A response that was not valid JSON."),
        ],
    ),
];
