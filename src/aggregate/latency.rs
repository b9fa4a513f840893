//! The bounded latency sketch behind `requests.99th_response_time`. The server keeps every
//! latency of the interval and sorts them at send; this keeps an HDR histogram (the
//! `hdrhistogram` crate) with two significant digits: integer buckets at most 1% wide, exact below
//! 256 ms, sized by the largest latency seen and never by the number of requests. Integer-only,
//! so a browser and a server produce the same p99 from the same latencies.

use hdrhistogram::Histogram;

/// Latencies above this (one hour) are recorded as one hour.
pub const MAX_TRACKED_MS: u64 = 3_600_000;
const SIGNIFICANT_DIGITS: u8 = 2;

#[derive(Debug, Clone, PartialEq)]
pub struct LatencySketch(Histogram<u64>);

impl Default for LatencySketch {
    fn default() -> Self {
        Self::new()
    }
}

impl LatencySketch {
    pub fn new() -> Self {
        // `new` only fails for more than five significant digits.
        let histogram = Histogram::new(SIGNIFICANT_DIGITS).unwrap_or_else(|_| unreachable!());
        Self(histogram)
    }

    /// Adds one latency, in whole ms.
    pub fn record(&mut self, ms: u64) {
        let ms = ms.min(MAX_TRACKED_MS);
        // `record` grows the histogram to hold `ms` (`saturating_record` would clamp it).
        if self.0.record(ms).is_err() {
            self.0.saturating_record(ms);
        }
    }

    /// How many latencies were recorded.
    pub fn len(&self) -> u64 {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds every latency of `other`.
    pub fn merge(&mut self, other: &LatencySketch) {
        // `add` only fails when a histogram cannot grow; this one auto-resizes.
        let _ = self.0.add(&other.0);
    }

    /// The 99th percentile by the server's rank (the element at index `floor(n·99/100)` of the
    /// sorted latencies), within 1%; `None` when empty.
    pub fn p99(&self) -> Option<u64> {
        let n = self.0.len();
        if n == 0 {
            return None;
        }
        let rank = n.saturating_mul(99) / 100 + 1;
        let mut seen = 0u64;
        for bucket in self.0.iter_recorded() {
            seen = seen.saturating_add(bucket.count_at_value());
            if seen >= rank {
                return Some(self.0.lowest_equivalent(bucket.value_iterated_to()));
            }
        }
        Some(self.0.max())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact_p99(values: &[u64]) -> u64 {
        let mut sorted = values.to_vec();
        sorted.sort_unstable();
        sorted[sorted.len() * 99 / 100]
    }

    #[test]
    fn exact_for_small_latencies_and_server_rank() {
        let mut sketch = LatencySketch::new();
        assert_eq!(sketch.p99(), None);
        sketch.record(12);
        assert_eq!(sketch.p99(), Some(12));
        let values: Vec<u64> = (0..100).collect();
        let mut sketch = LatencySketch::new();
        values.iter().for_each(|v| sketch.record(*v));
        assert_eq!(sketch.p99(), Some(exact_p99(&values)));
        assert_eq!(
            sketch.p99(),
            Some(99),
            "n = 100 picks the maximum, as the server does"
        );
    }

    #[test]
    fn grows_to_hold_large_latencies_after_merge() {
        let mut a = LatencySketch::new();
        a.record(3);
        let mut b = LatencySketch::new();
        b.record(300);
        assert_eq!(b.p99(), Some(300));
        a.merge(&b);
        assert_eq!(a.p99(), Some(300));
        a.record(u64::MAX);
        assert!(a.p99().unwrap().abs_diff(MAX_TRACKED_MS) * 100 <= MAX_TRACKED_MS);
    }

    #[test]
    fn within_one_percent_for_large_latencies() {
        let values: Vec<u64> = (0..5_000u64).map(|i| 1_000 + i * 37 % 90_000).collect();
        let mut a = LatencySketch::new();
        let mut b = LatencySketch::new();
        for (i, v) in values.iter().enumerate() {
            if i % 2 == 0 {
                a.record(*v)
            } else {
                b.record(*v)
            }
        }
        a.merge(&b);
        let exact = exact_p99(&values) as f64;
        let got = a.p99().unwrap() as f64;
        assert!((got - exact).abs() / exact <= 0.01, "{got} vs {exact}");
        assert_eq!(a.len(), 5_000);
    }
}
