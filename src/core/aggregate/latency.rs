//! The bounded latency sketch behind `requests.99th_response_time`. The server keeps every
//! latency of the interval and sorts them at send; this keeps a log-linear histogram with the
//! bucket layout of an HDR histogram at two significant digits: every value below 256 ms has its
//! own bucket, and each doubling above has 128 buckets, so a bucket is at most 1/128 (< 1%) of its
//! values wide. Memory is set by the largest latency seen (at most 2,012 counters, for an hour),
//! never by the number of requests. Integer-only, so a browser and a server produce the same p99
//! from the same latencies.
//!
//! Written here rather than taken from the `hdrhistogram` crate, which needs `std` (the `.wasm` is
//! `no_std`); the tests check it against that crate and against the server's exact sort.

use crate::prelude::*;

/// Latencies above this (one hour) are recorded as one hour.
pub const MAX_TRACKED_MS: u64 = 3_600_000;
/// Values below this have a bucket each; 2 · 10² rounded up to a power of two, as HDR does.
const EXACT_BELOW: u64 = 256;
/// Buckets per doubling above [`EXACT_BELOW`].
const PER_DOUBLING: u64 = EXACT_BELOW / 2;
const EXACT_BITS: u32 = EXACT_BELOW.trailing_zeros();

#[derive(Debug, Clone, PartialEq, Default)]
pub struct LatencySketch {
    /// Counts per bucket, as long as the highest bucket used.
    counts: Vec<u64>,
    total: u64,
}

/// The bucket of `ms`: `ms` itself below 256, then 128 buckets per doubling.
fn bucket_of(ms: u64) -> usize {
    if ms < EXACT_BELOW {
        return ms as usize;
    }
    let shift = (u64::BITS - ms.leading_zeros()) - EXACT_BITS;
    (u64::from(shift) * PER_DOUBLING + (ms >> shift)) as usize
}

/// The lowest value that falls in `bucket`.
fn lowest_in(bucket: usize) -> u64 {
    let bucket = bucket as u64;
    if bucket < EXACT_BELOW {
        return bucket;
    }
    let shift = (bucket - EXACT_BELOW) / PER_DOUBLING + 1;
    (bucket - shift * PER_DOUBLING) << shift
}

impl LatencySketch {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one latency, in whole ms.
    pub fn record(&mut self, ms: u64) {
        let bucket = bucket_of(ms.min(MAX_TRACKED_MS));
        if bucket >= self.counts.len() {
            self.counts.resize(bucket + 1, 0);
        }
        self.counts[bucket] += 1;
        self.total += 1;
    }

    /// How many latencies were recorded.
    pub fn len(&self) -> u64 {
        self.total
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// Adds every latency of `other`.
    pub fn merge(&mut self, other: &LatencySketch) {
        if other.counts.len() > self.counts.len() {
            self.counts.resize(other.counts.len(), 0);
        }
        for (mine, theirs) in self.counts.iter_mut().zip(&other.counts) {
            *mine += theirs;
        }
        self.total += other.total;
    }

    /// The non-zero counters, as `(bucket, count)` pairs in bucket order (the persisted form).
    pub(crate) fn buckets(&self) -> impl Iterator<Item = (usize, u64)> + '_ {
        self.counts
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(bucket, n)| (bucket, *n))
    }

    /// A sketch from its persisted counters; `None` when a bucket is past the largest one a
    /// latency can reach (the text was not written by [`LatencySketch::buckets`]).
    pub(crate) fn from_buckets(pairs: impl IntoIterator<Item = (usize, u64)>) -> Option<Self> {
        let mut sketch = Self::new();
        let last = bucket_of(MAX_TRACKED_MS);
        for (bucket, n) in pairs {
            if bucket > last {
                return None;
            }
            if bucket >= sketch.counts.len() {
                sketch.counts.resize(bucket + 1, 0);
            }
            sketch.counts[bucket] = sketch.counts[bucket].saturating_add(n);
            sketch.total = sketch.total.saturating_add(n);
        }
        Some(sketch)
    }

    /// The 99th percentile by the server's rank (the element at index `floor(n·99/100)` of the
    /// sorted latencies), as the lowest value of its bucket: exact below 256 ms, within 1% above;
    /// `None` when empty.
    pub fn p99(&self) -> Option<u64> {
        let rank = self.total.checked_mul(99)? / 100 + 1;
        let mut seen = 0u64;
        let bucket = self.counts.iter().position(|count| {
            seen += count;
            seen >= rank
        })?;
        Some(lowest_in(bucket))
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

    #[test]
    fn buckets_are_contiguous_and_at_most_one_percent_wide() {
        let mut previous = 0;
        for ms in 0..=MAX_TRACKED_MS {
            let bucket = bucket_of(ms);
            assert!(bucket == previous || bucket == previous + 1, "{ms}");
            if bucket != previous || ms == 0 {
                assert_eq!(lowest_in(bucket), ms, "a bucket starts at its lowest value");
            }
            assert!((ms - lowest_in(bucket)) * 128 <= ms, "{ms} is within 1/128");
            previous = bucket;
        }
        assert_eq!(
            bucket_of(MAX_TRACKED_MS),
            2_011,
            "an hour needs 2,012 counters"
        );
    }

    /// The same answer as the `hdrhistogram` crate at two significant digits (the sketch this
    /// module replaced), on latencies spread over the whole range.
    #[test]
    fn agrees_with_hdrhistogram() {
        let mut random = crate::platform::fakes::SeededEntropy::new(3);
        for run in 0..200u64 {
            let mut ours = LatencySketch::new();
            let mut theirs = hdrhistogram::Histogram::<u64>::new(2).unwrap();
            for _ in 0..(run * 7 % 500 + 1) {
                let draw = random.next_u64();
                let ms = (draw % 1_000) << (draw >> 60 & 11);
                ours.record(ms);
                theirs.record(ms.min(MAX_TRACKED_MS)).unwrap();
            }
            let rank = theirs.len() * 99 / 100 + 1;
            let mut seen = 0;
            let expected = theirs
                .iter_recorded()
                .find(|bucket| {
                    seen += bucket.count_at_value();
                    seen >= rank
                })
                .map(|bucket| theirs.lowest_equivalent(bucket.value_iterated_to()));
            assert_eq!(ours.p99(), expected, "run {run}");
        }
    }
}
