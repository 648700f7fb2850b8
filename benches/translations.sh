#!/usr/bin/env bash
# Translation benchmark: how well reprint groups a translation of a news story with its original
# ("match": "translation"), and what that costs in false groups across languages.
#
# Generates two corpora with examples/synth.rs from ../shared/eval/news-base (real WMT news, the
# same doc in 3-5 languages), both --lang any:
#   translations  --translations RATE --same-event 0.3: about RATE of the stories also published
#                 in 1-3 other language versions (same truth cluster), plus same-event hard
#                 negatives (another doc's text with a translated story's names and numbers)
#   same-language --translations 0: one language per story, as in benches/quality.sh
# and runs `reprint dedup DIR --progress never -o REPORT` on each, with default flags and with
# `--translations off`. Every run is scored by `reprint eval` (pairwise P/R/F1, ARI) and by an
# embedded python3 script: cross-language recall (truth pairs of two languages that the report
# puts in one cluster) and cross-language false pairs (report pairs of two languages that the
# truth keeps apart; in brackets, how many of them are a same-event negative and its story).
# One Markdown table is printed at the end and saved to OUT/translations.md.
#
# Usage: benches/translations.sh [--stories N] [--seed S] [--rate R] [--out DIR] [--no-build] [--smoke]
#   --stories N   stories in each generated corpus (default 600; the same-event negatives take
#                 docs of their own, so the translations corpus may get a few fewer)
#   --seed S      generator seed (default 1)
#   --rate R      --translations rate of the translations corpus (default 0.25)
#   --out DIR     working directory for corpora, reports and logs (default target/translations)
#   --no-build    use target/release/reprint and target/release/examples/synth as they are
#   --smoke       CI check: 40 stories, out dir target/translations-smoke; exits 1 if the generator,
#                 a default-flags run or a scoring failed (a reprint without --translations only
#                 gets FAILED rows for that flag)
# Without ../shared/eval/news-base the script says so and exits 0.
# A run or scoring that fails gets a FAILED row; the script does not stop for it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

STORIES=600
SEED=1
RATE=0.25
OUT=
BUILD=1
SMOKE=0
while [ $# -gt 0 ]; do
    case "$1" in
        --stories) STORIES="$2"; shift 2 ;;
        --seed) SEED="$2"; shift 2 ;;
        --rate) RATE="$2"; shift 2 ;;
        --out) OUT="$2"; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        --smoke) SMOKE=1; STORIES=40; shift ;;
        -h|--help) sed -n '2,29p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "translations.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
done

log() { echo "translations: $*" >&2; }
# shellcheck source=benches/synth-standalone.sh
. benches/synth-standalone.sh
NEWS_BASE=../shared/eval/news-base
if [ ! -f "$NEWS_BASE/articles.jsonl" ]; then
    log "$NEWS_BASE/articles.jsonl is absent: nothing to measure (translations need the real multilingual originals)"
    exit 0
fi
if [ -z "$OUT" ]; then
    if [ "$SMOKE" = 1 ]; then OUT=target/translations-smoke; else OUT=target/translations; fi
fi
TARGET_DIR=${CARGO_TARGET_DIR:-target}
REPRINT=$TARGET_DIR/release/reprint
SYNTH=$TARGET_DIR/release/examples/synth
mkdir -p "$OUT"
LOG="$OUT/build.log"
: >"$LOG"
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# --- build ------------------------------------------------------------------
REPRINT_BUILT=1
if [ "$BUILD" = 1 ]; then
    log "cargo build --release --examples --bins"
    if ! cargo build --release --examples --bins >>"$LOG" 2>&1; then
        REPRINT_BUILT=0
        log "cargo build --release --examples --bins failed (see $LOG): reprint rows will say FAILED"
        # The generator only needs crates.io dependencies: build examples/synth.rs alone.
        log "building examples/synth.rs standalone"
        build_synth_standalone
    fi
fi
[ -x "$REPRINT" ] || REPRINT_BUILT=0
if [ ! -x "$SYNTH" ]; then
    log "no generator at $SYNTH (drop --no-build?)"
    exit 1
fi
read -r -a EVAL_CMD <<<"${REPRINT_EVAL:-$REPRINT eval}"

