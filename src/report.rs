//! The report: the serde types of the JSON output (schema version 1), the human summary, and
//! writing either to stdout or atomically to a file. [`assemble`] builds one from a run's clusters
//! and counts.

pub mod assemble;

use std::io::Write;
use std::path::Path;

use anstyle::{AnsiColor, Style};
use serde::Serialize;

use crate::boilerplate::BoilerplateStats;
use crate::cluster::MatchKind;
use crate::corpus::date::DateSource;
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
    /// Each named source (site) of the run, by name: its documents, the stories it published
    /// first and those it reprinted, and whom it reprinted from (see [`crate::provenance`]).
    pub sources: Vec<SourceReport>,
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
    /// The cluster's stable id (`null` when unique).
    pub cluster: Option<u64>,
    /// The cluster's representative (`null` when unique).
    pub representative: Option<String>,
    /// Whether it is a reprint: it joined a cluster seen before, or is in a new cluster with
    /// an earlier article or as a member that is not the representative. The gates and
    /// `--emit-remove` count these.
    pub duplicate: bool,
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
    /// MinHash lanes (bins of one-permutation hashing).
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
    /// Whether translated copies were grouped with their original.
    pub translations: bool,
    /// Share of the sampled documents a shingle must be in, more than, to be left out of the
    /// fingerprints as too common (0: every shingle kept).
    pub frequent_shingles: f64,
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
    /// Candidate pairs across languages the anchor index proposed.
    pub translation_candidates: usize,
    /// Pairs across languages that passed the translation rule.
    pub translation_pairs: usize,
    /// Hash buckets of shingles left out of the fingerprints as too common (0 when the corpus
    /// was too small to learn them, or they were turned off).
    pub frequent_shingle_buckets: usize,
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
    /// Id of the earliest dated member, the copy published first: among members dated by
    /// publication evidence (a field, the page's metadata, a dateline, the WARC-Date) when
    /// any is, else among those dated by the file's mtime; ties go to the smaller id. `null`
    /// when no member has a date.
    pub origin: Option<String>,
    /// Members, representative first.
    pub members: Vec<MemberReport>,
}

/// One member of a cluster.
#[derive(Debug, Clone, Serialize)]
pub struct MemberReport {
    /// Document id.
    pub id: String,
    /// Estimated Jaccard similarity to the representative (1 for the representative); for a
    /// translation, the ordered overlap of its names and figures with the representative's.
    pub similarity: f64,
    /// Estimated share of this member's shingles found in the representative; for a
    /// translation, the share of the smaller side's names and figures the other has.
    pub containment: f64,
    /// How it matched.
    #[serde(rename = "match")]
    pub kind: MatchKind,
    /// The id of the member it matched, when it did not match the representative itself (an
    /// edited copy that misses a representative inflated by an update): `similarity`,
    /// `containment` and `match` are then against that member.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
    /// The language of its text (ISO 639-1), when translations are on and it could be told.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<&'static str>,
    /// The site it came from (absent when unknown).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub source: String,
    /// Its publication date, RFC 3339 in UTC, or `null` when no evidence gave a credible one.
    pub date: Option<String>,
    /// Where `date` came from: `field`, `html-meta`, `text`, `warc` or `mtime` (`null` without
    /// a date, or for an indexed document stored before the index kept sources).
    pub date_source: Option<DateSource>,
    /// Seconds it was published after the cluster's origin (0 for the origin); `null` when it
    /// has no date, or only a weaker kind of date than the origin (an mtime against a
    /// publication date says nothing about the delay).
    pub lag_seconds: Option<i64>,
    /// With `--index`: whether this run added it (false: it was in the index already).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<bool>,
}

/// One source (site) of the run and how it takes part in the run's clusters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceReport {
    /// The source's name.
    pub source: String,
    /// This run's documents from it (with `--index`, the night's new ones).
    pub documents: usize,
    /// Clusters whose origin is one of its documents.
    pub originated: usize,
    /// Its documents that are later copies of another source's story (members of a cluster
    /// whose origin is from another source).
    pub reprinted: usize,
    /// Whom its reprints came from: one entry a source, most copies first, then by name.
    pub from: Vec<SourceEdge>,
}

