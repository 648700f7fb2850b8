//! Assigns tonight's documents to the index's clusters under stable ids: joins, new clusters,
//! merges and representative changes. Documents already in a cluster never leave it, so a
//! cluster's id means the same story from night to night.
//!
//! The rule is the batch rule applied incrementally. A new document joins an existing cluster
//! when it verifies against that cluster's representative (never through another member: no
//! chaining); when it verifies against several clusters and against every one of their members,
//! and is more complete than each representative, it is the fuller version that unites them and
//! the clusters merge under the oldest id. A new document substantially more complete than its
//! cluster's representative (10 % more text), and verified against all its members, becomes
//! the representative. New
//! documents that match nothing old are clustered among themselves exactly as a batch run
//! would, so the first night equals `reprint dedup` without an index.
//!
//! Translations come last, as in a batch run ([`crate::crosslang::join`]): along the verified
//! pairs across languages, best first, a new document or a cluster of new ones joins the story
//! of another language it translates: an existing cluster (which keeps its id and its
//! representative), or other new documents and earlier single ones (a new cluster). A story
//! holds at most one same-language group a language, and two existing clusters never join. A
//! cluster that holds translations is matched, for a new document, through the member of the
//! document's language (the representative of that language's group) rather than through a
//! representative in another language.

use std::collections::BTreeSet;

use super::numbering::Numbered;
use super::Index;
use crate::cluster::{self, FingerprintRef, Fingerprints, Rule};
use crate::config::Config;
use crate::crosslang::{self, Edge};
use crate::lang::Lang;

/// A cluster during assignment; documents are indexes over old and new documents together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkCluster {
    /// Stable id.
    pub id: u64,
    /// Representative.
    pub representative: usize,
    /// All members, representative included, ascending.
    pub members: Vec<usize>,
}

/// What happened to one new document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// It joined a cluster that existed before this run (the id it has after merges).
    Joined(u64),
    /// It is in a cluster created by this run.
    NewCluster(u64),
    /// It matched nothing.
    Unique,
}

/// Two or more clusters became one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merge {
    /// The surviving (oldest) id.
    pub into: u64,
    /// The ids that were merged into it.
    pub from: Vec<u64>,
}

/// A cluster's representative changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepresentativeChange {
    /// The cluster.
    pub cluster: u64,
    /// The previous representative.
    pub from: usize,
    /// The new one.
    pub to: usize,
}

/// The result of assigning one run's documents.
#[derive(Debug, Clone, Default)]
pub struct Assignment {
    /// Every cluster after the run, ascending by id.
    pub clusters: Vec<WorkCluster>,
    /// Ids of the clusters this run created or changed, ascending.
    pub touched: BTreeSet<u64>,
    /// Outcome of each new document, in the order of `new_docs`.
    pub outcomes: Vec<Outcome>,
    /// Merges, in the order they happened.
    pub merges: Vec<Merge>,
    /// Representative changes, in the order they happened.
    pub representative_changes: Vec<RepresentativeChange>,
    /// The next id to hand out.
    pub next_cluster: u64,
}

/// Where a new document could go.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Target {
    /// An existing cluster (its slot).
    Cluster(usize),
    /// An earlier document in no cluster.
    Single(usize),
}

/// The index's side of an assignment.
#[derive(Debug, Clone)]
pub struct Existing {
    /// Old and new documents together.
    pub total_docs: usize,
    /// Documents below this index are old.
    pub first_new: usize,
    /// The stored clusters over old documents.
    pub clusters: Vec<WorkCluster>,
    /// The next cluster id to hand out.
    pub next_cluster: u64,
}

/// The id of a cluster this run formed whose id is not handed out yet.
const PENDING: u64 = u64::MAX;

