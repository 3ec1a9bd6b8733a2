#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what is missing, builds the
# release and the AddressSanitizer + UBSan configurations, and runs every
# ctest suite in both (unit, end-to-end CLI, golden, rules' own examples,
# accuracy thresholds, corpus tests when ../shared is there); then the
# threaded tests under ThreadSanitizer, the unit suites under valgrind, and
# each libFuzzer target for RF_FUZZ_SECONDS (docs/robustness.md).
# Ends with one line "N passed, N failed" over all suites.
set -uo pipefail
cd "$(dirname "$0")/.."

passed=0
failed=0
stage_failed=()

# run_ctest NAME BUILD_DIR [REGEX]: one ctest stage (only the tests matching
# REGEX when given), its summary line added to the totals
run_ctest() {
  local name=$1 dir=$2 re=${3:-} log line p t
  local sel=()
  log=$(mktemp)
  if [ -n "$re" ]; then
    sel=(-R "$re")
    echo "== ctest ($name: $re)"
  else
    echo "== ctest ($name)"
  fi
  ctest --test-dir "$dir" --output-on-failure -j"$(nproc)" --timeout 900 "${sel[@]}" 2>&1 | tee "$log"
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

# ThreadSanitizer: the multi-threaded scan (CLI scan tests at -j4, the
# hostile-input suite, the pool) with halt_on_error, so a race fails.
if scripts/setup.sh build-tsan -DRF_SANITIZE_THREAD=ON -DCMAKE_BUILD_TYPE=Debug; then
  TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
    run_ctest tsan build-tsan 'cli/test_scan$|cli/test_hostile_threads|unit/test_engine|test_fanout'
else
  failed=$((failed + 1)); stage_failed+=("tsan build")
fi

# valgrind memcheck over the unit suites and the fuzz corpus replays of the
# release build (any error or leak fails; about a minute and a half).
if command -v valgrind >/dev/null; then
  echo "== valgrind (unit + fuzz replays)"
  vlog=$(mktemp)
  for t in build/tests/test_* build/tests/fuzz/fuzz_*_replay; do
    [ -x "$t" ] || continue
    args=()
    case $t in *_replay) n=${t##*/fuzz_}; args=(tests/fuzz/corpus/${n%_replay});; esac
    if valgrind -q --error-exitcode=99 --leak-check=full \
        "$t" "${args[@]}" >"$vlog" 2>&1; then
      passed=$((passed + 1))
    else
      failed=$((failed + 1)); stage_failed+=("valgrind: $t")
      tail -n 30 "$vlog"
    fi
  done
  rm -f "$vlog"
fi

# Fuzzing: every libFuzzer target (tests/fuzz) built with clang and run for
# RF_FUZZ_SECONDS (15 by default; 13 targets, about 4 minutes) from its
# seed corpus. Any crash, leak or timeout fails the target; the input is
# kept in build-fuzz/artifacts/ to become a corpus file and a test.
if command -v clang-14 >/dev/null; then
  echo "== fuzz (${RF_FUZZ_SECONDS:-15} s per target)"
  targets=$(cd tests/fuzz && ls fuzz_*.c | grep -v fuzz_common | sed 's/\.c$//')
  # shellcheck disable=SC2086
  # warnings are the gcc builds' business: this stage fails on findings only
  if cmake -S . -B build-fuzz -DRF_FUZZERS=ON -DCMAKE_C_COMPILER=clang-14 \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRF_WERROR=OFF >/dev/null &&
     cmake --build build-fuzz -j"$(nproc)" --target $targets >/dev/null; then
    mkdir -p build-fuzz/artifacts
    for t in $targets; do
      name=${t#fuzz_}
      work=build-fuzz/corpus/$name
      mkdir -p "$work"
      if build-fuzz/tests/fuzz/$t -max_total_time="${RF_FUZZ_SECONDS:-15}" \
          -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
          -artifact_prefix=build-fuzz/artifacts/$name- \
          "$work" "tests/fuzz/corpus/$name" >build-fuzz/$name.log 2>&1; then
        passed=$((passed + 1))
        echo "fuzz $name: $(grep -E '^stat::number_of_executed_units' build-fuzz/$name.log | awk '{print $2}') runs, no finding"
      else
        failed=$((failed + 1)); stage_failed+=("fuzz $name (build-fuzz/$name.log)")
        grep -E 'ERROR|SUMMARY|Test unit written' build-fuzz/$name.log | head -5
      fi
    done
  else
    failed=$((failed + 1)); stage_failed+=("fuzz build")
  fi
fi

# Lint: the tree stays clean under clang-format (.clang-format) and the
# bug-finding clang-tidy checks (.clang-tidy). examples/ is vendor-style
# data and keeps its layout.
if command -v clang-format >/dev/null && command -v clang-tidy >/dev/null; then
  echo "== lint (clang-format, clang-tidy)"
  if git ls-files '*.c' '*.h' | grep -v -E '^(examples/|tests/fuzz/corpus/)' |
      xargs clang-format --dry-run -Werror 2>/tmp/rf-format.log; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1)); stage_failed+=("clang-format"); head -20 /tmp/rf-format.log
  fi
  if git ls-files 'src/*.c' 'cli/*.c' |
      xargs -P"$(nproc)" -n8 clang-tidy -p build --quiet \
        --extra-arg=-Wno-unknown-warning-option >/tmp/rf-tidy.log 2>&1; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1)); stage_failed+=("clang-tidy"); grep -E 'warning:|error:' /tmp/rf-tidy.log | head -20
  fi
  rm -f /tmp/rf-format.log /tmp/rf-tidy.log
else
  failed=$((failed + 1)); stage_failed+=("lint: clang-format or clang-tidy missing")
fi

for s in "${stage_failed[@]}"; do echo "FAILED: $s"; done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
