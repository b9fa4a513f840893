//! The JSON Schema `pattern` of each text format the catalog declares: the published form of the
//! checks `catalog::validate` makes on every string before it is recorded.

use meili_telemetry_core::catalog::{TextFormat, KNOWN_CLIENTS};
use std::sync::OnceLock;

/// The regular expression a string of `format` matches.
pub fn pattern(format: TextFormat) -> &'static str {
    match format {
        TextFormat::Version => {
            r"^(v?[0-9]{1,4}\.[0-9]{1,4}\.[0-9]{1,4}(-[0-9A-Za-z.]{1,24})?|prototype-[0-9A-Za-z.-]{1,40})$"
        }
        TextFormat::Decimal => r"^[0-9]{1,15}\.[0-9]{2}$",
        TextFormat::IntegerText => r"^[0-9]{1,15}$",
        TextFormat::ByteSize => {
            r"^[0-9]{1,20}(\.[0-9]{1,3})? (B|KB|MB|GB|TB|PB|KiB|MiB|GiB|TiB|PiB)$"
        }
        TextFormat::ClientAgent => {
            static PATTERN: OnceLock<String> = OnceLock::new();
            PATTERN.get_or_init(|| {
                let names: Vec<String> = KNOWN_CLIENTS
                    .iter()
                    .map(|n| n.replace('.', "\\.").replace('+', "\\+"))
                    .collect();
                format!(
                    r"^(other|Meilisearch ({})( \(v?[0-9]{{1,4}}\.[0-9]{{1,4}}\.[0-9]{{1,4}}(-[0-9A-Za-z.]{{1,24}})?\))?)$",
                    names.join("|")
                )
            })
        }
        TextFormat::SortDirections => r"^((asc|desc)(, (asc|desc)){0,63})?$",
    }
}
