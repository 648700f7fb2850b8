//! Speed peer of `benches/e2e.sh`: near-duplicate grouping of a JSON Lines corpus with gaoya
//! 0.2 (MinHash + its banded LSH index), the way a Rust user of that crate would write it.
//!
//! ```text
//! gaoya-peer CORPUS.jsonl OUT.json [--threads N] [--num-perm P] [--ngram K] [--threshold T]
//! ```
//!
//! * Reads records `{"id", "text"}` one a line (ids: the `id` field, else `FILE:LINE`).
//! * Tokens: the lowercased text split on ASCII whitespace and punctuation (gaoya's
//!   `whitespace_split`); shingles are word K-grams (default 5), hashed by gaoya.
//! * gaoya `MinHasher32` with P permutations (default 128) and `MinHashIndex` with the bands and
//!   rows gaoya's `calculate_minhash_params` picks for T (default 0.5). Signatures, inserts and
//!   queries run in parallel on a rayon pool of N threads (default 2); each document's query
//!   results (already filtered by estimated Jaccard ≥ T inside gaoya) are joined by union-find.
//! * Writes the minimal report shape of `benches/peers/datasketch_lsh.py`:
//!   `{"schema": 1, "stats": {"documents": N}, "clusters": [{"members": [{"id": ...}]}]}`,
//!   clusters of two or more, sorted.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::process::ExitCode;
use std::time::Instant;

use gaoya::minhash::{calculate_minhash_params, MinHashIndex, MinHasher, MinHasher32};
use gaoya::text::whitespace_split;
use rayon::prelude::*;

struct Args {
    input: String,
    output: String,
    threads: usize,
    num_perm: usize,
    ngram: usize,
    threshold: f64,
}

fn parse_args() -> Result<Args, String> {
    let mut pos = Vec::new();
    let mut args = Args {
        input: String::new(),
        output: String::new(),
        threads: 2,
        num_perm: 128,
        ngram: 5,
        threshold: 0.5,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut val = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match a.as_str() {
            "--threads" => {
                args.threads = val("--threads")?
                    .parse()
                    .map_err(|e| format!("--threads: {e}"))?
            }
            "--num-perm" => {
                args.num_perm = val("--num-perm")?
                    .parse()
                    .map_err(|e| format!("--num-perm: {e}"))?
            }
            "--ngram" => {
                args.ngram = val("--ngram")?
                    .parse()
                    .map_err(|e| format!("--ngram: {e}"))?
            }
            "--threshold" => {
                args.threshold = val("--threshold")?
                    .parse()
                    .map_err(|e| format!("--threshold: {e}"))?
            }
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            _ => pos.push(a),
        }
    }
    if pos.len() != 2 || args.ngram == 0 || args.threads == 0 {
        return Err("usage: gaoya-peer CORPUS.jsonl OUT.json [--threads N] [--num-perm P] [--ngram K] [--threshold T]".into());
    }
    args.output = pos.pop().unwrap_or_default();
    args.input = pos.pop().unwrap_or_default();
    Ok(args)
}

#[derive(serde::Deserialize)]
struct Record {
    id: Option<serde_json::Value>,
    #[serde(default)]
    text: String,
}

fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

fn run(args: &Args) -> Result<(), String> {
    let t0 = Instant::now();
    let file = File::open(&args.input).map_err(|e| format!("{}: {e}", args.input))?;
    let mut ids = Vec::new();
    let mut texts = Vec::new();
    for (n, line) in BufReader::with_capacity(1 << 20, file).lines().enumerate() {
        let line = line.map_err(|e| format!("{}: {e}", args.input))?;
        if line.trim().is_empty() {
            continue;
        }
        let rec: Record =
            serde_json::from_str(&line).map_err(|e| format!("{}:{}: {e}", args.input, n + 1))?;
        ids.push(match rec.id {
            Some(serde_json::Value::String(s)) => s,
            Some(v) => v.to_string(),
            None => format!("{}:{}", args.input, n + 1),
        });
        texts.push(rec.text);
    }
    let t_read = t0.elapsed();

    let (bands, rows) = calculate_minhash_params(args.threshold, args.num_perm);
    let hasher = MinHasher32::new(bands * rows);
    let k = args.ngram;
    let signatures: Vec<Vec<u32>> = texts
        .par_iter()
        .map(|text| {
            let lower = text.to_lowercase();
            let tokens: Vec<&str> = whitespace_split(&lower).collect();
            if tokens.len() < k {
                hasher.create_signature(std::iter::once(&tokens[..]))
            } else {
                hasher.create_signature(tokens.windows(k))
            }
        })
        .collect();
    drop(texts);
    let t_sig = t0.elapsed();

    let mut index: MinHashIndex<u32, usize> = MinHashIndex::new(bands, rows, args.threshold);
    index.par_bulk_insert((0..ids.len()).collect(), signatures.clone());
    let found = index.par_bulk_query(&signatures);
    let mut parent: Vec<usize> = (0..ids.len()).collect();
    for (i, set) in found.iter().enumerate() {
        for &j in set {
            let (a, b) = (find(&mut parent, i), find(&mut parent, j));
            if a != b {
                parent[a.max(b)] = a.min(b);
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<&str>> = Default::default();
    for i in 0..ids.len() {
        let r = find(&mut parent, i);
        groups.entry(r).or_default().push(&ids[i]);
    }
    let mut clusters: Vec<Vec<&str>> = groups.into_values().filter(|g| g.len() >= 2).collect();
    for c in &mut clusters {
        c.sort_unstable();
    }
    clusters.sort_unstable();
    let report = serde_json::json!({
        "schema": 1,
        "stats": {"documents": ids.len()},
        "clusters": clusters.iter().map(|c| serde_json::json!({
            "members": c.iter().map(|id| serde_json::json!({"id": id})).collect::<Vec<_>>()
        })).collect::<Vec<_>>(),
    });
    let out = File::create(&args.output).map_err(|e| format!("{}: {e}", args.output))?;
    let mut w = BufWriter::new(out);
    serde_json::to_writer(&mut w, &report).map_err(|e| format!("{}: {e}", args.output))?;
    w.write_all(b"\n")
        .and_then(|_| w.flush())
        .map_err(|e| format!("{}: {e}", args.output))?;
    eprintln!(
        "gaoya-peer: {} documents, {} clusters; bands {bands} x rows {rows}; read {:.2}s, signatures {:.2}s, total {:.2}s",
        ids.len(),
        clusters.len(),
        t_read.as_secs_f64(),
        (t_sig - t_read).as_secs_f64(),
        t0.elapsed().as_secs_f64()
    );
    Ok(())
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("gaoya-peer: {e}");
            return ExitCode::from(2);
        }
    };
    if let Err(e) = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads)
        .build_global()
    {
        eprintln!("gaoya-peer: {e}");
        return ExitCode::from(2);
    }
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gaoya-peer: {e}");
            ExitCode::FAILURE
        }
    }
}
