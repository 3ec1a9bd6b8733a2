#!/usr/bin/env bash
# Golden tests: every tests/golden/scan/<case>/input.* scanned with the
# shipped rules must give exactly expected.jsonl. Positives (pos-*) must
# have a finding at medium or above; traps (trap-*) must have none.
# RF_UPDATE_GOLDEN=1 rewrites expected.jsonl after a deliberate change.
. "$(dirname "$0")/lib.sh"
G="$RF_SRC/tests/golden/scan"
for dir in "$G"/*/; do
  name=$(basename "$dir")
  input=$(ls "$dir"input.* | head -n1)
  # scan from the case folder so paths in the output are stable
  (cd "$dir" && "$REDFLAG" scan --quiet --fail-on never "$(basename "$input")") \
    > "$RF_TMP/$name.jsonl" 2> "$RF_TMP/$name.err"
  rc=$?
  expect_eq "$rc" 0 "$name: scan exit status"
  medium=$(python3 - "$RF_TMP/$name.jsonl" <<'PY'
import json, sys
order = ["info", "low", "medium", "high", "critical"]
n = 0
for line in open(sys.argv[1], encoding="utf-8"):
    f = json.loads(line)
    if order.index(f["severity"]) >= 2:
        n += 1
print(n)
PY
)
  case "$name" in
    pos-*) if [ "$medium" -ge 1 ]; then pass; else fail "$name: positive not flagged at medium+"; fi ;;
    trap-*) expect_eq "$medium" 0 "$name: trap flagged at medium+" ;;
  esac
  if [ "${RF_UPDATE_GOLDEN:-}" = 1 ]; then
    cp "$RF_TMP/$name.jsonl" "$dir/expected.jsonl"
  elif cmp -s "$RF_TMP/$name.jsonl" "$dir/expected.jsonl"; then
    pass
  else
    fail "$name: output differs from expected.jsonl"
    diff "$dir/expected.jsonl" "$RF_TMP/$name.jsonl" | head -5 >&2
  fi
done
finish
