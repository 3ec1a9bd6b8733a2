/*
 * scanner.c - one document in, findings out.
 *
 * A scanner is the per-thread half of the compile/scan split: it owns the
 * Hyperscan scratch and the working arrays, and reads the ruleset without
 * writing to it, so any number of scanners share one ruleset.
 *
 * Each section is scanned once with the anchor database and, around the
 * anchors it finds, with the full database (scan_regions). The callback
 * does the only per-hit work that must see the text: the word-boundary
 * check (Hyperscan's \b is ASCII-only and knows nothing of camelCase), so
 * "race" is accepted in EM_RACE_TYPE and emRace but not in "trace". Every
 * later step (masks, windows, rules) runs on the few hits, not the bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "evaluate/eval.h"
#include "scan.h"

/* What a set anchoring a rule needs around each of its hits. */
typedef struct rf_window_spec {
    rf_within within;
    uint32_t chars;
} rf_window_spec;

struct rf_scanner {
    const rf_ruleset *rs;
    hs_scratch_t *scratch;
    rf_hits hits;
    rf_matches matches;
    rf_finding_builder fb;
    /* the section being scanned, for the match callback: text[0, len) is
     * the whole section, `base` the offset of the range hs_scan is on */
    const char *text;
    size_t len;
    size_t base;
    rf_span *regions;
    size_t region_n;
    size_t region_cap;
    rf_status cb_status;
    bool no_merge;
    /* the hit budget of one section (0: none), how far a rule's window may
     * reach from its anchor (the overlap of slices), and how many sections
     * had to be sliced */
    size_t max_hits;
    size_t margin;
    uint64_t sliced;
    /* the scope windows of the rules each set anchors, distinct ones only:
     * set s has specs[spec_off[s] .. spec_off[s + 1]) */
    rf_window_spec *specs;
    uint32_t *spec_off;
    char errmsg[512];
};

/* The default hit budget, as in rf_limits_init: 32 MiB of hits. */
#define RF_DEFAULT_MAX_HITS ((size_t)1 << 20)

/* The widest window any rule may need around its anchor, in bytes; rules
 * scoped to a claim or the whole section have no bound and are taken at
 * the sentence width (they see one slice at a time, see scan_sliced). */
static size_t slice_margin(const rf_ruleset *rs)
{
    size_t m = RF_SCOPE_MAX_BYTES + 64;
    for (size_t i = 0; rs->set_reach != NULL && i < rs->store.set_count; i++) {
        uint32_t r = rs->set_reach[i];
        if (r < RF_REACH_UNIT && r > m) {
            m = r;
        }
    }
    return m;
}

/* The distinct windows of the rules each set anchors (the first set of
 * their `all`), for scan_regions. */
static rf_status build_specs(rf_scanner *s)
{
    const rf_rule_store *st = &s->rs->store;
    size_t nsets = st->set_count;
    s->spec_off = calloc(nsets + 1, sizeof(*s->spec_off));
    s->specs = calloc(st->rule_count ? st->rule_count : 1, sizeof(*s->specs));
    if (s->spec_off == NULL || s->specs == NULL) {
        free(s->spec_off);
        free(s->specs);
        return RF_ENOMEM;
    }
    uint32_t n = 0;
    for (size_t set = 0; set < nsets; set++) {
        s->spec_off[set] = n;
        for (size_t i = 0; i < st->rule_count; i++) {
            const rf_rule *r = &st->rules[i];
            if (r->all.n == 0 || r->all.v[0] != set) {
                continue;
            }
            rf_window_spec w = {r->within, r->within_chars};
            bool seen = false;
            for (uint32_t k = s->spec_off[set]; k < n && !seen; k++) {
                seen = s->specs[k].within == w.within &&
                       s->specs[k].chars == w.chars;
            }
            if (!seen) {
                s->specs[n++] = w;
            }
        }
    }
    s->spec_off[nsets] = n;
    return RF_OK;
}

rf_status rf_scanner_new(rf_scanner **out, const rf_ruleset *rs)
{
    rf_scanner *s = calloc(1, sizeof(*s));
    if (s == NULL) {
        return RF_ENOMEM;
    }
    s->rs = rs;
    s->max_hits = RF_DEFAULT_MAX_HITS;
    s->margin = slice_margin(rs);
    if (build_specs(s) != RF_OK) {
        free(s);
        return RF_ENOMEM;
    }
    /* one scratch sized for both databases: they are never run at once */
    if (hs_alloc_scratch(rs->db, &s->scratch) != HS_SUCCESS ||
        (rs->som_db != NULL &&
         hs_alloc_scratch(rs->som_db, &s->scratch) != HS_SUCCESS) ||
        (rs->anchor_db != NULL &&
         hs_alloc_scratch(rs->anchor_db, &s->scratch) != HS_SUCCESS)) {
        hs_free_scratch(s->scratch);
        free(s->specs);
        free(s->spec_off);
        free(s);
        return RF_ENOMEM;
    }
    *out = s;
    return RF_OK;
}

