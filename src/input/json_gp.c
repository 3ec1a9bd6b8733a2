/*
 * json_gp.c - Google Patents Public Data rows (BigQuery `publications`).
 *
 * Accepted layouts:
 *   JSON Lines      one row per line, as `bq extract --destination_format
 *                   NEWLINE_DELIMITED_JSON` writes them (streamed: one row
 *                   in memory at a time);
 *   a JSON array    of rows;
 *   an object       with the rows under "sample_rows" (table samples such
 *                   as Snowflake's mirror), or one row on its own.
 * Nested columns may be real arrays or, in mirrors, JSON-encoded strings.
 *
 * Metadata (publication_number is already in DOCDB form, dates are
 * yyyymmdd integers) is read from a copy of the row without its text
 * columns, checked as strict JSON and read where it lies (json_span.c);
 * a row the check rejects is parsed by jansson for the message. The
 * localized texts are located by a small scanner over the row's raw
 * bytes, and decoded here with an origin run at every escape: a match in
 * a claim maps back to the byte inside the JSON string.
 * Claims and descriptions are single strings with "\n" between
 * paragraphs; each line becomes a paragraph, numbered from its own
 * leading "3." or "[0042]", and description headings such as
 * "BACKGROUND OF THE INVENTION" route the lines after them to the
 * background section.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "input/json_span.h"
#include "patent.h"

/* ---------------- sniffing ---------------- */

int rf_sniff_google_patents_json(const char *head, size_t len, const char *name)
{
    RF_UNUSED(name);
    size_t i = 0;
    if (len >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0) {
        i = 3;
    }
    while (i < len && isspace((unsigned char)head[i])) {
        i++;
    }
    if (i >= len || (head[i] != '{' && head[i] != '[')) {
        return 0;
    }
    size_t n = len - i < 65536 ? len - i : 65536;
    if (memmem(head + i, n, "\"publication_number\"", 20) != NULL) {
        return 100;
    }
    return 0;
}

/* ---------------- a scanner over well-formed JSON ---------------- */

static size_t skip_ws(const char *s, size_t n, size_t i)
{
    while (i < n && isspace((unsigned char)s[i])) {
        i++;
    }
    return i;
}

/* Index after the string starting at s[i] == '"', or n. Jumps from quote
 * to quote with memchr (rows are megabytes of description text, walked
 * several times to find members) and counts the backslashes before each:
 * an even run means the quote is not escaped. */
static size_t string_end(const char *s, size_t n, size_t i)
{
    i++;
    while (i < n) {
        const char *q = memchr(s + i, '"', n - i);
        if (q == NULL) {
            return n;
        }
        size_t j = (size_t)(q - s);
        size_t k = j;
        while (k > i && s[k - 1] == '\\') {
            k--;
        }
        if (((j - k) & 1) == 0) {
            return j + 1;
        }
        i = j + 1;
    }
    return n;
}

/* Index after the value starting at s[i], or n when unbalanced. */
static size_t value_end(const char *s, size_t n, size_t i)
{
    if (i >= n) {
        return n;
    }
    if (s[i] == '"') {
        return string_end(s, n, i);
    }
    if (s[i] != '{' && s[i] != '[') {
        while (i < n && s[i] != ',' && s[i] != '}' && s[i] != ']' &&
               !isspace((unsigned char)s[i])) {
            i++;
        }
        return i;
    }
    int depth = 0;
    for (; i < n; i++) {
        char c = s[i];
        if (c == '"') {
            i = string_end(s, n, i) - 1;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            if (--depth == 0) {
                return i + 1;
            }
        }
    }
    return n;
}

/* Value span of member `key` of the object at s[o] == '{'. */
static bool member(
    const char *s, size_t n, size_t o, const char *key, size_t *vs, size_t *ve)
{
    size_t kl = strlen(key);
    size_t i = skip_ws(s, n, o + 1);
    while (i < n && s[i] == '"') {
        size_t ke = string_end(s, n, i);
        size_t v = skip_ws(s, n, ke);
        if (v >= n || s[v] != ':') {
            return false;
        }
        v = skip_ws(s, n, v + 1);
        size_t e = value_end(s, n, v);
        if (ke - i - 2 == kl && memcmp(s + i + 1, key, kl) == 0) {
            *vs = v;
            *ve = e;
            return true;
        }
        i = skip_ws(s, n, e);
        if (i < n && s[i] == ',') {
            i = skip_ws(s, n, i + 1);
        }
    }
    return false;
}

/* ---------------- strings with origins ---------------- */

