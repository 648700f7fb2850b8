//! Reads a run's inputs into fingerprinted documents: the tables a run keeps of its documents
//! (records, ids, sites) and the choice between the in-memory path ([`memory`], when texts are
//! wanted) and the two streaming passes ([`streaming`]), which give the same fingerprints.
//! [`document`] is what either does to one document, [`batch`] how inputs are read in parts.

pub mod batch;
pub mod document;
pub mod memory;
pub mod streaming;

use std::collections::BTreeMap;

use crate::boilerplate::BoilerplateStats;
use crate::cluster::{FingerprintTable, Fingerprints};
use crate::config::{Config, Method};
use crate::corpus::{Input, Skipped};
use crate::crosslang::SketchTable;
use crate::frequent::{self, FrequentShingles};
use crate::pipeline::{Progress, Stage};
use crate::shingle::Shingler;
use document::{fingerprint_all, sketch_all};
use memory::{load_with, strip_boilerplate};
use streaming::fingerprint_streaming;

/// A document after reading and normalization: what the report and the index need of it once
/// it is fingerprinted. Kept for every document of the run until the end, so it holds no text,
/// no copy of its site's name (see [`Sources`]) and no id of its own (see [`Ids`]).
pub(crate) struct Loaded {
    /// The document's site, a number of the run's [`Sources`].
    pub(crate) source: u32,
    pub(crate) repaired: bool,
    pub(crate) date: Option<crate::corpus::date::Dated>,
    /// The language of its kept lines ([`crate::lang::Lang::number`]) when translations are on
    /// and it could be told, from the votes its lines cast in the first pass, once boilerplate
    /// is learned: a run in one language extracts no anchors at all. (Set by the streaming
    /// passes only; the in-memory path reads it from the kept texts.)
    pub(crate) lang: Option<u8>,
}

/// The ids of a run's documents, end to end in one string: an id of its own would cost each
/// document a pointer, a length and an allocation's header and rounding, about half as much
/// again as the id.
#[derive(Debug, Default)]
pub(crate) struct Ids {
    text: String,
    /// Where each id ends (it starts where the previous one ends).
    ends: Vec<usize>,
}

impl Ids {
    /// Appends `id` as the next document's.
    pub(crate) fn push(&mut self, id: &str) {
        self.text.push_str(id);
        self.ends.push(self.text.len());
    }

    /// The id of document `i`.
    pub(crate) fn get(&self, i: usize) -> &str {
        &self.text[span(&self.ends, i)]
    }

    /// The number of ids.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// The position of `id`, if it is one of them.
    pub(crate) fn position(&self, id: &str) -> Option<usize> {
        (0..self.len()).find(|&i| self.get(i) == id)
    }
}

/// Item `i` of a list laid end to end, given where each item ends (it starts where the one
/// before ends).
fn span(ends: &[usize], i: usize) -> std::ops::Range<usize> {
    let start = if i == 0 { 0 } else { ends[i - 1] };
    start..ends[i]
}

/// The site names of a run, each stored once: a corpus has a few sites and a million
/// documents, and every document refers to its site by number.
#[derive(Debug, Default)]
pub(crate) struct Sources {
    names: Vec<Box<str>>,
    numbers: std::collections::HashMap<Box<str>, u32>,
}

impl Sources {
    /// The number of the site `name`, given it the first time it is seen.
    pub(crate) fn number(&mut self, name: &str) -> u32 {
        if let Some(&n) = self.numbers.get(name) {
            return n;
        }
        // Every site has a document, and documents are numbered by u32 throughout.
        let n = self.names.len() as u32;
        self.names.push(name.into());
        self.numbers.insert(name.into(), n);
        n
    }

    /// The name of site number `n`.
    pub(crate) fn name(&self, n: u32) -> &str {
        &self.names[n as usize]
    }
}

/// The count of the sampled documents' shingles that learns the frequent set, or `None` when
/// the run keeps every shingle or is given its set (`learn` false: an index's).
fn frequent_counter(config: &Config, learn: bool) -> Option<frequent::Counter> {
    (learn && config.frequent_share > 0.0).then(frequent::Counter::new)
}

