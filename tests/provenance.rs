//! Provenance end to end, through the binary: a generated corpus whose publication order is
//! known (each story published by one source, picked up by others after known delays) must
//! give each cluster the right origin, each member the right lag and the sources list the
//! right edges; absurd dates are skipped for the next evidence; and with `--index` a story
//! first seen on one night keeps its origin when it is picked up nights later.

mod util;

use std::collections::BTreeMap;

use serde_json::{json, Value};
use util::{prose, reprint, Dir};

/// The run's clock for every test here: dates after it are in the future.
const NOW: &str = "1800000000"; // 2027-01-15T08:00:00Z

/// 2026-12-01T00:00:00Z.
const DAY0: i64 = 1_796_083_200;

/// A copy of `story` as `site` prints it: its banner and footer around the text, the first
/// sentence's case changed so that no two copies are byte-identical.
fn copy(site: &str, story: &str) -> String {
    format!(
        "{site} | breaking news\n\n{story}\n\nRead more at {site}. Subscribe to our newsletter."
    )
}

/// One copy of a generated story.
struct Copy {
    id: String,
    source: String,
    /// Seconds after the day's start, or the raw date value to write (absurd ones).
    date: Value,
    /// The lag the report must give (None: not comparable).
    lag: Option<i64>,
}

/// Runs `reprint dedup ARGS --progress never` with the fixed clock, `stdin` on its standard
/// input when given; the parsed report.
fn dedup(args: &[&str], stdin: Option<&str>) -> Value {
    let mut cmd = reprint();
    cmd.arg("dedup")
        .args(args)
        .args(["--progress", "never"])
        .env("SOURCE_DATE_EPOCH", NOW);
    let out = util::output_with_stdin(cmd, stdin.unwrap_or(""));
    assert!(
        out.status.success(),
        "reprint failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON report")
}

/// The cluster holding document `id`.
fn cluster_of<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["clusters"]
        .as_array()
        .expect("clusters")
        .iter()
        .find(|c| {
            c["members"]
                .as_array()
                .unwrap()
                .iter()
                .any(|m| m["id"] == id)
        })
        .unwrap_or_else(|| panic!("{id} is in no cluster"))
}

fn member<'a>(cluster: &'a Value, id: &str) -> &'a Value {
    cluster["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == id)
        .unwrap_or_else(|| panic!("{id} not in {cluster}"))
}

/// The generated corpus: eight stories, each first published by `wire` or `agency`, picked
/// up by three to five of the other sites after delays drawn from a fixed sequence.
fn generated() -> Vec<Vec<Copy>> {
    let sites = ["alpha", "beta", "gamma", "delta", "epsilon"];
    let mut stories = Vec::new();
    for s in 0..8u64 {
        let origin_source = if s % 3 == 0 { "agency" } else { "wire" };
        // From 06:30 UTC: a date at midnight reads as a day without a time.
        let published = 23_400 + (s as i64) * 7_200;
        let mut copies = vec![Copy {
            id: format!("{origin_source}/{s}"),
            source: origin_source.into(),
            date: json!(published),
            lag: Some(0),
        }];
        for (k, site) in sites.iter().enumerate().take(3 + (s as usize % 3)) {
            let lag = 600 * (1 + ((s as i64 * 5 + k as i64 * 3) % 11));
            copies.push(Copy {
                id: format!("{site}/{s}"),
                source: (*site).into(),
                date: json!(published + lag),
                lag: Some(lag),
            });
        }
        stories.push(copies);
    }
    stories
}

/// The JSON Lines of `stories`: numeric dates are seconds after [`DAY0`], written as RFC 3339
/// with an offset for every other record (the reader must compare instants, not strings).
fn jsonl(stories: &[Vec<Copy>]) -> String {
    let mut out = String::new();
    for (s, copies) in stories.iter().enumerate() {
        let text = prose(100 + s as u64, 220);
        for (k, c) in copies.iter().enumerate() {
            let date = match c.date.as_i64() {
                Some(secs) if k % 2 == 1 => {
                    // The same instant in UTC+02:00.
                    let t = DAY0 + secs + 7_200;
                    let (d, rest) = (t.div_euclid(86_400), t.rem_euclid(86_400));
                    let day = 1 + d - DAY0 / 86_400;
                    json!(format!(
                        "2026-12-{:02}T{:02}:{:02}:{:02}+02:00",
                        day,
                        rest / 3600,
                        rest % 3600 / 60,
                        rest % 60
                    ))
                }
                Some(secs) => json!(DAY0 + secs),
                None => c.date.clone(),
            };
            let record = json!({
                "id": c.id,
                "source": c.source,
                "date": date,
                "text": copy(&c.source, &text),
            });
            out += &record.to_string();
            out.push('\n');
        }
    }
    out
}