/* A decoded string: where each run of its bytes came from. */
typedef struct jtext {
    rf_buf text;
    rf_origin *runs; /* text_off, src_off (line unused) */
    size_t nrun;
    size_t cap;
} jtext;

static rf_status jt_run(jtext *t, uint64_t src)
{
    if (t->nrun == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        rf_origin *r = realloc(t->runs, cap * sizeof(*r));
        if (r == NULL) {
            return RF_ENOMEM;
        }
        t->runs = r;
        t->cap = cap;
    }
    t->runs[t->nrun++] = (rf_origin){.text_off = t->text.len, .src_off = src};
    return RF_OK;
}

static void jt_reset(jtext *t)
{
    rf_buf_reset(&t->text);
    t->nrun = 0;
}

static void jt_free(jtext *t)
{
    rf_buf_free(&t->text);
    free(t->runs);
}

/*
 * Decode the JSON string at s[i] == '"' (up to e) into t, a run of
 * origins at its start and at each escape: s[k] came from base + k. Used
 * for a column held as a JSON string, whose inside route_string() then
 * maps back through these runs.
 */
static rf_status
decode(jtext *t, const char *s, size_t i, size_t e, uint64_t base)
{
    jt_reset(t);
    rf_status st = rf_buf_reserve(&t->text, e - i);
    bool fresh = true;
    for (size_t k = i + 1; st == RF_OK && k + 1 < e;) {
        if (s[k] != '\\') {
            const char *bs = memchr(s + k, '\\', e - 1 - k);
            size_t j = bs != NULL ? (size_t)(bs - s) : e - 1;
            if (fresh) {
                st = jt_run(t, base + k);
            }
            if (st == RF_OK) {
                st = rf_buf_append(&t->text, s + k, j - k);
            }
            fresh = false;
            k = j;
            continue;
        }
        char o[4];
        size_t ol;
        size_t used = rf_json_escape(s, e, k, o, &ol);
        st = jt_run(t, base + k);
        if (st == RF_OK) {
            st = rf_buf_append(&t->text, o, ol);
        }
        fresh = true;
        k += used;
    }
    return st;
}

/* ---------------- rows ---------------- */

typedef struct gp {
    rf_input *in;
    const rf_reader_ctx *ctx;
    rf_doc *doc;
    rf_router router;
    jtext outer; /* a nested column decoded from its string form */
    rf_buf meta; /* the row without its text columns (json_span.c) */
    /* strings decoded from the metadata, kept from row to row: a value
     * (0), an element's member (1), a column held as a string (2) */
    rf_buf scratch[3];
    uint64_t rows;
    uint64_t delivered;
} gp;

static const char *country_lang(const char *cc)
{
    static const char *const map[][2] = {
        {"CN", "zh"}, {"TW", "zh"}, {"HK", "zh"}, {"JP", "ja"}, {"KR", "ko"},
        {"DE", "de"}, {"AT", "de"}, {"FR", "fr"}, {"RU", "ru"}, {"ES", "es"},
        {"US", "en"}, {"GB", "en"}, {"AU", "en"}, {"CA", "en"}, {NULL, NULL}};
    for (size_t i = 0; cc != NULL && map[i][0] != NULL; i++) {
        if (strcmp(cc, map[i][0]) == 0) {
            return map[i][1];
        }
    }
    return NULL;
}

/* A value of the checked metadata: the text it lies in and its span. A
 * nested column held as a JSON string (mirrors) is decoded and checked
 * into `own`, and then lies there. */
typedef struct jval {
    const char *s;
    size_t vs;
    size_t ve;
} jval;

/* The members metadata() reads; of a key given twice, the last counts, as
 * in jansson. */
enum {
    M_PUBLICATION,
    M_KIND,
    M_COUNTRY,
    M_FAMILY,
    M_PUBLISHED,
    M_FILED,
    M_PRIORITY,
    M_ASSIGNEE_H,
    M_ASSIGNEE,
    M_INVENTOR_H,
    M_INVENTOR,
    M_IPC,
    M_CPC,
    M_COUNT
};

/* A key as written in a row, with its length (keys are compared as raw
 * bytes: one spelled with escapes is not recognised). */
typedef struct jkey {
    const char *name;
    size_t len;
} jkey;

#define RF_JKEY(s)       \
    {                    \
        s, sizeof(s) - 1 \
    }

static const jkey meta_keys[M_COUNT] = {
    RF_JKEY("publication_number"),
    RF_JKEY("kind_code"),
    RF_JKEY("country_code"),
    RF_JKEY("family_id"),
    RF_JKEY("publication_date"),
    RF_JKEY("filing_date"),
    RF_JKEY("priority_date"),
    RF_JKEY("assignee_harmonized"),
    RF_JKEY("assignee"),
    RF_JKEY("inventor_harmonized"),
    RF_JKEY("inventor"),
    RF_JKEY("ipc"),
    RF_JKEY("cpc"),
};

