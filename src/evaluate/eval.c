/*
 * eval.c - rules over term hits: masks, scope windows, all/any/none.
 *
 * The matcher reports every term hit in a section, in one pass. What makes
 * a finding is how hits sit together, and that is decided here, after the
 * scan, on a handful of hits rather than on the text:
 *
 * Masks first. A mask term (新疆维吾尔自治区, "race condition") hides
 * every hit lying inside it, so a place name never counts as a group name
 * while a real mention elsewhere in the same sentence still does.
 *
 * Then, per rule, the first set of `all` is the anchor. For each unhidden
 * anchor hit the scope window is computed from the text around it, lazily
 * (sentence punctuation in eight languages, line, blank-line paragraph,
 * claim or numbered paragraph, or N characters with CJK counted double,
 * since a Chinese character carries about as much as two Latin letters).
 * Every other `all` set must have an unhidden hit inside the window, one
 * `any` set must, and no `none` set may. The passage reported runs from the
 * first to the last of the hits chosen (nearest to the anchor). A rule
 * fires once per window: later anchors inside it are skipped.
 *
 * Last, matches of one category whose passages overlap are reduced to the
 * most severe: a critical "alert on Uyghur" rule and a high "ethnicity
 * attribute" rule firing on the same words are one finding, not two.
 */
#include "eval.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define RF_MAX_SCOPE RF_SCOPE_MAX_BYTES

rf_status
rf_hits_push(rf_hits *h, size_t start, size_t end, uint32_t term, uint32_t set)
{
    if (h->n == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 256;
        rf_hit *v = realloc(h->v, cap * sizeof(*v));
        if (v == NULL) {
            return RF_ENOMEM;
        }
        h->v = v;
        h->cap = cap;
    }
    h->v[h->n++] = (rf_hit){start, end, term, set, false, 0};
    return RF_OK;
}

void rf_hits_free(rf_hits *h)
{
    free(h->v);
    free(h->by_set);
    free(h->set_off);
    memset(h, 0, sizeof(*h));
}

void rf_matches_free(rf_matches *m)
{
    free(m->v);
    memset(m, 0, sizeof(*m));
}

static int cmp_hit(const void *a, const void *b)
{
    const rf_hit *x = a;
    const rf_hit *y = b;
    if (x->start != y->start) {
        return x->start < y->start ? -1 : 1;
    }
    if (x->end != y->end) {
        return x->end > y->end ? -1 : 1; /* longest first */
    }
    if (x->set != y->set) {
        return x->set < y->set ? -1 : 1;
    }
    return x->term < y->term ? -1 : (x->term > y->term);
}

/*
 * Hits arrive nearly sorted: Hyperscan reports each range's matches in
 * order of their end, and the scanner's regions come in order, so a hit
 * is out of place only by the few shorter hits ending before it. An
 * insertion sort is linear on such input, where qsort (a merge sort with a
 * buffer in glibc) was 4 % of a text scan. Input that is not nearly sorted
 * (more moves than a few per hit) goes to qsort.
 */
static void sort_hits(rf_hit *v, size_t n)
{
    size_t budget = n * 8;
    for (size_t i = 1; i < n; i++) {
        if (cmp_hit(&v[i - 1], &v[i]) <= 0) {
            continue;
        }
        rf_hit x = v[i];
        size_t j = i;
        while (j > 0 && cmp_hit(&v[j - 1], &x) > 0) {
            j--;
        }
        if (i - j > budget) {
            qsort(v, n, sizeof(*v), cmp_hit);
            return;
        }
        budget -= i - j;
        memmove(&v[j + 1], &v[j], (i - j) * sizeof(*v));
        v[j] = x;
    }
}

