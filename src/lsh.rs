//! Candidate search: the banding index over MinHash signatures (picks bands × rows for a
//! threshold, buckets signatures band by band) and the permuted-table index over SimHash
//! fingerprints (Manku, Jain, Das Sarma 2007). Both emit candidate pairs in a deterministic
//! order; the caller verifies every one.

use rayon::prelude::*;

use crate::minhash::{self, equal_bytes, splitmix64, Lanes};

/// Bands and rows of a banding scheme (`bands · rows ≤ num_perm`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Banding {
    /// Number of bands.
    pub bands: usize,
    /// Signature rows per band.
    pub rows: usize,
}

/// MinHash signatures by document number, as the banded search reads them: a list of
/// signatures of their own, or the rows of a run's fingerprint table.
pub trait Signatures: Sync {
    /// The number of documents.
    fn count(&self) -> usize;
    /// The signature of document `doc` (`doc < count()`).
    fn signature(&self, doc: usize) -> Lanes<'_>;
    /// Every signature packed ([`minhash::pack`]) in one slice, each row after the one before,
    /// and their lanes, when they are stored so: the search then reads their low bytes there.
    fn packed(&self) -> Option<(&[u64], usize)> {
        None
    }
}

impl<S: AsRef<[u32]> + Sync> Signatures for [S] {
    fn count(&self) -> usize {
        self.len()
    }
    fn signature(&self, doc: usize) -> Lanes<'_> {
        Lanes::Words(self[doc].as_ref())
    }
}

impl<S: AsRef<[u32]> + Sync> Signatures for Vec<S> {
    fn count(&self) -> usize {
        self.len()
    }
    fn signature(&self, doc: usize) -> Lanes<'_> {
        Lanes::Words(self[doc].as_ref())
    }
}

impl Signatures for crate::cluster::FingerprintTable {
    fn count(&self) -> usize {
        self.len()
    }
    fn signature(&self, doc: usize) -> Lanes<'_> {
        crate::cluster::FingerprintTable::signature(self, doc)
    }
    fn packed(&self) -> Option<(&[u64], usize)> {
        Some(self.packed_signatures())
    }
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
/// cannot make the candidate list quadratic. Buckets of 17–64 documents, mostly chance
/// meetings on a moderately common shingle, made 94 % of a million articles' candidates
/// (DESIGN.md, "lsh").
pub const BUCKET_ALL_PAIRS_MAX: usize = 16;
/// Neighbours paired per member inside an oversized bucket.
pub const BUCKET_WINDOW: usize = 4;

/// Candidate pairs `(i, j)` with `i < j` over `signatures` (indexed by position), sorted and
/// unique. Signatures marked `false` in `active` take no part.
pub fn candidates<T: Signatures + ?Sized>(
    signatures: &T,
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
pub fn candidates_touching<T: Signatures + ?Sized>(
    signatures: &T,
    active: &[bool],
    first_new: usize,
    banding: Banding,
    seed: u64,
) -> Vec<(u32, u32)> {
    let bands = bands_of(&[(banding, seed)]);
    let old = old_matches(signatures, active, first_new, &bands);
    let per_band: Vec<Vec<(u32, u32)>> = bands
        .par_iter()
        .zip(&old)
        .map(|(&band, old)| {
            let mut pairs = Vec::new();
            band_pairs(signatures, active, first_new, band, old, &mut |a, b| {
                pairs.push((a, b))
            });
            pairs
        })
        .collect();
    union_of(per_band)
}

/// One band of a banded index: signature lanes `lo..hi`, keyed with `seed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Band {
    lo: usize,
    hi: usize,
    seed: u64,
}

/// The bands of several banded indexes, each lane range once: with equal rows, the bands of a
/// lower-threshold index start with those of a higher one, and a band searched twice would only
/// propose the same pairs again.
fn bands_of(indexes: &[(Banding, u64)]) -> Vec<Band> {
    let mut out: Vec<Band> = Vec::new();
    for &(banding, seed) in indexes {
        for band in 0..banding.bands {
            let lo = band * banding.rows;
            let hi = lo + banding.rows;
            if !out.iter().any(|x| x.lo == lo && x.hi == hi) {
                out.push(Band {
                    lo,
                    hi,
                    seed: seed ^ band as u64,
                });
            }
        }
    }
    out
}

/// The band's keys of the documents that take part, sorted: every new document, and the old
/// ones (`old`: those whose key a new document has, from [`old_matches`]).
fn band_keys<T: Signatures + ?Sized>(
    signatures: &T,
    active: &[bool],
    first_new: usize,
    band: Band,
    old: &[(u64, u32)],
) -> Vec<(u64, u32)> {
    // Old documents (all before `first_new`, in order) then new ones: document order, which
    // the stable radix sort keeps within a key, so buckets come out sorted by (key, document)
    // at a fraction of a comparison sort's cost (two sorts a band, tens of bands a run).
    let mut keyed: Vec<(u64, u32)> = old.to_vec();
    keyed.extend(new_keys(signatures, active, first_new, band));
    debug_assert!(keyed.windows(2).all(|w| w[0].1 < w[1].1));
    radsort::sort_by_key(&mut keyed, |&(key, _)| key);
    keyed
}

/// The band's key of every new document (at `first_new` or later) that takes part.
fn new_keys<'a, T: Signatures + ?Sized>(
    signatures: &'a T,
    active: &'a [bool],
    first_new: usize,
    band: Band,
) -> impl Iterator<Item = (u64, u32)> + 'a {
    (first_new.min(signatures.count())..signatures.count())
        .filter(|&i| active[i])
        .map(move |i| (band.key(signatures.signature(i)), i as u32))
}

/// For each band, the old documents (before `first_new`) whose key in that band some new
/// document has. Old documents are scanned once each, computing all their bands together: an
/// index of a million signatures is read once, not once a band.
fn old_matches<T: Signatures + ?Sized>(
    signatures: &T,
    active: &[bool],
    first_new: usize,
    bands: &[Band],
) -> Vec<Vec<(u64, u32)>> {
    let first_new = first_new.min(signatures.count());
    if first_new == 0 {
        return vec![Vec::new(); bands.len()];
    }
    let wanted = WantedKeys::new(bands.len(), |b| {
        new_keys(signatures, active, first_new, bands[b]).map(|(k, _)| k)
    });
    let found: Vec<Vec<(u32, u64, u32)>> = (0..first_new)
        .into_par_iter()
        .fold(Vec::new, |mut acc, i| {
            if active[i] {
                let sig = signatures.signature(i);
                for (b, band) in bands.iter().enumerate() {
                    let k = band.key(sig);
                    if wanted.contains(b, k) {
                        acc.push((b as u32, k, i as u32));
                    }
                }
            }
            acc
        })
        .collect();
    let mut per_band: Vec<Vec<(u64, u32)>> = vec![Vec::new(); bands.len()];
    for (b, k, i) in found.into_iter().flatten() {
        per_band[b as usize].push((k, i));
    }
    per_band
}

/// The bucket key of `signature` in every band the `indexes` search together (each lane range
/// once, in the order the search takes them): a distributed run groups documents by
/// (band number, key) and pairs each group with [`bucket_pairs`], which proposes the pairs
/// [`verified_candidates`] proposes.
pub fn signature_band_keys(indexes: &[(Banding, u64)], signature: Lanes<'_>) -> Vec<u64> {
    bands_of(indexes)
        .iter()
        .map(|band| band.key(signature))
        .collect()
}

