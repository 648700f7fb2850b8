//! The plain run configuration the library takes: every knob and seed of a run, validated once.
//! The binary builds it from command-line flags; the library never sees clap.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use crate::error::{Error, Result};

/// How a document is cut into shingles before hashing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShingleSpec {
    /// `k` consecutive word tokens.
    Words(usize),
    /// `k` consecutive characters of the normalized text (spaces included).
    Chars(usize),
}

impl ShingleSpec {
    /// The number of tokens or characters in one shingle.
    pub fn size(self) -> usize {
        match self {
            ShingleSpec::Words(k) | ShingleSpec::Chars(k) => k,
        }
    }
}

impl fmt::Display for ShingleSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShingleSpec::Words(k) => write!(f, "word:{k}"),
            ShingleSpec::Chars(k) => write!(f, "char:{k}"),
        }
    }
}

impl FromStr for ShingleSpec {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        let (kind, k) = s
            .split_once(':')
            .ok_or_else(|| format!("expected word:K or char:K, got {s:?}"))?;
        let k: usize = k
            .parse()
            .map_err(|_| format!("shingle size {k:?} is not a positive integer"))?;
        if !(1..=64).contains(&k) {
            return Err(format!("shingle size {k} is outside 1..=64"));
        }
        match kind {
            "word" | "words" => Ok(ShingleSpec::Words(k)),
            "char" | "chars" => Ok(ShingleSpec::Chars(k)),
            other => Err(format!("unknown shingle kind {other:?} (use word or char)")),
        }
    }
}

/// The fingerprinting method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// MinHash signatures with a banded LSH index.
    MinHash,
    /// 64-bit SimHash fingerprints with a permuted-table Hamming search: near-identical copies
    /// only (no containment search, see DESIGN.md).
    SimHash,
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Method::MinHash => f.write_str("minhash"),
            Method::SimHash => f.write_str("simhash"),
        }
    }
}

impl FromStr for Method {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s {
            "minhash" => Ok(Method::MinHash),
            "simhash" => Ok(Method::SimHash),
            other => Err(format!("unknown method {other:?} (use minhash or simhash)")),
        }
    }
}

/// Everything a dedup run needs. Build it with [`Config::new`] and adjust fields, then call
/// [`Config::validate`] (the pipeline does so too).
#[derive(Debug, Clone)]
pub struct Config {
    /// Directories and files to read.
    pub paths: Vec<PathBuf>,
    /// Fingerprinting method.
    pub method: Method,
    /// Minimum estimated Jaccard similarity for two documents to be near-duplicates.
    pub threshold: f64,
    /// Minimum estimated containment of the shorter document in the longer one for it to join
    /// as a cut or truncated reprint.
    pub containment: f64,
    /// Number of MinHash lanes (bins of one-permutation hashing).
    pub num_perm: usize,
    /// Largest Hamming distance between SimHash fingerprints of one story (`Method::SimHash`
    /// only). A library setting, not a flag: DESIGN.md shows how the default was tuned.
    pub simhash_max_distance_bits: u32,
    /// How documents are shingled.
    pub shingle: ShingleSpec,
    /// Share of the sampled documents (more than) a shingle must be in to be too common to
    /// fingerprint (see [`crate::frequent`]); 0 keeps every shingle.
    pub frequent_share: f64,
    /// Seed of every hash function; the same seed gives the same fingerprints.
    pub seed: u64,
    /// Worker threads; 0 means one per core.
    pub threads: usize,
    /// Leave boilerplate lines in the fingerprints (turns off boilerplate detection).
    pub keep_boilerplate: bool,
    /// Group translated copies with their original (a second fingerprint of names and figures,
    /// matched only between documents of different languages).
    pub translations: bool,
    /// Read hidden files and directories.
    pub hidden: bool,
    /// Files larger than this are skipped.
    pub max_file_bytes: u64,
    /// JSON field holding a record's id.
    pub id_field: String,
    /// JSON field holding a record's text (`content` and `body` are tried when it is absent).
    pub text_field: String,
    /// JSON field holding a record's title.
    pub title_field: String,
    /// The JSON text field holds HTML, to be extracted like an HTML page.
    pub text_is_html: bool,
    /// The run's clock in Unix seconds: a document date more than a day after it is not
    /// credible (see [`crate::corpus::date::credible`]). [`Config::new`] reads
    /// `SOURCE_DATE_EPOCH`, else the system clock.
    pub now_seconds: i64,
}

