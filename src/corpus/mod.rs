//! Finding and decoding the inputs: walks the path arguments in a stable order, gives each
//! document its id and source, and turns every file or record that cannot be used into a listed
//! skip. This module owns opening, decompressing and sniffing; each input format is one
//! submodule (`text`, [`html`], [`jsonl`], [`warc`]) and [`compress`] and `encoding` serve them
//! all.

pub mod compress;
pub mod date;
pub mod dateline;
mod encoding;
pub mod html;
pub mod jsonl;
pub mod range;
mod text;
pub mod warc;

use std::io::{self, BufRead, Read};
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::error::{Error, Result};

pub use compress::Compression;

/// How many leading bytes are looked at to sniff a format and to spot a binary file (what git and
/// ripgrep look at).
const HEAD_BYTES: usize = 8 * 1024;

/// Buffer of the record readers: large sequential reads keep a nightly scrape on a spinning or
/// network disk from turning into many small ones.
const READ_BUFFER_BYTES: usize = 256 * 1024;

/// The path argument that means standard input.
const STDIN_ARG: &str = "-";

/// The id of a document: its path relative to the directory argument, with `/` separators, or
/// for a record inside a file, the record's own id (or its position, `FILE:LINE`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DocId(pub String);

impl std::fmt::Display for DocId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A file found on disk (or standard input) that one of the format readers will decode.
#[derive(Debug, Clone)]
pub struct Input {
    /// The input's id; documents read from it are named after it unless records carry ids.
    pub id: DocId,
    /// Where to read it from; `-` is standard input.
    pub path: PathBuf,
    /// The site the document came from: the first directory level under the argument.
    pub source: String,
    /// Which reader decodes it, when the name says so; `None` means the content decides.
    pub format: Option<Format>,
    /// The compression the name says (`.gz`, `.zst`); without one, the content is sniffed.
    pub compression: Option<Compression>,
    /// The input's bytes when they are held in memory (documents handed over by a program,
    /// not found on disk): read from here instead of `path`, as often as a run needs.
    pub memory: Option<std::sync::Arc<[u8]>>,
    /// Only the records that start in this part of a large JSON Lines file (a distributed
    /// run's reader of one part, see [`range`]); `None` reads the whole input.
    pub range: Option<range::ByteRange>,
}

impl Input {
    /// Whether this input is standard input (the path argument `-`).
    pub fn is_stdin(&self) -> bool {
        self.memory.is_none() && self.path.as_os_str() == STDIN_ARG
    }

    /// The input of the file at `path`, named `id`, from site `source`, its format and
    /// compression told by its name as [`discover`] tells them: how a worker of a distributed
    /// run rebuilds an input the driver discovered.
    pub fn file(path: PathBuf, id: &str, source: &str) -> Input {
        let (compression, format) = name_says(&path);
        Input {
            id: DocId(id.into()),
            path,
            source: source.into(),
            format,
            compression,
            memory: None,
            range: None,
        }
    }

    /// An input of JSON Lines held in memory, named `id` (the name its documents take when
    /// their records carry no id). Its documents have no file date: a record's own date field
    /// is the only one.
    pub fn memory_jsonl(id: &str, bytes: std::sync::Arc<[u8]>) -> Input {
        Input {
            id: DocId(id.into()),
            path: PathBuf::from(id),
            source: String::new(),
            format: Some(Format::JsonLines),
            compression: None,
            memory: Some(bytes),
            range: None,
        }
    }
}

/// The input formats reprint reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text or Markdown, one article a file.
    Text,
    /// An HTML page, one article a file.
    Html,
    /// JSON Lines (NDJSON): one JSON object, one article, a line.
    JsonLines,
    /// A JSON array of article objects (or a stream of objects).
    Json,
    /// A WARC web archive: each HTML `response` record is one article.
    Warc,
}

impl Format {
    /// The format a file name's extension (without the dot, any case) says, if reprint reads it.
    pub fn from_extension(ext: &str) -> Option<Format> {
        match ext.to_ascii_lowercase().as_str() {
            "txt" | "text" | "md" | "markdown" => Some(Format::Text),
            "html" | "htm" | "xhtml" | "shtml" => Some(Format::Html),
            "jsonl" | "ndjson" | "jsonlines" => Some(Format::JsonLines),
            "json" => Some(Format::Json),
            "warc" => Some(Format::Warc),
            _ => None,
        }
    }

    /// The format the first bytes of a (decompressed) file show, for names that say nothing.
    pub fn sniff(head: &[u8]) -> Option<Format> {
        let body = strip_utf8_bom(head).trim_ascii_start();
        if body.starts_with(b"WARC/1.") {
            return Some(Format::Warc);
        }
        if body.starts_with(b"<") {
            let window = &body[..body.len().min(1024)];
            if contains_ignore_case(window, b"<!doctype html")
                || contains_ignore_case(window, b"<html")
            {
                return Some(Format::Html);
            }
        }
        if body.starts_with(b"[") && body[1..].trim_ascii_start().starts_with(b"{") {
            return Some(Format::Json);
        }
        // Every line of the head must open an object (a line cut by the head's end still does).
        let mut lines = body
            .split(|&b| b == b'\n')
            .map(<[u8]>::trim_ascii)
            .filter(|l| !l.is_empty())
            .peekable();
        if lines.peek().is_some() && lines.all(|l| l.starts_with(b"{")) {
            return Some(Format::JsonLines);
        }
        None
    }
}

