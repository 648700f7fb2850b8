//! MinHash signatures by one-permutation hashing (Li, Owen and Zhang, 2012) with optimal
//! densification (Shrivastava, 2017): each shingle hash is mixed once and falls into one of
//! `num_perm` bins by its high bits; a bin keeps the smallest low-32-bit value of its shingles,
//! and a bin no shingle fell into borrows the value of a non-empty bin found by a seeded probe
//! sequence that is the same for every document. A shingle therefore costs one multiply, one
//! range reduction and one minimum instead of `num_perm` permutations, and the share of agreeing
//! bins estimates the Jaccard similarity like the share of agreeing permutations did.

/// A MinHash signature: the minimum of each bin over a document's shingles.
pub type Signature = Vec<u32>;

/// The hashing of one run, derived from the seed.
#[derive(Debug, Clone)]
pub struct MinHasher {
    num_perm: usize,
    /// Mixed into every shingle hash, so that bins and values depend on the seed.
    key: u64,
    /// Seed of the densification probes.
    probe_key: u64,
}

/// SplitMix64: a tiny, well-mixed generator for deriving parameters from one seed.
pub fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Probes a bin may take to find a non-empty bin before the deterministic scan takes over.
const MAX_PROBES: u32 = 256;

impl MinHasher {
    /// `num_perm` bins (the name is kept from k-permutation MinHash: the signature has the same
    /// length and meaning).
    pub fn new(num_perm: usize, seed: u64) -> Self {
        let mut state = seed ^ 0x6d69_6e68_6173_6821;
        let key = splitmix64(&mut state);
        let probe_key = splitmix64(&mut state);
        MinHasher {
            num_perm,
            key,
            probe_key,
        }
    }

    /// The number of bins (permutations).
    pub fn num_perm(&self) -> usize {
        self.num_perm
    }

    /// The signature of a set of distinct shingle hashes (order does not matter; repeats would
    /// not change it either). An empty set gives all `u32::MAX`.
    pub fn signature(&self, shingles: &[u64]) -> Signature {
        let mut sig = vec![u32::MAX; self.num_perm];
        self.signature_into(shingles, &mut sig);
        sig
    }

