//! `core-data.js`: what the JS layers of the package need to know of the core without asking the
//! wasm: the request headers the derivations read (the only ones the fetch wrapper passes on),
//! the response fields they read (the engine chunk cuts a recorded request's
//! response body down to them before serializing it, so a page of hits costs nothing), and the
//! zero of `stats()`, which the front answers before the engine has loaded (or if it never does).

use meili_telemetry_core::engine::Stats;
use meili_telemetry_core::json::Value;
use meili_telemetry_core::observe::{response_fields, REQUEST_HEADERS};

/// The counters the wasm edge adds to the engine's (`src/wasm/telemetry.rs`).
const EDGE_COUNTERS: [&str; 3] = ["corruptUidReplaced", "moduleMemoryBytes", "queued"];

/// The module text.
pub fn core_data_module() -> String {
    let mut out = String::from(
        "// Generated from the core by `npm run catalog:write`: do not edit.\n\
         // The response fields the derivations read (observe::response_fields).\n\
         // One string, split on spaces: the shortest form for the front's budget.\n\
         export const RESPONSE_FIELDS = ",
    );
    out.push_str(&meili_telemetry_core::json::write(
        &response_fields().join(" "),
    ));
    out.push_str(";\n// The request headers the derivations read (observe::REQUEST_HEADERS): no other is passed on.\nexport const REQUEST_HEADERS = ");
    out.push_str(&meili_telemetry_core::json::write(&REQUEST_HEADERS));
    out.push_str(";\n// `stats()` before anything was counted (engine::Stats and the edge's counters), a fresh object\n// at each call (an object literal: shorter than JSON text once minified).\n");
    let mut zero =
        meili_telemetry_core::json::parse(&meili_telemetry_core::json::write(&Stats::default()))
            .unwrap_or(Value::Null);
    for key in EDGE_COUNTERS {
        zero.insert(key, Value::Int(0));
    }
    zero.insert("scope", "page".into());
    zero.insert("totals", Value::Null);
    out.push_str("export const zeroStats = () => (");
    out.push_str(&zero.to_json());
    out.push_str(");\n");
    out
}
