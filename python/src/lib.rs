//! The Python extension module `reprint._reprint`: turns Python arguments into the library's
//! `Config` and inputs, runs the library's pipeline with the GIL released, and hands back the
//! report as the same JSON the command line writes. No stage is implemented here; the pure
//! Python layer (`reprint/__init__.py`) shapes lists and frames into JSON Lines for it.

use std::path::PathBuf;
use std::sync::Arc;

use pyo3::exceptions::{PyOSError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use reprint::config::{Config, Method, ShingleSpec};
use reprint::corpus::Input;
use reprint::error::Error;
use reprint::pipeline::{self, NoProgress};

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

/// The names of the options the entry points take.
#[pyfunction]
fn option_names() -> Vec<&'static str> {
    OPTIONS.to_vec()
}

/// The module's contents.
#[pymodule]
fn _reprint(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(dedup_jsonl, m)?)?;
    m.add_function(wrap_pyfunction!(dedup_paths, m)?)?;
    m.add_function(wrap_pyfunction!(option_names, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
