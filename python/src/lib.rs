//! The Python extension module `reprint._reprint`: turns Python arguments into the library's
//! `Config` and inputs, runs the library's pipeline with the GIL released, and hands back the
//! report as the same JSON the command line writes. No stage is implemented here; the pure
//! Python layer (`reprint/__init__.py`) shapes lists and frames into JSON Lines for it.

use std::path::PathBuf;
use std::sync::Arc;

use pyo3::exceptions::{PyOSError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};

use reprint::anchor::Sketch;
use reprint::boilerplate::LineCounts;
use reprint::cluster::{self, Fingerprint, FingerprintRef, MatchKind};
use reprint::config::{Config, Method, ShingleSpec};
use reprint::corpus::date::{DateSource, Dated};
use reprint::corpus::range::{self, ByteRange};
use reprint::corpus::Input;
use reprint::corpus::Skipped;
use reprint::crosslang::{self, AnchorCounts, SketchTable};
use reprint::error::Error;
use reprint::frequent::{Counter, FrequentShingles};
use reprint::lang::Lang;
use reprint::minhash::Lanes;
use reprint::pipeline::{self, NoProgress};
use reprint::report::{ClusterReport, MemberReport};

/// The options every entry point takes, by the names of the command line's flags (with `_`
/// for `-`). Anything else is a `TypeError`, as an unknown keyword argument is in Python.
const OPTIONS: &[&str] = &[
    "method",
    "threshold",
    "containment",
    "num_perm",
    "shingle",
    "frequent_shingles",
    "seed",
    "threads",
    "keep_boilerplate",
    "translations",
    "hidden",
    "max_file_bytes",
    "id_field",
    "text_field",
    "title_field",
    "text_is_html",
];

/// A configuration with the library's defaults, then `options` (a dict of the names in
/// [`OPTIONS`]; `None` values keep the default).
fn config_from(paths: Vec<PathBuf>, options: Option<&Bound<'_, PyDict>>) -> PyResult<Config> {
    let mut c = Config::new(paths);
    let Some(options) = options else {
        return Ok(c);
    };
    for (key, value) in options.iter() {
        let key: String = key.extract()?;
        if value.is_none() {
            continue;
        }
        let bad = |e: String| PyValueError::new_err(format!("invalid {key}: {e}"));
        match key.as_str() {
            "method" => {
                c.method = value.extract::<String>()?.parse::<Method>().map_err(bad)?;
            }
            "threshold" => c.threshold = value.extract()?,
            "containment" => c.containment = value.extract()?,
            "num_perm" => c.num_perm = value.extract()?,
            "shingle" => {
                c.shingle = value
                    .extract::<String>()?
                    .parse::<ShingleSpec>()
                    .map_err(bad)?;
            }
            "frequent_shingles" => c.frequent_share = value.extract()?,
            "seed" => c.seed = value.extract()?,
            "threads" => c.threads = value.extract()?,
            "keep_boilerplate" => c.keep_boilerplate = value.extract()?,
            "translations" => c.translations = value.extract()?,
            "hidden" => c.hidden = value.extract()?,
            "max_file_bytes" => c.max_file_bytes = value.extract()?,
            "id_field" => c.id_field = value.extract()?,
            "text_field" => c.text_field = value.extract()?,
            "title_field" => c.title_field = value.extract()?,
            "text_is_html" => c.text_is_html = value.extract()?,
            other => {
                return Err(PyTypeError::new_err(format!(
                    "unknown option {other:?} (options: {})",
                    OPTIONS.join(", ")
                )))
            }
        }
    }
    Ok(c)
}

/// The Python exception for a library error: bad settings are `ValueError`, everything about
/// files is `OSError`, each with the library's one-line message.
fn to_py(e: Error) -> PyErr {
    match e {
        Error::InvalidConfig { .. } => PyValueError::new_err(e.to_string()),
        _ => PyOSError::new_err(e.to_string()),
    }
}

/// The report, as JSON text, of the documents in `jsonl` (JSON Lines bytes, one record a line,
/// read exactly as `reprint dedup` reads a `.jsonl` file; `name` is the input's name).
#[pyfunction]
#[pyo3(signature = (jsonl, name = "<memory>", options = None))]
fn dedup_jsonl(
    py: Python<'_>,
    jsonl: Vec<u8>,
    name: &str,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<String> {
    let config = config_from(Vec::new(), options)?;
    let input = Input::memory_jsonl(name, Arc::from(jsonl));
    let report = py
        .detach(|| pipeline::dedup_inputs(&config, vec![input], &NoProgress))
        .map_err(to_py)?;
    Ok(report.to_json())
}

/// The report, as JSON text, of the files and directories `paths`, as `reprint dedup PATHS`
/// gives it.
#[pyfunction]
#[pyo3(signature = (paths, options = None))]
fn dedup_paths(
    py: Python<'_>,
    paths: Vec<PathBuf>,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<String> {
    if paths.is_empty() {
        return Err(PyValueError::new_err("no paths given"));
    }
    let config = config_from(paths, options)?;
    let report = py
        .detach(|| pipeline::dedup(&config, &NoProgress))
        .map_err(to_py)?;
    Ok(report.to_json())
}

/// Little-endian bytes of a list of numbers: the buffer of an Arrow column of that type.
fn le_bytes<T: Copy, const N: usize>(
    values: impl IntoIterator<Item = T>,
    f: fn(T) -> [u8; N],
) -> Vec<u8> {
    values.into_iter().flat_map(f).collect()
}

/// Numbers of `N` bytes from a little-endian buffer; an error when its length is no multiple.
fn from_le<T, const N: usize>(bytes: &[u8], what: &str, f: fn([u8; N]) -> T) -> PyResult<Vec<T>> {
    if !bytes.len().is_multiple_of(N) {
        return Err(PyValueError::new_err(format!(
            "{what}: {} bytes is not a whole number of {N}-byte values",
            bytes.len()
        )));
    }
    Ok(bytes
        .chunks_exact(N)
        .map(|c| {
            let mut a = [0u8; N];
            a.copy_from_slice(c);
            f(a)
        })
        .collect())
}

/// The normalized text of each text (what every later stage reads); `""` when nothing is left,
/// which a run skips as "no text left after normalization".
#[pyfunction]
fn normalize(py: Python<'_>, texts: Vec<String>) -> Vec<String> {
    use rayon::prelude::*;
    py.detach(|| {
        texts
            .par_iter()
            .map(|t| reprint::normalize::normalize(t))
            .collect()
    })
}

/// The boilerplate line statistics of one part of a corpus: its documents' sources and
/// normalized texts (the first of each id only, as a run keeps). Returns the buffers of five
/// columns: line hashes (u64) and documents (u32), then source keys (u64), line hashes (u64)
/// and documents (u32); rows of one key from all parts add up.
#[pyfunction]
#[pyo3(signature = (sources, texts, options = None))]
fn line_counts<'py>(
    py: Python<'py>,
    sources: Vec<String>,
    texts: Vec<String>,
    options: Option<&Bound<'py, PyDict>>,
) -> PyResult<Vec<Bound<'py, PyBytes>>> {
    let config = config_from(Vec::new(), options)?;
    same_length(&[sources.len(), texts.len()])?;
    let (corpus, source) = py.detach(|| {
        let docs = str_pairs(&sources, &texts);
        let counts = pipeline::line_counts(&config, &docs);
        (counts.corpus_rows(), counts.source_rows())
    });
    Ok(vec![
        PyBytes::new(py, &le_bytes(corpus.iter().map(|r| r.0), u64::to_le_bytes)),
        PyBytes::new(py, &le_bytes(corpus.iter().map(|r| r.1), u32::to_le_bytes)),
        PyBytes::new(
            py,
            &le_bytes(source.iter().map(|r| r.0 .0), u64::to_le_bytes),
        ),
        PyBytes::new(
            py,
            &le_bytes(source.iter().map(|r| r.0 .1), u64::to_le_bytes),
        ),
        PyBytes::new(py, &le_bytes(source.iter().map(|r| r.1), u32::to_le_bytes)),
    ])
}

