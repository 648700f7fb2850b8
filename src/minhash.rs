//! MinHash signatures by one-permutation hashing: each shingle hash is mixed once and falls
//! into one of `num_perm` bins, whose minimum it may lower, so a shingle costs a handful of
//! scalar operations, not `num_perm` of them. Bins left empty (a document of fewer shingles
//! than bins, or by chance) borrow the minimum of a non-empty bin chosen by a sequence fixed
//! per bin ("optimal densification", Shrivastava 2017), so two documents agree on a bin with
//! probability their Jaccard similarity, as with `num_perm` independent permutations.
//!
//! Also owns how a signature is stored and compared: as `u32` lanes, or packed in byte planes
//! ([`pack`]) so that the low byte of every lane, which the candidate search compares for
//! millions of pairs, lies apart from the rest.

/// A MinHash signature: the minimum of each bin over a document's shingles.
pub type Signature = Vec<u32>;

/// The hashing of one run, derived from the seed.
#[derive(Debug, Clone)]
pub struct MinHasher {
    num_perm: usize,
    /// Mixed into every shingle hash before it is binned: the seed changes every signature,
    /// even for shingle hashes made without it.
    key: u64,
    /// Seeds the bin sequences of densification.
    borrow_key: u64,
}

/// SplitMix64: a tiny, well-mixed generator for deriving parameters from one seed.
pub fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The SplitMix64 finalizer of `x` (a bijection of 64-bit values).
fn mix(x: u64) -> u64 {
    let mut state = x;
    splitmix64(&mut state)
}

/// Which of `bins` bins the 32-bit value `x` falls in: multiply-shift, uniform for any count.
fn bin_of(x: u32, bins: usize) -> usize {
    ((u64::from(x) * bins as u64) >> 32) as usize
}

impl MinHasher {
    /// `num_perm` bins. A shingle hash `h` is mixed with a seed-derived key, its high 32 bits
    /// choose the bin and its low 32 bits are the value that competes for the bin's minimum:
    /// independent halves of one well-mixed 64-bit value, so which shingle wins a bin is a
    /// uniform draw, as with a random permutation (checked against exact Jaccard in the tests).
    pub fn new(num_perm: usize, seed: u64) -> Self {
        let mut state = seed ^ 0x6d69_6e68_6173_6821;
        let key = splitmix64(&mut state);
        let borrow_key = splitmix64(&mut state);
        MinHasher {
            num_perm,
            key,
            borrow_key,
        }
    }

    /// The number of bins (lanes of a signature).
    pub fn num_perm(&self) -> usize {
        self.num_perm
    }

    /// The signature of a set of distinct shingle hashes (in any order: the minimum does not
    /// depend on it). An empty set gives all `u32::MAX`.
    pub fn signature(&self, shingles: &[u64]) -> Signature {
        let mut sig = vec![u32::MAX; self.num_perm];
        self.signature_into(shingles, &mut sig);
        sig
    }

    /// Writes the signature into `sig` (length `num_perm`), so callers can reuse buffers.
    pub fn signature_into(&self, shingles: &[u64], sig: &mut [u32]) {
        sig.fill(u32::MAX);
        let bins = sig.len();
        if bins == 0 || shingles.is_empty() {
            return;
        }
        // A bin's minimum may itself be u32::MAX, so emptiness is tracked apart from values,
        // in a bit set on the stack for any usual number of bins.
        let words = bins.div_ceil(64);
        let mut small = [0u64; 4];
        let mut large = Vec::new();
        let filled: &mut [u64] = if words <= small.len() {
            &mut small[..words]
        } else {
            large.resize(words, 0);
            &mut large
        };
        for &h in shingles {
            let (bin, value) = self.place(h, bins);
            sig[bin] = sig[bin].min(value);
            filled[bin / 64] |= 1 << (bin % 64);
        }
        let is_filled = |filled: &[u64], bin: usize| filled[bin / 64] >> (bin % 64) & 1 == 1;
        let count: u32 = filled.iter().map(|w| w.count_ones()).sum();
        if count == 1 {
            // Every sequence ends at the one filled bin (a text of one shingle, or of a few
            // that share a bin): skip the searches, about `bins` steps for each empty bin.
            let only = sig.iter().copied().min().unwrap_or(u32::MAX);
            sig.fill(only);
            return;
        }
        // Each empty bin takes the value of the first filled bin of its own sequence of bins,
        // the same sequence in every document: two documents that both borrow for a bin agree
        // there exactly when the bins they borrow from agree. Only empty bins are written and
        // only filled ones read, so the order of bins does not matter. At least one bin is
        // filled, so each search ends (after bins/filled steps on average).
        for i in 0..bins {
            if is_filled(filled, i) {
                continue;
            }
            let mut state = self.borrow_key ^ (i as u64) << 32;
            loop {
                let j = bin_of((splitmix64(&mut state) >> 32) as u32, bins);
                if is_filled(filled, j) {
                    sig[i] = sig[j];
                    break;
                }
            }
        }
    }

