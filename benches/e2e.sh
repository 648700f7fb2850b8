#!/usr/bin/env bash
# End-to-end speed benchmark: reprint against gaoya (Rust), datasketch (Python) and a bare floor
# on the same JSON Lines corpora, made by the project's generator (examples/synth.rs, --generated
# text, 400-800-word stories, about 30% reprints):
#   gen-10k, gen-100k      10,000 and 100,000 articles (gen-1m, 1,000,000, with --scale 1m)
#   exact-half-20k         20,000 articles, every second one an exact copy of the first
#   shared-footer-10k      10,000 short briefs above one long footer shared by all
# and on plain prose from ../shared/perf/gen_corpus.py (Zipf vocabulary from
# /usr/share/dict/words, 400-800 words, 30 % near-duplicates; needs numpy and wamerican):
#   prose-10k, prose-100k  (prose-1m with --scale 1m), --seed 100; its truth.tsv is turned into
#                          reprint eval's truth. Without the generator or its needs, the prose rows
#                          say why they are missing.
# Each corpus is generated once into OUT/data (kept for the next run while its arguments do not
# change). reprint runs with default flags at -j2 and -j1 (the two reports must be
# byte-identical); gaoya (benches/peers/gaoya, its own crate: MinHash 128 + its LSH index,
# 2 rayon threads) and datasketch (benches/peers/datasketch_lsh.py in a venv the script makes,
# 2 processes) both use word 5-shingles, 128 permutations and threshold 0.5. The bare floor
# (benches/peers/floor, its own crate, 2 threads) is the speed issue's minimal pipeline: NFKC +
# lowercase, word 5-shingles hashed once, MinHash 128, LSH 9x13, union-find, no verification.
# Every run is timed with /usr/bin/time -v and checked: exit status 0 and a JSON report that
# counts every article; reprint's -j2 report is also scored against the generator's truth
# (`reprint eval`), and a scoring that fails fails the run. One Markdown table is printed (and
# saved to OUT/e2e.md), then the scores; the table's last column is always the row's wall time
# over reprint -j2's, so below 1 means reprint -j2 is slower.
#
# Usage: benches/e2e.sh [--scale 100k|1m] [--no-peers] [--smoke] [--out DIR] [--peer-timeout S]
#   --scale 1m        also the 1,000,000-article corpus (about 4.6 GB, generated on the fly)
#   --no-peers        reprint only (no gaoya, datasketch or floor)
#   --smoke           CI check: tiny corpora (500 / 200 / 200 articles), peers skipped, out dir
#                     target/e2e-smoke; exits 1 if a reprint run fails its checks
#   --out DIR         working directory (default target/e2e)
#   --peer-timeout S  give up on a peer run after S seconds (default 900): a TIMEOUT row
# A run that fails gets a FAILED row; the script goes on (but --smoke exits 1 at the end).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SCALE=100k
PEERS=1
SMOKE=0
OUT=
PEER_TIMEOUT=900
while [ $# -gt 0 ]; do
    case "$1" in
        --scale) SCALE="$2"; shift 2 ;;
        --no-peers) PEERS=0; shift ;;
        --smoke) SMOKE=1; PEERS=0; shift ;;
        --out) OUT="$2"; shift 2 ;;
        --peer-timeout) PEER_TIMEOUT="$2"; shift 2 ;;
        -h|--help) sed -n '2,33p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "e2e.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
done
case "$SCALE" in 100k|1m) ;; *) echo "e2e.sh: --scale must be 100k or 1m" >&2; exit 2 ;; esac
if [ -z "$OUT" ]; then
    if [ "$SMOKE" = 1 ]; then OUT=target/e2e-smoke; else OUT=target/e2e; fi
fi
if [ ! -x /usr/bin/time ]; then
    # Peak RSS needs GNU time; the smoke run checks results without it.
    [ "$SMOKE" = 1 ] || { echo "e2e.sh: /usr/bin/time is needed (apt-get install time)" >&2; exit 2; }
    echo "e2e: /usr/bin/time not found: no peak RSS" >&2
fi

TARGET_DIR=${CARGO_TARGET_DIR:-target}
# Absolute, so that no later directory change or relative --out can lose a binary.
mkdir -p "$TARGET_DIR"
TARGET_DIR=$(cd "$TARGET_DIR" && pwd)
REPRINT=$TARGET_DIR/release/reprint
SYNTH=$TARGET_DIR/release/examples/synth
GAOYA=$TARGET_DIR/gaoya-peer/release/gaoya-peer
FLOOR=$TARGET_DIR/floor-peer/release/floor-peer
VENV=target/peer-venv
mkdir -p "$OUT/data" "$OUT/runs"
LOG="$OUT/build.log"
: >"$LOG"
log() { echo "e2e: $*" >&2; }
# shellcheck source=benches/peer-venv.sh
. benches/peer-venv.sh
now() { date +%s.%N; }

