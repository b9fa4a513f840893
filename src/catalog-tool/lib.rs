//! Publishing the catalog: its JSON listing, the "What we collect" page, the JSON Schema, the
//! TypeScript types of the event inputs and the package's `catalog()` module, all
//! generated from the core's declarations so that what is published cannot drift from what is
//! sent. `cargo run -p meili-catalog -- write` (`npm run catalog:write`) rewrites them all.

mod core_data;
mod js_module;
mod json;
mod markdown;
mod pattern;
mod schema;
mod typescript;

pub use core_data::core_data_module;
pub use js_module::catalog_module;
pub use json::{catalog_json, catalog_text};
pub use markdown::what_we_collect;
pub use schema::batch_schema;
pub use typescript::event_types;

/// A generated file of the repository: its path and its expected content.
pub fn generated_files() -> Vec<(&'static str, String)> {
    vec![
        ("www/what-we-collect.md", what_we_collect()),
        ("www/schema/batch.schema.json", batch_schema()),
        ("www/catalog.json", catalog_json()),
        ("src/wasm/js/events.d.ts", event_types()),
        ("src/wasm/js/catalog.js", catalog_module()),
        ("src/wasm/js/core-data.js", core_data_module()),
    ]
}