/* The index in keys[0..n) of the key key[0..len) (quotes off), or -1. */
static int key_index(const jkey *keys, size_t n, const char *key, size_t len)
{
    for (size_t i = 0; i < n; i++) {
        if (keys[i].len == len && memcmp(keys[i].name, key, len) == 0) {
            return (int)i;
        }
    }
    return -1;
}

static bool is_type(jval v, char c)
{
    return v.s != NULL && v.s[v.vs] == c;
}

/* The string value v decoded into buf; NULL if v is no string. */
static const char *str_of(jval v, rf_buf *buf)
{
    if (!is_type(v, '"') || rf_json_string(buf, v.s, v.vs, v.ve) != RF_OK) {
        return NULL;
    }
    return buf->data;
}

/* A nested column: the array itself or, in mirrors, its JSON string. */
static jval column(jval v, rf_buf *own)
{
    const char *s = str_of(v, own);
    if (s == NULL) {
        return v;
    }
    size_t i = 0;
    while (isspace((unsigned char)s[i])) {
        i++;
    }
    if ((s[i] == '[' || s[i] == '{') && rf_json_check(s, own->len, NULL)) {
        return (jval){.s = s, .vs = i, .ve = rf_json_skip(s, i)};
    }
    return (jval){0};
}

/* The member `key` of the object v (the last of that name). */
static jval member_of(jval v, const char *key)
{
    jval out = {0};
    size_t it = 0;
    size_t ks;
    size_t ke;
    size_t vs;
    size_t ve;
    while (is_type(v, '{') &&
           rf_json_next(v.s, v.vs, &it, &ks, &ke, &vs, &ve)) {
        if (rf_json_key_is(v.s, ks, ke, key)) {
            out = (jval){.s = v.s, .vs = vs, .ve = ve};
        }
    }
    return out;
}

static rf_status set_date(char **field, jval v, rf_buf *tmp)
{
    long long n;
    if (is_type(v, '"')) {
        const char *s = str_of(v, tmp);
        return s != NULL ? rf_patent_set_date(field, s) : RF_OK;
    }
    if (v.s == NULL || !rf_json_int(v.s, v.vs, v.ve, &n) || n <= 0) {
        return RF_OK;
    }
    char buf[32];
    snprintf(buf, sizeof(buf), "%lld", n);
    return rf_patent_set_date(field, buf);
}

/* Each element of the array v, or of the string column it names, that is
 * a string (key NULL) or an object whose `key` is one, to add(). */
static rf_status each_string(
    gp *g,
    jval v,
    const char *key,
    rf_status (*add)(void *to, const char *s, size_t n),
    void *to,
    size_t *count)
{
    rf_buf *str = &g->scratch[1];
    jval a = column(v, &g->scratch[2]);
    rf_status st = RF_OK;
    size_t it = 0;
    size_t vs;
    size_t ve;
    *count = 0;
    while (st == RF_OK && is_type(a, '[') &&
           rf_json_next(a.s, a.vs, &it, NULL, NULL, &vs, &ve)) {
        (*count)++;
        jval e = {.s = a.s, .vs = vs, .ve = ve};
        const char *s = str_of(key != NULL ? member_of(e, key) : e, str);
        if (s != NULL) {
            st = add(to, s, str->len);
        }
    }
    return st;
}

static rf_status add_name(void *to, const char *s, size_t n)
{
    return rf_patent_add_name(to, s, n);
}

static rf_status add_class(void *to, const char *s, size_t n)
{
    return rf_patent_add_class(to, s, n);
}

/* The harmonized names ({"name": ...} objects), else the plain ones. */
static rf_status names(gp *g, rf_strvec *list, jval harmonized, jval plain)
{
    size_t n;
    rf_status st = each_string(g, harmonized, "name", add_name, list, &n);
    if (st == RF_OK && n == 0) {
        st = each_string(g, plain, NULL, add_name, list, &n);
    }
    return st;
}

/* The document's id, kind, family, dates, names, classes and language,
 * from the members v of the checked metadata (v[k].s NULL: absent). */
