#!/usr/bin/env bash
# bench/run.sh - redflag against ripgrep, grep, raw Hyperscan and the read
# limit, on the same generated files with the same lexicon, in one run.
#
#   bench/run.sh [--size 1G] [--rounds 3] [--files 16] [--out DIR]
#                [--corpus DIR] [--kinds "jsonl text uspto"] [--seed 1]
#                [--rules PATH | --fallback-rules] [--redflag BIN]
#                [--no-grep-utf8] [--timeout SEC]
#
# What it does, in order:
#   1. finds redflag (--redflag, else build-bench/redflag, built in Release
#      with cmake if missing);
#   2. generates the corpus with gen_corpus.py into --corpus (default
#      ${TMPDIR:-/tmp}/redflag-bench-corpus), one sub-folder per kind and
#      arguments, reused when its manifest says the same arguments;
#      text and jsonl are split into --files files (so -j matters for
#      every tool: rg and grep parallelise across files, not inside one);
#      uspto is ONE weekly zip (one member of --size bytes), as the USPTO
#      ships it;
#   3. writes the lexicon with `redflag rules terms --expanded` (the shipped
#      rules unless --rules; --fallback-rules uses bench/fallback_rules.py
#      when the shipped rules do not load, and marks the report); times the
#      rule compile cold (REDFLAG_CACHE_DIR=off) and from the on-disk cache
#      (OUT/cache, which every scan below then uses);
#   4. builds hs_ceiling (raw Hyperscan, same terms, same files), and runs
#      it also on what redflag's first pass looks for (`redflag rules terms
#      --anchors`): the floor of its two-pass scan;
#   5. warms the page cache, then runs every tool --rounds times,
#      rotating the order each round, each under /usr/bin/time;
#   6. summarises (summarize.py): median and min-max wall time, GB/s,
#      CPU seconds, peak RSS, ratios against the issue's targets, into
#      OUT/latest.md (printed) and OUT/raw.tsv.
#
# Nothing here asserts on time. Exit status 0 unless a tool failed (exit
# status >= 2, or a timeout), which the report also shows.
set -u -o pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)

SIZE=1G
ROUNDS=3
FILES=16
OUT="$HERE/out"
CORPUS="${TMPDIR:-/tmp}/redflag-bench-corpus"
KINDS="jsonl text uspto"
SEED=1
RULES=""
FALLBACK=0
REDFLAG=""
GREP_UTF8=1
TIMEOUT=3600

usage() { sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
    case "$1" in
    --size) SIZE=$2; shift ;;
    --rounds) ROUNDS=$2; shift ;;
    --files) FILES=$2; shift ;;
    --out) OUT=$2; shift ;;
    --corpus) CORPUS=$2; shift ;;
    --kinds) KINDS=$2; shift ;;
    --seed) SEED=$2; shift ;;
    --rules) RULES=$2; shift ;;
    --fallback-rules) FALLBACK=1 ;;
    --redflag) REDFLAG=$2; shift ;;
    --no-grep-utf8) GREP_UTF8=0 ;;
    --timeout) TIMEOUT=$2; shift ;;
    -h|--help) usage 0 ;;
    *) echo "run.sh: unknown argument '$1'" >&2; usage 2 >&2 ;;
    esac
    shift
done

log() { echo "run.sh: $*" >&2; }
die() { echo "run.sh: error: $*" >&2; exit 2; }

for t in rg grep cat unzip python3 /usr/bin/time; do
    command -v "$t" >/dev/null 2>&1 || die "'$t' is needed (apt-get install ripgrep unzip time)"
done
mkdir -p "$OUT" "$CORPUS" || die "cannot create $OUT or $CORPUS"
OUT=$(cd "$OUT" && pwd)
CORPUS=$(cd "$CORPUS" && pwd)

# ---------------------------------------------------------------- binary
if [ -z "$REDFLAG" ]; then
    REDFLAG="$REPO/build-bench/redflag"
    if [ ! -x "$REDFLAG" ]; then
        log "building $REDFLAG (Release)"
        cmake -S "$REPO" -B "$REPO/build-bench" -DCMAKE_BUILD_TYPE=Release >&2 &&
            cmake --build "$REPO/build-bench" -j"$(nproc)" --target redflag >&2 ||
            die "build failed"
    fi
