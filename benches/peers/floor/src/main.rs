//! Bare floor of `benches/e2e.sh`: the minimal near-duplicate pipeline that the project's speed
//! issue gives as the floor reprint should be compared with — "read JSON Lines, NFKC +
//! lowercase, word 5-shingles hashed once with xxh3, MinHash 128 by cheap per-permutation
//! mixing, LSH 9×13, union-find", holding the corpus in memory. It has none of reprint's work
//! (no boilerplate removal, no candidate verification, no report detail): its time is what the
//! bare hashing and grouping cost, not a competitor's.
//!
//! ```text
//! floor-peer CORPUS.jsonl OUT.json [--threads N]
//! ```
//!
//! * Reads the whole file, then records `{"id", "text"}` one a line (ids: the `id` field, else
//!   `FILE:LINE`), parsed in parallel on a rayon pool of N threads (default 2).
//! * Per document: NFKC + lowercase; words split on Unicode whitespace (punctuation stays on its
//!   word: the cheapest split, and the issue's floor asks for no more); each word hashed with
//!   xxh3-64, each word 5-shingle hashed once with xxh3-64 over its five word hashes (a text
//!   shorter than five words is one shingle); 128 MinHash values from that one hash by a bijective
//!   32-bit mix of `hash ^ b_i`; 9 bands of 13 rows (117 of the 128 values), each band hashed
//!   with xxh3-64.
//! * Buckets by sorting (band hash, document) pairs per band; every member of a bucket is joined
//!   to its first member by union-find (connectivity is all union-find keeps, so a huge bucket
//!   costs its size, not its pairs). Candidates are not verified.
//! * Writes the minimal report shape of `benches/peers/gaoya`:
//!   `{"schema": 1, "stats": {"documents": N}, "clusters": [{"members": [{"id": ...}]}]}`,
//!   clusters of two or more, sorted: the same for any N.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::process::ExitCode;
use std::time::Instant;

use rayon::prelude::*;
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};
use xxhash_rust::xxh3::xxh3_64;

const SHINGLE: usize = 5;
const PERMS: usize = 128;
const BANDS: usize = 9;
const ROWS: usize = 13;
const _: () = assert!(BANDS * ROWS <= PERMS);

/// The per-permutation xor keys, from splitmix64 so they are fixed and unrelated.
const PERM_XOR: [u32; PERMS] = {
    let mut keys = [0u32; PERMS];
    let mut state: u64 = 0x5eed_f100_4000_0001;
    let mut i = 0;
    while i < PERMS {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        keys[i] = ((z ^ (z >> 31)) >> 32) as u32;
        i += 1;
    }
    keys
};

/// murmur3's finaliser: a bijection of u32 with full avalanche, so `x ↦ fmix32(x ^ b_i)` is a
/// permutation per key and the 128 of them behave as unrelated; only u32 shifts, xors and
/// multiplies, which the 128-lane loop vectorises on baseline x86-64.
#[inline(always)]
fn fmix32(mut x: u32) -> u32 {
    x ^= x >> 16;
    x = x.wrapping_mul(0x85eb_ca6b);
    x ^= x >> 13;
    x = x.wrapping_mul(0xc2b2_ae35);
    x ^ (x >> 16)
}

/// The 9 band hashes of a text, or None when it has no word (nothing to compare it by).
fn band_hashes(text: &str) -> Option<[u64; BANDS]> {
    // The quick check skips the decompose/recompose pass for text already in NFKC, most of it.
    let norm = if is_nfkc_quick(text.chars()) == IsNormalized::Yes {
        text.to_lowercase()
    } else {
        text.nfkc().collect::<String>().to_lowercase()
    };
    let words: Vec<u64> = norm
        .split_whitespace()
        .map(|w| xxh3_64(w.as_bytes()))
        .collect();
    if words.is_empty() {
        return None;
    }
    let k = SHINGLE.min(words.len());
    let mut sig = [u32::MAX; PERMS];
    let mut buf = [0u8; 8 * SHINGLE];
    for shingle in words.windows(k) {
        for (dst, w) in buf.chunks_exact_mut(8).zip(shingle) {
            dst.copy_from_slice(&w.to_le_bytes());
        }
        let x = xxh3_64(&buf[..8 * k]) as u32;
        for (s, &b) in sig.iter_mut().zip(PERM_XOR.iter()) {
            *s = (*s).min(fmix32(x ^ b));
        }
    }
    let mut bands = [0u64; BANDS];
    let mut bytes = [0u8; 4 * ROWS];
    for (band, rows) in bands.iter_mut().zip(sig.chunks_exact(ROWS)) {
        for (dst, r) in bytes.chunks_exact_mut(4).zip(rows) {
            dst.copy_from_slice(&r.to_le_bytes());
        }
        *band = xxh3_64(&bytes);
    }
    Some(bands)
}