/// What the name of a file says about it: its compression and the format inside.
fn name_says(path: &Path) -> (Option<Compression>, Option<Format>) {
    let Some(name) = path.file_name() else {
        return (None, None);
    };
    let name = name.to_string_lossy();
    let (stem, compression) = match name.rsplit_once('.') {
        Some((stem, ext)) => match Compression::from_extension(ext) {
            Some(c) => (stem, Some(c)),
            None => (name.as_ref(), None),
        },
        None => (name.as_ref(), None),
    };
    let format = stem
        .rsplit_once('.')
        .and_then(|(_, ext)| Format::from_extension(ext));
    (compression, format)
}

/// An input, or a record inside one, that was not used, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Skipped {
    /// The path (or document id, or `FILE:LINE` of a record) as the user would recognise it.
    pub path: String,
    /// Why it was skipped.
    pub reason: String,
}

/// Why an input or a record was skipped; its text is the `reason` of a [`Skipped`] entry.
#[derive(Debug, thiserror::Error)]
pub enum Reason {
    /// Neither the name nor the first bytes show a format reprint reads.
    #[error("unsupported file type")]
    Unsupported,
    /// The file has no bytes at all.
    #[error("empty file")]
    Empty,
    /// The file or record decoded to whitespace only.
    #[error("empty: no text")]
    NoText,
    /// An HTML page or HTML record with nothing visible outside navigation and chrome.
    #[error("no text left after HTML extraction")]
    NoHtmlText,
    /// A JSON file with no record at all (only whitespace, or `[]`).
    #[error("empty: no records")]
    NoRecords,
    /// A WARC file without a single HTML response or resource record.
    #[error("no HTML response records")]
    NoArticles,
    /// An HTML page whose elements nest deeper than any real page (see `corpus::html`).
    #[error("HTML nested more than {limit} elements deep")]
    TooDeep {
        /// The deepest nesting allowed.
        limit: usize,
    },
    /// A NUL byte near the start of a text format.
    #[error("binary file (NUL byte in the first 8 KiB)")]
    Binary,
    /// A one-article file over the size limit.
    #[error("file is {size} bytes, over --max-file-bytes {limit}")]
    FileTooLarge {
        /// The file's size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// A compressed one-article file that inflates past the size limit.
    #[error("inflates to more than --max-file-bytes {limit}")]
    InflatedTooLarge {
        /// The limit.
        limit: u64,
    },
    /// One record of a multi-record file over the size limit.
    #[error("record is {size} bytes, over --max-file-bytes {limit}")]
    RecordTooLarge {
        /// The record's size (at least this; a WARC payload may be counted before inflating).
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// A JSON record that does not parse.
    #[error("malformed JSON: {0}")]
    MalformedJson(String),
    /// A JSON record that parses but is not an object.
    #[error("record is not a JSON object")]
    NotAnObject,
    /// A JSON object without any of the text fields.
    #[error("no text: none of the fields {0} is present")]
    NoTextField(String),
    /// A JSON text field holding something other than a string (or a list of strings).
    #[error("no text: field {0:?} is not a string")]
    TextNotString(String),
    /// A JSON array that stops before its closing bracket, or a WARC file cut inside a record.
    #[error("truncated {what}; the records before it were kept")]
    Truncated {
        /// What was cut, and where.
        what: String,
    },
    /// Bytes that belong to no record: between WARC records or after a JSON array.
    #[error("{0}")]
    Damaged(String),
    /// A compressed stream that ends early.
    #[error("truncated {format} data ({detail}); the records before it were kept")]
    TruncatedStream {
        /// `gzip` or `zstd`.
        format: &'static str,
        /// What the decoder said.
        detail: String,
    },
    /// A compressed stream with invalid data.
    #[error("corrupt {format} data ({detail}); the records before it were kept")]
    CorruptStream {
        /// `gzip` or `zstd`.
        format: &'static str,
        /// What the decoder said.
        detail: String,
    },
    /// A WARC response the reader cannot decode (bad HTTP framing, unknown content coding).
    #[error("{0}")]
    BadPayload(String),
    /// An operating-system error while opening or reading.
    #[error("{0}")]
    Io(#[from] io::Error),
}

/// Decoded bytes of one file, before they are cut into documents.
#[derive(Debug, Clone)]
pub struct RawDoc {
    /// The decoded text.
    pub text: String,
    /// Whether invalid bytes had to be replaced while decoding.
    pub repaired: bool,
}

/// One article, decoded and ready for normalization.
#[derive(Debug, Clone)]
pub struct Doc {
    /// The document's id.
    pub id: DocId,
    /// The site it came from (may be empty when unknown).
    pub source: String,
    /// Its text.
    pub text: String,
    /// Whether invalid bytes had to be replaced while decoding.
    pub repaired: bool,
    /// Publication date and its evidence: the first credible of the record's date field, the
    /// page's HTML metadata, a dateline in the text, the WARC-Date, the file's modification
    /// time (see [`date::DateSource`]).
    pub date: Option<date::Dated>,
}

/// What the walk found: the inputs to read, in id order, and what was left out.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Files to read, sorted by id.
    pub inputs: Vec<Input>,
    /// Files found but not readable as articles.
    pub skipped: Vec<Skipped>,
}

/// Walks every path argument. A missing argument is an error (nothing is read); problems with
/// single files below a directory become skips. The argument `-` is standard input, read as
/// JSON Lines.
pub fn discover(config: &Config) -> Result<Discovery> {
    let mut found = Discovery::default();
    for arg in &config.paths {
        // Standard input has no metadata worth asking for, and a pipe must not be stat'ed away.
        if arg.as_os_str() == STDIN_ARG {
            found.inputs.push(Input {
                id: DocId(STDIN_ARG.into()),
                path: arg.clone(),
                source: String::new(),
                format: Some(Format::JsonLines),
                compression: None,
                memory: None,
                range: None,
            });
            continue;
        }
        let meta = std::fs::metadata(arg).map_err(|e| {
            if e.kind() == io::ErrorKind::NotFound {
                Error::MissingPath(arg.clone())
            } else {
                Error::with_path(arg, e)
            }
        })?;
        if meta.is_dir() {
            walk_dir(arg, config, &mut found);
        } else {
            let id = arg.to_string_lossy().replace('\\', "/");
            let source = arg
                .parent()
                .and_then(|p| p.file_name())
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            push_file(arg.clone(), id, source, &mut found);
        }
    }
    found.inputs.sort_by(|a, b| a.id.cmp(&b.id));
    // Two arguments can hold the same relative path; the first keeps the id, the rest are
    // listed rather than silently merged into one document.
    let mut kept: Vec<Input> = Vec::with_capacity(found.inputs.len());
    for input in found.inputs {
        match kept.last() {
            // Both paths are named in the reason: the user must see which file was left out.
            Some(prev) if prev.id == input.id => found.skipped.push(Skipped {
                path: input.id.0.clone(),
                reason: format!(
                    "duplicate id: {} was read and {} was not",
                    prev.path.display(),
                    input.path.display()
                ),
            }),
            _ => kept.push(input),
        }
    }
    found.inputs = kept;
    found.skipped.sort();
    Ok(found)
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|n| n.starts_with('.') && n != "." && n != "..")
}

fn walk_dir(root: &Path, config: &Config, found: &mut Discovery) {
    let walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || config.hidden || !is_hidden(e.file_name()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err
                    .path()
                    .map(|p| relative_id(root, p))
                    .unwrap_or_else(|| root.to_string_lossy().into_owned());
                let reason = match (err.loop_ancestor(), err.io_error()) {
                    (Some(_), _) => "symlink loop".to_string(),
                    (None, Some(io)) => io.to_string(),
                    (None, None) => err.to_string(),
                };
                found.skipped.push(Skipped { path, reason });
                continue;
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let id = relative_id(root, entry.path());
        let source = match id.split_once('/') {
            Some((first, _)) => first.to_string(),
            None => String::new(),
        };
        push_file(entry.path().to_path_buf(), id, source, found);
    }
}

/// The id of a file below a directory argument: its relative path with `/` separators, so that
/// ids (and reports) do not depend on where the corpus sits or on the platform.
fn relative_id(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

fn push_file(path: PathBuf, id: String, source: String, found: &mut Discovery) {
    // A name that says nothing is not a skip yet: the reader sniffs the content.
    found.inputs.push(Input::file(path, &id, &source));
}

/// Reads one input and returns its documents in file order; a file holding several articles
/// (JSON Lines, JSON, WARC) yields several. Whatever cannot be used becomes a [`Skipped`] entry
/// in place, so one bad record never costs the rest of the file; damage that ends a file early
/// (a truncated archive) comes last, after the records read before it.
pub fn read(input: &Input, config: &Config) -> Vec<std::result::Result<Doc, Skipped>> {
    let mut out = Vec::new();
    read_each(input, config, &mut |d| out.push(d));
    out
}

/// Like [`read`], handing each document to `sink` as soon as it is decoded, so that a large
/// JSON Lines or WARC file is never held in memory whole.
pub fn read_each(
    input: &Input,
    config: &Config,
    sink: &mut dyn FnMut(std::result::Result<Doc, Skipped>),
) {
    let fields = jsonl::Fields::from_config(config);
    let file_date = FileDate::new(input);
    read_each_unparsed(input, config, &file_date, &mut |item| {
        sink(match item {
            Item::Doc(res) => res,
            Item::Record { at, json } => record(input, &fields, &file_date, at, json),
        })
    });
}

/// What [`read_each_unparsed`] hands over: a decoded document (or why one is skipped), or a
/// JSON record cut out of its input but not yet parsed.
#[derive(Debug)]
pub enum Item<'a> {
    /// A document, dated, or a skip.
    Doc(std::result::Result<Doc, Skipped>),
    /// The bytes of one JSON record, for [`record`], at `at` in its input.
    Record {
        /// Where the record starts in its input.
        at: jsonl::Position,
        /// The record's bytes (UTF-8 once any UTF-16 input is transcoded).
        json: &'a [u8],
    },
}

/// Like [`read_each`], but JSON records come cut out and unparsed, for [`record`] to parse:
/// parsing is most of the reading of a large JSON Lines file, and this way it need not happen
/// on the thread that reads. The records' bytes are lent only for the call to `sink`.
pub fn read_each_unparsed(
    input: &Input,
    config: &Config,
    file_date: &FileDate<'_>,
    sink: &mut dyn FnMut(Item<'_>),
) {
    let mut dated = |item: Item<'_>| {
        sink(match item {
            Item::Doc(res) => Item::Doc(res.map(|mut doc| {
                file_date.fill(&mut doc, config.now_seconds);
                doc
            })),
            record => record,
        })
    };
    if let Err(reason) = read_into(input, config, &mut dated) {
        dated(Item::Doc(Err(Skipped {
            path: input.id.0.clone(),
            reason: reason.to_string(),
        })));
    }
}

/// The document of a JSON record that [`read_each_unparsed`] handed over from `input`, dated
/// as [`read_each`] dates it.
pub fn record(
    input: &Input,
    fields: &jsonl::Fields,
    file_date: &FileDate<'_>,
    at: jsonl::Position,
    json: &[u8],
) -> std::result::Result<Doc, Skipped> {
    let now = fields.now_seconds;
    record_doc(input, &at, jsonl::parse_record(json, fields), now).map(|mut doc| {
        file_date.fill(&mut doc, now);
        doc
    })
}

/// The modification time of an input, which dates its documents that carry no date of their
/// own. Read at most once, when first needed, by whichever thread needs it first.
#[derive(Debug)]
pub struct FileDate<'a> {
    input: &'a Input,
    date: std::sync::OnceLock<Option<date::Dated>>,
}

