//! `explain`: why two documents were (or were not) grouped. Runs the same stages as dedup on the
//! corpus, then lays out the two documents' measures, the rule that decides, the boilerplate
//! each lost and an aligned word diff of the text that was fingerprinted.

use serde::Serialize;

use crate::cluster::{self, MatchKind, Rule};
use crate::config::Config;
use crate::crosslang;
use crate::error::{Error, Result};
use crate::passes::document::{fingerprint_all, sketch_all};
use crate::passes::memory::{load, removed_lines, strip_boilerplate};
use crate::pipeline::{self, NoProgress};
use crate::report::round4;
use crate::shingle;

/// One of the two documents.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    /// Document id.
    pub id: String,
    /// Distinct shingles of its kept text.
    pub shingles: usize,
    /// Characters of kept text.
    pub kept_chars: usize,
    /// Lines left out of the fingerprint as boilerplate.
    pub boilerplate: Vec<String>,
}

/// A run of words in the aligned diff.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DiffRun {
    /// `both`, `only_a` or `only_b`.
    pub side: &'static str,
    /// The words, space-separated.
    pub text: String,
}

/// Everything `reprint explain` reports.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// The first document.
    pub a: Side,
    /// The second document.
    pub b: Side,
    /// MinHash estimate of the Jaccard similarity (what dedup uses).
    pub jaccard_estimate: f64,
    /// MinHash-based estimate of the smaller document's containment in the larger.
    pub containment_estimate: f64,
    /// Exact Jaccard similarity of the shingle sets.
    pub jaccard_exact: f64,
    /// Exact containment of the smaller set in the larger.
    pub containment_exact: f64,
    /// Shingles in both.
    pub shared_shingles: usize,
    /// Shingles in only one of them.
    pub distinct_shingles: usize,
    /// Both carry enough figures and share too few: different stories from one template.
    pub figures_differ: bool,
    /// Places (the words beside a figure) where both texts carry a figure, and how many of them
    /// hold the same figure on both sides: `[agreeing, shared]`.
    pub figure_slots: [usize; 2],
    /// Of the agreeing places, those whose figure has one or two digits: weak evidence, which
    /// counts half (`shingle::WEAK_DIGITS`).
    pub weak_figure_slots: usize,
    /// The weighted share of agreeing figures the pair is judged by (under 0.5 with at least
    /// four shared places: a template story): place by place, or figure by figure below
    /// estimated Jaccard 0.5 (`cluster::figure_share`).
    pub figure_share: f64,
    /// How the MinHash lanes the two agree on split between text both quote and the rest
    /// (absent under SimHash).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quoted_lanes: Option<cluster::QuotedLanes>,
    /// The rule that groups them, or `None` when dedup would keep them apart.
    pub verdict: Option<MatchKind>,
    /// A sentence saying why.
    pub reason: String,
    /// Word-level alignment of the two kept texts.
    pub diff: Vec<DiffRun>,
    /// The comparison across languages, when translations are on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub translation: Option<TranslationExplanation>,
}

/// How the translation rule sees the pair: each side's language and names and figures, what
/// they share, and the rule's measures.
#[derive(Debug, Clone, Serialize)]
pub struct TranslationExplanation {
    /// Language of A (ISO 639-1), when it could be told.
    pub lang_a: Option<&'static str>,
    /// Language of B.
    pub lang_b: Option<&'static str>,
    /// A's anchors in order, as `word (key)`.
    pub anchors_a: Vec<String>,
    /// B's anchors in order.
    pub anchors_b: Vec<String>,
    /// The anchors both have, in A's order, as `word / word (key)`.
    pub shared: Vec<String>,
    /// Ordered overlap (weighted longest common subsequence over the smaller side).
    pub score: f64,
    /// Share of the smaller side's anchors found in the other.
    pub coverage: f64,
    /// Weight of the common subsequence itself (see `crosslang::MIN_EVIDENCE`).
    pub evidence: f64,
    /// Whether the pair can be compared across languages at all (two known, different
    /// languages, enough anchors on each side).
    pub comparable: bool,
    /// Whether the translation rule groups them.
    pub matches: bool,
}

