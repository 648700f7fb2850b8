//! Reads a run's inputs in batches: in parallel across inputs, in batches of documents within
//! one, a large input read on a thread of its own ahead of the pool. Owns the batching only:
//! what is done to each document is the caller's.

use rayon::prelude::*;

use crate::config::Config;
use crate::corpus::{self, Input, Skipped};
use crate::pipeline::Progress;

/// Documents of one input handled as one parallel batch: enough to keep every core busy on a
/// single large JSON Lines or WARC file, few enough that a batch's texts stay a few megabytes.
const BATCH_DOCS: usize = 1024;

/// Inputs at least this large (and standard input) are read on a thread of their own, ahead of
/// the pool: they hold many documents (JSON Lines, WARC) or one huge one.
const LARGE_INPUT_BYTES: u64 = 1 << 20;

/// Reads `inputs` (in parallel across inputs, and in batches of [`BATCH_DOCS`] within one) and
/// maps each decoded document with `f(scratch, (input, position in it), doc)`. The results of
/// an input are handed, in file order (skips in place), to `keep(acc, result)` on an
/// accumulator `start()` made for that input; returns the accumulators. No input's texts
/// outlive their batch, and a result need not outlive its batch either: `keep` may store
/// what it needs in a compact form.
pub(super) fn map_inputs<R, S, A, I, F, K>(
    config: &Config,
    inputs: &[(usize, &Input)],
    progress: &dyn Progress,
    init: I,
    f: F,
    start: impl Fn() -> A + Sync + Send,
    keep: K,
) -> Vec<A>
where
    R: Send,
    A: Send,
    I: Fn() -> S + Sync + Send,
    F: Fn(&mut S, (usize, usize), corpus::Doc) -> std::result::Result<R, Skipped> + Sync + Send,
    K: Fn(&mut A, std::result::Result<R, Skipped>) + Sync + Send,
{
    let fields = corpus::jsonl::Fields::from_config(config);
    inputs
        .par_iter()
        .map(|&(which, input)| {
            let mut results = start();
            let file_date = corpus::FileDate::new(input);
            // Works on a batch and gives it back emptied, for the reader to fill again: a
            // batch's buffer is megabytes, and allocations that size, freed and made again,
            // leave the allocator holding more and more memory.
            let mut run = |mut batch: Batch| -> Batch {
                let Batch { json, items } = &mut batch;
                let done: Vec<std::result::Result<R, Skipped>> = items
                    .par_drain(..)
                    .map_init(&init, |scratch, (at, item)| {
                        let res = match item {
                            Pending::Doc(res) => res,
                            Pending::Record {
                                position,
                                json: range,
                            } => corpus::record(input, &fields, &file_date, position, &json[range]),
                        };
                        res.and_then(|doc| f(scratch, (which, at), doc))
                    })
                    .collect();
                for res in done {
                    keep(&mut results, res);
                }
                json.clear();
                batch
            };
            let large = input.is_stdin()
                || match &input.memory {
                    Some(bytes) => bytes.len() as u64 >= LARGE_INPUT_BYTES,
                    None => {
                        std::fs::metadata(&input.path).is_ok_and(|m| m.len() >= LARGE_INPUT_BYTES)
                    }
                };
            // With one worker the reading stays on it: `--threads 1` means one busy thread.
            if large && rayon::current_num_threads() > 1 {
                // A thread of its own reads the next batch while the pool parses and works on
                // this one: reading a big file is sequential, the rest is not.
                std::thread::scope(|scope| {
                    let (tx, rx) = std::sync::mpsc::sync_channel::<Batch>(2);
                    let (back_tx, back_rx) = std::sync::mpsc::channel::<Batch>();
                    let file_date = &file_date;
                    scope.spawn(move || {
                        read_batches(input, config, file_date, &mut |full| {
                            // Fails only when the consumer is gone; nothing to do then.
                            let _ = tx.send(full);
                            back_rx.try_recv().unwrap_or_default()
                        })
                    });
                    for batch in rx {
                        // The reader may be done and gone: then the batch is simply dropped.
                        let _ = back_tx.send(run(batch));
                    }
                });
            } else {
                read_batches(input, config, &file_date, &mut run);
            }
            progress.advance(1);
            results
        })
        .collect()
}

/// Documents of one input, as read, with their positions in it: at most [`BATCH_DOCS`] of
/// them, with JSON records of about [`BATCH_JSON_BYTES`] at most.
#[derive(Default)]
struct Batch {
    /// The bytes of the batch's JSON records, end to end: one buffer a batch, filled by the
    /// reading thread, where a string a record would be an allocation each, made on the
    /// reading thread and freed on another.
    json: Vec<u8>,
    items: Vec<(usize, Pending)>,
}

/// A document of a [`Batch`]: decoded, or a JSON record to parse (its bytes in the batch).
enum Pending {
    Doc(std::result::Result<corpus::Doc, Skipped>),
    Record {
        position: corpus::jsonl::Position,
        json: std::ops::Range<usize>,
    },
}

/// A batch is handed over once its JSON records reach this many bytes, even short of
/// [`BATCH_DOCS`] documents: records can be large.
const BATCH_JSON_BYTES: usize = 8 << 20;

/// Reads `input` and hands its documents to `on_batch` in batches (see [`Batch`]), the last one
/// possibly shorter (or empty); `on_batch` gives back an empty batch to fill next. JSON records
/// are handed over unparsed, for the pool to parse.
fn read_batches(
    input: &Input,
    config: &Config,
    file_date: &corpus::FileDate<'_>,
    on_batch: &mut dyn FnMut(Batch) -> Batch,
) {
    let mut filling = Batch::default();
    let mut at = 0;
    corpus::read_each_unparsed(input, config, file_date, &mut |item| {
        let pending = match item {
            corpus::Item::Doc(res) => Pending::Doc(res),
            corpus::Item::Record { at: position, json } => {
                let start = filling.json.len();
                filling.json.extend_from_slice(json);
                Pending::Record {
                    position,
                    json: start..filling.json.len(),
                }
            }
        };
        filling.items.push((at, pending));
        at += 1;
        if filling.items.len() >= BATCH_DOCS || filling.json.len() >= BATCH_JSON_BYTES {
            let full = std::mem::take(&mut filling);
            filling = on_batch(full);
        }
    });
    on_batch(filling);
}