/// Two columns of text side by side, as the library's per-document stages take them.
fn str_pairs<'a>(a: &'a [String], b: &'a [String]) -> Vec<(&'a str, &'a str)> {
    a.iter()
        .map(String::as_str)
        .zip(b.iter().map(String::as_str))
        .collect()
}

/// An error unless every column has the same number of rows.
fn same_length(lengths: &[usize]) -> PyResult<()> {
    if lengths.windows(2).any(|w| w[0] != w[1]) {
        return Err(PyValueError::new_err(format!(
            "columns of different lengths: {lengths:?}"
        )));
    }
    Ok(())
}

/// The shingle counts of the sampled documents of one part (ids and normalized texts; every
/// document read, repeated ids too, as a run counts them): the u32 buffer of 2^20 bucket
/// counts and the number of documents counted. Parts add up bucket by bucket.
#[pyfunction]
#[pyo3(signature = (ids, texts, options = None))]
fn shingle_counts<'py>(
    py: Python<'py>,
    ids: Vec<String>,
    texts: Vec<String>,
    options: Option<&Bound<'py, PyDict>>,
) -> PyResult<(Bound<'py, PyBytes>, u32)> {
    let config = config_from(Vec::new(), options)?;
    same_length(&[ids.len(), texts.len()])?;
    let (counts, documents) = py.detach(|| {
        let docs = str_pairs(&ids, &texts);
        pipeline::shingle_counts(&config, &docs).to_parts()
    });
    Ok((
        PyBytes::new(py, &le_bytes(counts, u32::to_le_bytes)),
        documents,
    ))
}

/// What a run decided from a whole corpus's statistics, for the per-document stages: the line
/// counts of boilerplate and the frequent shingles. Built once from the parts' statistics
/// added up.
#[pyclass(module = "reprint._reprint", frozen)]
struct Decisions {
    lines: LineCounts,
    frequent: FrequentShingles,
    /// What it was made from, for pickling (it goes to every worker).
    made_from: (Vec<Vec<u8>>, u32, f64),
}

#[pymethods]
impl Decisions {
    /// From the added-up line counts (the five buffers [`line_counts`] gives, summed by key)
    /// and shingle counts (2^20 u32 buckets and the documents counted), under `options`.
    #[new]
    #[pyo3(signature = (hashes, counts, source_keys, source_hashes, source_counts, shingle_buckets, shingle_documents, options = None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        hashes: &[u8],
        counts: &[u8],
        source_keys: &[u8],
        source_hashes: &[u8],
        source_counts: &[u8],
        shingle_buckets: &[u8],
        shingle_documents: u32,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Decisions> {
        let config = config_from(Vec::new(), options)?;
        let made_from = (
            [
                hashes,
                counts,
                source_keys,
                source_hashes,
                source_counts,
                shingle_buckets,
            ]
            .iter()
            .map(|b| b.to_vec())
            .collect(),
            shingle_documents,
            config.frequent_share,
        );
        let hashes = from_le(hashes, "hashes", u64::from_le_bytes)?;
        let counts = from_le(counts, "counts", u32::from_le_bytes)?;
        let keys = from_le(source_keys, "source_keys", u64::from_le_bytes)?;
        let shashes = from_le(source_hashes, "source_hashes", u64::from_le_bytes)?;
        let scounts = from_le(source_counts, "source_counts", u32::from_le_bytes)?;
        same_length(&[hashes.len(), counts.len()])?;
        same_length(&[keys.len(), shashes.len(), scounts.len()])?;
        let mut lines = LineCounts::from_rows(
            hashes.into_iter().zip(counts),
            keys.into_iter().zip(shashes).zip(scounts),
        );
        lines.retain_repeated();
        let buckets = from_le(shingle_buckets, "shingle_buckets", u32::from_le_bytes)?;
        let counter = Counter::from_parts(&buckets, shingle_documents)
            .ok_or_else(|| PyValueError::new_err("shingle_buckets must hold 2^20 u32 counts"))?;
        let frequent = if config.frequent_share > 0.0 {
            counter.finish(config.frequent_share)
        } else {
            FrequentShingles::none()
        };
        Ok(Decisions {
            lines,
            frequent,
            made_from,
        })
    }

    /// Pickles as what it was made from.
    #[allow(clippy::type_complexity)]
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(
        Bound<'py, PyAny>,
        (Vec<Bound<'py, PyBytes>>, u32, Bound<'py, PyDict>),
    )> {
        let py = slf.py();
        let (bufs, documents, share) = &slf.get().made_from;
        let options = PyDict::new(py);
        options.set_item("frequent_shingles", share)?;
        let bufs = bufs.iter().map(|b| PyBytes::new(py, b)).collect();
        Ok((
            py.import("reprint._reprint")?.getattr("_decisions")?,
            (bufs, *documents, options),
        ))
    }

    /// The number of frequent shingle buckets (the report's `frequent_shingle_buckets`).
    #[getter]
    fn frequent_shingle_buckets(&self) -> usize {
        self.frequent.len()
    }
}

