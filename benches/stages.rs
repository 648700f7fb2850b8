//! Criterion benchmarks of each stage of the reprint pipeline, one group a stage: `normalize`,
//! `shingle`, `minhash`, `boilerplate`, `lsh`, `cluster`, `dedup` end to end, and `simhash`
//! (fingerprint and permuted-table search).
//!
//! Every input is generated here, deterministically from [`SEED`] with ChaCha8: news-like
//! articles of 400–800 words (a built-in word list plus syllable-built pseudo-words drawn by a
//! Zipf law, figures, names, places, quotes), typeset by 20 sources that differ in typography
//! (curly quotes, NBSP, decomposed accents, named and numeric HTML entities, hard wrapping,
//! CRLF) and share headers and footers; 30% are reprints: edited, sometimes cut copies of
//! earlier stories. The LSH and cluster groups run on synthetic signatures with 30%
//! near-duplicates. No external data is read.
//!
//! Run all of it (about two minutes on two cores, plus the build) with
//!
//! ```text
//! cargo bench --bench stages
//! ```
//!
//! or one group with a filter, e.g. `cargo bench --bench stages -- minhash` (the fixtures of
//! every group are still built, which takes some seconds).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;

use criterion::{
    criterion_group, criterion_main, BenchmarkGroup, BenchmarkId, Criterion, SamplingMode,
    Throughput,
};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use reprint::boilerplate::{self, LineInfo};
use reprint::cluster::{self, Fingerprint, Rule};
use reprint::config::{DEFAULT_CONTAINMENT, DEFAULT_NUM_PERM, DEFAULT_SEED, DEFAULT_THRESHOLD};
use reprint::lsh;
use reprint::minhash::MinHasher;
use reprint::normalize;
use reprint::pipeline::containment_search_threshold;
use reprint::shingle::{Shingler, FIGURE_SKETCH_MAX};
use reprint::{Config, NoProgress, ShingleSpec};

/// The seed every generated input derives from.
const SEED: u64 = 0x5eed_2024_0bad_cafe;
/// Articles in the shared corpus of the normalize, shingle, minhash and boilerplate groups.
const ARTICLES: usize = 1000;
/// Sources (sites) the articles come from.
const SOURCES: usize = 20;
/// Articles in the end-to-end corpus.
const DEDUP_ARTICLES: usize = 2000;
/// Share of generated articles (or signatures) that reprint an earlier one.
const REPRINT_SHARE: f64 = 0.3;
/// Signatures in the LSH and cluster groups.
const SIGNATURES: usize = 10_000;
/// Pairs measured and verified in the cluster group.
const PAIRS: usize = 100_000;

/// Frequent function words: drawn often, as in real prose.
const FUNCTION_WORDS: &str = "the the the of of and and to to in in a a for on that with as at \
    by from is was has have had it its their this which but not be been were are after before \
    while over under about into than more most also only";

/// Content words of news prose, a few with accents.
const CONTENT_WORDS: &str = "government minister officials council budget election vote \
    parliament senate court judge ruling police investigation report agency company shares \
    market prices inflation economy growth bank rates interest workers union strike talks deal \
    agreement plan proposal policy reform tax spending deficit debt crisis energy oil gas power \
    climate storm flood drought fire weather season hospital health patients doctors vaccine \
    school students teachers university research study scientists data technology software \
    internet phone network security attack military troops border refugees migrants aid \
    support protest crowd city town village region province state country nation capital \
    residents families children community leaders party campaign candidate president mayor \
    governor spokesman statement announced said told warned expected rose fell increased \
    declined reached remained continued began ended opened closed approved rejected signed \
    launched released reported confirmed denied according despite following during against \
    between across including several many new old local national international foreign public \
    private major key senior former early late last next first second third week month year \
    day morning evening night hours percent million billion dollars euros rail road bridge \
    airport port harbour river coast island mountain valley farm crops harvest food water \
    supply demand shortage cost price café résumé naïve coöperation rôle façade déjà entrée \
    protégé fiancée";

/// People who are named, quoted and credited.
const NAMES: &[&str] = &[
    "Anna Müller",
    "José Núñez",
    "François Lefèvre",
    "Renée Côté",
    "Zoë Brontë",
    "Søren Berg",
    "Łukasz Wójcik",
    "Ana Gómez",
    "John Smith",
    "Mary O'Brien",
    "Li Wei",
    "Ahmed Hassan",
    "Fatima Diallo",
    "Kenji Sato",
    "Olga Ivanova",
    "Pedro Álvarez",
];

/// Places stories happen in.
const PLACES: &[&str] = &[
    "Zürich",
    "São Paulo",
    "Montréal",
    "Kraków",
    "Reykjavík",
    "Bogotá",
    "Málaga",
    "Genève",
    "London",
    "Chicago",
    "Lagos",
    "Osaka",
    "Düsseldorf",
    "Besançon",
    "Nairobi",
    "Córdoba",
];

/// Month names for date lines.
const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Sections of the breadcrumb headers.
const SECTIONS: &[&str] = &["World", "Business", "Politics", "Science", "Local", "Sport"];

/// Composed accented letters and their NFD spelling, for sources that decompose.
const DECOMPOSED: &[(char, &str)] = &[
    ('é', "e\u{301}"),
    ('è', "e\u{300}"),
    ('ü', "u\u{308}"),
    ('ö', "o\u{308}"),
    ('ç', "c\u{327}"),
    ('ñ', "n\u{303}"),
    ('á', "a\u{301}"),
    ('ó', "o\u{301}"),
    ('í', "i\u{301}"),
    ('ã', "a\u{303}"),
];