impl<'a> FileDate<'a> {
    /// The modification time of `input`, not read yet.
    pub fn new(input: &'a Input) -> Self {
        FileDate {
            input,
            date: std::sync::OnceLock::new(),
        }
    }

    /// Dates `doc` by the file when it has no date of its own (never from standard input),
    /// if the file's time is credible at `now_seconds` (a file restored from an archive
    /// without its times may say 1970).
    fn fill(&self, doc: &mut Doc, now_seconds: i64) {
        if doc.date.is_none() && !self.input.is_stdin() && self.input.memory.is_none() {
            doc.date = self
                .date
                .get_or_init(|| {
                    std::fs::metadata(&self.input.path)
                        .and_then(|m| m.modified())
                        .ok()
                        .and_then(|t| jiff::Timestamp::try_from(t).ok())
                        .map(|t| date::Dated {
                            seconds: t.as_second(),
                            source: date::DateSource::Mtime,
                        })
                })
                .filter(|d| date::credible(d.seconds, now_seconds));
        }
    }
}

/// The documents of one input go to `out`; `Err` is why the rest of the input is lost.
fn read_into(
    input: &Input,
    config: &Config,
    out: &mut dyn FnMut(Item<'_>),
) -> std::result::Result<(), Reason> {
    if let Some(part) = input.range {
        return read_range(input, config, part, out);
    }
    let (raw, size): (Box<dyn Read>, Option<u64>) = if let Some(bytes) = &input.memory {
        let size = bytes.len() as u64;
        (Box::new(io::Cursor::new(bytes.clone())), Some(size))
    } else if input.is_stdin() {
        (Box::new(io::stdin().lock()), None)
    } else {
        let file = std::fs::File::open(&input.path)?;
        let meta = file.metadata()?;
        (Box::new(file), meta.is_file().then_some(meta.len()))
    };
    if size == Some(0) {
        return Err(Reason::Empty);
    }
    let raw = Stream::open(Box::new(OsRead(raw)));
    if raw.head.is_empty() {
        return Err(raw.pending.map_or(Reason::Empty, Reason::Io));
    }
    let compression = input.compression.or_else(|| Compression::sniff(&raw.head));
    let Some(compression) = compression else {
        return decode(input, config, raw, None, size, out);
    };
    let inner = Stream::open(compression.decoder(raw)?);
    if inner.head.is_empty() {
        return Err(match inner.pending {
            Some(err) => compression.damage(err),
            None => Reason::Empty,
        });
    }
    decode(input, config, inner, Some(compression), None, out)
}

/// The records of one part of a plain JSON Lines file ([`range::cuts`] made the parts): as
/// the whole file's reader gives them, named by the whole file's line numbers. A part in
/// which no record starts gives nothing, not a skip.
fn read_range(
    input: &Input,
    config: &Config,
    part: range::ByteRange,
    out: &mut dyn FnMut(Item<'_>),
) -> std::result::Result<(), Reason> {
    let (reader, lines_before) = range::open(&input.path, part)?;
    let reader = io::BufReader::with_capacity(READ_BUFFER_BYTES, reader);
    let mut emit = |mut at: jsonl::Position, res: std::result::Result<&[u8], Reason>| {
        at.line += lines_before;
        out(record_item(input, config, at, res));
    };
    match jsonl::split_lines(reader, config.max_file_bytes, &mut emit) {
        Ok(_) => Ok(()),
        Err(ReadError::Io(err)) => Err(Reason::Io(err)),
        Err(ReadError::Damaged(reason)) => Err(reason),
    }
}

/// What a record splitter's result at `at` becomes: the record's bytes for [`record`], or the
/// skip of a record that could not be cut out.
fn record_item<'a>(
    input: &Input,
    config: &Config,
    at: jsonl::Position,
    res: std::result::Result<&'a [u8], Reason>,
) -> Item<'a> {
    match res {
        Ok(json) => Item::Record { at, json },
        Err(reason) => Item::Doc(record_doc(input, &at, Err(reason), config.now_seconds)),
    }
}

