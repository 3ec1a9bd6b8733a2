# lib.sh - assertions for the end-to-end CLI tests (sourced).
# Each test script runs the real binary ($REDFLAG) on files it writes into
# $RF_TMP, checks what a user would see, and exits non-zero on any failure.
set -u
: "${REDFLAG:?REDFLAG must point at the redflag binary}"
: "${RF_SRC:?RF_SRC must point at the source tree}"
: "${RF_TMP:=$(mktemp -d)}"
rm -rf "$RF_TMP"
mkdir -p "$RF_TMP"
T_PASSED=0
T_FAILED=0

pass() { T_PASSED=$((T_PASSED + 1)); }
fail() { T_FAILED=$((T_FAILED + 1)); echo "FAIL: $*" >&2; }

# expect_rc WANT CMD... : run CMD, compare its exit status
expect_rc() {
  local want=$1; shift
  "$@" >"$RF_TMP/out" 2>"$RF_TMP/err"
  local rc=$?
  if [ "$rc" = "$want" ]; then pass; else
    fail "exit $rc (want $want): $*"; sed 's/^/  stderr: /' "$RF_TMP/err" | head -5 >&2
  fi
}

# expect_grep PATTERN FILE WHAT
expect_grep() {
  if grep -qE -- "$1" "$2"; then pass; else fail "$3: /$1/ not in $2"; fi
}
expect_no_grep() {
  if grep -qE -- "$1" "$2"; then fail "$3: /$1/ unexpectedly in $2"; else pass; fi
}
expect_eq() { # GOT WANT WHAT
  if [ "$1" = "$2" ]; then pass; else fail "$3: got '$1', want '$2'"; fi
}

finish() {
  echo "$T_PASSED passed, $T_FAILED failed"
  [ "$T_FAILED" = 0 ]
}
