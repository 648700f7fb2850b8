//! The translation fingerprint: what of a story survives its translation into another language.
//! Owns the extraction of a document's anchors (its names, acronyms and figures, in the order
//! of the text, folded to one script and one spelling) and the exonym table that lets a
//! country's names in different languages meet. Matching anchors across documents is
//! [`crate::crosslang`]'s.
//!
//! Capitalisation is read from the text as it came in (the normalized text is case-folded), and
//! the anchors from the kept text (boilerplate removed): a word is a name when the document
//! writes it capitalised where a sentence does not begin, outside title-case lines. Figures are
//! read in every convention (`9,3 %` = `9.3%`, `1 000` = `1,000` = `1.000`), scores and times
//! kept whole (`3-2`, `14:30`). Names are folded to ASCII (`any_ascii`: Путин → Putin) and then to
//! a consonant skeleton of three letters, which absorbs transliteration and case endings
//! (Putin, Poutine, Putina, Путину → `ptn`); countries go through CLDR's region names in every
//! language ICU4X ships (Allemagne, Germany, Deutschland, Německo, Германия → `DE`).

use std::collections::HashMap;

use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::OnceLock;

use caseless::Caseless;
use unicode_normalization::UnicodeNormalization;
use xxhash_rust::xxh3::xxh3_64_with_seed;

use crate::lang::Lang;

/// Most anchors kept of a document, the first in the text: a translated copy keeps the story's
/// order, so its opening anchors are the ones a cut or excerpted copy still has, and the
/// fingerprint stays at most a kilobyte whatever the page's length. 255, the most a sketch
/// table's row holds: German's capitalised nouns filled 128 before a long article's second
/// half (DESIGN.md, "Translations").
pub const MAX_ANCHORS: usize = 255;

/// Letters of a name's skeleton: three tell names apart (`ptn`, `stl`, `mkr`) while a case
/// ending, which adds a fourth (Obamovi, Putinem), does not split them.
const SKELETON_LETTERS: usize = 3;

/// A line with at least this many words, most of them capitalised, is a title-case headline or
/// a menu: its capitals say nothing about names.
const TITLE_LINE_MIN_WORDS: usize = 3;

/// Share of capitalised words above which a line is in title case.
const TITLE_LINE_CAPITALISED: f64 = 0.6;

/// Longest all-capitals word taken as an acronym; longer ones are shouted words.
const ACRONYM_MAX_LETTERS: usize = 6;

/// Keeps anchor hashes apart from the other hashes of a run.
const ANCHOR_SALT: u64 = 0x616e_6368_6f72_7321;

/// The translation fingerprint of one document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sketch {
    /// The language of its kept text, when it can be told.
    pub lang: Option<Lang>,
    /// Hashes of its distinct anchors, in order of first occurrence, at most [`MAX_ANCHORS`].
    pub anchors: Vec<u32>,
}

/// One anchor as `explain` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labelled {
    /// Its hash, as in [`Sketch::anchors`].
    pub hash: u32,
    /// Its folded key (`#9.3`, `E:ptn`, `R:DE`, `A:nato`).
    pub key: String,
    /// The word or figure of the kept text it was first read from.
    pub surface: String,
}

/// Reusable scratch space for extracting anchors, one a thread.
#[derive(Debug, Default)]
pub struct Extractor {
    /// Folded forms the document writes capitalised inside a sentence; `true` for acronyms.
    names: FxHashMap<String, bool>,
    /// The capitalised words of the line being read.
    capitals: Vec<(usize, usize, bool)>,
    word: String,
    ascii: String,
    key: String,
}

/// What a token of the kept text is.
enum Token<'a> {
    Word(&'a str),
    Figure(String),
}

