/*
 * xml.c - a stream of XML patent documents, parsed one at a time by expat.
 *
 * A USPTO weekly file is thousands of complete documents glued together,
 * each with its own `<?xml ...?>` and DOCTYPE; it is not one XML document
 * and no XML parser accepts it whole. The engine cuts the stream at every
 * `<?xml` followed by white space (a following `-stylesheet` is a
 * processing instruction, not a new document) without ever holding more
 * than one read chunk, and gives each piece to an expat parser that is
 * reset in between. The cut is found in a window that carries the last
 * few bytes of the previous chunk, so a boundary split across two reads is
 * still seen.
 *
 * Per document:
 *   - the first bytes (up to the end of the XML declaration) are held back
 *     until the declared encoding is known; encodings expat lacks are
 *     converted to UTF-8 with an offset map (transcode.c);
 *   - expat never loads anything: no external entity handler is installed,
 *     parameter entities are never parsed, a foreign DTD is assumed so that
 *     entities declared only in the unread DTD (&lsquo;, &ohgr;) arrive at
 *     the skipped-entity handler and are mapped by name (entities.c);
 *     entity amplification is bounded by expat's billion-laughs guard and
 *     element nesting by limits->max_xml_depth;
 *   - the root element picks the handler (USPTO, EPO, CNIPA, ...);
 *   - character data goes to the paragraph router with its byte offset
 *     (document offset + expat's byte index, mapped through the transcoder)
 *     and line (lines before the document + expat's line);
 *   - a document of up to WHOLE_MAX bytes that expat reads in one-byte
 *     units is held and parsed in one final call, which spares expat's
 *     byte-by-byte position walk (the engine counts its lines instead);
 *     larger ones stream through expat chunk by chunk.
 *
 * A malformed document is reported with its index, offset, line and
 * expat's message; the engine drops the rest of it and resumes at the next
 * `<?xml`. Documents already delivered are unaffected.
 */
#include "xml.h"

#include <ctype.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define HEAD_MAX  1024 /* bytes held back to read the XML declaration */
#define TAIL_KEEP 16   /* bytes carried between chunks to see a boundary */
#define TAIL_JOIN 64   /* bytes of a chunk joined to them (> TAIL_KEEP) */

/* ---------------- roots ---------------- */

typedef struct root_entry {
    const char *root;
    const rf_xml_handler *handler;
} root_entry;

static const root_entry roots[] = {
    {"us-patent-grant", &rf_uspto_handler},
    {"us-patent-application", &rf_uspto_handler},
    {"patent-application-publication", &rf_uspto_pap_handler},
    {"PATDOC", &rf_uspto_st32_handler},
    {"ep-patent-document", &rf_epo_handler},
    {"world-patent-data", &rf_epo_ops_handler},
    {"wo-patent-document", &rf_st36_handler},
    {"patent-document", &rf_st36_handler},
    {"jp-official-gazette", &rf_jpo_handler},
    {"cn-patent-document", &rf_cnipa_handler},
    {"PatentDocumentAndRelated", &rf_cnipa_new_handler},
    {"PatentPublication", &rf_st96_handler},
    {"PatentGrant", &rf_st96_handler},
    {"ClaimsDocument", &rf_xml4ip_handler},
    {"SpecificationDocument", &rf_xml4ip_handler},
    {"AbstractDocument", &rf_xml4ip_handler},
    {NULL, NULL},
};

const rf_xml_handler *rf_xml_handler_for_root(const char *local_name)
{
    for (const root_entry *r = roots; r->root != NULL; r++) {
        if (strcmp(r->root, local_name) == 0) {
            return r->handler;
        }
    }
    return NULL;
}

static const char *local_of(const char *name)
{
    const char *colon = strrchr(name, ':');
    return colon != NULL ? colon + 1 : name;
}

/* ---------------- interned element names ---------------- */

#define XE_NAME(id, name) name,
static const char *const xe_names[] = {"", RF_XE_NAMES(XE_NAME)};
#undef XE_NAME

_Static_assert(
    RF_XE_COUNT <= 256 && RF_ARRAY_LEN(xe_names) == RF_XE_COUNT,
    "rf_xe ids are stored as bytes, one per name");

/* Open addressing over FNV-1a, at most a third full: a name costs one
 * hash and usually one memcmp, whatever the number of names. */
#define XE_SLOTS  256u
#define XE_MAXLEN 32u /* longer than any listed name */

static uint8_t xe_slot[XE_SLOTS]; /* 0 = empty, else an rf_xe */
static uint8_t xe_len[RF_XE_COUNT];
static pthread_once_t xe_once = PTHREAD_ONCE_INIT;

static uint32_t xe_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    }
    return h;
}

static void xe_build(void)
{
    for (size_t id = 1; id < RF_XE_COUNT; id++) {
        size_t n = strlen(xe_names[id]);
        xe_len[id] = (uint8_t)n;
        uint32_t h = xe_hash(xe_names[id], n) % XE_SLOTS;
        while (xe_slot[h] != 0) {
            h = (h + 1) % XE_SLOTS;
        }
        xe_slot[h] = (uint8_t)id;
    }
}

