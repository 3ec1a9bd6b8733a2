/*
 * aps.c - USPTO APS "Green Book" full text (grants 1976-2001).
 *
 * Fixed-field text: a four-letter record name alone on a line (PATN,
 * INVT, ASSG, CLAS, ABST, BSUM, DRWD, DETD, CLMS ...), then fields as
 * "TAG  value" with the value at column 6 and continuation lines indented.
 * A weekly file is many PATN records in a row: each starts a document.
 *
 * Values are kept byte for byte (continuation lines are joined with a
 * space that has no origin), so offsets map back exactly. Paragraph
 * headings (PAC) are headings for the background router; claims are
 * numbered by their NUM field.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patent.h"

int rf_sniff_uspto_aps(const char *head, size_t len, const char *name)
{
    RF_UNUSED(name);
    size_t n = len < 4096 ? len : 4096;
    for (size_t i = 0; i + 9 < n; i++) {
        if ((i == 0 || head[i - 1] == '\n') &&
            memcmp(head + i, "PATN", 4) == 0 &&
            (head[i + 4] == '\n' || head[i + 4] == '\r')) {
            return memmem(head + i, n - i, "\nWKU ", 5) != NULL ? 100 : 0;
        }
    }
    return 0;
}

typedef struct aps {
    rf_input *in;
    const rf_reader_ctx *ctx;
    rf_doc *doc;
    rf_router router;
    bool open;       /* a document is being read */
    char record[8];  /* PATN, INVT, ... */
    char field[8];   /* the field continuation lines belong to */
    bool text_field; /* its value goes to the open paragraph */
    rf_buf value;    /* a metadata value with its continuations */
    char number[32];
    char appl_type[8];
    uint64_t doc_line;
    uint64_t index;
    bool in_claim;
} aps;

static bool is(const char *a, const char *b)
{
    return strcmp(a, b) == 0;
}

static bool is_para_field(const char *f)
{
    return is(f, "PAR") || is(f, "PAL") || is(f, "PAC") || is(f, "TBL") ||
           is(f, "EQU") ||
           (f[0] == 'P' && f[1] == 'A' && isdigit((unsigned char)f[2]));
}

/* "Daniels; Everette E." -> "Everette E. Daniels" */
static rf_status add_person(rf_strvec *list, const char *v)
{
    const char *semi = strchr(v, ';');
    if (semi == NULL) {
        return rf_patent_add_name(list, v, strlen(v));
    }
    char buf[512];
    const char *first = semi + 1;
    while (*first == ' ') {
        first++;
    }
    snprintf(buf, sizeof(buf), "%s %.*s", first, (int)(semi - v), v);
    return rf_patent_add_name(list, buf, strlen(buf));
}

/* ICL is fixed width: "B60R  900" = B60R 9/00 (group in 3, subgroup in 2). */
static rf_status add_icl(rf_doc *doc, const char *v)
{
    size_t n = strlen(v);
    if (n >= 9 && strchr(v, '/') == NULL) {
        char buf[32];
        snprintf(buf, sizeof(buf), "%.4s %d/%.2s", v, atoi(v + 4) / 100, v + 7);
        /* atoi(" 900") / 100 = 9: the last two digits are the subgroup */
        return rf_patent_add_class(doc, buf, strlen(buf));
    }
    return rf_patent_add_class(doc, v, n);
}

static rf_status flush_value(aps *a)
{
    rf_status st = RF_OK;
    if (a->value.len == 0 || a->field[0] == '\0') {
        rf_buf_reset(&a->value);
        return RF_OK;
    }
    const char *v = a->value.data;
    rf_doc *doc = a->doc;
    const char *r = a->record;
    const char *f = a->field;
    if (is(r, "PATN")) {
        if (is(f, "WKU")) {
            /* patent number and a check digit */
            snprintf(
                a->number, sizeof(a->number), "%.*s",
                (int)(strlen(v) > 1 ? strlen(v) - 1 : strlen(v)), v);
        } else if (is(f, "APD")) {
            st = rf_patent_set_date(&doc->date_filed, v);
        } else if (is(f, "ISD")) {
            st = rf_patent_set_date(&doc->date_published, v);
        } else if (is(f, "APT")) {
            snprintf(a->appl_type, sizeof(a->appl_type), "%s", v);
        }
    } else if (is(r, "INVT") && is(f, "NAM")) {
        st = add_person(&doc->inventors, v);
    } else if (is(r, "ASSG") && is(f, "NAM")) {
        st = rf_patent_add_name(&doc->applicants, v, strlen(v));
    } else if (is(r, "CLAS") && is(f, "ICL")) {
        st = add_icl(doc, v);
    } else if (is(r, "PRIR") && is(f, "APD")) {
        if (doc->date_priority == NULL) {
            st = rf_patent_set_date(&doc->date_priority, v);
        }
    }
    rf_buf_reset(&a->value);
    return st;
}