/// Runs the format's reader over an opened (and inflated) stream. `size` is the file's size
/// when it is known and the stream is not compressed.
fn decode(
    input: &Input,
    config: &Config,
    stream: Stream,
    compression: Option<Compression>,
    size: Option<u64>,
    out: &mut dyn FnMut(Item<'_>),
) -> std::result::Result<(), Reason> {
    let format = input
        .format
        .or_else(|| Format::sniff(&stream.head))
        .ok_or(Reason::Unsupported)?;
    let damage = |err: io::Error| match compression {
        Some(c) => c.damage(err),
        None => Reason::Io(err),
    };
    let limit = config.max_file_bytes;
    match format {
        Format::Text | Format::Html => {
            if let Some(size) = size.filter(|&s| s > limit) {
                return Err(Reason::FileTooLarge { size, limit });
            }
            let bytes = read_bounded(stream, limit)
                .map_err(damage)?
                .ok_or(match size {
                    Some(size) => Reason::FileTooLarge { size, limit },
                    None => Reason::InflatedTooLarge { limit },
                })?;
            let (raw, html_date) = match format {
                Format::Html => {
                    let page = html::extract(&bytes)?;
                    let raw = RawDoc {
                        text: page.text,
                        repaired: page.repaired,
                    };
                    (raw, page.date)
                }
                _ => (text::decode(&bytes)?, None),
            };
            if raw.text.trim().is_empty() {
                return Err(Reason::NoText);
            }
            let date = Evidence {
                html: html_date,
                ..Evidence::default()
            }
            .date(&raw.text, config.now_seconds);
            out(Item::Doc(Ok(Doc {
                id: input.id.clone(),
                source: input.source.clone(),
                text: raw.text,
                repaired: raw.repaired,
                date,
            })));
            Ok(())
        }
        Format::JsonLines | Format::Json => {
            let transcode = encoding::utf16_bom(&stream.head);
            if transcode.is_none() && encoding::is_binary(&stream.head) {
                return Err(Reason::Binary);
            }
            let reader: Box<dyn Read> = match transcode {
                Some(enc) => Box::new(encoding::Utf8Reader::new(stream, enc)),
                None => Box::new(stream),
            };
            let reader = io::BufReader::with_capacity(READ_BUFFER_BYTES, reader);
            let mut emit = |at: jsonl::Position, res: std::result::Result<&[u8], Reason>| {
                out(record_item(input, config, at, res));
            };
            let res = if format == Format::JsonLines {
                jsonl::split_lines(reader, limit, &mut emit)
            } else {
                jsonl::split_json(reader, limit, &mut emit)
            };
            match res {
                Ok(0) => Err(Reason::NoRecords),
                Ok(_) => Ok(()),
                Err(ReadError::Io(err)) => Err(damage(err)),
                Err(ReadError::Damaged(reason)) => Err(reason),
            }
        }
        Format::Warc => {
            let reader = io::BufReader::with_capacity(READ_BUFFER_BYTES, stream);
            let res = warc::read_records(reader, limit, |event| match event {
                warc::Event::Article(article) => {
                    out(Item::Doc(warc_doc(input, article, config.now_seconds)))
                }
                warc::Event::Damaged(reason) => out(Item::Doc(Err(Skipped {
                    path: input.id.0.clone(),
                    reason: reason.to_string(),
                }))),
            });
            match res {
                Ok(0) => Err(Reason::NoArticles),
                Ok(_) => Ok(()),
                Err(ReadError::Io(err)) => Err(damage(err)),
                Err(ReadError::Damaged(reason)) => Err(reason),
            }
        }
    }
}

/// The document (or skip) of one JSON record: the record's id, else its position in the input.
fn record_doc(
    input: &Input,
    at: &jsonl::Position,
    res: std::result::Result<jsonl::Record, Reason>,
    now_seconds: i64,
) -> std::result::Result<Doc, Skipped> {
    let position = || format!("{}:{at}", input.id);
    match res {
        Ok(record) => Ok(Doc {
            id: DocId(record.id.unwrap_or_else(position)),
            source: record.source.unwrap_or_else(|| input.source.clone()),
            date: Evidence {
                field: record.date,
                html: record.html_date,
                warc: None,
            }
            .date(&record.text, now_seconds),
            text: record.text,
            repaired: record.repaired,
        }),
        Err(reason) => Err(Skipped {
            path: position(),
            reason: reason.to_string(),
        }),
    }
}

/// The document (or skip) of one WARC record: named by its target URI, else its record id,
/// else its position; the URI's host is its source.
fn warc_doc(
    input: &Input,
    article: warc::Article,
    now_seconds: i64,
) -> std::result::Result<Doc, Skipped> {
    let source = article.uri.as_deref().and_then(jsonl::url_host);
    let id = article
        .uri
        .or(article.record_id)
        .unwrap_or_else(|| format!("{}#{}", input.id, article.ordinal));
    match article.page {
        Ok(page) => Ok(Doc {
            id: DocId(id),
            source: source.unwrap_or_else(|| input.source.clone()),
            date: Evidence {
                field: None,
                html: page.date,
                warc: article.date,
            }
            .date(&page.text, now_seconds),
            text: page.text,
            repaired: page.repaired,
        }),
        Err(reason) => Err(Skipped {
            path: id,
            reason: reason.to_string(),
        }),
    }
}

/// The dates a reader found for one document, besides the dateline of its text and its
/// file's modification time (which [`FileDate`] adds only when none of these is credible).
#[derive(Debug, Default, Clone, Copy)]
struct Evidence {
    /// A JSON record's date field.
    field: Option<i64>,
    /// The page's HTML metadata.
    html: Option<i64>,
    /// The WARC record's `WARC-Date`.
    warc: Option<i64>,
}

impl Evidence {
    /// The first credible date, best evidence first: the record's own field, the page's
    /// metadata, a dateline of `text` (looked for only when those two fail: it is the one that
    /// costs), the capture date. What a publisher states beats when a crawler saw the page.
    fn date(self, text: &str, now_seconds: i64) -> Option<date::Dated> {
        use date::DateSource::{Field, HtmlMeta, Text, Warc};
        let credible = |source, seconds: Option<i64>| {
            seconds
                .filter(|&s| date::credible(s, now_seconds))
                .map(|seconds| date::Dated { seconds, source })
        };
        credible(Field, self.field)
            .or_else(|| credible(HtmlMeta, self.html))
            .or_else(|| credible(Text, dateline::find(text)))
            .or_else(|| credible(Warc, self.warc))
    }
}

/// Why a record reader stopped before the end of its input.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The bytes could not be read (a decoder's damage or an operating-system error).
    #[error(transparent)]
    Io(#[from] io::Error),
    /// The bytes were read but the format is broken past recovery.
    #[error("{0}")]
    Damaged(Reason),
}

/// Reads a whole one-article stream; `None` when it holds more than `limit` bytes.
fn read_bounded(stream: impl Read, limit: u64) -> io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    stream
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}

