//! The index on disk: the byte layout of its files, their header and checksum, the lock, and
//! the crash-safe save (new files, fsync, rename, fsync of the directory).
//!
//! A state directory holds `MANIFEST` (the clusters and the list of segments), one immutable
//! `seg-GENERATION.rps` per save that added documents (their fingerprints and metadata, never
//! their text), and `lock`. Every file is `magic, format version, parameters (JSON), body,
//! xxh3 checksum of all that`. A save writes the new segment and a new manifest under temporary
//! names, syncs them, renames the manifest over the old one and syncs the directory: a run
//! killed at any point leaves the old manifest (and an orphan segment, removed by the next save)
//! or the new one.

use std::fs::{self, File};
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

use crate::anchor::Sketch;
use crate::cluster::Fingerprint;
use crate::corpus::date::DateSource;
use crate::error::{Error, IndexProblem, Result};
use crate::frequent::FrequentShingles;
use crate::lang::Lang;

/// Version of the file layout. Bumped on any change a reader of the previous version would
/// misread; a file with a newer version is refused, never guessed at.
///
/// 2: each document's translation sketch (its language and anchors) follows its fingerprint,
/// and the parameters say whether translations are on. A version 1 file is still read, as an
/// index built with translations off (it has no sketches to match across languages).
///
/// 3: the manifest ends with the frequent shingles the first night learned ([`FREQUENT_VERSION`]).
///
/// 4: each document's date source ([`DateSource::number`], 0 when none is known) follows its
/// date, one byte. Segments of versions 1 to 3 are still read, their documents without a date
/// source; they are never rewritten (but by `index prune`), so one index may hold segments of
/// several versions, each read by its own ([`Layout`]).
///
/// 5: each document's quoted lanes ([`Fingerprint::quoted_lanes`], 16 bytes) follow its
/// signature. A document of an older segment reads with none, which the check of quotations
/// takes as not known.
pub const FORMAT_VERSION: u32 = 5;

/// The first version whose segments hold translation sketches.
pub const SKETCH_VERSION: u32 = 2;

/// The first format version whose manifest holds the frequent shingles.
pub const FREQUENT_VERSION: u32 = 3;

/// The first format version whose segments hold each document's date source.
pub const DATE_SOURCE_VERSION: u32 = 4;

/// The first format version whose segments hold each document's quoted lanes.
pub const QUOTED_VERSION: u32 = 5;

/// What a segment's document records hold beyond those of format version 1, as its format
/// version says: a reader decides it once a segment and decodes every record by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// The record carries a translation sketch ([`SKETCH_VERSION`] on).
    pub sketches: bool,
    /// The record carries its date source ([`DATE_SOURCE_VERSION`] on).
    pub date_source: bool,
    /// The record carries its quoted lanes ([`QUOTED_VERSION`] on).
    pub quoted: bool,
}

impl Layout {
    /// The layout a segment of format `version` has.
    pub fn of_version(version: u32) -> Layout {
        Layout {
            sketches: version >= SKETCH_VERSION,
            date_source: version >= DATE_SOURCE_VERSION,
            quoted: version >= QUOTED_VERSION,
        }
    }

    /// The layout this reprint writes.
    pub fn current() -> Layout {
        Layout::of_version(FORMAT_VERSION)
    }
}

const MANIFEST_MAGIC: &[u8; 8] = b"RPRINTMF";
const SEGMENT_MAGIC: &[u8; 8] = b"RPRINTSG";
/// The manifest's file name inside the state directory.
pub const MANIFEST: &str = "MANIFEST";
/// The lock file's name inside the state directory.
pub const LOCK: &str = "lock";

/// Every parameter that shapes a fingerprint. Two runs may share an index only when these are
/// equal: signatures made with another seed or shingle are not comparable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FingerprintParams {
    /// Fingerprinting method.
    pub method: String,
    /// Seed of every hash.
    pub seed: u64,
    /// MinHash permutations.
    pub num_perm: usize,
    /// Shingle specification.
    pub shingle: String,
    /// Normalizer version.
    pub normalizer_version: u32,
    /// Version of the shingle hashing scheme (an index written before the field existed reads
    /// as version 0, and is refused by any run).
    #[serde(default)]
    pub hash_version: u32,
    /// Whether boilerplate lines were left out of fingerprints.
    pub boilerplate_removal: bool,
    /// Whether documents carry translation sketches and are matched across languages (an
    /// index written before format version 2 has none, and reads as `false`).
    #[serde(default)]
    pub translations: bool,
}

impl FingerprintParams {
    /// The first parameter that differs, as `name: index value, run value`.
    pub fn first_difference(&self, run: &FingerprintParams) -> Option<String> {
        let pairs = [
            ("method", self.method.clone(), run.method.clone()),
            ("seed", self.seed.to_string(), run.seed.to_string()),
            (
                "num_perm",
                self.num_perm.to_string(),
                run.num_perm.to_string(),
            ),
            ("shingle", self.shingle.clone(), run.shingle.clone()),
            (
                "normalizer_version",
                self.normalizer_version.to_string(),
                run.normalizer_version.to_string(),
            ),
            (
                "hash_version",
                self.hash_version.to_string(),
                run.hash_version.to_string(),
            ),
            (
                "boilerplate_removal",
                self.boilerplate_removal.to_string(),
                run.boilerplate_removal.to_string(),
            ),
            (
                "translations",
                self.translations.to_string(),
                run.translations.to_string(),
            ),
        ];
        pairs
            .into_iter()
            .find(|(_, a, b)| a != b)
            .map(|(name, a, b)| {
                let rebuild = if name.ends_with("_version") {
                    " (the index was made by another version of reprint, which fingerprints \
                     texts differently: rebuild it by running the archived nights into a new \
                     state directory)"
                } else {
                    ""
                };
                format!("{name} is {a} in the index but {b} in this run{rebuild}")
            })
    }
}

/// One indexed document: what matching and retention need, without its text.
#[derive(Debug, Clone)]
pub struct StoredDoc {
    /// Document id.
    pub id: String,
    /// Source (site) it came from.
    pub source: String,
    /// Publication date in Unix seconds, when known.
    pub date: Option<i64>,
    /// Where `date` came from (`None` without a date, or in a segment written before format
    /// version 4, which kept no source).
    pub date_source: Option<DateSource>,
    /// Unix seconds of the run that added it.
    pub added: i64,
    /// Its fingerprint.
    pub fingerprint: Fingerprint,
    /// Its translation sketch (empty when the index keeps none).
    pub sketch: Sketch,
}

impl StoredDoc {
    /// The date retention goes by: the publication date, else when it was added.
    pub fn age_date(&self) -> i64 {
        self.date.unwrap_or(self.added)
    }
}

/// One stored cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCluster {
    /// Stable id.
    pub id: u64,
    /// Index (into the concatenated segments) of the representative.
    pub representative: u32,
    /// Indexes of all members, representative included, ascending.
    pub members: Vec<u32>,
}

/// The manifest: which segments hold the documents, in order, and the clusters over them.
#[derive(Debug, Clone)]
pub struct Manifest {
    /// The format version it was read in ([`FORMAT_VERSION`] for a new one; every save writes
    /// that version).
    pub format_version: u32,
    /// Parameters every segment was built with.
    pub params: Option<FingerprintParams>,
    /// Incremented by every save; names the segment that save writes.
    pub generation: u64,
    /// The next cluster id to hand out; ids only grow, so an older cluster has a smaller id.
    pub next_cluster: u64,
    /// Segment file names with their document counts, in document order.
    pub segments: Vec<(String, u64)>,
    /// Clusters, ascending by id.
    pub clusters: Vec<StoredCluster>,
    /// The shingles left out of every fingerprint, learned on the night that created the index
    /// (none in an index of format version 2 or older, whose fingerprints kept every shingle).
    pub frequent: FrequentShingles,
}