/// Reprints of one source's stories by another: an edge from the origin's source to the
/// copy's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceEdge {
    /// The source that published first.
    pub source: String,
    /// Copies of its stories.
    pub count: usize,
    /// Of those, copies in another language than the origin (translations).
    pub translated: usize,
    /// The median delay of the copies whose lag is known (the lower median of an even
    /// number), `null` when none is.
    pub median_lag_seconds: Option<i64>,
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
    via: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    outcome: Option<&'a str>,
}

/// How many sources the summary names as top origins and top reprinters.
const TOP_SOURCES: usize = 10;

/// A delay in seconds for a reader: `45s`, `12m`, `3.5h`, `2.1d`.
fn human_lag(seconds: i64) -> String {
    let s = seconds as f64;
    match seconds {
        i64::MIN..=59 => format!("{seconds}s"),
        60..=3599 => format!("{}m", seconds / 60),
        3600..=86_399 => format!("{:.1}h", s / 3600.0),
        _ => format!("{:.1}d", s / 86_400.0),
    }
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
                via: found.and_then(|(_, m)| m.via.as_deref()),
                outcome: outcomes.get(id.as_str()).map(|a| a.outcome),
            };
            // Plain strings, numbers and enums: serializing cannot fail.
            out.push_str(&serde_json::to_string(&line).unwrap_or_default());
            out.push('\n');
        }
        out
    }

    /// The ids to keep (unique documents and representatives) and to remove (every other
    /// member), among this run's documents, each in id order. With an index, an article that
    /// reprints one seen on an earlier run is removed even when it became the representative:
    /// its story was kept then.
    pub fn keep_and_remove(&self) -> (Vec<String>, Vec<String>) {
        let remove: std::collections::HashSet<&str> = match &self.index {
            Some(ix) => ix
                .articles
                .iter()
                .filter(|a| a.duplicate)
                .map(|a| a.id.as_str())
                .collect(),
            None => self
                .clusters
                .iter()
                .flat_map(|c| &c.members)
                .filter(|m| m.kind != MatchKind::Representative)
                .map(|m| m.id.as_str())
                .collect(),
        };
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

    /// A human summary: counts, then each cluster with its members. No terminal escapes.
    pub fn to_text(&self) -> String {
        self.to_text_styled(false)
    }

    /// The summary's provenance lines: the sources that published most stories first, and
    /// those that reprinted most, with whom they reprint most and how fast. Nothing when no
    /// cluster has an origin from a named source.
    fn sources_text(&self, out: &mut String, p: &Palette) {
        use std::fmt::Write as _;
        let mut origins: Vec<&SourceReport> =
            self.sources.iter().filter(|s| s.originated > 0).collect();
        if origins.is_empty() {
            return;
        }
        origins.sort_by(|a, b| {
            b.originated
                .cmp(&a.originated)
                .then(a.source.cmp(&b.source))
        });
        let _ = writeln!(out, "\n{}", p.paint(p.heading, "top origins"));
        for s in origins.iter().take(TOP_SOURCES) {
            let _ = writeln!(
                out,
                "  {:>6} first  {} ({} documents)",
                s.originated, s.source, s.documents
            );
        }
        let mut reprinters: Vec<&SourceReport> =
            self.sources.iter().filter(|s| s.reprinted > 0).collect();
        if reprinters.is_empty() {
            return;
        }
        reprinters.sort_by(|a, b| b.reprinted.cmp(&a.reprinted).then(a.source.cmp(&b.source)));
        let _ = writeln!(out, "\n{}", p.paint(p.heading, "top reprinters"));
        for s in reprinters.iter().take(TOP_SOURCES) {
            // `from` is sorted most copies first.
            let main = s.from.first().map(|e| {
                let lag = e
                    .median_lag_seconds
                    .map(|l| format!(", median lag {}", human_lag(l)))
                    .unwrap_or_default();
                let translated = if e.translated > 0 {
                    format!(", {} translated", e.translated)
                } else {
                    String::new()
                };
                format!(" <- {} ({}{lag}{translated})", e.source, e.count)
            });
            let _ = writeln!(
                out,
                "  {:>6} {} {}{}",
                s.reprinted,
                if s.reprinted == 1 { "copy  " } else { "copies" },
                s.source,
                main.unwrap_or_default()
            );
        }
    }

    /// The human summary of [`Report::to_text`], with ANSI colours when `color` is set: headings
    /// bold, each member's match kind in its own colour, the skipped heading in yellow. The
    /// caller decides (terminal, `NO_COLOR`, `--color`); without colour the text is exactly
    /// [`Report::to_text`]'s, and with it only escape codes are added, so columns stay aligned.
    pub fn to_text_styled(&self, color: bool) -> String {
        use std::fmt::Write as _;
        let p = Palette::new(color);
        let mut out = String::new();
        let s = &self.stats;
        let _ = writeln!(
            out,
            "{}",
            p.paint(
                p.heading,
                &format!(
                    "{} documents, {} clusters, {} duplicates, {} skipped",
                    s.documents, s.clusters, s.duplicates, s.skipped
                )
            )
        );
        let pr = &self.params;
        let _ = writeln!(
            out,
            "{}",
            p.paint(
                p.quiet,
                &format!(
                    "method {} threshold {} containment {} num_perm {} bands {}x{} shingle {} seed {}",
                    pr.method,
                    pr.threshold,
                    pr.containment,
                    pr.num_perm,
                    pr.bands,
                    pr.rows,
                    pr.shingle,
                    pr.seed
                )
            )
        );
        for c in &self.clusters {
            let _ = writeln!(
                out,
                "\n{}",
                p.paint(p.heading, &format!("cluster {} ({} members)", c.id, c.size))
            );
            for m in &c.members {
                let (kind, style) = match m.kind {
                    MatchKind::Representative => ("representative", p.representative),
                    MatchKind::NearDuplicate => ("near-duplicate", p.near_duplicate),
                    MatchKind::Contained => ("contained", p.contained),
                    MatchKind::Translation => ("translation", p.translation),
                };
                let lang = m.lang.map(|l| format!(" [{l}]")).unwrap_or_default();
                let via = m
                    .via
                    .as_ref()
                    .map(|v| format!(" (via {v})"))
                    .unwrap_or_default();
                // Padding is applied before painting: escape codes must not count as width.
                let _ = writeln!(
                    out,
                    "  {:>6.3} {:>6.3}  {} {}{}{}",
                    m.similarity,
                    m.containment,
                    p.paint(style, &format!("{kind:<15}")),
                    m.id,
                    lang,
                    via
                );
            }
        }
        self.sources_text(&mut out, &p);
        if let Some(ix) = &self.index {
            let count = |what: &str| ix.articles.iter().filter(|a| a.outcome == what).count();
            let _ = writeln!(
                out,
                "\n{}",
                p.paint(p.heading, &format!("index {}", ix.path))
            );
            let _ = writeln!(
                out,
                "  documents {} -> {}, clusters {} -> {}; new articles: {} joined, {} in new clusters, {} unique",
                ix.documents_before,
                ix.documents_after,
                ix.clusters_before,
                ix.clusters_after,
                count("joined"),
                count("new-cluster"),
                count("unique")
            );
            for m in &ix.merges {
                let from: Vec<String> = m.from.iter().map(u64::to_string).collect();
                let _ = writeln!(out, "  merged {} into {}", from.join(", "), m.into);
            }
            for r in &ix.representative_changes {
                let _ = writeln!(
                    out,
                    "  cluster {} representative {} -> {}",
                    r.cluster, r.from, r.to
                );
            }
        }
        if !self.skipped.is_empty() {
            let _ = writeln!(out, "\n{}", p.paint(p.warning, "skipped:"));
            for sk in &self.skipped {
                let _ = writeln!(out, "  {}: {}", sk.path, sk.reason);
            }
        }
        out
    }
}

