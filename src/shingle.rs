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
/// MinHash with densification ([`crate::minhash`]). 5: figures filed by the words beside them
/// ([`number_sketch`]). 6: telephone numbers are not figures ([`phone_numbers`]).
pub const HASH_VERSION: u32 = 6;

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

/// How many figure slots a document keeps: a bottom-k sketch of its slots (the words beside
/// its figures), enough to tell a template story (same words, other figures in the same
/// places) from a reprint (the same figures in the same places).
pub const FIGURE_SLOTS: usize = 16;

/// Values kept for one slot (chosen by a hash of the value): a common word such as "to" stands
/// beside many figures of a long story.
const SLOT_VALUES_MAX: usize = 4;

/// Most entries a figures sketch holds.
pub const FIGURE_SKETCH_MAX: usize = FIGURE_SLOTS * SLOT_VALUES_MAX;

/// Low bits of a sketch entry that hold the figure's value ([`pack_value`]); the bits above
/// hold its slot's hash.
const VALUE_BITS: u32 = 32;
const VALUE_MASK: u64 = (1 << VALUE_BITS) - 1;

/// Digits of a figure's value kept (its last ones): eight fit in the 28 bits beside the length.
const VALUE_DIGITS: usize = 8;

/// A figure's value as its digits (the last [`VALUE_DIGITS`] of them), packed: the count in the
/// top 4 bits, the number they spell below. Kept as digits, not hashed, so that two values can
/// be compared for an OCR slip of one digit.
fn pack_value(digits: &str) -> u64 {
    let d = &digits.as_bytes()[digits.len().saturating_sub(VALUE_DIGITS)..];
    let n = d
        .iter()
        .fold(0u64, |n, &b| n * 10 + u64::from(b.wrapping_sub(b'0')));
    (d.len() as u64) << 28 | n
}

/// How many digits a packed value ([`pack_value`]) has kept.
fn value_digits(v: u64) -> usize {
    ((v >> 28) as usize).min(VALUE_DIGITS)
}

/// The digits of a packed value ([`pack_value`]) into `out`; returns how many.
fn unpack_value(v: u64, out: &mut [u8; VALUE_DIGITS]) -> usize {
    let len = value_digits(v);
    let mut n = v & ((1 << 28) - 1);
    for k in (0..len).rev() {
        out[k] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    len
}

/// Whether two packed values are one figure: equal, or (three digits or more) one slip of OCR
/// apart: a digit read as another, dropped or doubled (`116` / `115`, `36264` / `3624`).
fn same_value(x: u64, y: u64) -> bool {
    if x == y {
        return true;
    }
    let (mut a, mut b) = ([0u8; VALUE_DIGITS], [0u8; VALUE_DIGITS]);
    let (la, lb) = (unpack_value(x, &mut a), unpack_value(y, &mut b));
    if la.min(lb) < 3 || la.abs_diff(lb) > 1 {
        return false;
    }
    let (a, b) = (&a[..la], &b[..lb]);
    let prefix = a.iter().zip(b).take_while(|(p, q)| p == q).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(p, q)| p == q)
        .count();
    // One edit: what is left between the common prefix and suffix is at most one character
    // on each side.
    la - prefix - suffix <= 1 && lb - prefix - suffix <= 1
}

/// Salts of a figure's left and right slot.
const LEFT_SALT: u64 = 0x6c65_6674_736c_6f74;
const RIGHT_SALT: u64 = 0x7269_6768_7473_6c6f;

/// One token of a space-separated piece, as the figures sketch sees it: a word (its hash), or
/// a run of figure tokens with no word between them (their digits, [`pack_value`], so that
/// `4:3`, `6,928` and `1.2` are one value each, however the piece is punctuated).
#[derive(Clone, Copy, PartialEq)]
enum Tok {
    Word(u64),
    Figure(u64),
}

/// The hash of a word beside a figure: the same whether the word is found by segmenting the
/// figure's piece or is a neighbouring piece, so that both name one slot.
fn place_word(word: &str, seed: u64) -> u64 {
    xxh3_64_with_seed(word.as_bytes(), seed ^ NUMBER_SALT)
}

/// How many entries at the start of `entries` (sorted) belong to its first slot.
fn slot_run(entries: &[u64]) -> usize {
    let slot = entries.first().map_or(0, |&e| e >> VALUE_BITS);
    entries.partition_point(|&e| e >> VALUE_BITS == slot)
}

