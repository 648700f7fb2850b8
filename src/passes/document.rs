//! What a run does to one document once boilerplate is decided: its fingerprint (shingles
//! less the frequent ones, MinHash or SimHash) and its translation sketch, and the language
//! share that decides whether anchors are extracted. Also these steps one part of a corpus at
//! a time, as a distributed run takes them.

use rayon::prelude::*;

use super::count_if_sampled;
use crate::anchor::{self, Extractor};
use crate::boilerplate::{self, BoilerplateStats, LineInfo};
use crate::cluster::Fingerprint;
use crate::config::{Config, Method};
use crate::crosslang::SketchTable;
use crate::frequent::{self, FrequentShingles};
use crate::minhash::MinHasher;
use crate::normalize;
use crate::pipeline::Progress;
use crate::shingle::Shingler;
use crate::simhash::SimHasher;

/// The fingerprint of each kept text, in order.
pub(crate) fn fingerprint_all(
    config: &Config,
    kept_texts: &[String],
    frequent: &FrequentShingles,
    progress: &dyn Progress,
) -> Vec<Fingerprint> {
    let hashers = Hashers::new(config, frequent);
    kept_texts
        .par_iter()
        .map_init(
            || (Shingler::default(), ShingleBufs::default()),
            |(shingler, bufs), text| {
                progress.advance(1);
                fingerprint_text(config, &hashers, shingler, bufs, text)
            },
        )
        .collect()
}

/// Share of a run's documents a language needs for the run to count as being in it (and at
/// least one document). A handful of pages in another language among many thousands are nearly
/// always pages whose kept text is mostly a footer, a quotation or noise in that language (4 to
/// 6 of the 100,000 generated English articles of the speed benchmark, depending on the
/// sample), and counting them would cost every other document its anchors (80 % more time on
/// that corpus). The price: a run of 100,000 pages searches no translation into a language
/// that fewer than 10 of them are in (a run with `--index` always searches, see
/// [`fingerprint_inputs_with`]).
const LANGUAGE_MIN_SHARE: f64 = 0.0001;

/// Whether the documents' languages (numbers, `None` when not told) are two or more, each of
/// [`LANGUAGE_MIN_SHARE`] of them or more: only then is a translation searched for, and only
/// then are anchors extracted.
pub fn multilingual(langs: impl IntoIterator<Item = Option<u8>>) -> bool {
    let mut counts = [0usize; 256];
    let mut total = 0usize;
    for lang in langs {
        total += 1;
        if let Some(l) = lang {
            counts[l as usize] += 1;
        }
    }
    multilingual_counts(&counts, total)
}

/// [`multilingual`] from the documents of each language (by language number) and the number
/// of documents in all, those of no told language included: what the parts of a distributed
/// run add up.
pub fn multilingual_counts(counts: &[usize], total: usize) -> bool {
    let floor = ((LANGUAGE_MIN_SHARE * total as f64).ceil() as usize).max(1);
    counts.iter().filter(|&&n| n >= floor).count() >= 2
}

/// The translation sketch of each document from its text as read (`raw`) and its kept text, in
/// order: with anchors when the kept texts are in two or more languages or `always_anchors`,
/// else languages only; empty rows when translations are off.
pub(crate) fn sketch_all(
    config: &Config,
    raw: &[String],
    kept_texts: &[String],
    always_anchors: bool,
) -> SketchTable {
    let mut table = SketchTable::with_rows(0);
    if !config.translations {
        return SketchTable::with_rows(kept_texts.len());
    }
    let langs: Vec<Option<u8>> = kept_texts
        .par_iter()
        .map(|kept| crate::lang::detect(kept).map(crate::lang::Lang::number))
        .collect();
    let anchors = always_anchors || multilingual(langs.iter().copied());
    let sketches: Vec<anchor::Sketch> = raw
        .par_iter()
        .zip(kept_texts)
        .zip(&langs)
        .map_init(Extractor::default, |extractor, ((raw, kept), &lang)| {
            sketch_text(config, extractor, raw, kept, lang, anchors)
        })
        .collect();
    for s in &sketches {
        table.push(s);
    }
    table
}

/// The hash functions of a run's fingerprinting method, and the shingles they leave out.
pub(super) struct Hashers<'a> {
    minhash: MinHasher,
    simhash: SimHasher,
    frequent: &'a FrequentShingles,
}

