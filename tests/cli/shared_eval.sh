#!/usr/bin/env bash
# The real public patent files: none describes the capability, so none may
# be flagged at medium or above (eval/corpus-labels.yaml).
. "$(dirname "$0")/lib.sh"
: "${RF_SHARED:?}"
expect_rc 0 "$REDFLAG" eval --quiet --min-precision 0.95 --min-recall 0.95 --corpus "$RF_SHARED/corpus" "$RF_SRC/eval"
expect_grep 'real patent files scanned whole: 0 flagged' "$RF_TMP/out" "no false alarm on real files"
finish
