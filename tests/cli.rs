//! Integration tests: the real binary on temporary corpora.

mod util;

use util::{groups, prose, run, run_json, three_copies_and_a_stranger, write_bad_files, Dir};

#[test]
fn groups_copies_and_keeps_stranger_apart() {
    let dir = three_copies_and_a_stranger();
    let report = run_json(&["dedup", dir.path().to_str().unwrap(), "--progress", "never"]);
    assert_eq!(report["schema"], 1);
    assert_eq!(report["stats"]["documents"], 4);
    assert_eq!(
        groups(&report),
        vec![vec!["alpha/story.txt", "beta/copy.txt", "gamma/cut.md"]]
    );
    let cluster = &report["clusters"][0];
    assert_eq!(cluster["size"], 3);
    let members = cluster["members"].as_array().unwrap();
    assert_eq!(members[0]["id"], cluster["representative"]);
    assert_eq!(members[0]["similarity"], 1.0);
    let cut = members.iter().find(|m| m["id"] == "gamma/cut.md").unwrap();
    assert_eq!(cut["match"], "contained");
    assert!(cut["containment"].as_f64().unwrap() >= 0.8);
}

#[test]
fn output_is_identical_across_threads_and_runs() {
    let dir = Dir::new();
    for i in 0..40u64 {
        dir.write(&format!("s{}/d{i}.txt", i % 5), prose(i % 13, 200));
    }
    let p = dir.path().to_str().unwrap();
    let one = run(&["dedup", p, "-j1", "--progress", "never"]);
    let two = run(&["dedup", p, "-j2", "--progress", "never"]);
    let again = run(&["dedup", p, "-j2", "--progress", "never"]);
    assert!(one.status.success());
    assert_eq!(one.stdout, two.stdout);
    assert_eq!(two.stdout, again.stdout);
    let report: serde_json::Value = serde_json::from_slice(&one.stdout).unwrap();
    assert!(!report["clusters"].as_array().unwrap().is_empty());
}

#[test]
fn argument_order_does_not_change_the_report() {
    let dir = three_copies_and_a_stranger();
    let a = dir.path().join("alpha/story.txt");
    let b = dir.path().join("beta/copy.txt");
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    let ab = run(&["dedup", a, b, "--progress", "never"]);
    let ba = run(&["dedup", b, a, "--progress", "never"]);
    assert!(ab.status.success());
    assert_eq!(ab.stdout, ba.stdout);
}

#[test]
fn missing_path_is_one_line_and_exit_2() {
    let out = run(&["dedup", "/definitely/not/here", "--progress", "never"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("/definitely/not/here"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn bad_flag_values_are_one_line_and_exit_2() {
    let dir = three_copies_and_a_stranger();
    let p = dir.path().to_str().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&["--threshold", "1.5"], "threshold"),
        (&["--threshold", "abc"], "threshold"),
        (&["--num-perm", "3"], "num-perm"),
        (&["--shingle", "word:0"], "shingle"),
        (&["--shingle", "token:3"], "shingle"),
        (&["--format", "xml"], "format"),
        (&["--no-such-flag"], "no-such-flag"),
    ];
    for (flags, needle) in cases {
        let mut args = vec!["dedup", p];
        args.extend_from_slice(flags);
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{flags:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim_end().lines().count(), 1, "{flags:?}: {err}");
        assert!(err.contains(needle), "{flags:?}: {err}");
    }
}

#[test]
fn unwritable_output_is_exit_2_and_leaves_nothing() {
    let dir = three_copies_and_a_stranger();
    let target = dir.path().join("no-such-dir/report.json");
    let out = run(&[
        "dedup",
        dir.path().to_str().unwrap(),
        "-o",
        target.to_str().unwrap(),
        "--progress",
        "never",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!target.exists());
}

#[test]
fn output_file_is_written_whole_without_temporary_leftovers() {
    let dir = three_copies_and_a_stranger();
    let out_dir = Dir::new();
    let target = out_dir.path().join("report.json");
    let out = run(&[
        "dedup",
        dir.path().to_str().unwrap(),
        "-o",
        target.to_str().unwrap(),
        "--progress",
        "never",
    ]);
    assert!(out.status.success());
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&target).unwrap()).unwrap();
    assert_eq!(report["stats"]["clusters"], 1);
    let names: Vec<_> = std::fs::read_dir(out_dir.path()).unwrap().collect();
    assert_eq!(names.len(), 1, "only the report is left");
}

#[test]
fn bad_files_are_listed_as_skipped() {
    let dir = three_copies_and_a_stranger();
    write_bad_files(&dir);
    dir.write(".hidden/secret.txt", prose(1, 300));
    let report = run_json(&["dedup", dir.path().to_str().unwrap(), "--progress", "never"]);
    let skipped: Vec<(String, String)> = report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["path"].as_str().unwrap().into(),
                s["reason"].as_str().unwrap().into(),
            )
        })
        .collect();
    let reason = |p: &str| {
        skipped
            .iter()
            .find(|(path, _)| path == p)
            .map(|(_, r)| r.clone())
            .unwrap_or_else(|| panic!("{p} not skipped: {skipped:?}"))
    };
    assert!(reason("junk/binary.txt").contains("binary"));
    assert!(reason("junk/empty.txt").contains("empty"));
    assert!(
        reason("junk/blank.txt").contains("empty") || reason("junk/blank.txt").contains("no text")
    );
    assert!(reason("junk/image.png").contains("unsupported"));
    assert_eq!(report["stats"]["skipped"], skipped.len());
    assert_eq!(report["stats"]["repaired"], 1);
    assert_eq!(report["stats"]["documents"], 5);
    // Hidden directories are not read at all (not even listed), as with ripgrep and fd.
    assert!(skipped.iter().all(|(p, _)| !p.contains("hidden")));
}

