#!/usr/bin/env bash
# bench/mem.sh - does redflag's peak RSS stay flat as the input grows?
#
#   bench/mem.sh [--sizes "256M 1G 2G"] [--stream-size 20G] [--zip-size 1G]
#                [--kinds "jsonl text"] [--jobs 2] [--out DIR]
#                [--corpus DIR] [--rules PATH] [--redflag BIN]
#
# Measures peak RSS (/usr/bin/time, max resident set) of
#   1. `redflag rules list`: loading and compiling the rules alone;
#   2. `redflag scan` of ONE file of each --sizes, for each --kinds
#      (one big file is the hard case: no help from file boundaries);
#   3. a streamed corpus of --stream-size that never touches the disk:
#      `gen_corpus.py --stream --size 20G | redflag scan -`
#      (the generator, ~30-40 MB/s, may be the slower side of the pipe;
#      the RSS measured is redflag's alone);
#   4. one USPTO weekly zip of --zip-size bytes of concatenated XML
#      (issue 3 item 7), reusing run.sh's corpus when present.
# Prints a Markdown table and writes OUT/mem.md. Set --stream-size 0 to
# skip the streamed run. Files go to --corpus (default
# ${TMPDIR:-/tmp}/redflag-bench-corpus), never into the repository.
set -u -o pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
SIZES="256M 1G 2G"
STREAM=20G
ZIPSIZE=1G
KINDS="jsonl text"
JOBS=2
OUT="$HERE/out"
CORPUS="${TMPDIR:-/tmp}/redflag-bench-corpus"
RULES=""
REDFLAG="$REPO/build-bench/redflag"
SEED=1

while [ $# -gt 0 ]; do
    case "$1" in
    --sizes) SIZES=$2; shift ;;
    --stream-size) STREAM=$2; shift ;;
    --zip-size) ZIPSIZE=$2; shift ;;
    --kinds) KINDS=$2; shift ;;
    --jobs) JOBS=$2; shift ;;
    --out) OUT=$2; shift ;;
    --corpus) CORPUS=$2; shift ;;
    --rules) RULES=$2; shift ;;
    --redflag) REDFLAG=$2; shift ;;
    -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "mem.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
    shift
done
log() { echo "mem.sh: $*" >&2; }
die() { echo "mem.sh: error: $*" >&2; exit 2; }
[ -x "$REDFLAG" ] || die "no redflag at $REDFLAG (run bench/run.sh once, or --redflag BIN)"
mkdir -p "$OUT" "$CORPUS"
OUT=$(cd "$OUT" && pwd)
# snapshot the shipped rules, so they cannot change under the run
if [ -z "$RULES" ]; then
    rm -rf "$OUT/rules-snapshot"
    cp -r "$REPO/rules" "$OUT/rules-snapshot" || die "cannot copy $REPO/rules"
    RULES="$OUT/rules-snapshot"
fi
RARGS=(--rules "$RULES")

ROWS="$OUT/mem.tsv"
printf 'what\tbytes\twall_s\tcpu_s\tmaxrss_kb\trc\tfindings\n' >"$ROWS"

# timed WHAT BYTES FINDINGS_FILE CMD...
timed() {
    local what=$1 bytes=$2 ff=$3
    shift 3
    /usr/bin/time -f '%e %U %S %M %x' -o "$OUT/.mtime" "$@" 2>"$OUT/.merr"
    local wall user sys rss rc n=""
    read -r wall user sys rss rc < <(grep -v '^Command' "$OUT/.mtime" | tail -1)
    [ -n "$ff" ] && [ -f "$ff" ] && n=$(wc -l <"$ff")
    if [ "${rc:-2}" -ge 2 ]; then
        log "$what failed (exit $rc): $(tail -2 "$OUT/.merr" | tr '\n' ' ')"
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$what" "$bytes" "$wall" \
        "$(python3 -c "print('%.2f' % ($user+$sys))")" "$rss" "$rc" "$n" >>"$ROWS"
    log "$what: $((rss / 1024)) MiB peak RSS, ${wall}s"
}

# the bench's own cache of compiled rules (see run.sh); the first row
# compiles cold, the second loads from the cache as every scan below does
export REDFLAG_CACHE_DIR="$OUT/cache"
log "compile only"
REDFLAG_CACHE_DIR=off timed "rules list, compile cold (no scan)" 0 "" "$REDFLAG" rules list "${RARGS[@]}"
"$REDFLAG" rules list "${RARGS[@]}" >/dev/null
timed "rules list, cached (no scan)" 0 "" "$REDFLAG" rules list "${RARGS[@]}"