void rf_scanner_free(rf_scanner *s)
{
    if (s == NULL) {
        return;
    }
    hs_free_scratch(s->scratch);
    free(s->specs);
    free(s->spec_off);
    free(s->regions);
    rf_hits_free(&s->hits);
    rf_matches_free(&s->matches);
    rf_finding_builder_free(&s->fb);
    free(s);
}

const char *rf_scanner_errmsg(const rf_scanner *s)
{
    return s->errmsg;
}

static int32_t cp_at(const char *t, size_t len, size_t i)
{
    int32_t cp;
    rf_utf8_decode(t, len, i, &cp);
    return cp;
}

/* Word boundary before `from`: a non-word character, or a camelCase hump
 * (lower-case or digit, then upper-case: "emRace"). */
static bool left_ok(const char *t, size_t len, size_t from)
{
    if (from == 0) {
        return true;
    }
    unsigned char b = (unsigned char)t[from - 1];
    int32_t prev = b < 0x80 ? b : cp_at(t, len, rf_utf8_prev(t, from));
    if (!rf_utf8_is_word(prev)) {
        return true;
    }
    int32_t first = cp_at(t, len, from);
    if (rf_utf8_is_lower(prev) && rf_utf8_is_upper(first)) {
        return true; /* emRace */
    }
    /* an acronym hump: "IEthnicity", "HTMLRace" - upper, then upper
     * followed by lower */
    if (rf_utf8_is_upper(prev) && rf_utf8_is_upper(first) && from + 1 < len) {
        size_t next = from + (size_t)rf_utf8_decode(t, len, from, &first);
        return next < len && rf_utf8_is_lower(cp_at(t, len, next)) &&
               !rf_utf8_is_upper(cp_at(t, len, next));
    }
    return false;
}

/* Word boundary after `to`: a non-word character, or a hump ("raceType"). */
static bool right_ok(const char *t, size_t len, size_t from, size_t to)
{
    if (to >= len) {
        return true;
    }
    int32_t next = cp_at(t, len, to);
    if (!rf_utf8_is_word(next)) {
        return true;
    }
    int32_t last = cp_at(t, len, rf_utf8_prev(t, to));
    /* an all-caps match ("RACE") followed by a capitalised word is a
     * hump too only when the match itself is not all caps */
    return rf_utf8_is_upper(next) && rf_utf8_is_lower(last) && to > from;
}

static int on_match(
    unsigned int id,
    unsigned long long from,
    unsigned long long to,
    unsigned int flags,
    void *ctx)
{
    RF_UNUSED(flags);
    RF_UNUSED(from); /* always 0: the databases do not track starts */
    rf_scanner *s = ctx;
    const rf_pattern *p = &s->rs->patterns[id];
    size_t end = s->base + (size_t)to; /* offset in the whole section */
    size_t start;
    if (p->regex) {
        /* start unknown yet: resolved after the scan (resolve_regex); the
         * term field carries the pattern id until then */
        start = SIZE_MAX;
    } else {
        start = rf_expand_match_start(p->form, s->text, end);
        if (p->check_left && !left_ok(s->text, s->len, start)) {
            return 0;
        }
        if (p->check_right && !right_ok(s->text, s->len, start, end)) {
            return 0;
        }
    }
    if (s->max_hits != 0 && s->hits.n >= s->max_hits) {
        s->cb_status = RF_ELIMIT; /* the caller slices the section */
        return 1;
    }
    const rf_term *t = &s->rs->store.terms[p->term];
    rf_status st =
        rf_hits_push(&s->hits, start, end, p->regex ? id : p->term, t->set);
    if (st != RF_OK) {
        s->cb_status = st;
        return 1;
    }
    return 0;
}

/* A hit of the anchor database (the first pass): an exact anchor is its
 * pattern's hit; a word anchoring a longer form is checked only at the
 * form's own ends and carries how far the form's hit may reach
 * (anchors.c). */