#[test]
fn known_publication_order_gives_origins_lags_and_source_edges() {
    let stories = generated();
    let dir = Dir::new();
    let path = dir.write("night.jsonl", jsonl(&stories));
    let report = dedup(&[path.to_str().unwrap(), "-j2"], None);
    assert_eq!(
        report["stats"]["clusters"],
        json!(stories.len()),
        "{:#}",
        report["clusters"]
    );

    // Expected edges: reprinting source -> origin source -> lags.
    let mut edges: BTreeMap<String, BTreeMap<String, Vec<i64>>> = BTreeMap::new();
    for copies in &stories {
        let origin = &copies[0];
        let c = cluster_of(&report, &origin.id);
        assert_eq!(c["origin"], json!(origin.id), "{c:#}");
        for copy in copies {
            let m = member(c, &copy.id);
            assert_eq!(m["lag_seconds"], json!(copy.lag), "{}", copy.id);
            assert_eq!(m["date_source"], "field", "{}", copy.id);
            assert_eq!(m["source"], json!(copy.source));
            if copy.id != origin.id {
                edges
                    .entry(copy.source.clone())
                    .or_default()
                    .entry(origin.source.clone())
                    .or_default()
                    .push(copy.lag.unwrap());
            }
        }
    }
    let sources = report["sources"].as_array().expect("sources");
    let names: Vec<&str> = sources
        .iter()
        .map(|s| s["source"].as_str().unwrap())
        .collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted, "sources are sorted by name");
    for s in sources {
        let name = s["source"].as_str().unwrap();
        let want = edges.get(name).cloned().unwrap_or_default();
        let reprinted: usize = want.values().map(Vec::len).sum();
        assert_eq!(s["reprinted"], json!(reprinted), "{name}");
        let originated = stories.iter().filter(|c| c[0].source == name).count();
        assert_eq!(s["originated"], json!(originated), "{name}");
        let from = s["from"].as_array().unwrap();
        assert_eq!(from.len(), want.len(), "{name}: {from:?}");
        for e in from {
            let mut lags = want[e["source"].as_str().unwrap()].clone();
            lags.sort_unstable();
            assert_eq!(e["count"], json!(lags.len()), "{name}");
            assert_eq!(e["translated"], 0);
            assert_eq!(
                e["median_lag_seconds"],
                json!(lags[(lags.len() - 1) / 2]),
                "{name} from {}",
                e["source"]
            );
        }
    }

    // One thread or two, the same bytes.
    let one = reprint()
        .args([
            "dedup",
            path.to_str().unwrap(),
            "-j1",
            "--progress",
            "never",
        ])
        .env("SOURCE_DATE_EPOCH", NOW)
        .output()
        .unwrap();
    let two = reprint()
        .args([
            "dedup",
            path.to_str().unwrap(),
            "-j2",
            "--progress",
            "never",
        ])
        .env("SOURCE_DATE_EPOCH", NOW)
        .output()
        .unwrap();
    assert_eq!(one.stdout, two.stdout);

    // The summary names the top origin and reprinters.
    let text = reprint()
        .args([
            "dedup",
            path.to_str().unwrap(),
            "--format",
            "text",
            "--progress",
            "never",
        ])
        .env("SOURCE_DATE_EPOCH", NOW)
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("top origins\n"), "{text}");
    assert!(text.contains("first  wire ("), "{text}");
    assert!(text.contains("top reprinters\n"), "{text}");
    assert!(text.contains("copies alpha <- wire ("), "{text}");
}