/// Named HTML entities for sources that escape with names.
const NAMED_ENTITIES: &[(char, &str)] = &[
    ('é', "&eacute;"),
    ('è', "&egrave;"),
    ('ü', "&uuml;"),
    ('ö', "&ouml;"),
    ('ç', "&ccedil;"),
    ('ñ', "&ntilde;"),
    ('á', "&aacute;"),
    ('ó', "&oacute;"),
    ('í', "&iacute;"),
    ('ã', "&atilde;"),
];

/// How a source writes quotes, apostrophes, dashes and non-ASCII letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Typography {
    /// ASCII quotes and `--`, UTF-8 letters.
    Plain,
    /// Curly quotes, em dashes, UTF-8 letters.
    Curly,
    /// Named entities (`&rsquo;`, `&eacute;`, `&amp;`).
    Named,
    /// Numeric entities (`&#8217;`, `&#233;`).
    Numeric,
}

/// One site: its typography and its chrome.
#[derive(Debug, Clone)]
struct Source {
    /// Directory name in the end-to-end corpus.
    slug: String,
    /// Quotes, dashes and letters.
    typography: Typography,
    /// Some spaces are non-breaking.
    nbsp: bool,
    /// Accented letters are written decomposed (NFD).
    decomposed: bool,
    /// Paragraphs are hard-wrapped at this width.
    wrap: Option<usize>,
    /// Lines end in `\r\n`.
    crlf: bool,
    /// Lines above every article.
    header: Vec<String>,
    /// Lines below every article.
    footer: Vec<String>,
}

/// A story before any source typesets it.
#[derive(Debug, Clone)]
struct Story {
    /// Its headline.
    headline: String,
    /// Who wrote it.
    author: &'static str,
    /// Paragraphs of clean text (ASCII quotes, `--` dashes).
    paragraphs: Vec<String>,
}

/// Deterministic generator of words, sentences, stories and sources.
struct Gen {
    /// The random stream.
    rng: ChaCha8Rng,
    /// Function words.
    function: Vec<&'static str>,
    /// The content vocabulary.
    lexicon: &'static Lexicon,
    /// Words of the story being written, which recur through it.
    topic: Vec<&'static str>,
}

/// Pseudo-words added to [`CONTENT_WORDS`], so that unrelated stories share about as few
/// shingles as real ones do.
const PSEUDO_WORDS: usize = 20_000;
/// Zipf–Mandelbrot offset of content-word ranks: flattens the head, so that no content word is
/// as frequent as "the".
const ZIPF_OFFSET: usize = 20;

/// Content words ranked by frequency, with the cumulative Zipf weights to draw them by.
struct Lexicon {
    /// Real words and pseudo-words, shuffled, most frequent first.
    words: Vec<&'static str>,
    /// `cumulative[i]` is the sum of the weights `1/(r + ZIPF_OFFSET)` of ranks `r ≤ i`.
    cumulative: Vec<f64>,
}

/// The content vocabulary: [`CONTENT_WORDS`] and [`PSEUDO_WORDS`] syllable-built words, made
/// once from [`SEED`].
fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        const ONSETS: &[&str] = &[
            "b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "br",
            "cr", "st", "tr", "pl", "gr", "sh", "ch", "th",
        ];
        const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "ai", "ea", "ou", "io", "é"];
        const CODAS: &[&str] = &["", "", "", "", "n", "r", "s", "l", "t", "nd", "st", "m"];
        let mut rng = ChaCha8Rng::seed_from_u64(SEED ^ 0x001e_81c0);
        let mut words: Vec<&'static str> = CONTENT_WORDS.split_whitespace().collect();
        for _ in 0..PSEUDO_WORDS {
            let mut w = String::new();
            for _ in 0..[1, 2, 2, 2, 3][rng.gen_range(0..5)] {
                w.push_str(ONSETS.choose(&mut rng).expect("onsets"));
                w.push_str(VOWELS.choose(&mut rng).expect("vowels"));
                w.push_str(CODAS.choose(&mut rng).expect("codas"));
            }
            words.push(Box::leak(w.into_boxed_str()));
        }
        // Real and made-up words share the frequent ranks.
        words.shuffle(&mut rng);
        let mut total = 0.0;
        let cumulative = (0..words.len())
            .map(|r| {
                total += 1.0 / (r + ZIPF_OFFSET) as f64;
                total
            })
            .collect();
        Lexicon { words, cumulative }
    })
}

impl Gen {
    /// A generator seeded from [`SEED`] and `stream`, so that groups do not share draws.
    fn new(stream: u64) -> Self {
        Gen {
            rng: ChaCha8Rng::seed_from_u64(SEED ^ stream.wrapping_mul(0x9e37_79b9_7f4a_7c15)),
            function: FUNCTION_WORDS.split_whitespace().collect(),
            lexicon: lexicon(),
            topic: Vec::new(),
        }
    }

