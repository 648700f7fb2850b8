//! The banding index: picks bands × rows for a threshold, buckets signatures band by band and
//! emits candidate pairs in a deterministic order.

use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Bands and rows of a banding scheme (`bands · rows ≤ num_perm`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Banding {
    /// Number of bands.
    pub bands: usize,
    /// Signature rows per band.
    pub rows: usize,
}

/// Probability that a pair of Jaccard `s` shares at least one band.
fn collision_probability(s: f64, b: usize, r: usize) -> f64 {
    1.0 - (1.0 - s.powi(r as i32)).powi(b as i32)
}

/// Simpson's rule; the integrands are smooth polynomials, so 128 intervals are plenty.
fn integrate(f: impl Fn(f64) -> f64, lo: f64, hi: f64) -> f64 {
    const N: usize = 128;
    if hi <= lo {
        return 0.0;
    }
    let h = (hi - lo) / N as f64;
    let mut sum = f(lo) + f(hi);
    for i in 1..N {
        let w = if i % 2 == 1 { 4.0 } else { 2.0 };
        sum += w * f(lo + i as f64 * h);
    }
    sum * h / 3.0
}

/// Bands × rows minimizing the weighted false-positive mass (area under the collision curve
/// below the threshold) plus false-negative mass (area above the curve beyond it), with equal
/// weights: the rule datasketch's `MinHashLSH` uses.
pub fn optimal_banding(threshold: f64, num_perm: usize) -> Banding {
    let mut best = (
        f64::INFINITY,
        Banding {
            bands: 1,
            rows: num_perm.max(1),
        },
    );
    for b in 1..=num_perm {
        for r in 1..=(num_perm / b) {
            let fp = integrate(|s| collision_probability(s, b, r), 0.0, threshold);
            let fn_ = integrate(|s| 1.0 - collision_probability(s, b, r), threshold, 1.0);
            let err = 0.5 * fp + 0.5 * fn_;
            if err < best.0 {
                best = (err, Banding { bands: b, rows: r });
            }
        }
    }
    best.1
}

/// Above this many documents in one bucket, each member is paired only with its next
/// `BUCKET_WINDOW` neighbours, so a bucket shared by thousands of documents (a common footer)
/// cannot make the candidate list quadratic.
pub const BUCKET_ALL_PAIRS_MAX: usize = 64;
/// Neighbours paired per member inside an oversized bucket.
pub const BUCKET_WINDOW: usize = 16;

/// Candidate pairs `(i, j)` with `i < j` over `signatures` (indexed by position), sorted and
/// unique. Signatures marked `false` in `active` take no part.
pub fn candidates<S: AsRef<[u32]> + Sync>(
    signatures: &[S],
    active: &[bool],
    banding: Banding,
    seed: u64,
) -> Vec<(u32, u32)> {
    candidates_touching(signatures, active, 0, banding, seed)
}

/// Like [`candidates`], but only pairs with at least one document at position `first_new` or
/// later: the documents of tonight's scrape against each other and against an index of earlier
/// ones. Old documents enter a band's sort only when their key is one a new document has, so the
/// cost over a large index is one hash per old signature and band, not a sort of all of them.
pub fn candidates_touching<S: AsRef<[u32]> + Sync>(
    signatures: &[S],
    active: &[bool],
    first_new: usize,
    banding: Banding,
    seed: u64,
) -> Vec<(u32, u32)> {
    let per_band: Vec<Vec<(u32, u32)>> = (0..banding.bands)
        .into_par_iter()
        .map(|band| {
            let lo = band * banding.rows;
            let hi = lo + banding.rows;
            // One buffer a band: the band's rows as bytes, reused for every signature.
            let mut bytes: Vec<u8> = Vec::with_capacity(4 * banding.rows);
            let mut key = |sig: &[u32]| {
                bytes.clear();
                bytes.extend(sig[lo..hi].iter().flat_map(|v| v.to_le_bytes()));
                xxh3_64_with_seed(&bytes, seed ^ band as u64)
            };
            let first_new = first_new.min(signatures.len());
            let mut keyed: Vec<(u64, u32)> = (first_new..signatures.len())
                .filter(|&i| active[i])
                .map(|i| (key(signatures[i].as_ref()), i as u32))
                .collect();
            if first_new > 0 {
                let wanted: std::collections::HashSet<u64> =
                    keyed.iter().map(|&(k, _)| k).collect();
                keyed.extend((0..first_new).filter(|&i| active[i]).filter_map(|i| {
                    let k = key(signatures[i].as_ref());
                    wanted.contains(&k).then_some((k, i as u32))
                }));
            }
            keyed.sort_unstable();
            let mut pairs = Vec::new();
            for bucket in keyed.chunk_by(|a, b| a.0 == b.0) {
                let m = bucket.len();
                let window = if m <= BUCKET_ALL_PAIRS_MAX {
                    m
                } else {
                    BUCKET_WINDOW + 1
                };
                // Old documents sort first; a new one pairs with the old ones just before it
                // in an oversized bucket as well as with the new ones after it.
                for x in 0..m {
                    for y in (x + 1)..m.min(x + window) {
                        if bucket[y].1 as usize >= first_new {
                            pairs.push((bucket[x].1, bucket[y].1));
                        }
                    }
                }
            }
            pairs
        })
        .collect();
    let mut all: Vec<(u32, u32)> = per_band.into_iter().flatten().collect();
    all.par_sort_unstable();
    all.dedup();
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn banding_table() {
        // The products must fit and thresholds must order the row counts.
        let cases = [(0.5, 128), (0.8, 128), (0.3, 256), (0.9, 64)];
        for (t, p) in cases {
            let b = optimal_banding(t, p);
            assert!(b.bands * b.rows <= p, "{b:?} for {t} {p}");
            // The S-curve's midpoint (1/b)^(1/r) must sit near the threshold.
            let mid = (1.0 / b.bands as f64).powf(1.0 / b.rows as f64);
            assert!((mid - t).abs() < 0.15, "{b:?} midpoint {mid} vs {t}");
        }
        let low = optimal_banding(0.3, 128);
        let high = optimal_banding(0.9, 128);
        assert!(low.rows < high.rows);
    }

    #[test]
    fn identical_signatures_collide_distinct_do_not() {
        let sigs = vec![vec![1u32; 16], vec![1u32; 16], vec![2u32; 16]];
        let got = candidates(&sigs, &[true; 3], Banding { bands: 4, rows: 4 }, 0);
        assert_eq!(got, vec![(0, 1)]);
        let got = candidates(
            &sigs,
            &[true, false, true],
            Banding { bands: 4, rows: 4 },
            0,
        );
        assert!(got.is_empty());
    }

    #[test]
    fn oversized_bucket_is_windowed() {
        let n = BUCKET_ALL_PAIRS_MAX * 4;
        let sigs = vec![vec![7u32; 8]; n];
        let got = candidates(&sigs, &vec![true; n], Banding { bands: 1, rows: 8 }, 0);
        assert!(got.len() <= n * BUCKET_WINDOW);
        // Still connected: every document pairs with its successor.
        for i in 0..(n as u32 - 1) {
            assert!(got.binary_search(&(i, i + 1)).is_ok());
        }
    }

    #[test]
    fn touching_pairs_are_the_full_pairs_that_involve_a_new_document() {
        // Five groups of equal signatures over 40 documents; the last 15 are "new".
        let sigs: Vec<Vec<u32>> = (0..40u32).map(|i| vec![i % 5; 16]).collect();
        let active = vec![true; 40];
        let banding = Banding { bands: 4, rows: 4 };
        let all = candidates(&sigs, &active, banding, 9);
        for first_new in [0, 1, 25, 39, 40] {
            let want: Vec<(u32, u32)> = all
                .iter()
                .copied()
                .filter(|&(_, b)| b as usize >= first_new)
                .collect();
            let got = candidates_touching(&sigs, &active, first_new, banding, 9);
            assert_eq!(got, want, "first_new {first_new}");
        }
    }
}
