//! docs/nightly.md works as written: its cron script, extracted from the page, runs three
//! nights on generated scrapes with the real binary on PATH.

mod util;

use std::process::Command;

use util::{prose, Dir};

/// The shell block that follows the `<!-- nightly-script -->` marker in docs/nightly.md.
fn nightly_script() -> String {
    let page = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/nightly.md"),
    )
    .expect("docs/nightly.md");
    let after = page
        .split("<!-- nightly-script -->")
        .nth(1)
        .expect("marker in docs/nightly.md");
    let body = after
        .split("```sh\n")
        .nth(1)
        .and_then(|b| b.split("\n```").next())
        .expect("a ```sh block after the marker");
    body.to_string() + "\n"
}

#[test]
fn the_cron_script_in_docs_runs_three_nights() {
    let work = Dir::new();
    let script = work.write("reprint-nightly", nightly_script());
    let bin_dir = std::path::Path::new(env!("CARGO_BIN_EXE_reprint"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let story = prose(31, 300);
    let nights = [
        (
            "2026-11-25",
            vec![
                ("a/one.txt", story.clone()),
                ("b/other.txt", prose(32, 300)),
            ],
        ),
        (
            "2026-11-26",
            vec![("c/copy.txt", format!("Site C\n\n{story}"))],
        ),
        (
            "2026-11-27",
            vec![
                ("d/copy.txt", format!("Site D\n\n{story}")),
                ("e/new.txt", prose(33, 300)),
            ],
        ),
    ];
    let mut statuses = Vec::new();
    for (night, docs) in &nights {
        for (rel, text) in docs {
            work.write(&format!("scrapes/{night}/{rel}"), text);
        }
        let out = Command::new("bash")
            .arg(&script)
            .env("PATH", &path)
            .env("SCRAPES", work.path().join("scrapes"))
            .env("STATE", work.path().join("state"))
            .env("REPORTS", work.path().join("reports"))
            .env("NIGHT", night)
            .env("MAX_RATIO", "0.6")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        statuses.push(out.status.code());
        assert!(
            stdout.contains(&format!("reprint-nightly: {night} done")),
            "{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // Night 2 is all reprint (ratio 1 > 0.6): the gate trips; nights 1 and 3 pass.
    assert_eq!(statuses, vec![Some(0), Some(1), Some(0)]);
    let report: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(work.path().join("reports/2026-11-27.json")).unwrap(),
    )
    .unwrap();
    let copy = report["index"]["articles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "d/copy.txt")
        .unwrap();
    assert_eq!(copy["outcome"], "joined");
    let remove = std::fs::read_to_string(work.path().join("reports/2026-11-27.remove")).unwrap();
    assert_eq!(remove, "d/copy.txt\n");
    let keep = std::fs::read_to_string(work.path().join("reports/2026-11-27.keep")).unwrap();
    assert_eq!(keep, "e/new.txt\n");
}