impl<'a> Hashers<'a> {
    pub(super) fn new(config: &Config, frequent: &'a FrequentShingles) -> Self {
        Hashers {
            minhash: MinHasher::new(config.num_perm, config.seed),
            simhash: SimHasher::new(config.seed),
            frequent,
        }
    }
}

/// Per-thread buffers of shingle hashes.
#[derive(Default)]
pub(super) struct ShingleBufs {
    set: Vec<u64>,
    scratch: Vec<u64>,
    /// The shingles of the text's quotations, and the quotations themselves.
    quoted: Vec<u64>,
    quoted_text: String,
}

/// A text whose quotations are less than one part in this many of it is taken as quoting
/// nothing ([`quoted_shingles`]).
const QUOTED_MIN_SHARE_INV: usize = 8;

/// The informative shingles of what `text` borrows (its quotations and, in a brief, its
/// closing paragraph: [`crate::shingle::borrowed_text`]) into `bufs.quoted`: the same shingles
/// as the whole text's where such a part lies, so that the lanes they hold in the whole
/// signature can be told.
fn quoted_shingles(
    config: &Config,
    hashers: &Hashers,
    shingler: &mut Shingler,
    bufs: &mut ShingleBufs,
    text: &str,
) {
    crate::shingle::borrowed_text(text, &mut bufs.quoted_text);
    bufs.quoted.clear();
    // A text that quotes less than an eighth of itself holds too few quoted lanes for a pair
    // to agree almost only on them at a Jaccard the threshold passes (DESIGN.md,
    // "Quotations"): it is taken as quoting nothing, and its quotations are not shingled.
    if bufs.quoted_text.len() * QUOTED_MIN_SHARE_INV < text.len() {
        return;
    }
    shingler.shingles(
        &bufs.quoted_text,
        config.shingle,
        config.seed,
        &mut bufs.quoted,
    );
    hashers
        .frequent
        .retain_informative(&mut bufs.quoted, &mut bufs.scratch);
}

/// The fingerprint of one kept text; `shingler` and `bufs` are per-thread scratch space.
pub(super) fn fingerprint_text(
    config: &Config,
    hashers: &Hashers,
    shingler: &mut Shingler,
    bufs: &mut ShingleBufs,
    text: &str,
) -> Fingerprint {
    let ShingleBufs { set, scratch, .. } = bufs;
    shingler.shingles(text, config.shingle, config.seed, set);
    hashers.frequent.retain_informative(set, scratch);
    let (signature, simhash) = match config.method {
        Method::MinHash => (hashers.minhash.signature(set), None),
        Method::SimHash => (Vec::new(), Some(hashers.simhash.fingerprint(set))),
    };
    // A count past 32 bits would take a text of gigabytes: it saturates.
    let shingles = u32::try_from(set.len()).unwrap_or(u32::MAX);
    let quoted_lanes = if signature.is_empty() {
        0
    } else {
        quoted_shingles(config, hashers, shingler, bufs, text);
        hashers.minhash.lanes_held_by(&signature, &bufs.quoted)
    };
    Fingerprint {
        signature: signature.into_boxed_slice(),
        simhash,
        shingles,
        length: u32::try_from(text.chars().count()).unwrap_or(u32::MAX),
        numbers: crate::shingle::number_sketch(text, config.seed)
            .0
            .into_boxed_slice(),
        quoted_lanes,
    }
}

/// What the per-document stages make of one document (see [`fingerprint_documents`]).
#[derive(Debug, Clone)]
pub struct DocumentFingerprint {
    /// Its fingerprint.
    pub fingerprint: Fingerprint,
    /// Its translation sketch (its language, and anchors when asked for).
    pub sketch: anchor::Sketch,
    /// What boilerplate detection left out of it.
    pub boilerplate: BoilerplateStats,
}

/// The line statistics of some documents' normalized texts, each with its source, for
/// boilerplate ([`boilerplate::LineCounts`]: add up those of every part of a corpus). Empty
/// when boilerplate is kept.
pub fn line_counts(config: &Config, docs: &[(&str, &str)]) -> boilerplate::LineCounts {
    if config.keep_boilerplate {
        return boilerplate::LineCounts::default();
    }
    let infos: Vec<Vec<LineInfo>> = docs
        .par_iter()
        .map(|(_, text)| boilerplate::line_infos(text))
        .collect();
    boilerplate::LineCounts::count(
        docs.iter()
            .zip(&infos)
            .map(|((s, _), l)| (*s, l.as_slice())),
    )
}

