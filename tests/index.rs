//! The persistent index across nightly runs: three nights with stable ids, a merge and gates;
//! a kill -9 at every step of a save; the lock; refusing other parameters, newer formats and
//! damaged files without changing anything; retention and statistics; translations that join
//! their original's cluster on a later night; indexes in the formats before translations and
//! before date sources.

mod util;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use util::{prose, reprint, run, Dir};

/// `words` words of `text` starting at word `from`.
fn words(text: &str, from: usize, n: usize) -> String {
    text.split_whitespace()
        .skip(from)
        .take(n)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A reprint of `story` under a site's banner and footer, with one word edited.
fn reprint_of(site: &str, story: &str) -> String {
    format!(
        "{site} - news\n\n{}\n\nShare this article | Subscribe to {site}",
        story.replacen("council", "Council", 1)
    )
}

/// `reprint dedup NIGHT --index STATE --progress never`, ready for more arguments.
fn dedup_cmd(night: &Path, state: &Path) -> std::process::Command {
    let mut cmd = reprint();
    cmd.arg("dedup")
        .arg(night)
        .arg("--index")
        .arg(state)
        .args(["--progress", "never"]);
    cmd
}

/// Runs `reprint dedup NIGHT --index STATE --progress never` with `extra` flags; returns
/// (exit code, parsed report, stderr).
fn night(night: &Path, state: &Path, extra: &[&str]) -> (i32, serde_json::Value, String) {
    let out = dedup_cmd(night, state)
        .args(extra)
        .output()
        .expect("run reprint");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("no JSON report ({e}); stderr: {stderr}"));
    (out.status.code().unwrap_or(-1), report, stderr)
}

/// The outcome entry of article `id`.
fn article<'a>(report: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    report["index"]["articles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id)
        .unwrap_or_else(|| panic!("no article {id} in {}", report["index"]))
}

