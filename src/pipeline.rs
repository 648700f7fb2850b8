//! Runs the stages in order on a thread pool of the configured size and assembles the report.
//! Owns no algorithm of its own: only the order of stages and the hand-over of their data.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::anchor;
use crate::cluster::{self, Fingerprint};
use crate::cluster::{FingerprintRef, FingerprintTable, Fingerprints, MatchKind};
use crate::config::Config;
use crate::config::Method;
use crate::corpus::{self, Input, Skipped};
use crate::crosslang::{self, SketchTable};
use crate::error::{Error, Result};
use crate::index::assign::{self, Outcome, WorkCluster};
use crate::index::store::{StoredCluster, StoredDoc};
use crate::index::{self, Index};
use crate::lsh::{self, Signatures};
use crate::pairs::{match_pairs, match_pairs_of, Matched};
use crate::passes::memory::removed_lines;
use crate::passes::{fingerprint_inputs, fingerprint_inputs_with, source_counts, Fingerprinted};
use crate::report::assemble::build_report;
use crate::report::assemble::params;
use crate::report::Report;
use crate::report::{
    self, ArticleOutcome, ClusterReport, IndexReport, MemberReport, MergeReport,
    RepresentativeChangeReport, Stats,
};

// The stages' public entry points, where the Python package and the benchmarks have always
// found them.
pub use crate::pairs::{band_indexes, containment_search_threshold, rule};
pub use crate::passes::document::{
    document_languages, fingerprint_documents, line_counts, multilingual, multilingual_counts,
    shingle_counts, DocumentFingerprint,
};
pub use crate::report::assemble::{assemble_report, cluster_reports, DocInfo, RunCounts};

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