/// The tokens of one piece ([`Tok`]); `fig` and `value` are reused buffers.
fn piece_tokens(piece: &str, seed: u64, fig: &mut String, value: &mut String, out: &mut Vec<Tok>) {
    out.clear();
    value.clear();
    let flush = |value: &mut String, out: &mut Vec<Tok>| {
        if !value.is_empty() {
            out.push(Tok::Figure(pack_value(value)));
            value.clear();
        }
    };
    normalize::for_each_token(piece, |tok| {
        if figure(tok, fig) {
            value.extend(fig.chars().filter(char::is_ascii_digit));
        } else {
            flush(value, out);
            if tok.chars().any(char::is_alphabetic) {
                out.push(Tok::Word(place_word(tok, seed)));
            }
        }
    });
    flush(value, out);
}

/// The space-separated pieces of `line` that hold an ASCII digit, in order, each with the
/// non-empty pieces just before and after it (`None` at the line's ends).
fn pieces_with_digit(line: &str) -> impl Iterator<Item = (Option<&str>, &str, Option<&str>)> {
    let bytes = line.as_bytes();
    let mut from = 0;
    // The piece that ends at `end` (exclusive), skipping the spaces before `end`.
    let piece_before = move |mut end: usize| -> Option<&str> {
        while end > 0 && bytes[end - 1] == b' ' {
            end -= 1;
        }
        let start = bytes[..end]
            .iter()
            .rposition(|&b| b == b' ')
            .map_or(0, |s| s + 1);
        // Cut at spaces, so at character boundaries.
        (start < end).then(|| &line[start..end])
    };
    let piece_after = move |mut start: usize| -> Option<&str> {
        while start < bytes.len() && bytes[start] == b' ' {
            start += 1;
        }
        let end = bytes[start..]
            .iter()
            .position(|&b| b == b' ')
            .map_or(bytes.len(), |e| start + e);
        (start < end).then(|| &line[start..end])
    };
    std::iter::from_fn(move || {
        let at = from + bytes[from..].iter().position(u8::is_ascii_digit)?;
        let start = bytes[..at]
            .iter()
            .rposition(|&b| b == b' ')
            .map_or(0, |s| s + 1);
        let end = bytes[at..]
            .iter()
            .position(|&b| b == b' ')
            .map_or(bytes.len(), |e| at + e);
        from = end;
        Some((piece_before(start), &line[start..end], piece_after(end)))
    })
}

/// Fewest digits of a telephone number ([`phone_numbers`]): eight-digit figures are often dates
/// written as a run (`2014 03 05`).
const PHONE_MIN_DIGITS: usize = 9;

/// The byte ranges of `line` that hold telephone numbers: runs of two or more space-separated
/// pieces of digits (a piece may open with `+` or `(` and close with punctuation) of
/// [`PHONE_MIN_DIGITS`] digits or more, whose first group opens with `0` or `+` or `(`, or
/// whose later groups are not all of three digits (`150 000 000` is a number). A site's
/// contact line ("call the newsroom on 01632 960 418") is kept in the text of a site seen
/// once, and its number differs from another site's in the same places, where the two
/// copies' story figures agree: it is no figure of the story.
fn phone_numbers(line: &str) -> Vec<std::ops::Range<usize>> {
    let mut found = Vec::new();
    if line.bytes().filter(u8::is_ascii_digit).count() < PHONE_MIN_DIGITS {
        return found;
    }
    // (start of the run, digits, groups, the first group's opening, any later group not of 3)
    let mut run: Option<(usize, usize, usize, bool, bool)> = None;
    let mut close = |run: &mut Option<(usize, usize, usize, bool, bool)>, end: usize| {
        if let Some((start, digits, groups, dialled, uneven)) = run.take() {
            if groups >= 2 && digits >= PHONE_MIN_DIGITS && (dialled || uneven) {
                found.push(start..end);
            }
        }
    };
    let mut pos = 0;
    for piece in line.split(' ') {
        let start = pos;
        pos += piece.len() + 1;
        let core = piece
            .trim_start_matches(['+', '('])
            .trim_end_matches(|c: char| !c.is_ascii_alphanumeric());
        let core = core.trim_end_matches(')');
        if core.is_empty() || !core.bytes().all(|b| b.is_ascii_digit()) {
            close(&mut run, start);
            continue;
        }
        match &mut run {
            Some((_, digits, groups, _, uneven)) => {
                *digits += core.len();
                *groups += 1;
                *uneven |= core.len() != 3;
            }
            None => {
                let dialled =
                    piece.starts_with(['+', '(']) || (core.len() >= 2 && core.starts_with('0'));
                run = Some((start, core.len(), 1, dialled, false));
            }
        }
    }
    close(&mut run, line.len());
    found
}

