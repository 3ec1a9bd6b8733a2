/*
 * anchors.c - what the scanner's first pass looks for.
 *
 * The first pass runs the anchor database over every byte, so its cost is
 * the scan's (docs/performance.md). The anchors are the terms of the sets
 * that anchor a rule (the first set of its `all`: trait and group words,
 * rare by design). A form of one word is a literal to Hyperscan. A form of
 * several words ("non-Uyghur", "ethnic Uyghur", "Uyghur people") is an
 * expression whose separator runs ([\s\-_]{0,16}) Hyperscan matches with
 * an automaton that every occurrence of the first word starts: on the
 * benchmark's text the 1,602 multi-word anchor forms of the shipped rules
 * cost the first pass twice what its 1,777 single words do.
 *
 * The first pass only decides where the second pass reads, and the second
 * pass finds every hit again, exactly. So a multi-word form that holds a
 * word which is itself a single-word anchor form (the group or trait word)
 * is anchored by that word alone, as a literal. Its word boundaries are
 * checked only where they are the form's own ends, since the text may join
 * words with no separator ("nonUyghur"), and the scanner widens the word's
 * region by the longest text the whole form can match (`widen`), so that
 * the region holds every window the form's hit may have. Words anchoring
 * several forms of one set with the same checks are one anchor, with the
 * widest widening. Forms with no such word, regex terms and the terms of
 * mask sets are anchored exactly, as before.
 */
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"

/* Folded as Hyperscan's caseless mode folds: ASCII letters only. */
#define RF_WORD_MAX 256

static void fold(char *dst, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        dst[i] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    }
    dst[n] = '\0';
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool has_sep(const char *form)
{
    for (; *form != '\0'; form++) {
        if (rf_expand_is_sep(*form)) {
            return true;
        }
    }
    return false;
}

static bool is_anchor(const rf_ruleset *rs, const rf_pattern *p)
{
    return rs->set_reach[rs->store.terms[p->term].set] != 0;
}

/* Anchored exactly whatever its form: a regex, or a mask's term (a mask
 * hit hides others, so it must be the term's own). */
static bool exact_only(const rf_ruleset *rs, const rf_pattern *p)
{
    return p->regex || rs->store.sets[rs->store.terms[p->term].set].mask;
}

/* The single-word anchor forms, folded, sorted, for bsearch. */
static rf_status singles(const rf_ruleset *rs, rf_strvec *out)
{
    char key[RF_WORD_MAX];
    rf_status st = RF_OK;
    for (size_t i = 0; i < rs->pattern_count && st == RF_OK; i++) {
        const rf_pattern *p = &rs->patterns[i];
        size_t n = strlen(p->form);
        if (!is_anchor(rs, p) || exact_only(rs, p) || has_sep(p->form) ||
            n >= sizeof(key)) {
            continue;
        }
        fold(key, p->form, n);
        st = rf_strvec_push(out, key);
    }
    if (st == RF_OK && out->n > 1) {
        qsort(out->v, out->n, sizeof(*out->v), cmp_str);
    }
    return st;
}

/* The longest word of form that is a single-word anchor form: its length
 * (0: none) and offset. */
static size_t pick_word(const char *form, const rf_strvec *single, size_t *at)
{
    char key[RF_WORD_MAX];
    const char *k = key;
    size_t best = 0;
    size_t i = 0;
    while (form[i] != '\0') {
        while (form[i] != '\0' && rf_expand_is_sep(form[i])) {
            i++;
        }
        size_t s = i;
        while (form[i] != '\0' && !rf_expand_is_sep(form[i])) {
            i++;
        }
        size_t n = i - s;
        if (n <= best || n >= sizeof(key)) {
            continue;
        }
        fold(key, form + s, n);
        if (single->n > 0 &&
            bsearch(&k, single->v, single->n, sizeof(*single->v), cmp_str)) {
            best = n;
            *at = s;
        }
    }
    return best;
}

/* Whether form[from, to) holds anything but separators. */
static bool has_word(const char *form, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        if (!rf_expand_is_sep(form[i])) {
            return true;
        }
    }
    return false;
}

typedef struct cand {
    rf_anchor a;
    size_t len; /* of the word (a.form, not yet owned) */
    char key[RF_WORD_MAX];
} cand;

/* Words in an order where the duplicates (set, checks, folded word) are
 * next to each other; the pattern keeps the order the same from run to
 * run. */
static int cmp_cand(const void *x, const void *y)
{
    const cand *a = x;
    const cand *b = y;
    if (a->a.set != b->a.set) {
        return a->a.set < b->a.set ? -1 : 1;
    }
    if (a->a.check_left != b->a.check_left) {
        return a->a.check_left ? 1 : -1;
    }
    if (a->a.check_right != b->a.check_right) {
        return a->a.check_right ? 1 : -1;
    }
    int c = strcmp(a->key, b->key);
    if (c != 0) {
        return c;
    }
    return a->a.pattern < b->a.pattern ? -1 : (a->a.pattern > b->a.pattern);
}

static bool same_word(const cand *a, const cand *b)
{
    return a->a.set == b->a.set && a->a.check_left == b->a.check_left &&
           a->a.check_right == b->a.check_right && strcmp(a->key, b->key) == 0;
}