/// The pairs a bucket of `len` documents proposes, as positions in it (its members sorted by
/// document number): every pair of a bucket of at most [`BUCKET_ALL_PAIRS_MAX`], else each
/// member with its next [`BUCKET_WINDOW`].
pub fn bucket_pairs(len: usize) -> impl Iterator<Item = (usize, usize)> {
    let window = window_of(len);
    (0..len).flat_map(move |x| ((x + 1)..len.min(x + window)).map(move |y| (x, y)))
}

/// The pairs of every band, sorted, each once: a pair several bands propose is one candidate.
fn union_of(per_band: Vec<Vec<(u32, u32)>>) -> Vec<(u32, u32)> {
    let mut all: Vec<(u32, u32)> = per_band.into_iter().flatten().collect();
    all.par_sort_unstable();
    all.dedup();
    all
}

/// The keys new documents have in each band, asked about once for every band of every old
/// document (43 questions an old document, tens of millions a night against an index of a
/// million): nearly every answer is no, so a bitmap of (band, key) slots answers most of them
/// with one bit test before the band's hash set is asked.
#[derive(Debug)]
struct WantedKeys {
    bits: Vec<u64>,
    shift: u32,
    sets: Vec<rustc_hash::FxHashSet<u64>>,
}

impl WantedKeys {
    /// Bits of the bitmap a key: about 1 in 16 of the slots are set, so 1 in 16 unwanted keys
    /// reaches a hash set.
    const BITS_PER_KEY: usize = 16;

    /// The keys of `keys(b)` for each of `bands` bands.
    fn new<I: IntoIterator<Item = u64>>(bands: usize, keys: impl Fn(usize) -> I) -> Self {
        let sets: Vec<rustc_hash::FxHashSet<u64>> =
            (0..bands).map(|b| keys(b).into_iter().collect()).collect();
        let total: usize = sets.iter().map(|s| s.len()).sum();
        let slots = (total * Self::BITS_PER_KEY)
            .next_power_of_two()
            .clamp(1 << 12, 1 << 26);
        let shift = 64 - slots.trailing_zeros();
        let mut bits = vec![0u64; slots / 64];
        for (b, set) in sets.iter().enumerate() {
            for &k in set {
                let slot = Self::slot(shift, b, k);
                bits[slot / 64] |= 1 << (slot % 64);
            }
        }
        WantedKeys { bits, shift, sets }
    }

    /// The bitmap slot of `key` in band `band`, for a bitmap of `2^(64 - shift)` slots.
    fn slot(shift: u32, band: usize, key: u64) -> usize {
        ((key ^ (band as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15))
            .wrapping_mul(0xbf58_476d_1ce4_e5b9)
            >> shift) as usize
    }

    /// Whether a new document has `key` in band `band`.
    fn contains(&self, band: usize, key: u64) -> bool {
        let slot = Self::slot(self.shift, band, key);
        self.bits[slot / 64] >> (slot % 64) & 1 == 1 && self.sets[band].contains(&key)
    }
}

/// The bands of a night's search and the keys its new documents have in each: what an index's
/// documents are told against, one signature at a time, as they are streamed ([`OldBucket`],
/// [`night_pairs`]).
#[derive(Debug)]
pub struct NightBands {
    bands: Vec<Band>,
    wanted: WantedKeys,
}

impl NightBands {
    /// The keys of `new` signatures in the bands of `indexes` (as [`verified_candidates`]
    /// takes them).
    pub fn new<'a>(new: impl Iterator<Item = Lanes<'a>>, indexes: &[(Banding, u64)]) -> Self {
        let bands = bands_of(indexes);
        let new: Vec<Lanes<'a>> = new.collect();
        let wanted = WantedKeys::new(bands.len(), |b| {
            let band = bands[b];
            new.iter().map(move |&sig| band.key(sig))
        });
        NightBands { bands, wanted }
    }

    /// The number of bands.
    pub fn len(&self) -> usize {
        self.bands.len()
    }

    /// Whether there is no band.
    pub fn is_empty(&self) -> bool {
        self.bands.is_empty()
    }

    /// Calls `hit(band, key)` for each band where `sig`'s key is one a new signature has.
    pub fn hits(&self, sig: Lanes, hit: &mut dyn FnMut(usize, u64)) {
        for (b, band) in self.bands.iter().enumerate() {
            let k = band.key(sig);
            if self.wanted.contains(b, k) {
                hit(b, k);
            }
        }
    }

    /// Whether `sig` shares a band's key with a new signature.
    pub fn collides(&self, sig: Lanes) -> bool {
        let mut any = false;
        self.hits(sig, &mut |_, _| any = true);
        any
    }
}

/// The old documents of one band's bucket, as a night's search needs them: how many there are,
/// and the last [`BUCKET_ALL_PAIRS_MAX`] in document order. A bucket of at most that many
/// documents pairs all of them; a larger one pairs a new document only with the
/// [`BUCKET_WINDOW`] old ones just before it, the last ones (old documents sort first).
#[derive(Debug, Clone, Default)]
pub struct OldBucket {
    /// Old documents with the key.
    pub count: u32,
    /// The last of them, ascending.
    last: Vec<u32>,
}

impl OldBucket {
    /// Counts old document `doc`.
    pub fn add(&mut self, doc: u32) {
        self.count += 1;
        let at = self.last.partition_point(|&d| d < doc);
        self.last.insert(at, doc);
        if self.last.len() > BUCKET_ALL_PAIRS_MAX {
            self.last.remove(0);
        }
    }

    /// Adds the documents counted in `other` (any split of the documents gives the same).
    pub fn merge(&mut self, other: &OldBucket) {
        self.count += other.count;
        let mut all: Vec<u32> = self.last.iter().chain(&other.last).copied().collect();
        all.sort_unstable();
        let cut = all.len().saturating_sub(BUCKET_ALL_PAIRS_MAX);
        self.last = all.split_off(cut);
    }
}