# --- build ------------------------------------------------------------------
log "cargo build --release (reprint, synth)"
if ! cargo build --release --bin reprint --example synth >>"$LOG" 2>&1; then
    log "build failed (see $LOG)"
    exit 1
fi
# build_peer NAME: builds benches/peers/NAME into $TARGET_DIR/NAME-peer, trying twice (a build
# once failed in cargo's rustc probe and succeeded when run again); a peer that does not build
# gets FAILED rows.
build_peer() {
    local try
    log "cargo build --release (benches/peers/$1)"
    for try in 1 2; do
        if cargo build --release --manifest-path "benches/peers/$1/Cargo.toml" \
            --target-dir "$TARGET_DIR/$1-peer" >>"$LOG" 2>&1 </dev/null \
            && [ -x "$TARGET_DIR/$1-peer/release/$1-peer" ]; then
            return 0
        fi
        log "the $1 peer did not build (attempt $try, see $LOG)"
    done
    log "the $1 peer did not build: its rows will say FAILED"
}
if [ "$PEERS" = 1 ]; then
    build_peer gaoya
    build_peer floor
    if ! ensure_peer_venv; then
        log "pip install failed (see $LOG): datasketch rows will say FAILED"
    fi
fi

# peer_missing BINARY: whether a peer's binary is absent (its build failed): its row then says
# so instead of running nothing (which `timeout` reports as exit 127).
peer_missing() {
    if [ -x "$1" ]; then return 1; fi
    STATUS="FAILED (not built, see $LOG)"; WALL=; CPU=; RSS_MB=
    return 0
}

# --- corpora ----------------------------------------------------------------
GEN=(--generated --words 400:800 --seed 3 --format jsonl)
CORPORA=()   # name|synth arguments
if [ "$SMOKE" = 1 ]; then
    CORPORA+=("gen-500|--articles 500" "exact-half-200|--articles 200 --adversarial exact-half"
        "shared-footer-200|--articles 200 --adversarial shared-footer")
else
    CORPORA+=("gen-10k|--articles 10000" "gen-100k|--articles 100000")
    [ "$SCALE" = 1m ] && CORPORA+=("gen-1m|--articles 1000000")
    CORPORA+=("exact-half-20k|--articles 20000 --adversarial exact-half"
        "shared-footer-10k|--articles 10000 --adversarial shared-footer"
        "prose-10k|prose 10000" "prose-100k|prose 100000")
    [ "$SCALE" = 1m ] && CORPORA+=("prose-1m|prose 1000000")
fi
PROSE_GEN=../shared/perf/gen_corpus.py

# prose_corpus NAME N -> OUT/data/NAME/corpus.jsonl and truth.jsonl from gen_corpus.py
prose_corpus() {
    local dir="$OUT/data/$1" args="prose -n $2 --seed 100"
    if [ -f "$dir/corpus.jsonl" ] && [ -f "$dir/truth.jsonl" ] && [ "$(cat "$dir/.args" 2>/dev/null)" = "$args" ]; then
        return 0
    fi
    if [ ! -f "$PROSE_GEN" ]; then
        echo "$PROSE_GEN not found" >"$OUT/synth-$1.log"; return 1
    fi
    log "generating $1 ($PROSE_GEN -n $2 --seed 100)"
    rm -rf "$dir"
    python3 "$PROSE_GEN" -n "$2" -o "$dir" --seed 100 --no-dir >"$OUT/synth-$1.log" 2>&1 || return 1
    # truth.tsv: id, the id it copies (-1 for an original), edits; one cluster per original.
    python3 - "$dir" <<'PY' 2>>"$OUT/synth-$1.log" || return 1
import collections, json, sys
d = sys.argv[1]
parent = {}
with open(f"{d}/truth.tsv") as f:
    for line in f:
        cols = line.rstrip("\n").split("\t")
        if len(cols) >= 2 and cols[0] != "id":
            parent[cols[0]] = cols[1]
def root(i):
    while parent.get(i, "-1") != "-1":
        i = parent[i]
    return i
groups = collections.defaultdict(list)
for i in parent:
    groups[root(i)].append(i)
with open(f"{d}/truth.jsonl", "w") as out:
    for r in sorted(groups):
        if len(groups[r]) > 1:
            out.write(json.dumps({"cluster": r, "ids": sorted(groups[r])}) + "\n")
PY
    echo "$args" >"$dir/.args"
}

