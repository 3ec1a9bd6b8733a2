#!/usr/bin/env bash
# Hostile inputs, contained: every file here is built at test time in
# $RF_TMP, run through the real binary, and the test checks what a user
# would see - a clear diagnostic naming the file (and member), a summary
# that counts it, the rest of the scan intact, no crash (exit 0 or 1, never
# a signal), no hang (every run under `timeout`), and nothing read or
# written outside the inputs. docs/robustness.md lists the cases.
. "$(dirname "$0")/lib.sh"
R="$RF_SRC/tests/data/rules/basic.yaml"
T=$RF_TMP
GOOD="$T/good.txt"
printf 'The face attributes include race.\n' > "$GOOD"

# scan ARGS... : run redflag scan under a timeout; output in $T/out, $T/err
scan() {
  timeout 60 "$REDFLAG" scan --quiet --rules "$R" "$@" >"$T/out" 2>"$T/err"
  echo $? >"$T/rc"
}
# contained WHAT: exit 0 or 1 (findings), the summary line printed, and
# every output line is one JSON object
contained() {
  local rc; rc=$(cat "$T/rc")
  if [ "$rc" = 0 ] || [ "$rc" = 1 ]; then pass; else
    fail "$1: exit $rc"; sed 's/^/  stderr: /' "$T/err" | head -5 >&2
  fi
  expect_grep '^redflag: [0-9]+ files' "$T/err" "$1: summary"
  if python3 -c 'import json,sys
for l in open(sys.argv[1], encoding="utf-8"): json.loads(l)' "$T/out"; then
    pass; else fail "$1: output is not JSON Lines"; fi
}
# the good file scanned after the bad one still gives its finding
kept() {
  expect_grep '"path":"[^"]*good.txt".*"rule":"t-attr"|"rule":"t-attr".*"path":"[^"]*good.txt"' \
    "$T/out" "$1: the good file after it was still scanned"
}
errors() { sed -nE 's/.* ([0-9]+) errors, .*/\1/p' "$T/err" | tail -n1; }
binary() { sed -nE 's/.* ([0-9]+) binary skipped.*/\1/p' "$T/err" | tail -n1; }

# ---- XML entity expansion: billion laughs, quadratic blowup ----
python3 - "$T" <<'EOF'
import sys
d = sys.argv[1]
ents = '<!ENTITY l0 "lol">' + ''.join(
    '<!ENTITY l%d "%s">' % (i, ('&l%d;' % (i - 1)) * 10) for i in range(1, 10))
open(d + '/laughs.xml', 'w').write(
    '<?xml version="1.0"?><!DOCTYPE us-patent-grant [%s]><us-patent-grant>'
    '<abstract><p>&l9;</p></abstract></us-patent-grant>' % ents)
open(d + '/quadratic.xml', 'w').write(
    '<?xml version="1.0"?><!DOCTYPE us-patent-grant [<!ENTITY a "%s">]>'
    '<us-patent-grant><abstract><p>%s</p></abstract></us-patent-grant>'
    % ('x' * 50000, '&a;' * 50000))
open(d + '/deep.xml', 'w').write(
    '<?xml version="1.0"?><us-patent-grant>' + '<a>' * 100000 +
    '</a>' * 100000 + '</us-patent-grant>')
EOF
for f in laughs quadratic; do
  /usr/bin/time -f '%M' -o "$T/rss" timeout 60 "$REDFLAG" scan --quiet \
    --rules "$R" "$T/$f.xml" "$GOOD" >"$T/out" 2>"$T/err"
  echo $? >"$T/rc"
  contained "$f"
  expect_grep "$f.xml.*amplification" "$T/err" "$f: expat's amplification limit named"
  expect_eq "$(errors)" 1 "$f: counted as one error"
  kept "$f"
  rss=$(tail -n1 "$T/rss")
  if [ "${rss:-999999999}" -lt 1048576 ]; then pass; else fail "$f: RSS ${rss} KB"; fi
done

# ---- XML nested 100,000 deep: a clear error, no stack overflow ----
scan "$T/deep.xml" "$GOOD"
contained "deep"
expect_grep 'deep.xml.*nest deeper than 256 levels.*--max-xml-depth' "$T/err" "deep: depth limit named"
kept "deep"

