//! Cross-language matching: finds documents in different languages that carry the same anchors
//! ([`crate::anchor`]) in the same order, verifies each such pair by an explicit rule, and joins
//! the same-language clusters ([`crate::cluster`]) of verified pairs into one story. Owns the
//! table of translation sketches, the candidate search over it, the rule and the joining.
//!
//! Same-language matching is left exactly as it was: this stage only ever adds translated
//! copies to clusters, and never puts two documents of one language together that the
//! same-language rule kept apart (a joined story holds at most one same-language cluster a
//! language). DESIGN.md ("Translations") gives the measurements behind every constant.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::anchor::Sketch;
use crate::cluster::{self, Cluster, Fingerprints, MatchKind, Measures, Member};
use crate::lang::Lang;

/// Fewest anchors a document needs to be matched across languages: a brief with fewer names
/// and figures than this shares them with too many other stories.
pub const MIN_ANCHORS: usize = 6;

/// Fewest anchors a translated pair must share.
pub const MIN_SHARED: usize = 6;

/// Lowest ordered overlap ([`TranslationMeasures::score`]) of a translated pair.
pub const MIN_SCORE: f64 = 0.4;

/// Lowest [`TranslationMeasures::evidence`] of a translated pair: its common anchors, in
/// order, must weigh as much as 1.25 anchors that no other document carries. A brief whose
/// names are the ones every story of the season has (a president, his rival, Wall Street, a
/// bail-out's sum) shares them in order with many stories, and tells none of them apart.
pub const MIN_EVIDENCE: f64 = 1.25;

/// Highest [`TranslationMeasures::spread`] of a translated pair: a translation, or a translated
/// excerpt, stretches over about as many (scaled) anchors of the larger document as it has
/// itself; the translations dev corpus's true pairs reach 2.9, a short text meeting names
/// scattered over a long OCR page 17.
pub const MAX_SPREAD: f64 = 4.0;

/// Highest same-language similarity (estimated Jaccard of the main fingerprints) of a pair
/// judged as a translation: a translation shares no running text with its original beyond
/// names and figures, so a pair sharing more is in one language, whatever the language
/// identification said, and only the same-language rule may judge it.
pub const MAX_SAME_TEXT_JACCARD: f64 = 0.15;

/// Anchors of each document probed in the candidate search: its rarest ones that some other
/// document also has. A translation shares its story's rare names and figures, so a copy's
/// rarest anchors occur in its story's other copies.
pub const PROBES: usize = 15;

/// Probes of one document that must occur in another for the two to be a candidate pair.
pub const MIN_SHARED_PROBES: usize = 2;

/// An anchor carried by more documents than this is no probe: it is not rare, and pairing all
/// its documents would cost the square of their number.
pub const PROBE_MAX_DOCUMENTS: u32 = 256;

/// Whether an anchor carried by `documents` documents takes part in the candidate search: some
/// other document has it, and not too many do.
pub fn searchable(documents: u32) -> bool {
    (2..=PROBE_MAX_DOCUMENTS).contains(&documents)
}

/// Anchors a [`SketchTable`] row keeps of a sketch: the first this many.
pub const ROW_ANCHORS: usize = u8::MAX as usize;

/// No language, in a table's language column.
const NO_LANG: u8 = u8::MAX;

/// The translation sketches of a run's documents, one row a document, their anchors end to end.
#[derive(Debug, Default, Clone)]
pub struct SketchTable {
    rows: Vec<Row>,
    anchors: Vec<u32>,
}

#[derive(Debug, Clone, Copy)]
struct Row {
    start: u64,
    len: u8,
    lang: u8,
}

impl Default for Row {
    fn default() -> Self {
        Row {
            start: 0,
            len: 0,
            lang: NO_LANG,
        }
    }
}

/// One document's sketch as read from a [`SketchTable`].
#[derive(Debug, Clone, Copy)]
pub struct SketchRef<'a> {
    /// Its language, when it could be told.
    pub lang: Option<Lang>,
    /// Its anchors in order.
    pub anchors: &'a [u32],
}

impl SketchTable {
    /// A table of `documents` empty rows (no language, no anchors).
    pub fn with_rows(documents: usize) -> SketchTable {
        SketchTable {
            rows: vec![Row::default(); documents],
            anchors: Vec::new(),
        }
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether the table has no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Appends a row.
    pub fn push(&mut self, sketch: &Sketch) {
        self.rows.push(Row::default());
        self.set(self.rows.len() - 1, sketch);
    }

    /// Writes row `row`.
    pub fn set(&mut self, row: usize, sketch: &Sketch) {
        let anchors = &sketch.anchors[..sketch.anchors.len().min(ROW_ANCHORS)];
        self.rows[row] = Row {
            start: self.anchors.len() as u64,
            len: anchors.len() as u8,
            lang: sketch.lang.map_or(NO_LANG, Lang::number),
        };
        self.anchors.extend_from_slice(anchors);
    }

    /// Keeps the rows `i` for which `keep[i]` is set, in order.
    pub fn retain(&mut self, keep: &[bool]) {
        let mut flags = keep.iter().copied();
        self.rows.retain(|_| flags.next().unwrap_or(false));
    }

    /// The sketch of row `i`.
    pub fn get(&self, i: usize) -> SketchRef<'_> {
        let row = self.rows[i];
        let start = row.start as usize;
        SketchRef {
            lang: Lang::from_number(row.lang),
            anchors: &self.anchors[start..start + row.len as usize],
        }
    }

