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
    /// Position in the report (0-based).
    pub id: usize,
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
