//! The report: the serde types of the JSON output (schema version 1), the human summary, and
//! writing either to stdout or atomically to a file.

use std::io::Write;
use std::path::Path;

use serde::Serialize;

use crate::boilerplate::BoilerplateStats;
use crate::cluster::MatchKind;
use crate::corpus::Skipped;
use crate::error::{Error, Result};

/// Version of the report's JSON layout; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Schema version.
    pub schema: u32,
    /// Which tool wrote it.
    pub tool: Tool,
    /// The parameters that shaped the result.
    pub params: Params,
    /// Counts.
    pub stats: Stats,
    /// Groups of two or more reprints, largest first, then by representative id.
    pub clusters: Vec<ClusterReport>,
    /// Inputs that were not used, sorted by path.
    pub skipped: Vec<Skipped>,
    /// With `--index`: what this run did to the index (absent without an index).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<IndexReport>,
    /// Ids of the documents this run fingerprinted (with an index: the new ones), in id order;
    /// the per-document outputs (`--format jsonl`, `--emit-keep`) list these.
    #[serde(skip)]
    pub document_ids: Vec<String>,
}

/// What a run with `--index` did: the index before and after, and each new article's outcome.
#[derive(Debug, Clone, Serialize)]
pub struct IndexReport {
    /// The state directory.
    pub path: String,
    /// Documents in the index before the run.
    pub documents_before: usize,
    /// Documents in the index after the run.
    pub documents_after: usize,
    /// Clusters in the index before the run.
    pub clusters_before: usize,
    /// Clusters in the index after the run.
    pub clusters_after: usize,
    /// Each new article, in id order.
    pub articles: Vec<ArticleOutcome>,
    /// Clusters merged into an older one.
    pub merges: Vec<MergeReport>,
    /// Clusters whose representative changed.
    pub representative_changes: Vec<RepresentativeChangeReport>,
}

/// What happened to one new article.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleOutcome {
    /// Document id.
    pub id: String,
    /// `joined` (a cluster that existed before), `new-cluster` or `unique`.
    pub outcome: &'static str,
    /// The cluster's stable id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cluster: Option<u64>,
    /// The cluster's representative.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub representative: Option<String>,
}

/// Clusters merged into the oldest of them.
#[derive(Debug, Clone, Serialize)]
pub struct MergeReport {
    /// The surviving id.
    pub into: u64,
    /// The ids that no longer exist.
    pub from: Vec<u64>,
}

/// A changed representative.
#[derive(Debug, Clone, Serialize)]
pub struct RepresentativeChangeReport {
    /// The cluster.
    pub cluster: u64,
    /// The previous representative.
    pub from: String,
    /// The new one.
    pub to: String,
}

/// Name and version of the tool.
#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    /// Always "reprint".
    pub name: &'static str,
    /// The crate version.
    pub version: &'static str,
}

impl Default for Tool {
    fn default() -> Self {
        Tool {
            name: "reprint",
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}

/// Run parameters, echoed so a report can be reproduced.
#[derive(Debug, Clone, Serialize)]
pub struct Params {
    /// Fingerprinting method.
    pub method: String,
    /// Jaccard threshold.
    pub threshold: f64,
    /// Containment threshold.
    pub containment: f64,
    /// MinHash permutations.
    pub num_perm: usize,
    /// LSH bands of the near-duplicate index.
    pub bands: usize,
    /// Rows per band of the near-duplicate index.
    pub rows: usize,
    /// LSH bands of the containment index.
    pub containment_bands: usize,
    /// Rows per band of the containment index.
    pub containment_rows: usize,
    /// Shingle specification, e.g. `word:3`.
    pub shingle: String,
    /// Seed of every hash.
    pub seed: u64,
    /// Whether boilerplate lines were left out of fingerprints.
    pub boilerplate_removal: bool,
    /// Version of the normalizer that produced the text.
    pub normalizer_version: u32,
}

/// Counts of the run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    /// Documents read and fingerprinted.
    pub documents: usize,
    /// Documents in some cluster.
    pub clustered: usize,
    /// Number of clusters.
    pub clusters: usize,
    /// Members that are not representatives.
    pub duplicates: usize,
    /// Inputs skipped.
    pub skipped: usize,
    /// Documents whose invalid bytes were replaced while decoding.
    pub repaired: usize,
    /// Candidate pairs the LSH indexes proposed.
    pub candidate_pairs: usize,
    /// Candidate pairs that passed verification.
    pub verified_pairs: usize,
    /// What boilerplate detection left out.
    pub boilerplate: BoilerplateStats,
}

/// One cluster.
#[derive(Debug, Clone, Serialize)]
pub struct ClusterReport {
    /// Position in the report (0-based); with `--index`, the cluster's stable id.
    pub id: u64,
    /// Number of members.
    pub size: usize,
    /// Id of the most complete member.
    pub representative: String,
    /// Members, representative first.
    pub members: Vec<MemberReport>,
}

/// One member of a cluster.
#[derive(Debug, Clone, Serialize)]
pub struct MemberReport {
    /// Document id.
    pub id: String,
    /// Estimated Jaccard similarity to the representative (1 for the representative).
    pub similarity: f64,
    /// Estimated share of this member's shingles found in the representative.
    pub containment: f64,
    /// How it matched.
    #[serde(rename = "match")]
    pub kind: MatchKind,
    /// With `--index`: whether this run added it (false: it was in the index already).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<bool>,
}

/// One line of `--format jsonl`.
#[derive(Serialize)]
struct JsonlLine<'a> {
    id: &'a str,
    cluster: Option<u64>,
    representative: Option<&'a str>,
    #[serde(rename = "match")]
    kind: Option<MatchKind>,
    similarity: Option<f64>,
    containment: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    outcome: Option<&'a str>,
}