static rf_status metadata(gp *g, const jval *v)
{
    rf_doc *doc = g->doc;
    rf_buf *tmp = &g->scratch[0];
    const char *pn = str_of(v[M_PUBLICATION], tmp);
    rf_status st = rf_doc_set(&doc->id, pn != NULL && pn[0] ? pn : NULL);
    if (st == RF_OK) {
        st = rf_doc_set(&doc->kind, str_of(v[M_KIND], tmp));
    }
    long long fam;
    const char *fs = str_of(v[M_FAMILY], tmp);
    if (st == RF_OK && fs != NULL && fs[0]) {
        st = rf_doc_set(&doc->family_id, fs);
    } else if (
        st == RF_OK && v[M_FAMILY].s != NULL &&
        rf_json_int(v[M_FAMILY].s, v[M_FAMILY].vs, v[M_FAMILY].ve, &fam)) {
        char buf[32];
        snprintf(buf, sizeof(buf), "%lld", fam);
        st = rf_doc_set(&doc->family_id, buf);
    }
    if (st == RF_OK) {
        st = set_date(&doc->date_published, v[M_PUBLISHED], tmp);
    }
    if (st == RF_OK) {
        st = set_date(&doc->date_filed, v[M_FILED], tmp);
    }
    if (st == RF_OK) {
        st = set_date(&doc->date_priority, v[M_PRIORITY], tmp);
    }
    if (st == RF_OK) {
        st = names(g, &doc->applicants, v[M_ASSIGNEE_H], v[M_ASSIGNEE]);
    }
    if (st == RF_OK) {
        st = names(g, &doc->inventors, v[M_INVENTOR_H], v[M_INVENTOR]);
    }
    size_t n;
    if (st == RF_OK) {
        st = each_string(g, v[M_IPC], "code", add_class, doc, &n);
    }
    if (st == RF_OK) {
        st = each_string(g, v[M_CPC], "code", add_class, doc, &n);
    }
    const char *lang = country_lang(str_of(v[M_COUNTRY], tmp));
    if (st == RF_OK && lang != NULL) {
        st = rf_doc_set(&doc->lang, lang);
    }
    return st;
}

/* Open a paragraph of `kind` (claims and descriptions number theirs). */
static rf_status para_begin(gp *g, rf_section_kind kind, const char *lang)
{
    const char *unit = kind == RF_SECTION_CLAIMS        ? "#claim"
                       : kind == RF_SECTION_DESCRIPTION ? "#para"
                                                        : NULL;
    return rf_router_begin(&g->router, kind, lang, unit, false, 0);
}

/*
 * Route the JSON string at s[i] == '"' (up to e) into paragraphs of
 * `kind`, decoding it on the way: claims and descriptions are cut at line
 * breaks, escaped or not. The text goes from the row to the paragraph in
 * one copy, each run and each escape with the offset of its first byte in
 * the input (through `outer`'s runs for a column held as a JSON string),
 * so a description is walked once here, not decoded first and cut after.
 */
static rf_status route_string(
    gp *g,
    const char *s,
    size_t i,
    size_t e,
    const jtext *outer,
    uint64_t base,
    rf_section_kind kind,
    const char *lang,
    uint64_t line)
{
    bool split = kind == RF_SECTION_CLAIMS || kind == RF_SECTION_DESCRIPTION;
    rf_status st = para_begin(g, kind, lang);
    for (size_t k = i + 1; st == RF_OK && k + 1 < e;) {
        uint64_t src = base + k;
        if (outer != NULL) {
            src = rf_section_src_offset(
                &(rf_section){
                    .origins = outer->runs, .origin_count = outer->nrun},
                k, NULL);
        }
        if (s[k] != '\\') {
            /* a run without escapes; inside a string that was itself a
             * string, at most 4 KiB, so that it maps back run by run */
            size_t lim = e - 1 - k;
            if (outer != NULL && lim > 4096) {
                lim = 4096;
            }
            const char *bs = memchr(s + k, '\\', lim);
            size_t j = bs != NULL ? (size_t)(bs - s) : k + lim;
            for (size_t a = k; st == RF_OK && a < j;) {
                const char *nl = split ? memchr(s + a, '\n', j - a) : NULL;
                size_t b = nl != NULL ? (size_t)(nl - s) : j;
                st = rf_router_text(
                    &g->router, s + a, b - a, src + (a - k), line);
                if (st == RF_OK && nl != NULL) {
                    st = para_begin(g, kind, lang);
                    b++;
                }
                a = b;
            }
            k = j;
            continue;
        }
        char o[4];
        size_t ol;
        k += rf_json_escape(s, e, k, o, &ol);
        if (split && ol == 1 && o[0] == '\n') {
            st = para_begin(g, kind, lang);
        } else {
            st = rf_router_text(&g->router, o, ol, src, line);
        }
    }
    if (st == RF_OK) {
        st = rf_router_end(&g->router);
    }
    return st;
}