static rf_xe xe_intern(const char *s, size_t n)
{
    if (n >= XE_MAXLEN) {
        return RF_XE_OTHER;
    }
    for (uint32_t h = xe_hash(s, n) % XE_SLOTS; xe_slot[h] != 0;
         h = (h + 1) % XE_SLOTS) {
        uint8_t id = xe_slot[h];
        if (xe_len[id] == n && memcmp(xe_names[id], s, n) == 0) {
            return (rf_xe)id;
        }
    }
    return RF_XE_OTHER;
}

/* Skip the prolog (BOM, declaration, PIs, comments, DOCTYPE with its
 * internal subset) and return the first element name found in the head,
 * or the DOCTYPE name if the head ends inside the prolog. */
static size_t first_name(const char *h, size_t len, char *out, size_t cap)
{
    size_t i = 0;
    out[0] = '\0';
    if (len >= 3 && memcmp(h, "\xEF\xBB\xBF", 3) == 0) {
        i = 3;
    }
    while (i < len) {
        while (i < len && isspace((unsigned char)h[i])) {
            i++;
        }
        if (i >= len || h[i] != '<') {
            return 0;
        }
        if (i + 1 < len && h[i + 1] == '?') {
            const char *e = memmem(h + i, len - i, "?>", 2);
            if (e == NULL) {
                return 0;
            }
            i = (size_t)(e - h) + 2;
            continue;
        }
        if (i + 3 < len && memcmp(h + i, "<!--", 4) == 0) {
            const char *e = memmem(h + i, len - i, "-->", 3);
            if (e == NULL) {
                return 0;
            }
            i = (size_t)(e - h) + 3;
            continue;
        }
        bool doctype = i + 9 < len && memcmp(h + i, "<!DOCTYPE", 9) == 0;
        size_t j = doctype ? i + 9 : i + 1;
        while (j < len && isspace((unsigned char)h[j])) {
            j++;
        }
        size_t n = 0;
        while (j < len && n + 1 < cap && !isspace((unsigned char)h[j]) &&
               h[j] != '>' && h[j] != '/' && h[j] != '[') {
            out[n++] = h[j++];
        }
        out[n] = '\0';
        if (!doctype) {
            return n;
        }
        /* skip the DOCTYPE, its internal subset included */
        int bracket = 0;
        while (j < len && (h[j] != '>' || bracket > 0)) {
            bracket += h[j] == '[';
            bracket -= h[j] == ']';
            j++;
        }
        if (j >= len) {
            return n; /* head ends inside the subset: trust the DOCTYPE */
        }
        i = j + 1;
    }
    return out[0] != '\0' ? strlen(out) : 0;
}

int rf_xml_sniff_roots(const char *head, size_t len, const char *const *names)
{
    char name[128];
    if (first_name(head, len, name, sizeof(name)) == 0) {
        return 0;
    }
    const char *local = local_of(name);
    for (size_t i = 0; names[i] != NULL; i++) {
        if (strcmp(local, names[i]) == 0) {
            return 100;
        }
    }
    return 0;
}

/* ---------------- helpers for handlers ---------------- */

const char *rf_xb_attr(const char **atts, const char *name)
{
    for (size_t i = 0; atts != NULL && atts[i] != NULL; i += 2) {
        if (strcmp(local_of(atts[i]), name) == 0) {
            return atts[i + 1];
        }
    }
    return NULL;
}

bool rf_xb_in(const rf_xb *x, const char *name)
{
    for (size_t i = x->depth; i > 0; i--) {
        if (strcmp(x->names[i - 1], name) == 0) {
            return true;
        }
    }
    return false;
}

const char *rf_xb_parent(const rf_xb *x, size_t up)
{
    if (up >= x->depth) {
        return "";
    }
    return x->names[x->depth - 1 - up];
}

void rf_xb_field_begin(rf_xb *x)
{
    rf_buf_reset(&x->field);
    x->field_depth = x->depth;
}

const char *rf_xb_field_end(rf_xb *x)
{
    x->field_depth = 0;
    if (x->field.data == NULL) {
        return "";
    }
    char *s = x->field.data;
    size_t n = x->field.len;
    while (n > 0 && isspace((unsigned char)s[n - 1])) {
        n--;
    }
    s[n] = '\0';
    size_t k = 0;
    while (k < n && isspace((unsigned char)s[k])) {
        k++;
    }
    return s + k;
}

void rf_xb_skip(rf_xb *x)
{
    if (x->skip_depth == 0) {
        x->skip_depth = x->depth;
    }
}

void rf_xb_fail(rf_xb *x, rf_status st, const char *msg)
{
    if (x->st != RF_OK) {
        return;
    }
    x->st = st;
    snprintf(x->err, sizeof(x->err), "%s", msg);
    XML_StopParser(x->parser, XML_FALSE);
}

void rf_xb_check(rf_xb *x, rf_status st)
{
    if (st != RF_OK) {
        rf_xb_fail(x, st, rf_status_str(st));
    }
}