impl Default for Manifest {
    fn default() -> Self {
        Manifest {
            format_version: FORMAT_VERSION,
            params: None,
            generation: 0,
            next_cluster: 0,
            segments: Vec::new(),
            clusters: Vec::new(),
            frequent: FrequentShingles::none(),
        }
    }
}

/// Appends little-endian fields to a buffer.
#[derive(Default)]
struct Writer(Vec<u8>);

impl Writer {
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn i64(&mut self, v: i64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn str(&mut self, s: &str) {
        self.u64(s.len() as u64);
        self.0.extend_from_slice(s.as_bytes());
    }
}

/// Reads little-endian fields, failing on a short buffer instead of panicking.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> std::result::Result<&'a [u8], String> {
        if self.bytes.len() < n {
            return Err("ends early".into());
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }
    fn array<const N: usize>(&mut self) -> std::result::Result<[u8; N], String> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }
    fn u32(&mut self) -> std::result::Result<u32, String> {
        self.array().map(u32::from_le_bytes)
    }
    fn u64(&mut self) -> std::result::Result<u64, String> {
        self.array().map(u64::from_le_bytes)
    }
    fn i64(&mut self) -> std::result::Result<i64, String> {
        self.array().map(i64::from_le_bytes)
    }
    fn len(&mut self, max: usize) -> std::result::Result<usize, String> {
        let n = self.u64()?;
        usize::try_from(n)
            .ok()
            .filter(|&n| n <= max)
            .ok_or_else(|| format!("length {n} is impossible here"))
    }
    fn str(&mut self) -> std::result::Result<String, String> {
        let n = self.len(self.bytes.len())?;
        String::from_utf8(self.take(n)?.to_vec()).map_err(|_| "text is not UTF-8".into())
    }
}

/// Wraps a body in the file envelope: magic, version, parameters, body, checksum.
fn envelope(magic: &[u8; 8], params: &FingerprintParams, body: &[u8]) -> Vec<u8> {
    // Parameters are serde-serializable plain values; this cannot fail.
    let json = serde_json::to_string(params).unwrap_or_default();
    envelope_as(magic, FORMAT_VERSION, &json, body)
}

/// [`envelope`] in format `version` with the parameters as JSON text.
fn envelope_as(magic: &[u8; 8], version: u32, json: &str, body: &[u8]) -> Vec<u8> {
    let mut w = Writer::default();
    w.0.extend_from_slice(magic);
    w.u32(version);
    w.str(json);
    w.u64(body.len() as u64);
    w.0.extend_from_slice(body);
    let sum = xxh3_64(&w.0);
    w.u64(sum);
    w.0
}

/// Opens the envelope of `bytes` read from `path`: checks magic, version and checksum, in that
/// order, and returns the format version, the parameters and the body.
fn open_envelope<'a>(
    path: &Path,
    magic: &[u8; 8],
    bytes: &'a [u8],
) -> Result<(u32, FingerprintParams, &'a [u8])> {
    let problem = |p: IndexProblem| Error::Index {
        path: path.to_path_buf(),
        problem: p,
    };
    if bytes.len() < 8 || &bytes[..8] != magic {
        return Err(problem(IndexProblem::NotAnIndex));
    }
    let mut r = Reader { bytes: &bytes[8..] };
    let version = r
        .u32()
        .map_err(|e| problem(IndexProblem::Damaged(format!("header {e}"))))?;
    if version > FORMAT_VERSION {
        return Err(problem(IndexProblem::NewerFormat {
            found: version,
            supported: FORMAT_VERSION,
        }));
    }
    if version == 0 {
        return Err(problem(IndexProblem::Damaged(
            "format version 0 is not one reprint writes".into(),
        )));
    }
    if bytes.len() < 8 + 4 + 8 {
        return Err(problem(IndexProblem::Damaged("header ends early".into())));
    }
    let (covered, sum) = bytes.split_at(bytes.len() - 8);
    let mut sum_bytes = [0u8; 8];
    sum_bytes.copy_from_slice(sum);
    if xxh3_64(covered) != u64::from_le_bytes(sum_bytes) {
        return Err(problem(IndexProblem::Damaged("checksum mismatch".into())));
    }
    let mut r = Reader {
        bytes: &covered[12..],
    };
    let damaged = |e: String| problem(IndexProblem::Damaged(e));
    let json = r.str().map_err(damaged)?;
    let params: FingerprintParams = serde_json::from_str(&json)
        .map_err(|e| problem(IndexProblem::Damaged(format!("parameters: {e}"))))?;
    if version < SKETCH_VERSION && params.translations {
        return Err(problem(IndexProblem::Damaged(format!(
            "format version {version} cannot hold translation sketches"
        ))));
    }
    let body_len = r.len(r.bytes.len()).map_err(damaged)?;
    let body = r.take(body_len).map_err(damaged)?;
    Ok((version, params, body))
}

fn read_file(path: &Path) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    File::open(path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .map_err(|e| Error::with_path(path, e))?;
    Ok(bytes)
}

/// Encodes documents as a segment file's bytes.
pub fn encode_segment(params: &FingerprintParams, docs: &[StoredDoc]) -> Vec<u8> {
    envelope(
        SEGMENT_MAGIC,
        params,
        &segment_body(docs, Layout::current()),
    )
}

/// A segment's body, its records in `layout` (an older one only to build old files in tests).
fn segment_body(docs: &[StoredDoc], layout: Layout) -> Vec<u8> {
    let mut w = Writer::default();
    w.u64(docs.len() as u64);
    for d in docs {
        w.str(&d.id);
        w.str(&d.source);
        w.i64(d.date.unwrap_or(i64::MIN));
        if layout.date_source {
            w.0.push(d.date_source.map_or(0, DateSource::number));
        }
        w.i64(d.added);
        let fp = &d.fingerprint;
        w.u64(fp.length as u64);
        w.u64(fp.shingles as u64);
        w.u32(fp.numbers.len() as u32);
        for &n in &fp.numbers {
            w.u64(n);
        }
        // A SimHash fingerprint takes the signature's place as two words (low, high): the
        // envelope's method says which it is, so MinHash segments keep their layout.
        let words = match fp.simhash {
            Some(h) => vec![h as u32, (h >> 32) as u32],
            None => fp.signature.to_vec(),
        };
        w.u32(words.len() as u32);
        for &v in &words {
            w.u32(v);
        }
        if layout.quoted {
            w.0.extend_from_slice(&fp.quoted_lanes.to_le_bytes());
        }
        if !layout.sketches {
            continue;
        }
        // The language by its ISO 639-1 code, not by `Lang::number` (a position in the
        // stop-word lists, which a new list would shift); zeros when it was not told.
        let code = d.sketch.lang.map_or([0u8; 2], |l| {
            let b = l.code().as_bytes();
            [b[0], b.get(1).copied().unwrap_or(0)]
        });
        w.0.extend_from_slice(&code);
        w.u32(d.sketch.anchors.len() as u32);
        for &a in &d.sketch.anchors {
            w.u32(a);
        }
    }
    w.0
}

/// Reads a segment file, checking it was built with `params`.
pub fn read_segment(path: &Path, params: &FingerprintParams) -> Result<Vec<StoredDoc>> {
    let mut docs = Vec::new();
    let file = File::open(path).map_err(|e| Error::with_path(path, e))?;
    let len = file
        .metadata()
        .map_err(|e| Error::with_path(path, e))?
        .len();
    scan_segment(path, file, len, params, None, &mut |d, _| {
        docs.push(d.to_stored())
    })?;
    Ok(docs)
}

/// Decodes the `bytes` of the segment file at `path` (named in errors), checking it was built
/// with `params`. Any bytes give documents or an error, never a panic or an allocation larger
/// than a small multiple of `bytes` (the fuzz target `index_read` holds it to that). It reads
/// them as [`scan_segment`] reads a file, so the fuzz target exercises the streamed reader.
pub fn parse_segment(
    path: &Path,
    bytes: &[u8],
    params: &FingerprintParams,
) -> Result<Vec<StoredDoc>> {
    let mut docs = Vec::new();
    scan_segment(
        path,
        bytes,
        bytes.len() as u64,
        params,
        None,
        &mut |d, _| docs.push(d.to_stored()),
    )?;
    Ok(docs)
}