    /// Drops every row's anchors, keeping the languages: what a corpus in one language keeps.
    pub fn drop_anchors(&mut self) {
        for row in &mut self.rows {
            row.start = 0;
            row.len = 0;
        }
        self.anchors = Vec::new();
    }

    /// An owned copy of row `i`.
    pub fn sketch(&self, i: usize) -> Sketch {
        let s = self.get(i);
        Sketch {
            lang: s.lang,
            anchors: s.anchors.to_vec(),
        }
    }

    /// The number of different languages among documents that can match across languages.
    pub fn languages(&self) -> usize {
        let mut seen = 0u64;
        for (i, row) in self.rows.iter().enumerate() {
            if searches(self.get(i)) {
                seen |= 1 << (row.lang % 64);
            }
        }
        seen.count_ones() as usize
    }
}

/// What one part of a corpus adds to its [`AnchorCounts`]: `(anchor, documents)` rows and
/// `(language number, density)` of each document long enough to measure one.
pub type AnchorRows = (Vec<(u32, u32)>, Vec<(u8, f64)>);

/// What the run's documents say about their anchors: how many documents carry each anchor
/// (what makes an anchor strong or weak evidence), and how much an anchor of each language
/// weighs against its document's size.
#[derive(Debug, Default)]
pub struct AnchorCounts {
    documents: FxHashMap<u32, u32>,
    /// By language number; a language not listed weighs 1.
    scales: Vec<f64>,
}

/// Anchors per 1,000 kept characters of a language that capitalises only names: the median of
/// the five such languages of the translations dev corpus is 7.7-9.8 (cs, es, hu, it, ru);
/// German, which capitalises every noun, has 26. A language denser than this has its anchors'
/// weight in a document's total scaled down to it (DESIGN.md, "Translations").
const REFERENCE_DENSITY: f64 = 12.0;

/// Documents of a language needed to measure its density, each of at least
/// [`DENSITY_MIN_CHARS`] kept characters: fewer leave its anchors at full weight.
const DENSITY_MIN_DOCUMENTS: usize = 20;

/// Shortest document whose anchor density counts: a brief's few names say little of its
/// language's habits.
const DENSITY_MIN_CHARS: u32 = 300;

/// Counts anchors document by document ([`AnchorCounts`] once all are in): a night counts an
/// index's documents as it streams them, and its own after.
#[derive(Debug, Default)]
pub struct AnchorCounter {
    documents: FxHashMap<u32, u32>,
    /// By language number, each document's anchors per 1,000 characters.
    density: Vec<Vec<f64>>,
}

impl AnchorCounter {
    /// Counts one document in `lang` with `anchors` (as a [`SketchTable`] row keeps them: at
    /// most [`ROW_ANCHORS`]) and `chars` kept characters.
    pub fn add(&mut self, lang: Option<Lang>, anchors: &[u32], chars: u32) {
        for &a in anchors {
            *self.documents.entry(a).or_default() += 1;
        }
        if let (Some(lang), true) = (lang, chars >= DENSITY_MIN_CHARS) {
            let k = lang.number() as usize;
            if self.density.len() <= k {
                self.density.resize(k + 1, Vec::new());
            }
            self.density[k].push(1000.0 * anchors.len() as f64 / f64::from(chars));
        }
    }

    /// The documents counted so far that carry `anchor`.
    pub fn of(&self, anchor: u32) -> u32 {
        self.documents.get(&anchor).copied().unwrap_or(0)
    }

    /// Adds the counts of `other` (counting is order-free, so any split of the documents
    /// gives the same counts).
    pub fn merge(&mut self, other: AnchorCounter) {
        let (mut big, small) = if self.documents.len() >= other.documents.len() {
            (std::mem::take(&mut self.documents), other.documents)
        } else {
            (other.documents, std::mem::take(&mut self.documents))
        };
        for (a, n) in small {
            *big.entry(a).or_default() += n;
        }
        self.documents = big;
        if self.density.len() < other.density.len() {
            self.density.resize(other.density.len(), Vec::new());
        }
        for (k, d) in other.density.into_iter().enumerate() {
            self.density[k].extend(d);
        }
    }

    /// The counts.
    pub fn finish(self) -> AnchorCounts {
        let scales = self
            .density
            .into_iter()
            .map(|mut d| {
                if d.len() < DENSITY_MIN_DOCUMENTS {
                    return 1.0;
                }
                d.sort_by(f64::total_cmp);
                let median = d[d.len() / 2];
                (REFERENCE_DENSITY / median).min(1.0)
            })
            .collect();
        AnchorCounts {
            documents: self.documents,
            scales,
        }
    }
}