    /// Writes the signature into `sig` (length `num_perm`), so callers can reuse buffers.
    pub fn signature_into(&self, shingles: &[u64], sig: &mut [u32]) {
        sig.fill(u32::MAX);
        if shingles.is_empty() || sig.is_empty() {
            return;
        }
        let bins = sig.len() as u64;
        // Which bins received a shingle: u32::MAX is also a possible minimum, so emptiness is
        // tracked apart from the values. 1024 bins at most (the configured maximum) fit in 16
        // words; more fall back to a vector.
        let mut filled_small = [0u64; 16];
        let mut filled_large = Vec::new();
        let filled: &mut [u64] = if sig.len() <= 1024 {
            &mut filled_small[..sig.len().div_ceil(64)]
        } else {
            filled_large.resize(sig.len().div_ceil(64), 0);
            &mut filled_large
        };
        for &h in shingles {
            // A seeded bijection of the shingle hash in which every bit depends on every bit:
            // its high half chooses the bin (range reduction without division), its low half,
            // independent of the bin, is the value.
            let mut x = h ^ self.key;
            x = (x ^ (x >> 32)).wrapping_mul(0xd6e8_feb8_6659_fd93);
            x = (x ^ (x >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            x ^= x >> 32;
            let bin = (((x >> 32) * bins) >> 32) as usize;
            let v = x as u32;
            filled[bin / 64] |= 1 << (bin % 64);
            if v < sig[bin] {
                sig[bin] = v;
            }
        }
        self.densify(sig, filled);
    }

    /// Gives each empty bin the value of a non-empty one: bin `i` tries the bins of a probe
    /// sequence seeded by `i` alone, so two documents that both lack bin `i` borrow from the
    /// same place as long as they agree there, which keeps agreement an unbiased estimate.
    fn densify(&self, sig: &mut [u32], filled: &[u64]) {
        let bins = sig.len() as u64;
        let is_filled = |b: usize| filled[b / 64] >> (b % 64) & 1 == 1;
        for i in 0..sig.len() {
            if is_filled(i) {
                continue;
            }
            let mut state = self.probe_key ^ (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            let mut from = None;
            for _ in 0..MAX_PROBES {
                let j = (((splitmix64(&mut state) >> 32) * bins) >> 32) as usize;
                if is_filled(j) {
                    from = Some(j);
                    break;
                }
            }
            // Almost never reached (every probe empty): the next filled bin, cyclically.
            let j = from.unwrap_or_else(|| {
                (1..sig.len())
                    .map(|d| (i + d) % sig.len())
                    .find(|&j| is_filled(j))
                    .unwrap_or(i)
            });
            sig[i] = sig[j];
        }
    }
}

/// Estimated Jaccard similarity: the share of permutations whose minima agree.
pub fn jaccard(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() || a.len() != b.len() {
        return 0.0;
    }
    let equal = a.iter().zip(b).filter(|(x, y)| x == y).count();
    equal as f64 / a.len() as f64
}

/// Estimated containment |A ∩ B| / |A| from a Jaccard estimate and both set sizes:
/// |A ∩ B| = J·(|A| + |B|)/(1 + J). Clamped to [0, 1] because the estimate of J is noisy.
pub fn containment(jaccard: f64, len_a: usize, len_b: usize) -> f64 {
    if len_a == 0 {
        return 0.0;
    }
    let inter = jaccard * (len_a + len_b) as f64 / (1.0 + jaccard);
    (inter / len_a as f64).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(range: std::ops::Range<u64>) -> Vec<u64> {
        range
            .map(|i| i.wrapping_mul(0x9e37_79b9_7f4a_7c15))
            .collect()
    }

    #[test]
    fn jaccard_estimates_table() {
        // (a, b, true Jaccard); 256 permutations keep the error under ~0.1.
        let cases = [
            (set(0..100), set(0..100), 1.0),
            (set(0..100), set(50..150), 50.0 / 150.0),
            (set(0..100), set(100..200), 0.0),
            (set(0..1000), set(0..900), 0.9),
        ];
        let mh = MinHasher::new(256, 42);
        for (a, b, want) in cases {
            let got = jaccard(&mh.signature(&a), &mh.signature(&b));
            assert!((got - want).abs() < 0.1, "got {got}, want {want}");
        }
    }

    #[test]
    fn containment_table() {
        // (J, |A|, |B|, containment of A in B)
        let cases = [
            (1.0, 10, 10, 1.0),
            (0.3, 30, 100, 1.0),
            (0.0, 10, 10, 0.0),
            (1.0 / 3.0, 100, 100, 0.5),
        ];
        for (j, a, b, want) in cases {
            let got = containment(j, a, b);
            assert!((got - want).abs() < 1e-9, "J={j}: got {got}, want {want}");
        }
    }

    #[test]
    fn small_sets_fill_every_bin_from_their_own_values() {
        // Fewer shingles than bins: most bins are densified, each from a filled one, and the
        // result does not depend on the order of the shingles.
        let mh = MinHasher::new(128, 9);
        for n in [1u64, 2, 5, 40] {
            let a = set(0..n);
            let sig = mh.signature(&a);
            let mut rev = a.clone();
            rev.reverse();
            assert_eq!(sig, mh.signature(&rev), "n={n}: order-independent");
            let mut values: Vec<u32> = sig.clone();
            values.sort_unstable();
            values.dedup();
            assert!(values.len() as u64 <= n, "n={n}: only the set's own values");
            assert!(
                sig.iter().all(|&v| v != u32::MAX),
                "n={n}: no empty bin left"
            );
        }
    }

    #[test]
    fn seed_changes_signature() {
        let a = set(0..500);
        assert_ne!(
            MinHasher::new(64, 1).signature(&a),
            MinHasher::new(64, 2).signature(&a)
        );
    }

    #[test]
    fn empty_set_signature_is_max() {
        let mh = MinHasher::new(16, 1);
        assert!(mh.signature(&[]).iter().all(|&v| v == u32::MAX));
    }
}