/// Explains the pair `a`, `b` (document ids of the corpus in `config.paths`).
pub fn explain(config: &Config, a: &str, b: &str) -> Result<Explanation> {
    pipeline::in_pool(config, |found| {
        let (corpus, _) = load(config, found.inputs, found.skipped, &NoProgress);
        let find = |id: &str| {
            corpus.ids.position(id).ok_or_else(|| Error::InvalidConfig {
                name: "document",
                message: format!("{id:?} is not a readable document of the corpus"),
            })
        };
        let (ia, ib) = (find(a)?, find(b)?);
        let (kept, _) = strip_boilerplate(config, &corpus);
        let pair = [kept[ia].clone(), kept[ib].clone()];
        let fps = fingerprint_all(config, &pair, &corpus.frequent, &NoProgress);
        let m = cluster::measure(&fps[0], &fps[1]);
        let figures = crate::shingle::figure_agreement(&fps[0].numbers, &fps[1].numbers);
        let rule = Rule::from_config(config);
        let mut verdict = cluster::verify(m, rule);
        let translation = config
            .translations
            .then(|| translation_of(config, &corpus.raw, &kept, (ia, ib), m.jaccard));
        let by_translation = verdict.is_none()
            && !m.figures_differ
            && translation.as_ref().is_some_and(|t| t.matches);
        if by_translation {
            verdict = Some(MatchKind::Translation);
        }
        // The exact measures count the shingles the fingerprints were made of.
        let informative = |text: &str| {
            let mut set = shingle::shingle_set(text, config.shingle, config.seed);
            corpus
                .frequent
                .retain_informative(&mut set, &mut Vec::new());
            set
        };
        let (sa, sb) = (informative(&pair[0]), informative(&pair[1]));
        let shared = sa.iter().filter(|h| sb.binary_search(h).is_ok()).count();
        let union = sa.len() + sb.len() - shared;
        let ratio = |n: usize, d: usize| if d == 0 { 0.0 } else { n as f64 / d as f64 };
        let reason = match verdict {
            Some(MatchKind::Translation) => {
                let t = translation.as_ref();
                format!(
                    "grouped as a translation: {} and {} share {} names and figures in much the \
                     same order (ordered overlap {:.3} ≥ {}); estimated Jaccard {:.3} < {}",
                    t.and_then(|t| t.lang_a).unwrap_or("?"),
                    t.and_then(|t| t.lang_b).unwrap_or("?"),
                    t.map_or(0, |t| t.shared.len()),
                    t.map_or(0.0, |t| t.score),
                    crosslang::MIN_SCORE,
                    m.jaccard,
                    crosslang::MAX_SAME_TEXT_JACCARD
                )
            }
            None if cluster::is_quotation(&m) => {
                let q = m.quoted_lanes.unwrap_or_default();
                format!(
                    "kept apart: all they share is quoted, or the closing paragraph of a brief \
                     (estimated Jaccard {:.3} ≤ {}): {} of the {} lanes they agree on are such \
                     text in both, as when two stories quote one statement or two briefs end \
                     with one platform's footer",
                    m.jaccard,
                    cluster::QUOTATION_MAX_JACCARD,
                    q.quoted,
                    q.agreeing
                )
            }
            _ if m.figures_differ => {
                format!(
                    "kept apart: their figures agree in {} of the {} places where both have one, \
                     {} of them small numbers that count half; weighted{}, {:.2} of them agree, \
                     under half (a template story)",
                    figures.agree,
                    figures.common,
                    figures.weak,
                    if cluster::figures_judged_one_by_one(m.jaccard) {
                        " figure by figure"
                    } else {
                        ""
                    },
                    cluster::figure_share(&figures, m.jaccard)
                )
            }
            Some(MatchKind::NearDuplicate) if m.hamming_bits.is_some() => format!(
                "grouped: SimHash fingerprints {} bits apart ≤ {}",
                m.hamming_bits.unwrap_or(0),
                config.simhash_max_distance_bits
            ),
            None if m.hamming_bits.is_some() => format!(
                "kept apart: SimHash fingerprints {} bits apart > {}",
                m.hamming_bits.unwrap_or(0),
                config.simhash_max_distance_bits
            ),
            Some(MatchKind::NearDuplicate) => format!(
                "grouped: estimated Jaccard {:.3} ≥ threshold {}",
                m.jaccard, config.threshold
            ),
            Some(MatchKind::Contained) => format!(
                "grouped as a cut copy: estimated containment {:.3} ≥ {} of the smaller document \
                 (it has {:.0}% of the other's shingles; Jaccard {:.3})",
                m.containment,
                config.containment,
                100.0 * m.size_ratio,
                m.jaccard
            ),
            _ => format!(
                "kept apart: estimated Jaccard {:.3} < {} and containment {:.3} < {}",
                m.jaccard, config.threshold, m.containment, config.containment
            ),
        };
        let side = |i: usize, k: &str, fp: &cluster::Fingerprint| Side {
            id: corpus.ids.get(i).to_string(),
            shingles: fp.shingles as usize,
            kept_chars: fp.length as usize,
            boilerplate: removed_lines(&corpus.texts[i], k),
        };
        Ok(Explanation {
            a: side(ia, &pair[0], &fps[0]),
            b: side(ib, &pair[1], &fps[1]),
            jaccard_estimate: round4(m.jaccard),
            containment_estimate: round4(m.containment),
            jaccard_exact: round4(ratio(shared, union)),
            containment_exact: round4(ratio(shared, sa.len().min(sb.len()))),
            shared_shingles: shared,
            distinct_shingles: union - shared,
            figures_differ: m.figures_differ,
            figure_slots: [figures.agree, figures.common],
            weak_figure_slots: figures.weak,
            figure_share: round4(cluster::figure_share(&figures, m.jaccard)),
            quoted_lanes: m.quoted_lanes,
            verdict,
            reason,
            diff: word_diff(&pair[0], &pair[1]),
            translation,
        })
    })?
}

