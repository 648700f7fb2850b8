#!/usr/bin/env bash
# Incremental benchmark of the persistent index (issue: nightly runs). Builds an index of
# BASE generated articles, then times one night of NIGHT new articles three ways, in one run
# on the same machine:
#   fingerprint  reprint dedup NIGHT            (no index: read, normalize, fingerprint, match)
#   read index   reprint index stats STATE      (open the index: read and check every file)
#   night        reprint dedup NIGHT --index STATE   (all of it, plus matching and the save)
# The claim to check: night ≈ fingerprint + read index. Prints a table with wall seconds and
# peak RSS (GNU time), and the index's size on disk per million documents.
#
# Usage: benches/incremental.sh [--base N_STORIES] [--night N_STORIES] [--out DIR] [--smoke]
#   --base N     stories in the base corpus (default 700000, about 1,000,000 articles)
#   --night N    stories in the night (default 7000, about 10,000 articles)
#   --out DIR    working directory (default target/incremental)
#   --chunk N    the base goes into the index as nights of N articles (default 100000)
#   --smoke      tiny sizes, for CI: checks the commands work, times mean nothing
set -euo pipefail
cd "$(dirname "$0")/.."

BASE=700000
NIGHT=7000
CHUNK=100000
OUT=target/incremental
while [ $# -gt 0 ]; do
    case "$1" in
        --base) BASE="$2"; shift 2 ;;
        --night) NIGHT="$2"; shift 2 ;;
        --out) OUT="$2"; shift 2 ;;
        --chunk) CHUNK="$2"; shift 2 ;;
        --smoke) BASE=300; NIGHT=40; CHUNK=200; OUT=target/incremental-smoke; shift ;;
        -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "incremental.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
done

TARGET=${CARGO_TARGET_DIR:-target}
# One build with the examples, as `cargo test` builds them (the same features: no second
# compile of the library).
cargo build --release --quiet --bins --examples
REPRINT="$TARGET/release/reprint"
SYNTH="$TARGET/release/examples/synth"
mkdir -p "$OUT"

if [ ! -f "$OUT/base/corpus.jsonl" ] || [ "$(cat "$OUT/base/.stories" 2>/dev/null)" != "$BASE" ]; then
    echo "incremental: generating base ($BASE stories)" >&2
    rm -rf "$OUT/base"
    "$SYNTH" --out "$OUT/base" --generated --stories "$BASE" --seed 11 --format jsonl >&2
    echo "$BASE" >"$OUT/base/.stories"
fi
if [ ! -f "$OUT/night/corpus.jsonl" ] || [ "$(cat "$OUT/night/.stories" 2>/dev/null)" != "$NIGHT" ]; then
    echo "incremental: generating night ($NIGHT stories)" >&2
    rm -rf "$OUT/night"
    "$SYNTH" --out "$OUT/night" --generated --stories "$NIGHT" --seed 12 --format jsonl >&2
    echo "$NIGHT" >"$OUT/night/.stories"
fi

# GNU time's "wall clock" and "Maximum resident set size" of one command.
measure() {
    local log="$OUT/$1.time"
    shift
    /usr/bin/time -v "$@" >"$OUT/last.out" 2>"$log" || {
        echo "incremental: FAILED: $*" >&2
        tail -n 30 "$log" >&2
        exit 1
    }
    local wall rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log" |
        awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$log")
    echo "$wall $rss"
}

# The format and parameters an index records (what a night checks before it matches).
index_identity() {
    "$REPRINT" index stats "$1" --format json 2>/dev/null | sed -n '/"format_version"/p; /"params"/,/}/p'
}
STATE="$OUT/state"
# A kept base index is reused only if this build would make one alike: a base index built by an
# earlier build with another normalizer or format is refused by the night (exit 2).
stale=0
if [ -f "$STATE/MANIFEST" ]; then
    rm -rf "$OUT/probe"
    head -n 1 "$OUT/night/corpus.jsonl" >"$OUT/probe.jsonl"
    "$REPRINT" dedup "$OUT/probe.jsonl" --index "$OUT/probe" --progress never -o /dev/null 2>/dev/null || true
    [ "$(index_identity "$STATE")" = "$(index_identity "$OUT/probe")" ] || stale=1
    rm -rf "$OUT/probe" "$OUT/probe.jsonl"
