//! What a night against the index reports and commits, from its assignment: the entries of the
//! clusters it created or changed (old and new members, each measured against its
//! representative), each new article's outcome, the merges and representative changes, and the
//! documents and clusters to store. The stable ids come from [`super::assign`]; this module only
//! writes them down.

use std::collections::BTreeMap;

use super::assign::{Assignment, Outcome};
use super::numbering::Numbered;
use super::store::{StoredCluster, StoredDoc};
use super::Index;
use crate::cluster::{self, Fingerprints, MatchKind};
use crate::config::Config;
use crate::crosslang::{self, AnchorCounts};
use crate::pairs::rule;
use crate::passes::source_counts;
use crate::report::{
    self, ArticleOutcome, ClusterReport, IndexReport, MemberReport, MergeReport,
    RepresentativeChangeReport, SourceReport,
};

/// A night's report entries and what it commits to the index.
pub(crate) struct NightReport {
    /// The clusters the night created or changed, largest first, then by id.
    pub(crate) clusters: Vec<ClusterReport>,
    /// The night's documents and reprints by site.
    pub(crate) sources: Vec<SourceReport>,
    /// The index's part of the report.
    pub(crate) index: IndexReport,
    /// The ids of the night's new documents, in order.
    pub(crate) document_ids: Vec<String>,
    /// New documents in a cluster.
    pub(crate) clustered: usize,
    /// New documents that are reprints.
    pub(crate) duplicates: usize,
    /// The new documents to store.
    pub(crate) new_docs: Vec<StoredDoc>,
    /// Every cluster of the index after the night, ascending by id.
    pub(crate) clusters_after: Vec<StoredCluster>,
    /// The next cluster id to hand out.
    pub(crate) next_cluster: u64,
}

/// The report and the commit of the night `night` against `index`, whose clusters at
/// `searched` (positions in [`Index::clusters`]) the night ran on and `assigned` gives back;
/// `counts` (the anchor counts, when translations are searched) measure translated members.
/// Takes the index's clusters: the commit gives them back.
pub(crate) fn night_report(
    config: &Config,
    index: &mut Index,
    night: &Numbered,
    searched: &[usize],
    assigned: Assignment,
    counts: Option<&AnchorCounts>,
) -> NightReport {
    let run = night.run();
    let clusters = cluster_entries(config, night, &assigned, counts);
    let fresh_sources = {
        let mut active = vec![false; run.docs.len()];
        for &i in night.fresh() {
            active[i] = true;
        }
        source_counts(&run.docs, &run.sources, &active)
    };
    let sources = crate::provenance::sources(&clusters, &fresh_sources);
    let articles = articles(night, &assigned);
    let clustered = articles.iter().filter(|a| a.cluster.is_some()).count();
    let duplicates = articles.iter().filter(|a| a.duplicate).count();
    let documents_before = night.documents_before();
    let clusters_before = index.clusters().len();
    let clusters_after = clusters_after(index, searched, night, &assigned);
    let index_report = IndexReport {
        path: index.dir().display().to_string(),
        documents_before,
        documents_after: documents_before + night.fresh().len(),
        clusters_before,
        clusters_after: clusters_after.len(),
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
                from: night.id(r.from).to_string(),
                to: night.id(r.to).to_string(),
            })
            .collect(),
    };
    NightReport {
        clusters,
        sources,
        index: index_report,
        document_ids: (night.first_new()..night.total())
            .map(|n| night.id(n).to_string())
            .collect(),
        clustered,
        duplicates,
        new_docs: new_docs(night),
        clusters_after,
        next_cluster: assigned.next_cluster,
    }
}