    /// One of `items`.
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        *items.choose(&mut self.rng).expect("non-empty list")
    }

    /// A word: a function word a third of the time, a word of the story's topic one in ten,
    /// else a content word drawn by Zipf's law.
    fn word(&mut self) -> &'static str {
        let roll: f64 = self.rng.gen();
        if roll < 0.33 {
            self.function[self.rng.gen_range(0..self.function.len())]
        } else if roll < 0.43 && !self.topic.is_empty() {
            self.topic[self.rng.gen_range(0..self.topic.len())]
        } else {
            let lex = self.lexicon;
            let total = lex.cumulative.last().copied().unwrap_or(0.0);
            let x = self.rng.gen_range(0.0..total);
            let rank = lex.cumulative.partition_point(|&c| c < x);
            lex.words[rank.min(lex.words.len() - 1)]
        }
    }

    /// A figure as news prints them: counts, percentages, amounts, times.
    fn figure(&mut self) -> String {
        let n: u32 = self.rng.gen_range(2..999);
        match self.rng.gen_range(0..5) {
            0 => n.to_string(),
            1 => format!("{n}.{}%", self.rng.gen_range(0..10)),
            2 => format!("${n} million"),
            3 => format!("{n},{:03}", self.rng.gen_range(0..1000)),
            _ => format!("{}:{:02} p.m.", n % 12 + 1, self.rng.gen_range(0..60)),
        }
    }

    /// A sentence of 8–22 words with the odd figure, name, place, possessive, dash or quote.
    fn sentence(&mut self) -> String {
        let len = self.rng.gen_range(8..=22);
        let mut words: Vec<String> = Vec::with_capacity(len + 4);
        for i in 0..len {
            let roll: f64 = self.rng.gen();
            let w = if roll < 0.06 {
                self.figure()
            } else if roll < 0.10 {
                self.pick(PLACES).to_string()
            } else if roll < 0.12 {
                self.pick(NAMES).to_string()
            } else if roll < 0.15 {
                format!("{}'s", self.word())
            } else if roll < 0.17 && i > 2 && i + 2 < len {
                "--".to_string()
            } else {
                self.word().to_string()
            };
            words.push(w);
        }
        let mut s = words.join(" ");
        if let Some(first) = s.get(..1) {
            let upper = first.to_ascii_uppercase();
            s.replace_range(..1, &upper);
        }
        if self.rng.gen_bool(0.15) {
            format!("\"{s},\" said {}.", self.pick(NAMES))
        } else if self.rng.gen_bool(0.03) {
            format!("{s}...")
        } else {
            s.push('.');
            s
        }
    }

    /// A story of 400–800 words in paragraphs of one to four sentences.
    fn story(&mut self) -> Story {
        let lex = self.lexicon;
        self.topic = (0..12)
            .map(|_| lex.words[self.rng.gen_range(0..lex.words.len())])
            .collect();
        let target = self.rng.gen_range(400..=800);
        let mut paragraphs = Vec::new();
        let mut words = 0;
        while words < target {
            let n = self.rng.gen_range(1..=4);
            let para: Vec<String> = (0..n).map(|_| self.sentence()).collect();
            let para = para.join(" ");
            words += para.split_whitespace().count();
            paragraphs.push(para);
        }
        let mut headline = self.story_headline();
        write!(headline, " in {}", self.pick(PLACES)).expect("write to String");
        self.topic.clear();
        Story {
            headline,
            author: self.pick(NAMES),
            paragraphs,
        }
    }

    /// A reprint of `story`: some words swapped, sometimes the last paragraphs cut, sometimes a
    /// new headline.
    fn reprint(&mut self, story: &Story) -> Story {
        let mut out = story.clone();
        if self.rng.gen_bool(0.4) && out.paragraphs.len() > 3 {
            let keep = self
                .rng
                .gen_range(out.paragraphs.len() / 2..out.paragraphs.len());
            out.paragraphs.truncate(keep);
        }
        let swap = self.rng.gen_range(0.0..0.05);
        for para in &mut out.paragraphs {
            let words: Vec<String> = para
                .split(' ')
                .map(|w| {
                    if self.rng.gen_bool(swap) {
                        self.word().to_string()
                    } else {
                        w.to_string()
                    }
                })
                .collect();
            *para = words.join(" ");
        }
        if self.rng.gen_bool(0.5) {
            out.headline = self.story_headline();
        }
        out
    }

    /// A headline on its own (for related-story widgets and rewritten reprints).
    fn story_headline(&mut self) -> String {
        let mut h = (0..self.rng.gen_range(5..10))
            .map(|_| self.word())
            .collect::<Vec<_>>()
            .join(" ");
        h.replace_range(..1, &h[..1].to_ascii_uppercase());
        h
    }

    /// Source `i` of [`SOURCES`]: typography and chrome vary by source.
    fn source(&mut self, i: usize) -> Source {
        let name = format!(
            "The {} {}",
            ["Riverside", "Northern", "Coastal", "Valley", "Metro"][i % 5],
            ["Courier", "Herald", "Gazette", "Tribune"][i / 5 % 4]
        );
        let typography = [
            Typography::Plain,
            Typography::Curly,
            Typography::Named,
            Typography::Numeric,
        ][i % 4];
        let mut footer = vec![
            format!("Subscribe to the {name} newsletter for the day's top stories."),
            format!("(c) 2024 {name} Media Group. All rights reserved."),
            "Follow us on Facebook, Twitter and Instagram".to_string(),
            "Terms & Conditions | Privacy Policy | Contact us".to_string(),
        ];
        if i.is_multiple_of(3) {
            footer.push("Related stories:".to_string());
            for _ in 0..3 {
                let h = self.story_headline();
                footer.push(format!("- {h}"));
            }
        }
        Source {
            slug: format!("source-{i:02}"),
            typography,
            nbsp: i % 2 == 1,
            decomposed: i % 7 == 3,
            wrap: (i % 5 == 2).then_some(72),
            crlf: i % 6 == 5,
            header: vec![
                format!("Home > {} > {name}", self.pick(SECTIONS)),
                "Share on Facebook Twitter WhatsApp Email".to_string(),
            ],
            footer,
        }
    }

    /// `story` as `source` publishes it.
    fn render(&mut self, story: &Story, source: &Source) -> String {
        let mut lines: Vec<String> = source.header.clone();
        lines.push(story.headline.clone());
        lines.push(format!("By {}", story.author));
        lines.push(format!(
            "{} {}, 2024",
            self.pick(MONTHS),
            self.rng.gen_range(1..=28)
        ));
        lines.push(String::new());
        for para in &story.paragraphs {
            match source.wrap {
                Some(width) => lines.push(wrap(para, width)),
                None => lines.push(para.clone()),
            }
            lines.push(String::new());
        }
        lines.extend(source.footer.iter().cloned());
        let eol = if source.crlf { "\r\n" } else { "\n" };
        let clean = lines.join("\n");
        let text = self.typeset(&clean, source);
        if source.crlf {
            text.replace('\n', eol)
        } else {
            text
        }
    }

    /// Applies the source's typography to clean text.
    fn typeset(&mut self, clean: &str, source: &Source) -> String {
        let mut out = String::with_capacity(clean.len() + clean.len() / 8);
        let mut open = true;
        let mut chars = clean.chars().peekable();
        let t = source.typography;
        while let Some(c) = chars.next() {
            match c {
                '\'' => out.push_str(match t {
                    Typography::Plain => "'",
                    Typography::Curly => "\u{2019}",
                    Typography::Named => "&rsquo;",
                    Typography::Numeric => "&#8217;",
                }),
                '"' => {
                    out.push_str(match (t, open) {
                        (Typography::Plain, _) => "\"",
                        (Typography::Curly, true) => "\u{201c}",
                        (Typography::Curly, false) => "\u{201d}",
                        (Typography::Named, true) => "&ldquo;",
                        (Typography::Named, false) => "&rdquo;",
                        (Typography::Numeric, true) => "&#8220;",
                        (Typography::Numeric, false) => "&#8221;",
                    });
                    open = !open;
                }
                '-' if chars.peek() == Some(&'-') => {
                    chars.next();
                    out.push_str(match t {
                        Typography::Plain => "--",
                        Typography::Curly => "\u{2014}",
                        Typography::Named => "&mdash;",
                        Typography::Numeric => "&#8212;",
                    });
                }
                '.' if t == Typography::Curly && clean_has_ellipsis(&mut chars) => {
                    out.push('\u{2026}');
                }
                '(' if chars.peek() == Some(&'c') && t != Typography::Plain => {
                    chars.next();
                    chars.next();
                    out.push_str(match t {
                        Typography::Named => "&copy;",
                        Typography::Numeric => "&#169;",
                        _ => "\u{a9}",
                    });
                }
                ' ' if source.nbsp && self.rng.gen_bool(0.04) => {
                    out.push_str(match t {
                        Typography::Named | Typography::Numeric => "&nbsp;",
                        _ => "\u{a0}",
                    });
                }
                '&' if matches!(t, Typography::Named | Typography::Numeric) => {
                    out.push_str("&amp;");
                }
                c if !c.is_ascii() && t == Typography::Named => {
                    match NAMED_ENTITIES.iter().find(|(k, _)| *k == c) {
                        Some((_, e)) => out.push_str(e),
                        None => write!(out, "&#{};", c as u32).expect("write to String"),
                    }
                }
                c if !c.is_ascii() && t == Typography::Numeric => {
                    write!(out, "&#{};", c as u32).expect("write to String");
                }
                c if !c.is_ascii() && source.decomposed => {
                    match DECOMPOSED.iter().find(|(k, _)| *k == c) {
                        Some((_, d)) => out.push_str(d),
                        None => out.push(c),
                    }
                }
                c => out.push(c),
            }
        }
        out
    }
}