/// The shingle counts of the sampled documents among some `(id, normalized text)` pairs, as
/// a run counts them to learn its frequent shingles (add up those of every part with
/// [`frequent::Counter::from_parts`]).
pub fn shingle_counts(config: &Config, docs: &[(&str, &str)]) -> frequent::Counter {
    let counter = frequent::Counter::new();
    docs.par_iter().for_each_init(
        || (Shingler::default(), Vec::new()),
        |(shingler, buf), (id, text)| {
            count_if_sampled(Some(&counter), config, shingler, buf, id, text);
        },
    );
    counter
}

/// Each document `(source, text as read, normalized text)` through the per-document stages as
/// a run takes it: boilerplate decided from the corpus's `lines`, the kept text fingerprinted
/// without the `frequent` shingles, its language told from its kept lines and, with
/// `anchors`, its translation anchors extracted. The fingerprints are those a whole run
/// makes when the counts are the whole corpus's (a test holds them to it). In parallel, in
/// order.
pub fn fingerprint_documents(
    config: &Config,
    lines: &boilerplate::LineCounts,
    frequent: &FrequentShingles,
    docs: &[(&str, &str, &str)],
    anchors: bool,
) -> Vec<DocumentFingerprint> {
    let hashers = Hashers::new(config, frequent);
    docs.par_iter()
        .map_init(
            || {
                (
                    Shingler::default(),
                    ShingleBufs::default(),
                    Extractor::default(),
                )
            },
            |(shingler, bufs, extractor), &(source, raw, text)| {
                let (decided, boilerplate) = decide_lines(config, lines, source, text);
                let lang = lang_of(config, text, decided.as_ref());
                // A mask is made from the same text, so it always fits it.
                let kept = decided
                    .and_then(|(_, mask)| boilerplate::kept_text(text, &mask))
                    .unwrap_or_else(|| text.to_string());
                DocumentFingerprint {
                    fingerprint: fingerprint_text(config, &hashers, shingler, bufs, &kept),
                    sketch: sketch_text(config, extractor, raw, &kept, lang, anchors),
                    boilerplate,
                }
            },
        )
        .collect()
}

/// The language of each document `(source, normalized text)`'s kept lines, as
/// [`fingerprint_documents`] tells it (a language number; none when not told or translations
/// are off): what decides, over the whole corpus, whether anchors are extracted
/// ([`multilingual`]).
pub fn document_languages(
    config: &Config,
    lines: &boilerplate::LineCounts,
    docs: &[(&str, &str)],
) -> Vec<Option<u8>> {
    docs.par_iter()
        .map(|&(source, text)| {
            let (decided, _) = decide_lines(config, lines, source, text);
            lang_of(config, text, decided.as_ref())
        })
        .collect()
}

/// A document's line shapes ([`boilerplate::line_infos`]) and its boilerplate mask.
type Decided = (Vec<LineInfo>, Vec<bool>);

/// The line shapes ([`boilerplate::line_infos`]) and boilerplate mask of one document of
/// `source` with this normalized `text`, decided from the corpus's `lines`, and what it leaves
/// out; none when boilerplate is kept.
fn decide_lines(
    config: &Config,
    lines: &boilerplate::LineCounts,
    source: &str,
    text: &str,
) -> (Option<Decided>, BoilerplateStats) {
    if config.keep_boilerplate {
        return (None, BoilerplateStats::default());
    }
    let infos = boilerplate::line_infos(text);
    let (mask, stats) = lines.decide(source, &infos);
    (Some((infos, mask)), stats)
}

/// The language votes of a normalized text's lines, laid out as its boilerplate mask is: its
/// [`boilerplate::line_infos`] `infos`, where a line's sentences counted on their own cast
/// none (the line votes for them).
pub(super) fn unit_votes(text: &str, infos: &[boilerplate::LineInfo]) -> Vec<crate::lang::Vote> {
    let mut lines = normalize::lines(text);
    infos
        .iter()
        .map(|l| match l.is_sentence() {
            true => crate::lang::Vote::default(),
            false => lines.next().map(crate::lang::vote).unwrap_or_default(),
        })
        .collect()
}

