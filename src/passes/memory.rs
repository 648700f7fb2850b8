//! The in-memory path of a run: every input read and normalized at once, its texts held (for
//! a report that shows them, and for `reprint explain`), boilerplate learned and stripped.

use rayon::prelude::*;

use super::{count_if_sampled, frequent_counter, frequent_set, Ids, Loaded, SeenIds, Sources};
use crate::boilerplate::{self, BoilerplateStats, LineInfo};
use crate::config::Config;
use crate::corpus::{self, Input, Skipped};
use crate::frequent::FrequentShingles;
use crate::normalize;
use crate::pipeline::{Progress, Stage};
use crate::shingle::Shingler;

/// What [`load`] read: the documents, their normalized texts and their sites.
pub(crate) struct LoadedCorpus {
    /// The documents, in id order.
    pub(crate) docs: Vec<Loaded>,
    /// Their ids.
    pub(crate) ids: Ids,
    /// The normalized text of each document.
    pub(crate) texts: Vec<String>,
    /// The text of each document as read, when translations are on (their capitals tell
    /// names); empty otherwise.
    pub(crate) raw: Vec<String>,
    /// The sites the documents refer to.
    pub(crate) sources: Sources,
    /// The shingles too common to fingerprint, learned from a sample of the documents.
    pub(crate) frequent: FrequentShingles,
}

/// Lines of `full` that are not in `kept` (which is `full` minus some lines), in order.
pub(crate) fn removed_lines(full: &str, kept: &str) -> Vec<String> {
    let mut kept_lines = kept.lines().peekable();
    let mut out = Vec::new();
    for line in full.lines() {
        if kept_lines.peek() == Some(&line) {
            kept_lines.next();
        } else if let Some(dropped) = kept_lines
            .peek()
            .and_then(|kept| crate::boilerplate::dropped_sentences(line, kept))
        {
            // A kept line that lost sentences the corpus repeats: those are what went.
            kept_lines.next();
            out.extend(dropped.into_iter().map(str::to_string));
        } else {
            out.push(line.to_string());
        }
    }
    out
}

/// Reads and normalizes every input in parallel, keeping file order, and sets aside what
/// cannot be used (including later documents that repeat an id).
pub(crate) fn load(
    config: &Config,
    inputs: Vec<Input>,
    skipped: Vec<Skipped>,
    progress: &dyn Progress,
) -> (LoadedCorpus, Vec<Skipped>) {
    load_with(config, inputs, skipped, progress, None, config.translations)
}

/// [`load`], with the frequent shingles `fixed` (an index's) instead of learned, and the texts
/// as read kept when `keep_raw` (translations need them; so does a report that shows them).
pub(super) fn load_with(
    config: &Config,
    inputs: Vec<Input>,
    mut skipped: Vec<Skipped>,
    progress: &dyn Progress,
    fixed: Option<&FrequentShingles>,
    keep_raw: bool,
) -> (LoadedCorpus, Vec<Skipped>) {
    progress.start(Stage::Read, inputs.len() as u64);
    let counter = frequent_counter(config, fixed.is_none());
    let read: Vec<Vec<std::result::Result<(corpus::Doc, String), Skipped>>> = inputs
        .par_iter()
        .map(|input| {
            let (mut shingler, mut buf) = (Shingler::default(), Vec::new());
            let docs = corpus::read(input, config)
                .into_iter()
                .map(|res| {
                    res.and_then(|doc| {
                        let text = normalize::normalize(&doc.text);
                        if text.is_empty() {
                            Err(Skipped {
                                path: doc.id.0,
                                reason: "no text left after normalization".into(),
                            })
                        } else {
                            count_if_sampled(
                                counter.as_ref(),
                                config,
                                &mut shingler,
                                &mut buf,
                                &doc.id.0,
                                &text,
                            );
                            // The text as read tells names by their capitals; only
                            // translations and a report showing the text need it.
                            let raw = if keep_raw { doc.text } else { String::new() };
                            Ok((corpus::Doc { text: raw, ..doc }, text))
                        }
                    })
                })
                .collect();
            progress.advance(1);
            docs
        })
        .collect();
    progress.finish();
    drop(inputs);

    let mut corpus = LoadedCorpus {
        docs: Vec::with_capacity(read.len()),
        ids: Ids::default(),
        texts: Vec::with_capacity(read.len()),
        raw: Vec::new(),
        sources: Sources::default(),
        frequent: frequent_set(config, counter, fixed),
    };
    let mut ids = SeenIds::default();
    for res in read.into_iter().flatten() {
        match res {
            Ok((doc, text)) => match ids.add(&mut corpus.ids, &doc.id.0) {
                Some(skip) => skipped.push(skip),
                None => {
                    corpus.docs.push(Loaded {
                        source: corpus.sources.number(&doc.source),
                        repaired: doc.repaired,
                        date: doc.date,
                        lang: None,
                    });
                    corpus.texts.push(text);
                    if keep_raw {
                        corpus.raw.push(doc.text);
                    }
                }
            },
            Err(skip) => skipped.push(skip),
        }
    }

    (corpus, skipped)
}

/// The text each document is fingerprinted on: its lines minus boilerplate.
pub(crate) fn strip_boilerplate(
    config: &Config,
    corpus: &LoadedCorpus,
) -> (Vec<String>, BoilerplateStats) {
    if config.keep_boilerplate {
        return (corpus.texts.clone(), BoilerplateStats::default());
    }
    let infos: Vec<Vec<LineInfo>> = corpus
        .texts
        .par_iter()
        .map(|text| boilerplate::line_infos(text))
        .collect();
    let view: Vec<(&str, &[LineInfo])> = corpus
        .docs
        .iter()
        .zip(&infos)
        .map(|(doc, lines)| (corpus.sources.name(doc.source), lines.as_slice()))
        .collect();
    let (keep, stats) = boilerplate::detect(&view);
    let texts = corpus
        .texts
        .par_iter()
        .zip(&keep)
        // A mask is made from the same text, so it always fits it.
        .map(|(text, mask)| boilerplate::kept_text(text, mask).unwrap_or_else(|| text.clone()))
        .collect();
    (texts, stats)
}
