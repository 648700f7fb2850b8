#!/usr/bin/env bash
# Parameter sweep behind reprint's defaults (see DESIGN.md): runs `reprint dedup` over a grid of
# shingle sizes and thresholds on each labelled corpus given, and prints pairwise F1 and ARI.
# Usage: benches/sweep.sh CORPUS_DIR TRUTH.jsonl [CORPUS_DIR TRUTH.jsonl ...]
# Grid via env: SHINGLES="word:3 word:5" THRESHOLDS="0.4 0.5" CONTAINMENTS="0.8"
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/reprint
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
SHINGLES=${SHINGLES:-"word:2 word:3 word:4 word:5 char:7"}
THRESHOLDS=${THRESHOLDS:-"0.3 0.4 0.5 0.6"}
CONTAINMENTS=${CONTAINMENTS:-"0.7 0.8 0.9"}
printf '| corpus | shingle | threshold | containment | P | R | F1 | ARI |\n|---|---|---|---|---|---|---|---|\n'
while [ $# -ge 2 ]; do
  corpus=$1 truth=$2; shift 2
  for sh in $SHINGLES; do for t in $THRESHOLDS; do for c in $CONTAINMENTS; do
    "$bin" dedup "$corpus" --shingle "$sh" --threshold "$t" --containment "$c" \
      --progress never -o "$out/r.json" 2>/dev/null
    "$bin" eval --truth "$truth" "$out/r.json" --format json --worst 0 >"$out/s.json"
    python3 - "$out/s.json" "$(basename "$(dirname "$corpus")")/$(basename "$corpus")" "$sh" "$t" "$c" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
p = s["pairwise"]
print(f"| {sys.argv[2]} | {sys.argv[3]} | {sys.argv[4]} | {sys.argv[5]} | {p['precision']:.3f} | {p['recall']:.3f} | {p['f1']:.3f} | {s['ari']:.3f} |")
PY
  done; done; done
done
