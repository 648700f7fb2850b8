//! Runs the stages in order on a thread pool of the configured size and assembles the report.
//! Owns no algorithm of its own: only the order of stages and the hand-over of their data.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::anchor::{self, Extractor};
use crate::boilerplate::{self, BoilerplateStats, LineInfo};
use crate::cluster::MatchKind;
use crate::cluster::{self, Fingerprint, FingerprintRef, FingerprintTable, Fingerprints, Rule};
use crate::config::{Config, Method};
use crate::corpus::{self, Input, Skipped};
use crate::crosslang::{self, SketchTable};
use crate::error::{Error, Result};
use crate::frequent::{self, FrequentShingles};
use crate::index::assign::{self, Outcome, WorkCluster};
use crate::index::store::{StoredCluster, StoredDoc};
use crate::index::{self, Index};
use crate::lsh::{self, Banding, Signatures};
use crate::minhash::MinHasher;
use crate::normalize;
use crate::report::{
    self, ArticleOutcome, ClusterReport, IndexReport, MemberReport, MergeReport, Params, Report,
    RepresentativeChangeReport, Stats,
};
use crate::shingle::Shingler;
use crate::simhash::SimHasher;

/// The long-running stages that report progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading, decoding and normalizing inputs.
    Read,
    /// Shingling and MinHash.
    Fingerprint,
    /// Candidate search, verification and grouping.
    Cluster,
}

/// Receives progress; the binary draws bars with it, the library never does. Calls may come
/// from several threads at once.
pub trait Progress: Sync {
    /// A stage begins with `total` units of work.
    fn start(&self, stage: Stage, total: u64);
    /// `n` more units of the current stage are done.
    fn advance(&self, n: u64);
    /// The current stage is over.
    fn finish(&self);
}

/// Progress that goes nowhere.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _: Stage, _: u64) {}
    fn advance(&self, _: u64) {}
    fn finish(&self) {}
}

/// The smallest size ratio (shorter / longer, in shingles) at which a contained document must
/// still be found; it sets the Jaccard level of the containment index.
const CONTAINMENT_MIN_SIZE_RATIO: f64 = 0.25;

/// The Jaccard similarity of a document that is `containment`-contained in one `1/ratio` times
/// its size: J = c·ρ / (1 + ρ − c·ρ). Candidates for containment are searched at this level.
pub fn containment_search_threshold(containment: f64) -> f64 {
    let cr = containment * CONTAINMENT_MIN_SIZE_RATIO;
    cr / (1.0 + CONTAINMENT_MIN_SIZE_RATIO - cr)
}

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

/// What [`load`] read: the documents, their normalized texts and their sites.
pub(crate) struct LoadedCorpus {
    /// The documents, in id order.
    pub(crate) docs: Vec<Loaded>,
    /// Their ids.
    pub(crate) ids: Ids,
    /// The normalized text of each document.
    pub(crate) texts: Vec<String>,
    /// The text of each document as read, when translations are on (their capitals tell
    /// names); empty otherwise.
    pub(crate) raw: Vec<String>,
    /// The sites the documents refer to.
    pub(crate) sources: Sources,
    /// The shingles too common to fingerprint, learned from a sample of the documents.
    pub(crate) frequent: FrequentShingles,
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

/// The text of one clustered document as fingerprinted, and what was left out of it, both as
/// normalized and as published.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocText {
    /// The lines that were fingerprinted (boilerplate removed), joined by newlines.
    pub kept: String,
    /// The lines left out of the fingerprint as boilerplate, in order.
    pub boilerplate: Vec<String>,
    /// The kept text and the boilerplate in the document's own words (case, punctuation), see
    /// [`crate::published`].
    pub published: crate::published::Published,
}

/// Texts of the members of clusters, by document id (documents in no cluster are absent).
pub type Texts = BTreeMap<String, DocText>;

/// Runs a whole dedup job: reads `config.paths`, fingerprints, clusters and returns the report.
pub fn dedup(config: &Config, progress: &dyn Progress) -> Result<Report> {
    in_pool(config, |found| {
        run(config, found.inputs, found.skipped, progress, false).0
    })
}

/// Like [`dedup`] (the report is the same), and also returns the kept text and removed
/// boilerplate of every clustered document, for reports that show the text.
pub fn dedup_with_texts(config: &Config, progress: &dyn Progress) -> Result<(Report, Texts)> {
    in_pool(config, |found| {
        run(config, found.inputs, found.skipped, progress, true)
    })
}

/// Runs a whole dedup job on `inputs` (for instance [`corpus::Input::memory_jsonl`]: documents a
/// program holds) instead of walking `config.paths`; the report is the one [`dedup`] gives for
/// the same documents read from files.
pub fn dedup_inputs(
    config: &Config,
    inputs: Vec<Input>,
    progress: &dyn Progress,
) -> Result<Report> {
    config.validate_settings()?;
    let found = corpus::Discovery {
        inputs,
        skipped: Vec::new(),
    };
    on_pool(config, found, |found| {
        run(config, found.inputs, found.skipped, progress, false).0
    })
}

/// Validates the configuration, walks the inputs and runs `f` on a pool of `config.threads`.
pub(crate) fn in_pool<T: Send>(
    config: &Config,
    f: impl FnOnce(corpus::Discovery) -> T + Send,
) -> Result<T> {
    config.validate()?;
    let found = corpus::discover(config)?;
    on_pool(config, found, f)
}

/// Runs `f` on the inputs `found`, on a pool of `config.threads`.
fn on_pool<T: Send>(
    config: &Config,
    found: corpus::Discovery,
    f: impl FnOnce(corpus::Discovery) -> T + Send,
) -> Result<T> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.threads)
        .build()
        .map_err(|e| Error::InvalidConfig {
            name: "--threads",
            message: e.to_string(),
        })?;
    Ok(pool.install(|| f(found)))
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

