//! Owns turning raw article text into canonical lines and tokens, so that the
//! same wire story republished with different typography, encodings, entity
//! escaping and line wrapping compares equal downstream.
//!
//! Everything that fingerprints or compares article text must go through
//! [`normalize`] and then [`for_each_token`]; any change to their output must
//! bump [`NORMALIZER_VERSION`], because stored fingerprints depend on it.

use std::borrow::Cow;
use std::iter;

use caseless::Caseless;
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// Version of the normalizer's observable behaviour.
///
/// Fingerprints kept in an index were computed from this module's output, so
/// any change that alters `normalize` or the token stream must bump it to let
/// the index detect that it has to be rebuilt.
pub const NORMALIZER_VERSION: u32 = 2;

/// Entity decoding is repeated because scraped pages are often escaped twice
/// (`&amp;eacute;`); the cap keeps adversarial `&amp;amp;amp;…` linear.
const MAX_DECODE_ROUNDS: usize = 8;

/// Case folding and NFKC can create entity text (`&EACUTE;` → `&eacute;`,
/// fullwidth `＆amp;` → `&amp;`); re-running until none is left is what makes
/// `normalize` idempotent. Bounded for the same reason as above.
const MAX_RENORMALIZE_ROUNDS: usize = 4;

/// Normalizes a whole article. Output: one paragraph per line, lines joined by
/// '\n', no empty lines, no leading/trailing spaces.
///
/// The rules, in the order they apply, and why:
///
/// 1. **HTML entities are decoded** (`&amp;`, `&rsquo;`, `&eacute;`, `&#8217;`,
///    `&#x2019;`, `&nbsp;` …), repeatedly so doubly escaped text decodes too.
///    Scrapers leave them in unevenly, and they must become characters before
///    the later steps can fold them (`&Eacute;` must end up as `é`).
/// 2. **Lines are split** on `\r\n`, `\r`, `\n`, vertical tab, form feed and
///    U+2028; U+2029 (paragraph separator) counts as a blank line. Platforms
///    disagree on line endings, and nothing after this step may depend on them.
/// 3. **Invisible and mis-decoded characters are cleaned before NFKC**: soft
///    hyphen, zero-width space/joiners, word joiner, BOM and bidi marks are
///    removed; C1 controls U+0080–U+009F are read as the Windows-1252
///    punctuation they almost always are (mojibake `\u{92}` is `’`); other
///    controls, tabs and every Unicode space separator (NBSP included) become a
///    space. This happens before NFKC so a removed character cannot keep a
///    base letter and its combining accent apart on the first pass only.
///    Quote characters are mapped to `'`/`"` here already, because NFKC would
///    mangle some of them (`´` becomes space + combining acute, `″` two primes).
/// 4. **Unicode NFKC**: composes decomposed accents (`e` + U+0301 → `é`) and
///    folds fullwidth forms, ligatures and compatibility characters, because
///    reprints differ exactly in those.
/// 5. **Full case folding** (`ß` → `ss`): case carries no identity for a story.
///    Line-start case is remembered before folding, for step 7.
/// 6. **One form per punctuation family**: every apostrophe/single quote
///    variant becomes `'`, every double quote or guillemet `"`, every dash `-`,
///    `…` becomes `...`, spaces collapse to one, lines are trimmed. Outlets
///    differ mostly in typography; the words are what identify a story.
/// 7. **Paragraphs are rebuilt**, because hard wrapping differs per outlet:
///    - A word hyphenated across a line end is rejoined (`govern-` / `ment` →
///      `government`) when a letter precedes a hyphen (`-`, U+2010, U+2011,
///      fullwidth/small hyphen-minus — not en/em dashes, which end clauses) and
///      the next line starts with a lowercase letter.
///    - If blank lines separate paragraphs anywhere in the text, each run of
///      non-blank lines is one paragraph and is joined with spaces.
///    - If the text has no blank line, each line is a paragraph, except that a
///      line not ending in `.` `!` `?` `:` `"` `'` `)` (or `...`) is joined to
///      a next line that starts with a lowercase letter: that is what OCR or
///      hard wrapping without blank lines looks like.
///    - A line opening with a list marker and a space (`- `, `• `, `» `, …) is
///      never joined to the line before: it is the next item of a list (a
///      "related stories" widget), however long the item before it was.
///    - The "starts with a lowercase letter" tests look at case *before*
///      folding. In a text without blank lines they only apply when the text
///      had some uppercase letter at all: in caseless or already-folded text
///      a lowercase start says nothing, and applying them anyway would make a
///      second `normalize` merge the paragraphs the first one produced.
///    - Blank lines collapse; the output contains none.
/// 8. If case folding or NFKC produced new entity text (`&EACUTE;`), the
///    whole procedure runs again on the result, so that `normalize` is
///    idempotent and stored output can be re-normalized safely.
pub fn normalize(text: &str) -> String {
    let mut out = normalize_decoded(&decode_entities(text));
    for _ in 0..MAX_RENORMALIZE_ROUNDS {
        if !has_entity(&out) {
            break;
        }
        out = normalize_decoded(&decode_entities(&out));
    }
    out
}

/// The lines of `text` exactly as [`str::lines`] gives them (split at `\n`, a `\r` right before
/// it dropped, no empty line after a final `\n`), each line break found by a vectorized search:
/// the standard library's byte search goes a word at a time, and every line of every document
/// is split several times a run.
pub fn lines(text: &str) -> impl Iterator<Item = &str> + '_ {
    let mut rest = text;
    iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        match memchr::memchr(b'\n', rest.as_bytes()) {
            Some(at) => {
                let line = &rest[..at];
                rest = &rest[at + 1..];
                Some(line.strip_suffix('\r').unwrap_or(line))
            }
            None => Some(std::mem::take(&mut rest)),
        }
    })
}

/// The number of lines [`lines`] gives for `text`, counted by a vectorized count of line breaks.
pub fn line_count(text: &str) -> usize {
    let breaks = memchr::memchr_iter(b'\n', text.as_bytes()).count();
    breaks + usize::from(!text.is_empty() && !text.ends_with('\n'))
}

/// Words in a line of normalized text: its whitespace-separated tokens, where the characters of
/// scripts written without spaces between words (Han, kana, Thai, Lao, Tibetan, Myanmar, Khmer)
/// count one word for every two. Without that, a Chinese or Japanese paragraph would be "one word": too
/// short to be a story's lede and short enough to look like a banner.
pub fn word_count(line: &str) -> usize {
    // Called for every line of every document, twice: the common ASCII line is counted over its
    // bytes (Unicode's white space within ASCII is 9..=13 and the space).
    if line.is_ascii() {
        // A word starts at a non-space byte that is first or follows a space. Comparing each
        // byte with the next, with no state carried, and summing a chunk's starts in one byte
        // (255 at most) lets the compiler count sixteen bytes at a time.
        let bytes = line.as_bytes();
        let space = |b: u8| b == b' ' || (9..=13).contains(&b);
        let first = bytes.first().is_some_and(|&b| !space(b));
        let after = &bytes[1.min(bytes.len())..];
        let starts: usize = bytes
            .chunks(255)
            .zip(after.chunks(255))
            .map(|(before, at)| {
                let chunk = before.iter().zip(at).fold(0u8, |n, (&before, &b)| {
                    n + u8::from(space(before) & !space(b))
                });
                usize::from(chunk)
            })
            .sum();
        return usize::from(first) + starts;
    }
    line.split_whitespace()
        .map(|tok| {
            // Every script written without spaces lies at U+0E00 or above, where UTF-8 lead
            // bytes are 0xE0 or more: a token without such a byte is one word.
            if tok.bytes().all(|b| b < 0xE0) {
                return 1;
            }
            let mut spaceless = 0usize;
            let mut other = false;
            for c in tok.chars() {
                if is_unspaced_script(c) {
                    spaceless += 1;
                } else if c.is_alphanumeric() {
                    other = true;
                }
            }
            usize::from(other || spaceless == 0) + spaceless.div_ceil(2)
        })
        .sum()
}

