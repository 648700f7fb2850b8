//! The numbering a night runs on: the old documents it selected from the index (ascending by
//! their number in the index), then its new documents. Every search and rule of a night depends
//! on documents only through their order, so this numbering decides as one over the whole index
//! would. Owns the translation between it and the index's numbers, and what each document says
//! of itself (fingerprint, sketch, id, site, date) whichever side it is on.

use super::night::Subset;
use super::store::StoredDoc;
use crate::cluster::{FingerprintRef, Fingerprints};
use crate::corpus::date::DateSource;
use crate::crosslang::SketchRef;
use crate::lang::Lang;
use crate::lsh::Signatures;
use crate::minhash::Lanes;
use crate::passes::Fingerprinted;

/// A night's documents numbered as one list: `0..first_new()` the selected old ones, then the
/// new ones (rows `fresh` of the run's tables).
pub(crate) struct Numbered<'a> {
    /// The old documents, ascending by number in the index.
    old: &'a [StoredDoc],
    /// Their numbers in the index.
    numbers: &'a [u32],
    /// The documents the index held before the night: the first new document's number there.
    documents_before: usize,
    /// The run's rows of the new documents, in order.
    fresh: &'a [usize],
    /// The run's tables.
    run: &'a Fingerprinted,
    /// Whether translations are on: languages are told only then.
    translations: bool,
}

impl<'a> Numbered<'a> {
    /// The numbering of `subset` followed by the rows `fresh` of `run`, in an index that held
    /// `documents_before` documents.
    pub(crate) fn new(
        subset: &'a Subset,
        documents_before: usize,
        fresh: &'a [usize],
        run: &'a Fingerprinted,
        translations: bool,
    ) -> Self {
        Numbered {
            old: &subset.docs,
            numbers: &subset.numbers,
            documents_before,
            fresh,
            run,
            translations,
        }
    }

    /// The first new document's number; the old ones are below it.
    pub(crate) fn first_new(&self) -> usize {
        self.old.len()
    }

    /// Old and new documents together.
    pub(crate) fn total(&self) -> usize {
        self.old.len() + self.fresh.len()
    }

    /// The documents the index held before the night.
    pub(crate) fn documents_before(&self) -> usize {
        self.documents_before
    }

    /// The run's rows of the new documents, in order.
    pub(crate) fn fresh(&self) -> &'a [usize] {
        self.fresh
    }

    /// The run's tables.
    pub(crate) fn run(&self) -> &'a Fingerprinted {
        self.run
    }

    /// The number in the index of document `i` (a new one's once added).
    pub(crate) fn global(&self, i: usize) -> u32 {
        let first_new = self.first_new();
        if i < first_new {
            self.numbers[i]
        } else {
            // Documents are numbered by u32 throughout.
            (self.documents_before + i - first_new) as u32
        }
    }

    /// The number here of old document `d` of the index (`usize::MAX` when not selected: the
    /// selection holds every member of the clusters it touches, so none is asked for).
    pub(crate) fn local(&self, d: u32) -> usize {
        self.numbers.binary_search(&d).unwrap_or(usize::MAX)
    }

    /// The number here of document `d` as the index numbers it, old or new.
    pub(crate) fn local_or_new(&self, d: u32) -> u32 {
        match (d as usize).checked_sub(self.documents_before) {
            Some(n) => (self.first_new() + n) as u32,
            None => self.local(d) as u32,
        }
    }

    /// The id of document `i`.
    pub(crate) fn id(&self, i: usize) -> &'a str {
        match i.checked_sub(self.first_new()) {
            None => &self.old[i].id,
            Some(n) => self.run.ids.get(self.fresh[n]),
        }
    }

    /// The translation sketch of document `i`: the index's, then the night's (all empty when
    /// translations are off, which the index's parameters then say too).
    pub(crate) fn sketch(&self, i: usize) -> SketchRef<'a> {
        match i.checked_sub(self.first_new()) {
            None => SketchRef {
                lang: self.old[i].sketch.lang,
                anchors: &self.old[i].sketch.anchors,
            },
            Some(n) => self.run.sketches.get(self.fresh[n]),
        }
    }

    /// The language of document `i`, when translations are on and it was told.
    pub(crate) fn lang(&self, i: usize) -> Option<Lang> {
        self.translations.then(|| self.sketch(i).lang).flatten()
    }

    /// The site of document `i` (empty when unknown).
    pub(crate) fn source(&self, i: usize) -> &'a str {
        match i.checked_sub(self.first_new()) {
            None => &self.old[i].source,
            Some(n) => {
                let run = self.run;
                run.sources.name(run.docs[self.fresh[n]].source)
            }
        }
    }

    /// The publication date of document `i` (seconds) and where it came from. An indexed
    /// document stored before the index kept date sources has none.
    pub(crate) fn date(&self, i: usize) -> Option<(i64, Option<DateSource>)> {
        match i.checked_sub(self.first_new()) {
            None => self.old[i].date.map(|d| (d, self.old[i].date_source)),
            Some(n) => self.run.docs[self.fresh[n]]
                .date
                .map(|d| (d.seconds, Some(d.source))),
        }
    }
}

impl Fingerprints for Numbered<'_> {
    fn count(&self) -> usize {
        self.total()
    }

    fn get(&self, i: usize) -> FingerprintRef<'_> {
        match i.checked_sub(self.first_new()) {
            None => (&self.old[i].fingerprint).into(),
            Some(n) => self.run.fps.get(self.fresh[n]),
        }
    }
}

impl Signatures for Numbered<'_> {
    fn count(&self) -> usize {
        Fingerprints::count(self)
    }

    fn signature(&self, doc: usize) -> Lanes<'_> {
        self.get(doc).signature
    }
}