/* The first "language" and "text" members of the object at s[i] == '{'
 * (value spans; *ls, *ts SIZE_MAX when absent), in one walk; returns the
 * index past the object (end when it is unbalanced). A walk cut short by
 * a malformed member keeps what it found before it, as member() would. */
static size_t element(
    const char *s,
    size_t end,
    size_t i,
    size_t *ls,
    size_t *le,
    size_t *ts,
    size_t *te)
{
    size_t start = i;
    *ls = SIZE_MAX;
    *ts = SIZE_MAX;
    i = skip_ws(s, end, i + 1);
    while (i < end && s[i] == '"') {
        size_t ke = string_end(s, end, i);
        size_t v = skip_ws(s, end, ke);
        if (v >= end || s[v] != ':') {
            return value_end(s, end, start);
        }
        v = skip_ws(s, end, v + 1);
        if (v >= end) {
            return end;
        }
        size_t e = value_end(s, end, v);
        if (*ls == SIZE_MAX && ke - i == 10 &&
            memcmp(s + i, "\"language\"", 10) == 0) {
            *ls = v;
            *le = e;
        } else if (
            *ts == SIZE_MAX && ke - i == 6 &&
            memcmp(s + i, "\"text\"", 6) == 0) {
            *ts = v;
            *te = e;
        }
        i = skip_ws(s, end, e);
        if (i < end && s[i] == ',') {
            i = skip_ws(s, end, i + 1);
        }
    }
    return i < end && s[i] == '}' ? i + 1 : value_end(s, end, start);
}

/* Each {text, language} of the text column at raw[vs..ve) of a row. */
static rf_status localized(
    gp *g,
    const char *raw,
    uint64_t base,
    uint64_t line,
    size_t vs,
    size_t ve,
    rf_section_kind kind)
{
    const char *s = raw;
    size_t len = ve;
    const jtext *outer = NULL;
    line += rf_count_newlines(raw, vs);
    if (raw[vs] == '"') {
        /* a mirror's JSON-encoded column: decode, then scan the inside */
        rf_status st = decode(&g->outer, raw, vs, ve, base);
        if (st != RF_OK) {
            return st;
        }
        s = g->outer.text.data;
        len = g->outer.text.len;
        outer = &g->outer;
        vs = skip_ws(s, len, 0);
        ve = value_end(s, len, vs);
    }
    if (vs >= len || s[vs] != '[') {
        return RF_OK;
    }
    rf_status st = RF_OK;
    size_t i = skip_ws(s, ve, vs + 1);
    while (st == RF_OK && i < ve && s[i] == '{') {
        size_t ts;
        size_t te;
        size_t ls;
        size_t le;
        size_t e = element(s, ve, i, &ls, &le, &ts, &te);
        char lang[16] = "";
        if (ls != SIZE_MAX && s[ls] == '"') {
            char raw_lang[16];
            /* the quotes off, if the string was closed */
            size_t ln = le - ls >= 2 ? le - ls - 2 : 0;
            ln = ln < sizeof(raw_lang) - 1 ? ln : sizeof(raw_lang) - 1;
            memcpy(raw_lang, s + ls + 1, ln);
            raw_lang[ln] = '\0';
            rf_patent_lang(lang, sizeof(lang), raw_lang);
        }
        if (ts != SIZE_MAX && s[ts] == '"') {
            st = route_string(g, s, ts, te, outer, base, kind, lang, line);
            if (st == RF_OK && g->doc->lang == NULL && lang[0] != '\0') {
                st = rf_doc_set(&g->doc->lang, lang);
            }
        }
        i = skip_ws(s, ve, e);
        if (i < ve && s[i] == ',') {
            i = skip_ws(s, ve, i + 1);
        }
    }
    return st;
}

static void
row_diag(gp *g, rf_status st, uint64_t off, uint64_t line, const char *msg)
{
    char docname[32];
    snprintf(docname, sizeof(docname), "#%" PRIu64, g->rows);
    rf_reader_diag(
        g->ctx, g->in, RF_DIAG_ERROR, st, docname, off, line, "%s", msg);
}

/* The text columns, read from the raw bytes by localized() with their
 * spans noted by metadata_copy(); the rest of a row is its metadata. */
static const jkey text_keys[] = {
    RF_JKEY("title_localized"),
    RF_JKEY("abstract_localized"),
    RF_JKEY("claims_localized"),
    RF_JKEY("description_localized"),
};
static const rf_section_kind text_kinds[] = {
    RF_SECTION_TITLE,
    RF_SECTION_ABSTRACT,
    RF_SECTION_CLAIMS,
    RF_SECTION_DESCRIPTION,
};