/// The lanes of a run's MinHash signatures: none under SimHash.
fn signature_width(config: &Config) -> usize {
    match config.method {
        Method::MinHash => config.num_perm,
        Method::SimHash => 0,
    }
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
fn match_pairs_of<F: Fingerprints + Signatures + ?Sized>(
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

fn run(
    config: &Config,
    inputs: Vec<Input>,
    skipped: Vec<Skipped>,
    progress: &dyn Progress,
    want_texts: bool,
) -> (Report, Texts) {
    let Fingerprinted {
        docs,
        sources,
        ids,
        texts: full_texts,
        mut kept_texts,
        raw,
        fps,
        mut sketches,
        skipped,
        boilerplate,
        frequent,
        ..
    } = fingerprint_inputs(config, inputs, skipped, progress, want_texts);

    progress.start(Stage::Cluster, 3);
    let active: Vec<bool> = (0..fps.len()).map(|i| fps.get(i).shingles > 0).collect();
    // A corpus in one language has no translation to find: its anchors go before the
    // same-language search, which is the run's largest.
    if sketches.languages() < 2 {
        sketches.drop_anchors();
    }
    let matched = match_pairs(config, &fps, &active, 0);
    progress.advance(2);
    let clusters = cluster::cluster(&fps, &matched.edges, rule(config));
    // One count of the anchors serves the search and the measures of the joined members.
    let chars: Vec<u32> = (0..fps.len()).map(|i| fps.get(i).length).collect();
    let counts = crosslang::AnchorCounts::new(&sketches, &active, &chars);
    let (translation_edges, translation_candidates) =
        crosslang::verified_edges(&sketches, &fps, &active, &counts);
    let clusters = crosslang::join(
        clusters,
        &translation_edges,
        &sketches,
        &counts,
        &fps,
        fps.len(),
    );
    // The clusters carry their measures: the report needs no fingerprint.
    drop(fps);
    progress.advance(1);
    progress.finish();

    let mut texts = Texts::new();
    if want_texts {
        let members: Vec<usize> = clusters
            .iter()
            .flat_map(|c| &c.members)
            .map(|m| m.doc)
            .collect();
        let published: Vec<crate::published::Published> = members
            .par_iter()
            .map(|&d| crate::published::of(&raw[d], &kept_texts[d]))
            .collect();
        for (d, published) in members.into_iter().zip(published) {
            let kept = std::mem::take(&mut kept_texts[d]);
            let boilerplate = removed_lines(&full_texts[d], &kept);
            let text = DocText {
                kept,
                boilerplate,
                published,
            };
            texts.insert(ids.get(d).to_string(), text);
        }
    }

    let report = build_report(
        config,
        clusters,
        skipped,
        &active,
        RunCounts {
            documents: active.iter().filter(|a| **a).count(),
            repaired: docs.iter().filter(|n| n.repaired).count(),
            candidate_pairs: matched.candidate_pairs,
            verified_pairs: matched.edges.len(),
            translation_candidates,
            translation_pairs: translation_edges.len(),
            frequent_shingle_buckets: frequent.len(),
            boilerplate,
            sources: source_counts(&docs, &sources, &active),
        },
        &|i| DocInfo {
            id: ids.get(i).to_string(),
            lang: sketches_lang(config, &sketches, i),
            source: sources.name(docs[i].source).to_string(),
            date: docs[i].date,
        },
    );
    (report, texts)
}

/// Lines of `full` that are not in `kept` (which is `full` minus some lines), in order.
pub(crate) fn removed_lines(full: &str, kept: &str) -> Vec<String> {
    let mut kept_lines = kept.lines().peekable();
    let mut out = Vec::new();
    for line in full.lines() {
        if kept_lines.peek() == Some(&line) {
            kept_lines.next();
        } else {
            out.push(line.to_string());
        }
    }
    out
}

/// Reads and normalizes every input in parallel, keeping file order, and sets aside what
/// cannot be used (including later documents that repeat an id).
pub(crate) fn load(
    config: &Config,
    inputs: Vec<Input>,
    skipped: Vec<Skipped>,
    progress: &dyn Progress,
) -> (LoadedCorpus, Vec<Skipped>) {
    load_with(config, inputs, skipped, progress, None, config.translations)
}

/// [`load`], with the frequent shingles `fixed` (an index's) instead of learned, and the texts
/// as read kept when `keep_raw` (translations need them; so does a report that shows them).
fn load_with(
    config: &Config,
    inputs: Vec<Input>,
    mut skipped: Vec<Skipped>,
    progress: &dyn Progress,
    fixed: Option<&FrequentShingles>,
    keep_raw: bool,
) -> (LoadedCorpus, Vec<Skipped>) {
    progress.start(Stage::Read, inputs.len() as u64);
    let counter = frequent_counter(config, fixed.is_none());
    let read: Vec<Vec<std::result::Result<(corpus::Doc, String), Skipped>>> = inputs
        .par_iter()
        .map(|input| {
            let (mut shingler, mut buf) = (Shingler::default(), Vec::new());
            let docs = corpus::read(input, config)
                .into_iter()
                .map(|res| {
                    res.and_then(|doc| {
                        let text = normalize::normalize(&doc.text);
                        if text.is_empty() {
                            Err(Skipped {
                                path: doc.id.0,
                                reason: "no text left after normalization".into(),
                            })
                        } else {
                            count_if_sampled(
                                counter.as_ref(),
                                config,
                                &mut shingler,
                                &mut buf,
                                &doc.id.0,
                                &text,
                            );
                            // The text as read tells names by their capitals; only
                            // translations and a report showing the text need it.
                            let raw = if keep_raw { doc.text } else { String::new() };
                            Ok((corpus::Doc { text: raw, ..doc }, text))
                        }
                    })
                })
                .collect();
            progress.advance(1);
            docs
        })
        .collect();
    progress.finish();
    drop(inputs);

    let mut corpus = LoadedCorpus {
        docs: Vec::with_capacity(read.len()),
        ids: Ids::default(),
        texts: Vec::with_capacity(read.len()),
        raw: Vec::new(),
        sources: Sources::default(),
        frequent: frequent_set(config, counter, fixed),
    };
    let mut ids = SeenIds::default();
    for res in read.into_iter().flatten() {
        match res {
            Ok((doc, text)) => match ids.add(&mut corpus.ids, &doc.id.0) {
                Some(skip) => skipped.push(skip),
                None => {
                    corpus.docs.push(Loaded {
                        source: corpus.sources.number(&doc.source),
                        repaired: doc.repaired,
                        date: doc.date,
                        lang: None,
                    });
                    corpus.texts.push(text);
                    if keep_raw {
                        corpus.raw.push(doc.text);
                    }
                }
            },
            Err(skip) => skipped.push(skip),
        }
    }

    (corpus, skipped)
}

/// The fingerprint of each kept text, in order.
pub(crate) fn fingerprint_all(
    config: &Config,
    kept_texts: &[String],
    frequent: &FrequentShingles,
    progress: &dyn Progress,
) -> Vec<Fingerprint> {
    let hashers = Hashers::new(config, frequent);
    kept_texts
        .par_iter()
        .map_init(
            || (Shingler::default(), ShingleBufs::default()),
            |(shingler, bufs), text| {
                progress.advance(1);
                fingerprint_text(config, &hashers, shingler, bufs, text)
            },
        )
        .collect()
}

/// Share of a run's documents a language needs for the run to count as being in it (and at
/// least one document). A handful of pages in another language among many thousands are nearly
/// always pages whose kept text is mostly a footer, a quotation or noise in that language (4 to
/// 6 of the 100,000 generated English articles of the speed benchmark, depending on the
/// sample), and counting them would cost every other document its anchors (80 % more time on
/// that corpus). The price: a run of 100,000 pages searches no translation into a language
/// that fewer than 10 of them are in (a run with `--index` always searches, see
/// [`fingerprint_inputs_with`]).
const LANGUAGE_MIN_SHARE: f64 = 0.0001;

/// Whether the documents' languages (numbers, `None` when not told) are two or more, each of
/// [`LANGUAGE_MIN_SHARE`] of them or more: only then is a translation searched for, and only
/// then are anchors extracted.
pub fn multilingual(langs: impl IntoIterator<Item = Option<u8>>) -> bool {
    let mut counts = [0usize; 256];
    let mut total = 0usize;
    for lang in langs {
        total += 1;
        if let Some(l) = lang {
            counts[l as usize] += 1;
        }
    }
    multilingual_counts(&counts, total)
}

/// [`multilingual`] from the documents of each language (by language number) and the number
/// of documents in all, those of no told language included: what the parts of a distributed
/// run add up.
pub fn multilingual_counts(counts: &[usize], total: usize) -> bool {
    let floor = ((LANGUAGE_MIN_SHARE * total as f64).ceil() as usize).max(1);
    counts.iter().filter(|&&n| n >= floor).count() >= 2
}

/// The translation sketch of each document from its text as read (`raw`) and its kept text, in
/// order: with anchors when the kept texts are in two or more languages or `always_anchors`,
/// else languages only; empty rows when translations are off.
pub(crate) fn sketch_all(
    config: &Config,
    raw: &[String],
    kept_texts: &[String],
    always_anchors: bool,
) -> SketchTable {
    let mut table = SketchTable::with_rows(0);
    if !config.translations {
        return SketchTable::with_rows(kept_texts.len());
    }
    let langs: Vec<Option<u8>> = kept_texts
        .par_iter()
        .map(|kept| crate::lang::detect(kept).map(crate::lang::Lang::number))
        .collect();
    let anchors = always_anchors || multilingual(langs.iter().copied());
    let sketches: Vec<anchor::Sketch> = raw
        .par_iter()
        .zip(kept_texts)
        .zip(&langs)
        .map_init(Extractor::default, |extractor, ((raw, kept), &lang)| {
            sketch_text(config, extractor, raw, kept, lang, anchors)
        })
        .collect();
    for s in &sketches {
        table.push(s);
    }
    table
}

/// The hash functions of a run's fingerprinting method, and the shingles they leave out.
struct Hashers<'a> {
    minhash: MinHasher,
    simhash: SimHasher,
    frequent: &'a FrequentShingles,
}

impl<'a> Hashers<'a> {
    fn new(config: &Config, frequent: &'a FrequentShingles) -> Self {
        Hashers {
            minhash: MinHasher::new(config.num_perm, config.seed),
            simhash: SimHasher::new(config.seed),
            frequent,
        }
    }
}

/// Per-thread buffers of shingle hashes.
#[derive(Default)]
struct ShingleBufs {
    set: Vec<u64>,
    scratch: Vec<u64>,
}

/// The fingerprint of one kept text; `shingler` and `bufs` are per-thread scratch space.
fn fingerprint_text(
    config: &Config,
    hashers: &Hashers,
    shingler: &mut Shingler,
    bufs: &mut ShingleBufs,
    text: &str,
) -> Fingerprint {
    let ShingleBufs { set, scratch } = bufs;
    shingler.shingles(text, config.shingle, config.seed, set);
    hashers.frequent.retain_informative(set, scratch);
    let (signature, simhash) = match config.method {
        Method::MinHash => (hashers.minhash.signature(set), None),
        Method::SimHash => (Vec::new(), Some(hashers.simhash.fingerprint(set))),
    };
    Fingerprint {
        signature: signature.into_boxed_slice(),
        simhash,
        // A count past 32 bits would take a text of gigabytes: it saturates.
        shingles: u32::try_from(set.len()).unwrap_or(u32::MAX),
        length: u32::try_from(text.chars().count()).unwrap_or(u32::MAX),
        numbers: crate::shingle::number_sketch(text, config.seed)
            .0
            .into_boxed_slice(),
    }
}

/// Documents of one input handled as one parallel batch: enough to keep every core busy on a
/// single large JSON Lines or WARC file, few enough that a batch's texts stay a few megabytes.
const BATCH_DOCS: usize = 1024;

/// Inputs at least this large (and standard input) are read on a thread of their own, ahead of
/// the pool: they hold many documents (JSON Lines, WARC) or one huge one.
const LARGE_INPUT_BYTES: u64 = 1 << 20;

/// Reads `inputs` (in parallel across inputs, and in batches of [`BATCH_DOCS`] within one) and
/// maps each decoded document with `f(scratch, (input, position in it), doc)`. The results of
/// an input are handed, in file order (skips in place), to `keep(acc, result)` on an
/// accumulator `start()` made for that input; returns the accumulators. No input's texts
/// outlive their batch, and a result need not outlive its batch either: `keep` may store
/// what it needs in a compact form.
fn map_inputs<R, S, A, I, F, K>(
    config: &Config,
    inputs: &[(usize, &Input)],
    progress: &dyn Progress,
    init: I,
    f: F,
    start: impl Fn() -> A + Sync + Send,
    keep: K,
) -> Vec<A>
where
    R: Send,
    A: Send,
    I: Fn() -> S + Sync + Send,
    F: Fn(&mut S, (usize, usize), corpus::Doc) -> std::result::Result<R, Skipped> + Sync + Send,
    K: Fn(&mut A, std::result::Result<R, Skipped>) + Sync + Send,
{
    let fields = corpus::jsonl::Fields::from_config(config);
    inputs
        .par_iter()
        .map(|&(which, input)| {
            let mut results = start();
            let file_date = corpus::FileDate::new(input);
            // Works on a batch and gives it back emptied, for the reader to fill again: a
            // batch's buffer is megabytes, and allocations that size, freed and made again,
            // leave the allocator holding more and more memory.
            let mut run = |mut batch: Batch| -> Batch {
                let Batch { json, items } = &mut batch;
                let done: Vec<std::result::Result<R, Skipped>> = items
                    .par_drain(..)
                    .map_init(&init, |scratch, (at, item)| {
                        let res = match item {
                            Pending::Doc(res) => res,
                            Pending::Record {
                                position,
                                json: range,
                            } => corpus::record(input, &fields, &file_date, position, &json[range]),
                        };
                        res.and_then(|doc| f(scratch, (which, at), doc))
                    })
                    .collect();
                for res in done {
                    keep(&mut results, res);
                }
                json.clear();
                batch
            };
            let large = input.is_stdin()
                || match &input.memory {
                    Some(bytes) => bytes.len() as u64 >= LARGE_INPUT_BYTES,
                    None => {
                        std::fs::metadata(&input.path).is_ok_and(|m| m.len() >= LARGE_INPUT_BYTES)
                    }
                };
            // With one worker the reading stays on it: `--threads 1` means one busy thread.
            if large && rayon::current_num_threads() > 1 {
                // A thread of its own reads the next batch while the pool parses and works on
                // this one: reading a big file is sequential, the rest is not.
                std::thread::scope(|scope| {
                    let (tx, rx) = std::sync::mpsc::sync_channel::<Batch>(2);
                    let (back_tx, back_rx) = std::sync::mpsc::channel::<Batch>();
                    let file_date = &file_date;
                    scope.spawn(move || {
                        read_batches(input, config, file_date, &mut |full| {
                            // Fails only when the consumer is gone; nothing to do then.
                            let _ = tx.send(full);
                            back_rx.try_recv().unwrap_or_default()
                        })
                    });
                    for batch in rx {
                        // The reader may be done and gone: then the batch is simply dropped.
                        let _ = back_tx.send(run(batch));
                    }
                });
            } else {
                read_batches(input, config, &file_date, &mut run);
            }
            progress.advance(1);
            results
        })
        .collect()
}

/// Documents of one input, as read, with their positions in it: at most [`BATCH_DOCS`] of
/// them, with JSON records of about [`BATCH_JSON_BYTES`] at most.
#[derive(Default)]
struct Batch {
    /// The bytes of the batch's JSON records, end to end: one buffer a batch, filled by the
    /// reading thread, where a string a record would be an allocation each, made on the
    /// reading thread and freed on another.
    json: Vec<u8>,
    items: Vec<(usize, Pending)>,
}

/// A document of a [`Batch`]: decoded, or a JSON record to parse (its bytes in the batch).
enum Pending {
    Doc(std::result::Result<corpus::Doc, Skipped>),
    Record {
        position: corpus::jsonl::Position,
        json: std::ops::Range<usize>,
    },
}

/// A batch is handed over once its JSON records reach this many bytes, even short of
/// [`BATCH_DOCS`] documents: records can be large.
const BATCH_JSON_BYTES: usize = 8 << 20;

/// Reads `input` and hands its documents to `on_batch` in batches (see [`Batch`]), the last one
/// possibly shorter (or empty); `on_batch` gives back an empty batch to fill next. JSON records
/// are handed over unparsed, for the pool to parse.
fn read_batches(
    input: &Input,
    config: &Config,
    file_date: &corpus::FileDate<'_>,
    on_batch: &mut dyn FnMut(Batch) -> Batch,
) {
    let mut filling = Batch::default();
    let mut at = 0;
    corpus::read_each_unparsed(input, config, file_date, &mut |item| {
        let pending = match item {
            corpus::Item::Doc(res) => Pending::Doc(res),
            corpus::Item::Record { at: position, json } => {
                let start = filling.json.len();
                filling.json.extend_from_slice(json);
                Pending::Record {
                    position,
                    json: start..filling.json.len(),
                }
            }
        };
        filling.items.push((at, pending));
        at += 1;
        if filling.items.len() >= BATCH_DOCS || filling.json.len() >= BATCH_JSON_BYTES {
            let full = std::mem::take(&mut filling);
            filling = on_batch(full);
        }
    });
    on_batch(filling);
}

/// What the first pass keeps of a document: the record the run keeps, and where its line shapes
/// are for boilerplate detection. No text: a document from standard input, which cannot be read
/// twice, has its text in [`FirstPass::texts`].
struct Seen {
    doc: Loaded,
    lines: Span,
}

/// Where a document's line shapes are: in the list of input `input`, `len` of them from
/// `start`. Held for every document until boilerplate is learned, so it is packed in 16 bytes.
#[derive(Clone, Copy)]
struct Span {
    start: u64,
    input: u32,
    len: u32,
}

/// What the first pass keeps of one input: its documents in file order (skips in place) and
/// the line shapes of all of them in one list. Line shapes are most of the first pass's
/// memory; in one list a document's cost no allocation of its own, and the list goes back to
/// the system whole when boilerplate is learned, leaving no holes for the second pass.
#[derive(Default)]
struct FirstPass {
    docs: Vec<std::result::Result<Seen, Skipped>>,
    /// The ids of the documents read (not of those skipped), in order.
    ids: Ids,
    lines: Vec<LineInfo>,
    /// The language vote of each line of `lines` (when translations are on and boilerplate is
    /// learned), for the language of a document's kept lines.
    votes: Vec<crate::lang::Vote>,
    /// The texts of the documents read, in order, when the input is standard input.
    texts: Vec<String>,
}

/// No slot: the document is not fingerprinted (skipped, or its id repeats an earlier one's).
const NO_SLOT: u32 = u32::MAX;

/// The boilerplate masks of all documents as one list of bits, a document's bits after those
/// of the documents before it. Held through the whole second pass: as lists of `bool`s they
/// would take a quarter of what the fingerprints do.
struct Masks {
    bits: Vec<u64>,
    /// Where each document's bits end (they start where the previous document's end).
    ends: Vec<usize>,
}

impl Masks {
    fn new(masks: Vec<Vec<bool>>) -> Masks {
        let total: usize = masks.iter().map(Vec::len).sum();
        let mut bits = vec![0u64; total.div_ceil(64)];
        let mut ends = Vec::with_capacity(masks.len());
        let mut at = 0;
        for mask in masks {
            for keep in mask {
                bits[at / 64] |= u64::from(keep) << (at % 64);
                at += 1;
            }
            ends.push(at);
        }
        Masks { bits, ends }
    }

    /// Writes document `slot`'s mask into `out`; false when there is none (boilerplate is
    /// kept).
    fn get(&self, slot: usize, out: &mut Vec<bool>) -> bool {
        if slot >= self.ends.len() {
            return false;
        }
        out.clear();
        out.extend(span(&self.ends, slot).map(|i| self.bits[i / 64] >> (i % 64) & 1 == 1));
        true
    }
}

/// Reads, normalizes, strips boilerplate and fingerprints every input in two passes without
/// holding the corpus: the first learns boilerplate from line hashes, the second reads each
/// input again and fingerprints it. Gives what [`fingerprint_inputs`] gives without texts: both
/// normalize the same bytes and apply the same masks (a test compares the two).
fn fingerprint_streaming(
    config: &Config,
    inputs: Vec<Input>,
    mut skipped: Vec<Skipped>,
    progress: &dyn Progress,
    always_anchors: bool,
    fixed: Option<&FrequentShingles>,
) -> Fingerprinted {
    let all: Vec<(usize, &Input)> = inputs.iter().enumerate().collect();
    let counter = frequent_counter(config, fixed.is_none());
    // Site names are numbered as documents are read, so that no document holds a copy of one.
    let sources = std::sync::Mutex::new(Sources::default());
    progress.start(Stage::Read, inputs.len() as u64);
    let first = map_inputs(
        config,
        &all,
        progress,
        || (Shingler::default(), Vec::new()),
        |(shingler, buf), (which, _), doc| {
            let text = normalize::normalize(&doc.text);
            if text.is_empty() {
                return Err(Skipped {
                    path: doc.id.0,
                    reason: "no text left after normalization".into(),
                });
            }
            count_if_sampled(counter.as_ref(), config, shingler, buf, &doc.id.0, &text);
            let lines = if config.keep_boilerplate {
                Vec::new()
            } else {
                boilerplate::line_infos(&text)
            };
            let votes: Vec<crate::lang::Vote> = if config.translations {
                normalize::lines(&text).map(crate::lang::vote).collect()
            } else {
                Vec::new()
            };
            // Without boilerplate removal every line is kept: the language is told now.
            let lang = if config.keep_boilerplate {
                crate::lang::from_votes(votes.iter().copied()).map(crate::lang::Lang::number)
            } else {
                None
            };
            // A panic elsewhere cannot leave the table half-updated: `number` pushes last.
            let source = sources
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .number(&doc.source);
            let seen = Seen {
                doc: Loaded {
                    source,
                    repaired: doc.repaired,
                    date: doc.date,
                    lang,
                },
                lines: Span {
                    start: 0,
                    // Inputs are numbered by u32 as documents are.
                    input: which as u32,
                    len: u32::try_from(lines.len()).unwrap_or(u32::MAX),
                },
            };
            // Standard input cannot be read twice: its text is kept as read, for the second
            // pass to normalize again (the translation sketch reads capitals from it).
            let text = inputs[which].is_stdin().then_some(doc.text);
            let votes = if config.keep_boilerplate {
                Vec::new()
            } else {
                votes
            };
            Ok((seen, (lines, votes), doc.id.0, text))
        },
        FirstPass::default,
        |pass, res| {
            pass.docs
                .push(res.map(|(mut seen, (lines, votes), id, text)| {
                    pass.ids.push(&id);
                    seen.lines.start = pass.lines.len() as u64;
                    pass.lines
                        .extend_from_slice(&lines[..seen.lines.len as usize]);
                    if !votes.is_empty() {
                        pass.votes
                            .extend_from_slice(&votes[..seen.lines.len as usize]);
                    }
                    pass.texts.extend(text);
                    seen
                }))
        },
    );
    progress.finish();
    let sources = sources
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let mut lines = Vec::with_capacity(first.len());
    let mut votes = Vec::with_capacity(first.len());

    // Slots in id order, the first document of an id winning, as in `load`. The documents'
    // records and their line spans are kept apart: the spans go once boilerplate is learned.
    let documents = first.iter().map(|p| p.docs.len()).sum();
    let mut docs: Vec<Loaded> = Vec::with_capacity(documents);
    let mut spans: Vec<Span> = Vec::with_capacity(documents);
    let mut ids = Ids::default();
    // By input, the slot of each document read from it, in file order.
    let mut plan: Vec<Vec<u32>> = Vec::with_capacity(first.len());
    let mut stdin_texts: Vec<(usize, String)> = Vec::new();
    let mut repeated = SeenIds::default();
    for pass in first {
        lines.push(pass.lines);
        votes.push(pass.votes);
        let mut slots = Vec::with_capacity(pass.docs.len());
        let mut texts = pass.texts.into_iter();
        let mut read = 0;
        for res in pass.docs {
            match res {
                Ok(seen) => {
                    let id = pass.ids.get(read);
                    read += 1;
                    let text = texts.next();
                    match repeated.add(&mut ids, id) {
                        Some(skip) => {
                            skipped.push(skip);
                            slots.push(NO_SLOT);
                        }
                        None => {
                            // Documents are numbered by u32 throughout.
                            slots.push(docs.len() as u32);
                            if let Some(text) = text {
                                stdin_texts.push((docs.len(), text));
                            }
                            docs.push(seen.doc);
                            spans.push(seen.lines);
                        }
                    }
                }
                Err(skip) => {
                    skipped.push(skip);
                    slots.push(NO_SLOT);
                }
            }
        }
        plan.push(slots);
    }
    drop(repeated);

    let (masks, boilerplate) = if config.keep_boilerplate {
        (Vec::new(), BoilerplateStats::default())
    } else {
        let view: Vec<(&str, &[LineInfo])> = docs
            .iter()
            .zip(&spans)
            .map(|(d, s)| {
                let start = s.start as usize;
                let lines = &lines[s.input as usize][start..start + s.len as usize];
                (sources.name(d.source), lines)
            })
            .collect();
        boilerplate::detect(&view)
    };
    // The language of each document's kept lines, from the votes its lines cast in the first
    // pass: what the second pass would read from its kept text.
    if config.translations && !config.keep_boilerplate {
        for ((doc, span), mask) in docs.iter_mut().zip(&spans).zip(&masks) {
            let start = span.start as usize;
            let cast = votes[span.input as usize].get(start..start + span.len as usize);
            doc.lang = cast.and_then(|cast| {
                let kept = cast.iter().zip(mask).filter(|(_, &k)| k).map(|(v, _)| *v);
                crate::lang::from_votes(kept).map(crate::lang::Lang::number)
            });
        }
    }
    drop(votes);
    let anchors = always_anchors || multilingual(docs.iter().map(|d| d.lang));
    drop(lines);
    drop(spans);
    let masks = Masks::new(masks);

    // The kept lines of a document's text, or None when the text no longer fits its mask
    // (the file changed between the two passes); `mask` is scratch space.
    let kept = |text: &str, slot: usize, mask: &mut Vec<bool>| -> Option<String> {
        if !masks.get(slot, mask) {
            return Some(text.to_string());
        }
        (normalize::line_count(text) == mask.len()).then(|| boilerplate::kept_text(text, mask))
    };
    let frequent = frequent_set(config, counter, fixed);
    let hashers = Hashers::new(config, &frequent);
    let files: Vec<(usize, &Input)> = all.iter().copied().filter(|(_, i)| !i.is_stdin()).collect();
    // Each fingerprint goes to its row as its batch is done: no input's list of them is held.
    // A row is marked when written; a document read only once has none.
    let fps = std::sync::Mutex::new((
        FingerprintTable::with_rows(docs.len(), signature_width(config)),
        vec![false; docs.len()],
        SketchTable::with_rows(docs.len()),
    ));
    progress.start(Stage::Fingerprint, inputs.len() as u64);
    map_inputs(
        config,
        &files,
        progress,
        || {
            (
                Shingler::default(),
                ShingleBufs::default(),
                Vec::new(),
                Extractor::default(),
            )
        },
        |(shingler, bufs, mask, extractor), (which, at), doc| {
            let slot = match plan[which].get(at) {
                Some(&slot) if slot != NO_SLOT => slot as usize,
                _ => return Ok(None),
            };
            let text = normalize::normalize(&doc.text);
            Ok(kept(&text, slot, mask).map(|k| {
                let fp = fingerprint_text(config, &hashers, shingler, bufs, &k);
                (
                    slot,
                    fp,
                    sketch_text(config, extractor, &doc.text, &k, docs[slot].lang, anchors),
                )
            }))
        },
        || (),
        |_, res| {
            // A document that cannot be read again keeps no fingerprint: it is reported as
            // changed below.
            if let Ok(Some((slot, fp, sketch))) = res {
                let mut fps = fps.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                fps.0.set(slot, (&fp).into());
                fps.1[slot] = true;
                fps.2.set(slot, &sketch);
            }
        },
    );
    let (mut fps, mut written, mut sketches) = fps
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let (mut shingler, mut bufs, mut mask) =
        (Shingler::default(), ShingleBufs::default(), Vec::new());
    let mut extractor = Extractor::default();
    for (slot, raw) in stdin_texts {
        let text = normalize::normalize(&raw);
        if let Some(k) = kept(&text, slot, &mut mask) {
            let fp = fingerprint_text(config, &hashers, &mut shingler, &mut bufs, &k);
            fps.set(slot, (&fp).into());
            written[slot] = true;
            sketches.set(
                slot,
                &sketch_text(config, &mut extractor, &raw, &k, docs[slot].lang, anchors),
            );
        }
    }
    progress.finish();
    drop(masks);
    drop(plan);

    // The documents and their fingerprints are the run's largest tables: they are narrowed
    // where they lie rather than copied.
    for (i, &read_twice) in written.iter().enumerate() {
        if !read_twice {
            skipped.push(Skipped {
                path: ids.get(i).to_string(),
                reason: "changed or vanished between the two reads of the run".into(),
            });
        } else if fps.get(i).shingles == 0 {
            skipped.push(Skipped {
                path: ids.get(i).to_string(),
                reason: "no words to fingerprint".into(),
            });
        }
    }
    if written.iter().any(|w| !w) {
        let mut kept = Ids::default();
        for (i, _) in written.iter().enumerate().filter(|(_, w)| **w) {
            kept.push(ids.get(i));
        }
        ids = kept;
        fps.retain(&written);
        sketches.retain(&written);
    }
    let mut read_twice = written.iter().copied();
    docs.retain(|_| read_twice.next().unwrap_or(false));
    drop(written);
    Fingerprinted {
        docs,
        ids,
        sources,
        texts: Vec::new(),
        kept_texts: Vec::new(),
        raw: Vec::new(),
        fps,
        sketches,
        skipped,
        boilerplate,
        frequent,
    }
}

/// What the per-document stages make of one document (see [`fingerprint_documents`]).
#[derive(Debug, Clone)]
pub struct DocumentFingerprint {
    /// Its fingerprint.
    pub fingerprint: Fingerprint,
    /// Its translation sketch (its language, and anchors when asked for).
    pub sketch: anchor::Sketch,
    /// What boilerplate detection left out of it.
    pub boilerplate: BoilerplateStats,
}

/// The line statistics of some documents' normalized texts, each with its source, for
/// boilerplate ([`boilerplate::LineCounts`]: add up those of every part of a corpus). Empty
/// when boilerplate is kept.
pub fn line_counts(config: &Config, docs: &[(&str, &str)]) -> boilerplate::LineCounts {
    if config.keep_boilerplate {
        return boilerplate::LineCounts::default();
    }
    let infos: Vec<Vec<LineInfo>> = docs
        .par_iter()
        .map(|(_, text)| boilerplate::line_infos(text))
        .collect();
    boilerplate::LineCounts::count(
        docs.iter()
            .zip(&infos)
            .map(|((s, _), l)| (*s, l.as_slice())),
    )
}

/// The shingle counts of the sampled documents among some `(id, normalized text)` pairs, as
/// a run counts them to learn its frequent shingles (add up those of every part with
/// [`frequent::Counter::from_parts`]).
pub fn shingle_counts(config: &Config, docs: &[(&str, &str)]) -> frequent::Counter {
    let counter = frequent::Counter::new();
    docs.par_iter().for_each_init(
        || (Shingler::default(), Vec::new()),
        |(shingler, buf), (id, text)| {
            count_if_sampled(Some(&counter), config, shingler, buf, id, text);
        },
    );
    counter
}

/// Each document `(source, text as read, normalized text)` through the per-document stages as
/// a run takes it: boilerplate decided from the corpus's `lines`, the kept text fingerprinted
/// without the `frequent` shingles, its language told from its kept lines and, with
/// `anchors`, its translation anchors extracted. The fingerprints are those a whole run
/// makes when the counts are the whole corpus's (a test holds them to it). In parallel, in
/// order.
pub fn fingerprint_documents(
    config: &Config,
    lines: &boilerplate::LineCounts,
    frequent: &FrequentShingles,
    docs: &[(&str, &str, &str)],
    anchors: bool,
) -> Vec<DocumentFingerprint> {
    let hashers = Hashers::new(config, frequent);
    docs.par_iter()
        .map_init(
            || {
                (
                    Shingler::default(),
                    ShingleBufs::default(),
                    Extractor::default(),
                )
            },
            |(shingler, bufs, extractor), &(source, raw, text)| {
                let (mask, boilerplate) = decide_lines(config, lines, source, text);
                let lang = lang_of(config, text, mask.as_deref());
                let kept = match &mask {
                    Some(mask) => boilerplate::kept_text(text, mask),
                    None => text.to_string(),
                };
                DocumentFingerprint {
                    fingerprint: fingerprint_text(config, &hashers, shingler, bufs, &kept),
                    sketch: sketch_text(config, extractor, raw, &kept, lang, anchors),
                    boilerplate,
                }
            },
        )
        .collect()
}

/// The language of each document `(source, normalized text)`'s kept lines, as
/// [`fingerprint_documents`] tells it (a language number; none when not told or translations
/// are off): what decides, over the whole corpus, whether anchors are extracted
/// ([`multilingual`]).
pub fn document_languages(
    config: &Config,
    lines: &boilerplate::LineCounts,
    docs: &[(&str, &str)],
) -> Vec<Option<u8>> {
    docs.par_iter()
        .map(|&(source, text)| {
            let (mask, _) = decide_lines(config, lines, source, text);
            lang_of(config, text, mask.as_deref())
        })
        .collect()
}

/// The boilerplate mask of one document of `source` with this normalized `text`, decided from
/// the corpus's `lines`, and what it leaves out; no mask when boilerplate is kept.
fn decide_lines(
    config: &Config,
    lines: &boilerplate::LineCounts,
    source: &str,
    text: &str,
) -> (Option<Vec<bool>>, BoilerplateStats) {
    if config.keep_boilerplate {
        return (None, BoilerplateStats::default());
    }
    let (mask, stats) = lines.decide(source, &boilerplate::line_infos(text));
    (Some(mask), stats)
}

/// The language of a normalized text's lines that `mask` keeps (all without one), told from
/// their votes as the streaming passes tell it; none when translations are off.
fn lang_of(config: &Config, text: &str, mask: Option<&[bool]>) -> Option<u8> {
    if !config.translations {
        return None;
    }
    let votes = normalize::lines(text).map(crate::lang::vote);
    let lang = match mask {
        Some(mask) => crate::lang::from_votes(votes.zip(mask).filter(|(_, &k)| k).map(|(v, _)| v)),
        None => crate::lang::from_votes(votes),
    };
    lang.map(crate::lang::Lang::number)
}

/// The translation sketch of one document whose kept text is in language `lang` (a number of
/// [`crate::lang::Lang`]): its language alone without `anchors`, nothing when translations are
/// off.
fn sketch_text(
    config: &Config,
    extractor: &mut Extractor,
    raw: &str,
    kept: &str,
    lang: Option<u8>,
    anchors: bool,
) -> anchor::Sketch {
    let lang = lang.and_then(crate::lang::Lang::from_number);
    match (config.translations, anchors) {
        (true, true) => extractor.sketch(raw, kept, lang, config.seed),
        (true, false) => anchor::Sketch {
            lang,
            anchors: Vec::new(),
        },
        _ => anchor::Sketch::default(),
    }
}

/// The text each document is fingerprinted on: its lines minus boilerplate.
pub(crate) fn strip_boilerplate(
    config: &Config,
    corpus: &LoadedCorpus,
) -> (Vec<String>, BoilerplateStats) {
    if config.keep_boilerplate {
        return (corpus.texts.clone(), BoilerplateStats::default());
    }
    let infos: Vec<Vec<LineInfo>> = corpus
        .texts
        .par_iter()
        .map(|text| boilerplate::line_infos(text))
        .collect();
    let view: Vec<(&str, &[LineInfo])> = corpus
        .docs
        .iter()
        .zip(&infos)
        .map(|(doc, lines)| (corpus.sources.name(doc.source), lines.as_slice()))
        .collect();
    let (keep, stats) = boilerplate::detect(&view);
    let texts = corpus
        .texts
        .par_iter()
        .zip(&keep)
        .map(|(text, mask)| boilerplate::kept_text(text, mask))
        .collect();
    (texts, stats)
}

/// Like [`dedup`], against the persistent index in `index_dir` (created on the first run): the
/// new documents are matched against the index and each other, assigned stable cluster ids,
/// and added; the index is saved before this returns. The report's clusters are those the run
/// created or changed, with their stable ids.
pub fn dedup_indexed(
    config: &Config,
    index_dir: &std::path::Path,
    progress: &dyn Progress,
) -> Result<Report> {
    in_pool(config, |found| -> Result<Report> {
        let mut index = Index::open_or_create(index_dir, index::fingerprint_params(config))?;
        let Fingerprinted {
            docs,
            ids,
            sources,
            fps,
            sketches,
            mut skipped,
            boilerplate,
            frequent,
            ..
        } = fingerprint_inputs_with(
            config,
            found.inputs,
            found.skipped,
            progress,
            false,
            true,
            index.frequent(),
        );
        let frequent_buckets = frequent.len();
        index.learned(frequent);

        progress.start(Stage::Cluster, 3);
        // One streamed read of the index finds what the night needs of it: which ids it holds,
        // the old documents the night's searches can pair with a new one and the members of
        // their clusters, and the counts of every anchor (DESIGN.md, "Matching a night").
        let matchable: Vec<usize> = (0..fps.len())
            .filter(|&i| fps.get(i).shingles > 0)
            .collect();
        let night_ids: rustc_hash::FxHashSet<&str> =
            matchable.iter().map(|&i| ids.get(i)).collect();
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
        let collides: Option<Box<index::night::Collides>> = match config.method {
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
        let mut selection = index.select(&index::night::Wanted {
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
        let near_contained = band_indexes(config);
        // Under MinHash, the candidate pairs come from the buckets' counts and last documents,
        // and a second streamed read verifies each pair as its old document goes by: only the
        // old documents of verified pairs are kept. Otherwise the old documents whose keys
        // collide are kept whole and searched with the new ones.
        let (subset, found) = match &night_bands {
            Some(bands) => {
                let first = documents_before as u32;
                let new_sigs: Vec<crate::minhash::Lanes> =
                    fresh.iter().map(|&i| fps.get(i).signature).collect();
                let buckets = std::mem::take(&mut selection.buckets);
                let pairs = lsh::night_pairs(bands, &new_sigs, first, &buckets);
                drop((buckets, new_sigs));
                let candidate_pairs = pairs.len();
                let rule = rule(config);
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
                let probe = counts.as_ref().map(|counts| {
                    index::night::TranslationProbe::new(
                        counts,
                        &rare,
                        fresh.iter().map(|&i| sketches.get(i)),
                    )
                });
                let translates = |view: &index::store::DocView<'_>| {
                    probe.as_ref().is_some_and(|p| p.pairs_with(view))
                };
                let mut checked = index.verify(
                    &pairs[..split],
                    &place,
                    &|old, n| verified(old, new_fp(n)),
                    probe
                        .is_some()
                        .then_some(&translates as &index::night::Translates),
                )?;
                drop((probe, pairs, place));
                let mut seeds: Vec<u32> = checked.edges.iter().map(|&(a, _)| a).collect();
                seeds.extend(&checked.translating);
                let docs = std::mem::take(&mut checked.docs);
                let subset = index.gather(docs, &seeds, &|d| checked.place_of(d))?;
                edges.extend(checked.edges);
                edges.sort_unstable();
                (subset, Some((edges, candidate_pairs)))
            }
            None => {
                let mut seeds: Vec<u32> = selection.collided.iter().map(|&(d, _)| d).collect();
                seeds.extend(translating_old.iter().map(|&(d, _)| d));
                let places: rustc_hash::FxHashMap<u32, index::Place> = selection
                    .clustered()
                    .iter()
                    .chain(&translating_old)
                    .copied()
                    .collect();
                let have = std::mem::take(&mut selection.collided);
                let subset = index.gather(have, &seeds, &|d| places.get(&d).copied())?;
                (subset, None)
            }
        };
        drop((selection, translating_old, rare));
        // The night runs on the subset, numbered as the index numbers it (ascending), then
        // the new documents: every search and rule below depends on documents only through
        // their order, so it decides as over the whole index.
        let old = subset.docs.as_slice();
        let first_new = old.len();
        let total = first_new + fresh.len();
        let global = |i: usize| -> u32 {
            if i < first_new {
                subset.numbers[i]
            } else {
                (documents_before + i - first_new) as u32
            }
        };
        let local = |d: u32| subset.numbers.binary_search(&d).unwrap_or(usize::MAX);
        let local_or_new = |d: u32| -> u32 {
            match (d as usize).checked_sub(documents_before) {
                Some(n) => (first_new + n) as u32,
                None => local(d) as u32,
            }
        };
        let joined = Joined {
            old,
            new: &fps,
            fresh: &fresh,
        };
        let fp_of = |i: usize| joined.get(i);
        let id_of = |i: usize| -> &str {
            if i < first_new {
                &old[i].id
            } else {
                ids.get(fresh[i - first_new])
            }
        };
        // Translation sketches: the index's documents', then the night's (all empty when
        // translations are off, which the index's parameters then say too).
        let sketch_of = |i: usize| -> crosslang::SketchRef<'_> {
            if i < first_new {
                crosslang::SketchRef {
                    lang: old[i].sketch.lang,
                    anchors: &old[i].sketch.anchors,
                }
            } else {
                sketches.get(fresh[i - first_new])
            }
        };
        let lang_of = |i: usize| config.translations.then(|| sketch_of(i).lang).flatten();
        let source_of = |i: usize| -> &str {
            if i < first_new {
                &old[i].source
            } else {
                sources.name(docs[fresh[i - first_new]].source)
            }
        };
        // An indexed document stored before the index kept date sources has none.
        let date_of = |i: usize| -> Option<(i64, Option<crate::corpus::date::DateSource>)> {
            if i < first_new {
                old[i].date.map(|d| (d, old[i].date_source))
            } else {
                docs[fresh[i - first_new]]
                    .date
                    .map(|d| (d.seconds, Some(d.source)))
            }
        };
        let matched = match found {
            // The pairs found over the whole index, numbered in the subset.
            Some((edges, candidate_pairs)) => Matched {
                candidate_pairs,
                edges: edges
                    .into_iter()
                    .map(|(a, b)| (local_or_new(a), local_or_new(b)))
                    .collect(),
                near: near_contained[0].0,
                contained: near_contained[1].0,
            },
            None => match_pairs_of(
                config,
                &joined,
                &vec![true; total],
                first_new,
                documents_before + fresh.len(),
            ),
        };
        progress.advance(2);
        // Pairs across languages that involve a new document, searched in one table of the
        // subset's sketches and the night's, weighed by the counts over every document.
        let (translation_edges, translation_candidates, anchor_counts) = match counts {
            Some(counts) => {
                let mut table = SketchTable::default();
                for i in 0..total {
                    let s = sketch_of(i);
                    table.push(&crate::anchor::Sketch {
                        lang: s.lang,
                        anchors: s.anchors.to_vec(),
                    });
                }
                let (edges, candidates) =
                    index::translation_edges_counted(&table, &joined, first_new, &counts);
                (edges, candidates, Some(counts))
            }
            None => (Vec::new(), 0, None),
        };
        let existing: Vec<WorkCluster> = subset
            .clusters
            .iter()
            .map(|&c| {
                let c = &index.clusters()[c];
                WorkCluster {
                    id: c.id,
                    representative: local(c.representative),
                    members: c.members.iter().map(|&m| local(m)).collect(),
                }
            })
            .collect();
        let new_docs: Vec<usize> = (first_new..total).collect();
        let assigned = assign::assign(
            &fp_of,
            &lang_of,
            assign::Existing {
                total_docs: total,
                first_new,
                clusters: existing,
                next_cluster: index.next_cluster(),
            },
            &new_docs,
            &matched.edges,
            &translation_edges,
            rule(config),
        );
        progress.advance(1);
        progress.finish();

        let mut clusters: Vec<ClusterReport> = assigned
            .clusters
            .iter()
            .filter(|c| assigned.touched.contains(&c.id))
            .map(|c| {
                let rep = c.representative;
                let mut order: Vec<usize> = vec![rep];
                order.extend(c.members.iter().copied().filter(|&m| m != rep));
                ClusterReport {
                    id: c.id,
                    size: c.members.len(),
                    representative: id_of(rep).to_string(),
                    origin: None,
                    members: order
                        .iter()
                        .map(|&m| {
                            let (kind, measures) = if m == rep {
                                (MatchKind::Representative, None)
                            } else {
                                let ms = cluster::measure(fp_of(m), fp_of(rep));
                                let same = (ms.jaccard, ms.containment);
                                // A member in another language than the representative is a
                                // translation, measured by its names and figures (as a batch
                                // run measures one). A member admitted under an earlier
                                // representative may verify only as contained or not at all
                                // against a newer, fuller one; it stays (ids are stable) and
                                // says how it relates now.
                                match (cluster::verify(ms, rule(config)), &anchor_counts) {
                                    (Some(kind), _) => (kind, Some(same)),
                                    (None, Some(counts))
                                        if lang_of(m).is_some()
                                            && lang_of(rep).is_some()
                                            && lang_of(m) != lang_of(rep) =>
                                    {
                                        let t = crosslang::measure(
                                            sketch_of(m),
                                            sketch_of(rep),
                                            counts,
                                        );
                                        (MatchKind::Translation, Some((t.score, t.coverage)))
                                    }
                                    (None, _) => (MatchKind::Contained, Some(same)),
                                }
                            };
                            MemberReport {
                                id: id_of(m).to_string(),
                                similarity: measures.map_or(1.0, |x| report::round4(x.0)),
                                containment: measures.map_or(1.0, |x| report::round4(x.1)),
                                kind,
                                lang: lang_of(m).map(crate::lang::Lang::code),
                                source: source_of(m).to_string(),
                                date: date_of(m).map(|d| crate::corpus::date::format_evidence(d.0)),
                                date_source: date_of(m).and_then(|d| d.1),
                                lag_seconds: None,
                                new: Some(m >= first_new),
                            }
                        })
                        .collect(),
                }
            })
            .collect();
        clusters.sort_by(|a, b| b.size.cmp(&a.size).then(a.id.cmp(&b.id)));
        for c in &mut clusters {
            crate::provenance::annotate(c);
        }
        let fresh_sources = {
            let mut active = vec![false; docs.len()];
            for &i in fresh.iter() {
                active[i] = true;
            }
            source_counts(&docs, &sources, &active)
        };
        let source_reports = crate::provenance::sources(&clusters, &fresh_sources);

        let rep_of_cluster: std::collections::BTreeMap<u64, &str> = assigned
            .clusters
            .iter()
            .map(|c| (c.id, id_of(c.representative)))
            .collect();
        // A new article is a reprint unless it is unique or leads a cluster of new articles
        // only: joining a story seen before, or sitting beside an earlier article, is one.
        let has_old: std::collections::BTreeMap<u64, bool> = assigned
            .clusters
            .iter()
            .map(|c| (c.id, c.members.iter().any(|&m| m < first_new)))
            .collect();
        let articles: Vec<ArticleOutcome> = new_docs
            .iter()
            .zip(&assigned.outcomes)
            .map(|(&n, o)| {
                let (outcome, cluster) = match *o {
                    Outcome::Joined(c) => ("joined", Some(c)),
                    Outcome::NewCluster(c) => ("new-cluster", Some(c)),
                    Outcome::Unique => ("unique", None),
                };
                let representative = cluster.and_then(|c| rep_of_cluster.get(&c)).copied();
                let duplicate = match *o {
                    Outcome::Joined(_) => true,
                    Outcome::NewCluster(c) => {
                        has_old.get(&c).copied().unwrap_or(false)
                            || representative != Some(id_of(n))
                    }
                    Outcome::Unique => false,
                };
                ArticleOutcome {
                    id: id_of(n).to_string(),
                    outcome,
                    cluster,
                    representative: representative.map(str::to_string),
                    duplicate,
                }
            })
            .collect();
        let clustered = articles.iter().filter(|a| a.cluster.is_some()).count();
        let duplicates = articles.iter().filter(|a| a.duplicate).count();
        skipped.sort();
        // The clusters the night could not touch stay as they were; the others come back
        // numbered as the index numbers them.
        let mut searched = vec![false; index.clusters().len()];
        for &c in &subset.clusters {
            searched[c] = true;
        }
        let clusters_before = index.clusters().len();
        let mut stored_clusters: Vec<StoredCluster> = index.take_clusters();
        let mut kept = searched.iter();
        stored_clusters.retain(|_| !kept.next().copied().unwrap_or(false));
        stored_clusters.extend(assigned.clusters.iter().map(|c| StoredCluster {
            id: c.id,
            representative: global(c.representative),
            members: c.members.iter().map(|&m| global(m)).collect(),
        }));
        stored_clusters.sort_unstable_by_key(|c| c.id);
        let index_report = IndexReport {
            path: index.dir().display().to_string(),
            documents_before,
            documents_after: documents_before + fresh.len(),
            clusters_before,
            clusters_after: stored_clusters.len(),
            articles,
            merges: assigned
                .merges
                .iter()
                .map(|m| MergeReport {
                    into: m.into,
                    from: m.from.clone(),
                })
                .collect(),
            representative_changes: assigned
                .representative_changes
                .iter()
                .map(|r| RepresentativeChangeReport {
                    cluster: r.cluster,
                    from: id_of(r.from).to_string(),
                    to: id_of(r.to).to_string(),
                })
                .collect(),
        };
        let now = jiff::Timestamp::now().as_second();
        let new_stored: Vec<StoredDoc> = fresh
            .iter()
            .map(|&i| StoredDoc {
                id: ids.get(i).to_string(),
                source: sources.name(docs[i].source).to_string(),
                date: docs[i].date.map(|d| d.seconds),
                date_source: docs[i].date.map(|d| d.source),
                added: now,
                fingerprint: fps.get(i).to_fingerprint(),
                sketch: sketches.sketch(i),
            })
            .collect();
        let document_ids: Vec<String> = new_docs.iter().map(|&n| id_of(n).to_string()).collect();
        let stats = Stats {
            documents: fresh.len(),
            clustered,
            clusters: clusters.len(),
            duplicates,
            skipped: skipped.len(),
            repaired: docs.iter().filter(|n| n.repaired).count(),
            candidate_pairs: matched.candidate_pairs,
            verified_pairs: matched.edges.len(),
            translation_candidates,
            translation_pairs: translation_edges.len(),
            frequent_shingle_buckets: frequent_buckets,
            boilerplate,
        };
        let params = params(config, matched.near, matched.contained);
        let next_cluster = assigned.next_cluster;
        drop(assigned);
        index.commit(new_stored, stored_clusters, next_cluster)?;
        Ok(Report {
            schema: report::SCHEMA_VERSION,
            tool: report::Tool::default(),
            params,
            stats,
            clusters,
            sources: source_reports,
            skipped,
            index: Some(index_report),
            document_ids,
        })
    })?
}

/// An index's documents followed by the new documents of a run (`fresh`: their rows in the
/// run's table), numbered as one list.
struct Joined<'a> {
    old: &'a [StoredDoc],
    new: &'a FingerprintTable,
    fresh: &'a [usize],
}

impl Fingerprints for Joined<'_> {
    fn count(&self) -> usize {
        self.old.len() + self.fresh.len()
    }

    fn get(&self, i: usize) -> FingerprintRef<'_> {
        match i.checked_sub(self.old.len()) {
            None => (&self.old[i].fingerprint).into(),
            Some(n) => self.new.get(self.fresh[n]),
        }
    }
}