/// The translation rule's view of documents `ia` and `ib` of a corpus (`raw`: texts as read,
/// `kept`: kept texts), anchors weighted by how many of the corpus's documents carry them, as in
/// dedup; `same_text_jaccard` is the pair's estimated Jaccard similarity.
fn translation_of(
    config: &Config,
    raw: &[String],
    kept: &[String],
    (ia, ib): (usize, usize),
    same_text_jaccard: f64,
) -> TranslationExplanation {
    let table = sketch_all(config, raw, kept, true);
    let chars: Vec<u32> = kept.iter().map(|t| t.chars().count() as u32).collect();
    let counts = crosslang::AnchorCounts::new(&table, &vec![true; table.len()], &chars);
    let mut extractor = crate::anchor::Extractor::default();
    let (a, b) = (table.get(ia), table.get(ib));
    let la = extractor.labelled(&raw[ia], &kept[ia], a.lang, config.seed);
    let lb = extractor.labelled(&raw[ib], &kept[ib], b.lang, config.seed);
    let t = crosslang::measure(a, b, &counts);
    let comparable = crosslang::comparable(a, b);
    let show = |l: &crate::anchor::Labelled| format!("{} ({})", l.surface, l.key);
    TranslationExplanation {
        lang_a: a.lang.map(crate::lang::Lang::code),
        lang_b: b.lang.map(crate::lang::Lang::code),
        anchors_a: la.iter().map(show).collect(),
        anchors_b: lb.iter().map(show).collect(),
        shared: la
            .iter()
            .filter_map(|x| {
                let y = lb.iter().find(|y| y.hash == x.hash)?;
                Some(format!("{} / {} ({})", x.surface, y.surface, x.key))
            })
            .collect(),
        score: round4(t.score),
        coverage: round4(t.coverage),
        evidence: round4(t.evidence),
        comparable,
        matches: comparable && crosslang::verify(t, same_text_jaccard),
    }
}

/// Aligns two texts word by word (Patience diff from the `similar` crate), merging runs.
pub fn word_diff(a: &str, b: &str) -> Vec<DiffRun> {
    let wa: Vec<&str> = a.split_whitespace().collect();
    let wb: Vec<&str> = b.split_whitespace().collect();
    align(&wa, &wb)
        .into_iter()
        .map(|span| {
            let words = match span.side {
                "only_b" => &wb[span.b],
                _ => &wa[span.a],
            };
            DiffRun {
                side: span.side,
                text: words.join(" "),
            }
        })
        .collect()
}

/// One run of an alignment of two sequences: a stretch both have (`both`), or one only `a` or
/// only `b` has; `a` and `b` are the run's ranges in each (the other side's range is empty for
/// a one-sided run).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// `both`, `only_a` or `only_b`.
    pub side: &'static str,
    /// The run's items in `a`.
    pub a: std::ops::Range<usize>,
    /// The run's items in `b`.
    pub b: std::ops::Range<usize>,
}

/// Aligns two sequences (patience diff): the runs in order, neighbours never on the same side.
/// What [`word_diff`] draws; the HTML report aligns the keys of two copies' published words
/// with it and draws the words themselves.
pub fn align<T: std::hash::Hash + Eq + Ord>(a: &[T], b: &[T]) -> Vec<Span> {
    let mut spans: Vec<Span> = Vec::new();
    let mut push = |side: &'static str, a: std::ops::Range<usize>, b: std::ops::Range<usize>| {
        if a.is_empty() && b.is_empty() {
            return;
        }
        match spans.last_mut() {
            Some(last) if last.side == side => {
                last.a.end = a.end;
                last.b.end = b.end;
            }
            _ => spans.push(Span { side, a, b }),
        }
    };
    for op in similar::capture_diff_slices(similar::Algorithm::Patience, a, b) {
        let (x, y) = (op.old_range(), op.new_range());
        match op {
            similar::DiffOp::Equal { .. } => push("both", x, y),
            similar::DiffOp::Delete { .. } => push("only_a", x, y.start..y.start),
            similar::DiffOp::Insert { .. } => push("only_b", x.start..x.start, y),
            similar::DiffOp::Replace { .. } => {
                push("only_a", x.clone(), y.start..y.start);
                push("only_b", x.end..x.end, y);
            }
        }
    }
    spans
}

