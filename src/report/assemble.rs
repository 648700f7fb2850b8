//! Builds a run's report from its clusters and counts: the clusters' entries, their order and
//! numbers, provenance, the statistics and the parameters. A single run and a distributed one
//! assemble their reports here alike.

use std::collections::BTreeMap;

use super::{ClusterReport, MemberReport, Params, Report, Stats};
use crate::boilerplate::BoilerplateStats;
use crate::cluster;
use crate::config::Config;
use crate::corpus::Skipped;
use crate::lsh::Banding;
use crate::normalize;
use crate::pairs::band_indexes;

/// The report's parameters of a run whose indexes are banded `near` and `contained`.
pub(crate) fn params(config: &Config, near: Banding, contained: Banding) -> Params {
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
pub(crate) fn build_report(
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
                        similarity: super::round4(m.measures.jaccard),
                        containment: super::round4(m.measures.containment),
                        kind: m.kind,
                        via: m.via.map(|v| info(v).id),
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

/// The counts a report gives besides its clusters (see [`super::Stats`]).
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
        schema: super::SCHEMA_VERSION,
        tool: super::Tool::default(),
        params: params(config, near, contained),
        stats,
        clusters,
        sources,
        skipped,
        index: None,
        document_ids,
    }
}
