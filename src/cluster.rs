//! Clustering: verifies candidate pairs against the full signatures, groups verified pairs, and
//! splits every group so that each member is verified against its representative, the most
//! complete document, which stops union-find from chaining unrelated stories together (a copy
//! that only missed an inflated representative joins through the member it matches).

use std::collections::BTreeSet;

use crate::minhash::{self, Lanes};
use crate::simhash;

/// What the clusterer knows of one document. A run holds one for every document it reads and
/// an index one for every document it keeps, so it is laid out to be small: boxed slices (no
/// spare capacity to record) and 32-bit counts.
#[derive(Debug, Clone)]
pub struct Fingerprint {
    /// MinHash signature of the kept text (empty under `--method simhash`).
    pub signature: Box<[u32]>,
    /// SimHash fingerprint of the kept text under `--method simhash`; when both documents of a
    /// pair have one, it is what the pair is measured on.
    pub simhash: Option<u64>,
    /// Number of distinct shingles of the kept text.
    pub shingles: u32,
    /// Length of the kept normalized text in characters: how complete the document is.
    pub length: u32,
    /// Bottom-k sketch of the figures (digit-bearing tokens) of the kept text.
    pub numbers: Box<[u64]>,
    /// Bit `k` set when lane `k` of the signature is a shingle of what the text borrows (its
    /// spans between double quotes and, in a brief, its closing paragraph, where a site's
    /// footer sits: [`crate::shingle::borrowed_text`]); 0 when it borrows too little and when
    /// that is not known (SimHash, an index written before quotations were kept).
    pub quoted_lanes: u128,
}

impl AsRef<[u32]> for Fingerprint {
    /// The MinHash signature: what the candidate search bands.
    fn as_ref(&self) -> &[u32] {
        &self.signature
    }
}

/// A fingerprint as verification reads it, borrowed from a [`Fingerprint`] or from a row of a
/// [`FingerprintTable`].
#[derive(Debug, Clone, Copy)]
pub struct FingerprintRef<'a> {
    /// MinHash signature (empty under `--method simhash`).
    pub signature: Lanes<'a>,
    /// SimHash fingerprint, if the document has one.
    pub simhash: Option<u64>,
    /// Number of distinct shingles of the kept text.
    pub shingles: u32,
    /// Length of the kept normalized text in characters.
    pub length: u32,
    /// Bottom-k sketch of the figures of the kept text.
    pub numbers: &'a [u64],
    /// The lanes that are shingles of what the text borrows ([`Fingerprint::quoted_lanes`]).
    pub quoted_lanes: u128,
}

impl<'a> From<&'a Fingerprint> for FingerprintRef<'a> {
    fn from(fp: &'a Fingerprint) -> Self {
        FingerprintRef {
            signature: Lanes::Words(&fp.signature),
            simhash: fp.simhash,
            shingles: fp.shingles,
            length: fp.length,
            numbers: &fp.numbers,
            quoted_lanes: fp.quoted_lanes,
        }
    }
}

impl FingerprintRef<'_> {
    /// An owned copy, for what outlives the table it was read from (an index's documents).
    pub fn to_fingerprint(&self) -> Fingerprint {
        Fingerprint {
            signature: self.signature.to_vec().into(),
            simhash: self.simhash,
            shingles: self.shingles,
            length: self.length,
            numbers: self.numbers.into(),
            quoted_lanes: self.quoted_lanes,
        }
    }
}

/// Fingerprints by document number: what clustering reads, whether the documents' fingerprints
/// lie one by one or in one [`FingerprintTable`].
pub trait Fingerprints: Sync {
    /// The number of documents.
    fn count(&self) -> usize;
    /// The fingerprint of document `i` (`i < count()`).
    fn get(&self, i: usize) -> FingerprintRef<'_>;
}

impl Fingerprints for [Fingerprint] {
    fn count(&self) -> usize {
        self.len()
    }
    fn get(&self, i: usize) -> FingerprintRef<'_> {
        (&self[i]).into()
    }
}

impl Fingerprints for Vec<Fingerprint> {
    fn count(&self) -> usize {
        self.len()
    }
    fn get(&self, i: usize) -> FingerprintRef<'_> {
        (&self[i]).into()
    }
}

impl<const N: usize> Fingerprints for [Fingerprint; N] {
    fn count(&self) -> usize {
        N
    }
    fn get(&self, i: usize) -> FingerprintRef<'_> {
        (&self[i]).into()
    }
}

impl Fingerprints for [FingerprintRef<'_>] {
    fn count(&self) -> usize {
        self.len()
    }
    fn get(&self, i: usize) -> FingerprintRef<'_> {
        self[i]
    }
}

/// The fingerprints of a run's documents in a few flat tables, one row a document: a
/// [`Fingerprint`] of its own would cost each document two allocations (the signature's
/// 512 bytes and the figures'), their headers and rounding, two slice pointers, and the holes
/// that a million small allocations made among the fingerprinting's scratch leave in the
/// allocator's arenas (a sixth of the fingerprints' memory at a million documents). The
/// signatures are packed ([`minhash::pack`]): the candidate search reads the low bytes of
/// their lanes where they lie instead of from a copy (128 bytes a document).
#[derive(Debug, Default)]
pub struct FingerprintTable {
    /// Lanes of every signature.
    width: usize,
    /// The signatures, one packed row of [`minhash::packed_words`]`(width)` words a document.
    signatures: Vec<u64>,
    /// The SimHash fingerprint of each document; empty when no document has one.
    simhash: Vec<Option<u64>>,
    /// The sizes of each document and where its figures are: one load for what verification
    /// reads first of a candidate pair.
    meta: Vec<Meta>,
    /// The figure sketches of all documents, in the order they were added (not by document).
    numbers: Vec<u64>,
}

/// The fixed-size part of a row of a [`FingerprintTable`].
#[derive(Debug, Default, Clone, Copy)]
struct Meta {
    shingles: u32,
    length: u32,
    /// Where the document's sketch starts in `numbers` (above [`FIGURES_LEN_BITS`]) and its
    /// length (below).
    figures: u64,
    /// [`Fingerprint::quoted_lanes`].
    quoted_lanes: u128,
}

/// Bits of a [`FingerprintTable`]'s figure entry that hold the sketch's length: far more than
/// a sketch holds (`shingle::FIGURE_SKETCH_MAX`), leaving 40 bits of position.
const FIGURES_LEN_BITS: u32 = 24;

impl FingerprintTable {
    /// A table of `documents` rows for signatures of `width` lanes, each row empty (no
    /// shingles, no figures, every lane `u32::MAX`) until [`FingerprintTable::set`].
    pub fn with_rows(documents: usize, width: usize) -> FingerprintTable {
        let mut empty = vec![0; minhash::packed_words(width)];
        minhash::pack(width, std::iter::repeat(u32::MAX), &mut empty);
        FingerprintTable {
            width,
            signatures: empty.repeat(documents),
            simhash: Vec::new(),
            meta: vec![Meta::default(); documents],
            numbers: Vec::new(),
        }
    }

    /// An empty table for signatures of `width` lanes, filled by [`FingerprintTable::push`].
    pub fn new(width: usize) -> FingerprintTable {
        FingerprintTable {
            width,
            ..FingerprintTable::default()
        }
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.meta.len()
    }

    /// Whether the table has no rows.
    pub fn is_empty(&self) -> bool {
        self.meta.is_empty()
    }

