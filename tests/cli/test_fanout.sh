#!/usr/bin/env bash
# One large archive member parsed and scanned on several threads
# (src/scan/fanout.c): a zip whose one member is ~40 MB of concatenated
# USPTO documents is cut into pieces at `<?xml` line starts when there is
# more than one job. The output must be the bytes -j1 writes: findings,
# places, document indexes, errors and counts, for a good member, one with
# a malformed document, one with no seam to cut at, one in a zip inside a
# zip, a truncated one and ones over a limit. Run in the ThreadSanitizer
# build too.
. "$(dirname "$0")/lib.sh"
T=$RF_TMP
python3 - "$T" <<'PY'
import sys, zipfile
d = sys.argv[1]
filler = ' '.join('the camera module %d focuses the image sensor onto the '
                  'frame' % i for i in range(150))

def member(bad=(), glued=False):
    parts = []
    for n in range(4000):  # ~40 MB: over the 32 MiB a member needs to be cut
        claim = ('wherein the attributes include gender, age and race (Han, '
                 'Uyghur).' if n % 97 == 5 else
                 'wherein the attributes include clothing color.')
        doc = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE '
            'us-patent-grant SYSTEM "us-patent-grant-v45-2014-04-03.dtd" '
            '[ ]>\n'
            # a line start with "<?xml" that opens no document
            '<?xml-stylesheet type="text/xsl" href="grant.xsl"?>\n'
            '<us-patent-grant lang="EN" file="US%08d-20220104.XML" '
            'country="US">\n<us-bibliographic-data-grant>'
            '<publication-reference><document-id><country>US</country>'
            '<doc-number>%08d</doc-number><kind>B2</kind><date>20220104'
            '</date></document-id></publication-reference>\n'
            '<invention-title id="t">Pedestrian attribute recognition'
            '</invention-title>\n</us-bibliographic-data-grant>\n'
            '<description id="description">\n<p id="p-0001" num="0001">%s'
            '</p>\n</description>\n<claims id="claims">\n'
            '<claim id="CLM-00001" num="00001"><claim-text>1. A pedestrian '
            'attribute recognition system, comprising a camera and an '
            'attribute classifier that recognizes attributes of each '
            'detected pedestrian.</claim-text></claim>\n'
            '<claim id="CLM-00002" num="00002"><claim-text>2. The system of '
            'claim 1, %s</claim-text></claim>\n</claims>\n'
            '</us-patent-grant>\n' % (n, n, filler, claim))
        if n in bad:
            doc = doc.replace('</description>', '</descr>')
        if (glued and n < 3500) or n % 500 == 499:
            doc = doc.rstrip('\n')  # the next <?xml is not at a line start
        parts.append(doc)
    return ''.join(parts).encode()

def write(name, text):
    if name.endswith('.xml'):
        open(d + '/' + name, 'wb').write(text)
        return
    with zipfile.ZipFile(d + '/' + name, 'w', zipfile.ZIP_DEFLATED,
                         compresslevel=1) as zf:
        zf.writestr('week/ipg220104.xml', text)

