#!/usr/bin/env bash
# The HTTP layer of `redflag serve`, driven with curl: security headers,
# CSRF refusal, no path traversal, the Host check (DNS rebinding), the
# JSON API and review persistence, option checks and a clean SIGTERM stop.
. "$(dirname "$0")/lib.sh"
command -v curl >/dev/null || { echo "FAIL: curl is missing (scripts/setup.sh installs it)" >&2; exit 1; }
cd "$RF_TMP"
RULES="$RF_SRC/tests/data/rules/basic.yaml"
printf 'The face of the pedestrian <img src=x onerror=alert(1)> is classified by race.\n' >a.txt
printf 'Face images give each pedestrian an ethnicity label.\n' >b.txt
"$REDFLAG" scan --store s.db --rules "$RULES" a.txt b.txt >/dev/null 2>&1
expect_eq "$?" 1 "scan with findings"

# option checks: a public bind without --allow-remote is refused
expect_rc 2 "$REDFLAG" serve --store s.db --bind 0.0.0.0 --port 0
expect_grep "allow-remote" "$RF_TMP/err" "public bind needs --allow-remote"
expect_rc 2 "$REDFLAG" serve --store s.db --bind not-an-ip --port 0
expect_rc 2 "$REDFLAG" serve --store missing.db --port 0

"$REDFLAG" serve --store s.db --port 0 >serve.out 2>serve.err &
PID=$!
for _ in $(seq 200); do grep -q '^redflag serve: ' serve.out 2>/dev/null && break; sleep 0.1; done
URL=$(sed -n '1s/^redflag serve: //p' serve.out)
expect_grep '^redflag serve: http://127\.0\.0\.1:[0-9]+/$' serve.out "URL on the first line"
PORT=${URL##*:}; PORT=${PORT%/}

code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }

curl -s -D h.txt -o page.html -c jar "$URL" 
expect_grep "^HTTP/1.1 200" h.txt "list page"
expect_grep "^Content-Security-Policy: default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'" h.txt "CSP header"
expect_grep "^X-Content-Type-Options: nosniff" h.txt "nosniff"
expect_grep "^Referrer-Policy: no-referrer" h.txt "referrer policy"
expect_grep "^Set-Cookie: rf_csrf=[0-9a-f]{32}; Path=/; HttpOnly; SameSite=Strict" h.txt "CSRF cookie"
expect_grep '&lt;img src=x onerror=alert\(1\)&gt;' page.html "document text escaped"
expect_no_grep '<img src=x' page.html "no raw markup from the document"
TOKEN=$(awk '$6 == "rf_csrf" {print $7}' jar)
expect_grep "name=\"rf-csrf\" content=\"$TOKEN\"" page.html "token embedded in the page"

curl -s -D h404.txt -o /dev/null --path-as-is "${URL}static/../../../etc/passwd"
expect_grep "^HTTP/1.1 404" h404.txt "../ traversal is 404"
expect_grep "^Content-Security-Policy: default-src 'none'" h404.txt "CSP on errors too"
expect_eq "$(code --path-as-is "${URL}..%2f..%2fetc%2fpasswd")" 404 "encoded traversal"
expect_eq "$(code "${URL}static/app.js")" 200 "script asset"
expect_eq "$(code "${URL}static/app.css")" 200 "style asset"
expect_eq "$(code "${URL}static/nope.js")" 404 "unknown asset"
expect_eq "$(code "${URL}finding/zzzz")" 404 "bad fingerprint"

# DNS rebinding: a foreign Host is refused; loopback names are fine
expect_eq "$(code -H 'Host: evil.example' "$URL")" 421 "foreign Host refused"
expect_eq "$(code -H "Host: evil.example:$PORT" "$URL")" 421 "foreign Host with port refused"
expect_eq "$(code -H "Host: localhost:$PORT" "$URL")" 200 "localhost Host accepted"

# the API
curl -s "${URL}api/findings?per=1" >list.json
expect_grep '"total":2' list.json "API total"
FP=$(python3 -c 'import json;print(json.load(open("list.json"))["findings"][0]["fingerprint"])')
expect_eq "$(code "${URL}api/finding/$FP")" 200 "API finding"
expect_eq "$(code "${URL}api/summary")" 200 "API summary"
expect_eq "$(code "${URL}api/findings?since=yesterday")" 400 "bad date is a 400"
expect_eq "$(code "${URL}summary")" 200 "summary page"

# CSRF: no token, wrong token, token without cookie are refused
BODY="{\"fingerprint\":\"$FP\",\"status\":\"confirmed\",\"note\":\"<b>ok</b>\"}"
J=(-H 'Content-Type: application/json' -X POST --data "$BODY")
expect_eq "$(code "${J[@]}" "${URL}api/review")" 403 "POST without token"
expect_eq "$(code "${J[@]}" -b jar "${URL}api/review")" 403 "POST with cookie only"
expect_eq "$(code "${J[@]}" -b jar -H "X-CSRF-Token: 00000000000000000000000000000000" "${URL}api/review")" 403 "POST with wrong token"
expect_eq "$(code "${J[@]}" -H "X-CSRF-Token: $TOKEN" "${URL}api/review")" 403 "POST with token but no cookie"
expect_eq "$(code "${J[@]}" -b "rf_csrf=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" -H "X-CSRF-Token: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" "${URL}api/review")" 403 "POST with a token the server never issued"
expect_eq "$(code -X PUT "${URL}api/review")" 405 "PUT"
expect_eq "$(code "${J[@]}" -b jar -H "X-CSRF-Token: $TOKEN" "${URL}api/review")" 200 "POST with token"
expect_eq "$(code -H 'Content-Type: application/json' -X POST --data '{"fingerprint":"'"$FP"'","status":"resolved"}' -b jar -H "X-CSRF-Token: $TOKEN" "${URL}api/review")" 400 "resolved is not a review"
"$REDFLAG" report --store s.db --format jsonl --status confirmed >rep.jsonl
expect_grep "\"fingerprint\":\"$FP\"" rep.jsonl "review persisted in the store"
curl -s "${URL}finding/$FP" >f.html
expect_grep '&lt;b&gt;ok&lt;/b&gt;' f.html "note escaped"

kill -TERM "$PID"
wait "$PID"
expect_eq "$?" 0 "SIGTERM stops cleanly"
expect_grep "stopping" serve.err "says it stops"
finish
