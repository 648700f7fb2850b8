//! What a night needs of the index, found in one streamed read of its segments: which of the
//! night's ids it holds already, the old documents the night's candidate search can pair with
//! a new one, those its translation search can, the members of their clusters, and the counts
//! of every anchor. A night then runs on that subset, numbered in index order, and never holds
//! the whole index (DESIGN.md, "Matching a night").

use rustc_hash::{FxHashMap, FxHashSet};

use super::store::{DocAt, DocView, StoredDoc};
use super::{Index, Place};
use crate::cluster::FingerprintRef;
use crate::crosslang::{self, AnchorCounter};
use crate::error::Result;
use crate::lsh::{NightBands, OldBucket};
use crate::minhash::Lanes;

/// Whether an old document's signature (or SimHash) shares a key of the candidate search with
/// some new document.
pub type Collides = dyn Fn(&[u32], Option<u64>) -> bool + Sync;

/// What the night asks of every old document.
pub struct Wanted<'a> {
    /// The night's document ids (those that will be matched).
    pub ids: &'a FxHashSet<&'a str>,
    /// The bands of the MinHash search and the new documents' keys there: each old document's
    /// keys are counted in the buckets they fall in ([`Selection::buckets`]).
    pub bands: Option<&'a NightBands>,
    /// Under SimHash: whether an old document's fingerprint shares a key of the table search
    /// with some new document (a superset of the old documents the search can pair); those
    /// are kept whole ([`Selection::collided`]).
    pub collides: Option<&'a Collides>,
    /// The anchors of the night's documents (as a sketch table keeps them), when translations
    /// are on: an old document needs two of them to pair with a new one across languages.
    pub anchors: Option<&'a FxHashSet<u32>>,
}

/// An old document that may be searched across languages, kept by its anchors until the
/// counts over the whole index tell whether two of them are searchable.
#[derive(Debug)]
struct Tentative {
    doc: u32,
    place: Place,
    anchors: Box<[u32]>,
}

/// The scan's findings.
#[derive(Debug)]
pub struct Selection {
    /// The night's ids the index holds already.
    pub known: FxHashSet<String>,
    /// Under SimHash, the old documents whose keys collide with a new document's, ascending.
    pub collided: Vec<(u32, StoredDoc)>,
    /// Under MinHash, by band, the old documents of each bucket a new document is in.
    pub buckets: Vec<FxHashMap<u64, OldBucket>>,
    /// Every old document's anchors counted, and the density of each language's anchors.
    pub counter: AnchorCounter,
    /// The languages (as [`crosslang::lang_bit`]) of old documents that can match across
    /// languages.
    pub languages: u64,
    tentative: Vec<Tentative>,
    clustered: Vec<(u32, Place)>,
}

/// One accumulator of the scan.
#[derive(Default)]
struct Acc {
    known: FxHashSet<String>,
    collided: Vec<(u32, StoredDoc)>,
    buckets: Vec<FxHashMap<u64, OldBucket>>,
    tentative: Vec<Tentative>,
    /// Tentative documents after the last pruning.
    pruned_at: usize,
    clustered: Vec<(u32, Place)>,
    counter: AnchorCounter,
    languages: u64,
    /// Scratch: the document's signature.
    sig: Vec<u32>,
    /// Scratch: the document's anchors.
    anchors: Vec<u32>,
}

/// Whether `anchors` hold [`crosslang::MIN_SHARED_PROBES`] of the night's anchors that are not
/// (yet) carried by more documents than a probe may be. Counts only grow, so a document that
/// fails this on part of the index fails it on all of it.
fn may_pair(anchors: &[u32], night: &FxHashSet<u32>, counter: &AnchorCounter) -> bool {
    anchors
        .iter()
        .filter(|a| night.contains(a) && counter.of(**a) <= crosslang::PROBE_MAX_DOCUMENTS)
        .take(crosslang::MIN_SHARED_PROBES)
        .count()
        >= crosslang::MIN_SHARED_PROBES
}

