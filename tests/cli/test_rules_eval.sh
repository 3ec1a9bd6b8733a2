#!/usr/bin/env bash
# The shipped rule packs: every rule's own examples pass, and accuracy on
# the labelled set meets the targets (precision and recall >= 0.95
# overall, no language or trait below 0.90).
. "$(dirname "$0")/lib.sh"
expect_rc 0 "$REDFLAG" rules test
expect_grep '^[0-9]+ passed, 0 failed$' "$RF_TMP/out" "rules test summary"
# what the first pass looks for: literals of the expanded lexicon (a word
# of a longer form is one of its single-word forms), and fewer of them
expect_rc 0 "$REDFLAG" rules terms --expanded
tr "[:upper:]" "[:lower:]" < "$RF_TMP/out" | LC_ALL=C sort -u > "$RF_TMP/expanded"
expect_rc 0 "$REDFLAG" rules terms --anchors
tr "[:upper:]" "[:lower:]" < "$RF_TMP/out" | LC_ALL=C sort -u > "$RF_TMP/anchors"
expect_eq "$(LC_ALL=C comm -23 "$RF_TMP/anchors" "$RF_TMP/expanded" | head -3)" "" "anchor literals outside the lexicon"
expect_eq "$(($(wc -l < "$RF_TMP/anchors") > 500 && $(wc -l < "$RF_TMP/anchors") < $(wc -l < "$RF_TMP/expanded")))" 1 "anchor lexicon size"
expect_rc 0 "$REDFLAG" eval --min-precision 0.95 --min-recall 0.95 --min-group 0.90 "$RF_SRC/eval"
cat "$RF_TMP/out" | sed -n '1,8p'
expect_no_grep 'thresholds missed' "$RF_TMP/out" "eval thresholds"
# the same set through a broken rule file: eval must fail, not pass
printf 'rules: [\n' > "$RF_TMP/bad.yaml"
expect_rc 2 "$REDFLAG" eval --rules "$RF_TMP/bad.yaml" "$RF_SRC/eval"
# thresholds that cannot be met make eval exit 1
expect_rc 1 "$REDFLAG" eval --rules "$RF_SRC/tests/data/rules/basic.yaml" --min-recall 0.95 "$RF_SRC/eval"
finish