# ---- external entities and DTDs: never opened ----
# The references point at FIFOs: opening one blocks until a writer comes,
# so a reader that followed them would hang (and `timeout` would fail the
# run); a regular file holding trigger words must not show up either.
mkfifo "$T/secret.fifo" "$T/secret.dtd"
printf 'race ethnicity face pedestrian SECRET\n' > "$T/secret.txt"
cat > "$T/xxe.xml" <<EOF
<?xml version="1.0"?>
<!DOCTYPE us-patent-grant [
<!ENTITY xxe SYSTEM "file://$T/secret.fifo">
<!ENTITY xxf SYSTEM "file://$T/secret.txt">
<!ENTITY % pe SYSTEM "file://$T/secret.fifo"> %pe;
]>
<us-patent-grant><abstract><p>A face: &xxe; &xxf;</p></abstract></us-patent-grant>
EOF
cat > "$T/dtd.xml" <<EOF
<?xml version="1.0"?>
<!DOCTYPE us-patent-grant SYSTEM "file://$T/secret.dtd">
<us-patent-grant><abstract><p>The face attributes include race.</p></abstract></us-patent-grant>
EOF
cat > "$T/xinclude.xml" <<EOF
<?xml version="1.0"?>
<us-patent-grant xmlns:xi="http://www.w3.org/2001/XInclude"><abstract><p>A face
<xi:include href="file://$T/secret.txt" parse="text"/></p></abstract></us-patent-grant>
EOF
scan "$T/xxe.xml" "$T/dtd.xml" "$T/xinclude.xml" "$GOOD"
contained "external entities"
expect_no_grep 'SECRET' "$T/out" "external entity text never read"
expect_grep '"path":"[^"]*dtd.xml"' "$T/out" "a document with an external DTD is still read"
kept "external entities"
if command -v strace >/dev/null && strace -f -o /dev/null true 2>/dev/null; then
  timeout 60 strace -f -e trace=open,openat -o "$T/trace" "$REDFLAG" scan \
    --quiet --rules "$R" -j1 "$T/xxe.xml" "$T/dtd.xml" "$T/xinclude.xml" \
    >/dev/null 2>&1
  expect_no_grep 'secret' "$T/trace" "strace: no secret file opened"
  expect_grep 'xxe.xml' "$T/trace" "strace saw the input opened"
fi

# ---- a zip bomb and a nested-archive bomb ----
head -c 200000000 /dev/zero | tr '\0' a > "$T/bomb.txt"
(cd "$T" && zip -q bomb.zip bomb.txt && rm bomb.txt)
scan "$T/bomb.zip" "$GOOD"
contained "zip bomb"
expect_grep 'bomb.zip \[member bomb.txt\].*max_ratio \(1000\).*--max-ratio' "$T/err" \
  "zip bomb: ratio limit names file and member"
kept "zip bomb"
scan --max-member-size 1000000 --max-ratio 0 "$T/bomb.zip"
contained "member size"
expect_grep 'bomb.zip \[member bomb.txt\].*max_member_size.*--max-member-size' "$T/err" \
  "zip bomb: member size limit names file and member"
scan --max-total-size 1000000 --max-ratio 0 "$T/bomb.zip"
contained "total size"
expect_grep 'bomb.zip.*max_total_size' "$T/err" "zip bomb: total size limit"

cp "$GOOD" "$T/n0.txt"
(cd "$T" && zip -q n1.zip n0.txt && for i in 2 3 4 5 6 7 8; do
  zip -q "n$i.zip" "n$((i - 1)).zip"; done)
scan "$T/n8.zip" "$GOOD"
contained "nested archives"
expect_grep 'n8.zip \[member n7.zip!n6.zip!n5.zip!n4.zip\]: archive nested 4 levels deep.*--max-depth' \
  "$T/err" "nested bomb: depth limit names the member path"
expect_eq "$(errors)" 1 "nested bomb: one error"
kept "nested archives"
scan --max-depth 10 "$T/n8.zip"
expect_grep '"member":"n7.zip!n6.zip!n5.zip!n4.zip!n3.zip!n2.zip!n1.zip!n0.txt"' \
  "$T/out" "nested: --max-depth raises the limit"

