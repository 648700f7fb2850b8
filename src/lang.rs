//! Language identification of a document: which language its running text is in, or none when
//! the evidence is too thin to say. Owns the stop-word tables it decides by and nothing else.
//!
//! The method counts the document's first words that are stop words of each language, on the
//! stopwords-iso lists (58 languages, shipped by the `stop-words` crate), and takes the language
//! with the most hits when it has enough of them and clearly more than the next. Function words
//! are the densest signal a language gives: 150 words of a news article hold 50–80 of its own
//! stop words and a third as many of its nearest neighbour's. On the 2,206 articles of
//! `news-base` (cs, de, es, hu, it, ru) it names the language of all but 2 (DESIGN.md,
//! "Translations"). A trigram detector (whatlang) was measured first: 85 µs a document whatever
//! its length, half the time reprint spends on a whole document, against 2–5 µs here.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Words of a document's text read to decide its language: enough for 50 or more hits on prose,
/// few enough that a long page costs no more than a short one.
const SAMPLE_WORDS: usize = 150;

/// Fewest stop-word hits of the winning language: below it the text is a list, a caption or a
/// table (or too short) and its language is not named.
const MIN_HITS: u32 = 8;

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
            .words
            .get(word)
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
    words: HashMap<&'static str, u64>,
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
        let mut words: HashMap<&'static str, u64> = HashMap::new();
        for (i, code) in codes.iter().enumerate() {
            for word in stop_words::lookup(code).unwrap_or(&[]) {
                *words.entry(word).or_default() |= 1 << i;
            }
        }
        Tables { codes, words }
    })
}

/// Lines with fewer words than this are left out of the sample when the text has longer ones:
/// menus, bylines, banners and share bars are short, and a site's chrome is often in another
/// language than the story it frames (an English wire story on a French portal).
const PROSE_LINE_MIN_WORDS: usize = 10;

/// The language of a normalized (case-folded) text, or `None` when it cannot be told. It is
/// read from the text's prose lines (at least [`PROSE_LINE_MIN_WORDS`] words), or from all of
/// it when it has none.
pub fn detect(normalized: &str) -> Option<Lang> {
    let tables = tables();
    let mut hits = [0u32; 64];
    fn words(line: &str) -> Vec<&str> {
        line.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect()
    }
    let mut sample: Vec<&str> = Vec::with_capacity(SAMPLE_WORDS);
    for line in normalized.lines() {
        let w = words(line);
        if w.len() >= PROSE_LINE_MIN_WORDS {
            sample.extend(w.into_iter().take(SAMPLE_WORDS - sample.len()));
            if sample.len() == SAMPLE_WORDS {
                break;
            }
        }
    }
    if sample.is_empty() {
        sample = words(normalized);
        sample.truncate(SAMPLE_WORDS);
    }
    for word in sample {
        if let Some(&mask) = tables.words.get(word) {
            let mut m = mask;
            while m != 0 {
                hits[m.trailing_zeros() as usize] += 1;
                m &= m - 1;
            }
        }
    }
    // Ties go to the smaller index, so that the answer never depends on anything but the text.
    let mut best = (0, 0u32);
    let mut second = 0u32;
    for (i, &h) in hits.iter().enumerate().take(tables.codes.len()) {
        if h > best.1 {
            second = best.1;
            best = (i, h);
        } else if h > second {
            second = h;
        }
    }
    (best.1 >= MIN_HITS && f64::from(best.1) >= MIN_MARGIN * f64::from(second))
        .then_some(Lang(best.0 as u8))
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