/// Calls `f` for each word token of an already-normalized text (or line), in
/// order.
///
/// Word boundaries follow Unicode word segmentation (UAX #29), keeping numbers
/// such as `3,1` or `2.6` and words with inner apostrophes whole. On top of it:
/// - French/Italian/Catalan elided articles and pronouns are dropped
///   (`l'otan` → `otan`, `qu'il` → `il`, `dell'anno` → `anno`) since outlets
///   vary them with the same meaning and they would dominate shingles; other
///   apostrophe words (`don't`, `o'brien`, `aujourd'hui`) stay whole.
/// - Scripts written without spaces (Han, Hiragana, Katakana, Thai, Lao,
///   Tibetan, Myanmar, Khmer) yield overlapping character bigrams of each
///   maximal run (a one-character run yields that character), the usual
///   dictionary-free way to get stable units from them.
///
/// Tokens are slices of `normalized`; nothing is allocated per token.
pub fn for_each_token(normalized: &str, mut f: impl FnMut(&str)) {
    let bytes = normalized.as_bytes();
    // Start of text not yet handed to the word segmenter.
    let mut pending = 0;
    let mut i = 0;
    // Every no-space script lives at U+0E00 or above, i.e. in 3- or 4-byte
    // UTF-8 sequences; scanning for their lead bytes skips Latin text fast.
    while let Some(off) = bytes[i..].iter().position(|&b| b >= 0xE0) {
        let pos = i + off;
        let Some(c) = normalized[pos..].chars().next() else {
            break;
        };
        if !is_unspaced_script(c) {
            i = pos + c.len_utf8();
            continue;
        }
        let run_end = normalized[pos..]
            .char_indices()
            .find(|&(_, c)| !is_unspaced_script(c))
            .map_or(normalized.len(), |(r, _)| pos + r);
        words(&normalized[pending..pos], &mut f);
        bigrams(&normalized[pos..run_end], &mut f);
        pending = run_end;
        i = run_end;
    }
    words(&normalized[pending..], &mut f);
}

/// Convenience: collects tokens (tests, explain).
pub fn tokens(normalized: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_token(normalized, |t| out.push(t.to_owned()));
    out
}

/// Elided forms whose head is dropped: French, Italian and Catalan articles,
/// pronouns and conjunctions that fuse with the next word through `'`.
const ELIDED: &[&str] = &[
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu",
    "un", "dell", "all", "dall", "nell", "sull", "quell", "bell", "tutt",
];

/// Word segmentation never joins across a space or newline, so the text is
/// cut there first: pieces made only of letters and digits, by far the most
/// common, are one word each (UAX #29 rules WB5, WB8–WB10) and skip the
/// segmenter.
fn words(text: &str, f: &mut impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut simple = true;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b' ' || b == b'\n' {
            piece_words(&text[start..i], simple, f);
            start = i + 1;
            simple = true;
        } else {
            simple &= is_simple_word_byte(b);
        }
    }
    piece_words(&text[start..], simple, f);
}

/// Bytes of lowercase ASCII letters, digits, and the two-byte UTF-8 forms of
/// Latin-1 letters (lead 0xC3, minus `×` and `÷`) and basic Cyrillic (leads
/// 0xD0, 0xD1): all UAX #29 ALetter or Numeric. Any other lead byte rejects
/// the piece, so a continuation byte here always follows one of those leads;
/// excluding 0x97 and 0xB7 also sends `З`/`з` to the segmenter, which is only
/// slower.
#[inline]
fn is_simple_word_byte(b: u8) -> bool {
    b.is_ascii_lowercase()
        || b.is_ascii_digit()
        || matches!(b, 0xC3 | 0xD0 | 0xD1)
        || (matches!(b, 0x80..=0xBF) && b != 0x97 && b != 0xB7)
}

fn piece_words(piece: &str, simple: bool, f: &mut impl FnMut(&str)) {
    if piece.is_empty() {
        return;
    }
    if simple {
        f(piece);
        return;
    }
    for word in piece.unicode_words() {
        let word = match word.split_once('\'') {
            Some((head, rest)) if ELIDED.contains(&head) => rest,
            _ => word,
        };
        // Segmentation never puts an apostrophe at a word's edge, but elision
        // can expose one (`l''x`); trimming keeps the contract either way.
        let word = word.trim_matches('\'');
        if !word.is_empty() {
            f(word);
        }
    }
}

fn bigrams(run: &str, f: &mut impl FnMut(&str)) {
    let mut starts = run.char_indices().map(|(i, _)| i).peekable();
    let Some(mut a) = starts.next() else {
        return;
    };
    if starts.peek().is_none() {
        f(run);
        return;
    }
    while let Some(b) = starts.next() {
        let end = starts.peek().copied().unwrap_or(run.len());
        f(&run[a..end]);
        a = b;
    }
}

/// Scripts written without spaces between words, where UAX #29 gives no
/// useful word units. Hangul is absent on purpose: Korean uses spaces.
fn is_unspaced_script(c: char) -> bool {
    matches!(c,
        '\u{0E00}'..='\u{0E7F}'        // Thai
        | '\u{0E80}'..='\u{0EFF}'      // Lao
        | '\u{0F00}'..='\u{0FFF}'      // Tibetan
        | '\u{1000}'..='\u{109F}'      // Myanmar
        | '\u{1780}'..='\u{17FF}'      // Khmer
        | '\u{3005}'..='\u{3007}'      // ideographic iteration/closing marks, 〇
        | '\u{303B}'                   // vertical ideographic iteration mark
        | '\u{3040}'..='\u{309F}'      // Hiragana
        | '\u{30A0}'..='\u{30FF}'      // Katakana
        | '\u{31F0}'..='\u{31FF}'      // Katakana phonetic extensions
        | '\u{3400}'..='\u{4DBF}'      // CJK extension A
        | '\u{4E00}'..='\u{9FFF}'      // CJK unified ideographs
        | '\u{F900}'..='\u{FAFF}'      // CJK compatibility ideographs
        | '\u{FF66}'..='\u{FF9F}'      // halfwidth Katakana
        | '\u{20000}'..='\u{3FFFF}' // CJK extensions B and later, compat supplement
    )
}

fn decode_entities(text: &str) -> Cow<'_, str> {
    let mut cur = Cow::Borrowed(text);
    for _ in 0..MAX_DECODE_ROUNDS {
        if memchr::memchr(b'&', cur.as_bytes()).is_none() {
            break;
        }
        let next = match html_escape::decode_html_entities(cur.as_ref()) {
            Cow::Borrowed(_) => break,
            Cow::Owned(s) => s,
        };
        cur = Cow::Owned(next);
    }
    cur
}

