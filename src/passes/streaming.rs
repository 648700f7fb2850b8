//! The two streaming passes over a run's inputs, which never hold the corpus: the first reads
//! each document's line shapes (and language votes, and the frequent-shingle sample), the
//! documents are numbered and boilerplate is learned, and the second reads every input again
//! and fingerprints its kept lines.

use super::batch::map_inputs;
use super::document::{fingerprint_text, multilingual, sketch_text, Hashers, ShingleBufs};
use super::{
    count_if_sampled, frequent_counter, frequent_set, signature_width, span, Fingerprinted, Ids,
    Loaded, SeenIds, Sources,
};
use crate::anchor::Extractor;
use crate::boilerplate::{self, BoilerplateStats, LineInfo};
use crate::cluster::{FingerprintTable, Fingerprints};
use crate::config::Config;
use crate::corpus::{Input, Skipped};
use crate::crosslang::SketchTable;
use crate::frequent::{self, FrequentShingles};
use crate::normalize;
use crate::pipeline::{Progress, Stage};
use crate::shingle::Shingler;

/// What the first pass keeps of a document: the record the run keeps, and where its line shapes
/// are for boilerplate detection. No text: a document from standard input, which cannot be read
/// twice, has its text in [`FirstPass::texts`].
struct Seen {
    doc: Loaded,
    lines: Span,
}

/// Where a document's line shapes are: in the list of input `input`, `len` of them from
/// `start`. Held for every document until boilerplate is learned, so it is packed in 16 bytes.
#[derive(Clone, Copy)]
struct Span {
    start: u64,
    input: u32,
    len: u32,
}

/// What the first pass keeps of one input: its documents in file order (skips in place) and
/// the line shapes of all of them in one list. Line shapes are most of the first pass's
/// memory; in one list a document's cost no allocation of its own, and the list goes back to
/// the system whole when boilerplate is learned, leaving no holes for the second pass.
#[derive(Default)]
struct FirstPass {
    docs: Vec<std::result::Result<Seen, Skipped>>,
    /// The ids of the documents read (not of those skipped), in order.
    ids: Ids,
    lines: Vec<LineInfo>,
    /// The language vote of each line of `lines` (when translations are on and boilerplate is
    /// learned), for the language of a document's kept lines.
    votes: Vec<crate::lang::Vote>,
    /// The texts of the documents read, in order, when the input is standard input.
    texts: Vec<String>,
}

/// No slot: the document is not fingerprinted (skipped, or its id repeats an earlier one's).
const NO_SLOT: u32 = u32::MAX;

/// The boilerplate masks of all documents as one list of bits, a document's bits after those
/// of the documents before it. Held through the whole second pass: as lists of `bool`s they
/// would take a quarter of what the fingerprints do.
struct Masks {
    bits: Vec<u64>,
    /// Where each document's bits end (they start where the previous document's end).
    ends: Vec<usize>,
}

impl Masks {
    fn new(masks: Vec<Vec<bool>>) -> Masks {
        let total: usize = masks.iter().map(Vec::len).sum();
        let mut bits = vec![0u64; total.div_ceil(64)];
        let mut ends = Vec::with_capacity(masks.len());
        let mut at = 0;
        for mask in masks {
            for keep in mask {
                bits[at / 64] |= u64::from(keep) << (at % 64);
                at += 1;
            }
            ends.push(at);
        }
        Masks { bits, ends }
    }

    /// The kept lines of document `slot`'s normalized `text`, or None when the text no longer
    /// fits its mask (the file changed between the two passes); `mask` is scratch space.
    fn kept(&self, text: &str, slot: usize, mask: &mut Vec<bool>) -> Option<String> {
        if !self.get(slot, mask) {
            return Some(text.to_string());
        }
        boilerplate::kept_text(text, mask)
    }

    /// Writes document `slot`'s mask into `out`; false when there is none (boilerplate is
    /// kept).
    fn get(&self, slot: usize, out: &mut Vec<bool>) -> bool {
        if slot >= self.ends.len() {
            return false;
        }
        out.clear();
        out.extend(span(&self.ends, slot).map(|i| self.bits[i / 64] >> (i % 64) & 1 == 1));
        true
    }
}

