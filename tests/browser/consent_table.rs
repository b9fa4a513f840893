//! The consent table of `tests/support/consent_table.rs`, in the browser: the same resolution
//! as natively (`tests/consent.rs`).

#[path = "../support/consent_table.rs"]
mod table;

use wasm_bindgen_test::*;

#[wasm_bindgen_test]
fn consent_table_in_the_browser() {
    table::check_table();
    table::check_server_errors();
}