rf_status rf_hits_prepare(rf_hits *h, const rf_ruleset *rs)
{
    size_t nsets = rs->store.set_count;
    if (h->n > 1) {
        sort_hits(h->v, h->n);
        /* one hit per (start, end, set): several variants of one term, or
         * two terms of one set, may match the same bytes */
        size_t w = 1;
        for (size_t i = 1; i < h->n; i++) {
            const rf_hit *p = &h->v[w - 1];
            const rf_hit *c = &h->v[i];
            if (c->start == p->start && c->end == p->end && c->set == p->set) {
                /* the scanner's two passes may both report a hit; the
                 * first pass saw every mask around it */
                h->v[w - 1].masked |= c->masked;
                if (c->widen > h->v[w - 1].widen) {
                    h->v[w - 1].widen = c->widen;
                }
                continue;
            }
            h->v[w++] = *c;
        }
        h->n = w;
    }
    if (rs->has_mask) {
        for (size_t i = 0; i < h->n; i++) {
            const rf_hit *m = &h->v[i];
            if (!rs->store.sets[m->set].mask) {
                continue;
            }
            /* hits are sorted by start: those inside m start at or after
             * m->start, so begin at the first such hit */
            size_t lo = 0;
            size_t hi = i;
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (h->v[mid].start < m->start) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            for (size_t j = lo; j < h->n; j++) {
                rf_hit *x = &h->v[j];
                if (x->start >= m->end) {
                    break;
                }
                if (x->start >= m->start && x->end <= m->end &&
                    !rs->store.sets[x->set].mask) {
                    x->masked = true;
                }
            }
        }
    }
    if (h->set_cap < nsets + 1) {
        uint32_t *off = realloc(h->set_off, (nsets + 1) * sizeof(*off));
        if (off == NULL) {
            return RF_ENOMEM;
        }
        h->set_off = off;
        h->set_cap = nsets + 1;
    }
    if (h->index_cap < h->n) {
        uint32_t *idx = realloc(h->by_set, h->n * sizeof(*idx));
        if (idx == NULL) {
            return RF_ENOMEM;
        }
        h->by_set = idx;
        h->index_cap = h->n;
    }
    memset(h->set_off, 0, (nsets + 1) * sizeof(*h->set_off));
    for (size_t i = 0; i < h->n; i++) {
        h->set_off[h->v[i].set + 1]++;
    }
    for (size_t s = 0; s < nsets; s++) {
        h->set_off[s + 1] += h->set_off[s];
    }
    /* stable counting sort keeps each group ordered by start */
    uint32_t *fill = calloc(nsets ? nsets : 1, sizeof(*fill));
    if (fill == NULL) {
        return RF_ENOMEM;
    }
    for (size_t i = 0; i < h->n; i++) {
        uint32_t s = h->v[i].set;
        h->by_set[h->set_off[s] + fill[s]++] = (uint32_t)i;
    }
    free(fill);
    return RF_OK;
}

/* ---------------- scope windows ---------------- */

static bool is_blank_line_at(const char *t, size_t len, size_t i)
{
    /* "\n" followed by optional spaces and another "\n" */
    if (t[i] != '\n') {
        return false;
    }
    for (size_t j = i + 1; j < len && j < i + 64; j++) {
        if (t[j] == '\n') {
            return true;
        }
        if (t[j] != ' ' && t[j] != '\t' && t[j] != '\r') {
            return false;
        }
    }
    return false;
}

/* A period ends a sentence when white space follows and the next word
 * does not start with a lower-case letter or a digit ("3.5", "e.g. the",
 * "Fig. 3" and "U.S. patent" go on), and the word before it is not a
 * common abbreviation. */
static bool period_ends_sentence(const char *t, size_t len, size_t i)
{
    size_t j = i + 1;
    if (j < len && t[j] != ' ' && t[j] != '\n' && t[j] != '\t' &&
        t[j] != '\r') {
        return false;
    }
    while (j < len && (t[j] == ' ' || t[j] == '\t' || t[j] == '\r')) {
        j++;
    }
    if (j < len &&
        ((t[j] >= 'a' && t[j] <= 'z') || (t[j] >= '0' && t[j] <= '9'))) {
        return false;
    }
    static const char *const abbrev[] = {
        "fig",    "figs", "no", "nos", "e.g", "i.e", "etc", "vs", "cf",  "al",
        "approx", "ref",  "eq", "art", "z.b", "bzw", "vgl", "nr", "abs", NULL};
    size_t w = i;
    while (w > 0 && ((t[w - 1] >= 'a' && t[w - 1] <= 'z') ||
                     (t[w - 1] >= 'A' && t[w - 1] <= 'Z') || t[w - 1] == '.')) {
        w--;
    }
    for (size_t k = 0; abbrev[k] != NULL; k++) {
        size_t l = strlen(abbrev[k]);
        if (i - w == l && strncasecmp(t + w, abbrev[k], l) == 0) {
            return false;
        }
    }
    return true;
}

