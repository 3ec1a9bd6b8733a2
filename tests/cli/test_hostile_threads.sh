#!/usr/bin/env bash
# The threaded scan under load, for the ThreadSanitizer build (and every
# other): many small files, a large one cut into pieces, archives and bad
# inputs scanned with -j4; the output must equal the -j1 output byte for
# byte, and no sanitizer may report anything.
. "$(dirname "$0")/lib.sh"
R="$RF_SRC/tests/data/rules/basic.yaml"
T=$RF_TMP
d=$T/tree
mkdir -p "$d/sub"
for i in $(seq 1 60); do
  printf 'file %d\nThe face attributes include race.\nnothing\n' "$i" > "$d/f$i.txt"
done
python3 - "$d/big.txt" <<'EOF'
import sys
with open(sys.argv[1], 'w') as f:
    for i in range(60000):
        f.write('line %d of filler text\n' % i)
        if i % 5000 == 0:
            f.write('Pedestrian ethnicity is estimated here.\n')
EOF
cp "$RF_SRC"/examples/patents/*.xml "$RF_SRC"/examples/patents/*.jsonl "$d/sub/"
(cd "$d" && zip -q sub.zip sub/*.xml f1.txt f2.txt)
printf 'face\0race\n' > "$d/bin.dat"
ln -s "$T/missing" "$d/dangling"

run() { # JOBS OUT
  timeout 600 "$REDFLAG" scan --quiet --rules "$R" -j"$1" --follow "$d" >"$2" 2>"$2.err"
  echo $? >"$2.rc"
}
run 1 "$T/j1.jsonl"
for n in 1 2 3; do
  run 4 "$T/j4-$n.jsonl"
  expect_eq "$(cat "$T/j4-$n.jsonl.rc")" 1 "-j4 run $n: exit 1 (findings)"
  if cmp -s "$T/j1.jsonl" "$T/j4-$n.jsonl"; then pass; else
    fail "-j4 run $n: output differs from -j1"; fi
  expect_no_grep 'ThreadSanitizer|AddressSanitizer|runtime error' "$T/j4-$n.jsonl.err" \
    "-j4 run $n: no sanitizer report"
done
expect_eq "$(cat "$T/j1.jsonl.rc")" 1 "-j1: exit 1"
n=$(grep -c '"rule"' "$T/j1.jsonl")
if [ "$n" -ge 70 ]; then pass; else fail "-j1: $n findings, want >= 70"; fi
expect_grep 'dangling.*cannot open' "$T/j1.jsonl.err" "the bad entry is reported"

# A zip member over 8 MiB is inflated on a thread of its own ahead of its
# reader when there is more than one job (src/input/prefetch.c). That moves
# where the reads happen, nothing else: -j2 must write what -j1 writes, for
# a good member, one inside a zip, members over a limit, and a damaged or
# truncated one (a clear error naming file and member, no hang).
z=$T/ahead
mkdir -p "$z"
python3 - "$z" <<'PY'
import sys, zipfile
d = sys.argv[1]
filler = ' '.join('the camera module %d focuses the image sensor' % i
                  for i in range(100))
docs = []
for n in range(2000):  # ~10 MB of USPTO XML: over the 8 MiB threshold
    plant = ('<p id="p-0002" num="0002">The face attributes include race.'
             '</p>' if n == 1950 else '')
    docs.append(
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE us-patent-grant '
        'SYSTEM "us-patent-grant-v45-2014-04-03.dtd" [ ]>\n<us-patent-grant '
        'lang="EN" file="US%08d-20220104.XML" country="US">\n'
        '<us-bibliographic-data-grant><publication-reference><document-id>'
        '<country>US</country><doc-number>%08d</doc-number><kind>B2</kind>'
        '<date>20220104</date></document-id></publication-reference>'
        '<invention-title id="t">Camera module</invention-title>'
        '</us-bibliographic-data-grant>\n<description id="description">'
        '<p id="p-0001" num="0001">%s</p>%s</description>\n'
        '</us-patent-grant>\n' % (n, n, filler, plant))
text = ''.join(docs).encode()
with zipfile.ZipFile(d + '/big.zip', 'w', zipfile.ZIP_DEFLATED,
                     compresslevel=1) as zf:
    zf.writestr('week/ipg220104.xml', text)
data = open(d + '/big.zip', 'rb').read()
# cut inside the member's deflate data
open(d + '/cut.zip', 'wb').write(data[:len(data) // 2])
# damaged, the zip otherwise whole: at three quarters of the member a
# deflate block of the reserved type 3 (after a full flush a block starts
# on a byte boundary), written as a zip by hand
import struct, zlib
c = zlib.compressobj(1, zlib.DEFLATED, -15)
first = c.compress(text[:len(text) * 3 // 4]) + c.flush(zlib.Z_FULL_FLUSH)
raw = bytearray(first + c.compress(text[len(text) * 3 // 4:]) + c.flush())
raw[len(first)] = 0x07  # BFINAL 1, BTYPE 3: "invalid block type"
name = b'week/ipg220104.xml'
crc = zlib.crc32(text)
local = struct.pack('<IHHHHHIIIHH', 0x04034b50, 20, 0, 8, 0, 0, crc,
                    len(raw), len(text), len(name), 0) + name
central = struct.pack('<IHHHHHHIIIHHHHHII', 0x02014b50, 20, 20, 0, 8, 0, 0,
                      crc, len(raw), len(text), len(name), 0, 0, 0, 0, 0,
                      0) + name
end = struct.pack('<IHHHHIIH', 0x06054b50, 0, 0, 1, 1, len(central),
                  len(local) + len(raw), 0)
open(d + '/bad.zip', 'wb').write(local + bytes(raw) + central + end)
with zipfile.ZipFile(d + '/outer.zip', 'w', zipfile.ZIP_STORED) as zf:
    zf.write(d + '/big.zip', 'inner/big.zip')
PY
scan_ahead() { # JOBS NAME FILE [OPTIONS...]
  local j=$1 name=$2 f=$3
  shift 3
  timeout 300 "$REDFLAG" scan --rules "$R" -j"$j" "$@" "$f" \
    >"$z/$name-j$j.out" 2>"$z/$name-j$j.err"
  echo $? >"$z/$name-j$j.rc"
}
for c in "big big.zip" "outer outer.zip" "cut cut.zip" "bad bad.zip" \
  "member big.zip --max-member-size 9000000" \
  "total outer.zip --max-total-size 9000000"; do
  set -- $c
  name=$1 f=$z/$2
  shift 2
  scan_ahead 1 "$name" "$f" "$@"
  scan_ahead 2 "$name" "$f" "$@"
  rc=$(cat "$z/$name-j2.rc")
  if [ "$rc" -le 2 ]; then pass; else
    fail "$name -j2: exit $rc (a hang is 124, a crash >= 128)"; fi
  expect_eq "$rc" "$(cat "$z/$name-j1.rc")" "$name: -j2 exits as -j1"
  if cmp -s "$z/$name-j1.out" "$z/$name-j2.out" &&
    cmp -s "$z/$name-j1.err" "$z/$name-j2.err"; then pass; else
    fail "$name: -j2 output differs from -j1"; fi
  expect_no_grep 'ThreadSanitizer|AddressSanitizer|runtime error' \
    "$z/$name-j2.err" "$name -j2: no sanitizer report"
done
expect_grep '"index":1950,.*The «face» attributes include «race»' "$z/big-j2.out" \
  "the phrase near the end is found"
expect_grep 'inner/big.zip!week/ipg220104.xml' "$z/outer-j2.out" \
  "the member of the inner zip is read"
expect_grep 'cut.zip.*week/ipg220104.xml.*(damaged|truncated)' "$z/cut-j2.err" \
  "a truncated member: file, member and cause"
expect_grep 'bad.zip.*week/ipg220104.xml.*(damaged|truncated)' "$z/bad-j2.err" \
  "a damaged member: file, member and cause"
expect_grep 'max_member_size' "$z/member-j2.err" "the member limit holds"
expect_grep 'max_total_size' "$z/total-j2.err" "the total limit holds"

finish