/// Assigns `new_docs` (ascending indexes, all `>= existing.first_new`) given the existing
/// clusters, the verified `edges` that touch a new document, the verified `translations`
/// (pairs across languages that touch a new document), and each document's fingerprint and
/// language (`None` for all when translations are off).
pub fn assign<'a>(
    fp: &dyn Fn(usize) -> FingerprintRef<'a>,
    lang: &dyn Fn(usize) -> Option<Lang>,
    existing: Existing,
    new_docs: &[usize],
    edges: &[(u32, u32)],
    translations: &[Edge],
    rule: Rule,
) -> Assignment {
    let Existing {
        total_docs,
        first_new,
        clusters,
        next_cluster,
    } = existing;
    let mut slots: Vec<Option<WorkCluster>> = clusters.into_iter().map(Some).collect();
    let mut slot_of: Vec<Option<usize>> = vec![None; total_docs];
    for (s, c) in slots.iter().enumerate() {
        if let Some(c) = c {
            for &m in &c.members {
                slot_of[m] = Some(s);
            }
        }
    }
    let mut adjacency: Vec<Vec<usize>> = vec![Vec::new(); total_docs];
    for &(a, b) in edges {
        adjacency[a as usize].push(b as usize);
        adjacency[b as usize].push(a as usize);
    }
    let verify = |a: usize, b: usize| cluster::verify(cluster::measure(fp(a), fp(b)), rule);
    let mut out = Assignment {
        next_cluster,
        ..Assignment::default()
    };
    let mut created: BTreeSet<u64> = BTreeSet::new();

    for &n in new_docs {
        let mut targets: Vec<Target> = adjacency[n]
            .iter()
            .filter_map(|&o| match slot_of[o] {
                Some(s) => Some(Target::Cluster(s)),
                None if o < first_new => Some(Target::Single(o)),
                None => None,
            })
            .collect();
        targets.sort_by_key(|t| match *t {
            Target::Cluster(s) => (0, s),
            Target::Single(o) => (1, o),
        });
        targets.dedup();
        // What `n` is measured against: a cluster's representative, or its group of `n`'s
        // language when the cluster holds translations.
        let rep_of = |t: Target, slots: &[Option<WorkCluster>]| match t {
            Target::Cluster(s) => slots[s]
                .as_ref()
                .map_or(usize::MAX, |c| language_lead(c, lang(n), fp, lang)),
            Target::Single(o) => o,
        };
        let qualifying: Vec<(Target, cluster::Measures)> = targets
            .iter()
            .filter_map(|&t| {
                let rep = rep_of(t, &slots);
                let m = cluster::measure(fp(n), fp(rep));
                cluster::verify(m, rule).map(|_| (t, m))
            })
            .collect();
        if qualifying.is_empty() {
            continue;
        }
        let members_of = |t: Target, slots: &[Option<WorkCluster>]| -> Vec<usize> {
            match t {
                Target::Cluster(s) => slots[s].as_ref().map_or(Vec::new(), |c| c.members.clone()),
                Target::Single(o) => vec![o],
            }
        };
        // A fuller version that unites several clusters: it must be the most complete and
        // verify against every member of each, or the merge would be a chain.
        let unites = qualifying.len() >= 2
            && qualifying.iter().all(|&(t, _)| {
                fp(n).length > fp(rep_of(t, &slots)).length
                    && members_of(t, &slots)
                        .iter()
                        .all(|&m| verify(n, m).is_some())
            });
        let chosen: Vec<Target> = if unites {
            qualifying.iter().map(|&(t, _)| t).collect()
        } else {
            // The closest match; ties to an existing cluster, then to the oldest.
            let best = qualifying
                .iter()
                .max_by(|a, b| {
                    a.1.jaccard
                        .total_cmp(&b.1.jaccard)
                        .then(a.1.containment.total_cmp(&b.1.containment))
                        .then_with(|| tie_key(b.0).cmp(&tie_key(a.0)))
                })
                .map(|&(t, _)| t);
            best.into_iter().collect()
        };

        let mut members: Vec<usize> = vec![n];
        let mut old_ids: Vec<(u64, usize)> = Vec::new(); // (id, representative)
        for &t in &chosen {
            match t {
                Target::Cluster(s) => {
                    if let Some(c) = slots[s].take() {
                        old_ids.push((c.id, c.representative));
                        members.extend(c.members);
                    }
                }
                Target::Single(o) => members.push(o),
            }
        }
        members.sort_unstable();
        members.dedup();
        old_ids.sort_unstable();
        let id = match old_ids.first() {
            Some(&(id, _)) => id,
            None => {
                let id = out.next_cluster;
                out.next_cluster += 1;
                created.insert(id);
                id
            }
        };
        if old_ids.len() >= 2 {
            out.merges.push(Merge {
                into: id,
                from: old_ids[1..].iter().map(|&(i, _)| i).collect(),
            });
        }
        let representative = if unites {
            n
        } else {
            let current = old_ids.first().map_or_else(
                // A new pair with an earlier single document: the more complete leads, ties
                // to the earlier one.
                || {
                    members
                        .iter()
                        .copied()
                        .filter(|&m| m != n)
                        .min()
                        .unwrap_or(n)
                },
                |&(_, rep)| rep,
            );
            let fuller = is_fuller(fp(n).length, fp(current).length)
                && members.iter().all(|&m| m == n || verify(n, m).is_some());
            if fuller {
                n
            } else {
                current
            }
        };
        if let Some(&(_, before)) = old_ids.first() {
            if before != representative && !created.contains(&id) {
                out.representative_changes.push(RepresentativeChange {
                    cluster: id,
                    from: before,
                    to: representative,
                });
            }
        }
        let slot = slots.len();
        for &m in &members {
            slot_of[m] = Some(slot);
        }
        slots.push(Some(WorkCluster {
            id,
            representative,
            members,
        }));
        out.touched.insert(id);
    }

    // New documents that matched nothing old: a batch run among themselves.
    let left: Vec<usize> = new_docs
        .iter()
        .copied()
        .filter(|&n| slot_of[n].is_none())
        .collect();
    let mut local: Vec<Option<u32>> = vec![None; total_docs];
    for (i, &n) in left.iter().enumerate() {
        local[n] = Some(i as u32);
    }
    let sub_fps: Vec<FingerprintRef> = left.iter().map(|&n| fp(n)).collect();
    let sub_edges: Vec<(u32, u32)> = edges
        .iter()
        .filter_map(|&(a, b)| Some((local[a as usize]?, local[b as usize]?)))
        .collect();
    let mut fresh = cluster::cluster(sub_fps.as_slice(), &sub_edges, rule);
    fresh.sort_by_key(|c| c.representative);
    for c in fresh {
        let mut members: Vec<usize> = c.members.iter().map(|m| left[m.doc]).collect();
        members.sort_unstable();
        let slot = slots.len();
        for &m in &members {
            slot_of[m] = Some(slot);
        }
        // Its id is handed out once translations have joined what they join.
        slots.push(Some(WorkCluster {
            id: PENDING,
            representative: left[c.representative],
            members,
        }));
    }

    for id in join_translations(
        &mut slots,
        &mut slot_of,
        translations,
        lang,
        &|d| fp(d).length,
        next_cluster,
    ) {
        out.touched.insert(id);
    }

    // New clusters take ids in the order of their representatives.
    let mut pending: Vec<(usize, usize)> = slots
        .iter()
        .enumerate()
        .filter_map(|(s, c)| {
            c.as_ref()
                .filter(|c| c.id == PENDING)
                .map(|c| (c.representative, s))
        })
        .collect();
    pending.sort_unstable();
    for (_, s) in pending {
        if let Some(c) = slots[s].as_mut() {
            c.id = out.next_cluster;
            out.next_cluster += 1;
            created.insert(c.id);
            out.touched.insert(c.id);
        }
    }

    out.outcomes = new_docs
        .iter()
        .map(|&n| match slot_of[n].and_then(|s| slots[s].as_ref()) {
            Some(c) if created.contains(&c.id) => Outcome::NewCluster(c.id),
            Some(c) => Outcome::Joined(c.id),
            None => Outcome::Unique,
        })
        .collect();
    out.clusters = slots.into_iter().flatten().collect();
    out.clusters.sort_by_key(|c| c.id);
    // A cluster this run created and a translation then joined to an existing one is gone.
    let live: BTreeSet<u64> = out.clusters.iter().map(|c| c.id).collect();
    out.touched.retain(|id| live.contains(id));
    out
}