#[test]
fn text_format_is_a_summary() {
    let dir = three_copies_and_a_stranger();
    let out = run(&[
        "dedup",
        dir.path().to_str().unwrap(),
        "--format",
        "text",
        "--progress",
        "never",
    ]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("4 documents, 1 clusters, 2 duplicates, 0 skipped"),
        "{text}"
    );
    assert!(text.contains("gamma/cut.md"));
}

#[test]
fn keep_boilerplate_is_echoed_and_changes_counts() {
    let dir = three_copies_and_a_stranger();
    let p = dir.path().to_str().unwrap();
    let on = run_json(&["dedup", p, "--progress", "never"]);
    let off = run_json(&["dedup", p, "--keep-boilerplate", "--progress", "never"]);
    assert_eq!(on["params"]["boilerplate_removal"], true);
    assert_eq!(off["params"]["boilerplate_removal"], false);
    assert!(on["stats"]["boilerplate"]["chrome_lines"].as_u64().unwrap() >= 2);
    assert_eq!(off["stats"]["boilerplate"]["chrome_lines"], 0);
}

#[test]
fn bundled_corpus_scores_at_least_095_pairwise_f1() {
    let corpus = util::testdata().join("corpus");
    let out_dir = Dir::new();
    let report_path = out_dir.path().join("r.json");
    let out = run(&[
        "dedup",
        corpus.to_str().unwrap(),
        "-o",
        report_path.to_str().unwrap(),
        "--progress",
        "never",
    ]);
    assert!(out.status.success());
    let truth = util::testdata().join("truth.jsonl");
    let scores = run_json(&[
        "eval",
        "--truth",
        truth.to_str().unwrap(),
        report_path.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let f1 = scores["pairwise"]["f1"].as_f64().unwrap();
    assert!(f1 >= 0.95, "pairwise F1 {f1} on testdata: {scores}");
}

#[test]
fn eval_reports_scores_for_a_perfect_report() {
    let dir = three_copies_and_a_stranger();
    let report = dir.write(
        "r.json",
        run(&[
            "dedup",
            dir.path().join("alpha").parent().unwrap().to_str().unwrap(),
            "--progress",
            "never",
        ])
        .stdout,
    );
    let truth = dir.write(
        "truth.jsonl",
        "{\"cluster\": \"s\", \"ids\": [\"alpha/story.txt\", \"beta/copy.txt\", \"gamma/cut.md\"]}\n",
    );
    let scores = run_json(&[
        "eval",
        "--truth",
        truth.to_str().unwrap(),
        report.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(scores["pairwise"]["f1"], 1.0);
    assert_eq!(scores["ari"], 1.0);
    assert_eq!(scores["documents"], 4);
}

#[test]
fn completions_and_man_page_are_printed() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = run(&["completions", shell]);
        assert!(out.status.success(), "{shell}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("reprint"),
            "{shell}"
        );
    }
    let man = run(&["man"]);
    assert!(man.status.success());
    let text = String::from_utf8_lossy(&man.stdout);
    assert!(text.contains(".TH reprint 1"), "{text}");
    assert_eq!(run(&["completions", "tcsh"]).status.code(), Some(2));
}

fn explain_json(dir: &Dir, a: &str, b: &str) -> serde_json::Value {
    run_json(&[
        "explain",
        "--corpus",
        dir.path().to_str().unwrap(),
        a,
        b,
        "--format",
        "json",
    ])
}

#[test]
fn explain_gives_the_figure_share_that_keeps_two_template_briefs_apart() {
    // Two days of one weather template, near the threshold, sharing two small figures: the
    // reason names the weighted share it was judged by, figure by figure.
    let dir = Dir::new();
    let brief = |city: &str, day: &str, remark: &str, [low, high, night, wind]: [i32; 4]| {
        format!(
            "Daily Courier\n\nWeather: up to {high} °C in {city} on {day}\n\n\
             Forecasters expect a cloudy day in the {city} region on {day}, with daytime \
             temperatures between {low} and {high} degrees Celsius. Overnight temperatures will \
             drop to {night} degrees. Wind will reach speeds of up to {wind} kilometres per hour, \
             and the probability of precipitation is 95 percent.\n{remark}\n"
        )
    };
    dir.write(
        "a/lorcor.txt",
        brief(
            "Lorcor",
            "Monday",
            "Schools in the north of the county will open late after the storm brought down \
             power lines near the bypass, the council said.",
            [-8, -4, -16, 33],
        ),
    );
    dir.write(
        "b/exeter.txt",
        brief(
            "Exeter",
            "Tuesday",
            "Ferry crossings to the islands should keep their usual timetable, although \
             harbour staff will watch the swell closely.",
            [-6, -4, -15, 91],
        ),
    );
    let e = explain_json(&dir, "a/lorcor.txt", "b/exeter.txt");
    assert_eq!(e["figures_differ"], true, "{e}");
    let share = e["figure_share"].as_f64().unwrap();
    assert!(share < 0.5, "{e}");
    let reason = e["reason"].as_str().unwrap();
    assert!(reason.contains("figure by figure"), "{reason}");
    assert!(reason.contains(&format!("{share:.2}")), "{reason}");
}

#[test]
fn explain_says_why_a_pair_matches_by_jaccard() {
    let dir = three_copies_and_a_stranger();
    let e = explain_json(&dir, "alpha/story.txt", "beta/copy.txt");
    assert_eq!(e["verdict"], "near-duplicate");
    assert!(e["jaccard_exact"].as_f64().unwrap() > 0.9);
    assert!(e["shared_shingles"].as_u64().unwrap() > 100);
    // The share bar of alpha and the banner lines were left out of the fingerprint.
    let removed: Vec<&str> = e["a"]["boilerplate"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert!(
        removed.iter().any(|l| l.contains("share on facebook")),
        "{removed:?}"
    );
}

#[test]
fn explain_says_why_a_pair_matches_by_containment() {
    let dir = three_copies_and_a_stranger();
    let e = explain_json(&dir, "alpha/story.txt", "gamma/cut.md");
    assert_eq!(e["verdict"], "contained");
    assert!(e["containment_exact"].as_f64().unwrap() > 0.9);
    assert!(e["jaccard_exact"].as_f64().unwrap() < 0.5);
    // The diff shows what the cut copy lacks.
    let lacks = e["diff"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["side"] == "only_a");
    assert!(lacks);
}

#[test]
fn explain_says_why_a_pair_does_not_match() {
    let dir = three_copies_and_a_stranger();
    let e = explain_json(&dir, "alpha/story.txt", "delta/other.txt");
    assert!(e["verdict"].is_null());
    assert!(e["reason"].as_str().unwrap().starts_with("kept apart"));
    let text = run(&[
        "explain",
        "--corpus",
        dir.path().to_str().unwrap(),
        "alpha/story.txt",
        "nope.txt",
    ]);
    assert_eq!(text.status.code(), Some(2));
}

#[test]
fn explain_reads_two_paths_without_a_corpus() {
    let dir = three_copies_and_a_stranger();
    let a = dir.path().join("alpha/story.txt");
    let b = dir.path().join("beta/copy.txt");
    let out = run(&["explain", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("grouped"));
}

#[test]
fn regression_a_story_copied_hundreds_of_times_is_one_cluster() {
    // More copies than an LSH bucket pairs in full (`lsh::BUCKET_ALL_PAIRS_MAX`): each copy is
    // paired with its next few only, and the clusterer used to stop two hops from the
    // representative, splitting one story into clusters of ~33 (the exact-half benchmark).
    let dir = Dir::new();
    let story = prose(7, 250);
    for i in 0..200u64 {
        dir.write(
            &format!("site{i:03}/story.txt"),
            format!("Site {i} Herald\n\n{story}\n\nRead more from site {i}"),
        );
    }
    for i in 0..5u64 {
        dir.write(&format!("other/s{i}.txt"), prose(100 + i, 250));
    }
    let report = run_json(&["dedup", dir.path().to_str().unwrap(), "--progress", "never"]);
    let found = groups(&report);
    assert_eq!(found.len(), 1, "{} clusters", found.len());
    assert_eq!(found[0].len(), 200);
    assert!(found[0].iter().all(|id| id.starts_with("site")));
}
