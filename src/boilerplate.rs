//! Boilerplate: decides which normalized lines of each document are site chrome (banners,
//! share bars, bylines, footers, "related" widgets) and are left out of its fingerprint.
//! Two kinds of evidence: known shapes of chrome, for sites seen too rarely to learn from, and
//! lines that recur across the corpus far more often than the story they sit in.

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use rayon::prelude::*;

use xxhash_rust::xxh3::xxh3_64;

/// What the boilerplate stage needs to know about one normalized line, in one word: every line
/// of the corpus has one of these while boilerplate is learned, which makes them the largest
/// structure of the first pass (4.5 million at 100,000 articles).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineInfo(u64);

/// Bits of [`LineInfo`]: 48 of the line's hash (a collision among the lines of a corpus of 10
/// million articles is a one-in-a-thousand event, and would only merge two lines' counts), then
/// 14 of its word count (saturating), then the sentence flag, then the chrome flag.
const LINE_HASH_BITS: u32 = 48;
const LINE_WORDS_MAX: u32 = (1 << 14) - 1;
const SENTENCE_BIT: u32 = 62;

impl LineInfo {
    /// A sentence of the line before it ([`counted_pieces`]), with this text hash and word
    /// count: counted like a line, decided after its line.
    pub fn sentence(hash: u64, words: u32) -> LineInfo {
        LineInfo(LineInfo::new(hash, words, false).0 | 1 << SENTENCE_BIT)
    }

    /// Whether it is a sentence of the line before it rather than a line.
    pub fn is_sentence(self) -> bool {
        self.0 >> SENTENCE_BIT & 1 == 1
    }

    /// A line with this text hash, word count (saturating at 16,383) and chrome flag.
    pub fn new(hash: u64, words: u32, chrome: bool) -> LineInfo {
        LineInfo(
            (hash & ((1 << LINE_HASH_BITS) - 1))
                | u64::from(words.min(LINE_WORDS_MAX)) << LINE_HASH_BITS
                | u64::from(chrome) << 63,
        )
    }

    /// Hash of the line's text (48 bits).
    pub fn hash(self) -> u64 {
        self.0 & ((1 << LINE_HASH_BITS) - 1)
    }

    /// Its number of words, as [`crate::normalize::word_count`] counts them.
    pub fn words(self) -> u32 {
        (self.0 >> LINE_HASH_BITS) as u32 & LINE_WORDS_MAX
    }

    /// It has a known shape of site chrome.
    pub fn chrome(self) -> bool {
        self.0 >> 63 == 1
    }
}

/// Lines of at most this many words may be recognised as chrome by their shape; longer lines are
/// prose even when they mention "newsletter" or "read more".
const CHROME_MAX_WORDS: u32 = 14;

/// A line of more words than this (one of the last [`SENTENCE_TAIL_LINES`] of its document) is
/// also counted sentence by sentence: a footer too long for the shape rules, whose sentences a
/// platform's sites share while each site's own sentences make every line unique.
const SENTENCE_LINE_MIN_WORDS: u32 = 50;
/// A sentence goes when it is in at least this many documents of the corpus ([`decide`])...
const SENTENCE_MIN_DOCS: usize = 10;
/// ... and in more than this many times as many documents as its story.
const SENTENCE_RATIO: usize = 4;
/// Only the last this many lines of more than [`SENTENCE_LINE_MIN_WORDS`] words of a document
/// are split: a footer closes its page, and splitting every paragraph of plain prose (half its
/// lines are that long) cost a fifth of the run and a third of its memory.
const SENTENCE_TAIL_LINES: usize = 2;
/// A sentence of fewer words stays with its line, counted with it only: short sentences ("he
/// said.") recur across unrelated stories without being anyone's template.
const SENTENCE_MIN_WORDS: u32 = 8;

/// The sentences of a split line ([`tail_lines`]) that are counted on their own, with their
/// words: those of at least [`SENTENCE_MIN_WORDS`] words, when the line has two sentences or
/// more ([`pieces_with_words`]).
fn counted_pieces(line: &str) -> Vec<(&str, u32)> {
    let pieces = pieces_with_words(line);
    if pieces.len() < 2 {
        return Vec::new();
    }
    pieces
        .into_iter()
        .filter(|p| p.1 >= SENTENCE_MIN_WORDS)
        .collect()
}

/// The sentences of a line with their words, however few. A sentence ends at `.`, `!` or `?`
/// (and a closing quote or bracket after it) followed by a space; normalized text has no case
/// to tell an abbreviation by, and every copy of a line splits alike. The ends are found by
/// `memchr3`: most bytes of a line are no full stop.
fn pieces_with_words(line: &str) -> Vec<(&str, u32)> {
    let bytes = line.as_bytes();
    let mut pieces = Vec::new();
    let mut start = 0;
    for at in memchr::memchr3_iter(b'.', b'!', b'?', bytes) {
        if at < start {
            continue;
        }
        let mut end = at + 1;
        while end < bytes.len() && matches!(bytes[end], b'"' | b')' | b']') {
            end += 1;
        }
        if end < bytes.len() && bytes[end] == b' ' {
            pieces.push(&line[start..end]);
            start = end + 1;
        }
    }
    if start < line.len() {
        pieces.push(&line[start..]);
    }
    pieces
        .into_iter()
        .map(|p| (p, crate::normalize::word_count(p) as u32))
        .collect()
}

/// Social networks: a short line naming two of them is a share bar in any language.
const SOCIAL: &[&str] = &[
    "facebook",
    "twitter",
    "x",
    "whatsapp",
    "linkedin",
    "telegram",
    "email",
    "e-mail",
    "reddit",
    "pinterest",
    "vk",
    "viber",
    "messenger",
    "bluesky",
    "threads",
    "mastodon",
    "print",
];

fn is_share_bar(line: &str) -> bool {
    line.split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| SOCIAL.contains(w))
        .count()
        >= 2
}

/// Words and phrases that mark a short line as chrome, in the languages reprint meets most.
/// Matched against the normalized (case-folded) line.
const CHROME_PHRASES: &[&str] = &[
    // share bars, follow prompts
    "share on",
    "share this",
    "partager",
    "partagez",
    "teilen",
    "compartir",
    "condividi",
    "sdílet",
    "megosztás",
    "поделиться",
    "follow us",
    "suivez-nous",
    "folgen sie uns",
    "síguenos",
    "seguici",
    "sledujte nás",
    "kövess",
    "подписывайтесь",
    // read more, source links
    "read more",
    "continue reading",
    "lire la suite",
    "lire aussi",
    "à lire aussi",
    "weiterlesen",
    "mehr zum thema",
    "leer más",
    "lee también",
    "te puede interesar",
    "leggi anche",
    "leggi tutto",
    "continua a leggere",
    "čtěte také",
    "celý článek",
    "tovább",
    "olvasson tovább",
    "читайте также",
    "читать далее",
    "подробнее",
    "source link",
    "lien source",
    "source :",
    "source:",
    "quelle:",
    "fuente:",
    "fonte:",
    "zdroj:",
    "forrás:",
    "источник:",
    "original article",
    "article original",
    // related widgets
    "related:",
    "related stories",
    "related articles",
    "you may also like",
    "sur le même sujet",
    "dans la même rubrique",
    "das könnte sie auch interessieren",
    "noticias relacionadas",
    "articoli correlati",
    "související",
    "kapcsolódó",
    "по теме",
    // rights, newsletters, cookies, ads
    "all rights reserved",
    "tous droits réservés",
    "alle rechte vorbehalten",
    "todos los derechos reservados",
    "tutti i diritti riservati",
    "všechna práva vyhrazena",
    "minden jog fenntartva",
    "все права защищены",
    "©",
    "(c) 20",
    "copyright",
    "newsletter",
    "subscribe",
    "abonnez-vous",
    "abonnieren",
    "suscríbete",
    "iscriviti",
    "přihlaste se k odběru",
    "feliratkoz",
    "подпишитесь",
    "cookie",
    "advertisement",
    "publicité",
    "anzeige",
    "publicidad",
    "pubblicità",
    "reklama",
    "hirdetés",
    "реклама",
    "sponsored",
    "sponsorisé",
    // Portuguese, Dutch, Polish, Swedish, Romanian, Turkish, Ukrainian: the same kinds, for
    // the long tail of sites seen once
    "compartilhe",
    "leia mais",
    "leia também",
    "todos os direitos reservados",
    "publicidade",
    "deel dit",
    "lees meer",
    "lees ook",
    "alle rechten voorbehouden",
    "advertentie",
    "udostępnij",
    "czytaj więcej",
    "czytaj także",
    "wszelkie prawa zastrzeżone",
    "dela artikeln",
    "läs mer",
    "läs också",
    "alla rättigheter förbehållna",
    "annons",
    "citește și",
    "citește mai mult",
    "toate drepturile rezervate",
    "paylaş",
    "devamını oku",
    "ilginizi çekebilir",
    "tüm hakları saklıdır",
    "reklam",
    "поділитися",
    "читайте також",
    "усі права захищені",
];