/// The member of `c` that a document in language `lang` is measured against: the
/// representative, unless the cluster holds translations and the representative is in another
/// language; then its longest member in `lang` (ties to the earliest), which leads that
/// language's group as the representative leads a batch run's.
fn language_lead<'a>(
    c: &WorkCluster,
    lang: Option<Lang>,
    fp: &dyn Fn(usize) -> FingerprintRef<'a>,
    lang_of: &dyn Fn(usize) -> Option<Lang>,
) -> usize {
    let rep = c.representative;
    match (lang, lang_of(rep)) {
        (Some(l), Some(r)) if l != r => c
            .members
            .iter()
            .copied()
            .filter(|&m| lang_of(m) == Some(l))
            .max_by(|&x, &y| fp(x).length.cmp(&fp(y).length).then(y.cmp(&x)))
            .unwrap_or(rep),
        _ => rep,
    }
}

/// Joins groups along the verified translation `edges`, best first (then by document), as
/// [`crate::crosslang::join`] does: the groups are the clusters in `slots` and the documents in
/// none that an edge touches, and two join when no language is in both and not both are
/// existing clusters (ids below `first_created`). A story with an existing cluster keeps that
/// cluster's id and representative; any other takes the smallest id among its clusters (or
/// [`PENDING`]) and the longest of its groups' representatives (ties to the earliest). Returns
/// the ids of the existing clusters that grew.
fn join_translations(
    slots: &mut Vec<Option<WorkCluster>>,
    slot_of: &mut [Option<usize>],
    edges: &[Edge],
    lang: &dyn Fn(usize) -> Option<Lang>,
    length: &dyn Fn(usize) -> u32,
    first_created: u64,
) -> Vec<u64> {
    if edges.is_empty() {
        return Vec::new();
    }
    // Groups: the clusters an edge touches, then the documents in none.
    let mut group_of: std::collections::HashMap<usize, usize> = Default::default();
    let mut slot_of_group: Vec<Option<usize>> = Vec::new();
    let mut single: Vec<usize> = Vec::new();
    for e in edges {
        for d in [e.a as usize, e.b as usize] {
            let key = match slot_of[d] {
                Some(s) => s,
                None => usize::MAX - d,
            };
            if let std::collections::hash_map::Entry::Vacant(v) = group_of.entry(key) {
                v.insert(slot_of_group.len());
                slot_of_group.push(slot_of[d]);
                single.push(d);
            }
        }
    }
    let group = |d: usize| group_of[&slot_of[d].unwrap_or(usize::MAX - d)];
    let members_of = |g: usize, slots: &[Option<WorkCluster>]| -> Vec<usize> {
        match slot_of_group[g].and_then(|s| slots[s].as_ref()) {
            Some(c) => c.members.clone(),
            None => vec![single[g]],
        }
    };
    let k = slot_of_group.len();
    let langs: Vec<u64> = (0..k)
        .map(|g| {
            members_of(g, slots)
                .iter()
                .fold(0, |m, &d| m | crosslang::lang_bit(lang(d)))
        })
        .collect();
    let fixed: Vec<bool> = (0..k)
        .map(|g| {
            slot_of_group[g]
                .and_then(|s| slots[s].as_ref())
                .is_some_and(|c| c.id < first_created)
        })
        .collect();
    // A story holding an existing cluster is rooted at it: `fixed[root]` tells such a story.
    let stories = crosslang::join_groups(edges, &|d| group(d as usize), langs, fixed.clone());
    let mut grown = Vec::new();
    for (root, story) in stories.into_iter().enumerate() {
        if story.len() < 2 {
            continue;
        }
        let mut members: Vec<usize> = Vec::new();
        let mut id = PENDING;
        let mut lead: Option<usize> = None;
        for &g in &story {
            members.extend(members_of(g, slots));
            let rep = match slot_of_group[g].and_then(|s| slots[s].as_ref()) {
                Some(c) => {
                    id = id.min(c.id);
                    c.representative
                }
                None => single[g],
            };
            let longer = lead.is_none_or(|l| {
                (length(rep), std::cmp::Reverse(rep)) > (length(l), std::cmp::Reverse(l))
            });
            if longer {
                lead = Some(rep);
            }
        }
        members.sort_unstable();
        members.dedup();
        let Some(mut representative) = lead else {
            continue;
        };
        if fixed[root] {
            // The existing cluster keeps its id and its representative.
            if let Some(c) = slot_of_group[root].and_then(|s| slots[s].as_ref()) {
                representative = c.representative;
                grown.push(c.id);
            }
        }
        for &g in &story {
            if let Some(s) = slot_of_group[g] {
                slots[s] = None;
            }
        }
        let slot = slots.len();
        for &m in &members {
            slot_of[m] = Some(slot);
        }
        slots.push(Some(WorkCluster {
            id,
            representative,
            members,
        }));
    }
    grown.sort_unstable();
    grown
}