    /// Appends `fp` as the next document's row.
    pub fn push(&mut self, fp: FingerprintRef<'_>) {
        let row = self.len();
        self.signatures
            .resize(self.signatures.len() + minhash::packed_words(self.width), 0);
        self.meta.push(Meta::default());
        self.set(row, fp);
    }

    /// Writes `fp` into row `row`. A run's signatures all come from one hasher and have the
    /// table's width; a longer one would be cut and a shorter one padded with `u32::MAX`.
    pub fn set(&mut self, row: usize, fp: FingerprintRef<'_>) {
        let words = minhash::packed_words(self.width);
        let sig = fp.signature;
        let lanes = (0..sig.len()).map(|k| sig.get(k));
        minhash::pack(
            self.width,
            lanes.chain(std::iter::repeat(u32::MAX)),
            &mut self.signatures[row * words..(row + 1) * words],
        );
        if fp.simhash.is_some() && self.simhash.is_empty() {
            self.simhash = vec![None; self.len()];
        }
        if let Some(slot) = self.simhash.get_mut(row) {
            *slot = fp.simhash;
        }
        let numbers = &fp.numbers[..fp.numbers.len().min((1 << FIGURES_LEN_BITS) - 1)];
        self.meta[row] = Meta {
            shingles: fp.shingles,
            length: fp.length,
            figures: (self.numbers.len() as u64) << FIGURES_LEN_BITS | numbers.len() as u64,
            quoted_lanes: fp.quoted_lanes,
        };
        self.numbers.extend_from_slice(numbers);
    }

    /// Keeps the rows `i` for which `keep[i]` is set, in order (a row past `keep` is dropped).
    /// Their figures stay where they are.
    pub fn retain(&mut self, keep: &[bool]) {
        let mut to = 0;
        for from in 0..self.len() {
            if !keep.get(from).copied().unwrap_or(false) {
                continue;
            }
            if to != from {
                let w = minhash::packed_words(self.width);
                self.signatures
                    .copy_within(from * w..(from + 1) * w, to * w);
                if !self.simhash.is_empty() {
                    self.simhash[to] = self.simhash[from];
                }
                self.meta[to] = self.meta[from];
            }
            to += 1;
        }
        self.signatures
            .truncate(to * minhash::packed_words(self.width));
        self.simhash.truncate(to.min(self.simhash.len()));
        self.meta.truncate(to);
    }

    /// The signature of row `i`.
    pub fn signature(&self, i: usize) -> Lanes<'_> {
        let words = minhash::packed_words(self.width);
        Lanes::Packed {
            width: self.width,
            row: &self.signatures[i * words..(i + 1) * words],
        }
    }

    /// The packed rows of all signatures, one after the other, and their lanes.
    pub fn packed_signatures(&self) -> (&[u64], usize) {
        (&self.signatures, self.width)
    }
}

impl Fingerprints for FingerprintTable {
    fn count(&self) -> usize {
        self.len()
    }

    fn get(&self, i: usize) -> FingerprintRef<'_> {
        let meta = self.meta[i];
        let start = (meta.figures >> FIGURES_LEN_BITS) as usize;
        let len = (meta.figures & ((1 << FIGURES_LEN_BITS) - 1)) as usize;
        FingerprintRef {
            signature: self.signature(i),
            simhash: self.simhash.get(i).copied().flatten(),
            shingles: meta.shingles,
            length: meta.length,
            numbers: &self.numbers[start..start + len],
            quoted_lanes: meta.quoted_lanes,
        }
    }
}

/// How a member matched its representative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatchKind {
    /// It is the representative.
    Representative,
    /// Estimated Jaccard similarity at least the threshold.
    NearDuplicate,
    /// Most of its shingles are in the representative (a cut or truncated reprint). MinHash
    /// only: a SimHash fingerprint cannot tell a cut copy from a different story (DESIGN.md).
    Contained,
    /// A copy in another language: its names and figures are the representative's, in much the
    /// same order ([`crate::crosslang`]).
    Translation,
}

/// The measures of a document against itself: what a representative is reported with.
pub const SELF: Measures = Measures {
    jaccard: 1.0,
    containment: 1.0,
    figures_differ: false,
    size_ratio: 1.0,
    hamming_bits: None,
    quoted_lanes: None,
};

/// Thresholds of the verification rule.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Minimum estimated Jaccard similarity.
    pub threshold: f64,
    /// Minimum estimated containment of the smaller document in the larger.
    pub containment: f64,
    /// Largest Hamming distance between SimHash fingerprints (SimHash pairs only).
    pub max_hamming_bits: u32,
}

impl Rule {
    /// The rule of a run's configuration.
    pub fn from_config(config: &crate::config::Config) -> Rule {
        Rule {
            threshold: config.threshold,
            containment: config.containment,
            max_hamming_bits: config.simhash_max_distance_bits,
        }
    }
}

/// Containment is estimated from Jaccard and set sizes; below these the estimate is noise.
const CONTAINMENT_MIN_SHINGLES: usize = 12;
/// At least this many agreeing permutations before containment is believed. The estimate
/// J·(|A|+|B|)/((1+J)·|A|) multiplies the error of J by the size ratio: with 6 agreements of 128
/// a 2,000-character OCR page "was" 81 % inside a 46,000-character one (exactly: 32 %).
/// 16 agreements (J ≥ 0.125) still find a 90 %-contained copy down to a seventh of the size.
const CONTAINMENT_MIN_AGREEING: usize = 16;

/// The measures of one pair.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measures {
    /// Estimated Jaccard similarity.
    pub jaccard: f64,
    /// Estimated containment of the smaller document (by shingles) in the larger.
    pub containment: f64,
    /// Both documents carry enough figures and share too few of them: a template story
    /// (never set for a MinHash pair too alike for that, [`is_corrected_copy`]).
    pub figures_differ: bool,
    /// Shingles of the smaller document over those of the larger (1 for equal sizes).
    pub size_ratio: f64,
    /// Bits in which the SimHash fingerprints differ, for pairs measured by SimHash.
    pub hamming_bits: Option<u32>,
    /// The lanes on which the two signatures agree, and of those, the ones whose shingle is
    /// quoted in both texts ([`Fingerprint::quoted_lanes`]), of the first 128 lanes; none for
    /// a SimHash pair, and for a pair that cannot be a quotation ([`is_quotation`]: above the
    /// Jaccard bound, or no lane quoted in both).
    pub quoted_lanes: Option<QuotedLanes>,
}

/// Slots ([`crate::shingle::number_sketch`]) two documents must share before their figures
/// are compared.
const FIGURES_MIN: usize = 4;
/// Below this share of shared slots holding the same figure, two texts are different stories
/// cast in one template (market closes, match results, weather) however alike their words.
const FIGURES_MIN_OVERLAP: f64 = 0.5;
/// Below this estimated Jaccard similarity, figures are compared figure by figure
/// ([`crate::shingle::FigureAgreement::share_by_figure`]), above it slot by slot. Two stories
/// of one template sit near the threshold, held together by their slots' chance agreement on
/// small numbers; OCR versions of one text, whose garbled small figures agree only in part,
/// sit well above it.
const FIGURES_BY_FIGURE_MAX_JACCARD: f64 = 0.5;

/// Whether a pair at estimated Jaccard `jaccard` has its figures judged figure by figure
/// (below [`FIGURES_BY_FIGURE_MAX_JACCARD`]) rather than slot by slot.
pub fn figures_judged_one_by_one(jaccard: f64) -> bool {
    jaccard < FIGURES_BY_FIGURE_MAX_JACCARD
}