#define RF_TEXT_COLS RF_ARRAY_LEN(text_keys)

/* Where a text column's value is in the row; vs == 0: not there (a
 * value never starts a row). */
typedef struct col_span {
    size_t vs;
    size_t ve;
} col_span;

/*
 * Copy the object at raw[0..n) into out without its text columns, and
 * note where each text column's value is in the row (the first, if one is
 * given twice) and where each member metadata() reads is in the copy (the
 * last, as in jansson), in one walk of the row. A row's description is
 * most of its bytes; building a jansson tree of it only to read the
 * publication number cost more than matching the whole text, so the
 * metadata is checked in this small copy and read where it lies. Returns
 * false when the row is not a well-formed object at the top level (the
 * caller then parses the raw row, for the error message).
 */
static bool metadata_copy(
    const char *raw, size_t n, rf_buf *out, col_span *cols, jval *meta)
{
    memset(cols, 0, RF_TEXT_COLS * sizeof(*cols));
    memset(meta, 0, M_COUNT * sizeof(*meta));
    rf_buf_reset(out);
    size_t i = skip_ws(raw, n, 0);
    if (i >= n || raw[i] != '{' || rf_buf_putc(out, '{') != RF_OK) {
        return false;
    }
    i = skip_ws(raw, n, i + 1);
    bool first = true;
    while (i < n && raw[i] == '"') {
        size_t ke = string_end(raw, n, i);
        size_t v = skip_ws(raw, n, ke);
        if (v >= n || raw[v] != ':') {
            return false;
        }
        v = skip_ws(raw, n, v + 1);
        size_t e = value_end(raw, n, v);
        if (e > n || e <= v) {
            return false;
        }
        const char *key = raw + i + 1;
        size_t klen = ke - i - 2;
        int col = key_index(text_keys, RF_TEXT_COLS, key, klen);
        if (col >= 0 && cols[col].vs == 0) {
            cols[col] = (col_span){.vs = v, .ve = e};
        } else if (col < 0) {
            if ((!first && rf_buf_putc(out, ',') != RF_OK) ||
                rf_buf_append(out, raw + i, ke - i) != RF_OK ||
                rf_buf_putc(out, ':') != RF_OK) {
                return false;
            }
            int k = key_index(meta_keys, M_COUNT, key, klen);
            if (k >= 0) {
                meta[k] = (jval){.vs = out->len, .ve = out->len + (e - v)};
            }
            if (rf_buf_append(out, raw + v, e - v) != RF_OK) {
                return false;
            }
            first = false;
        }
        i = skip_ws(raw, n, e);
        if (i < n && raw[i] == ',') {
            i = skip_ws(raw, n, i + 1);
        } else {
            break;
        }
    }
    if (i >= n || raw[i] != '}' || rf_buf_putc(out, '}') != RF_OK) {
        return false;
    }
    /* the copy is whole: its spans can point into it now */
    for (size_t k = 0; k < M_COUNT; k++) {
        if (meta[k].ve != 0) {
            meta[k].s = out->data;
        }
    }
    return true;
}