impl Acc {
    fn visit(
        &mut self,
        wanted: &Wanted,
        clustered: &[u64],
        doc: usize,
        view: &DocView<'_>,
        place: Place,
    ) {
        if wanted.ids.contains(view.id) {
            self.known.insert(view.id.to_string());
        }
        if let Some(bands) = wanted.bands {
            view.signature_into(&mut self.sig);
            if self.buckets.is_empty() {
                self.buckets = vec![FxHashMap::default(); bands.len()];
            }
            let buckets = &mut self.buckets;
            bands.hits(Lanes::Words(&self.sig), &mut |b, key| {
                buckets[b].entry(key).or_default().add(doc as u32);
            });
        }
        if let Some(collides) = wanted.collides {
            view.signature_into(&mut self.sig);
            if collides(&self.sig, view.simhash()) {
                self.collided.push((doc as u32, view.to_stored()));
            }
            if clustered[doc / 64] >> (doc % 64) & 1 == 1 {
                self.clustered.push((doc as u32, place));
            }
        }
        let Some(night) = wanted.anchors else {
            return;
        };
        // As a sketch table keeps them.
        let mut anchors = std::mem::take(&mut self.anchors);
        anchors.clear();
        anchors.extend(view.anchors().take(crosslang::ROW_ANCHORS));
        self.counter.add(view.lang, &anchors, view.length);
        if crosslang::searches(crosslang::SketchRef {
            lang: view.lang,
            anchors: &anchors,
        }) {
            self.languages |= crosslang::lang_bit(view.lang);
        }
        // Under MinHash the second read finds these ([`Index::verify`]).
        if wanted.collides.is_some() && may_pair(&anchors, night, &self.counter) {
            self.tentative.push(Tentative {
                doc: doc as u32,
                place,
                anchors: anchors.as_slice().into(),
            });
            // Common anchors leave the tentative list as their counts pass the probe limit.
            if self.tentative.len() >= (2 * self.pruned_at).max(4096) {
                let counter = &self.counter;
                self.tentative
                    .retain(|t| may_pair(&t.anchors, night, counter));
                self.pruned_at = self.tentative.len();
            }
        }
        self.anchors = anchors;
    }

    fn merge(mut self, other: Acc) -> Acc {
        self.known.extend(other.known);
        self.collided.extend(other.collided);
        if self.buckets.is_empty() {
            self.buckets = other.buckets;
        } else {
            for (mine, theirs) in self.buckets.iter_mut().zip(&other.buckets) {
                for (key, b) in theirs {
                    mine.entry(*key).or_default().merge(b);
                }
            }
        }
        self.tentative.extend(other.tentative);
        self.pruned_at += other.pruned_at;
        self.clustered.extend(other.clustered);
        self.counter.merge(other.counter);
        self.languages |= other.languages;
        self
    }
}

impl Index {
    /// Reads every segment once, streamed, and keeps what a night of `wanted` needs.
    pub fn select(&self, wanted: &Wanted) -> Result<Selection> {
        let mut clustered = vec![0u64; self.len().div_ceil(64)];
        if wanted.collides.is_some() {
            for c in self.clusters() {
                for &m in &c.members {
                    clustered[m as usize / 64] |= 1 << (m % 64);
                }
            }
        }
        let acc = self.scan(
            &Acc::default,
            &|acc, doc, view, place| acc.visit(wanted, &clustered, doc, view, place),
            &|a, b| a.merge(b),
        )?;
        let mut s = Selection {
            known: acc.known,
            collided: acc.collided,
            buckets: acc.buckets,
            counter: acc.counter,
            languages: acc.languages,
            tentative: acc.tentative,
            clustered: acc.clustered,
        };
        s.collided.sort_unstable_by_key(|&(d, _)| d);
        s.tentative.sort_unstable_by_key(|t| t.doc);
        s.clustered.sort_unstable_by_key(|&(d, _)| d);
        Ok(s)
    }
}

/// The old documents a night runs on: ascending by their number in the index.
#[derive(Debug, Default)]
pub struct Subset {
    /// Their numbers in the index, ascending.
    pub numbers: Vec<u32>,
    /// The documents, in that order.
    pub docs: Vec<StoredDoc>,
    /// Positions (in [`Index::clusters`]) of the clusters any of them is in, ascending: every
    /// member of these is in the subset.
    pub clusters: Vec<usize>,
}

