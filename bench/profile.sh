#!/usr/bin/env bash
# bench/profile.sh - where does redflag spend its time? perf, else callgrind.
#
#   bench/profile.sh [--size 32M] [--kinds "text jsonl uspto"] [--jobs 1]
#                    [--top 25] [--out DIR] [--corpus DIR] [--rules PATH]
#                    [--redflag BIN] [--tool perf|callgrind]
#
# For each kind it generates one small corpus file (uspto: a weekly zip of
# concatenated XML) and profiles `redflag scan -j 1` on it:
#
#   perf (preferred; `perf stat -e instructions true` need not work: on VMs
#   without hardware counters the software clock `-e cpu-clock` is used):
#     1. the cold rule compile alone (`REDFLAG_CACHE_DIR=off redflag rules
#        list`), whole run;
#     2. the scan, rules loaded from a warm cache (OUT/cache), recorded from
#        80 % of the measured load time on; samples still in the rule
#        loading are set apart by perf_summary.py's phases;
#     call graphs by DWARF unwinding (libhs is stripped: its internals show
#     as addresses under libhs.so; the caller view attributes them).
#   callgrind (fallback, or --tool callgrind): collection toggled on for
#     rf_scanner__scan_doc only; valgrind runs ~50x slower, so use a small
#     --size and, if the shipped rules compile slowly, a small --rules.
#
# Prints, per profile: time by shared object, the top functions by self
# time, and redflag's own functions by inclusive time. Full reports are
# kept in OUT (default bench/out/profile): perf-*.data, *.txt.
set -u -o pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
SIZE=32M
KINDS="text jsonl uspto"
JOBS=1
TOP=25
OUT="$HERE/out/profile"
CORPUS="${TMPDIR:-/tmp}/redflag-bench-corpus"
RULES=""
REDFLAG="$REPO/build-bench/redflag"
TOOL=""
SEED=1
while [ $# -gt 0 ]; do
    case "$1" in
    --size) SIZE=$2; shift ;;
    --kinds) KINDS=$2; shift ;;
    --jobs) JOBS=$2; shift ;;
    --top) TOP=$2; shift ;;
    --out) OUT=$2; shift ;;
    --corpus) CORPUS=$2; shift ;;
    --rules) RULES=$2; shift ;;
    --redflag) REDFLAG=$2; shift ;;
    --tool) TOOL=$2; shift ;;
    -h|--help) sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "profile.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
    shift
done
log() { echo "profile.sh: $*" >&2; }
die() { echo "profile.sh: error: $*" >&2; exit 2; }
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

# ------------------------------------------------------------ which tool
EVENT=""
if [ -z "$TOOL" ] || [ "$TOOL" = perf ]; then
    if command -v perf >/dev/null 2>&1; then
        if perf stat -e instructions true 2>&1 | grep -q 'not supported\|not counted'; then
            EVENT=cpu-clock   # no hardware counters (VM): sample the clock
        else
            EVENT=cycles
        fi
        if perf record -e "$EVENT" -o "$OUT/.probe.data" true >/dev/null 2>&1; then
            TOOL=perf
        else
            log "perf cannot record here (perf_event_paranoid=$(cat /proc/sys/kernel/perf_event_paranoid 2>/dev/null)); trying callgrind"
            TOOL=""
        fi
        rm -f "$OUT/.probe.data"
    else
        log "no perf (Debian: apt-get install linux-perf); trying callgrind"
    fi
fi
if [ -z "$TOOL" ] || [ "$TOOL" = callgrind ]; then
    command -v valgrind >/dev/null 2>&1 || die "neither perf nor valgrind is usable"
    TOOL=callgrind
fi
log "profiling with $TOOL${EVENT:+ (event $EVENT)}"

# summary DATA NAME FOCUS: perf script -> perf_summary.py, saved and printed
summary() {
    perf script -i "$1" -F tid,ip,sym,dso 2>/dev/null |
        python3 "$HERE/perf_summary.py" --top "$TOP" --title "$2" --focus "$3" |
        tee "$OUT/$2.txt"
}