#[test]
fn absurd_dates_are_skipped_for_the_next_evidence_never_fatal() {
    let story = prose(7, 200);
    let records = [
        ("wire/1", json!("2026-12-01T08:00:00Z")),
        ("future/1", json!("2091-01-01T00:00:00Z")),
        ("old/1", json!("1970-01-01T00:00:00Z")),
        ("zero/1", json!(0)),
        ("garbage/1", json!("the day after tomorrow")),
        ("object/1", json!({"nested": true})),
        ("huge/1", json!(i64::MAX)),
        ("negative/1", json!(i64::MIN)),
    ];
    let lines: String = records
        .iter()
        .map(|(id, date)| {
            let site = id.split('/').next().unwrap();
            json!({"id": id, "source": site, "date": date, "text": copy(site, &story)}).to_string()
                + "\n"
        })
        .collect();

    // From standard input there is no file date to fall back on: the absurd ones are null.
    let report = dedup(&["-"], Some(&lines));
    let c = cluster_of(&report, "wire/1");
    assert_eq!(c["size"], json!(records.len()));
    assert_eq!(c["origin"], "wire/1");
    for (id, _) in &records[1..] {
        let m = member(c, id);
        assert_eq!(m["date"], Value::Null, "{id}");
        assert_eq!(m["date_source"], Value::Null, "{id}");
        assert_eq!(m["lag_seconds"], Value::Null, "{id}");
    }
    assert_eq!(member(c, "wire/1")["lag_seconds"], 0);

    // From a file, the next evidence is the file's modification time.
    let dir = Dir::new();
    let path = dir.write("night.jsonl", &lines);
    let report = dedup(&[path.to_str().unwrap()], None);
    let c = cluster_of(&report, "wire/1");
    assert_eq!(
        c["origin"], "wire/1",
        "a publication date outranks any mtime"
    );
    for (id, _) in &records[1..] {
        let m = member(c, id);
        assert_eq!(m["date_source"], "mtime", "{id}");
        assert_eq!(m["lag_seconds"], Value::Null, "{id}: an mtime has no lag");
    }
}

#[test]
fn with_an_index_the_origin_of_a_story_picked_up_nights_later_is_on_the_first_night() {
    let story = prose(11, 240);
    let other = prose(12, 240);
    let dir = Dir::new();
    let state = dir.path().join("state");
    let record = |id: &str, site: &str, date: i64, text: &str| {
        json!({"id": id, "source": site, "date": date, "text": copy(site, text)}).to_string() + "\n"
    };
    let nights = [
        record("wire/story", "wire", DAY0 + 600, &story),
        record("other/unrelated", "other", DAY0 + 86_400 + 600, &other),
        record("alpha/story", "alpha", DAY0 + 2 * 86_400 + 660, &story)
            + &record("beta/story", "beta", DAY0 + 2 * 86_400 + 4_200, &story),
    ];
    let mut last = Value::Null;
    for (n, lines) in nights.iter().enumerate() {
        let path = dir.write(&format!("night{n}.jsonl"), lines);
        last = dedup(
            &[path.to_str().unwrap(), "--index", state.to_str().unwrap()],
            None,
        );
    }
    let c = cluster_of(&last, "alpha/story");
    assert_eq!(c["origin"], "wire/story", "{c:#}");
    assert_eq!(member(c, "wire/story")["new"], false);
    assert_eq!(member(c, "wire/story")["date_source"], "field");
    assert_eq!(member(c, "alpha/story")["lag_seconds"], 2 * 86_400 + 60);
    assert_eq!(member(c, "beta/story")["lag_seconds"], 2 * 86_400 + 3_600);
    let sources = last["sources"].as_array().unwrap();
    let alpha = sources.iter().find(|s| s["source"] == "alpha").unwrap();
    assert_eq!(alpha["documents"], 1);
    assert_eq!(
        alpha["from"],
        json!([{"source": "wire", "count": 1, "translated": 0, "median_lag_seconds": 2 * 86_400 + 60}])
    );
    let wire = sources.iter().find(|s| s["source"] == "wire").unwrap();
    assert_eq!(wire["originated"], 1);
    assert_eq!(wire["documents"], 0, "the night's documents only");
}