/// After one '.', whether two more follow (consuming them if so): an ASCII ellipsis.
fn clean_has_ellipsis(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> bool {
    let mut ahead = chars.clone();
    if ahead.next() == Some('.') && ahead.next() == Some('.') {
        chars.next();
        chars.next();
        true
    } else {
        false
    }
}

/// Hard-wraps a paragraph at `width` characters, as some scraped sources are.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / width);
    let mut col = 0;
    for w in text.split(' ') {
        let len = w.chars().count();
        if col > 0 && col + 1 + len > width {
            out.push('\n');
            col = 0;
        } else if col > 0 {
            out.push(' ');
            col += 1;
        }
        out.push_str(w);
        col += len;
    }
    out
}

/// A generated corpus: raw articles with their source, about [`REPRINT_SHARE`] of them reprints.
struct Corpus {
    /// (source index, raw article text).
    articles: Vec<(usize, String)>,
    /// The sources.
    sources: Vec<Source>,
}

/// Generates `n` articles from [`SOURCES`] sources on random stream `stream`.
fn corpus(n: usize, stream: u64) -> Corpus {
    let mut g = Gen::new(stream);
    let sources: Vec<Source> = (0..SOURCES).map(|i| g.source(i)).collect();
    let mut stories: Vec<Story> = Vec::new();
    let mut articles = Vec::with_capacity(n);
    for _ in 0..n {
        let story = if !stories.is_empty() && g.rng.gen_bool(REPRINT_SHARE) {
            let original = stories[g.rng.gen_range(0..stories.len())].clone();
            g.reprint(&original)
        } else {
            let s = g.story();
            stories.push(s.clone());
            s
        };
        let src = g.rng.gen_range(0..SOURCES);
        let text = g.render(&story, &sources[src]);
        articles.push((src, text));
    }
    Corpus { articles, sources }
}

/// The shared corpus of [`ARTICLES`] articles, raw and normalized, built once.
struct Fixture {
    /// The raw corpus.
    corpus: Corpus,
    /// `normalize` of each raw article.
    normalized: Vec<String>,
}

/// The shared fixture, generated on first use.
fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let corpus = corpus(ARTICLES, 1);
        let normalized: Vec<String> = corpus
            .articles
            .iter()
            .map(|(_, t)| normalize::normalize(t))
            .collect();
        Fixture { corpus, normalized }
    })
}

/// Total length in bytes of some texts.
fn bytes<S: AsRef<str>>(texts: &[S]) -> u64 {
    texts.iter().map(|t| t.as_ref().len() as u64).sum()
}

/// The rule the pipeline verifies with by default.
const RULE: Rule = Rule {
    threshold: DEFAULT_THRESHOLD,
    containment: DEFAULT_CONTAINMENT,
    max_hamming_bits: reprint::simhash::DEFAULT_MAX_DISTANCE_BITS,
};

