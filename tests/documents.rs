//! The run's table of documents (ids end to end in one string, sites by number, duplicate ids
//! found by hash): what it holds must come back out unchanged, on both ways through the
//! pipeline (two streaming passes, or the corpus held for the page of texts).

mod util;

use reprint::{pipeline, Config, NoProgress};

/// A JSON Lines record, dated by its own field (records held in memory have no file to take
/// a modification time from, so an undated one would differ from the file's by its date).
fn record(id: &str, source: &str, text: &str) -> String {
    serde_json::json!({ "id": id, "source": source, "text": text, "date": "2026-12-01T10:00:00Z" })
        .to_string()
        + "\n"
}

#[test]
fn repeated_ids_are_skipped_and_both_paths_agree() {
    let dir = util::Dir::new();
    let story = util::prose(1, 300);
    let other = util::prose(2, 300);
    let mut lines = String::new();
    lines += &record("site-a/1", "site-a", &story);
    lines += &record("site-b/1", "site-b", &story);
    lines += &record("site-a/2", "site-a", &other);
    // Same id as the first record, another text: the first one wins.
    lines += &record("site-a/1", "site-b", &other);
    lines += &record("site-c/1", "site-c", &util::prose(3, 300));
    lines += &record("site-b/1", "site-a", &story);
    let path = dir.write("corpus.jsonl", lines);

    let config = Config::new(vec![path]);
    let streamed = reprint::dedup(&config, &NoProgress).unwrap();
    let (held, texts) = pipeline::dedup_with_texts(&config, &NoProgress).unwrap();
    assert_eq!(streamed.to_json(), held.to_json());

    assert_eq!(
        streamed.document_ids,
        ["site-a/1", "site-b/1", "site-a/2", "site-c/1"]
    );
    let repeated: Vec<&str> = streamed
        .skipped
        .iter()
        .filter(|s| s.reason.starts_with("duplicate id"))
        .map(|s| s.path.as_str())
        .collect();
    assert_eq!(repeated, ["site-a/1", "site-b/1"]);

    let report: serde_json::Value = serde_json::from_str(&streamed.to_json()).unwrap();
    assert_eq!(
        util::groups(&report),
        [vec!["site-a/1".to_string(), "site-b/1".to_string()]]
    );
    let keys: Vec<&str> = texts.keys().map(String::as_str).collect();
    assert_eq!(keys, ["site-a/1", "site-b/1"]);
}

#[test]
fn documents_held_in_memory_give_the_report_of_the_same_file() {
    let dir = util::Dir::new();
    let story = util::prose(4, 300);
    let mut lines = String::new();
    lines += &record("a/1", "a", &story);
    lines += &record("b/1", "b", &story.replace(" the ", " a "));
    lines += &record("c/1", "c", &util::prose(5, 300));
    lines += "{\"id\": \"d/1\"}\n";
    lines += "not json\n";
    let path = dir.write("corpus.jsonl", lines.clone());

    let config = Config::new(vec![path.clone()]);
    let from_file = reprint::dedup(&config, &NoProgress).unwrap();
    // Named as the file argument is, its broken records are named alike.
    let name = path.to_string_lossy();
    let memory = reprint::corpus::Input::memory_jsonl(&name, lines.into_bytes().into());
    // A run on documents handed over needs no path.
    let held = pipeline::dedup_inputs(&Config::new(Vec::new()), vec![memory], &NoProgress).unwrap();
    assert_eq!(held.to_json(), from_file.to_json());
    assert_eq!(held.stats.clusters, 1);
    assert_eq!(
        held.skipped.len(),
        2,
        "the record without text and the broken line"
    );
}
