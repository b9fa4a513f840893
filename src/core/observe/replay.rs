//! Replaying a request log: the summaries a sequence of requests produces, one JSON line per
//! event (`{"event":…,"timestamp":…,"properties":…}`) in catalog order. The shared test vectors
//! run through this on every platform, and a host can use it to preview what would be sent.

use crate::prelude::*;

use super::{observe, Observer, Request};
use crate::aggregate::Aggregates;
use crate::error::{RecordError, RecordErrorKind};
use crate::json::Json;
use crate::time::rfc3339_millis;

/// Replays `requests` (an array of request objects, see [`Request::from_value`]), the `i`-th
/// observed at `start_ms + i` seconds.
pub fn replay(requests: &Json, observer: Observer, start_ms: u64) -> Result<String, RecordError> {
    let Json::Array(requests) = requests else {
        return Err(RecordError::new(
            RecordErrorKind::MalformedInput,
            "the requests to replay must be an array",
        ));
    };
    let mut aggregates = Aggregates::default();
    for (i, raw) in requests.iter().enumerate() {
        let request = Request::from_value(raw)?;
        let now = start_ms + 1_000 * i as u64;
        observe(&request, observer, now, &mut aggregates)?;
    }
    summary_lines(aggregates)
}

/// The summaries of `aggregates`, one JSON line per event in catalog order, as [`replay`]
/// writes them.
pub fn summary_lines(mut aggregates: Aggregates) -> Result<String, RecordError> {
    let mut out = String::new();
    for aggregate in aggregates.drain() {
        let mut line = Json::object();
        line.insert("event", aggregate.event().name.into());
        line.insert(
            "timestamp",
            rfc3339_millis(aggregate.first_recorded_ms()).into(),
        );
        line.insert("properties", aggregate.to_message()?.body());
        out.push_str(&line.to_json());
        out.push('\n');
    }
    Ok(out)
}