/// Writes into `out` (cleared first) the quoted spans of `normalized` text, where every
/// double quote and guillemet is `"`: what lies between a quote and the next one on the same
/// line, spans joined by line breaks. A line break ends a quotation that has not closed, as a
/// paragraph of a quotation running on does in English (it opens the next with a quote of
/// its own) and as a stray inch mark must: a quote never reaches past its paragraph.
pub fn quoted_text(normalized: &str, out: &mut String) {
    out.clear();
    if !normalized.contains('"') {
        return;
    }
    for line in normalized.lines() {
        // Odd pieces lie between a quote and the next one; a last odd piece is a quotation
        // the line leaves open, which runs to its end.
        for piece in line.split('"').skip(1).step_by(2) {
            let piece = piece.trim();
            if !piece.is_empty() {
                out.push_str(piece);
                out.push('\n');
            }
        }
    }
}

/// Lines of more words than this are a text's paragraphs; the last of them closes it
/// ([`borrowed_text`]).
const CLOSING_LINE_MIN_WORDS: usize = 25;
/// A text of at most this many paragraphs, and [`BRIEF_MAX_BYTES`], is a brief, whose closing
/// paragraph is as likely its site's footer as its story.
const BRIEF_MAX_LONG_LINES: usize = 3;
/// See [`BRIEF_MAX_LONG_LINES`]: about 350 words.
const BRIEF_MAX_BYTES: usize = 2500;

/// Writes into `out` (cleared first) the parts of `normalized` text that other stories may
/// carry too: its quotations ([`quoted_text`]) and, in a brief (at most
/// [`BRIEF_MAX_LONG_LINES`] lines of more than [`CLOSING_LINE_MIN_WORDS`] words, and
/// [`BRIEF_MAX_BYTES`]), its closing paragraph: the last such line. There a site seen once
/// prints its footer, whose sentences are its platform's written around the site's name, town
/// and telephone: no line or sentence of it repeats, so boilerplate removal keeps it, while most
/// of its shingles are on every page of the platform. A story's own closing paragraph, when
/// two copies share it, is shared with the rest of the story.
pub fn borrowed_text(normalized: &str, out: &mut String) {
    quoted_text(normalized, out);
    // A text of more bytes is no brief: its lines are not counted.
    if normalized.len() > BRIEF_MAX_BYTES {
        return;
    }
    let (count, closing) = normalized
        .lines()
        .filter(|l| crate::normalize::word_count(l) > CLOSING_LINE_MIN_WORDS)
        .fold((0, None), |(n, _), line| (n + 1, Some(line)));
    if let Some(closing) = closing.filter(|_| count <= BRIEF_MAX_LONG_LINES) {
        out.push_str(closing);
        out.push('\n');
    }
}

