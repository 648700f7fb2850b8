//! Owns scoring a clustering against ground truth: reading truth files, pairwise
//! precision/recall/F1, the adjusted Rand index, B-cubed, and the worst pair errors.
//!
//! Every metric is computed from cluster sizes and the contingency table (how many documents
//! each predicted cluster shares with each truth group), so the counting is linear in the
//! number of documents; only the error lists enumerate pairs, and only the wrong ones.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io::BufRead as _;
use std::path::Path;

use crate::error::{Error, Result};

/// One ground-truth group as read from JSON Lines `{"cluster": "…", "ids": ["…", …]}`.
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize, PartialEq)]
pub struct TruthGroup {
    /// The group's name in the truth file; only used to identify it to people.
    pub cluster: String,
    /// The document ids that are the same story.
    pub ids: Vec<String>,
}

/// Reads a truth file: JSON Lines, one [`TruthGroup`] per line.
///
/// Blank lines are ignored, and so is a byte-order mark at the start of the file.
///
/// # Errors
///
/// A line that is not a valid group yields [`Error::Parse`] with its 1-based line number; a
/// failure to open or read the file yields [`Error::WithPath`].
pub fn read_truth(path: &Path) -> Result<Vec<TruthGroup>> {
    let file = std::fs::File::open(path).map_err(|err| Error::with_path(path, err))?;
    let reader = std::io::BufReader::new(file);
    let mut groups = Vec::new();
    for (index, line) in reader.lines().enumerate() {
        let line = line.map_err(|err| Error::with_path(path, err))?;
        // Files saved by some editors start with a byte-order mark, which JSON does not allow.
        let text = if index == 0 {
            line.trim_start_matches('\u{feff}')
        } else {
            line.as_str()
        };
        if text.trim().is_empty() {
            continue;
        }
        let group = serde_json::from_str::<TruthGroup>(text).map_err(|err| Error::Parse {
            path: path.to_path_buf(),
            line: index + 1,
            message: err.to_string(),
        })?;
        groups.push(group);
    }
    Ok(groups)
}

/// Precision, recall and their harmonic mean.
///
/// F1 is 0 when precision + recall is 0, rather than undefined.
#[derive(Debug, Clone, Copy, serde::Serialize, PartialEq)]
pub struct Prf {
    /// Fraction of what was predicted that is right.
    pub precision: f64,
    /// Fraction of what is right that was predicted.
    pub recall: f64,
    /// Harmonic mean of precision and recall (0 when both are 0).
    pub f1: f64,
}

impl Prf {
    fn new(precision: f64, recall: f64) -> Self {
        let sum = precision + recall;
        let f1 = if sum > 0.0 {
            2.0 * precision * recall / sum
        } else {
            0.0
        };
        Prf {
            precision,
            recall,
            f1,
        }
    }
}

/// A pair of documents the prediction got wrong, with `a < b` lexicographically.
#[derive(Debug, Clone, serde::Serialize, PartialEq)]
pub struct PairError {
    /// The lexicographically smaller id.
    pub a: String,
    /// The lexicographically larger id.
    pub b: String,
    /// The similarity the tool assigned or estimated for the pair, if known.
    pub score: Option<f64>,
}

/// Everything [`evaluate`] measures.
#[derive(Debug, Clone, serde::Serialize, PartialEq)]
pub struct Scores {
    /// Size of the universe: every distinct document id of the run, in a group or not.
    pub documents: usize,
    /// Unordered pairs of documents in the same predicted cluster.
    pub predicted_pairs: usize,
    /// Unordered pairs of documents in the same truth group.
    pub truth_pairs: usize,
    /// Pairs that are together both in the prediction and in the truth.
    pub true_positive_pairs: usize,
    /// Pairwise scores: precision = TP / predicted pairs (1.0 when there are no predicted
    /// pairs), recall = TP / truth pairs (1.0 when there are no truth pairs).
    pub pairwise: Prf,
    /// Adjusted Rand index (Hubert & Arabie) over the whole universe, singletons included;
    /// 1 for identical partitions, about 0 for chance agreement, negative below chance.
    pub ari: f64,
    /// B-cubed scores (Bagga & Baldwin), per-document precision and recall averaged over the
    /// universe (both 1.0 for an empty universe).
    pub bcubed: Prf,
    /// Pairs put together that the truth keeps apart, highest score first.
    pub worst_false_positives: Vec<PairError>,
    /// Pairs kept apart that the truth puts together, lowest score first.
    pub worst_false_negatives: Vec<PairError>,
}