# wide nesting: 16 copies of a 20 MB member, in each of 16 zips, in a zip,
# every level deflated (a deflate stream of one repeated byte deflates
# again), so 5 GB of text sits below 9.5 KB: nested expansion counts against
# every enclosing archive's ratio as it is read, and the bomb stops after a
# few MB (regressions: each nested archive used to get a fresh budget of its
# own; then the outer ratio was taken from libarchive's filter counter,
# which stayed near zero for stored members)
python3 - "$T" <<'EOF2'
import io, sys, zipfile
def zipped(members):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            z.writestr(name, data)
    return b.getvalue()
w1 = zipped([("w.txt", b"b" * 20000000)])
w2 = zipped([("w1-%d.zip" % i, w1) for i in range(16)])
open(sys.argv[1] + "/wide.zip", "wb").write(zipped([("w2-%d.zip" % i, w2) for i in range(16)]))
EOF2
scan "$T/wide.zip" "$GOOD"
contained "wide archive bomb"
expect_grep 'wide.zip \[member w2-0.zip!w1-0.zip!w.txt\].*archive expands more than max_ratio' "$T/err" \
  "wide bomb: the enclosing archives' ratio stops it"
bytes=$(sed -nE 's/.* ([0-9]+) bytes;.*/\1/p' "$T/err" | tail -n1)
if [ "${bytes:-0}" -lt 20000000 ]; then pass; else fail "wide bomb: read $bytes bytes"; fi
kept "wide archive bomb"
scan --max-ratio 0 --max-total-size 50000000 "$T/wide.zip"
contained "wide bomb, total size"
expect_grep 'wide.zip \[member w2-0.zip.*max_total_size' "$T/err" \
  "wide bomb: total size covers nested members"
bytes=$(sed -nE 's/.* ([0-9]+) bytes;.*/\1/p' "$T/err" | tail -n1)
if [ "${bytes:-0}" -le 50000000 ]; then pass; else fail "wide bomb: read $bytes bytes, over 50000000"; fi

# a stored zip holding an ordinary zip (9.5 MB of XML at 51:1) is no bomb:
# read whole, and the member after it too (regression: the outer ratio was
# computed over a near-zero compressed count and stopped it)
python3 - "$T" <<'EOF2'
import io, sys, zipfile
filler = " ".join("the camera module %d focuses the image sensor" % i for i in range(100))
doc = ('<?xml version="1.0" encoding="UTF-8"?>\n<us-patent-grant lang="EN" country="US">\n'
       '<description id="description"><p id="p-0001" num="0001">%s</p></description>\n'
       '</us-patent-grant>\n' % filler)
b = io.BytesIO()
with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
    z.writestr("week/ipg220104.xml", doc * 2000)
with zipfile.ZipFile(sys.argv[1] + "/stored.zip", "w", zipfile.ZIP_STORED) as z:
    z.writestr("week.zip", b.getvalue())
    z.writestr("after.txt", "The face attributes include race.\n")
EOF2
scan "$T/stored.zip"
contained "zip in a stored zip"
expect_no_grep 'max_ratio' "$T/err" "zip in a stored zip: no ratio error"
expect_grep '"member":"after.txt"' "$T/out" "zip in a stored zip: the member after it is read"
expect_grep ' 2001 documents' "$T/err" "zip in a stored zip: every document read"

# ---- archive members named ../ and /absolute: read, never written ----
mkdir -p "$T/work/in"
python3 - "$T/work/in" "$T" <<'EOF'
import io, sys, tarfile, zipfile
d, t = sys.argv[1], sys.argv[2]
data = b'The face attributes include race.\n'
names = ['../../escape-up.txt', '../escape-sib.txt', t + '/escape-abs.txt',
         'ok/../../../escape-mid.txt', '/tmp/rf-hostile-escape.txt']
with tarfile.open(d + '/evil.tar', 'w') as tf:
    for n in names:
        ti = tarfile.TarInfo(n); ti.size = len(data)
        tf.addfile(ti, io.BytesIO(data))
    ti = tarfile.TarInfo('link-out'); ti.type = tarfile.SYMTYPE
    ti.linkname = t + '/secret.txt'; tf.addfile(ti)
    ti = tarfile.TarInfo('hard-out'); ti.type = tarfile.LNKTYPE
    ti.linkname = t + '/secret.txt'; tf.addfile(ti)
with zipfile.ZipFile(d + '/evil.zip', 'w') as z:
    for n in names:
        z.writestr(n, data)
