//! Cutting normalized text into shingles and hashing each one once, giving the set of distinct
//! `u64` shingle hashes that the fingerprinting stages consume. Character windows are hashed
//! by a rolling polynomial (constant work a character whatever `K`), word windows by xxh3 over
//! their token hashes; duplicates are dropped on the fly by a reused open-addressing table, so
//! the hot path neither sorts nor allocates once warmed up.

use xxhash_rust::xxh3::xxh3_64_with_seed;

use crate::config::ShingleSpec;
use crate::normalize;

/// Reusable buffers, so that shingling a document allocates nothing once warmed up.
#[derive(Debug, Default)]
pub struct Shingler {
    token_hashes: Vec<u64>,
    window: Vec<u8>,
    /// Ring of the last `K` characters of a character window.
    ring: Vec<u32>,
    /// Open-addressing set of the hashes seen in the current document (their low 32 bits, at
    /// a slot picked by their top bits); 0 marks a free slot.
    /// Left all-zero between documents (the prefix a document used is cleared after it).
    table: Vec<u32>,
}

impl Shingler {
    /// Fills `out` with the distinct shingle hashes of `normalized` text (as made by
    /// [`normalize::normalize`]), in order of first occurrence: MinHash does not depend on the
    /// order, and the number of distinct shingles is what containment needs. Text shorter than
    /// one shingle yields one shingle of all of it, so that a very short document is still
    /// comparable. [`shingle_set`] gives the same set sorted.
    pub fn shingles(&mut self, normalized: &str, spec: ShingleSpec, seed: u64, out: &mut Vec<u64>) {
        out.clear();
        match spec {
            ShingleSpec::Words(k) => self.word_shingles(normalized, k, seed, out),
            ShingleSpec::Chars(k) => self.char_shingles(normalized, k, seed, out),
        }
        self.distinct_in_place(out);
    }

    /// Drops repeated hashes from `hashes`, keeping first occurrences in order.
    fn distinct_in_place(&mut self, hashes: &mut Vec<u64>) {
        let n = hashes.len();
        if n < 2 {
            return;
        }
        // At most a quarter full, so that nearly every hash finds its home slot free or holding
        // itself, which is handled without a branch (whether a shingle repeats is a coin toss
        // to the branch predictor): shingling is 1.75 times as fast as with a table two-thirds
        // full that branches on it. A slot holds a hash's low 32 bits and the top bits pick
        // its home slot, so two hashes are taken for one only when they agree on both, which
        // happens about once in four million articles (and then costs a count one short):
        // half the cache a 64-bit key would take.
        let cap = (4 * n).next_power_of_two().max(16);
        if self.table.len() < cap {
            self.table.clear();
            self.table.resize(cap, 0);
        }
        let table = &mut self.table[..cap];
        let shift = 64 - cap.trailing_zeros();
        let mask = cap - 1;
        let mut kept = 0;
        for i in 0..n {
            let h = hashes[i];
            // 0 marks a free slot, so the key 0 is stored as 1.
            let key = (h as u32).max(1);
            let mut at = (h >> shift) as usize;
            let mut slot = table[at];
            while slot != 0 && slot != key {
                at = (at + 1) & mask;
                slot = table[at];
            }
            let new = slot == 0;
            table[at] = key;
            hashes[kept] = h;
            kept += usize::from(new);
        }
        hashes.truncate(kept);
        // Only the first `cap` slots were used: one sequential clear of them is cheaper than
        // revisiting each stored hash's slot at random.
        table.fill(0);
    }