/// Reads, normalizes, strips boilerplate and fingerprints every input in two passes without
/// holding the corpus: the first learns boilerplate from line hashes, the second reads each
/// input again and fingerprints it. Gives what [`super::fingerprint_inputs`] gives without
/// texts: both normalize the same bytes and apply the same masks (a test compares the two).
pub(super) fn fingerprint_streaming(
    config: &Config,
    inputs: Vec<Input>,
    mut skipped: Vec<Skipped>,
    progress: &dyn Progress,
    always_anchors: bool,
    fixed: Option<&FrequentShingles>,
) -> Fingerprinted {
    let counter = frequent_counter(config, fixed.is_none());
    progress.start(Stage::Read, inputs.len() as u64);
    let (first, sources) = first_pass(config, &inputs, progress, counter.as_ref());
    progress.finish();
    let (mut slots, shapes) = number(first, &mut skipped);
    let (masks, boilerplate) = learn_boilerplate(config, &mut slots.docs, shapes, &sources);
    let anchors = always_anchors || multilingual(slots.docs.iter().map(|d| d.lang));
    let frequent = frequent_set(config, counter, fixed);
    let hashers = Hashers::new(config, &frequent);
    progress.start(Stage::Fingerprint, inputs.len() as u64);
    let rows = second_pass(
        config, &inputs, progress, &mut slots, &masks, &hashers, anchors,
    );
    progress.finish();
    drop(masks);
    let Slots {
        mut docs,
        mut ids,
        plan,
        ..
    } = slots;
    drop(plan);
    let Rows {
        mut fps,
        written,
        mut sketches,
    } = rows;
    narrow(&written, &mut ids, &mut fps, &mut sketches, &mut skipped);
    let mut read_twice = written.iter().copied();
    docs.retain(|_| read_twice.next().unwrap_or(false));
    drop(written);
    Fingerprinted {
        docs,
        ids,
        sources,
        texts: Vec::new(),
        kept_texts: Vec::new(),
        raw: Vec::new(),
        fps,
        sketches,
        skipped,
        boilerplate,
        frequent,
    }
}

/// The first pass: each input's documents normalized, their line shapes and language votes
/// kept (see [`FirstPass`]), the sampled ones counted into `counter`, and the sites numbered.
fn first_pass(
    config: &Config,
    inputs: &[Input],
    progress: &dyn Progress,
    counter: Option<&frequent::Counter>,
) -> (Vec<FirstPass>, Sources) {
    let all: Vec<(usize, &Input)> = inputs.iter().enumerate().collect();
    // Site names are numbered as documents are read, so that no document holds a copy of one.
    let sources = std::sync::Mutex::new(Sources::default());
    let first = map_inputs(
        config,
        &all,
        progress,
        || (Shingler::default(), Vec::new()),
        |(shingler, buf), (which, _), doc| {
            let text = normalize::normalize(&doc.text);
            if text.is_empty() {
                return Err(Skipped {
                    path: doc.id.0,
                    reason: "no text left after normalization".into(),
                });
            }
            count_if_sampled(counter, config, shingler, buf, &doc.id.0, &text);
            let lines = if config.keep_boilerplate {
                Vec::new()
            } else {
                boilerplate::line_infos(&text)
            };
            let votes: Vec<crate::lang::Vote> = if !config.translations {
                Vec::new()
            } else if config.keep_boilerplate {
                normalize::lines(&text).map(crate::lang::vote).collect()
            } else {
                // Laid out as the mask will be, so that the kept lines' votes are told by it.
                super::document::unit_votes(&text, &lines)
            };
            // Without boilerplate removal every line is kept: the language is told now.
            let lang = if config.keep_boilerplate {
                crate::lang::from_votes(votes.iter().copied()).map(crate::lang::Lang::number)
            } else {
                None
            };
            // A panic elsewhere cannot leave the table half-updated: `number` pushes last.
            let source = sources
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .number(&doc.source);
            let seen = Seen {
                doc: Loaded {
                    source,
                    repaired: doc.repaired,
                    date: doc.date,
                    lang,
                },
                lines: Span {
                    start: 0,
                    // Inputs are numbered by u32 as documents are.
                    input: which as u32,
                    len: u32::try_from(lines.len()).unwrap_or(u32::MAX),
                },
            };
            // Standard input cannot be read twice: its text is kept as read, for the second
            // pass to normalize again (the translation sketch reads capitals from it).
            let text = inputs[which].is_stdin().then_some(doc.text);
            let votes = if config.keep_boilerplate {
                Vec::new()
            } else {
                votes
            };
            Ok((seen, (lines, votes), doc.id.0, text))
        },
        FirstPass::default,
        |pass, res| {
            pass.docs
                .push(res.map(|(mut seen, (lines, votes), id, text)| {
                    pass.ids.push(&id);
                    seen.lines.start = pass.lines.len() as u64;
                    pass.lines
                        .extend_from_slice(&lines[..seen.lines.len as usize]);
                    if !votes.is_empty() {
                        pass.votes
                            .extend_from_slice(&votes[..seen.lines.len as usize]);
                    }
                    pass.texts.extend(text);
                    seen
                }))
        },
    );
    let sources = sources
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    (first, sources)
}