/// The candidate pairs [`verified_candidates`] proposes over an index's documents
/// (`0..first_new`) and new ones (`first_new..`, signatures `new` in order), sorted and
/// unique, from the new documents' signatures and, for each band of [`NightBands`] (in its
/// order), the old documents of each bucket a new document is in (`old[band][key]`) rather
/// than the old signatures: old documents sort first in a bucket, so those a new one pairs with
/// are the bucket's last, wherever its others lie. Their number is the search's count of
/// candidates; each is verified once, whichever band proposes it first.
pub fn night_pairs(
    bands: &NightBands,
    new: &[Lanes<'_>],
    first_new: u32,
    old: &[rustc_hash::FxHashMap<u64, OldBucket>],
) -> Vec<(u32, u32)> {
    let none = rustc_hash::FxHashMap::default();
    let per_band: Vec<Vec<(u32, u32)>> = bands
        .bands
        .par_iter()
        .enumerate()
        .map(|(b, band)| {
            // An index with no document has no buckets at all.
            let old = old.get(b).unwrap_or(&none);
            let mut keyed: Vec<(u64, u32)> = new
                .iter()
                .enumerate()
                .map(|(i, &sig)| (band.key(sig), first_new + i as u32))
                .collect();
            radsort::sort_by_key(&mut keyed, |&(key, _)| key);
            let mut pairs = Vec::new();
            let mut bucket: Vec<u32> = Vec::new();
            for news in keyed.chunk_by(|a, b| a.0 == b.0) {
                let (count, last) = old
                    .get(&news[0].0)
                    .map_or((0, &[][..]), |b| (b.count as usize, b.last.as_slice()));
                // The bucket as the search sorts it: the old documents not kept (never paired:
                // they lie before the last ones) stand as placeholders in front.
                let m = count + news.len();
                let window = window_of(m);
                let hidden = count - last.len();
                bucket.clear();
                bucket.extend(last);
                bucket.extend(news.iter().map(|&(_, d)| d));
                for y in 0..bucket.len() {
                    if bucket[y] < first_new {
                        continue;
                    }
                    let at = hidden + y;
                    for x in at.saturating_sub(window - 1)..at {
                        if let Some(x) = x.checked_sub(hidden) {
                            pairs.push((bucket[x], bucket[y]));
                        }
                    }
                }
            }
            pairs
        })
        .collect();
    union_of(per_band)
}

/// [`CollisionFilter`] for the table search over SimHash fingerprints: the old fingerprints
/// that share a table's key with a new one, for every layout a search over between
/// `documents.start()` and `documents.end()` documents may take ([`hamming_layout`]).
#[derive(Debug)]
pub struct HammingFilter {
    masks: Vec<u64>,
    wanted: Vec<rustc_hash::FxHashSet<u64>>,
}

impl HammingFilter {
    /// The keys of the `new` fingerprints for distance `k`.
    pub fn new(new: &[u64], k: u32, documents: std::ops::RangeInclusive<usize>) -> Self {
        let (lo, hi) = (*documents.start(), *documents.end());
        // The layout changes only where the bit length of the count does.
        let mut counts = vec![lo];
        let mut p = lo.max(1).next_power_of_two();
        while p <= hi {
            counts.push(p);
            p = match p.checked_mul(2) {
                Some(q) => q,
                None => break,
            };
        }
        let mut masks: Vec<u64> = counts
            .into_iter()
            .flat_map(|n| table_masks(hamming_layout(k, n)))
            .collect();
        masks.sort_unstable();
        masks.dedup();
        let wanted = masks
            .iter()
            .map(|&m| new.iter().map(|&f| f & m).collect())
            .collect();
        HammingFilter { masks, wanted }
    }

    /// Whether `fingerprint` shares a table's key with a new one.
    pub fn collides(&self, fingerprint: u64) -> bool {
        self.masks
            .iter()
            .zip(&self.wanted)
            .any(|(&m, wanted)| wanted.contains(&(fingerprint & m)))
    }
}

/// Pairs of an oversized bucket are those within `BUCKET_WINDOW` of each other in it.
fn window_of(bucket_len: usize) -> usize {
    if bucket_len <= BUCKET_ALL_PAIRS_MAX {
        bucket_len
    } else {
        BUCKET_WINDOW + 1
    }
}

/// Emits the pairs that share a bucket of `band` and involve a document at `first_new` or later.
fn band_pairs<T: Signatures + ?Sized>(
    signatures: &T,
    active: &[bool],
    first_new: usize,
    band: Band,
    old: &[(u64, u32)],
    emit: &mut dyn FnMut(u32, u32),
) {
    let keyed = band_keys(signatures, active, first_new, band, old);
    for bucket in keyed.chunk_by(|a, b| a.0 == b.0) {
        let m = bucket.len();
        let window = window_of(m);
        // Old documents sort first; a new one pairs with the old ones just before it in an
        // oversized bucket as well as with the new ones after it.
        for x in 0..m {
            for y in (x + 1)..m.min(x + window) {
                if bucket[y].1 as usize >= first_new {
                    emit(bucket[x].1, bucket[y].1);
                }
            }
        }
    }
}

impl Band {
    /// The bucket key of a signature in this band: its lanes folded through the SplitMix64
    /// finalizer, a bijection per step, so distinct lanes collide only by 64-bit chance. Cheap
    /// because it is computed for every document of an index and every band each night.
    fn key(&self, sig: Lanes) -> u64 {
        (self.lo..self.hi).fold(self.seed, |h, k| {
            splitmix64(&mut (h ^ u64::from(sig.get(k))))
        })
    }
}

/// Who is in an oversized bucket of one band, and how far each member's window reaches there.
/// Held for every band of both indexes through the whole search, and at a million documents
/// most documents are members in most bands: a member costs two bytes.
#[derive(Default)]
struct Oversized {
    /// Bit `doc` set when the document is in an oversized bucket.
    members: Vec<u64>,
    /// Members in the words of `members` before each word: with the bits below it in its own
    /// word, a member's rank in document order.
    rank: Vec<u32>,
    /// By rank: how many document numbers past the member the last document of its bucket
    /// that its window pairs it with lies, or [`FAR`] when that is `FAR` or more (see `far`).
    /// The window reaches the fourth member after it, which is under 65,535 documents away
    /// for all but a few dozen members a band in the generated corpora.
    reach: Vec<u16>,
    /// The members whose window reaches [`FAR`] or more documents past them, with the last
    /// document it reaches, sorted by member.
    far: Vec<(u32, u32)>,
}

/// The reach that does not fit a member's two bytes: the member is looked up in `far`.
const FAR: u16 = u16::MAX;

impl Oversized {
    /// The oversized buckets of a band whose `(key, document)` list is `keyed`, sorted by key
    /// and by document within a key. Read from the list where it lies: a copy of the members
    /// of every bucket, freed once they are counted, would leave holes among the bands' tables.
    fn new(keyed: &[(u64, u32)], documents: usize) -> Oversized {
        let buckets = || {
            keyed
                .chunk_by(|a, b| a.0 == b.0)
                .filter(|bucket| bucket.len() > BUCKET_ALL_PAIRS_MAX)
        };
        if buckets().next().is_none() {
            return Oversized::default();
        }
        let mut members = vec![0u64; documents.div_ceil(64)];
        for &(_, doc) in buckets().flatten() {
            members[doc as usize / 64] |= 1 << (doc % 64);
        }
        let mut rank = Vec::with_capacity(members.len());
        let mut before = 0u32;
        for word in &members {
            rank.push(before);
            before += word.count_ones();
        }
        let mut oversized = Oversized {
            members,
            rank,
            reach: Vec::new(),
            far: Vec::new(),
        };
        // Written in place by rank, however many members a band has.
        let mut reach = vec![0u16; before as usize];
        let mut far = Vec::new();
        for bucket in buckets() {
            for (x, &(_, doc)) in bucket.iter().enumerate() {
                let last = bucket[(x + BUCKET_WINDOW).min(bucket.len() - 1)].1;
                let ahead = u16::try_from(last - doc).unwrap_or(FAR);
                reach[oversized.rank_of(doc)] = ahead;
                if ahead == FAR {
                    far.push((doc, last));
                }
            }
        }
        far.sort_unstable();
        oversized.reach = reach;
        oversized.far = far;
        oversized
    }

    /// The rank of member `doc` among the members, in document order.
    fn rank_of(&self, doc: u32) -> usize {
        let (word, bit) = (doc as usize / 64, doc % 64);
        let below = self.members[word] & ((1u64 << bit) - 1);
        (self.rank[word] + below.count_ones()) as usize
    }

    /// Whether the band emits the pair `(a, b)`, given that their lanes agree there (so they
    /// share a bucket): always, unless that bucket is oversized and `b` lies beyond the window
    /// of `a` (the earlier) in it. Answered from a bit for most documents, and from a rank and
    /// one load for the members of an oversized bucket.
    fn emits(&self, a: u32, b: u32) -> bool {
        let (a, b) = (a.min(b), a.max(b));
        if self.members.is_empty() || self.members[a as usize / 64] >> (a % 64) & 1 == 0 {
            return true;
        }
        // Members are in document order in their bucket, so `b` is within the window when it
        // comes no later than the last document the window reaches.
        match self.reach.get(self.rank_of(a)) {
            Some(&FAR) => self
                .far
                .binary_search_by_key(&a, |&(doc, _)| doc)
                .is_ok_and(|i| b <= self.far[i].1),
            Some(&ahead) => b - a <= u32::from(ahead),
            None => false,
        }
    }
}

/// The low byte of every lane of every signature, eight lanes a word (lane `k` in byte `k % 8`
/// of word `k / 8`), `width` lanes a document. Lanes that are equal have equal bytes, so
/// comparing bytes bounds the agreement of two signatures from above while reading a quarter
/// of the memory: 128 bytes a document, where the candidate pairs of a band hit documents at
/// random. Packed signatures ([`minhash::pack`]) begin with these words, and are read where
/// they lie; others are copied into a table of their own.
struct LaneBytes<'a> {
    /// Lanes a document.
    width: usize,
    /// Words of low bytes a document: `width` rounded up to whole words, the padding 0.
    words: usize,
    /// Words from one document's low bytes to the next's.
    stride: usize,
    table: std::borrow::Cow<'a, [u64]>,
}

