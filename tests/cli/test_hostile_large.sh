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
if ! $sanitized; then # the bound is a release build's
  if [ "${rss:-999999999}" -lt 262144 ]; then pass; else
    fail "long line: RSS ${rss} KB, want < 256 MB"; fi
fi

# phrase straddling a window cut (4 MiB windows, 1 KiB overlap)
{
  head -c $((4194304 - 10)) /dev/zero | tr '\0' b
  printf '%s' "$phrase"
  head -c 1000 /dev/zero | tr '\0' b
} > "$T/straddle.txt"
timeout 120 "$REDFLAG" scan --quiet --rules "$R" "$T/straddle.txt" >"$T/out" 2>"$T/err"
expect_eq "$(grep -c '"rule":"t-attr"' "$T/out")" 1 "window cut: the straddling phrase found once"
# the column counts from the line start, not from the window (4194294
# bytes of 'b', the space, "The ", then "face")
expect_grep '"column":4194300,' "$T/out" "window cut: column from the line start"
{
  printf 'x\n'
  head -c $((3 * 4194304)) /dev/zero | tr '\0' b
  printf '%s' "$phrase"
} > "$T/far.txt"
timeout 120 "$REDFLAG" scan --quiet --rules "$R" "$T/far.txt" >"$T/out" 2>"$T/err"
expect_grep '"line":2,"column":12582918,' "$T/out" "third window: line and column exact"

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

# ---- a row dense with term hits: evaluated in slices, memory bounded ----
# Every term hit of a section used to be held until the section was
# evaluated (32 bytes each); --max-hits bounds them, and a denser section
# is evaluated in slices. Sentence-scoped findings are the same either way.
n=60000; if $sanitized; then n=15000; fi
python3 - "$T/hits.jsonl" "$n" <<'EOF'
import json, sys
text = "The face attributes include race and the camera image shows the face. " * int(sys.argv[2])
with open(sys.argv[1], "w") as f:
    f.write(json.dumps({"publication_number": "US-1-A1",
        "description_localized": [{"text": text, "language": "en"}]}) + "\n")
    f.write(json.dumps({"publication_number": "US-2-A1",
        "abstract_localized": [{"text": "The face attributes include race.", "language": "en"}]}) + "\n")
EOF
"$REDFLAG" scan --quiet --rules "$R" --max-findings-per-doc 0 --max-hits 0 "$T/hits.jsonl" >"$T/whole.out" 2>"$T/err"
expect_eq "$(grep -c '"rule":"t-attr"' "$T/whole.out")" $((n + 1)) "dense row: one finding per sentence"
"$REDFLAG" scan --quiet --rules "$R" --max-findings-per-doc 0 --max-hits 5000 "$T/hits.jsonl" >"$T/sliced.out" 2>"$T/err"
if cmp -s "$T/whole.out" "$T/sliced.out"; then pass; else fail "dense row: sliced findings differ from whole"; fi
expect_grep 'warning: .*hits.jsonl \[document US-1-A1\]: a section holds more than max_hits \(5000\) term hits; it was evaluated in slices' \
  "$T/err" "dense row: slicing reported with the document"
expect_eq "$(grep -c 'max_hits' "$T/err")" 1 "dense row: only the dense document is sliced"

# --max-memory holds: a 17 MB row of 2.4 million hits within 200 MB (holding
# every hit, and parsing the first row whole to sniff the format, took
# 249 MB with the same budget)
python3 - "$T/heavy.jsonl" <<'EOF'
import json, sys
text = "face race face race face race image camera. " * 400000
open(sys.argv[1], "w").write(json.dumps({"publication_number": "US-3-A1",
    "description_localized": [{"text": text, "language": "en"}]}) + "\n")
EOF
/usr/bin/time -f '%M' -o "$T/rss" "$REDFLAG" scan --quiet --rules "$R" -j1 --max-memory 200000000 --max-findings-per-doc 0 \
  "$T/heavy.jsonl" >"$T/out" 2>"$T/err"
expect_grep 'heavy.jsonl \[document US-3-A1\]: a section holds more than max_hits' "$T/err" "heavy row: sliced"
if [ "$(grep -c '"rule":"t-attr"' "$T/out")" -gt 1000 ]; then pass; else fail "heavy row: findings lost"; fi
rss=$(tail -n1 "$T/rss")
if ! $sanitized; then
  if [ "${rss:-999999999}" -lt 195312 ]; then pass; else
    fail "heavy row: RSS ${rss} KB over the 200 MB --max-memory"; fi
fi

# a row too long to hold is skipped, and the rows after it are read
python3 - "$T/long2.jsonl" <<'EOF'
import json, sys
with open(sys.argv[1], "w") as f:
    f.write(json.dumps({"publication_number": "US-4-A1",
        "description_localized": [{"text": "filler words. " * 400000, "language": "en"}]}) + "\n")
    f.write(json.dumps({"publication_number": "US-5-A1",
        "abstract_localized": [{"text": "The face attributes include race.", "language": "en"}]}) + "\n")
EOF
"$REDFLAG" scan --quiet --rules "$R" --max-document-size 1000000 "$T/long2.jsonl" >"$T/out" 2>"$T/err"
expect_grep 'long2.jsonl:1: row longer than 4000000 bytes \(4 x max_document_size\); skipped' "$T/err" \
  "long row: skipped with file and line"
expect_grep '"US-5-A1"' "$T/out" "long row: the next row is read"

# columns in a long line count characters from the line start (regression:
# each finding walked back to the start of its line, quadratic in a row)
python3 - "$T/col.txt" "$T/col.want" <<'EOF'
import sys
line = "过滤 " * 200000 + "The face attributes include race. " + "过滤 " * 1000 + "The face attributes include race."
open(sys.argv[1], "w").write("first line\n" + line + "\n")
a = line.index("face") + 1
b = line.index("face", a) + 1
open(sys.argv[2], "w").write("%d %d\n" % (a, b))
EOF
"$REDFLAG" scan --quiet --rules "$R" "$T/col.txt" >"$T/out" 2>"$T/err"
expect_eq "$(grep -o '"column":[0-9]*' "$T/out" | cut -d: -f2 | tr '\n' ' ' | sed 's/ $//')" \
  "$(cat "$T/col.want")" "long line: columns in characters"

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
