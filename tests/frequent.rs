//! Frequent shingles on a corpus large enough to learn them: the run leaves them out of the
//! fingerprints, finds the same reprints with fewer chance candidates, does so identically on
//! any thread count, and an index keeps the set its first night learned.

mod util;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use util::Dir;

/// Articles in the corpus: enough for the sample (one in 16) to pass the minimum of 500.
const ARTICLES: u64 = 9_000;
/// The first `REPRINTS` articles are reprinted once each.
const REPRINTS: u64 = 60;

/// A pseudo-word of a vocabulary of 8,000, drawn so that low numbers are far more common (the
/// product of two uniform draws), as a language's common words are.
fn word(state: &mut u64) -> String {
    const SYLLABLES: [&str; 20] = [
        "ka", "lo", "mi", "ne", "su", "ta", "ro", "vi", "de", "pa", "gu", "fe", "zo", "ba", "ri",
        "no", "he", "ju", "wa", "ce",
    ];
    let mut next = || {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    };
    let k = (next() % 90) * (next() % 90);
    let mut w = String::new();
    for part in [k % 20, (k / 20) % 20, (k / 400) % 20] {
        w.push_str(SYLLABLES[part as usize]);
    }
    w
}

/// Article `n`: 150 words, a line break every 15.
fn article(n: u64) -> String {
    let mut state = n.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    (0..150)
        .map(|i| {
            let sep = if i % 15 == 14 { ".\n" } else { " " };
            word(&mut state) + sep
        })
        .collect()
}

/// The reprint of article `n`: every tenth word changed, and a sentence added.
fn reprint(n: u64) -> String {
    let mut state = (n + 1_000_003).wrapping_mul(0xd6e8_feb8_6659_fd93) | 1;
    let text = article(n);
    let mut out: Vec<String> = text
        .split(' ')
        .enumerate()
        .map(|(i, w)| {
            if i % 10 == 5 {
                word(&mut state)
            } else {
                w.to_string()
            }
        })
        .collect();
    out.push((0..12).map(|_| word(&mut state) + " ").collect());
    out.join(" ")
}

/// The corpus as one JSON Lines file: `a{n}` for the articles, `r{n}` for the reprints.
fn corpus(dir: &Dir) -> String {
    let mut lines = String::new();
    for n in 0..ARTICLES {
        let text = serde_json::to_string(&article(n)).unwrap();
        writeln!(lines, "{{\"id\":\"a{n}\",\"text\":{text}}}").unwrap();
    }
    for n in 0..REPRINTS {
        let text = serde_json::to_string(&reprint(n)).unwrap();
        writeln!(lines, "{{\"id\":\"r{n}\",\"text\":{text}}}").unwrap();
    }
    dir.write("corpus.jsonl", lines)
        .to_str()
        .unwrap()
        .to_string()
}

/// The cluster of each clustered id.
fn cluster_of(report: &serde_json::Value) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    for c in report["clusters"].as_array().unwrap() {
        for m in c["members"].as_array().unwrap() {
            out.insert(
                m["id"].as_str().unwrap().to_string(),
                c["id"].as_u64().unwrap(),
            );
        }
    }
    out
}

/// Every reprint with its article, and nothing else grouped.
fn assert_exact(report: &serde_json::Value) {
    let of = cluster_of(report);
    for n in 0..REPRINTS {
        let (a, r) = (format!("a{n}"), format!("r{n}"));
        assert!(
            of.contains_key(&a) && of.get(&a) == of.get(&r),
            "{a} and {r} apart"
        );
    }
    assert_eq!(report["stats"]["clusters"], REPRINTS);
    assert_eq!(report["stats"]["clustered"], 2 * REPRINTS);
}

#[test]
fn frequent_shingles_are_learned_and_cut_chance_candidates_without_losing_a_reprint() {
    let dir = Dir::new();
    let path = corpus(&dir);
    let base = ["dedup", path.as_str(), "--progress", "never"];
    let on = util::run_json(&base);
    let off = util::run_json(&[&base[..], &["--frequent-shingles", "0"]].concat());
    assert!(on["stats"]["frequent_shingle_buckets"].as_u64().unwrap() > 0);
    assert_eq!(on["params"]["frequent_shingles"], 0.005);
    assert_eq!(off["stats"]["frequent_shingle_buckets"], 0);
    assert_eq!(off["params"]["frequent_shingles"], 0.0);
    assert_exact(&on);
    assert_exact(&off);
    // The common words' shingles made chance collisions between unrelated articles.
    let (c_on, c_off) = (
        on["stats"]["candidate_pairs"].as_u64().unwrap(),
        off["stats"]["candidate_pairs"].as_u64().unwrap(),
    );
    assert!(
        3 * c_on < 2 * c_off,
        "{c_on} candidates with, {c_off} without"
    );

    // The sample and the set do not depend on the thread count.
    let one = util::run(&[&base[..], &["-j", "1"]].concat());
    let two = util::run(&[&base[..], &["-j", "2"]].concat());
    assert!(one.status.success() && two.status.success());
    assert_eq!(one.stdout, two.stdout);

    // A run that keeps the texts for the HTML page reads them in one pass, not two: it learns
    // the same set and gives the same report.
    let page = dir.path().join("page.html");
    let with_page = util::run(&[&base[..], &["--html", page.to_str().unwrap()]].concat());
    assert!(with_page.status.success());
    assert_eq!(with_page.stdout, two.stdout);
}

#[test]
fn an_index_keeps_the_frequent_shingles_of_its_first_night() {
    let dir = Dir::new();
    let path = corpus(&dir);
    let state = dir.path().join("state");
    let state = state.to_str().unwrap();
    let night = |input: &str, extra: &[&str]| {
        util::run_json(
            &[
                &["dedup", input, "--index", state, "--progress", "never"][..],
                extra,
            ]
            .concat(),
        )
    };
    let first = night(&path, &[]);
    let learned = first["stats"]["frequent_shingle_buckets"].as_u64().unwrap();
    assert!(learned > 0);
    let stats = util::run_json(&["index", "stats", state, "--format", "json"]);
    assert_eq!(stats["frequent_shingle_buckets"], learned);

    // A small second night, asking for no frequent shingles: the index's set still applies
    // (its fingerprints were made with it), and a reprint of a first-night article is grouped
    // with it.
    let n2 = Dir::new();
    let text = serde_json::to_string(&reprint(REPRINTS + 5)).unwrap();
    n2.write(
        "late.jsonl",
        format!("{{\"id\":\"late\",\"text\":{text}}}\n"),
    );
    let second = night(
        n2.path().join("late.jsonl").to_str().unwrap(),
        &["--frequent-shingles", "0"],
    );
    assert_eq!(second["stats"]["frequent_shingle_buckets"], learned);
    let joined = &second["index"]["articles"][0];
    assert_eq!(joined["id"], "late");
    assert_eq!(joined["outcome"], "new-cluster", "{second}");
    assert_eq!(joined["representative"], format!("a{}", REPRINTS + 5));
    let of = cluster_of(&second);
    assert_eq!(of.get("late"), of.get(&format!("a{}", REPRINTS + 5)));
}
