//! The corpus's frequent shingles: those carried by so many documents that sharing one says
//! nothing about a story (the character windows of common words and phrases, a template's
//! fixed sentences, a network's footer left in the text). Owns how they are counted on a
//! sample of the corpus, the set they form, and dropping them from a document's shingle set
//! before it is fingerprinted.
//!
//! Why: unrelated articles of one language share a few per cent of their character shingles,
//! nearly all of them frequent ones, and every such pair is a chance collision in a 2-row band.
//! Without them two unrelated articles share ten to fifty times fewer shingles, while reprints,
//! which share their rare shingles as much as their common ones, keep their similarity
//! (DESIGN.md, "Frequent shingles").
//!
//! The set is approximate by design: shingles are counted in 2^[`TABLE_BITS`] buckets of their
//! hash, and a bucket is frequent when its count is. A rare shingle that shares its bucket with
//! a frequent one is dropped too (the frequent buckets are 3.4 % of all at 100,000 generated
//! articles, 15 % at a million prose ones): a subset chosen by hash, the same in every document,
//! so Jaccard stays unbiased. The result is the same on every run and thread count, because it
//! depends only on which documents were read.

use std::sync::atomic::{AtomicU32, Ordering};

use xxhash_rust::xxh3::xxh3_64;

/// log2 of the number of buckets shingles are counted in.
pub const TABLE_BITS: u32 = 20;

/// One document in this many (chosen by a hash of its id) is counted.
pub const SAMPLE_EVERY: u64 = 16;

/// Fewest documents counted for the count to be used: below it (a corpus of under about
/// `SAMPLE_EVERY ×` this many documents) no shingle is frequent and fingerprints are those of
/// every shingle.
pub const MIN_SAMPLE_DOCUMENTS: u32 = 500;

/// Default share of the counted documents a shingle must be in, more than, to be frequent.
pub const DEFAULT_SHARE: f64 = 0.005;

/// Fewest documents (estimated from the sample) a shingle must be in, more than, to be frequent,
/// whatever the share: a story reprinted this many times in one run is rare, and below it a
/// heavily reprinted story's own shingles are never taken for common language. (Above it, its
/// copies fall back on every shingle, see [`MIN_KEPT_SHARE`]; DESIGN.md says what that costs.)
pub const MIN_FREQUENT_DOCUMENTS: f64 = 1000.0;

/// A document keeps all its shingles when fewer than this share of them are not frequent:
/// the copies of a story reprinted in more than the frequent share of the corpus (or a text
/// made only of common phrases) would otherwise lose nearly all they have.
pub const MIN_KEPT_SHARE: f64 = 0.05;

/// Mixes a shingle hash before its bucket is taken, so that the bucket does not follow the bits
/// MinHash bins by.
const BUCKET_KEY: u64 = 0x5a1e_7c3b_9d2f_4e61;

/// The bucket of a shingle hash.
fn bucket(h: u64) -> usize {
    ((h ^ BUCKET_KEY).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - TABLE_BITS)) as usize
}

/// Whether the document with this id is one of the counted sample.
pub fn sampled(id: &str) -> bool {
    xxh3_64(id.as_bytes()).is_multiple_of(SAMPLE_EVERY)
}

/// Shingle counts over the sampled documents, filled by any number of threads at once (the
/// counts are sums, so the order documents are counted in does not matter).
pub struct Counter {
    counts: Vec<AtomicU32>,
    documents: AtomicU32,
}

impl Default for Counter {
    fn default() -> Self {
        Counter::new()
    }
}

impl Counter {
    /// An empty count (16 MB of buckets).
    pub fn new() -> Self {
        Counter {
            counts: std::iter::repeat_with(|| AtomicU32::new(0))
                .take(1 << TABLE_BITS)
                .collect(),
            documents: AtomicU32::new(0),
        }
    }