/// The entries of the clusters the night created or changed, their representative first, each
/// member measured against it; largest first, then by id, with provenance.
fn cluster_entries(
    config: &Config,
    night: &Numbered,
    assigned: &Assignment,
    counts: Option<&AnchorCounts>,
) -> Vec<ClusterReport> {
    let first_new = night.first_new();
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
                representative: night.id(rep).to_string(),
                origin: None,
                members: order
                    .iter()
                    .map(|&m| {
                        let (kind, measures, via) = if m == rep {
                            (MatchKind::Representative, None, None)
                        } else {
                            let ms = cluster::measure(night.get(m), night.get(rep));
                            let same = (ms.jaccard, ms.containment);
                            // A member in another language than the representative is a
                            // translation, measured by its names and figures (as a batch run
                            // measures one). A member that does not verify against the
                            // representative (it joined through another member, as a batch run
                            // lets a copy left alone do, or under an earlier, shorter
                            // representative) names the member it matches best, `via`; failing
                            // that it stays (ids are stable) and says how it relates now.
                            match (cluster::verify(ms, rule(config)), counts) {
                                (Some(kind), _) => (kind, Some(same), None),
                                (None, Some(counts))
                                    if night.lang(m).is_some()
                                        && night.lang(rep).is_some()
                                        && night.lang(m) != night.lang(rep) =>
                                {
                                    let t = crosslang::measure(
                                        night.sketch(m),
                                        night.sketch(rep),
                                        counts,
                                    );
                                    (MatchKind::Translation, Some((t.score, t.coverage)), None)
                                }
                                (None, _) => match cluster::best_match(
                                    night,
                                    m,
                                    order
                                        .iter()
                                        .take(VIA_SEARCH_MEMBERS)
                                        .skip(1)
                                        .copied()
                                        .filter(|&x| x != m),
                                    rule(config),
                                ) {
                                    Some((x, kind, mx)) => {
                                        (kind, Some((mx.jaccard, mx.containment)), Some(x))
                                    }
                                    None => (MatchKind::Contained, Some(same), None),
                                },
                            }
                        };
                        let date = night.date(m);
                        MemberReport {
                            id: night.id(m).to_string(),
                            similarity: measures.map_or(1.0, |x| report::round4(x.0)),
                            containment: measures.map_or(1.0, |x| report::round4(x.1)),
                            kind,
                            via: via.map(|x| night.id(x).to_string()),
                            lang: night.lang(m).map(crate::lang::Lang::code),
                            source: night.source(m).to_string(),
                            date: date.map(|d| crate::corpus::date::format_evidence(d.0)),
                            date_source: date.and_then(|d| d.1),
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
    clusters
}

/// Members of a cluster searched for the one a member that misses the representative matches:
/// the first this many, so that a cluster of thousands costs no more than a few hundred
/// measures a member.
const VIA_SEARCH_MEMBERS: usize = 256;

/// The outcome of each new article, in order.
fn articles(night: &Numbered, assigned: &Assignment) -> Vec<ArticleOutcome> {
    let first_new = night.first_new();
    let rep_of_cluster: BTreeMap<u64, &str> = assigned
        .clusters
        .iter()
        .map(|c| (c.id, night.id(c.representative)))
        .collect();
    // A new article is a reprint unless it is unique or leads a cluster of new articles only:
    // joining a story seen before, or sitting beside an earlier article, is one.
    let has_old: BTreeMap<u64, bool> = assigned
        .clusters
        .iter()
        .map(|c| (c.id, c.members.iter().any(|&m| m < first_new)))
        .collect();
    (first_new..night.total())
        .zip(&assigned.outcomes)
        .map(|(n, o)| {
            let (outcome, cluster) = match *o {
                Outcome::Joined(c) => ("joined", Some(c)),
                Outcome::NewCluster(c) => ("new-cluster", Some(c)),
                Outcome::Unique => ("unique", None),
            };
            let representative = cluster.and_then(|c| rep_of_cluster.get(&c)).copied();
            let duplicate = match *o {
                Outcome::Joined(_) => true,
                Outcome::NewCluster(c) => {
                    has_old.get(&c).copied().unwrap_or(false) || representative != Some(night.id(n))
                }
                Outcome::Unique => false,
            };
            ArticleOutcome {
                id: night.id(n).to_string(),
                outcome,
                cluster,
                representative: representative.map(str::to_string),
                duplicate,
            }
        })
        .collect()
}

/// Every cluster of the index after the night, ascending by id: those the night could not
/// touch (not at `searched`) stay as they were; the others come back numbered as the index
/// numbers documents. Takes the clusters out of `index`.
fn clusters_after(
    index: &mut Index,
    searched: &[usize],
    night: &Numbered,
    assigned: &Assignment,
) -> Vec<StoredCluster> {
    let mut was_searched = vec![false; index.clusters().len()];
    for &c in searched {
        was_searched[c] = true;
    }
    let mut stored: Vec<StoredCluster> = index.take_clusters();
    let mut kept = was_searched.iter();
    stored.retain(|_| !kept.next().copied().unwrap_or(false));
    stored.extend(assigned.clusters.iter().map(|c| StoredCluster {
        id: c.id,
        representative: night.global(c.representative),
        members: c.members.iter().map(|&m| night.global(m)).collect(),
    }));
    stored.sort_unstable_by_key(|c| c.id);
    stored
}

/// The night's new documents as the index stores them, added now.
fn new_docs(night: &Numbered) -> Vec<StoredDoc> {
    let run = night.run();
    let now = jiff::Timestamp::now().as_second();
    night
        .fresh()
        .iter()
        .map(|&i| StoredDoc {
            id: run.ids.get(i).to_string(),
            source: run.sources.name(run.docs[i].source).to_string(),
            date: run.docs[i].date.map(|d| d.seconds),
            date_source: run.docs[i].date.map(|d| d.source),
            added: now,
            fingerprint: run.fps.get(i).to_fingerprint(),
            sketch: run.sketches.sketch(i),
        })
        .collect()
}