/// An operating-system error, marked so that it is not mistaken for a decoder's complaint about
/// the data it is given.
#[derive(Debug)]
struct OsError(io::Error);

impl std::fmt::Display for OsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for OsError {}

/// Marks every error of the underlying file or pipe as an [`OsError`].
struct OsRead(Box<dyn Read>);

impl Read for OsRead {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0
            .read(buf)
            .map_err(|e| io::Error::new(e.kind(), OsError(e)))
    }
}

/// A reader whose first bytes have been read ahead to sniff them; reading replays them, then
/// any error met while reading them, then the rest.
struct Stream {
    head: Vec<u8>,
    pos: usize,
    pending: Option<io::Error>,
    failed: bool,
    rest: Box<dyn Read>,
}

impl Stream {
    /// Reads up to [`HEAD_BYTES`] of `rest` ahead; an error stops the read-ahead and is kept for
    /// its turn, so the bytes before it still count.
    fn open(mut rest: Box<dyn Read>) -> Stream {
        let mut head = vec![0; HEAD_BYTES];
        let mut filled = 0;
        let mut pending = None;
        while filled < head.len() {
            match rest.read(&mut head[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    pending = Some(e);
                    break;
                }
            }
        }
        head.truncate(filled);
        Stream {
            head,
            pos: 0,
            pending,
            failed: false,
            rest,
        }
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos < self.head.len() {
            let n = buf.len().min(self.head.len() - self.pos);
            buf[..n].copy_from_slice(&self.head[self.pos..self.pos + n]);
            self.pos += n;
            return Ok(n);
        }
        if let Some(err) = self.pending.take() {
            self.failed = true;
            return Err(err);
        }
        // A decoder that has failed once gives no trustworthy bytes after it.
        if self.failed {
            return Ok(0);
        }
        self.rest.read(buf)
    }
}