static int on_anchor(
    unsigned int id,
    unsigned long long from,
    unsigned long long to,
    unsigned int flags,
    void *ctx)
{
    rf_scanner *s = ctx;
    const rf_anchor *a = &s->rs->anchors[id];
    if (a->widen == 0) {
        return on_match(a->pattern, from, to, flags, ctx);
    }
    size_t end = s->base + (size_t)to;
    size_t start = rf_expand_match_start(a->form, s->text, end);
    if ((a->check_left && !left_ok(s->text, s->len, start)) ||
        (a->check_right && !right_ok(s->text, s->len, start, end))) {
        return 0;
    }
    if (s->max_hits != 0 && s->hits.n >= s->max_hits) {
        s->cb_status = RF_ELIMIT;
        return 1;
    }
    rf_status st = rf_hits_push(
        &s->hits, start, end, s->rs->patterns[a->pattern].term, a->set);
    if (st != RF_OK) {
        s->cb_status = st;
        return 1;
    }
    s->hits.v[s->hits.n - 1].widen = a->widen;
    return 0;
}

typedef struct som_ctx {
    unsigned want;
    unsigned long long end;
    unsigned long long from;
    bool found;
} som_ctx;

static int on_som(
    unsigned int id,
    unsigned long long from,
    unsigned long long to,
    unsigned int flags,
    void *ctx)
{
    RF_UNUSED(flags);
    som_ctx *c = ctx;
    if (id == c->want && to == c->end && (!c->found || from < c->from)) {
        c->from = from;
        c->found = true;
    }
    return 0;
}

/* Find where each regex-term hit starts, then apply the boundary checks
 * and put the term back in its place. */
static rf_status resolve_regex(rf_scanner *s, size_t first)
{
    size_t w = first;
    for (size_t i = first; i < s->hits.n; i++) {
        rf_hit h = s->hits.v[i];
        if (h.start != SIZE_MAX) {
            s->hits.v[w++] = h;
            continue;
        }
        const rf_pattern *p = &s->rs->patterns[h.term];
        size_t ws = h.end > RF_REGEX_REACH ? h.end - RF_REGEX_REACH : 0;
        som_ctx c = {.want = h.term, .end = h.end - ws};
        hs_error_t e = hs_scan(
            s->rs->som_db, s->text + ws, (unsigned)(h.end - ws), 0, s->scratch,
            on_som, &c);
        if (e != HS_SUCCESS) {
            return RF_EIO;
        }
        h.start = c.found ? ws + (size_t)c.from : h.end;
        h.term = p->term;
        s->hits.v[w++] = h;
    }
    s->hits.n = w;
    return RF_OK;
}

/* Hyperscan takes an unsigned int length: scan larger ranges in pieces
 * that overlap by more than any term, and let de-duplication merge them. */
#define RF_HS_PIECE   ((size_t)1 << 30)
#define RF_HS_OVERLAP ((size_t)4096)

/* Scan text[from, to) with db, appending hits (section offsets) through
 * cb (on_match, or on_anchor for the anchor database). */
static rf_status scan_range(
    rf_scanner *s,
    const hs_database_t *db,
    match_event_handler cb,
    size_t from,
    size_t to)
{
    size_t off = from;
    while (off < to) {
        size_t n = to - off > RF_HS_PIECE ? RF_HS_PIECE : to - off;
        size_t before = s->hits.n;
        s->base = off;
        hs_error_t e =
            hs_scan(db, s->text + off, (unsigned)n, 0, s->scratch, cb, s);
        if (s->cb_status == RF_ELIMIT && s->rs->som_db != NULL) {
            /* the hits held may still be evaluated (scan_sliced): no
             * regex hit may be left without its start */
            rf_status st = resolve_regex(s, before);
            return st != RF_OK ? st : RF_ELIMIT;
        }
        if (s->cb_status != RF_OK) {
            return s->cb_status;
        }
        if (e != HS_SUCCESS && e != HS_SCAN_TERMINATED) {
            snprintf(s->errmsg, sizeof(s->errmsg), "hs_scan failed (%d)", e);
            return RF_EIO;
        }
        if (s->rs->som_db != NULL) {
            rf_status st = resolve_regex(s, before);
            if (st != RF_OK) {
                return st;
            }
        }
        if (off + n >= to) {
            break;
        }
        off += n - RF_HS_OVERLAP;
    }
    return RF_OK;
}