impl<'a> LaneBytes<'a> {
    fn new<T: Signatures + ?Sized>(signatures: &'a T) -> LaneBytes<'a> {
        if let Some((rows, width)) = signatures.packed() {
            return LaneBytes {
                width,
                words: width.div_ceil(8),
                stride: minhash::packed_words(width),
                table: std::borrow::Cow::Borrowed(rows),
            };
        }
        let width = (0..signatures.count())
            .map(|i| signatures.signature(i).len())
            .max()
            .unwrap_or(0);
        let words = width.div_ceil(8);
        let mut table = vec![0u64; words * signatures.count()];
        table
            .par_chunks_mut(words.max(1))
            .enumerate()
            .for_each(|(i, out)| {
                // Lanes past a shorter signature (one taking no part) stay 0.
                let sig = signatures.signature(i);
                for k in 0..sig.len() {
                    out[k / 8] |= u64::from(sig.get(k) as u8) << (8 * (k % 8));
                }
            });
        LaneBytes {
            width,
            words,
            stride: words,
            table: std::borrow::Cow::Owned(table),
        }
    }

    /// Reads a word of every cache line of both documents' lane bytes for every pair of
    /// `pairs` (128 bytes a document, which the table's alignment may spread over three
    /// lines), so that the lines are on their way before the pairs are judged.
    fn touch(&self, pairs: &[(u32, u32)]) {
        let mut any = 0u64;
        for &(a, b) in pairs {
            for doc in [a, b] {
                let row = self.of(doc);
                for at in [0, row.len() / 2, row.len().saturating_sub(1)] {
                    any ^= row.get(at).copied().unwrap_or(0);
                }
            }
        }
        // The loads must happen; their values are not needed.
        std::hint::black_box(any);
    }

    fn of(&self, doc: u32) -> &[u64] {
        let at = doc as usize * self.stride;
        &self.table[at..at + self.words]
    }

    /// Sets bit `i % 64` of `mask[i / 64]` when lane `i` of `a` and `b` has equal bytes, for
    /// the `width` lanes (`mask` has `width.div_ceil(64)` words).
    fn agreement(&self, a: u32, b: u32, mask: &mut [u64]) {
        mask.fill(0);
        let (a, b) = (self.of(a), self.of(b));
        // Sixteen lanes by one vector compare and one mask extraction (`wide` makes them SSE2
        // instructions on every x86-64 processor, and portable code elsewhere); eight by word
        // operations for an odd last word.
        for (k, (pa, pb)) in a.chunks_exact(2).zip(b.chunks_exact(2)).enumerate() {
            let bytes = |p: &[u64]| {
                let mut out = [0u8; 16];
                out[..8].copy_from_slice(&p[0].to_le_bytes());
                out[8..].copy_from_slice(&p[1].to_le_bytes());
                wide::u8x16::from(out)
            };
            let bits = bytes(pa).cmp_eq(bytes(pb)).move_mask() as u16;
            mask[k / 4] |= u64::from(bits) << (16 * (k % 4));
        }
        let done = a.len() / 2 * 2;
        for (k, (&wa, &wb)) in a.iter().zip(b).enumerate().skip(done) {
            let bits = equal_bytes(wa, wb);
            mask[k / 8] |= u64::from(bits) << (8 * (k % 8));
        }
        if !self.width.is_multiple_of(64) {
            if let Some(last) = mask.last_mut() {
                *last &= (1u64 << (self.width % 64)) - 1;
            }
        }
    }
}

/// Bands that all have the same number of rows, each starting where the one before ends (what
/// [`bands_of`] makes of indexes with equal rows), over at most 128 lanes: then the bands on
/// which a pair agrees come out of its lane mask by a few shifts and ands, where a general
/// layout tests every earlier band's bits.
struct UniformBands {
    rows: usize,
    /// Bit `lo` set for the first lane `lo` of every band.
    starts: u128,
}

impl UniformBands {
    fn of(bands: &[Band], width: usize) -> Option<UniformBands> {
        let rows = bands.first()?.hi - bands.first()?.lo;
        let uniform = rows > 0
            && bands
                .iter()
                .enumerate()
                .all(|(e, b)| b.lo == e * rows && b.hi == b.lo + rows);
        let lanes = bands.len() * rows;
        (uniform && lanes <= 128 && width <= 128).then(|| UniformBands {
            rows,
            starts: bands.iter().fold(0u128, |m, b| m | 1u128 << b.lo),
        })
    }

