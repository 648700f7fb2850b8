//! Command-line interface: clap derive definitions (their doc comments are the help text) and
//! their conversion into the library's plain `Config`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use reprint::config::{self, Config, Method, ShingleSpec};

/// Find the same news story reprinted across a scraped corpus and report the groups as JSON.
#[derive(Debug, Parser)]
#[command(name = "reprint", version, about, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Group the reprints in one or more corpus directories or files.
    #[command(
        after_help = "Environment:\n  SOURCE_DATE_EPOCH  the run's clock in Unix seconds: a document date more than a day \
                      after it is not credible (default: the system clock)\n  NO_COLOR           no colour in --format text"
    )]
    Dedup(DedupArgs),
    /// Score a report against ground truth (pairwise P/R/F1, ARI, B-cubed).
    Eval(EvalArgs),
    /// Explain why two documents are (or are not) grouped: measures, rule, boilerplate, diff.
    Explain(ExplainArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish) to standard output.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) to standard output.
    Man,
    /// Inspect or trim a persistent index made by `dedup --index`.
    #[command(subcommand)]
    Index(IndexCommand),
}

/// Subcommands of `reprint index`.
#[derive(Debug, Subcommand)]
pub enum IndexCommand {
    /// Documents, clusters, size on disk, parameters and date range of an index.
    Stats {
        /// The index's state directory.
        #[arg(value_name = "STATE_DIR")]
        dir: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = EvalFormat::Text)]
        format: EvalFormat,
    },
    /// Drop documents older than a age (publication date, else when they were added).
    Prune {
        /// The index's state directory.
        #[arg(value_name = "STATE_DIR")]
        dir: PathBuf,
        /// The age beyond which documents go, e.g. `30d`, `12h`, `2w`.
        #[arg(long, value_name = "AGE", value_parser = parse_age)]
        older_than: i64,
    },
}

/// Seconds in an age such as `30d`, `36h` or `2w` (days are 24 hours).
fn parse_age(text: &str) -> Result<i64, String> {
    let span: jiff::Span = text
        .parse()
        .map_err(|e| format!("{text:?} is not an age like 30d, 12h or 2w ({e})"))?;
    let seconds = span
        .total((
            jiff::Unit::Second,
            jiff::SpanRelativeTo::days_are_24_hours(),
        ))
        .map_err(|e| format!("{text:?}: {e}"))?;
    if seconds < 0.0 {
        return Err(format!("{text:?} is negative"));
    }
    Ok(seconds as i64)
}

/// A share between 0 and 1.
fn parse_ratio(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(r) if (0.0..=1.0).contains(&r) => Ok(r),
        _ => Err(format!("{text:?} is not a ratio between 0 and 1")),
    }
}

/// Output formats of `dedup`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DedupFormat {
    /// The JSON report (schema version 1).
    Json,
    /// A human summary.
    Text,
    /// One JSON object a document (id, cluster, representative, match, similarity), for
    /// streaming into other tools.
    Jsonl,
}

/// Output formats of `eval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvalFormat {
    /// A human summary.
    Text,
    /// The scores as JSON.
    Json,
}

/// Fingerprinting methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MethodArg {
    /// MinHash signatures, banded LSH (near-duplicates and cut copies).
    Minhash,
    /// 64-bit SimHash, permuted-table Hamming search (near-identical copies only).
    Simhash,
}

impl From<MethodArg> for Method {
    fn from(m: MethodArg) -> Method {
        match m {
            MethodArg::Minhash => Method::MinHash,
            MethodArg::Simhash => Method::SimHash,
        }
    }
}

/// A feature that is on or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Switch {
    /// On.
    On,
    /// Off.
    Off,
}

/// When to draw progress bars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum When {
    /// Only when stderr is a terminal.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// When to colour `--format text` output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// When standard output is a terminal, `NO_COLOR` is unset or empty and `TERM` is not `dumb`.
    Auto,
    /// Always, even when `NO_COLOR` is set: the flag is the more specific request.
    Always,
    /// Never.
    Never,
}

