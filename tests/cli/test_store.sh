#!/usr/bin/env bash
# The findings store as an analyst uses it over weeks: scan into the
# default store, report, review, edit the corpus and re-scan, diff, share
# decisions through a baseline, and the errors a new user runs into.
. "$(dirname "$0")/lib.sh"
R="$RF_SRC/tests/data/rules/basic.yaml"
work=$RF_TMP/work
mkdir -p "$work/corpus"
cd "$work" || exit 2
cat > corpus/pats.jsonl <<'EOF'
{"publication_number": "US-11574187-B2", "kind_code": "B2", "title_localized": [{"language": "en", "text": "Face analysis"}], "abstract_localized": [{"language": "en", "text": "A camera detects a face and estimates race of the person."}], "claims_localized": [{"language": "en", "text": "1. A method wherein the face attributes include ethnicity."}], "publication_date": 20230207, "filing_date": 20210601, "assignee_harmonized": [{"name": "ACME BIOMETRICS"}]}
{"publication_number": "CN-111000001-A", "kind_code": "A", "title_localized": [{"language": "zh", "text": "一种行人属性识别方法"}], "abstract_localized": [{"language": "zh", "text": "本发明识别行人的性别、年龄和民族属性。"}], "publication_date": 20200417, "assignee_harmonized": [{"name": "HANGZHOU EXAMPLE VISION"}]}
EOF
printf 'The face attributes include race.\n' > corpus/notes.txt
printf 'nothing to see\n' > corpus/plain.txt
jsonl_field() { # FILE FIELD -> values, one per line
  python3 -c 'import json,sys
for l in open(sys.argv[1]): print(json.loads(l).get(sys.argv[2]))' "$1" "$2"
}

# 1. scan into the default store: nothing on stdout, a summary on stderr
expect_rc 1 "$REDFLAG" scan --quiet --rules "$R" --store redflag.db corpus
expect_eq "$(wc -c < "$RF_TMP/out")" 0 "no findings on stdout with --store"
expect_grep 'stored as scan 1 in redflag.db: 4 findings, 4 new, 0 resolved' "$RF_TMP/err" "stored summary"
[ -f redflag.db ] && pass || fail "redflag.db created"

# 2. report from the default store (no --store): jsonl with status and note
expect_rc 0 "$REDFLAG" report --format jsonl
cp "$RF_TMP/out" r1.jsonl
expect_eq "$(wc -l < r1.jsonl)" 4 "four stored findings"
expect_eq "$(jsonl_field r1.jsonl status | sort -u)" "new" "all new"
expect_grep '"note":null' r1.jsonl "note field"
fp_race=$(grep '"snippet":"The «face» attributes include «race».' r1.jsonl | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["fingerprint"])')
fp_cn=$(grep 'CN-111000001-A' r1.jsonl | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["fingerprint"])')
expect_eq "${#fp_race}" 32 "fingerprint of notes.txt finding"

# 3. review: by prefix, with a note; it shows in every format
expect_rc 0 "$REDFLAG" review "${fp_race:0:8}" --status confirmed --note 'a "face" <attribute> list'
expect_grep "^$fp_race confirmed: high, t-attr" "$RF_TMP/out" "review echoes the full fingerprint"
expect_rc 0 "$REDFLAG" review "$fp_cn" --status false-positive --note "form field"
"$REDFLAG" report --format jsonl > r2.jsonl
expect_grep "\"fingerprint\":\"$fp_race\",\"status\":\"confirmed\",\"review\":\"confirmed\",\"note\":\"a \\\\\"face\\\\\" <attribute> list\"" r2.jsonl "status and note in jsonl"
expect_grep "\"fingerprint\":\"$fp_cn\",\"status\":\"false-positive\".*\"suppressed\":true" r2.jsonl "suppressed, kept"
expect_eq "$(wc -l < r2.jsonl)" 4 "suppressed findings are not dropped"
"$REDFLAG" report --format csv > r2.csv
expect_grep "confirmed,\"a \"\"face\"\" <attribute> list\"" r2.csv "status and note in csv"
"$REDFLAG" report --status false-positive --format jsonl > fp.jsonl
expect_eq "$(wc -l < fp.jsonl)" 1 "--status filter"