/// The figures of a text as a sketch of *slots*: each figure (a run of figure tokens, see
/// [`Tok`]) of a prose line is filed under the word just before it and the word just after it
/// (within its piece, else the neighbouring piece's edge word), one entry a side: the slot's
/// hash in the high bits, the figure's value in the low [`VALUE_BITS`]. Sorted, unique,
/// the entries of the [`FIGURE_SLOTS`] smallest slots (at most [`SLOT_VALUES_MAX`] values
/// each); with the number of distinct slots of the whole text. Two copies of a story file the
/// same figures under the same slots; two stories from one template file other figures there;
/// a paragraph only one copy has (an update) adds slots the other does not have, which say
/// nothing either way.
pub fn number_sketch(normalized: &str, seed: u64) -> (Vec<u64>, usize) {
    let mut all = Vec::new();
    let mut fig = String::new();
    let mut value = String::new();
    let mut toks: Vec<Tok> = Vec::new();
    let mut edge: Vec<Tok> = Vec::new();
    // Figures count only in prose: datelines, bylines and timestamps are short lines whose
    // numbers differ between copies of one story.
    // Most lines hold no digit at all: that test is cheaper than counting words.
    for line in normalize::lines(normalized)
        .filter(|l| l.bytes().any(|b| b.is_ascii_digit()))
        .filter(|l| normalize::word_count(l) >= FIGURE_LINE_MIN_WORDS)
    {
        let phones = phone_numbers(line);
        // A figure has an ASCII digit: only the pieces with one are segmented (a tenth of a
        // prose line's), found with their neighbours in one pass over the line's bytes.
        for (prev, piece, next) in pieces_with_digit(line) {
            let at = piece.as_ptr() as usize - line.as_ptr() as usize;
            if phones.iter().any(|r| r.contains(&at)) {
                continue;
            }
            piece_tokens(piece, seed, &mut fig, &mut value, &mut toks);
            let mut edge_word = |at: Option<&str>, last: bool| -> Option<u64> {
                let at = at?;
                // A neighbour without a digit (nearly all) is a word, or words joined by
                // inner punctuation: its letters are the place's name, without segmenting.
                if !at.bytes().any(|b| b.is_ascii_digit()) {
                    let word = at.trim_matches(|c: char| !c.is_alphanumeric());
                    return (!word.is_empty()).then(|| place_word(word, seed));
                }
                piece_tokens(at, seed, &mut fig, &mut value, &mut edge);
                match if last { edge.last() } else { edge.first() } {
                    Some(&Tok::Word(w)) => Some(w),
                    _ => None,
                }
            };
            let before = edge_word(prev, true);
            let after = edge_word(next, false);
            for (t, tok) in toks.iter().enumerate() {
                let Tok::Figure(v) = *tok else { continue };
                let left = match t.checked_sub(1).map(|k| toks[k]) {
                    Some(Tok::Word(w)) => Some(w),
                    Some(Tok::Figure(_)) => None,
                    None => before,
                };
                let right = match toks.get(t + 1) {
                    Some(&Tok::Word(w)) => Some(w),
                    Some(&Tok::Figure(_)) => None,
                    None => after,
                };
                for (word, salt) in [(left, LEFT_SALT), (right, RIGHT_SALT)] {
                    if let Some(w) = word {
                        all.push((mix64(w ^ salt) & !VALUE_MASK) | (v & VALUE_MASK));
                    }
                }
            }
        }
    }
    all.sort_unstable();
    all.dedup();
    let mut distinct = 0;
    let mut kept = 0;
    let mut start = 0;
    while start < all.len() && distinct < FIGURE_SLOTS {
        let end = start + slot_run(&all[start..]);
        distinct += 1;
        let group = &mut all[start..end];
        if group.len() > SLOT_VALUES_MAX {
            // The values of a crowded slot are chosen by a hash of the value, not its size: two
            // copies, one with an update of small numbers beside the same word, then keep the
            // same values of the story with a fair chance.
            group.sort_unstable_by_key(|&e| mix64(e & VALUE_MASK));
            group[..SLOT_VALUES_MAX].sort_unstable();
        }
        for k in start..start + group.len().min(SLOT_VALUES_MAX) {
            all[kept] = all[k];
            kept += 1;
        }
        start = end;
    }
    distinct += slots(&all[start..]).count();
    all.truncate(kept);
    // The sketch is kept for every document of the run (and of the index).
    all.shrink_to_fit();
    (all, distinct)
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

/// Keeps the hashes of the words beside figures apart from shingle hashes.
const NUMBER_SALT: u64 = 0x6e75_6d62_6572_7321;

/// The slots of a figures sketch, each once, in order.
fn slots(sketch: &[u64]) -> impl Iterator<Item = u64> + '_ {
    let mut last = None;
    sketch.iter().filter_map(move |&e| {
        let slot = e >> VALUE_BITS;
        (last != Some(slot)).then(|| {
            last = Some(slot);
            slot
        })
    })
}