struct Args {
    input: String,
    output: String,
    threads: usize,
}

fn parse_args() -> Result<Args, String> {
    let mut pos = Vec::new();
    let mut threads = 2;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--threads" => {
                threads = it
                    .next()
                    .ok_or("--threads needs a value")?
                    .parse()
                    .map_err(|e| format!("--threads: {e}"))?
            }
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            _ => pos.push(a),
        }
    }
    if pos.len() != 2 || threads == 0 {
        return Err("usage: floor-peer CORPUS.jsonl OUT.json [--threads N]".into());
    }
    let output = pos.pop().unwrap_or_default();
    let input = pos.pop().unwrap_or_default();
    Ok(Args {
        input,
        output,
        threads,
    })
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
    let data = std::fs::read(&args.input).map_err(|e| format!("{}: {e}", args.input))?;
    let lines: Vec<(usize, &[u8])> = data
        .split(|&b| b == b'\n')
        .enumerate()
        .filter(|(_, l)| !l.trim_ascii().is_empty())
        .collect();
    let t_read = t0.elapsed();

    let docs: Vec<(String, Option<[u64; BANDS]>)> = lines
        .par_iter()
        .map(|&(n, line)| {
            let rec: Record = serde_json::from_slice(line)
                .map_err(|e| format!("{}:{}: {e}", args.input, n + 1))?;
            let id = match rec.id {
                Some(serde_json::Value::String(s)) => s,
                Some(v) => v.to_string(),
                None => format!("{}:{}", args.input, n + 1),
            };
            Ok((id, band_hashes(&rec.text)))
        })
        .collect::<Result<_, String>>()?;
    drop(lines);
    drop(data);
    let t_sig = t0.elapsed();

    // Sorted (hash, doc) pairs put each bucket's smallest document first, so the edges, and
    // with them the clusters, do not depend on the thread count.
    let edges: Vec<(usize, usize)> = (0..BANDS)
        .into_par_iter()
        .flat_map_iter(|band| {
            let mut keys: Vec<(u64, usize)> = docs
                .iter()
                .enumerate()
                .filter_map(|(i, (_, h))| h.map(|h| (h[band], i)))
                .collect();
            keys.sort_unstable();
            let mut edges = Vec::new();
            for bucket in keys.chunk_by(|a, b| a.0 == b.0) {
                edges.extend(bucket[1..].iter().map(|&(_, d)| (bucket[0].1, d)));
            }
            edges
        })
        .collect();
    let mut parent: Vec<usize> = (0..docs.len()).collect();
    for &(i, j) in &edges {
        let (a, b) = (find(&mut parent, i), find(&mut parent, j));
        if a != b {
            parent[a.max(b)] = a.min(b);
        }
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<&str>> = Default::default();
    for (i, (id, _)) in docs.iter().enumerate() {
        let r = find(&mut parent, i);
        groups.entry(r).or_default().push(id);
    }
    let mut clusters: Vec<Vec<&str>> = groups.into_values().filter(|g| g.len() >= 2).collect();
    for c in &mut clusters {
        c.sort_unstable();
    }
    clusters.sort_unstable();
    let t_lsh = t0.elapsed();

    let report = serde_json::json!({
        "schema": 1,
        "stats": {"documents": docs.len()},
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
        "floor-peer: {} documents, {} clusters, {} bucket links; bands {BANDS} x rows {ROWS}; read {:.2}s, parse + signatures {:.2}s, lsh + union-find {:.2}s, total {:.2}s",
        docs.len(),
        clusters.len(),
        edges.len(),
        t_read.as_secs_f64(),
        (t_sig - t_read).as_secs_f64(),
        (t_lsh - t_sig).as_secs_f64(),
        t0.elapsed().as_secs_f64()
    );
    Ok(())
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("floor-peer: {e}");
            return ExitCode::from(2);
        }
    };
    if let Err(e) = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads)
        .build_global()
    {
        eprintln!("floor-peer: {e}");
        return ExitCode::from(2);
    }
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("floor-peer: {e}");
            ExitCode::FAILURE
        }
    }
}