/// The per-document stages on one part: each document's source, text as read and normalized
/// text, under the corpus's `decisions`; anchors extracted when `anchors` (the corpus is in two
/// languages or more). Returns a dict of column buffers: `signature` (u32 lanes, `num_perm` a
/// document), `shingles`, `length` (u32), `simhash` (u64, 0 under MinHash), `numbers` and
/// `numbers_offsets` (u64 values, u32 offsets), `quoted` (the quoted lanes, 16 bytes a
/// document, little-endian), `lang` (list of codes or None), `anchors` and `anchors_offsets`
/// (u32), and `boilerplate` (the counts of lines left out, summed).
#[pyfunction]
#[pyo3(signature = (sources, raw, texts, decisions, anchors, options = None))]
fn fingerprints<'py>(
    py: Python<'py>,
    sources: Vec<String>,
    raw: Vec<String>,
    texts: Vec<String>,
    decisions: &Decisions,
    anchors: bool,
    options: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyDict>> {
    let config = config_from(Vec::new(), options)?;
    same_length(&[sources.len(), raw.len(), texts.len()])?;
    let done = py.detach(|| {
        let docs: Vec<(&str, &str, &str)> = sources
            .iter()
            .zip(&raw)
            .zip(&texts)
            .map(|((s, r), t)| (s.as_str(), r.as_str(), t.as_str()))
            .collect();
        pipeline::fingerprint_documents(
            &config,
            &decisions.lines,
            &decisions.frequent,
            &docs,
            anchors,
        )
    });
    let out = PyDict::new(py);
    let width = match config.method {
        Method::MinHash => config.num_perm,
        Method::SimHash => 0,
    };
    out.set_item("signature_bytes", width * 4)?;
    out.set_item(
        "signature",
        PyBytes::new(
            py,
            &le_bytes(
                done.iter()
                    .flat_map(|d| d.fingerprint.signature.iter().copied()),
                u32::to_le_bytes,
            ),
        ),
    )?;
    out.set_item(
        "shingles",
        PyBytes::new(
            py,
            &le_bytes(
                done.iter().map(|d| d.fingerprint.shingles),
                u32::to_le_bytes,
            ),
        ),
    )?;
    out.set_item(
        "length",
        PyBytes::new(
            py,
            &le_bytes(done.iter().map(|d| d.fingerprint.length), u32::to_le_bytes),
        ),
    )?;
    out.set_item(
        "simhash",
        PyBytes::new(
            py,
            &le_bytes(
                done.iter().map(|d| d.fingerprint.simhash.unwrap_or(0)),
                u64::to_le_bytes,
            ),
        ),
    )?;
    let offsets = |lens: &mut dyn Iterator<Item = usize>| -> Vec<u32> {
        let mut at = 0u32;
        let mut out = vec![0u32];
        for n in lens {
            at += n as u32;
            out.push(at);
        }
        out
    };
    out.set_item(
        "numbers",
        PyBytes::new(
            py,
            &le_bytes(
                done.iter()
                    .flat_map(|d| d.fingerprint.numbers.iter().copied()),
                u64::to_le_bytes,
            ),
        ),
    )?;
    out.set_item(
        "numbers_offsets",
        PyBytes::new(
            py,
            &le_bytes(
                offsets(&mut done.iter().map(|d| d.fingerprint.numbers.len())),
                u32::to_le_bytes,
            ),
        ),
    )?;
    out.set_item(
        "quoted",
        PyBytes::new(
            py,
            &le_bytes(
                done.iter().map(|d| d.fingerprint.quoted_lanes),
                u128::to_le_bytes,
            ),
        ),
    )?;
    out.set_item(
        "anchors",
        PyBytes::new(
            py,
            &le_bytes(
                done.iter().flat_map(|d| d.sketch.anchors.iter().copied()),
                u32::to_le_bytes,
            ),
        ),
    )?;
    out.set_item(
        "anchors_offsets",
        PyBytes::new(
            py,
            &le_bytes(
                offsets(&mut done.iter().map(|d| d.sketch.anchors.len())),
                u32::to_le_bytes,
            ),
        ),
    )?;
    let langs: Vec<Option<&str>> = done
        .iter()
        .map(|d| d.sketch.lang.map(|l| l.code()))
        .collect();
    out.set_item("lang", langs)?;
    let mut stats = reprint::boilerplate::BoilerplateStats::default();
    for d in &done {
        stats += d.boilerplate;
    }
    let b = PyDict::new(py);
    b.set_item("chrome_lines", stats.chrome_lines)?;
    b.set_item("source_lines", stats.source_lines)?;
    b.set_item("corpus_lines", stats.corpus_lines)?;
    b.set_item("kept_whole", stats.kept_whole)?;
    out.set_item("boilerplate", b)?;
    Ok(out)
}

/// The bucket keys (u64) of every signature of a part (u32 lanes, `num_perm` a document) in
/// every band the run searches: `bands` keys a document, band by band. Documents that group by
/// (band, key) are candidates, paired by [`bucket_pairs`].
#[pyfunction]
#[pyo3(signature = (signatures, options = None))]
fn band_keys<'py>(
    py: Python<'py>,
    signatures: &[u8],
    options: Option<&Bound<'py, PyDict>>,
) -> PyResult<(Bound<'py, PyBytes>, usize)> {
    let config = config_from(Vec::new(), options)?;
    let lanes = from_le(signatures, "signatures", u32::from_le_bytes)?;
    if config.num_perm == 0 || !lanes.len().is_multiple_of(config.num_perm) {
        return Err(PyValueError::new_err(
            "signatures are not whole num_perm-lane signatures",
        ));
    }
    let indexes = pipeline::band_indexes(&config);
    let keys: Vec<u64> = py.detach(|| {
        lanes
            .chunks_exact(config.num_perm)
            .flat_map(|sig| reprint::lsh::signature_band_keys(&indexes, Lanes::Words(sig)))
            .collect()
    });
    let bands = if lanes.is_empty() {
        0
    } else {
        keys.len() / (lanes.len() / config.num_perm)
    };
    Ok((PyBytes::new(py, &le_bytes(keys, u64::to_le_bytes)), bands))
}

