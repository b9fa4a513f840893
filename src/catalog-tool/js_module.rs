//! `catalog.js`: the catalog as a JS module of the npm package, loaded only when a host calls
//! `catalog()` (a dynamic import), so the dashboards that never ask do not download it.

use super::json::catalog_text;

/// The module text: the compact catalog JSON as one string constant.
pub fn catalog_module() -> String {
    let mut out = String::from(
        "// Generated from the catalog (src/core/catalog/) by `npm run catalog:write`: do not edit.\n\
         // The metric catalog as JSON text, parsed on demand by `catalog()`.\n\
         export const CATALOG_JSON = ",
    );
    out.push_str(&meili_telemetry_core::json::write(&catalog_text()));
    out.push_str(";\n");
    out
}