/// Lines that open a widget listing other stories: the short lines right after it belong to it.
const WIDGET_OPENERS: &[&str] = &[
    "related",
    "related stories",
    "related articles",
    "read also",
    "see also",
    "more news",
    "more stories",
    "lire aussi",
    "à lire aussi",
    "sur le même sujet",
    "voir aussi",
    "mehr zum thema",
    "lesen sie auch",
    "noticias relacionadas",
    "lee también",
    "leggi anche",
    "articoli correlati",
    "čtěte také",
    "související články",
    "kapcsolódó",
    "читайте также",
    "по теме",
    "trending",
    "most read",
    "les plus lus",
    "meistgelesen",
];

/// Month names (folded, without accents where they have them) that mark date lines.
const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
    "januar",
    "februar",
    "märz",
    "juni",
    "juli",
    "oktober",
    "dezember",
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
    "gennaio",
    "febbraio",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "settembre",
    "ottobre",
    "dicembre",
    "ledna",
    "února",
    "března",
    "dubna",
    "května",
    "června",
    "července",
    "srpna",
    "září",
    "října",
    "listopadu",
    "prosince",
    "január",
    "február",
    "március",
    "április",
    "május",
    "június",
    "július",
    "augusztus",
    "szeptember",
    "október",
    "január",
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];

/// One automaton over [`CHROME_PHRASES`]: a line is searched once for all of them instead of
/// once a phrase (over a hundred substring searches for every short line of every document).
fn chrome_phrases() -> &'static aho_corasick::AhoCorasick {
    static AUTOMATON: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    // A full DFA: a few kilobytes for these phrases, and the fastest search of short lines.
    AUTOMATON.get_or_init(|| dfa(CHROME_PHRASES))
}

/// Longer lines than [`CHROME_MAX_WORDS`] may still be a site's notice (below) up to this many
/// words; a paragraph longer than a cookie banner or a newsletter pitch is prose.
const NOTICE_MAX_WORDS: u32 = 70;

/// Cookie and consent words: a notice about cookies names them, or the reader's consent and
/// privacy ("this site stores small files … you can withdraw your consent").
const COOKIE_WORDS: &[&str] = &[
    "cookie",
    "süti",
    "куки",
    "ciasteczk",
    "consent",
    "privacy",
    "consentement",
    "confidentialité",
    "personal data",
    "your device",
    "données personnelles",
    "votre appareil",
    "personenbezogene daten",
    "ihrem gerät",
    "datos personales",
    "su dispositivo",
    "dati personali",
    "tuo dispositivo",
    "osobní údaj",
    "személyes adat",
    "персональн",
    "einwilligung",
    "datenschutz",
    "consentimiento",
    "privacidad",
    "consenso",
    "souhlas",
    "soukromí",
    "adatvédel",
    "согласи",
    "конфиденциальн",
];

/// The site speaking to its reader about cookies, consent or its newsletter: with a cookie
/// word, a cookie banner; with a newsletter word, a sign-up pitch. A news paragraph *about*
/// cookies or newsletters reports them ("regulators said websites must ask before…"), it does
/// not say "we use" or "by continuing you agree".
const NOTICE_VOICE: &[&str] = &[
    // English
    "we use cookies",
    "we and our partners",
    "this site uses",
    "this website uses",
    "this website stores",
    "this site stores",
    "by continuing",
    "by clicking",
    "you agree",
    "you consent",
    "continue to use this site",
    "our use of cookies",
    "you can withdraw",
    "we value your privacy",
    "your privacy matters",
    "we process",
    "manage options",
    "your preferences",
    "your right to object",
    "like what you are reading",
    "like what you're reading",
    "enjoying this article",
    "join thousands of readers",
    "sign up for our",
    "subscribe to our",
    "to your inbox",
    "in your inbox",
    "straight to your inbox",
    // French
    "nous utilisons des cookies",
    "ce site utilise",
    "ce site enregistre",
    "en poursuivant",
    "en cliquant",
    "vous acceptez",
    "nos partenaires",
    "inscrivez-vous",
    "abonnez-vous",
    "dans votre boîte",
    "nous traitons vos données",
    // German
    "wir verwenden cookies",
    "wir nutzen cookies",
    "diese website verwendet",
    "diese website speichert",
    "diese seite verwendet",
    "stimmen sie",
    "sie stimmen",
    "durch klicken",
    "wenn sie diese website",
    "melden sie sich",
    "in ihr postfach",
    "wir verarbeiten ihre",
    // Spanish
    "utilizamos cookies",
    "usamos cookies",
    "este sitio web",
    "si continúas",
    "si continúa",
    "al continuar",
    "aceptas",
    "al hacer clic",
    "suscríbete",
    "en tu bandeja",
    "tratamos tus datos",
    "tratamos sus datos",
    // Italian
    "utilizziamo cookie",
    "utilizziamo i cookie",
    "usiamo i cookie",
    "questo sito",
    "proseguendo",
    "accetti",
    "cliccando",
    "iscriviti",
    "trattiamo i tuoi dati",
    "trattiamo i dati",
    // Czech, Hungarian, Russian, Portuguese, Dutch, Polish
    "tento web používá",
    "tato stránka",
    "souhlasíte",
    "zpracováváme vaše",
    "sütiket használ",
    "elfogadja",
    "hozzájárul",
    "adatait kezeljük",
    "мы используем",
    "этот сайт",
    "соглашаетесь",
    "мы обрабатываем",
    "подпишитесь",
    "utilizamos cookies",
    "este site utiliza",
    "ao continuar",
    "concorda",
    "wij gebruiken",
    "deze website gebruikt",
    "akkoord",
    "używamy",
    "ta strona",
    "zgadzasz się",
    // asking for support
    "our journalism",
    "our reporting",
    "independent journalism",
    "support us",
    "support our",
    "if you value",
    "please consider",
    "notre journalisme",
    "soutenez",
    "unterstützen sie",
    "unseren journalismus",
    "nuestro periodismo",
    "apóyanos",
    "il nostro giornalismo",
    "sostienici",
    "podpořte",
    "támogass",
    "поддержите",
];

/// Donation words: with the site's voice, a pitch for support.
const DONATION_WORDS: &[&str] = &[
    "donation",
    "donate",
    "supporter",
    "faire un don",
    "spende",
    "donación",
    "donativo",
    "donazione",
    "příspěv",
    "adomány",
    "пожертвован",
];

/// Newsletter words: with the site's voice, a sign-up pitch.
const NEWSLETTER_WORDS: &[&str] = &[
    "newsletter",
    "bulletin",
    "inbox",
    "digest",
    "infolettre",
    "lettre d'information",
    "boletín",
    "postfach",
    "hírlevél",
    "рассылк",
    "zpravodaj",
];

/// A full DFA over `phrases` (fixed, short ASCII and UTF-8 literals: building cannot fail on
/// them).
fn dfa<'p>(phrases: impl IntoIterator<Item = &'p &'p str>) -> aho_corasick::AhoCorasick {
    aho_corasick::AhoCorasick::builder()
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .build(phrases)
        .expect("fixed phrases build an automaton")
}

/// The topic words of a notice (cookies and consent, newsletters, donations), searched by
/// `aho_corasick`'s packed (SIMD) searcher when the processor has one, else by a DFA.
enum Topic {
    Packed(aho_corasick::packed::Searcher),
    Automaton(aho_corasick::AhoCorasick),
}

/// Every topic word: the cookie and consent, newsletter and donation words.
fn topic_words() -> impl Iterator<Item = &'static &'static str> + Clone {
    COOKIE_WORDS
        .iter()
        .chain(NEWSLETTER_WORDS)
        .chain(DONATION_WORDS)
}

impl Topic {
    fn new() -> Topic {
        match aho_corasick::packed::Searcher::new(topic_words()) {
            Some(packed) => Topic::Packed(packed),
            None => Topic::Automaton(dfa(topic_words())),
        }
    }

    fn is_match(&self, line: &str) -> bool {
        match self {
            Topic::Packed(s) => s.find(line).is_some(),
            Topic::Automaton(a) => a.is_match(line),
        }
    }
}

/// A site's notice longer than a chrome line: a cookie banner ("we and our partners use
/// cookies … by continuing you agree"), a newsletter pitch ("… straight to your inbox: sign
/// up for our free bulletin") or a call for donations ("independent journalism costs money:
/// please consider a donation"). Such a paragraph is printed whole on every page of a site or a
/// network, above or inside the story, where the line counts of a site seen once cannot catch
/// it (DESIGN.md "boilerplate").
fn is_site_notice(line: &str, words: u32) -> bool {
    static TOPIC: std::sync::OnceLock<Topic> = std::sync::OnceLock::new();
    static VOICE: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    if words <= CHROME_MAX_WORDS || words > NOTICE_MAX_WORDS {
        return false;
    }
    // The topic first: most paragraphs name no cookie, newsletter or donation, and every
    // paragraph of every document is scanned for it, by a vectorized search where the
    // processor has one (a byte-at-a-time automaton cost 6 % of a run).
    TOPIC.get_or_init(Topic::new).is_match(line)
        && VOICE.get_or_init(|| dfa(NOTICE_VOICE)).is_match(line)
}