EOF
rm -f /tmp/rf-hostile-escape.txt
(cd "$T/work/in" && timeout 60 "$REDFLAG" scan --quiet --rules "$R" evil.tar evil.zip \
  >"$T/out" 2>"$T/err"; echo $? >"$T/rc")
contained "traversal names"
expect_eq "$(grep -c '"rule":"t-attr"' "$T/out")" 10 "traversal: every member scanned in memory"
expect_grep '"member":"../../escape-up.txt"' "$T/out" "traversal: member named as stored"
expect_no_grep 'SECRET' "$T/out" "traversal: link members not followed"
leaked=$(find "$T" /tmp -maxdepth 3 -name 'escape-*.txt' -o -maxdepth 3 -name 'rf-hostile-escape.txt' 2>/dev/null)
expect_eq "$leaked" "" "traversal: no file written anywhere"
expect_eq "$(find "$T/work" -type f | wc -l)" 2 "traversal: nothing extracted next to the archives"

# ---- NUL bytes, invalid and overlong UTF-8 ----
printf 'The face\0 attributes include race.\n' > "$T/nul.txt"
scan "$T/nul.txt" "$GOOD"
contained "NUL bytes"
expect_eq "$(binary)" 1 "NUL bytes: skipped as binary and counted"
kept "NUL bytes"
scan --input-format text "$T/nul.txt"
contained "NUL bytes forced as text"
expect_grep '"rule":"t-attr"' "$T/out" "NUL bytes: --input-format text scans it"
printf 'bad \xc0\xaf \xe0\x80\xaf \xed\xa0\x80 \xf8\x88\x80\x80\x80 \xf4\x90\x80\x80 \xff\xfe x\n%s' \
  'The face attributes include race. tail \xe4\xba' > "$T/badutf8.txt"
printf 'The face \xc0\xa0attributes include race.\n' > "$T/overlong.txt"
scan "$T/badutf8.txt" "$T/overlong.txt"
contained "invalid UTF-8"
expect_grep '"path":"[^"]*badutf8.txt".*"line":2' "$T/out" "invalid UTF-8: the valid passage found"
expect_eq "$(grep -c '"rule"' "$T/out")" 2 "invalid UTF-8: both files give a finding"

# ---- UTF-16 with and without BOM; GBK / GB18030 without a declaration ----
# Decoded to UTF-8 before the text reader (src/input/decode.c): both
# passages found at their lines, offsets counted in the UTF-8 decoding.
txt='Intro line.
The face attributes include race.
行人属性包括性别、民族。
'
printf '%s' "$txt" | iconv -t UTF-16LE > "$T/u16le.txt"
printf '%s' "$txt" | iconv -t UTF-16BE > "$T/u16be.txt"
(printf '\xff\xfe'; cat "$T/u16le.txt") > "$T/u16le-bom.txt"
(printf '\xfe\xff'; cat "$T/u16be.txt") > "$T/u16be-bom.txt"
printf '%s' "$txt" | iconv -t GBK > "$T/gbk.txt"
printf '%s' "$txt" | iconv -t GB18030 > "$T/gb18030.txt"
printf '行人属性包括性别、民族。\n' | iconv -t GB18030 > "$T/gb-only.txt"
printf '%s' "$txt" | iconv -t UTF-16LE | head -c 61 > "$T/u16-cut.txt"
for f in u16le u16be u16le-bom u16be-bom gbk gb18030; do
  scan "$T/$f.txt" "$GOOD"
  contained "encoding $f"
  expect_grep "\"path\":\"[^\"]*/$f.txt\".*\"line\":2,\"column\":5,\"start\":16" "$T/out" \
    "encoding $f: English passage at line 2"
  expect_grep "\"path\":\"[^\"]*/$f.txt\".*\"line\":3,.*\"snippet\":\"(… )?«行人»属性包括性别、«民族»" "$T/out" \
    "encoding $f: Chinese passage decoded at line 3"
  expect_eq "$(binary)" 0 "encoding $f: not skipped as binary"
  kept "encoding $f"
done
scan "$T/gb-only.txt"
expect_grep '"snippet":"(… )?«行人»属性包括性别、«民族»' "$T/out" "GB18030 without ASCII context"
# damaged and odd files: contained
printf '\xff\xfe' > "$T/bom-only.txt"
printf '\xff\xfeA' > "$T/odd-utf16.txt"
printf '\xff\xfe\x00\xd8\x41\x00' > "$T/lone-surrogate.txt"
for f in bom-only odd-utf16 lone-surrogate u16-cut; do
  scan "$T/$f.txt" "$GOOD"
  contained "encoding $f"
  kept "encoding $f"