# corpus NAME ARGS -> generates OUT/data/NAME/corpus.jsonl unless it is there with these ARGS
corpus() {
    local dir="$OUT/data/$1" args="$2 ${GEN[*]}"
    if [ -f "$dir/corpus.jsonl" ] && [ "$(cat "$dir/.args" 2>/dev/null)" = "$args" ]; then
        return 0
    fi
    log "generating $1 (synth $args)"
    rm -f "$dir/.args"
    # shellcheck disable=SC2086
    "$SYNTH" --out "$dir" $args 2>"$OUT/synth-$1.log" || { cat "$OUT/synth-$1.log" >&2; return 1; }
    echo "$args" >"$dir/.args"
}

# --- runs -------------------------------------------------------------------
# measure NAME TOOL EXPECTED_DOCS REPORT CMD... ; sets WALL, CPU (user + system seconds),
# RSS_MB, STATUS ("ok" or why not)
measure() {
    local name="$1" tool="$2" expected="$3" report="$4"
    shift 4
    local tlog="$OUT/runs/$name.$tool.time" elog="$OUT/runs/$name.$tool.log" t0 t1 rc=0
    rm -f "$report"
    t0=$(now)
    : >"$tlog"
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -v -o "$tlog" "$@" >"$elog" 2>&1 || rc=$?
    else
        "$@" >"$elog" 2>&1 || rc=$?
    fi
    t1=$(now)
    WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
    RSS_MB=$(awk -F: '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$tlog" 2>/dev/null || true)
    CPU=$(awk -F: '/User time|System time/ { s += $2 } END { if (NR) printf "%.1f", s }' "$tlog" 2>/dev/null || true)
    if [ "$rc" = 124 ]; then
        STATUS="TIMEOUT after ${PEER_TIMEOUT}s"
    elif [ "$rc" != 0 ]; then
        STATUS="FAILED (exit $rc, see $elog)"
    elif ! docs=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert isinstance(d["clusters"], list); print(d["stats"]["documents"])' "$report" 2>>"$elog"); then
        STATUS="FAILED (no valid report, see $elog)"
    elif [ "$docs" != "$expected" ]; then
        STATUS="FAILED (report counts $docs documents, corpus has $expected)"
    else
        STATUS=ok
    fi
    log "$name / $tool: $STATUS, ${WALL}s, ${RSS_MB:-?} MB"
}

ROWS=()
QUALITY=()
FAILED=0
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f×", a / b; else print "" }'; }
# row NAME DOCS MB TOOL RATIO
row() {
    if [ "$STATUS" = ok ]; then
        ROWS+=("| $1 | $2 | $3 | $4 | $WALL | ${CPU:-} | $(awk -v n="$2" -v w="$WALL" 'BEGIN { printf "%.0f", n / w }') | $(awk -v m="$3" -v w="$WALL" 'BEGIN { printf "%.1f", m / w }') | $RSS_MB | $5 |")
    else
        ROWS+=("| $1 | $2 | $3 | $4 | $STATUS | ${CPU:-} | | | ${RSS_MB:-} | |")
    fi
}

for entry in "${CORPORA[@]}"; do
    IFS='|' read -r name args <<<"$entry"
    case "$args" in
        prose\ *) make=(prose_corpus "$name" "${args#prose }") ;;
        *) make=(corpus "$name" "$args") ;;
    esac
    if ! "${make[@]}"; then
        ROWS+=("| $name | | | generator | FAILED (see $OUT/synth-$name.log) | | | | | |")
        FAILED=1
        continue
    fi
    file="$OUT/data/$name/corpus.jsonl"
    docs=$(wc -l <"$file" | tr -d ' ')
    mb=$(awk -v b="$(wc -c <"$file")" 'BEGIN { printf "%.1f", b / 1e6 }')
    run="$OUT/runs/$name"

    measure "$name" reprint-j2 "$docs" "$run.reprint-j2.json" \
        "$REPRINT" dedup "$file" -j2 --progress never -o "$run.reprint-j2.json"
    j2_status=$STATUS j2_wall=$WALL
    row "$name" "$docs" "$mb" "reprint -j2" ""
    [ "$STATUS" = ok ] || FAILED=1
    # A fast wrong answer is no result: the generator's truth scores reprint's report (the
    # exact-half corpus once came out as 304 clusters of one story and passed every other check).
    truth="$OUT/data/$name/truth.jsonl"
    if [ "$STATUS" = ok ] && [ -f "$truth" ]; then
        if "$REPRINT" eval --truth "$truth" "$run.reprint-j2.json" --format json >"$run.eval.json" 2>"$run.eval.log"; then
            QUALITY+=("| $name | $(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); p=r["pairwise"]; b=r["bcubed"]; print("%.3f | %.3f | %.3f | %.3f" % (p["precision"], p["recall"], p["f1"], b["f1"]))' "$run.eval.json") |")
            # Exact copies must all be found, however many share a bucket.
            case "$name" in exact-half-*)
                if ! python3 -c 'import json,sys; sys.exit(json.load(open(sys.argv[1]))["pairwise"]["recall"] < 0.99)' "$run.eval.json"; then
                    log "$name: exact copies split across clusters (pairwise recall < 0.99)"
                    FAILED=1
                fi ;;
            esac
        else
            QUALITY+=("| $name | FAILED (see $run.eval.log) | | | |")
            FAILED=1
        fi
    fi

    measure "$name" reprint-j1 "$docs" "$run.reprint-j1.json" \
        "$REPRINT" dedup "$file" -j1 --progress never -o "$run.reprint-j1.json"
    if [ "$STATUS" = ok ] && [ "$j2_status" = ok ] && ! cmp -s "$run.reprint-j1.json" "$run.reprint-j2.json"; then
        STATUS="FAILED (report differs from -j2)"
    fi
    [ "$STATUS" = ok ] || FAILED=1
    if [ "$j2_status" = ok ]; then
        row "$name" "$docs" "$mb" "reprint -j1" "$(ratio "$WALL" "$j2_wall") (-j1 / -j2)"
    else
        row "$name" "$docs" "$mb" "reprint -j1" ""
    fi

    [ "$PEERS" = 1 ] || continue
    peer_missing "$GAOYA" || measure "$name" gaoya "$docs" "$run.gaoya.json" \
        timeout "$PEER_TIMEOUT" "$GAOYA" "$file" "$run.gaoya.json" --threads 2 --num-perm 128 --ngram 5 --threshold 0.5
    row "$name" "$docs" "$mb" "gaoya 0.2, 2 threads" "$([ "$j2_status" = ok ] && ratio "$WALL" "$j2_wall")"
    measure "$name" datasketch "$docs" "$run.datasketch.json" \
        timeout "$PEER_TIMEOUT" "$VENV/bin/python" benches/peers/datasketch_lsh.py "$file" "$run.datasketch.json" \
        --jobs 2 --num-perm 128 --ngram 5 --threshold 0.5
    row "$name" "$docs" "$mb" "datasketch 1.6.5, 2 processes" "$([ "$j2_status" = ok ] && ratio "$WALL" "$j2_wall")"
    peer_missing "$FLOOR" || measure "$name" floor "$docs" "$run.floor.json" \
        timeout "$PEER_TIMEOUT" "$FLOOR" "$file" "$run.floor.json" --threads 2
    row "$name" "$docs" "$mb" "bare floor (word 5-shingles, 9×13), 2 threads" "$([ "$j2_status" = ok ] && ratio "$WALL" "$j2_wall")"
