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

/// Runs `cmd` with `input` written to its standard input; its output.
pub fn output_with_stdin(mut cmd: Command, input: &str) -> Output {
    use std::io::Write as _;
    use std::process::Stdio;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn reprint");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("wait for reprint")
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

/// The demo corpus's sources: (name, banner line, footer line). Every page of a source carries
/// its banner and footer, which boilerplate removal takes out.
pub const DEMO_SOURCES: [(&str, &str, &str); 8] = [
    (
        "wire-agency",
        "WIRE AGENCY | Latest | World | Business",
        "© Wire Agency. All rights reserved.",
    ),
    (
        "dailyharbor",
        "The Daily Harbor — Home | Local | Sport",
        "Share this story: Facebook · X · Email",
    ),
    (
        "northgazette",
        "North Gazette | News | Opinion | Weather",
        "Subscribe to the North Gazette newsletter.",
    ),
    (
        "metrowire",
        "MetroWire » Top stories",
        "Read more at MetroWire.com",
    ),
    (
        "coastalpost",
        "Coastal Post | Breaking news",
        "Follow the Coastal Post on social media.",
    ),
    (
        "pinecrest-herald",
        "Pinecrest Herald · Since 1887",
        "Letters to the editor: letters@pinecrest.example",
    ),
    (
        "valley-times",
        "Valley Times — Your valley, your news",
        "Valley Times is part of Hill Media.",
    ),
    (
        "riverside-echo",
        "Riverside Echo | Menu",
        "Comments are closed for this article.",
    ),
];

/// One story of the demo corpus: its headline, its paragraphs and who printed it when:
/// (source number, minutes after the first publication).
pub struct DemoStory {
    /// The headline, as the origin printed it.
    pub headline: String,
    /// The body's paragraphs.
    pub paragraphs: Vec<String>,
    /// (index into [`DEMO_SOURCES`], minutes after the origin); the first is the origin.
    pub copies: Vec<(usize, i64)>,
}

/// Capitalizes a sentence and ends it with a full stop.
fn sentence(words: &str) -> String {
    let mut c = words.chars();
    match c.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), c.as_str()),
        None => String::new(),
    }
}

