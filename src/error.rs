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