impl AnchorCounts {
    /// Counts the anchors of the rows of `table` for which `active` is set; `chars[i]` is the
    /// kept length of row `i`'s document in characters.
    pub fn new(table: &SketchTable, active: &[bool], chars: &[u32]) -> AnchorCounts {
        let mut counter = AnchorCounter::default();
        for i in (0..table.len()).filter(|&i| active.get(i).copied().unwrap_or(false)) {
            let row = table.get(i);
            counter.add(row.lang, row.anchors, chars.get(i).copied().unwrap_or(0));
        }
        counter.finish()
    }

    /// What the rows of one part of a corpus add to the counts (see [`AnchorCounts::new`]):
    /// `(anchor, documents)` rows, sorted, and `(language number, anchors per 1,000
    /// characters)` of each document long enough to measure its language's density. Parts'
    /// rows add up, and their densities are pooled, by [`AnchorCounts::from_parts`].
    pub fn part(table: &SketchTable, active: &[bool], chars: &[u32]) -> AnchorRows {
        let mut counter = AnchorCounter::default();
        for i in (0..table.len()).filter(|&i| active.get(i).copied().unwrap_or(false)) {
            let row = table.get(i);
            counter.add(row.lang, row.anchors, chars.get(i).copied().unwrap_or(0));
        }
        let mut documents: Vec<(u32, u32)> = counter.documents.into_iter().collect();
        documents.sort_unstable();
        let densities = counter
            .density
            .into_iter()
            .enumerate()
            .flat_map(|(k, d)| d.into_iter().map(move |x| (k as u8, x)))
            .collect();
        (documents, densities)
    }

    /// The counts of a corpus from its parts' rows (see [`AnchorCounts::part`]), in any order.
    pub fn from_parts(
        documents: impl IntoIterator<Item = (u32, u32)>,
        densities: impl IntoIterator<Item = (u8, f64)>,
    ) -> AnchorCounts {
        let mut counter = AnchorCounter::default();
        for (a, n) in documents {
            *counter.documents.entry(a).or_default() += n;
        }
        for (lang, d) in densities {
            let k = lang as usize;
            if counter.density.len() <= k {
                counter.density.resize(k + 1, Vec::new());
            }
            counter.density[k].push(d);
        }
        counter.finish()
    }

    /// The number of documents that carry `anchor`.
    pub fn of(&self, anchor: u32) -> u32 {
        self.documents.get(&anchor).copied().unwrap_or(0)
    }

    /// How much an anchor of a document in `lang` weighs in its document's total: below 1 for
    /// a language that capitalises more than names, whose documents carry more anchors than
    /// any translation of them can share.
    pub fn scale(&self, lang: Option<Lang>) -> f64 {
        lang.and_then(|l| self.scales.get(l.number() as usize).copied())
            .unwrap_or(1.0)
    }
}

/// The measures of a pair across languages.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TranslationMeasures {
    /// Ordered overlap: the weight of the longest common subsequence of the two anchor
    /// sequences over the smaller side's total weight, each anchor weighing less the more
    /// other documents carry it (and a side's total scaled by [`AnchorCounts::scale`]). 1 when
    /// one side's anchors all occur, in order, in the other.
    pub score: f64,
    /// Share of the smaller side's anchors the other has, in any order.
    pub coverage: f64,
    /// Anchors both have.
    pub shared: usize,
    /// How far the common subsequence stretches over the larger side: the scaled number of
    /// its anchors from the first shared one to the last, over the smaller side's scaled
    /// number of anchors. About 1 or less for a translation, or a translated excerpt, of the
    /// larger; far more when a short text meets scattered names of a long one by chance.
    pub spread: f64,
    /// The weight of the common subsequence itself (each anchor `1 / ln(e + n)` for the `n`
    /// other documents that carry it): how much the shared names and figures tell this story
    /// from others, whatever the sizes of the two sides.
    pub evidence: f64,
}

/// The weight of an anchor carried by `others` documents besides the pair being measured:
/// 1 for one no other document has, falling slowly with how common it is.
fn weight(others: u32) -> f64 {
    1.0 / (std::f64::consts::E + f64::from(others)).ln()
}

/// A cell of the common subsequence table: its weight, and the first and last positions it
/// uses on each side (`NONE` before any).
#[derive(Debug, Clone, Copy)]
struct Cell {
    weight: f64,
    a: (u16, u16),
    b: (u16, u16),
}

const NONE: u16 = u16::MAX;

const EMPTY: Cell = Cell {
    weight: 0.0,
    a: (NONE, 0),
    b: (NONE, 0),
};

impl Cell {
    fn width(self) -> u32 {
        if self.a.0 == NONE {
            return 0;
        }
        u32::from(self.a.1 - self.a.0) + u32::from(self.b.1 - self.b.0)
    }