/// Options of `reprint dedup`.
#[derive(Debug, Args)]
pub struct DedupArgs {
    /// Corpus directories (read recursively), files, or `-` for JSON Lines on standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Write the report to FILE (atomically) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Report format.
    #[arg(long, value_enum, default_value_t = DedupFormat::Json)]
    pub format: DedupFormat,

    /// Also write a self-contained HTML page of the clusters (texts, diffs, boilerplate) to FILE.
    #[arg(long, value_name = "FILE", conflicts_with = "index")]
    pub html: Option<PathBuf>,

    /// Match against the persistent index in STATE_DIR (created on the first run), add the new
    /// documents to it and keep cluster ids stable across runs.
    #[arg(long, value_name = "STATE_DIR")]
    pub index: Option<PathBuf>,

    /// Exit with status 1 when any (new) document is a reprint of another.
    #[arg(long)]
    pub fail_on_duplicates: bool,

    /// Exit with status 1 when more than R of the (new) documents are reprints.
    #[arg(long, value_name = "R", value_parser = parse_ratio)]
    pub max_duplicate_ratio: Option<f64>,

    /// Write the ids to keep (each cluster's representative and every unique document), one a
    /// line, to FILE.
    #[arg(long, value_name = "FILE")]
    pub emit_keep: Option<PathBuf>,

    /// Write the ids of the reprints to drop (members that are not representatives), one a
    /// line, to FILE.
    #[arg(long, value_name = "FILE")]
    pub emit_remove: Option<PathBuf>,

    /// Characters of text embedded in the HTML page per document (longer text is cut).
    #[arg(long, value_name = "N", default_value_t = reprint::html_report::DEFAULT_MAX_CHARS)]
    pub html_max_chars: usize,

    /// Progress bars on standard error.
    #[arg(long, value_enum, default_value_t = When::Auto)]
    pub progress: When,

    /// Colour in `--format text` output (auto: only on a terminal, and not with NO_COLOR set).
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,

    /// Fingerprinting and input options.
    #[command(flatten)]
    pub opts: Options,
}

/// Options of `reprint explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The first document: a path, or an id within the corpus given by --corpus.
    #[arg(value_name = "A")]
    pub a: String,

    /// The second document: a path, or an id within the corpus given by --corpus.
    #[arg(value_name = "B")]
    pub b: String,

    /// The corpus the two ids belong to (boilerplate is learned from all of it, as in dedup).
    #[arg(long, value_name = "DIR")]
    pub corpus: Option<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = EvalFormat::Text)]
    pub format: EvalFormat,

    /// Fingerprinting and input options.
    #[command(flatten)]
    pub opts: Options,
}

/// Options that shape fingerprints, shared by `dedup` and `explain`.
#[derive(Debug, Args)]
pub struct Options {
    /// Fingerprinting method: `minhash` finds edited and cut copies; `simhash` is one 64-bit
    /// word a document and finds near-identical copies only.
    #[arg(long, value_enum, default_value_t = MethodArg::Minhash)]
    pub method: MethodArg,

    /// Minimum estimated Jaccard similarity of near-duplicates (0–1].
    #[arg(long, default_value_t = config::DEFAULT_THRESHOLD, value_parser = unit_interval)]
    pub threshold: f64,

    /// Minimum share of a shorter document's shingles found in a longer one for it to join as a
    /// cut or truncated reprint (0–1].
    #[arg(long, default_value_t = config::DEFAULT_CONTAINMENT, value_parser = unit_interval)]
    pub containment: f64,

    /// Shingles in more than this share of the documents (counted on one in 16, in corpora of
    /// 8,000 documents or more) are too common to tell stories apart and are left out of the
    /// fingerprints; 0 keeps every shingle. An index keeps the set its first night learned.
    #[arg(long, value_name = "SHARE", default_value_t = reprint::frequent::DEFAULT_SHARE, value_parser = share_below_one)]
    pub frequent_shingles: f64,