    /// The bands before band `k` on all of whose lanes the `mask` (of at most two words) is
    /// set, in order.
    fn agreeing_before(&self, mask: &[u64], k: usize) -> impl Iterator<Item = usize> {
        let lanes = mask
            .iter()
            .take(2)
            .enumerate()
            .fold(0u128, |m, (w, &word)| m | u128::from(word) << (64 * w));
        let whole = (1..self.rows).fold(lanes, |m, j| m & lanes >> j);
        let before = if k * self.rows >= 128 {
            u128::MAX
        } else {
            (1u128 << (k * self.rows)) - 1
        };
        let mut rest = whole & self.starts & before;
        let rows = self.rows;
        std::iter::from_fn(move || {
            (rest != 0).then(|| {
                let lane = rest.trailing_zeros() as usize;
                rest &= rest - 1;
                lane / rows
            })
        })
    }
}

/// Whether bits `lo..hi` of `mask` are all set.
fn all_set(mask: &[u64], lo: usize, hi: usize) -> bool {
    (lo..hi).all(|i| mask[i / 64] >> (i % 64) & 1 == 1)
}

/// Candidate pairs judged together after their lane bytes are fetched together (see
/// [`verified_candidates`]): enough loads to keep the memory system busy, few enough that the
/// rows are still in the first-level cache when judged.
const PAIR_BATCH: usize = 16;

/// Searches several banded indexes at once and keeps the candidate pairs (touching a document
/// at `first_new` or later) for which `keep` holds, sorted. Returns them with the number of
/// distinct candidates proposed. `keep(a, b, at_most)` is told a bound on the lanes on which
/// the two signatures agree (from the bytes of their lanes), and must never hold for a pair
/// that agrees on fewer than `min_agreeing_lanes`: pairs that surely do are rejected without
/// calling it, which is most of them.
///
/// No list of all candidates is ever built: each band verifies its own pairs as it finds them,
/// and a pair is verified only by the first band (of the first index) where its signatures
/// agree, so a pair proposed by ten bands is checked once. Memory is the verified pairs and one
/// byte a lane a document, however many millions of candidates the search proposes.
pub fn verified_candidates<T: Signatures + ?Sized>(
    signatures: &T,
    active: &[bool],
    first_new: usize,
    indexes: &[(Banding, u64)],
    min_agreeing_lanes: usize,
    keep: &(dyn Fn(u32, u32, usize) -> bool + Sync),
) -> (Vec<(u32, u32)>, usize) {
    let bands = bands_of(indexes);
    let old = old_matches(signatures, active, first_new, &bands);
    // The members of each band's oversized buckets: there, agreeing lanes do not mean the band
    // emitted the pair, and ownership must know whether it did.
    let oversized: Vec<Oversized> = bands
        .par_iter()
        .zip(&old)
        .map(|(&band, old)| {
            let keyed = band_keys(signatures, active, first_new, band, old);
            Oversized::new(&keyed, signatures.count())
        })
        .collect();
    let lane_bytes = LaneBytes::new(signatures);
    // With the lanes whose bytes agree as a bit mask, the earlier bands that may have emitted a
    // pair come out of the mask by shifts for the default layout; any other layout scans the
    // earlier bands' bits.
    let uniform = UniformBands::of(&bands, lane_bytes.width);
    // Whether band `e` emitted the pair `(a, b)`, given that their lane bytes agree there.
    let emitted_by = |e: usize, a: u32, b: u32| {
        let band = &bands[e];
        // Equal bytes, and (rarely) a pair that agrees there: only now read the lanes.
        let (sa, sb) = (
            signatures.signature(a as usize),
            signatures.signature(b as usize),
        );
        // Lane by lane: a band is a few lanes.
        (band.lo..band.hi).all(|k| sa.get(k) == sb.get(k)) && oversized[e].emits(a, b)
    };
    let per_band: Vec<(Vec<(u32, u32)>, usize)> = (0..bands.len())
        .into_par_iter()
        .map(|k| {
            let mut kept: Vec<(u32, u32)> = Vec::new();
            let mut proposed = 0usize;
            let mut agree = vec![0u64; lane_bytes.width.div_ceil(64)];
            let mut judge = |a: u32, b: u32| {
                lane_bytes.agreement(a, b, &mut agree);
                let emitted_before = match &uniform {
                    Some(u) => u.agreeing_before(&agree, k).any(|e| emitted_by(e, a, b)),
                    None => (0..k)
                        .any(|e| all_set(&agree, bands[e].lo, bands[e].hi) && emitted_by(e, a, b)),
                };
                if !emitted_before {
                    proposed += 1;
                    let agreeing: u32 = agree.iter().map(|w| w.count_ones()).sum();
                    // Verified here, while the pair's lanes are in cache: bands run in
                    // parallel, and no list of a band's candidates is ever held.
                    if agreeing as usize >= min_agreeing_lanes && keep(a, b, agreeing as usize) {
                        kept.push((a, b));
                    }
                }
            };
            // Pairs are judged a batch at a time, after one pass that touches the lane bytes of
            // every document of the batch: the documents of a band's pairs are far apart, and
            // loads that do not wait on each other are fetched from memory together, where
            // judging each pair as it comes waits for its two rows in turn. (A pair's judgement
            // does not depend on the order of pairs.)
            let mut batch: Vec<(u32, u32)> = Vec::with_capacity(PAIR_BATCH);
            let mut judge_batch = |batch: &mut Vec<(u32, u32)>| {
                lane_bytes.touch(batch);
                for (a, b) in batch.drain(..) {
                    judge(a, b);
                }
            };
            band_pairs(
                signatures,
                active,
                first_new,
                bands[k],
                &old[k],
                &mut |a, b| {
                    batch.push((a, b));
                    if batch.len() == PAIR_BATCH {
                        judge_batch(&mut batch);
                    }
                },
            );
            judge_batch(&mut batch);
            (kept, proposed)
        })
        .collect();
    let proposed = per_band.iter().map(|(_, n)| n).sum();
    let mut kept: Vec<(u32, u32)> = per_band.into_iter().flat_map(|(k, _)| k).collect();
    kept.par_sort_unstable();
    kept.dedup();
    (kept, proposed)
}

/// How the table search over 64-bit fingerprints is laid out for a largest distance `k`.
///
/// The 64 bits are cut into `blocks` contiguous blocks. Two fingerprints at most `k` bits apart
/// differ in at most `k` blocks, so they agree exactly on at least `blocks − k` of them: one
/// table for each choice of `blocks − k` blocks (permuted to the front, in Manku et al.'s
/// terms) is bound to put them in one bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct HammingLayout {
    /// Largest Hamming distance the search must find.
    pub max_distance_bits: u32,
    /// Blocks the 64 bits are cut into (more than `max_distance_bits`).
    pub blocks: u32,
    /// Tables: `C(blocks, blocks − max_distance_bits)`.
    pub tables: usize,
    /// Bits of the shortest table key.
    pub key_bits: u32,
}

/// Most tables the layout may use; more blocks mean longer keys but more tables.
const HAMMING_MAX_TABLES: usize = 256;

/// Binomial coefficient, saturating.
fn choose(n: u32, k: u32) -> usize {
    let k = k.min(n - k);
    (0..k).fold(1usize, |acc, i| {
        acc.saturating_mul((n - i) as usize) / (i + 1) as usize
    })
}

/// Bits of block `i` of `blocks` (the first `64 mod blocks` blocks are one bit wider).
fn block_bits(i: u32, blocks: u32) -> u32 {
    64 / blocks + u32::from(i < 64 % blocks)
}

/// The layout for distance `k` over `n` fingerprints: the fewest blocks (so the fewest tables)
/// whose shortest key has at least `log2(n) − 8` bits, so that chance alone puts about 256
/// fingerprints in a bucket, well under [`HAMMING_BUCKET_ALL_PAIRS_MAX`], within
/// [`HAMMING_MAX_TABLES`] tables. Every comparison is a popcount, so a few hundred in a bucket
/// cost less than the sort of more tables with longer keys.
pub fn hamming_layout(k: u32, n: usize) -> HammingLayout {
    let k = k.min(63);
    let want_bits = (usize::BITS - n.max(1).leading_zeros()).saturating_sub(8);
    let layout = |blocks: u32| {
        let key_blocks = blocks - k;
        // The shortest key takes the narrowest blocks, which are the last ones.
        let key_bits = (blocks - key_blocks..blocks)
            .map(|i| block_bits(i, blocks))
            .sum();
        HammingLayout {
            max_distance_bits: k,
            blocks,
            tables: choose(blocks, key_blocks),
            key_bits,
        }
    };
    let mut best = layout(k + 1);
    for blocks in (k + 2)..=64 {
        if best.key_bits >= want_bits {
            break;
        }
        let next = layout(blocks);
        if next.tables > HAMMING_MAX_TABLES {
            break;
        }
        best = next;
    }
    best
}

