#!/usr/bin/env bash
# Zips as Python's zipfile writes them, read end to end by the binary:
# deflated and stored members go through src/input/zip.c (igzip), and a
# member in a method it leaves to libarchive (bzip2, LZMA) or with a CP437
# name hands the rest of the archive over in the middle. Every member must
# be scanned, in order, under its own name, at every -j, and a member whose
# CRC is wrong is named while the ones after it are still read. A gzip
# file in two streams (zip.c too) is one member.
. "$(dirname "$0")/lib.sh"
T=$RF_TMP
python3 - "$T" <<'PY'
import sys, zipfile, struct
d = sys.argv[1]
line = 'The face recognition module outputs the race of each person.\n'
def text(n):
    return ('member %d opens here.\n' % n + 'a camera focuses the lens. ' * 50
            + '\n' + line)
methods = [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED, zipfile.ZIP_BZIP2,
           zipfile.ZIP_DEFLATED, zipfile.ZIP_LZMA, zipfile.ZIP_DEFLATED]
with zipfile.ZipFile(d + '/mixed.zip', 'w') as zf:
    for n, m in enumerate(methods):
        zf.writestr(zipfile.ZipInfo('m%d.txt' % n), text(n), compress_type=m)
    # zip64 extra fields on a deflated member
    with zf.open('m6-zip64.txt', 'w', force_zip64=True) as f:
        f.write(text(6).encode())
    zf.writestr('名前/m7.txt', text(7), compress_type=zipfile.ZIP_DEFLATED)

# a CP437 name (no UTF-8 flag): handed to libarchive, which converts it
with zipfile.ZipFile(d + '/cp437.zip', 'w', zipfile.ZIP_DEFLATED) as zf:
    zf.writestr('a0.txt', text(0))
    zf.writestr('cafX.txt', text(1))
    zf.writestr('a2.txt', text(2))
data = bytearray(open(d + '/cp437.zip', 'rb').read())
at = data.find(b'cafX')
while at >= 0:
    data[at + 3] = 0x82  # CP437 e-acute
    at = data.find(b'cafX', at + 1)
open(d + '/cp437.zip', 'wb').write(bytes(data))

# the second member's CRC is wrong in its local header
with zipfile.ZipFile(d + '/crc.zip', 'w', zipfile.ZIP_DEFLATED) as zf:
    for n in range(3):
        zf.writestr('c%d.txt' % n, text(n))
data = bytearray(open(d + '/crc.zip', 'rb').read())
at = data.find(b'PK\x03\x04', data.find(b'c1.txt') - 40)
data[at + 14] ^= 0xFF
open(d + '/crc.zip', 'wb').write(bytes(data))

# a gzip file in two streams, as pigz and bgzip write: one member
import gzip
open(d + '/two.txt.gz', 'wb').write(gzip.compress(text(0).encode()) +
                                    gzip.compress(text(1).encode()))
PY

members() { grep -o '"member":"[^"]*"' "$1" | uniq | tr -d '\n'; }
want=''
for m in m0.txt m1.txt m2.txt m3.txt m4.txt m5.txt m6-zip64.txt 名前/m7.txt; do
  want="$want\"member\":\"$m\""
done
for j in 1 2; do
  "$REDFLAG" scan --format jsonl -j$j "$T/mixed.zip" >"$T/mixed-j$j.out" \
    2>"$T/mixed-j$j.err"
  expect_eq "$?" 1 "mixed -j$j: findings, no error"
  expect_eq "$(members "$T/mixed-j$j.out")" "$want" \
    "mixed -j$j: every member, in order, whatever its method"
  expect_grep ' 8 archive members, 8 documents' "$T/mixed-j$j.err" \
    "mixed -j$j: eight members read"
  expect_grep ' 0 errors' "$T/mixed-j$j.err" "mixed -j$j: no error"
done
if cmp -s "$T/mixed-j1.out" "$T/mixed-j2.out"; then pass; else
  fail "mixed: -j2 output differs from -j1"
fi

"$REDFLAG" scan --format jsonl "$T/cp437.zip" >"$T/cp437.out" 2>"$T/cp437.err"
expect_eq "$?" 1 "cp437: findings, no error"
expect_eq "$(members "$T/cp437.out")" \
  '"member":"a0.txt""member":"café.txt""member":"a2.txt"' \
  "cp437: the CP437 name is converted, the members around it read"

"$REDFLAG" scan --format jsonl "$T/crc.zip" >"$T/crc.out" 2>"$T/crc.err"
expect_eq "$?" 1 "crc: findings; a bad member is reported, not fatal"
expect_grep 'crc.zip.*c1.txt.*bad CRC-32' "$T/crc.err" \
  "crc: the file, the member and the CRC are named"
expect_grep ' 1 errors' "$T/crc.err" "crc: one error counted"
expect_eq "$(members "$T/crc.out")" \
  '"member":"c0.txt""member":"c2.txt"' \
  "crc: the members before and after it are scanned"
for j in 1 2; do
  "$REDFLAG" scan --format jsonl -j$j "$T/two.txt.gz" >"$T/two-j$j.out" \
    2>"$T/two-j$j.err"
  expect_eq "$?" 1 "gzip -j$j: findings, no error"
  expect_grep '"member":"two.txt"' "$T/two-j$j.out" \
    "gzip -j$j: one member, named after the file"
  # each stream holds 1433 bytes of text
  expect_grep ' 1 archive members, 1 documents, 2866 bytes' "$T/two-j$j.err" \
    "gzip -j$j: both streams read"
done
finish