/// The candidate pairs of buckets: `docs` (u64 document numbers) sorted by bucket and, within
/// one, by number, and `ends` (u64): where each bucket ends in `docs`. Returns the u64 buffers of
/// the pairs' first and second documents.
#[pyfunction]
fn bucket_pairs<'py>(
    py: Python<'py>,
    docs: &[u8],
    ends: &[u8],
) -> PyResult<(Bound<'py, PyBytes>, Bound<'py, PyBytes>)> {
    let docs = from_le(docs, "docs", u64::from_le_bytes)?;
    let ends = from_le(ends, "ends", u64::from_le_bytes)?;
    let (mut a, mut b) = (Vec::new(), Vec::new());
    let mut start = 0usize;
    for &end in &ends {
        let end = end as usize;
        if end < start || end > docs.len() {
            return Err(PyValueError::new_err("bucket ends must ascend within docs"));
        }
        let bucket = &docs[start..end];
        for (x, y) in reprint::lsh::bucket_pairs(bucket.len()) {
            a.push(bucket[x]);
            b.push(bucket[y]);
        }
        start = end;
    }
    Ok((
        PyBytes::new(py, &le_bytes(a, u64::to_le_bytes)),
        PyBytes::new(py, &le_bytes(b, u64::to_le_bytes)),
    ))
}

/// The connected components of verified pairs: `a` and `b` (u64 document numbers, an edge
/// each). Returns the u64 buffers of every document in an edge, ascending, and of its label,
/// the smallest document of its component (`cluster::component_labels`).
#[pyfunction]
fn component_labels<'py>(
    py: Python<'py>,
    a: &[u8],
    b: &[u8],
) -> PyResult<(Bound<'py, PyBytes>, Bound<'py, PyBytes>)> {
    let a = from_le(a, "a", u64::from_le_bytes)?;
    let b = from_le(b, "b", u64::from_le_bytes)?;
    if a.len() != b.len() {
        return Err(PyValueError::new_err(
            "a and b must hold one document an edge each",
        ));
    }
    let labels =
        py.detach(|| reprint::cluster::component_labels(a.iter().copied().zip(b.iter().copied())));
    Ok((
        PyBytes::new(py, &le_bytes(labels.iter().map(|l| l.0), u64::to_le_bytes)),
        PyBytes::new(py, &le_bytes(labels.iter().map(|l| l.1), u64::to_le_bytes)),
    ))
}

/// The documents of JSON Lines bytes as the corpus stage reads them (ids, sources, texts as
/// read, dates in Unix seconds or None, their date sources, whether bytes were repaired) and
/// the records it skips (`(name, reason)`), in file order: the first stage of a distributed
/// run. `source` is the site of records that name none. Bytes held in memory have no
/// modification time: an undated record stays undated (a caller that read them from a file
/// dates them by its mtime, as the command line does).
#[pyfunction]
#[pyo3(signature = (jsonl, name = "<memory>", options = None, source = ""))]
fn read_jsonl(
    py: Python<'_>,
    jsonl: Vec<u8>,
    name: &str,
    options: Option<&Bound<'_, PyDict>>,
    source: &str,
) -> PyResult<DocumentColumns> {
    let config = config_from(Vec::new(), options)?;
    let mut input = Input::memory_jsonl(name, Arc::from(jsonl));
    // Records that name no site take the input's, as those of a file take its folder's.
    input.source = source.to_string();
    Ok(py.detach(|| documents_of(&input, &config)))
}

/// Fingerprints from the column buffers [`fingerprints`] gives (in a dict, rows in any
/// selection), `width` lanes a signature.
fn fps_from(cols: &Bound<'_, PyDict>, width: usize) -> PyResult<Vec<Fingerprint>> {
    let get = |name: &str| -> PyResult<Vec<u8>> { column(cols, name) };
    let lanes = from_le(&get("signature")?, "signature", u32::from_le_bytes)?;
    let shingles = from_le(&get("shingles")?, "shingles", u32::from_le_bytes)?;
    let length = from_le(&get("length")?, "length", u32::from_le_bytes)?;
    let simhash = from_le(&get("simhash")?, "simhash", u64::from_le_bytes)?;
    let numbers = from_le(&get("numbers")?, "numbers", u64::from_le_bytes)?;
    let quoted = from_le(&get("quoted")?, "quoted", u128::from_le_bytes)?;
    let offsets = from_le(
        &get("numbers_offsets")?,
        "numbers_offsets",
        u32::from_le_bytes,
    )?;
    let n = shingles.len();
    same_length(&[
        n,
        length.len(),
        simhash.len(),
        quoted.len(),
        offsets.len().saturating_sub(1),
    ])?;
    if lanes.len() != n * width {
        return Err(PyValueError::new_err("signature: not one signature a row"));
    }
    let numbers_of = |i: usize| -> PyResult<&[u64]> {
        let (a, b) = (offsets[i] as usize, offsets[i + 1] as usize);
        numbers
            .get(a..b)
            .ok_or_else(|| PyValueError::new_err("numbers_offsets out of range"))
    };
    (0..n)
        .map(|i| {
            Ok(Fingerprint {
                signature: lanes[i * width..(i + 1) * width].into(),
                simhash: (width == 0).then_some(simhash[i]),
                shingles: shingles[i],
                length: length[i],
                numbers: numbers_of(i)?.into(),
                quoted_lanes: quoted[i],
            })
        })
        .collect()
}

/// Column `name` of a dict of columns; an error naming it when it is missing.
fn column<'py, T: FromPyObjectOwned<'py>>(cols: &Bound<'py, PyDict>, name: &str) -> PyResult<T> {
    cols.get_item(name)?
        .ok_or_else(|| PyValueError::new_err(format!("missing column {name}")))?
        .extract()
        .map_err(Into::into)
}

/// The sketches of a dict of columns (`lang`, `anchors`, `anchors_offsets`).
fn sketches_of(cols: &Bound<'_, PyDict>) -> PyResult<Vec<Sketch>> {
    let langs: Vec<Option<String>> = column(cols, "lang")?;
    let anchors: Vec<u8> = column(cols, "anchors")?;
    let offsets: Vec<u8> = column(cols, "anchors_offsets")?;
    sketches_from(&langs, &anchors, &offsets)
}

/// Sketches from a list of language codes and the `anchors` / `anchors_offsets` buffers.
fn sketches_from(
    langs: &[Option<String>],
    anchors: &[u8],
    offsets: &[u8],
) -> PyResult<Vec<Sketch>> {
    let anchors = from_le(anchors, "anchors", u32::from_le_bytes)?;
    let offsets = from_le(offsets, "anchors_offsets", u32::from_le_bytes)?;
    same_length(&[langs.len(), offsets.len().saturating_sub(1)])?;
    (0..langs.len())
        .map(|i| {
            let (a, b) = (offsets[i] as usize, offsets[i + 1] as usize);
            let anchors = anchors
                .get(a..b)
                .ok_or_else(|| PyValueError::new_err("anchors_offsets out of range"))?;
            Ok(Sketch {
                lang: langs[i].as_deref().and_then(Lang::from_code),
                anchors: anchors.to_vec(),
            })
        })
        .collect()
}