/// Verifies an old document's fingerprint against new document `new` (its number in the
/// index once added).
pub type Verify<'a> = dyn Fn(FingerprintRef<'_>, u32) -> bool + Sync + 'a;

/// What the second read of the index found: the verified pairs of old and new documents, the
/// old documents in them, and where the members of the clusters asked for lie.
#[derive(Debug, Default)]
pub struct Verified {
    /// Verified pairs `(old, new)`, sorted.
    pub edges: Vec<(u32, u32)>,
    /// The old documents of `edges`, ascending.
    pub docs: Vec<(u32, StoredDoc)>,
    /// Where each document asked for lies, ascending by document: `(document, segment,
    /// record)`, the record as [`DocAt::pack`] packs its offset and its segment's layout (16
    /// bytes a document: at ten million documents, millions are members of clusters a night
    /// may touch).
    places: Vec<(u32, u32, u64)>,
    /// The old documents that form a candidate pair across languages with a new one,
    /// ascending (their documents are in `docs`).
    pub translating: Vec<u32>,
}

impl Verified {
    /// Where document `doc` lies, when it was asked for.
    pub fn place_of(&self, doc: u32) -> Option<Place> {
        let i = self
            .places
            .binary_search_by_key(&doc, |&(d, _, _)| d)
            .ok()?;
        let (_, segment, at) = self.places[i];
        Some(Place {
            segment,
            at: DocAt::unpack(at),
        })
    }
}

/// Whether an old document forms a candidate pair across languages with a new document.
pub type Translates<'a> = dyn Fn(&DocView<'_>) -> bool + Sync + 'a;

impl Selection {
    /// The old documents that carry [`crosslang::MIN_SHARED_PROBES`] anchors for which
    /// `searchable` holds (the night's searchable anchors over the final counts): those the
    /// translation search takes part, with where they lie, ascending.
    pub fn translating(&self, searchable: &dyn Fn(u32) -> bool) -> Vec<(u32, Place)> {
        self.tentative
            .iter()
            .filter(|t| {
                t.anchors
                    .iter()
                    .filter(|&&a| searchable(a))
                    .take(crosslang::MIN_SHARED_PROBES)
                    .count()
                    >= crosslang::MIN_SHARED_PROBES
            })
            .map(|t| (t.doc, t.place))
            .collect()
    }

    /// Where the members of clusters lie (read under SimHash, where the scan keeps them).
    pub fn clustered(&self) -> &[(u32, Place)] {
        &self.clustered
    }
}

impl Index {
    /// The second read of the index under MinHash: streams every segment again and verifies
    /// each candidate pair `(old, new)` of `pairs` (sorted) as its old document goes by, with
    /// `verify`; keeps the old documents of verified pairs and the places of the documents
    /// marked in `place` (a bit a document).
    pub fn verify(
        &self,
        pairs: &[(u32, u32)],
        place: &[u64],
        verify: &Verify<'_>,
        translates: Option<&Translates<'_>>,
    ) -> Result<Verified> {
        #[derive(Default)]
        struct Acc {
            out: Verified,
            sig: Vec<u32>,
            row: Vec<u64>,
            numbers: Vec<u64>,
        }
        let acc = self.scan(
            &Acc::default,
            &|acc, doc, view, at| {
                let d = doc as u32;
                if place
                    .get(doc / 64)
                    .is_some_and(|w| w >> (doc % 64) & 1 == 1)
                {
                    acc.out.places.push((d, at.segment, at.at.pack()));
                }
                let translating = translates.is_some_and(|t| t(view));
                if translating {
                    acc.out.translating.push(d);
                }
                let from = pairs.partition_point(|&(a, _)| a < d);
                let to = pairs.partition_point(|&(a, _)| a <= d);
                if from == to {
                    if translating {
                        acc.out.docs.push((d, view.to_stored()));
                    }
                    return;
                }
                view.signature_into(&mut acc.sig);
                view.numbers_into(&mut acc.numbers);
                // Packed as a run's fingerprint table packs signatures, so that the pair is
                // compared eight lanes at a time.
                let width = acc.sig.len();
                acc.row.resize(crate::minhash::packed_words(width), 0);
                crate::minhash::pack(width, acc.sig.iter().copied(), &mut acc.row);
                let fp = FingerprintRef {
                    signature: Lanes::Packed {
                        width,
                        row: &acc.row,
                    },
                    simhash: view.simhash(),
                    shingles: view.shingles,
                    length: view.length,
                    numbers: &acc.numbers,
                    quoted_lanes: view.quoted_lanes,
                };
                let before = acc.out.edges.len();
                for &(_, n) in &pairs[from..to] {
                    if verify(fp, n) {
                        acc.out.edges.push((d, n));
                    }
                }
                if acc.out.edges.len() > before || translating {
                    acc.out.docs.push((d, view.to_stored()));
                }
            },
            &|mut a, b| {
                a.out.edges.extend(b.out.edges);
                a.out.docs.extend(b.out.docs);
                a.out.places.extend(b.out.places);
                a.out.translating.extend(b.out.translating);
                a
            },
        )?;
        let mut out = acc.out;
        out.edges.sort_unstable();
        out.docs.sort_unstable_by_key(|&(d, _)| d);
        out.places.sort_unstable_by_key(|&(d, _, _)| d);
        out.translating.sort_unstable();
        Ok(out)
    }

