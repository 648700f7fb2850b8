//! Language identification of a document: which language its running text is in, or none when
//! the evidence is too thin to say. Owns the stop-word tables it decides by and nothing else.
//!
//! The method counts, line by line, the words that are stop words of each language on the
//! stopwords-iso lists (58 languages, shipped by the `stop-words` crate): each line votes for
//! its clear winner with its hits, and the document's language is the clear winner of the
//! votes. Function words are the densest signal a language gives: 150 words of a news article
//! hold 50–80 of its own stop words and a third as many of its nearest neighbour's. Votes by
//! line let the language of a page's kept lines be told after boilerplate removal from what the
//! first pass kept (16 bits a line), so that an English brief under a long French footer is
//! English. On the 2,206 articles of `news-base` (cs, de, es, hu, it, ru) the document-level
//! count names all but 2 (DESIGN.md, "Translations"). A trigram detector (whatlang) was
//! measured first: 85 µs a document whatever its length, half the time reprint spends on a
//! whole document.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

/// Fewest stop-word hits (summed over the lines that voted for it) of a document's winning
/// language: below it the text is a list, a caption or a table (or too short) and its language
/// is not named.
const MIN_HITS: u32 = 6;

/// The winner needs this many times the hits of the runner-up: closely related languages share
/// many stop words (French and Spanish articles score 60 against 50), and a document whose
/// language is in doubt must not be told apart from its neighbours by a coin toss.
const MIN_MARGIN: f64 = 1.1;

/// A language that [`detect`] can name: an index into the stop-word tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Lang(u8);

impl Lang {
    /// Its ISO 639-1 code (`en`, `fr`, `de`, …).
    pub fn code(self) -> &'static str {
        tables().codes[self.0 as usize]
    }

    /// The language of an ISO 639-1 code, if it is one [`detect`] can name.
    pub fn from_code(code: &str) -> Option<Lang> {
        tables()
            .codes
            .iter()
            .position(|c| *c == code)
            .map(|i| Lang(i as u8))
    }

    /// Its number, for compact storage (`Lang::from_number(l.number()) == Some(l)`).
    pub fn number(self) -> u8 {
        self.0
    }

    /// The language of a stored number.
    pub fn from_number(n: u8) -> Option<Lang> {
        ((n as usize) < tables().codes.len()).then_some(Lang(n))
    }

    /// Whether `word` (lowercase) is one of this language's stop words.
    pub fn is_stop_word(self, word: &str) -> bool {
        tables()
            .languages_of(word)
            .is_some_and(|mask| mask >> self.0 & 1 == 1)
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// The stop-word tables: each word with the set of languages it is a stop word of.
struct Tables {
    codes: Vec<&'static str>,
    /// Each stop word's languages, by the [`word_hash`] of the word.
    by_hash: FxHashMap<u64, u64>,
    /// Bytes of the longest stop word: a longer word is none.
    longest: usize,
}

impl Tables {
    /// The languages `word` is a stop word of, as a bit set.
    fn languages_of(&self, word: &str) -> Option<u64> {
        if word.len() > self.longest {
            return None;
        }
        self.by_hash.get(&word_hash(word.as_bytes())).copied()
    }
}

/// A 64-bit FNV-1a hash of a word's bytes. The table of stop words is keyed by it: a probe
/// then compares one number instead of hashing and comparing strings, and an ASCII word is
/// hashed as it is scanned. Two of the 20,000 stop words sharing a hash, or a text's word
/// sharing one with a stop word, is a one-in-10^14 event that would miscount one word.
fn word_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(FNV_OFFSET, |h, &b| fnv_step(h, b))
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// One byte of [`word_hash`].
#[inline]
fn fnv_step(h: u64, b: u8) -> u64 {
    (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        // At most 64 languages, one bit each; the crate's default feature has 58.
        let codes: Vec<&'static str> = stop_words::available_languages()
            .iter()
            .copied()
            .filter(|c| c.len() == 2)
            .take(64)
            .collect();
        let mut words: FxHashMap<&'static str, u64> = FxHashMap::default();
        for (i, code) in codes.iter().enumerate() {
            for word in stop_words::lookup(code).unwrap_or(&[]) {
                *words.entry(word).or_default() |= 1 << i;
            }
        }
        let longest = words.keys().map(|w| w.len()).max().unwrap_or(0);
        let by_hash = words
            .iter()
            .map(|(w, &m)| (word_hash(w.as_bytes()), m))
            .collect();
        Tables {
            codes,
            by_hash,
            longest,
        }
    })
}