/// The styles of the text summary; all plain when colour is off, so that painting adds nothing.
struct Palette {
    heading: Style,
    quiet: Style,
    representative: Style,
    near_duplicate: Style,
    contained: Style,
    translation: Style,
    warning: Style,
}

impl Palette {
    fn new(color: bool) -> Self {
        if !color {
            return Palette {
                heading: Style::new(),
                quiet: Style::new(),
                representative: Style::new(),
                near_duplicate: Style::new(),
                contained: Style::new(),
                translation: Style::new(),
                warning: Style::new(),
            };
        }
        let fg = |c: AnsiColor| Style::new().fg_color(Some(c.into()));
        Palette {
            heading: Style::new().bold(),
            quiet: Style::new().dimmed(),
            representative: fg(AnsiColor::Cyan).bold(),
            near_duplicate: fg(AnsiColor::Green),
            contained: fg(AnsiColor::Yellow),
            translation: fg(AnsiColor::Magenta),
            warning: fg(AnsiColor::Yellow).bold(),
        }
    }

    /// `text` wrapped in `style`'s escape codes (none for a plain style).
    fn paint(&self, style: Style, text: &str) -> String {
        format!("{style}{text}{style:#}")
    }
}

/// Writes `contents` to `path` through a temporary file in the same directory and a rename,
/// so that readers never see a half-written file and a failure leaves no partial file.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<()> {
    write_atomic_then(path, contents, &|| ())
}