/// Scores predicted clusters against truth over `universe`.
///
/// `universe` is every document id of the run; ids found in `predicted` or `truth` but missing
/// from the universe are added to it, and repeated ids count once. `predicted` and `truth` are
/// groups of ids; any document in no group is a singleton. If an id appears in two predicted
/// clusters (or two truth groups), its first occurrence wins and later ones are ignored.
///
/// `pair_score(a, b)` (always called with `a < b`) gives the similarity the tool assigned or
/// estimated for a pair, `None` if unknown (a NaN counts as unknown); it is only used to rank
/// the worst errors. False positives (same predicted cluster, different truth group) are ranked
/// highest score first; false negatives (same truth group, different predicted clusters) lowest
/// score first; in both lists unknown scores come last and ties are broken by `(a, b)`
/// lexicographically. At most `max_errors` of each are kept.
///
/// Counting is linear in the number of documents; building the error lists costs one
/// `pair_score` call per wrong pair (none when `max_errors` is 0).
#[must_use]
pub fn evaluate(
    predicted: &[Vec<String>],
    truth: &[Vec<String>],
    universe: &[String],
    pair_score: &dyn Fn(&str, &str) -> Option<f64>,
    max_errors: usize,
) -> Scores {
    let mut interner = Interner::default();
    for id in universe
        .iter()
        .chain(predicted.iter().flatten())
        .chain(truth.iter().flatten())
    {
        interner.intern(id);
    }
    let ids = &interner.ids;
    let documents = ids.len();
    let pred = Partition::new(predicted, &interner);
    let gold = Partition::new(truth, &interner);

    let mut cells: HashMap<(usize, usize), u64> = HashMap::new();
    for (&p, &t) in pred.label.iter().zip(&gold.label) {
        *cells.entry((p, t)).or_insert(0) += 1;
    }

    let predicted_pairs = pred.pair_count();
    let truth_pairs = gold.pair_count();
    let true_positive_pairs: u128 = cells.values().map(|&count| pairs_in(count)).sum();

    let pairwise = Prf::new(
        ratio_or_one(true_positive_pairs, predicted_pairs),
        ratio_or_one(true_positive_pairs, truth_pairs),
    );

    // Each block of either partition meets at least one cell, so the partitions are the same
    // exactly when the cells pair the blocks off one to one.
    let identical = cells.len() == pred.sizes.len() && cells.len() == gold.sizes.len();
    let ari = adjusted_rand_index(
        true_positive_pairs,
        predicted_pairs,
        truth_pairs,
        pairs_in(documents as u64),
        identical,
    );

    let bcubed = bcubed(&cells, &pred.sizes, &gold.sizes, documents);

    let (worst_false_positives, worst_false_negatives) = if max_errors == 0 {
        (Vec::new(), Vec::new())
    } else {
        let mut false_positives = Worst::new(ErrorOrder::HighestFirst, max_errors, ids);
        cross_label_pairs(&pred.members, &gold.label, |x, y| {
            false_positives.offer(x, y, pair_score);
        });
        let mut false_negatives = Worst::new(ErrorOrder::LowestFirst, max_errors, ids);
        cross_label_pairs(&gold.members, &pred.label, |x, y| {
            false_negatives.offer(x, y, pair_score);
        });
        (false_positives.finish(), false_negatives.finish())
    };

    Scores {
        documents,
        predicted_pairs: saturate(predicted_pairs),
        truth_pairs: saturate(truth_pairs),
        true_positive_pairs: saturate(true_positive_pairs),
        pairwise,
        ari,
        bcubed,
        worst_false_positives,
        worst_false_negatives,
    }
}

/// Renders scores as a short human-readable text block: the counts, every score with four
/// decimals, then the worst false positives and false negatives (ids quoted, so that ids with
/// spaces or control characters stay unambiguous).
#[must_use]
pub fn render_text(scores: &Scores) -> String {
    let mut out = String::new();
    // Writing into a String cannot fail, so the fmt::Results below carry no information.
    let _ = writeln!(out, "documents            {}", scores.documents);
    let _ = writeln!(
        out,
        "pairs                predicted {}, truth {}, true positive {}",
        scores.predicted_pairs, scores.truth_pairs, scores.true_positive_pairs
    );
    let _ = writeln!(out, "pairwise             {}", render_prf(&scores.pairwise));
    let _ = writeln!(out, "b-cubed              {}", render_prf(&scores.bcubed));
    let _ = writeln!(out, "adjusted rand index  {:.4}", scores.ari);
    render_errors(
        &mut out,
        "worst false positives (same predicted cluster, different truth group):",
        &scores.worst_false_positives,
    );
    render_errors(
        &mut out,
        "worst false negatives (same truth group, different predicted clusters):",
        &scores.worst_false_negatives,
    );
    out
}

fn render_prf(prf: &Prf) -> String {
    format!(
        "precision {:.4}  recall {:.4}  f1 {:.4}",
        prf.precision, prf.recall, prf.f1
    )
}

fn render_errors(out: &mut String, title: &str, errors: &[PairError]) {
    let _ = writeln!(out, "{title}");
    if errors.is_empty() {
        let _ = writeln!(out, "  (none listed)");
    }
    for error in errors {
        let score = match error.score {
            Some(score) => format!("{score:.4}"),
            None => "unknown".to_string(),
        };
        let _ = writeln!(out, "  {:?}  {:?}  score {score}", error.a, error.b);
    }
}

/// Maps ids to dense indices so the partitions can be plain label vectors.
#[derive(Default)]
struct Interner<'a> {
    index: HashMap<&'a str, usize>,
    ids: Vec<&'a str>,
}

impl<'a> Interner<'a> {
    fn intern(&mut self, id: &'a str) {
        if !self.index.contains_key(id) {
            self.index.insert(id, self.ids.len());
            self.ids.push(id);
        }
    }
}

/// A partition of the universe into blocks: the listed groups first, then one singleton block
/// per document no group mentions.
struct Partition {
    /// Block of each document.
    label: Vec<usize>,
    /// Documents of each listed (non-empty) group; singletons are left out as they hold no pairs.
    members: Vec<Vec<usize>>,
    /// Size of every block, singletons included.
    sizes: Vec<u64>,
}

impl Partition {
    fn new(groups: &[Vec<String>], interner: &Interner<'_>) -> Self {
        let unassigned = usize::MAX;
        let mut label = vec![unassigned; interner.ids.len()];
        let mut members = Vec::new();
        for group in groups {
            let block = members.len();
            let mut docs = Vec::new();
            for id in group {
                // Every id was interned before; a miss would only mean there is nothing to place.
                let Some(&doc) = interner.index.get(id.as_str()) else {
                    continue;
                };
                if label[doc] == unassigned {
                    label[doc] = block;
                    docs.push(doc);
                }
            }
            // A group whose ids all appeared earlier gets no block, so block numbers stay dense.
            if !docs.is_empty() {
                members.push(docs);
            }
        }
        let mut next = members.len();
        for slot in label.iter_mut().filter(|slot| **slot == unassigned) {
            *slot = next;
            next += 1;
        }
        let mut sizes = vec![0u64; next];
        for &block in &label {
            sizes[block] += 1;
        }
        Partition {
            label,
            members,
            sizes,
        }
    }

