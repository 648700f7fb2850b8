//! Cutting normalized text into shingles and hashing each one once with seeded xxh3, giving a
//! sorted, deduplicated set of `u64` that the fingerprinting stages consume.

use xxhash_rust::xxh3::xxh3_64_with_seed;

use crate::config::ShingleSpec;
use crate::normalize;

/// Reusable buffers, so that shingling a document allocates nothing once warmed up.
#[derive(Debug, Default)]
pub struct Shingler {
    token_hashes: Vec<u64>,
    window: Vec<u8>,
}

impl Shingler {
    /// Fills `out` with the sorted, deduplicated shingle hashes of `normalized` text (as made by
    /// [`normalize::normalize`]). Text shorter than one shingle yields one shingle of all of it,
    /// so that a very short document is still comparable.
    pub fn shingles(&mut self, normalized: &str, spec: ShingleSpec, seed: u64, out: &mut Vec<u64>) {
        out.clear();
        match spec {
            ShingleSpec::Words(k) => self.word_shingles(normalized, k, seed, out),
            ShingleSpec::Chars(k) => char_shingles(normalized, k, seed, out),
        }
        out.sort_unstable();
        out.dedup();
    }

    fn word_shingles(&mut self, normalized: &str, k: usize, seed: u64, out: &mut Vec<u64>) {
        self.token_hashes.clear();
        normalize::for_each_token(normalized, |tok| {
            self.token_hashes
                .push(xxh3_64_with_seed(tok.as_bytes(), seed));
        });
        let n = self.token_hashes.len();
        if n == 0 {
            return;
        }
        // A shingle is hashed once: xxh3 over its k token hashes laid out as bytes. Hashing
        // token hashes rather than token text keeps the window a fixed 8·k bytes.
        let k = k.min(n);
        out.reserve(n + 1 - k);
        for win in self.token_hashes.windows(k) {
            self.window.clear();
            for h in win {
                self.window.extend_from_slice(&h.to_le_bytes());
            }
            out.push(xxh3_64_with_seed(&self.window, seed ^ SHINGLE_SALT));
        }
    }
}

/// Keeps shingle hashes apart from token hashes even for k = 1.
const SHINGLE_SALT: u64 = 0x9e37_79b9_7f4a_7c15;

fn char_shingles(normalized: &str, k: usize, seed: u64, out: &mut Vec<u64>) {
    // Line breaks are paragraph boundaries, not content: treat them as spaces.
    let starts: Vec<usize> = normalized.char_indices().map(|(i, _)| i).collect();
    let n = starts.len();
    if n == 0 {
        return;
    }
    let k = k.min(n);
    let mut buf = Vec::with_capacity(4 * k);
    for i in 0..=(n - k) {
        let end = if i + k < n {
            starts[i + k]
        } else {
            normalized.len()
        };
        buf.clear();
        buf.extend(normalized.as_bytes()[starts[i]..end].iter().map(|&b| {
            if b == b'\n' {
                b' '
            } else {
                b
            }
        }));
        out.push(xxh3_64_with_seed(&buf, seed));
    }
}

/// How many number hashes a document keeps: a bottom-k sketch, enough to tell a template story
/// (same words, other figures) from a reprint (same figures).
pub const NUMBER_SKETCH_LEN: usize = 24;

/// The figures of a text: hashes of its tokens that contain a digit, as a bottom-k sketch
/// (sorted, unique, at most [`NUMBER_SKETCH_LEN`]) and the number of distinct such tokens.
pub fn number_sketch(normalized: &str, seed: u64) -> (Vec<u64>, usize) {
    let mut all = Vec::new();
    // Figures count only in prose: datelines, bylines and timestamps are short lines whose
    // numbers differ between copies of one story.
    for line in normalized
        .lines()
        .filter(|l| l.split_whitespace().count() >= FIGURE_LINE_MIN_WORDS)
    {
        normalize::for_each_token(line, |tok| {
            if let Some(fig) = figure(tok) {
                all.push(xxh3_64_with_seed(fig.as_bytes(), seed ^ NUMBER_SALT));
            }
        });
    }
    all.sort_unstable();
    all.dedup();
    let distinct = all.len();
    all.truncate(NUMBER_SKETCH_LEN);
    (all, distinct)
}

/// The figure a token stands for, if it is one that tells one story from another: mostly
/// digits (so OCR-garbled words with a stray digit are not figures), not a year (every story
/// of a season shares it). Letters that OCR confuses with digits are read as those digits, so
/// that `20l0` and `2010` are one figure.
fn figure(tok: &str) -> Option<String> {
    let digits = tok.bytes().filter(u8::is_ascii_digit).count();
    let chars = tok.chars().count();
    if digits == 0 || 2 * digits < chars {
        return None;
    }
    let fig: String = tok
        .chars()
        .map(|c| match c {
            'l' | 'i' | 'I' | '|' => '1',
            'o' | 'O' => '0',
            other => other,
        })
        .collect();
    let is_year = fig.len() == 4
        && fig.bytes().all(|b| b.is_ascii_digit())
        && (fig.starts_with("18") || fig.starts_with("19") || fig.starts_with("20"));
    (!is_year).then_some(fig)
}