    /// Character `k`-shingles. A window's hash is the polynomial `Σ c_j·B^(k-1-j)` (mod 2^64)
    /// of its code points `c_j`, updated in constant time as the window slides, then mixed with
    /// the seed so that every bit depends on every character. Line breaks are paragraph
    /// boundaries, not content: they count as spaces.
    fn char_shingles(&mut self, normalized: &str, k: usize, seed: u64, out: &mut Vec<u64>) {
        if normalized.is_empty() || k == 0 {
            return;
        }
        // The base depends on the seed too, so that no pair of windows collides for every seed.
        let base = mix64(seed ^ ROLL_BASE) | 1;
        // B^(k-1): the weight of the character that leaves the window.
        let top = (1..k).fold(1u64, |p, _| p.wrapping_mul(base));
        let ring = &mut self.ring;
        ring.clear();
        ring.resize(k, 0);
        out.reserve(normalized.len());
        let window = Window { k, seed, base, top };
        // ASCII text (most of it) is rolled over its bytes, skipping UTF-8 decoding: the same
        // code points, so the same hashes.
        if normalized.is_ascii() {
            window.roll(normalized.bytes().map(u32::from), ring, out);
        } else {
            window.roll(normalized.chars().map(u32::from), ring, out);
        }
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

/// The rolling character window of [`Shingler::char_shingles`]: its width, seed, base and
/// the weight of the character that leaves it.
struct Window {
    k: usize,
    seed: u64,
    base: u64,
    top: u64,
}

impl Window {
    /// Rolls the hash over `chars` (code points, a line break read as a space) and pushes each
    /// full window's mixed hash, or one hash of all of it when the text is shorter than a window.
    fn roll(&self, chars: impl Iterator<Item = u32>, ring: &mut [u32], out: &mut Vec<u64>) {
        let Window { k, seed, base, top } = *self;
        let mut h = 0u64;
        let mut n = 0usize;
        let mut slot = 0usize;
        for c in chars {
            let c = u64::from(if c == u32::from(b'\n') {
                u32::from(b' ')
            } else {
                c
            }) + 1;
            // Before the window is full the ring holds zeros, which subtract nothing.
            h = h
                .wrapping_sub(u64::from(ring[slot]).wrapping_mul(top))
                .wrapping_mul(base)
                .wrapping_add(c);
            ring[slot] = c as u32;
            slot += 1;
            if slot == k {
                slot = 0;
            }
            n += 1;
            if n >= k {
                out.push(mix64(h ^ seed));
            }
        }
        if n < k {
            // Shorter than one window: one shingle of all of it.
            out.push(mix64(h ^ seed));
        }
    }
}

/// Version of the shingle hashing scheme, the figures sketch and the MinHash signatures made
/// from them. Any change that gives a text other hashes or signatures bumps it, so that an
/// index built with the old ones is refused, not mixed.
/// 2: rolling polynomial hash of character windows. 3: figures also from lines of scripts
/// written without spaces (their words counted by [`normalize::word_count`]). 4: one-permutation
/// MinHash with densification ([`crate::minhash`]).
pub const HASH_VERSION: u32 = 4;

/// Keeps shingle hashes apart from token hashes even for k = 1.
const SHINGLE_SALT: u64 = 0x9e37_79b9_7f4a_7c15;

/// Mixed with the seed into the base of the rolling character hash (made odd, so that
/// multiplying by it is a bijection of the 64-bit words).
const ROLL_BASE: u64 = 0xd6e8_feb8_6659_fd93;

/// The finalizer of MurmurHash3 (`fmix64`): a bijection in which every output bit depends on
/// every input bit, so that the polynomial sum becomes a uniformly spread shingle hash.
#[inline(always)]
fn mix64(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

/// How many number hashes a document keeps: a bottom-k sketch, enough to tell a template story
/// (same words, other figures) from a reprint (same figures).
pub const NUMBER_SKETCH_LEN: usize = 24;

/// The figures of a text: hashes of its tokens that contain a digit, as a bottom-k sketch
/// (sorted, unique, at most [`NUMBER_SKETCH_LEN`]) and the number of distinct such tokens.
pub fn number_sketch(normalized: &str, seed: u64) -> (Vec<u64>, usize) {
    let mut all = Vec::new();
    let mut fig = String::new();
    // Figures count only in prose: datelines, bylines and timestamps are short lines whose
    // numbers differ between copies of one story.
    // Most lines hold no digit at all: that test is cheaper than counting words.
    for line in normalize::lines(normalized)
        .filter(|l| l.bytes().any(|b| b.is_ascii_digit()))
        .filter(|l| normalize::word_count(l) >= FIGURE_LINE_MIN_WORDS)
    {
        // No token spans a space, and a figure has an ASCII digit: only the space-separated
        // pieces with one are segmented (a tenth of a prose line's, where segmenting every
        // word cost 4 % of a run).
        for piece in pieces_with_digit(line) {
            normalize::for_each_token(piece, |tok| {
                if figure(tok, &mut fig) {
                    all.push(xxh3_64_with_seed(fig.as_bytes(), seed ^ NUMBER_SALT));
                }
            });
        }
    }
    all.sort_unstable();
    all.dedup();
    let distinct = all.len();
    all.truncate(NUMBER_SKETCH_LEN);
    // The sketch is kept for every document of the run (and of the index).
    all.shrink_to_fit();
    (all, distinct)
}

/// The space-separated pieces of `line` that hold an ASCII digit, in order, found in one pass
/// over its bytes (`str::split` searches for each space anew, and a piece is a few bytes).
fn pieces_with_digit(line: &str) -> impl Iterator<Item = &str> {
    let bytes = line.as_bytes();
    let mut start = 0;
    let mut at = 0;
    std::iter::from_fn(move || {
        let mut digit = false;
        while at <= bytes.len() {
            let b = bytes.get(at).copied().unwrap_or(b' ');
            at += 1;
            if b == b' ' {
                let piece = (start, at - 1);
                start = at;
                if digit {
                    // Cut at spaces, so at character boundaries.
                    return Some(&line[piece.0..piece.1]);
                }
            } else {
                digit |= b.is_ascii_digit();
            }
        }
        None
    })
}

/// Whether a token is a figure that tells one story from another, written into `fig` (a reused
/// buffer): mostly digits (so OCR-garbled words with a stray digit are not figures), not a year
/// (every story of a season shares it). Letters that OCR confuses with digits are read as those
/// digits, so that `20l0` and `2010` are one figure.
fn figure(tok: &str, fig: &mut String) -> bool {
    let digits = tok.bytes().filter(u8::is_ascii_digit).count();
    if digits == 0 || 2 * digits < tok.chars().count() {
        return false;
    }
    fig.clear();
    fig.extend(tok.chars().map(|c| match c {
        'l' | 'i' | 'I' | '|' => '1',
        'o' | 'O' => '0',
        other => other,
    }));
    let is_year = fig.len() == 4
        && fig.bytes().all(|b| b.is_ascii_digit())
        && (fig.starts_with("18") || fig.starts_with("19") || fig.starts_with("20"));
    !is_year
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

/// The distinct shingle hashes of a text, sorted (for exact set comparisons, e.g. by binary
/// search); allocates a fresh set.
pub fn shingle_set(normalized: &str, spec: ShingleSpec, seed: u64) -> Vec<u64> {
    let mut out = Vec::new();
    Shingler::default().shingles(normalized, spec, seed, &mut out);
    out.sort_unstable();
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

    proptest::proptest! {
        /// Segmenting only the pieces with a digit finds what segmenting whole lines finds.
        #[test]
        fn figures_by_digit_pieces_equal_figures_by_whole_lines(
            words in proptest::collection::vec(
                "[a-z0-9.,:'’%$/-]{1,8}|[0-9]{1,4}[.,][0-9]{1,3}|l'[0-9a-z]{1,4}|[中文字]{1,3}[0-9]{0,2}|[éà]{1,2}[0-9]",
                0..40,
            ),
            breaks in proptest::collection::vec(0usize..40, 0..4),
        ) {
            let mut text = String::new();
            for (i, w) in words.iter().enumerate() {
                if i > 0 {
                    text.push(if breaks.contains(&i) { '\n' } else { ' ' });
                }
                text.push_str(w);
            }
            let mut fig = String::new();
            let mut expected = Vec::new();
            for line in text.lines().filter(|l| normalize::word_count(l) >= FIGURE_LINE_MIN_WORDS) {
                normalize::for_each_token(line, |tok| {
                    if figure(tok, &mut fig) {
                        expected.push(xxh3_64_with_seed(fig.as_bytes(), 7 ^ NUMBER_SALT));
                    }
                });
            }
            expected.sort_unstable();
            expected.dedup();
            let distinct = expected.len();
            expected.truncate(NUMBER_SKETCH_LEN);
            proptest::prop_assert_eq!(number_sketch(&text, 7), (expected, distinct));
        }
    }

    #[test]
    fn ascii_bytes_and_decoded_characters_roll_the_same_hashes() {
        // Appending one non-ASCII character sends the text down the decoding path and only adds
        // windows at its end: the ASCII text's windows come first, with the same hashes.
        let mut shingler = Shingler::default();
        for text in ["a", "seven c", "the council met\non monday and agreed"] {
            let (mut ascii, mut decoded) = (Vec::new(), Vec::new());
            let mut raw = |t: &str, out: &mut Vec<u64>| {
                out.clear();
                shingler.char_shingles(t, 7, 3, out);
            };
            raw(text, &mut ascii);
            raw(&format!("{text}é"), &mut decoded);
            if text.len() >= 7 {
                assert_eq!(ascii[..], decoded[..ascii.len()], "{text:?}");
            } else {
                assert_eq!(decoded.len(), 1, "{text:?}");
            }
        }
    }

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

    /// The rolling hash of every window, recomputed from scratch: what the sliding update must
    /// equal.
    fn char_windows_direct(text: &str, k: usize, seed: u64) -> Vec<u64> {
        let base = mix64(seed ^ ROLL_BASE) | 1;
        let cs: Vec<u64> = text
            .chars()
            .map(|c| u64::from(if c == '\n' { ' ' } else { c }) + 1)
            .collect();
        let poly = |w: &[u64]| {
            w.iter()
                .fold(0u64, |h, &c| h.wrapping_mul(base).wrapping_add(c))
        };
        if cs.len() < k {
            return vec![mix64(poly(&cs) ^ seed)];
        }
        cs.windows(k).map(|w| mix64(poly(w) ^ seed)).collect()
    }

    #[test]
    fn rolling_char_hash_equals_direct_table() {
        // (text, k): ASCII, multi-byte and astral characters, repeats, shorter than k.
        let cases: &[(&str, usize)] = &[
            ("the quick brown fox jumps over the lazy dog", 7),
            ("été à l'hôpital, naïve façade\nsecond line", 5),
            ("日本語のテキストと漢字の並び", 3),
            ("emoji 🎉🎉 and 𝕏 symbols 🎉🎉", 4),
            ("abababababab", 2),
            ("abc", 7),
            ("x", 1),
        ];
        for &(text, k) in cases {
            let mut want = char_windows_direct(text, k, 11);
            let mut seen = std::collections::HashSet::new();
            want.retain(|h| seen.insert(*h));
            let mut got = Vec::new();
            Shingler::default().shingles(text, ShingleSpec::Chars(k), 11, &mut got);
            assert_eq!(got, want, "{text:?} k={k}");
        }
    }

    #[test]
    fn shingles_are_distinct_in_first_occurrence_order_and_buffers_reset() {
        let mut shingler = Shingler::default();
        let mut out = Vec::new();
        // A long document first leaves a large table behind; the short one after it must not
        // see its hashes.
        let long = "one two three four five six ".repeat(200);
        shingler.shingles(&long, ShingleSpec::Words(2), 3, &mut out);
        assert_eq!(out.len(), 6, "six distinct word pairs in a repeated cycle");
        for (text, spec) in [
            ("a b a b a b c", ShingleSpec::Words(2)),
            ("aaaa bbbb aaaa", ShingleSpec::Chars(3)),
            ("one two three four", ShingleSpec::Words(2)),
        ] {
            shingler.shingles(text, spec, 3, &mut out);
            let mut sorted = out.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), out.len(), "{text:?}: distinct");
            assert_eq!(
                sorted,
                shingle_set(text, spec, 3),
                "{text:?}: same set as fresh"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn distinct_in_place_keeps_first_occurrences(
            pool in proptest::collection::vec(proptest::num::u64::ANY, 1..300),
            picks in proptest::collection::vec(0usize..1000, 0..2000),
            // A table left large by a longer document before.
            before in 0usize..5000,
        ) {
            let mut shingler = Shingler::default();
            let mut warm: Vec<u64> = (0..before as u64).map(|i| i.wrapping_mul(0x9e37_79b9_7f4a_7c15)).collect();
            shingler.distinct_in_place(&mut warm);
            // The hash 0 (the free-slot marker's value) among the rest.
            let pool: Vec<u64> = pool.into_iter().chain([0]).collect();
            let mut hashes: Vec<u64> = picks.iter().map(|&i| pool[i % pool.len()]).collect();
            let mut seen = std::collections::HashSet::new();
            let want: Vec<u64> = hashes.iter().copied().filter(|h| seen.insert(*h)).collect();
            shingler.distinct_in_place(&mut hashes);
            proptest::prop_assert_eq!(hashes, want);
        }
    }

    #[test]
    fn hashes_agreeing_on_low_and_top_bits_are_taken_for_one() {
        // The table keeps a hash's low 32 bits at a slot picked by its top bits: two hashes
        // agreeing on both collapse (the documented, one-in-millions approximation), two that
        // differ in the top bits do not.
        let mut shingler = Shingler::default();
        let (a, same_slot, other_slot) = (
            0x8000_0000_1234_5678u64,
            0x8000_0001_1234_5678u64,
            0x1000_0000_1234_5678u64,
        );
        let mut hashes = vec![a, same_slot, other_slot, a];
        shingler.distinct_in_place(&mut hashes);
        assert_eq!(hashes, vec![a, other_slot]);
        // 0 is kept as 1, so it and 1 are one too.
        let mut hashes = vec![0, 1, 2];
        shingler.distinct_in_place(&mut hashes);
        assert_eq!(hashes, vec![0, 2]);
    }

    proptest::proptest! {
        #[test]
        fn pieces_with_digit_are_the_split_pieces_with_one(line in "[a1 é9\\-]{0,24}") {
            let want: Vec<&str> = line
                .split(' ')
                .filter(|p| p.bytes().any(|b| b.is_ascii_digit()))
                .collect();
            proptest::prop_assert_eq!(pieces_with_digit(&line).collect::<Vec<_>>(), want);
        }
    }

    #[test]
    fn line_breaks_do_not_change_char_shingles() {
        let a = shingle_set("ab\ncd", ShingleSpec::Chars(3), 7);
        let b = shingle_set("ab cd", ShingleSpec::Chars(3), 7);
        assert_eq!(a, b);
    }
}
