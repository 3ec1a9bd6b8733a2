/*
 * finding.c - a rule match becomes a finding a person can act on: the
 * passage as one readable line with the matched terms marked, its exact
 * place in the original input, its language, and a fingerprint.
 *
 * The fingerprint must survive re-scans and unrelated edits, so it hashes
 * what the finding IS, not where it is: rule id, document id, section kind,
 * and the matched passage with white space folded and ASCII lower-cased,
 * plus an occurrence number for identical passages in one document. Byte
 * offsets and line numbers are deliberately left out.
 */
#include <stdlib.h>
#include <string.h>

#include "scan.h"

#define RF_SNIPPET_CONTEXT  80  /* characters of context either side */
#define RF_SNIPPET_MAX_SPAN 480 /* longer passages are elided in the middle */

/* fb->seen is an open-addressing table of (base, count + 1) pairs, so
 * numbering the occurrences of a passage costs O(1) per finding; a list
 * scanned for every finding made documents with many findings quadratic.
 * seen_cap counts uint64 slots (two per entry), seen_n entries in use. */
#define RF_SEEN_KEEP 4096 /* slots kept between documents */

void rf_finding_builder_new_document(rf_finding_builder *fb)
{
    if (fb->seen_n > 0) {
        if (fb->seen_cap > RF_SEEN_KEEP) {
            free(fb->seen);
            fb->seen = NULL;
            fb->seen_cap = 0;
        } else {
            memset(fb->seen, 0, fb->seen_cap * sizeof(*fb->seen));
        }
    }
    fb->seen_n = 0;
    /* a reader reuses its rf_doc and sections for the next document: the
     * same pointers, so the counts carried on must be forgotten here */
    fb->cur_doc = NULL;
    fb->col_sec = NULL;
}

void rf_finding_builder_free(rf_finding_builder *fb)
{
    rf_buf_free(&fb->snippet);
    free(fb->marks);
    rf_strvec_free(&fb->terms);
    free(fb->term_ptrs);
    free(fb->seen);
    memset(fb, 0, sizeof(*fb));
}

/* ---------------- hashing ---------------- */

/* The fingerprint's increment (hash.c): fixed for good, since users
 * baseline fingerprints across releases. */
#define RF_FINGERPRINT_INC 0x9e3779b97f4a7c15ULL

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

/* Passage text with white space folded and ASCII lower-cased. */
static void hash_passage(rf_hash128 *h, const char *t, size_t len)
{
    bool space = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)t[i];
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
            space = true;
            continue;
        }
        if (space) {
            rf_hash128_add(h, " ", 1);
            space = false;
        }
        if (c >= 'A' && c <= 'Z') {
            c = (unsigned char)(c + 32);
        }
        rf_hash128_add(h, &c, 1);
    }
}

/* The slot pair of base in a table of `entries` pairs (linear probing). */
static size_t seen_slot(const uint64_t *t, size_t entries, uint64_t base)
{
    size_t i = (size_t)(mix64(base) & (entries - 1));
    while (t[2 * i + 1] != 0 && t[2 * i] != base) {
        i = (i + 1) & (entries - 1);
    }
    return i;
}

/* How many times base was seen before in this document; counts this one. */
static rf_status
seen_count(rf_finding_builder *fb, uint64_t base, uint64_t *out)
{
    size_t entries = fb->seen_cap / 2;
    if ((fb->seen_n + 1) * 2 > entries) {
        size_t grown = entries ? entries * 2 : 64;
        uint64_t *t = calloc(grown * 2, sizeof(*t));
        if (t == NULL) {
            return RF_ENOMEM;
        }
        for (size_t i = 0; i < entries; i++) {
            if (fb->seen[2 * i + 1] != 0) {
                size_t j = seen_slot(t, grown, fb->seen[2 * i]);
                t[2 * j] = fb->seen[2 * i];
                t[2 * j + 1] = fb->seen[2 * i + 1];
            }
        }
        free(fb->seen);
        fb->seen = t;
        fb->seen_cap = grown * 2;
        entries = grown;
    }
    size_t j = seen_slot(fb->seen, entries, base);
    uint64_t *v = &fb->seen[2 * j + 1]; /* times seen + 1; 0 = empty */
    if (*v == 0) {
        fb->seen[2 * j] = base;
        fb->seen_n++;
        *v = 1;
    }
    *out = *v - 1;
    (*v)++;
    return RF_OK;
}

