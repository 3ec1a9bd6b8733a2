#!/usr/bin/env bash
# shared_docs.sh - `redflag docs` over the real public patent files in
# ../shared/corpus (see its PROVENANCE.md): every format, with values
# checked against the files themselves (publication numbers, titles,
# dates, claim counts per language). Registered only when the corpus is
# there; nothing is copied into the project.
. "$(dirname "$0")/lib.sh"
: "${RF_SHARED:?RF_SHARED must point at the shared folder}"
C="$RF_SHARED/corpus"

expect_rc 0 "$REDFLAG" docs "$C"
cp "$RF_TMP/out" "$RF_TMP/corpus.jsonl"
cp "$RF_TMP/err" "$RF_TMP/corpus.err"
expect_grep '; 0 errors' "$RF_TMP/corpus.err" "the whole corpus reads without an error"
expect_no_grep 'redflag: error' "$RF_TMP/corpus.err" "no diagnostics"

# check FILE-SUFFIX ID FIELD WANT: a field of the document with this id
# read from a file whose path ends with FILE-SUFFIX. FIELD may be
# "claims:LANG" (claim count), "sections:KIND" (count of such sections),
# "has:KIND" (1 if present), or a metadata key; lists print as a|b|c.
python3 - "$RF_TMP/corpus.jsonl" > "$RF_TMP/table.txt" <<'EOF'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    d = json.loads(line)
    base = d["path"].rsplit("/", 1)[-1]
    row = {k: v for k, v in d.items() if k != "sections"}
    for s in d["sections"]:
        if s["kind"] == "claims":
            row["claims:" + s["lang"]] = s["units"]
        row["has:" + s["kind"]] = 1
    for k, v in row.items():
        if isinstance(v, list):
            v = "|".join(v)
        print("%s\t%s\t%s\t%s" % (base, d["id"], k, v))
EOF
check() {
  local got
  got=$(awk -F'\t' -v f="$1" -v id="$2" -v k="$3" \
    '$1 == f && $2 == id && $3 == k { print $4; exit }' "$RF_TMP/table.txt")
  expect_eq "$got" "$4" "$1 $2 $3"
}