done
# Latin-1 text stays bytes (not mistaken for GB18030): ASCII still matches
printf 'Caf\xe9 r\xe9sum\xe9. The face attributes include race.\n' > "$T/latin1.txt"
scan "$T/latin1.txt"
expect_grep '"start":17,' "$T/out" "Latin-1: read as bytes, offsets unchanged"

# ---- empty files ----
: > "$T/empty.txt"
: > "$T/empty.xml"
: > "$T/empty.zip"
scan "$T/empty.txt" "$T/empty.xml" "$T/empty.zip"
contained "empty files"
expect_eq "$(cat "$T/rc")" 0 "empty files: exit 0"
expect_grep '^redflag: 3 files' "$T/err" "empty files: all three counted"
expect_eq "$(errors)" 0 "empty files: no errors"
printf '' | timeout 20 "$REDFLAG" scan --quiet --rules "$R" - >"$T/out" 2>"$T/err"
expect_eq "$?" 0 "empty stdin: exit 0"

# ---- unreadable files ----
ln -s "$T/does-not-exist" "$T/dangling"
scan "$T/dangling" "$GOOD"
contained "dangling symlink"
expect_grep 'dangling.*cannot open' "$T/err" "dangling symlink: named, cannot open"
expect_eq "$(errors)" 1 "dangling symlink: counted"
kept "dangling symlink"
if command -v setpriv >/dev/null && [ "$(id -u)" = 0 ]; then
  mkdir -p "$T/priv" && chmod 755 "$T" "$T/priv"
  cp "$GOOD" "$T/priv/good.txt" && cp "$GOOD" "$T/priv/locked.txt"
  chmod 644 "$T/priv/good.txt" && chmod 600 "$T/priv/locked.txt"
  chmod 755 "$RF_TMP/.." 2>/dev/null
  if setpriv --reuid=65534 --regid=65534 --clear-groups test -r "$T/priv/good.txt" 2>/dev/null; then
    setpriv --reuid=65534 --regid=65534 --clear-groups timeout 60 "$REDFLAG" scan --quiet \
      --rules "$R" "$T/priv" >"$T/out" 2>"$T/err"
    echo $? >"$T/rc"
    contained "unreadable file"
    expect_grep 'locked.txt.*cannot open: Permission denied' "$T/err" "unreadable: named with the reason"
    expect_eq "$(errors)" 1 "unreadable: counted"
    kept "unreadable file"
  fi
fi

