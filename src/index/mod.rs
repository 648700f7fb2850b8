//! The persistent index of a nightly job: every earlier document's fingerprint and metadata
//! (never its text) and the clusters over them under stable ids, kept in a state directory that
//! each run opens under a lock, extends, and saves crash-safely.
//!
//! [`store`] owns the bytes on disk; [`assign`] owns how new documents take cluster ids. A
//! night's run goes through `search` (what the night pairs with: [`night`] reads it from the
//! segments, `numbering` numbers it), [`assign`] and `report` (what it reports and commits).
//! This module ties them to a run: open, match, retention, statistics.

pub mod assign;
pub mod night;
pub(crate) mod numbering;
pub(crate) mod report;
pub(crate) mod search;
pub mod store;

use std::collections::HashSet;
use std::fs::File;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use crate::cluster::Fingerprints;
use crate::config::Config;
use crate::crosslang::{self, AnchorCounts, Edge, SketchTable};
use crate::error::{Error, IndexProblem, Result};
use crate::frequent::FrequentShingles;
use crate::normalize;
use store::{FingerprintParams, Lock, Manifest, StoredCluster, StoredDoc};

/// The verified translation pairs that involve a document at `first_new` or later, among all
/// the rows of `table` (an index's documents, then a night's): the pairs
/// [`crosslang::verified_edges`] finds over every row and weighs by every row's anchors, without
/// searching the pairs of old documents, which earlier nights judged. Returns the edges (sorted),
/// the number of candidate pairs that involve a new document, and the anchor counts over all
/// rows (what [`crosslang::measure`] weighs by), or `None` when fewer than two languages can
/// match.
pub fn translation_edges<F: Fingerprints + ?Sized>(
    table: &SketchTable,
    fps: &F,
    first_new: usize,
) -> (Vec<Edge>, usize, Option<AnchorCounts>) {
    let n = table.len();
    if table.languages() < 2 || first_new >= n {
        return (Vec::new(), 0, None);
    }
    let chars: Vec<u32> = (0..n).map(|i| fps.get(i).length).collect();
    let counts = AnchorCounts::new(table, &vec![true; n], &chars);
    let (edges, candidates) = translation_edges_counted(table, fps, first_new, &counts);
    (edges, candidates, Some(counts))
}

/// [`translation_edges`] weighed by `counts`, which may count more documents than `table`
/// holds: a night's table holds only the old documents that can pair with a new one (every
/// old document with two searchable anchors of a new one), in index order, and the counts are
/// over the whole index; the edges are then those of a table of every document, numbered by
/// the smaller table.
pub fn translation_edges_counted<F: Fingerprints + ?Sized>(
    table: &SketchTable,
    fps: &F,
    first_new: usize,
    counts: &AnchorCounts,
) -> (Vec<Edge>, usize) {
    let n = table.len();
    if first_new >= n {
        return (Vec::new(), 0);
    }
    // An old document can pair with a new one only if two of one's probes are anchors of the
    // other, and a probe is a searchable anchor: the old documents that carry two searchable
    // anchors of the new ones are the only ones searched. A test holds the result to
    // `crosslang::verified_edges` over every document.
    let rare: HashSet<u32> = (first_new..n)
        .flat_map(|i| table.get(i).anchors.iter().copied())
        .filter(|&a| crosslang::searchable(counts.of(a)))
        .collect();
    let active: Vec<bool> = (0..n)
        .into_par_iter()
        .map(|i| {
            i >= first_new
                || table
                    .get(i)
                    .anchors
                    .iter()
                    .filter(|a| rare.contains(a))
                    .take(crosslang::MIN_SHARED_PROBES)
                    .count()
                    >= crosslang::MIN_SHARED_PROBES
        })
        .collect();
    let pairs: Vec<(u32, u32)> = crosslang::candidates(table, &active, counts)
        .into_iter()
        .filter(|&(_, b)| b as usize >= first_new)
        .collect();
    let edges: Vec<Edge> = pairs
        .par_iter()
        .filter_map(|&(a, b)| crosslang::edge(table, fps, counts, a, b))
        .collect();
    (edges, pairs.len())
}