/// Where a document lies: enough to read it again without reading its segment again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocAt {
    /// Byte offset of its record in its segment file.
    pub offset: u64,
    /// How its segment's records are laid out.
    pub layout: Layout,
}

impl DocAt {
    /// Bits of a packed place that hold the offset; the two above them hold the layout. No
    /// segment file comes near 2^62 bytes.
    const OFFSET_BITS: u32 = 62;

    /// The format versions that begin each layout, in order: each adds to the one before, so
    /// a layout is its place in this list (two bits).
    const LAYOUTS: [u32; 4] = [1, SKETCH_VERSION, DATE_SOURCE_VERSION, QUOTED_VERSION];

    /// The place in one word: the offset, with the layout in the top two bits.
    pub fn pack(self) -> u64 {
        debug_assert!(self.offset >> Self::OFFSET_BITS == 0);
        let level = Self::LAYOUTS
            .iter()
            .rposition(|&v| Layout::of_version(v) == self.layout)
            .unwrap_or(0);
        self.offset | (level as u64) << Self::OFFSET_BITS
    }

    /// The place [`DocAt::pack`] packed.
    pub fn unpack(word: u64) -> DocAt {
        let level = (word >> Self::OFFSET_BITS) as usize;
        DocAt {
            offset: word & ((1 << Self::OFFSET_BITS) - 1),
            layout: Layout::of_version(Self::LAYOUTS[level]),
        }
    }
}

/// One document as it lies in a segment's bytes: decoded and checked, but its strings,
/// figures, signature and anchors still borrowed from the read buffer, so that a scan over
/// millions of documents allocates only for those it keeps ([`DocView::to_stored`]).
#[derive(Debug, Clone, Copy)]
pub struct DocView<'a> {
    /// Document id.
    pub id: &'a str,
    /// Source (site) it came from.
    pub source: &'a str,
    /// Publication date in Unix seconds, when known.
    pub date: Option<i64>,
    /// Where `date` came from (`None` in a segment of format version 3 or older).
    pub date_source: Option<DateSource>,
    /// Unix seconds of the run that added it.
    pub added: i64,
    /// Length of its kept text in characters.
    pub length: u32,
    /// Distinct shingles of its kept text.
    pub shingles: u32,
    /// Its language, when told (and when the segment holds sketches).
    pub lang: Option<Lang>,
    /// Which lanes of its signature hold a shingle of what it borrows
    /// ([`Fingerprint::quoted_lanes`]; none when the segment is older than [`QUOTED_VERSION`]).
    pub quoted_lanes: u128,
    numbers: &'a [u8],
    words: &'a [u8],
    simhash: bool,
    anchors: &'a [u8],
}

/// Little-endian `u32`s laid end to end.
fn words32(bytes: &[u8]) -> impl Iterator<Item = u32> + '_ {
    bytes
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
}

impl DocView<'_> {
    /// The date retention goes by: the publication date, else when it was added.
    pub fn age_date(&self) -> i64 {
        self.date.unwrap_or(self.added)
    }

    /// Its MinHash signature's lanes written into `out` (cleared first; empty under SimHash).
    pub fn signature_into(&self, out: &mut Vec<u32>) {
        out.clear();
        if !self.simhash {
            out.extend(words32(self.words));
        }
    }

    /// Its SimHash fingerprint under `--method simhash`.
    pub fn simhash(&self) -> Option<u64> {
        let mut w = words32(self.words);
        match (self.simhash, w.next(), w.next()) {
            (true, Some(lo), Some(hi)) => Some(u64::from(lo) | u64::from(hi) << 32),
            _ => None,
        }
    }

    /// Its figures sketch written into `out` (cleared first).
    pub fn numbers_into(&self, out: &mut Vec<u64>) {
        out.clear();
        out.extend(
            self.numbers
                .chunks_exact(8)
                .map(|c| u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]])),
        );
    }

    /// The number of its translation anchors.
    pub fn anchor_count(&self) -> usize {
        self.anchors.len() / 4
    }

    /// Its translation anchors, in order.
    pub fn anchors(&self) -> impl Iterator<Item = u32> + '_ {
        words32(self.anchors)
    }

    /// An owned copy.
    pub fn to_stored(&self) -> StoredDoc {
        let words: Vec<u32> = words32(self.words).collect();
        StoredDoc {
            id: self.id.to_string(),
            source: self.source.to_string(),
            date: self.date,
            date_source: self.date_source,
            added: self.added,
            fingerprint: Fingerprint {
                signature: if self.simhash {
                    Box::default()
                } else {
                    words.into_boxed_slice()
                },
                simhash: self.simhash(),
                shingles: self.shingles,
                length: self.length,
                numbers: self
                    .numbers
                    .chunks_exact(8)
                    .map(|c| u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
                    .collect(),
                quoted_lanes: self.quoted_lanes,
            },
            sketch: Sketch {
                lang: self.lang,
                anchors: self.anchors().collect(),
            },
        }
    }
}

/// Decodes one document record laid out as `layout`. Fails, never panics, on any bytes.
fn decode_doc<'a>(
    r: &mut Reader<'a>,
    params: &FingerprintParams,
    layout: Layout,
) -> std::result::Result<DocView<'a>, String> {
    let simhash = params.method == "simhash";
    let text = |r: &mut Reader<'a>| -> std::result::Result<&'a str, String> {
        let n = r.len(r.bytes.len())?;
        std::str::from_utf8(r.take(n)?).map_err(|_| "text is not UTF-8".into())
    };
    let id = text(r)?;
    let source = text(r)?;
    let date = Some(r.i64()?).filter(|&d| d != i64::MIN);
    let date_source = if layout.date_source {
        match r.array::<1>()? {
            [0] => None,
            [n] => Some(
                DateSource::from_number(n)
                    .ok_or_else(|| format!("date source {n} is not one reprint writes"))?,
            ),
        }
    } else {
        None
    };
    let added = r.i64()?;
    let length = r.len(u32::MAX as usize)? as u32;
    let shingles = r.len(u32::MAX as usize)? as u32;
    let k = r.u32()? as usize;
    let numbers = r.take(k.checked_mul(8).ok_or("figures length overflows")?)?;
    let p = r.u32()? as usize;
    let words = r.take(p.checked_mul(4).ok_or("signature length overflows")?)?;
    if simhash && p != 2 {
        return Err("a SimHash fingerprint is not two words".into());
    }
    // Every signature of an index has the parameters' lanes; the candidate search reads that
    // many of each.
    if !simhash && p != params.num_perm {
        return Err(format!(
            "a signature of {p} lanes, the parameters say {}",
            params.num_perm
        ));
    }
    let quoted_lanes = if layout.quoted {
        u128::from_le_bytes(r.array::<16>()?)
    } else {
        0
    };
    let (lang, anchors) = if layout.sketches {
        read_sketch(r)?
    } else {
        (None, &[][..])
    };
    Ok(DocView {
        id,
        source,
        date,
        date_source,
        added,
        length,
        shingles,
        lang,
        quoted_lanes,
        numbers,
        words,
        simhash,
        anchors,
    })
}

/// Bytes read from a segment at a time; a document larger than this grows the buffer.
const READ_CHUNK: usize = 1 << 20;

/// The covered bytes of a file (all but the checksum) read in order and hashed as they go.
struct Hashed<R> {
    inner: R,
    hasher: xxhash_rust::xxh3::Xxh3,
    /// Covered bytes not yet read.
    left: u64,
}

impl<R: Read> Hashed<R> {
    /// Appends the next `n` covered bytes (`n` at most [`Hashed::left`]) to `out`.
    fn read_into(&mut self, out: &mut Vec<u8>, n: usize) -> std::io::Result<()> {
        let start = out.len();
        out.resize(start + n, 0);
        self.inner.read_exact(&mut out[start..])?;
        self.hasher.update(&out[start..]);
        self.left -= n as u64;
        Ok(())
    }