/* One row: raw[0..n) is the object, at input offset `base`, line `line`. */
static rf_status
row(gp *g, const char *raw, size_t n, uint64_t base, uint64_t line)
{
    g->rows++;
    col_span cols[RF_TEXT_COLS];
    jval meta[M_COUNT];
    if (!metadata_copy(raw, n, &g->meta, cols, meta) ||
        !rf_json_check(g->meta.data, g->meta.len, NULL)) {
        /* malformed: jansson parses the row itself, so that the message
         * points into it */
        json_error_t err;
        json_t *obj = json_loadb(raw, n, 0, &err);
        char msg[300];
        if (obj == NULL) {
            snprintf(
                msg, sizeof(msg), "invalid JSON: %s (column %d); row skipped",
                err.text, err.column);
        } else if (!json_is_object(obj)) {
            snprintf(msg, sizeof(msg), "row is not a JSON object; skipped");
        } else {
            /* jansson reads what the checker does not: no such text is
             * known (the checker is the looser of the two on numbers) */
            snprintf(
                msg, sizeof(msg),
                "invalid JSON in the row's metadata; row skipped");
        }
        row_diag(
            g, RF_EPARSE,
            base +
                (obj == NULL && err.position > 0 ? (uint64_t)err.position : 0),
            line, msg);
        json_decref(obj);
        return RF_OK;
    }
    rf_doc *doc = g->doc;
    rf_doc_reset(doc);
    rf_router_reset(&g->router);
    rf_status st = metadata(g, meta);
    for (size_t i = 0; st == RF_OK && i < RF_TEXT_COLS; i++) {
        if (cols[i].vs != 0) {
            st = localized(
                g, raw, base, line, cols[i].vs, cols[i].ve, text_kinds[i]);
        }
    }
    if (st == RF_OK) {
        st = rf_patent_fill_title(doc);
    }
    if (st == RF_OK && doc->id == NULL) {
        char id[512];
        snprintf(
            id, sizeof(id), "%s#%" PRIu64,
            g->in->member ? g->in->member : g->in->path, g->rows);
        st = rf_doc_set(&doc->id, id);
    }
    if (st == RF_OK) {
        st = rf_doc_set(&doc->format, "google-patents-json");
    }
    if (st == RF_OK) {
        st = rf_doc_set(&doc->path, g->in->path);
    }
    if (st == RF_OK) {
        st = rf_doc_set(&doc->member, g->in->member);
    }
    if (st != RF_OK) {
        return st;
    }
    doc->index = g->rows - 1;
    doc->offset = base;
    if (g->router.truncated) {
        row_diag(
            g, RF_ELIMIT, base, line,
            "text cut at max_document_size; the rest of the row was not "
            "read (raise --max-document-size)");
    }
    st = rf_doc_finish(doc);
    if (st == RF_OK) {
        g->delivered++;
        st = g->ctx->document(g->ctx->payload, doc);
    }
    return st;
}

/* ---------------- whole files: arrays and sample tables ---------------- */

static rf_status
rows_of_array(gp *g, const char *s, size_t n, size_t a, size_t e)
{
    rf_status st = RF_OK;
    size_t i = skip_ws(s, e, a + 1);
    uint64_t line = 1 + rf_count_newlines(s, i);
    size_t counted = i;
    while (st == RF_OK && i < e && s[i] != ']') {
        size_t ve = value_end(s, n, i);
        line += rf_count_newlines(s + counted, i - counted);
        counted = i;
        if (s[i] == '{') {
            st = row(g, s + i, ve - i, i, line);
        }
        i = skip_ws(s, e, ve);
        if (i < e && s[i] == ',') {
            i = skip_ws(s, e, i + 1);
        } else {
            break;
        }
    }
    return st;
}

static rf_status whole(gp *g, const char *s, size_t n)
{
    size_t i = skip_ws(s, n, 0);
    if (n - i >= 3 && memcmp(s + i, "\xEF\xBB\xBF", 3) == 0) {
        i = skip_ws(s, n, i + 3);
    }
    if (i >= n) {
        return RF_OK;
    }
    size_t e = value_end(s, n, i);
    if (e == n && (n == 0 || (s[n - 1] != '}' && s[n - 1] != ']'))) {
        size_t t = n;
        while (t > i && isspace((unsigned char)s[t - 1])) {
            t--;
        }
        if (t == i || (s[t - 1] != '}' && s[t - 1] != ']')) {
            row_diag(
                g, RF_EPARSE, i, 1,
                "JSON ends before its closing bracket (truncated?); "
                "rows up to the break were read");
        }
    }
    if (s[i] == '[') {
        return rows_of_array(g, s, n, i, e);
    }
    size_t vs;
    size_t ve;
    if (s[i] == '{' && member(s + i, e - i, 0, "sample_rows", &vs, &ve) &&
        s[i + vs] == '[') {
        return rows_of_array(g, s, n, i + vs, i + ve);
    }
    return row(g, s + i, e - i, i, 1 + rf_count_newlines(s, i));
}

/* ---------------- the reader ---------------- */

/* How much of an unfinished first line is enough to tell JSON Lines from
 * one JSON value. */
#define RF_JSON_SNIFF ((size_t)1 << 20)