static rf_status scan_bytes(rf_scanner *s, const char *text, size_t len)
{
    s->hits.n = 0;
    s->cb_status = RF_OK;
    s->text = text;
    s->len = len;
    return scan_range(s, s->rs->db, on_match, 0, len);
}

static rf_status push_region(rf_scanner *s, size_t from, size_t to)
{
    if (s->region_n == s->region_cap) {
        size_t cap = s->region_cap ? s->region_cap * 2 : 16;
        rf_span *v = realloc(s->regions, cap * sizeof(*v));
        if (v == NULL) {
            return RF_ENOMEM;
        }
        s->regions = v;
        s->region_cap = cap;
    }
    s->regions[s->region_n++] = (rf_span){from, to};
    return RF_OK;
}

static int cmp_span(const void *a, const void *b)
{
    const rf_span *x = a;
    const rf_span *y = b;
    return x->start < y->start ? -1 : (x->start > y->start);
}

/* The start of the character holding byte i, and the first character
 * start at or after i. */
static size_t char_back(const char *t, size_t i)
{
    while (i > 0 && ((unsigned char)t[i] & 0xC0) == 0x80) {
        i--;
    }
    return i;
}

static size_t char_on(const char *t, size_t len, size_t i)
{
    while (i < len && ((unsigned char)t[i] & 0xC0) == 0x80) {
        i++;
    }
    return i;
}

/* Grow [*from, *to) to hold the window of spec w around [start, end). */
static void window_hull(
    const rf_section *sec,
    const rf_window_spec *w,
    size_t start,
    size_t end,
    size_t *from,
    size_t *to)
{
    size_t ws;
    size_t we;
    rf_window(sec, w->within, w->chars, start, end, &ws, &we);
    *from = ws < *from ? ws : *from;
    *to = we > *to ? we : *to;
}

/*
 * Two passes, so that the frequent words cost nothing where no rule can
 * fire: the anchor database (trait and group words) runs over the whole
 * range; the full database runs only over the windows that the rules
 * anchored by the unhidden anchor hits will look in, merged, each widened
 * by the longest mask (rs->mask_reach) so that a mask hiding a hit at a
 * window's edge is found whole. A sentence-scoped rule's region is its
 * sentence, not the 4 KiB a sentence may reach: the second pass reads a
 * few hundred bytes per anchor. The range is the section, or a slice of it
 * (scan_sliced). RF_ELIMIT: more hits than max_hits.
 *
 * Walking out to an anchor's windows reads up to 8 KiB when no sentence
 * ends nearby, and a dense row with no sentence end would pay that for
 * every anchor in it. Once the walks have read twice the range, an anchor
 * inside a region already made is given its rules' whole reach instead,
 * without walking: a wider region, never a narrower one, so the findings
 * are the same either way.
 */