    /// Reads and hashes the covered bytes left, then reads the checksum: whether it matches.
    fn finish(&mut self) -> std::io::Result<bool> {
        let mut buf = vec![0u8; READ_CHUNK.min(self.left as usize)];
        while self.left > 0 {
            let n = buf.len().min(self.left as usize);
            self.inner.read_exact(&mut buf[..n])?;
            self.hasher.update(&buf[..n]);
            self.left -= n as u64;
        }
        let mut sum = [0u8; 8];
        self.inner.read_exact(&mut sum)?;
        Ok(self.hasher.digest() == u64::from_le_bytes(sum))
    }
}

/// Reads the segment file at `path` from `source` (`len` bytes) in pieces of about a megabyte,
/// checking what [`parse_segment`] checks (magic, version, checksum, parameters, the count the
/// manifest gives when `expected` is set) and calling `visit` with each document and where it
/// lies, in order. Memory is one piece and the largest document, whatever the segment's size.
///
/// The checksum covers the whole file and is known only at its end, so documents are visited
/// before it is: a caller keeps nothing of a scan that fails. A damaged file fails as
/// [`parse_segment`] always failed: when the checksum does not match, that is the error, even
/// where a field before it already did not decode.
pub fn scan_segment<R: Read>(
    path: &Path,
    source: R,
    len: u64,
    params: &FingerprintParams,
    expected: Option<u64>,
    visit: &mut dyn FnMut(&DocView<'_>, DocAt),
) -> Result<u64> {
    let problem = |p: IndexProblem| Error::Index {
        path: path.to_path_buf(),
        problem: p,
    };
    let damaged = |e: String| problem(IndexProblem::Damaged(e));
    let io = |e: std::io::Error| match e.kind() {
        // The file is shorter than it was when its length was taken.
        std::io::ErrorKind::UnexpectedEof => damaged("ends early".into()),
        _ => Error::with_path(path, e),
    };
    let mut source = source;
    // Magic and version come before the checksum, as in `open_envelope`.
    let mut head = [0u8; 12];
    let got = len.min(12) as usize;
    source.read_exact(&mut head[..got]).map_err(io)?;
    if got < 8 || &head[..8] != SEGMENT_MAGIC {
        return Err(problem(IndexProblem::NotAnIndex));
    }
    if got < 12 {
        return Err(damaged("header ends early".into()));
    }
    let version = u32::from_le_bytes([head[8], head[9], head[10], head[11]]);
    if version > FORMAT_VERSION {
        return Err(problem(IndexProblem::NewerFormat {
            found: version,
            supported: FORMAT_VERSION,
        }));
    }
    if version == 0 {
        return Err(damaged("format version 0 is not one reprint writes".into()));
    }
    if len < 8 + 4 + 8 {
        return Err(damaged("header ends early".into()));
    }
    let mut hashed = Hashed {
        inner: source,
        hasher: xxhash_rust::xxh3::Xxh3::new(),
        left: len - 8 - 12,
    };
    hashed.hasher.update(&head);
    let mut count = 0u64;
    let outcome = scan_body(
        &mut hashed,
        path,
        version,
        params,
        expected,
        &mut |d, at| {
            count += 1;
            visit(d, at)
        },
    );
    match outcome {
        // Any failure before the checksum is checked: a checksum that does not match is the
        // error, as when the whole file was checked before it was decoded.
        Err(e) => match hashed.finish() {
            Ok(false) => Err(damaged("checksum mismatch".into())),
            _ => Err(e),
        },
        Ok(()) => match hashed.finish().map_err(io)? {
            true => Ok(count),
            false => Err(damaged("checksum mismatch".into())),
        },
    }
}

/// [`scan_segment`] after the magic and version: the parameters and the documents.
fn scan_body<R: Read>(
    hashed: &mut Hashed<R>,
    path: &Path,
    version: u32,
    params: &FingerprintParams,
    expected: Option<u64>,
    visit: &mut dyn FnMut(&DocView<'_>, DocAt),
) -> Result<()> {
    let damaged = |e: String| Error::Index {
        path: path.to_path_buf(),
        problem: IndexProblem::Damaged(e),
    };
    let io = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::UnexpectedEof => damaged("ends early".into()),
        _ => Error::with_path(path, e),
    };
    let mut buf: Vec<u8> = Vec::new();
    // A length field, then that many bytes, never more than the covered bytes left.
    let field = |hashed: &mut Hashed<R>, buf: &mut Vec<u8>| -> Result<u64> {
        buf.clear();
        if hashed.left < 8 {
            return Err(damaged("ends early".into()));
        }
        hashed.read_into(buf, 8).map_err(io)?;
        Ok(u64::from_le_bytes([
            buf[0], buf[1], buf[2], buf[3], buf[4], buf[5], buf[6], buf[7],
        ]))
    };
    let n = field(hashed, &mut buf)?;
    if n > hashed.left {
        return Err(damaged(format!("length {n} is impossible here")));
    }
    buf.clear();
    hashed.read_into(&mut buf, n as usize).map_err(io)?;
    let json = std::str::from_utf8(&buf).map_err(|_| damaged("text is not UTF-8".into()))?;
    let found: FingerprintParams =
        serde_json::from_str(json).map_err(|e| damaged(format!("parameters: {e}")))?;
    if version < SKETCH_VERSION && found.translations {
        return Err(damaged(format!(
            "format version {version} cannot hold translation sketches"
        )));
    }
    let body_len = field(hashed, &mut buf)?;
    if body_len > hashed.left {
        return Err(damaged(format!("length {body_len} is impossible here")));
    }
    check_params(path, &found, params)?;
    let layout = Layout::of_version(version);
    // Where the body starts in the file: the header, the parameters, two length fields.
    let body_start = 12 + 8 + n + 8;
    // Body bytes not yet read into `buf`.
    let mut unread = body_len;
    buf.clear();
    let first = unread.min(READ_CHUNK as u64) as usize;
    hashed.read_into(&mut buf, first).map_err(io)?;
    unread -= first as u64;
    let mut r = Reader { bytes: &buf };
    // Each document takes well over 32 bytes, which bounds a damaged count.
    let count = r
        .len((body_len / 32).min(usize::MAX as u64) as usize)
        .map_err(damaged)? as u64;
    if let Some(want) = expected {
        if count != want {
            return Err(damaged(format!(
                "holds {count} documents, the manifest says {want}"
            )));
        }
    }
    // Offset in `buf` of the next document, and in the file of `buf`'s first byte.
    let mut pos = 8usize;
    let mut buf_at = body_start;
    for _ in 0..count {
        loop {
            let mut r = Reader { bytes: &buf[pos..] };
            match decode_doc(&mut r, params, layout) {
                Ok(doc) => {
                    let used = buf.len() - pos - r.bytes.len();
                    visit(
                        &doc,
                        DocAt {
                            offset: buf_at + pos as u64,
                            layout,
                        },
                    );
                    pos += used;
                    break;
                }
                // A record cut by the end of the piece decodes once more of the body is in:
                // read at least as much again as is held (so a large record costs few
                // retries), and fail only when the whole rest of the body is in.
                Err(_) if unread > 0 => {
                    buf.drain(..pos);
                    buf_at += pos as u64;
                    pos = 0;
                    let more = unread.min(READ_CHUNK.max(buf.len()) as u64) as usize;
                    hashed.read_into(&mut buf, more).map_err(io)?;
                    unread -= more as u64;
                }
                Err(e) => return Err(damaged(e)),
            }
        }
    }
    if pos < buf.len() || unread > 0 {
        return Err(damaged("bytes after the last document".into()));
    }
    Ok(())
}

/// Reads again the documents of the segment at `path` that lie at `at` (offsets from a scan
/// of it, ascending), in that order. The scan checked the file, which is never rewritten while
/// the lock is held; a record that does not decode here is still an error, not a panic.
pub fn read_docs_at(
    path: &Path,
    params: &FingerprintParams,
    at: &[DocAt],
) -> Result<Vec<StoredDoc>> {
    use std::io::{Seek, SeekFrom};
    let damaged = |e: String| Error::Index {
        path: path.to_path_buf(),
        problem: IndexProblem::Damaged(e),
    };
    let mut file = File::open(path).map_err(|e| Error::with_path(path, e))?;
    let len = file
        .metadata()
        .map_err(|e| Error::with_path(path, e))?
        .len();
    let mut buf: Vec<u8> = Vec::new();
    let mut out = Vec::with_capacity(at.len());
    for a in at {
        if a.offset >= len {
            return Err(damaged(format!("no document at byte {}", a.offset)));
        }
        // Most records are under a kilobyte; a larger one is read again, whole.
        let mut want = 4096u64;
        loop {
            let n = want.min(len - a.offset) as usize;
            buf.resize(n, 0);
            file.seek(SeekFrom::Start(a.offset))
                .and_then(|_| file.read_exact(&mut buf))
                .map_err(|e| Error::with_path(path, e))?;
            let mut r = Reader { bytes: &buf };
            match decode_doc(&mut r, params, a.layout) {
                Ok(doc) => {
                    out.push(doc.to_stored());
                    break;
                }
                Err(_) if (n as u64) < len - a.offset => want = want.saturating_mul(4),
                Err(e) => return Err(damaged(e)),
            }
        }
    }
    Ok(out)
}

/// Reads one document's translation sketch: a language code and the anchors (their bytes).
fn read_sketch<'a>(r: &mut Reader<'a>) -> std::result::Result<(Option<Lang>, &'a [u8]), String> {
    let code = r.array::<2>()?;
    let lang = match code {
        [0, 0] => None,
        _ => {
            let code = std::str::from_utf8(&code[..if code[1] == 0 { 1 } else { 2 }])
                .map_err(|_| "a language code is not text")?;
            // A language this build cannot name (another reprint's stop-word lists) matches
            // nothing across languages, as an untold one.
            Lang::from_code(code)
        }
    };
    let n = r.u32()? as usize;
    if n > r.bytes.len() / 4 {
        return Err(format!("{n} anchors is impossible here"));
    }
    Ok((lang, r.take(n * 4)?))
}

