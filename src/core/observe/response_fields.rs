//! The fields of a response body that any derivation reads. A search response carries its hits
//! (documents), which are never needed and are the bulk of the body: the JS layer keeps only
//! these fields before handing a request over, so recording costs the same for a page of hits as
//! for an empty one. The vector tests replay every family with bodies cut down to these fields
//! and expect the same bytes, so a derivation that starts reading another field fails them.

use crate::prelude::*;

use super::admin::FEATURES;

/// Top-level response fields read by the search and network derivations.
pub const RESPONSE_FIELDS: &[&str] = &["processingTimeMs", "degraded", "remotes", "self"];

/// Every top-level response field a derivation reads: [`RESPONSE_FIELDS`] and the experimental
/// features' keys (their update answers with the resulting state).
pub fn response_fields() -> Vec<&'static str> {
    RESPONSE_FIELDS
        .iter()
        .copied()
        .chain(FEATURES.iter().map(|(key, _)| *key))
        .collect()
}