void rf_xb_para(
    rf_xb *x,
    rf_section_kind kind,
    const char *lang,
    const char *unit,
    bool heading,
    int level)
{
    if (x->router.open && x->para_depth > 0 && x->para_depth < x->depth) {
        /* a block inside an open paragraph: a line break, not a new one */
        rf_xb_check(x, rf_router_break(&x->router));
        return;
    }
    rf_xb_check(
        x, rf_router_begin(
               &x->router, kind, lang != NULL ? lang : rf_xb_lang(x), unit,
               heading, level));
    x->para_depth = x->depth;
}

void rf_xb_para_end(rf_xb *x)
{
    if (x->para_depth > 0 && x->para_depth == x->depth) {
        rf_xb_check(x, rf_router_end(&x->router));
        x->para_depth = 0;
    }
}

void rf_xb_break(rf_xb *x)
{
    rf_xb_check(x, rf_router_break(&x->router));
}

void rf_xb_force_background(rf_xb *x, int forced)
{
    if (forced != 0) {
        if (x->nforced < RF_ARRAY_LEN(x->forced)) {
            x->forced[x->nforced] = forced;
        }
        x->nforced++;
    } else if (x->nforced > 0) {
        x->nforced--;
    }
    size_t top = x->nforced < RF_ARRAY_LEN(x->forced) ? x->nforced
                                                      : RF_ARRAY_LEN(x->forced);
    x->router.forced = top > 0 ? x->forced[top - 1] : 0;
}

/* Copy at most cap - 1 bytes of s and the NUL: snprintf("%s") without
 * the format machinery, which showed in profiles of the name stack and
 * the labels. memmove: a slot may be set from its own text. */
static size_t put_str(char *out, size_t cap, const char *s, size_t n)
{
    if (n >= cap) {
        n = cap - 1;
    }
    memmove(out, s, n);
    out[n] = '\0';
    return n;
}

void rf_xb_slot_set(rf_xb *x, int slot, const char *value)
{
    const char *v = value != NULL ? value : "";
    put_str(x->slot[slot], RF_XB_SLOT_LEN, v, strlen(v));
}

const char *rf_xb_slot(const rf_xb *x, int slot)
{
    return x->slot[slot];
}

void rf_xb_set_id(
    rf_xb *x, const char *country, const char *num, const char *kind)
{
    char id[128];
    rf_patent_docdb(id, sizeof(id), country, num, kind);
    if (id[0] != '\0') {
        rf_xb_check(x, rf_doc_set(&x->doc->id, id));
    }
    if (kind != NULL && kind[0] != '\0') {
        rf_xb_check(x, rf_doc_set(&x->doc->kind, kind));
    }
}

void rf_xb_set_lang(rf_xb *x, const char *lang)
{
    if (lang == NULL || lang[0] == '\0' || x->doc->lang != NULL) {
        return;
    }
    char l[16];
    rf_patent_lang(l, sizeof(l), lang);
    rf_xb_check(x, rf_doc_set(&x->doc->lang, l));
}

const char *rf_xb_lang(const rf_xb *x)
{
    return x->doc->lang != NULL ? x->doc->lang : "";
}

void rf_xb_claim_label(char *out, size_t cap, const char *num)
{
    const char *p = num != NULL ? num : "";
    while (*p != '\0' && !isdigit((unsigned char)*p)) {
        p++;
    }
    while (p[0] == '0' && isdigit((unsigned char)p[1])) {
        p++;
    }
    size_t n = 0;
    while (isdigit((unsigned char)p[n])) {
        n++;
    }
    if (n == 0) {
        out[0] = '\0';
        return;
    }
    size_t k = put_str(out, cap, "claim ", 6);
    put_str(out + k, cap - k, p, n);
}

void rf_xb_para_label(char *out, size_t cap, const char *num)
{
    const char *p = num != NULL ? num : "";
    while (*p != '\0' && !isdigit((unsigned char)*p)) {
        p++;
    }
    size_t n = 0;
    while (isdigit((unsigned char)p[n])) {
        n++;
    }
    /* "00002" (v4.0) and "0002" are the same paragraph: four digits */
    while (n > 4 && *p == '0') {
        p++;
        n--;
    }
    if (n == 0) {
        out[0] = '\0';
        return;
    }
    size_t k = put_str(out, cap, "[", 1);
    k += put_str(out + k, cap - k, p, n);
    put_str(out + k, cap - k, "]", 1);
}

/* ---------------- expat callbacks ---------------- */

static uint64_t src_of(const rf_xb *x, uint64_t idx)
{
    return x->doc_off +
           (rf_xcode_active(&x->xcode) ? rf_xcode_map(&x->xcode, idx) : idx);
}

/* Expat's line number (1-based) at byte index idx of the document.
 * Expat keeps its position by walking every byte once, one at a time: up
 * to the event when asked (XML_GetCurrentLineNumber), and to the end of
 * each non-final buffer anyway, so not asking saves nothing while
 * streaming. A document parsed whole in one final call (see feed) is
 * never walked by expat; its lines are counted here instead, over bytes
 * still in cache, the way expat counts: LF, CR and CR LF each end one
 * line. Events come in document order and never start between a CR and
 * its LF. */