# review errors
expect_rc 2 "$REDFLAG" review 0123456789 --status confirmed
expect_grep 'no finding with fingerprint 0123456789' "$RF_TMP/err" "unknown fingerprint"
expect_rc 2 "$REDFLAG" review "$fp_race" --status resolved
expect_rc 2 "$REDFLAG" review "$fp_race" --status maybe
expect_rc 2 "$REDFLAG" review "$fp_race"
expect_rc 2 "$REDFLAG" review xyz --status confirmed

# 4. edit the corpus and re-scan: notes.txt gone, a new file, the rest kept
rm corpus/notes.txt
printf 'Pedestrian ethnicity is estimated.\n' > corpus/new.txt
expect_rc 1 "$REDFLAG" scan --quiet --rules "$R" --store redflag.db corpus
expect_grep 'stored as scan 2 in redflag.db: 4 findings, 1 new, 1 resolved' "$RF_TMP/err" "re-scan summary"
"$REDFLAG" report --format jsonl > r3.jsonl
expect_eq "$(wc -l < r3.jsonl)" 4 "resolved left out, new added"
expect_no_grep "$fp_race" r3.jsonl "resolved finding not in the default report"
expect_grep "\"fingerprint\":\"$fp_cn\",\"status\":\"false-positive\"" r3.jsonl "review survives the re-scan"
"$REDFLAG" report --include-resolved --format jsonl > r4.jsonl
expect_grep "\"fingerprint\":\"$fp_race\",\"status\":\"resolved\",\"review\":\"confirmed\"" r4.jsonl "resolved keeps its review"
"$REDFLAG" report --resolved-by-scan 2 --format jsonl > gone.jsonl
expect_eq "$(wc -l < gone.jsonl)" 1 "--resolved-by-scan"
expect_grep "$fp_race" gone.jsonl "the resolved finding"
"$REDFLAG" report --new-since-scan 1 --format jsonl > new.jsonl
expect_eq "$(wc -l < new.jsonl)" 1 "--new-since-scan"
expect_grep 'new.txt' new.jsonl "the new finding"

# 5. diff
expect_rc 0 "$REDFLAG" diff
expect_grep '^\+ [0-9a-f]{32} new .*t-attr' "$RF_TMP/out" "diff new line"
expect_grep "^- $fp_race resolved" "$RF_TMP/out" "diff resolved line"
expect_grep 'scan 1 -> scan 2: 1 new, 1 resolved' "$RF_TMP/err" "diff totals"
expect_rc 1 "$REDFLAG" diff --exit-code
expect_rc 0 "$REDFLAG" diff --format jsonl --from 1 --to 2
python3 -c 'import json,sys
c=[json.loads(l)["change"] for l in open(sys.argv[1])]
sys.exit(0 if sorted(c)==["new","resolved"] else 1)' "$RF_TMP/out" && pass || fail "diff jsonl"
expect_rc 0 "$REDFLAG" diff --scans
expect_eq "$(grep -c complete "$RF_TMP/out")" 2 "two complete scans listed"
expect_rc 2 "$REDFLAG" diff --from 7

# a re-scan with nothing changed: no duplicates, nothing new
expect_rc 1 "$REDFLAG" scan --quiet --rules "$R" --store redflag.db corpus
expect_grep 'stored as scan 3 in redflag.db: 4 findings, 0 new, 0 resolved' "$RF_TMP/err" "stable re-scan"
expect_eq "$("$REDFLAG" report --include-resolved | wc -l)" 5 "one row per fingerprint"