/// [`write_atomic`], calling `before_rename` once the temporary file is complete and synced:
/// the index's crash test pauses there.
pub(crate) fn write_atomic_then(
    path: &Path,
    contents: &[u8],
    before_rename: &dyn Fn(),
) -> Result<()> {
    // A device or a pipe (`-o /dev/null`, `-o /dev/stdout`, a FIFO) is written to where it is:
    // renaming a file over it would replace the device itself, and nothing partial can be
    // left in one anyway.
    if let Ok(meta) = std::fs::metadata(path) {
        if !meta.is_file() && !meta.is_dir() {
            return std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .and_then(|mut f| f.write_all(contents))
                .map_err(|e| Error::with_path(path, e));
        }
    }
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
    before_rename();
    tmp.persist(path)
        .map_err(|e| Error::with_path(path, e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[cfg(unix)]
    #[test]
    fn regression_output_to_a_device_or_pipe_writes_into_it_and_leaves_it_in_place() {
        // `-o /dev/null` used to rename a temporary file over /dev/null. A FIFO stands in for
        // the device here: the same kind of path, and a test that goes wrong harms nothing.
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let fifo = dir.path().join("pipe");
        let c_path = std::ffi::CString::new(fifo.to_str().expect("path")).expect("C path");
        // SAFETY: a valid NUL-terminated path; mkfifo only creates the node.
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read_to_string(fifo).expect("read pipe"))
        };
        super::write_atomic(&fifo, b"report").expect("written into the pipe");
        // Checked before the reader is joined: a replaced pipe is never opened for writing,
        // and its reader would wait for ever.
        let kind = std::fs::symlink_metadata(&fifo)
            .expect("still there")
            .file_type();
        assert!(kind.is_fifo(), "the pipe was replaced: {kind:?}");
        assert_eq!(reader.join().expect("reader"), "report");
    }

    use super::*;

    fn report() -> Report {
        let member = |id: &str, similarity, kind| MemberReport {
            id: id.into(),
            similarity,
            containment: 0.95,
            kind,
            via: None,
            lang: None,
            source: String::new(),
            date: None,
            date_source: None,
            lag_seconds: None,
            new: None,
        };
        Report {
            schema: SCHEMA_VERSION,
            tool: Tool::default(),
            params: Params {
                method: "minhash".into(),
                threshold: 0.2,
                containment: 0.7,
                num_perm: 128,
                bands: 28,
                rows: 2,
                containment_bands: 43,
                containment_rows: 2,
                shingle: "char:7".into(),
                seed: 7,
                boilerplate_removal: true,
                translations: true,
                frequent_shingles: 0.02,
                normalizer_version: 1,
            },
            stats: Stats {
                documents: 4,
                clusters: 1,
                duplicates: 2,
                skipped: 1,
                ..Stats::default()
            },
            clusters: vec![ClusterReport {
                id: 0,
                size: 3,
                representative: "a.txt".into(),
                origin: None,
                members: vec![
                    member("a.txt", 1.0, MatchKind::Representative),
                    member("b.txt", 0.8, MatchKind::NearDuplicate),
                    member("c.txt", 0.3, MatchKind::Contained),
                ],
            }],
            sources: Vec::new(),
            skipped: vec![Skipped {
                path: "x.bin".into(),
                reason: "binary file".into(),
            }],
            index: None,
            document_ids: ["a.txt", "b.txt", "c.txt", "d.txt"]
                .map(String::from)
                .to_vec(),
        }
    }

    #[test]
    fn keep_and_remove_split_this_runs_documents() {
        let mut r = report();
        let (keep, remove) = r.keep_and_remove();
        assert_eq!(keep, vec!["a.txt", "d.txt"]);
        assert_eq!(remove, vec!["b.txt", "c.txt"]);
        // With an index, the articles' duplicate flags decide: a new representative of a story
        // seen before goes too.
        let article = |id: &str, duplicate| ArticleOutcome {
            id: id.into(),
            outcome: if duplicate { "joined" } else { "unique" },
            cluster: None,
            representative: None,
            duplicate,
        };
        r.index = Some(IndexReport {
            path: "state".into(),
            documents_before: 1,
            documents_after: 4,
            clusters_before: 0,
            clusters_after: 1,
            articles: vec![
                article("a.txt", true),
                article("c.txt", true),
                article("d.txt", false),
            ],
            merges: vec![],
            representative_changes: vec![],
        });
        r.document_ids = vec!["a.txt".into(), "c.txt".into(), "d.txt".into()];
        let (keep, remove) = r.keep_and_remove();
        assert_eq!(keep, vec!["d.txt"]);
        assert_eq!(remove, vec!["a.txt", "c.txt"]);
    }

    #[test]
    fn jsonl_has_one_line_a_document() {
        let mut r = report();
        // c.txt matched b.txt, not the representative.
        r.clusters[0].members[2].via = Some("b.txt".into());
        let text = r.to_jsonl();
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 4);
        let want = [
            ("a.txt", Some("representative"), Some("a.txt")),
            ("b.txt", Some("near-duplicate"), Some("a.txt")),
            ("c.txt", Some("contained"), Some("a.txt")),
            ("d.txt", None, None),
        ];
        for (line, (id, kind, rep)) in lines.iter().zip(want) {
            assert_eq!(line["id"], id);
            assert_eq!(line["match"].as_str(), kind);
            assert_eq!(line["representative"].as_str(), rep);
            assert_eq!(line["cluster"].is_null(), kind.is_none());
            assert!(line.get("outcome").is_none());
            assert_eq!(line.get("via").is_some(), id == "c.txt", "{line}");
        }
        assert_eq!(lines[2]["via"], "b.txt");
        assert!(r.to_text().contains("contained       c.txt (via b.txt)\n"));
    }

    #[test]
    fn plain_text_has_no_escapes_and_is_the_unstyled_rendering() {
        let r = report();
        let plain = r.to_text();
        assert_eq!(plain, r.to_text_styled(false));
        assert!(!plain.contains('\x1b'), "{plain:?}");
        assert!(plain.starts_with("4 documents, 1 clusters, 2 duplicates, 1 skipped\n"));
        assert!(
            plain.contains("\n   0.800  0.950  near-duplicate  b.txt\n"),
            "{plain}"
        );
    }

    #[test]
    fn styled_text_differs_only_by_escapes() {
        let r = report();
        let styled = r.to_text_styled(true);
        assert_eq!(
            anstream::adapter::strip_str(&styled).to_string(),
            r.to_text()
        );
        // Each styled element, with the SGR code it must carry.
        let cases = [
            ("\x1b[1m", "4 documents"),
            ("\x1b[1m", "cluster 0 (3 members)"),
            ("\x1b[2m", "method minhash"),
            ("\x1b[1m\x1b[36m", "representative "),
            ("\x1b[32m", "near-duplicate "),
            ("\x1b[33m", "contained "),
            ("\x1b[1m\x1b[33m", "skipped:"),
        ];
        for (code, text) in cases {
            let needle = format!("{code}{text}");
            assert!(styled.contains(&needle), "{needle:?} not in {styled:?}");
        }
        // Every styled run is closed, so the terminal is left as it was found.
        assert_eq!(
            styled.matches("\x1b[0m").count(),
            2 + r.clusters.len() + r.clusters[0].members.len() + 1
        );
    }
}
