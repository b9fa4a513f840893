//! The "What we collect" page: every event and property, the decisions on the server's quirks,
//! and what is never collected.

use core::fmt::Write;
use meili_telemetry_core::catalog::decisions::DECISIONS;
use meili_telemetry_core::catalog::{events, EventKind, Origin, Privacy, PropertyDef};

const NEVER: &[&str] = &[
    "IP addresses: every message carries `context.ip = \"0.0.0.0\"`, so Segment-compatible collectors record none.",
    "E-mail addresses, names or any identity of a person. The only identifier is a random Instance UID.",
    "URLs, host names, referrers, page titles, locales and time zones of the browser.",
    "API keys, tenant tokens, master keys, or anything derived from the `Authorization` header.",
    "Index names, primary-key names (beyond a common-name list), attribute names, query text, filter values, document ids or document contents.",
    "The browser's user-agent string: only known Meilisearch client names with their version, else `other`.",
    "Paths, addresses, URLs and keys of the server's launch options: each is reduced to a boolean.",
];

fn escape(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn type_of(p: &PropertyDef) -> String {
    let mut t = p.value_type.as_str().to_owned();
    if p.nullable {
        t.push_str(" or null");
    }
    if let Some(unit) = p.unit {
        let _ = write!(t, " ({unit})");
    }
    t
}

fn privacy_of(p: &PropertyDef) -> String {
    match p.privacy {
        Privacy::Vocabulary(values) if values.len() <= 12 => {
            format!(
                "one of {}",
                values
                    .iter()
                    .map(|v| format!("`{v}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
        Privacy::Vocabulary(values) => format!("closed list of {} values", values.len()),
        Privacy::Format(format) => format!("{} format", format.as_str()),
        other => other.as_str().to_owned(),
    }
}

/// The page, as Markdown.
pub fn what_we_collect() -> String {
    let mut out = String::new();
    out.push_str("# What we collect\n\n");
    out.push_str("_Generated from the catalog in `src/core/catalog/` by `npm run catalog:write`; `npm test` fails if it is out of date. Every message that leaves the machine is built from these declarations and validated against them: nothing else can be sent._\n\n");
    out.push_str("Calls of one event are merged in place during an interval and sent as one summary per event (Segment `track`), plus one `identify` with the instance's traits. The properties `user-agent` and `requests.total_received` are added to every aggregated event.\n\n");
    out.push_str("## Turning it off deletes\n\n");
    out.push_str("Opting out (or Do Not Track, or Global Privacy Control) after data was sent asks the collector to delete everything stored for this installation's Instance UID: the request is kept and retried until the collector confirms, even across reloads and offline spells, and only then is the UID forgotten. A host may turn this off (`deleteOnOptOut: false`); the UID is then kept only so that \"Delete my data\" (`requestDeletion()`) can still target it. The collector refuses that UID's late messages for 30 days, keeping a keyed hash of it, not the UID, and forwards the deletion to Segment when it forwards data there.\n\n");
    out.push_str("## Never collected\n\n");
    for item in NEVER {
        let _ = writeln!(out, "- {item}");
    }
    let paths: usize = events().iter().map(|e| e.properties.len()).sum();
    let _ = write!(
        out,
        "\n## Events\n\n{} events, {} properties.\n\n",
        events().len(),
        paths
    );
    for origin in [Origin::Server, Origin::Dashboard] {
        let title = match origin {
            Origin::Server => "Sent by the Meilisearch server",
            Origin::Dashboard => "Sent by the dashboard",
        };
        let _ = write!(out, "### {title}\n\n");
        for e in events().iter().filter(|e| e.origin == origin) {
            let kind = match e.kind {
                EventKind::Track => "track",
                EventKind::Identify => "identify",
            };
            let _ = write!(
                out,
                "#### {} ({kind})\n\n{}\n\n_When:_ {}\n\n",
                e.name, e.description, e.trigger
            );
            if e.properties.is_empty() {
                out.push_str("No properties (`properties` is `null`).\n\n");
                continue;
            }
            out.push_str("| Property | Type | Merge | Values | Description | Example |\n|---|---|---|---|---|---|\n");
            for p in e.properties {
                let literal = if p.literal_key { " (literal key)" } else { "" };
                let _ = writeln!(
                    out,
                    "| `{}`{literal} | {} | {} | {} | {} | `{}` |",
                    p.path,
                    type_of(p),
                    p.merge.as_str(),
                    escape(&privacy_of(p)),
                    escape(p.description),
                    escape(p.example)
                );
            }
            out.push('\n');
        }
    }
    out.push_str("## Where the server's own output differs, and what we do\n\n| Topic | The server | Here | Why |\n|---|---|---|---|\n");
    for d in DECISIONS {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            escape(d.topic),
            escape(d.server),
            d.choice.as_str(),
            escape(d.reason)
        );
    }
    out
}
