#!/usr/bin/env bash
# redflag scan as a user runs it: exit codes, stdin, folders, bad input,
# output files, severity filters, and identical output whatever -j.
. "$(dirname "$0")/lib.sh"
R="$RF_SRC/tests/data/rules/basic.yaml"
d=$RF_TMP/tree
mkdir -p "$d/sub" "$d/empty"
printf 'The face attributes include race.\n' > "$d/a.txt"
printf 'nothing here\n' > "$d/b.txt"
printf 'second line\n行人属性包括性别、民族。\n' > "$d/sub/c.md"
printf 'A race condition in the face tracker.\n' > "$d/sub/d.c"
printf 'face\0race binary\n' > "$d/e.bin"
: > "$d/empty.txt"

# findings -> exit 1; none -> exit 0; usage error -> exit 2
expect_rc 1 "$REDFLAG" scan --quiet --rules "$R" "$d/a.txt"
expect_grep '"rule":"t-attr"' "$RF_TMP/out" "jsonl finding"
expect_grep '"start":4,"end":32' "$RF_TMP/out" "byte offsets"
expect_grep '"snippet":"The «face» attributes include «race».' "$RF_TMP/out" "marked snippet"
expect_rc 0 "$REDFLAG" scan --quiet --rules "$R" "$d/b.txt"
expect_eq "$(wc -c < "$RF_TMP/out")" 0 "no output without findings"
expect_rc 2 "$REDFLAG" scan --quiet --rules "$R"
expect_rc 2 "$REDFLAG" scan --bogus "$d"
expect_rc 2 "$REDFLAG" scan --rules "$RF_TMP/none.yaml" "$d"
expect_rc 2 "$REDFLAG" scan --format nope --rules "$R" "$d"

# --fail-on and --min-severity
expect_rc 0 "$REDFLAG" scan --quiet --fail-on critical --rules "$R" "$d/a.txt"
expect_rc 0 "$REDFLAG" scan --quiet --fail-on never --rules "$R" "$d/a.txt"
expect_rc 0 "$REDFLAG" scan --quiet --min-severity critical --rules "$R" "$d/a.txt"
expect_eq "$(wc -l < "$RF_TMP/out")" 0 "min-severity filters"

# stdin
printf 'pedestrian ethnicity\n' | "$REDFLAG" scan --quiet --rules "$R" - > "$RF_TMP/stdin.jsonl"
expect_grep '"path":"-"' "$RF_TMP/stdin.jsonl" "stdin path"

# a folder: sorted walk, binary skipped, line numbers, the mask holds
expect_rc 1 "$REDFLAG" scan --rules "$R" -j1 "$d"
cp "$RF_TMP/out" "$RF_TMP/j1.jsonl"
expect_eq "$(wc -l < "$RF_TMP/j1.jsonl")" 2 "two findings in the tree"
expect_eq "$(head -n1 "$RF_TMP/j1.jsonl" | grep -o '"path":"[^"]*"')" "\"path\":\"$d/a.txt\"" "sorted walk"
expect_grep '"line":2' "$RF_TMP/j1.jsonl" "line number in c.md"
expect_grep '"lang":"zh-Hans"' "$RF_TMP/j1.jsonl" "language"
expect_no_grep 'd\.c' "$RF_TMP/j1.jsonl" "race condition masked"
expect_no_grep 'e\.bin' "$RF_TMP/j1.jsonl" "binary not scanned"
expect_grep '1 binary skipped' "$RF_TMP/err" "binary counted"

# the same bytes whatever -j
for j in 2 4 8; do
  "$REDFLAG" scan --quiet --rules "$R" -j$j "$d" > "$RF_TMP/j$j.jsonl"
  if cmp -s "$RF_TMP/j1.jsonl" "$RF_TMP/j$j.jsonl"; then pass; else fail "-j$j output differs from -j1"; fi
done

# a missing file is reported with its path; the rest is still scanned
expect_rc 1 "$REDFLAG" scan --quiet --rules "$R" "$d/missing.txt" "$d/a.txt"
expect_grep "missing.txt: cannot open" "$RF_TMP/err" "missing file named"
expect_grep '"rule":"t-attr"' "$RF_TMP/out" "scan went on"

# --output writes the file; a document format leaves no temp file behind
expect_rc 1 "$REDFLAG" scan --quiet --rules "$R" --output "$RF_TMP/o.jsonl" "$d/a.txt"
expect_eq "$(wc -l < "$RF_TMP/o.jsonl")" 1 "output file"
expect_eq "$(ls "$RF_TMP" | grep -c '\.tmp')" 0 "no temp files"

# a symlink loop in a walked folder is reported, not followed forever
mkdir -p "$RF_TMP/loop/x"
ln -s .. "$RF_TMP/loop/x/up"
expect_rc 0 "$REDFLAG" scan --quiet --follow --rules "$R" "$RF_TMP/loop"
expect_grep "directory loop" "$RF_TMP/err" "loop reported"

# invalid UTF-8 and NUL-free garbage do not crash; output stays valid JSON
printf 'face \xff\xfe race \xc0\xaf.\n' > "$RF_TMP/bad.txt"
expect_rc 1 "$REDFLAG" scan --quiet --rules "$R" "$RF_TMP/bad.txt"
if python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]' "$RF_TMP/out"; then pass; else fail "invalid JSON for invalid UTF-8 input"; fi