fi
if [ "$stale" = 1 ] || [ ! -f "$STATE/MANIFEST" ] || [ "$(cat "$OUT/.state-stories" 2>/dev/null)" != "$BASE" ]; then
    [ "$stale" = 1 ] && echo "incremental: the kept base index was built by another build; rebuilding it" >&2
    rm -rf "$STATE"
    # The base goes in as nights of CHUNK articles, as a real index grows, which also bounds
    # the memory of each build run.
    rm -rf "$OUT/chunks"
    mkdir -p "$OUT/chunks"
    split -l "$CHUNK" -d -a 4 --additional-suffix=.jsonl "$OUT/base/corpus.jsonl" "$OUT/chunks/night-"
    base_wall=0
    base_rss=0
    for chunk in "$OUT"/chunks/night-*.jsonl; do
        echo "incremental: adding $(basename "$chunk") to the base index" >&2
        read -r w r < <(measure base "$REPRINT" dedup "$chunk" --index "$STATE" --progress never -o /dev/null)
        base_wall=$(awk -v a="$base_wall" -v b="$w" 'BEGIN { printf "%.2f", a + b }')
        base_rss=$(( r > base_rss ? r : base_rss ))
    done
    echo "$BASE" >"$OUT/.state-stories"
    echo "$base_wall $base_rss" >"$OUT/.base-measure"
fi
read -r base_wall base_rss <"$OUT/.base-measure"

base_docs=$("$REPRINT" index stats "$STATE" --format json | awk -F': ' '/"documents"/ {gsub(/,/, "", $2); print $2; exit}')
base_bytes=$("$REPRINT" index stats "$STATE" --format json | awk -F': ' '/"bytes_on_disk"/ {gsub(/,/, "", $2); print $2; exit}')
night_docs=$(wc -l <"$OUT/night/corpus.jsonl")

read -r fp_wall fp_rss < <(measure fingerprint "$REPRINT" dedup "$OUT/night/corpus.jsonl" --progress never -o "$OUT/night-report.json")
read -r open_wall open_rss < <(measure open "$REPRINT" index stats "$STATE")
# Each timed night starts from a copy of the base index, so reruns measure the same work.
rm -rf "$OUT/state-night"
cp -r "$STATE" "$OUT/state-night"
read -r night_wall night_rss < <(measure night "$REPRINT" dedup "$OUT/night/corpus.jsonl" \
    --index "$OUT/state-night" --progress never -o "$OUT/night-index-report.json")
after_bytes=$("$REPRINT" index stats "$OUT/state-night" --format json | awk -F': ' '/"bytes_on_disk"/ {gsub(/,/, "", $2); print $2; exit}')

sum=$(awk -v a="$fp_wall" -v b="$open_wall" 'BEGIN { printf "%.2f", a + b }')
ratio=$(awk -v n="$night_wall" -v s="$sum" 'BEGIN { if (s > 0) printf "%.2f", n / s; else print "-" }')
per_million=$(awk -v b="$base_bytes" -v d="$base_docs" 'BEGIN { if (d > 0) printf "%.0f", b / d * 1000000 / 1048576; else print "-" }')

echo
echo "machine: $(nproc) cores, $(lscpu 2>/dev/null | awk -F': *' '/Model name/ {print $2; exit}')"
echo "index: $base_docs documents, $base_bytes bytes on disk ($per_million MiB per million documents); built as nights of $CHUNK articles in ${base_wall}s in all, peak RSS ${base_rss} MB"
echo "night: $night_docs articles; index after the night: $after_bytes bytes"
echo
echo "| step | wall s | peak RSS MB |"
echo "|---|---|---|"
echo "| fingerprint the night alone (\`dedup NIGHT\`) | $fp_wall | $fp_rss |"
echo "| read the index once (\`index stats STATE\`) | $open_wall | $open_rss |"
echo "| the night against the index (\`dedup NIGHT --index STATE\`) | $night_wall | $night_rss |"
echo "| night / (fingerprint + read) | $ratio | |"