for kind in $KINDS; do
    for size in $SIZES; do
        dir="$CORPUS/mem-$kind-$size-s$SEED"
        f="$dir/$(python3 "$HERE/gen_corpus.py" --kind "$kind" --files 1 --print-name)"
        if [ ! -f "$dir/manifest-$kind.json" ]; then
            log "generating one $size $kind file"
            rm -rf "$dir"
            python3 "$HERE/gen_corpus.py" --kind "$kind" --size "$size" \
                --seed "$SEED" --out "$dir" >/dev/null || die "gen_corpus.py failed"
        fi
        timed "$kind, one file of $size" "$(stat -c %s "$f")" "$OUT/mem-findings.jsonl" \
            "$REDFLAG" scan --quiet -j "$JOBS" "${RARGS[@]}" --format jsonl \
            --output "$OUT/mem-findings.jsonl" "$f"
    done
done

if [ "$STREAM" != 0 ]; then
    BYTES=$(python3 -c "import importlib.util,sys; s=importlib.util.spec_from_file_location('g','$HERE/gen_corpus.py'); g=importlib.util.module_from_spec(s); s.loader.exec_module(g); print(g.parse_size('$STREAM'))")
    log "streaming $STREAM of jsonl through stdin (this takes a while)"
    python3 "$HERE/gen_corpus.py" --kind jsonl --stream --size "$STREAM" --seed "$SEED" 2>"$OUT/.gen" |
        timed "jsonl, $STREAM streamed on stdin" "$BYTES" "$OUT/mem-findings.jsonl" \
            "$REDFLAG" scan --quiet -j "$JOBS" "${RARGS[@]}" --format jsonl \
            --output "$OUT/mem-findings.jsonl" -
    tail -1 "$OUT/.gen" >&2
    # the generator stops at a document boundary: record the true byte count
    real=$(sed -n 's/.*stream: \([0-9]*\) bytes.*/\1/p' "$OUT/.gen")
    [ -n "$real" ] && sed -i "s/^\(jsonl, $STREAM streamed on stdin\)\t$BYTES\t/\1\t$real\t/" "$ROWS"
fi

if [ "$ZIPSIZE" != 0 ]; then
    dir="$CORPUS/uspto-$ZIPSIZE-f1-s$SEED"   # the same folder run.sh uses
    zip="$dir/$(python3 "$HERE/gen_corpus.py" --kind uspto --files 1 --print-name)"
    if [ ! -f "$dir/manifest-uspto.json" ]; then
        log "generating a $ZIPSIZE USPTO weekly zip"
        rm -rf "$dir"
        python3 "$HERE/gen_corpus.py" --kind uspto --size "$ZIPSIZE" --files 1 \
            --seed "$SEED" --out "$dir" >/dev/null || die "gen_corpus.py failed"
    fi
    BYTES=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["bytes"])' "$dir/manifest-uspto.json")
    timed "USPTO weekly zip, $ZIPSIZE of concatenated XML" "$BYTES" "$OUT/mem-findings.jsonl" \
        "$REDFLAG" scan --quiet -j "$JOBS" "${RARGS[@]}" --format jsonl \
        --output "$OUT/mem-findings.jsonl" "$zip"
fi

python3 - "$ROWS" "$JOBS" <<'EOF' | tee "$OUT/mem.md"
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])][1:]
print("# redflag peak memory (`redflag scan -j %s`)\n" % sys.argv[2])
print("| input | bytes | wall s | CPU s | MB/s | peak RSS MiB | findings | exit |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for what, b, wall, cpu, rss, rc, n in rows:
    b = int(b); wall = float(wall)
    print("| %s | %s | %.1f | %s | %s | %.0f | %s | %s |" % (
        what, b or "", wall, cpu, "%.1f" % (b / wall / 1e6) if b and wall else "",
        int(rss) / 1024, n, rc))
rss = [int(r[4]) / 1024 for r in rows[2:]]
if rss:
    print("\nScans: peak RSS %.0f-%.0f MiB (rules from the cache: %.0f MiB; "
          "cold compile: %.0f MiB); target < 256 MiB: %s."
          % (min(rss), max(rss), int(rows[1][4]) / 1024, int(rows[0][4]) / 1024,
             "met" if max(rss) < 256 else "**not met**"))
EOF
rm -f "$OUT/.mtime" "$OUT/.merr" "$OUT/.gen"