# 6. filters from the command line
expect_eq "$("$REDFLAG" report --applicant acme | wc -l)" 2 "--applicant"
expect_eq "$("$REDFLAG" report --since 2021 | wc -l)" 2 "--since"
expect_eq "$("$REDFLAG" report --until 2020-12 | wc -l)" 1 "--until"
expect_eq "$("$REDFLAG" report --lang zh | wc -l)" 1 "--lang"
expect_eq "$("$REDFLAG" report --scan 1 | wc -l)" 4 "--scan"
expect_eq "$("$REDFLAG" report --min-severity critical | wc -l)" 0 "--min-severity"
expect_rc 2 "$REDFLAG" report --since yesterday
expect_grep 'not a date' "$RF_TMP/err" "date error"
expect_rc 2 "$REDFLAG" report --status nope
expect_rc 2 "$REDFLAG" report --format pdf

# 7. baseline: export here, import into a fresh store elsewhere
expect_rc 0 "$REDFLAG" baseline export team.json
expect_grep '2 reviewed findings exported' "$RF_TMP/err" "export count"
python3 -c 'import json,sys
b=json.load(open(sys.argv[1])); s={e["fingerprint"]:e["status"] for e in b["findings"]}
sys.exit(0 if b["redflag_baseline"]==1 and s=={sys.argv[2]:"confirmed",sys.argv[3]:"false-positive"} else 1)' team.json "$fp_race" "$fp_cn" && pass || fail "baseline content"
mkdir other && cp -r corpus other/ && cd other || exit 2
"$REDFLAG" scan --quiet --rules "$R" --store team.db corpus 2>/dev/null
expect_rc 0 "$REDFLAG" baseline import ../team.json --store team.db
expect_eq "$(cat "$RF_TMP/out")" "$fp_race confirmed  a \"face\" <attribute> list" "unmatched entry listed"
expect_grep '2 entries: 1 applied, 1 match no finding' "$RF_TMP/err" "import totals"
"$REDFLAG" report --store team.db --format jsonl > imported.jsonl
expect_grep "\"fingerprint\":\"$fp_cn\",\"status\":\"false-positive\",\"review\":\"false-positive\",\"note\":\"form field\",\"suppressed\":true,\"from_baseline\":true" imported.jsonl "decision applied from the baseline"
expect_rc 0 "$REDFLAG" baseline unmatched --store team.db
expect_grep "^$fp_race confirmed" "$RF_TMP/out" "remembered unmatched entry"
printf '{"findings": [{"fingerprint": "nope", "status": "confirmed"}]}' > bad.json
expect_rc 2 "$REDFLAG" baseline import bad.json --store team.db
expect_grep 'bad.json: entry 1: "fingerprint" must be 32 hex digits' "$RF_TMP/err" "bad baseline message"
expect_rc 2 "$REDFLAG" baseline import missing.json --store team.db
expect_rc 2 "$REDFLAG" baseline frobnicate --store team.db
cd .. || exit 2

# 8. a store that is not there, or not a store
expect_rc 2 "$REDFLAG" report --store nowhere.db
expect_grep 'nowhere.db: no findings store here' "$RF_TMP/err" "missing store message"
[ ! -e nowhere.db ] && pass || fail "report must not create a store"
printf 'not a database %.0s' $(seq 1 300) > junk.db
expect_rc 2 "$REDFLAG" report --store junk.db
expect_grep 'junk.db' "$RF_TMP/err" "junk store named"
expect_rc 2 "$REDFLAG" scan --quiet --rules "$R" --store postgresql://localhost/x corpus
expect_grep 'PostgreSQL' "$RF_TMP/err" "postgres not yet"

# 9. the README's main job, in an empty folder
mkdir main-job && cd main-job || exit 2
cp -r "$RF_SRC/examples" examples
"$REDFLAG" scan --quiet --rules "$R" --store redflag.db examples/ 2>"$RF_TMP/err"
rc=$?
[ "$rc" = 0 ] || [ "$rc" = 1 ] && pass || fail "main job scan exit $rc"
expect_rc 0 "$REDFLAG" report --format html --output report.html
[ -s report.html ] && pass || fail "report.html written"
expect_grep '<h1>redflag report</h1>' report.html "html report"
ls report.html.tmp* >/dev/null 2>&1 && fail "temporary file left behind" || pass
cd .. || exit 2
finish