# --- corpora ----------------------------------------------------------------
DATASETS=()   # name|dir
NOTES=()
gen() {
    local name="$1"
    shift
    log "generating $name ($STORIES stories, seed $SEED): $*"
    if "$SYNTH" --out "$OUT/data/$name" --from "$NEWS_BASE/articles.jsonl" --lang any --format txt \
        --stories "$STORIES" --seed "$SEED" "$@" 2>"$OUT/synth-$name.log"; then
        cat "$OUT/synth-$name.log" >&2
        DATASETS+=("$name|$OUT/data/$name")
        NOTES+=("$name ($*): $(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
extra = ""
if "translated_copies" in d:
    extra = ", %d translated copies of %d stories, %d same-event negatives" % (
        d["translated_copies"], d["translated_stories"], d["same_event_negatives"])
print("%d articles, %d stories, %d truth groups%s" % (d["articles"], d["stories"], d["groups"], extra))
' "$OUT/data/$name/synth.json")")
    else
        cat "$OUT/synth-$name.log" >&2
        log "the generator failed for $name"
        exit 1
    fi
}
gen translations --translations "$RATE" --same-event 0.3
gen same-language --translations 0

# --- scoring ----------------------------------------------------------------
# score TRUTH REPORT -> "P R F1 ARI" on stdout, or non-zero
score() {
    local json
    json=$("${EVAL_CMD[@]}" --truth "$1" "$2" --format json 2>>"$OUT/eval.log") || return 1
    python3 -c '
import json, sys
d = json.loads(sys.stdin.read())
p = d["pairwise"]
print("%.3f %.3f %.3f %.3f" % (p["precision"], p["recall"], p["f1"], d["ari"]))
' <<<"$json" 2>>"$OUT/eval.log"
}

# crosslang DATADIR REPORT -> "RECALL|FALSE" (two table cells) on stdout, or non-zero
crosslang() {
    python3 - "$1" "$2" <<'PY' 2>>"$OUT/eval.log"
import json, sys
from itertools import combinations

data, report = sys.argv[1], sys.argv[2]
lang = {}
for line in open(f"{data}/meta.jsonl", encoding="utf-8"):
    m = json.loads(line)
    lang[m["id"]] = m["lang"]
truth = {}
for line in open(f"{data}/truth.jsonl", encoding="utf-8"):
    g = json.loads(line)
    for i in g["ids"]:
        truth[i] = g["cluster"]
# same-event negatives: unordered pairs (an article of story X, an article of its negative N)
negative = set()
for line in open(f"{data}/hard_negatives.jsonl", encoding="utf-8"):
    h = json.loads(line)
    if h["kind"] == "same-event-other-language":
        xs, ns = h["stories"]
        negative.update(frozenset((a, b)) for a in xs for b in ns)


def norm(i):
    # report ids are relative to the corpus directory, as in truth and meta
    if i in lang:
        return i
    for cut in ("corpus/",):
        if cut in i:
            j = i.split(cut, 1)[1]
            if j in lang:
                return j
    raise SystemExit(f"report id {i!r} is not in meta.jsonl")


rep = json.load(open(report, encoding="utf-8"))
pred = {}
for c in rep["clusters"]:
    for m in c["members"]:
        pred[norm(m["id"])] = c["id"]

by_truth = {}
for i, c in truth.items():
    by_truth.setdefault(c, []).append(i)
total = found = 0
for ids in by_truth.values():
    for a, b in combinations(sorted(ids), 2):
        if lang[a] != lang[b]:
            total += 1
            found += a in pred and pred.get(a) == pred.get(b)
by_pred = {}
for i, c in pred.items():
    by_pred.setdefault(c, []).append(i)
false = same_event = 0
for ids in by_pred.values():
    for a, b in combinations(sorted(ids), 2):
        if lang[a] != lang[b] and not (a in truth and truth.get(a) == truth.get(b)):
            false += 1
            same_event += frozenset((a, b)) in negative
recall = "%.3f (%d/%d)" % (found / total, found, total) if total else "n/a (0 pairs)"
print("%s|%d (%d same-event)" % (recall, false, same_event))
PY
}

# --- runs -------------------------------------------------------------------
ROWS=()
FAILED=0
# run DATASET DATADIR LABEL NAME [FLAGS...]; adds a row
run() {
    local ds="$1" dir="$2" label="$3" name="$4"
    shift 4
    local report="$OUT/$ds/$name.json" logf="$OUT/$ds/$name.log"
    local t0 t1 wall s x
    mkdir -p "$OUT/$ds"
    rm -f "$report"
    if [ "$REPRINT_BUILT" = 0 ]; then
        ROWS+=("| $ds | $label | FAILED (build) | | | | | | |")
        FAILED=1
        return
    fi
    t0=$(now)
    if "$REPRINT" dedup "$dir/corpus" --progress never -o "$report" "$@" >"$logf" 2>&1 && [ -s "$report" ]; then
        t1=$(now)
        wall=$(elapsed "$t0" "$t1")
        if s=$(score "$dir/truth.jsonl" "$report") && x=$(crosslang "$dir" "$report"); then
            ROWS+=("| $ds | $label | $(echo "$s" | awk '{ print $1 " | " $2 " | " $3 " | " $4 }') | ${x/|/ | } | $wall |")
            log "$ds / $label: $s, cross-language $x (${wall}s)"
        else
            ROWS+=("| $ds | $label | eval FAILED (see $OUT/eval.log) | | | | | | $wall |")
            log "$ds / $label: scoring FAILED (see $OUT/eval.log)"
            FAILED=1
        fi
    else
        t1=$(now)
        wall=$(elapsed "$t0" "$t1")
        if [ "$#" -gt 0 ] && grep -q -e "unexpected argument '$1'" -e "invalid value .* for '$1" "$logf"; then
            ROWS+=("| $ds | $label | FAILED (this reprint has no $1; see $logf) | | | | | | |")
            log "$ds / $label: FAILED, this reprint does not take $* (see $logf)"
        else
            ROWS+=("| $ds | $label | FAILED (see $logf) | | | | | | $wall |")
            log "$ds / $label: FAILED (see $logf)"
            FAILED=1
        fi
    fi
}

for entry in "${DATASETS[@]}"; do
    IFS='|' read -r ds dir <<<"$entry"
    run "$ds" "$dir" "reprint (default flags)" default
    run "$ds" "$dir" "reprint --translations off" translations-off --translations off
done

# --- table ------------------------------------------------------------------
{
    echo
    for n in "${NOTES[@]}"; do echo "- $n"; done
    echo
    echo "| dataset | setting | pairwise P | R | F1 | ARI | cross-lang recall | cross-lang false pairs | wall s |"
    echo "|---|---|---|---|---|---|---|---|---|"
    printf '%s\n' "${ROWS[@]}"
    echo
    echo "Cross-lang recall: truth pairs whose articles are in two languages, found in one report cluster."
    echo "Cross-lang false pairs: report pairs in two languages that no truth group holds (same-event: a planted negative and the story whose names and numbers it took)."
} | tee "$OUT/translations.md"

if [ "$SMOKE" = 1 ] && [ "$FAILED" = 1 ]; then
    log "smoke: a run or its scoring failed"
    exit 1
fi
