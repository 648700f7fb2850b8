//! Provenance: which copy of a story was published first, how long each other copy came after
//! it, and which sources reprint which. Owns a cluster's `origin`, its members' `lag_seconds`
//! and the report's `sources` list.
//!
//! It works on the report's entries alone (each member's source, date, date source and
//! language), never on fingerprints or texts, so that every way of running the pipeline (a
//! batch run, a night against an index, the Python stages, the Ray job) gets the same answer
//! from the same clusters.
//!
//! Dates come in two kinds. Publication evidence (a record's field, the page's metadata, a
//! dateline, the WARC-Date, which bounds publication from above) says when a copy appeared;
//! a file's modification time says when a scraper wrote it. An origin is chosen among the
//! first kind when any member has one: an early mtime must not outrank a dated page. A lag is
//! only given between dates of the same kind.

use std::collections::BTreeMap;

use crate::corpus::date::{self, DateSource};
use crate::report::{ClusterReport, MemberReport, SourceEdge, SourceReport};

/// The kind of a date: 0 for publication evidence, 1 for a file's mtime or an unknown source
/// (an indexed document stored before sources were kept). Smaller is better.
fn kind(source: Option<DateSource>) -> u8 {
    match source {
        Some(DateSource::Field | DateSource::HtmlMeta | DateSource::Text | DateSource::Warc) => 0,
        Some(DateSource::Mtime) | None => 1,
    }
}

/// A member's date as (kind, Unix seconds, whether it is only a day), when it has one the
/// reader can read back.
fn dated(m: &MemberReport) -> Option<(u8, i64, bool)> {
    let seconds = date::parse(m.date.as_deref()?)?;
    Some((kind(m.date_source), seconds, date::is_day_only(seconds)))
}

/// The last instant a date can stand for: a day stands for any time of it, so a copy timed at
/// 09:42 on the 11th is not taken to come after one that only says "11 March".
fn latest(seconds: i64, day_only: bool) -> i64 {
    if day_only {
        seconds.saturating_add(86_399)
    } else {
        seconds
    }
}

/// Sets `cluster.origin` and every member's `lag_seconds` from the members' dates.
pub fn annotate(cluster: &mut ClusterReport) {
    // Each member's date is read back from its text once.
    let dates: Vec<Option<(u8, i64, bool)>> = cluster.members.iter().map(dated).collect();
    let origin = cluster
        .members
        .iter()
        .zip(&dates)
        .filter_map(|(m, d)| d.map(|(k, s, day)| ((k, latest(s, day), m.id.as_str()), (s, day))))
        .min()
        .map(|((k, _, id), (s, day))| (k, s, day, id.to_string()));
    for (m, d) in cluster.members.iter_mut().zip(dates) {
        m.lag_seconds = match (&origin, d) {
            // Only between dates of one kind and one precision: an mtime against a publication
            // date measures the crawler, a day against a time invents hours. The origin is the
            // earliest of its kind, so a lag is never negative.
            (Some((ok, os, oday, _)), Some((k, s, day))) if k == *ok && day == *oday => {
                Some(s.saturating_sub(*os).max(0))
            }
            _ => None,
        };
    }
    cluster.origin = origin.map(|(_, _, _, id)| id);
}