/// The weighted share of agreeing figures a pair is judged by at estimated Jaccard `jaccard`:
/// figure by figure ([`figures_judged_one_by_one`]) or slot by slot.
pub fn figure_share(figures: &crate::shingle::FigureAgreement, jaccard: f64) -> f64 {
    if figures_judged_one_by_one(jaccard) {
        figures.share_by_figure()
    } else {
        figures.share()
    }
}

/// Whether a pair's figures make it two stories of one template, at estimated Jaccard
/// `jaccard`: enough shared slots, and under half of them agreeing ([`figure_share`]).
fn figures_disagree(figures: &crate::shingle::FigureAgreement, jaccard: f64) -> bool {
    figures.common >= FIGURES_MIN && figure_share(figures, jaccard) < FIGURES_MIN_OVERLAP
}

/// Estimates both measures for a pair: from the SimHash fingerprints when both have one, from
/// the MinHash signatures otherwise.
pub fn measure<'a, 'b>(
    a: impl Into<FingerprintRef<'a>>,
    b: impl Into<FingerprintRef<'b>>,
) -> Measures {
    let (a, b): (FingerprintRef, FingerprintRef) = (a.into(), b.into());
    let (small, large) = by_size(a, b);
    let figures = crate::shingle::figure_agreement(a.numbers, b.numbers);
    let size_ratio = if large.shingles == 0 {
        1.0
    } else {
        f64::from(small.shingles) / f64::from(large.shingles)
    };
    if let (Some(x), Some(y)) = (a.simhash, b.simhash) {
        let d = simhash::hamming(x, y);
        let (jaccard, containment) =
            simhash::estimates(d, a.shingles as usize, b.shingles as usize);
        return Measures {
            jaccard,
            containment,
            figures_differ: figures_disagree(&figures, jaccard),
            size_ratio,
            hamming_bits: Some(d),
            quoted_lanes: None,
        };
    }
    let (jaccard, containment) = minhash_estimates(small, large);
    Measures {
        jaccard,
        containment,
        figures_differ: figures_disagree(&figures, jaccard)
            && !is_corrected_copy(jaccard, containment, small.shingles),
        size_ratio,
        hamming_bits: None,
        // Only a pair that could be a quotation is split by lanes (the lanes are read one by
        // one): below the bound, with a lane quoted in both.
        quoted_lanes: (jaccard <= QUOTATION_MAX_JACCARD && a.quoted_lanes & b.quoted_lanes != 0)
            .then(|| shared_quoted_lanes(a, b))
            .flatten(),
    }
}

/// At or above this estimated containment and [`CORRECTED_COPY_MIN_JACCARD`], a MinHash pair
/// whose figures disagree is one text with its figures corrected, not a template story.
const CORRECTED_COPY_MIN_CONTAINMENT: f64 = 0.95;
/// See [`CORRECTED_COPY_MIN_CONTAINMENT`].
const CORRECTED_COPY_MIN_JACCARD: f64 = 0.6;
/// From this many shingles of the smaller text (about 170 words), the containment a corrected
/// copy needs is [`CORRECTED_COPY_LONG_MIN_CONTAINMENT`]: a few figure places in a text that
/// long are not a template, whose stories are briefs dense with figures, and a copy of it also
/// loses a paragraph or gains a credit line.
const CORRECTED_COPY_LONG_SHINGLES: u32 = 1000;
/// See [`CORRECTED_COPY_LONG_SHINGLES`].
const CORRECTED_COPY_LONG_MIN_CONTAINMENT: f64 = 0.88;

/// Whether a pair is too alike for disagreeing figures to make it two stories: nearly all of
/// the smaller text lies in the larger (a little less of a long text), and the two are alike
/// overall. Each figure changed breaks the shingles around it, so two stories cast in one
/// template, which differ in every figure and most names, never share this much; a copy whose
/// editor updated a toll or corrected a date in a long text does (DESIGN.md, "cluster").
fn is_corrected_copy(jaccard: f64, containment: f64, small_shingles: u32) -> bool {
    let floor = if small_shingles >= CORRECTED_COPY_LONG_SHINGLES {
        CORRECTED_COPY_LONG_MIN_CONTAINMENT
    } else {
        CORRECTED_COPY_MIN_CONTAINMENT
    };
    containment >= floor && jaccard >= CORRECTED_COPY_MIN_JACCARD
}

/// How the agreement of a pair's first 128 lanes splits between quoted and other text, and
/// how much of each text is quoted ([`is_quotation`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct QuotedLanes {
    /// Lanes (of the first 128) on which the two signatures agree.
    pub agreeing: u32,
    /// Of those, the lanes whose shingle is quoted in both texts.
    pub quoted: u32,
    /// Of the first 128 lanes, the most that either text holds quoted shingles in.
    pub most_quoted: u32,
    /// The lanes compared (128, or fewer for a narrower signature).
    pub lanes: u32,
}

/// The split of a MinHash pair's agreement between quoted and other text.
fn shared_quoted_lanes(a: FingerprintRef, b: FingerprintRef) -> Option<QuotedLanes> {
    let lanes = a.signature.len().min(b.signature.len()).min(128);
    if lanes == 0 {
        return None;
    }
    let mask = if lanes == 128 {
        u128::MAX
    } else {
        (1u128 << lanes) - 1
    };
    let agree = (0..lanes)
        .filter(|&k| a.signature.get(k) == b.signature.get(k))
        .fold(0u128, |bits, k| bits | 1 << k);
    let both = a.quoted_lanes & b.quoted_lanes & mask;
    Some(QuotedLanes {
        agreeing: agree.count_ones(),
        quoted: (agree & both).count_ones(),
        most_quoted: (a.quoted_lanes & mask)
            .count_ones()
            .max((b.quoted_lanes & mask).count_ones()),
        lanes: lanes as u32,
    })
}

/// The two documents, the one with fewer distinct shingles first.
fn by_size<'a>(
    a: FingerprintRef<'a>,
    b: FingerprintRef<'a>,
) -> (FingerprintRef<'a>, FingerprintRef<'a>) {
    if a.shingles <= b.shingles {
        (a, b)
    } else {
        (b, a)
    }
}

/// Jaccard and containment estimated from the MinHash signatures of the smaller and the larger
/// document.
fn minhash_estimates(small: FingerprintRef, large: FingerprintRef) -> (f64, f64) {
    let jaccard = minhash::jaccard_lanes(small.signature, large.signature);
    let agreeing = (jaccard * small.signature.len() as f64).round() as usize;
    (
        jaccard,
        containment_estimate(jaccard, agreeing, small, large),
    )
}

/// The containment of `small` in `large` for a Jaccard estimate from `agreeing` equal lanes:
/// derived from the sizes when there are enough of both, else the Jaccard estimate itself.
fn containment_estimate(
    jaccard: f64,
    agreeing: usize,
    small: FingerprintRef,
    large: FingerprintRef,
) -> f64 {
    if small.shingles as usize >= CONTAINMENT_MIN_SHINGLES && agreeing >= CONTAINMENT_MIN_AGREEING {
        minhash::containment(jaccard, small.shingles as usize, large.shingles as usize)
    } else {
        jaccard
    }
}