impl Extractor {
    /// The fingerprint of a document in language `lang` ([`crate::lang::detect`] of its normalized
    /// text): `raw` is its text as read (for capitalisation), `kept` the normalized text with
    /// boilerplate removed (for the anchors).
    pub fn sketch(&mut self, raw: &str, kept: &str, lang: Option<Lang>, seed: u64) -> Sketch {
        let mut anchors = Vec::new();
        self.each_anchor(raw, kept, lang, |key, _| {
            let hash = anchor_hash(key, seed);
            if !anchors.contains(&hash) && anchors.len() < MAX_ANCHORS {
                anchors.push(hash);
            }
        });
        Sketch { lang, anchors }
    }

    /// The anchors of [`Extractor::sketch`] with their keys and the words they came from.
    pub fn labelled(
        &mut self,
        raw: &str,
        kept: &str,
        lang: Option<Lang>,
        seed: u64,
    ) -> Vec<Labelled> {
        let mut out: Vec<Labelled> = Vec::new();
        self.each_anchor(raw, kept, lang, |key, surface| {
            let hash = anchor_hash(key, seed);
            if !out.iter().any(|l| l.hash == hash) && out.len() < MAX_ANCHORS {
                out.push(Labelled {
                    hash,
                    key: key.to_string(),
                    surface: surface.to_string(),
                });
            }
        });
        out
    }

    /// Calls `f(key, surface)` for every anchor of `kept`, repeats included, in order.
    fn each_anchor(
        &mut self,
        raw: &str,
        kept: &str,
        lang: Option<Lang>,
        mut f: impl FnMut(&str, &str),
    ) {
        self.learn_names(raw);
        let exonyms = exonyms();
        // A name recurs through a story: each distinct word is folded and looked up once.
        let mut memo: FxHashMap<&str, Option<Box<str>>> = FxHashMap::default();
        let mut tokens = tokens(kept).peekable();
        while let Some((token, surface)) = tokens.next() {
            let word = match token {
                Token::Figure(fig) => {
                    self.key.clear();
                    self.key.push('#');
                    self.key.push_str(&fig);
                    f(&self.key, surface);
                    continue;
                }
                Token::Word(word) => word,
            };
            let Some(&acronym) = self.names.get(word) else {
                continue;
            };
            if !acronym {
                // A two-word country name ("Royaume-Uni", "Spojené státy") is one anchor.
                if let Some((Token::Word(next), _)) = tokens.peek() {
                    fold_ascii(word, &mut self.ascii);
                    if let Some(code) = exonyms.pair(&self.ascii, next) {
                        tokens.next();
                        self.key.clear();
                        self.key.push_str("R:");
                        self.key.push_str(code);
                        f(&self.key, surface);
                        continue;
                    }
                }
            }
            let key = memo.entry(word).or_insert_with(|| {
                if lang.is_some_and(|l| l.is_stop_word(word)) {
                    return None;
                }
                let mut ascii = String::new();
                fold_ascii(word, &mut ascii);
                if acronym {
                    let letters: String =
                        ascii.chars().filter(char::is_ascii_alphanumeric).collect();
                    return Some(format!("A:{letters}").into());
                }
                let first = skeleton(&ascii);
                if first.len() < 2 {
                    return None;
                }
                Some(match exonyms.word(&ascii) {
                    Some(code) => format!("R:{code}").into(),
                    None => format!("E:{first}").into(),
                })
            });
            if let Some(key) = key {
                f(key, surface);
            }
        }
    }

    /// Collects the folded forms of the words `raw` writes capitalised inside sentences.
    fn learn_names(&mut self, raw: &str) {
        self.names.clear();
        // The capitalised words of a line: (start, end, begins a sentence).
        let mut capitals = std::mem::take(&mut self.capitals);
        for line in raw.lines() {
            capitals.clear();
            let mut total = 0;
            for (start, end, initial) in line_words(line) {
                total += 1;
                if line[start..].chars().next().is_some_and(char::is_uppercase) {
                    capitals.push((start, end, initial));
                }
            }
            if total >= TITLE_LINE_MIN_WORDS
                && capitals.len() as f64 >= TITLE_LINE_CAPITALISED * total as f64
            {
                continue;
            }
            for &(start, end, initial) in &capitals {
                let word = &line[start..end];
                let letters = word.chars().count();
                let acronym = (2..=ACRONYM_MAX_LETTERS).contains(&letters)
                    && word.chars().all(|c| !c.is_lowercase());
                if initial && !acronym {
                    continue;
                }
                self.word.clear();
                if word.is_ascii() {
                    // NFKC leaves ASCII alone, and its case folding is lowercasing.
                    self.word.push_str(word);
                    self.word.make_ascii_lowercase();
                } else {
                    self.word.extend(word.nfkc().default_case_fold());
                }
                match self.names.get_mut(self.word.as_str()) {
                    Some(a) => *a &= acronym,
                    None => {
                        self.names.insert(self.word.clone(), acronym);
                    }
                }
            }
        }
        self.capitals = capitals;
    }
}