# ----------------------------------------------------------- the corpora
declare -A FILE
for kind in $KINDS; do
    dir="$CORPUS/prof-$kind-$SIZE-s$SEED"
    name=$(python3 "$HERE/gen_corpus.py" --kind "$kind" --files 1 --print-name)
    if [ ! -f "$dir/manifest-$kind.json" ]; then
        rm -rf "$dir"
        python3 "$HERE/gen_corpus.py" --kind "$kind" --size "$SIZE" --seed "$SEED" \
            --out "$dir" >/dev/null 2>&1 || die "gen_corpus.py failed"
    fi
    FILE[$kind]="$dir/$name"
done

echo "# redflag profile ($TOOL${EVENT:+, $EVENT}), $(date -u +%Y-%m-%d)"
echo
echo "redflag: \`$REDFLAG\`; rules: ${RULES:-shipped}; corpus: $SIZE per kind; \`scan -j $JOBS\`"
echo

if [ "$TOOL" = perf ]; then
    # 1. the cold compile alone (cache off); then the scans load the rules
    #    from the bench's cache, whose load time sets their --delay
    start=$(date +%s.%N)
    REDFLAG_CACHE_DIR=off perf record -e "$EVENT" -F 250 --call-graph dwarf,8192 \
        -o "$OUT/perf-compile.data" "$REDFLAG" rules list "${RARGS[@]}" \
        >/dev/null 2>"$OUT/perf-compile.log" ||
        die "perf record failed: $(tail -1 "$OUT/perf-compile.log")"
    end=$(date +%s.%N)
    echo "Rule compile, cold (\`REDFLAG_CACHE_DIR=off redflag rules list\`): $(python3 -c "print('%.2f' % ($end - $start))") s wall under perf."
    export REDFLAG_CACHE_DIR="$OUT/cache"
    "$REDFLAG" rules list "${RARGS[@]}" >/dev/null 2>&1
    start=$(date +%s.%N)
    "$REDFLAG" rules list "${RARGS[@]}" >/dev/null 2>&1
    end=$(date +%s.%N)
    COMPILE_MS=$(python3 -c "print(int(($end - $start) * 1000))")
    echo "Rules loaded from the compiled cache: ${COMPILE_MS} ms wall."
    echo
    summary "$OUT/perf-compile.data" compile compile
    # 2. each scan, recording from 80 % of the compile time on; the samples
    #    still inside the compile are set apart by perf_summary.py's phases
    DELAY=$(( COMPILE_MS * 8 / 10 ))
    for kind in $KINDS; do
        f=${FILE[$kind]}
        start=$(date +%s.%N)
        perf record -e "$EVENT" -F 999 --call-graph dwarf,16384 -D "$DELAY" \
            -o "$OUT/perf-$kind.data" "$REDFLAG" scan --quiet -j "$JOBS" \
            "${RARGS[@]}" --format jsonl --output "$OUT/findings-$kind.jsonl" "$f" \
            >/dev/null 2>"$OUT/perf-$kind.log"
        end=$(date +%s.%N)
        echo "Scan of \`$(basename "$f")\` ($(stat -c %s "$f") bytes on disk, $(wc -l <"$OUT/findings-$kind.jsonl") findings): $(python3 -c "print('%.2f' % ($end - $start))") s wall under perf (compile included), recording from ${DELAY} ms."
        echo
        summary "$OUT/perf-$kind.data" "scan-$kind" scan
    done
else
    for kind in $KINDS; do
        f=${FILE[$kind]}
        valgrind --tool=callgrind --collect-atstart=no \
            --toggle-collect='rf_scanner__scan_doc' \
            --callgrind-out-file="$OUT/callgrind-$kind.out" \
            "$REDFLAG" scan --quiet -j 1 "${RARGS[@]}" --format jsonl \
            --output "$OUT/findings-$kind.jsonl" "$f" >/dev/null 2>"$OUT/callgrind-$kind.log"
        {
            echo "### scan-$kind (callgrind, inside rf_scanner__scan_doc)"
            echo
            echo '```'
            callgrind_annotate --inclusive=no "$OUT/callgrind-$kind.out" 2>/dev/null |
                sed -n '/^-\{5,\}/,$p' | grep -E '^ *[0-9,]+ ' | head -"$TOP"
            echo '```'
            echo
        } | tee "$OUT/scan-$kind.txt"
    done
fi