write('good.zip', member())
# over chunk.c's 64 MiB: a file on disk is cut into pieces too
write('big.xml', member(bad=(100,)) + member(bad=(3000,)))
write('bad.zip', member(bad=(2000,)))
# no seam in the first 35 MB: read on one thread up to the first seam,
# then cut again
write('glued.zip', member(glued=True))
data = open(d + '/good.zip', 'rb').read()
open(d + '/cut.zip', 'wb').write(data[:len(data) // 2])
with zipfile.ZipFile(d + '/outer.zip', 'w', zipfile.ZIP_STORED) as zf:
    zf.write(d + '/good.zip', 'inner/good.zip')

# Many small members, as the EPO and the JPO ship their XML: handed to the
# workers whole, in batches, with members that must be read on the
# archive's thread in between (a large one cut into pieces, one over the
# batch size, a zip inside), a malformed one, a binary one and text.
one = member()
docs = one.split(b'<?xml version')[1:]
def small(n):
    return b'<?xml version' + docs[n % len(docs)]
inner = d + '/inner-many.zip'
with zipfile.ZipFile(inner, 'w', zipfile.ZIP_DEFLATED) as zf:
    for n in range(40):
        zf.writestr('inner/doc%03d.xml' % n, small(n + 90))
with zipfile.ZipFile(d + '/many.zip', 'w', zipfile.ZIP_DEFLATED,
                     compresslevel=1) as zf:
    for n in range(700):
        doc = small(n)
        if n == 300:
            doc = doc.replace(b'</description>', b'</descr>')
        zf.writestr('docs/a%04d.xml' % n, doc)
    zf.writestr('docs/big.xml', one)  # over 32 MiB: cut into pieces
    zf.writestr('docs/notes.txt', b'The face recognition module outputs '
                b'the race of each person.\n' * 3)
    zf.writestr('docs/blob.bin', bytes(range(256)) * 64)
    # over the 8 MiB a member may be to go whole: read on this thread
    zf.writestr('docs/long.txt', (b'a camera focuses the lens. ' * 400000)
                + b'The system classifies each face by ethnicity.\n')
    for n in range(700, 1400):
        zf.writestr('docs/b%04d.xml' % n, small(n))
    zf.write(inner, 'docs/inner.zip')
    for n in range(1400, 1500):
        zf.writestr('docs/c%04d.xml' % n, small(n))
data = open(d + '/many.zip', 'rb').read()
open(d + '/manycut.zip', 'wb').write(data[:len(data) * 3 // 5])

# a weekly member of huge documents (8 of 20 MB): every piece is one
# document, far over the 2 MiB a piece is meant to be
para = ('<p id="p-%05d" num="%05d">' + filler[:2000] + '</p>\n')
huge = []
for n in range(8):
    body = ''.join(para % (k, k) for k in range(9800))
    doc = docs[n].decode()
    start = doc.index('<p id="p-0001"')
    end = doc.index('</description>')
    huge.append(b'<?xml version' + (doc[:start] + body + doc[end:]).encode())
with zipfile.ZipFile(d + '/huge.zip', 'w', zipfile.ZIP_DEFLATED) as zf:
    zf.writestr('week/huge.xml', b''.join(huge))

# a member whose header says 1000 bytes and holds 10 MB: it cannot be
# held whole, and is read on the archive's thread once it shows
import struct
line = b'The face recognition module outputs the race of each person.\n'
with zipfile.ZipFile(d + '/liar.zip', 'w', zipfile.ZIP_DEFLATED) as zf:
    for n in range(5):
        zf.writestr('a%d.txt' % n, line)
    zf.writestr('big.txt', b'a camera focuses the lens. ' * 400000 + line)
    for n in range(5):
        zf.writestr('b%d.txt' % n, line)
data = bytearray(open(d + '/liar.zip', 'rb').read())
at = data.rfind(b'PK\x03\x04', 0, data.find(b'big.txt'))
data[at + 22:at + 26] = struct.pack('<I', 1000)  # uncompressed size
open(d + '/liar.zip', 'wb').write(bytes(data))
PY

scan() { # NAME JOBS FILE [OPTIONS...]
  local name=$1 j=$2 f=$T/$3
  shift 3
  timeout 600 "$REDFLAG" scan --format jsonl -j"$j" "$@" "$f" \
    >"$T/$name-j$j.out" 2>"$T/$name-j$j.err"
  echo $? >"$T/$name-j$j.rc"
}
same() { # NAME JOBS
  local a=$T/$1-j1 b=$T/$1-j$2
  expect_eq "$(cat "$b.rc")" "$(cat "$a.rc")" "$1 -j$2: exits as -j1"
  if cmp -s "$a.out" "$b.out" && cmp -s "$a.err" "$b.err"; then pass; else
    fail "$1 -j$2: output differs from -j1"
    diff "$a.err" "$b.err" | head -5 >&2
  fi
  expect_no_grep 'ThreadSanitizer|AddressSanitizer|runtime error' "$b.err" \
    "$1 -j$2: no sanitizer report"
}

for c in "good good.zip" "bad bad.zip"; do
  set -- $c
  for j in 1 2 3; do scan "$1" "$j" "$2"; done
  same "$1" 2
  same "$1" 3
done
for j in 1 2 3; do scan many "$j" many.zip; done
same many 2
same many 3
for c in "glued glued.zip" "outer outer.zip" "cut cut.zip" \
  "manycut manycut.zip" "manytotal many.zip --max-total-size 20000000" \
  "liar liar.zip" \
  "member good.zip --max-member-size 30000000" \
  "total outer.zip --max-total-size 30000000" \
  "ratio good.zip --max-ratio 20"; do
  set -- $c
  name=$1 f=$2
  shift 2
  scan "$name" 1 "$f" "$@"
  scan "$name" 2 "$f" "$@"
  same "$name" 2
done

# what -j1 and the others found is right, not only the same
n=$(grep -c '"rule"' "$T/good-j2.out")
if [ "$n" -gt 0 ]; then pass; else fail "good: no findings"; fi
expect_grep '"index":3982,.*"line":59736,.*«race» \(Han, «Uyghur»\)' \
  "$T/good-j2.out" "good: the last planted passage, its index and line"
expect_grep '1 files, 1 archive members, 4000 documents, 40844832 bytes' \
  "$T/good-j2.err" "good: the counts"
expect_eq "$(grep -c 'error:' "$T/bad-j2.err")" 1 "bad: one error"
expect_grep 'bad.zip \[member week/ipg220104.xml\] \[document #2001\]:30006 .*US-2000-B2: malformed XML: mismatched tag at line 30006' \
  "$T/bad-j2.err" "bad: file, member, document and line of the error"
expect_grep '"id":"US-2042-B2".*"index":2042,.*"line":30639,' \
  "$T/bad-j2.out" "bad: a passage after the malformed document, in its place"
expect_grep '"index":3982,.*"line":59736,' "$T/bad-j2.out" \
  "bad: the last planted passage is found"
expect_grep '3999 documents, .*1 errors' "$T/bad-j2.err" "bad: the counts"
expect_grep '"index":3982,' "$T/glued-j2.out" "glued: read to its end"
expect_grep 'inner/good.zip!week/ipg220104.xml' "$T/outer-j2.out" \
  "outer: the member of the inner zip is read"
expect_grep 'cut.zip.*week/ipg220104.xml.*(damaged|truncated).*\(1998 complete documents before it were\)' \
  "$T/cut-j2.err" "cut: the error counts the documents of the whole member"
expect_grep 'max_member_size' "$T/member-j2.err" "the member limit holds"
expect_grep 'max_total_size' "$T/total-j2.err" "the total limit holds"
expect_grep 'max_ratio' "$T/ratio-j2.err" "the ratio limit holds"

# many small members: every one read, in order, the bad one named
expect_grep '1 files, 1545 archive members, 5541 documents' \
  "$T/many-j2.err" "many: every member and document counted"
expect_eq "$(grep -c 'error:' "$T/many-j2.err")" 1 "many: one error"
expect_grep 'many.zip \[member docs/a0300.xml\].*malformed XML' \
  "$T/many-j2.err" "many: the malformed member named"
for m in docs/a0005.xml docs/big.xml docs/notes.txt docs/long.txt \
  'docs/inner.zip!inner/doc012.xml' docs/c1460.xml; do
  expect_grep "\"member\":\"$m\"" "$T/many-j2.out" "many: found in $m"
done
expect_grep 'max_total_size' "$T/manytotal-j2.err" \
  "many: the total limit holds"
expect_grep 'many' "$T/manycut-j2.err" "manycut: the damage is reported"

# huge documents: the pieces in flight are held to a budget in bytes and a
# slot does not keep a huge piece's memory, so the scan stays under 256 MiB
# at the default -j of this machine (the bound is checked in the release
# build only: sanitizers take memory of their own)
for j in 1 2 3; do
  /usr/bin/time -f '%M' -o "$T/huge-j$j.rss" timeout 600 "$REDFLAG" scan \
    --format jsonl -j$j "$T/huge.zip" >"$T/huge-j$j.out" 2>"$T/huge-j$j.err"
done
for j in 2 3; do
  if cmp -s "$T/huge-j1.out" "$T/huge-j$j.out" &&
    cmp -s "$T/huge-j1.err" "$T/huge-j$j.err"; then pass; else
    fail "huge: -j$j output differs from -j1"; fi
done
expect_grep '8 documents, 159395148 bytes' "$T/huge-j2.err" "huge: the counts"
if ! ldd "$REDFLAG" 2>/dev/null | grep -qE 'lib(a|t|ub)san'; then
  rss=$(tail -1 "$T/huge-j2.rss")
  if [ "$rss" -lt 262144 ]; then pass; else
    fail "huge: -j2 peaked at $rss KiB, over 256 MiB"; fi
fi
expect_eq "$(grep -o '"member":"[^"]*"' "$T/liar-j2.out" | tr -d '\n')" \
  "$(printf '"member":"%s"' a0.txt a1.txt a2.txt a3.txt a4.txt big.txt \
    b0.txt b1.txt b2.txt b3.txt b4.txt)" \
  "liar: every member found, in order, the one that lied included"

# A file on disk is cut at the same seams (chunk.c) and its pieces are
# moved back by the same code (shift.c): read whole from stdin, it must
# give the same findings and errors (but for the path), the malformed
# documents named and counted as one reader counts them.
scan file 2 big.xml
timeout 600 "$REDFLAG" scan --format jsonl -j2 - <"$T/big.xml" \
  >"$T/stdin.out" 2>"$T/stdin.err"
# (an expat message names its line as the piece counts it: the
# diagnostic's own line is right, the one in its text is left out here)
sed "s#$T/big.xml#-#g" "$T/file-j2.out" >"$T/file.out"
sed -E "s#$T/big.xml#-#g; s/ at line [0-9]+,/,/" "$T/file-j2.err" >"$T/file.err"
sed -Ei "s/ at line [0-9]+,/,/" "$T/stdin.err"
if cmp -s "$T/file.out" "$T/stdin.out"; then pass; else
  fail "big.xml: findings differ from a read from stdin"; fi
if cmp -s "$T/file.err" "$T/stdin.err"; then pass; else
  fail "big.xml: diagnostics differ from a read from stdin"
  diff "$T/file.err" "$T/stdin.err" | head -6 >&2
fi
expect_eq "$(grep -c 'error:' "$T/file-j2.err")" 2 "big.xml: two errors"
expect_grep '\[document #7001\]:[0-9]+ .*US-3000-B2' "$T/file-j2.err" \
  "big.xml: the second malformed document, named as one reader names it"

finish