/// A new document replaces a cluster's representative only with this much more text: a copy
/// whose banner is a few characters longer must not make the nightly report churn.
const FULLER_MARGIN: f64 = 1.1;

/// Whether a document of `length` characters is substantially more complete than `current`.
fn is_fuller(length: u32, current: u32) -> bool {
    f64::from(length) > f64::from(current) * FULLER_MARGIN
}

/// Orders equal matches: existing clusters (by slot, which follows id) before single documents.
fn tie_key(t: Target) -> (u8, usize) {
    match t {
        Target::Cluster(s) => (0, s),
        Target::Single(o) => (1, o),
    }
}

/// Assigns the new documents of `night` given the clusters of `index` at `searched`
/// (positions in [`Index::clusters`]: every member of them is among the night's old
/// documents), the verified `edges` and the verified `translations`, all numbered as `night`
/// numbers its documents.
pub(crate) fn assign_night(
    config: &Config,
    index: &Index,
    searched: &[usize],
    night: &Numbered,
    edges: &[(u32, u32)],
    translations: &[Edge],
) -> Assignment {
    let existing: Vec<WorkCluster> = searched
        .iter()
        .map(|&c| {
            let c = &index.clusters()[c];
            WorkCluster {
                id: c.id,
                representative: night.local(c.representative),
                members: c.members.iter().map(|&m| night.local(m)).collect(),
            }
        })
        .collect();
    let new_docs: Vec<usize> = (night.first_new()..night.total()).collect();
    assign(
        &|i| night.get(i),
        &|i| night.lang(i),
        Existing {
            total_docs: night.total(),
            first_new: night.first_new(),
            clusters: existing,
            next_cluster: index.next_cluster(),
        },
        &new_docs,
        edges,
        translations,
        crate::pairs::rule(config),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::Fingerprint;

    const RULE: Rule = Rule {
        threshold: 0.5,
        containment: 0.8,
        max_hamming_bits: 12,
    };

    /// A fingerprint whose signature is `sig` (documents sharing values are similar).
    fn fp(sig: Vec<u32>, length: usize) -> Fingerprint {
        Fingerprint {
            quoted_lanes: 0,
            signature: sig.into(),
            simhash: None,
            shingles: 100,
            length: length as u32,
            numbers: Box::default(),
        }
    }

    fn story(tag: u32) -> Vec<u32> {
        (0..16).map(|i| tag * 1000 + i).collect()
    }

    fn all_pairs(fps: &[Fingerprint], first_new: usize) -> Vec<(u32, u32)> {
        let mut edges = Vec::new();
        for b in first_new..fps.len() {
            for a in 0..b {
                if cluster::verify(cluster::measure(&fps[a], &fps[b]), RULE).is_some() {
                    edges.push((a as u32, b as u32));
                }
            }
        }
        edges
    }

    fn run(
        fps: &[Fingerprint],
        first_new: usize,
        clusters: Vec<WorkCluster>,
        next: u64,
    ) -> Assignment {
        let new_docs: Vec<usize> = (first_new..fps.len()).collect();
        let edges = all_pairs(fps, first_new);
        assign(
            &|i| (&fps[i]).into(),
            &|_| None,
            Existing {
                total_docs: fps.len(),
                first_new,
                clusters,
                next_cluster: next,
            },
            &new_docs,
            &edges,
            &[],
            RULE,
        )
    }

    #[test]
    fn first_night_equals_a_batch_run() {
        let fps = vec![
            fp(story(1), 100),
            fp(story(2), 100),
            fp(story(1), 300),
            fp(story(3), 50),
            fp(story(2), 90),
        ];
        let got = run(&fps, 0, Vec::new(), 0);
        let batch = cluster::cluster(&fps, &all_pairs(&fps, 0), RULE);
        assert_eq!(got.clusters.len(), batch.len());
        assert_eq!(got.clusters[0].representative, 1);
        assert_eq!(got.clusters[0].members, vec![1, 4]);
        assert_eq!(got.clusters[1].representative, 2);
        assert_eq!(got.clusters[1].members, vec![0, 2]);
        assert_eq!(
            got.outcomes,
            vec![
                Outcome::NewCluster(1),
                Outcome::NewCluster(0),
                Outcome::NewCluster(1),
                Outcome::Unique,
                Outcome::NewCluster(0)
            ]
        );
        assert_eq!(got.next_cluster, 2);
    }

    #[test]
    fn outcomes_table() {
        // Old: 0,1 form cluster 7 (story 1, rep 0); 2 is an earlier single (story 2);
        // 3 is cluster 9 (with 4) of story 3.
        let old = vec![
            fp(story(1), 200),
            fp(story(1), 150),
            fp(story(2), 100),
            fp(story(3), 100),
            fp(story(3), 100),
        ];
        let existing = vec![
            WorkCluster {
                id: 7,
                representative: 0,
                members: vec![0, 1],
            },
            WorkCluster {
                id: 9,
                representative: 3,
                members: vec![3, 4],
            },
        ];
        // (new documents, expected outcomes, expected rep changes)
        let cases: Vec<(Vec<Fingerprint>, Vec<Outcome>, usize)> = vec![
            (vec![fp(story(1), 100)], vec![Outcome::Joined(7)], 0),
            (vec![fp(story(1), 900)], vec![Outcome::Joined(7)], 1),
            (vec![fp(story(2), 50)], vec![Outcome::NewCluster(10)], 0),
            (vec![fp(story(4), 50)], vec![Outcome::Unique], 0),
            (
                vec![fp(story(5), 50), fp(story(5), 60)],
                vec![Outcome::NewCluster(10), Outcome::NewCluster(10)],
                0,
            ),
        ];
        for (new, want, changes) in cases {
            let mut fps = old.clone();
            fps.extend(new);
            let got = run(&fps, old.len(), existing.clone(), 10);
            assert_eq!(got.outcomes, want);
            assert_eq!(got.representative_changes.len(), changes);
            // Old clusters never lose a member.
            for c in &existing {
                let now = got.clusters.iter().find(|x| x.id == c.id).unwrap();
                assert!(c.members.iter().all(|m| now.members.contains(m)));
            }
        }
    }

    #[test]
    fn a_fuller_version_merges_two_clusters_under_the_older_id() {
        // Cluster 3 holds the first half of a story, cluster 5 the second half; the new full
        // text contains both.
        let first: Vec<u32> = (0..16).collect();
        let second: Vec<u32> = (100..116).collect();
        let mut full: Vec<u32> = (0..8).collect();
        full.extend(108..116);
        let half = |sig: Vec<u32>| Fingerprint {
            quoted_lanes: 0,
            signature: sig.into(),
            simhash: None,
            shingles: 40,
            length: 100,
            numbers: Box::default(),
        };
        let mut fps = vec![
            half(first.clone()),
            half(first),
            half(second.clone()),
            half(second),
        ];
        fps.push(Fingerprint {
            quoted_lanes: 0,
            signature: full.into(),
            simhash: None,
            shingles: 80,
            length: 400,
            numbers: Box::default(),
        });
        let existing = vec![
            WorkCluster {
                id: 3,
                representative: 0,
                members: vec![0, 1],
            },
            WorkCluster {
                id: 5,
                representative: 2,
                members: vec![2, 3],
            },
        ];
        // Each half shares half of the full text's minima: J = 0.5 verifies at this threshold.
        let rule = Rule {
            threshold: 0.5,
            containment: 0.6,
            max_hamming_bits: 12,
        };
        let edges: Vec<(u32, u32)> = (0..4).map(|a| (a, 4)).collect();
        let old = |clusters| Existing {
            total_docs: 5,
            first_new: 4,
            clusters,
            next_cluster: 6,
        };
        let got = assign(
            &|i| (&fps[i]).into(),
            &|_| None,
            old(existing),
            &[4],
            &edges,
            &[],
            rule,
        );
        assert_eq!(
            got.merges,
            vec![Merge {
                into: 3,
                from: vec![5]
            }]
        );
        assert_eq!(got.outcomes, vec![Outcome::Joined(3)]);
        assert_eq!(got.clusters.len(), 1);
        let c = &got.clusters[0];
        assert_eq!((c.id, c.representative), (3, 4));
        assert_eq!(c.members, vec![0, 1, 2, 3, 4]);
        assert_eq!(got.representative_changes.len(), 1);
        // Without the full text, a half that only matches the other half stays apart.
        let only_first = vec![WorkCluster {
            id: 3,
            representative: 0,
            members: vec![0, 1],
        }];
        let before_full = Existing {
            total_docs: 4,
            first_new: 3,
            clusters: only_first,
            next_cluster: 6,
        };
        let lone = assign(
            &|i| (&fps[i]).into(),
            &|_| None,
            before_full,
            &[3],
            &[],
            &[],
            rule,
        );
        assert_eq!(lone.outcomes, vec![Outcome::Unique]);
    }

    fn lang(code: &str) -> Option<Lang> {
        Lang::from_code(code)
    }

    fn edge(a: u32, b: u32, score: f64) -> Edge {
        Edge { a, b, score }
    }

    /// Assigns the documents from `first_new` on with the same-language pairs all_pairs finds,
    /// the given translation pairs and languages.
    fn run_translated(
        fps: &[Fingerprint],
        langs: &[Option<Lang>],
        first_new: usize,
        clusters: Vec<WorkCluster>,
        translations: &[Edge],
    ) -> Assignment {
        let new_docs: Vec<usize> = (first_new..fps.len()).collect();
        assign(
            &|i| (&fps[i]).into(),
            &|i| langs[i],
            Existing {
                total_docs: fps.len(),
                first_new,
                clusters,
                next_cluster: 10,
            },
            &new_docs,
            &all_pairs(fps, first_new),
            translations,
            RULE,
        )
    }

    #[test]
    fn translations_join_existing_clusters_one_group_a_language_table() {
        // Old: cluster 4 = {0, 1}, story 1 in English (representative 0); 2 is an earlier
        // single French copy of story 2.
        let old = vec![fp(story(1), 200), fp(story(1), 150), fp(story(2), 100)];
        let old_langs = vec![lang("en"), lang("en"), lang("fr")];
        let existing = || {
            vec![WorkCluster {
                id: 4,
                representative: 0,
                members: vec![0, 1],
            }]
        };
        struct Case {
            what: &'static str,
            new: Vec<(Fingerprint, &'static str)>,
            edges: Vec<Edge>,
            outcomes: Vec<Outcome>,
            cluster_4: Vec<usize>,
        }
        let cases = vec![
            Case {
                what: "a French translation joins the English cluster",
                new: vec![(fp(story(11), 300), "fr")],
                edges: vec![edge(0, 3, 0.8)],
                outcomes: vec![Outcome::Joined(4)],
                cluster_4: vec![0, 1, 3],
            },
            Case {
                what: "through any member of the cluster",
                new: vec![(fp(story(11), 300), "de")],
                edges: vec![edge(1, 3, 0.6)],
                outcomes: vec![Outcome::Joined(4)],
                cluster_4: vec![0, 1, 3],
            },
            Case {
                what: "a second English story is no translation of the first",
                new: vec![(fp(story(12), 300), "en")],
                edges: vec![edge(0, 3, 0.9)],
                outcomes: vec![Outcome::Unique],
                cluster_4: vec![0, 1],
            },
            Case {
                what: "two French translations that are not one group: the better one joins",
                new: vec![(fp(story(11), 300), "fr"), (fp(story(13), 300), "fr")],
                edges: vec![edge(0, 3, 0.5), edge(0, 4, 0.7)],
                outcomes: vec![Outcome::Unique, Outcome::Joined(4)],
                cluster_4: vec![0, 1, 4],
            },
            Case {
                what: "a new cluster of two French copies joins whole",
                new: vec![(fp(story(11), 300), "fr"), (fp(story(11), 280), "fr")],
                edges: vec![edge(0, 4, 0.7)],
                outcomes: vec![Outcome::Joined(4), Outcome::Joined(4)],
                cluster_4: vec![0, 1, 3, 4],
            },
            Case {
                what: "a translation of an earlier single makes a new cluster",
                new: vec![(fp(story(14), 300), "de")],
                edges: vec![edge(2, 3, 0.7)],
                outcomes: vec![Outcome::NewCluster(10)],
                cluster_4: vec![0, 1],
            },
        ];
        for case in cases {
            let mut fps = old.clone();
            let mut langs = old_langs.clone();
            for (f, code) in case.new {
                fps.push(f);
                langs.push(lang(code));
            }
            let got = run_translated(&fps, &langs, old.len(), existing(), &case.edges);
            assert_eq!(got.outcomes, case.outcomes, "{}", case.what);
            let c4 = got.clusters.iter().find(|c| c.id == 4).unwrap();
            assert_eq!(c4.members, case.cluster_4, "{}", case.what);
            // The existing cluster keeps its representative.
            assert_eq!(c4.representative, 0, "{}", case.what);
            assert_eq!(
                got.touched.contains(&4),
                case.cluster_4.len() > 2,
                "{}",
                case.what
            );
            assert!(got.merges.is_empty() && got.representative_changes.is_empty());
        }
    }

    #[test]
    fn two_existing_clusters_never_join_by_a_translation() {
        // Cluster 4: story 1 in English; cluster 6: story 2 in French. A new English copy of
        // story 1 joins cluster 4 by the same-language rule; its translation pair with
        // cluster 6 must not pull the two clusters together.
        let fps = vec![
            fp(story(1), 200),
            fp(story(1), 150),
            fp(story(2), 200),
            fp(story(2), 150),
            fp(story(1), 180),
        ];
        let langs = vec![lang("en"), lang("en"), lang("fr"), lang("fr"), lang("en")];
        let existing = vec![
            WorkCluster {
                id: 4,
                representative: 0,
                members: vec![0, 1],
            },
            WorkCluster {
                id: 6,
                representative: 2,
                members: vec![2, 3],
            },
        ];
        let got = run_translated(&fps, &langs, 4, existing, &[edge(2, 4, 0.9)]);
        assert_eq!(got.outcomes, vec![Outcome::Joined(4)]);
        assert_eq!(got.clusters.len(), 2);
        assert_eq!(got.clusters[0].members, vec![0, 1, 4]);
        assert_eq!(got.clusters[1].members, vec![2, 3]);
    }

    #[test]
    fn new_stories_across_languages_take_one_id_and_the_longest_representative() {
        // All new: two English copies, a longer French translation, and an unrelated pair.
        let fps = vec![
            fp(story(1), 200),
            fp(story(1), 190),
            fp(story(5), 300),
            fp(story(3), 100),
            fp(story(3), 100),
        ];
        let langs = vec![lang("en"), lang("en"), lang("fr"), lang("en"), lang("en")];
        let got = run_translated(&fps, &langs, 0, Vec::new(), &[edge(1, 2, 0.7)]);
        // Ids in the order of the stories' representatives, none skipped.
        assert_eq!(got.clusters.len(), 2);
        assert_eq!(
            (got.clusters[0].id, got.clusters[0].representative),
            (10, 2)
        );
        assert_eq!(got.clusters[0].members, vec![0, 1, 2]);
        assert_eq!(
            (got.clusters[1].id, got.clusters[1].representative),
            (11, 3)
        );
        assert_eq!(got.next_cluster, 12);
        assert_eq!(
            got.outcomes,
            vec![
                Outcome::NewCluster(10),
                Outcome::NewCluster(10),
                Outcome::NewCluster(10),
                Outcome::NewCluster(11),
                Outcome::NewCluster(11)
            ]
        );
        assert_eq!(got.touched, BTreeSet::from([10, 11]));
    }

    #[test]
    fn a_copy_joins_a_story_led_by_its_translation_through_its_own_language() {
        // Cluster 4: a French representative (the longest) and its English original; a new
        // English reprint verifies against the English member, not against the French text.
        let fps = vec![fp(story(7), 400), fp(story(1), 200), fp(story(1), 210)];
        let existing = vec![WorkCluster {
            id: 4,
            representative: 0,
            members: vec![0, 1],
        }];
        let langs = vec![lang("fr"), lang("en"), lang("en")];
        let got = run_translated(&fps, &langs, 2, existing.clone(), &[]);
        assert_eq!(got.outcomes, vec![Outcome::Joined(4)]);
        assert_eq!(got.clusters[0].members, vec![0, 1, 2]);
        assert_eq!(got.clusters[0].representative, 0);
        // Without languages (translations off) it is measured against the representative.
        let none = vec![None; 3];
        let got = run_translated(&fps, &none, 2, existing, &[]);
        assert_eq!(got.outcomes, vec![Outcome::Unique]);
    }
}
