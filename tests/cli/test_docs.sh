#!/usr/bin/env bash
# test_docs.sh - `redflag docs` and `redflag scan` on the project's own
# patent examples (examples/patents), plain, concatenated into a weekly
# file, broken in the middle, and packed in archives: what a user of bulk
# patent data does first.
. "$(dirname "$0")/lib.sh"

EX="$RF_SRC/examples/patents"

# json_field FILE ID KEY: a document's field, from docs output
json_field() {
  python3 - "$1" "$2" "$3" <<'EOF'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    d = json.loads(line)
    if d["id"] == sys.argv[2]:
        v = d
        for k in sys.argv[3].split("."):
            v = v[int(k)] if isinstance(v, list) else v[k]
        print(v if not isinstance(v, (list, dict)) else json.dumps(v, ensure_ascii=False))
        break
EOF
}

# ---- every example, one JSON line each, with its metadata -------------
expect_rc 0 "$REDFLAG" docs "$EX"/*.xml "$EX"/*.jsonl
cp "$RF_TMP/out" "$RF_TMP/docs.jsonl"
cp "$RF_TMP/err" "$RF_TMP/docs.err"
expect_eq "$(wc -l < "$RF_TMP/docs.jsonl")" 8 "one line per example document"
expect_eq "$(json_field "$RF_TMP/docs.jsonl" US-19000001-B2 format)" uspto-xml "grant format"
expect_eq "$(json_field "$RF_TMP/docs.jsonl" US-19000001-B2 title)" \
  "Pedestrian attribute recognition system for video surveillance" "grant title"
expect_eq "$(json_field "$RF_TMP/docs.jsonl" US-19000001-B2 date_priority)" 2019-06-12 "priority date"
expect_eq "$(json_field "$RF_TMP/docs.jsonl" US-19000001-B2 applicants)" \
  '["Example Vision Technology Co., Ltd."]' "assignee, attorney left out"
expect_eq "$(json_field "$RF_TMP/docs.jsonl" US-2021999001-A1 kind)" A1 "application kind"
expect_eq "$(json_field "$RF_TMP/docs.jsonl" EP-9990001-B1 languages)" '["de", "en", "fr"]' "EP languages"
expect_eq "$(json_field "$RF_TMP/docs.jsonl" CN-199900001-A title)" "一种行人属性识别方法及装置" "GBK title transcoded"
expect_eq "$(json_field "$RF_TMP/docs.jsonl" CN-199900001-A format)" cnipa-xml "CNIPA format"
expect_eq "$(json_field "$RF_TMP/docs.jsonl" WO-2021999999-A1 format)" wipo-st36 "WIPO format"
expect_eq "$(json_field "$RF_TMP/docs.jsonl" CN-199900002-A family_id)" 99000002 "family id"
expect_eq "$(json_field "$RF_TMP/docs.jsonl" US-2021999003-A1 format)" google-patents-json "JSONL format"
# claims counted per language
python3 - "$RF_TMP/docs.jsonl" > "$RF_TMP/claims.txt" <<'EOF'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    d = json.loads(line)
    for s in d["sections"]:
        if s["kind"] == "claims":
            print(d["id"], s["lang"], s["units"])
EOF
expect_grep '^US-19000001-B2 en 3$' "$RF_TMP/claims.txt" "US grant: 3 claims"
expect_grep '^EP-9990001-B1 de 2$' "$RF_TMP/claims.txt" "EP: German claims"
expect_grep '^EP-9990001-B1 fr 2$' "$RF_TMP/claims.txt" "EP: French claims"
expect_grep '^CN-199900001-A zh 2$' "$RF_TMP/claims.txt" "CN: 2 claims"
expect_grep '^CN-199900002-A zh 2$' "$RF_TMP/claims.txt" "JSONL: 2 claims"
expect_grep 'redflag: 6 files, 0 archive members, 8 documents' "$RF_TMP/docs.err" "summary"
expect_grep 'documents by format: .*cnipa-xml 1' "$RF_TMP/docs.err" "per-format count"

# ---- a weekly file: documents concatenated, each with its <?xml --------
cat "$EX/us-grant.xml" "$EX/us-application.xml" "$EX/cn-application-gbk.xml" \
    "$EX/ep-grant.xml" > "$RF_TMP/ipg-weekly.xml"
expect_rc 0 "$REDFLAG" docs "$RF_TMP/ipg-weekly.xml"
cp "$RF_TMP/out" "$RF_TMP/weekly.jsonl"
expect_eq "$(wc -l < "$RF_TMP/weekly.jsonl")" 4 "4 documents in the weekly file"
off=$(($(stat -c %s "$EX/us-grant.xml") + $(stat -c %s "$EX/us-application.xml")))
expect_eq "$(json_field "$RF_TMP/weekly.jsonl" CN-199900001-A offset)" "$off" "third document offset"
expect_eq "$(json_field "$RF_TMP/weekly.jsonl" CN-199900001-A index)" 2 "third document index"

# ---- the same, zipped, then in a tar.gz (nothing unpacked to disk) -----
(cd "$RF_TMP" && zip -q weekly.zip ipg-weekly.xml && tar czf bulk.tgz weekly.zip)
expect_rc 0 "$REDFLAG" docs "$RF_TMP/bulk.tgz"
cp "$RF_TMP/out" "$RF_TMP/bulk.jsonl"
expect_eq "$(wc -l < "$RF_TMP/bulk.jsonl")" 4 "4 documents in the tar.gz"
expect_eq "$(json_field "$RF_TMP/bulk.jsonl" EP-9990001-B1 member)" "weekly.zip!ipg-weekly.xml" "nested member name"
expect_grep '2 archive members, 4 documents' "$RF_TMP/err" "members counted"
expect_eq "$(ls "$RF_TMP" | grep -c '^ipg-weekly.xml$')" 1 "nothing extracted"

# ---- a malformed document in the middle is reported and skipped --------
python3 - "$EX" "$RF_TMP/broken.xml" <<'EOF'
import sys
ex, out = sys.argv[1], sys.argv[2]
a = open(ex + "/us-grant.xml", "rb").read()
b = open(ex + "/us-application.xml", "rb").read().replace(b"</abstract>", b"</abstrakt>")
c = open(ex + "/ep-grant.xml", "rb").read()
open(out, "wb").write(a + b + c)
EOF
expect_rc 0 "$REDFLAG" docs "$RF_TMP/broken.xml"
expect_eq "$(wc -l < "$RF_TMP/out")" 2 "the two good documents"
expect_grep 'EP-9990001-B1' "$RF_TMP/out" "document after the bad one"
expect_grep 'error: .*broken.xml \[document #2\]:[0-9]+ \(byte [0-9]+\): US-2021999001-A1: malformed XML: mismatched tag' \
  "$RF_TMP/err" "diagnostic names file, document, line, byte, id"
expect_grep '1 errors' "$RF_TMP/err" "error counted"

# ---- --format overrides sniffing; a wrong name is an error -------------
expect_rc 0 "$REDFLAG" docs --format text "$EX/us-grant.xml"
expect_grep '"format":"text"' "$RF_TMP/out" "forced text"
expect_rc 2 "$REDFLAG" docs --format nonsense "$EX/us-grant.xml"
expect_grep "unknown --format 'nonsense'" "$RF_TMP/err" "unknown format named"

# ---- an archive limit is reported with the option that raises it -------
head -c 3000000 /dev/zero | tr '\0' 'a' > "$RF_TMP/big.txt"
(cd "$RF_TMP" && zip -q big.zip big.txt)
expect_rc 0 "$REDFLAG" docs --max-member-size 100000 "$RF_TMP/big.zip"
expect_grep 'big.zip \[member big.txt\].*max_member_size.*--max-member-size' "$RF_TMP/err" "member limit"
expect_rc 0 "$REDFLAG" docs --max-ratio 10 "$RF_TMP/big.zip"
expect_grep 'max_ratio.*--max-ratio' "$RF_TMP/err" "ratio limit"

# ---- scan: the planted passage at the right patent, claim and bytes ----
# a small rule file of our own: the shipped packs evolve and take long to
# compile; what is tested here is where a finding points
cat > "$RF_TMP/rules.yaml" <<'EOF'
sets:
  p-trait:
    terms:
      en: [race, ethnicity, ethnic origin, Uyghur]
      de: [ethnischer Herkunft]
      zh-Hans: [民族, 维吾尔族]
  p-subject:
    terms:
      en: [attribute*, face]
      de: [Gesicht*]
      zh-Hans: [属性, 人脸]
rules:
  - id: p-attr
    title: Trait among recognised attributes
    category: ethnicity
    severity: high
    regulation: EU AI Act Art. 5(1)(g)
    message: a protected trait among recognised attributes
    all: [p-trait, p-subject]
    within: sentence
    examples:
      match: ["The face attributes include race."]
      no_match: ["The weather is fine."]
EOF
expect_rc 1 "$REDFLAG" scan --quiet --rules "$RF_TMP/rules.yaml" \
  "$EX/us-grant.xml" "$EX/cn-application-gbk.xml" "$RF_TMP/bulk.tgz"
cp "$RF_TMP/out" "$RF_TMP/findings.jsonl"
# each finding: document, file or member, section, unit, line, and the
# original bytes from its start offset (decoded as the file is encoded)
python3 - "$RF_TMP/findings.jsonl" "$RF_TMP/ipg-weekly.xml" > "$RF_TMP/check.txt" <<'EOF'
import json, sys
found, weekly = sys.argv[1], sys.argv[2]
for line in open(found, encoding="utf-8"):
    f = json.loads(line)
    doc = f["document"]["id"]
    src = weekly if f["member"] else f["path"]
    raw = open(src, "rb").read()[f["start"]:f["end"] + 60]
    enc = "gbk" if doc == "CN-199900001-A" else "utf-8"
    text = raw.decode(enc, errors="ignore").replace("\n", " ")
    print(doc, "member" if f["member"] else "file", f["section"], f["unit"],
          f["line"], text)
EOF
expect_grep '^US-19000001-B2 file claims claim 2 [0-9]+ attributes include gender, age and race \(Han, Uyghur\)' "$RF_TMP/check.txt" "US claim 2 bytes"
expect_grep '^CN-199900001-A file claims claim 2 [0-9]+ 属性包括性别、年龄和民族（汉族、维吾尔族）' "$RF_TMP/check.txt" "CN claim 2 GBK bytes"
expect_grep '^US-19000001-B2 member claims claim 2 [0-9]+ attributes include gender, age and race \(Han, Uyghur\)' "$RF_TMP/check.txt" "US claim 2 inside the tar.gz"
expect_grep '^CN-199900001-A member claims claim 2 [0-9]+ 属性包括' "$RF_TMP/check.txt" "CN claim 2 inside the tar.gz"
expect_grep '^US-2021999001-A1 member description \[0003\] [0-9]+ .*Uyghur or Han' "$RF_TMP/check.txt" "paragraph number"
expect_grep '^EP-9990001-B1 member claims claim 2 [0-9]+ .*ethnischer Herkunft' "$RF_TMP/check.txt" "German claim"
# the line is the line in the file (in the weekly file, for members)
want_line=$(grep -n 'race (Han, Uyghur)' "$EX/us-grant.xml" | cut -d: -f1)
expect_grep "^US-19000001-B2 file claims claim 2 $want_line " "$RF_TMP/check.txt" "finding line"

finish
