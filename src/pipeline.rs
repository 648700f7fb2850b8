//! Runs the stages in order on a thread pool of the configured size and assembles the report.
//! Owns no algorithm of its own: only the order of stages and the hand-over of their data.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::anchor;
use crate::cluster::{self, Fingerprint, Fingerprints};
use crate::config::Config;
use crate::corpus::{self, Input, Skipped};
use crate::crosslang::{self, SketchTable};
use crate::error::{Error, Result};
use crate::frequent::FrequentShingles;
use crate::index::numbering::Numbered;
use crate::index::{self, assign, search, Index};
use crate::pairs::match_pairs;
use crate::passes::memory::removed_lines;
use crate::passes::{fingerprint_inputs, fingerprint_inputs_with, source_counts, Fingerprinted};
use crate::report::assemble::{build_report, params};
use crate::report::{self, Report, Stats};

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
        let mut run = fingerprint_inputs_with(
            config,
            found.inputs,
            found.skipped,
            progress,
            false,
            true,
            index.frequent(),
        );
        let frequent_buckets = run.frequent.len();
        index.learned(std::mem::replace(
            &mut run.frequent,
            FrequentShingles::none(),
        ));
        let mut skipped = std::mem::take(&mut run.skipped);

        progress.start(Stage::Cluster, 3);
        let search::Found {
            fresh,
            documents_before,
            subset,
            counts,
            pairs,
        } = search::find(config, &index, &run, &mut skipped)?;
        let night = Numbered::new(&subset, documents_before, &fresh, &run, config.translations);
        let matched = search::same_language_pairs(config, &night, pairs);
        progress.advance(2);
        let (translation_edges, translation_candidates, anchor_counts) =
            search::translation_pairs(&night, counts);
        let assigned = assign::assign_night(
            config,
            &index,
            &subset.clusters,
            &night,
            &matched.edges,
            &translation_edges,
        );
        progress.advance(1);
        progress.finish();

        let out = index::report::night_report(
            config,
            &mut index,
            &night,
            &subset.clusters,
            assigned,
            anchor_counts.as_ref(),
        );
        skipped.sort();
        let stats = Stats {
            documents: fresh.len(),
            clustered: out.clustered,
            clusters: out.clusters.len(),
            duplicates: out.duplicates,
            skipped: skipped.len(),
            repaired: run.docs.iter().filter(|n| n.repaired).count(),
            candidate_pairs: matched.candidate_pairs,
            verified_pairs: matched.edges.len(),
            translation_candidates,
            translation_pairs: translation_edges.len(),
            frequent_shingle_buckets: frequent_buckets,
            boilerplate: run.boilerplate,
        };
        index.commit(out.new_docs, out.clusters_after, out.next_cluster)?;
        Ok(Report {
            schema: report::SCHEMA_VERSION,
            tool: report::Tool::default(),
            params: params(config, matched.near, matched.contained),
            stats,
            clusters: out.clusters,
            sources: out.sources,
            skipped,
            index: Some(out.index),
            document_ids: out.document_ids,
        })
    })?
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