/// The documents the run fingerprints, numbered (their slots) in id order, the first document
/// of an id winning, as in `load`.
struct Slots {
    /// The documents' records, by slot.
    docs: Vec<Loaded>,
    /// Their ids.
    ids: Ids,
    /// By input, the slot of each document read from it, in file order ([`NO_SLOT`] for one
    /// not fingerprinted).
    plan: Vec<Vec<u32>>,
    /// The texts as read of the documents from standard input, with their slots.
    stdin_texts: Vec<(usize, String)>,
}

/// The line shapes of the numbered documents, kept apart from their records: they go once
/// boilerplate is learned.
struct Shapes {
    /// By slot, where the document's line shapes and votes are.
    spans: Vec<Span>,
    /// By input, the line shapes of its documents.
    lines: Vec<Vec<LineInfo>>,
    /// By input, the language votes of those lines (empty when not asked for).
    votes: Vec<Vec<crate::lang::Vote>>,
}

/// Numbers the documents of the first pass (see [`Slots`]); those not fingerprinted go to
/// `skipped`.
fn number(first: Vec<FirstPass>, skipped: &mut Vec<Skipped>) -> (Slots, Shapes) {
    let mut lines = Vec::with_capacity(first.len());
    let mut votes = Vec::with_capacity(first.len());
    let documents = first.iter().map(|p| p.docs.len()).sum();
    let mut docs: Vec<Loaded> = Vec::with_capacity(documents);
    let mut spans: Vec<Span> = Vec::with_capacity(documents);
    let mut ids = Ids::default();
    let mut plan: Vec<Vec<u32>> = Vec::with_capacity(first.len());
    let mut stdin_texts: Vec<(usize, String)> = Vec::new();
    let mut repeated = SeenIds::default();
    for pass in first {
        lines.push(pass.lines);
        votes.push(pass.votes);
        let mut slots = Vec::with_capacity(pass.docs.len());
        let mut texts = pass.texts.into_iter();
        let mut read = 0;
        for res in pass.docs {
            match res {
                Ok(seen) => {
                    let id = pass.ids.get(read);
                    read += 1;
                    let text = texts.next();
                    match repeated.add(&mut ids, id) {
                        Some(skip) => {
                            skipped.push(skip);
                            slots.push(NO_SLOT);
                        }
                        None => {
                            // Documents are numbered by u32 throughout.
                            slots.push(docs.len() as u32);
                            if let Some(text) = text {
                                stdin_texts.push((docs.len(), text));
                            }
                            docs.push(seen.doc);
                            spans.push(seen.lines);
                        }
                    }
                }
                Err(skip) => {
                    skipped.push(skip);
                    slots.push(NO_SLOT);
                }
            }
        }
        plan.push(slots);
    }
    (
        Slots {
            docs,
            ids,
            plan,
            stdin_texts,
        },
        Shapes {
            spans,
            lines,
            votes,
        },
    )
}

/// Learns boilerplate from the line shapes of the documents `docs` and, when translations are
/// on, tells each one's language from the votes of its kept lines. Returns the masks and what
/// they leave out.
fn learn_boilerplate(
    config: &Config,
    docs: &mut [Loaded],
    shapes: Shapes,
    sources: &Sources,
) -> (Masks, BoilerplateStats) {
    let Shapes {
        spans,
        lines,
        votes,
    } = shapes;
    let (masks, boilerplate) = if config.keep_boilerplate {
        (Vec::new(), BoilerplateStats::default())
    } else {
        let view: Vec<(&str, &[LineInfo])> = docs
            .iter()
            .zip(&spans)
            .map(|(d, s)| {
                let start = s.start as usize;
                let lines = &lines[s.input as usize][start..start + s.len as usize];
                (sources.name(d.source), lines)
            })
            .collect();
        boilerplate::detect(&view)
    };
    // The language of each document's kept lines, from the votes its lines cast in the first
    // pass: what the second pass would read from its kept text.
    if config.translations && !config.keep_boilerplate {
        for ((doc, span), mask) in docs.iter_mut().zip(&spans).zip(&masks) {
            let start = span.start as usize;
            let cast = votes[span.input as usize].get(start..start + span.len as usize);
            doc.lang = cast.and_then(|cast| {
                let kept = cast.iter().zip(mask).filter(|(_, &k)| k).map(|(v, _)| *v);
                crate::lang::from_votes(kept).map(crate::lang::Lang::number)
            });
        }
    }
    drop(votes);
    drop(lines);
    drop(spans);
    (Masks::new(masks), boilerplate)
}

