#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what is missing, builds the
# release and the AddressSanitizer + UBSan configurations, and runs every
# ctest suite in both (unit, end-to-end CLI, golden, rules' own examples,
# accuracy thresholds, corpus tests when ../shared is there).
# Ends with one line "N passed, N failed" over all suites.
set -uo pipefail
cd "$(dirname "$0")/.."

passed=0
failed=0
stage_failed=()

run_ctest() { # name build_dir
  local name=$1 dir=$2 log
  log=$(mktemp)
  echo "== ctest ($name)"
  ctest --test-dir "$dir" --output-on-failure -j"$(nproc)" --timeout 900 2>&1 | tee "$log"
  local line p t
  line=$(grep -E '[0-9]+% tests passed, [0-9]+ tests failed out of [0-9]+' "$log" | tail -n1)
  if [ -z "$line" ]; then
    failed=$((failed + 1)); stage_failed+=("$name: no ctest summary")
  else
    t=$(echo "$line" | sed -E 's/.* out of ([0-9]+).*/\1/')
    p=$(echo "$line" | sed -E 's/.*tests passed, ([0-9]+) tests failed.*/\1/')
    passed=$((passed + t - p)); failed=$((failed + p))
    [ "$p" = 0 ] || stage_failed+=("$name: $p failed")
  fi
  rm -f "$log"
}

if ! scripts/setup.sh build; then
  echo "0 passed, 1 failed"; exit 1
fi
run_ctest release build

# Sanitizers: the same suites under ASan + UBSan (detect_leaks on).
if scripts/setup.sh build-asan -DRF_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug; then
  run_ctest asan-ubsan build-asan
else
  failed=$((failed + 1)); stage_failed+=("asan build")
fi

for s in "${stage_failed[@]}"; do echo "FAILED: $s"; done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