/// Default Jaccard threshold; DESIGN.md shows the measurements behind it.
pub const DEFAULT_THRESHOLD: f64 = 0.2;
/// Default containment threshold; DESIGN.md shows the measurements behind it.
pub const DEFAULT_CONTAINMENT: f64 = 0.7;
/// Default number of MinHash lanes.
pub const DEFAULT_NUM_PERM: usize = 128;
/// Default shingle specification.
pub const DEFAULT_SHINGLE: ShingleSpec = ShingleSpec::Chars(7);
/// Default seed.
pub const DEFAULT_SEED: u64 = 0x0072_6570_7269_6e74; // "reprint" in ASCII
/// Default size limit of one input file.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

impl Config {
    /// A configuration with every default, reading `paths`.
    pub fn new(paths: Vec<PathBuf>) -> Self {
        Config {
            paths,
            method: Method::MinHash,
            threshold: DEFAULT_THRESHOLD,
            containment: DEFAULT_CONTAINMENT,
            num_perm: DEFAULT_NUM_PERM,
            simhash_max_distance_bits: crate::simhash::DEFAULT_MAX_DISTANCE_BITS,
            shingle: DEFAULT_SHINGLE,
            frequent_share: crate::frequent::DEFAULT_SHARE,
            seed: DEFAULT_SEED,
            threads: 0,
            keep_boilerplate: false,
            translations: true,
            hidden: false,
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            id_field: "id".into(),
            text_field: "text".into(),
            title_field: "title".into(),
            text_is_html: false,
            now_seconds: crate::corpus::date::now_seconds(),
        }
    }

    /// Checks every value's range and that there is a path to read; the error names the
    /// option.
    pub fn validate(&self) -> Result<()> {
        self.validate_settings()?;
        if self.paths.is_empty() {
            return Err(Error::InvalidConfig {
                name: "PATH",
                message: "no input path given".into(),
            });
        }
        Ok(())
    }

    /// Checks every value's range, not the paths: for a run on documents handed over in
    /// memory.
    pub fn validate_settings(&self) -> Result<()> {
        let bad = |name, message: String| Err(Error::InvalidConfig { name, message });
        if !(self.threshold > 0.0 && self.threshold <= 1.0) {
            return bad(
                "--threshold",
                format!("{} is outside (0, 1]", self.threshold),
            );
        }
        if !(self.containment > 0.0 && self.containment <= 1.0) {
            return bad(
                "--containment",
                format!("{} is outside (0, 1]", self.containment),
            );
        }
        if !(0.0..1.0).contains(&self.frequent_share) {
            return bad(
                "--frequent-shingles",
                format!("{} is outside [0, 1)", self.frequent_share),
            );
        }
        if !(8..=1024).contains(&self.num_perm) {
            return bad(
                "--num-perm",
                format!("{} is outside 8..=1024", self.num_perm),
            );
        }
        if self.simhash_max_distance_bits > crate::simhash::MAX_DISTANCE_BITS_LIMIT {
            return bad(
                "simhash_max_distance_bits",
                format!(
                    "{} is outside 0..={}",
                    self.simhash_max_distance_bits,
                    crate::simhash::MAX_DISTANCE_BITS_LIMIT
                ),
            );
        }
        if self.shingle.size() == 0 {
            return bad("--shingle", "size must be at least 1".into());
        }
        Ok(())
    }
}