    /// The subset a night runs on: the old documents of `seeds` (`have` holds some of them
    /// already) and every member of a cluster any of them is in; the others are read again
    /// from where `place_of` says they lie.
    pub fn gather(
        &self,
        have: Vec<(u32, StoredDoc)>,
        seeds: &[u32],
        place_of: &dyn Fn(u32) -> Option<Place>,
    ) -> Result<Subset> {
        let mut wanted: FxHashMap<u32, Option<StoredDoc>> = FxHashMap::default();
        for &d in seeds {
            wanted.insert(d, None);
        }
        for (d, doc) in have {
            wanted.insert(d, Some(doc));
        }
        let clusters: Vec<usize> = self
            .clusters()
            .iter()
            .enumerate()
            .filter(|(_, c)| c.members.iter().any(|m| wanted.contains_key(m)))
            .map(|(i, _)| i)
            .collect();
        for &c in &clusters {
            for &m in &self.clusters()[c].members {
                wanted.entry(m).or_insert(None);
            }
        }
        let mut numbers: Vec<u32> = wanted.keys().copied().collect();
        numbers.sort_unstable();
        let missing: Vec<u32> = numbers
            .iter()
            .copied()
            .filter(|d| wanted.get(d).is_some_and(Option::is_none))
            .collect();
        // Read again where they lie; those whose place the night did not keep (members of the
        // clusters of old documents found only across languages), by one more streamed read.
        let mut placed: Vec<(u32, Place)> = Vec::new();
        let mut unplaced: Vec<u32> = Vec::new();
        for &d in &missing {
            match place_of(d) {
                Some(p) => placed.push((d, p)),
                None => unplaced.push(d),
            }
        }
        let to_read: Vec<Place> = placed.iter().map(|&(_, p)| p).collect();
        for ((d, _), doc) in placed.iter().zip(self.fetch(&to_read)?) {
            wanted.insert(*d, Some(doc));
        }
        if !unplaced.is_empty() {
            let found = self.scan(
                &Vec::new,
                &|acc: &mut Vec<(u32, StoredDoc)>, doc, view, _| {
                    if unplaced.binary_search(&(doc as u32)).is_ok() {
                        acc.push((doc as u32, view.to_stored()));
                    }
                },
                &|mut a, b| {
                    a.extend(b);
                    a
                },
            )?;
            for (d, doc) in found {
                wanted.insert(d, Some(doc));
            }
        }
        if wanted.values().any(Option::is_none) {
            return Err(crate::error::Error::Index {
                path: self.dir().to_path_buf(),
                problem: crate::error::IndexProblem::Damaged(
                    "a cluster names a document no segment holds".into(),
                ),
            });
        }
        let docs = numbers
            .iter()
            .filter_map(|d| wanted.remove(d).flatten())
            .collect();
        Ok(Subset {
            numbers,
            docs,
            clusters,
        })
    }
}

