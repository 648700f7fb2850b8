//! `reprint eval`: reads a report and a truth file and prints the scores.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

use anyhow::{bail, Context};
use reprint::eval;

use crate::cli::{EvalArgs, EvalFormat};

/// Placeholder ids for documents the report counts but does not name (singletons).
const UNNAMED_PREFIX: &str = "\u{0}unnamed-singleton-";

pub fn run(args: &EvalArgs) -> anyhow::Result<ExitCode> {
    let truth = eval::read_truth(&args.truth)?;
    let text = std::fs::read_to_string(&args.report)
        .with_context(|| format!("{}: cannot read the report", args.report.display()))?;
    let report: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("{}: not a JSON report", args.report.display()))?;
    let Some(clusters) = report.get("clusters").and_then(|c| c.as_array()) else {
        bail!(
            "{}: the report has no \"clusters\" array",
            args.report.display()
        );
    };
    let mut predicted: Vec<Vec<String>> = Vec::new();
    // Similarity of each member to its representative; a pair's score is the smaller of its two
    // members' similarities, the tool's most cautious statement about that pair.
    let mut similarity: BTreeMap<String, f64> = BTreeMap::new();
    for c in clusters {
        let mut ids = Vec::new();
        for m in c
            .get("members")
            .and_then(|m| m.as_array())
            .into_iter()
            .flatten()
        {
            if let Some(id) = m.get("id").and_then(|i| i.as_str()) {
                ids.push(id.to_string());
                let sim = m.get("similarity").and_then(|s| s.as_f64()).unwrap_or(1.0);
                similarity.insert(id.to_string(), sim);
            }
        }
        predicted.push(ids);
    }
    let truth_groups: Vec<Vec<String>> = truth.into_iter().map(|g| g.ids).collect();
    let mut universe: Vec<String> = match &args.universe {
        Some(path) => std::fs::read_to_string(path)
            .with_context(|| format!("{}: cannot read the universe", path.display()))?
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect(),
        None => Vec::new(),
    };
    if args.universe.is_none() {
        let mut named: Vec<&String> = predicted.iter().chain(&truth_groups).flatten().collect();
        named.sort();
        named.dedup();
        let documents = report
            .pointer("/stats/documents")
            .and_then(|d| d.as_u64())
            .unwrap_or(0) as usize;
        universe.extend(named.iter().map(|s| s.to_string()));
        for i in named.len()..documents {
            universe.push(format!("{UNNAMED_PREFIX}{i}"));
        }
    }
    let score = |a: &str, b: &str| match (similarity.get(a), similarity.get(b)) {
        (Some(x), Some(y)) => Some(x.min(*y)),
        _ => None,
    };
    let scores = eval::evaluate(&predicted, &truth_groups, &universe, &score, args.worst);
    let body = match args.format {
        EvalFormat::Text => eval::render_text(&scores),
        EvalFormat::Json => {
            let mut s = serde_json::to_string_pretty(&scores)?;
            s.push('\n');
            s
        }
    };
    std::io::stdout().lock().write_all(body.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