/// `word` folded to lowercase ASCII into `out` (a plain ASCII word is copied as is).
fn fold_ascii(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.push_str(word);
    } else {
        out.push_str(&any_ascii::any_ascii(word));
    }
    out.make_ascii_lowercase();
}

/// The hash of an anchor key under `seed`.
fn anchor_hash(key: &str, seed: u64) -> u32 {
    // The low half of a 64-bit hash: anchors are compared between documents, and a document
    // holds at most 64 of them.
    xxh3_64_with_seed(key.as_bytes(), seed ^ ANCHOR_SALT) as u32
}

/// Where the first character at or after byte `at` of `text` for which `wanted` holds starts
/// (the text's length when none does). ASCII bytes are tested as they are; other characters
/// are decoded: most of a text is ASCII, and decoding every character cost a third of the
/// extraction.
fn scan(text: &str, mut at: usize, wanted: impl Fn(char) -> bool) -> usize {
    let bytes = text.as_bytes();
    while let Some(&b) = bytes.get(at) {
        let c = if b < 0x80 {
            char::from(b)
        } else {
            match text[at..].chars().next() {
                Some(c) => c,
                None => return text.len(),
            }
        };
        if wanted(c) {
            return at;
        }
        at += c.len_utf8();
    }
    text.len()
}

/// Letters and ASCII digits: what words and figures are made of.
fn word_char(c: char) -> bool {
    c.is_alphabetic() || c.is_ascii_digit()
}

/// The words of a line of raw text (runs of letters) as byte ranges, each with whether it
/// begins a sentence.
fn line_words(line: &str) -> impl Iterator<Item = (usize, usize, bool)> + '_ {
    let mut initial = true;
    let mut at = 0;
    std::iter::from_fn(move || loop {
        let start = scan(line, at, word_char);
        if start == line.len() {
            return None;
        }
        if line[at..start]
            .bytes()
            .any(|b| matches!(b, b'.' | b'!' | b'?' | b':' | b'|'))
            || line[at..start].contains('•')
        {
            initial = true;
        }
        let end = scan(line, start, |c| !word_char(c));
        at = end;
        let was_initial = initial;
        initial = false;
        if line[start..]
            .chars()
            .next()
            .is_some_and(char::is_alphabetic)
        {
            return Some((start, end, was_initial));
        }
    })
}

/// The tokens of normalized text: words (runs of letters) and figures (read as numbers), each
/// with the text it was read from.
fn tokens(kept: &str) -> impl Iterator<Item = (Token<'_>, &str)> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || loop {
        let start = scan(kept, at, word_char);
        if start == kept.len() {
            return None;
        }
        if kept.as_bytes()[start].is_ascii_digit() {
            let (end, fig) = figure(kept, start);
            at = end;
            if let Some(fig) = fig {
                return Some((Token::Figure(fig), &kept[start..end]));
            }
            continue;
        }
        at = scan(kept, start, |c| !c.is_alphabetic());
        let word = &kept[start..at];
        return Some((Token::Word(word), word));
    })
}