static rf_status finish_doc(aps *a)
{
    if (!a->open) {
        return RF_OK;
    }
    a->open = false;
    rf_doc *doc = a->doc;
    rf_status st = flush_value(a);
    if (st == RF_OK) {
        st = rf_router_end(&a->router);
    }
    /* kind codes by application type (APS predates them) */
    const char *kind = is(a->appl_type, "2")   ? "E"
                       : is(a->appl_type, "4") ? "S"
                       : is(a->appl_type, "6") ? "P"
                                               : "A";
    char id[64];
    rf_patent_docdb(id, sizeof(id), "US", a->number, kind);
    if (st == RF_OK) {
        st = rf_doc_set(&doc->id, a->number[0] ? id : NULL);
    }
    if (st == RF_OK) {
        st = rf_doc_set(&doc->kind, kind);
    }
    if (st == RF_OK) {
        st = rf_doc_set(&doc->lang, "en");
    }
    if (st == RF_OK) {
        st = rf_doc_set(&doc->format, "uspto-aps");
    }
    if (st == RF_OK) {
        st = rf_doc_set(&doc->path, a->in->path);
    }
    if (st == RF_OK) {
        st = rf_doc_set(&doc->member, a->in->member);
    }
    if (st == RF_OK) {
        st = rf_patent_fill_title(doc);
    }
    if (st == RF_OK && doc->id == NULL) {
        char fallback[512];
        snprintf(
            fallback, sizeof(fallback), "%s#%" PRIu64,
            a->in->member ? a->in->member : a->in->path, a->index + 1);
        st = rf_doc_set(&doc->id, fallback);
    }
    if (st == RF_OK) {
        doc->index = a->index++;
        st = rf_doc_finish(doc);
    }
    if (st == RF_OK) {
        st = a->ctx->document(a->ctx->payload, doc);
    }
    return st;
}

static rf_status start_doc(aps *a, uint64_t off, uint64_t line)
{
    rf_status st = finish_doc(a);
    rf_doc_reset(a->doc);
    rf_router_reset(&a->router);
    a->open = true;
    a->number[0] = '\0';
    a->appl_type[0] = '\0';
    a->in_claim = false;
    a->doc->offset = off;
    a->doc_line = line;
    return st;
}

/* Where text of a field of the current record goes, or -1 for none. */
static int para_kind(const aps *a)
{
    const char *r = a->record;
    if (is(r, "ABST")) {
        return RF_SECTION_ABSTRACT;
    }
    if (is(r, "BSUM") || is(r, "DETD") || is(r, "DRWD") || is(r, "GOVT") ||
        is(r, "PARN")) {
        return RF_SECTION_DESCRIPTION;
    }
    if (is(r, "CLMS") || is(r, "DCLM")) {
        return RF_SECTION_CLAIMS;
    }
    return -1;
}