    /// This cell extended by a match of `a[i]` and `b[j]` weighing `w`.
    fn extend(self, i: usize, j: usize, w: f64) -> Cell {
        let (i, j) = (i as u16, j as u16);
        Cell {
            weight: self.weight + w,
            a: (if self.a.0 == NONE { i } else { self.a.0 }, i),
            b: (if self.b.0 == NONE { j } else { self.b.0 }, j),
        }
    }

    /// The heavier of two cells; of two equal, the narrower (then `self`), so that a compact
    /// alignment is preferred to a scattered one of the same weight.
    fn best(self, other: Cell) -> Cell {
        if other.weight > self.weight
            || (other.weight == self.weight && other.width() < self.width())
        {
            other
        } else {
            self
        }
    }
}

/// Measures a pair of sketches; `counts` tells how many documents carry each anchor and how
/// each language's anchors weigh.
pub fn measure(a: SketchRef, b: SketchRef, counts: &AnchorCounts) -> TranslationMeasures {
    let (sa, sb) = (a.anchors, b.anchors);
    let in_pair = |x: u32| 1 + u32::from(sa.contains(&x) && sb.contains(&x));
    let w = |x: u32| weight(counts.of(x).saturating_sub(in_pair(x)));
    let wa: Vec<f64> = sa.iter().map(|&x| w(x)).collect();
    let (scale_a, scale_b) = (counts.scale(a.lang), counts.scale(b.lang));
    let total_a: f64 = wa.iter().sum::<f64>() * scale_a;
    let total_b: f64 = sb.iter().map(|&x| w(x)).sum::<f64>() * scale_b;
    // Weighted longest common subsequence, one row at a time. A document's anchors are
    // distinct, so a match is always taken.
    let mut prev = vec![EMPTY; sb.len() + 1];
    let mut cur = vec![EMPTY; sb.len() + 1];
    for (i, &x) in sa.iter().enumerate() {
        for (j, &y) in sb.iter().enumerate() {
            cur[j + 1] = if x == y {
                prev[j].extend(i, j, wa[i])
            } else {
                prev[j + 1].best(cur[j])
            };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let lcs = prev[sb.len()];
    let shared = sa.iter().filter(|x| sb.contains(x)).count();
    let smaller = total_a.min(total_b);
    // The larger side by scaled number of anchors.
    let (na, nb) = (sa.len() as f64 * scale_a, sb.len() as f64 * scale_b);
    let (span, scale, short) = if na >= nb {
        (lcs.a, scale_a, nb)
    } else {
        (lcs.b, scale_b, na)
    };
    let stretch = if span.0 == NONE {
        0.0
    } else {
        f64::from(span.1 - span.0 + 1) * scale
    };
    TranslationMeasures {
        score: if smaller > 0.0 {
            (lcs.weight / smaller).min(1.0)
        } else {
            0.0
        },
        coverage: shared as f64 / sa.len().min(sb.len()).max(1) as f64,
        shared,
        spread: if short > 0.0 { stretch / short } else { 0.0 },
        evidence: lcs.weight,
    }
}

/// Whether two documents may be compared across languages at all: both in a known language,
/// different ones, each with enough anchors.
pub fn comparable(a: SketchRef, b: SketchRef) -> bool {
    matches!((a.lang, b.lang), (Some(x), Some(y)) if x != y)
        && a.anchors.len() >= MIN_ANCHORS
        && b.anchors.len() >= MIN_ANCHORS
}

/// The rule: a comparable pair sharing little running text, enough anchors, its anchors in
/// much the same order, and within one stretch of the larger document.
pub fn verify(m: TranslationMeasures, same_text_jaccard: f64) -> bool {
    same_text_jaccard < MAX_SAME_TEXT_JACCARD
        && m.shared >= MIN_SHARED
        && m.score >= MIN_SCORE
        && m.spread <= MAX_SPREAD
        && m.evidence >= MIN_EVIDENCE
}

/// A verified pair across languages, `a < b`, with its score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Edge {
    /// The first document.
    pub a: u32,
    /// The second document.
    pub b: u32,
    /// Its ordered overlap.
    pub score: f64,
}

/// Candidate pairs across languages among the `active` rows of `table`, `(a, b)`, `a < b`,
/// sorted, without repeats: pairs of documents in different languages where at least
/// [`MIN_SHARED_PROBES`] of one document's [`PROBES`] rarest anchors occur in the other.
///
/// The probes are looked up among all the other documents' anchors, not only among their
/// probes: a copy cut to its first paragraphs has few of the full story's figures, and the
/// full story's rarest anchors are often exactly those figures, shared with another complete
/// copy only.
pub fn candidates(table: &SketchTable, active: &[bool], counts: &AnchorCounts) -> Vec<(u32, u32)> {
    let usable = |i: usize| active.get(i).copied().unwrap_or(false) && searches(table.get(i));
    let rows: Vec<usize> = (0..table.len())
        .into_par_iter()
        .filter(|&i| usable(i))
        .collect();
    let mut postings: Vec<(u32, u32)> = rows
        .par_iter()
        .flat_map_iter(|&i| {
            table
                .get(i)
                .anchors
                .iter()
                .filter(|&&a| searchable(counts.of(a)))
                .map(move |&a| (a, i as u32))
        })
        .collect();
    postings.par_sort_unstable();
    let mut pairs: Vec<(u32, u32)> = rows
        .par_iter()
        .flat_map_iter(|&i| {
            let x = table.get(i);
            let mut hits: Vec<u32> = Vec::new();
            for a in probes(x, counts) {
                let from = postings.partition_point(|p| p.0 < a);
                let to = postings.partition_point(|p| p.0 <= a);
                hits.extend(
                    postings[from..to]
                        .iter()
                        .map(|p| p.1)
                        .filter(|&y| table.get(y as usize).lang != x.lang),
                );
            }
            hits.sort_unstable();
            let me = i as u32;
            hits.chunk_by(|p, q| p == q)
                .filter(|run| run.len() >= MIN_SHARED_PROBES)
                .map(|run| (me.min(run[0]), me.max(run[0])))
                .collect::<Vec<_>>()
        })
        .collect();
    pairs.par_sort_unstable();
    pairs.dedup();
    pairs
}

/// Whether a document takes part in the search across languages: its language is told and it
/// has [`MIN_ANCHORS`] anchors or more.
pub fn searches(sketch: SketchRef) -> bool {
    sketch.lang.is_some() && sketch.anchors.len() >= MIN_ANCHORS
}

/// The anchors a document searches with: its [`PROBES`] rarest searchable ones, rarest first
/// (ties by anchor). Two documents in different languages are a candidate pair when
/// [`MIN_SHARED_PROBES`] of one's probes are anchors of the other; a distributed search joins
/// each probe with the documents that carry it (those with [`searches`] and a searchable
/// anchor, see [`searchable`]).
pub fn probes(sketch: SketchRef, counts: &AnchorCounts) -> Vec<u32> {
    let mut probes: Vec<(u32, u32)> = sketch
        .anchors
        .iter()
        .map(|&a| (counts.of(a), a))
        .filter(|&(n, _)| searchable(n))
        .collect();
    probes.sort_unstable();
    probes.truncate(PROBES);
    probes.into_iter().map(|(_, a)| a).collect()
}

/// Searches and verifies pairs across languages among the `active` documents: the verified
/// edges, sorted by document, and the number of candidates. `fps` are the documents' main
/// fingerprints (their same-language similarity vetoes a pair); `counts` are the active
/// documents' anchors ([`AnchorCounts::new`]).
pub fn verified_edges<F: Fingerprints + ?Sized>(
    table: &SketchTable,
    fps: &F,
    active: &[bool],
    counts: &AnchorCounts,
) -> (Vec<Edge>, usize) {
    if table.languages() < 2 {
        return (Vec::new(), 0);
    }
    let pairs = candidates(table, active, counts);
    let edges = pairs
        .par_iter()
        .filter_map(|&(a, b)| edge(table, fps, counts, a, b))
        .collect();
    (edges, pairs.len())
}

/// The candidate pair `(a, b)` judged by the rule: its edge when the two rows are comparable
/// and verify, measured with `counts`; `fps` give the same-text similarity that vetoes it.
pub fn edge<F: Fingerprints + ?Sized>(
    table: &SketchTable,
    fps: &F,
    counts: &AnchorCounts,
    a: u32,
    b: u32,
) -> Option<Edge> {
    let (x, y) = (table.get(a as usize), table.get(b as usize));
    if !comparable(x, y) {
        return None;
    }
    let m = measure(x, y, counts);
    let same_text = cluster::measure(fps.get(a as usize), fps.get(b as usize)).jaccard;
    verify(m, same_text).then_some(Edge {
        a,
        b,
        score: m.score,
    })
}

/// A language as one bit of a set of languages (none for an unknown one): a story's groups
/// join only while their sets are disjoint.
pub fn lang_bit(lang: Option<Lang>) -> u64 {
    lang.map_or(0, |l| 1 << (l.number() % 64))
}

/// The edges in the order they are joined: best score first, ties by document, so that the
/// result never depends on the order the search found them in.
fn best_first(edges: &[Edge]) -> Vec<&Edge> {
    let mut order: Vec<&Edge> = edges.iter().collect();
    order.sort_by(|x, y| {
        y.score
            .total_cmp(&x.score)
            .then((x.a, x.b).cmp(&(y.a, y.b)))
    });
    order
}

/// The root of `x` in a forest of parent links, halving the path on the way.
fn root(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        let up = parent[parent[x]];
        parent[x] = up;
        x = up;
    }
    x
}