/// Words of a line read at a time for its vote ([`vote`]).
const LINE_SAMPLE_WORDS: usize = 16;

/// Words of a line read for its vote, at most.
const LINE_SAMPLE_MAX_WORDS: usize = 60;

/// Fewest stop-word hits of a line's winning language for the line to vote: a menu, a byline
/// or a name list says nothing of the language.
const LINE_MIN_HITS: u32 = 3;

/// A line's vote: its winning language and that language's stop-word hits, packed in 16 bits
/// (0: no vote). Votes are what the first pass keeps of every line, so that the language of a
/// page's kept lines can be told once boilerplate is known, without reading the page again.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Vote(u16);

impl Vote {
    fn new(lang: usize, hits: u32) -> Vote {
        // Language numbers stay below 64 and a line's hits below 256 (it reads 40 words).
        Vote(((lang as u16 + 1) << 8) | hits.min(255) as u16)
    }

    fn get(self) -> Option<(usize, u32)> {
        (self.0 != 0).then(|| ((self.0 >> 8) as usize - 1, u32::from(self.0 & 0xff)))
    }
}

/// The winner among `hits` (language number, hits; in increasing language number) and whether
/// it is clear: at least `min_hits` and `margin` times the runner-up (and more than it). Ties
/// go to the smaller number, so that the answer depends on nothing but the text.
fn winner(
    hits: impl Iterator<Item = (usize, u32)>,
    min_hits: u32,
    margin: f64,
) -> Option<(usize, u32)> {
    let mut best = (0, 0u32);
    let mut second = 0u32;
    for (i, h) in hits {
        if h > best.1 {
            second = best.1;
            best = (i, h);
        } else if h > second {
            second = h;
        }
    }
    (best.1 >= min_hits && best.1 > second && f64::from(best.1) >= margin * f64::from(second))
        .then_some(best)
}

/// The set bits of `set`, lowest first.
fn bits(mut set: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        let i = set.trailing_zeros() as usize;
        set &= set.wrapping_sub(1);
        (i < 64).then_some(i)
    })
}

/// Bit planes of a line's per-language hit counters: enough for [`LINE_SAMPLE_MAX_WORDS`]
/// hits.
const COUNTER_PLANES: usize = 6;

/// The vote of one line of normalized (case-folded) text: its words are read
/// [`LINE_SAMPLE_WORDS`] at a time until a language clearly leads (at least [`MIN_HITS`]
/// and [`MIN_MARGIN`] times the next), or up to [`LINE_SAMPLE_MAX_WORDS`]; then the leader
/// votes with its hits, if it leads at all. A line's opening nearly always tells its language,
/// and a one-paragraph article whose first words are shared by French and Spanish is read
/// further.
pub fn vote(line: &str) -> Vote {
    let tables = tables();
    if line.is_ascii() {
        // By bytes: most lines are ASCII, and decoding each character (or validating each
        // word again) cost as much as the look-ups.
        let bytes = line.as_bytes();
        let mut at = 0;
        let words = std::iter::from_fn(|| {
            while at < bytes.len() && !bytes[at].is_ascii_alphanumeric() {
                at += 1;
            }
            if at == bytes.len() {
                return None;
            }
            let start = at;
            let mut h = FNV_OFFSET;
            while at < bytes.len() && bytes[at].is_ascii_alphanumeric() {
                h = fnv_step(h, bytes[at]);
                at += 1;
            }
            Some(
                (at - start <= tables.longest)
                    .then(|| tables.by_hash.get(&h).copied())
                    .flatten(),
            )
        });
        tally(words)
    } else {
        tally(
            line.split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(|w| tables.languages_of(w)),
        )
    }
}

/// The vote of a line's words, given as the set of languages each is a stop word of.
fn tally(words: impl Iterator<Item = Option<u64>>) -> Vote {
    // Each language's hits as a bit-sliced counter (bit i of plane k is bit k of language i's
    // count): a common stop word belongs to thirty languages, and adding its set of languages
    // costs a few word operations instead of thirty increments.
    let mut planes = [0u64; COUNTER_PLANES];
    let mut touched = 0u64;
    let leader = |planes: &[u64; COUNTER_PLANES], touched: u64, min_hits: u32, margin: f64| {
        // Only the languages some word belonged to can win: a line touches a few of the 58.
        let count_of = |i: usize| -> u32 {
            (0..COUNTER_PLANES)
                .map(|k| ((planes[k] >> i & 1) as u32) << k)
                .sum()
        };
        winner(bits(touched).map(|i| (i, count_of(i))), min_hits, margin)
    };
    for (read, mask) in words.take(LINE_SAMPLE_MAX_WORDS).enumerate() {
        if let Some(mask) = mask {
            touched |= mask;
            let mut carry = mask;
            for plane in &mut planes {
                let next = *plane & carry;
                *plane ^= carry;
                carry = next;
            }
        }
        if (read + 1) % LINE_SAMPLE_WORDS == 0 {
            // Enough to name a document on its own, and clearly: read no further.
            if let Some((l, h)) = leader(&planes, touched, MIN_HITS, MIN_MARGIN) {
                return Vote::new(l, h);
            }
        }
    }
    // Read to the end of the line or of the sample: a lead of one hit will do, since
    // neighbouring languages share many stop words (a French paragraph's first 50 words score
    // 21 against Spanish's 20) and the document's margin is taken over all its lines.
    leader(&planes, touched, LINE_MIN_HITS, 1.0).map_or(Vote(0), |(l, h)| Vote::new(l, h))
}