static rf_status
line_of(aps *a, const char *s, size_t n, uint64_t off, uint64_t line)
{
    while (n > 0 && (s[n - 1] == '\r' || s[n - 1] == ' ')) {
        n--;
    }
    if (n == 0) {
        return RF_OK;
    }
    rf_status st = RF_OK;
    if (s[0] == ' ') {
        /* a continuation of the current field */
        size_t i = 0;
        while (i < n && s[i] == ' ') {
            i++;
        }
        if (a->text_field) {
            st = rf_router_plain(&a->router, " ", 1);
            if (st == RF_OK) {
                st = rf_router_text(&a->router, s + i, n - i, off + i, line);
            }
        } else if (a->field[0] != '\0') {
            st = rf_buf_putc(&a->value, ' ');
            if (st == RF_OK) {
                st = rf_buf_append(&a->value, s + i, n - i);
            }
        }
        return st;
    }
    char tag[8];
    size_t t = 0;
    while (t < n && t < 4 && s[t] != ' ') {
        tag[t] = s[t];
        t++;
    }
    tag[t] = '\0';
    st = flush_value(a);
    if (st != RF_OK) {
        return st;
    }
    size_t vs = n > 5 ? 5 : n;
    while (vs < n && s[vs] == ' ') {
        vs++;
    }
    if (vs >= n && t == 4 && isupper((unsigned char)tag[0])) {
        /* a record name alone on its line */
        st = rf_router_end(&a->router);
        a->in_claim = false;
        a->text_field = false;
        a->field[0] = '\0';
        if (st == RF_OK && is(tag, "PATN")) {
            st = start_doc(a, off, line);
        }
        snprintf(a->record, sizeof(a->record), "%s", tag);
        return st;
    }
    if (!a->open) {
        return RF_OK; /* a file header before the first PATN */
    }
    snprintf(a->field, sizeof(a->field), "%s", tag);
    a->text_field = false;
    int kind = para_kind(a);
    if (is(a->record, "PATN") && is(tag, "TTL")) {
        st =
            rf_router_begin(&a->router, RF_SECTION_TITLE, "en", NULL, false, 0);
        a->text_field = true;
    } else if (kind == RF_SECTION_CLAIMS && is(tag, "NUM")) {
        char label[32];
        snprintf(label, sizeof(label), "claim %d", atoi(s + vs));
        st = rf_router_begin(
            &a->router, RF_SECTION_CLAIMS, "en", label, false, 0);
        a->in_claim = true;
        return st; /* the number itself is not claim text */
    } else if (kind >= 0 && is_para_field(tag)) {
        if (kind == RF_SECTION_CLAIMS && a->in_claim) {
            st = rf_router_break(&a->router);
        } else {
            const char *unit = kind == RF_SECTION_CLAIMS ? "#claim" : NULL;
            st = rf_router_begin(
                &a->router, (rf_section_kind)kind, "en", unit, is(tag, "PAC"),
                0);
            a->in_claim = kind == RF_SECTION_CLAIMS;
        }
        a->text_field = true;
    } else if (kind >= 0) {
        return RF_OK; /* STM "What I claim is:" and the like */
    }
    if (st != RF_OK || vs >= n) {
        return st;
    }
    if (a->text_field) {
        return rf_router_text(&a->router, s + vs, n - vs, off + vs, line);
    }
    return rf_buf_append(&a->value, s + vs, n - vs);
}

rf_status rf_read_uspto_aps(rf_input *in, const rf_reader_ctx *ctx)
{
    aps a;
    memset(&a, 0, sizeof(a));
    a.in = in;
    a.ctx = ctx;
    rf_status st = rf_doc_new(&a.doc);
    if (st != RF_OK) {
        return st;
    }
    rf_router_init(
        &a.router, a.doc,
        ctx->limits != NULL ? ctx->limits->max_document_size : 0);
    rf_buf buf = {0};
    uint64_t off = 0;
    uint64_t line = 1;
    bool eof = false;
    while (st == RF_OK && !eof) {
        const char *data;
        size_t len;
        rf_status rs = in->read(in, &data, &len);
        if (rs != RF_OK) {
            rf_reader_diag(
                ctx, in, RF_DIAG_ERROR, rs, NULL, in->consumed, 0,
                "%s; stopped after %" PRIu64 " documents",
                in->errmsg[0] ? in->errmsg : rf_status_str(rs), a.index);
            a.open = false; /* the last one may be cut: not delivered */
            break;
        }
        eof = len == 0;
        if (ctx->bytes != NULL) {
            *ctx->bytes += len;
        }
        st = rf_buf_append(&buf, data, len);
        size_t start = 0;
        while (st == RF_OK) {
            const char *nl = memchr(buf.data + start, '\n', buf.len - start);
            if (nl == NULL && !(eof && start < buf.len)) {
                break;
            }
            size_t end = nl != NULL ? (size_t)(nl - buf.data) : buf.len;
            st = line_of(&a, buf.data + start, end - start, off + start, line);
            line++;
            start = nl != NULL ? end + 1 : buf.len;
        }
        memmove(buf.data, buf.data + start, buf.len - start);
        buf.len -= start;
        off += start;
    }
    if (st == RF_OK) {
        st = finish_doc(&a);
    }
    rf_buf_free(&buf);
    rf_buf_free(&a.value);
    rf_router_free(&a.router);
    rf_doc_free(a.doc);
    return st;
}