/// Reads the figure that starts at byte `start` of `text` (an ASCII digit): returns where it
/// ends and its canonical form, or `None` for a lone digit (a count a translation may spell
/// out). Groups of three digits after a separator are thousands (`1 000`, `1,000`, `1.000`);
/// any other separator is the decimal point (`9,3` = `9.3`); digits joined by `-` or `:` stay
/// one figure (`3-2`, `14:30`).
fn figure(text: &str, start: usize) -> (usize, Option<String>) {
    let bytes = text.as_bytes();
    let digits_from = |i: usize| bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
    let mut parts: Vec<String> = Vec::new();
    let mut at = start;
    loop {
        // One number: digit groups and the separators between them.
        let mut groups: Vec<(&str, u8)> = Vec::new();
        let n = digits_from(at);
        groups.push((&text[at..at + n], 0));
        at += n;
        while let Some(&sep) = bytes.get(at) {
            let next = digits_from(at + 1);
            let joins = match sep {
                b'.' | b',' => next > 0,
                // A space joins thousands only: "1 000", never "2010 2011".
                b' ' => next == 3 && groups.iter().all(|(g, _)| g.len() <= 3),
                _ => false,
            };
            if !joins {
                break;
            }
            groups.push((&text[at + 1..at + 1 + next], sep));
            at += 1 + next;
        }
        parts.push(canonical(&groups));
        match (bytes.get(at), bytes.get(at + 1)) {
            (Some(b'-' | b':' | b'/'), Some(d)) if d.is_ascii_digit() => at += 1,
            _ => break,
        }
    }
    let lone_digit = parts.len() == 1 && parts[0].len() == 1;
    (at, (!lone_digit).then(|| parts.join("-")))
}

/// The canonical form of a number written as digit groups with the separator before each.
fn canonical(groups: &[(&str, u8)]) -> String {
    let last = groups.len() - 1;
    // The last separator is a decimal point unless three digits follow it (thousands), or
    // unless it is a different character from an earlier separator ("1.250,5").
    let decimal = last > 0 && {
        let (digits, sep) = groups[last];
        let earlier_differs = groups[1..last].iter().any(|&(_, s)| s != sep);
        sep != b' ' && (digits.len() != 3 || earlier_differs)
    };
    let whole_end = if decimal { last } else { groups.len() };
    let mut whole: String = groups[..whole_end].iter().map(|(g, _)| *g).collect();
    let trimmed = whole.trim_start_matches('0').len();
    whole.drain(..whole.len() - trimmed);
    if whole.is_empty() {
        whole.push('0');
    }
    if decimal {
        let fraction = groups[last].0.trim_end_matches('0');
        if !fraction.is_empty() {
            whole.push('.');
            whole.push_str(fraction);
        }
    }
    whole
}

/// The consonant skeleton of a folded ASCII word: its first letter, then its consonants without
/// `h` (c, k, q one letter; w as v; z as s; doubled letters once), cut to [`SKELETON_LETTERS`].
pub fn skeleton(ascii: &str) -> String {
    let mut out = String::with_capacity(SKELETON_LETTERS);
    let mut last = '\0';
    for (i, c) in ascii
        .chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_lowercase())
        .enumerate()
    {
        let mapped = match c {
            'c' | 'k' | 'q' => 'k',
            'w' => 'v',
            'z' => 's',
            'j' | 'y' if i == 0 => 'i',
            other => other,
        };
        let vowel = matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'h' | 'j');
        if i > 0 && vowel {
            last = '\0';
            continue;
        }
        if mapped != last {
            out.push(mapped);
            last = mapped;
        }
        if out.len() == SKELETON_LETTERS {
            break;
        }
    }
    out
}

/// Region names of every language, by stem (the folded word without its final vowels): single
/// words, and the first two words of longer names. A stem two regions share is left out.
struct Exonyms {
    words: HashMap<String, String>,
    pairs: HashMap<String, String>,
    /// The first words' stems of `pairs`: most names begin no country's name, and need no
    /// look-up of the word after them.
    firsts: FxHashSet<String>,
}

/// Shortest stem looked up: shorter ones are prefixes of too many names.
const STEM_MIN_LETTERS: usize = 4;

/// Letters a case ending may add to a country's name (Německu, Германии, Rusku) and that a
/// look-up drops before giving up.
const ENDING_MAX_LETTERS: usize = 2;