/* Does a sentence end with the character at [i, i+n)? */
static bool
sentence_end(const char *t, size_t len, size_t i, int32_t cp, bool claims)
{
    switch (cp) {
    case 0xFF1B: /* ； */
    case ';':
        /* a claim is one sentence whose elements are joined by semicolons */
        return !claims;
    case 0x3002: /* 。 */
    case 0xFF01: /* ！ */
    case 0xFF1F: /* ？ */
    case 0x061F: /* Arabic question mark */
    case 0x06D4: /* Arabic full stop */
    case '!':
    case '?':
        return true;
    case '.':
        return period_ends_sentence(t, len, i);
    default:
        return false;
    }
}

static void
unit_bounds(const rf_section *sec, size_t pos, size_t *us, size_t *ue)
{
    *us = 0;
    *ue = sec->text.len;
    for (size_t i = 0; i < sec->unit_count; i++) {
        if (sec->units[i].text_off <= pos) {
            *us = sec->units[i].text_off;
        } else {
            *ue = sec->units[i].text_off;
            break;
        }
    }
}

static size_t weight(int32_t cp)
{
    return (rf_utf8_is_cjk(cp) || (cp >= 0x3040 && cp <= 0x30FF)) ? 2 : 1;
}

/*
 * Which bytes may begin a scope boundary: '\n' (line, blank line), the
 * ASCII sentence ends, and the lead bytes of the multi-byte ones (。！？；
 * start with E3 or EF, the Arabic marks with D8 or DB). Walking windows
 * byte by byte through this table, and decoding only at those lead bytes,
 * keeps the scope walk off the profile: every anchor walks out to its
 * sentence ends, and decoding each character on the way cost up to 11 %
 * of a text scan (bench/profile.sh). A continuation byte (80-BF) is never
 * in the table, so stepping through the middle of a character finds
 * nothing, exactly as a character-wise walk would.
 */
enum { B_LINE = 1, B_ASCII_END = 2, B_LEAD = 4 };

static const unsigned char boundary_byte[256] = {
    ['\n'] = B_LINE,     ['.'] = B_ASCII_END, [';'] = B_ASCII_END,
    ['!'] = B_ASCII_END, ['?'] = B_ASCII_END, [0xD8] = B_LEAD,
    [0xDB] = B_LEAD,     [0xE3] = B_LEAD,     [0xEF] = B_LEAD,
};

/* Does a boundary of `within` start at byte i? *n gets its length. */
static bool boundary_at(
    const char *t,
    size_t len,
    size_t i,
    rf_within within,
    bool claims,
    size_t *n)
{
    unsigned char b = (unsigned char)t[i];
    *n = 1;
    if (b == '\n') {
        return within == RF_WITHIN_LINE || is_blank_line_at(t, len, i);
    }
    if (within != RF_WITHIN_SENTENCE) {
        return false;
    }
    int32_t cp = b;
    if (b >= 0x80) {
        *n = rf_utf8_decode(t, len, i, &cp);
    }
    return sentence_end(t, len, i, cp, claims);
}

static unsigned boundary_mask(rf_within within)
{
    return within == RF_WITHIN_SENTENCE ? B_LINE | B_ASCII_END | B_LEAD
                                        : B_LINE;
}

/* Where the window of `within` containing `start` begins, at or after lo:
 * just after the last boundary before start. */
static size_t boundary_before(
    const rf_section *sec, rf_within within, size_t lo, size_t start)
{
    const char *t = sec->text.data;
    size_t len = sec->text.len;
    bool claims = sec->kind == RF_SECTION_CLAIMS;
    unsigned mask = boundary_mask(within);
    for (size_t i = start; i > lo; i--) {
        size_t n;
        if ((boundary_byte[(unsigned char)t[i - 1]] & mask) != 0 &&
            boundary_at(t, len, i - 1, within, claims, &n) &&
            i - 1 + n <= start) {
            return i - 1 + n;
        }
    }
    return lo;
}

/* Where it ends, at or before hi: after a sentence end, before a line
 * break or blank line. */
