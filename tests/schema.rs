//! The published JSON Schema of the report, `schema/report-v1.json`: reports of the real binary
//! validate against it, tampered reports do not, and the schema itself is valid draft 2020-12.
//!
//! The schema closes every object (`additionalProperties: false`), so any change to the report's
//! layout fails here until the schema is updated with it.

mod util;

use std::path::Path;

use serde_json::{json, Value};
use util::run_json;

const DRAFT_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";

/// The schema file, parsed.
fn schema() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/report-v1.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).expect("schema/report-v1.json is not JSON")
}

/// A draft 2020-12 validator of the schema.
fn validator() -> jsonschema::Validator {
    jsonschema::draft202012::new(&schema()).expect("schema/report-v1.json does not compile")
}

/// The schema's complaints about `report`, one line each.
fn errors(report: &Value) -> Vec<String> {
    validator()
        .iter_errors(report)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn assert_valid(report: &Value) {
    let errors = errors(report);
    assert!(
        errors.is_empty(),
        "report does not match schema/report-v1.json:\n{}\n\n{report:#}",
        errors.join("\n")
    );
}

/// Runs `reprint dedup ARGS --progress never`, checks its report against the schema and returns it.
fn valid_report(args: &[&str]) -> Value {
    let mut all = vec!["dedup"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--progress", "never"]);
    let report = run_json(&all);
    assert_valid(&report);
    report
}

fn bundled_corpus() -> String {
    util::testdata()
        .join("corpus")
        .to_str()
        .expect("UTF-8 path")
        .to_string()
}

#[test]
fn bundled_corpus_report_matches_schema() {
    let report = valid_report(&[&bundled_corpus()]);
    assert!(!report["clusters"].as_array().unwrap().is_empty());
    assert_eq!(report["params"]["boilerplate_removal"], true);
}

#[test]
fn report_with_skipped_inputs_matches_schema() {
    let dir = util::three_copies_and_a_stranger();
    util::write_bad_files(&dir);
    let report = valid_report(&[dir.path().to_str().unwrap()]);
    let skipped = report["skipped"].as_array().unwrap();
    assert!(skipped.len() >= 4, "{skipped:?}");
    assert!(skipped.iter().any(|s| s["path"] == "junk/binary.txt"));
    assert!(skipped.iter().any(|s| s["path"] == "junk/empty.txt"));
    assert!(skipped.iter().any(|s| s["path"] == "junk/image.png"));
    assert_eq!(report["stats"]["repaired"], 1);
    let members = report["clusters"][0]["members"].as_array().unwrap();
    let cut = members.iter().find(|m| m["id"] == "gamma/cut.md").unwrap();
    assert_eq!(cut["match"], "contained");
}

#[test]
fn simhash_report_matches_schema() {
    let report = valid_report(&[&bundled_corpus(), "--method", "simhash"]);
    assert_eq!(report["params"]["method"], "simhash");
}

#[test]
fn index_reports_match_schema() {
    let state = util::Dir::new();
    let st = state.path().join("state");
    let st = st.to_str().unwrap();
    let corpus = util::testdata().join("corpus");
    // Night one: half the sites; night two: the rest, which joins and changes clusters.
    let halves = [util::Dir::new(), util::Dir::new()];
    let mut sites: Vec<_> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    sites.sort();
    for (i, site) in sites.iter().enumerate() {
        let dest = halves[i % 2].path().join(site.file_name().unwrap());
        std::fs::create_dir_all(&dest).unwrap();
        for f in std::fs::read_dir(site).unwrap() {
            let f = f.unwrap().path();
            std::fs::copy(&f, dest.join(f.file_name().unwrap())).unwrap();
        }
    }
    let one = valid_report(&[halves[0].path().to_str().unwrap(), "--index", st]);
    assert_eq!(one["index"]["documents_before"], 0);
    let two = valid_report(&[halves[1].path().to_str().unwrap(), "--index", st]);
    let articles = two["index"]["articles"].as_array().unwrap();
    assert!(articles.iter().any(|a| a["outcome"] == "joined"));
    assert!(articles.iter().any(|a| a["outcome"] == "unique"));
    let members = two["clusters"][0]["members"].as_array().unwrap();
    assert!(members.iter().all(|m| m["new"].is_boolean()));
    // And the batch report still has neither addition.
    let batch = valid_report(&[&bundled_corpus()]);
    assert!(batch.get("index").is_none());
    assert!(batch["clusters"][0]["members"][0].get("new").is_none());
}

#[test]
fn keep_boilerplate_report_matches_schema() {
    let report = valid_report(&[&bundled_corpus(), "--keep-boilerplate"]);
    assert_eq!(report["params"]["boilerplate_removal"], false);
    assert_eq!(report["stats"]["boilerplate"]["chrome_lines"], 0);

    let dir = util::three_copies_and_a_stranger();
    let report = valid_report(&[dir.path().to_str().unwrap(), "--keep-boilerplate"]);
    assert_eq!(report["params"]["boilerplate_removal"], false);
}

#[test]
fn extreme_params_report_matches_schema() {
    let dir = util::three_copies_and_a_stranger();
    let max_seed = u64::MAX.to_string();
    let report = valid_report(&[
        dir.path().to_str().unwrap(),
        "--shingle",
        "word:3",
        "--threshold",
        "1",
        "--containment",
        "1",
        "--num-perm",
        "8",
        "--seed",
        &max_seed,
    ]);
    assert_eq!(report["params"]["seed"], u64::MAX);
    assert_eq!(report["params"]["shingle"], "word:3");
}

#[test]
fn tampered_reports_fail_validation() {
    let base = run_json(&[
        "dedup",
        util::three_copies_and_a_stranger().path().to_str().unwrap(),
        "--progress",
        "never",
    ]);
    assert_valid(&base);
    assert!(base["clusters"][0]["members"].as_array().unwrap().len() >= 3);

    type Tamper = fn(&mut Value);
    let tampers: &[(&str, Tamper)] = &[
        ("member similarity 1.5", |r| {
            r["clusters"][0]["members"][1]["similarity"] = json!(1.5)
        }),
        ("negative containment", |r| {
            r["clusters"][0]["members"][1]["containment"] = json!(-0.1)
        }),
        ("unknown top-level field", |r| r["extra"] = json!(true)),
        ("unknown member field", |r| {
            r["clusters"][0]["members"][1]["note"] = json!("x")
        }),
        ("unknown params field", |r| {
            r["params"]["band_width"] = json!(3)
        }),
        ("unknown stats field", |r| r["stats"]["seconds"] = json!(1)),
        ("unknown boilerplate field", |r| {
            r["stats"]["boilerplate"]["ads"] = json!(0)
        }),
        ("unknown skipped field", |r| {
            r["skipped"] = json!([{"path": "a", "reason": "b", "size": 1}])
        }),
        ("missing field", |r| {
            r["stats"].as_object_mut().unwrap().remove("verified_pairs");
        }),
        ("missing skipped reason", |r| {
            r["skipped"] = json!([{"path": "a"}])
        }),
        ("schema version 2", |r| r["schema"] = json!(2)),
        ("another tool", |r| r["tool"]["name"] = json!("dedupe")),
        ("unknown match kind", |r| {
            r["clusters"][0]["members"][1]["match"] = json!("near_duplicate")
        }),
        ("second representative", |r| {
            r["clusters"][0]["members"][1]["match"] = json!("representative")
        }),
        ("representative not first", |r| {
            r["clusters"][0]["members"][0]["match"] = json!("contained")
        }),
        ("representative similarity below 1", |r| {
            r["clusters"][0]["members"][0]["similarity"] = json!(0.9)
        }),
        ("cluster of one", |r| {
            let c = &mut r["clusters"][0];
            c["size"] = json!(1);
            c["members"].as_array_mut().unwrap().truncate(1);
        }),
        ("threshold 0", |r| r["params"]["threshold"] = json!(0.0)),
        ("containment threshold above 1", |r| {
            r["params"]["containment"] = json!(1.01)
        }),
        ("negative count", |r| r["stats"]["documents"] = json!(-1)),
        ("fractional count", |r| r["stats"]["clusters"] = json!(1.5)),
        ("count as string", |r| r["stats"]["duplicates"] = json!("2")),
        ("bad shingle", |r| r["params"]["shingle"] = json!("word:0")),
        ("unknown method", |r| {
            r["params"]["method"] = json!("lsh-forest")
        }),
        ("flag as string", |r| {
            r["params"]["boilerplate_removal"] = json!("yes")
        }),
    ];
    for (what, tamper) in tampers {
        let mut report = base.clone();
        tamper(&mut report);
        assert_ne!(report, base, "{what}: the tamper changed nothing");
        assert!(
            !validator().is_valid(&report),
            "{what}: tampered report passed validation"
        );
    }
}

#[test]
fn schema_is_valid_draft_2020_12() {
    let schema = schema();
    assert_eq!(schema["$schema"], DRAFT_2020_12);
    if let Err(e) = jsonschema::draft202012::meta::validate(&schema) {
        panic!("schema/report-v1.json is not valid draft 2020-12: {e}");
    }
    // Meta-validation does catch a broken schema.
    let mut broken = schema.clone();
    broken["$defs"]["count"]["minimum"] = json!("zero");
    assert!(!jsonschema::draft202012::meta::is_valid(&broken));
    // The schema pins the version the binary writes.
    assert_eq!(schema["properties"]["schema"]["const"], 1);
}

/// Properties that only `--index` adds, a member's language and source (absent when they cannot
/// be told), and the provenance fields added after schema 1 was published: optional, so that
/// a report of an older reprint still validates (added fields do not bump the schema).
const OPTIONAL: [&str; 9] = [
    "index",
    "sources",
    "new",
    "lang",
    "source",
    "date",
    "date_source",
    "lag_seconds",
    "origin",
];

/// Every object the schema describes is closed, requires all its properties (but the `--index`
/// additions) and describes each.
#[test]
fn schema_closes_requires_and_describes_every_object() {
    fn walk(node: &Value, at: &str, objects: &mut usize) {
        match node {
            Value::Object(map) => {
                if map.get("type") == Some(&json!("object")) {
                    *objects += 1;
                    assert_eq!(
                        map.get("additionalProperties"),
                        Some(&json!(false)),
                        "{at}: additionalProperties is not false"
                    );
                    let props = map["properties"].as_object().expect("properties");
                    let mut names: Vec<&str> = props.keys().map(String::as_str).collect();
                    let mut required: Vec<&str> = map["required"]
                        .as_array()
                        .expect("required")
                        .iter()
                        .map(|v| v.as_str().unwrap())
                        .collect();
                    // Only the listed properties may be left out; a name that is optional in
                    // one object may be required in another (a source's own `source`).
                    names.retain(|n| !OPTIONAL.contains(n) || required.contains(n));
                    names.sort_unstable();
                    required.sort_unstable();
                    assert_eq!(names, required, "{at}: not every property is required");
                    for (name, prop) in props {
                        let description = prop["description"].as_str().unwrap_or("");
                        assert!(
                            !description.trim().is_empty(),
                            "{at}/properties/{name} has no description"
                        );
                    }
                }
                for (key, child) in map {
                    walk(child, &format!("{at}/{key}"), objects);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    walk(child, &format!("{at}/{i}"), objects);
                }
            }
            _ => {}
        }
    }
    let mut objects = 0;
    walk(&schema(), "#", &mut objects);
    // report, tool, params, stats, boilerplate, cluster, member, skipped, and with --index:
    // index, article, merge, representative change; a source and its edges
    assert_eq!(objects, 14);
}
