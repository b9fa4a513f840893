//! Publishing the catalog: its JSON listing, the "What we collect" page and the JSON Schema, all
//! generated from the declarations so that what is published cannot drift from what is sent.
//! Native only: none of this is compiled into the wasm.

mod json;
mod markdown;
mod schema;

pub use json::catalog_json;
pub use markdown::what_we_collect;
pub use schema::batch_schema;

/// A generated file of the repository: its path and its expected content.
pub fn generated_files() -> Vec<(&'static str, String)> {
    vec![
        ("www/what-we-collect.md", what_we_collect()),
        ("www/schema/batch.schema.json", batch_schema()),
        ("www/catalog.json", catalog_json()),
    ]
}