/// The language of a text from its lines' votes: each line's hits count for the language it
/// voted for. A page's few lines in another language (a quotation, a cookie notice the
/// boilerplate stage kept) are outvoted by its story.
pub fn from_votes(votes: impl IntoIterator<Item = Vote>) -> Option<Lang> {
    let mut hits = [0u32; 64];
    let mut touched = 0u64;
    for (lang, h) in votes.into_iter().filter_map(Vote::get) {
        hits[lang] += h;
        touched |= 1 << lang;
    }
    winner(bits(touched).map(|i| (i, hits[i])), MIN_HITS, MIN_MARGIN).map(|(l, _)| Lang(l as u8))
}

/// The language of a normalized (case-folded) text, or `None` when it cannot be told: the
/// votes of its lines ([`vote`], [`from_votes`]).
pub fn detect(normalized: &str) -> Option<Lang> {
    from_votes(crate::normalize::lines(normalized).map(vote))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_language_of_prose_table() {
        // Written for this test: one short paragraph a language.
        let cases = [
            (
                "en",
                "the minister said on monday that all of the members of the alliance have \
                 already sent their advisers to the country and that they will not take part \
                 in the fighting, but he added that it was up to the government to decide what \
                 it would do with them in the next few months",
            ),
            (
                "fr",
                "le ministre a déclaré lundi que tous les membres de l'alliance ont déjà envoyé \
                 leurs conseillers dans le pays et qu'ils ne participeront pas aux combats, mais \
                 il a ajouté que c'était au gouvernement de décider ce qu'il en ferait dans les \
                 prochains mois",
            ),
            (
                "de",
                "der minister sagte am montag, dass alle mitglieder des bündnisses bereits ihre \
                 berater in das land geschickt haben und dass sie nicht an den kämpfen \
                 teilnehmen werden, aber er fügte hinzu, dass es an der regierung sei, zu \
                 entscheiden, was sie in den nächsten monaten mit ihnen machen werde",
            ),
            (
                "ru",
                "министр заявил в понедельник, что все члены альянса уже направили своих \
                 советников в страну и что они не будут участвовать в боях, но он добавил, что \
                 это дело правительства решить, что оно будет делать с ними в ближайшие месяцы",
            ),
        ];
        for (code, text) in cases {
            assert_eq!(detect(text).map(Lang::code), Some(code), "{text}");
        }
    }

    #[test]
    fn regression_chrome_in_another_language_does_not_name_the_story() {
        // An English story under a French portal's menu, byline and share bar.
        let text = "accueil | monde | politique | économie | sport | culture\n\
                    s'abonner · se connecter\npar antoine roux | 18.08.2009\n\
                    facebook twitter linkedin e-mail imprimer\n\
                    the council said on monday that the new plan for the harbour would be put \
                    to a vote in the spring, and that the farmers who had asked for it were \
                    pleased with what they had been told by the mayor and his staff";
        assert_eq!(detect(text).map(Lang::code), Some("en"));
    }

    #[test]
    fn too_little_text_has_no_language() {
        for text in [
            "",
            "12 000 3,5 % 2024",
            "nato ukraine estonia",
            "the minister",
        ] {
            assert_eq!(detect(text), None, "{text:?}");
        }
    }

    #[test]
    fn codes_and_numbers_round_trip() {
        let en = Lang::from_code("en").expect("English is in the tables");
        assert_eq!(en.code(), "en");
        assert_eq!(Lang::from_number(en.number()), Some(en));
        assert!(en.is_stop_word("the"));
        assert!(!en.is_stop_word("putin"));
        assert_eq!(Lang::from_code("xx"), None);
    }
}