fn strip_utf8_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

fn contains_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

/// How a bounded line read ended.
#[derive(Debug, PartialEq, Eq)]
enum Line {
    /// No bytes were left.
    Eof,
    /// A line (possibly the last, without a newline) is in the buffer, without its `\n`.
    Read,
    /// The line was longer than the limit: it was consumed but not kept; the field is its size.
    TooLong(u64),
}

/// Reads one line into `buf` (cleared first) without ever holding more than `limit` bytes of
/// it, so one giant line cannot exhaust memory; `consumed` grows by the bytes taken.
fn read_line_bounded(
    reader: &mut impl BufRead,
    buf: &mut Vec<u8>,
    limit: u64,
    consumed: &mut u64,
) -> io::Result<Line> {
    buf.clear();
    let mut total: u64 = 0;
    let mut any = false;
    loop {
        let available = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            break;
        }
        any = true;
        let (chunk, done) = match memchr::memchr(b'\n', available) {
            Some(i) => (&available[..i], Some(i + 1)),
            None => (available, None),
        };
        total += chunk.len() as u64;
        if total <= limit {
            buf.extend_from_slice(chunk);
        }
        let used = done.unwrap_or(available.len());
        reader.consume(used);
        *consumed += used as u64;
        if done.is_some() {
            break;
        }
    }
    if !any {
        return Ok(Line::Eof);
    }
    if total > limit {
        buf.clear();
        return Ok(Line::TooLong(total));
    }
    Ok(Line::Read)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_says_table() {
        use Compression::{Gzip, Zstd};
        let cases: &[(&str, Option<Compression>, Option<Format>)] = &[
            ("a/story.txt", None, Some(Format::Text)),
            ("a/story.MD", None, Some(Format::Text)),
            ("page.html", None, Some(Format::Html)),
            ("page.XHTML", None, Some(Format::Html)),
            ("feed.jsonl", None, Some(Format::JsonLines)),
            ("feed.ndjson", None, Some(Format::JsonLines)),
            ("feed.json", None, Some(Format::Json)),
            ("crawl.warc", None, Some(Format::Warc)),
            ("crawl.warc.gz", Some(Gzip), Some(Format::Warc)),
            ("feed.jsonl.zst", Some(Zstd), Some(Format::JsonLines)),
            ("page.html.gz", Some(Gzip), Some(Format::Html)),
            ("dump.gz", Some(Gzip), None),
            ("README", None, None),
            ("image.png", None, None),
            (".jsonl", None, Some(Format::JsonLines)),
        ];
        for (name, compression, format) in cases {
            assert_eq!(
                name_says(Path::new(name)),
                (*compression, *format),
                "{name}"
            );
        }
    }

    #[test]
    fn sniff_table() {
        let cases: &[(&[u8], Option<Format>)] = &[
            (b"<!DOCTYPE html><html><body>x", Some(Format::Html)),
            (b"\xEF\xBB\xBF  <html lang=en>", Some(Format::Html)),
            (
                b"<?xml version='1.0'?>\n<html xmlns='x'>",
                Some(Format::Html),
            ),
            (b"<svg></svg>", None),
            (b"WARC/1.0\r\nWARC-Type: warcinfo\r\n", Some(Format::Warc)),
            (b"WARC/1.1\r\n", Some(Format::Warc)),
            (b"{\"a\":1}\n{\"a\":2}\n", Some(Format::JsonLines)),
            (b"{\"a\":1}\n\n{\"a\":2}\n{\"cut", Some(Format::JsonLines)),
            (b"{\"a\":1}\nplain text\n", None),
            (b"[\n  {\"a\": 1}\n]", Some(Format::Json)),
            (b"[French] a story", None),
            (b"\x89PNG\r\n", None),
            (b"Just some words.", None),
            (b"", None),
        ];
        for (head, want) in cases {
            assert_eq!(
                Format::sniff(head),
                *want,
                "{:?}",
                String::from_utf8_lossy(head)
            );
        }
    }

    #[test]
    fn bounded_lines_table() {
        // (input, limit, expected lines: the text, or the size of a line too long)
        type Case<'a> = (&'a [u8], u64, &'a [Result<&'a str, u64>]);
        let cases: &[Case] = &[
            (b"ab\ncd\n", 10, &[Ok("ab"), Ok("cd")]),
            (b"ab\ncd", 10, &[Ok("ab"), Ok("cd")]),
            (b"abcdef\ncd\n", 3, &[Err(6), Ok("cd")]),
            (b"\n\n", 3, &[Ok(""), Ok("")]),
            (b"", 3, &[]),
        ];
        for (input, limit, want) in cases {
            // A tiny buffer makes lines span several fills.
            let mut reader = io::BufReader::with_capacity(2, *input);
            let mut buf = Vec::new();
            let mut consumed = 0;
            let mut got = Vec::new();
            loop {
                match read_line_bounded(&mut reader, &mut buf, *limit, &mut consumed).unwrap() {
                    Line::Eof => break,
                    Line::Read => got.push(Ok(String::from_utf8(buf.clone()).unwrap())),
                    Line::TooLong(n) => got.push(Err(n)),
                }
            }
            let want: Vec<Result<String, u64>> =
                want.iter().map(|w| w.map(str::to_string)).collect();
            assert_eq!(got, want, "{input:?}");
            assert_eq!(consumed, input.len() as u64);
        }
    }

    #[test]
    fn stream_replays_head_then_error() {
        struct Failing(bool);
        impl Read for Failing {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                if self.0 {
                    return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "cut"));
                }
                self.0 = true;
                buf[..3].copy_from_slice(b"abc");
                Ok(3)
            }
        }
        let mut stream = Stream::open(Box::new(Failing(false)));
        assert_eq!(stream.head, b"abc");
        let mut out = Vec::new();
        let err = stream.read_to_end(&mut out).unwrap_err();
        assert_eq!(out, b"abc");
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
        assert_eq!(stream.read(&mut [0; 4]).unwrap(), 0);
    }

    fn config_for(paths: Vec<PathBuf>) -> Config {
        Config::new(paths)
    }

    #[test]
    fn a_file_that_vanishes_after_discovery_is_skipped_with_the_os_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("site")).unwrap();
        std::fs::write(dir.path().join("site/gone.html"), "<p>hello</p>").unwrap();
        let config = config_for(vec![dir.path().to_path_buf()]);
        let found = discover(&config).unwrap();
        assert_eq!(found.inputs.len(), 1);
        std::fs::remove_file(dir.path().join("site/gone.html")).unwrap();
        let got = read(&found.inputs[0], &config);
        assert_eq!(got.len(), 1);
        let skip = got[0].as_ref().unwrap_err();
        assert_eq!(skip.path, "site/gone.html");
        assert!(skip.reason.contains("No such file"), "{}", skip.reason);
    }

    #[test]
    fn stdin_argument_needs_no_metadata() {
        let config = config_for(vec![PathBuf::from("-")]);
        let found = discover(&config).unwrap();
        assert_eq!(found.inputs.len(), 1);
        assert!(found.inputs[0].is_stdin());
        assert_eq!(found.inputs[0].id.0, "-");
        assert_eq!(found.inputs[0].format, Some(Format::JsonLines));
    }

    #[test]
    fn read_outcomes_table() {
        let dir = tempfile::tempdir().unwrap();
        let gz = |bytes: &[u8]| {
            use std::io::Write;
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(bytes).unwrap();
            e.finish().unwrap()
        };
        let mut config = config_for(vec![dir.path().to_path_buf()]);
        config.max_file_bytes = 200;
        // (file name, contents, documents read, skip reasons expected, in order)
        let cases: Vec<(&str, Vec<u8>, usize, &[&str])> = vec![
            ("a.txt", b"hello there".to_vec(), 1, &[]),
            ("b.html", b"<nav>menu</nav>".to_vec(), 0, &["no text left"]),
            (
                "c.jsonl",
                b"{\"text\":\"one\"}\nnot json\n{\"text\":\"two\"}\n".to_vec(),
                2,
                &["malformed JSON"],
            ),
            (
                "d.jsonl.gz",
                gz(b"{\"text\":\"one\"}\n{\"text\":\"two\"}\n"),
                2,
                &[],
            ),
            ("e", gz(b"{\"text\":\"one\"}\n"), 1, &[]),
            ("f.html", vec![b'x'; 300], 0, &["over --max-file-bytes"]),
            ("g.txt.gz", gz(&[b'x'; 300]), 0, &["inflates to more than"]),
            ("h.jsonl", b"{\"a\":\"\x00\"}".to_vec(), 0, &["binary"]),
            ("i.bin", b"\x00\x01\x02".to_vec(), 0, &["unsupported"]),
            (
                "j.json",
                b"[{\"text\":\"one\"}, {\"text\": 5}]".to_vec(),
                1,
                &["not a string"],
            ),
            (
                "k.jsonl.gz",
                gz(b"{\"text\":\"one\"}\n{\"text\":\"two\"}\n")[..30].to_vec(),
                1,
                &["truncated gzip"],
            ),
            ("l.txt", Vec::new(), 0, &["empty file"]),
        ];
        for (name, bytes, _, _) in &cases {
            std::fs::write(dir.path().join(name), bytes).unwrap();
        }
        let found = discover(&config).unwrap();
        for (name, _, docs, skips) in &cases {
            let input = found.inputs.iter().find(|i| i.id.0 == *name).unwrap();
            let got = read(input, &config);
            let read_docs = got.iter().filter(|r| r.is_ok()).count();
            let reasons: Vec<&str> = got
                .iter()
                .filter_map(|r| r.as_ref().err())
                .map(|s| s.reason.as_str())
                .collect();
            assert_eq!(read_docs, *docs, "{name}: {got:?}");
            assert_eq!(reasons.len(), skips.len(), "{name}: {reasons:?}");
            for (reason, want) in reasons.iter().zip(skips.iter()) {
                assert!(reason.contains(want), "{name}: {reason} lacks {want}");
            }
        }
    }
}