/// Rounds a measure so that reports stay readable and stable.
pub fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

impl Report {
    /// The JSON text of the report (pretty-printed, ending in a newline).
    pub fn to_json(&self) -> String {
        // Serializing plain structs of strings and numbers cannot fail.
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// One JSON object a document of this run, in id order: its cluster (`null` when unique),
    /// representative, match kind and measures; with an index, also its outcome.
    pub fn to_jsonl(&self) -> String {
        let mut by_id: std::collections::HashMap<&str, (&ClusterReport, &MemberReport)> =
            std::collections::HashMap::new();
        for c in &self.clusters {
            for m in &c.members {
                by_id.insert(m.id.as_str(), (c, m));
            }
        }
        let outcomes: std::collections::HashMap<&str, &ArticleOutcome> = self
            .index
            .iter()
            .flat_map(|i| &i.articles)
            .map(|a| (a.id.as_str(), a))
            .collect();
        let mut out = String::new();
        for id in &self.document_ids {
            let found = by_id.get(id.as_str());
            let line = JsonlLine {
                id,
                cluster: found.map(|(c, _)| c.id),
                representative: found.map(|(c, _)| c.representative.as_str()),
                kind: found.map(|(_, m)| m.kind),
                similarity: found.map(|(_, m)| m.similarity),
                containment: found.map(|(_, m)| m.containment),
                outcome: outcomes.get(id.as_str()).map(|a| a.outcome),
            };
            // Plain strings, numbers and enums: serializing cannot fail.
            out.push_str(&serde_json::to_string(&line).unwrap_or_default());
            out.push('\n');
        }
        out
    }

    /// The ids to keep (unique documents and representatives) and to remove (every other
    /// member), among this run's documents, each in id order.
    pub fn keep_and_remove(&self) -> (Vec<String>, Vec<String>) {
        let remove: std::collections::HashSet<&str> = self
            .clusters
            .iter()
            .flat_map(|c| &c.members)
            .filter(|m| m.kind != MatchKind::Representative && m.new != Some(false))
            .map(|m| m.id.as_str())
            .collect();
        let (mut keep, mut drop) = (Vec::new(), Vec::new());
        for id in &self.document_ids {
            if remove.contains(id.as_str()) {
                drop.push(id.clone());
            } else {
                keep.push(id.clone());
            }
        }
        (keep, drop)
    }

    /// A human summary: counts, then each cluster with its members.
    pub fn to_text(&self) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        let s = &self.stats;
        let _ = writeln!(
            out,
            "{} documents, {} clusters, {} duplicates, {} skipped",
            s.documents, s.clusters, s.duplicates, s.skipped
        );
        let p = &self.params;
        let _ = writeln!(
            out,
            "method {} threshold {} containment {} num_perm {} bands {}x{} shingle {} seed {}",
            p.method, p.threshold, p.containment, p.num_perm, p.bands, p.rows, p.shingle, p.seed
        );
        for c in &self.clusters {
            let _ = writeln!(out, "\ncluster {} ({} members)", c.id, c.size);
            for m in &c.members {
                let kind = match m.kind {
                    MatchKind::Representative => "representative",
                    MatchKind::NearDuplicate => "near-duplicate",
                    MatchKind::Contained => "contained",
                };
                let _ = writeln!(
                    out,
                    "  {:>6.3} {:>6.3}  {:<15} {}",
                    m.similarity, m.containment, kind, m.id
                );
            }
        }
        if !self.skipped.is_empty() {
            let _ = writeln!(out, "\nskipped:");
            for sk in &self.skipped {
                let _ = writeln!(out, "  {}: {}", sk.path, sk.reason);
            }
        }
        out
    }
}

/// Writes `contents` to `path` through a temporary file in the same directory and a rename,
/// so that readers never see a half-written file and a failure leaves no partial file.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".reprint-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| Error::with_path(path, e))?;
    tmp.write_all(contents)
        .and_then(|_| tmp.as_file().sync_all())
        .map_err(|e| Error::with_path(path, e))?;
    tmp.persist(path)
        .map_err(|e| Error::with_path(path, e.error))?;
    Ok(())
}