static uint64_t line_at(rf_xb *x, XML_Index idx)
{
    if (x->lc_data == NULL || idx < 0 || (uint64_t)idx < x->lc_idx ||
        (uint64_t)idx > x->lc_len) {
        return XML_GetCurrentLineNumber(x->parser);
    }
    const char *s = x->lc_data + x->lc_idx;
    size_t n = (size_t)((uint64_t)idx - x->lc_idx);
    x->lc_lines += rf_count_newlines(s, n);
    const char *cr = memchr(s, '\r', n);
    while (cr != NULL) {
        size_t i = (size_t)(cr - s) + 1;
        x->lc_lines += i == n || s[i] != '\n';
        cr = i < n ? memchr(s + i, '\r', n - i) : NULL;
    }
    x->lc_idx = (uint64_t)idx;
    return x->lc_lines + 1;
}

/* Text of the current event, verbatim when expat's byte count says so
 * (then every character maps exactly), else one run for an entity. */
static void emit_text(rf_xb *x, const char *s, size_t len, bool verbatim)
{
    XML_Index idx = XML_GetCurrentByteIndex(x->parser);
    uint64_t base = idx < 0 ? 0 : (uint64_t)idx;
    uint64_t line = x->line_base + line_at(x, idx);
    int count = XML_GetCurrentByteCount(x->parser);
    rf_status st = RF_OK;
    if (!verbatim || (size_t)count != len || !rf_xcode_active(&x->xcode)) {
        st = rf_router_text(&x->router, s, len, src_of(x, base), line);
        rf_xb_check(x, st);
        return;
    }
    /* transcoded: ASCII runs map 1:1, every other character on its own */
    size_t i = 0;
    while (i < len && st == RF_OK) {
        size_t j = i;
        if ((unsigned char)s[i] < 0x80) {
            while (j < len && (unsigned char)s[j] < 0x80) {
                j++;
            }
        } else {
            j = i + 1;
            while (j < len && ((unsigned char)s[j] & 0xC0) == 0x80) {
                j++;
            }
        }
        st =
            rf_router_text(&x->router, s + i, j - i, src_of(x, base + i), line);
        line += rf_count_newlines(s + i, j - i);
        i = j;
    }
    rf_xb_check(x, st);
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
    rf_xb *x = ud;
    if (x->st != RF_OK || len <= 0) {
        return;
    }
    if (x->field_depth > 0) {
        rf_xb_check(x, rf_buf_append(&x->field, s, (size_t)len));
    }
    if (x->router.open && x->skip_depth == 0) {
        emit_text(x, s, (size_t)len, true);
    }
}

static void XMLCALL on_skipped(void *ud, const XML_Char *name, int is_param)
{
    rf_xb *x = ud;
    if (is_param || x->st != RF_OK) {
        return;
    }
    const char *u = rf_xml_entity(name);
    if (u == NULL) {
        return; /* an entity nobody can know: nothing to read */
    }
    size_t n = strlen(u);
    if (x->field_depth > 0) {
        rf_xb_check(x, rf_buf_append(&x->field, u, n));
    }
    if (x->router.open && x->skip_depth == 0) {
        emit_text(x, u, n, false);
    }
}

static void XMLCALL
on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    rf_xb *x = ud;
    if (x->st != RF_OK) {
        return;
    }
    if (x->max_depth > 0 && x->depth >= x->max_depth) {
        char msg[160];
        snprintf(
            msg, sizeof(msg),
            "elements nest deeper than %u levels (limit max_xml_depth; "
            "raise --max-xml-depth if the document is genuine)",
            (unsigned)x->max_depth);
        rf_xb_fail(x, RF_ELIMIT, msg);
        return;
    }
    if (x->depth == x->names_cap) {
        size_t cap = x->names_cap ? x->names_cap * 2 : 64;
        void *p = realloc(x->names, cap * sizeof(*x->names));
        if (p == NULL) {
            rf_xb_fail(x, RF_ENOMEM, rf_status_str(RF_ENOMEM));
            return;
        }
        x->names = p;
        p = realloc(x->ids, cap * sizeof(*x->ids));
        if (p == NULL) {
            rf_xb_fail(x, RF_ENOMEM, rf_status_str(RF_ENOMEM));
            return;
        }
        x->ids = p;
        x->names_cap = cap;
    }
    const char *local = local_of(name);
    size_t n = strlen(local);
    put_str(x->names[x->depth], sizeof(x->names[0]), local, n);
    x->ids[x->depth] = (uint8_t)xe_intern(local, n);
    x->depth++;
    if (x->depth == 1) {
        const rf_xml_handler *h = rf_xml_handler_for_root(local);
        x->handler = h != NULL ? h : x->fallback;
        if (x->handler == NULL) {
            char msg[200];
            snprintf(
                msg, sizeof(msg),
                "root element <%.60s> is not a patent format redflag "
                "reads; skipped",
                local);
            rf_xb_fail(x, RF_EUNSUPPORTED, msg);
            return;
        }
        rf_xb_check(x, rf_doc_set(&x->doc->format, x->handler->format));
    }
    if (x->handler->start != NULL) {
        x->handler->start(x, local, atts);
    }
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    rf_xb *x = ud;
    if (x->st != RF_OK || x->depth == 0) {
        return;
    }
    if (x->handler != NULL && x->handler->end != NULL) {
        x->handler->end(x, local_of(name));
    }
    if (x->field_depth == x->depth) {
        x->field_depth = 0;
    }
    if (x->skip_depth == x->depth) {
        x->skip_depth = 0;
    }
    if (x->para_depth > 0 && x->para_depth == x->depth) {
        rf_xb_para_end(x);
    }
    x->depth--;
}