/// Synthetic fingerprints: [`REPRINT_SHARE`] of them are noisy copies of an earlier original.
struct Synthetic {
    /// One fingerprint a document.
    fps: Vec<Fingerprint>,
    /// Their signatures, as `lsh::candidates` takes them.
    signatures: Vec<Vec<u32>>,
    /// Members of each group of copies (original first), groups of one included.
    groups: Vec<Vec<u32>>,
}

/// Generates `n` fingerprints of `num_perm` permutations.
fn synthetic(n: usize, num_perm: usize, stream: u64) -> Synthetic {
    let mut rng = ChaCha8Rng::seed_from_u64(SEED ^ stream);
    let mut fps: Vec<Fingerprint> = Vec::with_capacity(n);
    let mut groups: Vec<Vec<u32>> = Vec::new();
    for i in 0..n as u32 {
        let fp = if !groups.is_empty() && rng.gen_bool(REPRINT_SHARE) {
            let g = rng.gen_range(0..groups.len());
            let base = &fps[groups[g][0] as usize];
            // Each permutation disagrees with probability 1 − J.
            let disagree = rng.gen_range(0.02..0.7);
            let signature = base
                .signature
                .iter()
                .map(|&v| if rng.gen_bool(disagree) { rng.gen() } else { v })
                .collect();
            let shingles = ((base.shingles as f64) * rng.gen_range(0.4..1.1)).max(1.0) as u32;
            let mut numbers: Vec<u64> = base
                .numbers
                .iter()
                .map(|&h| if rng.gen_bool(0.1) { rng.gen() } else { h })
                .collect();
            numbers.sort_unstable();
            numbers.dedup();
            groups[g].push(i);
            Fingerprint {
                quoted_lanes: 0,
                signature,
                simhash: None,
                shingles,
                length: shingles + rng.gen_range(0..16),
                numbers: numbers.into(),
            }
        } else {
            let shingles: u32 = rng.gen_range(1500..6000);
            let mut numbers: Vec<u64> = (0..rng.gen_range(0..=FIGURE_SKETCH_MAX))
                .map(|_| rng.gen())
                .collect();
            numbers.sort_unstable();
            numbers.dedup();
            groups.push(vec![i]);
            Fingerprint {
                quoted_lanes: 0,
                signature: (0..num_perm).map(|_| rng.gen()).collect(),
                simhash: None,
                shingles,
                length: shingles + rng.gen_range(0..16),
                numbers: numbers.into(),
            }
        };
        fps.push(fp);
    }
    let signatures = fps.iter().map(|f| f.signature.to_vec()).collect();
    Synthetic {
        fps,
        signatures,
        groups,
    }
}

/// Settings of a group whose iterations take tens of milliseconds or more: ten flat samples.
fn heavy<M: criterion::measurement::Measurement>(group: &mut BenchmarkGroup<'_, M>, secs: u64) {
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(secs));
}

/// `normalize` over the raw corpus, and `for_each_token` over its output.
fn bench_normalize(c: &mut Criterion) {
    let fx = fixture();
    let raw: Vec<&str> = fx.corpus.articles.iter().map(|(_, t)| t.as_str()).collect();
    let mut group = c.benchmark_group("normalize");
    heavy(&mut group, 5);
    group.throughput(Throughput::Bytes(bytes(&raw)));
    group.bench_function(BenchmarkId::new("normalize", "1000 articles"), |b| {
        b.iter(|| {
            for t in &raw {
                black_box(normalize::normalize(black_box(t)));
            }
        })
    });
    group.throughput(Throughput::Bytes(bytes(&fx.normalized)));
    group.bench_function(BenchmarkId::new("for_each_token", "1000 articles"), |b| {
        b.iter(|| {
            let mut n = 0usize;
            for t in &fx.normalized {
                normalize::for_each_token(black_box(t), |tok| n += tok.len());
            }
            black_box(n)
        })
    });
    group.finish();
}

/// `Shingler::shingles` with the default `char:7` and with `word:5`.
fn bench_shingle(c: &mut Criterion) {
    let fx = fixture();
    let texts = &fx.normalized;
    let mut group = c.benchmark_group("shingle");
    heavy(&mut group, 5);
    group.throughput(Throughput::Bytes(bytes(texts)));
    for spec in [ShingleSpec::Chars(7), ShingleSpec::Words(5)] {
        group.bench_function(BenchmarkId::new(spec.to_string(), "1000 articles"), |b| {
            let mut shingler = Shingler::default();
            let mut set = Vec::new();
            b.iter(|| {
                let mut total = 0usize;
                for t in texts {
                    shingler.shingles(black_box(t), spec, DEFAULT_SEED, &mut set);
                    total += set.len();
                }
                black_box(total)
            })
        });
    }
    group.finish();
}