    fn pair_count(&self) -> u128 {
        self.sizes.iter().map(|&size| pairs_in(size)).sum()
    }
}

fn pairs_in(size: u64) -> u128 {
    let size = u128::from(size);
    size * size.saturating_sub(1) / 2
}

fn ratio_or_one(numerator: u128, denominator: u128) -> f64 {
    if denominator == 0 {
        1.0
    } else {
        numerator as f64 / denominator as f64
    }
}

fn saturate(count: u128) -> usize {
    usize::try_from(count).unwrap_or(usize::MAX)
}

/// Hubert & Arabie's ARI from pair counts: `index` = pairs together in both partitions,
/// `sum_a`/`sum_b` = pairs together in each, `total` = all pairs of the universe.
///
/// ARI = (index − expected) / (max − expected) with expected = sum_a·sum_b / total and
/// max = (sum_a + sum_b) / 2. Both terms are scaled by 2·total so the subtraction happens on
/// exact integers: float cancellation near the degenerate case would otherwise turn a true 0/0
/// into noise.
fn adjusted_rand_index(index: u128, sum_a: u128, sum_b: u128, total: u128, identical: bool) -> f64 {
    let degenerate = if identical { 1.0 } else { 0.0 };
    let scaled = || -> Option<(u128, u128, u128)> {
        let twice_expected = sum_a.checked_mul(sum_b)?.checked_mul(2)?;
        let twice_index = index.checked_mul(total)?.checked_mul(2)?;
        let twice_max = sum_a.checked_add(sum_b)?.checked_mul(total)?;
        Some((twice_index, twice_expected, twice_max))
    };
    match scaled() {
        Some((twice_index, twice_expected, twice_max)) => {
            // max ≥ expected always holds, because sum_a and sum_b never exceed total.
            let denominator = match twice_max.checked_sub(twice_expected) {
                Some(0) | None => return degenerate,
                Some(denominator) => denominator as f64,
            };
            let numerator = if twice_index >= twice_expected {
                (twice_index - twice_expected) as f64
            } else {
                -((twice_expected - twice_index) as f64)
            };
            numerator / denominator
        }
        // Only reachable with around a billion documents; plain floats are precise enough there.
        None => {
            let (index, sum_a, sum_b, total) =
                (index as f64, sum_a as f64, sum_b as f64, total as f64);
            let expected = sum_a * sum_b / total;
            let denominator = (sum_a + sum_b) / 2.0 - expected;
            if denominator.is_finite() && denominator > 0.0 {
                (index - expected) / denominator
            } else {
                degenerate
            }
        }
    }
}

/// B-cubed from the contingency table: a document in cell (p, t) has precision
/// |cell| / |p| and recall |cell| / |t|, so a cell contributes |cell|² / |p| to the precision sum.
///
/// The squared counts are summed as integers per block size and divided once per distinct size
/// (in size order): the float sum then does not depend on the order of clusters or ids, and there
/// are at most about √(2n) distinct sizes.
fn bcubed(
    cells: &HashMap<(usize, usize), u64>,
    pred_sizes: &[u64],
    truth_sizes: &[u64],
    documents: usize,
) -> Prf {
    if documents == 0 {
        return Prf::new(1.0, 1.0);
    }
    let mut precision_by_size: BTreeMap<u64, u128> = BTreeMap::new();
    let mut recall_by_size: BTreeMap<u64, u128> = BTreeMap::new();
    for (&(p, t), &count) in cells {
        let squared = u128::from(count) * u128::from(count);
        *precision_by_size.entry(pred_sizes[p]).or_insert(0) += squared;
        *recall_by_size.entry(truth_sizes[t]).or_insert(0) += squared;
    }
    let average = |by_size: &BTreeMap<u64, u128>| -> f64 {
        let sum: f64 = by_size
            .iter()
            .map(|(&size, &squared)| squared as f64 / size as f64)
            .sum();
        sum / documents as f64
    };
    Prf::new(average(&precision_by_size), average(&recall_by_size))
}

/// Calls `emit` for every pair of documents that share a block in `blocks` but have different
/// `other` labels. Splitting each block by `other` first means only wrong pairs are visited.
fn cross_label_pairs(blocks: &[Vec<usize>], other: &[usize], mut emit: impl FnMut(usize, usize)) {
    for block in blocks {
        let mut docs = block.clone();
        docs.sort_by_key(|&doc| other[doc]);
        let runs: Vec<&[usize]> = docs.chunk_by(|&x, &y| other[x] == other[y]).collect();
        for (i, first) in runs.iter().enumerate() {
            for second in &runs[i + 1..] {
                for &x in *first {
                    for &y in *second {
                        emit(x, y);
                    }
                }
            }
        }
    }
}

#[derive(Clone, Copy)]
enum ErrorOrder {
    /// False positives: the most confidently merged pairs are the most telling.
    HighestFirst,
    /// False negatives: the pairs the tool thought least alike are the most telling.
    LowestFirst,
}

/// Keeps the `keep` worst pairs seen so far without storing every pair: the buffer is sorted and
/// cut back whenever it doubles, so memory stays O(keep) however many pairs are offered.
struct Worst<'a> {
    order: ErrorOrder,
    keep: usize,
    ids: &'a [&'a str],
    /// `(score, a, b)` with `ids[a] < ids[b]`.
    buffer: Vec<(Option<f64>, usize, usize)>,
}