static void setup_parser(rf_xb *x)
{
    XML_Parser p = x->parser;
    XML_SetUserData(p, x);
    XML_SetElementHandler(p, on_start, on_end);
    XML_SetCharacterDataHandler(p, on_text);
    XML_SetSkippedEntityHandler(p, on_skipped);
    XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
    /* behave as if a DTD we do not read declared the entities: undefined
     * ones are then skipped (and mapped by name), not fatal */
    XML_UseForeignDTD(p, XML_TRUE);
    XML_SetBillionLaughsAttackProtectionMaximumAmplification(p, 100.0f);
    XML_SetBillionLaughsAttackProtectionActivationThreshold(p, 4u << 20);
}

/* ---------------- the stream ---------------- */

typedef struct xstream {
    rf_xb x;
    rf_input *in;
    const rf_reader_ctx *ctx;
    bool active;
    bool head_done;
    bool failed;
    bool root_seen;
    bool whole;       /* the document is held to be parsed in one call */
    rf_buf whole_buf; /* its bytes so far, from its first */
    rf_buf head;
    uint64_t abs;   /* input offset of the next byte */
    uint64_t lines; /* newlines before abs */
    uint64_t started;
    uint64_t delivered;
    rf_status st; /* fatal: out of memory, a sink that stopped */
} xstream;

static void doc_diag(
    xstream *xs,
    rf_diag_level level,
    rf_status st,
    uint64_t offset,
    uint64_t line,
    const char *msg)
{
    /* the sink prints "[document #N]"; the message adds the id if known */
    char docname[32];
    snprintf(docname, sizeof(docname), "#%" PRIu64, xs->x.index + 1);
    const char *id = xs->x.doc->id;
    rf_reader_diag(
        xs->ctx, xs->in, level, st, docname, offset, line, "%s%s%s",
        id ? id : "", id ? ": " : "", msg);
}

static void report_parse_error(xstream *xs)
{
    rf_xb *x = &xs->x;
    XML_Parser p = x->parser;
    uint64_t line = x->line_base + XML_GetCurrentLineNumber(p);
    XML_Index idx = XML_GetCurrentByteIndex(p);
    uint64_t off = src_of(x, idx < 0 ? 0 : (uint64_t)idx);
    char msg[512];
    if (x->st != RF_OK) {
        snprintf(msg, sizeof(msg), "%s", x->err);
        doc_diag(xs, RF_DIAG_ERROR, x->st, off, line, msg);
    } else {
        snprintf(
            msg, sizeof(msg),
            "malformed XML: %s at line %" PRIu64 ", column %" PRIu64
            "; document skipped, reading resumes at the next <?xml",
            XML_ErrorString(XML_GetErrorCode(p)), line,
            (uint64_t)XML_GetCurrentColumnNumber(p) + 1);
        doc_diag(xs, RF_DIAG_ERROR, RF_EPARSE, off, line, msg);
    }
    xs->failed = true;
}

/* The encoding declared in the XML declaration at the start of h. */
static void declared_encoding(const char *h, size_t len, char *out, size_t cap)
{
    out[0] = '\0';
    size_t i = 0;
    if (len >= 3 && memcmp(h, "\xEF\xBB\xBF", 3) == 0) {
        i = 3;
    }
    if (len - i < 5 || memcmp(h + i, "<?xml", 5) != 0) {
        return;
    }
    const char *end = memmem(h + i, len - i, "?>", 2);
    size_t dl = end != NULL ? (size_t)(end - (h + i)) : len - i;
    const char *e = memmem(h + i, dl, "encoding", 8);
    if (e == NULL) {
        return;
    }
    const char *p = e + 8;
    const char *lim = h + i + dl;
    while (p < lim && (isspace((unsigned char)*p) || *p == '=')) {
        p++;
    }
    if (p >= lim || (*p != '"' && *p != '\'')) {
        return;
    }
    char q = *p++;
    size_t n = 0;
    while (p < lim && *p != q && n + 1 < cap) {
        out[n++] = *p++;
    }
    out[n] = '\0';
}

static rf_status parser_for_doc(xstream *xs, const char *encoding)
{
    rf_xb *x = &xs->x;
    if (x->parser == NULL) {
        x->parser = XML_ParserCreate(encoding);
        if (x->parser == NULL) {
            return RF_ENOMEM;
        }
    } else if (!XML_ParserReset(x->parser, encoding)) {
        return RF_ENOMEM;
    }
    setup_parser(x);
    return RF_OK;
}

/* Documents up to this size are parsed in one final XML_Parse call:
 * expat then skips its per-buffer position walk, and emit_text counts
 * lines itself (line_at). Larger ones stream, bounding memory. */
#define WHOLE_MAX (4u << 20)