/// Whether the pair matches under `rule`: `verify(measure(a, b), rule).is_some()`, without the
/// figures comparison for a MinHash pair whose signatures alone rule a match out. Nearly every
/// LSH candidate is such a pair (tens of millions at 100,000 articles, a few hundred thousand
/// matches), and comparing two figure sketches costs about as much as two signatures.
pub fn matches<'a, 'b>(
    a: impl Into<FingerprintRef<'a>>,
    b: impl Into<FingerprintRef<'b>>,
    rule: Rule,
) -> bool {
    let (a, b): (FingerprintRef, FingerprintRef) = (a.into(), b.into());
    if a.simhash.is_none() || b.simhash.is_none() {
        let (small, large) = by_size(a, b);
        let (jaccard, containment) = minhash_estimates(small, large);
        if jaccard < rule.threshold && containment < rule.containment {
            return false;
        }
    }
    verify(measure(a, b), rule).is_some()
}

/// [`matches`] for a MinHash pair known to agree on at most `max_agreeing_lanes` lanes: a pair
/// that could not match even with that many is rejected from the two documents' sizes alone,
/// before their signatures are read (the candidate search bounds the agreement from one byte of
/// each lane, which it holds in a compact table).
pub fn matches_within<'a, 'b>(
    a: impl Into<FingerprintRef<'a>>,
    b: impl Into<FingerprintRef<'b>>,
    rule: Rule,
    max_agreeing_lanes: usize,
) -> bool {
    let (a, b): (FingerprintRef, FingerprintRef) = (a.into(), b.into());
    let lanes = a.signature.len();
    if a.simhash.is_none() && b.simhash.is_none() && lanes > 0 && lanes == b.signature.len() {
        let (small, large) = by_size(a, b);
        // Both estimates grow with the agreeing lanes, so these bound them from above.
        let at_most = max_agreeing_lanes.min(lanes);
        let jaccard = at_most as f64 / lanes as f64;
        let containment = containment_estimate(jaccard, at_most, small, large);
        if jaccard < rule.threshold && containment < rule.containment {
            return false;
        }
    }
    matches(a, b, rule)
}

/// Fewest equal lanes of two `num_perm`-lane MinHash signatures with which [`matches`] can hold
/// under `rule`: a Jaccard estimate of `threshold`, or the agreeing permutations a containment
/// estimate needs, or (below that) a Jaccard estimate of `containment`. A pair agreeing on fewer
/// lanes is rejected without reading its signatures further.
pub fn min_agreeing_lanes(rule: Rule, num_perm: usize) -> usize {
    // Floors, so that rounding of the estimates can only make the bound looser.
    let of = |share: f64| (share * num_perm as f64).floor().max(0.0) as usize;
    of(rule.threshold)
        .min(of(rule.containment))
        .min(CONTAINMENT_MIN_AGREEING)
}

/// Above this estimated Jaccard similarity a pair matches whatever part of the texts it
/// shares; at or below it, not when all it shares is quoted ([`is_quotation`]). Two stories
/// quoting one long statement score 0.15–0.3 (DESIGN.md, "Quotations").
pub const QUOTATION_MAX_JACCARD: f64 = 0.35;

/// A pair shares only a quotation when, of its agreeing lanes, the unquoted ones are fewer
/// than this share of what the texts' unquoted parts would give if the pair shared its text
/// evenly: paraphrase of the statement and common phrases, not a copied story.
const QUOTATION_UNQUOTED_SHARE: f64 = 0.35;

/// Fewest unquoted agreeing lanes an evenly shared pair would show before their absence is
/// evidence: a text that is mostly quotes (an interview) is never judged by its few others.
const QUOTATION_MIN_EXPECTED: f64 = 8.0;

/// A document with at most this share of the other's shingles, and inside it, is a cut copy
/// ("contained") even when its Jaccard similarity alone would pass.
const CUT_COPY_MAX_SIZE_RATIO: f64 = 0.75;

/// Applies the rule: documents whose figures differ, and a pair that shares only a quotation
/// ([`is_quotation`]), never match; a SimHash pair matches as a near-duplicate within
/// `max_hamming_bits` (the estimates derived from a distance that small always pass the
/// thresholds, and no containment can be told from 64 bits); for MinHash a much smaller
/// document inside the other is contained, otherwise near-duplicate by Jaccard, then contained.
pub fn verify(m: Measures, rule: Rule) -> Option<MatchKind> {
    if m.figures_differ || is_quotation(&m) {
        None
    } else if let Some(d) = m.hamming_bits {
        (d <= rule.max_hamming_bits).then_some(MatchKind::NearDuplicate)
    } else if m.containment >= rule.containment && m.size_ratio <= CUT_COPY_MAX_SIZE_RATIO {
        Some(MatchKind::Contained)
    } else if m.jaccard >= rule.threshold {
        Some(MatchKind::NearDuplicate)
    } else if m.containment >= rule.containment {
        Some(MatchKind::Contained)
    } else {
        None
    }
}

/// Whether a MinHash pair shares only what both texts quote, like a statement that two
/// different stories quote at length (or, for two briefs, their closing paragraphs: a
/// platform's footer, see [`Fingerprint::quoted_lanes`]), when it is not alike enough for
/// that not to matter.
/// The unquoted agreeing lanes are compared with those a pair sharing its texts evenly would
/// have (the agreeing lanes times the unquoted share of the more quoted text): a copy of a
/// story agrees on its narrative as much as on its quotes.
pub fn is_quotation(m: &Measures) -> bool {
    let Some(q) = m.quoted_lanes else {
        return false;
    };
    if m.hamming_bits.is_some() || m.jaccard > QUOTATION_MAX_JACCARD || q.lanes == 0 {
        return false;
    }
    let unquoted_share = 1.0 - f64::from(q.most_quoted) / f64::from(q.lanes);
    let expected = f64::from(q.agreeing) * unquoted_share;
    let unquoted = f64::from(q.agreeing - q.quoted);
    expected >= QUOTATION_MIN_EXPECTED && unquoted < QUOTATION_UNQUOTED_SHARE * expected
}

/// One member of a cluster.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// Index of the document.
    pub doc: usize,
    /// How it matched the representative (or `via`).
    pub kind: MatchKind,
    /// Its measures against the representative (or `via`).
    pub measures: Measures,
    /// The member it matched when it did not match the representative itself (see
    /// [`cluster`]): `kind` and `measures` are then against that member.
    pub via: Option<usize>,
}

/// A group of two or more reprints of one story.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    /// Index of the representative (also the first member).
    pub representative: usize,
    /// Members, representative first, then by document index.
    pub members: Vec<Member>,
}

/// The verified pairs as lists of neighbours, end to end in one array: a list of its own would
/// cost each document a vector, and every linked document an allocation.
struct Adjacency {
    /// Where the neighbours of each document start in `list`; one more, where they all end.
    starts: Vec<usize>,
    list: Vec<u32>,
}

impl Adjacency {
    /// The neighbours of `n` documents linked by `edges`, each document's in the order of the
    /// edges that name it (the order in which clustering visits them).
    fn new(n: usize, edges: &[(u32, u32)]) -> Adjacency {
        let mut starts = vec![0usize; n + 1];
        for &(a, b) in edges {
            starts[a as usize + 1] += 1;
            starts[b as usize + 1] += 1;
        }
        for i in 1..=n {
            starts[i] += starts[i - 1];
        }
        // Filled with each document's start as its cursor, which ends where the next starts.
        let mut list = vec![0u32; starts[n]];
        for &(a, b) in edges {
            for (from, to) in [(a, b), (b, a)] {
                list[starts[from as usize]] = to;
                starts[from as usize] += 1;
            }
        }
        starts.copy_within(0..n, 1);
        starts[0] = 0;
        Adjacency { starts, list }
    }