/// A folded word without its final vowels.
fn stem(ascii: &str) -> &str {
    ascii.trim_end_matches(['a', 'e', 'i', 'o', 'u', 'y'])
}

impl Exonyms {
    /// The region a folded word names, trying it without the last letters of a case ending.
    fn word(&self, ascii: &str) -> Option<&str> {
        self.stems(ascii)
            .find_map(|s| self.words.get(s))
            .map(String::as_str)
    }

    /// The region a folded word and the next word of the text name together.
    fn pair(&self, first: &str, next: &str) -> Option<&str> {
        let stem = self.stems(first).find(|s| self.firsts.contains(*s))?;
        let mut second = String::new();
        fold_ascii(next, &mut second);
        let key = format!("{stem} {}", self::stem(&second));
        self.pairs.get(&key).map(String::as_str)
    }

    /// The stems looked up for a folded word: of the word, then of it without one and two
    /// final letters, each at least [`STEM_MIN_LETTERS`] long.
    fn stems<'a>(&self, ascii: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        (0..=ENDING_MAX_LETTERS.min(ascii.len()))
            .map(move |cut| stem(&ascii[..ascii.len() - cut]))
            .take_while(|s| s.len() >= STEM_MIN_LETTERS)
    }
}

fn exonyms() -> &'static Exonyms {
    static EXONYMS: OnceLock<Exonyms> = OnceLock::new();
    EXONYMS.get_or_init(build_exonyms)
}