/// Encodes a manifest's bytes.
pub fn encode_manifest(params: &FingerprintParams, m: &Manifest) -> Vec<u8> {
    envelope(MANIFEST_MAGIC, params, &manifest_body(m))
}

fn manifest_body(m: &Manifest) -> Vec<u8> {
    manifest_body_as(m, FORMAT_VERSION)
}

/// The manifest's body in format `version`.
fn manifest_body_as(m: &Manifest, version: u32) -> Vec<u8> {
    let mut w = Writer::default();
    w.u64(m.generation);
    w.u64(m.next_cluster);
    w.u64(m.segments.len() as u64);
    for (name, count) in &m.segments {
        w.str(name);
        w.u64(*count);
    }
    w.u64(m.clusters.len() as u64);
    for c in &m.clusters {
        w.u64(c.id);
        w.u32(c.representative);
        w.u32(c.members.len() as u32);
        for &d in &c.members {
            w.u32(d);
        }
    }
    if version >= FREQUENT_VERSION {
        let buckets = m.frequent.buckets();
        w.u64(buckets.len() as u64);
        for b in buckets {
            w.u32(b);
        }
    }
    w.0
}

/// Reads the manifest of `dir`, or `None` when the directory holds no index yet.
pub fn read_manifest(dir: &Path) -> Result<Option<Manifest>> {
    let path = dir.join(MANIFEST);
    if !path.exists() {
        return Ok(None);
    }
    parse_manifest(&path, &read_file(&path)?).map(Some)
}

/// Decodes the `bytes` of the manifest file at `path` (named in errors). Any bytes give a
/// manifest or an error, never a panic or an allocation larger than a small multiple of
/// `bytes` (the fuzz target `index_read` holds it to that).
pub fn parse_manifest(path: &Path, bytes: &[u8]) -> Result<Manifest> {
    let (format_version, params, body) = open_envelope(path, MANIFEST_MAGIC, bytes)?;
    let damaged = |e: String| Error::Index {
        path: path.to_path_buf(),
        problem: IndexProblem::Damaged(e),
    };
    let mut r = Reader { bytes: body };
    let mut m = Manifest {
        format_version,
        params: Some(params),
        ..Manifest::default()
    };
    (|| -> std::result::Result<(), String> {
        m.generation = r.u64()?;
        m.next_cluster = r.u64()?;
        let n = r.len(body.len() / 16)?;
        for _ in 0..n {
            let name = r.str()?;
            if !is_segment_name(&name) {
                return Err(format!("segment name {name:?} is not one reprint writes"));
            }
            m.segments.push((name, r.u64()?));
        }
        let n = r.len(body.len() / 16)?;
        for _ in 0..n {
            let id = r.u64()?;
            let representative = r.u32()?;
            let k = r.u32()? as usize;
            let members = (0..k)
                .map(|_| r.u32())
                .collect::<std::result::Result<_, _>>()?;
            m.clusters.push(StoredCluster {
                id,
                representative,
                members,
            });
        }
        if format_version >= FREQUENT_VERSION {
            let n = r.len(r.bytes.len() / 4)?;
            let buckets = (0..n)
                .map(|_| r.u32())
                .collect::<std::result::Result<Vec<u32>, _>>()?;
            m.frequent = FrequentShingles::from_buckets(&buckets)
                .map_err(|b| format!("frequent shingle bucket {b} is out of range"))?;
        }
        if !r.bytes.is_empty() {
            return Err("bytes after the last cluster".into());
        }
        Ok(())
    })()
    .map_err(damaged)?;
    Ok(m)
}

/// Fails when an index file was built with other fingerprint parameters than the run's.
pub fn check_params(path: &Path, found: &FingerprintParams, run: &FingerprintParams) -> Result<()> {
    match found.first_difference(run) {
        Some(diff) => Err(Error::Index {
            path: path.to_path_buf(),
            problem: IndexProblem::WrongParams(diff),
        }),
        None => Ok(()),
    }
}

/// Fails when a run cannot use the index whose manifest (read in format `version`, with
/// parameters `found`) is at `path`: an index from before translation sketches cannot serve a
/// run with translations on, and otherwise the parameters must be equal.
pub fn check_manifest(
    path: &Path,
    version: u32,
    found: &FingerprintParams,
    run: &FingerprintParams,
) -> Result<()> {
    if version < SKETCH_VERSION && run.translations {
        return Err(Error::Index {
            path: path.to_path_buf(),
            problem: IndexProblem::WrongParams(format!(
                "it was written in format version {version}, before reprint kept translation \
                 sketches; run with --translations off to keep using it, or start a new state \
                 directory"
            )),
        });
    }
    check_params(path, found, run)
}

/// The name of the segment a save at `generation` writes.
pub fn segment_name(generation: u64) -> String {
    format!("seg-{generation:010}.rps")
}

fn is_segment_name(name: &str) -> bool {
    name.len() == "seg-0000000000.rps".len()
        && name.starts_with("seg-")
        && name.ends_with(".rps")
        && name[4..14].bytes().all(|b| b.is_ascii_digit())
}

/// Holds the state directory's lock for as long as it lives. The lock is an OS file lock, so a
/// run that is killed releases it with its process; no stale lock file can block the next night.
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

impl Lock {
    /// Creates `dir` if needed and takes its lock, failing at once if another run holds it.
    pub fn acquire(dir: &Path) -> Result<Lock> {
        fs::create_dir_all(dir).map_err(|e| Error::with_path(dir, e))?;
        let path = dir.join(LOCK);
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Error::with_path(&path, e))?;
        match file.try_lock() {
            Ok(()) => Ok(Lock { _file: file }),
            Err(fs::TryLockError::WouldBlock) => Err(Error::Index {
                path: dir.to_path_buf(),
                problem: IndexProblem::Locked,
            }),
            Err(fs::TryLockError::Error(e)) => Err(Error::with_path(&path, e)),
        }
    }
}