impl Explanation {
    /// A human-readable rendering.
    pub fn to_text(&self) -> String {
        use std::fmt::Write as _;
        let mut o = String::new();
        let _ = writeln!(
            o,
            "A: {} ({} shingles, {} chars kept)",
            self.a.id, self.a.shingles, self.a.kept_chars
        );
        let _ = writeln!(
            o,
            "B: {} ({} shingles, {} chars kept)",
            self.b.id, self.b.shingles, self.b.kept_chars
        );
        let _ = writeln!(
            o,
            "jaccard     estimate {:.4}  exact {:.4}\ncontainment estimate {:.4}  exact {:.4}\nshingles    shared {}  distinct {}",
            self.jaccard_estimate, self.jaccard_exact, self.containment_estimate, self.containment_exact,
            self.shared_shingles, self.distinct_shingles
        );
        let _ = writeln!(o, "{}", self.reason);
        if let Some(t) = &self.translation {
            let _ = writeln!(
                o,
                "\nacross languages: A {} B {}, ordered overlap {:.4}, coverage {:.4}, evidence {:.4}, \
                 {} shared{}",
                t.lang_a.unwrap_or("?"),
                t.lang_b.unwrap_or("?"),
                t.score,
                t.coverage,
                t.evidence,
                t.shared.len(),
                if t.comparable {
                    ""
                } else {
                    " (not comparable: one language, unknown language or too few names and figures)"
                }
            );
            let _ = writeln!(o, "  shared: {}", t.shared.join(", "));
            let _ = writeln!(o, "  only A: {}", only(&t.anchors_a, &t.shared));
            let _ = writeln!(o, "  only B: {}", only(&t.anchors_b, &t.shared));
        }
        for (name, side) in [("A", &self.a), ("B", &self.b)] {
            let _ = writeln!(
                o,
                "\nboilerplate removed from {name} ({} lines):",
                side.boilerplate.len()
            );
            for l in &side.boilerplate {
                let _ = writeln!(o, "  - {l}");
            }
        }
        let _ = writeln!(o, "\ndiff of kept text ([-only A-] {{+only B+}}):");
        for run in &self.diff {
            match run.side {
                "only_a" => {
                    let _ = write!(o, "[-{}-] ", run.text);
                }
                "only_b" => {
                    let _ = write!(o, "{{+{}+}} ", run.text);
                }
                _ => {
                    let _ = write!(o, "{} ", run.text);
                }
            }
        }
        o.push('\n');
        o
    }
}

/// The anchors of `side` that are not among `shared` (compared by key), joined for display.
fn only(side: &[String], shared: &[String]) -> String {
    let key = |s: &str| {
        s.rsplit_once(" (")
            .map_or(String::new(), |(_, k)| k.to_string())
    };
    let shared: Vec<String> = shared.iter().map(|s| key(s)).collect();
    side.iter()
        .filter(|s| !shared.contains(&key(s)))
        .cloned()
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_diff_table() {
        // (a, b, expected runs)
        type Runs = &'static [(&'static str, &'static str)];
        let cases: &[(&str, &str, Runs)] = &[
            ("a b c", "a b c", &[("both", "a b c")]),
            ("a b c d", "a b", &[("both", "a b"), ("only_a", "c d")]),
            (
                "a x c",
                "a y c",
                &[
                    ("both", "a"),
                    ("only_a", "x"),
                    ("only_b", "y"),
                    ("both", "c"),
                ],
            ),
        ];
        for (a, b, want) in cases {
            let got: Vec<(&str, String)> = word_diff(a, b)
                .into_iter()
                .map(|r| (r.side, r.text))
                .collect();
            let want: Vec<(&str, String)> = want.iter().map(|(s, t)| (*s, t.to_string())).collect();
            assert_eq!(got, want, "{a:?} vs {b:?}");
        }
    }

    #[test]
    fn removed_lines_table() {
        assert_eq!(removed_lines("x\ny\nz", "y"), vec!["x", "z"]);
        assert!(removed_lines("x\ny", "x\ny").is_empty());
        // A kept line less one of its sentences lists that sentence.
        assert_eq!(
            removed_lines(
                "x\none two. three four. five six\nz",
                "x\none two. five six\nz"
            ),
            vec!["three four."]
        );
    }
}