# USPTO grants v4.0 / v4.2 / v4.5
check US06859910.xml US-6859910-B2 title "Methods and systems for transactional tunneling"
check US06859910.xml US-6859910-B2 date_published 2005-02-22
check US06859910.xml US-6859910-B2 claims:en 2
check US07272630B2.xml US-7272630-B2 claims:en 17
check US07272630B2.xml US-7272630-B2 date_filed 2004-11-18
check US08930553.xml US-8930553-B2 title "Managing mid-dialog session initiation protocol (SIP) messages"
check US08930553.xml US-8930553-B2 inventors "Nitzan Nissim|Brian Pulito|Asaf Zinger"
check US08930553.xml US-8930553-B2 applicants "International Business Machines Corporation"
check US08930553.xml US-8930553-B2 classes G06F15/16
check US08930553.xml US-8930553-B2 claims:en 8
check US08930553.xml US-8930553-B2 has:background 1
# USPTO applications v4.0
check US20050004437A1.xml US-2005004437-A1 claims:en 10
check US20050004437A1.xml US-2005004437-A1 date_priority 2001-10-26
check US20050004437A1.xml US-2005004437-A1 classes A61B5/00
check US20050004974A1.xml US-2005004974-A1 title "Device model agent"
check US20050004974A1.xml US-2005004974-A1 claims:en 21
# older USPTO formats: pap v1.x, ST.32 v2.5 (utility and design), APS
check pap-v1x_US20010000044A1.xml US-2001000044-A1 claims:en 21
check pap-v1x_US20010000044A1.xml US-2001000044-A1 date_filed 1999-06-29
check st32-sgml-v25_US06336130.xml US-6336130-B1 title "Arrangement for improving availability of services in a communication system"
check st32-sgml-v25_US06336130.xml US-6336130-B1 claims:en 22
check st32-sgml-v25_US06336130.xml US-6336130-B1 date_priority 1997-04-08
check st32-sgml-v25_USD435854S1.xml US-D435854-S title "Disc cartridge"
check aps-greenbook_US03937375.txt US-3937375-A title "Bumper support for a boat loader"
check aps-greenbook_US03937375.txt US-3937375-A claims:en 3
check aps-greenbook_US03937375.txt US-3937375-A format uspto-aps
# USPTO XML4IP file-wrapper documents
check 12993548.2013-05-30.HHC6R88MPXXIFW3.CLM.xml US-12993548 claims:en 17
check 13962724.2013-08-08.HK4I4RXZPXXIFW3.ABST.xml US-13962724 has:abstract 1
# EPO publication server: A1 (en claims), A2 (no text), B2 and B1 (de/en/fr)
check ep-application_v1-0-A1.xml EP-1325900-A1 claims:en 7
check ep-application_v1-0-A1.xml EP-1325900-A1 classes "C07C29/44|C07C31/38"
check ep-application_v1-5-A2.xml EP-3814387-A2 title "RADIOPAQUE POLYMERS"
check ep-grant_v1-4-B2.xml EP-1451194-B2 claims:de 9
check ep-grant_v1-4-B2.xml EP-1451194-B2 claims:fr 9
check ep-grant_v1-5-1-B1.xml EP-3383757-B1 claims:en 8
check ep-grant_v1-5-1-B1.xml EP-3383757-B1 claims:de 8
check ep-grant_v1-5-1-B1.xml EP-3383757-B1 title "SCREW-TYPE CLOSURE SYSTEMS WITH MAGNETIC FEATURE"
check ep-grant_v1-5-1-B1.xml EP-3383757-B1 date_priority 2015-09-25
# EPO OPS responses
check ops_ep1000000_biblio_result.xml EP-1000000-A1 family_id 19768124
check ops_ep1000000_biblio_result.xml EP-1000000-A1 title "Apparatus for manufacturing green bricks for the brick manufacturing industry"
check ops_claims_example.xml EP-1000000-A1 claims:en 11
# WIPO ST.36 example (an EP A1) and ST.96
check st36a_example_EP1667425A1_DOC00001.xml EP-1667425-A1 claims:en 9
check st36a_example_EP1667425A1_DOC00001.xml EP-1667425-A1 title "Image forming method and image forming apparatus"
check PatentPublication_Example.xml US-8936998-B2 format wipo-st96
check PatentPublication_Example.xml US-8936998-B2 claims:en 10
check PatentPublication_Example.xml US-8936998-B2 date_published 2015-01-20
# CNIPA legacy and current
check cn_old1_CN104223352A.xml CN-104223352-A title "一种甘草发酵所得烟用香料及其应用"
check cn_old1_CN104223352A.xml CN-104223352-A claims:zh 3
check cn_old1_CN104223352A.xml CN-104223352-A has:background 1
check cn_old3_CN104245682A.xml CN-104245682-A claims:zh 5
check cn_new2.xml CN-113783949-A title "一种基于合约管理的跨链去中心化方法"
check cn_new2.xml CN-113783949-A claims:zh 10
check cn_new2.xml CN-113783949-A applicants "浙商银行股份有限公司"
check CN102015000481495CN00001152124630AFULZH20221021CN00D.XML CN-115212463-A claims:zh 12
check CN102015000481495CN00001152124630AFULZH20221021CN00D.XML CN-115212463-A title "一种医用放射治疗装置"
# JPO
check jp_example3_JP2021041306A.xml JP-2021041306-A claims:ja 8
check jp_example3_JP2021041306A.xml JP-2021041306-A title "脱酸素剤、脱酸素剤包装体及び食品包装体"
# Google Patents rows: JSON Lines and the two table samples
check publications_rows_nested.derived.jsonl US-4314796-A claims:en 13
check publications_rows_nested.derived.jsonl US-4314796-A family_id 27552291
check publications_rows_nested.derived.jsonl CN-101481674-B title "一种饲用β-甘露聚糖酶及其制备方法"
check publications_rows_nested.derived.jsonl DE-69611147-T2 date_priority 1995-10-18
check spider2_PATENTS_GOOGLE_PUBLICATIONS.json CN-101856496-B applicants "UNIV SICHUAN"
check spider2_PATENTS_PUBLICATIONS.json DE-69807539-T2 title "Automatisches Analysegerät"
expect_eq "$(grep -c 'publications_rows_nested' "$RF_TMP/corpus.jsonl")" 10 "10 JSON Lines rows"

# ---- the three real grants as a weekly file, plain and zipped ----------
G="$C/uspto-grant-v4"
cat "$G/US06859910.xml" "$G/US07272630B2.xml" "$G/US08930553.xml" > "$RF_TMP/ipg.xml"
(cd "$RF_TMP" && zip -q ipg.zip ipg.xml)
expect_rc 0 "$REDFLAG" docs "$RF_TMP/ipg.zip"
python3 - "$RF_TMP/out" > "$RF_TMP/weekly.txt" <<'EOF'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    d = json.loads(line)
    print(d["id"], d["index"], d["offset"], d["member"])
EOF
s1=$(stat -c %s "$G/US06859910.xml")
s2=$(stat -c %s "$G/US07272630B2.xml")
expect_eq "$(sed -n 1p "$RF_TMP/weekly.txt")" "US-6859910-B2 0 0 ipg.xml" "first grant"
expect_eq "$(sed -n 2p "$RF_TMP/weekly.txt")" "US-7272630-B2 1 $s1 ipg.xml" "second grant"
expect_eq "$(sed -n 3p "$RF_TMP/weekly.txt")" "US-8930553-B2 2 $((s1 + s2)) ipg.xml" "third grant"

finish