static void parse(xstream *xs, const char *data, size_t len, bool final)
{
    rf_xb *x = &xs->x;
    /* expat takes int lengths: feed large chunks in pieces */
    do {
        size_t n = len > (1u << 30) ? (1u << 30) : len;
        bool last = final && n == len;
        if (XML_Parse(x->parser, data, (int)n, last) == XML_STATUS_ERROR) {
            if (x->st == RF_ENOMEM) {
                xs->st = RF_ENOMEM;
            }
            report_parse_error(xs);
            return;
        }
        data += n;
        len -= n;
    } while (len > 0);
}

/* Stream the document after all: give expat what was held. */
static void whole_flush(xstream *xs)
{
    if (!xs->whole) {
        return;
    }
    xs->whole = false;
    if (!xs->failed && xs->whole_buf.len > 0) {
        parse(xs, xs->whole_buf.data, xs->whole_buf.len, false);
    }
    rf_buf_reset(&xs->whole_buf);
}

static void feed(xstream *xs, const char *data, size_t len, bool final)
{
    rf_xb *x = &xs->x;
    if (xs->failed) {
        return;
    }
    if (xs->whole && (final || xs->whole_buf.len + len <= WHOLE_MAX)) {
        rf_status st = rf_buf_append(&xs->whole_buf, data, len);
        if (st != RF_OK) {
            xs->st = st;
            xs->failed = true;
            return;
        }
        if (final) {
            x->lc_data = xs->whole_buf.data;
            x->lc_len = xs->whole_buf.len;
            x->lc_idx = 0;
            x->lc_lines = 0;
            parse(xs, xs->whole_buf.data, xs->whole_buf.len, true);
            x->lc_data = NULL;
            xs->whole = false;
            rf_buf_reset(&xs->whole_buf);
        }
        return;
    }
    whole_flush(xs);
    if (xs->failed) {
        return;
    }
    if (rf_xcode_active(&x->xcode)) {
        rf_status st = rf_xcode_feed(&x->xcode, data, len, final);
        if (st != RF_OK) {
            xs->st = st;
            xs->failed = true;
            return;
        }
        data = x->xcode.out.data;
        len = x->xcode.out.len;
    }
    parse(xs, data, len, final);
}

/* Decide the encoding from the held-back head, then parse it. */
/* standalone="yes" makes an undefined entity (&lsquo; from a DTD the
 * producer forgot) fatal. Blank the pseudo-attribute out with as many
 * spaces, which keeps every offset, so such entities are only skipped. */
static void drop_standalone(char *h, size_t len)
{
    if (len >= 3 && memcmp(h, "\xEF\xBB\xBF", 3) == 0) {
        h += 3;
        len -= 3;
    }
    if (len < 5 || memcmp(h, "<?xml", 5) != 0) {
        return;
    }
    const char *end = memmem(h, len, "?>", 2);
    size_t dl = end != NULL ? (size_t)(end - h) : len;
    char *p = memmem(h, dl, "standalone", 10);
    if (p == NULL) {
        return;
    }
    char *q = p + 10;
    char *lim = h + dl;
    while (q < lim && (isspace((unsigned char)*q) || *q == '=')) {
        q++;
    }
    if (q + 5 <= lim && (*q == '"' || *q == '\'') &&
        memcmp(q + 1, "yes", 3) == 0 && q[4] == q[0]) {
        memset(p, ' ', (size_t)(q + 5 - p));
    }
}

static void head_done(xstream *xs)
{
    rf_xb *x = &xs->x;
    char enc[40];
    xs->head_done = true;
    drop_standalone(xs->head.data, xs->head.len);
    declared_encoding(xs->head.data, xs->head.len, enc, sizeof(enc));
    const char *parser_enc = NULL;
    if (!rf_xml_encoding_native(enc)) {
        if (rf_xcode_open(&x->xcode, enc) != RF_OK) {
            char msg[200];
            snprintf(
                msg, sizeof(msg),
                "encoding \"%s\" is not known to iconv; document "
                "skipped",
                enc);
            doc_diag(
                xs, RF_DIAG_ERROR, RF_EUNSUPPORTED, x->doc_off,
                x->line_base + 1, msg);
            xs->failed = true;
            return;
        }
        parser_enc = "UTF-8";
    }
    rf_status st = parser_for_doc(xs, parser_enc);
    if (st != RF_OK) {
        xs->st = st;
        xs->failed = true;
        return;
    }
    /* line_at counts single bytes: only for text expat reads in one-byte
     * units (not transcoded here, not UTF-16) */
    const char *h = xs->head.data;
    size_t hl = xs->head.len;
    xs->whole = !rf_xcode_active(&x->xcode) && hl > 0 &&
                memchr(h, '\0', hl < 4 ? hl : 4) == NULL &&
                !(hl >= 2 && (unsigned char)h[0] >= 0xFE &&
                  (unsigned char)h[1] >= 0xFE);
    feed(xs, xs->head.data, xs->head.len, false);
}

static void reset_doc_state(rf_xb *x)
{
    rf_doc_reset(x->doc);
    rf_router_reset(&x->router);
    x->depth = 0;
    x->field_depth = 0;
    x->skip_depth = 0;
    x->para_depth = 0;
    x->nforced = 0;
    x->handler = NULL;
    x->st = RF_OK;
    x->err[0] = '\0';
    memset(x->slot, 0, sizeof(x->slot));
    memset(x->state, 0, sizeof(x->state));
    x->lc_data = NULL;
    rf_xcode_close(&x->xcode);
}

