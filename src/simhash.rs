//! SimHash fingerprints (Charikar 2002): one 64-bit word a document, whose Hamming distance to
//! another's estimates the angle between their shingle vectors. Owns the fingerprint and the
//! estimates derived from a distance; the search for close fingerprints is in [`crate::lsh`].
//!
//! Every distinct shingle of the kept text weighs 1 (the set MinHash sees, see DESIGN.md), so
//! the angle θ between two documents satisfies cos θ = |A ∩ B| / √(|A|·|B|), and with the exact
//! set sizes a distance turns into the same Jaccard and containment estimates MinHash reports.

use crate::minhash::splitmix64;

/// Bits in a fingerprint.
pub const BITS: u32 = 64;

/// Default largest Hamming distance at which two fingerprints are the same story; DESIGN.md
/// shows the measurements behind it.
pub const DEFAULT_MAX_DISTANCE_BITS: u32 = 12;

/// Largest supported distance: the table search needs more than `k` blocks, each at least one
/// bit wide, and beyond ~20 bits unrelated texts (mean distance 32) start to pass.
pub const MAX_DISTANCE_BITS_LIMIT: u32 = 20;

/// The SimHash function of one run, derived from the seed.
#[derive(Debug, Clone, Copy)]
pub struct SimHasher {
    key: u64,
}

impl SimHasher {
    /// The SimHash of seed `seed`. The shingle hashes are already seeded xxh3 values; the key
    /// remixes them so that SimHash bits are independent of the bits MinHash reads.
    pub fn new(seed: u64) -> Self {
        let mut state = seed ^ 0x7369_6d68_6173_6821; // "simhash!"
        SimHasher {
            key: splitmix64(&mut state),
        }
    }

    /// The fingerprint of a set of shingle hashes (each weighing 1): bit `i` is set when more
    /// than half of the shingles' remixed hashes have bit `i` set. The empty set gives 0.
    pub fn fingerprint(&self, shingles: &[u64]) -> u64 {
        // 64 vote counters, bit-sliced: plane j holds bit j of every counter, and adding a hash
        // is a branch-free ripple-carry add across the planes instead of 64 shift-and-adds. A
        // batch of up to 2^PLANES − 1 hashes fits the planes; then they are added to `votes`.
        let mut votes = [0u64; BITS as usize];
        for batch in shingles.chunks((1 << PLANES) - 1) {
            let mut planes = [0u64; PLANES];
            for &h in batch {
                let mut state = h ^ self.key;
                let mut carry = splitmix64(&mut state);
                for plane in planes.iter_mut() {
                    let sum = *plane ^ carry;
                    carry &= *plane;
                    *plane = sum;
                }
            }
            for (i, v) in votes.iter_mut().enumerate() {
                *v += planes
                    .iter()
                    .enumerate()
                    .map(|(j, plane)| ((plane >> i) & 1) << j)
                    .sum::<u64>();
            }
        }
        let n = shingles.len() as u64;
        votes
            .iter()
            .enumerate()
            .fold(0u64, |fp, (i, &v)| fp | (u64::from(2 * v > n) << i))
    }
}

/// Bit planes of a batch's vote counters.
const PLANES: usize = 8;

