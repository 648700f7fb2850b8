//! Finding and decoding the inputs: walks the path arguments in a stable order, gives each
//! document its id and source, and turns every file that cannot be used into a listed skip.
//! Each input format is one submodule; `text` reads plain text and Markdown.

mod text;

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::error::{Error, Result};

/// The id of a document: its path relative to the directory argument, with `/` separators.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DocId(pub String);

impl std::fmt::Display for DocId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A file found on disk that one of the format readers will decode.
#[derive(Debug, Clone)]
pub struct Input {
    /// The document's id.
    pub id: DocId,
    /// Where to read it from.
    pub path: PathBuf,
    /// The site the document came from: the first directory level under the argument.
    pub source: String,
    /// Which reader decodes it.
    pub format: Format,
}

/// The input formats reprint reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text or Markdown, one article a file.
    Text,
}

impl Format {
    /// The format a file's name says it has, if reprint reads it.
    fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "text" | "md" | "markdown" => Some(Format::Text),
            _ => None,
        }
    }
}

/// An input that was not used, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Skipped {
    /// The path (or document id) as the user would recognise it.
    pub path: String,
    /// Why it was skipped.
    pub reason: String,
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
/// single files below a directory become skips.
pub fn discover(config: &Config) -> Result<Discovery> {
    let mut found = Discovery::default();
    for arg in &config.paths {
        let meta = std::fs::metadata(arg).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
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
    name.to_str().is_some_and(|n| n.starts_with('.') && n != "." && n != "..")
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
    match Format::from_path(&path) {
        Some(format) => found.inputs.push(Input {
            id: DocId(id),
            path,
            source,
            format,
        }),
        None => found.skipped.push(Skipped {
            path: id,
            reason: "unsupported file type".into(),
        }),
    }
}

/// Reads one input and returns its documents in file order; a file holding several articles
/// (JSON Lines, WARC) yields several. Whatever cannot be used becomes a [`Skipped`] entry in
/// place, so one bad record never costs the rest of the file.
pub fn read(input: &Input, config: &Config) -> Vec<std::result::Result<Doc, Skipped>> {
    match read_text(input, config) {
        Ok(raw) => vec![Ok(Doc {
            id: input.id.clone(),
            source: input.source.clone(),
            text: raw.text,
            repaired: raw.repaired,
        })],
        Err(reason) => vec![Err(Skipped {
            path: input.id.0.clone(),
            reason,
        })],
    }
}

/// Reads and decodes a one-article file. `Err` carries the reason it is skipped.
fn read_text(input: &Input, config: &Config) -> std::result::Result<RawDoc, String> {
    let meta = std::fs::metadata(&input.path).map_err(|e| e.to_string())?;
    if meta.len() > config.max_file_bytes {
        return Err(format!(
            "file is {} bytes, over --max-file-bytes {}",
            meta.len(),
            config.max_file_bytes
        ));
    }
    let bytes = std::fs::read(&input.path).map_err(|e| e.to_string())?;
    let doc = match input.format {
        Format::Text => text::decode(&bytes)?,
    };
    if doc.text.trim().is_empty() {
        return Err("empty: no text".into());
    }
    Ok(doc)
}