# ---- symlink loops in a directory walk ----
mkdir -p "$T/loop/a/b"
cp "$GOOD" "$T/loop/a/b/good.txt"
ln -s .. "$T/loop/a/b/up"
ln -s "$T/loop" "$T/loop/a/root"
ln -s self "$T/loop/self"
scan "$T/loop"
contained "symlink loop"
expect_eq "$(grep -c '"rule"' "$T/out")" 1 "symlink loop: links not followed, file found once"
scan --follow "$T/loop"
contained "symlink loop --follow"
expect_grep 'directory loop' "$T/err" "symlink loop --follow: loop reported"
expect_grep 'self.*cannot open' "$T/err" "symlink loop --follow: self-link reported"
expect_eq "$(grep -c '"path":"[^"]*loop/a/b/good.txt"' "$T/out")" 1 \
  "symlink loop --follow: the real path scanned once"

# ---- rule files with pathological patterns ----
# rules_case NAME WANT_RE: the rule file $T/rules-NAME.yaml must be refused
# with exit 2 and a "file:line:" message, never a crash or a hang.
rules_case() {
  timeout 120 "$REDFLAG" scan --quiet --rules "$T/rules-$1.yaml" "$GOOD" >"$T/out" 2>"$T/err"
  expect_eq "$?" 2 "rules $1: exit 2"
  expect_grep "rules-$1.yaml:[0-9]+: .*$2" "$T/err" "rules $1: file:line: message"
}
head_rule() { # set terms
  printf 'sets:\n  s:\n    terms:\n      en: [%s]\nrules:\n  - id: r\n' "$1"
  printf '    title: t\n    category: race\n    severity: high\n    regulation: x\n'
  printf '    message: m\n    all: [s]\n    examples:\n      match: ["race"]\n'
}
head_rule "'re:('" > "$T/rules-unbalanced.yaml"
rules_case unbalanced 'r|s|regex|pattern|expression'
head_rule "'re:(a+)+\$'" > "$T/rules-redos.yaml"
timeout 120 "$REDFLAG" scan --quiet --rules "$T/rules-redos.yaml" "$GOOD" >"$T/out" 2>"$T/err"
rc=$?; if [ "$rc" = 0 ] || [ "$rc" = 1 ] || [ "$rc" = 2 ]; then pass; else fail "rules redos: exit $rc"; fi
head_rule "'re:\\'" > "$T/rules-backslash.yaml"
rules_case backslash '.'
head_rule "'re:'" > "$T/rules-emptyre.yaml"
rules_case emptyre '.'
head_rule "'', '*', '**'" > "$T/rules-emptyterm.yaml"
rules_case emptyterm '.'
head_rule "'re:(?<=a)b'" > "$T/rules-lookbehind.yaml"
rules_case lookbehind '.'
printf 'sets:\n  s:\n\tterms: [a]\n' > "$T/rules-tab.yaml"
rules_case tab '.'
printf 'a: &x [*x]\n' > "$T/rules-alias.yaml"
rules_case alias '.'
python3 -c 'print("sets: " + "[" * 50000 + "]" * 50000)' > "$T/rules-deep.yaml"
rules_case deep '.'
python3 - "$T/rules-yamlbomb.yaml" <<'EOF'
import sys
lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]']
for i in range(1, 12):
    lines.append('a%d: &a%d [%s]' % (i, i, ', '.join(['*a%d' % (i - 1)] * 10)))
lines.append('sets: *a11')
open(sys.argv[1], 'w').write('\n'.join(lines) + '\n')
EOF
rules_case yamlbomb '.'
printf '\xff\xfe\x00garbage\n' > "$T/rules-binary.yaml"
rules_case binary '.'

# ---- a rule set too large for Hyperscan: a clear error, no crash ----
python3 - "$T/rules-huge.yaml" <<'EOF'
import sys
out = ['sets:', '  s:', '    terms:', '      en:']
for i in range(400):
    out.append("        - 're:(x%d[a-z]{1,40}y[0-9]{2,30}){1000}'" % i)
out += ['rules:', '  - id: r', '    title: t', '    category: race',
        '    severity: high', '    regulation: x', '    message: m',
        '    all: [s]', '    examples:', '      match: ["x"]']
open(sys.argv[1], 'w').write('\n'.join(out) + '\n')
EOF
timeout 300 "$REDFLAG" scan --quiet --rules "$T/rules-huge.yaml" "$GOOD" >"$T/out" 2>"$T/err"
expect_eq "$?" 2 "huge rule set: exit 2"
expect_grep 'rules-huge.yaml' "$T/err" "huge rule set: the file is named"
expect_grep 'rules-huge.yaml:[0-9]+: .*([Tt]oo large|[Ll]imit|[Rr]esource)' "$T/err" \
  "huge rule set: file:line and the engine's reason"

# ---- nothing lost: a folder of bad inputs around one good file ----
mkdir -p "$T/mixed"
cp "$T/laughs.xml" "$T/deep.xml" "$T/nul.txt" "$T/n8.zip" "$T/u16le.txt" "$T/mixed/"
cp "$GOOD" "$T/mixed/m-good.txt"
printf 'PK\003\004truncated' > "$T/mixed/trunc.zip"
head -c 5000 "$RF_SRC/examples/patents/us-grant.xml" > "$T/mixed/trunc.xml"
ln -s "$T/nowhere" "$T/mixed/zz-dangling"
scan --follow "$T/mixed"
contained "mixed folder"
expect_grep '"path":"[^"]*m-good.txt"' "$T/out" "mixed: the good file found"
n=$(errors); if [ "${n:-0}" -ge 5 ]; then pass; else fail "mixed: $n errors counted, want >= 5"; fi
expect_eq "$(binary)" 1 "mixed: the NUL file counted as binary (UTF-16 is decoded)"
for f in laughs.xml deep.xml n8.zip trunc.zip zz-dangling; do
  expect_grep "mixed/$f" "$T/err" "mixed: $f named in a diagnostic"
done

finish