/// The signature width of a configuration (0 under SimHash).
fn width_of(config: &Config) -> usize {
    match config.method {
        Method::MinHash => config.num_perm,
        Method::SimHash => 0,
    }
}

/// Whether each candidate pair verifies: `a` and `b` are the two sides' fingerprint columns
/// (as [`fingerprints`] gives them), row `i` of each making pair `i`. A u8 buffer, 1 for a
/// verified pair.
#[pyfunction]
#[pyo3(signature = (a, b, options = None))]
fn verify_pairs<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyDict>,
    b: &Bound<'py, PyDict>,
    options: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyBytes>> {
    let config = config_from(Vec::new(), options)?;
    let width = width_of(&config);
    let (a, b) = (fps_from(a, width)?, fps_from(b, width)?);
    same_length(&[a.len(), b.len()])?;
    let rule = pipeline::rule(&config);
    let mask: Vec<u8> = py.detach(|| {
        use rayon::prelude::*;
        a.par_iter()
            .zip(&b)
            .map(|(x, y)| {
                u8::from(cluster::matches_within(
                    FingerprintRef::from(x),
                    FingerprintRef::from(y),
                    rule,
                    usize::MAX,
                ))
            })
            .collect()
    });
    Ok(PyBytes::new(py, &mask))
}

/// What one part's documents add to the corpus's anchor counts: `(anchor, documents)` rows
/// (u32 buffers) and `(language number, density)` of each document long enough (u8 and f64
/// buffers). Give only the documents that take part (with shingles).
#[pyfunction]
fn anchor_counts<'py>(
    py: Python<'py>,
    langs: Vec<Option<String>>,
    anchors: &[u8],
    anchors_offsets: &[u8],
    length: &[u8],
) -> PyResult<Vec<Bound<'py, PyBytes>>> {
    let sketches = sketches_from(&langs, anchors, anchors_offsets)?;
    let chars = from_le(length, "length", u32::from_le_bytes)?;
    same_length(&[sketches.len(), chars.len()])?;
    let mut table = SketchTable::with_rows(0);
    for s in &sketches {
        table.push(s);
    }
    let (documents, densities) = AnchorCounts::part(&table, &vec![true; sketches.len()], &chars);
    Ok(vec![
        PyBytes::new(
            py,
            &le_bytes(documents.iter().map(|r| r.0), u32::to_le_bytes),
        ),
        PyBytes::new(
            py,
            &le_bytes(documents.iter().map(|r| r.1), u32::to_le_bytes),
        ),
        PyBytes::new(py, &densities.iter().map(|r| r.0).collect::<Vec<u8>>()),
        PyBytes::new(
            py,
            &le_bytes(densities.iter().map(|r| r.1), f64::to_le_bytes),
        ),
    ])
}

/// The corpus's anchor counts, from every part's [`anchor_counts`] rows concatenated: how
/// rare each anchor is, and how much an anchor weighs in each language.
#[pyclass(module = "reprint._reprint", frozen)]
struct AnchorWeights {
    counts: AnchorCounts,
    rows: [Vec<u8>; 4],
}

#[pymethods]
impl AnchorWeights {
    #[new]
    fn new(
        anchors: Vec<u8>,
        documents: Vec<u8>,
        density_langs: Vec<u8>,
        densities: Vec<u8>,
    ) -> PyResult<AnchorWeights> {
        let a = from_le(&anchors, "anchors", u32::from_le_bytes)?;
        let n = from_le(&documents, "documents", u32::from_le_bytes)?;
        let d = from_le(&densities, "densities", f64::from_le_bytes)?;
        same_length(&[a.len(), n.len()])?;
        same_length(&[density_langs.len(), d.len()])?;
        let counts =
            AnchorCounts::from_parts(a.into_iter().zip(n), density_langs.iter().copied().zip(d));
        Ok(AnchorWeights {
            counts,
            rows: [anchors, documents, density_langs, densities],
        })
    }

    /// Pickles as the rows it was made from.
    #[allow(clippy::type_complexity)]
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(
        Bound<'py, PyAny>,
        (
            Bound<'py, PyBytes>,
            Bound<'py, PyBytes>,
            Bound<'py, PyBytes>,
            Bound<'py, PyBytes>,
        ),
    )> {
        let py = slf.py();
        let [a, b, c, d] = &slf.get().rows;
        Ok((
            slf.get_type().into_any(),
            (
                PyBytes::new(py, a),
                PyBytes::new(py, b),
                PyBytes::new(py, c),
                PyBytes::new(py, d),
            ),
        ))
    }

    /// The number of documents that carry each of `anchors` (u32 buffer), as a u32 buffer.
    fn documents<'py>(&self, py: Python<'py>, anchors: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
        let a = from_le(anchors, "anchors", u32::from_le_bytes)?;
        Ok(PyBytes::new(
            py,
            &le_bytes(a.into_iter().map(|x| self.counts.of(x)), u32::to_le_bytes),
        ))
    }
}

/// The search across languages of one part's documents (their languages and anchors, `rows`
/// their numbers in the run): `postings`, the `(anchor, row)` of every searchable anchor of a
/// document that searches, and `probes`, the `(anchor, row)` of each such document's probes.
/// Joined on the anchor, a probe and a posting of a document in another language are a hit;
/// two hits make a candidate pair. Returns four buffers: postings' anchors (u32) and rows
/// (u64), probes' anchors and rows.
#[pyfunction]
fn translation_keys<'py>(
    py: Python<'py>,
    rows: &[u8],
    langs: Vec<Option<String>>,
    anchors: &[u8],
    anchors_offsets: &[u8],
    weights: &AnchorWeights,
) -> PyResult<Vec<Bound<'py, PyBytes>>> {
    let rows = from_le(rows, "rows", u64::from_le_bytes)?;
    let sketches = sketches_from(&langs, anchors, anchors_offsets)?;
    same_length(&[rows.len(), sketches.len()])?;
    let (mut pa, mut pr, mut qa, mut qr) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let counts = &weights.counts;
    for (s, &row) in sketches.iter().zip(&rows) {
        let sketch = reprint::crosslang::SketchRef {
            lang: s.lang,
            anchors: &s.anchors,
        };
        if !crosslang::searches(sketch) {
            continue;
        }
        for &a in s
            .anchors
            .iter()
            .filter(|&&a| crosslang::searchable(counts.of(a)))
        {
            pa.push(a);
            pr.push(row);
        }
        for a in crosslang::probes(sketch, counts) {
            qa.push(a);
            qr.push(row);
        }
    }
    Ok(vec![
        PyBytes::new(py, &le_bytes(pa, u32::to_le_bytes)),
        PyBytes::new(py, &le_bytes(pr, u64::to_le_bytes)),
        PyBytes::new(py, &le_bytes(qa, u32::to_le_bytes)),
        PyBytes::new(py, &le_bytes(qr, u64::to_le_bytes)),
    ])
}