    /// The neighbours of document `doc`.
    fn of(&self, doc: usize) -> &[u32] {
        &self.list[self.starts[doc]..self.starts[doc + 1]]
    }
}

struct UnionFind {
    parent: Vec<u32>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n as u32).collect(),
        }
    }
    fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let up = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = up;
            x = up;
        }
        x
    }
    fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        // The smaller root wins so that the result does not depend on edge order.
        if ra < rb {
            self.parent[rb as usize] = ra;
        } else if rb < ra {
            self.parent[ra as usize] = rb;
        }
    }
}

/// The connected components of a graph given as edges between document numbers: every
/// document in an edge once, ascending, with its component's label, the smallest document in
/// it. The distributed run groups its verified pairs by these labels before it clusters each
/// component (what [`cluster`] does after its own union-find); any edge order gives the same.
pub fn component_labels(edges: impl Iterator<Item = (u64, u64)> + Clone) -> Vec<(u64, u64)> {
    let mut docs: Vec<u64> = edges.clone().flat_map(|(a, b)| [a, b]).collect();
    docs.sort_unstable();
    docs.dedup();
    let index = |d: u64| docs.partition_point(|&x| x < d) as u32;
    let mut uf = UnionFind::new(docs.len());
    for (a, b) in edges {
        uf.union(index(a), index(b));
    }
    // The smaller root wins every union, so a root is its component's smallest number.
    (0..docs.len())
        .map(|i| (docs[i], docs[uf.find(i as u32) as usize]))
        .collect()
}

/// A document left alone joins a cluster through one of its members only when it is at least
/// this share of the way to matching the representative itself (of the threshold, or of the
/// containment floor): a story that shares a block with one member only (a quotation, a list)
/// shares next to nothing with the representative, and must not be chained in.
const ORPHAN_REP_SHARE: f64 = 0.5;

/// Of the documents `candidates` (in the order given), the one `doc` verifies against with the
/// highest estimated Jaccard (ties: the first), with how it matched and its measures: the member
/// a document that misses its representative is reported `via`.
pub fn best_match<F: Fingerprints + ?Sized>(
    fps: &F,
    doc: usize,
    candidates: impl IntoIterator<Item = usize>,
    rule: Rule,
) -> Option<(usize, MatchKind, Measures)> {
    let mut best: Option<(usize, MatchKind, Measures)> = None;
    for x in candidates {
        let m = measure(fps.get(doc), fps.get(x));
        if let Some(kind) = verify(m, rule) {
            if best.as_ref().is_none_or(|b| m.jaccard > b.2.jaccard) {
                best = Some((x, kind, m));
            }
        }
    }
    best
}