rf_status rf_read_google_patents_json(rf_input *in, const rf_reader_ctx *ctx)
{
    gp g;
    memset(&g, 0, sizeof(g));
    g.in = in;
    g.ctx = ctx;
    uint64_t max_doc = ctx->limits != NULL ? ctx->limits->max_document_size : 0;
    rf_status st = rf_doc_new(&g.doc);
    if (st != RF_OK) {
        return st;
    }
    rf_router_init(&g.router, g.doc, max_doc);
    rf_buf buf = {0};
    uint64_t off = 0;  /* input offset of buf[0] */
    uint64_t line = 1; /* line of buf[0] */
    int mode = 0;      /* 0 unknown, 1 lines, 2 whole file */
    /* a row's raw bytes: its text as JSON escapes, and its metadata */
    uint64_t max_row = max_doc > UINT64_MAX / 4 ? 0 : max_doc * 4;
    bool skipping = false; /* inside a row over max_row */
    bool eof = false;
    while (st == RF_OK && !eof) {
        size_t len = 0;
        rf_status rs = rf_input_append(in, &buf, &len);
        if (rs == RF_ENOMEM) {
            st = rs;
            break;
        }
        if (rs != RF_OK) {
            rf_reader_diag(
                ctx, in, RF_DIAG_ERROR, rs, NULL, in->consumed, 0,
                "%s; stopped after %" PRIu64 " rows",
                in->errmsg[0] ? in->errmsg : rf_status_str(rs), g.rows);
            break;
        }
        eof = len == 0;
        if (ctx->bytes != NULL) {
            *ctx->bytes += len;
        }
        size_t scan_from = buf.len - len;
        if (mode == 0) {
            /* a first line that is a whole object means JSON Lines. It is
             * checked by bracket balance, not parsed: a first row of 13 MB
             * became an 80 MB jansson tree just to be recognised. A first
             * line that is still open after RF_JSON_SNIFF bytes is a long
             * row if it opens an object (it is then cut by the row limit,
             * not read whole first). */
            const char *nl = memchr(buf.data, '\n', buf.len);
            bool open = nl == NULL && !eof;
            if (open && buf.len < RF_JSON_SNIFF) {
                continue;
            }
            size_t l0 = nl != NULL ? (size_t)(nl - buf.data) : buf.len;
            size_t i = skip_ws(buf.data, l0, 0);
            if (l0 - i >= 3 && memcmp(buf.data + i, "\xEF\xBB\xBF", 3) == 0) {
                i += 3;
            }
            bool lines = i < l0 && buf.data[i] == '{';
            if (lines && !open) {
                size_t e = value_end(buf.data, l0, i);
                lines = e > i + 1 && buf.data[e - 1] == '}' &&
                        skip_ws(buf.data, l0, e) == l0;
            }
            mode = lines ? 1 : 2;
            scan_from = 0;
        }
        if (mode == 2) {
            if (max_doc > 0 && buf.len > max_doc) {
                rf_reader_diag(
                    ctx, in, RF_DIAG_ERROR, RF_ELIMIT, NULL, 0, 0,
                    "a JSON file that is not JSON Lines is read "
                    "whole, and this one is over max_document_size "
                    "(%" PRIu64 " bytes); convert it to one row per "
                    "line or raise --max-document-size",
                    max_doc);
                break;
            }
            if (eof) {
                st = whole(&g, buf.data, buf.len);
            }
            continue;
        }
        /* JSON Lines: every complete line is a row */
        size_t start = 0;
        if (skipping) {
            /* the rest of an over-long row: drop it up to its newline */
            const char *nl = memchr(buf.data, '\n', buf.len);
            start = nl != NULL ? (size_t)(nl - buf.data) + 1 : buf.len;
            scan_from = start;
            skipping = nl == NULL;
            line += nl != NULL;
        }
        const char *p = buf.data;
        for (; !skipping;) {
            const char *nl = memchr(p + scan_from, '\n', buf.len - scan_from);
            size_t end = nl != NULL ? (size_t)(nl - p) : buf.len;
            if (nl == NULL && !eof) {
                break;
            }
            size_t a = skip_ws(p, end, start);
            if (a < end) {
                st = row(&g, p + a, end - a, off + a, line);
            }
            line++;
            start = end + 1;
            scan_from = start;
            if (nl == NULL || st != RF_OK || start > buf.len) {
                break;
            }
        }
        if (start > buf.len) {
            start = buf.len;
        }
        if (!skipping && max_row > 0 && buf.len - start > max_row) {
            /* a row is read whole before it is parsed: one longer than
             * this is skipped, not held, and the rows after it are read */
            rf_reader_diag(
                ctx, in, RF_DIAG_ERROR, RF_ELIMIT, NULL, off + start, line,
                "row longer than %" PRIu64
                " bytes (4 x max_document_size); skipped (raise "
                "--max-document-size)",
                max_row);
            skipping = true;
            start = buf.len;
        }
        memmove(buf.data, buf.data + start, buf.len - start);
        buf.len -= start;
        off += start;
    }
    rf_buf_free(&buf);
    jt_free(&g.outer);
    rf_buf_free(&g.meta);
    for (size_t i = 0; i < RF_ARRAY_LEN(g.scratch); i++) {
        rf_buf_free(&g.scratch[i]);
    }
    rf_router_free(&g.router);
    rf_doc_free(g.doc);
    return st;
}