fn has_entity(text: &str) -> bool {
    memchr::memchr(b'&', text.as_bytes()).is_some()
        && matches!(html_escape::decode_html_entities(text), Cow::Owned(_))
}

fn normalize_decoded(text: &str) -> String {
    // Each thread reuses one builder, whose buffers keep their capacity from one text to the
    // next: a fresh one cost a dozen allocations a text, and the allocator was 8 % of a run.
    thread_local! {
        static BUILDER: std::cell::RefCell<Builder> =
            std::cell::RefCell::new(Builder::with_capacity(0));
    }
    BUILDER.with(|cell| match cell.try_borrow_mut() {
        Ok(mut b) => b.normalize(text),
        // Only a re-entrant call could find it taken; it gets a builder of its own.
        Err(_) => Builder::with_capacity(text.len()).normalize(text),
    })
}

/// Largest buffer a thread's normalizer keeps between texts.
const KEPT_BUFFER_BYTES: usize = 1 << 20;

/// Printable ASCII that is written as is (after lowercasing), i.e. everything
/// but spaces, controls and the two characters with special handling.
#[inline]
fn is_plain(b: u8) -> bool {
    matches!(b, 0x21..=0x7E) && b != b'`' && b != b'-'
}

/// End of the run of plain characters and single spaces between them that starts with the plain
/// character at `start`: the first byte that is neither, or a space not followed by a plain
/// character.
fn plain_run_end(bytes: &[u8], start: usize) -> usize {
    let mut end = start + 1;
    loop {
        // Eight bytes at a time while a word of them is plainly inside the run: most of an
        // ASCII text, which a byte at a time costs a mispredicted branch at every word's end.
        while let Some(word) = bytes.get(end..end + 8) {
            match <[u8; 8]>::try_from(word) {
                Ok(word) if plain_or_single_spaces(u64::from_le_bytes(word)) => end += 8,
                _ => break,
            }
        }
        // Then one step by the byte rules before trying whole words again.
        match bytes.get(end) {
            Some(&b) if is_plain(b) => end += 1,
            Some(b' ') if bytes.get(end + 1).is_some_and(|&n| is_plain(n)) => end += 2,
            _ => return end,
        }
    }
}

/// Whether the eight bytes of `word` (little-endian) are plain characters and spaces, no two
/// spaces adjacent and the last byte not a space, so that a run of plain characters and single
/// spaces that reaches the word goes on through all of it. May say `false` of a word that
/// qualifies (then the bytes are looked at one by one), never `true` of one that does not.
#[inline]
fn plain_or_single_spaces(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = ONES * 0x80;
    // High bit of each byte below `n` (ASCII bytes only), exactly when any is: borrows can only
    // mark more bytes above one that truly is.
    let below = |n: u8| word.wrapping_sub(ONES * u64::from(n)) & !word & HIGH;
    let equal = |b: u8| {
        let x = word ^ (ONES * u64::from(b));
        x.wrapping_sub(ONES) & !x & HIGH
    };
    if word & HIGH != 0 || below(b' ') != 0 || (equal(0x7F) | equal(b'`') | equal(b'-')) != 0 {
        return false;
    }
    // Marks every space, and may mark a byte above one (then the word is refused).
    let spaces = equal(b' ');
    spaces & (spaces >> 8) == 0 && spaces >> 56 == 0
}

/// One normalized line, as a range of [`Builder::buf`] plus what paragraph
/// rebuilding needs to know about its edges.
struct Line {
    start: usize,
    end: usize,
    /// First character was a lowercase letter before case folding.
    starts_lower: bool,
    /// Ends with a hyphen directly after a letter.
    ends_hyphen: bool,
    /// Opens with a list marker and a space (`» `, `• `, `- `, …, as normalized): an item of a
    /// list, which no wrapped line continues into.
    starts_item: bool,
}

/// List markers that open an item of a list when a space follows: a "related stories" widget's
/// headlines, key points. (`»` as scraped; normalization makes it `"`, which [`starts_item`]
/// adds.)
const ITEM_MARKERS: &[char] = &[
    '-', '•', '*', '·', '►', '▸', '▹', '▪', '»', '>', '→', '◦', '+',
];

/// Whether a line opens with one of the [`ITEM_MARKERS`] and a space.
pub(crate) fn starts_list_marker(line: &str) -> bool {
    let mut chars = line.chars();
    matches!((chars.next(), chars.next()), (Some(m), Some(' ')) if ITEM_MARKERS.contains(&m))
}

/// Whether a normalized line opens with a list marker and a space, the normalized guillemet
/// (`"`) included.
fn starts_item(line: &str) -> bool {
    starts_list_marker(line) || line.starts_with("\" ")
}

/// Accumulates normalized lines back to back in one buffer, so the whole
/// article costs a couple of allocations regardless of its size.
struct Builder {
    buf: String,
    lines: Vec<Line>,
    /// Case-folded text of the current non-ASCII segment, reused so that the
    /// second NFKC pass allocates nothing per segment.
    scratch: String,
    line_start: usize,
    pending_space: bool,
    /// Case of the line's first non-space character, once seen.
    first_lower: Option<bool>,
    /// Last character written on the current line, for the hyphenation test.
    last_char: char,
    ends_hyphen: bool,
    /// Some character had a case distinction (see rule 7 of `normalize`).
    saw_upper: bool,
}

/// What a character becomes in the canonical text.
enum Mapped {
    Keep,
    To(char),
    Space,
    Drop,
    Ellipsis,
}

/// Invisible characters: they split or glue words differently per outlet.
fn is_removed(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// Unicode space separators (Zs), spelled out because std has no category API.
fn is_space_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{00A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
    )
}

fn is_single_quote(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2018}'
            | '\u{2019}'
            | '\u{201A}'
            | '\u{201B}'
            | '\u{2032}'
            | '`'
            | '\u{00B4}'
            | '\u{02BC}'
            | '\u{1FFD}'
    )
}

fn is_double_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\u{201C}'
            | '\u{201D}'
            | '\u{201E}'
            | '\u{201F}'
            | '\u{2033}'
            | '\u{00AB}'
            | '\u{00BB}'
            | '\u{2039}'
            | '\u{203A}'
            | '\u{300C}'..='\u{300F}'
    )
}

fn is_dash(c: char) -> bool {
    matches!(
        c,
        '\u{2010}'
            ..='\u{2015}'
                | '\u{2212}'
                | '\u{2E3A}'
                | '\u{2E3B}'
                | '\u{FE58}'
                | '\u{FE63}'
                | '\u{FF0D}'
    )
}

/// Windows-1252 reading of C1 controls: text decoded as Latin-1 by a scraper
/// carries `\u{92}` where the page had `’`.
fn cp1252_c1(c: char) -> Option<char> {
    const TABLE: [char; 32] = [
        '€', ' ', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', ' ', 'Ž', ' ', ' ', '‘',
        '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', ' ', 'ž', 'Ÿ',
    ];
    let i = (c as u32).checked_sub(0x80)?;
    TABLE.get(usize::try_from(i).ok()?).copied()
}

/// Cheap superset of every non-ASCII character that [`pre_nfkc`] or
/// [`post_nfkc`] changes, so that letters of most scripts skip the lists.
#[inline]
fn may_be_mapped(c: char) -> bool {
    matches!(c as u32,
        0x80..=0xBF
        | 0x2BC
        | 0x61C
        | 0x1680
        | 0x1FFD
        | 0x2000..=0x2E3B
        | 0x3000..=0x300F
        | 0xFE58..=0xFF0D
    )
}