/// Byline openers: "by Jane Doe", "par …".
const BYLINE_OPENERS: &[&str] = &[
    "by ", "par ", "von ", "por ", "di ", "autor:", "author:", "от ",
];

fn is_date_or_byline(line: &str, words: u32) -> bool {
    if words > 10 {
        return false;
    }
    if BYLINE_OPENERS.iter().any(|p| line.starts_with(p)) && words <= 6 {
        return true;
    }
    let (digits, letters) = line.chars().fold((0, 0), |(d, l), c| {
        (
            d + usize::from(c.is_ascii_digit()),
            l + usize::from(c.is_alphabetic()),
        )
    });
    // Mostly digits and separators: "12/03/2024 14:05", "2024-03-12".
    if digits >= 4 && letters <= digits {
        return true;
    }
    // Months are looked up only on a line with a digit: most short lines have none.
    digits >= 1
        && line
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| MONTHS.contains(&w))
}

fn is_breadcrumb(line: &str, words: u32) -> bool {
    let seps = separators(line);
    seps >= 2 || (seps >= 1 && words <= 6)
}

/// Fewest separators of a site's menu longer than a chrome line ([`is_menu`]).
const MENU_MIN_SEPARATORS: usize = 4;

/// A site's menu of sections ("Home | World | Politics | … | Sign in"), however many: its
/// separators are words to the word count, so a menu of ten sections was a 19-word line, too
/// long for a chrome line and long enough to be taken for the lede of a short page, whose story
/// count it then set to its own. Its sections, not counting the separators, are no more words
/// than a chrome line has, in runs of at most three words between separators.
fn is_menu(line: &str, words: u32) -> bool {
    // Each separator stands between two sections, so a menu has at most one more separator
    // than section words: a line of more words than that is never scanned (a paragraph).
    if words <= CHROME_MAX_WORDS || words > 2 * CHROME_MAX_WORDS + 1 {
        return false;
    }
    let seps = separators(line);
    let section_words = (words as usize).saturating_sub(seps);
    seps >= MENU_MIN_SEPARATORS
        && section_words <= CHROME_MAX_WORDS as usize
        && section_words <= 3 * (seps + 1)
}

/// Separators of a breadcrumb trail.
const CRUMB_SEPARATORS: [&str; 4] = [" > ", " » ", " / ", " | "];

/// Occurrences of the [`CRUMB_SEPARATORS`] in `line`, each separator counted without overlap
/// with itself (as `str::matches` counts): one scan of the line's spaces instead of four
/// substring searches, each of which set up a searcher for every short line of every document.
fn separators(line: &str) -> usize {
    let bytes = line.as_bytes();
    // Where each separator may next start: two of its matches can only share a space.
    let mut free = [0usize; CRUMB_SEPARATORS.len()];
    let mut count = 0;
    for (i, _) in bytes.iter().enumerate().filter(|&(_, &b)| b == b' ') {
        for (sep, free) in CRUMB_SEPARATORS.iter().zip(free.iter_mut()) {
            if i >= *free && bytes[i..].starts_with(sep.as_bytes()) {
                count += 1;
                *free = i + sep.len();
            }
        }
    }
    count
}

/// Whether a line starts an item of a "related stories" widget: a list marker (the
/// normalizer's, which never joins such a line to the one before) or a normalized "» ".
fn is_bullet(line: &str) -> bool {
    crate::normalize::starts_list_marker(line) || is_quote_bullet(line)
}

/// A "» " list marker as normalization leaves it (guillemets become '"'): a line opening with a
/// lone '"' and a space whose quotes do not pair up. A paragraph opening a French quotation
/// (« Nous … ») pairs its quotes.
fn is_quote_bullet(line: &str) -> bool {
    line.starts_with("\" ") && line.bytes().filter(|&b| b == b'"').count() % 2 == 1
}

/// Whether a line ends as a sentence of prose does, which a headline does not: as the
/// normalizer's line ends are read when it rebuilds paragraphs, or with a semicolon.
fn ends_sentence(line: &str) -> bool {
    let line = line.trim_end();
    crate::normalize::ends_sentence(line) || line.ends_with(';')
}

/// A run of at least this many bulleted lines that mostly do not end a sentence is a list of
/// headlines (a widget), whatever its opener says.
const HEADLINE_RUN_MIN: usize = 3;
/// Bulleted lines longer than this are prose (key points of the story), not headlines.
const HEADLINE_MAX_WORDS: u32 = 24;

/// Describes each line of a normalized document (lines separated by `\n`), flagging chrome by
/// its shape, and the lines of a "related stories" widget: everything after a known opener (or
/// after any short line ending in ':' that a bulleted line follows) up to the next prose line
/// (over [`HEADLINE_MAX_WORDS`] words, or over [`CHROME_MAX_WORDS`] ending as a sentence: a
/// widget's headline may be long but has no full stop), and runs of bulleted headline-like
/// lines. Each of the document's last [`SENTENCE_TAIL_LINES`] long lines is followed by its
/// sentences counted on their own ([`counted_pieces`], [`LineInfo::sentence`]).
pub fn line_infos(normalized: &str) -> Vec<LineInfo> {
    let lines: Vec<&str> = crate::normalize::lines(normalized).collect();
    let words: Vec<u32> = lines
        .iter()
        .map(|l| crate::normalize::word_count(l) as u32)
        .collect();
    let bullet: Vec<bool> = lines.iter().map(|l| is_bullet(l)).collect();
    let mut widget = vec![false; lines.len()];
    let mut in_widget = false;
    for (i, line) in lines.iter().enumerate() {
        let bare = line.trim_end_matches([':', '.', ' ']);
        let next_is_bullet = bullet.get(i + 1).copied().unwrap_or(false);
        let opener = (words[i] <= 5 && WIDGET_OPENERS.contains(&bare))
            || (words[i] <= 6 && line.ends_with(':') && next_is_bullet);
        if opener {
            in_widget = true;
        } else if !bullet[i]
            && (words[i] > HEADLINE_MAX_WORDS
                || (words[i] > CHROME_MAX_WORDS && ends_sentence(line)))
        {
            // Prose ends the widget; a long headline (no full stop, at most
            // `HEADLINE_MAX_WORDS`) does not.
            in_widget = false;
        }
        widget[i] = in_widget;
    }
    // Runs of headline-like bullets, with or without an opener.
    let mut i = 0;
    while i < lines.len() {
        if !bullet[i] {
            i += 1;
            continue;
        }
        let start = i;
        while i < lines.len() && bullet[i] && words[i] <= HEADLINE_MAX_WORDS {
            i += 1;
        }
        let run = start..i.max(start + 1);
        let open_ended = lines[run.clone()]
            .iter()
            .filter(|l| !l.ends_with(['.', '!', '?', ';']))
            .count();
        if run.len() >= HEADLINE_RUN_MIN && 2 * open_ended > run.len() {
            widget[run.clone()].iter_mut().for_each(|w| *w = true);
        }
        i = run.end;
    }
    let split = tail_lines(lines.len(), |i| words[i]);
    lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let w = words[i];
            let chrome = widget[i]
                || is_site_notice(line, w)
                || (w <= CHROME_MAX_WORDS
                    && (chrome_phrases().is_match(line)
                        || is_date_or_byline(line, w)
                        || is_share_bar(line)
                        || is_breadcrumb(line, w)))
                || is_menu(line, w);
            (
                LineInfo::new(xxh3_64(line.as_bytes()), w, chrome),
                *line,
                split[i],
            )
        })
        .flat_map(|(info, line, split)| {
            // Chrome lines too, so that the mask's layout follows from the text alone
            // ([`kept_text`]); they go whole.
            let sentences = if split {
                counted_pieces(line)
            } else {
                Vec::new()
            };
            std::iter::once(info).chain(
                sentences
                    .into_iter()
                    .map(|(s, words)| LineInfo::sentence(xxh3_64(s.as_bytes()), words)),
            )
        })
        .collect()
}

/// Counts of what was left out, for the report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct BoilerplateStats {
    /// Lines dropped for their shape.
    pub chrome_lines: u64,
    /// Lines dropped because they recur within one source.
    pub source_lines: u64,
    /// Lines dropped because they recur across the corpus far more than their story.
    pub corpus_lines: u64,
    /// Documents whose every line looked like boilerplate, fingerprinted whole instead.
    pub kept_whole: u64,
}

impl std::ops::AddAssign for BoilerplateStats {
    fn add_assign(&mut self, other: BoilerplateStats) {
        self.chrome_lines += other.chrome_lines;
        self.source_lines += other.source_lines;
        self.corpus_lines += other.corpus_lines;
        self.kept_whole += other.kept_whole;
    }
}

/// The corpus's line frequencies are counted in this many shards of the hash space (by its top
/// bits), a flat list each, as many at a time as the pool has threads: sixteen keep two
/// threads' lists to an eighth of the corpus's lines.
const CORPUS_SHARD_BITS: u32 = 4;
const CORPUS_SHARDS: u64 = 1 << CORPUS_SHARD_BITS;