    /// Number of MinHash lanes: bins of one-permutation hashing (8–1024).
    #[arg(long, default_value_t = config::DEFAULT_NUM_PERM as u16, value_parser = clap::value_parser!(u16).range(8..=1024))]
    pub num_perm: u16,

    /// Shingles: `word:K` (K words) or `char:K` (K characters).
    #[arg(long, default_value_t = config::DEFAULT_SHINGLE)]
    pub shingle: ShingleSpec,

    /// Seed of every hash function.
    #[arg(long, default_value_t = config::DEFAULT_SEED)]
    pub seed: u64,

    /// Worker threads (0: one per core).
    #[arg(short = 'j', long, default_value_t = 0)]
    pub threads: usize,

    /// Keep site boilerplate (banners, share bars, footers) in the fingerprints.
    #[arg(long)]
    pub keep_boilerplate: bool,

    /// Group translated copies with their original: documents in different languages whose
    /// names and figures are the same, in much the same order (`off`: same-language only).
    #[arg(long, value_enum, default_value_t = Switch::On)]
    pub translations: Switch,

    /// Also read hidden files and directories.
    #[arg(long)]
    pub hidden: bool,

    /// Skip files (or JSON/WARC records) larger than this many bytes.
    #[arg(long, default_value_t = config::DEFAULT_MAX_FILE_BYTES)]
    pub max_file_bytes: u64,

    /// JSON field holding a record's id (JSON Lines and JSON inputs).
    #[arg(long, default_value = "id", value_name = "FIELD")]
    pub id_field: String,

    /// JSON field holding a record's text; `content` and `body` are tried when it is absent.
    #[arg(long, default_value = "text", value_name = "FIELD")]
    pub text_field: String,

    /// JSON field holding a record's title.
    #[arg(long, default_value = "title", value_name = "FIELD")]
    pub title_field: String,

    /// The JSON text field holds HTML: extract its visible article text.
    #[arg(long)]
    pub text_is_html: bool,
}

/// Options of `reprint eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Ground truth: JSON Lines of `{"cluster": "…", "ids": ["…", …]}`.
    #[arg(long, value_name = "FILE")]
    pub truth: PathBuf,

    /// The report written by `reprint dedup`.
    #[arg(value_name = "REPORT")]
    pub report: PathBuf,

    /// Every document id of the run, one a line (default: the report's document count).
    #[arg(long, value_name = "FILE")]
    pub universe: Option<PathBuf>,

    /// How many of the worst false-positive and false-negative pairs to list.
    #[arg(long, default_value_t = 10)]
    pub worst: usize,

    /// Output format.
    #[arg(long, value_enum, default_value_t = EvalFormat::Text)]
    pub format: EvalFormat,
}

fn unit_interval(s: &str) -> Result<f64, String> {
    let v: f64 = s.parse().map_err(|_| format!("{s:?} is not a number"))?;
    if v > 0.0 && v <= 1.0 {
        Ok(v)
    } else {
        Err(format!("{v} is outside (0, 1]"))
    }
}

fn share_below_one(s: &str) -> Result<f64, String> {
    let v: f64 = s.parse().map_err(|_| format!("{s:?} is not a number"))?;
    if (0.0..1.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!("{v} is outside [0, 1)"))
    }
}

impl Options {
    /// The library's configuration for these options, reading `paths`.
    pub fn to_config(&self, paths: Vec<PathBuf>) -> Config {
        let mut c = Config::new(paths);
        c.method = self.method.into();
        c.threshold = self.threshold;
        c.containment = self.containment;
        c.frequent_share = self.frequent_shingles;
        c.num_perm = usize::from(self.num_perm);
        c.shingle = self.shingle;
        c.seed = self.seed;
        c.threads = self.threads;
        c.keep_boilerplate = self.keep_boilerplate;
        c.translations = self.translations == Switch::On;
        c.hidden = self.hidden;
        c.max_file_bytes = self.max_file_bytes;
        c.id_field = self.id_field.clone();
        c.text_field = self.text_field.clone();
        c.title_field = self.title_field.clone();
        c.text_is_html = self.text_is_html;
        c
    }
}