/// Mapping applied before NFKC. Dashes are left for after NFKC so the
/// hyphen test can still tell a hyphen from an en dash.
fn pre_nfkc(c: char) -> Option<char> {
    if c.is_ascii() {
        return Some(if c.is_ascii_control() { ' ' } else { c });
    }
    if !may_be_mapped(c) {
        return Some(c);
    }
    if let Some(m) = cp1252_c1(c) {
        return Some(m);
    }
    if is_removed(c) {
        return None;
    }
    if is_space_separator(c) {
        return Some(' ');
    }
    if c.is_control() {
        return Some(' ');
    }
    // NFKC turns `´` into space + combining acute and `″` into two primes.
    if is_single_quote(c) {
        return Some('\'');
    }
    if is_double_quote(c) {
        return Some('"');
    }
    Some(c)
}

/// Mapping applied after NFKC and case folding; also catches what NFKC
/// produced (fullwidth grave → `` ` ``, `‴` → primes, `﹘` → `—`).
fn post_nfkc(c: char) -> Mapped {
    if c == ' ' {
        return Mapped::Space;
    }
    if c.is_ascii() {
        return if c == '`' {
            Mapped::To('\'')
        } else if c.is_ascii_control() {
            Mapped::Space
        } else {
            Mapped::Keep
        };
    }
    if !may_be_mapped(c) {
        return Mapped::Keep;
    }
    if is_single_quote(c) {
        Mapped::To('\'')
    } else if is_double_quote(c) {
        Mapped::To('"')
    } else if is_dash(c) {
        Mapped::To('-')
    } else if c == '\u{2026}' {
        Mapped::Ellipsis
    } else if is_space_separator(c) || c.is_control() {
        Mapped::Space
    } else if is_removed(c) {
        Mapped::Drop
    } else {
        Mapped::Keep
    }
}

/// Pipeline result of a character that is known without running NFKC.
#[derive(Clone, Copy)]
enum Fast {
    Space,
    /// Write `c`; `lower`/`upper` give the case of the source character.
    Write {
        c: char,
        lower: bool,
        upper: bool,
    },
    /// A letter whose case folding must be looked up, but that needs no
    /// NFKC and whose folding is NFKC already.
    Fold(char),
    Hyphen,
    Ellipsis,
    SharpS,
}

/// Characters whose whole pipeline result (pre-map, NFKC, folding, post-map)
/// is fixed, provided every neighbour is ASCII or also listed here: they are
/// NFKC-stable starters that never compose with what precedes them, and only
/// a combining mark (never listed) could compose with them. The
/// `fast_path_matches_unicode_path` test checks each against the general
/// path, so a wrong entry fails a test rather than changing fingerprints.
#[inline]
fn fast(c: char) -> Option<Fast> {
    let w = |c: char, lower: bool, upper: bool| Some(Fast::Write { c, lower, upper });
    let shifted = |c: char, by: u32| char::from_u32(c as u32 + by);
    match c {
        '\u{A0}' => Some(Fast::Space),
        'À'..='Ö' | 'Ø'..='Þ' | 'А'..='Я' => w(shifted(c, 0x20)?, false, true),
        'Ѐ'..='Џ' => w(shifted(c, 0x50)?, false, true),
        'ß' => Some(Fast::SharpS),
        'à'..='ö' | 'ø'..='ÿ' | 'а'..='џ' => w(c, true, false),
        '×' | '÷' | '\u{3001}' | '\u{3002}' => w(c, false, false),
        '\u{3041}'..='\u{3096}'
        | '\u{30A1}'..='\u{30FA}'
        | '\u{30FC}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{AC00}'..='\u{D7A3}' => w(c, false, false),
        '‘' | '’' => w('\'', false, false),
        '“' | '”' | '«' | '»' | '「' | '」' | '『' | '』' => w('"', false, false),
        '–' | '—' => w('-', false, false),
        '‐' => Some(Fast::Hyphen),
        '…' => Some(Fast::Ellipsis),
        '\u{0100}'..='\u{0131}'
        | '\u{0134}'..='\u{013E}'
        | '\u{0141}'..='\u{0148}'
        | '\u{014A}'..='\u{017E}'
        | '\u{0386}'
        | '\u{0388}'..='\u{038A}'
        | '\u{038C}'
        | '\u{038E}'..='\u{038F}'
        | '\u{0391}'..='\u{03A1}'
        | '\u{03A3}'..='\u{03AF}'
        | '\u{03B1}'..='\u{03CE}'
        | '\u{0460}'..='\u{0481}'
        | '\u{048A}'..='\u{04FF}'
        | '\u{05D0}'..='\u{05EA}'
        | '\u{0621}'..='\u{063A}'
        | '\u{0641}'..='\u{064A}'
        | '\u{0660}'..='\u{0669}'
        | '\u{1E00}'..='\u{1E95}'
        | '\u{1EA0}'..='\u{1EFF}' => Some(Fast::Fold(c)),
        _ => None,
    }
}

impl Builder {
    fn with_capacity(n: usize) -> Self {
        Builder {
            buf: String::with_capacity(n),
            lines: Vec::new(),
            scratch: String::new(),
            line_start: 0,
            pending_space: false,
            first_lower: None,
            last_char: ' ',
            ends_hyphen: false,
            saw_upper: false,
        }
    }

    /// Normalizes `text` from a clean state, leaving the builder ready for the next text.
    fn normalize(&mut self, text: &str) -> String {
        // A fresh builder but for the buffers' capacity, so that no state can leak between texts.
        let (mut buf, mut lines, mut scratch) = (
            std::mem::take(&mut self.buf),
            std::mem::take(&mut self.lines),
            std::mem::take(&mut self.scratch),
        );
        buf.clear();
        buf.reserve(text.len());
        lines.clear();
        scratch.clear();
        *self = Builder {
            buf,
            lines,
            scratch,
            ..Builder::with_capacity(0)
        };
        self.feed(text);
        self.end_line();
        let out = self.assemble();
        // A huge text's buffers are not kept for the rest of the run.
        if self.buf.capacity() > KEPT_BUFFER_BYTES {
            *self = Builder::with_capacity(0);
        }
        out
    }

