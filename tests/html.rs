//! The HTML page of `reprint dedup --html`: self-contained, valid embedded data, every cluster
//! and skip shown, the text cap honoured, atomic writing, and independence from thread count.

mod util;

use std::path::Path;

fn corpus() -> String {
    util::testdata().join("corpus").display().to_string()
}

/// Runs `reprint dedup ARGS --html OUT` and returns the page.
fn page(args: &[&str], out: &Path) -> String {
    let mut all: Vec<&str> = vec!["dedup"];
    all.extend_from_slice(args);
    let out_s = out.display().to_string();
    all.extend_from_slice(&["--html", &out_s, "--progress", "never"]);
    let res = util::run(&all);
    assert!(
        res.status.success(),
        "reprint {all:?} failed: {}",
        String::from_utf8_lossy(&res.stderr)
    );
    std::fs::read_to_string(out).expect("HTML page written")
}

/// The JSON blob of the data script, parsed.
fn data(page: &str) -> serde_json::Value {
    let open = "<script type=\"application/json\" id=\"data\">";
    let start = page.find(open).expect("data script") + open.len();
    let end = start + page[start..].find("</script>").expect("end of data script");
    serde_json::from_str(&page[start..end]).expect("data script holds valid JSON")
}

#[test]
fn html_page_is_self_contained() {
    let dir = util::Dir::new();
    let html = page(&[&corpus()], &dir.path().join("report.html"));
    assert!(html.starts_with("<!DOCTYPE html>"));
    let lower = html.to_lowercase();
    for bad in ["<link", "<script src", "<img", "<iframe", "@import", "url("] {
        assert!(!lower.contains(bad), "page contains {bad:?}");
    }
    for attr in ["src=", "href="] {
        for quote in ["\"", "'", ""] {
            for scheme in ["http://", "https://", "//"] {
                let needle = format!("{attr}{quote}{scheme}");
                assert!(!lower.contains(&needle), "page contains {needle:?}");
            }
        }
    }
    // A content security policy forbids every fetch, whatever the page holds.
    assert!(html.contains("default-src 'none'"));
}

#[test]
fn html_embeds_every_cluster_and_matches_report() {
    let dir = util::Dir::new();
    let json_path = dir.path().join("report.json");
    let html = page(
        &[&corpus(), "-o", &json_path.display().to_string()],
        &dir.path().join("report.html"),
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).expect("report")).expect("JSON");
    let data = data(&html);
    let clusters = report["clusters"].as_array().expect("clusters");
    let shown = data["clusters"].as_array().expect("clusters in data");
    assert!(!clusters.is_empty());
    assert_eq!(clusters.len(), shown.len());
    for (c, s) in clusters.iter().zip(shown) {
        let rep = c["representative"].as_str().expect("representative");
        assert!(html.contains(rep), "page lacks representative {rep}");
        assert_eq!(s["rep"]["id"], rep);
        assert_eq!(s["size"], c["size"]);
        assert!(!s["rep"]["text"].as_str().expect("text").is_empty());
        let members = c["members"].as_array().expect("members");
        assert_eq!(
            s["members"].as_array().expect("members").len(),
            members.len() - 1
        );
        for (m, sm) in members[1..]
            .iter()
            .zip(s["members"].as_array().expect("members"))
        {
            assert_eq!(m["id"], sm["id"]);
            assert_eq!(m["similarity"], sm["similarity"]);
            assert_eq!(m["containment"], sm["containment"]);
            assert_eq!(m["match"], sm["match"]);
            for run in sm["diff"].as_array().expect("diff") {
                let class = run[0].as_str().expect("class");
                assert!(
                    ["both", "only-member", "missing"].contains(&class),
                    "{class}"
                );
            }
        }
    }
    // The bundled corpus has site chrome and cut copies: both kinds of marking appear.
    let all = serde_json::to_string(&data).expect("json");
    assert!(all.contains("\"missing\""));
    assert!(data["clusters"]
        .as_array()
        .expect("clusters")
        .iter()
        .any(|c| !c["rep"]["boilerplate"].as_array().expect("bp").is_empty()));
    assert!(html.contains("class=\"boilerplate\"") || html.contains("\"boilerplate\""));
    assert!(html.contains(&format!(
        "<tr><th>documents</th><td>{}</td></tr>",
        report["stats"]["documents"]
    )));
}

#[test]
fn html_shows_skipped_inputs() {
    let extra = util::Dir::new();
    extra.write("broken/binary.txt", b"abc\0def");
    extra.write("broken/empty.txt", b"");
    let out = util::Dir::new();
    let html = page(
        &[&corpus(), &extra.path().display().to_string()],
        &out.path().join("r.html"),
    );
    assert!(html.contains("Skipped inputs (2)"), "skipped heading");
    assert!(html.contains("broken/binary.txt"));
    assert!(html.contains("broken/empty.txt"));
    assert!(html.contains("binary file"));
}

#[test]
fn html_max_chars_cuts_and_says_so() {
    let dir = util::Dir::new();
    let html = page(
        &[&corpus(), "--html-max-chars", "10"],
        &dir.path().join("r.html"),
    );
    let data = data(&html);
    assert_eq!(data["max_chars"], 10);
    for c in data["clusters"].as_array().expect("clusters") {
        let text = c["rep"]["text"].as_str().expect("text");
        assert!(text.chars().count() <= 10, "{text:?}");
        assert_eq!(c["rep"]["text_cut"], true);
        for m in c["members"].as_array().expect("members") {
            let chars: usize = m["diff"]
                .as_array()
                .expect("diff")
                .iter()
                .map(|r| r[1].as_str().expect("words").chars().count())
                .sum();
            assert!(chars <= 10);
            assert_eq!(m["diff_cut"], true);
        }
    }
    // The script names the cap where text was cut.
    assert!(html.contains("--html-max-chars"));

    let full = page(&[&corpus()], &dir.path().join("full.html"));
    assert!(full.len() > html.len());
    assert!(data_has_no_cut(&self::data(&full)));
}

fn data_has_no_cut(data: &serde_json::Value) -> bool {
    data["clusters"]
        .as_array()
        .expect("clusters")
        .iter()
        .all(|c| c["rep"]["text_cut"] == false)
}

#[test]
fn html_unwritable_path_fails_cleanly() {
    let dir = util::Dir::new();
    let json_path = dir.path().join("report.json");
    let html_path = dir.path().join("no-such-dir").join("r.html");
    let res = util::run(&[
        "dedup",
        &corpus(),
        "-o",
        &json_path.display().to_string(),
        "--html",
        &html_path.display().to_string(),
        "--progress",
        "never",
    ]);
    assert_eq!(res.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&res.stderr);
    assert!(stderr.contains("r.html"), "{stderr}");
    assert!(!html_path.exists());
    assert!(
        !json_path.exists(),
        "report written although the page failed"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
    assert!(left.is_empty(), "files left behind: {left:?}");
}

#[test]
fn html_identical_for_any_thread_count() {
    let dir = util::Dir::new();
    let one = page(&[&corpus(), "-j1"], &dir.path().join("j1.html"));
    let two = page(&[&corpus(), "-j2"], &dir.path().join("j2.html"));
    assert!(one == two, "-j1 and -j2 pages differ");
}