/// A line recurring in this many documents of one source is that source's template.
const SOURCE_MIN_DOCS: usize = 3;
/// Short lines (banners, bylines) need only two documents of a source.
const SOURCE_SHORT_MIN_DOCS: usize = 2;
/// A document the source rule would cut below this many words keeps the lines it repeats with
/// its source: the repeated text was its story, not the site's chrome.
/// Ten words: fewer is a banner or a dateline, more is a brief under a long footer, which must
/// still lose the footer.
const SOURCE_MIN_KEPT_WORDS: u32 = 10;
/// The key, among a source's line hashes, under which its number of documents is counted, and
/// the one under which the words of their non-chrome lines are summed: a line hash has
/// [`LINE_HASH_BITS`] bits, so no line has either.
const SOURCE_DOCS_KEY: u64 = u64::MAX;
const SOURCE_WORDS_KEY: u64 = u64::MAX - 1;
/// A source of this many documents (a site seen twice) loses the long lines its two pages
/// share …
const PAIR_SOURCE_DOCS: usize = 2;
/// … unless they hold more than this share of the non-chrome words of either page: two pages
/// of one story (an update, an excerpt) share nearly all of the smaller one, two stories
/// under one site's template each keep their own.
const PAIR_LINES_MAX_SHARE: f64 = 0.8;
/// Lines of at most this many words count as short.
const SHORT_LINE_WORDS: u32 = 8;
/// A line in at least this many documents of the corpus can be corpus boilerplate …
const CORPUS_MIN_DOCS: usize = 4;
/// … when it is in more than this many times as many documents as the story it sits in.
const CORPUS_RATIO: usize = 2;
/// A line in the second half of a document is corpus boilerplate, though it is the most
/// frequent line of the lede window, when it is in more than this many times as many documents
/// as every other line of the window. The window of a brief under a long network footer or
/// consent text holds those lines too, and the most frequent line alone would set the story's
/// frequency to its own. Ten, not [`CORPUS_RATIO`]: a story's own paragraphs differ in
/// frequency (copies are cut and edited), though far less; measured on the translations dev
/// corpus (DESIGN.md, "Boilerplate").
const OUTLIER_RATIO: usize = 10;
/// Lines of at least this many words are taken as story text when estimating how often the
/// story itself was reprinted.
const LEDE_MIN_WORDS: u32 = 10;
/// At least this many of the first story lines estimate the story's reprint count, and up to the
/// first half of the document: one copy may have its lede edited or garbled by OCR while a later
/// paragraph is intact, and footers sit in the second half.
const LEDE_LINES: usize = 3;

/// How often each value occurs in `all`, for the values that occur at least twice.
fn repeated<T: Ord + Copy + std::hash::Hash + Send>(mut all: Vec<T>) -> FxHashMap<T, usize> {
    all.par_sort_unstable();
    all.chunk_by(|a, b| a == b)
        .filter(|run| run.len() >= 2)
        .map(|run| (run[0], run.len()))
        .collect()
}

/// Decides which lines each document keeps. `docs[i]` is (source, lines) of document i; the
/// result's `keep[i][j]` says whether line j of document i goes into the fingerprint.
pub fn detect(docs: &[(&str, &[LineInfo])]) -> (Vec<Vec<bool>>, BoilerplateStats) {
    // Document frequency of each line, over the corpus and within each source. Counted by
    // sorting flat lists rather than in hash maps: most lines occur once, and a map of every
    // distinct line of a large corpus is its largest structure (hundreds of MB at 100,000
    // articles). Only lines seen twice or more are kept; any other line of a document has
    // frequency 1.
    //
    // The flat lists are what the peak memory of a run is made of, so they are built one at a
    // time and sized exactly: the corpus's first, then each source's own.
    // The distinct line hashes of a document that `wanted` selects.
    let distinct_lines = |lines: &[LineInfo], wanted: &dyn Fn(u64) -> bool| {
        let mut seen: Vec<u64> = lines
            .iter()
            .map(|l| l.hash())
            .filter(|&h| wanted(h))
            .collect();
        seen.sort_unstable();
        seen.dedup();
        seen
    };
    let mut source_ids: HashMap<&str, u32> = HashMap::new();
    let mut by_source: Vec<Vec<usize>> = Vec::new();
    for (i, (source, _)) in docs.iter().enumerate() {
        if !source.is_empty() {
            let next = source_ids.len() as u32;
            let id = *source_ids.entry(source).or_insert(next);
            if id as usize == by_source.len() {
                by_source.push(Vec::new());
            }
            by_source[id as usize].push(i);
        }
    }
    // In shards of the hash space, so that a flat list is a sixteenth of the corpus's lines
    // rather than a second copy of all of them beside the line tables (as many at a time as
    // the pool has threads).
    // Keyed by line hashes, already uniform: a multiply-and-rotate hasher is enough, where the
    // default SipHash cost several lookups' worth for each line of every document.
    // A table a shard, the shards side by side: building a table is serial, and one shard
    // after another left the pool's other thread idle for most of the counting.
    let shard_of = |h: u64| (h >> (LINE_HASH_BITS - CORPUS_SHARD_BITS)) as usize;
    let corpus_df: Vec<FxHashMap<u64, usize>> = (0..CORPUS_SHARDS as usize)
        .into_par_iter()
        .map(|shard| {
            let in_shard = |h: u64| shard_of(h) == shard;
            let mut all: Vec<u64> = Vec::new();
            all.par_extend(
                docs.par_iter()
                    .flat_map_iter(|(_, lines)| distinct_lines(lines, &in_shard)),
            );
            repeated(all)
        })
        .collect();
    // Sources side by side as well as each one's documents: one source after another, the
    // pool idled at the end of each (a source is a small part of a corpus, and its lists are
    // counted serially), while one source that is the whole corpus (a file whose records name
    // none) still needs its documents split.
    let per_source: Vec<Vec<((u32, u64), usize)>> = by_source
        .par_iter()
        .enumerate()
        .map(|(id, members)| {
            let total: usize = members.iter().map(|&i| docs[i].1.len()).sum();
            let mut all: Vec<u64> = Vec::with_capacity(total);
            all.par_extend(
                members
                    .par_iter()
                    .flat_map_iter(|&i| distinct_lines(docs[i].1, &|_| true)),
            );
            all.par_sort_unstable();
            all.chunk_by(|a, b| a == b)
                .filter(|run| run.len() >= 2)
                .map(|run| ((id as u32, run[0]), run.len()))
                .collect()
        })
        .collect();
    let mut source_df: FxHashMap<(u32, u64), usize> = FxHashMap::default();
    source_df.extend(per_source.into_iter().flatten());
    source_df.extend(
        by_source
            .iter()
            .enumerate()
            .filter(|(_, members)| members.len() >= 2)
            .flat_map(|(id, members)| {
                let words: usize = members.iter().map(|&i| non_chrome_words(docs[i].1)).sum();
                [
                    ((id as u32, SOURCE_DOCS_KEY), members.len()),
                    ((id as u32, SOURCE_WORDS_KEY), words),
                ]
            }),
    );
    let decided: Vec<(Vec<bool>, BoilerplateStats)> = docs
        .par_iter()
        .map(|(source, lines)| {
            let df = |h: u64| corpus_df[shard_of(h)].get(&h).copied().unwrap_or(1);
            let source_id = source_ids.get(source).copied();
            let sdf = |h: u64| match source_id {
                Some(id) => source_df.get(&(id, h)).copied().unwrap_or(1),
                None => 0,
            };
            decide(lines, &df, &sdf)
        })
        .collect();
    let mut stats = BoilerplateStats::default();
    let keep = decided
        .into_iter()
        .map(|(mask, doc)| {
            stats += doc;
            mask
        })
        .collect();
    (keep, stats)
}

/// The key of a source in [`LineCounts`]: its name hashed, or none for a document whose source
/// is unknown (such a document has no source rule).
pub fn source_key(source: &str) -> Option<u64> {
    (!source.is_empty()).then(|| xxh3_64(source.as_bytes()))
}

/// Document frequencies of lines over a corpus and within each of its sources, counted on
/// parts of the corpus ([`LineCounts::count`]) and added up ([`LineCounts::merge`]), for
/// deciding documents one at a time ([`LineCounts::decide`]) where no process holds every
/// document's lines, as [`detect`] does. Both give every document the same mask: the counts
/// are the same sums (a test holds them to it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineCounts {
    corpus: FxHashMap<u64, u32>,
    /// Keyed by ([`source_key`], line hash).
    source: FxHashMap<(u64, u64), u32>,
}

