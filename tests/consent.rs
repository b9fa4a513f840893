//! Consent resolution, table-driven (`tests/support/consent_table.rs`), natively; the same table
//! runs in Chromium and Firefox (`tests/browser/consent_table.rs`).

#[path = "support/consent_table.rs"]
mod consent_table;

#[test]
fn consent_table_natively() {
    consent_table::check_table();
    consent_table::check_server_errors();
}