    /// Where shingle hash `h` lands in a signature of `bins` bins: its bin, and the value it
    /// competes with for the bin's minimum. One function, so that [`MinHasher::lanes_held_by`]
    /// finds a part's shingles where [`MinHasher::signature_into`] put them.
    fn place(&self, h: u64, bins: usize) -> (usize, u32) {
        let x = mix(h ^ self.key);
        (bin_of((x >> 32) as u32, bins), x as u32)
    }

    /// Which lanes of `sig`, the signature of a whole set of shingles, hold a shingle of
    /// `part` (shingles of the same set): bit `k` set when lane `k`'s value is the minimum of
    /// `part`'s shingles in bin `k`, for the first 128 lanes (the check of quotations reads no
    /// others). A lane that borrowed its value (a bin no shingle of the whole set reached) is
    /// never set: the part's bins are not densified, which for a part of a few shingles would
    /// cost more than hashing the whole text.
    pub fn lanes_held_by(&self, sig: &[u32], part: &[u64]) -> u128 {
        let bins = sig.len();
        let lanes = bins.min(128);
        let mut own = [u32::MAX; 128];
        let mut reached = 0u128;
        for &h in part {
            let (bin, value) = self.place(h, bins);
            if bin < lanes {
                own[bin] = own[bin].min(value);
                reached |= 1 << bin;
            }
        }
        (0..lanes)
            .filter(|&k| reached >> k & 1 == 1 && own[k] == sig[k])
            .fold(0u128, |bits, k| bits | 1 << k)
    }
}

/// The lanes of one stored signature: one `u32` a lane, or a row packed by [`pack`].
#[derive(Debug, Clone, Copy)]
pub enum Lanes<'a> {
    /// One `u32` a lane, in order.
    Words(&'a [u32]),
    /// `width` lanes packed by [`pack`] into [`packed_words`]`(width)` words.
    Packed {
        /// The number of lanes.
        width: usize,
        /// The packed row.
        row: &'a [u64],
    },
}

/// Words of a row of `width` lanes packed by [`pack`]: as many as the lanes' 4 bytes need,
/// with the last group of 8 lanes padded.
pub fn packed_words(width: usize) -> usize {
    4 * width.div_ceil(8)
}

/// Packs `lanes` (`width` of them; `width` ≤ 8 · `row.len()` / 4) into `row`, which has
/// [`packed_words`]`(width)` words. Lanes are taken in groups of 8: the first `width / 8`
/// words (rounded up) hold the low byte of every lane, lane `k` in byte `k % 8` of word
/// `k / 8` (bytes of a word counted from the least significant); then each group has three
/// words, holding byte 1, 2 and 3 of its lanes alike. The low bytes are what the candidate
/// search compares first for every candidate pair, so they are read where they lie, with no
/// table of them beside the signatures; the rest of a lane is a few words away, in the same
/// row. Padding lanes are 0.
pub fn pack(width: usize, lanes: impl IntoIterator<Item = u32>, row: &mut [u64]) {
    let groups = width.div_ceil(8);
    row.fill(0);
    for (k, v) in lanes.into_iter().take(width).enumerate() {
        let (g, shift) = (k / 8, 8 * (k % 8));
        let [b0, b1, b2, b3] = v.to_le_bytes();
        let high = groups + 3 * g;
        row[g] |= u64::from(b0) << shift;
        row[high] |= u64::from(b1) << shift;
        row[high + 1] |= u64::from(b2) << shift;
        row[high + 2] |= u64::from(b3) << shift;
    }
}

impl<'a> Lanes<'a> {
    /// The number of lanes.
    pub fn len(&self) -> usize {
        match *self {
            Lanes::Words(s) => s.len(),
            Lanes::Packed { width, .. } => width,
        }
    }

    /// Whether there is no lane (a SimHash document's signature).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Lane `k` (`k < len()`).
    pub fn get(&self, k: usize) -> u32 {
        match *self {
            Lanes::Words(s) => s[k],
            Lanes::Packed { width, row } => {
                let (g, shift) = (k / 8, 8 * (k % 8));
                let high = width.div_ceil(8) + 3 * g;
                let byte = |w: usize| (row[w] >> shift) as u8;
                u32::from_le_bytes([byte(g), byte(high), byte(high + 1), byte(high + 2)])
            }
        }
    }