/// Builds the clusters from verified `edges` (pairs `(i, j)`, `i < j`, sorted).
///
/// Union-find gives connected components; each component is then split greedily: its most
/// complete document becomes a representative and keeps the documents that verify directly
/// against it among those within two verified hops of it or of a document it kept; the rest of
/// the component repeats the step. The hops recover pairs that LSH missed (or windowed away in
/// a crowded bucket) while the direct check forbids chains. A document of the component left
/// in no cluster then joins the cluster of the member it matches best, when it is at least
/// [`ORPHAN_REP_SHARE`] of the way to matching that cluster's representative and no figures
/// tell the two apart (such a member has `via`).
pub fn cluster<F: Fingerprints + ?Sized>(
    fps: &F,
    edges: &[(u32, u32)],
    rule: Rule,
) -> Vec<Cluster> {
    let n = fps.count();
    let mut uf = UnionFind::new(n);
    for &(a, b) in edges {
        uf.union(a, b);
    }
    let adjacency = Adjacency::new(n, edges);
    let mut components: Vec<Vec<u32>> = Vec::new();
    // The component of each root, by its number in `components`.
    let mut slot: Vec<u32> = vec![u32::MAX; n];
    for doc in 0..n {
        if adjacency.of(doc).is_empty() {
            continue;
        }
        let root = uf.find(doc as u32) as usize;
        if slot[root] == u32::MAX {
            // Fewer components than documents, which are numbered by u32.
            slot[root] = components.len() as u32;
            components.push(Vec::new());
        }
        components[slot[root] as usize].push(doc as u32);
    }
    drop(slot);
    drop(uf);
    let mut assigned = vec![false; n];
    let mut clusters = Vec::new();
    // The cluster (index into `clusters`) of each document placed in one.
    let mut placed: Vec<u32> = vec![u32::MAX; n];
    for mut comp in components {
        let first_cluster = clusters.len();
        // Most complete first; ties to the smallest index (the smallest id).
        comp.sort_by(|&a, &b| {
            let length = |d: u32| fps.get(d as usize).length;
            length(b).cmp(&length(a)).then(a.cmp(&b))
        });
        for rep in comp.iter().map(|&d| d as usize) {
            if assigned[rep] {
                continue;
            }
            assigned[rep] = true;
            // Candidates: the representative's neighbours and theirs (two hops), then the
            // neighbours of every document accepted, until none is left. Each is measured
            // against the representative itself, so a chain cannot pull in a different story,
            // but a story copied hundreds of times, whose copies LSH links only to their next
            // few in a bucket (`lsh::BUCKET_WINDOW`), is gathered whole. Every document is
            // measured once a representative, and expansion goes only through accepted ones,
            // so the work is bounded by the edges of the accepted documents.
            let mut seen: BTreeSet<usize> = BTreeSet::new();
            let mut queue: Vec<usize> = Vec::new();
            for &nb in adjacency.of(rep) {
                queue.push(nb as usize);
                queue.extend(adjacency.of(nb as usize).iter().map(|&x| x as usize));
            }
            let mut accepted: Vec<(usize, MatchKind, Measures)> = Vec::new();
            while let Some(doc) = queue.pop() {
                if doc == rep || assigned[doc] || !seen.insert(doc) {
                    continue;
                }
                let m = measure(fps.get(doc), fps.get(rep));
                if let Some(kind) = verify(m, rule) {
                    assigned[doc] = true;
                    accepted.push((doc, kind, m));
                    queue.extend(adjacency.of(doc).iter().map(|&x| x as usize));
                }
            }
            accepted.sort_unstable_by_key(|&(doc, _, _)| doc);
            let mut members = vec![Member {
                doc: rep,
                kind: MatchKind::Representative,
                measures: SELF,
                via: None,
            }];
            members.extend(accepted.into_iter().map(|(doc, kind, measures)| Member {
                doc,
                kind,
                measures,
                via: None,
            }));
            if members.len() > 1 {
                for m in &members {
                    placed[m.doc] = clusters.len() as u32;
                }
                clusters.push(Cluster {
                    representative: rep,
                    members,
                });
            }
        }
        // A document left alone though it verified against a member of one of the
        // component's clusters joins that member's cluster (the best such match), unless its
        // figures tell it from the representative: the representative is the longest copy,
        // often inflated by an update or cut, and a copy edited the other way can miss it
        // while it matches the story's plain copies.
        let mut joins: Vec<(usize, Member)> = Vec::new();
        for doc in comp.into_iter().map(|d| d as usize) {
            if placed[doc] != u32::MAX {
                continue;
            }
            // Its neighbours in one of the component's clusters, in index order.
            let placed_neighbours = adjacency
                .of(doc)
                .iter()
                .map(|&nb| nb as usize)
                .filter(|&nb| placed[nb] != u32::MAX && placed[nb] as usize >= first_cluster);
            if let Some((via, kind, measures)) = best_match(fps, doc, placed_neighbours, rule) {
                let c = placed[via] as usize;
                let rep = clusters[c].representative;
                let to_rep = measure(fps.get(doc), fps.get(rep));
                // SimHash finds near-identical copies only: no second chance there.
                let near = to_rep.hamming_bits.is_none()
                    && (to_rep.jaccard >= rule.threshold * ORPHAN_REP_SHARE
                        || to_rep.containment >= rule.containment * ORPHAN_REP_SHARE);
                if near && !to_rep.figures_differ {
                    let member = Member {
                        doc,
                        kind,
                        measures,
                        via: Some(via),
                    };
                    joins.push((c, member));
                }
            }
        }
        for (c, member) in joins {
            placed[member.doc] = c as u32;
            let members = &mut clusters[c].members;
            let at = members[1..].partition_point(|m| m.doc < member.doc) + 1;
            members.insert(at, member);
        }
    }
    clusters
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fp(sig: Vec<u32>, shingles: usize, length: usize) -> Fingerprint {
        Fingerprint {
            quoted_lanes: 0,
            signature: sig.into(),
            simhash: None,
            shingles: shingles as u32,
            length: length as u32,
            numbers: Box::default(),
        }
    }

    fn sim(fingerprint: u64, shingles: usize, length: usize) -> Fingerprint {
        Fingerprint {
            quoted_lanes: 0,
            signature: Box::default(),
            simhash: Some(fingerprint),
            shingles: shingles as u32,
            length: length as u32,
            numbers: Box::default(),
        }
    }

    const RULE: Rule = Rule {
        threshold: 0.5,
        containment: 0.8,
        max_hamming_bits: 4,
    };

    /// A fingerprint of `width` lanes and `figures` figures, all made from `seed`.
    fn varied(seed: u32, width: usize, figures: usize) -> Fingerprint {
        Fingerprint {
            quoted_lanes: 0,
            signature: (0..width as u32)
                .map(|k| seed.wrapping_mul(0x9e37_79b9) ^ k)
                .collect(),
            simhash: None,
            shingles: seed + 1,
            length: 2 * seed + 3,
            numbers: (0..figures as u64)
                .map(|f| f * 7 + u64::from(seed))
                .collect(),
        }
    }

    fn same(a: FingerprintRef, b: &Fingerprint) -> bool {
        a.signature.to_vec() == *b.signature
            && a.simhash == b.simhash
            && a.shingles == b.shingles
            && a.length == b.length
            && a.numbers == &*b.numbers
    }

    #[test]
    fn table_rows_read_back_as_written_in_any_order() {
        let width = 5;
        let fps: Vec<Fingerprint> = (0..7)
            .map(|i| varied(i, width, (i as usize * 5) % 25))
            .collect();
        // Rows written out of order (as batches of several inputs finish), one twice.
        let mut table = FingerprintTable::with_rows(fps.len(), width);
        for i in [3, 0, 6, 1, 5, 2, 4, 2] {
            table.set(i, (&fps[i]).into());
        }
        assert_eq!(table.len(), fps.len());
        for (i, fp) in fps.iter().enumerate() {
            assert!(same(table.get(i), fp), "row {i}");
        }
        let mut pushed = FingerprintTable::new(width);
        for fp in &fps {
            pushed.push(fp.into());
        }
        for (i, fp) in fps.iter().enumerate() {
            assert!(same(pushed.get(i), fp), "pushed row {i}");
            assert!(
                same((&pushed.get(i).to_fingerprint()).into(), fp),
                "owned row {i}"
            );
        }
        // Rows not kept go; the others keep their order and contents.
        let keep = [true, false, false, true, true, false, true];
        table.retain(&keep);
        let kept: Vec<&Fingerprint> = fps
            .iter()
            .zip(keep)
            .filter(|(_, k)| *k)
            .map(|(f, _)| f)
            .collect();
        assert_eq!(table.len(), kept.len());
        for (i, fp) in kept.iter().enumerate() {
            assert!(same(table.get(i), fp), "kept row {i}");
        }
        // An unwritten row is an empty document.
        let blank = FingerprintTable::with_rows(2, width);
        assert_eq!(blank.get(1).shingles, 0);
        assert_eq!(blank.get(1).signature.to_vec(), vec![u32::MAX; width]);
        // SimHash fingerprints have no lanes and a fingerprint each.
        let mut sims = FingerprintTable::with_rows(2, 0);
        sims.set(1, (&sim(42, 10, 20)).into());
        assert_eq!((sims.get(0).simhash, sims.get(1).simhash), (None, Some(42)));
    }

    #[test]
    fn verify_table() {
        // (jaccard, containment, expected)
        let cases = [
            (0.9, 0.95, Some(MatchKind::NearDuplicate)),
            (0.3, 0.9, Some(MatchKind::Contained)),
            (0.3, 0.5, None),
            (0.5, 0.5, Some(MatchKind::NearDuplicate)),
        ];
        for (jaccard, containment, want) in cases {
            let m = Measures {
                quoted_lanes: None,
                jaccard,
                containment,
                figures_differ: false,
                size_ratio: 1.0,
                hamming_bits: None,
            };
            assert_eq!(verify(m, RULE), want);
            let template = Measures {
                figures_differ: true,
                ..m
            };
            assert_eq!(verify(template, RULE), None);
            // A much smaller copy inside the other is a cut copy whatever its Jaccard.
            let cut = Measures {
                size_ratio: 0.3,
                containment: 0.95,
                ..m
            };
            assert_eq!(verify(cut, RULE), Some(MatchKind::Contained));
        }
    }

    #[test]
    fn corrected_copy_table() {
        // Four figure places, the two large figures corrected and the two that agree small:
        // the figures alone say "another story of the template".
        let text = |toll: u32, homes: u32| {
            format!(
                "the storm killed {toll} people and destroyed {homes} homes in 7 provinces and \
                 4 bridges collapsed"
            )
        };
        let figures = |t: &str| crate::shingle::number_sketch(t, 1).0.into_boxed_slice();
        let (before, after) = (figures(&text(118, 2450)), figures(&text(124, 2610)));
        // (lanes of 128 agreeing, shingles of the two, figures differ)
        let cases = [
            // Equal sizes: containment 2J/(1+J) reaches 0.95 at J = 0.905.
            (122, (900, 900), false),
            (112, (900, 900), true),
            // A copy 500 shingles inside an 800-shingle text: J 0.6 is 0.975 contained.
            (77, (500, 800), false),
            // J under 0.6, though 0.92 contained.
            (70, (500, 800), true),
            // A long text, 0.9 contained (J 0.82 at equal sizes): a copy, not a template brief,
            // which at 500 shingles is still one.
            (105, (1200, 1200), false),
            (105, (999, 999), true),
            // Long, but 0.87 contained.
            (98, (1200, 1200), true),
        ];
        for (agreeing, (small, large), want) in cases {
            let sig = |keep: usize, other: u32| -> Vec<u32> {
                (0..128u32)
                    .map(|k| if (k as usize) < keep { k } else { k + other })
                    .collect()
            };
            let mut a = fp(sig(agreeing, 1000), small, small);
            let mut b = fp(sig(agreeing, 2000), large, large);
            a.numbers = before.clone();
            b.numbers = after.clone();
            assert_eq!(
                measure(&a, &b).figures_differ,
                want,
                "{agreeing} lanes, {small} in {large}"
            );
        }
    }

    #[test]
    fn quotation_table() {
        // (estimated Jaccard, agreeing lanes, of them quoted in both, the more quoted text's
        // quoted lanes, a quotation)
        let cases = [
            // Two stories quoting one statement: nearly all they agree on is quoted.
            (0.30, 39, 35, 64, true),
            (0.21, 27, 23, 55, true),
            // A copy agrees on its narrative as much as on its quotes.
            (0.30, 39, 20, 64, false),
            (0.21, 27, 10, 40, false),
            // Alike enough that what they share does not matter.
            (0.40, 51, 50, 64, false),
            // An interview, nearly all quotes: too little else to judge by (1.9 lanes).
            (0.25, 32, 31, 120, false),
            // Nothing quoted: nothing to tell.
            (0.25, 32, 0, 0, false),
        ];
        for (jaccard, agreeing, quoted, most_quoted, want) in cases {
            let m = Measures {
                jaccard,
                containment: jaccard,
                figures_differ: false,
                size_ratio: 1.0,
                hamming_bits: None,
                quoted_lanes: Some(QuotedLanes {
                    agreeing,
                    quoted,
                    most_quoted,
                    lanes: 128,
                }),
            };
            assert_eq!(is_quotation(&m), want, "{m:?}");
            if want {
                assert_eq!(verify(m, RULE), None);
            }
            let unknown = Measures {
                quoted_lanes: None,
                ..m
            };
            assert!(!is_quotation(&unknown));
        }
        // Measured from fingerprints: the lanes quoted in both are counted among the agreeing,
        // for a pair at or below the bound with a lane quoted in both.
        let with = |sig: Vec<u32>, bits: u128| Fingerprint {
            quoted_lanes: bits,
            ..fp(sig, 1_000, 1_000)
        };
        let a = with((0..128).collect(), 0xff);
        let partly = |from: u32| {
            (0..128)
                .map(|k| if k < from { k } else { 10_000 + k })
                .collect()
        };
        let b = with(partly(40), 0xf0f);
        let q = measure(&a, &b).quoted_lanes.expect("a possible quotation");
        assert_eq!(
            (q.agreeing, q.quoted, q.most_quoted, q.lanes),
            (40, 4, 8, 128)
        );
        // Lane 0, quoted in both, no longer agrees.
        let mut other = b.clone();
        other.signature[0] = 7_000;
        let q = measure(&a, &other)
            .quoted_lanes
            .expect("a possible quotation");
        assert_eq!((q.agreeing, q.quoted), (39, 3));
        // Too alike to be one, or nothing quoted in both: not split.
        assert_eq!(measure(&a, &with(partly(60), 0xf0f)).quoted_lanes, None);
        assert_eq!(measure(&a, &with(partly(40), 0xf00)).quoted_lanes, None);
    }

    proptest::proptest! {
        /// The early exit of `matches` never changes a verdict: agreeing lanes, sizes and figure
        /// sketches drawn so that every branch of the rule is reached.
        #[test]
        fn matches_agrees_with_verify_of_measure(
            agree in 0usize..=128,
            extra in 0usize..40,
            shingles_a in 1usize..2_000,
            shingles_b in 1usize..2_000,
            figures_a in proptest::collection::vec(0u64..12, 0..8),
            figures_b in proptest::collection::vec(0u64..12, 0..8),
        ) {
            let sig_a: Vec<u32> = (0..128).collect();
            let sig_b: Vec<u32> = (0..128).map(|i| if i < agree as u32 { i } else { i + 1_000 }).collect();
            // Six places (the slot in the high half), two figures each.
            let sketch = |v: Vec<u64>| {
                let mut v: Vec<u64> = v.iter().map(|x| (x >> 1) << 32 | (x & 1)).collect();
                v.sort_unstable();
                v.dedup();
                v.into_boxed_slice()
            };
            let a = Fingerprint { numbers: sketch(figures_a), ..fp(sig_a, shingles_a, shingles_a) };
            let b = Fingerprint { numbers: sketch(figures_b), ..fp(sig_b, shingles_b, shingles_b) };
            for rule in [RULE, Rule { threshold: 0.2, containment: 0.7, max_hamming_bits: 12 }] {
                let matched = matches(&a, &b, rule);
                proptest::prop_assert_eq!(matched, verify(measure(&a, &b), rule).is_some());
                proptest::prop_assert!(!matched || agree >= min_agreeing_lanes(rule, 128));
                proptest::prop_assert_eq!(matches_within(&a, &b, rule, agree + extra), matched);
            }
        }
    }

    #[test]
    fn adjacency_lists_neighbours_in_edge_order() {
        let edges = [(0, 3), (1, 3), (0, 1), (3, 4), (0, 4)];
        let adjacency = Adjacency::new(6, &edges);
        let mut want: Vec<Vec<u32>> = vec![Vec::new(); 6];
        for &(a, b) in &edges {
            want[a as usize].push(b);
            want[b as usize].push(a);
        }
        for (doc, want) in want.iter().enumerate() {
            assert_eq!(adjacency.of(doc), want.as_slice(), "document {doc}");
        }
        assert!(Adjacency::new(0, &[]).list.is_empty());
    }

    #[test]
    fn document_left_alone_joins_through_the_member_it_matches() {
        let lanes = |runs: &[std::ops::Range<u32>]| -> Vec<u32> {
            runs.iter().cloned().flatten().collect()
        };
        // The representative; a copy sharing 12 of its 16 lanes.
        let a = fp((0..16).collect(), 100, 300);
        let b = fp(lanes(&[0..12, 100..104]), 100, 200);
        // 10 lanes with b, 6 with a: 0.375 is under the threshold (0.5) but over half of it.
        let c = fp(lanes(&[200..206, 6..12, 100..104]), 100, 100);
        let got = cluster(&[a.clone(), b.clone(), c.clone()], &[(0, 1), (1, 2)], RULE);
        assert_eq!(got.len(), 1);
        let via: Vec<(usize, Option<usize>)> =
            got[0].members.iter().map(|m| (m.doc, m.via)).collect();
        assert_eq!(via, vec![(0, None), (1, None), (2, Some(1))]);
        assert_eq!(got[0].members[2].measures, measure(&c, &b));
        // Figures that tell it from the representative keep it out.
        let with_figures = |f: &Fingerprint, value: u64| Fingerprint {
            numbers: (1..=5u64).map(|slot| slot << 32 | value).collect(),
            ..f.clone()
        };
        let docs = [with_figures(&a, 1), b.clone(), with_figures(&c, 2)];
        let got = cluster(&docs, &[(0, 1), (1, 2)], RULE);
        let members: Vec<usize> = got[0].members.iter().map(|m| m.doc).collect();
        assert_eq!(members, vec![0, 1]);
        // A copy sharing 8 lanes with the representative, and one that matches it (11 lanes)
        // but shares under half the threshold with the representative (3 lanes): out, a
        // block shared with one member is not a copy of the story.
        let b = fp(lanes(&[0..8, 100..108]), 100, 200);
        let d = fp(lanes(&[200..205, 5..8, 100..108]), 100, 100);
        assert!(verify(measure(&d, &b), RULE).is_some());
        let got = cluster(&[a, b, d], &[(0, 1), (1, 2)], RULE);
        let members: Vec<usize> = got[0].members.iter().map(|m| m.doc).collect();
        assert_eq!(members, vec![0, 1]);
    }

    #[test]
    fn chain_is_split_not_merged() {
        // a ~ b (share half), b ~ c (share the other half), a and c share nothing: union-find
        // would give one cluster {a, b, c}; the representative rule must not.
        let a = fp((0..16).collect(), 100, 300);
        let mut b_sig: Vec<u32> = (0..8).collect();
        b_sig.extend(100..108);
        let b = fp(b_sig, 100, 200);
        let c = fp((100..116).collect(), 100, 100);
        let got = cluster(&[a, b, c], &[(0, 1), (1, 2)], RULE);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].representative, 0);
        assert_eq!(got[0].members.len(), 2);
        assert!(got[0].members.iter().all(|m| m.doc != 2));
    }

    #[test]
    fn component_labels_are_the_smallest_document_of_each_component() {
        // (edges, (doc, label) expected)
        type Pairs = &'static [(u64, u64)];
        let cases: &[(Pairs, Pairs)] = &[
            (&[], &[]),
            (&[(7, 3)], &[(3, 3), (7, 3)]),
            // A chain given from its far end, and a second component.
            (
                &[(40, 30), (30, 20), (20, 10), (9, 1 << 40)],
                &[(9, 9), (10, 10), (20, 10), (30, 10), (40, 10), (1 << 40, 9)],
            ),
            // Repeated edges, a document paired with itself, a star.
            (
                &[(5, 5), (6, 2), (6, 2), (2, 8), (8, 4)],
                &[(2, 2), (4, 2), (5, 5), (6, 2), (8, 2)],
            ),
        ];
        for (edges, want) in cases {
            let got = component_labels(edges.iter().copied());
            assert_eq!(got.as_slice(), *want, "{edges:?}");
            let reversed = component_labels(edges.iter().rev().map(|&(a, b)| (b, a)));
            assert_eq!(reversed, got, "edge order and direction: {edges:?}");
        }
    }

    #[test]
    fn representative_is_longest_then_smallest_index() {
        let sig: Vec<u32> = (0..16).collect();
        let docs = vec![
            fp(sig.clone(), 50, 100),
            fp(sig.clone(), 50, 300),
            fp(sig, 50, 300),
        ];
        let got = cluster(&docs, &[(0, 1), (1, 2)], RULE);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].representative, 1);
        let ids: Vec<usize> = got[0].members.iter().map(|m| m.doc).collect();
        assert_eq!(ids, vec![1, 0, 2]);
    }

    #[test]
    fn regression_containment_from_few_agreeing_permutations_on_ocr_dev() {
        // A short page that shares 6 of 128 minima with a page 17 times its size: the
        // containment estimate would be ~0.8, but 6 agreements are noise.
        let long_sig: Vec<u32> = (0..128).collect();
        let mut short_sig: Vec<u32> = (0..6).collect();
        short_sig.extend(1000..1122);
        let long = fp(long_sig, 31_315, 46_230);
        let short = fp(short_sig, 1_841, 1_998);
        let m = measure(&short, &long);
        assert_eq!(verify(m, RULE), None, "{m:?}");
    }

    #[test]
    fn regression_copies_beyond_the_bucket_window_form_one_cluster() {
        // 300 copies of one story share every LSH bucket, so each is paired only with its next
        // `BUCKET_WINDOW` in document order. The representative (the first) has a direct edge
        // to 16 of them and two hops reach 32: the rest used to become ten clusters of the
        // same story (found on the exact-half benchmark corpus).
        let sig: Vec<u32> = (0..128).collect();
        let docs: Vec<Fingerprint> = (0..300).map(|_| fp(sig.clone(), 400, 2000)).collect();
        let window = crate::lsh::BUCKET_WINDOW as u32;
        let edges: Vec<(u32, u32)> = (0..300u32)
            .flat_map(|a| (a + 1..(a + 1 + window).min(300)).map(move |b| (a, b)))
            .collect();
        let got = cluster(&docs, &edges, RULE);
        assert_eq!(got.len(), 1, "{} clusters", got.len());
        assert_eq!(got[0].members.len(), 300);
        let ids: Vec<usize> = got[0].members.iter().map(|m| m.doc).collect();
        assert_eq!(
            ids,
            (0..300).collect::<Vec<_>>(),
            "members in document order"
        );
    }

    #[test]
    fn chains_through_accepted_members_still_verify_against_the_representative() {
        // 0 — 1 — 2 — 3, each a shifted signature: 1 and 2 verify against 0, 3 does not,
        // even though it is reached through accepted members.
        let shifted = |k: u32| -> Vec<u32> {
            (0..128)
                .map(|i| if i < 128 - 40 * k { i } else { 1000 * k + i })
                .collect()
        };
        let docs: Vec<Fingerprint> = (0..4)
            .map(|k| fp(shifted(k.min(3)), 400, 2000 - k as usize))
            .collect();
        let edges = vec![(0, 1), (1, 2), (2, 3)];
        let got = cluster(&docs, &edges, RULE);
        let first: Vec<usize> = got[0].members.iter().map(|m| m.doc).collect();
        assert_eq!(got[0].representative, 0);
        assert!(!first.contains(&3), "{first:?}");
    }

    #[test]
    fn truncated_copy_joins_by_containment() {
        // The short copy's 40 shingles all lie in the long one's 200: J = 0.2, containment 1.
        let long_sig: Vec<u32> = (0..128).collect();
        let mut short_sig: Vec<u32> = (0..26).collect();
        short_sig.extend(1000..1102);
        let docs = vec![fp(long_sig, 200, 1000), fp(short_sig, 40, 200)];
        let got = cluster(&docs, &[(0, 1)], RULE);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].members[1].kind, MatchKind::Contained);
    }

    #[test]
    fn simhash_pairs_verify_by_distance_table() {
        // (fingerprint b, shingles a, shingles b, expected) against a = 0 with 100 shingles.
        let cases = [
            (0u64, 100, 100, Some(MatchKind::NearDuplicate)),
            (0b1111, 100, 100, Some(MatchKind::NearDuplicate)),
            (0b1_1111, 100, 100, None),
            (u64::MAX, 100, 100, None),
            // Within distance but a quarter of the size: still near-duplicate, never contained.
            (0b1, 100, 25, Some(MatchKind::NearDuplicate)),
        ];
        for (b, la, lb, want) in cases {
            let m = measure(&sim(0, la, 100), &sim(b, lb, 100));
            assert_eq!(m.hamming_bits, Some(b.count_ones()));
            assert_eq!(verify(m, RULE), want, "{b:b}: {m:?}");
        }
        // The figures veto holds for SimHash too.
        let mut x = sim(0, 100, 100);
        let mut y = sim(0, 100, 100);
        // Five places (slots in the high half), other figures in each.
        x.numbers = (1..=5u64).map(|slot| slot << 32 | 1).collect();
        y.numbers = (1..=5u64).map(|slot| slot << 32 | 2).collect();
        assert_eq!(verify(measure(&x, &y), RULE), None);
    }

    #[test]
    fn simhash_chain_is_split_not_merged() {
        // a–b and b–c are 4 bits apart, a–c 8: union-find would join all three.
        let docs = vec![sim(0, 100, 300), sim(0b1111, 100, 200), sim(0xff, 100, 100)];
        let got = cluster(&docs, &[(0, 1), (1, 2)], RULE);
        assert_eq!(got.len(), 1);
        let ids: Vec<usize> = got[0].members.iter().map(|m| m.doc).collect();
        assert_eq!(ids, vec![0, 1]);
    }
}