static rf_status fingerprint(
    rf_finding_builder *fb,
    const rf_rule *r,
    const rf_doc *doc,
    const rf_section *sec,
    const rf_match *m)
{
    rf_hash128 h;
    rf_hash128_init(&h, RF_FINGERPRINT_INC);
    const char *id = doc->pub.id ? doc->pub.id : "";
    const char *kind = rf_section_kind_name(sec->kind);
    rf_hash128_str(&h, r->id);
    rf_hash128_str(&h, id);
    rf_hash128_str(&h, kind);
    hash_passage(&h, sec->text.data + m->start, m->end - m->start);
    uint64_t base = mix64(h.a) ^ mix64(h.b);
    uint64_t occurrence = 0;
    rf_status st = seen_count(fb, base, &occurrence);
    if (st != RF_OK) {
        return st;
    }
    rf_hash128_add(&h, &occurrence, sizeof(occurrence));
    snprintf(
        fb->fingerprint, sizeof(fb->fingerprint), "%016llx%016llx",
        (unsigned long long)mix64(h.a), (unsigned long long)mix64(h.b));
    return RF_OK;
}

/* ---------------- snippet ---------------- */

static size_t back_chars(const char *t, size_t from, size_t limit, size_t n)
{
    size_t i = from;
    while (i > limit && n > 0) {
        size_t p = rf_utf8_prev(t, i);
        if (t[p] == '\n' && p + 1 < from && t[p + 1] == '\n') {
            break; /* stop at a blank line */
        }
        i = p;
        n--;
    }
    return i;
}

static size_t
fwd_chars(const char *t, size_t len, size_t from, size_t limit, size_t n)
{
    size_t i = from;
    while (i < limit && n > 0) {
        int32_t cp;
        if (t[i] == '\n' && i + 1 < len && t[i + 1] == '\n') {
            break;
        }
        i += rf_utf8_decode(t, len, i, &cp);
        n--;
    }
    return i;
}

/* Append t[from, to) folded to one line; record marks that start/end in
 * it. marks[] are in text offsets on input and snippet offsets on output. */
static rf_status append_folded(
    rf_buf *out,
    const char *t,
    size_t len,
    size_t from,
    size_t to,
    const rf_hit *const *mk,
    size_t nmk,
    rf_span *spans)
{
    rf_status st = RF_OK;
    bool space = out->len > 0 && out->data[out->len - 1] == ' ';
    size_t i = from;
    while (i < to && st == RF_OK) {
        for (size_t k = 0; k < nmk; k++) {
            if (mk[k]->start == i) {
                spans[k].start = out->len;
            }
            if (mk[k]->end == i) {
                spans[k].end = out->len;
            }
        }
        unsigned char c = (unsigned char)t[i];
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c < 0x20 ||
            c == 0x7f) {
            if (!space && out->len > 0) {
                st = rf_buf_putc(out, ' ');
                space = true;
            }
            i++;
            continue;
        }
        space = false;
        int32_t cp;
        size_t n = rf_utf8_decode(t, len, i, &cp);
        if (cp == 0xFFFD && n == 1) {
            st = rf_buf_append(out, "\xEF\xBF\xBD", 3);
        } else {
            st = rf_buf_append(out, t + i, n);
        }
        i += n;
    }
    for (size_t k = 0; k < nmk; k++) {
        if (mk[k]->end == to) {
            spans[k].end = out->len;
        }
    }
    return st;
}

static bool rule_uses_set(const rf_rule *r, uint32_t set)
{
    for (size_t i = 0; i < r->all.n; i++) {
        if (r->all.v[i] == set) {
            return true;
        }
    }
    for (size_t i = 0; i < r->any.n; i++) {
        if (r->any.v[i] == set) {
            return true;
        }
    }
    return false;
}

/* Index of the first hit starting at or after off. Hits are sorted by
 * start (rf_hits_prepare), so a finding looks only at the hits near it:
 * scanning them all for every finding made a document dense with hits
 * quadratic (minutes for a few MB). */