static void start_doc(xstream *xs)
{
    rf_xb *x = &xs->x;
    reset_doc_state(x);
    xs->active = true;
    xs->head_done = false;
    xs->failed = false;
    xs->whole = false;
    rf_buf_reset(&xs->whole_buf);
    rf_buf_reset(&xs->head);
    x->doc_off = xs->abs;
    x->line_base = xs->lines;
    x->index = xs->started++;
}

static void deliver(xstream *xs)
{
    rf_xb *x = &xs->x;
    rf_doc *doc = x->doc;
    rf_status st = rf_router_end(&x->router);
    if (st == RF_OK) {
        st = rf_patent_fill_title(doc);
    }
    if (st == RF_OK && doc->id == NULL) {
        char id[512];
        snprintf(
            id, sizeof(id), "%s#%" PRIu64,
            xs->in->member ? xs->in->member : xs->in->path, x->index + 1);
        st = rf_doc_set(&doc->id, id);
    }
    if (st == RF_OK) {
        st = rf_doc_set(&doc->path, xs->in->path);
    }
    if (st == RF_OK) {
        st = rf_doc_set(&doc->member, xs->in->member);
    }
    if (st != RF_OK) {
        xs->st = st;
        return;
    }
    doc->index = x->index;
    doc->offset = x->doc_off;
    if (x->router.truncated) {
        char msg[200];
        snprintf(
            msg, sizeof(msg),
            "text cut at %" PRIu64
            " bytes (limit max_document_size); the rest of the document "
            "was not read",
            x->router.max_text);
        doc_diag(
            xs, RF_DIAG_WARNING, RF_ELIMIT, x->doc_off, x->line_base + 1, msg);
    }
    st = rf_doc_finish(doc);
    if (st == RF_OK) {
        st = xs->ctx->document(xs->ctx->payload, doc);
    }
    xs->delivered++;
    if (st != RF_OK) {
        xs->st = st;
    }
}

static void end_doc(xstream *xs)
{
    if (!xs->active) {
        return;
    }
    if (!xs->head_done) {
        head_done(xs);
    }
    if (!xs->failed) {
        feed(xs, "", 0, true);
    }
    if (!xs->failed && xs->st == RF_OK) {
        deliver(xs);
    }
    xs->active = false;
}

