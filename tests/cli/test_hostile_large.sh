#!/usr/bin/env bash
# Hostile inputs by size: a 1 GB single line streamed into `redflag scan -`
# (a planted phrase in the middle is found at its exact byte offset, with
# bounded memory), and a scan killed with SIGKILL midway (every complete
# JSONL line it wrote is valid JSON). Under a sanitizer build the line is
# 64 MB instead of 1 GB, which exercises the same windows in a tenth of the
# time; the RSS bound is checked in the release build only.
. "$(dirname "$0")/lib.sh"
R="$RF_SRC/tests/data/rules/basic.yaml"
T=$RF_TMP
sanitized=false
if ldd "$REDFLAG" 2>/dev/null | grep -qE 'lib(a|t|ub)san'; then
  sanitized=true
fi
half=536870912 # 512 MiB each side of the phrase
if $sanitized; then half=33554432; fi
phrase=' The face attributes include race. '

# ---- one line of 2 x half bytes + the phrase, from a pipe ----
{
  head -c "$half" /dev/zero | tr '\0' a
  printf '%s' "$phrase"
  head -c "$half" /dev/zero | tr '\0' a
} | /usr/bin/time -f '%M' -o "$T/rss" timeout 600 "$REDFLAG" scan --quiet --rules "$R" - \
  >"$T/out" 2>"$T/err"
rc=$?
expect_eq "$rc" 1 "long line: exit 1 (one finding)"
expect_eq "$(grep -c '"rule":"t-attr"' "$T/out")" 1 "long line: the phrase found once"
want=$((half + 5))
expect_grep "\"line\":1,.*\"start\":$want,\"end\":$((want + 28))|\"start\":$want,\"end\":$((want + 28))" \
  "$T/out" "long line: exact byte offset of the phrase"
expect_grep "^redflag: 1 files, 0 archive members, 1 documents, $((2 * half + ${#phrase})) bytes" \
  "$T/err" "long line: every byte read, one document"
rss=$(tail -n1 "$T/rss")
if $sanitized; then pass; elif [ "${rss:-999999999}" -lt 262144 ]; then pass; else
  fail "long line: RSS ${rss} KB, want < 256 MB"; fi

# phrase straddling a window cut (4 MiB windows, 1 KiB overlap)
{
  head -c $((4194304 - 10)) /dev/zero | tr '\0' b
  printf '%s' "$phrase"
  head -c 1000 /dev/zero | tr '\0' b
} > "$T/straddle.txt"
timeout 120 "$REDFLAG" scan --quiet --rules "$R" "$T/straddle.txt" >"$T/out" 2>"$T/err"
expect_eq "$(grep -c '"rule":"t-attr"' "$T/out")" 1 "window cut: the straddling phrase found once"

# ---- a document dense with findings: linear time ----
# 80,000 findings in 2.7 MB (regression: building each finding scanned
# every hit and every earlier fingerprint of the document - 47 s here)
python3 - "$T/dense.txt" <<'EOF'
import sys
with open(sys.argv[1], 'w') as f:
    f.write('The face attributes include race. Pedestrian ethnicity is estimated.\n' * 40000)
EOF
limit=20; if $sanitized; then limit=120; fi
start=$(date +%s)
timeout 600 "$REDFLAG" scan --quiet --rules "$R" --max-findings-per-doc 0 "$T/dense.txt" \
  >"$T/out" 2>"$T/err"
took=$(($(date +%s) - start))
expect_eq "$(grep -c '"rule":"t-attr"' "$T/out")" 80000 "dense: every finding reported"
if [ "$took" -le "$limit" ]; then pass; else fail "dense: took ${took}s, limit ${limit}s"; fi
expect_eq "$(grep -o '"fingerprint":"[0-9a-f]*"' "$T/out" | sort -u | wc -l)" 80000 \
  "dense: every fingerprint distinct"

# ---- SIGKILL midway: the JSONL written so far is valid, line by line ----
mkdir -p "$T/many"
python3 - "$T/many" <<'EOF'
import sys
d = sys.argv[1]
para = 'The face attributes include race. Pedestrian ethnicity is estimated.\n'
for i in range(40):
    with open('%s/f%02d.txt' % (d, i), 'w') as f:
        f.write(para * 40000)
EOF
"$REDFLAG" scan --quiet --rules "$R" -j2 --output "$T/killed.jsonl" "$T/many" 2>"$T/err" &
pid=$!
# wait until some output exists, then kill hard
for _ in $(seq 1 300); do
  if [ -s "$T/killed.jsonl" ]; then break; fi
  sleep 0.05
done
sleep 0.3
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
rc=$?
expect_eq "$rc" 137 "SIGKILL: the scan was killed midway"
lines=$(wc -l < "$T/killed.jsonl")
if [ "$lines" -gt 0 ]; then pass; else fail "SIGKILL: no complete line written before the kill"; fi
if python3 - "$T/killed.jsonl" <<'EOF'
import json, sys
data = open(sys.argv[1], 'rb').read()
complete = data[: data.rfind(b'\n') + 1] if b'\n' in data else b''
for n, line in enumerate(complete.split(b'\n')[:-1], 1):
    obj = json.loads(line)
    assert obj['rule'] in ('t-attr',), obj
EOF
then pass; else fail "SIGKILL: a complete line is not valid JSON"; fi

finish