/* Add the exact anchor of pattern i, or its word to words. */
static void add_pattern(
    rf_ruleset *rs, size_t i, const rf_strvec *single, cand *words, size_t *nw)
{
    const rf_pattern *p = &rs->patterns[i];
    rf_anchor a = {
        .pattern = (uint32_t)i,
        .set = rs->store.terms[p->term].set,
        .form = p->form,
        .check_left = p->check_left,
        .check_right = p->check_right,
        .widen = 0,
    };
    size_t at = 0;
    size_t n = exact_only(rs, p) || !has_sep(p->form)
                   ? 0
                   : pick_word(p->form, single, &at);
    if (n == 0) {
        rs->anchors[rs->anchor_count++] = a;
        return;
    }
    size_t widen = rf_expand_max_match(p->form);
    cand *c = &words[(*nw)++];
    c->a = a;
    c->a.form = p->form + at;
    c->a.check_left = p->check_left && !has_word(p->form, 0, at);
    c->a.check_right =
        p->check_right && !has_word(p->form, at + n, strlen(p->form));
    c->a.widen = widen > UINT32_MAX ? UINT32_MAX : (uint32_t)widen;
    c->len = n;
    fold(c->key, c->a.form, n);
}

/* The words, duplicates merged, after the exact anchors. */
static rf_status add_words(rf_ruleset *rs, cand *words, size_t nw)
{
    if (nw > 1) {
        qsort(words, nw, sizeof(*words), cmp_cand);
    }
    for (size_t i = 0; i < nw; i++) {
        size_t j = i;
        uint32_t widen = words[i].a.widen;
        while (j + 1 < nw && same_word(&words[i], &words[j + 1])) {
            j++;
            widen = words[j].a.widen > widen ? words[j].a.widen : widen;
        }
        rf_status st =
            rf_strvec_pushn(&rs->anchor_words, words[i].a.form, words[i].len);
        if (st != RF_OK) {
            return st;
        }
        rf_anchor *a = &rs->anchors[rs->anchor_count++];
        *a = words[i].a;
        a->form = rs->anchor_words.v[rs->anchor_words.n - 1];
        a->widen = widen;
        i = j;
    }
    return RF_OK;
}

rf_status
rf_anchors_build(rf_ruleset *rs, const rf_strvec *exprs, rf_strvec *out)
{
    rf_strvec single = {0};
    cand *words =
        calloc(rs->pattern_count ? rs->pattern_count : 1, sizeof(*words));
    rs->anchors =
        calloc(rs->pattern_count ? rs->pattern_count : 1, sizeof(*rs->anchors));
    rs->anchor_count = 0;
    rf_status st = words && rs->anchors ? singles(rs, &single) : RF_ENOMEM;
    size_t nw = 0;
    for (size_t i = 0; i < rs->pattern_count && st == RF_OK; i++) {
        if (is_anchor(rs, &rs->patterns[i])) {
            add_pattern(rs, i, &single, words, &nw);
        }
    }
    size_t exact = rs->anchor_count;
    if (st == RF_OK) {
        st = add_words(rs, words, nw);
    }
    /* one expression per anchor: the pattern's own, or the word's */
    for (size_t i = 0; i < rs->anchor_count && st == RF_OK; i++) {
        const rf_anchor *a = &rs->anchors[i];
        if (i < exact) {
            st = rf_strvec_push(out, exprs->v[a->pattern]);
            continue;
        }
        rf_buf re = {0};
        st = rf_expand_regex(&re, a->form);
        if (st == RF_OK) {
            st = rf_strvec_push(out, re.data);
        }
        rf_buf_free(&re);
    }
    free(words);
    rf_strvec_free(&single);
    return st;
}

static int cmp_lit(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

rf_status rf_ruleset_anchor_terms(
    const rf_ruleset *rs,
    int (*cb)(const char *term, const char *set, void *payload),
    void *payload)
{
    /* "literal\tset" lines, sorted, so that each literal is passed once */
    rf_strvec lines = {0};
    rf_status st = RF_OK;
    for (size_t i = 0; i < rs->anchor_count && st == RF_OK; i++) {
        const rf_anchor *a = &rs->anchors[i];
        if (rs->patterns[a->pattern].regex) {
            continue;
        }
        size_t n = lines.n;
        st = rf_expand_literal(&lines, a->form);
        if (st == RF_OK && lines.n > n) {
            rf_buf b = {0};
            st = rf_buf_puts(&b, lines.v[n]);
            st = st ? st : rf_buf_putc(&b, '\t');
            st = st ? st : rf_buf_puts(&b, rs->store.sets[a->set].name);
            free(lines.v[n]);
            lines.v[n] = b.data; /* taken over by lines */
        }
    }
    if (st == RF_OK && lines.n > 1) {
        qsort(lines.v, lines.n, sizeof(*lines.v), cmp_lit);
    }
    size_t prev = 0;
    for (size_t i = 0; i < lines.n && st == RF_OK; i++) {
        char *tab = strchr(lines.v[i], '\t');
        size_t n = (size_t)(tab - lines.v[i]);
        if (i > 0 && n == prev && strncmp(lines.v[i], lines.v[i - 1], n) == 0) {
            continue;
        }
        prev = n;
        *tab = '\0';
        int rc = cb(lines.v[i], tab + 1, payload);
        *tab = '\t';
        if (rc != 0) {
            st = RF_EUSER;
        }
    }
    rf_strvec_free(&lines);
    return st;
}
