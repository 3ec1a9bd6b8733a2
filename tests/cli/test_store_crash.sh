#!/usr/bin/env bash
# Kill -9 in the middle of `redflag scan --store`: once the first batch of
# documents has committed (the store is polled), the scan is killed. The
# store must pass SQLite's integrity check and hold whole documents only,
# and running the same scan again must complete it with every finding
# exactly once - the same findings as one uninterrupted scan.
. "$(dirname "$0")/lib.sh"
R="$RF_SRC/tests/data/rules/basic.yaml"
big=$RF_TMP/big.jsonl
db=$RF_TMP/crash.db
ref=$RF_TMP/ref.db

# a large generated input: 20,000 patent records, 2 findings each
python3 - "$big" <<'EOF'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(20000):
        f.write(json.dumps({
            "publication_number": f"CN-{100000000 + i}-A", "kind_code": "A",
            "title_localized": [{"language": "en", "text": f"Analysis {i}"}],
            "abstract_localized": [{"language": "en", "text":
                "The face attributes include race. A pedestrian's ethnicity "
                "is estimated."}],
            "publication_date": 20200101 + i % 28,
            "assignee_harmonized": [{"name": f"APPLICANT {i % 40}"}]}) + "\n")
EOF

sql() { # DB QUERY -> first column of the first row
  python3 -c 'import sqlite3,sys
c=sqlite3.connect("file:"+sys.argv[1]+"?mode=ro", uri=True, timeout=10)
r=c.execute(sys.argv[2]).fetchone(); print(r[0] if r else "")' "$1" "$2"
}

"$REDFLAG" scan --quiet -j1 --rules "$R" --store "$db" "$big" 2>"$RF_TMP/scan1.err" &
pid=$!
# wait for the first committed batch (the scan row commits first, alone)
committed=0
for _ in $(seq 1 600); do
  if [ -f "$db" ]; then
    committed=$(sql "$db" "SELECT count(*) FROM documents" 2>/dev/null || echo 0)
    [ "${committed:-0}" -gt 0 ] && break
  fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.05
done
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
rc=$?
expect_eq "$rc" 137 "scan killed by SIGKILL (it finished before the kill otherwise)"
[ "${committed:-0}" -gt 0 ] && pass || fail "no batch committed before the kill"

expect_eq "$(sql "$db" "PRAGMA integrity_check")" ok "integrity_check after SIGKILL"
expect_eq "$(sql "$db" "SELECT count(*) FROM pragma_foreign_key_check")" 0 "foreign keys hold"
docs=$(sql "$db" "SELECT count(*) FROM documents")
finds=$(sql "$db" "SELECT count(*) FROM findings")
[ "$docs" -lt 20000 ] && pass || fail "killed midway ($docs documents stored)"
expect_eq "$finds" $((2 * docs)) "whole documents only: each stored with both findings"
expect_eq "$(sql "$db" "SELECT state FROM scans WHERE id = 1")" running "killed scan still marked running"

# re-run: completes, no duplicates, same as an uninterrupted scan
expect_rc 1 "$REDFLAG" scan --quiet --rules "$R" --store "$db" "$big"
expect_grep 'stored as scan 2' "$RF_TMP/err" "second scan stored"
expect_eq "$(sql "$db" "SELECT count(*) FROM findings")" 40000 "every finding once"
expect_eq "$(sql "$db" "SELECT count(DISTINCT fingerprint) FROM findings")" 40000 "no duplicate fingerprints"
expect_eq "$(sql "$db" "SELECT count(*) FROM documents")" 20000 "every document once"
expect_eq "$(sql "$db" "SELECT count(*) FROM findings WHERE resolved_scan IS NOT NULL")" 0 "nothing resolved"
expect_eq "$(sql "$db" "SELECT state FROM scans WHERE id = 2")" complete "second scan complete"
expect_eq "$(sql "$db" "PRAGMA integrity_check")" ok "integrity_check after the re-run"

"$REDFLAG" scan --quiet --rules "$R" --store "$ref" "$big" 2>/dev/null
"$REDFLAG" report --store "$db" --format csv | cut -d, -f1 | sort > "$RF_TMP/a.txt"
"$REDFLAG" report --store "$ref" --format csv | cut -d, -f1 | sort > "$RF_TMP/b.txt"
cmp -s "$RF_TMP/a.txt" "$RF_TMP/b.txt" && pass || fail "resumed store differs from an uninterrupted scan"
finish
