//! `reprint dedup --method simhash` on the bundled corpus: SimHash finds the near-identical
//! copies (a subset of the true groups), never labels a member "contained", echoes its method,
//! and gives the same bytes for any thread count.

mod util;

use std::collections::BTreeMap;

use util::{groups, run, run_json, testdata};

fn corpus() -> String {
    testdata()
        .join("corpus")
        .to_str()
        .expect("utf-8")
        .to_string()
}

/// The truth file's group of every document id.
fn truth() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(testdata().join("truth.jsonl")).expect("truth");
    let mut out = BTreeMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).expect("truth line");
        let cluster = v["cluster"].as_str().expect("cluster").to_string();
        for id in v["ids"].as_array().expect("ids") {
            out.insert(id.as_str().expect("id").to_string(), cluster.clone());
        }
    }
    out
}

#[test]
fn simhash_groups_are_true_reprints_and_never_contained() {
    let report = run_json(&[
        "dedup",
        &corpus(),
        "--method",
        "simhash",
        "--progress",
        "never",
    ]);
    assert_eq!(report["params"]["method"], "simhash");
    let got = groups(&report);
    assert!(got.len() >= 3, "SimHash found too few groups: {got:?}");
    let truth = truth();
    for g in &got {
        let first = truth.get(&g[0]);
        assert!(first.is_some(), "{} is in no true group", g[0]);
        assert!(
            g.iter().all(|id| truth.get(id) == first),
            "a SimHash group mixes stories: {g:?}"
        );
    }
    for c in report["clusters"].as_array().expect("clusters") {
        for m in c["members"].as_array().expect("members") {
            let kind = m["match"].as_str().expect("match");
            assert!(
                kind == "representative" || kind == "near-duplicate",
                "{kind} under simhash: {m}"
            );
        }
    }
}

#[test]
fn simhash_output_is_identical_for_any_thread_count() {
    let one = run(&[
        "dedup",
        &corpus(),
        "--method",
        "simhash",
        "-j1",
        "--progress",
        "never",
    ]);
    let two = run(&[
        "dedup",
        &corpus(),
        "--method",
        "simhash",
        "-j2",
        "--progress",
        "never",
    ]);
    assert!(one.status.success() && two.status.success());
    assert_eq!(one.stdout, two.stdout);
}

#[test]
fn unknown_method_is_exit_2() {
    let out = run(&["dedup", &corpus(), "--method", "lsh-forest"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--method"));
}