static rf_status
scan_regions(rf_scanner *s, const rf_section *sec, size_t lo, size_t hi)
{
    const rf_ruleset *rs = s->rs;
    s->hits.n = 0;
    s->cb_status = RF_OK;
    s->text = sec->text.data ? sec->text.data : "";
    s->len = sec->text.len;
    if (rs->anchor_db == NULL) {
        return RF_OK;
    }
    rf_status st = scan_range(s, rs->anchor_db, on_anchor, lo, hi);
    if (st != RF_OK || s->hits.n == 0) {
        return st;
    }
    st = rf_hits_prepare(&s->hits, rs);
    if (st != RF_OK) {
        return st;
    }
    s->region_n = 0;
    const size_t pad = rs->mask_reach;
    size_t walked_to = 0; /* end of the last region made by walking */
    size_t walked = 0;    /* bytes the walks have read, about */
    const size_t walk_budget = 2 * (hi - lo) + ((size_t)64 << 10);
    for (size_t i = 0; i < s->hits.n && st == RF_OK; i++) {
        const rf_hit *h = &s->hits.v[i];
        uint32_t reach = rs->set_reach[h->set];
        if ((h->masked && h->widen == 0) || reach == 0) {
            continue;
        }
        if (reach == RF_REACH_SECTION) {
            s->region_n = 0;
            st = push_region(s, lo, hi);
            break;
        }
        /* the bytes the anchor's term may span: the hit, or, for a word of
         * a longer form, as far as that form reaches either side of it */
        size_t hs = h->start;
        size_t he = h->end;
        if (h->widen > 0) {
            hs = char_back(s->text, hs > h->widen ? hs - h->widen : 0);
            he = char_on(
                s->text, s->len,
                s->len - he > h->widen ? he + h->widen : s->len);
        }
        size_t from;
        size_t to;
        if (reach < RF_REACH_UNIT && h->start < walked_to &&
            walked > walk_budget) {
            /* the rules' reach covers this anchor's windows */
            from = hs > (size_t)reach + pad ? hs - reach - pad : 0;
            to = s->len - he > (size_t)reach + pad ? he + reach + pad : s->len;
        } else {
            /* the windows the rules anchored here will look in, exactly
             * as rf_evaluate computes them, plus room for a mask that
             * straddles their edge */
            from = hs;
            to = he;
            for (uint32_t k = s->spec_off[h->set]; k < s->spec_off[h->set + 1];
                 k++) {
                window_hull(sec, &s->specs[k], hs, he, &from, &to);
                if (h->widen > 0) {
                    /* a window's end also depends on where it starts
                     * (the end of the claim it starts in): the term's hit
                     * starts at the word's start at the latest */
                    window_hull(sec, &s->specs[k], h->start, he, &from, &to);
                }
            }
            walked += to - from;
            from = from > pad ? from - pad : 0;
            to = s->len - to > pad ? to + pad : s->len;
        }
        if (to > walked_to) {
            walked_to = to;
        }
        from = from > lo ? from : lo;
        to = to < hi ? to : hi;
        st = push_region(s, from, to);
    }
    if (st != RF_OK || s->region_n == 0) {
        s->hits.n = 0;
        return st;
    }
    qsort(s->regions, s->region_n, sizeof(*s->regions), cmp_span);
    size_t w = 0;
    for (size_t i = 1; i < s->region_n; i++) {
        if (s->regions[i].start <= s->regions[w].end) {
            if (s->regions[i].end > s->regions[w].end) {
                s->regions[w].end = s->regions[i].end;
            }
        } else {
            s->regions[++w] = s->regions[i];
        }
    }
    s->region_n = w + 1;
    /* every unhidden anchor hit lies inside its region, where the full
     * pass finds it again: only the hidden ones are kept, so the hits
     * arrive in region order, nearly sorted (rf_hits_prepare) */
    size_t kept = 0;
    for (size_t i = 0; i < s->hits.n; i++) {
        if (s->hits.v[i].masked && s->hits.v[i].widen == 0) {
            s->hits.v[kept++] = s->hits.v[i];
        }
    }
    s->hits.n = kept;
    for (size_t i = 0; i < s->region_n && st == RF_OK; i++) {
        st = scan_range(
            s, rs->db, on_match, s->regions[i].start, s->regions[i].end);
    }
    return st;
}

/* Evaluate the hits held and report the matches whose window starts in
 * [own_lo, own_hi). */
static rf_status evaluate_emit(
    rf_scanner *s,
    const rf_doc *doc,
    const rf_section *sec,
    rf_finding_cb cb,
    void *payload,
    size_t own_lo,
    size_t own_hi)
{
    rf_status st = rf_hits_prepare(&s->hits, s->rs);
    if (st != RF_OK) {
        return st;
    }
    st = rf_evaluate(&s->matches, s->rs, sec, &s->hits, !s->no_merge);
    for (size_t i = 0; i < s->matches.n && st == RF_OK; i++) {
        const rf_match *m = &s->matches.v[i];
        /* a later window repeats `overlap` bytes of the one before: what
         * ends inside them was reported there; what starts inside them
         * but ends after was cut there, and is new here */
        if (m->dropped || (doc->part > 0 && m->end <= doc->overlap) ||
            m->win_start < own_lo || m->win_start >= own_hi) {
            continue;
        }
        const rf_finding *f;
        st = rf_finding_build(&f, &s->fb, s->rs, doc, sec, &s->hits, m);
        if (st == RF_OK && cb(f, payload) != 0) {
            st = RF_EUSER;
        }
    }
    return st;
}

/*
 * A section with more term hits than max_hits (hundreds of thousands of
 * matching sentences in one row) is evaluated slice by slice, so that
 * memory stays bounded whatever the input. Each slice owns the windows
 * that start in it and is scanned with a margin either side wide enough
 * for any sentence, line, paragraph or N-character window, so those rules
 * report what they would have unsliced. Rules scoped to a claim or to the
 * whole section see one slice at a time. Slices shrink when one still
 * holds too many hits and grow back when they hold few.
 */