/// The parameters of `config` that shape fingerprints.
pub fn fingerprint_params(config: &Config) -> FingerprintParams {
    FingerprintParams {
        method: config.method.to_string(),
        seed: config.seed,
        num_perm: config.num_perm,
        shingle: config.shingle.to_string(),
        normalizer_version: normalize::NORMALIZER_VERSION,
        hash_version: crate::shingle::HASH_VERSION,
        boilerplate_removal: !config.keep_boilerplate,
        translations: config.translations,
    }
}

/// An open, locked index. Opening it reads the manifest only; the documents are read from
/// their segments as they are needed, streamed ([`Index::scan`]), so that a night against an
/// index of millions of documents holds only those it can match.
#[derive(Debug)]
pub struct Index {
    dir: PathBuf,
    _lock: Lock,
    params: FingerprintParams,
    manifest: Manifest,
    /// Documents in all segments, as the manifest counts them (each scan checks the count).
    documents: usize,
}

/// Where an indexed document lies: its segment (position in the manifest) and its record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    /// The segment's position in the manifest.
    pub segment: u32,
    /// The record in that segment.
    pub at: store::DocAt,
}

impl Index {
    /// Opens (creating on the first night) the index in `dir` for a run with `params`. Fails
    /// without changing anything when another run holds the lock, or when the manifest is
    /// damaged, newer, or built with other parameters (a damaged segment fails the scan that
    /// reads it, before anything is saved).
    pub fn open_or_create(dir: &Path, params: FingerprintParams) -> Result<Index> {
        let lock = Lock::acquire(dir)?;
        let manifest = store::read_manifest(dir)?.unwrap_or_default();
        if let Some(found) = &manifest.params {
            let path = dir.join(store::MANIFEST);
            store::check_manifest(&path, manifest.format_version, found, &params)?;
        }
        Self::load(dir, lock, params, manifest)
    }

    /// Opens an existing index with the parameters it was built with (for `index stats` and
    /// `index prune`). Fails when `dir` holds no index.
    pub fn open_existing(dir: &Path) -> Result<Index> {
        if !dir.join(store::MANIFEST).is_file() {
            return Err(Error::Index {
                path: dir.to_path_buf(),
                problem: IndexProblem::Missing,
            });
        }
        let lock = Lock::acquire(dir)?;
        let manifest = store::read_manifest(dir)?.unwrap_or_default();
        let params = manifest.params.clone().ok_or_else(|| Error::Index {
            path: dir.join(store::MANIFEST),
            problem: IndexProblem::Damaged("no parameters".into()),
        })?;
        Self::load(dir, lock, params, manifest)
    }

    fn load(
        dir: &Path,
        lock: Lock,
        params: FingerprintParams,
        manifest: Manifest,
    ) -> Result<Index> {
        let damaged = |what: &str| Error::Index {
            path: dir.join(store::MANIFEST),
            problem: IndexProblem::Damaged(what.into()),
        };
        // Document numbers are u32 in clusters and in the candidate search.
        let n = manifest
            .segments
            .iter()
            .try_fold(0u64, |n, &(_, count)| n.checked_add(count))
            .filter(|&n| n <= u64::from(u32::MAX))
            .ok_or_else(|| damaged("its segments hold more documents than an index can"))?
            as usize;
        let bad = manifest.clusters.iter().any(|c| {
            c.members.len() < 2
                || c.members.iter().any(|&m| m as usize >= n)
                || !c.members.contains(&c.representative)
                || c.id >= manifest.next_cluster
        });
        if bad {
            return Err(damaged("a cluster names documents it does not have"));
        }
        Ok(Index {
            dir: dir.to_path_buf(),
            _lock: lock,
            params,
            manifest,
            documents: n,
        })
    }

    /// The number of indexed documents.
    pub fn len(&self) -> usize {
        self.documents
    }

    /// Whether the index holds no document.
    pub fn is_empty(&self) -> bool {
        self.documents == 0
    }