/// Milliseconds to sleep between the steps of a save, from `REPRINT_FAULT_SAVE_PAUSE_MS`:
/// fault injection for the kill-during-save test, so that a kill lands inside each step.
fn fault_pause() {
    if let Some(ms) = std::env::var("REPRINT_FAULT_SAVE_PAUSE_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

/// Writes `bytes` to `dir/name` durably: a temporary file, fsync, rename (the directory's own
/// fsync is the caller's, once per save step).
fn write_durable(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    crate::report::write_atomic_then(&dir.join(name), bytes, &fault_pause)
}

fn sync_dir(dir: &Path) -> Result<()> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| Error::with_path(dir, e))
}

/// Saves a new state: `new_segment` (if any) as a file of its own, then the manifest that
/// names it, each durable before the next step; finally removes segment files the manifest no
/// longer names (orphans of a killed save, or segments a prune rewrote).
pub fn save(
    dir: &Path,
    params: &FingerprintParams,
    manifest: &Manifest,
    new_segment: Option<(&str, &[StoredDoc])>,
) -> Result<()> {
    if let Some((name, docs)) = new_segment {
        write_durable(dir, name, &encode_segment(params, docs))?;
        sync_dir(dir)?;
        fault_pause();
    }
    write_durable(dir, MANIFEST, &encode_manifest(params, manifest))?;
    sync_dir(dir)?;
    remove_orphans(dir, manifest)
}

/// Removes segment files and stale temporary files that the manifest does not name.
fn remove_orphans(dir: &Path, manifest: &Manifest) -> Result<()> {
    let named: std::collections::BTreeSet<&str> =
        manifest.segments.iter().map(|(n, _)| n.as_str()).collect();
    let entries = fs::read_dir(dir).map_err(|e| Error::with_path(dir, e))?;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let stale_tmp = name.starts_with(".reprint-") && name.ends_with(".tmp");
        if (is_segment_name(name) && !named.contains(name)) || stale_tmp {
            // A file we cannot remove is harmless: it is never read.
            let _ = fs::remove_file(entry.path());
        }
    }
    Ok(())
}