/// The verified pairs across languages among candidate pairs: `a` and `b` the two sides'
/// fingerprint columns plus `lang`, `anchors`, `anchors_offsets`. Returns a u8 mask and the
/// f64 scores (0 where the pair does not verify).
#[pyfunction]
#[pyo3(signature = (a, b, weights, options = None))]
fn verify_translations<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyDict>,
    b: &Bound<'py, PyDict>,
    weights: &AnchorWeights,
    options: Option<&Bound<'py, PyDict>>,
) -> PyResult<(Bound<'py, PyBytes>, Bound<'py, PyBytes>)> {
    let config = config_from(Vec::new(), options)?;
    let width = width_of(&config);
    let side = |d: &Bound<'py, PyDict>| -> PyResult<(Vec<Fingerprint>, Vec<Sketch>)> {
        Ok((fps_from(d, width)?, sketches_of(d)?))
    };
    let ((fa, sa), (fb, sb)) = (side(a)?, side(b)?);
    same_length(&[fa.len(), fb.len()])?;
    let (mask, scores): (Vec<u8>, Vec<f64>) = (0..fa.len())
        .map(|i| {
            let mut table = SketchTable::with_rows(0);
            table.push(&sa[i]);
            table.push(&sb[i]);
            let pair = [fa[i].clone(), fb[i].clone()];
            match crosslang::edge(&table, &pair[..], &weights.counts, 0, 1) {
                Some(e) => (1u8, e.score),
                None => (0u8, 0.0),
            }
        })
        .unzip();
    Ok((
        PyBytes::new(py, &mask),
        PyBytes::new(py, &le_bytes(scores, f64::to_le_bytes)),
    ))
}

/// The date of a document from its columns: Unix seconds and the name of where they came from
/// (both or neither).
fn dated(seconds: Option<i64>, source: Option<&str>) -> PyResult<Option<Dated>> {
    match (seconds, source) {
        (None, None) => Ok(None),
        (Some(seconds), Some(name)) => Ok(Some(Dated {
            seconds,
            source: date_source(name)?,
        })),
        (Some(_), None) => Err(PyValueError::new_err("a date without its date_source")),
        (None, Some(name)) => Err(PyValueError::new_err(format!(
            "date_source {name:?} without a date"
        ))),
    }
}

/// The date source of its name in the report (`field`, `html-meta`, `text`, `warc`, `mtime`).
fn date_source(name: &str) -> PyResult<DateSource> {
    DateSource::from_name(name)
        .ok_or_else(|| PyValueError::new_err(format!("unknown date_source {name:?}")))
}