/// Bits in which two fingerprints differ.
pub fn hamming(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

/// The cosine of the angle between the two shingle vectors, estimated from their distance:
/// each bit differs with probability θ/π.
pub fn cosine(distance_bits: u32) -> f64 {
    (std::f64::consts::PI * f64::from(distance_bits.min(BITS)) / f64::from(BITS)).cos()
}

/// Estimated shingles in common, from the cosine and the exact set sizes
/// (|A ∩ B| = cos θ · √(|A|·|B|)), clamped to what the smaller set can hold.
pub fn intersection(cosine: f64, len_a: usize, len_b: usize) -> f64 {
    let bound = len_a.min(len_b) as f64;
    (cosine * ((len_a as f64) * (len_b as f64)).sqrt()).clamp(0.0, bound)
}

/// Estimated Jaccard similarity and containment of the smaller set in the larger, from a
/// distance and the exact set sizes. Both are 0 when either set is empty.
pub fn estimates(distance_bits: u32, len_a: usize, len_b: usize) -> (f64, f64) {
    if len_a == 0 || len_b == 0 {
        return (0.0, 0.0);
    }
    let inter = intersection(cosine(distance_bits), len_a, len_b);
    let union = len_a as f64 + len_b as f64 - inter;
    (inter / union, inter / len_a.min(len_b) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ShingleSpec;
    use crate::shingle::Shingler;

    fn set(range: std::ops::Range<u64>) -> Vec<u64> {
        range
            .map(|i| i.wrapping_mul(0x9e37_79b9_7f4a_7c15))
            .collect()
    }

    fn shingles(text: &str) -> Vec<u64> {
        let mut out = Vec::new();
        Shingler::default().shingles(text, ShingleSpec::Chars(7), 1, &mut out);
        out
    }

    #[test]
    fn hamming_table() {
        // (a, b, distance)
        let cases = [
            (0u64, 0u64, 0u32),
            (0, u64::MAX, 64),
            (0b1011, 0b0010, 2),
            (1 << 63, 1, 2),
            (0x00ff_00ff_00ff_00ff, 0xff00_ff00_ff00_ff00, 64),
            (0x1234_5678_9abc_def0, 0x1234_5678_9abc_def0, 0),
        ];
        for (a, b, want) in cases {
            assert_eq!(hamming(a, b), want, "{a:x} {b:x}");
            assert_eq!(hamming(b, a), want);
        }
    }

    #[test]
    fn estimates_table() {
        // (distance, |A|, |B|, Jaccard, containment)
        let cases = [
            (0, 100, 100, 1.0, 1.0),
            (32, 100, 100, 0.0, 0.0),
            (64, 100, 100, 0.0, 0.0),
            (0, 0, 100, 0.0, 0.0),
            // cos = 1 with unequal sizes: the smaller set can at most be inside the larger.
            (0, 25, 100, 0.25, 1.0),
        ];
        for (d, a, b, jaccard, containment) in cases {
            let (j, c) = estimates(d, a, b);
            assert!((j - jaccard).abs() < 1e-9, "d={d}: J {j} want {jaccard}");
            assert!(
                (c - containment).abs() < 1e-9,
                "d={d}: C {c} want {containment}"
            );
        }
        // Estimates fall as the distance grows.
        let js: Vec<f64> = (0..=32).map(|d| estimates(d, 500, 400).0).collect();
        assert!(js.windows(2).all(|w| w[0] >= w[1]), "{js:?}");
    }

    #[test]
    fn bit_sliced_counters_agree_with_plain_counting() {
        // The definition, one counter a bit, against the bit-sliced adder.
        let h = SimHasher::new(9);
        for n in [0u64, 1, 2, 3, 7, 64, 254, 255, 256, 1000, 4097] {
            let s = set(n..2 * n);
            let mut counts = [0u64; 64];
            for &x in &s {
                let mut state = x ^ h.key;
                let v = splitmix64(&mut state);
                for (i, c) in counts.iter_mut().enumerate() {
                    *c += (v >> i) & 1;
                }
            }
            let want = (0..64).fold(0u64, |fp, i| fp | (u64::from(2 * counts[i] > n) << i));
            assert_eq!(h.fingerprint(&s), want, "n={n}");
        }
    }

    #[test]
    fn deterministic_and_seeded() {
        let s = set(0..500);
        let h = SimHasher::new(7);
        assert_eq!(h.fingerprint(&s), h.fingerprint(&s));
        assert_eq!(h.fingerprint(&s), SimHasher::new(7).fingerprint(&s));
        assert_ne!(h.fingerprint(&s), SimHasher::new(8).fingerprint(&s));
        assert_eq!(h.fingerprint(&[]), 0);
    }

    #[test]
    fn distance_follows_overlap_table() {
        // (a, b, largest expected distance, smallest expected distance)
        let cases = [
            (set(0..1000), set(0..1000), 0, 0),
            // 99 % shared: cos 0.99, θ/π ≈ 0.045, ≈ 3 bits.
            (set(0..1000), set(10..1010), 9, 0),
            // Disjoint: θ = 90°, half the bits (32 ± 4) differ.
            (set(0..1000), set(5000..6000), 46, 18),
        ];
        let h = SimHasher::new(3);
        for (a, b, max, min) in cases {
            let d = hamming(h.fingerprint(&a), h.fingerprint(&b));
            assert!(
                (min..=max).contains(&d),
                "distance {d} outside {min}..={max}"
            );
        }
    }

    #[test]
    fn near_identical_texts_are_close_unrelated_texts_are_not() {
        let story = "The harbour authority approved a plan on Tuesday to dredge the eastern \
                     channel, which has silted up since the storms of last winter. Ferry \
                     operators had warned that larger vessels could no longer dock at low tide. \
                     Work is expected to start in the spring and to last about four months, \
                     during which the fish market will move to the western quay.";
        let edited = story
            .replace("Tuesday", "Wednesday")
            .replace("four", "five");
        let other = "Organisers of the regional book fair said attendance fell for a second \
                     year, blaming train strikes and the closure of the main exhibition hall. \
                     Publishers nevertheless reported steady sales of children's titles, and \
                     the fair will return next autumn in a temporary venue near the station.";
        let h = SimHasher::new(11);
        let (fs, fe, fo) = (
            h.fingerprint(&shingles(story)),
            h.fingerprint(&shingles(&edited)),
            h.fingerprint(&shingles(other)),
        );
        let near = hamming(fs, fe);
        let far = hamming(fs, fo);
        assert!(near <= 8, "edited copy {near} bits away");
        assert!((20..=44).contains(&far), "unrelated text {far} bits away");
    }

    #[test]
    fn unrelated_sets_average_half_the_bits() {
        // Over many disjoint pairs the mean distance is 32 (each bit an independent coin).
        let h = SimHasher::new(5);
        let fps: Vec<u64> = (0..200u64)
            .map(|i| h.fingerprint(&set(i * 1000..i * 1000 + 300)))
            .collect();
        let mut total = 0u64;
        let mut pairs = 0u64;
        for i in 0..fps.len() {
            for j in (i + 1)..fps.len() {
                total += u64::from(hamming(fps[i], fps[j]));
                pairs += 1;
            }
        }
        let mean = total as f64 / pairs as f64;
        assert!((mean - 32.0).abs() < 1.0, "mean distance {mean}");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]

        #[test]
        fn distance_is_symmetric_bounded_and_zero_on_identical_text(
            a in "[a-z ]{0,300}",
            b in "[a-z ]{0,300}",
            seed in proptest::prelude::any::<u64>(),
        ) {
            let h = SimHasher::new(seed);
            let (fa, fb) = (h.fingerprint(&shingles(&a)), h.fingerprint(&shingles(&b)));
            proptest::prop_assert_eq!(hamming(fa, fb), hamming(fb, fa));
            proptest::prop_assert!(hamming(fa, fb) <= BITS);
            proptest::prop_assert_eq!(hamming(fa, h.fingerprint(&shingles(&a.clone()))), 0);
            let (j, c) = estimates(hamming(fa, fb), 10, 20);
            proptest::prop_assert!((0.0..=1.0).contains(&j) && (0.0..=1.0).contains(&c));
        }
    }
}