/// Joins groups of documents into stories along the verified translation `edges`, best first:
/// `group(d)` is the group of document `d`, `langs[g]` the set of languages of group `g`
/// ([`lang_bit`]), `fixed[g]` whether `g` may not join another fixed group (an index's
/// existing clusters). Two groups join when no language is in both and not both are fixed;
/// the joined story is rooted at its fixed group, else at its first. Returns, by root group,
/// the groups of its story in group order (empty for a group joined into another).
pub fn join_groups(
    edges: &[Edge],
    group: &dyn Fn(u32) -> usize,
    mut langs: Vec<u64>,
    mut fixed: Vec<bool>,
) -> Vec<Vec<usize>> {
    let k = langs.len();
    let mut parent: Vec<usize> = (0..k).collect();
    for e in best_first(edges) {
        let ga = root(&mut parent, group(e.a));
        let gb = root(&mut parent, group(e.b));
        if ga == gb || langs[ga] & langs[gb] != 0 || (fixed[ga] && fixed[gb]) {
            continue;
        }
        let (keep, gone) = match (fixed[ga], fixed[gb]) {
            (true, _) => (ga, gb),
            (_, true) => (gb, ga),
            _ => (ga.min(gb), ga.max(gb)),
        };
        parent[gone] = keep;
        langs[keep] |= langs[gone];
        fixed[keep] |= fixed[gone];
    }
    let mut stories: Vec<Vec<usize>> = vec![Vec::new(); k];
    for g in 0..k {
        let r = root(&mut parent, g);
        stories[r].push(g);
    }
    stories
}