    /// The lanes in order.
    pub fn to_vec(&self) -> Vec<u32> {
        match *self {
            Lanes::Words(s) => s.to_vec(),
            Lanes::Packed { .. } => (0..self.len()).map(|k| self.get(k)).collect(),
        }
    }
}

/// Bit `i` set when byte `i` (counted from the least significant) of `a` and `b` is equal:
/// eight lanes compared with a handful of word operations (a zero-byte test on `a ^ b`, then
/// the eight flags gathered into one byte by a carry-free multiplication).
pub fn equal_bytes(a: u64, b: u64) -> u8 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let x = a ^ b;
    let nonzero = ((x & LOW7).wrapping_add(LOW7) | x) & HIGH;
    let equal = !nonzero & HIGH;
    ((equal >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u8
}

/// The number of lanes on which two signatures of equal length agree (0 for unequal lengths).
pub fn equal_lanes(a: Lanes, b: Lanes) -> usize {
    match (a, b) {
        (Lanes::Words(x), Lanes::Words(y)) if x.len() == y.len() => {
            x.iter().zip(y).filter(|(p, q)| p == q).count()
        }
        (Lanes::Packed { width, row: x }, Lanes::Packed { width: w, row: y }) if width == w => {
            // Eight lanes at a time: a lane agrees when all four of its bytes do.
            let groups = width.div_ceil(8);
            let mut equal = 0;
            for g in 0..groups {
                let mut bits = equal_bytes(x[g], y[g]);
                let high = groups + 3 * g;
                for w in high..high + 3 {
                    if bits == 0 {
                        break;
                    }
                    bits &= equal_bytes(x[w], y[w]);
                }
                equal += bits.count_ones() as usize;
            }
            // Padding lanes are 0 in both rows: equal, and no lanes.
            equal - (8 * groups - width)
        }
        _ if a.len() == b.len() => (0..a.len()).filter(|&k| a.get(k) == b.get(k)).count(),
        _ => 0,
    }
}

/// The lanes of two signatures of equal length whose low bytes are equal: the bound on their
/// agreement that the candidate search reads from its table of lane bytes (0 for unequal
/// lengths). Eight lanes a word when both are packed.
pub fn equal_low_bytes(a: Lanes, b: Lanes) -> usize {
    match (a, b) {
        (Lanes::Packed { width, row: x }, Lanes::Packed { width: w, row: y }) if width == w => {
            let groups = width.div_ceil(8);
            let equal: usize = (0..groups)
                .map(|g| equal_bytes(x[g], y[g]).count_ones() as usize)
                .sum();
            // Padding lanes are 0 in both rows: equal, and no lanes.
            equal - (8 * groups - width)
        }
        _ if a.len() == b.len() => (0..a.len())
            .filter(|&k| a.get(k) as u8 == b.get(k) as u8)
            .count(),
        _ => 0,
    }
}

/// [`jaccard`] of two stored signatures, however each is stored.
pub fn jaccard_lanes(a: Lanes, b: Lanes) -> f64 {
    if a.is_empty() || a.len() != b.len() {
        return 0.0;
    }
    equal_lanes(a, b) as f64 / a.len() as f64
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
    fn lanes_held_by_a_part_of_the_set() {
        let hasher = MinHasher::new(128, 9);
        let whole = set(0..3_000);
        let sig = hasher.signature(&whole);
        assert_eq!(hasher.lanes_held_by(&sig, &whole), u128::MAX);
        assert_eq!(hasher.lanes_held_by(&sig, &[]), 0);
        // Every bin is filled, so each lane's minimum lies in exactly one half.
        let (first, second) = whole.split_at(1_000);
        let (a, b) = (
            hasher.lanes_held_by(&sig, first),
            hasher.lanes_held_by(&sig, second),
        );
        assert_eq!(a | b, u128::MAX);
        assert_eq!(a & b, 0);
        // About a third of the lanes, as a third of the shingles.
        assert!((25..=60).contains(&a.count_ones()), "{}", a.count_ones());
        // A narrower signature sets only its own lanes.
        let narrow = MinHasher::new(16, 9);
        let sig = narrow.signature(&whole);
        assert_eq!(narrow.lanes_held_by(&sig, &whole), 0xffff);
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
    fn densified_lanes_are_values_of_the_set() {
        // Fewer shingles than bins: most bins are empty and must borrow, never stay at MAX.
        let mh = MinHasher::new(128, 9);
        for n in [1u64, 2, 5, 40] {
            let shingles = set(0..n);
            let sig = mh.signature(&shingles);
            let mut own: Vec<u32> = (0..n as usize)
                .map(|i| mh.signature(&shingles[i..=i])[0])
                .collect();
            own.sort_unstable();
            for &v in &sig {
                assert!(
                    own.binary_search(&v).is_ok(),
                    "n={n}: lane {v} is no shingle's"
                );
            }
            let distinct: std::collections::BTreeSet<u32> = sig.iter().copied().collect();
            assert!(distinct.len() <= n as usize, "n={n}");
        }
    }

    #[test]
    fn small_sets_estimate_jaccard_without_bias() {
        // Densification must keep the collision probability of a bin at J for sets much
        // smaller than the signature: averaged over seeds, the estimate is close to the truth.
        let cases = [
            (set(0..20), set(10..30), 10.0 / 30.0),
            (set(0..10), set(0..40), 10.0 / 40.0),
            (set(0..60), set(30..90), 30.0 / 90.0),
            (set(0..3), set(0..3), 1.0),
        ];
        for (a, b, want) in cases {
            let seeds = 200;
            let mean = (0..seeds)
                .map(|seed| {
                    let mh = MinHasher::new(128, seed);
                    jaccard(&mh.signature(&a), &mh.signature(&b))
                })
                .sum::<f64>()
                / seeds as f64;
            assert!((mean - want).abs() < 0.02, "mean {mean}, want {want}");
        }
    }

    #[test]
    fn signature_ignores_shingle_order() {
        let mh = MinHasher::new(64, 5);
        let a = set(0..300);
        let mut b = a.clone();
        b.reverse();
        assert_eq!(mh.signature(&a), mh.signature(&b));
    }

    proptest::proptest! {
        #[test]
        fn equal_bytes_flags_each_equal_byte(a: u64, b: u64, same in 0u8..=255) {
            // Copy the bytes of `a` that `same` selects into `b`, so that equal bytes are common.
            let b = (0..8).fold(b, |b, i| {
                let byte = 0xffu64 << (8 * i);
                if same >> i & 1 == 1 { (b & !byte) | (a & byte) } else { b }
            });
            let want = (0..8).fold(0u8, |m, i| {
                m | (u8::from(a.to_le_bytes()[i] == b.to_le_bytes()[i]) << i)
            });
            proptest::prop_assert_eq!(equal_bytes(a, b), want);
        }

        /// A packed row gives back every lane, and two packed rows (or a packed row and plain
        /// lanes) agree on exactly the lanes that are equal: lanes drawn from few values, some
        /// equal in their low byte only, over widths that leave the last group part empty.
        #[test]
        fn packed_lanes_read_and_compare_as_plain_lanes(
            pairs in proptest::collection::vec((0u32..4, 0u32..4, 0u32..3), 0..70),
        ) {
            let value = |v: u32| v.wrapping_mul(0x0101_0100) | (v & 1);
            let a: Vec<u32> = pairs.iter().map(|&(x, _, _)| value(x)).collect();
            let b: Vec<u32> = pairs.iter().map(|&(x, y, keep)| if keep == 0 { value(x) } else { value(y) }).collect();
            let width = a.len();
            let (mut ra, mut rb) = (vec![7u64; packed_words(width)], vec![0u64; packed_words(width)]);
            pack(width, a.iter().copied(), &mut ra);
            pack(width, b.iter().copied(), &mut rb);
            let (pa, pb) = (Lanes::Packed { width, row: &ra }, Lanes::Packed { width, row: &rb });
            proptest::prop_assert_eq!(pa.to_vec(), a.clone());
            proptest::prop_assert_eq!(pb.to_vec(), b.clone());
            let want = a.iter().zip(&b).filter(|(x, y)| x == y).count();
            proptest::prop_assert_eq!(equal_lanes(pa, pb), want);
            proptest::prop_assert_eq!(equal_lanes(pa, Lanes::Words(&b)), want);
            proptest::prop_assert_eq!(equal_lanes(Lanes::Words(&a), Lanes::Words(&b)), want);
            proptest::prop_assert_eq!(jaccard_lanes(pa, pb), jaccard(&a, &b));
        }
    }

    #[test]
    fn empty_set_signature_is_max() {
        let mh = MinHasher::new(16, 1);
        assert!(mh.signature(&[]).iter().all(|&v| v == u32::MAX));
    }
}
