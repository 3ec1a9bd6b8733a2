#!/usr/bin/env bash
# Each report opened by the tool it is made for: SARIF validated against a
# schema of what redflag writes (check_sarif.py), CSV read back by Python's
# csv module, HTML parsed and searched for anything a hostile patent could
# smuggle in. Both from a scan (no store) and from the store with reviews.
. "$(dirname "$0")/lib.sh"
R="$RF_SRC/tests/data/rules/basic.yaml"
here=$(cd "$(dirname "$0")" && pwd)
d=$RF_TMP/corpus
mkdir -p "$d"
cat > "$d/pats.jsonl" <<'EOF'
{"publication_number": "US-11574187-B2", "kind_code": "B2", "title_localized": [{"language": "en", "text": "<script>alert(1)</script> Face analysis, \"quoted\", =cmd|' /C calc'!A0"}], "abstract_localized": [{"language": "en", "text": "A camera detects a face and estimates race and ethnicity of the pedestrian."}], "claims_localized": [{"language": "en", "text": "1. A method wherein the face attributes include race <img src=x onerror=alert(2)>."}], "publication_date": 20230207, "filing_date": 20210601, "inventor": ["DOE, JANE"], "assignee_harmonized": [{"name": "ACME <BIOMETRICS> & SONS"}], "cpc": [{"code": "G06V40/172"}]}
{"publication_number": "CN-111000001-A", "kind_code": "A", "title_localized": [{"language": "zh", "text": "一种行人属性识别方法"}], "abstract_localized": [{"language": "zh", "text": "本发明识别行人的性别、年龄和民族属性。"}], "publication_date": 20200417, "assignee_harmonized": [{"name": "HANGZHOU EXAMPLE VISION"}]}
EOF
mkdir -p "$d/with space"
printf '=HYPERLINK("http://evil") the face attributes include race.\n' > "$d/with space/notes #1.txt"
N=4 # findings in this corpus with basic.yaml

sarif() { python3 "$here/check_sarif.py" "$@" 2>&1 >/dev/null | head -20; return "${PIPESTATUS[0]}"; }
check() { python3 "$here/check_report.py" "$@" 2>&1 | head -20; return "${PIPESTATUS[0]}"; }
hostile=(--hostile '<script>alert(1)</script>' --hostile '<img src=x onerror=alert(2)>'
         --hostile 'ACME <BIOMETRICS> & SONS')

# ---- straight from a scan ----
for fmt in sarif csv html; do
  "$REDFLAG" scan --quiet --rules "$R" --format "$fmt" --output "$RF_TMP/scan.$fmt" "$d" 2>/dev/null
  [ -s "$RF_TMP/scan.$fmt" ] && pass || fail "scan --format $fmt wrote nothing"
done
if out=$(sarif "$RF_TMP/scan.sarif" --results $N --suppressed 0 --rules-min 1); then pass; else fail "scan SARIF invalid: $out"; fi
# text is kept verbatim (the title does not start with '=', so no guard)
if out=$(check csv "$RF_TMP/scan.csv" --rows $N --expect document=US-11574187-B2 \
      --expect "applicants=ACME <BIOMETRICS> & SONS" \
      --expect "title=<script>alert(1)</script> Face analysis, \"quoted\", =cmd|' /C calc'!A0" \
      --expect "link=https://patents.google.com/patent/US11574187B2" \
      --expect "lang=zh" --expect "date_published=2020-04-17"); then pass; else fail "scan CSV: $out"; fi
if out=$(check html "$RF_TMP/scan.html" "${hostile[@]}" \
      --link https://patents.google.com/patent/US11574187B2 \
      --link https://patents.google.com/patent/CN111000001A --contains 一种行人属性识别方法); then pass; else fail "scan HTML: $out"; fi
# a file whose text starts like a formula is neutralised in the snippet
python3 - "$RF_TMP/scan.csv" <<'EOF' && pass || fail "formula guard in CSV"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
s = [r["snippet"] for r in rows if r["path"].endswith("notes #1.txt")]
sys.exit(0 if s and s[0].startswith("'=HYPERLINK") else 1)
EOF
# the path with a space and '#' is a valid URI in SARIF
expect_grep '"uri":"[^"]*with%20space/notes%20%231.txt"' "$RF_TMP/scan.sarif" "percent-encoded uri"

# ---- from the store, with reviews ----
db=$RF_TMP/r.db
"$REDFLAG" scan --quiet --rules "$R" --store "$db" "$d" 2>/dev/null
"$REDFLAG" report --store "$db" --format jsonl > "$RF_TMP/all.jsonl"
fp=$(grep 'onerror' "$RF_TMP/all.jsonl" | head -1 | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["fingerprint"])')
"$REDFLAG" review "$fp" --store "$db" --status false-positive --note '<b>not</b> a system' >/dev/null
for fmt in sarif csv html; do
  expect_rc 0 "$REDFLAG" report --store "$db" --output "$RF_TMP/store.$fmt"
done
if out=$(sarif "$RF_TMP/store.sarif" --results $N --suppressed 1); then pass; else fail "store SARIF invalid: $out"; fi
expect_grep '"baselineState":"new"' "$RF_TMP/store.sarif" "baselineState"
expect_grep '"justification":"<b>not</b> a system"' "$RF_TMP/store.sarif" "suppression justification"
if out=$(check csv "$RF_TMP/store.csv" --rows $N --expect status=false-positive \
      --expect "note=<b>not</b> a system" --expect status=new); then pass; else fail "store CSV: $out"; fi
if out=$(check html "$RF_TMP/store.html" "${hostile[@]}" --hostile '<b>not</b> a system' \
      --contains 'false-positive, suppressed'); then pass; else fail "store HTML: $out"; fi

# Microsoft's SARIF validator (official schema and rules), when available:
# RF_SARIF_MULTITOOL=/path/to/Sarif.Multitool (npm @microsoft/sarif-multitool)
if [ -n "${RF_SARIF_MULTITOOL:-}" ] && [ -x "$RF_SARIF_MULTITOOL" ]; then
  for f in scan store; do
    "$RF_SARIF_MULTITOOL" validate "$RF_TMP/$f.sarif" --output "$RF_TMP/$f.validation.sarif" \
      --log ForceOverwrite > "$RF_TMP/mt.log" 2>&1
    if grep -qE ': error ' "$RF_TMP/mt.log"; then fail "Sarif.Multitool: $(grep ': error ' "$RF_TMP/mt.log" | head -3)"; else pass; fi
  done
fi

# byte-identical reports from the same store
"$REDFLAG" report --store "$db" --format html > "$RF_TMP/again.html"
cmp -s "$RF_TMP/store.html" "$RF_TMP/again.html" && pass || fail "html report not deterministic"
"$REDFLAG" report --store "$db" --format sarif > "$RF_TMP/again.sarif"
cmp -s "$RF_TMP/store.sarif" "$RF_TMP/again.sarif" && pass || fail "sarif report not deterministic"

# the checkers themselves catch what they are for
printf '{"version":"2.1.0","runs":[{"tool":{"driver":{}},"results":[{"level":"bad"}]}]}' > "$RF_TMP/bad.sarif"
python3 "$here/check_sarif.py" "$RF_TMP/bad.sarif" 2>/dev/null && fail "checker accepted a bad SARIF log" || pass
printf '<html><body><script>x</script></body></html>' > "$RF_TMP/bad.html"
python3 "$here/check_report.py" html "$RF_TMP/bad.html" 2>/dev/null && fail "checker accepted a script" || pass
finish