    /// Reads every segment once, streamed (a piece of a segment at a time), checking each as
    /// [`store::scan_segment`] does, and folds its documents into accumulators: `visit(acc,
    /// doc, view, place)` for each document `doc` (its number in index order), segments in
    /// parallel, each accumulator seeing some segments in order; `merge` combines two. A
    /// failure is the one of the first failing segment.
    pub fn scan<A: Send>(
        &self,
        init: &(dyn Fn() -> A + Sync),
        visit: &(dyn Fn(&mut A, usize, &store::DocView<'_>, Place) + Sync),
        merge: &(dyn Fn(A, A) -> A + Sync),
    ) -> Result<A> {
        let mut first = Vec::with_capacity(self.manifest.segments.len());
        let mut n = 0usize;
        for (_, count) in &self.manifest.segments {
            first.push(n);
            n += *count as usize;
        }
        type Acc<A> = (A, Option<(usize, Error)>);
        let folded: Acc<A> = self
            .manifest
            .segments
            .par_iter()
            .enumerate()
            .fold(
                || (init(), None),
                |(mut acc, failed): Acc<A>, (s, (name, count))| {
                    if failed.is_some() {
                        return (acc, failed);
                    }
                    let path = self.dir.join(name);
                    let scanned = File::open(&path)
                        .and_then(|f| f.metadata().map(|m| (f, m.len())))
                        .map_err(|e| Error::with_path(&path, e))
                        .and_then(|(file, len)| {
                            let mut doc = first[s];
                            store::scan_segment(
                                &path,
                                file,
                                len,
                                &self.params,
                                Some(*count),
                                &mut |view, at| {
                                    let place = Place {
                                        segment: s as u32,
                                        at,
                                    };
                                    visit(&mut acc, doc, view, place);
                                    doc += 1;
                                },
                            )
                        });
                    match scanned {
                        Ok(_) => (acc, None),
                        Err(e) => (acc, Some((s, e))),
                    }
                },
            )
            .reduce(
                || (init(), None),
                |(a, fa), (b, fb)| {
                    let failed = match (fa, fb) {
                        (Some(x), Some(y)) => Some(if x.0 <= y.0 { x } else { y }),
                        (x, y) => x.or(y),
                    };
                    (merge(a, b), failed)
                },
            );
        match folded {
            (_, Some((_, e))) => Err(e),
            (acc, None) => Ok(acc),
        }
    }

    /// Reads again the documents at `places` (from a scan), in the order given.
    pub fn fetch(&self, places: &[Place]) -> Result<Vec<StoredDoc>> {
        let mut order: Vec<usize> = (0..places.len()).collect();
        order.sort_by_key(|&i| (places[i].segment, places[i].at.offset));
        let mut out: Vec<Option<StoredDoc>> = vec![None; places.len()];
        for run in order.chunk_by(|&a, &b| places[a].segment == places[b].segment) {
            let Some((name, _)) = self.manifest.segments.get(places[run[0]].segment as usize)
            else {
                continue;
            };
            let at: Vec<store::DocAt> = run.iter().map(|&i| places[i].at).collect();
            let docs = store::read_docs_at(&self.dir.join(name), &self.params, &at)?;
            for (&i, d) in run.iter().zip(docs) {
                out[i] = Some(d);
            }
        }
        out.into_iter()
            .map(|d| {
                d.ok_or_else(|| Error::Index {
                    path: self.dir.join(store::MANIFEST),
                    problem: IndexProblem::Damaged("a document lies in no segment".into()),
                })
            })
            .collect()
    }

    /// Every document, in index order (what `index prune` rewrites).
    fn all_docs(&self) -> Result<Vec<StoredDoc>> {
        let mut docs: Vec<(usize, StoredDoc)> = self.scan(
            &Vec::new,
            &|acc, doc, view, _| acc.push((doc, view.to_stored())),
            &|mut a, b| {
                a.extend(b);
                a
            },
        )?;
        docs.sort_unstable_by_key(|&(i, _)| i);
        Ok(docs.into_iter().map(|(_, d)| d).collect())
    }

    /// The state directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The shingles every fingerprint of the index leaves out, or `None` for an index created
    /// by this run, which learns them from its documents ([`Index::learned`]).
    pub fn frequent(&self) -> Option<&FrequentShingles> {
        self.manifest
            .params
            .is_some()
            .then_some(&self.manifest.frequent)
    }

    /// Keeps `frequent`, learned from the first night's documents, as the index's set; an
    /// index that already has its set keeps it.
    pub fn learned(&mut self, frequent: FrequentShingles) {
        if self.manifest.params.is_none() {
            self.manifest.frequent = frequent;
        }
    }

    /// The stored clusters, ascending by id.
    pub fn clusters(&self) -> &[StoredCluster] {
        &self.manifest.clusters
    }

    /// Takes the stored clusters out (a night builds the clusters it saves from them, without
    /// a copy of every cluster of the index); [`Index::clusters`] is empty after.
    pub fn take_clusters(&mut self) -> Vec<StoredCluster> {
        std::mem::take(&mut self.manifest.clusters)
    }

    /// The next cluster id to hand out.
    pub fn next_cluster(&self) -> u64 {
        self.manifest.next_cluster
    }

    /// Appends `new_docs` (they take the indexes after the existing ones), replaces the
    /// clusters, and saves: the previous state stays readable until the new one is complete.
    pub fn commit(
        mut self,
        new_docs: Vec<StoredDoc>,
        clusters: Vec<StoredCluster>,
        next_cluster: u64,
    ) -> Result<()> {
        self.manifest.params = Some(self.params.clone());
        self.manifest.format_version = store::FORMAT_VERSION;
        self.manifest.generation += 1;
        self.manifest.next_cluster = next_cluster;
        self.manifest.clusters = clusters;
        let name = store::segment_name(self.manifest.generation);
        let segment = if new_docs.is_empty() {
            None
        } else {
            self.manifest
                .segments
                .push((name.clone(), new_docs.len() as u64));
            Some((name.as_str(), new_docs.as_slice()))
        };
        store::save(&self.dir, &self.params, &self.manifest, segment)
    }

    /// Drops every document whose date (publication date, else when it was added) is before
    /// `cutoff` (Unix seconds), rewrites the rest as one segment and saves. A cluster left
    /// with one member dissolves; one that lost its representative keeps its id and takes its
    /// most complete remaining member as representative.
    pub fn prune(mut self, cutoff: i64) -> Result<PruneSummary> {
        let all = self.all_docs()?;
        let keep: Vec<bool> = all.iter().map(|d| d.age_date() >= cutoff).collect();
        let mut new_index: Vec<Option<u32>> = Vec::with_capacity(keep.len());
        let mut next = 0u32;
        for &k in &keep {
            new_index.push(k.then(|| {
                next += 1;
                next - 1
            }));
        }
        let docs: Vec<StoredDoc> = all
            .into_iter()
            .zip(&keep)
            .filter_map(|(d, &k)| k.then_some(d))
            .collect();
        let before_clusters = self.manifest.clusters.len();
        let clusters: Vec<StoredCluster> = self
            .manifest
            .clusters
            .iter()
            .filter_map(|c| {
                let members: Vec<u32> = c
                    .members
                    .iter()
                    .filter_map(|&m| new_index[m as usize])
                    .collect();
                if members.len() < 2 {
                    return None;
                }
                let representative = new_index[c.representative as usize].unwrap_or_else(|| {
                    // Members are ascending, so ties go to the earliest document.
                    let mut best = members[0];
                    for &m in &members[1..] {
                        if docs[m as usize].fingerprint.length
                            > docs[best as usize].fingerprint.length
                        {
                            best = m;
                        }
                    }
                    best
                });
                Some(StoredCluster {
                    id: c.id,
                    representative,
                    members,
                })
            })
            .collect();
        let summary = PruneSummary {
            removed_documents: keep.iter().filter(|k| !**k).count(),
            kept_documents: docs.len(),
            removed_clusters: before_clusters - clusters.len(),
            kept_clusters: clusters.len(),
        };
        self.manifest.params = Some(self.params.clone());
        self.manifest.format_version = store::FORMAT_VERSION;
        self.manifest.generation += 1;
        self.manifest.clusters = clusters;
        self.manifest.segments.clear();
        let name = store::segment_name(self.manifest.generation);
        let segment = if docs.is_empty() {
            None
        } else {
            self.manifest
                .segments
                .push((name.clone(), docs.len() as u64));
            Some((name.as_str(), docs.as_slice()))
        };
        store::save(&self.dir, &self.params, &self.manifest, segment)?;
        Ok(summary)
    }

    /// Counts, sizes, parameters and date range, from one streamed read of every segment.
    pub fn stats(&self) -> Result<IndexStats> {
        let bytes = store::size_on_disk(&self.dir, &self.manifest);
        let (documents, oldest, newest) = self.scan(
            &|| (0usize, i64::MAX, i64::MIN),
            &|acc, _, view, _| {
                let d = view.age_date();
                *acc = (acc.0 + 1, acc.1.min(d), acc.2.max(d));
            },
            &|a, b| (a.0 + b.0, a.1.min(b.1), a.2.max(b.2)),
        )?;
        let date = |d: i64| (documents > 0).then(|| crate::corpus::date::format(d));
        Ok(IndexStats {
            path: self.dir.display().to_string(),
            format_version: self.manifest.format_version,
            documents,
            clusters: self.manifest.clusters.len(),
            clustered_documents: self.manifest.clusters.iter().map(|c| c.members.len()).sum(),
            segments: self.manifest.segments.len(),
            saves: self.manifest.generation,
            bytes_on_disk: bytes,
            bytes_per_document: if documents == 0 {
                0
            } else {
                bytes / documents as u64
            },
            oldest: date(oldest),
            newest: date(newest),
            params: self.params.clone(),
            frequent_shingle_buckets: self.manifest.frequent.len(),
        })
    }
}

impl From<&StoredCluster> for assign::WorkCluster {
    fn from(c: &StoredCluster) -> Self {
        assign::WorkCluster {
            id: c.id,
            representative: c.representative as usize,
            members: c.members.iter().map(|&m| m as usize).collect(),
        }
    }
}

impl From<&assign::WorkCluster> for StoredCluster {
    fn from(c: &assign::WorkCluster) -> Self {
        // Document indexes fit in u32: an index holds at most 4 G documents (and the LSH
        // stage numbers them in u32 too).
        StoredCluster {
            id: c.id,
            representative: c.representative as u32,
            members: c.members.iter().map(|&m| m as u32).collect(),
        }
    }
}

/// What `index prune` did.
#[derive(Debug, Clone, Serialize)]
pub struct PruneSummary {
    /// Documents dropped.
    pub removed_documents: usize,
    /// Documents left.
    pub kept_documents: usize,
    /// Clusters dissolved.
    pub removed_clusters: usize,
    /// Clusters left.
    pub kept_clusters: usize,
}

/// What `index stats` prints.
#[derive(Debug, Clone, Serialize)]
pub struct IndexStats {
    /// The state directory.
    pub path: String,
    /// File layout version.
    pub format_version: u32,
    /// Documents indexed.
    pub documents: usize,
    /// Clusters.
    pub clusters: usize,
    /// Documents in some cluster.
    pub clustered_documents: usize,
    /// Segment files.
    pub segments: usize,
    /// Saves so far (nights and prunes).
    pub saves: u64,
    /// Bytes of all index files.
    pub bytes_on_disk: u64,
    /// Bytes on disk per document.
    pub bytes_per_document: u64,
    /// Oldest document date (publication date, else when added), RFC 3339.
    pub oldest: Option<String>,
    /// Newest document date, RFC 3339.
    pub newest: Option<String>,
    /// The fingerprint parameters every run on this index must use.
    pub params: FingerprintParams,
    /// Hash buckets of the frequent shingles every fingerprint leaves out (0: every shingle
    /// kept).
    pub frequent_shingle_buckets: usize,
}

impl IndexStats {
    /// A human summary, one fact a line.
    pub fn to_text(&self) -> String {
        let p = &self.params;
        format!(
            "index {}\n\
             documents {} ({} in {} clusters)\n\
             on disk {} bytes in {} segments ({} bytes a document), {} saves, format {}\n\
             dates {} .. {}\n\
             method {} seed {} num_perm {} shingle {} normalizer {} hash {} boilerplate_removal {} \
             translations {}\n\
             frequent shingle buckets {}\n",
            self.path,
            self.documents,
            self.clustered_documents,
            self.clusters,
            self.bytes_on_disk,
            self.segments,
            self.bytes_per_document,
            self.saves,
            self.format_version,
            self.oldest.as_deref().unwrap_or("-"),
            self.newest.as_deref().unwrap_or("-"),
            p.method,
            p.seed,
            p.num_perm,
            p.shingle,
            p.normalizer_version,
            p.hash_version,
            p.boilerplate_removal,
            p.translations,
            self.frequent_shingle_buckets,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::anchor::Sketch;
    use crate::cluster::Fingerprint;
    use crate::lang::Lang;

    /// A deterministic xorshift generator.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    /// A table of stories told in several languages (each copy keeps most of its story's
    /// anchors, in order), with anchors common to many documents and some to more than any
    /// probe may be, two stories told many times, and fingerprints that share no text.
    fn corpus(seed: u64, documents: usize) -> (SketchTable, Vec<Fingerprint>) {
        let mut rng = Rng(seed | 1);
        let langs: Vec<Lang> = ["en", "fr", "de", "es"]
            .iter()
            .filter_map(|c| Lang::from_code(c))
            .collect();
        let mut table = SketchTable::default();
        let mut fps = Vec::new();
        for i in 0..documents {
            // Most stories have a few copies; two are everywhere (their anchors are common
            // enough that only the probe limit lets them be probes).
            let story = if rng.below(5) == 0 {
                rng.below(2) as u32
            } else {
                2 + rng.below(documents as u64 / 3) as u32
            };
            let mut anchors: Vec<u32> = Vec::new();
            for k in 0..14u32 {
                if rng.below(10) < 8 {
                    anchors.push(1_000_000 + story * 100 + k);
                }
                // Common anchors: years, countries, the same ministry in every story.
                if rng.below(4) == 0 {
                    anchors.push(rng.below(6) as u32);
                }
                if rng.below(3) == 0 {
                    anchors.push(100 + rng.below(400) as u32);
                }
            }
            anchors.dedup();
            let mut seen = std::collections::HashSet::new();
            anchors.retain(|a| seen.insert(*a));
            table.push(&Sketch {
                lang: Some(langs[rng.below(langs.len() as u64) as usize]),
                anchors,
            });
            fps.push(Fingerprint {
                quoted_lanes: 0,
                signature: (0..16).map(|k| (i as u32) << 8 | k).collect(),
                simhash: None,
                shingles: 100,
                length: 100 + rng.below(900) as u32,
                numbers: Box::default(),
            });
        }
        (table, fps)
    }

    #[test]
    fn translation_edges_are_the_batch_edges_that_involve_a_new_document() {
        for (seed, documents, first_new) in [(1, 900, 850), (2, 900, 0), (3, 700, 600), (4, 60, 30)]
        {
            let (table, fps) = corpus(seed, documents);
            let all = vec![true; documents];
            let chars: Vec<u32> = fps.iter().map(|f| f.length).collect();
            let counts = crosslang::AnchorCounts::new(&table, &all, &chars);
            let (batch, _) = crosslang::verified_edges(&table, fps.as_slice(), &all, &counts);
            let want: Vec<Edge> = batch
                .into_iter()
                .filter(|e| e.b as usize >= first_new)
                .collect();
            let (got, candidates, counts) = translation_edges(&table, fps.as_slice(), first_new);
            assert!(!want.is_empty(), "seed {seed}: the corpus has translations");
            assert_eq!(got, want, "seed {seed}");
            assert!(candidates >= got.len());
            assert!(counts.is_some());
        }
        // Some anchors are carried by more documents than a probe may be.
        let (table, _) = corpus(1, 900);
        let counts = AnchorCounts::new(&table, &[true; 900], &[1000; 900]);
        assert!((0..6).any(|a| counts.of(a) > crosslang::PROBE_MAX_DOCUMENTS));
    }

    #[test]
    fn one_language_has_no_translation_edges() {
        let en = Lang::from_code("en");
        let mut table = SketchTable::default();
        for _ in 0..3 {
            table.push(&Sketch {
                lang: en,
                anchors: (1..=10).collect(),
            });
        }
        let fps: Vec<Fingerprint> = (0..3)
            .map(|i| Fingerprint {
                quoted_lanes: 0,
                signature: vec![i; 16].into(),
                simhash: None,
                shingles: 10,
                length: 100,
                numbers: Box::default(),
            })
            .collect();
        let (edges, candidates, counts) = translation_edges(&table, fps.as_slice(), 1);
        assert!(edges.is_empty() && candidates == 0 && counts.is_none());
    }
}