/// Lines shorter than this (in words) contribute no figures.
const FIGURE_LINE_MIN_WORDS: usize = 8;

/// Keeps number hashes apart from shingle hashes.
const NUMBER_SALT: u64 = 0x6e75_6d62_6572_7321;

/// Share of the smaller document's figures found in the other, estimated from two bottom-k
/// sketches: both are cut at the smaller of their largest values, so that the comparison is on
/// the same slice of hash space. `None` when either side has too few figures to judge.
pub fn number_overlap(a: &[u64], b: &[u64], min_figures: usize) -> Option<f64> {
    if a.len() < min_figures || b.len() < min_figures {
        return None;
    }
    let cut = match (a.len() == NUMBER_SKETCH_LEN, b.len() == NUMBER_SKETCH_LEN) {
        (false, false) => u64::MAX,
        _ => (*a.last()?).min(*b.last()?),
    };
    // Sketches are sorted, so the values up to the cut are a prefix: no copy needed on this
    // per-candidate-pair path.
    let a = &a[..a.partition_point(|&h| h <= cut)];
    let b = &b[..b.partition_point(|&h| h <= cut)];
    let shared = a.iter().filter(|h| b.binary_search(h).is_ok()).count();
    let smaller = a.len().min(b.len()).max(1);
    Some(shared as f64 / smaller as f64)
}

/// Convenience wrapper that allocates a fresh set.
pub fn shingle_set(normalized: &str, spec: ShingleSpec, seed: u64) -> Vec<u64> {
    let mut out = Vec::new();
    Shingler::default().shingles(normalized, spec, seed, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shingle_counts_table() {
        // (text, spec, expected number of distinct shingles)
        let cases: &[(&str, ShingleSpec, usize)] = &[
            ("a b c d e", ShingleSpec::Words(3), 3),
            ("a b", ShingleSpec::Words(3), 1),
            ("", ShingleSpec::Words(3), 0),
            ("a b a b a b", ShingleSpec::Words(2), 2),
            ("abcd", ShingleSpec::Chars(2), 3),
            ("ab", ShingleSpec::Chars(5), 1),
            ("aaaa", ShingleSpec::Chars(2), 1),
        ];
        for (text, spec, want) in cases {
            let set = shingle_set(text, *spec, 1);
            assert_eq!(set.len(), *want, "{text:?} {spec}");
            assert!(set.windows(2).all(|w| w[0] < w[1]), "sorted and unique");
        }
    }

    #[test]
    fn seed_changes_hashes_not_structure() {
        let a = shingle_set("one two three four", ShingleSpec::Words(2), 1);
        let b = shingle_set("one two three four", ShingleSpec::Words(2), 2);
        assert_eq!(a.len(), b.len());
        assert_ne!(a, b);
    }

    const PROSE: &str = "and the rest of this line is ordinary prose";

    #[test]
    fn figures_of_short_lines_are_ignored() {
        let dateline =
            "by jane doe, updated 2010-01-24 06:12\nthe council met on monday and agreed on a plan";
        assert!(number_sketch(dateline, 1).0.is_empty());
    }

    #[test]
    fn number_overlap_table() {
        // (text a, text b, expected overlap)
        let cases: &[(&str, &str, Option<f64>)] = &[
            (
                "up 0.8% to 7512 on 11 march",
                "up 0.8% to 7512 on 11 march",
                Some(1.0),
            ),
            (
                "up 0.8% to 7512 on 11 march",
                "down 1.2% to 7430 on 18 march",
                Some(0.0),
            ),
            (
                "rose 103 104 105 106",
                "rose 103 104 105 106 107 108",
                Some(1.0),
            ),
            ("no figures here", "rose 103 104 105", None),
            // Years are not figures; OCR look-alikes are read as digits.
            (
                "in 2011 and 2012 and 1999",
                "in 2013 and 2014 and 1998",
                None,
            ),
            (
                "paid 4l0 and 3o5 and 1l7",
                "paid 410 and 305 and 117",
                Some(1.0),
            ),
            // A word with a stray digit is not a figure.
            ("po1itischer mil1iarde fal1", "politischer", None),
        ];
        for (a, b, want) in cases {
            // Padded to prose length: short lines give no figures.
            let (sa, _) = number_sketch(&format!("{a} {PROSE}"), 1);
            let (sb, _) = number_sketch(&format!("{b} {PROSE}"), 1);
            assert_eq!(number_overlap(&sa, &sb, 3), *want, "{a:?} vs {b:?}");
        }
    }

    #[test]
    fn line_breaks_do_not_change_char_shingles() {
        let a = shingle_set("ab\ncd", ShingleSpec::Chars(3), 7);
        let b = shingle_set("ab cd", ShingleSpec::Chars(3), 7);
        assert_eq!(a, b);
    }
}
