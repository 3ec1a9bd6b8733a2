#!/usr/bin/env bash
# The PostgreSQL store (`--store postgresql://...`), end to end against a
# real server this script starts itself: a throwaway cluster on loopback
# (initdb + pg_ctl from Debian's postgresql-15, run as a non-root user),
# removed on exit. Checks scan, report, review, re-scan semantics,
# baseline, serve, and two concurrent scans: no lost, no duplicated
# findings. FAILS (never skips) when PostgreSQL is missing: scripts/setup.sh
# installs it.
. "$(dirname "$0")/lib.sh"
PGBIN=${RF_PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  echo "FAIL: PostgreSQL server binaries not found (scripts/setup.sh installs postgresql)" >&2
  exit 1
fi
cd "$RF_TMP"
PGDIR="$RF_TMP/pg"
mkdir -p "$PGDIR"
as_pg() { "$@"; }
if [ "$(id -u)" = 0 ]; then
  # the server refuses to run as root
  chown postgres: "$PGDIR"
  as_pg() { runuser -u postgres -- "$@"; }
fi
as_pg "$PGBIN/initdb" -D "$PGDIR/data" -A trust -U postgres --no-locale -E UTF8 >"$RF_TMP/initdb.log" 2>&1 ||
  { echo "FAIL: initdb" >&2; cat "$RF_TMP/initdb.log" >&2; exit 1; }
# a free port can be taken between asking and binding (other suites start
# servers too): try a few
started=
for _ in 1 2 3 4 5; do
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  if as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w -t 60 \
    -o "-k $PGDIR -p $PORT -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null; then
    started=1; break
  fi
done
[ -n "$started" ] || { echo "FAIL: pg_ctl start" >&2; cat "$PGDIR/log" >&2; exit 1; }
stop_pg() { as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate stop >/dev/null 2>&1; }
trap stop_pg EXIT
psql() { "$PGBIN/psql" -X -q -h 127.0.0.1 -p "$PORT" -U postgres "$@"; }
psql -d postgres -c "CREATE DATABASE rf" -c "CREATE DATABASE rf2" || { echo "FAIL: createdb" >&2; exit 1; }
DB="postgresql://postgres@127.0.0.1:$PORT/rf"
RULES="$RF_SRC/tests/data/rules/basic.yaml"

mkdir -p corpus
for i in $(seq 1 40); do
  printf 'Device %d: the face of each pedestrian is classified by race.\nA race condition in the face tracker %d.\nThe module reads the face and outputs ethnicity %d.\n' "$i" "$i" "$i" >corpus/doc$i.txt
done

# ---- one scan, reports, reviews
expect_rc 1 "$REDFLAG" scan --store "$DB" --rules "$RULES" corpus
expect_grep "stored as scan 1" "$RF_TMP/err" "scan into PostgreSQL"
"$REDFLAG" report --store "$DB" --format jsonl >r1.jsonl
expect_eq "$(wc -l <r1.jsonl)" 80 "80 findings stored"
"$REDFLAG" scan --store sq.db --rules "$RULES" corpus >/dev/null 2>&1
"$REDFLAG" report --store sq.db --format jsonl >sq.jsonl
expect_eq "$(cmp -s r1.jsonl sq.jsonl && echo same)" same "PostgreSQL and SQLite stores give the same report"
FP=$(head -1 r1.jsonl | python3 -c 'import json,sys;print(json.load(sys.stdin)["fingerprint"])')
expect_rc 0 "$REDFLAG" review "$FP" --status false-positive --note "it's a <test>" --store "$DB"
"$REDFLAG" report --store "$DB" --format jsonl --status false-positive >fp.jsonl
expect_eq "$(wc -l <fp.jsonl)" 1 "review persisted"
expect_grep "it's a <test>" fp.jsonl "note with a quote kept verbatim"
for f in sarif csv html; do
  expect_rc 0 "$REDFLAG" report --store "$DB" --format $f --output "r.$f"
done
expect_grep "false-positive" r.csv "CSV from PostgreSQL shows the review"

# ---- re-scan: edit one file, drop one; reviews survive
rm corpus/doc40.txt
printf 'Nothing to see.\n' >corpus/doc39.txt
expect_rc 1 "$REDFLAG" scan --store "$DB" --rules "$RULES" corpus
expect_grep "4 resolved" "$RF_TMP/err" "re-scan resolves what is gone"
"$REDFLAG" report --store "$DB" --format jsonl --status false-positive >fp2.jsonl
expect_eq "$(wc -l <fp2.jsonl)" 1 "review survives a re-scan"
expect_rc 0 "$REDFLAG" diff --store "$DB"

# ---- baseline round trip into a second database
expect_rc 0 "$REDFLAG" baseline export base.json --store "$DB"
DB2="postgresql://postgres@127.0.0.1:$PORT/rf2"
"$REDFLAG" scan --store "$DB2" --rules "$RULES" corpus >/dev/null 2>&1
expect_rc 0 "$REDFLAG" baseline import base.json --store "$DB2"
"$REDFLAG" report --store "$DB2" --format jsonl --status false-positive >fp3.jsonl
expect_eq "$(wc -l <fp3.jsonl)" 1 "baseline import into PostgreSQL"

# ---- serve over PostgreSQL
"$REDFLAG" serve --store "$DB" --port 0 >serve.out 2>serve.err &
SPID=$!
for _ in $(seq 200); do grep -q '^redflag serve: ' serve.out 2>/dev/null && break; sleep 0.1; done
URL=$(sed -n '1s/^redflag serve: //p' serve.out)
curl -s "${URL}api/findings?status=false-positive" >api.json
expect_grep '"total":1' api.json "serve lists PostgreSQL findings"
curl -s -c jar -o /dev/null "$URL"
TOKEN=$(awk '$6 == "rf_csrf" {print $7}' jar)
FP2=$(sed -n 2p r1.jsonl | python3 -c 'import json,sys;print(json.load(sys.stdin)["fingerprint"])')
code=$(curl -s -o /dev/null -w '%{http_code}' -b jar -H "X-CSRF-Token: $TOKEN" -H 'Content-Type: application/json' \
  -X POST --data "{\"fingerprint\":\"$FP2\",\"status\":\"confirmed\"}" "${URL}api/review")
expect_eq "$code" 200 "review through serve"
expect_eq "$(curl -s -o /dev/null -w '%{http_code}' "${URL}summary")" 200 "summary over PostgreSQL"
expect_eq "$(curl -s -o /dev/null -w '%{http_code}' "${URL}?sort=date&dir=desc&page=2&per=10")" 200 "sorted page over PostgreSQL"
kill -TERM $SPID; wait $SPID
expect_eq "$?" 0 "serve stops"
"$REDFLAG" report --store "$DB" --format jsonl --status confirmed >c.jsonl
expect_grep "\"fingerprint\":\"$FP2\"" c.jsonl "serve review in the report"

# ---- two concurrent scans into a fresh database: nothing lost, no duplicates
psql -d postgres -c "CREATE DATABASE rfc"
DBC="postgresql://postgres@127.0.0.1:$PORT/rfc"
mkdir -p big
for i in $(seq 1 1000); do
  printf 'Unit %d: the face of each pedestrian is classified by race.\nThe camera reads the face and outputs ethnicity %d.\n' "$i" "$i" >big/u$i.txt
done
"$REDFLAG" scan --store "$DBC" --rules "$RULES" big >c1.out 2>c1.err &
P1=$!
"$REDFLAG" scan --store "$DBC" --rules "$RULES" big >c2.out 2>c2.err &
P2=$!
wait $P1; R1=$?
wait $P2; R2=$?
expect_eq "$R1/$R2" "1/1" "both concurrent scans succeed"
cat c1.err c2.err | grep "error:" >&2
N=$(psql -d rfc -At -c "SELECT count(*) FROM findings")
D=$(psql -d rfc -At -c "SELECT count(DISTINCT fingerprint) FROM findings")
DOCS=$(psql -d rfc -At -c "SELECT count(*) FROM documents")
expect_eq "$N" 2000 "no lost findings"
expect_eq "$D" "$N" "no duplicated findings"
expect_eq "$DOCS" 1000 "no duplicated documents"
S=$(psql -d rfc -At -c "SELECT count(*) FROM scans WHERE state = 'complete'")
expect_eq "$S" 2 "both scans complete"
finish