done

# --- table ------------------------------------------------------------------
{
    echo
    echo "| corpus | articles | MB | tool | wall s | CPU s | docs/s | MB/s | peak RSS MB | time / reprint -j2 |"
    echo "|---|---|---|---|---|---|---|---|---|---|"
    printf '%s\n' "${ROWS[@]}"
    echo
    echo "MB: corpus file size (10^6 bytes). CPU s: user + system time of the process and its children. Peak RSS: of the largest single process. Last column: the row's wall time over reprint -j2's on the same corpus, so below 1 means reprint -j2 is slower (for -j1 rows: the parallel speed-up; for the bare floor: how far reprint -j2 is above the floor)."
    echo "Load average (1, 5, 15 min) when the table was printed: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null), on $(nproc 2>/dev/null) cores."
    [ "$PEERS" = 1 ] || echo "Peers skipped."
    if [ "${#QUALITY[@]}" -gt 0 ]; then
        echo
        echo "reprint -j2 scored against the generator's truth (\`reprint eval\`):"
        echo
        echo "| corpus | pairwise P | R | F1 | B-cubed F1 |"
        echo "|---|---|---|---|---|"
        printf '%s\n' "${QUALITY[@]}"
    fi
} | tee "$OUT/e2e.md"

if [ "$SMOKE" = 1 ] && [ "$FAILED" = 1 ]; then
    log "smoke: a reprint run failed its checks"
    exit 1
fi