/// The key masks of every table of `layout`, in a fixed order.
fn table_masks(layout: HammingLayout) -> Vec<u64> {
    let blocks = layout.blocks;
    let mut block_masks = Vec::with_capacity(blocks as usize);
    let mut lo = 0u32;
    for i in 0..blocks {
        let w = block_bits(i, blocks);
        let mask = if w == 64 {
            u64::MAX
        } else {
            ((1u64 << w) - 1) << lo
        };
        block_masks.push(mask);
        lo += w;
    }
    // Every (blocks − k)-subset of the blocks, as a bitmask over blocks, in increasing order.
    let key_blocks = blocks - layout.max_distance_bits;
    let mut masks = Vec::with_capacity(layout.tables);
    let mut chosen: Vec<u32> = (0..key_blocks).collect();
    loop {
        masks.push(
            chosen
                .iter()
                .fold(0u64, |m, &b| m | block_masks[b as usize]),
        );
        // Next combination in lexicographic order.
        let mut i = key_blocks as usize;
        loop {
            if i == 0 {
                return masks;
            }
            i -= 1;
            if chosen[i] < blocks - key_blocks + i as u32 {
                break;
            }
        }
        chosen[i] += 1;
        for j in (i + 1)..key_blocks as usize {
            chosen[j] = chosen[j - 1] + 1;
        }
    }
}

/// Above this many fingerprints in one bucket of a table, each is compared only with its next
/// [`HAMMING_BUCKET_WINDOW`] neighbours in fingerprint order. A comparison is one xor and
/// popcount, so buckets may be far larger than the banding index's before the work is bounded;
/// keys are short when `k` is large (see [`hamming_layout`]), and chance fills their buckets.
pub const HAMMING_BUCKET_ALL_PAIRS_MAX: usize = 2048;
/// Neighbours compared per fingerprint inside an oversized bucket.
pub const HAMMING_BUCKET_WINDOW: usize = 64;

/// Pairs `(i, j)` with `i < j` whose fingerprints are at most `layout.max_distance_bits` apart,
/// sorted and unique: every such pair (see [`hamming_layout`]), except inside buckets of more
/// than [`HAMMING_BUCKET_ALL_PAIRS_MAX`] fingerprints, where each meets only its next
/// [`HAMMING_BUCKET_WINDOW`] neighbours in fingerprint order. Fingerprints marked `false` in
/// `active` take no part. The caller still verifies each pair (figures, representative).
pub fn hamming_candidates(
    fingerprints: &[u64],
    active: &[bool],
    layout: HammingLayout,
) -> Vec<(u32, u32)> {
    hamming_candidates_touching(fingerprints, active, 0, layout)
}

