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

use std::collections::BTreeSet;

use crate::cluster::{self, FingerprintRef, Rule};

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

/// Assigns `new_docs` (ascending indexes, all `>= existing.first_new`) given the existing
/// clusters, the verified `edges` that touch a new document, and each document's fingerprint.
pub fn assign<'a>(
    fp: &dyn Fn(usize) -> FingerprintRef<'a>,
    existing: Existing,
    new_docs: &[usize],
    edges: &[(u32, u32)],
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
        let rep_of = |t: Target, slots: &[Option<WorkCluster>]| match t {
            Target::Cluster(s) => slots[s].as_ref().map_or(usize::MAX, |c| c.representative),
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
        let id = out.next_cluster;
        out.next_cluster += 1;
        created.insert(id);
        let mut members: Vec<usize> = c.members.iter().map(|m| left[m.doc]).collect();
        members.sort_unstable();
        let slot = slots.len();
        for &m in &members {
            slot_of[m] = Some(slot);
        }
        slots.push(Some(WorkCluster {
            id,
            representative: left[c.representative],
            members,
        }));
        out.touched.insert(id);
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
    out
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
            Existing {
                total_docs: fps.len(),
                first_new,
                clusters,
                next_cluster: next,
            },
            &new_docs,
            &edges,
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
        let got = assign(&|i| (&fps[i]).into(), old(existing), &[4], &edges, rule);
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
        let lone = assign(&|i| (&fps[i]).into(), before_full, &[3], &[], rule);
        assert_eq!(lone.outcomes, vec![Outcome::Unique]);
    }
}