static size_t
boundary_after(const rf_section *sec, rf_within within, size_t end, size_t hi)
{
    const char *t = sec->text.data;
    size_t len = sec->text.len;
    bool claims = sec->kind == RF_SECTION_CLAIMS;
    unsigned mask = boundary_mask(within);
    for (size_t i = end; i < hi; i++) {
        size_t n;
        if ((boundary_byte[(unsigned char)t[i]] & mask) != 0 &&
            boundary_at(t, len, i, within, claims, &n)) {
            return t[i] == '\n' ? i : i + n;
        }
    }
    return hi;
}

void rf_window(
    const rf_section *sec,
    rf_within within,
    uint32_t chars,
    size_t start,
    size_t end,
    size_t *ws,
    size_t *we)
{
    const char *t = sec->text.data;
    size_t len = sec->text.len;
    size_t us;
    size_t ue;
    unit_bounds(sec, start, &us, &ue);
    if (within == RF_WITHIN_DOCUMENT) {
        *ws = 0;
        *we = len;
        return;
    }
    if (within == RF_WITHIN_UNIT) {
        *ws = us;
        *we = ue;
        return;
    }
    if (within == RF_WITHIN_CHARS) {
        /* an ASCII character weighs 1 and is one byte: no decoding */
        size_t budget = chars;
        size_t i = start;
        while (i > us && budget > 0) {
            if ((unsigned char)t[i - 1] < 0x80) {
                i--;
                budget--;
                continue;
            }
            size_t p = rf_utf8_prev(t, i);
            int32_t cp;
            rf_utf8_decode(t, len, p, &cp);
            size_t w = weight(cp);
            budget = budget > w ? budget - w : 0;
            i = p;
        }
        *ws = i;
        budget = chars;
        i = end;
        while (i < ue && budget > 0) {
            if ((unsigned char)t[i] < 0x80) {
                i++;
                budget--;
                continue;
            }
            int32_t cp;
            size_t n = rf_utf8_decode(t, len, i, &cp);
            size_t w = weight(cp);
            budget = budget > w ? budget - w : 0;
            i += n;
        }
        *we = i;
        return;
    }
    /* sentence, line, paragraph: walk out from the hit to a boundary */
    size_t lo = start > us + RF_MAX_SCOPE ? start - RF_MAX_SCOPE : us;
    size_t hi = end + RF_MAX_SCOPE < ue ? end + RF_MAX_SCOPE : ue;
    *ws = boundary_before(sec, within, lo, start);
    *we = boundary_after(sec, within, end, hi);
}

/* ---------------- rules ---------------- */

/* The unhidden hit of `set` inside [ws, we) nearest to pos, or -1. */
static long nearest_in(
    const rf_hits *h,
    uint32_t set,
    size_t ws,
    size_t we,
    size_t pos,
    bool include_masked)
{
    uint32_t lo = h->set_off[set];
    uint32_t hi = h->set_off[set + 1];
    /* first hit starting at or after ws */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (h->v[h->by_set[mid]].start < ws) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    long best = -1;
    size_t best_dist = SIZE_MAX;
    for (uint32_t k = lo; k < h->set_off[set + 1]; k++) {
        const rf_hit *x = &h->v[h->by_set[k]];
        if (x->start >= we) {
            break;
        }
        if (x->end > we || (x->masked && !include_masked)) {
            continue;
        }
        size_t d = x->start > pos ? x->start - pos : pos - x->start;
        if (d < best_dist) {
            best_dist = d;
            best = (long)h->by_set[k];
        }
    }
    return best;
}

static bool set_has_unmasked(const rf_hits *h, uint32_t set)
{
    for (uint32_t k = h->set_off[set]; k < h->set_off[set + 1]; k++) {
        if (!h->v[h->by_set[k]].masked) {
            return true;
        }
    }
    return false;
}

static rf_status push_match(rf_matches *m, rf_match x)
{
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 16;
        rf_match *v = realloc(m->v, cap * sizeof(*v));
        if (v == NULL) {
            return RF_ENOMEM;
        }
        m->v = v;
        m->cap = cap;
    }
    m->v[m->n++] = x;
    return RF_OK;
}

