//! [`Tally`]: counters by key, kept in ascending key order.

use crate::prelude::*;

use alloc::borrow::Borrow;

/// A count per key (a sorted `Vec` of pairs); absent keys count 0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally<K>(Vec<(K, u64)>);

impl<K> Default for Tally<K> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<K: Ord> Tally<K> {
    /// No counts.
    pub fn new() -> Self {
        Self::default()
    }

    fn find<Q: Ord + ?Sized>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        self.0.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    /// Adds `n` to the count of `key` (saturating); the key is copied only the first time.
    pub fn add<Q: Ord + ToOwned<Owned = K> + ?Sized>(&mut self, key: &Q, n: u64)
    where
        K: Borrow<Q>,
    {
        match self.find(key) {
            Ok(at) => self.0[at].1 = self.0[at].1.saturating_add(n),
            Err(at) => self.0.insert(at, (key.to_owned(), n)),
        }
    }

    /// Adds every count of `other`.
    pub fn merge(&mut self, other: Tally<K>) {
        for (key, n) in other.0 {
            match self.find(&key) {
                Ok(at) => self.0[at].1 = self.0[at].1.saturating_add(n),
                Err(at) => self.0.insert(at, (key, n)),
            }
        }
    }

    /// The count of `key` (0 when never counted).
    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> u64
    where
        K: Borrow<Q>,
    {
        self.find(key).map_or(0, |at| self.0[at].1)
    }

    /// The sum of every count (saturating).
    pub fn total(&self) -> u64 {
        self.0
            .iter()
            .fold(0u64, |sum, (_, n)| sum.saturating_add(*n))
    }

    /// Whether nothing was counted.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The keys and their counts, in ascending key order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, u64)> + Clone {
        self.0.iter().map(|(k, n)| (k, *n))
    }

    /// The keys, in ascending order.
    pub fn keys(&self) -> impl Iterator<Item = &K> + Clone {
        self.0.iter().map(|(k, _)| k)
    }
}

impl Tally<&'static str> {
    /// Adds `n` to the count of `word`, a literal of the program: a key already counted is found
    /// by its address (one literal is one address), without comparing text.
    pub(crate) fn add_word(&mut self, word: &'static str, n: u64) {
        match self.0.iter_mut().find(|(k, _)| core::ptr::eq(*k, word)) {
            Some((_, count)) => *count = count.saturating_add(n),
            None => self.add(&word, n),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_by_key_in_key_order() {
        let mut tally: Tally<String> = Tally::new();
        tally.add("b", 2);
        tally.add("a", 1);
        tally.add("b", u64::MAX);
        assert_eq!(tally.get("b"), u64::MAX);
        assert_eq!(tally.get("zzz"), 0);
        let mut other = Tally::new();
        other.add("c", 4);
        other.add("a", 1);
        tally.merge(other);
        let pairs: Vec<_> = tally.iter().map(|(k, n)| (k.as_str(), n)).collect();
        assert_eq!(pairs, [("a", 2), ("b", u64::MAX), ("c", 4)]);
        assert_eq!(tally.total(), u64::MAX);
        let mut kinds: Tally<u8> = Tally::new();
        kinds.add(&3, 1);
        assert_eq!(kinds.get(&3), 1);
    }

    #[test]
    fn words_count_together_whatever_copy_of_the_text_they_are() {
        let copy = String::from("estimated").leak();
        let mut votes: Tally<&'static str> = Tally::new();
        votes.add_word("exhaustive", 1);
        votes.add_word("estimated", 2);
        votes.add_word(copy, 3);
        votes.add_word("estimated", 1);
        let pairs: Vec<_> = votes.iter().map(|(k, n)| (*k, n)).collect();
        assert_eq!(pairs, [("estimated", 6), ("exhaustive", 1)]);
    }
}