/// Like [`hamming_candidates`], but only pairs with at least one document at position
/// `first_new` or later; old documents enter a table's sort only when their key is one a new
/// document has.
pub fn hamming_candidates_touching(
    fingerprints: &[u64],
    active: &[bool],
    first_new: usize,
    layout: HammingLayout,
) -> Vec<(u32, u32)> {
    let first_new = first_new.min(fingerprints.len());
    let per_table: Vec<Vec<(u32, u32)>> = table_masks(layout)
        .into_par_iter()
        .map(|mask| {
            // Sorting by (key, whole fingerprint) puts the closest fingerprints of a bucket
            // next to each other, which is what the window of an oversized bucket keeps.
            let mut keyed: Vec<(u64, u64, u32)> = (first_new..fingerprints.len())
                .filter(|&i| active[i])
                .map(|i| (fingerprints[i] & mask, fingerprints[i], i as u32))
                .collect();
            if first_new > 0 {
                let wanted: std::collections::HashSet<u64> =
                    keyed.iter().map(|&(k, _, _)| k).collect();
                keyed.extend((0..first_new).filter(|&i| active[i]).filter_map(|i| {
                    let k = fingerprints[i] & mask;
                    wanted
                        .contains(&k)
                        .then_some((k, fingerprints[i], i as u32))
                }));
            }
            keyed.sort_unstable();
            let mut pairs = Vec::new();
            for bucket in keyed.chunk_by(|a, b| a.0 == b.0) {
                let m = bucket.len();
                let window = if m <= HAMMING_BUCKET_ALL_PAIRS_MAX {
                    m
                } else {
                    HAMMING_BUCKET_WINDOW + 1
                };
                for x in 0..m {
                    for y in (x + 1)..m.min(x + window) {
                        let (a, b) = (bucket[x].2, bucket[y].2);
                        // The probe of Manku et al.: a key match is checked on the whole
                        // fingerprint at once, so chance collisions never reach the caller.
                        if a.max(b) as usize >= first_new
                            && (bucket[x].1 ^ bucket[y].1).count_ones() <= layout.max_distance_bits
                        {
                            pairs.push((a.min(b), a.max(b)));
                        }
                    }
                }
            }
            pairs
        })
        .collect();
    let mut all: Vec<(u32, u32)> = per_table.into_iter().flatten().collect();
    all.par_sort_unstable();
    all.dedup();
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pairs a night finds from its buckets' counts and last documents are the candidates
    /// of a search over every document, and as many as it proposes, with buckets of every size:
    /// few lane values make buckets of hundreds of old documents.
    #[test]
    fn night_pairs_are_the_candidates_over_every_document() {
        let mut state = 7u64;
        for (old, new, values) in [
            (300usize, 20usize, 3u64),
            (500, 40, 5),
            (40, 30, 2),
            (0, 10, 2),
        ] {
            let sigs: Vec<Vec<u32>> = (0..old + new)
                .map(|_| {
                    (0..16)
                        .map(|_| (splitmix64(&mut state) % values) as u32)
                        .collect()
                })
                .collect();
            let banding = Banding { bands: 8, rows: 2 };
            let indexes = [(banding, 11u64)];
            let active = vec![true; old + new];
            let want = candidates_touching(&sigs, &active, old, banding, 11);
            let (_, proposed) =
                verified_candidates(&sigs, &active, old, &indexes, 0, &|_, _, _| true);
            let bands = NightBands::new(sigs[old..].iter().map(|s| Lanes::Words(s)), &indexes);
            let mut buckets = vec![rustc_hash::FxHashMap::<u64, OldBucket>::default(); bands.len()];
            // Two halves counted apart and merged, as two scans of segments are.
            let mut other = buckets.clone();
            for (d, sig) in sigs[..old].iter().enumerate() {
                let target = if d % 3 == 0 { &mut other } else { &mut buckets };
                bands.hits(Lanes::Words(sig), &mut |b, k| {
                    target[b].entry(k).or_default().add(d as u32)
                });
            }
            for (mine, theirs) in buckets.iter_mut().zip(&other) {
                for (k, b) in theirs {
                    mine.entry(*k).or_default().merge(b);
                }
            }
            let new_sigs: Vec<Lanes> = sigs[old..].iter().map(|s| Lanes::Words(s)).collect();
            let got = night_pairs(&bands, &new_sigs, old as u32, &buckets);
            assert_eq!(got, want, "{old} old, {new} new");
            if old == 0 {
                // The first night: no buckets at all.
                assert_eq!(night_pairs(&bands, &new_sigs, 0, &[]), want);
                assert!(!want.is_empty());
            }
            assert_eq!(got.len(), proposed);
            assert!(
                buckets
                    .iter()
                    .flat_map(|b| b.values())
                    .any(|b| b.count as usize > BUCKET_ALL_PAIRS_MAX)
                    || old < 100
            );
        }
    }

    #[test]
    fn band_keys_grouped_and_paired_propose_what_the_search_proposes() {
        // Families of near-identical signatures (buckets of 2 to 40 documents, so that some are
        // oversized) among unrelated ones, some documents taking no part.
        let mut state = 7u64;
        let mut sigs: Vec<Vec<u32>> = Vec::new();
        for family in 0..30u32 {
            let base: Vec<u32> = (0..16).map(|_| splitmix64(&mut state) as u32).collect();
            for _ in 0..(1 + family % 40) {
                let mut sig = base.clone();
                let k = (splitmix64(&mut state) % 16) as usize;
                sig[k] = splitmix64(&mut state) as u32 % 3;
                sigs.push(sig);
            }
        }
        let active: Vec<bool> = (0..sigs.len()).map(|i| i % 13 != 5).collect();
        let banding = Banding { bands: 8, rows: 2 };
        let expected = candidates(&sigs, &active, banding, 99);
        let mut keyed: Vec<(usize, u64, u32)> = Vec::new();
        for (i, sig) in sigs.iter().enumerate().filter(|(i, _)| active[*i]) {
            let keys = signature_band_keys(&[(banding, 99)], Lanes::Words(sig));
            keyed.extend(keys.into_iter().enumerate().map(|(b, k)| (b, k, i as u32)));
        }
        keyed.sort_unstable();
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        for bucket in keyed.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
            pairs.extend(bucket_pairs(bucket.len()).map(|(x, y)| (bucket[x].2, bucket[y].2)));
        }
        pairs.sort_unstable();
        pairs.dedup();
        assert!(keyed
            .chunk_by(|a, b| (a.0, a.1) == (b.0, b.1))
            .any(|b| b.len() > BUCKET_ALL_PAIRS_MAX));
        assert_eq!(pairs, expected);
    }

    #[test]
    fn lane_agreement_marks_the_lanes_whose_low_bytes_are_equal() {
        // Widths with an odd last word, a partial word and whole vectors; lanes equal in their
        // low byte only must count as agreeing (the bound is from above).
        for width in [5usize, 8, 64, 72, 120, 128] {
            let a: Vec<u32> = (0..width as u32)
                .map(|k| k.wrapping_mul(0x9e37_79b9))
                .collect();
            let b: Vec<u32> = a
                .iter()
                .enumerate()
                .map(|(k, &v)| match k % 3 {
                    0 => v,
                    1 => v ^ 0x100,
                    _ => v ^ 1,
                })
                .collect();
            let signatures = vec![a, b];
            let lanes = LaneBytes::new(&signatures);
            let mut mask = vec![0u64; width.div_ceil(64)];
            lanes.agreement(0, 1, &mut mask);
            for k in 0..width {
                let set = mask[k / 64] >> (k % 64) & 1 == 1;
                assert_eq!(set, k % 3 != 2, "width {width}, lane {k}");
            }
            let lanes_set: u32 = mask.iter().map(|w| w.count_ones()).sum();
            assert_eq!(
                lanes_set as usize,
                (0..width).filter(|k| k % 3 != 2).count()
            );
        }
    }

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
    fn verified_candidates_equal_verifying_the_distinct_candidates() {
        // Signatures over few values, so that pairs collide in several bands of both indexes.
        let mut state = 7u64;
        let mut sigs: Vec<Vec<u32>> = (0..120)
            .map(|_| {
                (0..32)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        // Low bytes 0 or 1 under values up to 513: lanes whose bytes agree
                        // but whose values do not.
                        (state % 3) as u32 * 256 + ((state >> 8) % 2) as u32
                    })
                    .collect()
            })
            .collect();
        // And oversized buckets: 150 documents that agree on the first half of their lanes.
        for i in 0..150u32 {
            let mut sig = vec![5u32; 16];
            sig.extend((0..16).map(|j| (i * 7 + j) % 4));
            sigs.insert((i as usize * 3) % sigs.len(), sig);
        }
        // Equal rows (the bands' lane masks are read by shifts) and unequal rows (bands are
        // looked up lane by lane).
        for (near, low) in [
            (
                (Banding { bands: 4, rows: 4 }, 1),
                (Banding { bands: 8, rows: 4 }, 2),
            ),
            (
                (Banding { bands: 4, rows: 4 }, 1),
                (Banding { bands: 10, rows: 3 }, 2),
            ),
        ] {
            check_verified_candidates(&sigs, near, low);
        }
    }

    fn check_verified_candidates(sigs: &[Vec<u32>], near: (Banding, u64), low: (Banding, u64)) {
        let active = vec![true; sigs.len()];
        let agreeing = |a: u32, b: u32| {
            sigs[a as usize]
                .iter()
                .zip(&sigs[b as usize])
                .filter(|(x, y)| x == y)
                .count()
        };
        let mut table = crate::cluster::FingerprintTable::new(sigs[0].len());
        for sig in sigs {
            table.push(crate::cluster::FingerprintRef {
                quoted_lanes: 0,
                signature: Lanes::Words(sig),
                simhash: None,
                shingles: 1,
                length: 1,
                numbers: &[],
            });
        }
        for first_new in [0, 60, 200, 269] {
            let mut distinct = candidates_touching(sigs, &active, first_new, near.0, near.1);
            distinct.extend(candidates_touching(sigs, &active, first_new, low.0, low.1));
            distinct.sort_unstable();
            distinct.dedup();
            for min_agreeing in [0, 9, 20] {
                // A `keep` that cannot hold below `min_agreeing` lanes, as the caller promises.
                let keep =
                    |a: u32, b: u32| !(a + b).is_multiple_of(3) && agreeing(a, b) >= min_agreeing;
                let want: Vec<(u32, u32)> = distinct
                    .iter()
                    .copied()
                    .filter(|&(a, b)| keep(a, b))
                    .collect();
                let bounded = |a: u32, b: u32, at_most: usize| {
                    assert!(
                        agreeing(a, b) <= at_most,
                        "({a}, {b}) agree on more than {at_most}"
                    );
                    keep(a, b)
                };
                let (got, proposed) = verified_candidates(
                    sigs,
                    &active,
                    first_new,
                    &[near, low],
                    min_agreeing,
                    &bounded,
                );
                assert_eq!(got, want, "first_new {first_new}, min {min_agreeing}");
                assert_eq!(proposed, distinct.len(), "first_new {first_new}");
                // Packed in a fingerprint table, whose low bytes the search reads in place.
                let packed = verified_candidates(
                    &table,
                    &active,
                    first_new,
                    &[near, low],
                    min_agreeing,
                    &bounded,
                );
                assert_eq!(packed, (got, proposed), "packed, first_new {first_new}");
            }
        }
    }

    #[test]
    fn oversized_reach_near_and_far_is_the_window() {
        // Two oversized buckets, one dense and one spread over more documents than a member's
        // two bytes of reach can tell (so that its members are looked up in `far`), and a
        // document in neither.
        let n = 40 * 70_000;
        let dense: Vec<u32> = (0..80).map(|i| 3 * i + 1).collect();
        let spread: Vec<u32> = (0..40)
            .map(|i| 70_000 * i + 2)
            .chain([n as u32 - 1])
            .collect();
        let mut spread = spread;
        spread.extend((0..30).map(|i| 300 + 2 * i));
        spread.sort_unstable();
        let buckets = vec![dense.clone(), spread.clone()];
        let keyed: Vec<(u64, u32)> = (0..)
            .zip(&buckets)
            .flat_map(|(key, bucket)| bucket.iter().map(move |&doc| (key, doc)))
            .collect();
        let o = Oversized::new(&keyed, n);
        assert!(!o.far.is_empty(), "some members reach far");
        for bucket in &buckets {
            for (x, &a) in bucket.iter().enumerate() {
                for (y, &b) in bucket.iter().enumerate().skip(x + 1) {
                    assert_eq!(o.emits(a, b), y - x <= BUCKET_WINDOW, "({a}, {b})");
                    assert_eq!(o.emits(b, a), y - x <= BUCKET_WINDOW, "({b}, {a})");
                }
            }
        }
        // A document in no oversized bucket is paired by every band that agrees.
        assert!(o.emits(0, n as u32 - 1));
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

    #[test]
    fn hamming_layout_table() {
        // (k, n, blocks, tables)
        let cases = [
            // Manku et al.'s basic layout: k + 1 blocks, one table a block.
            (3, 10, 4, 4),
            (0, 1, 1, 1),
            (6, 1000, 7, 7),
            // A million want ≥ 12-bit keys: one block of 12 or 13 bits, 5 tables.
            (4, 1_000_000, 5, 5),
            // 2^30 want ≥ 23 bits: two blocks of 12–13 bits, 10 tables.
            (3, 1 << 30, 5, 10),
            // Distance 16 over 20,000: 17 blocks would leave 3-bit keys; two of 18 give 6.
            (16, 20_000, 18, 153),
        ];
        for (k, n, blocks, tables) in cases {
            let l = hamming_layout(k, n);
            assert_eq!((l.blocks, l.tables), (blocks, tables), "k={k} n={n}: {l:?}");
            assert_eq!(table_masks(l).len(), l.tables);
            assert!(l.blocks > l.max_distance_bits);
        }
    }

    #[test]
    fn table_masks_cover_blocks_exactly() {
        let l = hamming_layout(3, 1 << 20);
        let masks = table_masks(l);
        let key_blocks = l.blocks - 3;
        let mut seen = std::collections::BTreeSet::new();
        for m in &masks {
            assert!(seen.insert(*m), "duplicate table {m:x}");
            assert!(m.count_ones() >= l.key_bits);
            // A key is a union of whole blocks: as many runs of ones as key blocks at most.
            assert!((m ^ (m << 1)).count_ones() <= 2 * key_blocks);
        }
        // Every bit belongs to some key.
        assert_eq!(masks.iter().fold(0, |a, m| a | m), u64::MAX);
    }

    #[test]
    fn hamming_candidates_find_close_pairs_skip_inactive() {
        let fps = [0u64, 0b111, u64::MAX, 1 << 40];
        let l = hamming_layout(3, fps.len());
        let got = hamming_candidates(&fps, &[true; 4], l);
        // 0b111 and 1 << 40 are 4 bits apart: they share a key but are not returned.
        assert_eq!(got, vec![(0, 1), (0, 3)]);
        let got = hamming_candidates(&fps, &[true, false, true, true], l);
        assert_eq!(got, vec![(0, 3)]);
    }

    #[test]
    fn hamming_touching_pairs_are_the_full_pairs_that_involve_a_new_document() {
        // Five clumps of close fingerprints over 40 documents.
        let fps: Vec<u64> = (0..40u64)
            .map(|i| (i % 5).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ (1 << (i % 3)))
            .collect();
        let active = vec![true; 40];
        let layout = hamming_layout(3, 40);
        let all = hamming_candidates(&fps, &active, layout);
        assert!(!all.is_empty());
        for first_new in [0, 1, 25, 39, 40] {
            let want: Vec<(u32, u32)> = all
                .iter()
                .copied()
                .filter(|&(_, b)| b as usize >= first_new)
                .collect();
            let got = hamming_candidates_touching(&fps, &active, first_new, layout);
            assert_eq!(got, want, "first_new {first_new}");
        }
    }

    #[test]
    fn oversized_hamming_bucket_is_windowed() {
        let n = HAMMING_BUCKET_ALL_PAIRS_MAX * 2;
        let fps = vec![42u64; n];
        let got = hamming_candidates(&fps, &vec![true; n], hamming_layout(2, n));
        assert!(got.len() <= n * HAMMING_BUCKET_WINDOW);
        for i in 0..(n as u32 - 1) {
            assert!(got.binary_search(&(i, i + 1)).is_ok());
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// The bitmap in front of the hash sets only answers "no" early: a key is wanted in a
        /// band exactly when that band's set has it, whatever the other bands hold.
        #[test]
        fn wanted_keys_answer_as_their_sets_do(
            keys in proptest::collection::vec(
                proptest::collection::vec(proptest::prelude::any::<u64>(), 0..300), 1..5),
            asked in proptest::collection::vec((0usize..5, proptest::prelude::any::<u64>()), 0..300),
        ) {
            let wanted = WantedKeys::new(keys.len(), |b| keys[b].clone());
            for (b, band) in keys.iter().enumerate() {
                for &k in band {
                    proptest::prop_assert!(wanted.contains(b, k));
                }
            }
            for &(b, k) in &asked {
                let b = b % keys.len();
                proptest::prop_assert_eq!(wanted.contains(b, k), keys[b].contains(&k));
            }
        }

        /// The tables find every pair within k, as brute force does: fingerprints made of a few
        /// random bases with up to 2k random bit flips each, so that pairs at every distance
        /// around k occur.
        #[test]
        fn hamming_search_finds_every_pair_within_k(
            k in 0u32..=8,
            bases in proptest::collection::vec(proptest::prelude::any::<u64>(), 1..6),
            flips in proptest::collection::vec(
                (0usize..6, proptest::collection::vec(0u32..64, 0..16)), 2..60),
        ) {
            let fps: Vec<u64> = flips
                .iter()
                .map(|(base, bits)| {
                    let b = bases[base % bases.len()];
                    bits.iter().take(2 * k as usize).fold(b, |f, &i| f ^ (1u64 << i))
                })
                .collect();
            let n = fps.len();
            let got = hamming_candidates(&fps, &vec![true; n], hamming_layout(k, n));
            for i in 0..n {
                for j in (i + 1)..n {
                    if (fps[i] ^ fps[j]).count_ones() <= k {
                        proptest::prop_assert!(
                            got.binary_search(&(i as u32, j as u32)).is_ok(),
                            "pair ({}, {}) at distance {} missed", i, j,
                            (fps[i] ^ fps[j]).count_ones()
                        );
                    }
                }
            }
            proptest::prop_assert!(got.windows(2).all(|w| w[0] < w[1]));
            proptest::prop_assert!(got.iter().all(|&(a, b)| a < b));
            // Nothing farther than k is returned: the pairs are exactly brute force's.
            proptest::prop_assert!(got
                .iter()
                .all(|&(a, b)| (fps[a as usize] ^ fps[b as usize]).count_ones() <= k));
        }
    }
}