fn stats(state: &Path) -> serde_json::Value {
    let out = run(&[
        "index",
        "stats",
        state.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(
        out.status.success(),
        "index stats failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The stories of the three nights.
struct Stories {
    a: String,
    b: String,
    full: String,
    g: String,
}

fn stories() -> Stories {
    Stories {
        a: prose(11, 300),
        b: prose(12, 300),
        full: prose(13, 420),
        g: prose(14, 300),
    }
}

/// Night 1: story A twice, B once, the first half of F twice and its second half twice.
fn night_one(s: &Stories) -> Dir {
    let d = Dir::new();
    d.write("alpha/a.txt", reprint_of("Alpha", &s.a));
    d.write("beta/a.txt", reprint_of("Beta", &s.a));
    d.write("gamma/b.txt", reprint_of("Gamma", &s.b));
    let first = words(&s.full, 0, 210);
    let second = words(&s.full, 210, 210);
    d.write("alpha/f-first.txt", reprint_of("Alpha", &first));
    d.write("beta/f-first.txt", reprint_of("Beta", &first));
    d.write("gamma/f-second.txt", reprint_of("Gamma", &second));
    d.write("delta/f-second.txt", reprint_of("Delta", &second));
    d
}

#[test]
fn three_nights_keep_ids_merge_under_the_oldest_and_gate() {
    let s = stories();
    let state = Dir::new();
    let st = state.path().join("state");

    // Night 1: the first night equals a batch run.
    let n1 = night_one(&s);
    let (code, r1, _) = night(n1.path(), &st, &[]);
    assert_eq!(code, 0);
    let batch = util::run_json(&["dedup", n1.path().to_str().unwrap(), "--progress", "never"]);
    assert_eq!(util::groups(&r1), util::groups(&batch));
    assert_eq!(r1["index"]["documents_before"], 0);
    assert_eq!(r1["index"]["documents_after"], 7);
    let id_a = article(&r1, "alpha/a.txt")["cluster"].as_u64().unwrap();
    let id_first = article(&r1, "alpha/f-first.txt")["cluster"]
        .as_u64()
        .unwrap();
    let id_second = article(&r1, "gamma/f-second.txt")["cluster"]
        .as_u64()
        .unwrap();
    assert_eq!(article(&r1, "beta/a.txt")["cluster"], id_a);
    assert_eq!(article(&r1, "gamma/b.txt")["outcome"], "unique");
    let ids = [id_a, id_first, id_second];
    assert_eq!(
        ids.iter().collect::<std::collections::BTreeSet<_>>().len(),
        3,
        "{ids:?}"
    );

    // Night 2: A again joins its cluster; B's second copy starts a cluster with the earlier
    // single; G twice is a new cluster; a gate on the ratio trips but the night is saved.
    let n2 = Dir::new();
    n2.write("epsilon/a.txt", reprint_of("Epsilon", &s.a));
    n2.write("zeta/b.txt", reprint_of("Zeta", &s.b));
    n2.write("eta/g.txt", reprint_of("Eta", &s.g));
    n2.write("theta/g.txt", reprint_of("Theta", &s.g));
    n2.write("iota/lonely.txt", prose(15, 300));
    let remove = state.path().join("remove.txt");
    let keep = state.path().join("keep.txt");
    let (code, r2, stderr) = night(
        n2.path(),
        &st,
        &[
            "--max-duplicate-ratio",
            "0.3",
            "--emit-remove",
            remove.to_str().unwrap(),
            "--emit-keep",
            keep.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 1, "the ratio gate must trip: {stderr}");
    let gate_lines: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("gate tripped"))
        .collect();
    assert_eq!(gate_lines.len(), 1, "{stderr}");
    assert!(gate_lines[0].contains("--max-duplicate-ratio"));
    let joined = article(&r2, "epsilon/a.txt");
    assert_eq!(joined["outcome"], "joined");
    assert_eq!(joined["cluster"], id_a);
    let b = article(&r2, "zeta/b.txt");
    assert_eq!(b["outcome"], "new-cluster");
    let id_b = b["cluster"].as_u64().unwrap();
    assert!(id_b > *ids.iter().max().unwrap(), "new ids only grow");
    let g = article(&r2, "eta/g.txt");
    assert_eq!(g["outcome"], "new-cluster");
    assert_eq!(article(&r2, "theta/g.txt")["cluster"], g["cluster"]);
    assert_ne!(g["cluster"], b["cluster"]);
    assert_eq!(article(&r2, "iota/lonely.txt")["outcome"], "unique");
    // The earlier single document is in the new cluster, marked as not new.
    let cluster_b = r2["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id_b)
        .unwrap();
    let old_member = cluster_b["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "gamma/b.txt")
        .unwrap();
    assert_eq!(old_member["new"], false);
    // Keep and remove split the five new documents.
    let kept = std::fs::read_to_string(&keep).unwrap();
    let removed = std::fs::read_to_string(&remove).unwrap();
    assert_eq!(kept.lines().count() + removed.lines().count(), 5);
    assert!(removed.lines().any(|l| l == "epsilon/a.txt"));
    assert!(kept.lines().any(|l| l == "iota/lonely.txt"));
    assert_eq!(
        removed.lines().count() as u64,
        r2["stats"]["duplicates"].as_u64().unwrap()
    );
    assert_eq!(stats(&st)["documents"], 12);

    // Night 3: the full text of F unites the two halves' clusters under the older id and
    // becomes their representative; another copy of A trips --fail-on-duplicates.
    let n3 = Dir::new();
    n3.write("kappa/f-full.txt", reprint_of("Kappa", &s.full));
    n3.write("lambda/a.txt", reprint_of("Lambda", &s.a));
    let (code, r3, stderr) = night(n3.path(), &st, &["--fail-on-duplicates"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("--fail-on-duplicates"), "{stderr}");
    let older = id_first.min(id_second);
    let younger = id_first.max(id_second);
    assert_eq!(
        r3["index"]["merges"],
        serde_json::json!([{ "into": older, "from": [younger] }])
    );
    let full = article(&r3, "kappa/f-full.txt");
    assert_eq!(full["outcome"], "joined");
    assert_eq!(full["cluster"], older);
    assert_eq!(full["representative"], "kappa/f-full.txt");
    let changes = r3["index"]["representative_changes"].as_array().unwrap();
    assert!(changes
        .iter()
        .any(|c| c["cluster"] == older && c["to"] == "kappa/f-full.txt"));
    assert_eq!(article(&r3, "lambda/a.txt")["cluster"], id_a);
    let merged = r3["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == older)
        .unwrap();
    assert_eq!(merged["size"], 5);

    // Running a night again adds nothing: every article is already in the index.
    let (code, again, _) = night(n3.path(), &st, &["--fail-on-duplicates"]);
    assert_eq!(code, 0);
    assert_eq!(again["stats"]["documents"], 0);
    assert_eq!(again["stats"]["skipped"], 2);
    let st_stats = stats(&st);
    assert_eq!(st_stats["documents"], 14);
    assert_eq!(st_stats["saves"], 4);
}

/// Every file of a directory with its bytes, to prove nothing changed.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().is_some_and(|n| n != "lock"))
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    out.sort();
    out
}

fn one_line_exit_2(out: &std::process::Output, needle: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains(needle),
        "{stderr:?} should mention {needle:?}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn other_parameters_newer_formats_and_damage_are_refused_without_change() {
    let s = stories();
    let state = Dir::new();
    let st = indexed_night_one(&s, &state, "state");
    let before = snapshot(&st);
    let n2 = Dir::new();
    n2.write("x/a.txt", reprint_of("X", &s.a));
    let dedup = |extra: &[&str]| dedup_cmd(n2.path(), &st).args(extra).output().unwrap();
    // (flags, what the error must name)
    let cases: [(&[&str], &str); 4] = [
        (
            &["--num-perm", "64"],
            "num_perm is 128 in the index but 64 in this run",
        ),
        (&["--shingle", "word:3"], "shingle"),
        (&["--seed", "5"], "seed"),
        (&["--keep-boilerplate"], "boilerplate_removal"),
    ];
    for (flags, needle) in cases {
        one_line_exit_2(&dedup(flags), needle);
        assert_eq!(snapshot(&st), before, "{flags:?} changed the index");
    }

    // A newer format: the version field follows the 8-byte magic.
    let manifest = st.join("MANIFEST");
    let good = std::fs::read(&manifest).unwrap();
    let mut newer = good.clone();
    newer[8..12].copy_from_slice(&99u32.to_le_bytes());
    std::fs::write(&manifest, &newer).unwrap();
    one_line_exit_2(&dedup(&[]), "index format version 99 is newer");
    one_line_exit_2(&run(&["index", "stats", st.to_str().unwrap()]), "is newer");
    std::fs::write(&manifest, &good).unwrap();

    // A damaged segment: one flipped byte in the middle.
    let segment = before
        .iter()
        .map(|(p, _)| p)
        .find(|p| p.extension().is_some_and(|e| e == "rps"))
        .unwrap()
        .clone();
    let mut bytes = std::fs::read(&segment).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x10;
    std::fs::write(&segment, &bytes).unwrap();
    one_line_exit_2(&dedup(&[]), "damaged");
    bytes[mid] ^= 0x10;
    std::fs::write(&segment, &bytes).unwrap();
    assert_eq!(snapshot(&st), before);

    // Not an index at all.
    let empty = Dir::new();
    one_line_exit_2(
        &run(&["index", "stats", empty.path().to_str().unwrap()]),
        "no index here",
    );
}

/// Waits until `cond` holds, polling; false after `limit`.
fn wait_for(limit: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if cond() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    false
}

fn names(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

/// Night one indexed into `dir/name`; returns the state directory.
fn indexed_night_one(s: &Stories, dir: &Dir, name: &str) -> PathBuf {
    let n1 = night_one(s);
    let st = dir.path().join(name);
    let (code, _, _) = night(n1.path(), &st, &[]);
    assert_eq!(code, 0);
    st
}

/// A second night: one more copy of A and two copies of G.
fn night_two(s: &Stories) -> Dir {
    let n2 = Dir::new();
    n2.write("x/a.txt", reprint_of("X", &s.a));
    n2.write("y/g.txt", reprint_of("Y", &s.g));
    n2.write("z/g.txt", reprint_of("Z", &s.g));
    n2
}

/// Starts a night against `state` that pauses `pause_ms` at each step of its save.
fn spawn_paused(night: &Path, state: &Path, pause_ms: &str) -> std::process::Child {
    dedup_cmd(night, state)
        .env("REPRINT_FAULT_SAVE_PAUSE_MS", pause_ms)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn kill_during_save_leaves_the_old_or_the_new_state() {
    let s = stories();
    let work = Dir::new();
    let base = indexed_night_one(&s, &work, "base");
    let n2 = night_two(&s);

    // Each phase of a save, told apart by the files in the directory. The fault pause makes
    // the process wait before each rename and after the segment is durable.
    let tmp_present = |d: &Path| names(d).iter().any(|n| n.ends_with(".tmp"));
    let new_segment = |d: &Path| names(d).iter().any(|n| n == "seg-0000000002.rps");
    type Phase = (&'static str, Box<dyn Fn(&Path) -> bool>);
    let phases: Vec<Phase> = vec![
        ("before the save", Box::new(|_: &Path| true)),
        (
            "segment written, not renamed",
            Box::new(move |d: &Path| tmp_present(d)),
        ),
        (
            "segment renamed, manifest not written",
            Box::new(move |d: &Path| new_segment(d)),
        ),
        (
            "manifest written, not renamed",
            Box::new(move |d: &Path| new_segment(d) && tmp_present(d)),
        ),
    ];
    for (i, (phase, reached)) in phases.iter().enumerate() {
        let st = work.path().join(format!("state-{i}"));
        copy_dir(&base, &st);
        let mut child = spawn_paused(n2.path(), &st, "400");
        assert!(
            wait_for(Duration::from_secs(20), || reached(&st)),
            "never reached {phase}"
        );
        child.kill().unwrap();
        child.wait().unwrap();
        // The index opens and holds the old state: the new one was never complete.
        assert_eq!(stats(&st)["documents"], 7, "after a kill {phase}");
        // The next run completes and leaves no orphan behind.
        let (code, r, _) = night(n2.path(), &st, &[]);
        assert_eq!(code, 0, "{phase}");
        assert_eq!(r["index"]["documents_after"], 10);
        assert_eq!(stats(&st)["documents"], 10);
        let mut left = names(&st);
        left.sort();
        assert_eq!(
            left,
            vec![
                "MANIFEST",
                "lock",
                "seg-0000000001.rps",
                "seg-0000000002.rps"
            ],
            "{phase}"
        );
    }

    // A kill after the manifest's rename keeps the new state.
    let st = work.path().join("state-done");
    copy_dir(&base, &st);
    let mut child = spawn_paused(n2.path(), &st, "400");
    let manifest_before = std::fs::read(base.join("MANIFEST")).unwrap();
    assert!(wait_for(Duration::from_secs(20), || {
        std::fs::read(st.join("MANIFEST")).is_ok_and(|m| m != manifest_before)
    }));
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(stats(&st)["documents"], 10);
}

#[test]
fn a_second_run_on_a_locked_index_fails_at_once() {
    let s = stories();
    let n1 = night_one(&s);
    let work = Dir::new();
    let st = work.path().join("state");
    let mut first = spawn_paused(n1.path(), &st, "1500");
    // The first run holds the lock from opening to the end of its save.
    assert!(wait_for(Duration::from_secs(20), || names(&st)
        .iter()
        .any(|n| n.ends_with(".tmp"))));
    let started = Instant::now();
    let second = dedup_cmd(n1.path(), &st).output().unwrap();
    one_line_exit_2(&second, "in use by another reprint run");
    assert!(
        started.elapsed() < Duration::from_millis(1400),
        "the second run waited for the lock instead of failing at once"
    );
    assert!(first.wait().unwrap().success());
    // Once the first is done, the index is free again.
    let (code, r, _) = night(n1.path(), &st, &[]);
    assert_eq!(code, 0);
    assert_eq!(r["stats"]["skipped"], 7);
}

#[test]
fn prune_drops_old_documents_and_dissolves_their_clusters() {
    let s = stories();
    let d = Dir::new();
    // Dated JSON Lines: story A three times, one of them long ago.
    let line = |id: &str, date: &str, text: &str| {
        serde_json::json!({ "id": id, "source": id, "date": date, "text": text }).to_string()
    };
    // "Now" is the real clock: a date in the future is not credible and would give way to the
    // file's modification time.
    let now = &reprint::corpus::date::format(reprint::corpus::date::now_seconds());
    let lines = [
        line("old-a", "2001-01-01", &reprint_of("Old", &s.a)),
        line("new-a1", now, &reprint_of("One", &s.a)),
        line("new-a2", now, &reprint_of("Two", &s.a)),
        line("old-b1", "2001-01-01", &reprint_of("Old", &s.b)),
        line("new-b2", now, &reprint_of("New", &s.b)),
    ];
    d.write("scrape.jsonl", lines.join("\n"));
    let st = d.path().join("state");
    let (code, r, _) = night(&d.path().join("scrape.jsonl"), &st, &[]);
    assert_eq!(code, 0);
    assert_eq!(r["index"]["clusters_after"], 2);
    let before = stats(&st);
    assert_eq!(before["oldest"], "2001-01-01T00:00:00Z");

    let out = run(&[
        "index",
        "prune",
        st.to_str().unwrap(),
        "--older-than",
        "30d",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after = stats(&st);
    assert_eq!(after["documents"], 3);
    // B lost a member and dissolved; A kept two and its id.
    assert_eq!(after["clusters"], 1);
    assert_eq!(after["oldest"], now.as_str());
    assert!(after["bytes_on_disk"].as_u64().unwrap() < before["bytes_on_disk"].as_u64().unwrap());

    // Bad ages are one-line errors.
    one_line_exit_2(
        &run(&[
            "index",
            "prune",
            st.to_str().unwrap(),
            "--older-than",
            "soon",
        ]),
        "not an age",
    );
}

#[test]
fn jsonl_and_emit_lists_cover_every_document_of_a_batch_run() {
    let corpus = util::testdata();
    let work = Dir::new();
    let keep = work.path().join("keep.txt");
    let remove = work.path().join("remove.txt");
    let out = run(&[
        "dedup",
        corpus.to_str().unwrap(),
        "--progress",
        "never",
        "--format",
        "jsonl",
        "--emit-keep",
        keep.to_str().unwrap(),
        "--emit-remove",
        remove.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let report = util::run_json(&["dedup", corpus.to_str().unwrap(), "--progress", "never"]);
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        lines.len() as u64,
        report["stats"]["documents"].as_u64().unwrap()
    );
    let keep = std::fs::read_to_string(keep).unwrap();
    let remove = std::fs::read_to_string(remove).unwrap();
    assert_eq!(
        remove.lines().count() as u64,
        report["stats"]["duplicates"].as_u64().unwrap()
    );
    assert_eq!(keep.lines().count() + remove.lines().count(), lines.len());
    for line in &lines {
        let id = line["id"].as_str().unwrap();
        let dropped = remove.lines().any(|l| l == id);
        let kind = line["match"].as_str();
        assert_eq!(
            dropped,
            matches!(kind, Some("near-duplicate" | "contained" | "translation")),
            "{id}"
        );
    }
    // No gate, no trip: a corpus with reprints passes unless asked.
    let gated = run(&[
        "dedup",
        corpus.to_str().unwrap(),
        "--progress",
        "never",
        "--max-duplicate-ratio",
        "0.9",
    ]);
    assert_eq!(gated.status.code(), Some(0));
    one_line_exit_2(
        &run(&[
            "dedup",
            corpus.to_str().unwrap(),
            "--max-duplicate-ratio",
            "1.5",
        ]),
        "not a ratio",
    );
}

#[test]
fn a_night_is_byte_identical_for_any_thread_count() {
    let s = stories();
    let work = Dir::new();
    let base = indexed_night_one(&s, &work, "base");
    let n2 = night_two(&s);
    n2.write("w/full.txt", reprint_of("W", &s.full));
    n2.write("v/harbour.txt", reprint_of("V", HARBOUR_EN));
    n2.write("u/port.txt", reprint_of("U", HARBOUR_FR));
    let mut reports = Vec::new();
    for threads in ["1", "2", "3"] {
        let st = work.path().join(format!("state-{threads}"));
        copy_dir(&base, &st);
        let out = dedup_cmd(n2.path(), &st)
            .args(["-j", threads])
            .output()
            .unwrap();
        assert!(out.status.success());
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(report["stats"]["translation_pairs"], 1);
        // The state directory's path differs; everything else must not.
        let text = String::from_utf8(out.stdout)
            .unwrap()
            .replace(st.to_str().unwrap(), "STATE");
        reports.push(text);
    }
    assert_eq!(reports[0], reports[1]);
    assert_eq!(reports[0], reports[2]);
}

/// An invented story in English (written for these tests): names, places and figures that a
/// translation keeps.
const HARBOUR_EN: &str = "\
Harbour authority in Valmont approves 12,500-berth expansion

The Valmont Harbour Authority on Tuesday approved a plan to expand the port of Valmont by \
12,500 berths, its chairwoman Ingrid Sørlie told reporters in Kessler Hall. The project, led \
by the engineering firm Brantwood & Osei, is expected to cost 480 million euros and to be \
finished in 2031.

Sørlie said container traffic through Valmont rose by 9.3% last year, to 2.7 million \
containers, while the neighbouring port of Dunmore lost 4.1% of its traffic. Mayor Tomasz \
Wierzbicki welcomed the decision and said the city would add 1,850 jobs.

Environmental groups led by Greta Lindqvist of the Coastal Trust warned that the works would \
threaten 340 hectares of salt marsh near the Orla estuary. The authority promised to plant \
60,000 trees in compensation. Construction begins on 14 March, the authority said.
";

/// The same story in French (its translation, written for these tests).
const HARBOUR_FR: &str = "\
L'autorité portuaire de Valmont approuve une extension de 12 500 postes

L'autorité portuaire de Valmont a approuvé mardi un projet visant à agrandir le port de \
Valmont de 12 500 postes d'amarrage, a déclaré sa présidente Ingrid Sørlie aux journalistes à \
Kessler Hall. Le projet, dirigé par le cabinet d'ingénierie Brantwood & Osei, devrait coûter \
480 millions d'euros et être achevé en 2031.

Selon Sørlie, le trafic de conteneurs à Valmont a augmenté de 9,3 % l'an dernier, pour \
atteindre 2,7 millions de conteneurs, tandis que le port voisin de Dunmore a perdu 4,1 % de \
son trafic. Le maire Tomasz Wierzbicki a salué la décision et a indiqué que la ville créerait \
1 850 emplois.

Les associations écologistes menées par Greta Lindqvist du Coastal Trust ont averti que les \
travaux menaceraient 340 hectares de marais salants près de l'estuaire de l'Orla. L'autorité \
a promis de planter 60 000 arbres en compensation. Les travaux commenceront le 14 mars, a \
précisé l'autorité.
";

/// The member `id` of the report's cluster `cluster`.
fn member<'a>(report: &'a serde_json::Value, cluster: u64, id: &str) -> &'a serde_json::Value {
    report["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == cluster)
        .unwrap_or_else(|| panic!("no cluster {cluster} in {}", report["clusters"]))["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == id)
        .unwrap_or_else(|| panic!("no member {id} in cluster {cluster}"))
}

/// Night 1 of the translation tests: the English story on two sites.
fn english_night() -> Dir {
    let d = Dir::new();
    d.write("alpha/harbour.txt", reprint_of("Alpha", HARBOUR_EN));
    d.write("beta/harbour.txt", reprint_of("Beta", HARBOUR_EN));
    d
}

#[test]
fn a_translation_joins_its_originals_cluster_on_a_later_night() {
    let work = Dir::new();
    let st = work.path().join("state");
    let n1 = english_night();
    let (code, r1, stderr) = night(n1.path(), &st, &[]);
    assert_eq!(code, 0, "{stderr}");
    let id = article(&r1, "alpha/harbour.txt")["cluster"]
        .as_u64()
        .unwrap();
    assert_eq!(article(&r1, "beta/harbour.txt")["cluster"], id);
    assert_eq!(member(&r1, id, "beta/harbour.txt")["lang"], "en");
    assert_eq!(r1["stats"]["translation_pairs"], 0);

    // Night 2: the French translation joins night 1's cluster, which keeps its id and its
    // representative.
    let n2 = Dir::new();
    n2.write("gamma/port.txt", reprint_of("Gamma", HARBOUR_FR));
    let (code, r2, stderr) = night(n2.path(), &st, &[]);
    assert_eq!(code, 0, "{stderr}");
    let fr = article(&r2, "gamma/port.txt");
    assert_eq!(fr["outcome"], "joined");
    assert_eq!(fr["cluster"], id);
    assert_eq!(fr["representative"], "alpha/harbour.txt");
    assert_eq!(fr["duplicate"], true);
    let m = member(&r2, id, "gamma/port.txt");
    assert_eq!(m["match"], "translation");
    assert_eq!(m["lang"], "fr");
    assert_eq!(m["new"], true);
    assert!(m["similarity"].as_f64().unwrap() >= 0.4, "{m}");
    assert!(m["containment"].as_f64().unwrap() > 0.5, "{m}");
    assert_eq!(
        member(&r2, id, "alpha/harbour.txt")["match"],
        "representative"
    );
    assert_eq!(member(&r2, id, "beta/harbour.txt")["lang"], "en");
    assert_eq!(r2["stats"]["translation_pairs"], 2, "{}", r2["stats"]);
    assert!(r2["stats"]["translation_candidates"].as_u64().unwrap() >= 2);
    assert_eq!(r2["index"]["clusters_after"], 1);
    assert!(r2["index"]["merges"].as_array().unwrap().is_empty());

    // With translations off, the index's parameters differ: one line, exit 2, no change.
    let before = snapshot(&st);
    let n3 = Dir::new();
    n3.write("delta/harbour.txt", reprint_of("Delta", HARBOUR_EN));
    one_line_exit_2(
        &dedup_cmd(n3.path(), &st)
            .args(["--translations", "off"])
            .output()
            .unwrap(),
        "translations is true in the index but false in this run",
    );
    assert_eq!(snapshot(&st), before);
}

#[test]
fn a_reprint_joins_a_story_led_by_its_translation() {
    // Night 1 holds the English story and its (longer) French translation: one story, as a
    // batch run makes it, led by the French text.
    let work = Dir::new();
    let st = work.path().join("state");
    let n1 = Dir::new();
    n1.write("alpha/harbour.txt", reprint_of("Alpha", HARBOUR_EN));
    n1.write("gamma/port.txt", reprint_of("Gamma", HARBOUR_FR));
    n1.write("iota/other.txt", prose(21, 300));
    let (code, r1, stderr) = night(n1.path(), &st, &[]);
    assert_eq!(code, 0, "{stderr}");
    let batch = util::run_json(&["dedup", n1.path().to_str().unwrap(), "--progress", "never"]);
    assert_eq!(util::groups(&r1), util::groups(&batch));
    assert_eq!(r1["clusters"][0]["members"], {
        let mut members = batch["clusters"][0]["members"].clone();
        for m in members.as_array_mut().unwrap() {
            m["new"] = true.into();
        }
        members
    });
    let id = article(&r1, "alpha/harbour.txt")["cluster"]
        .as_u64()
        .unwrap();
    assert_eq!(article(&r1, "gamma/port.txt")["cluster"], id);
    assert_eq!(
        article(&r1, "alpha/harbour.txt")["representative"],
        "gamma/port.txt"
    );
    assert_eq!(r1["stats"]["translation_pairs"], 1);

    // Night 2: another English copy verifies against the English member, not the French
    // representative, and joins the story.
    let n2 = Dir::new();
    n2.write("delta/harbour.txt", reprint_of("Delta", HARBOUR_EN));
    let (code, r2, stderr) = night(n2.path(), &st, &[]);
    assert_eq!(code, 0, "{stderr}");
    let en = article(&r2, "delta/harbour.txt");
    assert_eq!(en["outcome"], "joined");
    assert_eq!(en["cluster"], id);
    assert_eq!(member(&r2, id, "delta/harbour.txt")["match"], "translation");
    assert_eq!(member(&r2, id, "delta/harbour.txt")["lang"], "en");
}

/// Rewrites an index written in the current format (5) as an earlier reprint wrote it, in
/// format `version`: 3 without each document's quoted lanes (the 16 bytes after its signature)
/// and date source (the byte after its date); 1 also
/// (for an index built with `--translations off`) without the `translations` parameter, each
/// document's sketch (an empty language code and no anchors) and the manifest's frequent
/// shingles (format version 3).
fn to_format(state: &Path, version: u32) {
    assert!(version == 1 || version == 3, "{version}");
    fn u32_at(b: &[u8], at: usize) -> usize {
        u32::from_le_bytes(b[at..at + 4].try_into().unwrap()) as usize
    }
    fn u64_at(b: &[u8], at: usize) -> usize {
        u64::from_le_bytes(b[at..at + 8].try_into().unwrap()) as usize
    }
    for (path, bytes) in snapshot(state) {
        assert_eq!(u32_at(&bytes, 8), 5, "{}", path.display());
        let json_len = u64_at(&bytes, 12);
        let json = &bytes[20..20 + json_len];
        let mut params: serde_json::Value = serde_json::from_slice(json).unwrap();
        if version == 1 {
            assert_eq!(params["translations"], false);
            params.as_object_mut().unwrap().remove("translations");
        }
        let at = 20 + json_len;
        let body_len = u64_at(&bytes, at);
        let mut body = bytes[at + 8..at + 8 + body_len].to_vec();
        if path.extension().is_some_and(|e| e == "rps") {
            // id, source, date, date source; added, length, shingles, figures, signature; the
            // quoted lanes; then the sketch.
            let mut out = body[..8].to_vec();
            let mut p = 8;
            for _ in 0..u64_at(&body, 0) {
                let start = p;
                p += 8 + u64_at(&body, p);
                p += 8 + u64_at(&body, p);
                p += 8;
                out.extend_from_slice(&body[start..p]);
                assert!(body[p] <= 5, "a date source");
                p += 1;
                let start = p;
                p += 8 * 3;
                p += 4 + 8 * u32_at(&body, p);
                p += 4 + 4 * u32_at(&body, p);
                out.extend_from_slice(&body[start..p]);
                p += 16;
                let start = p;
                p += 2;
                p += 4 + 4 * u32_at(&body, p);
                if version == 1 {
                    assert_eq!(body[start..p], [0; 6], "an index without translations");
                } else {
                    out.extend_from_slice(&body[start..p]);
                }
            }
            assert_eq!(p, body.len());
            body = out;
        } else if version == 1 {
            // The manifest's frequent shingles (format version 3): none in a night this small.
            assert_eq!(body[body.len() - 8..], [0; 8], "no frequent shingles");
            body.truncate(body.len() - 8);
        }
        let mut file = bytes[..8].to_vec();
        file.extend_from_slice(&version.to_le_bytes());
        let json = params.to_string();
        file.extend_from_slice(&(json.len() as u64).to_le_bytes());
        file.extend_from_slice(json.as_bytes());
        file.extend_from_slice(&(body.len() as u64).to_le_bytes());
        file.extend_from_slice(&body);
        let sum = xxhash_rust::xxh3::xxh3_64(&file);
        file.extend_from_slice(&sum.to_le_bytes());
        std::fs::write(&path, file).unwrap();
    }
}

/// The format version of each file of an index, by name.
fn file_versions(state: &Path) -> Vec<(String, u32)> {
    snapshot(state)
        .into_iter()
        .map(|(p, b)| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, u32::from_le_bytes(b[8..12].try_into().unwrap()))
        })
        .collect()
}

/// Each article's outcome and cluster in a night's report.
fn decisions(report: &serde_json::Value) -> Vec<(String, String, serde_json::Value)> {
    let mut out: Vec<_> = report["index"]["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["id"].as_str().unwrap().to_string(),
                a["outcome"].as_str().unwrap().to_string(),
                a["cluster"].clone(),
            )
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// An index written before date sources (format version 3) goes on: its segments are read as
/// they are, each night adds a segment in the current format beside them, and the nights
/// decide as on the same index written in the current format throughout; a prune rewrites it
/// whole in the current format.
#[test]
fn an_index_from_before_date_sources_goes_on_with_segments_of_both_formats() {
    let s = stories();
    let work = Dir::new();
    let current = indexed_night_one(&s, &work, "current");
    let old = work.path().join("old");
    copy_dir(&current, &old);
    to_format(&old, 3);
    assert_eq!(stats(&old)["format_version"], 3);
    assert_eq!(stats(&old)["documents"], 7);

    // Night 2 adds a copy of A and a new story; night 3 the whole of F, which unites the
    // clusters of its halves (members read again from the old segment).
    let n2 = night_two(&s);
    let n3 = Dir::new();
    n3.write("w/full.txt", reprint_of("W", &s.full));
    n3.write("v/b.txt", reprint_of("V", &s.b));
    for n in [&n2, &n3] {
        let (code, want, stderr) = night(n.path(), &current, &[]);
        assert_eq!(code, 0, "{stderr}");
        let (code, got, stderr) = night(n.path(), &old, &[]);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(decisions(&got), decisions(&want));
        assert_eq!(util::groups(&got), util::groups(&want));
        assert!(!util::groups(&got).is_empty());
    }
    let after = stats(&old);
    assert_eq!(after["format_version"], 5);
    assert_eq!(after["documents"], stats(&current)["documents"]);
    assert_eq!(after["clusters"], stats(&current)["clusters"]);
    let versions = file_versions(&old);
    let segments: Vec<u32> = versions
        .iter()
        .filter(|(n, _)| n.ends_with(".rps"))
        .map(|&(_, v)| v)
        .collect();
    assert_eq!(segments, [3, 5, 5], "{versions:?}");

    // A prune that keeps every document rewrites them as one segment of the current format.
    let out = run(&[
        "index",
        "prune",
        old.to_str().unwrap(),
        "--older-than",
        "36500d",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stats(&old)["documents"], after["documents"]);
    assert!(file_versions(&old).iter().all(|&(_, v)| v == 5));
}

#[test]
fn an_index_from_before_translations_is_refused_with_what_to_do_or_used_without_them() {
    let work = Dir::new();
    let st = work.path().join("state");
    let (code, r1, stderr) = night(english_night().path(), &st, &["--translations", "off"]);
    assert_eq!(code, 0, "{stderr}");
    let id = article(&r1, "alpha/harbour.txt")["cluster"]
        .as_u64()
        .unwrap();
    to_format(&st, 1);
    assert_eq!(stats(&st)["format_version"], 1);
    assert_eq!(stats(&st)["documents"], 2);
    let before = snapshot(&st);

    // A run with translations on (the default): one line naming the problem and the ways on.
    let n2 = Dir::new();
    n2.write("gamma/port.txt", reprint_of("Gamma", HARBOUR_FR));
    n2.write("delta/harbour.txt", reprint_of("Delta", HARBOUR_EN));
    let out = dedup_cmd(n2.path(), &st).output().unwrap();
    one_line_exit_2(&out, "format version 1");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("MANIFEST"), "{stderr}");
    assert!(stderr.contains("--translations off"), "{stderr}");
    assert!(stderr.contains("new state directory"), "{stderr}");
    assert_eq!(snapshot(&st), before, "a refused run changed the index");

    // With translations off it goes on: the old documents match, and the save is in the
    // current format.
    let (code, r2, stderr) = night(n2.path(), &st, &["--translations", "off"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(article(&r2, "delta/harbour.txt")["outcome"], "joined");
    assert_eq!(article(&r2, "delta/harbour.txt")["cluster"], id);
    assert_eq!(article(&r2, "gamma/port.txt")["outcome"], "unique");
    let after = stats(&st);
    assert_eq!(after["format_version"], 5);
    assert_eq!(after["documents"], 4);
    assert_eq!(after["params"]["translations"], false);
}

/// The nights of the subset test: many stories over four nights (so four segments), each
/// night with reprints of its own stories and of earlier nights', halves of a long story on
/// two nights, the English harbour story, and documents that match nothing.
fn subset_nights(dir: &Dir, extra: &[&str]) -> (PathBuf, Dir) {
    let st = dir.path().join(format!("base{}", extra.join("")));
    let story = |k: u64| prose(100 + k, 260);
    let long = prose(99, 440);
    for n in 0..4u64 {
        let d = Dir::new();
        for k in 0..12u64 {
            let s = story(n * 12 + k);
            // One copy a story, two for every third, three for every fifth.
            let copies = 1 + usize::from(k % 3 == 0) + usize::from(k % 5 == 0);
            for c in 0..copies {
                d.write(
                    &format!("n{n}s{c}/story-{k}.txt"),
                    reprint_of(&format!("N{n}S{c}"), &s),
                );
            }
        }
        if n > 0 {
            // A copy of a story of the night before, which joins (or forms) its cluster.
            let s = story((n - 1) * 12 + 1);
            d.write(&format!("late{n}/story.txt"), reprint_of("Late", &s));
        }
        // The long story's halves, each twice, on nights 1 and 2.
        if n == 1 || n == 2 {
            let half = words(&long, (n as usize - 1) * 220, 220);
            for c in 0..2 {
                d.write(
                    &format!("half{n}{c}/long.txt"),
                    reprint_of(&format!("H{c}"), &half),
                );
            }
        }
        if n == 0 {
            d.write("alpha/harbour.txt", reprint_of("Alpha", HARBOUR_EN));
            d.write("beta/harbour.txt", reprint_of("Beta", HARBOUR_EN));
        }
        // A story copied on many sites on two nights: its buckets hold more old documents
        // than a bucket pairs all of, so a new copy pairs with the last ones only.
        if n == 1 || n == 2 {
            for c in 0..12 {
                d.write(
                    &format!("wide{n}{c}/wide.txt"),
                    reprint_of(&format!("W{n}{c}"), &prose(98, 300)),
                );
            }
        }
        let (code, _, stderr) = night(d.path(), &st, extra);
        assert_eq!(code, 0, "{stderr}");
    }
    // The night: copies of stories of every earlier night (old representatives in old
    // segments), the long story whole (it unites the two halves' clusters), the harbour story
    // in French (a translation joins night 0's cluster), an id the index holds, new pairs and
    // documents that match nothing.
    let last = Dir::new();
    for n in 0..4u64 {
        for k in [0u64, 2, 7] {
            last.write(
                &format!("again{n}/story-{k}.txt"),
                reprint_of("Again", &story(n * 12 + k)),
            );
        }
    }
    last.write("whole/long.txt", reprint_of("Whole", &long));
    last.write("gamma/port.txt", reprint_of("Gamma", HARBOUR_FR));
    last.write("n1s0/story-3.txt", reprint_of("N1S0", &story(15)));
    for c in 0..2 {
        last.write(
            &format!("fresh{c}/new.txt"),
            reprint_of("Fresh", &prose(500, 280)),
        );
    }
    last.write("alone/one.txt", reprint_of("Alone", &prose(501, 280)));
    for c in 0..3 {
        last.write(
            &format!("wide-new{c}/wide.txt"),
            reprint_of(&format!("WN{c}"), &prose(98, 300)),
        );
    }
    (st, last)
}

/// Runs `last` against copies of `base` streamed and with every old document held whole (as
/// before the index was streamed); returns the two (report, manifest) pairs.
fn streamed_and_whole(
    work: &Dir,
    base: &Path,
    last: &Path,
    extra: &[&str],
) -> Vec<(String, Vec<u8>)> {
    let mut outs = Vec::new();
    for whole in [false, true] {
        let st = work.path().join(format!("state-{whole}{}", extra.join("")));
        copy_dir(base, &st);
        let mut cmd = dedup_cmd(last, &st);
        cmd.args(extra);
        if whole {
            cmd.env("REPRINT_TEST_WHOLE_INDEX", "1");
        }
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let report = String::from_utf8(out.stdout)
            .unwrap()
            .replace(st.to_str().unwrap(), "STATE");
        let manifest = std::fs::read(st.join("MANIFEST")).unwrap();
        outs.push((report, manifest));
    }
    assert_eq!(outs[0].0, outs[1].0, "the reports differ");
    assert_eq!(outs[0].1, outs[1].1, "the saved manifests differ");
    outs
}

#[test]
fn a_night_over_the_index_subset_decides_as_over_the_whole_index() {
    let work = Dir::new();
    let (base, last) = subset_nights(&work, &[]);
    assert_eq!(stats(&base)["segments"], 4);
    let outs = streamed_and_whole(&work, &base, last.path(), &[]);
    // The night did what the test means it to: joins into clusters led from old segments, a
    // merge, a translation and a known id.
    let r: serde_json::Value = serde_json::from_str(&outs[0].0).unwrap();
    let joined = r["index"]["articles"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["outcome"] == "joined")
        .count();
    assert!(joined >= 10, "{}", r["index"]);
    assert_eq!(article(&r, "whole/long.txt")["outcome"], "joined");
    assert_eq!(
        r["index"]["merges"].as_array().unwrap().len(),
        1,
        "{}",
        r["index"]
    );
    // The translation pairs with night 0's English story.
    assert_ne!(article(&r, "gamma/port.txt")["outcome"], "unique");
    assert_eq!(article(&r, "wide-new0/wide.txt")["outcome"], "joined");
    assert!(
        r["stats"]["translation_pairs"].as_u64().unwrap() >= 1,
        "{}",
        r["stats"]
    );
    assert!(r["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["path"] == "n1s0/story-3.txt"));

    // The same night again: every id is known, and none is matched.
    let again = work.path().join("again");
    copy_dir(&work.path().join("state-false"), &again);
    let outs = streamed_and_whole(&work, &again, last.path(), &[]);
    let r: serde_json::Value = serde_json::from_str(&outs[0].0).unwrap();
    assert_eq!(r["stats"]["documents"], 0, "{}", r["stats"]);
}

#[test]
fn a_simhash_night_over_the_index_subset_decides_as_over_the_whole_index() {
    let work = Dir::new();
    let extra = ["--method", "simhash"];
    let (base, last) = subset_nights(&work, &extra);
    let outs = streamed_and_whole(&work, &base, last.path(), &extra);
    let r: serde_json::Value = serde_json::from_str(&outs[0].0).unwrap();
    assert_eq!(
        article(&r, "again0/story-0.txt")["outcome"],
        "joined",
        "{}",
        r["index"]
    );
}

#[test]
fn a_first_night_streamed_is_the_whole_index_night() {
    let work = Dir::new();
    let empty = work.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let n1 = night_one(&stories());
    let outs = streamed_and_whole(&work, &empty, n1.path(), &[]);
    let r: serde_json::Value = serde_json::from_str(&outs[0].0).unwrap();
    assert_eq!(r["stats"]["clusters"], 3, "{}", r["stats"]);
}