fn build_exonyms() -> Exonyms {
    use icu_experimental::displaynames::{multi::RegionDisplayNames, DisplayNamesOptions};
    use icu_locale::subtags::Region;

    let regions: Vec<(Region, String)> = (b'A'..=b'Z')
        .flat_map(|a| (b'A'..=b'Z').map(move |b| [a, b]))
        .filter_map(|code| {
            let code = std::str::from_utf8(&code).ok()?.to_string();
            Some((code.parse::<Region>().ok()?, code))
        })
        .collect();
    // Each key with the one region it names, or None once two regions claim it.
    let mut words: HashMap<String, Option<String>> = HashMap::new();
    let mut pairs: HashMap<String, Option<String>> = HashMap::new();
    let claim = |map: &mut HashMap<String, Option<String>>, key: String, code: &str| {
        map.entry(key)
            .and_modify(|c| {
                if c.as_deref() != Some(code) {
                    *c = None;
                }
            })
            .or_insert_with(|| Some(code.to_string()));
    };
    for code in stop_words::available_languages() {
        let Ok(locale) = code.parse::<icu_locale::Locale>() else {
            continue;
        };
        let Ok(names) = RegionDisplayNames::try_new(locale.into(), DisplayNamesOptions::default())
        else {
            continue;
        };
        for (region, code) in &regions {
            let Some(name) = names.of(*region) else {
                continue;
            };
            let ascii = any_ascii::any_ascii(name).to_ascii_lowercase();
            let parts: Vec<&str> = ascii
                .split(|c: char| !c.is_ascii_alphabetic())
                .filter(|w| !w.is_empty())
                .map(stem)
                .collect();
            match parts.as_slice() {
                [one] if one.len() >= STEM_MIN_LETTERS => claim(&mut words, one.to_string(), code),
                [a, b, ..] if a.len() >= STEM_MIN_LETTERS => {
                    claim(&mut pairs, format!("{a} {b}"), code)
                }
                _ => {}
            }
        }
    }
    let settle = |map: HashMap<String, Option<String>>| {
        map.into_iter().filter_map(|(k, v)| Some((k, v?))).collect()
    };
    let pairs: HashMap<String, String> = settle(pairs);
    let firsts = pairs
        .keys()
        .filter_map(|k| Some(k.split_once(' ')?.0.to_string()))
        .collect();
    Exonyms {
        words: settle(words),
        pairs,
        firsts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(raw: &str) -> Vec<String> {
        let kept = crate::normalize::normalize(raw);
        let labelled = Extractor::default().labelled(raw, &kept, crate::lang::detect(&kept), 1);
        labelled.into_iter().map(|l| l.key).collect()
    }

    #[test]
    fn figures_in_every_convention_table() {
        let cases = [
            ("9,3 %", "9.3"),
            ("9.3%", "9.3"),
            ("1 000", "1000"),
            ("1,000", "1000"),
            ("1.000", "1000"),
            ("1.250,5", "1250.5"),
            ("1,250.5", "1250.5"),
            ("3-2", "3-2"),
            ("3:2", "3-2"),
            ("14:30", "14-30"),
            ("2,50", "2.5"),
            ("0,75", "0.75"),
            ("2024", "2024"),
        ];
        for (text, want) in cases {
            assert_eq!(figure(text, 0).1.as_deref(), Some(want), "{text}");
        }
        // A lone digit is no anchor; two years a space apart are two figures.
        assert_eq!(figure("3 sites", 0).1, None);
        assert_eq!(figure("2010 2011", 0), (4, Some("2010".to_string())));
    }

    #[test]
    fn skeletons_absorb_transliteration_and_case_endings_table() {
        let cases = [
            ("putin", "ptn"),
            ("poutine", "ptn"),
            ("putinem", "ptn"),
            ("stoltenberg", "stl"),
            ("macron", "mkr"),
            ("makron", "mkr"),
            ("jens", "ins"),
            ("yens", "ins"),
            ("estonia", "est"),
            ("estonie", "est"),
        ];
        for (word, want) in cases {
            assert_eq!(skeleton(word), want, "{word}");
        }
    }

    #[test]
    fn names_figures_and_countries_meet_across_languages() {
        let en = "The Estonian minister Hanno Pevkur told Die Presse on Monday that 9.3% of the \
                  12,000 troops in Germany would stay, and Vladimir Putin said nothing.";
        let fr = "Le ministre estonien Hanno Pevkur a déclaré lundi à Die Presse que 9,3 % des \
                  12 000 soldats en Allemagne resteraient, et Vladimir Poutine n'a rien dit.";
        let ru = "Министр Ханно Певкур сказал в понедельник Die Presse, что 9,3 % из 12 000 \
                  солдат в Германии останутся, а Владимир Путин ничего не сказал.";
        let (en, fr, ru) = (keys(en), keys(fr), keys(ru));
        for want in [
            "E:hn", "E:pvk", "E:prs", "#9.3", "#12000", "R:DE", "E:vld", "E:ptn",
        ] {
            assert!(en.contains(&want.to_string()), "en {want}: {en:?}");
            assert!(fr.contains(&want.to_string()), "fr {want}: {fr:?}");
        }
        for want in ["E:pvk", "#9.3", "#12000", "R:DE", "E:ptn"] {
            assert!(ru.contains(&want.to_string()), "ru {want}: {ru:?}");
        }
        // Sentence-initial capitals, stop words and weekdays written in lower case are no names.
        assert!(!fr.iter().any(|k| k == "E:l" || k == "E:ls"), "{fr:?}");
    }

    #[test]
    fn title_case_lines_make_no_names() {
        let raw = "Every Member Of The Alliance Has Advisers There\nthe member states have \
                   advisers there, said Anna Berg.";
        let k = keys(raw);
        assert!(
            k.contains(&"E:anm".to_string()) || k.contains(&"E:an".to_string()),
            "{k:?}"
        );
        assert!(!k.contains(&"E:mmb".to_string()), "{k:?}");
    }

    #[test]
    fn sketch_is_capped_distinct_and_in_order() {
        let raw: String = (10..400).map(|n| format!("{n}; ")).collect();
        let kept = crate::normalize::normalize(&raw);
        let s = Extractor::default().sketch(&raw, &kept, None, 7);
        assert_eq!(s.anchors.len(), MAX_ANCHORS);
        let again = Extractor::default().sketch(&format!("{raw} {raw}"), &kept, None, 7);
        assert_eq!(s, again);
    }
}