    /// Counts one document's distinct shingle hashes (two of them in one bucket count twice:
    /// a handful a document, against counts in the hundreds that decide).
    pub fn add(&self, shingles: &[u64]) {
        self.documents.fetch_add(1, Ordering::Relaxed);
        for &h in shingles {
            self.counts[bucket(h)].fetch_add(1, Ordering::Relaxed);
        }
    }

    /// The bucket counts (2^[`TABLE_BITS`] of them) and the number of documents counted: what
    /// a part of a distributed run hands over, to be added up with the other parts' by
    /// [`Counter::from_parts`].
    pub fn to_parts(&self) -> (Vec<u32>, u32) {
        let counts = self
            .counts
            .iter()
            .map(|c| c.load(Ordering::Relaxed))
            .collect();
        (counts, self.documents())
    }

    /// A count made of the sums of parts' counts (see [`Counter::to_parts`]); `None` when
    /// `counts` is not 2^[`TABLE_BITS`] long.
    pub fn from_parts(counts: &[u32], documents: u32) -> Option<Counter> {
        (counts.len() == 1 << TABLE_BITS).then(|| Counter {
            counts: counts.iter().map(|&c| AtomicU32::new(c)).collect(),
            documents: AtomicU32::new(documents),
        })
    }

    /// The documents counted so far.
    pub fn documents(&self) -> u32 {
        self.documents.load(Ordering::Relaxed)
    }

    /// The frequent set: buckets counted in more than `share` of the counted documents and in
    /// more than [`MIN_FREQUENT_DOCUMENTS`] once scaled by [`SAMPLE_EVERY`], or none when fewer
    /// than [`MIN_SAMPLE_DOCUMENTS`] were counted or `share` is 0 (off).
    pub fn finish(self, share: f64) -> FrequentShingles {
        let documents = self.documents();
        if share <= 0.0 || documents < MIN_SAMPLE_DOCUMENTS {
            return FrequentShingles::none();
        }
        let above =
            (share * f64::from(documents)).max(MIN_FREQUENT_DOCUMENTS / SAMPLE_EVERY as f64);
        let buckets: Vec<u32> = self
            .counts
            .iter()
            .enumerate()
            .filter(|(_, c)| f64::from(c.load(Ordering::Relaxed)) > above)
            .map(|(i, _)| i as u32)
            .collect();
        FrequentShingles::from_buckets(&buckets).unwrap_or_else(|_| FrequentShingles::none())
    }
}

/// The set of frequent shingle buckets, as a bitmap over the 2^[`TABLE_BITS`] buckets (empty
/// when there are none).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrequentShingles {
    bits: Vec<u64>,
    len: usize,
}

impl FrequentShingles {
    /// No frequent shingle: every shingle is kept.
    pub fn none() -> Self {
        FrequentShingles::default()
    }

    /// The set of these buckets (sorted or not, each below 2^[`TABLE_BITS`]); the bucket out of
    /// range is the error.
    pub fn from_buckets(buckets: &[u32]) -> Result<Self, u32> {
        if buckets.is_empty() {
            return Ok(FrequentShingles::none());
        }
        let mut bits = vec![0u64; (1usize << TABLE_BITS) / 64];
        let mut len = 0;
        for &b in buckets {
            let word = bits.get_mut(b as usize / 64).ok_or(b)?;
            let bit = 1u64 << (b % 64);
            if *word & bit == 0 {
                len += 1;
            }
            *word |= bit;
        }
        Ok(FrequentShingles { bits, len })
    }

    /// The frequent buckets, ascending (what an index stores).
    pub fn buckets(&self) -> Vec<u32> {
        let mut out = Vec::with_capacity(self.len);
        for (w, &word) in self.bits.iter().enumerate() {
            let mut rest = word;
            while rest != 0 {
                out.push((w * 64) as u32 + rest.trailing_zeros());
                rest &= rest - 1;
            }
        }
        out
    }