static size_t first_hit_at(const rf_hits *hits, size_t off)
{
    size_t lo = 0;
    size_t hi = hits->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (hits->v[mid].start < off) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

static rf_status build_snippet(
    rf_finding_builder *fb,
    const rf_rule *r,
    const rf_section *sec,
    const rf_hits *hits,
    const rf_match *m,
    size_t *nmarks)
{
    const char *t = sec->text.data;
    size_t len = sec->text.len;
    size_t ss = back_chars(t, m->start, m->win_start, RF_SNIPPET_CONTEXT);
    size_t se = fwd_chars(t, len, m->end, m->win_end, RF_SNIPPET_CONTEXT);
    /* a passage spread over a whole file is shown as its two ends */
    size_t cut_a = se;
    size_t cut_b = se;
    if (m->end - m->start > RF_SNIPPET_MAX_SPAN) {
        cut_a = fwd_chars(t, len, m->start, m->end, RF_SNIPPET_CONTEXT);
        cut_b = back_chars(t, m->end, m->start, RF_SNIPPET_CONTEXT);
        if (cut_b <= cut_a) {
            cut_a = cut_b = se;
        }
    }
    /* marks: the rule's unhidden hits inside the snippet, no overlaps */
    size_t n = 0;
    const rf_hit **mk = NULL;
    rf_status st = RF_OK;
    for (size_t i = first_hit_at(hits, ss); i < hits->n; i++) {
        const rf_hit *x = &hits->v[i];
        if (x->start >= se) {
            break; /* sorted by start: none of the rest fits */
        }
        if (x->masked || x->start < ss || x->end > se ||
            !rule_uses_set(r, x->set) ||
            (x->start < cut_b && x->end > cut_a && cut_a != cut_b)) {
            continue;
        }
        if (n > 0 && x->start < mk[n - 1]->end) {
            continue; /* sorted by start, longest first: keep the first */
        }
        const rf_hit **grown = realloc(mk, (n + 1) * sizeof(*mk));
        if (grown == NULL) {
            free(mk);
            return RF_ENOMEM;
        }
        mk = grown;
        mk[n++] = x;
    }
    if (n > fb->mark_cap) {
        rf_span *sp = realloc(fb->marks, n * sizeof(*sp));
        if (sp == NULL) {
            free(mk);
            return RF_ENOMEM;
        }
        fb->marks = sp;
        fb->mark_cap = n;
    }
    memset(fb->marks, 0, n * sizeof(*fb->marks));
    rf_buf_reset(&fb->snippet);
    if (ss > 0 && t[ss - 1] != '\n') {
        st = rf_buf_puts(&fb->snippet, "\xE2\x80\xA6"); /* … */
    }
    if (st == RF_OK && cut_a != cut_b) {
        st = append_folded(&fb->snippet, t, len, ss, cut_a, mk, n, fb->marks);
        if (st == RF_OK) {
            st = rf_buf_puts(&fb->snippet, " \xE2\x80\xA6 ");
        }
        if (st == RF_OK) {
            st = append_folded(
                &fb->snippet, t, len, cut_b, se, mk, n, fb->marks);
        }
    } else if (st == RF_OK) {
        st = append_folded(&fb->snippet, t, len, ss, se, mk, n, fb->marks);
    }
    /* trailing white space folded to one space is noise */
    while (fb->snippet.len > 0 &&
           fb->snippet.data[fb->snippet.len - 1] == ' ') {
        fb->snippet.data[--fb->snippet.len] = '\0';
        for (size_t k = 0; k < n; k++) {
            if (fb->marks[k].end > fb->snippet.len) {
                fb->marks[k].end = fb->snippet.len;
            }
        }
    }
    if (st == RF_OK && se < len && t[se] != '\n') {
        st = rf_buf_puts(&fb->snippet, "\xE2\x80\xA6");
    }
    /* terms as written, de-duplicated, in order of appearance */
    rf_strvec_free(&fb->terms);
    for (size_t k = 0; k < n && st == RF_OK; k++) {
        size_t a = fb->marks[k].start;
        size_t b = fb->marks[k].end;
        if (b <= a) {
            continue;
        }
        char *term = rf_strndup(fb->snippet.data + a, b - a);
        if (term == NULL) {
            st = RF_ENOMEM;
            break;
        }
        if (!rf_strvec_contains(&fb->terms, term)) {
            st = rf_strvec_push(&fb->terms, term);
        }
        free(term);
    }
    free(mk);
    *nmarks = n;
    return st;
}

/* ---------------- the finding ---------------- */

/* The line of text offset `off`. Matches of a section arrive in order of
 * start, so the count continues from the previous finding instead of
 * recounting the window from its first byte for every finding. */
static uint64_t line_of(
    rf_finding_builder *fb,
    const rf_doc *doc,
    const rf_section *sec,
    size_t off)
{
    /* the last origin run starting at or before off */
    size_t lo = 0;
    size_t hi = sec->origin_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sec->origins[mid].text_off <= off) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (lo == 0 || sec->origins[lo - 1].line == 0) {
        return 0;
    }
    size_t run = lo - 1;
    const rf_origin *o = &sec->origins[run];
    size_t from = o->text_off;
    uint64_t line = o->line;
    if (fb->cur_doc == doc && fb->cur_sec == sec && fb->cur_part == doc->part &&
        fb->cur_run == run && fb->cur_off <= off && fb->cur_off >= from) {
        from = fb->cur_off;
        line = fb->cur_line;
    }
    line += rf_count_newlines(sec->text.data + from, off - from);
    fb->cur_doc = doc;
    fb->cur_sec = sec;
    fb->cur_part = doc->part;
    fb->cur_run = run;
    fb->cur_off = off;
    fb->cur_line = line;
    return line;
}

