#!/usr/bin/env bash
# Browser end-to-end tests of `redflag serve` (tests/e2e/serve.test.mjs) in
# headless Chromium through playwright-core. This test FAILS, never skips,
# when Chromium or Node is missing: scripts/setup.sh installs them.
set -u
: "${REDFLAG:?REDFLAG must point at the redflag binary}"
: "${RF_SRC:?RF_SRC must point at the source tree}"
: "${RF_TMP:=$(mktemp -d)}"
E2E="$RF_SRC/tests/e2e"

for tool in node npm; do
  if ! command -v "$tool" >/dev/null; then
    echo "FAIL: $tool is missing (scripts/setup.sh installs nodejs npm)" >&2
    exit 1
  fi
done
CHROMIUM=${RF_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
  echo "FAIL: $CHROMIUM is missing (scripts/setup.sh installs chromium)" >&2
  exit 1
fi
if [ ! -d "$E2E/node_modules/playwright-core" ]; then
  # package-lock.json pins playwright-core; npm install if the lock is gone
  (cd "$E2E" && { npm ci --no-audit --no-fund || npm install --no-audit --no-fund; }) >&2 ||
    { echo "FAIL: could not install playwright-core" >&2; exit 1; }
fi
mkdir -p "$RF_TMP"
cd "$E2E" && RF_TMP="$RF_TMP" REDFLAG="$REDFLAG" RF_SRC="$RF_SRC" \
  RF_CHROMIUM="$CHROMIUM" timeout 300 node --test --test-reporter=spec serve.test.mjs
