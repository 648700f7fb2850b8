//! Finds what a night pairs with in the index. One streamed read selects what the night needs
//! of it: which of the night's ids it holds already, the old documents the night's searches can
//! pair with a new one, the members of their clusters and the counts of every anchor; under
//! MinHash a second read verifies each candidate pair as its old document goes by. Then the
//! pairs are numbered as the night numbers its documents ([`super::numbering`]) and the
//! translation pairs searched (DESIGN.md, "Matching a night").

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::night::{self, Selection, Subset};
use super::numbering::Numbered;
use super::store::DocView;
use super::{Index, Place};
use crate::anchor::Sketch;
use crate::cluster::{self, FingerprintRef, Fingerprints};
use crate::config::{Config, Method};
use crate::corpus::Skipped;
use crate::crosslang::{self, AnchorCounts, Edge, SketchTable};
use crate::error::Result;
use crate::lsh::{self, NightBands};
use crate::minhash::Lanes;
use crate::pairs::{self, band_indexes, match_pairs_of, Matched};
use crate::passes::Fingerprinted;

/// Verified pairs numbered as the index numbers documents (new ones after the old), sorted,
/// and the number of candidate pairs they came from.
pub(crate) type VerifiedPairs = (Vec<(u32, u32)>, usize);

/// What the reads of the index found for a night.
pub(crate) struct Found {
    /// The run's rows of the night's new documents (fingerprinted and not in the index yet),
    /// in order.
    pub(crate) fresh: Vec<usize>,
    /// The documents the index held before the night.
    pub(crate) documents_before: usize,
    /// The old documents the night runs on.
    pub(crate) subset: Subset,
    /// The anchor counts over every document of the index and the night, when translations
    /// are searched (two languages can match).
    pub(crate) counts: Option<AnchorCounts>,
    /// Under MinHash (and not the whole-index test hook), the pairs verified in the reads.
    pub(crate) pairs: Option<VerifiedPairs>,
}

/// Reads from `index` what the night of `run` needs of it (see [`Found`]). The night's
/// documents whose id the index holds already are set aside in `skipped`.
pub(crate) fn find(
    config: &Config,
    index: &Index,
    run: &Fingerprinted,
    skipped: &mut Vec<Skipped>,
) -> Result<Found> {
    let (fps, ids, sketches) = (&run.fps, &run.ids, &run.sketches);
    // One streamed read of the index finds what the night needs of it: which ids it holds,
    // the old documents the night's searches can pair with a new one and the members of
    // their clusters, and the counts of every anchor (DESIGN.md, "Matching a night").
    let matchable: Vec<usize> = (0..fps.len())
        .filter(|&i| fps.get(i).shingles > 0)
        .collect();
    let night_ids: rustc_hash::FxHashSet<&str> = matchable.iter().map(|&i| ids.get(i)).collect();
    let night_anchors: Option<rustc_hash::FxHashSet<u32>> = config.translations.then(|| {
        matchable
            .iter()
            .flat_map(|&i| sketches.get(i).anchors.iter().copied())
            .collect()
    });
    // Test hook: `REPRINT_TEST_WHOLE_INDEX` keeps every old document whole and searches
    // them all, as matching against the whole index in memory did, so that a test can
    // hold the streamed search to it.
    let whole = std::env::var_os("REPRINT_TEST_WHOLE_INDEX").is_some();
    let night_bands = (config.method == Method::MinHash && !whole).then(|| {
        lsh::NightBands::new(
            matchable.iter().map(|&i| fps.get(i).signature),
            &band_indexes(config),
        )
    });
    let collides: Option<Box<night::Collides>> = match config.method {
        _ if whole => Some(Box::new(|_, _| true)),
        Method::MinHash => None,
        Method::SimHash => {
            let new: Vec<u64> = matchable
                .iter()
                .map(|&i| fps.get(i).simhash.unwrap_or(0))
                .collect();
            let filter = lsh::HammingFilter::new(
                &new,
                config.simhash_max_distance_bits,
                index.len()..=index.len() + new.len(),
            );
            Some(Box::new(move |_, h| filter.collides(h.unwrap_or(0))))
        }
    };
    let mut selection = index.select(&night::Wanted {
        ids: &night_ids,
        bands: night_bands.as_ref(),
        collides: collides.as_deref(),
        anchors: night_anchors.as_ref(),
    })?;
    drop((collides, night_anchors, night_ids));
    let mut fresh: Vec<usize> = Vec::new();
    for &i in &matchable {
        if selection.known.contains(ids.get(i)) {
            skipped.push(Skipped {
                path: ids.get(i).to_string(),
                reason: "already in the index: a document with this id was added before".into(),
            });
        } else {
            fresh.push(i);
        }
    }
    drop(matchable);
    let documents_before = index.len();
    // Anchor counts over every document of the index and the night, as one table of them
    // all would count them; translations are searched when two languages can match.
    let mut languages = selection.languages;
    let mut counter = std::mem::take(&mut selection.counter);
    if config.translations {
        for &i in &fresh {
            let s = sketches.get(i);
            counter.add(s.lang, s.anchors, fps.get(i).length);
            if crosslang::searches(s) {
                languages |= crosslang::lang_bit(s.lang);
            }
        }
    }
    let translating = config.translations && languages.count_ones() >= 2 && !fresh.is_empty();
    let counts = translating.then(|| counter.finish());
    let rare: rustc_hash::FxHashSet<u32> = match &counts {
        Some(counts) => fresh
            .iter()
            .flat_map(|&i| sketches.get(i).anchors.iter().copied())
            .filter(|&a| crosslang::searchable(counts.of(a)))
            .collect(),
        None => Default::default(),
    };
    let translating_old = selection.translating(&|a| rare.contains(&a));
    // Under MinHash, the candidate pairs come from the buckets' counts and last documents,
    // and a second streamed read verifies each pair as its old document goes by: only the
    // old documents of verified pairs are kept. Otherwise the old documents whose keys
    // collide are kept whole and searched with the new ones.
    let (subset, pairs) = match &night_bands {
        Some(bands) => {
            let buckets = std::mem::take(&mut selection.buckets);
            let translations = counts.as_ref().map(|counts| (counts, &rare));
            let (subset, pairs) =
                verify_paired(config, index, run, &fresh, bands, buckets, translations)?;
            (subset, Some(pairs))
        }
        None => (
            gather_collided(index, &mut selection, &translating_old)?,
            None,
        ),
    };
    drop((selection, translating_old, rare));
    Ok(Found {
        fresh,
        documents_before,
        subset,
        counts,
        pairs,
    })
}