/// The report's `sources`: every named source with documents in the run (`documents`, by
/// name) or a part in a cluster, sorted by name. A copy counts as a reprint of the origin's
/// source when it comes from another named source; copies from the origin's own source, or
/// from an unknown one, make no edge.
pub fn sources(
    clusters: &[ClusterReport],
    documents: &BTreeMap<String, usize>,
) -> Vec<SourceReport> {
    #[derive(Default)]
    struct Tally {
        documents: usize,
        originated: usize,
        reprinted: usize,
        /// By origin source: copies, translated copies, known lags.
        from: BTreeMap<String, (usize, usize, Vec<i64>)>,
    }
    let mut by_source: BTreeMap<String, Tally> = BTreeMap::new();
    for (name, &n) in documents {
        if !name.is_empty() {
            by_source.entry(name.clone()).or_default().documents += n;
        }
    }
    for c in clusters {
        let Some(origin) = c
            .origin
            .as_deref()
            .and_then(|id| c.members.iter().find(|m| m.id == id))
        else {
            continue;
        };
        if origin.source.is_empty() {
            continue;
        }
        by_source
            .entry(origin.source.clone())
            .or_default()
            .originated += 1;
        for m in &c.members {
            if m.id == origin.id || m.source.is_empty() || m.source == origin.source {
                continue;
            }
            let tally = by_source.entry(m.source.clone()).or_default();
            tally.reprinted += 1;
            let edge = tally.from.entry(origin.source.clone()).or_default();
            edge.0 += 1;
            if m.lang.is_some() && origin.lang.is_some() && m.lang != origin.lang {
                edge.1 += 1;
            }
            if let Some(lag) = m.lag_seconds {
                edge.2.push(lag);
            }
        }
    }
    by_source
        .into_iter()
        .map(|(source, t)| {
            let mut from: Vec<SourceEdge> = t
                .from
                .into_iter()
                .map(|(source, (count, translated, mut lags))| {
                    lags.sort_unstable();
                    SourceEdge {
                        source,
                        count,
                        translated,
                        median_lag_seconds: lags.get(lags.len().saturating_sub(1) / 2).copied(),
                    }
                })
                .collect();
            // Names are unique, so this order is total.
            from.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.source.cmp(&b.source)));
            SourceReport {
                source,
                documents: t.documents,
                originated: t.originated,
                reprinted: t.reprinted,
                from,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::MatchKind;

    fn member(id: &str, source: &str, date: Option<(&str, DateSource)>) -> MemberReport {
        MemberReport {
            id: id.into(),
            similarity: 1.0,
            containment: 1.0,
            kind: MatchKind::NearDuplicate,
            via: None,
            lang: None,
            source: source.into(),
            date: date.map(|(d, _)| d.into()),
            date_source: date.map(|(_, s)| s),
            lag_seconds: None,
            new: None,
        }
    }

    fn cluster(members: Vec<MemberReport>) -> ClusterReport {
        ClusterReport {
            id: 0,
            size: members.len(),
            representative: members[0].id.clone(),
            origin: None,
            members,
        }
    }

    const T0: &str = "2026-12-01T10:00:00Z";
    const T1: &str = "2026-12-01T11:00:00Z";
    const T2: &str = "2026-12-01T13:00:00Z";
    const D0: &str = "2026-11-30";
    const D1: &str = "2026-12-01";

    #[test]
    fn origin_and_lags_table() {
        use DateSource::*;
        // (members as (id, date, source), expected origin, expected lags by member order)
        type Case<'a> = (
            Vec<(&'a str, Option<(&'a str, DateSource)>)>,
            Option<&'a str>,
            Vec<Option<i64>>,
        );
        let cases: Vec<Case> = vec![
            // The earliest publication date wins, whatever the member order.
            (
                vec![("b", Some((T1, HtmlMeta))), ("a", Some((T0, Field)))],
                Some("a"),
                vec![Some(3600), Some(0)],
            ),
            // An earlier mtime does not outrank a publication date, and gets no lag.
            (
                vec![("m", Some((T0, Mtime))), ("p", Some((T2, Text)))],
                Some("p"),
                vec![None, Some(0)],
            ),
            // Only mtimes: the earliest of them, lags between them.
            (
                vec![("x", Some((T2, Mtime))), ("y", Some((T1, Mtime)))],
                Some("y"),
                vec![Some(7200), Some(0)],
            ),
            // A tie goes to the smaller id.
            (
                vec![("z", Some((T0, Warc))), ("c", Some((T0, Field)))],
                Some("c"),
                vec![Some(0), Some(0)],
            ),
            // Undated members: no lag; nothing dated: no origin.
            (
                vec![("u", None), ("d", Some((T1, Field)))],
                Some("d"),
                vec![None, Some(0)],
            ),
            (vec![("u", None), ("v", None)], None, vec![None, None]),
            // A day stands for any time of it: the timed copy of that day is the origin, and
            // a day against a time has no lag; an earlier day wins; days have day lags.
            (
                vec![("day", Some((D1, Text))), ("timed", Some((T1, HtmlMeta)))],
                Some("timed"),
                vec![None, Some(0)],
            ),
            (
                vec![
                    ("timed", Some((T1, HtmlMeta))),
                    ("before", Some((D0, Text))),
                ],
                Some("before"),
                vec![None, Some(0)],
            ),
            (
                vec![("d1", Some((D1, Text))), ("d0", Some((D0, Field)))],
                Some("d0"),
                vec![Some(86_400), Some(0)],
            ),
        ];
        for (members, origin, lags) in cases {
            let mut c = cluster(
                members
                    .iter()
                    .map(|&(id, d)| member(id, "site", d))
                    .collect(),
            );
            annotate(&mut c);
            assert_eq!(c.origin.as_deref(), origin, "{members:?}");
            let got: Vec<Option<i64>> = c.members.iter().map(|m| m.lag_seconds).collect();
            assert_eq!(got, lags, "{members:?}");
        }
    }

    #[test]
    fn sources_count_origins_reprints_and_edges() {
        use DateSource::*;
        let mut story1 = cluster(vec![
            member("agg/1", "agg", Some((T2, HtmlMeta))),
            member("wire/1", "wire", Some((T0, Field))),
            member("blog/1", "blog", Some((T1, Text))),
            // Its own source again: neither a reprint nor an edge.
            member("wire/1b", "wire", Some((T1, Field))),
            // Unknown source: no edge.
            member("x", "", Some((T1, Field))),
        ]);
        let mut story2 = cluster(vec![
            member("agg/2", "agg", Some((T2, Mtime))),
            member("wire/2", "wire", Some((T0, Field))),
        ]);
        story2.members[0].lang = Some("fr");
        story2.members[1].lang = Some("en");
        let mut undated = cluster(vec![
            member("agg/3", "agg", None),
            member("blog/3", "blog", None),
        ]);
        for c in [&mut story1, &mut story2, &mut undated] {
            annotate(c);
        }
        let documents: BTreeMap<String, usize> =
            [("agg", 3), ("blog", 2), ("wire", 3), ("", 1), ("quiet", 4)]
                .into_iter()
                .map(|(s, n)| (s.to_string(), n))
                .collect();
        let got = sources(&[story1, story2, undated], &documents);
        let edge = |source: &str, count, translated, lag| SourceEdge {
            source: source.into(),
            count,
            translated,
            median_lag_seconds: lag,
        };
        let want = vec![
            SourceReport {
                source: "agg".into(),
                documents: 3,
                originated: 0,
                reprinted: 2,
                // Story 2's copy is dated by mtime only: counted, with no lag.
                from: vec![edge("wire", 2, 1, Some(10_800))],
            },
            SourceReport {
                source: "blog".into(),
                documents: 2,
                originated: 0,
                reprinted: 1,
                from: vec![edge("wire", 1, 0, Some(3600))],
            },
            SourceReport {
                source: "quiet".into(),
                documents: 4,
                originated: 0,
                reprinted: 0,
                from: vec![],
            },
            SourceReport {
                source: "wire".into(),
                documents: 3,
                originated: 2,
                reprinted: 0,
                from: vec![],
            },
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn median_lag_is_the_lower_median() {
        let mut c = cluster(vec![member("o", "a", Some((T0, DateSource::Field)))]);
        for (i, t) in [T1, T2, T2, T1].iter().enumerate() {
            c.members.push(member(
                &format!("c{i}"),
                &format!("s{}", i % 2),
                Some((t, DateSource::Field)),
            ));
        }
        annotate(&mut c);
        let got = sources(&[c], &BTreeMap::new());
        let lags: Vec<(String, Option<i64>)> = got
            .iter()
            .flat_map(|s| {
                s.from
                    .iter()
                    .map(|e| (s.source.clone(), e.median_lag_seconds))
            })
            .collect();
        // s0 has lags 3600 and 10800 (lower median 3600), s1 has 10800 and 3600.
        assert_eq!(
            lags,
            vec![
                ("s0".to_string(), Some(3600)),
                ("s1".to_string(), Some(3600))
            ]
        );
    }
}
