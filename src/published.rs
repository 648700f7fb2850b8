//! A document's text as published: its kept text (what was fingerprinted, boilerplate removed)
//! in the words its source printed, with their case and punctuation, and the boilerplate lines
//! as they were printed. Owns the mapping from the original words to the normalized text and
//! the per-word comparison key that diffs of published words are computed on.
//!
//! [`normalize::normalize`] folds case, unifies punctuation, decodes entities and re-joins
//! hard-wrapped lines and hyphenated words, so normalized text cannot be mapped back by
//! offsets. Instead every original word is normalized on its own, and the sequence of those
//! forms is aligned with the words of the kept text: what aligns is kept, in its original
//! spelling; an original word that aligns with nothing was left out as boilerplate. Where the
//! two disagree (a word re-joined across a line end) the original pieces are shown joined; where
//! no original can be found the normalized word is shown, so nothing that was left out (site
//! chrome) ever comes back.

use crate::normalize;

/// The published form of one document: see [`of`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Published {
    /// The kept text in its original words: one line per line of the kept text, words
    /// separated by one space.
    pub text: String,
    /// The lines of the text as read that lost every word to boilerplate removal, trimmed, in
    /// order.
    pub boilerplate: Vec<String>,
}

/// ASCII bytes that [`normalize::normalize`] leaves alone in a single word, apart from folding
/// letters to lowercase: a word made only of them needs no full normalization.
fn plain_ascii(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b".,;:!?()'\"%$/+-".contains(&b)
}

/// One word normalized: its case folded, typography and entities unified (spaces may appear
/// inside, for a decoded `&nbsp;`).
fn normalize_word(word: &str) -> String {
    if word.bytes().all(plain_ascii) {
        word.to_ascii_lowercase()
    } else {
        normalize::normalize(word)
    }
}

/// The comparison key of a published word: its normalized tokens (punctuation and elided
/// articles gone, see [`normalize::for_each_token`]) joined by spaces, or its normalized form
/// when it has no token (a lone dash). Two copies' words with the same key differ only in
/// what fingerprints ignore.
pub fn key(word: &str) -> String {
    let normalized = normalize_word(word);
    let mut out = String::new();
    normalize::for_each_token(&normalized, |t| {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(t);
    });
    if out.is_empty() {
        normalized
    } else {
        out
    }
}