/* The column of off: characters since the line start, plus one. Findings
 * of a section come in increasing order, so the count carries on from the
 * last one unless a newline lies between them; a document that is one
 * 13 MB line would otherwise cost a walk back to its start per finding. */
static uint64_t column_of(
    rf_finding_builder *fb,
    const rf_doc *doc,
    const rf_section *sec,
    size_t off)
{
    const char *t = sec->text.data;
    size_t from = fb->col_off;
    uint64_t col = fb->col;
    if (fb->col_sec != sec || fb->col_part != doc->part || fb->col_text != t ||
        from > off) {
        from = 0;
        col = 1 + sec->col0;
    }
    const char *nl = off > from ? memrchr(t + from, '\n', off - from) : NULL;
    if (nl != NULL) {
        from = (size_t)(nl - t) + 1;
        col = 1;
    }
    col += rf_utf8_count(t + from, off - from);
    fb->col_sec = sec;
    fb->col_part = doc->part;
    fb->col_text = t;
    fb->col_off = off;
    fb->col = col;
    return col;
}

rf_status rf_finding_build(
    const rf_finding **out,
    rf_finding_builder *fb,
    const rf_ruleset *rs,
    const rf_doc *doc,
    const rf_section *sec,
    const rf_hits *hits,
    const rf_match *m)
{
    const rf_rule *r = &rs->store.rules[m->rule];
    size_t nmarks = 0;
    rf_status st = build_snippet(fb, r, sec, hits, m, &nmarks);
    if (st == RF_OK) {
        st = fingerprint(fb, r, doc, sec, m);
    }
    if (st != RF_OK) {
        return st;
    }
    /* a language the reader knows beats a guess from the script */
    const char *hint = NULL;
    for (size_t i = first_hit_at(hits, m->start); i < hits->n && hint == NULL;
         i++) {
        const rf_hit *x = &hits->v[i];
        if (x->start >= m->end) {
            break;
        }
        if (x->start >= m->start && x->end <= m->end && !x->masked) {
            const char *l = rs->store.terms[x->term].lang;
            if (strcmp(l, "any") != 0) {
                hint = l;
            }
        }
    }
    if (sec->lang[0] != '\0') {
        snprintf(fb->lang, sizeof(fb->lang), "%s", sec->lang);
    } else {
        rf_detect_lang(fb->lang, fb->snippet.data, fb->snippet.len, hint);
    }
    const char *unit = rf_section_unit_at(sec, m->start);
    if (unit != NULL) {
        snprintf(fb->unit, sizeof(fb->unit), "%s", unit);
    }
    size_t nterms = fb->terms.n;
    if (nterms + 1 > fb->term_ptr_cap) {
        const char **v = realloc(fb->term_ptrs, (nterms + 1) * sizeof(*v));
        if (v == NULL) {
            return RF_ENOMEM;
        }
        fb->term_ptrs = v;
        fb->term_ptr_cap = nterms + 1;
    }
    for (size_t i = 0; i < nterms; i++) {
        fb->term_ptrs[i] = fb->terms.v[i];
    }
    fb->term_ptrs[nterms] = NULL;
    uint64_t line = line_of(fb, doc, sec, m->start);
    uint64_t start = rf_section_src_offset(sec, m->start, NULL);
    uint64_t end = rf_section_src_offset(sec, m->end, NULL);
    fb->f = (rf_finding){
        .rule = r,
        .rule_id = r->id,
        .title = rf_rule_title(r),
        .category = rf_rule_category(r),
        .severity = m->severity,
        .regulation = rf_rule_regulation(r),
        .message = rf_rule_message(r),
        .doc = &doc->pub,
        .section = rf_section_kind_name(sec->kind),
        .unit = unit != NULL ? fb->unit : NULL,
        .lang = fb->lang,
        .line = line,
        .column = column_of(fb, doc, sec, m->start),
        .start = start,
        .end = end,
        .snippet = fb->snippet.data ? fb->snippet.data : "",
        .marks = fb->marks,
        .mark_count = nmarks,
        .terms = fb->term_ptrs,
        .term_count = nterms,
        .fingerprint = fb->fingerprint,
    };
    *out = &fb->f;
    return RF_OK;
}