/// Under MinHash: the candidate pairs of the night's `fresh` documents from the `buckets` the
/// first read found, verified (those among new documents here, those with an old one in a
/// second read of `index`), and the old documents the night runs on: those of verified pairs,
/// those that can pair across languages (`translations`: the anchor counts and the night's
/// searchable anchors), and the members of their clusters. Returns them with the verified
/// pairs, numbered as the index numbers documents, and the number of candidate pairs.
fn verify_paired(
    config: &Config,
    index: &Index,
    run: &Fingerprinted,
    fresh: &[usize],
    bands: &NightBands,
    buckets: Vec<FxHashMap<u64, lsh::OldBucket>>,
    translations: Option<(&AnchorCounts, &FxHashSet<u32>)>,
) -> Result<(Subset, VerifiedPairs)> {
    let (fps, sketches) = (&run.fps, &run.sketches);
    let documents_before = index.len();
    let first = documents_before as u32;
    let new_sigs: Vec<Lanes> = fresh.iter().map(|&i| fps.get(i).signature).collect();
    let pairs = lsh::night_pairs(bands, &new_sigs, first, &buckets);
    drop((buckets, new_sigs));
    let candidate_pairs = pairs.len();
    let rule = pairs::rule(config);
    let min_lanes = cluster::min_agreeing_lanes(rule, config.num_perm);
    // As `lsh::verified_candidates` judges a pair: the lanes whose low bytes agree
    // bound the agreement, and too few reject it.
    let verified = |a: FingerprintRef, b: FingerprintRef| {
        let agreeing = crate::minhash::equal_low_bytes(a.signature, b.signature);
        agreeing >= min_lanes && cluster::matches_within(a, b, rule, agreeing)
    };
    let new_fp = |n: u32| fps.get(fresh[(n - first) as usize]);
    let split = pairs.partition_point(|&(a, _)| a < first);
    let mut edges: Vec<(u32, u32)> = pairs[split..]
        .par_iter()
        .copied()
        .filter(|&(a, b)| verified(new_fp(a), new_fp(b)))
        .collect();
    // Where the documents the night may touch lie: the old documents of candidate
    // pairs, those searched across languages, and the members of their clusters.
    let mut place = vec![0u64; documents_before.div_ceil(64)];
    let mut seeds: Vec<u32> = pairs[..split].iter().map(|&(a, _)| a).collect();
    seeds.sort_unstable();
    seeds.dedup();
    for &m in &seeds {
        place[m as usize / 64] |= 1 << (m % 64);
    }
    for c in index.clusters() {
        if c.members.iter().any(|m| seeds.binary_search(m).is_ok()) {
            for &m in &c.members {
                place[m as usize / 64] |= 1 << (m % 64);
            }
        }
    }
    let probe = translations.map(|(counts, rare)| {
        night::TranslationProbe::new(counts, rare, fresh.iter().map(|&i| sketches.get(i)))
    });
    let translates = |view: &DocView<'_>| probe.as_ref().is_some_and(|p| p.pairs_with(view));
    let mut checked = index.verify(
        &pairs[..split],
        &place,
        &|old, n| verified(old, new_fp(n)),
        probe.is_some().then_some(&translates as &night::Translates),
    )?;
    drop((probe, pairs, place));
    let mut seeds: Vec<u32> = checked.edges.iter().map(|&(a, _)| a).collect();
    seeds.extend(&checked.translating);
    let docs = std::mem::take(&mut checked.docs);
    let subset = index.gather(docs, &seeds, &|d| checked.place_of(d))?;
    edges.extend(checked.edges);
    edges.sort_unstable();
    Ok((subset, (edges, candidate_pairs)))
}

