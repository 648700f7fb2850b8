//! Test harness: temporary corpus directories and a runner for the real `reprint` binary.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A temporary directory holding a corpus; removed when dropped.
pub struct Dir {
    tmp: tempfile::TempDir,
}

impl Default for Dir {
    fn default() -> Self {
        Self::new()
    }
}

impl Dir {
    /// A fresh empty directory.
    pub fn new() -> Self {
        Dir {
            tmp: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// The directory's path.
    pub fn path(&self) -> &Path {
        self.tmp.path()
    }

    /// Writes `contents` to `rel` (creating parent directories).
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.tmp.path().join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&path, contents).expect("write");
        path
    }
}

/// A `Command` for the binary under test.
pub fn reprint() -> Command {
    Command::new(env!("CARGO_BIN_EXE_reprint"))
}

/// Runs `reprint ARGS`, returning its output.
pub fn run(args: &[&str]) -> Output {
    reprint().args(args).output().expect("run reprint")
}

/// Runs `reprint ARGS`, asserts success and parses standard output as JSON.
pub fn run_json(args: &[&str]) -> serde_json::Value {
    let out = run(args);
    assert!(
        out.status.success(),
        "reprint {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON report")
}

/// The clusters of a report as sorted lists of member ids, sorted.
pub fn groups(report: &serde_json::Value) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = report["clusters"]
        .as_array()
        .expect("clusters")
        .iter()
        .map(|c| {
            let mut ids: Vec<String> = c["members"]
                .as_array()
                .expect("members")
                .iter()
                .map(|m| m["id"].as_str().expect("id").to_string())
                .collect();
            ids.sort();
            ids
        })
        .collect();
    out.sort();
    out
}

/// The path to the bundled example corpus.
pub fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata")
}

/// A news-like paragraph generator: deterministic prose from a seed, distinct per seed.
pub fn prose(seed: u64, words: usize) -> String {
    const VOCAB: &[&str] = &[
        "the",
        "minister",
        "said",
        "on",
        "monday",
        "that",
        "talks",
        "with",
        "unions",
        "would",
        "resume",
        "after",
        "a",
        "week",
        "of",
        "strikes",
        "at",
        "port",
        "city",
        "council",
        "officials",
        "confirmed",
        "new",
        "figures",
        "showing",
        "prices",
        "rose",
        "in",
        "march",
        "government",
        "spokesman",
        "added",
        "court",
        "ruled",
        "against",
        "company",
        "plans",
        "river",
        "flood",
        "warning",
        "villages",
        "evacuated",
        "police",
        "report",
        "election",
        "results",
        "expected",
        "tuesday",
        "bank",
        "rate",
        "inflation",
        "growth",
        "exports",
        "farmers",
        "protest",
        "roads",
        "blocked",
        "tractors",
        "capital",
        "mayor",
        "budget",
    ];
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut out = String::new();
    for i in 0..words {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        if i > 0 {
            out.push(if i % 17 == 0 { '\n' } else { ' ' });
        }
        out.push_str(VOCAB[(state % VOCAB.len() as u64) as usize]);
    }
    out
}

/// Three copies of one story (a retyped one and one cut to its first third) and an unrelated
/// story, each under its own site directory.
pub fn three_copies_and_a_stranger() -> Dir {
    let dir = Dir::new();
    let story = prose(1, 300);
    dir.write(
        "alpha/story.txt",
        format!("Alpha Daily\n\n{story}\n\nShare on Facebook | Twitter"),
    );
    dir.write(
        "beta/copy.txt",
        format!("BETA NEWS\n\n{}\n", story.replace("minister", "Minister")),
    );
    // A truncated copy: the first third, then a read-more line.
    let third: String = story.split(' ').take(100).collect::<Vec<_>>().join(" ");
    dir.write(
        "gamma/cut.md",
        format!("{third}\n\nRead more at the source"),
    );
    dir.write("delta/other.txt", prose(2, 300));
    dir
}

/// Writes one file of each kind that must be skipped or repaired under `junk/`: binary, empty,
/// blank, unsupported type (skipped) and Latin-1 (repaired, read as a document).
pub fn write_bad_files(dir: &Dir) {
    dir.write("junk/binary.txt", b"abc\x00def");
    dir.write("junk/empty.txt", b"");
    dir.write("junk/blank.txt", b"  \n\n \t\n");
    dir.write("junk/image.png", b"\x89PNG");
    dir.write(
        "junk/latin1.txt",
        b"Caf\xe9 cr\xe8me with enough words to stay a document here",
    );
}