/// How far two documents' figures agree: `common` counts the slots both sketches hold (cut at
/// the smaller of their largest slots when a sketch is full, so that both are compared on the
/// same slice of slot space), `agree` those where the two hold a common value, and `weak` the
/// agreeing slots whose common value is a small number; the masses behind
/// [`FigureAgreement::share_by_figure`] judge a slot by each figure of its smaller side.
pub fn figure_agreement(a: &[u64], b: &[u64]) -> FigureAgreement {
    let last = |s: &[u64]| {
        if slots(s).count() >= FIGURE_SLOTS {
            s.last().map_or(u64::MAX, |&e| e >> VALUE_BITS)
        } else {
            u64::MAX
        }
    };
    let cut = last(a).min(last(b));
    let (mut i, mut j) = (0, 0);
    let mut f = FigureAgreement::default();
    while i < a.len() && j < b.len() {
        let (sa, sb) = (a[i] >> VALUE_BITS, b[j] >> VALUE_BITS);
        if sa > cut || sb > cut {
            break;
        }
        if sa < sb {
            i += 1;
        } else if sb < sa {
            j += 1;
        } else {
            // One slot on both sides: its values, sorted, compared by a merge.
            let (end_a, end_b) = (i + slot_run(&a[i..]), j + slot_run(&b[j..]));
            let (run_a, run_b) = (&a[i..end_a], &b[j..end_b]);
            f.common += 1;
            let found = |x: &u64, other: &[u64]| {
                other
                    .iter()
                    .any(|&y| same_value(x & VALUE_MASK, y & VALUE_MASK))
            };
            if let Some(&x) = run_a.iter().find(|x| found(x, run_b)) {
                f.agree += 1;
                f.weak += usize::from(value_digits(x & VALUE_MASK) <= WEAK_DIGITS);
            }
            // By figure: a slot holding several figures (a common word such as "to" or
            // "and") still agrees outright on a long figure both hold, which a template's
            // chance does not give; short of one, each figure of its smaller side counts its
            // share. Two weather briefs whose "to" holds {-4, -16, 33} and {-4, -15, 91} agree
            // on a third of it, while a copy whose update adds figures beside the same word
            // still agrees fully.
            let strong = |x: &&u64| value_digits(**x & VALUE_MASK) > WEAK_DIGITS;
            if run_a.iter().filter(strong).any(|x| found(x, run_b)) {
                f.agreed_by_figure += 1.0;
            } else {
                // No long figure agrees here (a long one matches only a long one), so every
                // figure found on the other side is a small one.
                let (small, other) = if run_a.len() <= run_b.len() {
                    (run_a, run_b)
                } else {
                    (run_b, run_a)
                };
                let each = 1.0 / small.len() as f64;
                for x in small {
                    if found(x, other) {
                        f.agreed_by_figure += WEAK_WEIGHT * each;
                    } else {
                        f.differ_by_figure += each;
                    }
                }
            }
            (i, j) = (end_a, end_b);
        }
    }
    f
}

/// How far two documents' figures agree, slot by slot ([`figure_agreement`]).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct FigureAgreement {
    /// Slots both sketches hold where the two hold a common value.
    pub agree: usize,
    /// Of the agreeing slots, those whose common value has at most [`WEAK_DIGITS`] digits.
    pub weak: usize,
    /// Slots both sketches hold.
    pub common: usize,
    /// Agreement figure by figure over the shared slots: a slot weighs 1, all of it when both
    /// hold a common long figure, else split among the figures of its smaller side, each
    /// found on the other side counting its part ([`WEAK_WEIGHT`] of it for a small number).
    pub agreed_by_figure: f64,
    /// The parts of the figures not found on the other side ([`Self::agreed_by_figure`]).
    pub differ_by_figure: f64,
}

/// Figures of at most this many digits are weak evidence when they agree: a temperature, a
/// score or a percentage of one template story is another's by chance far more often than a
/// price or a count of thousands is.
pub const WEAK_DIGITS: usize = 2;

/// What an agreeing slot of a weak figure counts for, against 1 for a slot whose figures
/// differ.
const WEAK_WEIGHT: f64 = 0.5;

impl FigureAgreement {
    /// The weighted share of shared slots whose figures agree: an agreeing slot of a weak
    /// figure counts [`WEAK_WEIGHT`], any other slot 1 (0 when no slot is shared). A slot
    /// agrees when the two hold any common figure there.
    pub fn share(&self) -> f64 {
        let agreed = (self.agree - self.weak) as f64 + WEAK_WEIGHT * self.weak as f64;
        let differ = (self.common - self.agree) as f64;
        if agreed + differ > 0.0 {
            agreed / (agreed + differ)
        } else {
            0.0
        }
    }