/// Counts the shingles of the normalized `text` of document `id` when it is in the sample.
fn count_if_sampled(
    counter: Option<&frequent::Counter>,
    config: &Config,
    shingler: &mut Shingler,
    buf: &mut Vec<u64>,
    id: &str,
    text: &str,
) {
    if let Some(counter) = counter {
        if frequent::sampled(id) {
            shingler.shingles(text, config.shingle, config.seed, buf);
            counter.add(buf);
        }
    }
}

/// The frequent set a count learned, or `fixed` when one was given.
fn frequent_set(
    config: &Config,
    counter: Option<frequent::Counter>,
    fixed: Option<&FrequentShingles>,
) -> FrequentShingles {
    match (fixed, counter) {
        (Some(set), _) => set.clone(),
        (None, Some(counter)) => counter.finish(config.frequent_share),
        (None, None) => FrequentShingles::none(),
    }
}

/// Finds documents whose id an earlier document already has, without a copy of every id: a
/// map from the hash of an id to the first document with that hash, its id read from the
/// documents themselves.
#[derive(Default)]
struct SeenIds {
    first: std::collections::HashMap<u64, usize>,
}

impl SeenIds {
    /// Whether `id` (about to become document `slot`) repeats the id of a document before it;
    /// `id_of(i)` is the id of document `i`.
    fn repeats<'a>(&mut self, id: &str, slot: usize, id_of: impl Fn(usize) -> &'a str) -> bool {
        let hash = xxhash_rust::xxh3::xxh3_64(id.as_bytes());
        match self.first.entry(hash) {
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(slot);
                false
            }
            // Two different ids with one 64-bit hash are too rare to index: look them up.
            std::collections::hash_map::Entry::Occupied(e) => {
                id_of(*e.get()) == id || (0..slot).any(|i| id_of(i) == id)
            }
        }
    }

    /// Appends `id` to `ids` (the ids of the documents kept so far) unless one of them is the
    /// same; the skip record of a repeated id.
    fn add(&mut self, ids: &mut Ids, id: &str) -> Option<Skipped> {
        if self.repeats(id, ids.len(), |i| ids.get(i)) {
            return Some(Skipped {
                path: id.to_string(),
                reason: "duplicate id: an earlier document has the same id".into(),
            });
        }
        ids.push(id);
        None
    }
}

/// What fingerprinting a set of inputs produced: the documents (with their texts while someone
/// still needs them), their fingerprints, and what was set aside.
pub(crate) struct Fingerprinted {
    /// The loaded documents, in id order.
    pub(crate) docs: Vec<Loaded>,
    /// Their ids.
    pub(crate) ids: Ids,
    /// The sites the documents refer to.
    pub(crate) sources: Sources,
    /// The normalized text of each document (empty unless texts were asked for).
    pub(crate) texts: Vec<String>,
    /// The kept text of each document (empty unless texts were asked for).
    pub(crate) kept_texts: Vec<String>,
    /// The text of each document as read (empty unless texts were asked for).
    pub(crate) raw: Vec<String>,
    /// The fingerprint of each document.
    pub(crate) fps: FingerprintTable,
    /// The translation sketch of each document (empty rows when translations are off).
    pub(crate) sketches: SketchTable,
    /// Inputs and documents that were not used, including those with nothing to fingerprint.
    pub(crate) skipped: Vec<Skipped>,
    /// What boilerplate detection left out.
    pub(crate) boilerplate: BoilerplateStats,
    /// The shingles left out of the fingerprints as too common.
    pub(crate) frequent: FrequentShingles,
}

/// Reads, normalizes, strips boilerplate and fingerprints every input.
pub(crate) fn fingerprint_inputs(
    config: &Config,
    inputs: Vec<Input>,
    skipped: Vec<Skipped>,
    progress: &dyn Progress,
    want_texts: bool,
) -> Fingerprinted {
    fingerprint_inputs_with(config, inputs, skipped, progress, want_texts, false, None)
}

