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

finish