fi
[ -x "$REDFLAG" ] || die "no redflag binary at $REDFLAG"
REDFLAG=$(cd "$(dirname "$REDFLAG")" && pwd)/$(basename "$REDFLAG")
# what was measured: the binary's hash and build time, the tree at the start
BINARY_NOTE="sha256 $(sha256sum "$REDFLAG" | cut -c1-12), built $(date -u -r "$REDFLAG" +'%Y-%m-%d %H:%M') UTC; tree at start $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$REPO" status --porcelain -- src cli include CMakeLists.txt 2>/dev/null | grep -q . && echo ' + uncommitted changes')"

# ----------------------------------------------------------------- rules
export REDFLAG_CACHE_DIR="$OUT/cache"   # see "compile time" below
rm -rf "$REDFLAG_CACHE_DIR"
# The shipped rules are snapshotted at the start, so every run of this
# benchmark sees the same rules (and the compiled cache stays valid) even if
# rules/ is edited meanwhile.
if [ -n "$RULES" ]; then
    RULES_NOTE="--rules $RULES"
else
    rm -rf "$OUT/rules-snapshot"
    cp -r "$REPO/rules" "$OUT/rules-snapshot" || die "cannot copy $REPO/rules"
    RULES="$OUT/rules-snapshot"
    RULES_NOTE="shipped rules (rules/ as of $(date -u +%H:%M) UTC, copied to $RULES)"
fi
RULES_ARGS=(--rules "$RULES")
if ! "$REDFLAG" rules terms --expanded "${RULES_ARGS[@]}" >"$OUT/terms.txt" 2>"$OUT/terms.err"; then
    if [ "$FALLBACK" = 1 ]; then
        log "the rules do not load ($(tail -1 "$OUT/terms.err")); using FALLBACK rules"
        rm -rf "$OUT/fallback-rules"
        python3 "$HERE/fallback_rules.py" "$OUT/fallback-rules" \
            --lexicon "$REPO/rules/lexicon" || die "fallback_rules.py failed"
        RULES_ARGS=(--rules "$OUT/fallback-rules")
        RULES_NOTE="FALLBACK RULES (bench/fallback_rules.py + rules/lexicon) - not the project's figures"
        "$REDFLAG" rules terms --expanded "${RULES_ARGS[@]}" >"$OUT/terms.txt" ||
            die "even the fallback rules do not load"
    else
        cat "$OUT/terms.err" >&2
        die "'redflag rules terms --expanded' failed; fix the rules, pass --rules PATH, or --fallback-rules to test the scripts"
    fi
fi
TERMS="$OUT/terms.txt"
NTERMS=$(grep -c . "$TERMS")
[ "$NTERMS" -gt 0 ] || die "the lexicon is empty"
log "lexicon: $NTERMS expanded terms from $RULES_NOTE"

# what redflag's first pass looks for: the floor of its two-pass scan
# (`rules terms --anchors`; a redflag without it: the anchor sets' terms)
ANCHORS=""
if "$REDFLAG" rules terms --anchors "${RULES_ARGS[@]}" >"$OUT/anchors.txt" 2>"$OUT/anchors.err" &&
    [ -s "$OUT/anchors.txt" ]; then
    ANCHORS="$OUT/anchors.txt"
    log "anchor lexicon: $(grep -c . "$ANCHORS") terms (redflag rules terms --anchors)"
elif "$REDFLAG" rules terms --expanded --sets "${RULES_ARGS[@]}" 2>/dev/null |
    python3 "$HERE/anchor_terms.py" "$RULES" >"$OUT/anchors.txt" 2>"$OUT/anchors.err"; then
    ANCHORS="$OUT/anchors.txt"
    log "anchor lexicon: $(grep -c . "$ANCHORS") terms (anchor_terms.py)"
else
    log "no anchor lexicon ($(tail -1 "$OUT/anchors.err")); hs-anchor skipped"
fi

# ------------------------------------------------------------ hs_ceiling
HS=""
if pkg-config --exists libhs 2>/dev/null; then
    if [ ! -x "$OUT/hs_ceiling" ] || [ "$HERE/hs_ceiling.c" -nt "$OUT/hs_ceiling" ]; then
        cc -O2 -o "$OUT/hs_ceiling" "$HERE/hs_ceiling.c" \
            $(pkg-config --cflags --libs libhs) -lpthread || log "hs_ceiling did not build; skipped"
    fi
    [ -x "$OUT/hs_ceiling" ] && HS="$OUT/hs_ceiling"
fi