/// The frequent-shingle stage over the `char:7` shingle sets of the 1000 articles: counting
/// every one of them (a run counts one in 16) and leaving the frequent ones out; compare with
/// `shingle/char:7`, which it follows.
fn bench_frequent(c: &mut Criterion) {
    let fx = fixture();
    let mut shingler = Shingler::default();
    let sets: Vec<Vec<u64>> = fx
        .normalized
        .iter()
        .map(|t| {
            let mut set = Vec::new();
            shingler.shingles(t, ShingleSpec::Chars(7), DEFAULT_SEED, &mut set);
            set
        })
        .collect();
    let shingles: usize = sets.iter().map(Vec::len).sum();
    let counter = reprint::frequent::Counter::new();
    for s in &sets {
        counter.add(s);
    }
    // Every one of the 1000 counted, so the floor of the sample does not hide the set.
    let set = counter.finish(0.05);
    let mut group = c.benchmark_group("frequent");
    heavy(&mut group, 5);
    group.throughput(Throughput::Elements(shingles as u64));
    group.bench_function(BenchmarkId::new("count", "1000 articles"), |b| {
        b.iter(|| {
            let counter = reprint::frequent::Counter::new();
            for s in &sets {
                counter.add(black_box(s));
            }
            black_box(counter.documents())
        })
    });
    group.bench_function(
        BenchmarkId::new(format!("retain ({} buckets)", set.len()), "1000 articles"),
        |b| {
            let (mut work, mut scratch) = (Vec::new(), Vec::new());
            b.iter(|| {
                let mut kept = 0usize;
                for s in &sets {
                    work.clear();
                    work.extend_from_slice(s);
                    set.retain_informative(black_box(&mut work), &mut scratch);
                    kept += work.len();
                }
                black_box(kept)
            })
        },
    );
    group.finish();
}

/// The translation fingerprint: language identification and anchor extraction (`anchor`) over
/// the 1000 articles, raw text for capitals and normalized text for anchors; compare with
/// `shingle/char:7`, the main fingerprint's largest step.
fn bench_translation(c: &mut Criterion) {
    let fx = fixture();
    let mut group = c.benchmark_group("translation");
    heavy(&mut group, 5);
    group.throughput(Throughput::Bytes(bytes(&fx.normalized)));
    group.bench_function(BenchmarkId::new("lang::detect", "1000 articles"), |b| {
        b.iter(|| {
            for t in &fx.normalized {
                black_box(reprint::lang::detect(black_box(t)));
            }
        })
    });
    group.bench_function(BenchmarkId::new("anchor::sketch", "1000 articles"), |b| {
        let mut extractor = reprint::anchor::Extractor::default();
        b.iter(|| {
            let mut total = 0usize;
            for ((_, raw), t) in fx.corpus.articles.iter().zip(&fx.normalized) {
                let lang = reprint::lang::detect(t);
                total += extractor.sketch(raw, t, lang, DEFAULT_SEED).anchors.len();
            }
            black_box(total)
        })
    });
    group.finish();
}

/// `MinHasher::signature` over the `char:7` shingle sets of 100 articles, 128 and 256 bins
/// (one-permutation hashing); throughput counts shingles.
fn bench_minhash(c: &mut Criterion) {
    let fx = fixture();
    let sets: Vec<Vec<u64>> = fx.normalized[..100]
        .iter()
        .map(|t| reprint::shingle::shingle_set(t, ShingleSpec::Chars(7), DEFAULT_SEED))
        .collect();
    let shingles: u64 = sets.iter().map(|s| s.len() as u64).sum();
    let mut group = c.benchmark_group("minhash");
    heavy(&mut group, 5);
    group.throughput(Throughput::Elements(shingles));
    for num_perm in [DEFAULT_NUM_PERM, 256] {
        let hasher = MinHasher::new(num_perm, DEFAULT_SEED);
        let input = format!("100 sets, {} shingles avg", shingles / 100);
        group.bench_function(BenchmarkId::new(format!("perm{num_perm}"), input), |b| {
            b.iter(|| {
                for s in &sets {
                    black_box(hasher.signature(black_box(s)));
                }
            })
        });
    }
    group.finish();
}

/// `boilerplate::line_infos` over the normalized corpus, and `detect` over the result.
fn bench_boilerplate(c: &mut Criterion) {
    let fx = fixture();
    let texts = &fx.normalized;
    let infos: Vec<Vec<LineInfo>> = texts.iter().map(|t| boilerplate::line_infos(t)).collect();
    let view: Vec<(&str, &[LineInfo])> = fx
        .corpus
        .articles
        .iter()
        .zip(&infos)
        .map(|((src, _), lines)| (fx.corpus.sources[*src].slug.as_str(), lines.as_slice()))
        .collect();
    let lines: u64 = infos.iter().map(|l| l.len() as u64).sum();
    let (keep, stats) = boilerplate::detect(&view);
    let dropped = keep.iter().flatten().filter(|k| !**k).count();
    eprintln!("boilerplate fixture: {lines} lines, {dropped} dropped, {stats:?}");

    let mut group = c.benchmark_group("boilerplate");
    heavy(&mut group, 5);
    group.throughput(Throughput::Bytes(bytes(texts)));
    group.bench_function(BenchmarkId::new("line_infos", "1000 docs"), |b| {
        b.iter(|| {
            for t in texts {
                black_box(boilerplate::line_infos(black_box(t)));
            }
        })
    });
    group.throughput(Throughput::Elements(lines));
    group.bench_function(
        BenchmarkId::new("detect", format!("1000 docs, 20 sources, {lines} lines")),
        |b| b.iter(|| black_box(boilerplate::detect(black_box(&view)))),
    );
    group.finish();
}

