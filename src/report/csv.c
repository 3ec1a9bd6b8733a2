/*
 * csv.c - findings as CSV for spreadsheets: one header row, one row per
 * finding, streamed.
 *
 * RFC 4180: CRLF line ends; a field containing a comma, a double quote,
 * CR or LF is quoted and its quotes doubled. Text is UTF-8 without a byte
 * order mark (spreadsheet imports choose UTF-8; a BOM would corrupt the
 * first column name for pandas, csvkit and most scripts).
 *
 * Document text is hostile, and a spreadsheet runs any cell that starts
 * with = + - @ (or a tab/CR) as a formula ("CSV injection"). Such text
 * cells get a leading apostrophe, the usual neutraliser; numeric columns
 * are written by us and are never prefixed. Invalid UTF-8 becomes U+FFFD
 * and control characters other than tab become spaces, so every row
 * parses in every reader.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"

typedef struct csv {
    rf_report base;
    rf_buf row;
    bool header_done;
} csv;

static const char *const columns[] = {
    "fingerprint", "severity",   "category", "rule",  "rule_title",
    "status",      "note",       "document", "title", "kind",
    "path",        "member",     "section",  "unit",  "lang",
    "line",        "column",     "start",    "end",   "date_published",
    "date_filed",  "applicants", "classes",  "terms", "snippet",
    "message",     "regulation", "link",
};

/* Clean text into b: valid UTF-8, no controls except tab. */
static rf_status clean(rf_buf *b, const char *s)
{
    size_t len = strlen(s);
    size_t i = 0;
    rf_status st = RF_OK;
    while (i < len && st == RF_OK) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            int32_t cp;
            size_t n = rf_utf8_decode(s, len, i, &cp);
            if (cp == 0xFFFD && n == 1) {
                st = rf_buf_puts(b, "\xEF\xBF\xBD");
            } else {
                st = rf_buf_append(b, s + i, n);
            }
            i += n;
            continue;
        }
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
            c = ' ';
        }
        st = rf_buf_putc(b, (char)c);
        i++;
    }
    return st;
}

/* One field, quoted when RFC 4180 requires it; @p text enables the
 * formula guard. */
static rf_status field(rf_buf *row, const char *s, bool text, bool first)
{
    rf_buf v = {0};
    rf_status st = RF_OK;
    if (!first) {
        st = rf_buf_putc(row, ',');
    }
    if (s == NULL || *s == '\0') {
        return st;
    }
    if (text && strchr("=+-@\t\r", s[0]) != NULL) {
        st = st ? st : rf_buf_putc(&v, '\'');
    }
    st = st ? st : clean(&v, s);
    if (st != RF_OK) {
        rf_buf_free(&v);
        return st;
    }
    bool quote = strpbrk(v.data, ",\"\r\n") != NULL;
    if (!quote) {
        st = rf_buf_append(row, v.data, v.len);
    } else {
        st = rf_buf_putc(row, '"');
        for (size_t i = 0; st == RF_OK && i < v.len; i++) {
            if (v.data[i] == '"') {
                st = rf_buf_putc(row, '"');
            }
            st = st ? st : rf_buf_putc(row, v.data[i]);
        }
        st = st ? st : rf_buf_putc(row, '"');
    }
    rf_buf_free(&v);
    return st;
}

static rf_status num(rf_buf *row, uint64_t n)
{
    return rf_buf_printf(row, ",%llu", (unsigned long long)n);
}

static rf_status joined(rf_buf *row, const char *const *list, size_t count)
{
    rf_buf j = {0};
    rf_status st = RF_OK;
    for (size_t i = 0; st == RF_OK && list != NULL && list[i] != NULL &&
                       (count == 0 || i < count);
         i++) {
        if (i > 0) {
            st = rf_buf_puts(&j, "; ");
        }
        st = st ? st : rf_buf_puts(&j, list[i]);
    }
    st = st ? st : field(row, j.data ? j.data : "", true, false);
    rf_buf_free(&j);
    return st;
}

