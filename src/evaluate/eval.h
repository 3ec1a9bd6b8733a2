/*
 * eval.h - from term hits in one section to rule matches.
 */
#ifndef RF_EVAL_H
#define RF_EVAL_H

#include "rules/rules.h"

/* One accepted term hit: [start, end) in the section text. */
typedef struct rf_hit {
    size_t start;
    size_t end;
    uint32_t term;
    uint32_t set;
    bool masked;    /* inside a mask term: takes part in no rule */
    uint32_t widen; /* first pass only: a word of a longer form whose hit
                       may reach this much further either side (anchors.c) */
} rf_hit;

/* Hits of one section, and an index of them by set. */
typedef struct rf_hits {
    rf_hit *v;
    size_t n;
    size_t cap;
    uint32_t *by_set;  /* hit indices grouped by set, each group by start */
    uint32_t *set_off; /* group of set s is by_set[set_off[s]..set_off[s+1]) */
    size_t index_cap;
    size_t set_cap;
} rf_hits;

/* A rule that fired: the passage [start, end) and its scope window. */
typedef struct rf_match {
    uint32_t rule;
    size_t start;
    size_t end;
    size_t win_start;
    size_t win_end;
    rf_severity severity;
    bool dropped; /* superseded by a more severe match of the category */
} rf_match;

typedef struct rf_matches {
    rf_match *v;
    size_t n;
    size_t cap;
} rf_matches;

rf_status
rf_hits_push(rf_hits *h, size_t start, size_t end, uint32_t term, uint32_t set);
void rf_hits_free(rf_hits *h);

/* Sort, de-duplicate, apply masks and index the hits by set. */
rf_status rf_hits_prepare(rf_hits *h, const rf_ruleset *rs);

/* Evaluate every rule over the prepared hits of one section; with merge,
 * reduce overlapping matches of a category to the most severe. */
rf_status rf_evaluate(
    rf_matches *out,
    const rf_ruleset *rs,
    const rf_section *sec,
    const rf_hits *h,
    bool merge);

void rf_matches_free(rf_matches *m);

/* The scope window of `within` around [start, end) in the section text. */
void rf_window(
    const rf_section *sec,
    rf_within within,
    uint32_t chars,
    size_t start,
    size_t end,
    size_t *ws,
    size_t *we);

#endif /* RF_EVAL_H */