    /// Normalizes the whole decoded text into `buf` and `lines` in one scan.
    ///
    /// ASCII skips NFKC and folding entirely (it is already NFKC and folds by
    /// lowercasing), and runs of plain words are copied in bulk. Only
    /// non-ASCII runs, plus the ASCII character before each (it may be the
    /// base of a combining accent), go through the Unicode iterators. Cutting
    /// before an ASCII character is safe because nothing composes with or
    /// reorders around a preceding ASCII character.
    fn feed(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            let next_is_unicode = bytes.get(i + 1).is_some_and(|&n| n >= 0x80);
            let line_break = matches!(b, b'\n' | b'\r' | 0x0B | 0x0C);
            if b >= 0x80 || (next_is_unicode && !line_break) {
                let end = bytes[i + 1..]
                    .iter()
                    .position(|&n| n < 0x80)
                    .map_or(bytes.len(), |r| i + 1 + r);
                self.push_unicode_lines(&text[i..end]);
                i = end;
            } else if line_break {
                self.end_line();
                i += if b == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
            } else if is_plain(b) {
                i = self.push_plain_run(text, i);
            } else {
                self.push_ascii(b);
                i += 1;
            }
        }
    }

    /// Copies the longest run starting at `start` made of plain characters
    /// and single spaces between them, which is already canonical except for
    /// case; returns where it stopped. Stops before a character that precedes
    /// non-ASCII text, which belongs to the Unicode path.
    fn push_plain_run(&mut self, text: &str, start: usize) -> usize {
        let bytes = text.as_bytes();
        let mut end = plain_run_end(bytes, start);
        if bytes.get(end).is_some_and(|&n| n >= 0x80) {
            // The caller made sure `start + 1` is ASCII, so this stays past `start`.
            end -= 1;
        }
        if bytes[end - 1] == b' ' {
            end -= 1;
        }
        let run = &text[start..end];
        self.first_lower
            .get_or_insert(bytes[start].is_ascii_lowercase());
        if self.pending_space && self.buf.len() > self.line_start {
            self.buf.push(' ');
        }
        self.pending_space = false;
        let at = self.buf.len();
        self.buf.push_str(run);
        if !self.saw_upper && run.bytes().any(|b| b.is_ascii_uppercase()) {
            self.saw_upper = true;
        }
        self.buf[at..].make_ascii_lowercase();
        self.last_char = char::from(bytes[end - 1]);
        self.ends_hyphen = false;
        end
    }

    /// A non-ASCII run may contain U+2028/U+2029, the only non-ASCII line
    /// terminators we accept.
    fn push_unicode_lines(&mut self, seg: &str) {
        let mut rest = seg;
        while let Some(p) = rest.find(['\u{2028}', '\u{2029}']) {
            self.push_unicode(&rest[..p]);
            self.end_line();
            if rest[p..].starts_with('\u{2029}') {
                self.end_line();
            }
            // Both separators are three bytes long.
            rest = &rest[p + 3..];
        }
        self.push_unicode(rest);
    }

    #[inline]
    fn push_ascii(&mut self, b: u8) {
        match b {
            b'a'..=b'z' => {
                self.first_lower.get_or_insert(true);
                self.write(char::from(b));
            }
            b'A'..=b'Z' => {
                self.saw_upper = true;
                self.first_lower.get_or_insert(false);
                self.write(char::from(b.to_ascii_lowercase()));
            }
            b' ' | 0..=0x1F | 0x7F => self.space(),
            _ => {
                self.first_lower.get_or_insert(false);
                self.ascii_punct(b);
            }
        }
    }

    #[inline]
    fn ascii_punct(&mut self, b: u8) {
        match b {
            b'`' => self.write('\''),
            b'-' => self.write_hyphen(),
            _ => self.write(char::from(b)),
        }
    }

    /// Handles a run of non-ASCII text (with the ASCII character before it).
    /// Runs made only of characters listed in [`fast`] skip the Unicode
    /// tables; that covers most accented Latin, Cyrillic, CJK and Hangul text
    /// and typographic punctuation.
    fn push_unicode(&mut self, seg: &str) {
        // Segments never span lines, so undoing a partial fast attempt only
        // needs the current line's state.
        let saved = (
            self.buf.len(),
            self.pending_space,
            self.first_lower,
            self.last_char,
            self.ends_hyphen,
            self.saw_upper,
        );
        for c in seg.chars() {
            match fast(c) {
                Some(fc) => self.push_fast(fc),
                None if c.is_ascii() => self.push_ascii(c as u8),
                None => {
                    self.buf.truncate(saved.0);
                    self.pending_space = saved.1;
                    self.first_lower = saved.2;
                    self.last_char = saved.3;
                    self.ends_hyphen = saved.4;
                    self.saw_upper = saved.5;
                    self.push_unicode_general(seg);
                    return;
                }
            }
        }
    }

    fn push_fast(&mut self, fc: Fast) {
        match fc {
            Fast::Space => self.space(),
            Fast::Write { c, lower, upper } => {
                self.first_lower.get_or_insert(lower);
                self.saw_upper |= upper;
                self.write(c);
            }
            Fast::Fold(c) => {
                if self.first_lower.is_none() {
                    self.first_lower = Some(c.is_lowercase());
                }
                let mut it = iter::once(c).default_case_fold();
                match it.next() {
                    Some(f) if f == c => self.write(c),
                    first => {
                        self.saw_upper |= c.is_uppercase();
                        for f in first.into_iter().chain(it) {
                            self.write(f);
                        }
                    }
                }
            }
            Fast::Hyphen => {
                self.first_lower.get_or_insert(false);
                self.write_hyphen();
            }
            Fast::Ellipsis => {
                self.first_lower.get_or_insert(false);
                self.write_str("...");
            }
            Fast::SharpS => {
                self.first_lower.get_or_insert(true);
                self.write_str("ss");
            }
        }
    }

    /// NFKC, then full case folding, then NFKC again: folding can leave text
    /// that is no longer NFKC (`ẞ` + acute → `ss` + acute, which composes to
    /// `sś`), and without the second pass `normalize` would not be idempotent.
    /// The second pass is skipped when folding changed nothing, since its
    /// input is then NFKC output already. (Unicode quick checks were tried
    /// for both passes and cost more than they saved.)
    fn push_unicode_general(&mut self, seg: &str) {
        let mut folded = std::mem::take(&mut self.scratch);
        folded.clear();
        let changed = self.fold_into(seg.chars().filter_map(pre_nfkc).nfkc(), &mut folded);
        if changed {
            self.write_mapped(folded.chars().nfkc());
        } else {
            self.write_mapped(folded.chars());
        }
        self.scratch = folded;
    }

    /// Case-folds NFKC text into `out`, noting line-start case and whether
    /// the text had any case distinction at all; tells whether folding
    /// changed anything.
    fn fold_into(&mut self, nfkc: impl Iterator<Item = char>, out: &mut String) -> bool {
        let mut changed = false;
        for c in nfkc {
            if c != ' ' && self.first_lower.is_none() {
                self.first_lower = Some(c.is_lowercase());
            }
            if c.is_ascii() {
                if c.is_ascii_uppercase() {
                    self.saw_upper = true;
                    changed = true;
                }
                out.push(c.to_ascii_lowercase());
                continue;
            }
            let mut it = iter::once(c).default_case_fold();
            match it.next() {
                Some(f) if f == c => out.push(c),
                first => {
                    changed = true;
                    self.saw_upper |= c.is_uppercase();
                    out.extend(first.into_iter().chain(it));
                }
            }
        }
        changed
    }

    /// Writes folded NFKC text with the punctuation mapping applied.
    fn write_mapped(&mut self, text: impl Iterator<Item = char>) {
        for c in text {
            if c.is_ascii() {
                match c {
                    ' ' => self.space(),
                    _ if c.is_ascii_alphabetic() => self.write(c),
                    _ => self.ascii_punct(c as u8),
                }
                continue;
            }
            match post_nfkc(c) {
                Mapped::Keep => self.write(c),
                Mapped::To('-') if c == '\u{2010}' => self.write_hyphen(),
                Mapped::To(m) => self.write(m),
                Mapped::Space => self.space(),
                Mapped::Drop => {}
                Mapped::Ellipsis => self.write_str("..."),
            }
        }
    }

    #[inline]
    fn space(&mut self) {
        if self.buf.len() > self.line_start {
            self.pending_space = true;
        }
    }

    /// Writes a hyphen that may mark a word broken across lines.
    fn write_hyphen(&mut self) {
        let after_letter = !self.pending_space
            && self.buf.len() > self.line_start
            && self.last_char.is_alphabetic();
        self.write('-');
        self.ends_hyphen = after_letter;
    }

    #[inline]
    fn write(&mut self, c: char) {
        if self.pending_space && self.buf.len() > self.line_start {
            self.buf.push(' ');
        }
        self.pending_space = false;
        self.ends_hyphen = false;
        self.last_char = c;
        self.buf.push(c);
    }

    fn write_str(&mut self, s: &str) {
        for c in s.chars() {
            self.write(c);
        }
    }

    fn end_line(&mut self) {
        self.lines.push(Line {
            start: self.line_start,
            end: self.buf.len(),
            starts_lower: self.first_lower.unwrap_or(false),
            ends_hyphen: self.ends_hyphen,
            starts_item: starts_item(&self.buf[self.line_start..]),
        });
        self.line_start = self.buf.len();
        self.pending_space = false;
        self.first_lower = None;
        self.last_char = ' ';
        self.ends_hyphen = false;
    }

    fn assemble(&self) -> String {
        let is_blank = |l: &Line| l.start == l.end;
        // Blank lines only count as paragraph separators between content;
        // leading or trailing ones say nothing about the wrapping style.
        let mut seen_content = false;
        let mut gap = false;
        let mut blank_mode = false;
        for l in &self.lines {
            if is_blank(l) {
                gap = seen_content;
            } else if gap {
                blank_mode = true;
                break;
            } else {
                seen_content = true;
            }
        }

        // The wrap width of a hard-wrapped text is its longest line. Only a line that reaches
        // most of that width was wrapped; a shorter one ended its paragraph (a headline, a
        // byline, a list item, a footer line), so it keeps its own line for boilerplate.
        let chars = |l: &Line| self.buf[l.start..l.end].chars().count();
        // The width matters only to a hard-wrapped text; most texts have a paragraph line longer
        // than the limit, found without counting the characters of every line (a line has at
        // least as many bytes as characters).
        let too_wide =
            |l: &Line| l.end - l.start > HARD_WRAP_MAX_WIDTH && chars(l) > HARD_WRAP_MAX_WIDTH;
        let hard_wrapped = !self.lines.iter().any(too_wide);
        let width = if hard_wrapped {
            self.lines.iter().map(chars).max().unwrap_or(0)
        } else {
            0
        };
        let wrapped = |l: &Line| hard_wrapped && chars(l) * 10 >= width * WRAPPED_LINE_TENTHS;
        let mut out = String::with_capacity(self.buf.len() + self.lines.len());
        let mut prev: Option<&Line> = None;
        let mut gap = false;
        for l in &self.lines {
            if is_blank(l) {
                gap = prev.is_some();
                continue;
            }
            let text = &self.buf[l.start..l.end];
            if let Some(p) = prev {
                let rejoin = p.ends_hyphen && l.starts_lower;
                let join = if l.starts_item {
                    // A hard-wrapped list item ends where the next item starts: joined, two
                    // headlines of a widget make one long line that passes for prose.
                    Join::Break
                } else if blank_mode {
                    if gap {
                        Join::Break
                    } else if rejoin {
                        Join::Rejoin
                    } else if wrapped(p) {
                        Join::Space
                    } else {
                        Join::Break
                    }
                } else if !self.saw_upper {
                    Join::Break
                } else if rejoin {
                    Join::Rejoin
                } else if l.starts_lower && !ends_sentence(&self.buf[p.start..p.end]) {
                    Join::Space
                } else {
                    Join::Break
                };
                match join {
                    Join::Break => out.push('\n'),
                    Join::Space => out.push(' '),
                    Join::Rejoin => {
                        out.pop();
                    }
                }
            }
            out.push_str(text);
            prev = Some(l);
            gap = false;
        }
        out
    }
}