static rf_status header(csv *w)
{
    rf_status st = RF_OK;
    for (size_t i = 0; st == RF_OK && i < RF_ARRAY_LEN(columns); i++) {
        st = field(&w->row, columns[i], false, i == 0);
    }
    st = st ? st : rf_buf_puts(&w->row, "\r\n");
    w->header_done = true;
    return st ? st : rf_report__flush(&w->row, w->base.fp);
}

static rf_status csv_begin(rf_report *r, const rf_report_meta *meta)
{
    RF_UNUSED(meta);
    csv *w = (csv *)r;
    return w->header_done ? RF_OK : header(w);
}

static rf_status csv_rule(rf_report *r, const rf_rule_info *rule)
{
    RF_UNUSED(r);
    RF_UNUSED(rule);
    return RF_OK;
}

static rf_status
csv_finding(rf_report *r, const rf_finding *f, const rf_stored_finding *sf)
{
    csv *w = (csv *)r;
    static const rf_document none = {0};
    const rf_document *d = f->doc ? f->doc : &none;
    rf_buf *row = &w->row;
    rf_status st = w->header_done ? RF_OK : header(w);
    char *link = rf_report__patent_url(d);
    st = st ? st : field(row, f->fingerprint, false, true);
    st = st ? st : field(row, rf_severity_name(f->severity), false, false);
    st = st ? st : field(row, f->category, true, false);
    st = st ? st : field(row, f->rule_id, true, false);
    st = st ? st : field(row, f->title, true, false);
    st = st ? st : field(row, rf_report__status(sf), false, false);
    st = st ? st : field(row, sf ? sf->note : NULL, true, false);
    st = st ? st : field(row, d->id, true, false);
    st = st ? st : field(row, d->title, true, false);
    st = st ? st : field(row, d->kind, true, false);
    st = st ? st : field(row, d->path, true, false);
    st = st ? st : field(row, d->member, true, false);
    st = st ? st : field(row, f->section, true, false);
    st = st ? st : field(row, f->unit, true, false);
    st = st ? st : field(row, f->lang, true, false);
    st = st ? st : num(row, f->line);
    st = st ? st : num(row, f->column);
    st = st ? st : num(row, f->start);
    st = st ? st : num(row, f->end);
    st = st ? st : field(row, d->date_published, true, false);
    st = st ? st : field(row, d->date_filed, true, false);
    st = st ? st : joined(row, d->applicants, 0);
    st = st ? st : joined(row, d->classes, 0);
    st = st ? st : joined(row, f->terms, f->term_count);
    st = st ? st : field(row, f->snippet, true, false);
    st = st ? st : field(row, f->message, true, false);
    st = st ? st : field(row, f->regulation, true, false);
    st = st ? st : field(row, link, false, false);
    st = st ? st : rf_buf_puts(row, "\r\n");
    free(link);
    /* stream: a killed scan leaves every complete row */
    return st ? st : rf_report__flush(row, r->fp);
}

static void csv_diag(rf_report *r, const rf_diag *d)
{
    RF_UNUSED(r);
    RF_UNUSED(d);
}

static rf_status csv_end(rf_report *r, const rf_scan_summary *summary)
{
    RF_UNUSED(summary);
    csv *w = (csv *)r;
    rf_status st = w->header_done ? RF_OK : header(w);
    if (st == RF_OK && fflush(r->fp) != 0) {
        st = RF_EIO;
    }
    return st;
}

static void csv_free(rf_report *r)
{
    csv *w = (csv *)r;
    rf_buf_free(&w->row);
    free(w);
}

static const rf_report_ops csv_ops = {
    .begin = csv_begin,
    .rule = csv_rule,
    .finding = csv_finding,
    .diag = csv_diag,
    .end = csv_end,
    .free = csv_free,
};

rf_status rf_report__csv_new(rf_report **out, FILE *fp)
{
    csv *w = calloc(1, sizeof *w);
    if (w == NULL) {
        return RF_ENOMEM;
    }
    w->base.ops = &csv_ops;
    w->base.fp = fp;
    *out = &w->base;
    return RF_OK;
}