/// The stories of the demo corpus: eight stories reprinted by two to eight sources, after
/// delays of minutes to days.
pub fn demo_stories() -> Vec<DemoStory> {
    const NAMES: [&str; 8] = [
        "Mayor Odile Fenwick",
        "Minister Tomasz Brecklin",
        "Agnes Holloway of the Ravensmoor Trust",
        "the Port of Marrowgate",
        "Judge Lena Okafor",
        "Kessel Valley farmers",
        "the Central Bank",
        "Aldercrest Hydro",
    ];
    const HEADLINES: [&str; 8] = [
        "Reservoir Plan for Kessel Valley Wins Council Vote",
        "Minister Says Port Talks Will Resume After Strike",
        "Wetland Campaigners Take Pipeline Route to Court",
        "Marrowgate Port Handles Record Cargo in March",
        "Court Rules Against Ferry Company's Fare Rise",
        "Farmers Block Roads With Tractors Over Water Prices",
        "Central Bank Holds Rate as Inflation Eases to 2.4%",
        "Aldercrest Hydro Moves Dam Route 2.4 km East",
    ];
    // (source, minutes after the origin) for each story: the origin first.
    let copies: [&[(usize, i64)]; 8] = [
        &[
            (0, 0),
            (1, 25),
            (2, 70),
            (3, 180),
            (4, 310),
            (5, 1440),
            (6, 2900),
            (7, 4400),
        ],
        &[(0, 0), (3, 12), (1, 45), (2, 240), (6, 1500), (4, 2000)],
        &[(5, 0), (6, 90), (0, 300), (7, 1600), (2, 3000)],
        &[(1, 0), (4, 60), (3, 200), (7, 800)],
        &[(0, 0), (2, 30), (5, 600), (1, 900)],
        &[(6, 0), (5, 180), (7, 2880)],
        &[(0, 0), (1, 5), (3, 9), (2, 14), (4, 40), (6, 55)],
        &[(7, 0), (0, 4000)],
    ];
    // Words of each story's own topic, mixed into its generated prose so that stories differ.
    const TOPICS: [&str; 8] = [
        "reservoir dam megalitres pipeline hydrology aquifer spillway catchment",
        "dockers stevedores cranes negotiation wages arbitration picket shifts",
        "wetland herons marsh injunction habitat lawyers ecology reedbeds",
        "containers tonnage freighters quay logistics throughput berths shipping",
        "ferry fares passengers tribunal crossing tickets commuters timetable",
        "irrigation tariffs harvest barley livestock drought orchards cooperative",
        "monetary basis points lending mortgages savers bonds currency yields",
        "turbines kilometres surveyors engineers concrete gorge excavation tunnel",
    ];
    (0..8)
        .map(|i| {
            let topic: Vec<&str> = TOPICS[i].split(' ').collect();
            let paragraphs = (0..4)
                .map(|p| {
                    let seed = 1000 + i as u64 * 10 + p;
                    let words: Vec<String> = prose(seed, 36)
                        .split_whitespace()
                        .enumerate()
                        .map(|(j, w)| {
                            if j % 2 == 1 {
                                topic[(j / 2 + p as usize) % topic.len()].to_string()
                            } else {
                                w.to_string()
                            }
                        })
                        .collect();
                    let (a, b) = words.split_at(words.len() / 2);
                    format!(
                        "{}, {} said. {} {}",
                        sentence(&a.join(" ")).trim_end_matches('.'),
                        NAMES[(i + p as usize) % NAMES.len()],
                        sentence(&b.join(" ")),
                        [
                            "In March, figures rose 3.1%.",
                            "“We will not stop,” one added.",
                            "",
                            "The next hearing is on 14 May."
                        ][p as usize],
                    )
                    .trim_end()
                    .to_string()
                })
                .collect();
            DemoStory {
                headline: HEADLINES[i].to_string(),
                paragraphs,
                copies: copies[i].to_vec(),
            }
        })
        .collect()
}

/// The demo corpus as JSON Lines: every copy of every [`demo_stories`] story, with its source,
/// its date (origins from 2026-11-02T06:00:00Z, then by their delays) and its text as the source
/// printed it: banner, headline, body, footer. Copies differ as reprints do: one uppercases the
/// headline, one cuts the last paragraph, one adds a credit line, one prints straight quotes.
pub fn demo_corpus_jsonl() -> String {
    let day0 = 1_793_599_200i64; // 2026-11-02T06:00:00Z
    let mut out = String::new();
    for (i, story) in demo_stories().iter().enumerate() {
        let origin = day0 + i as i64 * 5_400;
        for (k, &(source, minutes)) in story.copies.iter().enumerate() {
            let (name, banner, footer) = DEMO_SOURCES[source];
            let headline = if source == 3 {
                story.headline.to_uppercase()
            } else {
                story.headline.clone()
            };
            let mut paragraphs = story.paragraphs.clone();
            if k % 3 == 2 {
                paragraphs.pop();
            }
            if source == 4 {
                let town = ["Marrowgate", "Pellworth", "Dunstowe", "Ravensmoor"][i % 4];
                paragraphs.push(format!(
                    "Additional reporting by Coastal Post staff in {town}."
                ));
            }
            let mut body = paragraphs.join("\n\n");
            if source == 2 {
                // Straight quotes where the others print curly ones.
                body = body.replace(['“', '”'], "\"");
            }
            let text = format!("{banner}\n\n{headline}\n\n{body}\n\n{footer}");
            let date = jiff::Timestamp::from_second(origin + minutes * 60).expect("date");
            let record = serde_json::json!({
                "id": format!("{name}/story-{i}"),
                "source": name,
                "date": date.to_string(),
                "text": text,
            });
            out.push_str(&record.to_string());
            out.push('\n');
        }
    }
    out
}