/// The rows the second pass wrote.
struct Rows {
    /// The fingerprint of each slot.
    fps: FingerprintTable,
    /// Whether each slot's row was written: a document read only once has none.
    written: Vec<bool>,
    /// The translation sketch of each slot.
    sketches: SketchTable,
}

/// The second pass: every input read again (standard input's texts kept by the first), each
/// numbered document's kept lines (by `masks`) fingerprinted and sketched, with anchors when
/// `anchors`.
fn second_pass(
    config: &Config,
    inputs: &[Input],
    progress: &dyn Progress,
    slots: &mut Slots,
    masks: &Masks,
    hashers: &Hashers,
    anchors: bool,
) -> Rows {
    let Slots { docs, plan, .. } = &*slots;
    let kept = |text: &str, slot: usize, mask: &mut Vec<bool>| masks.kept(text, slot, mask);
    let files: Vec<(usize, &Input)> = inputs
        .iter()
        .enumerate()
        .filter(|(_, i)| !i.is_stdin())
        .collect();
    // Each fingerprint goes to its row as its batch is done: no input's list of them is held.
    // A row is marked when written; a document read only once has none.
    let fps = std::sync::Mutex::new((
        FingerprintTable::with_rows(docs.len(), signature_width(config)),
        vec![false; docs.len()],
        SketchTable::with_rows(docs.len()),
    ));
    map_inputs(
        config,
        &files,
        progress,
        || {
            (
                Shingler::default(),
                ShingleBufs::default(),
                Vec::new(),
                Extractor::default(),
            )
        },
        |(shingler, bufs, mask, extractor), (which, at), doc| {
            let slot = match plan[which].get(at) {
                Some(&slot) if slot != NO_SLOT => slot as usize,
                _ => return Ok(None),
            };
            let text = normalize::normalize(&doc.text);
            Ok(kept(&text, slot, mask).map(|k| {
                let fp = fingerprint_text(config, hashers, shingler, bufs, &k);
                (
                    slot,
                    fp,
                    sketch_text(config, extractor, &doc.text, &k, docs[slot].lang, anchors),
                )
            }))
        },
        || (),
        |_, res| {
            // A document that cannot be read again keeps no fingerprint: it is reported as
            // changed below.
            if let Ok(Some((slot, fp, sketch))) = res {
                let mut fps = fps.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                fps.0.set(slot, (&fp).into());
                fps.1[slot] = true;
                fps.2.set(slot, &sketch);
            }
        },
    );
    let (mut fps, mut written, mut sketches) = fps
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let (mut shingler, mut bufs, mut mask) =
        (Shingler::default(), ShingleBufs::default(), Vec::new());
    let mut extractor = Extractor::default();
    let stdin_texts = std::mem::take(&mut slots.stdin_texts);
    let docs = &slots.docs;
    for (slot, raw) in stdin_texts {
        let text = normalize::normalize(&raw);
        if let Some(k) = kept(&text, slot, &mut mask) {
            let fp = fingerprint_text(config, hashers, &mut shingler, &mut bufs, &k);
            fps.set(slot, (&fp).into());
            written[slot] = true;
            sketches.set(
                slot,
                &sketch_text(config, &mut extractor, &raw, &k, docs[slot].lang, anchors),
            );
        }
    }
    Rows {
        fps,
        written,
        sketches,
    }
}

/// Narrows the tables to the documents `written` by the second pass, where they lie rather
/// than copied (the documents and their fingerprints are the run's largest tables); those read
/// once, and those with no words to fingerprint, go to `skipped`.
fn narrow(
    written: &[bool],
    ids: &mut Ids,
    fps: &mut FingerprintTable,
    sketches: &mut SketchTable,
    skipped: &mut Vec<Skipped>,
) {
    for (i, &read_twice) in written.iter().enumerate() {
        if !read_twice {
            skipped.push(Skipped {
                path: ids.get(i).to_string(),
                reason: "changed or vanished between the two reads of the run".into(),
            });
        } else if fps.get(i).shingles == 0 {
            skipped.push(Skipped {
                path: ids.get(i).to_string(),
                reason: "no words to fingerprint".into(),
            });
        }
    }
    if written.iter().any(|w| !w) {
        let mut kept = Ids::default();
        for (i, _) in written.iter().enumerate().filter(|(_, w)| **w) {
            kept.push(ids.get(i));
        }
        *ids = kept;
        fps.retain(written);
        sketches.retain(written);
    }
}