/// `lsh::optimal_banding` for the near and containment thresholds, and `lsh::candidates` over
/// [`SIGNATURES`] signatures with both bandings.
fn bench_lsh(c: &mut Criterion) {
    let syn = synthetic(SIGNATURES, DEFAULT_NUM_PERM, 2);
    let active = vec![true; SIGNATURES];
    let contained_t = containment_search_threshold(DEFAULT_CONTAINMENT);
    let mut group = c.benchmark_group("lsh");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    for (t, p) in [
        (DEFAULT_THRESHOLD, DEFAULT_NUM_PERM),
        (contained_t, DEFAULT_NUM_PERM),
        (DEFAULT_THRESHOLD, 256),
    ] {
        group.throughput(Throughput::Elements(1));
        group.bench_with_input(
            BenchmarkId::new("optimal_banding", format!("t={t:.3} perm={p}")),
            &(t, p),
            |b, &(t, p)| b.iter(|| lsh::optimal_banding(black_box(t), black_box(p))),
        );
    }
    group.throughput(Throughput::Elements(SIGNATURES as u64));
    for (name, t) in [("near", DEFAULT_THRESHOLD), ("contained", contained_t)] {
        let banding = lsh::optimal_banding(t, DEFAULT_NUM_PERM);
        let pairs = lsh::candidates(&syn.signatures, &active, banding, DEFAULT_SEED).len();
        let input = format!(
            "10k sigs, 30% dup, {}x{}, {pairs} pairs",
            banding.bands, banding.rows
        );
        group.bench_function(BenchmarkId::new(format!("candidates/{name}"), input), |b| {
            b.iter(|| lsh::candidates(black_box(&syn.signatures), &active, banding, DEFAULT_SEED))
        });
    }
    // What `dedup` runs: both indexes searched at once, every candidate verified by the rule
    // (the lane-byte bound first, then the signatures) as its band emits it.
    let indexes = [
        (
            lsh::optimal_banding(DEFAULT_THRESHOLD, DEFAULT_NUM_PERM),
            DEFAULT_SEED,
        ),
        (
            lsh::optimal_banding(contained_t, DEFAULT_NUM_PERM),
            DEFAULT_SEED ^ 1,
        ),
    ];
    let min_agreeing = cluster::min_agreeing_lanes(RULE, DEFAULT_NUM_PERM);
    let keep = |a: u32, b: u32, at_most: usize| {
        cluster::matches_within(&syn.fps[a as usize], &syn.fps[b as usize], RULE, at_most)
    };
    let (kept, proposed) =
        lsh::verified_candidates(&syn.signatures, &active, 0, &indexes, min_agreeing, &keep);
    let input = format!(
        "10k sigs, 30% dup, {proposed} candidates, {} kept",
        kept.len()
    );
    group.bench_function(BenchmarkId::new("verified_candidates", input), |b| {
        b.iter(|| {
            lsh::verified_candidates(
                black_box(&syn.signatures),
                &active,
                0,
                &indexes,
                min_agreeing,
                &keep,
            )
        })
    });
    group.finish();
}

/// `cluster::measure` + `cluster::verify` on [`PAIRS`] pairs (30% within groups of copies), and
/// `cluster::cluster` over [`SIGNATURES`] fingerprints with every verified in-group edge.
fn bench_cluster(c: &mut Criterion) {
    let syn = synthetic(SIGNATURES, DEFAULT_NUM_PERM, 3);
    let mut rng = ChaCha8Rng::seed_from_u64(SEED ^ 4);
    let multi: Vec<&Vec<u32>> = syn.groups.iter().filter(|g| g.len() > 1).collect();
    let pairs: Vec<(u32, u32)> = (0..PAIRS)
        .map(|_| {
            let (a, b) = if rng.gen_bool(REPRINT_SHARE) {
                let g = multi[rng.gen_range(0..multi.len())];
                let mut two = g.choose_multiple(&mut rng, 2).copied();
                (two.next().expect("two"), two.next().expect("two"))
            } else {
                let a = rng.gen_range(0..SIGNATURES as u32);
                let b = (a + rng.gen_range(1..SIGNATURES as u32)) % SIGNATURES as u32;
                (a, b)
            };
            (a.min(b), a.max(b))
        })
        .collect();
    let fps = &syn.fps;
    let verified = |&(a, b): &(u32, u32)| {
        cluster::verify(cluster::measure(&fps[a as usize], &fps[b as usize]), RULE).is_some()
    };
    let mut edges: Vec<(u32, u32)> = Vec::new();
    for g in &multi {
        for (x, &a) in g.iter().enumerate() {
            for &b in &g[x + 1..] {
                edges.push((a.min(b), a.max(b)));
            }
        }
    }
    edges.retain(verified);
    edges.sort_unstable();
    edges.dedup();
    let hits = pairs.iter().filter(|p| verified(p)).count();
    let clusters = cluster::cluster(fps, &edges, RULE).len();

    let mut group = c.benchmark_group("cluster");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    group.throughput(Throughput::Elements(PAIRS as u64));
    group.bench_function(
        BenchmarkId::new("measure+verify", format!("100k pairs, {hits} verified")),
        |b| {
            b.iter(|| {
                black_box(&pairs)
                    .iter()
                    .filter(|&&(a, b)| {
                        cluster::verify(cluster::measure(&fps[a as usize], &fps[b as usize]), RULE)
                            .is_some()
                    })
                    .count()
            })
        },
    );
    group.throughput(Throughput::Elements(SIGNATURES as u64));
    group.bench_function(
        BenchmarkId::new(
            "cluster",
            format!("10k fps, {} edges, {clusters} clusters", edges.len()),
        ),
        |b| b.iter(|| cluster::cluster(black_box(fps), black_box(&edges), RULE)),
    );
    group.finish();
}

/// Writes `corpus` under `dir` as `source-NN/NNNNN.txt`, so that the directory names the source.
fn write_corpus(corpus: &Corpus, dir: &Path) -> u64 {
    let mut total = 0;
    for (i, (src, text)) in corpus.articles.iter().enumerate() {
        let sub = dir.join(&corpus.sources[*src].slug);
        std::fs::create_dir_all(&sub).expect("create source directory");
        std::fs::write(sub.join(format!("{i:05}.txt")), text).expect("write article");
        total += text.len() as u64;
    }
    total
}