    /// The weighted share of agreement figure by figure ([`Self::agreed_by_figure`]; 0 when no
    /// slot is shared). It differs from [`Self::share`] where a slot holds several figures of
    /// which only some, all small, agree.
    pub fn share_by_figure(&self) -> f64 {
        let total = self.agreed_by_figure + self.differ_by_figure;
        if total > 0.0 {
            self.agreed_by_figure / total
        } else {
            0.0
        }
    }
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
        /// A sketch is sorted and unique, within its bounds of slots and values a slot, agrees
        /// with itself wherever it has slots, and compares two texts the same both ways.
        #[test]
        fn figure_sketches_are_bounded_and_compare_symmetrically(
            words_a in proptest::collection::vec(
                "[a-e]{1,3}|[0-9]{1,4}|[0-9]{1,2}[.,:-][0-9]{1,3}|[0-9]l[0-9]|[中文]{1,2}[0-9]{0,2}",
                0..120,
            ),
            words_b in proptest::collection::vec(
                "[a-e]{1,3}|[0-9]{1,4}|[0-9]{1,2}[.,:-][0-9]{1,3}",
                0..60,
            ),
        ) {
            let text_a = words_a.join(" ");
            let text_b = format!("{} {}", words_a[..words_a.len() / 2].join(" "), words_b.join(" "));
            let (a, slots_a) = number_sketch(&text_a, 7);
            let (b, _) = number_sketch(&text_b, 7);
            for s in [&a, &b] {
                proptest::prop_assert!(s.windows(2).all(|w| w[0] < w[1]), "sorted and unique");
                proptest::prop_assert!(slots(s).count() <= FIGURE_SLOTS);
                proptest::prop_assert!(s.len() <= FIGURE_SKETCH_MAX);
            }
            proptest::prop_assert_eq!(slots(&a).count(), slots_a.min(FIGURE_SLOTS));
            let own = figure_agreement(&a, &a);
            proptest::prop_assert_eq!((own.agree, own.common), (slots(&a).count(), slots(&a).count()));
            proptest::prop_assert!(own.share() == 1.0 || own.common == 0);
            proptest::prop_assert!(own.share_by_figure() == 1.0 || own.common == 0);
            let ab = figure_agreement(&a, &b);
            proptest::prop_assert_eq!(ab, figure_agreement(&b, &a));
            proptest::prop_assert!(ab.weak <= ab.agree && ab.agree <= ab.common);
            // Figure by figure, each shared slot weighs at most 1, and the share is a share.
            proptest::prop_assert!(
                ab.agreed_by_figure + ab.differ_by_figure <= ab.common as f64 + 1e-9
            );
            proptest::prop_assert!((0.0..=1.0).contains(&ab.share_by_figure()));
            proptest::prop_assert!((0.0..=1.0).contains(&ab.share()));
        }

        /// The pieces with a digit, and their neighbours, are those of splitting at spaces.
        #[test]
        fn pieces_with_digit_are_the_split_pieces_with_one(line in "[a1 é9\\-]{0,24}") {
            let pieces: Vec<&str> = line.split(' ').filter(|p| !p.is_empty()).collect();
            let want: Vec<(Option<&str>, &str, Option<&str>)> = pieces
                .iter()
                .enumerate()
                .filter(|(_, p)| p.bytes().any(|b| b.is_ascii_digit()))
                .map(|(i, p)| {
                    (i.checked_sub(1).map(|j| pieces[j]), *p, pieces.get(i + 1).copied())
                })
                .collect();
            proptest::prop_assert_eq!(pieces_with_digit(&line).collect::<Vec<_>>(), want);
        }