    /// The number of frequent buckets.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no shingle is frequent.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether the shingle hash `h` is frequent.
    pub fn contains(&self, h: u64) -> bool {
        let b = bucket(h);
        self.bits
            .get(b / 64)
            .is_some_and(|word| word & (1 << (b % 64)) != 0)
    }

    /// Drops the frequent shingles from `shingles`, unless fewer than [`MIN_KEPT_SHARE`] of them
    /// would remain (then all stay). `scratch` is reused space.
    pub fn retain_informative(&self, shingles: &mut Vec<u64>, scratch: &mut Vec<u64>) {
        if self.is_empty() {
            return;
        }
        // Without a branch on the verdict: a third of a text's shingles are frequent, in no
        // order a predictor could learn, and a mispredicted branch a shingle cost more than the
        // lookup itself (15 % of the run's time, against 5 % this way).
        scratch.clear();
        scratch.resize(shingles.len(), 0);
        let mut kept = 0;
        for &h in shingles.iter() {
            scratch[kept] = h;
            kept += usize::from(!self.contains(h));
        }
        scratch.truncate(kept);
        if (scratch.len() as f64) >= MIN_KEPT_SHARE * shingles.len() as f64 && !scratch.is_empty() {
            std::mem::swap(shingles, scratch);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_made_apart_and_added_up_learn_the_same_set() {
        let common = hashes(0..50);
        let whole = Counter::new();
        let parts = [Counter::new(), Counter::new(), Counter::new()];
        for d in 0..900u64 {
            let mut doc = hashes(1000 + d * 40..1000 + d * 40 + 40);
            if d % 2 == 0 {
                doc.extend(&common);
            }
            whole.add(&doc);
            parts[(d % 3) as usize].add(&doc);
        }
        let mut sums = vec![0u32; 1 << TABLE_BITS];
        let mut documents = 0;
        for p in &parts {
            let (counts, docs) = p.to_parts();
            sums.iter_mut().zip(counts).for_each(|(s, c)| *s += c);
            documents += docs;
        }
        let added = Counter::from_parts(&sums, documents).unwrap();
        let (set, expected) = (added.finish(0.3), whole.finish(0.3));
        assert!(!expected.is_empty(), "the common shingles are frequent");
        assert_eq!(set, expected);
        assert!(Counter::from_parts(&[1, 2, 3], 3).is_none());
    }

    /// Shingle hashes `0..n` spread by a mixer, as real ones are.
    fn hashes(range: std::ops::Range<u64>) -> Vec<u64> {
        range
            .map(|i| i.wrapping_mul(0xd6e8_feb8_6659_fd93) ^ 0x1234_5678)
            .collect()
    }

    /// A counter over `docs` documents that each carry the common shingles `0..common` and
    /// `rare_each` shingles of their own.
    fn counted(docs: u64, common: u64, rare_each: u64) -> Counter {
        let counter = Counter::new();
        for d in 0..docs {
            let mut set = hashes(0..common);
            set.extend(hashes(
                1_000_000 + d * rare_each..1_000_000 + (d + 1) * rare_each,
            ));
            counter.add(&set);
        }
        counter
    }

    #[test]
    fn frequent_shingles_are_those_above_the_share_of_the_sample() {
        // (documents counted, share, common shingles expected frequent)
        let cases: &[(u64, f64, bool)] = &[
            (600, 0.02, true),
            (600, 0.0, false),
            // Too few documents counted: nothing is frequent.
            (u64::from(MIN_SAMPLE_DOCUMENTS) - 1, 0.02, false),
        ];
        for &(docs, share, expected) in cases {
            let set = counted(docs, 50, 20).finish(share);
            let common = hashes(0..50);
            let rare = hashes(1_000_000..1_000_000 + docs * 20);
            assert_eq!(
                common.iter().all(|&h| set.contains(h)),
                expected,
                "{docs} {share}"
            );
            let rare_dropped = rare.iter().filter(|&&h| set.contains(h)).count();
            // Only bucket neighbours of the 50 common shingles, if any.
            assert!(rare_dropped <= 2, "{docs} {share}: {rare_dropped}");
        }
    }

    /// A counter over `docs` documents of which the first `with` carry one shared shingle.
    fn one_shared(docs: u64, with: u64) -> (Counter, u64) {
        let counter = Counter::new();
        let shared = hashes(0..1)[0];
        for d in 0..docs {
            if d < with {
                counter.add(&[shared]);
            } else {
                counter.add(&hashes(10 + d..11 + d));
            }
        }
        (counter, shared)
    }

    #[test]
    fn the_share_and_the_document_floor_both_bound_frequent_shingles() {
        let floor = (MIN_FREQUENT_DOCUMENTS / SAMPLE_EVERY as f64) as u64;
        // (documents counted, documents with the shingle, share, frequent)
        let cases: &[(u64, u64, f64, bool)] = &[
            // 1 % of 10,000 is 100, above the floor: exactly the share is not more than it.
            (10_000, 100, 0.01, false),
            (10_000, 101, 0.01, true),
            // In 600 documents the floor decides, far above 1 %.
            (600, floor, 0.01, false),
            (600, floor + 1, 0.01, true),
            (600, floor + 1, 0.0, false),
        ];
        for &(docs, with, share, expected) in cases {
            let (counter, shared) = one_shared(docs, with);
            assert_eq!(
                counter.finish(share).contains(shared),
                expected,
                "{docs} {with} {share}"
            );
        }
    }

    #[test]
    fn buckets_round_trip_and_out_of_range_is_an_error() {
        let set = counted(600, 30, 5).finish(0.02);
        assert_eq!(set.len(), set.buckets().len());
        assert_eq!(FrequentShingles::from_buckets(&set.buckets()), Ok(set));
        assert_eq!(
            FrequentShingles::from_buckets(&[3, 1 << TABLE_BITS]),
            Err(1 << TABLE_BITS)
        );
        assert!(FrequentShingles::from_buckets(&[]).unwrap().is_empty());
    }

    #[test]
    fn retain_keeps_everything_when_too_little_would_remain() {
        let set = counted(600, 100, 5).finish(0.02);
        let mut scratch = Vec::new();
        // (common shingles, own shingles, expected length after)
        let cases: &[(u64, u64, usize)] = &[
            (100, 50, 50),
            // 2 own of 102: under 5 % would remain, so all stay.
            (100, 2, 102),
            // Only common ones: all stay.
            (100, 0, 100),
            (0, 7, 7),
        ];
        for &(common, own, expected) in cases {
            let mut shingles = hashes(0..common);
            shingles.extend(hashes(9_000_000..9_000_000 + own));
            set.retain_informative(&mut shingles, &mut scratch);
            assert_eq!(shingles.len(), expected, "{common} {own}");
        }
        let mut shingles = hashes(0..10);
        FrequentShingles::none().retain_informative(&mut shingles, &mut scratch);
        assert_eq!(shingles.len(), 10);
    }

    #[test]
    fn counting_order_does_not_change_the_set() {
        let docs: Vec<Vec<u64>> = (0..700u64)
            .map(|d| {
                let mut s = hashes(0..(d % 40));
                s.extend(hashes(500_000 + d * 3..500_000 + d * 3 + 3));
                s
            })
            .collect();
        let forward = Counter::new();
        docs.iter().for_each(|s| forward.add(s));
        let backward = Counter::new();
        docs.iter().rev().for_each(|s| backward.add(s));
        assert_eq!(forward.finish(0.02), backward.finish(0.02));
    }

    #[test]
    fn sampling_picks_about_one_document_in_sample_every() {
        let picked = (0..16_000).filter(|i| sampled(&format!("doc-{i}"))).count();
        assert!((800..1200).contains(&picked), "{picked}");
        assert_eq!(sampled("a/b.txt"), sampled("a/b.txt"));
    }
}