/// The published form of a document from `raw`, its text as read, and `kept`, the normalized
/// lines of it that were fingerprinted (joined by newlines).
pub fn of(raw: &str, kept: &str) -> Published {
    // The original words, each with its raw line, and the normalized pieces each gives.
    let mut words: Vec<(&str, usize)> = Vec::new();
    let mut pieces: Vec<String> = Vec::new();
    let mut owner: Vec<usize> = Vec::new();
    let mut raw_lines: Vec<&str> = Vec::new();
    for (line_no, line) in raw
        .split(['\n', '\r', '\u{b}', '\u{c}', '\u{2028}', '\u{2029}'])
        .enumerate()
    {
        raw_lines.push(line);
        for word in line.split_whitespace() {
            let normalized = normalize_word(word);
            for piece in normalized.split_whitespace() {
                pieces.push(piece.to_string());
                owner.push(words.len());
            }
            words.push((word, line_no));
        }
    }
    // The kept words, each with its kept line.
    let kept_words: Vec<(&str, usize)> = kept
        .lines()
        .enumerate()
        .flat_map(|(i, line)| line.split_whitespace().map(move |w| (w, i)))
        .collect();
    let kept_keys: Vec<&str> = kept_words.iter().map(|(w, _)| *w).collect();
    let piece_keys: Vec<&str> = pieces.iter().map(String::as_str).collect();

    // Output words with their kept line, and which original words were used.
    let mut out: Vec<(String, usize)> = Vec::new();
    let mut used = vec![false; words.len()];
    let mut last_word = usize::MAX;
    let ops = similar::capture_diff_slices(similar::Algorithm::Myers, &piece_keys, &kept_keys);
    for op in ops {
        match op {
            similar::DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                for j in 0..len {
                    let w = owner[old_index + j];
                    used[w] = true;
                    // The pieces of one original word (`AT&amp;T&nbsp;profits`) show it once.
                    if w != last_word {
                        out.push((display(words[w].0), kept_words[new_index + j].1));
                        last_word = w;
                    }
                }
            }
            similar::DiffOp::Delete { .. } => {}
            similar::DiffOp::Insert {
                new_index, new_len, ..
            } => {
                for (w, line) in &kept_words[new_index..new_index + new_len] {
                    out.push(((*w).to_string(), *line));
                }
            }
            similar::DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                let old = &piece_keys[old_index..old_index + old_len];
                let new = &kept_words[new_index..new_index + new_len];
                let squash = |s: &mut dyn Iterator<Item = &str>| -> String {
                    s.flat_map(|w| w.chars()).filter(|c| *c != '-').collect()
                };
                if squash(&mut old.iter().copied()) == squash(&mut new.iter().map(|(w, _)| *w)) {
                    // The same letters, cut differently: a word hyphenated across a line end
                    // and re-joined. The original pieces, joined where a line ended on a hyphen.
                    let mut ws: Vec<usize> = owner[old_index..old_index + old_len].to_vec();
                    ws.dedup();
                    let line = new[0].1;
                    let mut joined = String::new();
                    for (k, &w) in ws.iter().enumerate() {
                        used[w] = true;
                        let shown = display(words[w].0);
                        let wraps = ws.get(k + 1).is_some_and(|&n| words[n].1 > words[w].1);
                        match shown.strip_suffix('-') {
                            Some(head) if wraps => joined.push_str(head),
                            _ => {
                                joined.push_str(&shown);
                                out.push((std::mem::take(&mut joined), line));
                            }
                        }
                    }
                    if !joined.is_empty() {
                        out.push((joined, line));
                    }
                    last_word = usize::MAX;
                } else {
                    for (w, line) in new {
                        out.push(((*w).to_string(), *line));
                    }
                }
            }
        }
    }

    let mut text = String::new();
    let mut line = None;
    for (word, l) in out {
        if let Some(prev) = line {
            text.push(if prev == l { ' ' } else { '\n' });
        }
        text.push_str(&word);
        line = Some(l);
    }

    let mut line_used = vec![false; raw_lines.len()];
    for (w, &(_, l)) in words.iter().enumerate() {
        line_used[l] |= used[w];
    }
    let boilerplate = raw_lines
        .iter()
        .zip(&line_used)
        .filter(|(line, used)| !**used && !line.trim().is_empty())
        .map(|(line, _)| {
            line.split_whitespace()
                .map(display)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    Published { text, boilerplate }
}

/// An original word as a reader sees it: HTML entities a scraper left in decoded.
fn display(word: &str) -> String {
    if word.contains('&') {
        html_escape::decode_html_entities(word).into_owned()
    } else {
        word.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize;

    fn kept_of(raw: &str, drop: &[&str]) -> String {
        normalize(raw)
            .lines()
            .filter(|l| !drop.contains(l))
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn keeps_case_and_punctuation_drops_boilerplate() {
        let raw = "Home | World | Sport\n\nThe Minister said: “Talks resume on Monday.”\n\nShare on Facebook";
        let kept = kept_of(raw, &["home | world | sport", "share on facebook"]);
        let p = of(raw, &kept);
        assert_eq!(p.text, "The Minister said: “Talks resume on Monday.”");
        assert_eq!(
            p.boilerplate,
            vec!["Home | World | Sport", "Share on Facebook"]
        );
    }

    #[test]
    fn hard_wrapped_lines_become_one_paragraph_and_hyphens_rejoin() {
        let raw =
            "Headline Here\n\nThe Govern-\nment said prices\nrose in March.\n\nSecond paragraph.";
        let kept = kept_of(raw, &[]);
        assert_eq!(
            kept,
            "headline here\nthe government said prices rose in march.\nsecond paragraph."
        );
        let p = of(raw, &kept);
        assert_eq!(
            p.text,
            "Headline Here\nThe Government said prices rose in March.\nSecond paragraph."
        );
        assert!(p.boilerplate.is_empty());
    }

    #[test]
    fn entities_and_odd_spaces() {
        let raw = "AT&amp;T&nbsp;profits rose ﬁve per\u{a0}cent";
        let kept = kept_of(raw, &[]);
        let p = of(raw, &kept);
        assert_eq!(p.text, "AT&T\u{a0}profits rose ﬁve per cent");
        // Every word of the published text has the key of the kept word it stands for.
        assert_eq!(key("AT&T"), "at t");
        assert_eq!(key("ﬁve"), "five");
        assert_eq!(key("Monday.”"), "monday");
        assert_eq!(key("—"), "-");
    }

    #[test]
    fn unknown_words_fall_back_to_normalized() {
        let p = of("Alpha beta", "alpha gamma");
        assert_eq!(p.text, "Alpha gamma");
        assert!(p.boilerplate.is_empty());
        assert_eq!(of("", "").text, "");
    }
}