        /// Values survive packing (their last eight digits), and one edit is symmetric.
        #[test]
        fn packed_values_read_back_and_compare_symmetrically(
            x in "[0-9]{1,12}", y in "[0-9]{1,12}",
        ) {
            let mut out = [0u8; VALUE_DIGITS];
            let n = unpack_value(pack_value(&x), &mut out);
            proptest::prop_assert_eq!(&out[..n], &x.as_bytes()[x.len().saturating_sub(VALUE_DIGITS)..]);
            let (px, py) = (pack_value(&x), pack_value(&y));
            proptest::prop_assert_eq!(same_value(px, py), same_value(py, px));
            proptest::prop_assert!(same_value(px, px));
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
    fn quoted_text_table() {
        // (normalized text, its quotations)
        let cases = [
            ("no quotes here", ""),
            (
                "he said \"we will build it\" on monday",
                "we will build it\n",
            ),
            ("\"one\" and \"two\"", "one\ntwo\n"),
            // A quotation left open runs to the end of its line, never past it.
            (
                "\"the first paragraph\nand then the story",
                "the first paragraph\n",
            ),
            ("a 12\" screen for the office", "screen for the office\n"),
            ("\"\" empty quotes", ""),
            ("\"a\" b \"c\nd \"e\"", "a\nc\ne\n"),
        ];
        let mut out = String::from("left over");
        for (text, want) in cases {
            quoted_text(text, &mut out);
            assert_eq!(out, want, "{text:?}");
        }
    }

    #[test]
    fn borrowed_text_table() {
        let long = |w: &str, n: usize| vec![w; n].join(" ");
        let footer = long("footer", 30);
        let story = long("story", 30);
        // (normalized text, what it borrows)
        let cases = [
            // A brief: its closing paragraph (and its quotations).
            (
                format!("headline\n{story}\n{footer}\nshort last line"),
                format!("{footer}\n"),
            ),
            (
                format!("he said \"we will\"\n{story}\n{footer}"),
                format!("we will\n{footer}\n"),
            ),
            // No long line: nothing but quotations.
            ("a short brief\nof two lines".to_string(), String::new()),
            // Four long lines: a story, whose last paragraph is its own.
            (
                [&story, &story, &story, &footer]
                    .map(|l| l.as_str())
                    .join("\n"),
                String::new(),
            ),
            // Over the bytes of a brief.
            (format!("{}\n{footer}", long("word", 600)), String::new()),
        ];
        let mut out = String::from("left over");
        for (text, want) in cases {
            borrowed_text(&text, &mut out);
            assert_eq!(out, want, "{text:?}");
        }
    }

    #[test]
    fn telephone_numbers_table() {
        // (line, the telephone numbers in it)
        let cases: &[(&str, &[&str])] = &[
            (
                "call the newsroom on 01632 960 418 or visit us at 14 mill lane",
                &["01632 960 418"],
            ),
            ("ring +44 20 7946 0958 today", &["+44 20 7946 0958"]),
            ("the hotline (555) 123 4567 is open", &["(555) 123 4567"]),
            ("call 555 123 4567, any time", &["555 123 4567,"]),
            // Numbers grouped by thousands, a date as a run, too few digits: figures.
            ("a budget of 150 000 000 euros was voted", &[]),
            ("the 2014 03 05 meeting", &[]),
            ("the scores were 3 2 and 1 1 after extra time", &[]),
            ("population 10 000 000 and 2 500 000 000 euros", &[]),
        ];
        for (line, want) in cases {
            let got: Vec<&str> = phone_numbers(line)
                .into_iter()
                .map(|r| line[r].trim_end())
                .collect();
            assert_eq!(&got, want, "{line}");
        }
        // The contact line's number is no figure; the street number still is.
        let a = "call the newsroom on 01632 960 418 or visit us at 14 mill lane, kelby";
        let b = "call the newsroom on 01765 137 601 or visit us at 14 mill lane, kelby";
        assert_eq!(number_sketch(a, 1), number_sketch(b, 1));
        assert_eq!(number_sketch(a, 1).1, 2);
    }

    /// The slot-by-slot share of two sketches' figures ([`FigureAgreement::share`]); `None`
    /// when fewer than `min_common` slots are shared: too little to judge.
    fn number_overlap(a: &[u64], b: &[u64], min_common: usize) -> Option<f64> {
        let f = figure_agreement(a, b);
        (f.common >= min_common && f.common > 0).then(|| f.share())
    }

    /// The figures sketches of two texts, each line padded to prose length (short lines give
    /// no figures).
    fn padded_sketches(a: &str, b: &str) -> (Vec<u64>, Vec<u64>) {
        let pad = |t: &str| {
            t.lines()
                .map(|l| format!("{l} {PROSE}"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        (number_sketch(&pad(a), 1).0, number_sketch(&pad(b), 1).0)
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
            // A template: the same words, other figures in every place.
            (
                "up 0.8% to 7512 on 11 march",
                "down 1.2% to 7430 on 18 march",
                Some(0.0),
            ),
            // Weather briefs whose figures coincide by chance (2 of 5 as a bag): in their
            // places only the rain agrees.
            (
                "between 4 and 13 degrees, -2 overnight, winds up to 34 km, rain 35 percent",
                "between 2 and 10 degrees, -5 overnight, winds up to 28 km, rain 35 percent",
                Some(1.0 / 9.0),
            ),
            // Three small figures of five agree by chance: agreeing, they count half (3 of 7).
            (
                "between 5 and 4 degrees, 12 overnight, winds up to 13 km, rain 95 percent",
                "between 5 and 4 degrees, 12 overnight, winds up to 56 km, rain 75 percent",
                Some(3.0 / 7.0),
            ),
            // Long figures are strong evidence: 2 of 3 agree, in 4 of 5 places (the two
            // after "and" are one place, which agrees on 7512).
            (
                "rose 1034 points and 7512 shares and 6928 votes",
                "rose 1034 points and 7512 shares and 6930 votes",
                Some(4.0 / 5.0),
            ),
            // An update paragraph adds figures in places the other copy does not have.
            (
                "rose 103 points and 104 shares and 105 votes",
                "rose 103 points and 104 shares and 105 votes\nlater 7 more arrests and 9 fines \
                 and 12 injured were reported by officials",
                Some(1.0),
            ),
            // Match results: a score is one figure, kept whole.
            (
                "wanderers beat rovers 3-2 on sunday before 4100 fans",
                "wanderers beat rovers 2-1 on sunday before 3800 fans",
                Some(0.0),
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
            // One digit misread, dropped or doubled by OCR in a long figure is the same figure.
            (
                "alterations to 116-118 clarence street and 362-64 pitt street",
                "alterations to 115-118 clarence street and 362-4 pitt street",
                Some(1.0),
            ),
            // A word with a stray digit is not a figure.
            ("po1itischer mil1iarde fal1", "politischer", None),
        ];
        for (a, b, want) in cases {
            let (sa, sb) = padded_sketches(a, b);
            assert_eq!(number_overlap(&sa, &sb, 3), *want, "{a:?} vs {b:?}");
        }
    }

    #[test]
    fn figure_shares_table() {
        // (text a, text b, share slot by slot, share figure by figure)
        let cases: &[(&str, &str, f64, f64)] = &[
            // "to" holds three figures on each side and agrees on -4 alone: a whole agreeing
            // slot by slot, a third (of a small figure: half of that) figure by figure.
            (
                "up to -4 today, then down to -16 tonight, winds up to 33 km",
                "up to -4 today, then down to -15 tonight, winds up to 91 km",
                // places: to, today (agree, weak); tonight, km (differ)
                1.0 / 3.0,
                (0.5 / 3.0 + 0.5) / (0.5 / 3.0 + 0.5 + 2.0 / 3.0 + 2.0),
            ),
            // A long figure both hold settles its slot whatever else sits there: the right of
            // "7512" and "64" is "and" on one side, of "7512" and "61" on the other (places:
            // paid and that "and" agree, the left of "and" and "for" differ).
            (
                "paid 7512 and 64 and 33 for it",
                "paid 7512 and 61 and 35 for it",
                0.5,
                0.5,
            ),
            // An update adds small figures beside the same word: the smaller side is all found.
            (
                "rose 3 points and 4 shares and 5 votes",
                "rose 3 points and 4 shares and 5 votes\nlater 7 more arrests and 9 fines and 12 \
                 injured were reported by officials",
                1.0,
                1.0,
            ),
        ];
        for (a, b, slot, by_figure) in cases {
            let (sa, sb) = padded_sketches(a, b);
            let f = figure_agreement(&sa, &sb);
            assert!(
                (f.share() - slot).abs() < 1e-9,
                "{a:?}: {} vs {slot}",
                f.share()
            );
            assert!(
                (f.share_by_figure() - by_figure).abs() < 1e-9,
                "{a:?}: {} vs {by_figure}",
                f.share_by_figure()
            );
        }
    }

    #[test]
    fn same_value_table() {
        // (a, b, one figure)
        let cases = [
            ("116118", "115118", true),
            ("36264", "3624", true),
            ("3624", "36624", true),
            ("13", "10", false),
            ("32", "21", false),
            ("7512", "7430", false),
            ("100", "1000", true),
            ("100", "10000", false),
            ("09", "9", false),
        ];
        for (a, b, want) in cases {
            assert_eq!(same_value(pack_value(a), pack_value(b)), want, "{a} vs {b}");
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

    #[test]
    fn line_breaks_do_not_change_char_shingles() {
        let a = shingle_set("ab\ncd", ShingleSpec::Chars(3), 7);
        let b = shingle_set("ab cd", ShingleSpec::Chars(3), 7);
        assert_eq!(a, b);
    }
}