# ---------------------------------------------------------------- corpus
# gen KIND FILES -> sets CDIR; regenerates only when the manifest differs
gen() {
    local kind=$1 nfiles=$2
    CDIR="$CORPUS/$kind-$SIZE-f$nfiles-s$SEED"
    local want
    want=$(python3 - "$HERE/gen_corpus.py" "$kind" "$SIZE" "$nfiles" "$SEED" <<'EOF'
import sys, importlib.util
spec = importlib.util.spec_from_file_location("g", sys.argv[1]); g = importlib.util.module_from_spec(spec); spec.loader.exec_module(g)
print("%d %s %s %s %s" % (g.GEN_VERSION, sys.argv[2], g.fmt_size(g.parse_size(sys.argv[3])), sys.argv[4], sys.argv[5]))
EOF
)
    local have=""
    if [ -f "$CDIR/manifest-$kind.json" ]; then
        have=$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print("%d %s %s %d %s" % (m["generator_version"], m["kind"], m["size"], m["files"], m["seed"]))' "$CDIR/manifest-$kind.json" 2>/dev/null)
    fi
    if [ "$have" = "$want" ]; then
        log "reusing corpus $CDIR"
    else
        log "generating $kind corpus, $SIZE in $nfiles file(s), into $CDIR"
        rm -rf "$CDIR"
        python3 "$HERE/gen_corpus.py" --kind "$kind" --size "$SIZE" \
            --files "$nfiles" --seed "$SEED" --out "$CDIR" >/dev/null ||
            die "gen_corpus.py failed"
    fi
}

# ---------------------------------------------------------------- timing
RAW="$OUT/raw.tsv"
printf 'kind\ttool\tround\twall_s\tuser_s\tsys_s\tmaxrss_kb\trc\tload1\tbytes\n' >"$RAW"
FAILED=0

# measure KIND TOOL ROUND BYTES CMD...: one timed run, appended to raw.tsv
measure() {
    local kind=$1 tool=$2 round=$3 bytes=$4
    shift 4
    local tf="$OUT/.time" load
    load=$(cut -d' ' -f1 /proc/loadavg)
    timeout "$TIMEOUT" /usr/bin/time -f '%e %U %S %M %x' -o "$tf" "$@" \
        >"$OUT/.stdout" 2>"$OUT/.stderr"
    local trc=$?
    local wall user sys rss rc
    read -r wall user sys rss rc < <(grep -v '^Command' "$tf" | tail -1)
    if [ "$trc" = 124 ]; then rc=124; fi
    case "$tool" in
    redflag*) [ "$rc" = 1 ] && rc=0 ;;                # 1 = findings
    rg*|grep*|unzip-rg) [ "$rc" = 1 ] && rc=0 ;;      # 1 = no line matched
    esac
    if [ "${rc:-2}" != 0 ]; then
        FAILED=1
        log "$kind/$tool round $round failed (exit ${rc:-?}): $(tail -2 "$OUT/.stderr" | tr '\n' ' ')"
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$kind" "$tool" "$round" \
        "${wall:-0}" "${user:-0}" "${sys:-0}" "${rss:-0}" "${rc:-2}" "$load" \
        "$bytes" >>"$RAW"
    printf '  %-6s %-14s round %s: %7ss wall %7ss cpu %7s MiB  (load %s)\n' \
        "$kind" "$tool" "$round" "${wall:-?}" \
        "$(python3 -c "print('%.2f' % (${user:-0}+${sys:-0}))")" \
        "$(( ${rss:-0} / 1024 ))" "$load" >&2
}