impl Signatures for Joined<'_> {
    fn count(&self) -> usize {
        Fingerprints::count(self)
    }

    fn signature(&self, doc: usize) -> crate::minhash::Lanes<'_> {
        self.get(doc).signature
    }
}

/// The language code of document `doc`, when translations are on and it was told.
fn sketches_lang(config: &Config, sketches: &SketchTable, doc: usize) -> Option<&'static str> {
    if !config.translations || doc >= sketches.len() {
        return None;
    }
    sketches.get(doc).lang.map(crate::lang::Lang::code)
}

/// The `active` documents of each named site.
fn source_counts(docs: &[Loaded], sources: &Sources, active: &[bool]) -> BTreeMap<String, usize> {
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

/// The report's parameters of a run whose indexes are banded `near` and `contained`.
fn params(config: &Config, near: Banding, contained: Banding) -> Params {
    Params {
        method: config.method.to_string(),
        threshold: config.threshold,
        containment: config.containment,
        num_perm: config.num_perm,
        bands: near.bands,
        rows: near.rows,
        containment_bands: contained.bands,
        containment_rows: contained.rows,
        shingle: config.shingle.to_string(),
        seed: config.seed,
        boilerplate_removal: !config.keep_boilerplate,
        translations: config.translations,
        frequent_shingles: config.frequent_share,
        normalizer_version: normalize::NORMALIZER_VERSION,
    }
}

/// The report of a batch run: its clusters, documents described by `info`, the `active` ones
/// (those fingerprinted) listed for the per-document outputs.
fn build_report(
    config: &Config,
    clusters: Vec<cluster::Cluster>,
    skipped: Vec<Skipped>,
    active: &[bool],
    counts: RunCounts,
    info: &dyn Fn(usize) -> DocInfo,
) -> Report {
    let out = cluster_reports(clusters, info);
    let document_ids = active
        .iter()
        .enumerate()
        .filter(|(_, a)| **a)
        .map(|(i, _)| info(i).id)
        .collect();
    assemble_report(config, out, skipped, counts, document_ids)
}

/// What a cluster's entry says of one of its documents besides how it matched.
#[derive(Debug, Clone, Default)]
pub struct DocInfo {
    /// Its id.
    pub id: String,
    /// Its language (ISO 639-1), when translations are on and it was told.
    pub lang: Option<&'static str>,
    /// Its site (empty when unknown).
    pub source: String,
    /// Its publication date and where it came from.
    pub date: Option<crate::corpus::date::Dated>,
}

/// The report's entries of `clusters` (ids still 0), their documents described by `info`;
/// origins and lags are left to [`assemble_report`].
pub fn cluster_reports(
    clusters: Vec<cluster::Cluster>,
    info: &dyn Fn(usize) -> DocInfo,
) -> Vec<ClusterReport> {
    clusters
        .into_iter()
        .map(|c| ClusterReport {
            id: 0,
            size: c.members.len(),
            representative: info(c.representative).id,
            origin: None,
            members: c
                .members
                .iter()
                .map(|m| {
                    let d = info(m.doc);
                    MemberReport {
                        id: d.id,
                        similarity: report::round4(m.measures.jaccard),
                        containment: report::round4(m.measures.containment),
                        kind: m.kind,
                        lang: d.lang,
                        source: d.source,
                        date: d
                            .date
                            .map(|x| crate::corpus::date::format_evidence(x.seconds)),
                        date_source: d.date.map(|x| x.source),
                        lag_seconds: None,
                        new: None,
                    }
                })
                .collect(),
        })
        .collect()
}

/// The counts a report gives besides its clusters (see [`report::Stats`]).
#[derive(Debug, Clone, Default)]
pub struct RunCounts {
    /// Documents fingerprinted.
    pub documents: usize,
    /// Documents whose bytes were repaired.
    pub repaired: usize,
    /// Distinct candidate pairs.
    pub candidate_pairs: usize,
    /// Candidate pairs that verified.
    pub verified_pairs: usize,
    /// Candidate pairs across languages.
    pub translation_candidates: usize,
    /// Those that verified.
    pub translation_pairs: usize,
    /// Frequent shingle buckets left out of the fingerprints.
    pub frequent_shingle_buckets: usize,
    /// What boilerplate detection left out.
    pub boilerplate: BoilerplateStats,
    /// Documents fingerprinted, by source (site) name.
    pub sources: BTreeMap<String, usize>,
}

/// The report of a run from its clusters' entries (in any order: they are sorted, largest
/// first then by representative, and numbered here), what it skipped (sorted here) and its
/// counts. A distributed run assembles its report with this, as a single run does.
pub fn assemble_report(
    config: &Config,
    mut clusters: Vec<ClusterReport>,
    mut skipped: Vec<Skipped>,
    counts: RunCounts,
    document_ids: Vec<String>,
) -> Report {
    let [(near, _), (contained, _)] = band_indexes(config);
    clusters.sort_by(|a, b| {
        b.size
            .cmp(&a.size)
            .then_with(|| a.representative.cmp(&b.representative))
    });
    for (i, c) in clusters.iter_mut().enumerate() {
        c.id = i as u64;
    }
    skipped.sort();
    for c in &mut clusters {
        crate::provenance::annotate(c);
    }
    let sources = crate::provenance::sources(&clusters, &counts.sources);
    let clustered: usize = clusters.iter().map(|c| c.size).sum();
    let stats = Stats {
        documents: counts.documents,
        clustered,
        clusters: clusters.len(),
        duplicates: clustered - clusters.len(),
        skipped: skipped.len(),
        repaired: counts.repaired,
        candidate_pairs: counts.candidate_pairs,
        verified_pairs: counts.verified_pairs,
        translation_candidates: counts.translation_candidates,
        translation_pairs: counts.translation_pairs,
        frequent_shingle_buckets: counts.frequent_shingle_buckets,
        boilerplate: counts.boilerplate,
    };
    Report {
        schema: report::SCHEMA_VERSION,
        tool: report::Tool::default(),
        params: params(config, near, contained),
        stats,
        clusters,
        sources,
        skipped,
        index: None,
        document_ids,
    }
}

/// The clusters of one connected component of the verified pairs and the verified pairs
/// across languages, its documents numbered `0..` in the run's order: `fps` and `sketches`
/// are theirs, `edges` (sorted, `a < b`) the verified same-language pairs among them,
/// `translations` the verified pairs across languages, `counts` the corpus's anchor counts.
/// Clustering and the joining of translations never look outside a component, so a run
/// cut into components gives the clusters one run over all documents gives (the Python
/// package's tests hold the two reports to each other).
pub fn cluster_component(
    config: &Config,
    fps: &[Fingerprint],
    sketches: &[anchor::Sketch],
    edges: &[(u32, u32)],
    translations: &[crosslang::Edge],
    counts: &crosslang::AnchorCounts,
) -> Vec<cluster::Cluster> {
    let clusters = cluster::cluster(fps, edges, rule(config));
    let mut table = SketchTable::with_rows(0);
    for s in sketches {
        table.push(s);
    }
    crosslang::join(clusters, translations, &table, counts, fps, fps.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_on_parts_fingerprint_as_the_whole_run_does() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let config = Config::new(vec![
            root.join("testdata/corpus"),
            root.join("testdata/scrape"),
        ]);
        let found = corpus::discover(&config).unwrap();
        let whole = fingerprint_inputs(
            &config,
            found.inputs.clone(),
            Vec::new(),
            &NoProgress,
            false,
        );

        // The documents as the run numbers them: inputs in order, the first of an id kept.
        let mut docs: Vec<(String, String, String, String)> = Vec::new();
        let mut ids = std::collections::HashSet::new();
        for input in &found.inputs {
            for doc in corpus::read(input, &config).into_iter().flatten() {
                let text = normalize::normalize(&doc.text);
                if !text.is_empty() && ids.insert(doc.id.0.clone()) {
                    docs.push((doc.id.0, doc.source, doc.text, text));
                }
            }
        }
        assert_eq!(docs.len(), whole.ids.len());
        assert!(docs.len() > 40);
        // Three parts of uneven size, counted apart and added up.
        let parts: Vec<&[(String, String, String, String)]> =
            vec![&docs[..7], &docs[7..30], &docs[30..]];
        let mut lines = boilerplate::LineCounts::default();
        for part in &parts {
            let view: Vec<(&str, &str)> =
                part.iter().map(|d| (d.1.as_str(), d.3.as_str())).collect();
            lines.merge(line_counts(&config, &view));
        }
        lines.retain_repeated();
        let fresh = |part: &[(String, String, String, String)], anchors: bool| {
            let view: Vec<(&str, &str, &str)> = part
                .iter()
                .map(|d| (d.1.as_str(), d.2.as_str(), d.3.as_str()))
                .collect();
            fingerprint_documents(&config, &lines, &whole.frequent, &view, anchors)
        };
        let langs: Vec<Option<u8>> = parts
            .iter()
            .flat_map(|p| fresh(p, false))
            .map(|d| d.sketch.lang.map(crate::lang::Lang::number))
            .collect();
        let anchors = multilingual(langs);
        assert!(anchors, "the bundled corpus is in two languages");
        let mut stats = BoilerplateStats::default();
        let staged: Vec<DocumentFingerprint> =
            parts.iter().flat_map(|p| fresh(p, anchors)).collect();
        for (i, d) in staged.iter().enumerate() {
            assert_eq!(whole.ids.get(i), docs[i].0);
            let (a, b) = (FingerprintRef::from(&d.fingerprint), whole.fps.get(i));
            assert_eq!(a.signature.to_vec(), b.signature.to_vec(), "{}", docs[i].0);
            assert_eq!(
                (a.shingles, a.length, a.numbers),
                (b.shingles, b.length, b.numbers)
            );
            let sketch = whole.sketches.get(i);
            assert_eq!(
                (d.sketch.lang, d.sketch.anchors.as_slice()),
                (sketch.lang, sketch.anchors)
            );
            stats += d.boilerplate;
        }
        assert_eq!(stats, whole.boilerplate);
        assert!(stats.chrome_lines + stats.source_lines + stats.corpus_lines > 0);
    }

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