/// Tells, for an old document, whether it forms a candidate pair across languages with one of
/// the night's: [`crosslang::candidates`] over a table of every document, asked of one old row
/// against the new rows, with the counts over every document. An old document in no such pair
/// takes no part in the night's translation search.
pub struct TranslationProbe<'a> {
    counts: &'a crosslang::AnchorCounts,
    rare: &'a FxHashSet<u32>,
    /// The new rows that carry each searchable anchor (of the rows that can match).
    carriers: FxHashMap<u32, Vec<u32>>,
    /// The new rows that probe with each anchor.
    probing: FxHashMap<u32, Vec<u32>>,
    langs: Vec<Option<crate::lang::Lang>>,
}

/// Whether some row occurs [`crosslang::MIN_SHARED_PROBES`] times in `hits` (sorted here).
fn repeated(hits: &mut [u32]) -> bool {
    hits.sort_unstable();
    hits.chunk_by(|a, b| a == b)
        .any(|run| run.len() >= crosslang::MIN_SHARED_PROBES)
}

impl<'a> TranslationProbe<'a> {
    /// The probe of the night's rows `new` (as its sketch table keeps them), with `counts` over
    /// every document and `rare`, the night's searchable anchors.
    pub fn new<'r>(
        counts: &'a crosslang::AnchorCounts,
        rare: &'a FxHashSet<u32>,
        new: impl Iterator<Item = crosslang::SketchRef<'r>>,
    ) -> Self {
        let mut probe = TranslationProbe {
            counts,
            rare,
            carriers: FxHashMap::default(),
            probing: FxHashMap::default(),
            langs: Vec::new(),
        };
        for (y, s) in new.enumerate() {
            probe.langs.push(s.lang);
            if !crosslang::searches(s) {
                continue;
            }
            for &a in s.anchors {
                if crosslang::searchable(counts.of(a)) {
                    probe.carriers.entry(a).or_default().push(y as u32);
                }
            }
            for (_, a) in probe.probes(s.anchors) {
                probe.probing.entry(a).or_default().push(y as u32);
            }
        }
        probe
    }

    /// A row's probes: its rarest searchable anchors, as `(documents, anchor)`.
    fn probes(&self, anchors: &[u32]) -> Vec<(u32, u32)> {
        let mut probes: Vec<(u32, u32)> = anchors
            .iter()
            .map(|&a| (self.counts.of(a), a))
            .filter(|&(n, _)| crosslang::searchable(n))
            .collect();
        probes.sort_unstable();
        probes.truncate(crosslang::PROBES);
        probes
    }

    /// Whether the old document `view` pairs with a new row.
    pub fn pairs_with(&self, view: &DocView<'_>) -> bool {
        let Some(lang) = view.lang else {
            return false;
        };
        let anchors: Vec<u32> = view.anchors().take(crosslang::ROW_ANCHORS).collect();
        if anchors.len() < crosslang::MIN_ANCHORS
            || anchors
                .iter()
                .filter(|a| self.rare.contains(a))
                .take(crosslang::MIN_SHARED_PROBES)
                .count()
                < crosslang::MIN_SHARED_PROBES
        {
            return false;
        }
        let other = |y: &&u32| self.langs[**y as usize] != Some(lang);
        // Its probes among the new rows' anchors.
        let mut hits: Vec<u32> = self
            .probes(&anchors)
            .iter()
            .filter_map(|(_, a)| self.carriers.get(a))
            .flat_map(|rows| rows.iter().filter(other).copied())
            .collect();
        if repeated(&mut hits) {
            return true;
        }
        // The new rows' probes among its searchable anchors.
        let mut hits: Vec<u32> = anchors
            .iter()
            .filter(|&&a| crosslang::searchable(self.counts.of(a)))
            .filter_map(|a| self.probing.get(a))
            .flat_map(|rows| rows.iter().filter(other).copied())
            .collect();
        repeated(&mut hits)
    }
}