/// [`fingerprint_inputs`], with anchors extracted even when the run's documents are all in one
/// language (`always_anchors`: a nightly run matched against an index holds other languages),
/// and with the frequent shingles `fixed` (an index's) instead of learned from the inputs.
pub(crate) fn fingerprint_inputs_with(
    config: &Config,
    inputs: Vec<Input>,
    skipped: Vec<Skipped>,
    progress: &dyn Progress,
    want_texts: bool,
    always_anchors: bool,
    fixed: Option<&FrequentShingles>,
) -> Fingerprinted {
    if !want_texts {
        return fingerprint_streaming(config, inputs, skipped, progress, always_anchors, fixed);
    }
    let (corpus, mut skipped) = load_with(config, inputs, skipped, progress, fixed, true);
    let (kept_texts, boilerplate) = strip_boilerplate(config, &corpus);

    progress.start(Stage::Fingerprint, corpus.docs.len() as u64);
    let mut fps = FingerprintTable::new(signature_width(config));
    for fp in fingerprint_all(config, &kept_texts, &corpus.frequent, progress) {
        fps.push((&fp).into());
    }
    let sketches = sketch_all(config, &corpus.raw, &kept_texts, always_anchors);
    progress.finish();
    for i in 0..fps.len() {
        if fps.get(i).shingles == 0 {
            skipped.push(Skipped {
                path: corpus.ids.get(i).to_string(),
                reason: "no words to fingerprint".into(),
            });
        }
    }
    Fingerprinted {
        docs: corpus.docs,
        ids: corpus.ids,
        sources: corpus.sources,
        texts: corpus.texts,
        kept_texts,
        raw: corpus.raw,
        fps,
        sketches,
        skipped,
        boilerplate,
        frequent: corpus.frequent,
    }
}

/// The lanes of a run's MinHash signatures: none under SimHash.
fn signature_width(config: &Config) -> usize {
    match config.method {
        Method::MinHash => config.num_perm,
        Method::SimHash => 0,
    }
}

/// The `active` documents of each named site.
pub(crate) fn source_counts(
    docs: &[Loaded],
    sources: &Sources,
    active: &[bool],
) -> BTreeMap<String, usize> {
    let mut by_number: BTreeMap<u32, usize> = BTreeMap::new();
    for (d, _) in docs.iter().zip(active).filter(|(_, a)| **a) {
        *by_number.entry(d.source).or_default() += 1;
    }
    by_number
        .into_iter()
        .map(|(n, count)| (sources.name(n).to_string(), count))
        .filter(|(name, _)| !name.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        let mut ids = Ids::default();
        for id in ["a/1", "", "ü/2", "a/1x"] {
            ids.push(id);
        }
        assert_eq!(ids.len(), 4);
        assert_eq!(
            (0..4).map(|i| ids.get(i)).collect::<Vec<_>>(),
            ["a/1", "", "ü/2", "a/1x"]
        );
        assert_eq!(ids.position("a/1x"), Some(3));
        assert_eq!(ids.position("b"), None);
    }

    #[test]
    fn repeated_ids_are_found_through_hash_collisions() {
        let docs = ["a", "b", "c"];
        let mut seen = SeenIds::default();
        assert!(!seen.repeats("a", 0, |i| docs[i]));
        assert!(!seen.repeats("b", 1, |i| docs[i]));
        assert!(seen.repeats("a", 2, |i| docs[i]));
        // Forge a collision: "c" hashes to the entry of "a", whose document is another id.
        let hash_c = xxhash_rust::xxh3::xxh3_64(b"c");
        seen.first.insert(hash_c, 0);
        assert!(!seen.repeats("c", 2, |i| docs[i]));
        assert!(seen.repeats("c", 3, |i| docs[i]));
        let mut sources = Sources::default();
        assert_eq!(
            ["x", "y", "x"].map(|s| sources.number(s)),
            [0, 1, 0],
            "one number a site"
        );
        assert_eq!(sources.name(1), "y");
    }
}