/// Total size in bytes of the index's files.
pub fn size_on_disk(dir: &Path, manifest: &Manifest) -> u64 {
    let mut paths: Vec<PathBuf> = manifest.segments.iter().map(|(n, _)| dir.join(n)).collect();
    paths.push(dir.join(MANIFEST));
    paths
        .iter()
        .filter_map(|p| fs::metadata(p).ok())
        .map(|m| m.len())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> FingerprintParams {
        FingerprintParams {
            method: "minhash".into(),
            seed: 7,
            num_perm: 4,
            shingle: "char:7".into(),
            normalizer_version: 1,
            hash_version: 2,
            boilerplate_removal: true,
            translations: true,
        }
    }

    fn doc(id: &str, date: Option<i64>) -> StoredDoc {
        StoredDoc {
            id: id.into(),
            source: "site".into(),
            date,
            date_source: None,
            added: 1_700_000_000,
            fingerprint: Fingerprint {
                // Bits of lanes the signature does not have, and of both halves.
                quoted_lanes: 0b1010 | 1 << 70 | 1 << 127,
                signature: vec![1, 2, 3, u32::MAX].into(),
                simhash: None,
                shingles: 40,
                length: 300,
                numbers: vec![5, 9].into(),
            },
            sketch: Sketch {
                lang: Lang::from_code("fr"),
                anchors: vec![7, u32::MAX, 0],
            },
        }
    }

    /// A file of format version 1, as reprint wrote before translation sketches: no sketch
    /// after a document's fingerprint, and no `translations` among the parameters.
    fn version_1(magic: &[u8; 8], params: &FingerprintParams, body: &[u8]) -> Vec<u8> {
        let mut json = serde_json::to_value(params).unwrap();
        json.as_object_mut().unwrap().remove("translations");
        envelope_as(magic, 1, &json.to_string(), body)
    }

    #[test]
    fn segment_round_trip_and_every_damage_is_caught() {
        let docs = vec![doc("a", Some(-5)), doc("b/ü", None)];
        let bytes = encode_segment(&params(), &docs);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(segment_name(1));
        fs::write(&path, &bytes).unwrap();
        let back = read_segment(&path, &params()).unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(back[1].id, "b/ü");
        assert_eq!(
            back[0].fingerprint.quoted_lanes,
            docs[0].fingerprint.quoted_lanes
        );
        assert_eq!(back[0].date, Some(-5));
        assert_eq!(back[1].date, None);
        assert_eq!(back[0].fingerprint.signature, docs[0].fingerprint.signature);
        assert_eq!(*back[0].fingerprint.numbers, [5, 9]);
        assert_eq!(back[0].sketch, docs[0].sketch);
        // Flip each byte in turn, and cut the file at each length: never a panic, always an
        // index error, never a silently different state.
        for i in 0..bytes.len() {
            let mut bad = bytes.clone();
            bad[i] ^= 0x41;
            fs::write(&path, &bad).unwrap();
            assert!(
                matches!(read_segment(&path, &params()), Err(Error::Index { .. })),
                "flip at {i}"
            );
        }
        for cut in 0..bytes.len() {
            fs::write(&path, &bytes[..cut]).unwrap();
            assert!(read_segment(&path, &params()).is_err(), "cut at {cut}");
        }
    }

    /// A segment larger than the reader's piece, with a document larger than a piece, reads
    /// as it was written, each document at the place the scan gives; a document cut by the
    /// end of the file is an error.
    #[test]
    fn streamed_reads_cross_pieces_and_find_documents_again() {
        let mut docs: Vec<StoredDoc> = (0..3000)
            .map(|i| doc(&format!("doc-{i}-{}", "x".repeat(i % 700)), Some(i as i64)))
            .collect();
        docs[1700].id = "y".repeat(3 * READ_CHUNK);
        let bytes = encode_segment(&params(), &docs);
        assert!(bytes.len() > 4 * READ_CHUNK);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(segment_name(1));
        fs::write(&path, &bytes).unwrap();
        let mut seen = Vec::new();
        let file = File::open(&path).unwrap();
        let n = scan_segment(
            &path,
            file,
            bytes.len() as u64,
            &params(),
            Some(3000),
            &mut |d, at| seen.push((d.id.to_string(), d.date, at)),
        )
        .unwrap();
        assert_eq!(n, 3000);
        for (d, (id, date, _)) in docs.iter().zip(&seen) {
            assert_eq!((&d.id, d.date), (id, *date));
        }
        let picks = [0usize, 1, 1699, 1700, 1701, 2999];
        let at: Vec<DocAt> = picks.iter().map(|&i| seen[i].2).collect();
        let again = read_docs_at(&path, &params(), &at).unwrap();
        for (&i, d) in picks.iter().zip(&again) {
            assert_eq!(d.id, docs[i].id);
            assert_eq!(d.fingerprint.signature, docs[i].fingerprint.signature);
            assert_eq!(d.sketch, docs[i].sketch);
        }
        // Another count than the manifest's is an error before any document is visited.
        let err = scan_segment(
            &path,
            &bytes[..],
            bytes.len() as u64,
            &params(),
            Some(7),
            &mut |_, _| panic!("visited"),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("holds 3000 documents, the manifest says 7"),
            "{err}"
        );
        // Cut inside the large document: an error, never a panic.
        let cut = &bytes[..bytes.len() / 2];
        assert!(parse_segment(&path, cut, &params()).is_err());
    }

    #[test]
    fn simhash_segment_round_trip() {
        let p = FingerprintParams {
            method: "simhash".into(),
            ..params()
        };
        let mut d = doc("a", None);
        d.fingerprint.signature = Box::default();
        d.fingerprint.simhash = Some(0xdead_beef_0123_4567);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(segment_name(1));
        fs::write(&path, encode_segment(&p, &[d])).unwrap();
        let back = read_segment(&path, &p).unwrap();
        assert_eq!(back[0].fingerprint.simhash, Some(0xdead_beef_0123_4567));
        assert!(back[0].fingerprint.signature.is_empty());
        // A MinHash segment is not read as a SimHash one: its parameters differ.
        fs::write(&path, encode_segment(&params(), &[doc("a", None)])).unwrap();
        assert!(read_segment(&path, &p).is_err());
    }

    #[test]
    fn header_problems_table() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x");
        let good = encode_segment(&params(), &[doc("a", None)]);
        let mut newer = good.clone();
        newer[8..12].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
        let mut zero = good.clone();
        zero[8..12].copy_from_slice(&0u32.to_le_bytes());
        let off = FingerprintParams {
            translations: false,
            ..params()
        };
        let other = FingerprintParams {
            num_perm: 8,
            ..params()
        };
        let cases: Vec<(Vec<u8>, FingerprintParams, &str)> = vec![
            (
                b"hello world, not an index".to_vec(),
                params(),
                "not a reprint index",
            ),
            (newer, params(), "newer"),
            (zero, params(), "format version 0 is not one reprint writes"),
            (
                good.clone(),
                off,
                "translations is true in the index but false in this run",
            ),
            (
                good.clone(),
                other,
                "num_perm is 4 in the index but 8 in this run",
            ),
            // An index of an earlier reprint, whose figures were hashed otherwise.
            (
                good.clone(),
                FingerprintParams {
                    hash_version: params().hash_version + 1,
                    ..params()
                },
                "made by another version of reprint, which fingerprints texts differently: \
                 rebuild it",
            ),
        ];
        for (bytes, run, want) in cases {
            fs::write(&path, &bytes).unwrap();
            let err = read_segment(&path, &run).unwrap_err().to_string();
            assert!(err.contains(want), "{err:?} should say {want:?}");
        }
    }

    #[test]
    fn sketches_round_trip_with_and_without_a_language() {
        let mut untold = doc("b", None);
        untold.sketch = Sketch {
            lang: None,
            anchors: (0..64).collect(),
        };
        let mut empty = doc("c", None);
        empty.sketch = Sketch::default();
        let docs = vec![doc("a", None), untold, empty];
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(segment_name(1));
        fs::write(&path, encode_segment(&params(), &docs)).unwrap();
        let back = read_segment(&path, &params()).unwrap();
        let sketches: Vec<&Sketch> = back.iter().map(|d| &d.sketch).collect();
        assert_eq!(sketches, docs.iter().map(|d| &d.sketch).collect::<Vec<_>>());
        // Every language the detector names round-trips by its code.
        for code in ["en", "fr", "de", "ru", "zh", "hu"] {
            let Some(lang) = Lang::from_code(code) else {
                continue;
            };
            let mut d = doc("x", None);
            d.sketch.lang = Some(lang);
            fs::write(&path, encode_segment(&params(), &[d])).unwrap();
            assert_eq!(
                read_segment(&path, &params()).unwrap()[0].sketch.lang,
                Some(lang)
            );
        }
    }

    #[test]
    fn version_1_files_read_as_an_index_without_translations() {
        let off = FingerprintParams {
            translations: false,
            ..params()
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(segment_name(1));
        let docs = vec![doc("a", Some(3)), doc("b", None)];
        fs::write(
            &path,
            version_1(
                SEGMENT_MAGIC,
                &off,
                &segment_body(&docs, Layout::of_version(1)),
            ),
        )
        .unwrap();
        let back = read_segment(&path, &off).unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(back[1].id, "b");
        assert_eq!(back[0].fingerprint.signature, docs[0].fingerprint.signature);
        assert_eq!(back[0].sketch, Sketch::default());
        // A run with translations on cannot use it: the segment's parameters say off.
        assert!(read_segment(&path, &params()).is_err());

        let m = Manifest {
            params: Some(off.clone()),
            generation: 1,
            next_cluster: 1,
            segments: vec![(segment_name(1), 2)],
            clusters: vec![StoredCluster {
                id: 0,
                representative: 0,
                members: vec![0, 1],
            }],
            ..Manifest::default()
        };
        fs::write(
            dir.path().join(MANIFEST),
            version_1(MANIFEST_MAGIC, &off, &manifest_body_as(&m, 1)),
        )
        .unwrap();
        let back = read_manifest(dir.path()).unwrap().unwrap();
        assert_eq!(back.format_version, 1);
        assert_eq!(back.params, Some(off.clone()));
        assert_eq!(back.clusters, m.clusters);
        let manifest = dir.path().join(MANIFEST);
        // A run with translations off goes on with it; one with them on is told what to do.
        assert!(check_manifest(&manifest, 1, &off, &off).is_ok());
        let err = check_manifest(&manifest, 1, &off, &params())
            .unwrap_err()
            .to_string();
        assert!(err.contains("format version 1"), "{err}");
        assert!(err.contains("--translations off"), "{err}");
        assert!(err.contains("new state directory"), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }

    /// Every date source, and none, reads back as written, by the whole read, the streamed
    /// scan and the read again at a document's place.
    #[test]
    fn date_sources_round_trip() {
        let sources = [
            None,
            Some(DateSource::Field),
            Some(DateSource::HtmlMeta),
            Some(DateSource::Text),
            Some(DateSource::Warc),
            Some(DateSource::Mtime),
        ];
        for n in 1..=5 {
            assert!(sources.contains(&DateSource::from_number(n)), "{n}");
        }
        let docs: Vec<StoredDoc> = sources
            .iter()
            .enumerate()
            .map(|(i, &s)| StoredDoc {
                date_source: s,
                ..doc(&format!("d{i}"), s.map(|_| 1_000 + i as i64))
            })
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(segment_name(1));
        let bytes = encode_segment(&params(), &docs);
        fs::write(&path, &bytes).unwrap();
        let back = read_segment(&path, &params()).unwrap();
        let got: Vec<_> = back.iter().map(|d| (d.date, d.date_source)).collect();
        let want: Vec<_> = docs.iter().map(|d| (d.date, d.date_source)).collect();
        assert_eq!(got, want);
        let mut at = Vec::new();
        scan_segment(
            &path,
            &bytes[..],
            bytes.len() as u64,
            &params(),
            Some(docs.len() as u64),
            &mut |d, a| {
                assert_eq!(d.date_source, docs[at.len()].date_source);
                assert_eq!(a.layout, Layout::current());
                at.push(a);
            },
        )
        .unwrap();
        let again = read_docs_at(&path, &params(), &at).unwrap();
        let got: Vec<_> = again.iter().map(|d| d.date_source).collect();
        assert_eq!(got, sources);
    }

    /// `docs` written as a segment file of format `version` (laid out as that version wrote
    /// it), in a temporary directory: the directory, the file's path and its bytes.
    fn old_segment(
        docs: &[StoredDoc],
        version: u32,
    ) -> (tempfile::TempDir, std::path::PathBuf, Vec<u8>) {
        let json = serde_json::to_string(&params()).unwrap();
        let layout = Layout::of_version(version);
        let bytes = envelope_as(SEGMENT_MAGIC, version, &json, &segment_body(docs, layout));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(segment_name(1));
        fs::write(&path, &bytes).unwrap();
        (dir, path, bytes)
    }

    /// Each document of a segment file as a scan sees it: its quoted lanes and its place.
    fn scanned(path: &std::path::Path, bytes: &[u8]) -> Vec<(u128, DocAt)> {
        let mut at = Vec::new();
        scan_segment(
            path,
            bytes,
            bytes.len() as u64,
            &params(),
            Some(2),
            &mut |v, a| at.push((v.quoted_lanes, a)),
        )
        .unwrap();
        at
    }

    /// A segment of format version 3, as reprint wrote before date sources (no byte after the
    /// date), still reads, by every reader, its documents without a date source.
    #[test]
    fn version_3_segments_read_without_date_sources() {
        let mut docs = vec![doc("a", Some(3)), doc("b", None)];
        docs[0].date_source = Some(DateSource::Warc);
        let old = Layout::of_version(3);
        assert_eq!(
            old,
            Layout {
                sketches: true,
                date_source: false,
                quoted: false,
            }
        );
        let (_dir, path, bytes) = old_segment(&docs, 3);
        // A date source byte and the quoted lanes' 16 a document shorter than the current
        // layout.
        assert_eq!(
            encode_segment(&params(), &docs).len(),
            bytes.len() + 17 * docs.len()
        );
        let back = read_segment(&path, &params()).unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!((back[0].id.as_str(), back[0].date), ("a", Some(3)));
        assert_eq!(back[0].date_source, None);
        assert_eq!(back[1].id, "b");
        assert_eq!(back[0].sketch, docs[0].sketch);
        assert_eq!(back[1].fingerprint.signature, docs[1].fingerprint.signature);
        let at = scanned(&path, &bytes);
        assert!(at.iter().all(|(_, a)| a.layout == old));
        // Its places survive the night's packing, so that the document reads again.
        let at: Vec<DocAt> = at.iter().map(|(_, a)| DocAt::unpack(a.pack())).collect();
        let again = read_docs_at(&path, &params(), &at).unwrap();
        assert_eq!(again[1].id, "b");
        assert_eq!(again[0].date_source, None);
        assert_eq!(again[0].sketch, docs[0].sketch);
    }

    /// A segment of format version 4, as reprint wrote before quoted lanes, still reads, by
    /// every reader: its documents with none, which the check of quotations takes as not
    /// known (so an old index never vetoes a pair it used to match).
    #[test]
    fn version_4_segments_read_without_quoted_lanes() {
        let docs = vec![doc("a", Some(3)), doc("b", None)];
        let old = Layout::of_version(4);
        assert!(old.date_source && !old.quoted);
        let (_dir, path, bytes) = old_segment(&docs, 4);
        assert_eq!(
            encode_segment(&params(), &docs).len(),
            bytes.len() + 16 * docs.len()
        );
        let back = read_segment(&path, &params()).unwrap();
        assert!(back.iter().all(|d| d.fingerprint.quoted_lanes == 0));
        assert_eq!(back[1].fingerprint.signature, docs[1].fingerprint.signature);
        let at = scanned(&path, &bytes);
        assert!(at.iter().all(|(o, a)| *o == 0 && a.layout == old));
        // Every layout survives the night's packing of a document's place.
        for version in 1..=FORMAT_VERSION {
            let place = DocAt {
                offset: 12_345,
                layout: Layout::of_version(version),
            };
            assert_eq!(DocAt::unpack(place.pack()), place, "version {version}");
        }
        let current: Vec<DocAt> = at.iter().map(|(_, a)| DocAt::unpack(a.pack())).collect();
        let again = read_docs_at(&path, &params(), &current).unwrap();
        assert_eq!(again[0].fingerprint.quoted_lanes, 0);
    }

    /// A date source byte that names no source is damage, reported by every reader, never a
    /// panic (the file's checksum is right: only the record is wrong).
    #[test]
    fn an_unknown_date_source_is_damage() {
        let mut d = doc("a", Some(9));
        d.date_source = Some(DateSource::Text);
        let json = serde_json::to_string(&params()).unwrap();
        let mut body = segment_body(&[d], Layout::current());
        // The count, the id, the source and the date come before it.
        let at = 8 + (8 + 1) + (8 + "site".len()) + 8;
        assert_eq!(body[at], DateSource::Text.number());
        for bad in [6u8, 7, 0x80, u8::MAX] {
            body[at] = bad;
            let bytes = envelope_as(SEGMENT_MAGIC, FORMAT_VERSION, &json, &body);
            let path = Path::new("seg");
            let err = parse_segment(path, &bytes, &params())
                .unwrap_err()
                .to_string();
            assert!(
                err.contains(&format!("date source {bad} is not one")),
                "{err}"
            );
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join(segment_name(1));
            fs::write(&path, &bytes).unwrap();
            assert!(matches!(
                read_segment(&path, &params()),
                Err(Error::Index {
                    problem: IndexProblem::Damaged(_),
                    ..
                })
            ));
            let place = DocAt {
                offset: bytes.len() as u64 - 8 - body.len() as u64 + 8,
                layout: Layout::current(),
            };
            assert!(read_docs_at(&path, &params(), &[place]).is_err());
        }
        // Read as version 3, the same bytes are one byte too long: damage too.
        body[at] = DateSource::Text.number();
        let bytes = envelope_as(SEGMENT_MAGIC, 3, &json, &body);
        assert!(parse_segment(Path::new("seg"), &bytes, &params()).is_err());
    }

    /// A place packs into one word and back, whatever its segment's layout.
    #[test]
    fn places_pack_with_their_layout() {
        for version in 1..=FORMAT_VERSION {
            for offset in [0u64, 20, 1 << 40, (1 << 62) - 1] {
                let at = DocAt {
                    offset,
                    layout: Layout::of_version(version),
                };
                assert_eq!(DocAt::unpack(at.pack()), at, "{version} {offset}");
            }
        }
    }

    #[test]
    fn manifest_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let m = Manifest {
            params: Some(params()),
            generation: 3,
            next_cluster: 12,
            segments: vec![(segment_name(1), 10), (segment_name(3), 4)],
            clusters: vec![StoredCluster {
                id: 4,
                representative: 2,
                members: vec![1, 2, 13],
            }],
            frequent: FrequentShingles::from_buckets(&[0, 5, 70, (1 << 20) - 1]).unwrap(),
            ..Manifest::default()
        };
        save(
            dir.path(),
            &params(),
            &m,
            Some((&segment_name(3), &[doc("z", None)])),
        )
        .unwrap();
        let back = read_manifest(dir.path()).unwrap().unwrap();
        assert_eq!(back.generation, 3);
        assert_eq!(back.next_cluster, 12);
        assert_eq!(back.segments, m.segments);
        assert_eq!(back.clusters, m.clusters);
        assert_eq!(back.params, Some(params()));
        assert_eq!(back.format_version, FORMAT_VERSION);
        assert_eq!(back.frequent, m.frequent);
    }

    /// An index written before frequent shingles were left out reads as one that keeps every
    /// shingle, which is how its fingerprints were made: its nights go on without an error.
    #[test]
    fn version_2_manifest_reads_as_keeping_every_shingle() {
        let dir = tempfile::tempdir().unwrap();
        let m = Manifest {
            params: Some(params()),
            generation: 1,
            next_cluster: 0,
            frequent: FrequentShingles::from_buckets(&[9]).unwrap(),
            ..Manifest::default()
        };
        let json = serde_json::to_string(&params()).unwrap();
        fs::write(
            dir.path().join(MANIFEST),
            envelope_as(MANIFEST_MAGIC, 2, &json, &manifest_body_as(&m, 2)),
        )
        .unwrap();
        let back = read_manifest(dir.path()).unwrap().unwrap();
        assert_eq!(back.format_version, 2);
        assert!(back.frequent.is_empty());
        // A damaged bucket list is an error, not a panic.
        let mut body = manifest_body_as(&m, FREQUENT_VERSION);
        let n = body.len();
        body[n - 4..].copy_from_slice(&u32::MAX.to_le_bytes());
        fs::write(
            dir.path().join(MANIFEST),
            envelope_as(MANIFEST_MAGIC, FREQUENT_VERSION, &json, &body),
        )
        .unwrap();
        let err = read_manifest(dir.path()).unwrap_err().to_string();
        assert!(err.contains("out of range"), "{err}");
    }

    #[test]
    fn second_lock_fails_at_once_and_is_released_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let held = Lock::acquire(dir.path()).unwrap();
        let err = Lock::acquire(dir.path()).unwrap_err().to_string();
        assert!(err.contains("in use by another reprint run"), "{err}");
        drop(held);
        assert!(Lock::acquire(dir.path()).is_ok());
    }
}