# progress: nothing but the summary when stderr is not a terminal; a
# progress line (with a rate) on a terminal, here a pty from script(1)
"$REDFLAG" scan --rules "$R" -j1 "$d" > /dev/null 2> "$RF_TMP/np.err"
if grep -q $'\r' "$RF_TMP/np.err"; then fail "progress written to a non-terminal"; else pass; fi
big=$RF_TMP/big.txt
for i in $(seq 1 20000); do echo "The face attributes include race. filler line $i"; done > "$big"
if command -v script >/dev/null; then
  script -qec "$REDFLAG scan --rules $R -j1 --fail-on never --output $RF_TMP/tty.jsonl $big $big $big $big" /dev/null > "$RF_TMP/tty.out" 2>&1
  expect_grep 'redflag: [0-9]+ files' "$RF_TMP/tty.out" "summary on a terminal"
  # the driver reports progress at least once, at the end, on a terminal
  if grep -q $'\r' "$RF_TMP/tty.out" && grep -q 'findings, [0-9.]* [KMG]*i*B/s' "$RF_TMP/tty.out"; then pass; else fail "no progress line on a terminal"; fi
else
  fail "script(1) missing: cannot test the terminal progress line"
fi

# --max-memory caps the text kept per document: a long row is cut, its
# beginning is still scanned, and the cut is reported
python3 - "$RF_TMP/long.jsonl" <<'PY'
import json, sys
text = "The face attributes include race. " + "filler words here. " * 200000
row = {"publication_number": "US-1234567-A1",
       "description_localized": [{"text": text, "language": "en"}]}
open(sys.argv[1], "w").write(json.dumps(row) + "\n")
PY
expect_rc 1 "$REDFLAG" scan --quiet --rules "$R" -j1 --max-memory 4000000 "$RF_TMP/long.jsonl"
expect_eq "$(wc -l < "$RF_TMP/out")" 1 "finding before the cut kept"
expect_grep 'long.jsonl \[document #1\].*max_document_size' "$RF_TMP/err" "cut reported with the document"

# the summary counts documents, findings and errors per reader format
printf '<?xml version="1.0"?>\n<us-patent-grant><broken>\n' > "$RF_TMP/bad.xml"
expect_rc 1 "$REDFLAG" scan --quiet --rules "$R" "$RF_TMP/bad.xml" "$d/a.txt"
expect_grep 'uspto-xml +0 documents, 0 findings, 1 errors' "$RF_TMP/err" "errors per format"
expect_grep 'text +1 documents, 1 findings, 0 errors' "$RF_TMP/err" "findings per format"

# valid UTF-8 Cyrillic whose 4 KiB sniffing head ends inside a character
# is read as UTF-8, not transcoded as GB18030 (found by bench/run.sh)
expect_rc 0 "$REDFLAG" scan --quiet --rules "$R" "$RF_SRC/tests/data/text/ru-utf8-head-cut.txt"
expect_grep ' 4097 bytes;' "$RF_TMP/err" "UTF-8 Cyrillic not taken for GB18030"

# a full disk stops the scan with an error naming the output, exit 2
if [ -w /dev/full ]; then
  expect_rc 2 "$REDFLAG" scan --quiet --rules "$R" --output /dev/full "$d/a.txt"
  expect_grep 'scan stopped: cannot write /dev/full: No space left on device' "$RF_TMP/err" \
    "write error names the output"
else
  fail "/dev/full missing: cannot test a write error"
fi

# rules test over this rule file
expect_rc 0 "$REDFLAG" rules test "$R"
expect_grep '^2 passed, 0 failed' "$RF_TMP/out" "rules test summary"
finish