/// Texts whose longest line is longer than this were not hard-wrapped: their line breaks are
/// paragraph breaks.
const HARD_WRAP_MAX_WIDTH: usize = 100;
/// A line at least this many tenths of the wrap width long continues on the next line.
const WRAPPED_LINE_TENTHS: usize = 6;

enum Join {
    Break,
    Space,
    Rejoin,
}

/// Whether a line ends as a sentence does (`.` `!` `?` `:` or a closing quote or bracket): a
/// wrapped line never does.
pub(crate) fn ends_sentence(line: &str) -> bool {
    matches!(
        line.as_bytes().last(),
        Some(b'.' | b'!' | b'?' | b':' | b'"' | b'\'' | b')')
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `word_count` as specified, character by character with no fast path.
    fn reference_word_count(line: &str) -> usize {
        line.split_whitespace()
            .map(|tok| {
                let spaceless = tok.chars().filter(|&c| is_unspaced_script(c)).count();
                let other = tok
                    .chars()
                    .any(|c| !is_unspaced_script(c) && c.is_alphanumeric());
                usize::from(other || spaceless == 0) + spaceless.div_ceil(2)
            })
            .sum()
    }

    #[test]
    fn word_count_table() {
        let cases = [
            ("the minister said on monday", 5),
            ("share | tweet", 3),
            ("", 0),
            ("新闻网", 2),
            ("国务院新闻办公室周二举行发布会", 8),
            ("東京 2024年 の 会議", 5),
            ("ข่าวด่วนวันนี้", 7),
            ("서울 시장 선거", 3),
            ("  tabs\tand\x0bvertical\x0c feeds\r ", 4),
            ("café\u{a0}crème au lait", 4),
            ("naïve 新闻 x", 3),
        ];
        for (line, want) in cases {
            assert_eq!(word_count(line), want, "{line:?}");
        }
        // Lines longer than the 255-byte chunks of the ASCII count, words across the seams.
        for len in [254, 255, 256, 509, 510, 511, 2000] {
            for shift in 0..3 {
                let line: String = (0..len)
                    .map(|i| if (i + shift) % 4 == 3 { ' ' } else { 'w' })
                    .collect();
                assert_eq!(
                    word_count(&line),
                    reference_word_count(&line),
                    "{len} {shift}"
                );
            }
        }
    }
    use proptest::prelude::*;

    /// Input → expected `normalize` output.
    const CASES: &[(&str, &str)] = &[
        // quotes
        ("He said “hello” and ‘bye’", "he said \"hello\" and 'bye'"),
        ("He said \"hello\" and 'bye'", "he said \"hello\" and 'bye'"),
        ("«Bonjour» ‹x› „y“ ‚z‘ 「東京」『本』", "\"bonjour\" \"x\" \"y\" 'z' \"東京\"\"本\""),
        ("it’s it‛s it′s it`s it´s itʼs", "it's it's it's it's it's it's"),
        ("10″ wide", "10\" wide"),
        // spaces
        ("a\u{A0}b\u{2009}c\u{3000}d\te\u{202F}f", "a b c d e f"),
        ("  lots   of\t\tspace  ", "lots of space"),
        // NFD vs precomposed, entities
        ("e\u{301}t\u{E9}", "été"),
        ("&eacute;t&eacute;", "été"),
        ("Tom &amp; Jerry", "tom & jerry"),
        ("&amp;amp; &amp;eacute;", "& é"),
        ("l&rsquo;OTAN&#8217;s &#x2019;x&#x2019;", "l'otan's 'x'"),
        ("a&nbsp;b", "a b"),
        ("AT&T R&D &unknown; &", "at&t r&d &unknown; &"),
        ("&EACUTE;", "é"),
        // width, ligatures, case
        ("ＡＢＣ１２３ ｆｕｌｌ", "abc123 full"),
        ("ﬁnance ﬂow", "finance flow"),
        ("Straße STRASSE", "strasse strasse"),
        ("ΣΊΣΥΦΟΣ", "σίσυφοσ"),
        // dashes and ellipsis
        ("a‐b a‑b a‒b a–b a—b a―b a−b a﹘b a﹣b a－b", "a-b a-b a-b a-b a-b a-b a-b a-b a-b a-b"),
        ("wait… what", "wait... what"),
        // invisible characters
        ("zero\u{200B}width\u{200C}jo\u{200D}in\u{2060}er\u{FEFF}", "zerowidthjoiner"),
        ("\u{FEFF}bom", "bom"),
        ("soft\u{AD}hyphen", "softhyphen"),
        ("e\u{200B}\u{301}", "é"),
        // windows-1252 mojibake
        ("don\u{92}t \u{93}q\u{94} a\u{96}b\u{85}", "don't \"q\" a-b..."),
        // line endings
        ("One.\r\nTwo.\rThree.\nFour.", "one.\ntwo.\nthree.\nfour."),
        // hyphenation
        ("The govern-\nment said.", "the government said."),
        ("The govern-\r\nment said.", "the government said."),
        ("A well-\nKnown fact.", "a well-\nknown fact."),
        ("Cost 10-\nmore.", "cost 10- more."),
        ("He paused —\nthen left.", "he paused - then left."),
        ("He paused—\nthen left.", "he paused- then left."),
        // blank-line paragraphs with hard wrap
        (
            "First paragraph is\nwrapped here.\n\n\n\nSecond One is\nAlso Wrapped.\n",
            "first paragraph is wrapped here.\nsecond one is also wrapped.",
        ),
        // lines well short of the wrap width, and lines of unwrapped text, end a paragraph
        (
            "Related:\n- One headline\n- Another headline\n\nA story line wrapped at the\nwidth goes on here.",
            "related:\n- one headline\n- another headline\na story line wrapped at the width goes on here.",
        ),
        ("\n\n  Title\n\nBody govern-\nment.\n\n", "title\nbody government."),
        // a hard-wrapped list: each item's wrapped lines are joined, the next item is not
        (
            "Story line one wrapped at the width of\nthe page, it goes on.\n\nRead also:\n» Podle syna Davida jsou zprávy o stavu\nvelmi pozitivní.\n» Die Architekten beweisen, dass die\nnicht nur im Kopf sind - am Beispiel\njüngst errichteten Bücherberg - 2 Fotos\n» Умер актер Ларри Хэгмэн\n",
            "story line one wrapped at the width of the page, it goes on.\nread also:\n\" podle syna davida jsou zprávy o stavu velmi pozitivní.\n\" die architekten beweisen, dass die nicht nur im kopf sind - am beispiel jüngst errichteten bücherberg - 2 fotos\n\" умер актер ларри хэгмэн",
        ),
        // no blank lines: OCR wrap joined, real breaks kept
        (
            "WASHINGTON (AP) — The president said\non Monday that\ntaxes will rise.\nCritics disagreed.",
            "washington (ap) - the president said on monday that taxes will rise.\ncritics disagreed.",
        ),
        ("Headline Here\nThe body starts.", "headline here\nthe body starts."),
        ("He said:\nthe end", "he said:\nthe end"),
        ("“Quote.”\nand more", "\"quote.\"\nand more"),
        // caseless text without blank lines: each line stays a paragraph
        ("first line\nsecond line", "first line\nsecond line"),
        ("第一行\n第二行", "第一行\n第二行"),
        // misc
        ("", ""),
        (" \n\t\n\u{A0}\n", ""),
        ("a\u{2028}b\u{2029}c", "a b\nc"),
        ("X\u{2029}y", "x\ny"),
    ];

    /// Normalized input → expected tokens (space separated).
    const TOKEN_CASES: &[(&str, &str)] = &[
        ("l'otan a dit", "otan a dit"),
        ("qu'il jusqu'à lorsqu'on d'abord", "il à on abord"),
        (
            "dell'anno all'una nell'ambito un'altra",
            "anno una ambito altra",
        ),
        ("aujourd'hui", "aujourd'hui"),
        ("don't o'brien rock'n'roll", "don't o'brien rock'n'roll"),
        ("'quoted' words'", "quoted words"),
        ("l'aujourd'hui", "aujourd'hui"),
        ("3,1 % et 2.6 millions, 1,000", "3,1 et 2.6 millions 1,000"),
        ("u.s. e.g. hello, world!", "u.s e.g hello world"),
        ("中华人民共和国", "中华 华人 人民 民共 共和 和国"),
        ("中", "中"),
        ("apple 发布了 iphone", "apple 发布 布了 iphone"),
        ("apple发布了iphone", "apple 发布 布了 iphone"),
        ("东京。大阪", "东京 大阪"),
        ("ภาษาไทย", "ภา าษ ษา าไ ไท ทย"),
        ("カタカナ", "カタ タカ カナ"),
        ("한국어 문장", "한국어 문장"),
        ("2024年3月", "2024 年 3 月"),
        ("", ""),
        ("-- ... !!", ""),
    ];

    #[test]
    fn normalize_cases() {
        for &(input, expected) in CASES {
            assert_eq!(normalize(input), expected, "input: {input:?}");
        }
    }

    #[test]
    fn normalize_cases_are_idempotent() {
        for &(input, _) in CASES {
            let once = normalize(input);
            assert_eq!(normalize(&once), once, "input: {input:?}");
        }
    }

    #[test]
    fn token_cases() {
        for &(input, expected) in TOKEN_CASES {
            let want: Vec<&str> = expected.split_whitespace().collect();
            assert_eq!(tokens(input), want, "input: {input:?}");
        }
    }

    #[test]
    fn typographic_variants_normalize_identically() {
        let a = "L’OTAN a dit «non» — c’était prévu…\u{A0}Fin.";
        let b = "L'OTAN a dit \"non\" - c'e\u{301}tait pr&eacute;vu... Fin.";
        assert_eq!(normalize(a), normalize(b));
        // French spacing inside guillemets survives in the lines (spaces are
        // not guessed away) but not in the tokens, which is what is compared.
        let c = "L’OTAN a dit «\u{202F}non\u{202F}» — c’était prévu…\u{A0}Fin.";
        assert_eq!(tokens(&normalize(c)), tokens(&normalize(b)));
        assert_eq!(
            tokens(&normalize(a)),
            ["otan", "a", "dit", "non", "était", "prévu", "fin"]
        );
    }

    #[test]
    fn pipeline_tokens_from_raw_text() {
        let t = tokens(&normalize("L’OTAN and the Apple 发布了 iPhone"));
        assert_eq!(t, ["otan", "and", "the", "apple", "发布", "布了", "iphone"]);
    }

    #[test]
    fn entity_decoding_is_bounded() {
        assert_eq!(normalize("&amp;amp;amp;eacute;"), "é");
        // Far beyond the caps: must still finish in linear time.
        let deep = "&".to_owned() + &"amp;".repeat(10_000);
        assert!(normalize(&deep).starts_with('&'));
    }

    /// Everything observable that a Builder produced for `seg`.
    fn built(seg: &str, general: bool) -> (String, bool, bool, bool) {
        let mut b = Builder::with_capacity(16);
        if general {
            b.push_unicode_general(seg);
        } else {
            b.push_unicode(seg);
        }
        b.end_line();
        let l = &b.lines[0];
        (b.buf.clone(), l.starts_lower, l.ends_hyphen, b.saw_upper)
    }

    /// Every pair of listed characters below U+3000; slow in debug builds, so
    /// run it with `--ignored` after changing [`fast`].
    #[test]
    #[ignore]
    fn fast_path_all_pairs() {
        let all: Vec<char> = (0x80..0x3000)
            .filter_map(char::from_u32)
            .filter(|&c| fast(c).is_some())
            .collect();
        for &c in &all {
            for &d in &all {
                let seg = format!("{c}{d}");
                assert_eq!(built(&seg, false), built(&seg, true), "{seg:?}");
            }
        }
    }

    #[test]
    fn fast_path_matches_unicode_path() {
        let all: Vec<char> = (0x80..0x10000)
            .filter_map(char::from_u32)
            .filter(|&c| fast(c).is_some())
            .collect();
        let small: Vec<char> = all.iter().copied().filter(|&c| c < '\u{3000}').collect();
        let check = |seg: &str| assert_eq!(built(seg, false), built(seg, true), "{seg:?}");
        // A fast prefix followed by a general character must be undone cleanly.
        check("Éa-é\u{301}");
        check("  ’É\u{345}");
        for &c in &all {
            for seg in [
                format!("{c}"),
                format!("x{c}"),
                format!("X{c}‐"),
                format!(" {c} "),
                format!("{c}…"),
            ] {
                check(&seg);
            }
        }
        for &c in small.iter().step_by(3) {
            for &d in small.iter().step_by(5) {
                check(&format!("{c}{d}"));
            }
        }
        for &c in all.iter().step_by(211) {
            for &d in all.iter().step_by(223) {
                check(&format!("{c}{d}"));
            }
        }
    }

    /// Reference tokenizer: the segmenter on every piece, no shortcut.
    fn reference_tokens(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for piece in text.split([' ', '\n']) {
            piece_words(piece, false, &mut |t: &str| out.push(t.to_owned()));
        }
        out
    }

    fn latin_words() -> impl Strategy<Value = String> {
        let piece = prop::sample::select(vec![
            "a", "z", "0", "9", "é", "É", "ß", "ÿ", "×", "÷", "з", "З", "я", "ё", "ѳ", "ʼ", "'",
            ".", ",", " ", "\n", "-", "l'", "qu'", "µ", "ª", "\u{301}", "_",
        ]);
        prop::collection::vec(piece, 0..30).prop_map(|v| v.concat())
    }

    fn entityish() -> impl Strategy<Value = String> {
        let piece = prop::sample::select(vec![
            "&", "amp", ";", "#", "38", "x26", "EACUTE", "eacute", "nbsp", "\n", " ", "A", "é",
            "\u{301}", "＆", "-", "\n\n",
        ]);
        prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
    }

    fn texty() -> impl Strategy<Value = String> {
        let piece = prop::sample::select(vec![
            "The",
            "govern",
            "ment",
            "-",
            "—",
            "\n",
            "\n\n",
            "\r\n",
            " ",
            "\u{A0}",
            "’",
            "“",
            "”",
            "«",
            "…",
            ".",
            ":",
            "a",
            "É",
            "e\u{301}",
            "ß",
            "İ",
            "ΐ",
            "\u{345}",
            "\u{200B}",
            "\u{AD}",
            "中",
            "文",
            "ไทย",
            "ﬁ",
            "Ａ",
            "&amp;",
            "\t",
            "x",
            "Q",
            "\u{92}",
        ]);
        prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
    }

    fn check_output(s: &str) -> Result<(), TestCaseError> {
        let out = normalize(s);
        prop_assert_eq!(normalize(&out), out.clone());
        prop_assert!(!out.contains("\n\n"));
        prop_assert!(!out.contains('\r'));
        prop_assert!(!out.contains('\u{A0}'), "nbsp in {:?}", out);
        prop_assert!(!out.contains(['‘', '’', '‚', '‛', '“', '”', '„', '‟', '«', '»']));
        prop_assert!(!out.starts_with([' ', '\n']) && !out.ends_with([' ', '\n']));
        prop_assert!(!out.contains(" \n") && !out.contains("\n ") && !out.contains("  "));
        for_each_token(&out, |t| assert!(!t.is_empty()));
        Ok(())
    }

    #[test]
    fn plain_words_table() {
        // (eight bytes, whether a run goes through them)
        let cases: [(&[u8; 8], bool); 9] = [
            (b"abcdefgh", true),
            (b"abc defg", true),
            (b"A.c,d:G!", true),
            (b"abc  efg", false),
            (b"abcdefg ", false),
            (b"abc-defg", false),
            (b"abc`defg", false),
            (b"abc\ndefg", false),
            (b"ab\x7fdefgh", false),
        ];
        for (word, expected) in cases {
            let got = plain_or_single_spaces(u64::from_le_bytes(*word));
            assert_eq!(got, expected, "{:?}", String::from_utf8_lossy(word));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn arbitrary_strings(s in any::<String>()) {
            check_output(&s)?;
        }

        #[test]
        fn plain_runs_by_words_end_where_byte_by_byte_runs_end(
            s in "[a-z.,A-Z0-9 ]{1,30}[ \\-`\n\u{7f}\u{1}é]?[a-z ]{0,30}",
        ) {
            let bytes = s.as_bytes();
            let mut end = 1;
            while let Some(&b) = bytes.get(end) {
                if is_plain(b) {
                    end += 1;
                } else if b == b' ' && bytes.get(end + 1).is_some_and(|&n| is_plain(n)) {
                    end += 2;
                } else {
                    break;
                }
            }
            if is_plain(bytes[0]) {
                prop_assert_eq!(plain_run_end(bytes, 0), end);
            }
        }

        #[test]
        fn a_reused_builder_normalizes_like_a_fresh_one(a in texty(), b in texty()) {
            let mut reused = Builder::with_capacity(0);
            reused.normalize(&a);
            prop_assert_eq!(reused.normalize(&b), Builder::with_capacity(0).normalize(&b));
        }

        #[test]
        fn lines_are_what_str_lines_gives(s in "[ab\r\n]{0,12}") {
            prop_assert_eq!(lines(&s).collect::<Vec<_>>(), s.lines().collect::<Vec<_>>());
            prop_assert_eq!(line_count(&s), s.lines().count());
        }

        #[test]
        fn text_like_strings(s in texty()) {
            check_output(&s)?;
        }

        #[test]
        fn entity_like_strings(s in entityish()) {
            check_output(&s)?;
        }

        #[test]
        fn word_count_fast_paths_match_char_by_char_count(s in "[ a-z\t\\x0b\u{a0}\u{e9}\u{4e00}-\u{4e10}\u{ac00}\u{0e01}0-9]{0,40}") {
            prop_assert_eq!(word_count(&s), reference_word_count(&s));
        }

        #[test]
        fn simple_pieces_match_segmenter(s in latin_words()) {
            prop_assert_eq!(tokens(&s), reference_tokens(&s));
        }

        #[test]
        fn tokens_never_empty(s in any::<String>()) {
            for_each_token(&s, |t| assert!(!t.is_empty()));
        }
    }
}