/// Otherwise (SimHash, or the whole-index test hook): the old documents whose keys collide
/// with a new document's, kept whole by the first read, those that can pair across languages
/// (`translating_old`), and the members of their clusters.
fn gather_collided(
    index: &Index,
    selection: &mut Selection,
    translating_old: &[(u32, Place)],
) -> Result<Subset> {
    let mut seeds: Vec<u32> = selection.collided.iter().map(|&(d, _)| d).collect();
    seeds.extend(translating_old.iter().map(|&(d, _)| d));
    let places: rustc_hash::FxHashMap<u32, Place> = selection
        .clustered()
        .iter()
        .chain(translating_old)
        .copied()
        .collect();
    let have = std::mem::take(&mut selection.collided);
    let subset = index.gather(have, &seeds, &|d| places.get(&d).copied())?;
    Ok(subset)
}

/// The night's same-language pairs, numbered as `night` numbers its documents: those the reads
/// of the index verified (`found`, under MinHash), else those of a search over the subset and
/// the new documents laid out as one over the whole index.
pub(crate) fn same_language_pairs(
    config: &Config,
    night: &Numbered,
    found: Option<VerifiedPairs>,
) -> Matched {
    let near_contained = band_indexes(config);
    match found {
        // The pairs found over the whole index, numbered in the subset.
        Some((edges, candidate_pairs)) => Matched {
            candidate_pairs,
            edges: edges
                .into_iter()
                .map(|(a, b)| (night.local_or_new(a), night.local_or_new(b)))
                .collect(),
            near: near_contained[0].0,
            contained: near_contained[1].0,
        },
        None => match_pairs_of(
            config,
            night,
            &vec![true; night.total()],
            night.first_new(),
            night.documents_before() + night.fresh().len(),
        ),
    }
}

/// Pairs across languages that involve a new document, searched in one table of the subset's
/// sketches and the night's, weighed by the `counts` over every document (none when
/// translations are not searched): the verified pairs, the number of candidates, and the
/// counts, which measure the members of the night's clusters.
pub(crate) fn translation_pairs(
    night: &Numbered,
    counts: Option<AnchorCounts>,
) -> (Vec<Edge>, usize, Option<AnchorCounts>) {
    match counts {
        Some(counts) => {
            let mut table = SketchTable::default();
            for i in 0..night.total() {
                let s = night.sketch(i);
                table.push(&Sketch {
                    lang: s.lang,
                    anchors: s.anchors.to_vec(),
                });
            }
            let (edges, candidates) =
                super::translation_edges_counted(&table, night, night.first_new(), &counts);
            (edges, candidates, Some(counts))
        }
        None => (Vec::new(), 0, None),
    }
}
