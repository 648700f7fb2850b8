//! The pairs of a run: candidate search in the banded (or Hamming) indexes and the
//! verification of each candidate, with the bandings and the rule they follow. Owns which
//! documents are paired, not how they are grouped ([`crate::cluster`]).

use rayon::prelude::*;

use crate::cluster::{self, Fingerprints, Rule};
use crate::config::{Config, Method};
use crate::lsh::{self, Banding, Signatures};

/// The smallest size ratio (shorter / longer, in shingles) at which a contained document must
/// still be found; it sets the Jaccard level of the containment index.
const CONTAINMENT_MIN_SIZE_RATIO: f64 = 0.25;

/// The Jaccard similarity of a document that is `containment`-contained in one `1/ratio` times
/// its size: J = c·ρ / (1 + ρ − c·ρ). Candidates for containment are searched at this level.
pub fn containment_search_threshold(containment: f64) -> f64 {
    let cr = containment * CONTAINMENT_MIN_SIZE_RATIO;
    cr / (1.0 + CONTAINMENT_MIN_SIZE_RATIO - cr)
}

/// Candidate pairs and the verified ones among them.
pub(crate) struct Matched {
    /// Number of distinct candidate pairs both indexes proposed.
    pub(crate) candidate_pairs: usize,
    /// Pairs `(i, j)`, `i < j`, sorted, that passed verification.
    pub(crate) edges: Vec<(u32, u32)>,
    /// Banding of the near-duplicate index.
    pub(crate) near: Banding,
    /// Banding of the containment index.
    pub(crate) contained: Banding,
}

/// The banded indexes a run searches, with their seeds: the near-duplicate one at
/// `--threshold`, the containment one at [`containment_search_threshold`].
pub fn band_indexes(config: &Config) -> [(Banding, u64); 2] {
    let near = lsh::optimal_banding(config.threshold, config.num_perm);
    let contained = lsh::optimal_banding(
        containment_search_threshold(config.containment),
        config.num_perm,
    );
    [
        (near, config.seed),
        (contained, config.seed ^ 0x000c_047a_14ed),
    ]
}

/// Searches both LSH indexes for pairs that involve a document at `first_new` or later (0: all
/// pairs) and verifies each. `fps` holds the documents' fingerprints (a run's own table, or an
/// index's documents followed by the run's new ones); `active` marks those taking part.
pub(crate) fn match_pairs<F: Fingerprints + Signatures + ?Sized>(
    config: &Config,
    fps: &F,
    active: &[bool],
    first_new: usize,
) -> Matched {
    match_pairs_of(config, fps, active, first_new, active.len())
}

/// [`match_pairs`] where the search stands for one over `documents` documents (the SimHash
/// table layout follows their number): a night searches a subset of its index with the same
/// layout as over the whole index.
pub(crate) fn match_pairs_of<F: Fingerprints + Signatures + ?Sized>(
    config: &Config,
    fps: &F,
    active: &[bool],
    first_new: usize,
    documents: usize,
) -> Matched {
    let indexes = band_indexes(config);
    let (near, contained) = (indexes[0].0, indexes[1].0);
    let rule = rule(config);
    let verify = |a: u32, b: u32, at_most: usize| {
        cluster::matches_within(fps.get(a as usize), fps.get(b as usize), rule, at_most)
    };
    let (edges, candidate_pairs) = match config.method {
        Method::MinHash => lsh::verified_candidates(
            fps,
            active,
            first_new,
            &indexes,
            cluster::min_agreeing_lanes(rule, config.num_perm),
            &verify,
        ),
        // One index only: SimHash has no containment search (DESIGN.md, "SimHash").
        Method::SimHash => {
            let fingerprints: Vec<u64> = (0..active.len())
                .map(|i| fps.get(i).simhash.unwrap_or(0))
                .collect();
            let layout = lsh::hamming_layout(config.simhash_max_distance_bits, documents);
            let pairs = lsh::hamming_candidates_touching(&fingerprints, active, first_new, layout);
            let edges: Vec<(u32, u32)> = pairs
                .par_iter()
                .copied()
                .filter(|&(a, b)| verify(a, b, usize::MAX))
                .collect();
            (edges, pairs.len())
        }
    };
    Matched {
        candidate_pairs,
        edges,
        near,
        contained,
    }
}

/// The verification rule of a configuration.
pub fn rule(config: &Config) -> Rule {
    Rule::from_config(config)
}