impl LineCounts {
    /// The counts of some documents, each `(source, lines)`: a line counts once a document.
    pub fn count<'a>(docs: impl IntoIterator<Item = (&'a str, &'a [LineInfo])>) -> LineCounts {
        let mut counts = LineCounts::default();
        let mut distinct: Vec<u64> = Vec::new();
        for (source, lines) in docs {
            distinct.clear();
            distinct.extend(lines.iter().map(|l| l.hash()));
            distinct.sort_unstable();
            distinct.dedup();
            let key = source_key(source);
            if let Some(key) = key {
                *counts.source.entry((key, SOURCE_DOCS_KEY)).or_default() += 1;
                let words = u32::try_from(non_chrome_words(lines)).unwrap_or(u32::MAX);
                let sum = counts.source.entry((key, SOURCE_WORDS_KEY)).or_default();
                *sum = sum.saturating_add(words);
            }
            for &h in &distinct {
                *counts.corpus.entry(h).or_default() += 1;
                if let Some(key) = key {
                    *counts.source.entry((key, h)).or_default() += 1;
                }
            }
        }
        counts
    }

    /// Counts from rows (as [`LineCounts::corpus_rows`] and [`LineCounts::source_rows`] give
    /// them, from any number of parts): rows of one key add up.
    pub fn from_rows(
        corpus: impl IntoIterator<Item = (u64, u32)>,
        source: impl IntoIterator<Item = ((u64, u64), u32)>,
    ) -> LineCounts {
        let mut counts = LineCounts::default();
        for (h, n) in corpus {
            let c = counts.corpus.entry(h).or_default();
            *c = c.saturating_add(n);
        }
        for (k, n) in source {
            let c = counts.source.entry(k).or_default();
            *c = c.saturating_add(n);
        }
        counts
    }

    /// Adds the counts of another part of the corpus.
    pub fn merge(&mut self, other: LineCounts) {
        let LineCounts { corpus, source } = other;
        *self = LineCounts::from_rows(
            std::mem::take(&mut self.corpus).into_iter().chain(corpus),
            std::mem::take(&mut self.source).into_iter().chain(source),
        );
    }

    /// Drops the lines counted in one document only: a decision reads nothing else, and they
    /// are most lines of a corpus. Only once every part is added.
    pub fn retain_repeated(&mut self) {
        self.corpus.retain(|_, n| *n >= 2);
        self.source.retain(|_, n| *n >= 2);
    }

    /// The corpus counts as `(line hash, documents)` rows, sorted.
    pub fn corpus_rows(&self) -> Vec<(u64, u32)> {
        let mut rows: Vec<(u64, u32)> = self.corpus.iter().map(|(&h, &n)| (h, n)).collect();
        rows.sort_unstable();
        rows
    }

    /// The per-source counts as `((source key, line hash), documents)` rows, sorted.
    pub fn source_rows(&self) -> Vec<((u64, u64), u32)> {
        let mut rows: Vec<((u64, u64), u32)> = self.source.iter().map(|(&k, &n)| (k, n)).collect();
        rows.sort_unstable();
        rows
    }

    /// The mask and counts of one document of `source` with these `lines` (see [`decide`]).
    pub fn decide(&self, source: &str, lines: &[LineInfo]) -> (Vec<bool>, BoilerplateStats) {
        let df = |h: u64| self.corpus.get(&h).map_or(1, |&n| n.max(1) as usize);
        let key = source_key(source);
        let sdf = |h: u64| match key {
            Some(k) => self.source.get(&(k, h)).map_or(1, |&n| n.max(1) as usize),
            None => 0,
        };
        decide(lines, &df, &sdf)
    }
}

/// Which lines of one document are kept (the mask, an entry for each of `infos`: its lines and
/// the sentences [`line_infos`] counts on their own) and why the others are not, given the
/// document frequency of a line over the corpus (`df`: 1 for a line no other document has)
/// and within the document's source (`sdf`: 1 for a line no other document of the source has,
/// 0 for every line when the document has no source). [`detect`] decides every document this
/// way from counts it makes itself; a distributed run decides from counts added up over its
/// parts ([`LineCounts`]).
pub fn decide(
    infos: &[LineInfo],
    df: &dyn Fn(u64) -> usize,
    sdf: &dyn Fn(u64) -> usize,
) -> (Vec<bool>, BoilerplateStats) {
    // Lines are decided among themselves; the sentences of a kept line after them. Most
    // documents have no sentence of their own to count, and are read in place.
    let lines: std::borrow::Cow<[LineInfo]> = if infos.iter().any(|l| l.is_sentence()) {
        infos.iter().filter(|l| !l.is_sentence()).copied().collect()
    } else {
        infos.into()
    };
    let lines: &[LineInfo] = &lines;
    let decide = |by_source: bool| {
        // Without the source rule, lines the source repeats may be the story itself.
        // The most frequent lede line, and the most frequent other one.
        let mut top: Option<(u64, usize)> = None;
        let mut runner_up: Option<usize> = None;
        for l in lines
            .iter()
            .filter(|l| {
                !l.chrome()
                    && l.words() >= LEDE_MIN_WORDS
                    && (!by_source || sdf(l.hash()) < SOURCE_MIN_DOCS)
            })
            .take(LEDE_LINES.max(lines.len() / 2))
        {
            let (h, n) = (l.hash(), df(l.hash()));
            match top {
                Some((th, tn)) if th == h || n <= tn => {
                    if th != h {
                        runner_up = runner_up.max(Some(n));
                    }
                }
                _ => {
                    runner_up = runner_up.max(top.map(|t| t.1));
                    top = Some((h, n));
                }
            }
        }
        let story_df = top.map_or(1, |t| t.1);
        // A late line far more frequent than every other lede line is a network's
        // footer or consent text that fell into a short document's lede window: it
        // must not vouch for its own story's frequency.
        let outlier = |h: u64| match (top, runner_up) {
            (Some((th, tn)), Some(other)) if th == h => tn > OUTLIER_RATIO * other,
            _ => false,
        };
        // A site seen twice: the long lines both its pages carry are its template unless they
        // are nearly all of either page.
        let pair_line = |l: &LineInfo| {
            !l.chrome() && l.words() > SHORT_LINE_WORDS && sdf(l.hash()) == PAIR_SOURCE_DOCS
        };
        let pair_template = by_source && sdf(SOURCE_DOCS_KEY) == PAIR_SOURCE_DOCS && {
            let shared: usize = lines
                .iter()
                .filter(|l| pair_line(l))
                .map(|l| l.words() as usize)
                .sum();
            let own = non_chrome_words(lines);
            let other = sdf(SOURCE_WORDS_KEY).saturating_sub(own);
            shared > 0 && (shared as f64) <= PAIR_LINES_MAX_SHARE * own.min(other) as f64
        };
        let mut mask = Vec::with_capacity(lines.len());
        let mut local = BoilerplateStats::default();
        for (pos, l) in lines.iter().enumerate() {
            let late = pos >= lines.len() / 2;
            let s = sdf(l.hash());
            let drop = if l.chrome() {
                local.chrome_lines += 1;
                true
            } else if by_source
                && (s >= SOURCE_MIN_DOCS
                    || (s >= SOURCE_SHORT_MIN_DOCS && l.words() <= SHORT_LINE_WORDS)
                    || (pair_template && pair_line(l)))
            {
                local.source_lines += 1;
                true
            } else if df(l.hash()) >= CORPUS_MIN_DOCS
                && (df(l.hash()) > CORPUS_RATIO * story_df || (late && outlier(l.hash())))
            {
                local.corpus_lines += 1;
                true
            } else {
                false
            };
            mask.push(!drop);
        }
        let kept_words: u32 = lines
            .iter()
            .zip(&mask)
            .filter(|(_, k)| **k)
            .map(|(l, _)| l.words())
            .sum();
        (mask, local, kept_words, story_df)
    };
    let (mut mask, mut local, kept_words, mut story_df) = decide(true);
    // A story a source carries three times (or a JSON Lines dump whose records name no
    // source, so the file is the source) recurs like a footer; when the source rule
    // would leave next to nothing of a document, it was the story that recurred.
    if local.source_lines > 0 && kept_words < SOURCE_MIN_KEPT_WORDS {
        (mask, local, _, story_df) = decide(false);
    }
    if mask.iter().all(|k| !k) {
        mask.iter_mut().for_each(|k| *k = true);
        local = BoilerplateStats {
            kept_whole: 1,
            ..BoilerplateStats::default()
        };
        return (with_sentences(infos, &mask, |_| false), local);
    }
    // A sentence of a kept line goes by the corpus rule, with a wider margin: a platform's
    // sentence inside a footer that each site words its own way. Not by the source rule:
    // the copies of one story in a source that names no site (a JSON Lines dump) share
    // their sentences as much as a site's pages share its footer. And not at the lines'
    // margin: copies that each edit a paragraph a little keep their sentences in common
    // while their lines, the lede among them, differ, so a sentence may be in twice as many
    // documents as the lede that counts its story.
    let mut dropped = 0;
    let full = with_sentences(infos, &mask, |l| {
        let n = df(l.hash());
        let goes = n >= SENTENCE_MIN_DOCS && n > SENTENCE_RATIO * story_df;
        dropped += u64::from(goes);
        goes
    });
    local.corpus_lines += dropped;
    (full, local)
}

/// The mask of every line and sentence of `infos` from the mask of its lines: a sentence of a
/// dropped line goes with it, a sentence of a kept line goes when `goes` says so.
fn with_sentences(
    infos: &[LineInfo],
    line_mask: &[bool],
    mut goes: impl FnMut(&LineInfo) -> bool,
) -> Vec<bool> {
    let mut lines = line_mask.iter();
    let mut line_kept = false;
    infos
        .iter()
        .map(|l| {
            if l.is_sentence() {
                line_kept && !goes(l)
            } else {
                line_kept = lines.next().copied().unwrap_or(true);
                line_kept
            }
        })
        .collect()
}

