#!/usr/bin/env bash
# The main job: scan the bundled examples with the default rules into the
# default store (redflag.db) and write the HTML report (report.html).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
rf=build/redflag
set +e
$rf scan --store redflag.db --format jsonl --output findings.jsonl examples/
rc=$?
set -e
if [ $rc -ge 2 ]; then
  echo "demo: scan failed" >&2
  exit $rc
fi
$rf report --store redflag.db --format html --output report.html
echo "demo: findings in redflag.db (and findings.jsonl); report: report.html" >&2