/// `reprint::dedup` end to end on [`DEDUP_ARTICLES`] text files in a temporary directory, with
/// default settings, one thread per core.
fn bench_dedup(c: &mut Criterion) {
    let corpus = corpus(DEDUP_ARTICLES, 5);
    let dir = tempfile::tempdir().expect("temporary directory");
    let total = write_corpus(&corpus, dir.path());
    let mut config = Config::new(vec![dir.path().to_path_buf()]);
    config.threads = 0;
    let report = reprint::dedup(&config, &NoProgress).expect("dedup runs");
    eprintln!(
        "dedup fixture: {} documents, {} clusters, {} duplicates, {} candidate pairs, \
         {} verified, {} skipped",
        report.stats.documents,
        report.stats.clusters,
        report.stats.duplicates,
        report.stats.candidate_pairs,
        report.stats.verified_pairs,
        report.stats.skipped
    );

    let mut group = c.benchmark_group("dedup");
    heavy(&mut group, 20);
    group.throughput(Throughput::Bytes(total));
    group.bench_function(
        BenchmarkId::new(
            "end_to_end",
            format!("{DEDUP_ARTICLES} files, {:.1} MB", total as f64 / 1e6),
        ),
        |b| b.iter(|| reprint::dedup(black_box(&config), &NoProgress).expect("dedup runs")),
    );
    group.finish();
}

/// Documents each source contributes to the shared corpus, as a sanity line before the groups.
fn report_fixture(_c: &mut Criterion) {
    let fx = fixture();
    let mut per_source: HashMap<usize, usize> = HashMap::new();
    for (src, _) in &fx.corpus.articles {
        *per_source.entry(*src).or_default() += 1;
    }
    let words: usize = fx
        .normalized
        .iter()
        .map(|t| t.split_whitespace().count())
        .sum();
    eprintln!(
        "fixture: {} articles from {} sources, {:.1} MB raw, {:.1} MB normalized, {} words avg",
        fx.corpus.articles.len(),
        per_source.len(),
        bytes(
            &fx.corpus
                .articles
                .iter()
                .map(|(_, t)| t.as_str())
                .collect::<Vec<_>>()
        ) as f64
            / 1e6,
        bytes(&fx.normalized) as f64 / 1e6,
        words / fx.normalized.len()
    );
    // Unrelated stories share function-word shingles; this is the background LSH sees.
    let sets: Vec<Vec<u64>> = fx.normalized[..200]
        .iter()
        .map(|t| reprint::shingle::shingle_set(t, ShingleSpec::Chars(7), DEFAULT_SEED))
        .collect();
    let mut js: Vec<f64> = Vec::new();
    for i in 0..sets.len() {
        for j in i + 1..sets.len() {
            js.push(exact_jaccard(&sets[i], &sets[j]));
        }
    }
    js.sort_by(f64::total_cmp);
    eprintln!(
        "fixture: exact char:7 Jaccard over {} pairs of 200 articles: median {:.3}, p99 {:.3}",
        js.len(),
        js[js.len() / 2],
        js[js.len() * 99 / 100]
    );
}

/// Exact Jaccard similarity of two sorted, deduplicated sets.
fn exact_jaccard(a: &[u64], b: &[u64]) -> f64 {
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    shared as f64 / (a.len() + b.len() - shared).max(1) as f64
}

/// `SimHasher::fingerprint` over the `char:7` shingle sets of 100 articles (throughput counts
/// shingles), and `lsh::hamming_candidates` over [`SIGNATURES`] fingerprints, 30% of them
/// copies of an earlier one with up to 2k bits flipped, at distance 4 and at the default.
fn bench_simhash(c: &mut Criterion) {
    use reprint::simhash::{SimHasher, DEFAULT_MAX_DISTANCE_BITS};
    let fx = fixture();
    let sets: Vec<Vec<u64>> = fx.normalized[..100]
        .iter()
        .map(|t| reprint::shingle::shingle_set(t, ShingleSpec::Chars(7), DEFAULT_SEED))
        .collect();
    let shingles: u64 = sets.iter().map(|s| s.len() as u64).sum();
    let hasher = SimHasher::new(DEFAULT_SEED);
    let mut group = c.benchmark_group("simhash");
    heavy(&mut group, 5);
    group.throughput(Throughput::Elements(shingles));
    group.bench_function(
        BenchmarkId::new(
            "fingerprint",
            format!("100 sets, {} shingles avg", shingles / 100),
        ),
        |b| {
            b.iter(|| {
                for s in &sets {
                    black_box(hasher.fingerprint(black_box(s)));
                }
            })
        },
    );
    let active = vec![true; SIGNATURES];
    group.throughput(Throughput::Elements(SIGNATURES as u64));
    for k in [4, DEFAULT_MAX_DISTANCE_BITS] {
        let mut rng = ChaCha8Rng::seed_from_u64(SEED ^ 0x51);
        let mut fps: Vec<u64> = Vec::with_capacity(SIGNATURES);
        for i in 0..SIGNATURES {
            let fp = if i > 0 && rng.gen_bool(REPRINT_SHARE) {
                let mut f = fps[rng.gen_range(0..i)];
                for _ in 0..rng.gen_range(0..=2 * k) {
                    f ^= 1u64 << rng.gen_range(0..64);
                }
                f
            } else {
                rng.gen()
            };
            fps.push(fp);
        }
        let layout = lsh::hamming_layout(k, SIGNATURES);
        let pairs = lsh::hamming_candidates(&fps, &active, layout).len();
        let input = format!(
            "10k fps, 30% near, {} blocks, {} tables, {pairs} pairs",
            layout.blocks, layout.tables
        );
        group.bench_function(BenchmarkId::new(format!("tables/k{k}"), input), |b| {
            b.iter(|| lsh::hamming_candidates(black_box(&fps), &active, layout))
        });
    }
    group.finish();
}

criterion_group! {
    name = stages;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    targets = report_fixture, bench_normalize, bench_shingle, bench_frequent, bench_translation, bench_minhash, bench_boilerplate,
        bench_lsh, bench_cluster, bench_dedup, bench_simhash
}
criterion_main!(stages);