static rf_status scan_sliced(
    rf_scanner *s,
    const rf_doc *doc,
    const rf_section *sec,
    rf_finding_cb cb,
    void *payload)
{
    const size_t len = sec->text.len;
    const size_t m = s->margin;
    const size_t max_step = (size_t)64 << 20;
    size_t step = (size_t)1 << 20;
    size_t own_lo = 0;
    s->sliced++;
    while (own_lo < len) {
        size_t own_hi = len - own_lo > step ? own_lo + step : len;
        size_t lo = own_lo > m ? own_lo - m : 0;
        size_t hi = len - own_hi > 2 * m ? own_hi + 2 * m : len;
        rf_status st = scan_regions(s, sec, lo, hi);
        if (st == RF_ELIMIT && step > m) {
            step = step / 2 > m ? step / 2 : m;
            continue;
        }
        if (st == RF_ELIMIT) {
            st = RF_OK; /* even the narrowest slice is over: keep what fit */
        }
        if (st == RF_OK && s->hits.n > 0) {
            st = evaluate_emit(
                s, doc, sec, cb, payload, own_lo,
                own_hi == len ? SIZE_MAX : own_hi);
        }
        if (st != RF_OK) {
            return st;
        }
        if (s->hits.n < s->max_hits / 4 && step < max_step) {
            step *= 2;
        }
        own_lo = own_hi;
    }
    return RF_OK;
}

rf_status rf_scanner__scan_section(
    rf_scanner *s,
    const rf_doc *doc,
    const rf_section *sec,
    rf_finding_cb cb,
    void *payload)
{
    rf_status st = scan_regions(s, sec, 0, sec->text.len);
    if (st == RF_ELIMIT) {
        return scan_sliced(s, doc, sec, cb, payload);
    }
    if (st != RF_OK || s->hits.n == 0) {
        return st;
    }
    return evaluate_emit(s, doc, sec, cb, payload, 0, SIZE_MAX);
}

void rf_scanner_set_merge(rf_scanner *s, bool merge)
{
    s->no_merge = !merge;
}

void rf_scanner_set_max_hits(rf_scanner *s, uint64_t max_hits)
{
    s->max_hits = max_hits > SIZE_MAX ? SIZE_MAX : (size_t)max_hits;
}

uint64_t rf_scanner_sliced(const rf_scanner *s)
{
    return s->sliced;
}

void rf_scanner__begin_input(rf_scanner *s)
{
    rf_finding_builder_new_document(&s->fb);
}

rf_status rf_scanner__scan_doc(
    rf_scanner *s, const rf_doc *doc, rf_finding_cb cb, void *payload)
{
    if (doc->part == 0) {
        rf_finding_builder_new_document(&s->fb);
    }
    for (size_t i = 0; i < doc->section_count; i++) {
        rf_status st =
            rf_scanner__scan_section(s, doc, &doc->sections[i], cb, payload);
        if (st != RF_OK) {
            return st;
        }
    }
    return RF_OK;
}

rf_status rf_scanner_scan_text(
    rf_scanner *s,
    const char *text,
    size_t len,
    rf_section_kind kind,
    rf_finding_cb cb,
    void *payload)
{
    rf_doc *doc = NULL;
    rf_section *sec;
    rf_status st = rf_doc_new(&doc);
    if (st == RF_OK) {
        st = rf_doc_set(&doc->id, "<text>");
    }
    if (st == RF_OK) {
        st = rf_doc_set(&doc->path, "<text>");
    }
    if (st == RF_OK) {
        st = rf_doc_add_section(&sec, doc, kind, NULL);
    }
    if (st == RF_OK) {
        st = rf_section_append(sec, text, len, 0, 1);
    }
    if (st == RF_OK) {
        st = rf_doc_finish(doc);
    }
    if (st == RF_OK) {
        st = rf_scanner__scan_doc(s, doc, cb, payload);
    }
    rf_doc_free(doc);
    return st;
}

rf_status rf_scanner_keyword_hits(
    rf_scanner *s, const char *text, size_t len, size_t *hits)
{
    *hits = 0;
    size_t budget = s->max_hits;
    s->max_hits = 0; /* a count, not a list to evaluate: no budget needed */
    rf_status st = scan_bytes(s, text, len);
    s->max_hits = budget;
    if (st != RF_OK) {
        return st;
    }
    const rf_rule_store *store = &s->rs->store;
    for (size_t i = 0; i < s->hits.n; i++) {
        for (size_t r = 0; r < store->rule_count; r++) {
            if (store->rules[r].all.n > 0 &&
                store->rules[r].all.v[0] == s->hits.v[i].set) {
                (*hits)++;
                break;
            }
        }
    }
    return RF_OK;
}