# run_rounds KIND BYTES: the tools are in the arrays NAMES / CMDS (one
# string per tool, run with bash -c); round r starts at tool r mod n
run_rounds() {
    local kind=$1 bytes=$2 n=${#NAMES[@]} r i k
    for ((r = 1; r <= ROUNDS; r++)); do
        for ((i = 0; i < n; i++)); do
            k=$(( (i + r - 1) % n ))
            measure "$kind" "${NAMES[$k]}" "$r" "$bytes" bash -c "${CMDS[$k]}"
        done
    done
}

q() { printf '%q' "$1"; }
RF=$(q "$REDFLAG")
RARGS=""
for a in "${RULES_ARGS[@]}"; do RARGS+=" $(q "$a")"; done
TQ=$(q "$TERMS")

# Compiled databases are cached on disk (REDFLAG_CACHE_DIR, default
# ~/.cache/redflag). The bench keeps its own cache in OUT so it neither
# depends on nor disturbs the user's, warms it once, and scans with it, as
# a user re-scanning does. The compile is timed both ways: cold (cache off:
# load the rules, expand, compile with Hyperscan) and cached (load, expand,
# hash, deserialise).
"$REDFLAG" rules list "${RULES_ARGS[@]}" >/dev/null || die "redflag rules list failed"
NAMES=("compile-cold" "compile-cached")
CMDS=("REDFLAG_CACHE_DIR=off $RF rules list$RARGS >/dev/null"
      "$RF rules list$RARGS >/dev/null")
log "rule compile time ($ROUNDS rounds)"
run_rounds rules 0

MANIFESTS=()
for kind in $KINDS; do
    case "$kind" in
    text|jsonl)
        gen "$kind" "$FILES"
        MANIFESTS+=("$CDIR/manifest-$kind.json")
        FL=""
        for f in $(python3 "$HERE/gen_corpus.py" --kind "$kind" --files "$FILES" --print-name); do
            FL+=" $(q "$CDIR/$f")"
        done
        BYTES=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["bytes"])' "$CDIR/manifest-$kind.json")
        NAMES=(cat redflag-j1 redflag-j2 rg-j1 rg-j2 rg-all-j1 grep-C)
        CMDS=("cat$FL >/dev/null"
              "$RF scan --quiet -j 1$RARGS --format jsonl --output $(q "$OUT/findings-$kind-j1.jsonl")$FL"
              "$RF scan --quiet -j 2$RARGS --format jsonl --output $(q "$OUT/findings-$kind-j2.jsonl")$FL"
              "rg -j1 -F -c -f $TQ$FL"
              "rg -j2 -F -c -f $TQ$FL"
              "rg -j1 -F --count-matches -f $TQ$FL"
              "LC_ALL=C grep -F -c -f $TQ$FL")
        if [ "$GREP_UTF8" = 1 ]; then
            NAMES+=(grep-UTF8)
            CMDS+=("LC_ALL=C.UTF-8 grep -F -c -f $TQ$FL")
        fi
        if [ -n "$HS" ]; then
            NAMES+=(hs-j1 hs-j2)
            CMDS+=("$(q "$HS") -j1 $TQ$FL" "$(q "$HS") -j2 $TQ$FL")
            if [ -n "$ANCHORS" ]; then
                NAMES+=(hs-anchor-j1)
                CMDS+=("$(q "$HS") -j1 $(q "$ANCHORS")$FL")
            fi
        fi
        ;;
    uspto)
        gen uspto 1
        MANIFESTS+=("$CDIR/manifest-uspto.json")
        ZIP=$(python3 "$HERE/gen_corpus.py" --kind uspto --files 1 --print-name)
        ZQ=$(q "$CDIR/$ZIP")
        BYTES=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["bytes"])' "$CDIR/manifest-uspto.json")
        NAMES=(unzip-cat unzip-rg redflag-j1 redflag-j2 cat-zip)
        CMDS=("unzip -p $ZQ >/dev/null"
              "unzip -p $ZQ | rg -F -c -f $TQ"
              "$RF scan --quiet -j 1$RARGS --format jsonl --output $(q "$OUT/findings-uspto-j1.jsonl") $ZQ"
              "$RF scan --quiet -j 2$RARGS --format jsonl --output $(q "$OUT/findings-uspto-j2.jsonl") $ZQ"
              "cat $ZQ >/dev/null")
        if [ -n "$HS" ]; then
            NAMES+=(unzip-hs)
            CMDS+=("unzip -p $ZQ | $(q "$HS") $TQ -")
            if [ -n "$ANCHORS" ]; then
                NAMES+=(unzip-hs-anchor)
                CMDS+=("unzip -p $ZQ | $(q "$HS") $(q "$ANCHORS") -")
            fi
        fi
        ;;
    *) die "unknown kind '$kind' (text, jsonl, uspto)" ;;
    esac
    log "$kind: warming the page cache"
    eval "cat${FL:-} ${ZQ:-} >/dev/null"
    log "$kind: $ROUNDS rounds of ${NAMES[*]}"
    run_rounds "$kind" "$BYTES"
    FL=""
    ZQ=""
done

python3 "$HERE/summarize.py" --raw "$RAW" --out "$OUT/latest.md" \
    --redflag "$REDFLAG" --binary-note "$BINARY_NOTE" --rules-note "$RULES_NOTE" \
    --terms "$TERMS" --size "$SIZE" --files "$FILES" --rounds "$ROUNDS" \
    --findings-dir "$OUT" "${MANIFESTS[@]}" || die "summarize.py failed"
rm -f "$OUT/.time" "$OUT/.stdout" "$OUT/.stderr"
exit $FAILED