/// The clusters of one connected component (see the library's `pipeline::cluster_component`):
/// its documents' `ids`, `sources` (sites, `""` when unknown), `dates` (Unix seconds or None)
/// and `date_sources` (where each date came from, as [`read_jsonl`] names it), fingerprint
/// columns with `lang` / `anchors` / `anchors_offsets` (rows in the run's order), its verified
/// pairs (`edges_a`, `edges_b`: u32 rows of the component, sorted) and pairs across languages
/// (`tr_a`, `tr_b`, `tr_score`). Returns each cluster's report entry as JSON, for
/// [`assemble_report`] (which sets origins and lags).
#[pyfunction]
#[pyo3(signature = (ids, sources, dates, date_sources, columns, edges_a, edges_b, tr_a, tr_b, tr_score, weights, options = None))]
#[allow(clippy::too_many_arguments)]
fn cluster_component(
    py: Python<'_>,
    ids: Vec<String>,
    sources: Vec<String>,
    dates: Vec<Option<i64>>,
    date_sources: Vec<Option<String>>,
    columns: &Bound<'_, PyDict>,
    edges_a: &[u8],
    edges_b: &[u8],
    tr_a: &[u8],
    tr_b: &[u8],
    tr_score: &[u8],
    weights: &AnchorWeights,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<Vec<String>> {
    let config = config_from(Vec::new(), options)?;
    let fps = fps_from(columns, width_of(&config))?;
    let sketches = sketches_of(columns)?;
    same_length(&[
        ids.len(),
        sources.len(),
        dates.len(),
        date_sources.len(),
        fps.len(),
        sketches.len(),
    ])?;
    let dates = dates
        .into_iter()
        .zip(&date_sources)
        .map(|(d, s)| dated(d, s.as_deref()))
        .collect::<PyResult<Vec<_>>>()?;
    let ea = from_le(edges_a, "edges_a", u32::from_le_bytes)?;
    let eb = from_le(edges_b, "edges_b", u32::from_le_bytes)?;
    let ta = from_le(tr_a, "tr_a", u32::from_le_bytes)?;
    let tb = from_le(tr_b, "tr_b", u32::from_le_bytes)?;
    let ts = from_le(tr_score, "tr_score", f64::from_le_bytes)?;
    same_length(&[ea.len(), eb.len()])?;
    same_length(&[ta.len(), tb.len(), ts.len()])?;
    let n = ids.len() as u32;
    if ea.iter().chain(&eb).chain(&ta).chain(&tb).any(|&d| d >= n) {
        return Err(PyValueError::new_err(
            "a pair names a row outside the component",
        ));
    }
    let edges: Vec<(u32, u32)> = ea.into_iter().zip(eb).collect();
    let translations: Vec<crosslang::Edge> = ta
        .into_iter()
        .zip(tb)
        .zip(ts)
        .map(|((a, b), score)| crosslang::Edge { a, b, score })
        .collect();
    let clusters = py.detach(|| {
        pipeline::cluster_component(
            &config,
            &fps,
            &sketches,
            &edges,
            &translations,
            &weights.counts,
        )
    });
    let lang_of = |i: usize| {
        if config.translations {
            sketches[i].lang.map(Lang::code)
        } else {
            None
        }
    };
    let reports = pipeline::cluster_reports(clusters, &|i| pipeline::DocInfo {
        id: ids[i].clone(),
        lang: lang_of(i),
        source: sources[i].clone(),
        date: dates[i],
    });
    reports
        .iter()
        .map(|c| serde_json::to_string(c).map_err(|e| PyValueError::new_err(e.to_string())))
        .collect()
}

/// A cluster entry back from its JSON (as [`cluster_component`] gives it).
fn cluster_report(json: &str) -> PyResult<ClusterReport> {
    let bad = |what: &str| PyValueError::new_err(format!("cluster entry: {what}"));
    let v: serde_json::Value = serde_json::from_str(json).map_err(|e| bad(&e.to_string()))?;
    let text = |v: &serde_json::Value, k: &str| -> PyResult<String> {
        v.get(k)
            .and_then(|x| x.as_str())
            .map(str::to_string)
            .ok_or_else(|| bad(k))
    };
    let number = |v: &serde_json::Value, k: &str| -> PyResult<f64> {
        v.get(k).and_then(|x| x.as_f64()).ok_or_else(|| bad(k))
    };
    let members = v
        .get("members")
        .and_then(|m| m.as_array())
        .ok_or_else(|| bad("members"))?
        .iter()
        .map(|m| {
            let kind: MatchKind =
                serde_json::from_value(m.get("match").cloned().unwrap_or_default())
                    .map_err(|e| bad(&e.to_string()))?;
            Ok(MemberReport {
                id: text(m, "id")?,
                similarity: number(m, "similarity")?,
                containment: number(m, "containment")?,
                kind,
                via: m.get("via").and_then(|x| x.as_str()).map(str::to_string),
                lang: m
                    .get("lang")
                    .and_then(|l| l.as_str())
                    .and_then(Lang::from_code)
                    .map(Lang::code),
                source: m
                    .get("source")
                    .and_then(|s| s.as_str())
                    .unwrap_or_default()
                    .to_string(),
                date: m.get("date").and_then(|d| d.as_str()).map(str::to_string),
                date_source: m
                    .get("date_source")
                    .and_then(|d| d.as_str())
                    .map(date_source)
                    .transpose()?,
                // Origins and lags are the report's to set, from all of a cluster's members.
                lag_seconds: None,
                new: None,
            })
        })
        .collect::<PyResult<Vec<MemberReport>>>()?;
    Ok(ClusterReport {
        id: 0,
        origin: None,
        size: members.len(),
        representative: text(&v, "representative")?,
        members,
    })
}

/// The run's report (JSON text) from every component's cluster entries, the skipped inputs
/// (`(name, reason)`) and the counts (a dict of the report's `stats` fields that are not
/// about clusters: `documents`, `repaired`, `candidate_pairs`, `verified_pairs`,
/// `translation_candidates`, `translation_pairs`, `frequent_shingle_buckets`, `boilerplate`;
/// and `sources`, the documents fingerprinted by source name, for the report's `sources`).
/// Clusters' origins and members' lags are set here, as a single run sets them.
#[pyfunction]
#[pyo3(signature = (clusters, skipped, counts, options = None))]
fn assemble_report(
    clusters: Vec<String>,
    skipped: Vec<(String, String)>,
    counts: &Bound<'_, PyDict>,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<String> {
    let config = config_from(Vec::new(), options)?;
    let count = |k: &str| -> PyResult<usize> {
        counts
            .get_item(k)?
            .ok_or_else(|| PyValueError::new_err(format!("missing count {k}")))?
            .extract()
    };
    let b: Bound<'_, PyDict> = counts
        .get_item("boilerplate")?
        .ok_or_else(|| PyValueError::new_err("missing count boilerplate"))?
        .cast_into()?;
    let line = |k: &str| -> PyResult<u64> {
        b.get_item(k)?
            .ok_or_else(|| PyValueError::new_err(format!("missing count boilerplate.{k}")))?
            .extract()
    };
    let run = pipeline::RunCounts {
        documents: count("documents")?,
        repaired: count("repaired")?,
        candidate_pairs: count("candidate_pairs")?,
        verified_pairs: count("verified_pairs")?,
        translation_candidates: count("translation_candidates")?,
        translation_pairs: count("translation_pairs")?,
        frequent_shingle_buckets: count("frequent_shingle_buckets")?,
        boilerplate: reprint::boilerplate::BoilerplateStats {
            chrome_lines: line("chrome_lines")?,
            source_lines: line("source_lines")?,
            corpus_lines: line("corpus_lines")?,
            kept_whole: line("kept_whole")?,
        },
        sources: counts
            .get_item("sources")?
            .ok_or_else(|| PyValueError::new_err("missing count sources"))?
            .extract::<std::collections::BTreeMap<String, usize>>()?
            .into_iter()
            .filter(|(name, _)| !name.is_empty())
            .collect(),
    };
    let clusters = clusters
        .iter()
        .map(|c| cluster_report(c))
        .collect::<PyResult<Vec<_>>>()?;
    let skipped = skipped
        .into_iter()
        .map(|(path, reason)| Skipped { path, reason })
        .collect();
    Ok(pipeline::assemble_report(&config, clusters, skipped, run, Vec::new()).to_json())
}

/// The language code of each document's kept lines (`None` when not told), given its source
/// and normalized text and the corpus's decisions.
#[pyfunction]
#[pyo3(signature = (sources, texts, decisions, options = None))]
fn languages(
    py: Python<'_>,
    sources: Vec<String>,
    texts: Vec<String>,
    decisions: &Decisions,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<Vec<Option<&'static str>>> {
    let config = config_from(Vec::new(), options)?;
    same_length(&[sources.len(), texts.len()])?;
    Ok(py.detach(|| {
        let docs = str_pairs(&sources, &texts);
        pipeline::document_languages(&config, &decisions.lines, &docs)
            .into_iter()
            .map(|l| l.and_then(Lang::from_number).map(Lang::code))
            .collect()
    }))
}

/// Whether a corpus whose documents' languages are counted in `counts` (code to documents;
/// `total` documents in all, those of no told language included) is in two languages or more,
/// each of enough of its documents: then anchors are extracted and translations searched.
#[pyfunction]
fn multilingual(counts: std::collections::BTreeMap<String, usize>, total: usize) -> bool {
    let mut by_number = vec![0usize; 256];
    for (code, n) in &counts {
        if let Some(lang) = Lang::from_code(code) {
            by_number[lang.number() as usize] += n;
        }
    }
    pipeline::multilingual_counts(&by_number, total)
}

/// The inputs `reprint dedup PATHS` would read, in its order (`(id, path, source)`; the
/// argument `-` is refused: a distributed run cannot share standard input), and the files it
/// skips (`(name, reason)`).
#[pyfunction]
#[pyo3(signature = (paths, options = None))]
#[allow(clippy::type_complexity)]
fn discover(
    py: Python<'_>,
    paths: Vec<PathBuf>,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<(Vec<(String, String, String)>, Vec<(String, String)>)> {
    if paths.iter().any(|p| p.as_os_str() == "-") {
        return Err(PyValueError::new_err(
            "standard input (-) cannot be read by a distributed run",
        ));
    }
    let config = config_from(paths, options)?;
    config.validate().map_err(to_py)?;
    let found = py
        .detach(|| reprint::corpus::discover(&config))
        .map_err(to_py)?;
    let inputs = found
        .inputs
        .into_iter()
        .map(|i| (i.id.0, i.path.to_string_lossy().into_owned(), i.source))
        .collect();
    let skipped = found
        .skipped
        .into_iter()
        .map(|s| (s.path, s.reason))
        .collect();
    Ok((inputs, skipped))
}

/// The documents of one discovered input `(id, path, source)` as the corpus stage reads them
/// (see [`read_jsonl`] for what is returned); with `range` `(start, end, newlines_before)`,
/// only the records that start in that part of a JSON Lines file (see [`input_cuts`]).
#[pyfunction]
#[pyo3(signature = (input, options = None, range = None))]
fn read_input(
    py: Python<'_>,
    input: (String, String, String),
    options: Option<&Bound<'_, PyDict>>,
    range: Option<(u64, u64, u64)>,
) -> PyResult<DocumentColumns> {
    let config = config_from(Vec::new(), options)?;
    let mut input = Input::file(PathBuf::from(input.1), &input.0, &input.2);
    input.range = range.map(|(start, end, newlines_before)| ByteRange {
        start,
        end,
        newlines_before,
    });
    Ok(py.detach(|| documents_of(&input, &config)))
}

/// Where to cut a discovered input `(id, path, source)` into parts of about `part_bytes` for
/// several readers: `(start, end)` byte pairs, or `None` when it must be read whole (small,
/// compressed, not JSON Lines by its name, UTF-16 or binary). An unreadable file is `None`
/// too: its one reader then skips it with the reason.
#[pyfunction]
fn input_cuts(
    py: Python<'_>,
    input: (String, String, String),
    part_bytes: u64,
) -> Option<Vec<(u64, u64)>> {
    let input = Input::file(PathBuf::from(input.1), &input.0, &input.2);
    py.detach(|| range::cuts(&input, part_bytes).ok().flatten())
}

/// Line breaks in bytes `start..end` of the file at `path`: summed over the parts before one,
/// what its reader needs to name records by the whole file's line numbers.
#[pyfunction]
fn count_newlines(py: Python<'_>, path: PathBuf, start: u64, end: u64) -> PyResult<u64> {
    py.detach(|| range::count_newlines(&path, start, end))
        .map_err(|e| PyOSError::new_err(format!("{}: {e}", path.display())))
}

/// Documents as columns: ids, sources, texts as read, dates (Unix seconds), where each date
/// came from (`field`, `html-meta`, `text`, `warc`, `mtime`; `None` without a date), whether
/// bytes were repaired; and the skips, `(name, reason)`.
type DocumentColumns = (
    Vec<String>,
    Vec<String>,
    Vec<String>,
    Vec<Option<i64>>,
    Vec<Option<&'static str>>,
    Vec<bool>,
    Vec<(String, String)>,
);

/// The documents and skips of one input, as columns.
fn documents_of(input: &Input, config: &Config) -> DocumentColumns {
    let mut c: DocumentColumns = Default::default();
    for res in reprint::corpus::read(input, config) {
        match res {
            Ok(doc) => {
                c.0.push(doc.id.0);
                c.1.push(doc.source);
                c.2.push(doc.text);
                c.3.push(doc.date.map(|d| d.seconds));
                c.4.push(doc.date.map(|d| d.source.name()));
                c.5.push(doc.repaired);
            }
            Err(skip) => c.6.push((skip.path, skip.reason)),
        }
    }
    c
}

/// Rebuilds pickled [`Decisions`].
#[pyfunction]
fn _decisions(
    bufs: Vec<Vec<u8>>,
    shingle_documents: u32,
    options: &Bound<'_, PyDict>,
) -> PyResult<Decisions> {
    let [h, c, k, sh, sc, b] = <[Vec<u8>; 6]>::try_from(bufs)
        .map_err(|_| PyValueError::new_err("pickled decisions: six buffers expected"))?;
    Decisions::new(&h, &c, &k, &sh, &sc, &b, shingle_documents, Some(options))
}

/// The names of the options the entry points take.
#[pyfunction]
fn option_names() -> Vec<&'static str> {
    OPTIONS.to_vec()
}

/// The module's contents.
#[pymodule]
fn _reprint(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(component_labels, m)?)?;
    m.add_function(wrap_pyfunction!(dedup_jsonl, m)?)?;
    m.add_function(wrap_pyfunction!(dedup_paths, m)?)?;
    m.add_function(wrap_pyfunction!(option_names, m)?)?;
    m.add_function(wrap_pyfunction!(normalize, m)?)?;
    m.add_function(wrap_pyfunction!(read_jsonl, m)?)?;
    m.add_function(wrap_pyfunction!(discover, m)?)?;
    m.add_function(wrap_pyfunction!(read_input, m)?)?;
    m.add_function(wrap_pyfunction!(input_cuts, m)?)?;
    m.add_function(wrap_pyfunction!(count_newlines, m)?)?;
    m.add_function(wrap_pyfunction!(line_counts, m)?)?;
    m.add_function(wrap_pyfunction!(shingle_counts, m)?)?;
    m.add_function(wrap_pyfunction!(fingerprints, m)?)?;
    m.add_function(wrap_pyfunction!(band_keys, m)?)?;
    m.add_function(wrap_pyfunction!(bucket_pairs, m)?)?;
    m.add_class::<Decisions>()?;
    m.add_function(wrap_pyfunction!(_decisions, m)?)?;
    m.add_class::<AnchorWeights>()?;
    m.add_function(wrap_pyfunction!(languages, m)?)?;
    m.add_function(wrap_pyfunction!(multilingual, m)?)?;
    m.add_function(wrap_pyfunction!(verify_pairs, m)?)?;
    m.add_function(wrap_pyfunction!(anchor_counts, m)?)?;
    m.add_function(wrap_pyfunction!(translation_keys, m)?)?;
    m.add_function(wrap_pyfunction!(verify_translations, m)?)?;
    m.add_function(wrap_pyfunction!(cluster_component, m)?)?;
    m.add_function(wrap_pyfunction!(assemble_report, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    // The anchors a document needs to be searched across languages (`crosslang::searches`):
    // the Python stages decide whether a run searches at all by it.
    m.add("MIN_ANCHORS", crosslang::MIN_ANCHORS)?;
    Ok(())
}