/// The words of a document's lines that are not chrome by shape.
fn non_chrome_words(lines: &[LineInfo]) -> usize {
    lines
        .iter()
        .filter(|l| !l.chrome() && !l.is_sentence())
        .map(|l| l.words() as usize)
        .sum()
}

/// The lines of `text` that `keep` marks, joined by line breaks: the text a document is
/// fingerprinted on. `keep` holds an entry for each line and, after a long line, for each of
/// its sentences that [`line_infos`] counts on its own; a kept line loses the sentences
/// `keep` drops. None when `keep` is not laid out for `text` (it has too few entries or too
/// many).
pub fn kept_text(text: &str, keep: &[bool]) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut keep = keep.iter().copied();
    let lines: Vec<&str> = crate::normalize::lines(text).collect();
    for (line, counted) in lines.iter().copied().zip(sentence_counts(&lines)) {
        let k = keep.next()?;
        let kept: Vec<bool> = keep.by_ref().take(counted).collect();
        if kept.len() < counted {
            return None;
        }
        if !k {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        if kept.iter().all(|&s| s) {
            out.push_str(line);
            continue;
        }
        // The line is split (it has counted sentences): its pieces of enough words are the
        // entries `kept` holds, in order.
        let mut kept = kept.into_iter();
        let mut first = true;
        for (piece, words) in pieces_with_words(line) {
            if words >= SENTENCE_MIN_WORDS && !kept.next().unwrap_or(true) {
                continue;
            }
            if !first {
                out.push(' ');
            }
            out.push_str(piece);
            first = false;
        }
    }
    keep.next().is_none().then_some(out)
}

/// The sentences of `line` that [`kept_text`] left out when it kept `kept` of it, in order; none
/// when `kept` is not `line` less some of its sentences.
pub fn dropped_sentences<'a>(line: &'a str, kept: &str) -> Option<Vec<&'a str>> {
    if kept.len() >= line.len() {
        return None;
    }
    let mut rest = kept;
    let mut dropped = Vec::new();
    for (piece, _) in pieces_with_words(line) {
        match rest.strip_prefix(piece) {
            Some(after) => rest = after.strip_prefix(' ').unwrap_or(after),
            None => dropped.push(piece),
        }
    }
    (rest.is_empty() && !dropped.is_empty()).then_some(dropped)
}

/// Which of a document's `n` lines are split into sentences, given each line's words: the
/// last [`SENTENCE_TAIL_LINES`] of more than [`SENTENCE_LINE_MIN_WORDS`] words.
fn tail_lines(n: usize, words: impl Fn(usize) -> u32) -> Vec<bool> {
    let mut split = vec![false; n];
    for i in (0..n)
        .rev()
        .filter(|&i| words(i) > SENTENCE_LINE_MIN_WORDS)
        .take(SENTENCE_TAIL_LINES)
    {
        split[i] = true;
    }
    split
}