/// Joins same-language `clusters` (and unclustered documents) along verified translation
/// `edges` into stories, best edge first: two groups join when no language is in both, so a
/// story holds at most one same-language group a language. A joined story's representative is
/// the longest of its groups' representatives; the members of the other groups match as
/// [`MatchKind::Translation`], measured against it with the `counts` the edges were verified
/// with. `n` is the number of documents.
pub fn join<F: Fingerprints + ?Sized>(
    clusters: Vec<Cluster>,
    edges: &[Edge],
    table: &SketchTable,
    counts: &AnchorCounts,
    fps: &F,
    n: usize,
) -> Vec<Cluster> {
    if edges.is_empty() {
        return clusters;
    }
    // Groups: each cluster, then each document in none.
    let mut group_of: Vec<u32> = vec![u32::MAX; n];
    for (g, c) in clusters.iter().enumerate() {
        for m in &c.members {
            group_of[m.doc] = g as u32;
        }
    }
    let mut groups: Vec<Cluster> = clusters;
    for e in edges {
        for d in [e.a, e.b] {
            if group_of[d as usize] == u32::MAX {
                group_of[d as usize] = groups.len() as u32;
                groups.push(Cluster {
                    representative: d as usize,
                    members: vec![Member {
                        doc: d as usize,
                        kind: MatchKind::Representative,
                        measures: cluster::SELF,
                        via: None,
                    }],
                });
            }
        }
    }
    let langs: Vec<u64> = groups
        .iter()
        .map(|g| {
            g.members
                .iter()
                .fold(0, |m, x| m | lang_bit(table.get(x.doc).lang))
        })
        .collect();
    let fixed = vec![false; groups.len()];
    let stories = join_groups(edges, &|d| group_of[d as usize] as usize, langs, fixed);
    let mut out = Vec::new();
    for story in stories.into_iter().filter(|s| !s.is_empty()) {
        if story.len() == 1 {
            let g = std::mem::take(&mut groups[story[0]].members);
            if g.len() > 1 {
                out.push(Cluster {
                    representative: groups[story[0]].representative,
                    members: g,
                });
            }
            continue;
        }
        // The longest representative leads; ties to the smaller document.
        let lead = *story
            .iter()
            .max_by(|&&x, &&y| {
                let len = |g: usize| fps.get(groups[g].representative).length;
                len(x)
                    .cmp(&len(y))
                    .then(groups[y].representative.cmp(&groups[x].representative))
            })
            .unwrap_or(&story[0]);
        let rep = groups[lead].representative;
        let mut members: Vec<Member> = Vec::new();
        for &g in &story {
            let group = std::mem::take(&mut groups[g].members);
            if g == lead {
                members.extend(group);
                continue;
            }
            let r = table.get(rep);
            for m in group {
                let t = measure(table.get(m.doc), r, counts);
                members.push(Member {
                    doc: m.doc,
                    kind: MatchKind::Translation,
                    measures: Measures {
                        jaccard: t.score,
                        containment: t.coverage,
                        ..m.measures
                    },
                    via: None,
                });
            }
        }
        members.sort_by_key(|m| (m.doc != rep, m.doc));
        out.push(Cluster {
            representative: rep,
            members,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::Fingerprint;

    fn sketch(lang: &str, anchors: &[u32]) -> Sketch {
        Sketch {
            lang: Lang::from_code(lang),
            anchors: anchors.to_vec(),
        }
    }

    fn en(anchors: &[u32]) -> SketchRef<'_> {
        SketchRef {
            lang: Lang::from_code("en"),
            anchors,
        }
    }

    fn fr(anchors: &[u32]) -> SketchRef<'_> {
        SketchRef {
            lang: Lang::from_code("fr"),
            anchors,
        }
    }

    fn fp(length: u32, sig: u32) -> Fingerprint {
        Fingerprint {
            quoted_lanes: 0,
            signature: (0..32).map(|k| sig * 1000 + k).collect(),
            simhash: None,
            shingles: 100,
            length,
            numbers: Box::default(),
        }
    }

    #[test]
    fn order_counts_not_just_the_bag() {
        let counts = AnchorCounts::default();
        let a: Vec<u32> = (1..=12).collect();
        let same = measure(en(&a), fr(&a), &counts);
        assert_eq!((same.score, same.shared), (1.0, 12));
        // The same twelve anchors, shuffled: every one shared, little of the order.
        let shuffled = [12, 6, 11, 5, 10, 4, 9, 3, 8, 2, 7, 1];
        let m = measure(en(&a), fr(&shuffled), &counts);
        assert_eq!(m.shared, 12);
        assert!(m.score < MIN_SCORE, "{m:?}");
        // A copy cut after its first half is all in order.
        let cut = measure(en(&a[..6]), fr(&a), &counts);
        assert_eq!(cut.score, 1.0);
    }

    #[test]
    fn common_anchors_weigh_less() {
        let mut table = SketchTable::default();
        let story: Vec<u32> = (1..=10).collect();
        table.push(&sketch("en", &story));
        table.push(&sketch("fr", &[1, 2, 3, 4, 5, 20, 21, 22, 23, 24]));
        // Thirty more documents carry 1..=5: those five are no longer evidence.
        for _ in 0..30 {
            table.push(&sketch("de", &[1, 2, 3, 4, 5, 30, 31, 32]));
        }
        let chars = vec![1000; table.len()];
        let rare = AnchorCounts::new(&table, &[true, true], &chars);
        let common = AnchorCounts::new(&table, &vec![true; table.len()], &chars);
        let (a, b) = (table.get(0), table.get(1));
        assert!(measure(a, b, &rare).score >= MIN_SCORE);
        assert!(measure(a, b, &common).score < MIN_SCORE);
    }

    #[test]
    fn same_language_pairs_never_match_across_languages() {
        let en = sketch("en", &(1..=10).collect::<Vec<_>>());
        let mut table = SketchTable::default();
        table.push(&en);
        table.push(&en);
        table.push(&sketch("fr", &(1..=10).collect::<Vec<_>>()));
        table.push(&sketch("fr", &[1, 2]));
        assert!(!comparable(table.get(0), table.get(1)), "one language");
        assert!(comparable(table.get(0), table.get(2)));
        assert!(!comparable(table.get(0), table.get(3)), "too few anchors");
        let active = vec![true; 4];
        let counts = AnchorCounts::new(&table, &active, &[1000; 4]);
        assert_eq!(candidates(&table, &active, &counts), vec![(0, 2), (1, 2)]);
        // A pair that shares running text is in one language, whatever it was told.
        assert!(verify(measure(table.get(0), table.get(2), &counts), 0.0));
        assert!(!verify(measure(table.get(0), table.get(2), &counts), 0.5));
    }

    #[test]
    fn a_short_text_meeting_scattered_anchors_of_a_long_one_is_no_translation() {
        let counts = AnchorCounts::default();
        let long: Vec<u32> = (1..=200).collect();
        // Six of its anchors, in order, spread over the whole long text: chance on an OCR page.
        let scattered = [5, 40, 80, 120, 160, 199, 300, 301];
        let m = measure(en(&long), fr(&scattered), &counts);
        assert!(m.shared >= MIN_SHARED && m.score >= MIN_SCORE, "{m:?}");
        assert!(m.spread > MAX_SPREAD && !verify(m, 0.0), "{m:?}");
        // The same number of anchors from one stretch: a translated excerpt.
        let excerpt = [41, 42, 44, 45, 47, 48, 300, 301];
        let m = measure(en(&long), fr(&excerpt), &counts);
        assert!(m.spread <= MAX_SPREAD && verify(m, 0.0), "{m:?}");
    }

    /// Regression: Italian briefs on a bail-out (Barack Obama, John McCain, 700, Wall Street)
    /// joined a long debate story in another language that names them in the same order.
    #[test]
    fn a_brief_of_names_every_story_carries_is_no_translation() {
        // Four hundred documents in several languages carry the seven common anchors 1..=7,
        // and a hundred of them a site's name (500, 501).
        let mut table = SketchTable::default();
        for i in 0..400u32 {
            let code = ["en", "de", "es", "cs"][i as usize % 4];
            let mut anchors: Vec<u32> = (1..=7).collect();
            if i < 100 {
                anchors.extend([500, 501]);
            }
            anchors.extend(10_000 + 10 * i..10_006 + 10 * i);
            table.push(&sketch(code, &anchors));
        }
        // An Italian brief of the common names under its site's name, and a Spanish story.
        let mut brief: Vec<u32> = (1..=7).collect();
        brief.extend([500, 501]);
        let mut story: Vec<u32> = (1..=7).collect();
        story.extend(600..640);
        // The pair pushed last, measured with the counts of the whole table.
        let measure_pair = |table: &mut SketchTable, a: &[u32], b: &[u32]| {
            table.push(&sketch("it", a));
            table.push(&sketch("es", b));
            let n = table.len();
            let counts = AnchorCounts::new(table, &vec![true; n], &vec![1000; n]);
            measure(table.get(n - 2), table.get(n - 1), &counts)
        };
        let m = measure_pair(&mut table, &brief, &story);
        assert!(
            m.shared >= MIN_SHARED && m.score >= MIN_SCORE && m.spread <= MAX_SPREAD,
            "every other rule passes: {m:?}"
        );
        assert!(m.evidence < MIN_EVIDENCE && !verify(m, 0.0), "{m:?}");
        // The same brief with names of its own story, in order, is one.
        let mut own: Vec<u32> = (700..707).collect();
        own.extend([500, 501]);
        let mut original: Vec<u32> = (700..707).collect();
        original.extend(800..840);
        let m = measure_pair(&mut table, &own, &original);
        assert!(verify(m, 0.0), "{m:?}");
    }

    #[test]
    fn a_language_that_capitalises_nouns_weighs_its_anchors_less() {
        // Thirty German documents with 40 anchors a 1,000 characters, thirty French with 10.
        let mut table = SketchTable::default();
        for i in 0..30u32 {
            table.push(&sketch(
                "de",
                &(10_000 + 40 * i..10_040 + 40 * i).collect::<Vec<_>>(),
            ));
            table.push(&sketch(
                "fr",
                &(50_000 + 10 * i..50_010 + 10 * i).collect::<Vec<_>>(),
            ));
        }
        // A German excerpt: 8 names of a French story among 32 capitalised nouns.
        let names: Vec<u32> = (1..=8).collect();
        let mut excerpt: Vec<u32> = (900..932).collect();
        for (k, &n) in names.iter().enumerate() {
            excerpt.insert(4 * k, n);
        }
        let mut story = names.clone();
        story.extend(20..42);
        table.push(&sketch("de", &excerpt));
        table.push(&sketch("fr", &story));
        let n = table.len();
        let chars = vec![1000; n];
        let counts = AnchorCounts::new(&table, &vec![true; n], &chars);
        let de = counts.scale(Lang::from_code("de"));
        assert!((de - REFERENCE_DENSITY / 40.0).abs() < 1e-9, "{de}");
        assert_eq!(counts.scale(Lang::from_code("fr")), 1.0);
        let m = measure(table.get(n - 2), table.get(n - 1), &counts);
        assert!(verify(m, 0.0), "{m:?}");
        // Unscaled, its nouns would outweigh the names.
        let flat = AnchorCounts::new(&table, &vec![true; n], &vec![0; n]);
        assert!(!verify(
            measure(table.get(n - 2), table.get(n - 1), &flat),
            0.0
        ));
    }

    #[test]
    fn a_cut_copy_is_searched_by_its_own_probes() {
        // A full English story whose rarest anchors are figures it shares with a German copy
        // (1..=20), then its names (100..=105); a French copy cut before the figures has only
        // the names. The full story's probes are all figures, the cut copy's its names.
        let mut table = SketchTable::default();
        let figures: Vec<u32> = (1..=20).collect();
        let names: Vec<u32> = (100..=105).collect();
        table.push(&sketch("en", &[names.clone(), figures.clone()].concat()));
        table.push(&sketch("fr", &names));
        table.push(&sketch("de", &[figures, vec![200, 201]].concat()));
        let active = vec![true; 3];
        let counts = AnchorCounts::new(&table, &active, &[1000; 3]);
        assert!(candidates(&table, &active, &counts).contains(&(0, 1)));
    }

    #[test]
    fn join_keeps_one_group_a_language() {
        // Two English stories the same-language rule kept apart (0, 1), and one French copy (2)
        // that verifies against both: it joins the better one, and the English two stay apart.
        let fps = vec![fp(900, 1), fp(800, 2), fp(1000, 3)];
        let mut table = SketchTable::default();
        let story: Vec<u32> = (1..=10).collect();
        table.push(&sketch("en", &story));
        table.push(&sketch("en", &story));
        table.push(&sketch("fr", &story));
        let edges = [
            Edge {
                a: 0,
                b: 2,
                score: 0.7,
            },
            Edge {
                a: 1,
                b: 2,
                score: 0.9,
            },
        ];
        let counts = AnchorCounts::new(&table, &[true; 3], &[1000; 3]);
        let got = join(Vec::new(), &edges, &table, &counts, &fps, 3);
        assert_eq!(got.len(), 1);
        let docs: Vec<(usize, MatchKind)> =
            got[0].members.iter().map(|m| (m.doc, m.kind)).collect();
        assert_eq!(
            docs,
            vec![(2, MatchKind::Representative), (1, MatchKind::Translation)]
        );
    }
}