impl<'a> Worst<'a> {
    fn new(order: ErrorOrder, keep: usize, ids: &'a [&'a str]) -> Self {
        Worst {
            order,
            keep,
            ids,
            buffer: Vec::new(),
        }
    }

    fn offer(&mut self, x: usize, y: usize, pair_score: &dyn Fn(&str, &str) -> Option<f64>) {
        let (a, b) = if self.ids[x] <= self.ids[y] {
            (x, y)
        } else {
            (y, x)
        };
        let score = pair_score(self.ids[a], self.ids[b]).filter(|score| !score.is_nan());
        self.buffer.push((score, a, b));
        if self.buffer.len() >= self.keep.saturating_mul(2).max(64) {
            self.cut();
        }
    }

    fn cut(&mut self) {
        let (order, ids) = (self.order, self.ids);
        self.buffer
            .sort_unstable_by(|x, y| compare_errors(order, ids, *x, *y));
        self.buffer.truncate(self.keep);
    }

    fn finish(mut self) -> Vec<PairError> {
        self.cut();
        self.buffer
            .into_iter()
            .map(|(score, a, b)| PairError {
                a: self.ids[a].to_string(),
                b: self.ids[b].to_string(),
                score,
            })
            .collect()
    }
}

/// A total order (scores are never NaN here, and pairs are distinct), so which pairs survive a
/// cut does not depend on the order they were offered in.
fn compare_errors(
    order: ErrorOrder,
    ids: &[&str],
    (x_score, x_a, x_b): (Option<f64>, usize, usize),
    (y_score, y_a, y_b): (Option<f64>, usize, usize),
) -> Ordering {
    let by_score = match (x_score, y_score) {
        (Some(x), Some(y)) => match order {
            ErrorOrder::HighestFirst => y.total_cmp(&x),
            ErrorOrder::LowestFirst => x.total_cmp(&y),
        },
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    };
    by_score.then_with(|| (ids[x_a], ids[x_b]).cmp(&(ids[y_a], ids[y_b])))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn groups(spec: &[&[&str]]) -> Vec<Vec<String>> {
        spec.iter()
            .map(|group| group.iter().map(|id| id.to_string()).collect())
            .collect()
    }

    fn ids(spec: &[&str]) -> Vec<String> {
        spec.iter().map(|id| id.to_string()).collect()
    }

    fn no_scores(_: &str, _: &str) -> Option<f64> {
        None
    }

    fn assert_close(what: &str, actual: f64, expected: f64) {
        assert!(
            (actual - expected).abs() < 1e-9,
            "{what}: got {actual}, expected {expected}"
        );
    }

    struct Case {
        name: &'static str,
        predicted: &'static [&'static [&'static str]],
        truth: &'static [&'static [&'static str]],
        universe: &'static [&'static str],
        documents: usize,
        /// (predicted, truth, true positive)
        pairs: (usize, usize, usize),
        pairwise: (f64, f64, f64),
        ari: f64,
        bcubed: (f64, f64, f64),
    }

    const SIX: &[&str] = &["a", "b", "c", "d", "e", "f"];

    const CASES: &[Case] = &[
        // Same partition {a,b,c} {d,e} {f}: every pair right.
        // pairs: predicted 3 + 1 = 4, truth 4, TP 4 → P = R = F1 = 1.
        // ARI: n = 6, total = 15, expected = 4·4/15 = 16/15, max = 4, index = 4
        //      → (4 − 16/15) / (4 − 16/15) = 1.
        // B-cubed: every C(d) = T(d) → 1, 1, 1.
        Case {
            name: "perfect match",
            predicted: &[&["a", "b", "c"], &["d", "e"]],
            truth: &[&["c", "b", "a"], &["e", "d"]],
            universe: SIX,
            documents: 6,
            pairs: (4, 4, 4),
            pairwise: (1.0, 1.0, 1.0),
            ari: 1.0,
            bcubed: (1.0, 1.0, 1.0),
        },
        // Everything merged, truth {a,b,c} {d,e,f}.
        // pairs: predicted C(6,2) = 15, truth 3 + 3 = 6, TP 6
        //      → P = 6/15 = 0.4, R = 1, F1 = 2·0.4·1 / 1.4 = 4/7.
        // ARI: expected = 15·6/15 = 6, max = (15 + 6)/2 = 10.5, index = 6 → 0 / 4.5 = 0.
        // B-cubed: each document P = 3/6, R = 3/3 → 0.5, 1, F1 = 2·0.5/1.5 = 2/3.
        Case {
            name: "everything merged",
            predicted: &[SIX],
            truth: &[&["a", "b", "c"], &["d", "e", "f"]],
            universe: SIX,
            documents: 6,
            pairs: (15, 6, 6),
            pairwise: (0.4, 1.0, 4.0 / 7.0),
            ari: 0.0,
            bcubed: (0.5, 1.0, 2.0 / 3.0),
        },
        // Everything a singleton, truth {a,b,c} {d,e,f}.
        // pairs: predicted 0 → P = 1 by convention; truth 6, TP 0 → R = 0; F1 = 0.
        // ARI: expected = 0·6/15 = 0, max = 3, index = 0 → 0 / 3 = 0.
        // B-cubed: each document P = 1/1, R = 1/3 → 1, 1/3, F1 = 2·(1/3) / (4/3) = 0.5.
        Case {
            name: "everything singletons",
            predicted: &[],
            truth: &[&["a", "b", "c"], &["d", "e", "f"]],
            universe: SIX,
            documents: 6,
            pairs: (0, 6, 0),
            pairwise: (1.0, 0.0, 0.0),
            ari: 0.0,
            bcubed: (1.0, 1.0 / 3.0, 0.5),
        },
        // Both all singletons: no pairs anywhere, P = R = 1 by convention, F1 = 1.
        // ARI: expected = 0 = max → degenerate, partitions identical → 1.
        Case {
            name: "both all singletons",
            predicted: &[&["a"], &["b"]],
            truth: &[],
            universe: SIX,
            documents: 6,
            pairs: (0, 0, 0),
            pairwise: (1.0, 1.0, 1.0),
            ari: 1.0,
            bcubed: (1.0, 1.0, 1.0),
        },
        // Both one cluster: expected = 15·15/15 = 15 = max → degenerate, identical → 1.
        Case {
            name: "both one cluster",
            predicted: &[SIX],
            truth: &[&["f", "e", "d", "c", "b", "a"]],
            universe: SIX,
            documents: 6,
            pairs: (15, 15, 15),
            pairwise: (1.0, 1.0, 1.0),
            ari: 1.0,
            bcubed: (1.0, 1.0, 1.0),
        },
        // sklearn's example: labels_true = [0,0,0,1,1,1], labels_pred = [0,0,1,1,2,2].
        // contingency: {a,b}∩T0 = 2; {c,d}: 1 in T0, 1 in T1; {e,f}∩T1 = 2.
        // pairs: predicted 1+1+1 = 3, truth 3+3 = 6, TP = 1 + 1 = 2
        //      → P = 2/3, R = 1/3, F1 = 2·(2/9) / 1 = 4/9.
        // ARI: expected = 3·6/15 = 1.2, max = 4.5 → (2 − 1.2) / (4.5 − 1.2) = 0.8/3.3 = 0.242424…
        // B-cubed: a, b: P = 2/2, R = 2/3; c, d: P = 1/2, R = 1/3; e, f: P = 1, R = 2/3.
        //      P = (4·1 + 2·0.5)/6 = 5/6, R = (4·2/3 + 2·1/3)/6 = 5/9,
        //      F1 = 2·(25/54) / (25/18) = 2/3.
        Case {
            name: "sklearn ARI example",
            predicted: &[&["a", "b"], &["c", "d"], &["e", "f"]],
            truth: &[&["a", "b", "c"], &["d", "e", "f"]],
            universe: SIX,
            documents: 6,
            pairs: (3, 6, 2),
            pairwise: (2.0 / 3.0, 1.0 / 3.0, 4.0 / 9.0),
            ari: 0.8 / 3.3,
            bcubed: (5.0 / 6.0, 5.0 / 9.0, 2.0 / 3.0),
        },
        // labels_true = [0,0,1,1], labels_pred = [0,0,1,2].
        // pairs: predicted 1, truth 2, TP 1 → P = 1, R = 0.5, F1 = 2/3.
        // ARI: total = 6, expected = 1·2/6 = 1/3, max = 1.5 → (2/3) / (7/6) = 4/7 = 0.5714285714.
        // B-cubed: a, b: 1, 1; c, d: P = 1, R = 1/2 → P = 1, R = 3/4, F1 = 1.5/1.75 = 6/7.
        Case {
            name: "split truth group",
            predicted: &[&["a", "b"]],
            truth: &[&["a", "b"], &["c", "d"]],
            universe: &["a", "b", "c", "d"],
            documents: 4,
            pairs: (1, 2, 1),
            pairwise: (1.0, 0.5, 2.0 / 3.0),
            ari: 4.0 / 7.0,
            bcubed: (1.0, 0.75, 6.0 / 7.0),
        },
        // Predicted {a,b,c,d} {e}; truth {a,b} {c,d,e}.
        // pairs: predicted 6, truth 1 + 3 = 4, TP = {a,b} + {c,d} = 2
        //      → P = 1/3, R = 1/2, F1 = 2·(1/6) / (5/6) = 0.4.
        // ARI: total = 10, expected = 6·4/10 = 2.4, max = 5 → (2 − 2.4) / 2.6 = −2/13.
        // B-cubed: a, b: P = 2/4, R = 2/2; c, d: P = 2/4, R = 2/3; e: P = 1/1, R = 1/3.
        //      P = (4·0.5 + 1)/5 = 0.6, R = (2 + 4/3 + 1/3)/5 = 11/15,
        //      F1 = 2·0.6·(11/15) / (0.6 + 11/15) = 0.88 / (4/3) = 0.66.
        Case {
            name: "below chance",
            predicted: &[&["a", "b", "c", "d"]],
            truth: &[&["a", "b"], &["c", "d", "e"]],
            universe: &["a", "b", "c", "d", "e"],
            documents: 5,
            pairs: (6, 4, 2),
            pairwise: (1.0 / 3.0, 0.5, 0.4),
            ari: -2.0 / 13.0,
            bcubed: (0.6, 11.0 / 15.0, 0.66),
        },
        // Nothing to score: every convention kicks in, all 1.
        Case {
            name: "empty universe",
            predicted: &[],
            truth: &[],
            universe: &[],
            documents: 0,
            pairs: (0, 0, 0),
            pairwise: (1.0, 1.0, 1.0),
            ari: 1.0,
            bcubed: (1.0, 1.0, 1.0),
        },
        // The universe names only "a"; b, c come from the clusters, d from the truth, and the
        // repeated "a" counts once → 4 documents. Predicted {a,b} {c} {d}, truth {a} {b} {c,d}.
        // pairs: predicted 1, truth 1, TP 0 → P = 0, R = 0, F1 = 0.
        // ARI: total = 6, expected = 1·1/6, max = 1 → (0 − 1/6) / (5/6) = −0.2.
        // B-cubed: a, b: P = 1/2, R = 1; c, d: P = 1, R = 1/2 → 0.75, 0.75, 0.75.
        Case {
            name: "universe expansion",
            predicted: &[&["a", "b"]],
            truth: &[&["c", "d"]],
            universe: &["a", "a"],
            documents: 4,
            pairs: (1, 1, 0),
            pairwise: (0.0, 0.0, 0.0),
            ari: -0.2,
            bcubed: (0.75, 0.75, 0.75),
        },
        // "b" is in two predicted clusters and "c" in two truth groups: the first occurrence
        // wins, so predicted {a,b} {c}, truth {a} {b,c}, and the all-repeat group {c} is dropped.
        // pairs: predicted 1, truth 1, TP 0. ARI: total = 3, expected = 1/3, max = 1
        //      → (−1/3) / (2/3) = −0.5.
        // B-cubed: a: P = 1/2, R = 1; b: P = 1/2, R = 1/2; c: P = 1, R = 1/2
        //      → P = 2/3, R = 2/3, F1 = 2/3.
        Case {
            name: "repeated ids keep their first occurrence",
            predicted: &[&["a", "b"], &["b", "c"]],
            truth: &[&["b", "c"], &["c"], &["a"]],
            universe: &["a", "b", "c"],
            documents: 3,
            pairs: (1, 1, 0),
            pairwise: (0.0, 0.0, 0.0),
            ari: -0.5,
            bcubed: (2.0 / 3.0, 2.0 / 3.0, 2.0 / 3.0),
        },
    ];

    #[test]
    fn hand_computed_cases() {
        for case in CASES {
            let scores = evaluate(
                &groups(case.predicted),
                &groups(case.truth),
                &ids(case.universe),
                &no_scores,
                10,
            );
            let name = case.name;
            assert_eq!(scores.documents, case.documents, "{name}: documents");
            assert_eq!(
                (
                    scores.predicted_pairs,
                    scores.truth_pairs,
                    scores.true_positive_pairs
                ),
                case.pairs,
                "{name}: pair counts"
            );
            let (p, r, f) = case.pairwise;
            assert_close(&format!("{name}: pairwise P"), scores.pairwise.precision, p);
            assert_close(&format!("{name}: pairwise R"), scores.pairwise.recall, r);
            assert_close(&format!("{name}: pairwise F1"), scores.pairwise.f1, f);
            assert_close(&format!("{name}: ARI"), scores.ari, case.ari);
            let (p, r, f) = case.bcubed;
            assert_close(&format!("{name}: B-cubed P"), scores.bcubed.precision, p);
            assert_close(&format!("{name}: B-cubed R"), scores.bcubed.recall, r);
            assert_close(&format!("{name}: B-cubed F1"), scores.bcubed.f1, f);
        }
    }

    #[test]
    fn sklearn_ari_to_ten_digits() {
        let scores = evaluate(
            &groups(&[&["0", "1"], &["2", "3"], &["4", "5"]]),
            &groups(&[&["0", "1", "2"], &["3", "4", "5"]]),
            &[],
            &no_scores,
            0,
        );
        assert!(
            (scores.ari - 0.242_424_242_4).abs() < 1e-10,
            "{}",
            scores.ari
        );
        let scores = evaluate(
            &groups(&[&["0", "1"], &["2"], &["3"]]),
            &groups(&[&["0", "1"], &["2", "3"]]),
            &[],
            &no_scores,
            0,
        );
        assert!(
            (scores.ari - 0.571_428_571_4).abs() < 1e-10,
            "{}",
            scores.ari
        );
    }

    fn table_scores(a: &str, b: &str) -> Option<f64> {
        match (a, b) {
            ("a", "c") => Some(0.5),
            ("b", "c") => Some(0.9),
            ("a", "x") => Some(0.9),
            ("c", "x") => None,
            ("d", "e") => Some(0.3),
            ("d", "f") => Some(0.1),
            ("e", "g") => None,
            ("f", "g") => Some(0.3),
            _ => Some(0.7),
        }
    }

    #[test]
    fn error_pairs_are_ranked() {
        // Predicted {x,c,b,a} {d} {e,f} {g}; truth {a,b} {c} {x} {d,e,f,g}.
        // False positives (inside {x,c,b,a}, across truth groups):
        //   a–c 0.5, b–c 0.9, a–x 0.9, b–x 0.7 (default), c–x unknown.
        //   Highest first, ties by (a, b): a–x 0.9, b–c 0.9, b–x 0.7, a–c 0.5, c–x unknown.
        // False negatives (inside {d,e,f,g}, across predicted clusters):
        //   d–e 0.3, d–f 0.1, d–g 0.7, e–g unknown, f–g 0.3 (e–f are together).
        //   Lowest first: d–f 0.1, d–e 0.3, f–g 0.3, d–g 0.7, e–g unknown.
        let predicted = groups(&[&["x", "c", "b", "a"], &["d"], &["f", "e"]]);
        let truth = groups(&[&["b", "a"], &["c"], &["x"], &["g", "f", "e", "d"]]);
        let pair = |a: &str, b: &str, score: Option<f64>| PairError {
            a: a.to_string(),
            b: b.to_string(),
            score,
        };
        let all_fp = [
            pair("a", "x", Some(0.9)),
            pair("b", "c", Some(0.9)),
            pair("b", "x", Some(0.7)),
            pair("a", "c", Some(0.5)),
            pair("c", "x", None),
        ];
        let all_fn = [
            pair("d", "f", Some(0.1)),
            pair("d", "e", Some(0.3)),
            pair("f", "g", Some(0.3)),
            pair("d", "g", Some(0.7)),
            pair("e", "g", None),
        ];
        let cases: &[(usize, usize)] = &[(0, 0), (1, 1), (3, 3), (5, 5), (100, 5)];
        for &(max_errors, expected_len) in cases {
            let scores = evaluate(&predicted, &truth, &[], &table_scores, max_errors);
            assert_eq!(
                scores.worst_false_positives,
                all_fp[..expected_len],
                "false positives, max {max_errors}"
            );
            assert_eq!(
                scores.worst_false_negatives,
                all_fn[..expected_len],
                "false negatives, max {max_errors}"
            );
        }
    }

    #[test]
    fn nan_scores_count_as_unknown() {
        let scores = evaluate(
            &groups(&[&["a", "b", "c"]]),
            &[],
            &[],
            &|a: &str, _: &str| if a == "a" { Some(f64::NAN) } else { Some(0.2) },
            10,
        );
        let ranked: Vec<(&str, &str, Option<f64>)> = scores
            .worst_false_positives
            .iter()
            .map(|e| (e.a.as_str(), e.b.as_str(), e.score))
            .collect();
        assert_eq!(
            ranked,
            [("b", "c", Some(0.2)), ("a", "b", None), ("a", "c", None)]
        );
    }

    #[test]
    fn many_errors_keep_only_the_worst() {
        // 30 documents merged, truth all singletons: 435 false positives, more than the
        // buffer holds, so the cut-back path runs. Scores rank the pair by its two numbers.
        let docs: Vec<String> = (0..30).map(|i| format!("{i:02}")).collect();
        let score = |a: &str, b: &str| -> Option<f64> {
            let (a, b) = (a.parse::<f64>().ok()?, b.parse::<f64>().ok()?);
            Some(a + b / 100.0)
        };
        let scores = evaluate(std::slice::from_ref(&docs), &[], &docs, &score, 3);
        let got: Vec<(&str, &str)> = scores
            .worst_false_positives
            .iter()
            .map(|e| (e.a.as_str(), e.b.as_str()))
            .collect();
        assert_eq!(got, [("28", "29"), ("27", "29"), ("27", "28")]);
        assert!(scores.worst_false_negatives.is_empty());
    }

    #[test]
    fn render_text_shows_scores_and_pairs() {
        let scores = evaluate(
            &groups(&[&["a", "b"], &["c", "d"], &["e", "f"]]),
            &groups(&[&["a", "b", "c"], &["d", "e", "f"]]),
            &[],
            &|a: &str, _: &str| if a == "c" { Some(0.875) } else { None },
            1,
        );
        let text = render_text(&scores);
        let expected = [
            "documents            6",
            "pairs                predicted 3, truth 6, true positive 2",
            "pairwise             precision 0.6667  recall 0.3333  f1 0.4444",
            "b-cubed              precision 0.8333  recall 0.5556  f1 0.6667",
            "adjusted rand index  0.2424",
            "worst false positives (same predicted cluster, different truth group):",
            "  \"c\"  \"d\"  score 0.8750",
            "worst false negatives (same truth group, different predicted clusters):",
            "  \"a\"  \"c\"  score unknown",
            "",
        ]
        .join("\n");
        assert_eq!(text, expected);
        let perfect = evaluate(&[], &[], &[], &no_scores, 5);
        assert!(render_text(&perfect).contains("  (none listed)\n"));
    }

    #[test]
    fn scores_serialize_to_json() {
        let scores = evaluate(
            &groups(&[&["a", "b"]]),
            &[],
            &[],
            &|_: &str, _: &str| Some(0.5),
            5,
        );
        let json = serde_json::to_value(&scores).map_err(|e| e.to_string());
        let expected = serde_json::json!({
            "documents": 2,
            "predicted_pairs": 1,
            "truth_pairs": 0,
            "true_positive_pairs": 0,
            "pairwise": {"precision": 0.0, "recall": 1.0, "f1": 0.0},
            "ari": 0.0,
            "bcubed": {"precision": 0.5, "recall": 1.0, "f1": 2.0 / 3.0},
            "worst_false_positives": [{"a": "a", "b": "b", "score": 0.5}],
            "worst_false_negatives": [],
        });
        assert_eq!(json, Ok(expected));
    }

    fn write_temp(contents: &str) -> tempfile::NamedTempFile {
        let mut file = tempfile::NamedTempFile::new().expect("create temp file");
        std::io::Write::write_all(&mut file, contents.as_bytes()).expect("write temp file");
        file
    }

    #[test]
    fn read_truth_reads_groups_and_skips_blank_lines() {
        let file = write_temp(
            "\u{feff}{\"cluster\": \"s1\", \"ids\": [\"a\", \"b\"]}\n\n   \n\
             {\"cluster\": \"s2\", \"ids\": []}\r\n",
        );
        let groups = read_truth(file.path()).expect("valid truth file");
        assert_eq!(
            groups,
            [
                TruthGroup {
                    cluster: "s1".to_string(),
                    ids: vec!["a".to_string(), "b".to_string()],
                },
                TruthGroup {
                    cluster: "s2".to_string(),
                    ids: Vec::new(),
                },
            ]
        );
    }

    #[test]
    fn read_truth_reports_the_malformed_line() {
        let cases: &[(&str, usize)] = &[
            (
                "{\"cluster\": \"s1\", \"ids\": [\"a\"]}\n\n{\"cluster\": \"s2\", \"ids\": [1]}\n",
                3,
            ),
            ("not json\n", 1),
            (
                "{\"cluster\": \"s1\", \"ids\": [\"a\"]}\n{\"ids\": [\"b\"]}\n",
                2,
            ),
            ("{\"cluster\": \"s1\", \"ids\": [\"a\"]", 1),
        ];
        for &(contents, expected_line) in cases {
            let file = write_temp(contents);
            match read_truth(file.path()) {
                Err(Error::Parse {
                    path,
                    line,
                    message,
                }) => {
                    assert_eq!(path, file.path(), "{contents:?}");
                    assert_eq!(line, expected_line, "{contents:?}");
                    assert!(!message.is_empty(), "{contents:?}");
                }
                other => panic!("{contents:?}: expected a parse error, got {other:?}"),
            }
        }
    }

    #[test]
    fn read_truth_reports_io_errors_with_the_path() {
        let dir = tempfile::tempdir().expect("create temp dir");
        let missing = dir.path().join("missing.jsonl");
        match read_truth(&missing) {
            Err(Error::WithPath { path, source }) => {
                assert_eq!(path, missing);
                assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
            }
            other => panic!("expected an I/O error, got {other:?}"),
        }
    }

    /// Turns per-document labels into groups: label 0 means "in no group" (a singleton the
    /// groups never mention), so both the listed and the implicit singleton paths are exercised.
    fn labels_to_groups(labels: &[u8]) -> Vec<Vec<String>> {
        let mut by_label: BTreeMap<u8, Vec<String>> = BTreeMap::new();
        for (doc, &label) in labels.iter().enumerate() {
            if label != 0 {
                by_label.entry(label).or_default().push(format!("d{doc}"));
            }
        }
        by_label.into_values().collect()
    }

    /// Deterministic Fisher–Yates driven by a seed (splitmix64), so shrinking stays reproducible.
    fn shuffle<T>(items: &mut [T], seed: &mut u64) {
        for i in (1..items.len()).rev() {
            *seed = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = *seed;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^= z >> 31;
            let j = (z % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }

    fn shuffled(groups: &[Vec<String>], seed: &mut u64) -> Vec<Vec<String>> {
        let mut out = groups.to_vec();
        for group in &mut out {
            shuffle(group, seed);
        }
        shuffle(&mut out, seed);
        out
    }

    /// A score that depends only on the pair's ids, with some unknowns and ties.
    fn hashed_score(a: &str, b: &str) -> Option<f64> {
        let sum: u32 = a.bytes().chain(b.bytes()).map(u32::from).sum();
        if sum.is_multiple_of(7) {
            None
        } else {
            Some(f64::from(sum % 5) / 4.0)
        }
    }

    fn labelled() -> impl Strategy<Value = (Vec<u8>, Vec<u8>)> {
        (0usize..40).prop_flat_map(|n| {
            (
                proptest::collection::vec(0u8..6, n),
                proptest::collection::vec(0u8..6, n),
            )
        })
    }

    proptest! {
        #[test]
        fn scores_stay_in_range((pred, gold) in labelled()) {
            let universe: Vec<String> = (0..pred.len()).map(|doc| format!("d{doc}")).collect();
            let scores = evaluate(
                &labels_to_groups(&pred),
                &labels_to_groups(&gold),
                &universe,
                &hashed_score,
                5,
            );
            prop_assert_eq!(scores.documents, pred.len());
            for value in [
                scores.pairwise.precision, scores.pairwise.recall, scores.pairwise.f1,
                scores.bcubed.precision, scores.bcubed.recall, scores.bcubed.f1,
            ] {
                prop_assert!((0.0..=1.0).contains(&value), "{:?}", scores);
            }
            prop_assert!((-1.0..=1.0).contains(&scores.ari), "{:?}", scores);
            prop_assert!(scores.true_positive_pairs <= scores.predicted_pairs);
            prop_assert!(scores.true_positive_pairs <= scores.truth_pairs);
            prop_assert!(scores.worst_false_positives.len() <= 5);
            prop_assert!(scores.worst_false_negatives.len() <= 5);
            for error in scores.worst_false_positives.iter().chain(&scores.worst_false_negatives) {
                prop_assert!(error.a < error.b);
            }
        }

        #[test]
        fn truth_against_itself_is_perfect((_, gold) in labelled(), seed in any::<u64>()) {
            let truth = labels_to_groups(&gold);
            let mut seed = seed;
            let scores = evaluate(&shuffled(&truth, &mut seed), &truth, &[], &hashed_score, 5);
            let perfect = Prf { precision: 1.0, recall: 1.0, f1: 1.0 };
            prop_assert_eq!(scores.pairwise, perfect);
            prop_assert_eq!(scores.bcubed, perfect);
            prop_assert_eq!(scores.ari, 1.0);
            prop_assert_eq!(scores.predicted_pairs, scores.truth_pairs);
            prop_assert_eq!(scores.true_positive_pairs, scores.truth_pairs);
            prop_assert!(scores.worst_false_positives.is_empty());
            prop_assert!(scores.worst_false_negatives.is_empty());
        }

        #[test]
        fn order_does_not_matter((pred, gold) in labelled(), seed in any::<u64>()) {
            let predicted = labels_to_groups(&pred);
            let truth = labels_to_groups(&gold);
            let mut universe: Vec<String> = (0..pred.len()).map(|doc| format!("d{doc}")).collect();
            let reference = evaluate(&predicted, &truth, &universe, &hashed_score, 4);
            let mut seed = seed;
            shuffle(&mut universe, &mut seed);
            let reordered = evaluate(
                &shuffled(&predicted, &mut seed),
                &shuffled(&truth, &mut seed),
                &universe,
                &hashed_score,
                4,
            );
            prop_assert_eq!(reference, reordered);
        }
    }
}