/// For each of a document's lines, the entries that follow its own in [`line_infos`]: its
/// sentences counted on their own.
pub fn sentence_counts(lines: &[&str]) -> Vec<usize> {
    // A word takes a byte and a space: a line of fewer bytes than two a word cannot be long,
    // and most lines are told so without counting their words.
    let words = |i: usize| {
        let line = lines[i];
        if line.len() <= 2 * SENTENCE_LINE_MIN_WORDS as usize {
            0
        } else {
            (crate::normalize::word_count(line) as u32).min(LINE_WORDS_MAX)
        }
    };
    tail_lines(lines.len(), words)
        .into_iter()
        .zip(lines)
        .map(|(split, line)| if split { counted_pieces(line).len() } else { 0 })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// One scan counts what a `str::matches` search a separator counts.
        #[test]
        fn separators_count_as_substring_searches(
            parts in proptest::collection::vec("[a-z]{0,3}|[ >»/|]{1,4}", 0..12)
        ) {
            let line = parts.concat();
            let searched: usize = CRUMB_SEPARATORS.iter().map(|s| line.matches(s).count()).sum();
            proptest::prop_assert_eq!(separators(&line), searched);
        }
    }

    #[test]
    fn counts_of_parts_decide_as_detect_does() {
        // Sites with a banner and footer each, a network footer across sites, stories
        // reprinted across sites, a brief, documents without a source.
        let story = |s: usize, p: usize| {
            format!("story {s} paragraph {p} tells at length what happened in the town hall on that day")
        };
        let mut texts: Vec<(String, String)> = Vec::new();
        for d in 0..60usize {
            let site = ["alpha", "beta", "gamma", "", "delta"][d % 5];
            let mut lines = vec![
                format!("{site} daily news banner"),
                "home > world > europe".into(),
            ];
            let s = d % 7;
            for p in 0..(2 + d % 4) {
                lines.push(story(s, p));
            }
            if d % 3 == 0 {
                lines.push("subscribe to the network newsletter for the best stories of the week every friday".into());
            }
            lines.push(format!("copyright {site} media group all rights reserved"));
            texts.push((
                site.to_string(),
                crate::normalize::normalize(&lines.join("\n")),
            ));
        }
        let infos: Vec<Vec<LineInfo>> = texts.iter().map(|(_, t)| line_infos(t)).collect();
        let view: Vec<(&str, &[LineInfo])> = texts
            .iter()
            .zip(&infos)
            .map(|((s, _), l)| (s.as_str(), l.as_slice()))
            .collect();
        let (masks, stats) = detect(&view);
        assert!(stats.source_lines > 0 && stats.corpus_lines + stats.chrome_lines > 0);
        // Three parts, counted apart, added up in two ways.
        let parts: Vec<LineCounts> = view
            .chunks(25)
            .map(|c| LineCounts::count(c.iter().copied()))
            .collect();
        let mut merged = LineCounts::default();
        for p in parts.clone() {
            merged.merge(p);
        }
        let rows = LineCounts::from_rows(
            parts.iter().flat_map(|p| p.corpus_rows()),
            parts.iter().flat_map(|p| p.source_rows()),
        );
        assert_eq!(merged, rows);
        merged.retain_repeated();
        let mut total = BoilerplateStats::default();
        for ((source, lines), mask) in view.iter().zip(&masks) {
            let (m, s) = merged.decide(source, lines);
            assert_eq!(&m, mask);
            total += s;
        }
        assert_eq!(total, stats);
    }

    #[test]
    fn breadcrumbs_table() {
        // (line, words, breadcrumb)
        let cases = [
            ("home > world > europe", 3, true),
            ("home » world", 2, true),
            ("news / politics", 2, true),
            ("a | b | c d e f g h", 8, true),
            ("one > two and a much longer line of prose", 9, false),
            ("x > > y", 7, false),
            ("a>b / c|d", 2, true),
            ("no separators here", 3, false),
        ];
        for (line, words, expected) in cases {
            assert_eq!(is_breadcrumb(line, words), expected, "{line:?}");
        }
    }

    #[test]
    fn counted_pieces_table() {
        // (line, its sentences counted on their own)
        let cases: [(String, Vec<&str>); 5] = [
            // A short line is not split.
            ("one sentence here. and another one there.".to_string(), vec![]),
            // Sentences of eight words or more are counted; a short one stays with its line.
            (
                format!(
                    "{} he said. {}",
                    "the platform hosts local newsrooms across the region and the country alike \
                     with tools.",
                    "every site on it is run by its own editor and answers to its own readers \
                     and to nobody else at all, wherever it is based, since it began years ago \
                     in a small office above the bakery on the corner."
                ),
                vec![
                    "the platform hosts local newsrooms across the region and the country alike with tools.",
                    "every site on it is run by its own editor and answers to its own readers and to nobody else at all, wherever it is based, since it began years ago in a small office above the bakery on the corner.",
                ],
            ),
            // A closing quote or bracket stays with its sentence; a decimal point ends none.
            (
                format!(
                    "\"the rate rose to 3.5 per cent over the year in the region,\" she said (in full.) {}",
                    "the figures will be published again in the spring by the national statistics \
                     office in the capital city as every year, with the regional tables and the \
                     notes on method that the office adds."
                ),
                vec![
                    "\"the rate rose to 3.5 per cent over the year in the region,\" she said (in full.)",
                    "the figures will be published again in the spring by the national statistics office in the capital city as every year, with the regional tables and the notes on method that the office adds.",
                ],
            ),
            // One long sentence: nothing to split.
            ("word ".repeat(60), vec![]),
            (String::new(), vec![]),
        ];
        for (line, want) in cases {
            let got: Vec<&str> = counted_pieces(&line).into_iter().map(|p| p.0).collect();
            assert_eq!(got, want, "{line:?}");
            assert_eq!(
                sentence_counts(&[&line]).iter().sum::<usize>(),
                want.len(),
                "{line:?}"
            );
            // The infos: the line, then its counted sentences.
            let infos = line_infos(&line);
            assert_eq!(infos.len(), usize::from(!line.is_empty()) + want.len());
            assert!(infos.iter().skip(1).all(|l| l.is_sentence()));
        }
    }

    #[test]
    fn kept_text_drops_sentences_of_kept_lines_table() {
        let footer = format!(
            "{} {} {}",
            "the harbour gazette is written in kelby by a staff of four and printed on thursdays.",
            "the platform hosts local newsrooms across the region and the country alike with tools.",
            "contact the desk on weekdays between nine in the morning and five in the evening, \
             or write to the address on the back page of every printed copy."
        );
        let text = format!("a headline\n{footer}\nlast line");
        // The headline, the footer and its three sentences, the last line.
        assert_eq!(line_infos(&text).len(), 6);
        // (mask, kept text)
        let cases = [
            (vec![true; 6], Some(text.clone())),
            (vec![true; 7], None),
            (
                vec![true, true, true, false, true, true],
                Some(format!(
                    "a headline\n{} {}\nlast line",
                    "the harbour gazette is written in kelby by a staff of four and printed on thursdays.",
                    "contact the desk on weekdays between nine in the morning and five in the evening, \
                     or write to the address on the back page of every printed copy."
                )),
            ),
            // A dropped line takes its sentences with it.
            (
                vec![true, false, true, true, true, false],
                Some("a headline".to_string()),
            ),
            (vec![true, true], None),
        ];
        for (mask, want) in cases {
            assert_eq!(kept_text(&text, &mask), want, "{mask:?}");
        }
    }

    #[test]
    fn line_info_packs_hash_words_and_flag() {
        // (hash, words, chrome) → (hash kept, words kept)
        let cases = [
            (0u64, 0u32, false, 0u64, 0u32),
            (u64::MAX, 7, true, (1 << 48) - 1, 7),
            (
                0x1234_5678_9abc_def0,
                40_000,
                false,
                0x5678_9abc_def0,
                16_383,
            ),
            (42, 16_383, true, 42, 16_383),
        ];
        for (hash, words, chrome, want_hash, want_words) in cases {
            let l = LineInfo::new(hash, words, chrome);
            assert_eq!(
                (l.hash(), l.words(), l.chrome(), l.is_sentence()),
                (want_hash, want_words, chrome, false)
            );
            // A sentence of a line: never chrome by shape, the same hash and words.
            let s = LineInfo::sentence(hash, words);
            assert_eq!(
                (s.hash(), s.words(), s.chrome(), s.is_sentence()),
                (want_hash, want_words, false, true)
            );
        }
        assert_eq!(std::mem::size_of::<LineInfo>(), 8);
    }

    #[test]
    fn chrome_shapes_table() {
        // (normalized line, is chrome)
        let cases = [
            // A menu of more sections than a chrome line has words, its separators counted as
            // words (21); a line of prose with a few slashes in it is none.
            ("domů | zahraničí | politika | ekonomika | sport | kultura | věda | názory | video | hledat | přihlásit", true),
            ("home | world | politics | business | sport | culture | science | opinion | video | search | sign in", true),
            ("the 9/11 commission / the senate / the house and the courts all said the files would be opened in march", false),
            ("prices rose | fell | rose again and the central bank said on monday that it would wait for the figures of the spring", false),
            ("share on facebook | twitter | email", true),
            ("lien source", true),
            ("home > world > europe", true),
            ("by jane doe", true),
            ("12/03/2024 14:05", true),
            ("published 3 march 2024", true),
            ("© 2024 daily harbor. all rights reserved.", true),
            ("the minister said the talks would resume on monday after a week of strikes.", false),
            ("inflation rose to 3.1 percent in november, the statistics office said on friday in luxembourg.", false),
            ("macron", false),
            ("leia mais: greve no porto", true),
            ("czytaj także", true),
            ("© 2024 dagens nyheter. alla rättigheter förbehållna.", true),
            ("tüm hakları saklıdır", true),
            ("de minister zei maandag dat de gesprekken met de vakbonden na een week van stakingen worden hervat.", false),
            // Long site notices: cookie banners, newsletter pitches, calls for donations.
            ("we use cookies to make this site work and to measure how it is used. by continuing to browse, you agree to our use of cookies as set out in our policy.", true),
            ("nous utilisons des cookies pour le bon fonctionnement du site et la mesure d'audience. en poursuivant votre navigation, vous acceptez leur utilisation.", true),
            ("wir verwenden cookies, um unsere website für sie optimal zu gestalten. wenn sie diese website weiter nutzen, stimmen sie der verwendung von cookies zu.", true),
            ("the best of our local reporting, every friday: sign up for our weekly newsletter and we will send the week's stories to your inbox.", true),
            ("good journalism takes time and money. if you value our reporting, please consider a monthly donation so that we can keep it free for everyone.", true),
            ("this site stores small files on your device so that pages load faster. you can withdraw your consent at any time in the privacy settings.", true),
            // Consent banners about personal data or the reader's device, without "cookie";
            // a newsletter pitch that only says what the reader gets.
            ("your privacy matters to us. we process personal data such as your ip address and browsing behaviour to show you relevant content.", true),
            ("to keep this service free, partners may read and store information on your device. choose manage options at any time to change your preferences.", true),
            ("nous traitons vos données personnelles pour mesurer l'audience et personnaliser les contenus ; vous pouvez vous y opposer à tout moment.", true),
            ("\"tratamos de proteger la privacidad de los pacientes en cada consulta\", dijo el director del hospital, que pidió paciencia a las familias.", false),
            ("like what you are reading? join thousands of readers who start their day with our daily digest, sent free every morning at seven.", true),
            // News about cookies or donations is not a notice: nobody speaks to the reader.
            ("the hospital said the surgeon had operated without the written consent of the patient, and the privacy of other patients had also been breached.", false),
            ("the data protection authority fined the publisher after finding that its website placed advertising cookies before visitors had agreed, and ordered it to change its consent banner.", false),
            ("the charity said donations to its flood appeal had passed two million pounds, and thanked the supporters who had organised sponsored walks and cake sales.", false),
            ("the regulator said the bank had shared the personal data of two million customers with an advertising firm without asking them, and fined it four million euros.", false),
            ("\"we rely on donations from supermarkets and families, and this winter they have fallen by a third,\" the manager of the food bank said on tuesday.", false),
        ];
        for (line, want) in cases {
            let got = line_infos(line)[0].chrome();
            assert_eq!(got, want, "{line:?}");
        }
        // A paragraph longer than any notice is prose, whatever it says.
        let long = format!(
            "{} we use cookies, and by continuing you agree.",
            "the council met on tuesday. ".repeat(14)
        );
        assert!(crate::normalize::word_count(&long) > NOTICE_MAX_WORDS as usize);
        assert!(!line_infos(&long)[0].chrome());
    }

    #[test]
    fn notice_topics_are_found_alike_with_or_without_the_packed_searcher() {
        let automaton = Topic::Automaton(dfa(topic_words()));
        let lines = [
            ("we store cookies on your device", true),
            ("sign up for the hírlevél today", true),
            ("please consider a donation", true),
            ("пожертвования принимаются", true),
            ("the council met on tuesday", false),
            ("", false),
        ];
        for (line, want) in lines {
            assert_eq!(automaton.is_match(line), want, "{line:?}");
            assert_eq!(Topic::new().is_match(line), want, "{line:?}");
        }
    }

    #[test]
    fn widget_lines_follow_their_opener() {
        let text = "story paragraph one is long enough to be prose and not a widget at all here\nrelated stories\nfirst other headline\nsecond other headline\nanother long paragraph of the story that continues the text after the widget has ended for good.";
        let flags: Vec<bool> = line_infos(text).iter().map(|l| l.chrome()).collect();
        assert_eq!(flags, vec![false, true, true, true, false]);
        // A widget's headline of 15-24 words has no full stop: it does not end the widget (it
        // once did, and its names joined the story it named across languages).
        let text = "related stories:\nfirst other headline\n7 lessons of the interview with the late steve jobs that was shown this week in a theatre\nshort last headline\nthe story goes on with a long paragraph that ends the way a sentence of prose ends.";
        let flags: Vec<bool> = line_infos(text).iter().map(|l| l.chrome()).collect();
        assert_eq!(flags, vec![true, true, true, true, false]);
    }

    #[test]
    fn unknown_opener_with_bullets_is_a_widget() {
        let text = "the story ends here with a long sentence that is clearly prose and not chrome at all.\nmehr aus dem netz:\n- erste andere schlagzeile\n- zweite andere schlagzeile";
        let flags: Vec<bool> = line_infos(text).iter().map(|l| l.chrome()).collect();
        assert_eq!(flags, vec![false, true, true, true]);
    }

    #[test]
    fn headline_bullet_runs_are_chrome_key_points_are_not() {
        let headlines = "- one headline here\n- another headline\n- a third headline";
        assert!(line_infos(headlines).iter().all(|l| l.chrome()));
        let points =
            "- the bank raised rates.\n- inflation fell to three percent.\n- growth slowed.";
        assert!(line_infos(points).iter().all(|l| !l.chrome()));
    }

    fn info(text: &str) -> Vec<LineInfo> {
        line_infos(text)
    }

    /// [`detect`] over `texts`, each from a source of its own (`site0`, `site1`, …).
    fn detect_one_a_source<T: AsRef<str>>(texts: &[T]) -> (Vec<Vec<bool>>, BoilerplateStats) {
        let infos: Vec<Vec<LineInfo>> = texts.iter().map(|t| info(t.as_ref())).collect();
        let sources: Vec<String> = (0..texts.len()).map(|i| format!("site{i}")).collect();
        let docs: Vec<(&str, &[LineInfo])> = infos
            .iter()
            .zip(&sources)
            .map(|(l, s)| (s.as_str(), l.as_slice()))
            .collect();
        detect(&docs)
    }

    #[test]
    fn source_footer_is_dropped_story_kept() {
        let footer = "the harbor gazette is an independent newspaper founded in eighteen ninety with readers in every port";
        let docs_text: Vec<String> = (0..4)
            .map(|i| format!("story number {i} tells of a different event in a different town with many words\n{footer}"))
            .collect();
        let infos: Vec<Vec<LineInfo>> = docs_text.iter().map(|t| info(t)).collect();
        let docs: Vec<(&str, &[LineInfo])> =
            infos.iter().map(|l| ("gazette", l.as_slice())).collect();
        let (keep, stats) = detect(&docs);
        for mask in &keep {
            assert_eq!(mask, &vec![true, false]);
        }
        assert_eq!(stats.source_lines, 4);
    }

    #[test]
    fn site_seen_twice_table() {
        let footer = "the kelby clarion is written by volunteers in the upper valley and paid for by its readers since 1998";
        let para = |story: &str, p: usize| {
            format!("{story} paragraph {p} tells at length what the parish council decided about it this week")
        };
        let page = |story: &str, paras: std::ops::Range<usize>, extra: &str| {
            let mut lines: Vec<String> = paras.map(|p| para(story, p)).collect();
            if !extra.is_empty() {
                lines.push(extra.to_string());
            }
            lines.push(footer.to_string());
            lines.join("\n")
        };
        let brief = "the library opens on sundays from next month after a petition";
        let update = "update: the council met again on friday evening and confirmed the decision";
        // (what, the two pages, their masks)
        type Row = (&'static str, [String; 2], [Vec<bool>; 2]);
        let rows: Vec<Row> = vec![
            (
                "two stories: the footer is the site's",
                [page("reservoir", 0..4, ""), page("bridge", 0..3, "")],
                [
                    vec![true, true, true, true, false],
                    vec![true, true, true, false],
                ],
            ),
            (
                "a brief and a story: the footer is most of the brief, not of the story",
                [page("reservoir", 0..4, ""), format!("{brief}\n{footer}")],
                [vec![true, true, true, true, false], vec![true, false]],
            ),
            (
                "a story and its update share nearly all of the first",
                [page("reservoir", 0..4, ""), page("reservoir", 0..4, update)],
                [vec![true; 5], vec![true; 6]],
            ),
            (
                "a story and an excerpt of it",
                [page("reservoir", 0..6, ""), page("reservoir", 0..1, "")],
                [vec![true; 7], vec![true; 2]],
            ),
        ];
        for (what, pages, masks) in rows {
            let infos = pages.map(|p| info(&p));
            let docs: Vec<(&str, &[LineInfo])> =
                infos.iter().map(|l| ("clarion", l.as_slice())).collect();
            let (keep, _) = detect(&docs);
            assert_eq!(keep, masks.to_vec(), "{what}");
            // Counted on parts, as a distributed run does, the same.
            let mut counts = LineCounts::count(docs[..1].iter().copied());
            counts.merge(LineCounts::count(docs[1..].iter().copied()));
            counts.retain_repeated();
            let decided: Vec<Vec<bool>> = infos
                .iter()
                .map(|l| counts.decide("clarion", l).0)
                .collect();
            assert_eq!(decided, keep, "{what}: counted on parts");
        }
    }

    #[test]
    fn regression_guillemet_bullets_of_a_related_widget_are_chrome() {
        // "Lesen Sie auch:" and "» headline" lines, as normalization leaves them.
        let widget = "lesen sie auch:\n\" vélemény - a barrick gold orwelli szónoklata\n\
                      \" das spiel bei der champions league hat madrid und barça seit beginn \
                      476,4 millionen eingebracht.\n\" \"frío e inhumano\": breivik ante el tribunal";
        assert!(line_infos(widget).iter().all(|l| l.chrome()));
        // A paragraph that opens a quotation pairs its quotes: prose.
        let quote = "il a déclaré :\n\" nous allons continuer à travailler avec nos partenaires \
                     européens sur ce dossier difficile et important \"";
        assert!(!line_infos(quote)[1].chrome());
    }

    #[test]
    fn regression_network_footer_in_a_brief_does_not_vouch_for_itself() {
        // Forty briefs of different stories under one network's footer line: in a brief, the
        // footer falls in the lede window and, as its most frequent line, set the story's
        // frequency to its own; it is dropped, the briefs' own lines kept. (The footer says
        // nothing to its reader: a newsletter pitch is now a notice by its shape.)
        let footer = "the meridian media group network publishes the most important news of the \
                      day every morning in print and online for readers across the region";
        let texts: Vec<String> = (0..40)
            .map(|i| {
                format!(
                    "brief number {i} reports a different event in a different town today\n\
                     short\nline\n{footer}"
                )
            })
            .collect();
        let (keep, stats) = detect_one_a_source(&texts);
        for mask in &keep {
            assert_eq!(mask, &vec![true, true, true, false]);
        }
        assert_eq!(stats.corpus_lines, 40);
    }

    #[test]
    fn wire_story_reprinted_everywhere_is_not_boilerplate() {
        let para =
            "the central bank raised its main rate by half a point on thursday to fight inflation";
        let (keep, _) = detect_one_a_source(&[para; 10]);
        assert!(keep.iter().all(|m| m == &vec![true]));
    }

    #[test]
    fn regression_story_three_times_in_one_source_is_not_its_footer() {
        // A JSON Lines dump without source fields: the file is the source, and a story it
        // holds three times recurs like a footer. It was dropped, leaving only the banners.
        let story = "the port strike entered its second week on monday as talks between the unions and the operators stalled again\nofficials said container traffic had fallen by half and warned of shortages in the shops before the holidays";
        let texts = [
            format!("alpha\n{story}"),
            format!("beta\n{story}"),
            format!("gamma\n{story}"),
            "an unrelated brief about the weather in the mountains with snow expected overnight"
                .to_string(),
        ];
        let infos: Vec<Vec<LineInfo>> = texts.iter().map(|t| info(t)).collect();
        let docs: Vec<(&str, &[LineInfo])> =
            infos.iter().map(|l| ("dump.jsonl", l.as_slice())).collect();
        let (keep, _) = detect(&docs);
        for mask in &keep[..3] {
            assert_eq!(mask, &vec![true, true, true]);
        }
    }

    #[test]
    fn chinese_site_chrome_is_learned_and_its_stories_kept() {
        // Without spaces a Chinese paragraph was one "word": never a lede, always short, so a
        // wire story reprinted by four sites went as corpus boilerplate (and every page was
        // kept whole, banner and share line included).
        let story = "国务院新闻办公室周二举行发布会介绍今年前三季度经济运行情况有关负责人表示主要指标总体平稳\n专家认为消费和投资继续恢复但外部环境依然复杂需要进一步扩大内需稳定就业和物价水平";
        let texts: Vec<String> = (0..4)
            .flat_map(|site| {
                let story = story.to_string();
                (0..3).map(move |i| {
                    let body = if i == 0 {
                        story.clone()
                    } else {
                        format!(
                            "本站第{site}号新闻第{i}条报道的内容在这里与其他站点完全不同并且足够长"
                        )
                    };
                    format!("新闻网{site}\n{body}\n分享到微信")
                })
            })
            .collect();
        let infos: Vec<Vec<LineInfo>> = texts.iter().map(|t| info(t)).collect();
        let sources: Vec<String> = (0..4)
            .flat_map(|s| (0..3).map(move |_| format!("site{s}")))
            .collect();
        let docs: Vec<(&str, &[LineInfo])> = infos
            .iter()
            .zip(&sources)
            .map(|(l, s)| (s.as_str(), l.as_slice()))
            .collect();
        let (keep, stats) = detect(&docs);
        // The reprinted story: banner and share line go, both paragraphs stay.
        assert_eq!(keep[0], vec![false, true, true, false]);
        assert_eq!(keep[3], vec![false, true, true, false]);
        // A page of its own keeps its text and loses the site's chrome.
        assert_eq!(keep[1], vec![false, true, false]);
        assert_eq!(stats.kept_whole, 0);
    }

    #[test]
    fn all_boilerplate_document_is_kept_whole() {
        let infos = [info("lien source")];
        let docs: Vec<(&str, &[LineInfo])> = infos.iter().map(|l| ("x", l.as_slice())).collect();
        let (keep, stats) = detect(&docs);
        assert_eq!(keep, vec![vec![true]]);
        assert_eq!(stats.kept_whole, 1);
    }
}
