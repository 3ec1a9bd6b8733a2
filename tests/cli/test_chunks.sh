#!/usr/bin/env bash
# A text file over 64 MiB is cut into pieces at blank lines (chunk.c) and
# each piece is read as a file of its own; the places of the findings in
# every piece are moved back by what the pieces before held (pool.c,
# shift.c). The text reader counts the pieces' line breaks itself. The
# findings must carry the true line and byte offset (checked against the
# file), and be those of the same bytes read from stdin, which is never
# cut. An archive over 64 MiB is read whole, whatever --format says.
. "$(dirname "$0")/lib.sh"
R="$RF_SRC/tests/data/rules/basic.yaml"
T=$RF_TMP
python3 - "$T" <<'PY'
import sys, zipfile
d = sys.argv[1]
# ~72 MB: lines of varied length, paragraphs of varied size, and a planted
# sentence every ~3 MB, so that every piece holds some and none is at a
# fixed place relative to a cut
planted = 'The face attributes include race.'
out = []
n = 0
size = 0
k = 0
while size < 72 * 2**20:
    line = 'line %d of the filler text %s' % (n, 'x' * (n * 7919 % 150))
    if n % 40000 == 17:
        line = 'line %d: %s' % (n, planted)
        k += 1
    out.append(line + '\n')
    size += len(line) + 1
    if n % (n % 13 + 5) == 0:
        out.append('\n')
        size += 1
    n += 1
open(d + '/big.txt', 'w').write(''.join(out))
with zipfile.ZipFile(d + '/big.zip', 'w', zipfile.ZIP_STORED) as zf:
    zf.writestr('notes/big.txt', ''.join(out))
open(d + '/planted.count', 'w').write('%d\n' % k)
PY
want=$(cat "$T/planted.count")
[ "$want" -ge 15 ] || fail "the file holds $want planted sentences"

# where the planted sentences are: line numbers and byte offsets
grep -n -b 'The face attributes include race' "$T/big.txt" |
  awk -F: '{ print $1, $2 }' >"$T/truth.txt"

scan() { # OUT ARGS...
  local out=$1
  shift
  timeout 600 "$REDFLAG" scan --quiet --rules "$R" --format jsonl "$@" \
    >"$T/$out" 2>"$T/$out.err"
  echo $? >"$T/$out.rc"
}
places() { # JSONL: "line offset" of each finding, the offset that of
  # its line's start in the file (as grep -b gives it)
  python3 - "$1" "$T/big.txt" <<'PY'
import json, sys
data = open(sys.argv[2], 'rb').read()
for row in open(sys.argv[1]):
    f = json.loads(row)
    print(f['line'], data.rfind(b'\n', 0, f['start']) + 1)
PY
}

for j in 1 2; do
  scan "file-j$j.jsonl" -j"$j" "$T/big.txt"
  expect_eq "$(cat "$T/file-j$j.jsonl.rc")" 1 "-j$j: exit 1 (findings)"
  places "$T/file-j$j.jsonl" | sort -n >"$T/places-j$j.txt"
  if cmp -s "$T/places-j$j.txt" "$T/truth.txt"; then pass; else
    fail "-j$j: findings' lines and offsets are not the file's"
    diff "$T/places-j$j.txt" "$T/truth.txt" | head -6 >&2
  fi
done

# what a finding says of its place and text (the path, document id and
# fingerprint name the file)
project() {
  python3 -c '
import json, sys
for row in open(sys.argv[1]):
    f = json.loads(row)
    print(f["line"], f["column"], f["start"], f["end"], f["snippet"])' "$1"
}
scan stdin.jsonl -j2 - <"$T/big.txt"
project "$T/file-j2.jsonl" >"$T/file.txt"
project "$T/stdin.jsonl" >"$T/stdin.txt"
expect_eq "$(wc -l <"$T/stdin.txt")" "$want" "stdin: every planted sentence"
if cmp -s "$T/file.txt" "$T/stdin.txt"; then pass; else
  fail "a file cut into pieces reports other findings than stdin"
  diff "$T/file.txt" "$T/stdin.txt" | head -4 >&2
fi

# --input-format text on a zip over 64 MiB: still an archive, read whole
# (it was cut at blank lines of its stored member, the first piece read as
# a truncated archive and the others as text)
scan zip.jsonl -j2 --input-format text "$T/big.zip"
expect_eq "$(cat "$T/zip.jsonl.rc")" 1 "zip: exit 1 (findings)"
expect_eq "$(grep -c '"member":"notes/big.txt"' "$T/zip.jsonl")" "$want" \
  "zip: every planted sentence found in the member"
expect_no_grep 'error:' "$T/zip.jsonl.err" "zip: no error"

finish