/* Bytes of the current document (no boundary inside). */
static void consume(xstream *xs, const char *s, size_t len)
{
    size_t i = 0;
    if (!xs->active) {
        while (i < len && isspace((unsigned char)s[i])) {
            xs->lines += s[i] == '\n';
            i++;
        }
        xs->abs += i;
        if (i == len) {
            return;
        }
        start_doc(xs);
    }
    const char *p = s + i;
    size_t n = len - i;
    xs->lines += rf_count_newlines(p, n);
    xs->abs += n;
    if (!xs->head_done) {
        size_t take = HEAD_MAX - xs->head.len;
        if (take > n) {
            take = n;
        }
        rf_status st = rf_buf_append(&xs->head, p, take);
        if (st != RF_OK) {
            xs->st = st;
            return;
        }
        p += take;
        n -= take;
        const char *h = xs->head.data;
        size_t hl = xs->head.len;
        size_t b = hl >= 3 && memcmp(h, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
        bool has_decl = hl - b >= 5 && memcmp(h + b, "<?xml", 5) == 0;
        if (hl >= HEAD_MAX || !has_decl || memmem(h, hl, "?>", 2) != NULL) {
            head_done(xs);
        } else {
            return; /* n == 0 here: wait for more */
        }
    }
    if (n > 0) {
        feed(xs, p, n, false);
    }
}

/* Offset of the next document boundary in w[from..len), or len. A
 * boundary is "<?xml" + white space, moved back over a UTF-8 BOM; *after
 * is set past the "<?xml". Only boundaries whose white space is inside
 * the window count: the caller keeps a tail for the next chunk. */
static size_t
next_boundary(const char *w, size_t len, size_t from, size_t *after)
{
    while (from + 6 <= len) {
        /* '?' is rare in XML (declarations, processing instructions, the
         * odd question), '<' is everywhere: memchr on '?' then look back
         * runs several times faster than memmem over the whole stream */
        const char *q = memchr(w + from + 1, '?', len - from - 1);
        if (q == NULL) {
            return len;
        }
        size_t at = (size_t)(q - w) - 1;
        if (w[at] != '<' || len - at < 5 || memcmp(w + at + 2, "xml", 3) != 0) {
            from = at + 1;
            continue;
        }
        if (at + 5 >= len) {
            return len;
        }
        if (isspace((unsigned char)w[at + 5])) {
            *after = at + 5;
            if (at >= from + 3 && memcmp(w + at - 3, "\xEF\xBB\xBF", 3) == 0) {
                at -= 3;
            }
            return at;
        }
        from = at + 5;
    }
    return len;
}

/* Walk w[pos..wl): the bytes before limit go to their documents, and a
 * document that starts before limit is started there (its "<?xml" goes
 * with it, even past limit, so the next search cannot find it again).
 * Returns where the walk stopped: limit, or past a boundary's "<?xml". */
static size_t
walk(xstream *xs, const char *w, size_t wl, size_t pos, size_t limit)
{
    while (pos < limit && xs->st == RF_OK) {
        size_t after = 0;
        size_t b = next_boundary(w, wl, pos, &after);
        if (b >= limit) {
            consume(xs, w + pos, limit - pos);
            return limit;
        }
        if (b > pos) {
            consume(xs, w + pos, b - pos);
        }
        end_doc(xs);
        if (xs->st != RF_OK) {
            break;
        }
        consume(xs, w + b, after - b);
        pos = after;
    }
    return pos;
}

rf_status rf_xml_read(
    rf_input *in, const rf_reader_ctx *ctx, const rf_xml_handler *fallback)
{
    pthread_once(&xe_once, xe_build);
    xstream xs;
    memset(&xs, 0, sizeof(xs));
    xs.in = in;
    xs.ctx = ctx;
    /* a piece of a longer stream counts on from the pieces before */
    xs.lines = ctx->lines_before;
    xs.delivered = ctx->documents_before;
    rf_xb *x = &xs.x;
    x->ctx = ctx;
    x->in = in;
    x->fallback = fallback;
    rf_xcode_init(&x->xcode);
    rf_buf work = {0};
    rf_status st = rf_doc_new(&x->doc);
    if (st != RF_OK) {
        return st;
    }
    const rf_limits *lim = ctx->limits;
    x->max_depth = lim != NULL ? lim->max_xml_depth : 256;
    rf_router_init(
        &x->router, x->doc, lim != NULL ? lim->max_document_size : 0);
    bool eof = false;
    bool read_error = false;
    rf_status read_status = RF_OK;
    char read_msg[256] = "";
    size_t keep = 0; /* bytes of work carried over from the last chunk */
    while (!eof && xs.st == RF_OK) {
        const char *data;
        size_t len;
        st = in->read(in, &data, &len);
        if (st != RF_OK) {
            /* a truncated or unreadable input: what was delivered stays */
            read_status = st;
            snprintf(
                read_msg, sizeof(read_msg), "%s",
                in->errmsg[0] ? in->errmsg : rf_status_str(st));
            read_error = true;
            eof = true;
            len = 0;
            data = "";
        }
        eof = eof || len == 0;
        if (ctx->bytes != NULL) {
            *ctx->bytes += len;
        }
        /* the kept tail and the chunk's first bytes are joined, so that
         * a boundary across them is seen; the rest of the chunk is walked
         * where it lies (no copy of every byte), and its tail kept */
        size_t join = len < TAIL_JOIN ? len : TAIL_JOIN;
        work.len = keep;
        st = rf_buf_append(&work, data, join);
        if (st != RF_OK) {
            xs.st = st;
            break;
        }
        size_t wl = work.len;
        size_t limit = eof ? wl : (wl > TAIL_KEEP ? wl - TAIL_KEEP : 0);
        size_t pos = walk(&xs, work.data, wl, 0, limit);
        const char *rest = work.data;
        if (join < len && xs.st == RF_OK) {
            /* pos is past the old tail: limit is TAIL_JOIN - TAIL_KEEP
             * bytes into the chunk */
            rest = data;
            wl = len;
            pos = walk(&xs, data, len, pos - keep, len - TAIL_KEEP);
        }
        keep = wl > pos ? wl - pos : 0;
        if (rest == work.data) {
            memmove(work.data, rest + pos, keep);
        } else {
            work.len = 0;
            st = rf_buf_append(&work, rest + pos, keep);
            if (st != RF_OK) {
                xs.st = st;
                break;
            }
        }
    }
    if (xs.st == RF_OK && read_error) {
        /* what a streamed document would have shown (a parse error)
         * before the cut is reported: parse what was held */
        whole_flush(&xs);
    }
    if (xs.st == RF_OK) {
        if (read_error && xs.active && !xs.failed) {
            char msg[512];
            snprintf(
                msg, sizeof(msg),
                "%s; the document was cut there and not scanned (%" PRIu64
                " complete documents before it were)",
                read_msg, xs.delivered);
            doc_diag(
                &xs, RF_DIAG_ERROR, read_status, in->consumed, xs.lines + 1,
                msg);
        } else {
            end_doc(&xs);
            if (read_error) {
                rf_reader_diag(
                    ctx, in, RF_DIAG_ERROR, read_status, NULL, in->consumed, 0,
                    "%s; stopped after %" PRIu64 " complete documents",
                    read_msg, xs.delivered);
            }
        }
    }
    if (xs.st == RF_OK && xs.started == 0 && ctx->forced_format != NULL) {
        rf_reader_diag(
            ctx, in, RF_DIAG_WARNING, RF_EPARSE, NULL, 0, 0,
            "no XML document found");
    }
    if (x->parser != NULL) {
        XML_ParserFree(x->parser);
    }
    rf_router_free(&x->router);
    rf_doc_free(x->doc);
    rf_xcode_free(&x->xcode);
    rf_buf_free(&x->field);
    rf_buf_free(&xs.head);
    rf_buf_free(&xs.whole_buf);
    rf_buf_free(&work);
    free(x->names);
    free(x->ids);
    return xs.st;
}
