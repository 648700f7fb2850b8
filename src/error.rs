//! Typed errors of the library: every failure that stops a run, with the path it concerns.

use std::path::PathBuf;

/// Everything that can stop a reprint run. Per-file problems that only skip one input are not
/// errors: they are listed in the report's `skipped`.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An I/O failure tied to a path (an input argument, the output file, a truth file).
    #[error("{}: {source}", path.display())]
    WithPath {
        /// The path the operation was about.
        path: PathBuf,
        /// The underlying OS error.
        #[source]
        source: std::io::Error,
    },
    /// A path given on the command line that does not exist.
    #[error("{}: no such file or directory", .0.display())]
    MissingPath(PathBuf),
    /// A configuration value outside its valid range.
    #[error("invalid {name}: {message}")]
    InvalidConfig {
        /// The option's name, as the user knows it (`--threshold`).
        name: &'static str,
        /// What is wrong with the value.
        message: String,
    },
    /// The index at `path` cannot be used.
    #[error("{}: {problem}", path.display())]
    Index {
        /// The state directory or the file.
        path: PathBuf,
        /// What is wrong.
        problem: IndexProblem,
    },
    /// A file that should hold JSON but does not parse.
    #[error("{}: line {line}: {message}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line number (0 when unknown).
        line: usize,
        /// What the parser said.
        message: String,
    },
}

/// What is wrong with an index state directory or one of its files.
#[derive(Debug, thiserror::Error)]
pub enum IndexProblem {
    /// The file does not start with reprint's magic bytes.
    #[error("not a reprint index file")]
    NotAnIndex,
    /// Written by a newer reprint.
    #[error("index format version {found} is newer than this reprint supports ({supported})")]
    NewerFormat {
        /// The file's version.
        found: u32,
        /// The newest version this build reads.
        supported: u32,
    },
    /// The checksum or the layout does not hold.
    #[error("index file is damaged ({0}); nothing was changed")]
    Damaged(String),
    /// Built with other fingerprint parameters than this run's.
    #[error("index was built with other parameters: {0}; nothing was changed")]
    WrongParams(String),
    /// The directory holds no index.
    #[error("no index here (no MANIFEST); `reprint dedup --index DIR` creates one")]
    Missing,
    /// Another run holds the lock.
    #[error("index is in use by another reprint run (its lock is held); try again when it ends")]
    Locked,
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Attaches a path to an I/O error.
    pub fn with_path(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::WithPath {
            path: path.into(),
            source,
        }
    }
}