/// The language of a normalized text's lines that the mask of `decided` (its line shapes and
/// mask) keeps, all without one, told from their votes as the streaming passes tell it; none
/// when translations are off.
fn lang_of(config: &Config, text: &str, decided: Option<&Decided>) -> Option<u8> {
    if !config.translations {
        return None;
    }
    let lang = match decided {
        Some((infos, mask)) => crate::lang::from_votes(
            unit_votes(text, infos)
                .into_iter()
                .zip(mask)
                .filter(|(_, &k)| k)
                .map(|(v, _)| v),
        ),
        None => crate::lang::from_votes(normalize::lines(text).map(crate::lang::vote)),
    };
    lang.map(crate::lang::Lang::number)
}

/// The translation sketch of one document whose kept text is in language `lang` (a number of
/// [`crate::lang::Lang`]): its language alone without `anchors`, nothing when translations are
/// off.
pub(super) fn sketch_text(
    config: &Config,
    extractor: &mut Extractor,
    raw: &str,
    kept: &str,
    lang: Option<u8>,
    anchors: bool,
) -> anchor::Sketch {
    let lang = lang.and_then(crate::lang::Lang::from_number);
    match (config.translations, anchors) {
        (true, true) => extractor.sketch(raw, kept, lang, config.seed),
        (true, false) => anchor::Sketch {
            lang,
            anchors: Vec::new(),
        },
        _ => anchor::Sketch::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::{FingerprintRef, Fingerprints};
    use crate::corpus;
    use crate::passes::fingerprint_inputs;
    use crate::pipeline::NoProgress;

    #[test]
    fn stages_on_parts_fingerprint_as_the_whole_run_does() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let config = Config::new(vec![
            root.join("testdata/corpus"),
            root.join("testdata/scrape"),
        ]);
        let found = corpus::discover(&config).unwrap();
        let whole = fingerprint_inputs(
            &config,
            found.inputs.clone(),
            Vec::new(),
            &NoProgress,
            false,
        );

        // The documents as the run numbers them: inputs in order, the first of an id kept.
        let mut docs: Vec<(String, String, String, String)> = Vec::new();
        let mut ids = std::collections::HashSet::new();
        for input in &found.inputs {
            for doc in corpus::read(input, &config).into_iter().flatten() {
                let text = normalize::normalize(&doc.text);
                if !text.is_empty() && ids.insert(doc.id.0.clone()) {
                    docs.push((doc.id.0, doc.source, doc.text, text));
                }
            }
        }
        assert_eq!(docs.len(), whole.ids.len());
        assert!(docs.len() > 40);
        // Three parts of uneven size, counted apart and added up.
        let parts: Vec<&[(String, String, String, String)]> =
            vec![&docs[..7], &docs[7..30], &docs[30..]];
        let mut lines = boilerplate::LineCounts::default();
        for part in &parts {
            let view: Vec<(&str, &str)> =
                part.iter().map(|d| (d.1.as_str(), d.3.as_str())).collect();
            lines.merge(line_counts(&config, &view));
        }
        lines.retain_repeated();
        let fresh = |part: &[(String, String, String, String)], anchors: bool| {
            let view: Vec<(&str, &str, &str)> = part
                .iter()
                .map(|d| (d.1.as_str(), d.2.as_str(), d.3.as_str()))
                .collect();
            fingerprint_documents(&config, &lines, &whole.frequent, &view, anchors)
        };
        let langs: Vec<Option<u8>> = parts
            .iter()
            .flat_map(|p| fresh(p, false))
            .map(|d| d.sketch.lang.map(crate::lang::Lang::number))
            .collect();
        let anchors = multilingual(langs);
        assert!(anchors, "the bundled corpus is in two languages");
        let mut stats = BoilerplateStats::default();
        let staged: Vec<DocumentFingerprint> =
            parts.iter().flat_map(|p| fresh(p, anchors)).collect();
        for (i, d) in staged.iter().enumerate() {
            assert_eq!(whole.ids.get(i), docs[i].0);
            let (a, b) = (FingerprintRef::from(&d.fingerprint), whole.fps.get(i));
            assert_eq!(a.signature.to_vec(), b.signature.to_vec(), "{}", docs[i].0);
            assert_eq!(
                (a.shingles, a.length, a.numbers),
                (b.shingles, b.length, b.numbers)
            );
            let sketch = whole.sketches.get(i);
            assert_eq!(
                (d.sketch.lang, d.sketch.anchors.as_slice()),
                (sketch.lang, sketch.anchors)
            );
            stats += d.boilerplate;
        }
        assert_eq!(stats, whole.boilerplate);
        assert!(stats.chrome_lines + stats.source_lines + stats.corpus_lines > 0);
    }
}