static rf_status eval_rule(
    rf_matches *out,
    const rf_ruleset *rs,
    uint32_t ri,
    const rf_section *sec,
    const rf_hits *h)
{
    const rf_rule *r = &rs->store.rules[ri];
    if (r->section_mask != 0 && !(r->section_mask & (1u << sec->kind))) {
        return RF_OK;
    }
    for (size_t k = 0; k < r->all.n; k++) {
        if (!set_has_unmasked(h, r->all.v[k])) {
            return RF_OK;
        }
    }
    uint32_t anchor_set = r->all.v[0];
    size_t fired_until = 0;
    bool fired = false;
    for (uint32_t k = h->set_off[anchor_set]; k < h->set_off[anchor_set + 1];
         k++) {
        const rf_hit *a = &h->v[h->by_set[k]];
        if (a->masked || (fired && a->start < fired_until)) {
            continue;
        }
        size_t ws;
        size_t we;
        rf_window(sec, r->within, r->within_chars, a->start, a->end, &ws, &we);
        size_t ms = a->start;
        size_t me = a->end;
        bool ok = true;
        for (size_t s = 1; s < r->all.n && ok; s++) {
            long x = nearest_in(h, r->all.v[s], ws, we, a->start, false);
            if (x < 0) {
                ok = false;
                break;
            }
            ms = h->v[x].start < ms ? h->v[x].start : ms;
            me = h->v[x].end > me ? h->v[x].end : me;
        }
        if (ok && r->any.n > 0) {
            long best = -1;
            for (size_t s = 0; s < r->any.n; s++) {
                long x = nearest_in(h, r->any.v[s], ws, we, a->start, false);
                if (x >= 0 && (best < 0 || h->v[x].start < h->v[best].start)) {
                    best = x;
                }
            }
            if (best < 0) {
                ok = false;
            } else {
                ms = h->v[best].start < ms ? h->v[best].start : ms;
                me = h->v[best].end > me ? h->v[best].end : me;
            }
        }
        for (size_t s = 0; s < r->none.n && ok; s++) {
            /* a hidden hit vetoes nothing: "couvre-chef" is no "chef" */
            if (nearest_in(h, r->none.v[s], ws, we, a->start, false) >= 0) {
                ok = false;
            }
        }
        if (!ok) {
            continue;
        }
        rf_severity sev = r->severity;
        if (r->sev_by_section[sec->kind] >= 0) {
            sev = (rf_severity)r->sev_by_section[sec->kind];
        }
        rf_status st = push_match(
            out, (rf_match){
                     .rule = ri,
                     .start = ms,
                     .end = me,
                     .win_start = ws,
                     .win_end = we,
                     .severity = sev,
                 });
        if (st != RF_OK) {
            return st;
        }
        fired = true;
        fired_until = we;
    }
    return RF_OK;
}

static int cmp_match(const void *a, const void *b)
{
    const rf_match *x = a;
    const rf_match *y = b;
    if (x->start != y->start) {
        return x->start < y->start ? -1 : 1;
    }
    return x->rule < y->rule ? -1 : (x->rule > y->rule);
}

rf_status rf_evaluate(
    rf_matches *out,
    const rf_ruleset *rs,
    const rf_section *sec,
    const rf_hits *h,
    bool merge)
{
    out->n = 0;
    if (h->n == 0) {
        return RF_OK;
    }
    for (uint32_t ri = 0; ri < rs->store.rule_count; ri++) {
        rf_status st = eval_rule(out, rs, ri, sec, h);
        if (st != RF_OK) {
            return st;
        }
    }
    if (out->n > 1) {
        qsort(out->v, out->n, sizeof(*out->v), cmp_match);
    }
    /* one finding per passage and category: the most severe wins, then
     * the lowest rule id (rules are sorted by id) */
    for (size_t i = 0; i < out->n && merge; i++) {
        rf_match *a = &out->v[i];
        for (size_t j = i + 1; j < out->n && !a->dropped; j++) {
            rf_match *b = &out->v[j];
            if (b->start >= a->end) {
                break;
            }
            if (b->dropped || strcmp(
                                  rs->store.rules[a->rule].category,
                                  rs->store.rules[b->rule].category) != 0) {
                continue;
            }
            if (b->severity > a->severity ||
                (b->severity == a->severity && b->rule < a->rule)) {
                a->dropped = true;
            } else {
                b->dropped = true;
            }
        }
    }
    return RF_OK;
}
