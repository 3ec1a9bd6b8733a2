/*
 * html_parts.c - HTML pieces shared by the HTML report (html.c) and the
 * triage server (src/server/): the escaped, truncated label; the passage
 * with its matched terms in <mark>; definition-list rows; and the bar
 * charts drawn as inline SVG. Both write the same markup from the same
 * code so a fix to escaping or highlighting reaches both at once.
 *
 * Everything that comes from a document or a person goes through
 * rf_buf_html; labels and titles passed in as `const char *label`
 * parameters are ours (static strings) and written as they are.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define CHART_BARS 12

rf_status rf_report__html_esc(rf_buf *b, const char *s)
{
    return s ? rf_buf_html(b, s, strlen(s)) : RF_OK;
}

/* Up to @p max columns of s (CJK characters count two), escaped, with an
 * ellipsis if cut. */
rf_status rf_report__html_trunc(rf_buf *b, const char *s, size_t max)
{
    size_t len = strlen(s);
    size_t i = 0;
    size_t cols = 0;
    while (i < len) {
        int32_t cp;
        size_t n = rf_utf8_decode(s, len, i, &cp);
        size_t w = rf_utf8_is_cjk(cp) || (cp >= 0xFF00 && cp <= 0xFFEF) ? 2 : 1;
        if (cols + w > max) {
            break;
        }
        cols += w;
        i += n;
    }
    rf_status st = rf_buf_html(b, s, i);
    if (st == RF_OK && i < len) {
        st = rf_buf_puts(b, "\xE2\x80\xA6");
    }
    return st;
}

static int cmp_span(const void *a, const void *b)
{
    const rf_span *x = a;
    const rf_span *y = b;
    if (x->start != y->start) {
        return x->start < y->start ? -1 : 1;
    }
    return x->end < y->end ? 1 : (x->end > y->end ? -1 : 0);
}

/* The passage with each matched term in <mark>; overlapping marks are
 * merged so tags always nest. */
rf_status rf_report__html_snippet(rf_buf *b, const rf_finding *f)
{
    const char *s = f->snippet ? f->snippet : "";
    size_t len = strlen(s);
    rf_span *m = NULL;
    rf_status st = RF_OK;
    if (f->mark_count > 0) {
        m = malloc(f->mark_count * sizeof *m);
        if (m == NULL) {
            return RF_ENOMEM;
        }
        memcpy(m, f->marks, f->mark_count * sizeof *m);
        qsort(m, f->mark_count, sizeof *m, cmp_span);
    }
    size_t at = 0;
    for (size_t i = 0; st == RF_OK && i < f->mark_count; i++) {
        size_t a = m[i].start < at ? at : m[i].start;
        size_t e = m[i].end > len ? len : m[i].end;
        /* extend over following marks that overlap this one */
        while (i + 1 < f->mark_count && m[i + 1].start < e) {
            i++;
            if (m[i].end > e) {
                e = m[i].end > len ? len : m[i].end;
            }
        }
        if (a >= e) {
            continue;
        }
        st = rf_buf_html(b, s + at, a - at);
        st = st ? st : rf_buf_puts(b, "<mark>");
        st = st ? st : rf_buf_html(b, s + a, e - a);
        st = st ? st : rf_buf_puts(b, "</mark>");
        at = e;
    }
    st = st ? st : rf_buf_html(b, s + at, len - at);
    free(m);
    return st;
}

rf_status rf_report__html_dd_list(
    rf_buf *b, const char *label, const char *const *list, size_t max)
{
    if (list == NULL || list[0] == NULL) {
        return RF_OK;
    }
    rf_status st = rf_buf_printf(b, "<dt>%s</dt><dd>", label);
    size_t i = 0;
    for (; st == RF_OK && list[i] != NULL && i < max; i++) {
        st = i ? rf_buf_puts(b, "; ") : RF_OK;
        st = st ? st : rf_report__html_esc(b, list[i]);
    }
    size_t more = 0;
    while (list[i + more] != NULL) {
        more++;
    }
    if (st == RF_OK && more > 0) {
        st = rf_buf_printf(b, "; and %zu more", more);
    }
    return st ? st : rf_buf_puts(b, "</dd>");
}

rf_status rf_report__html_dd(rf_buf *b, const char *label, const char *value)
{
    if (value == NULL || *value == '\0') {
        return RF_OK;
    }
    rf_status st = rf_buf_printf(b, "<dt>%s</dt><dd>", label);
    st = st ? st : rf_report__html_esc(b, value);
    return st ? st : rf_buf_puts(b, "</dd>");
}

rf_status rf_report__html_chart(
    rf_buf *b,
    const char *title,
    const rf_chart_bar *v,
    size_t n,
    bool severity_colours)
{
    /* geometry, in SVG user units */
    const unsigned label_w = 200;
    const unsigned bar_w = 200;
    const unsigned row_h = 22;
    uint64_t other = 0;
    size_t shown = n > CHART_BARS ? CHART_BARS - 1 : n;
    for (size_t i = shown; i < n; i++) {
        other += v[i].n;
    }
    size_t rows = shown + (other > 0 ? 1 : 0);
    uint64_t max = other;
    for (size_t i = 0; i < shown; i++) {
        max = v[i].n > max ? v[i].n : max;
    }
    unsigned height = (unsigned)(rows ? rows : 1) * row_h + 8;
    rf_status st = rf_buf_printf(
        b,
        "<figure class=\"chart\"><figcaption>%s</figcaption>\n"
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %u %u\" "
        "width=\"%u\" height=\"%u\" role=\"img\" aria-label=\"%s\">"
        "<title>%s</title>\n",
        title, label_w + bar_w + 60, height, label_w + bar_w + 60, height,
        title, title);
    if (st == RF_OK && rows == 0) {
        st = rf_buf_puts(
            b, "<text x=\"0\" y=\"16\" class=\"lbl\">no data"
               "</text>\n");
    }
    for (size_t i = 0; st == RF_OK && i < rows; i++) {
        const char *label = i < shown ? v[i].label : "other";
        uint64_t count = i < shown ? v[i].n : other;
        unsigned y = (unsigned)i * row_h + 4;
        unsigned w = max ? (unsigned)((count * bar_w + max - 1) / max) : 0;
        st = rf_buf_printf(
            b,
            "<text x=\"%u\" y=\"%u\" class=\"lbl\" "
            "text-anchor=\"end\">",
            label_w - 6, y + 13);
        st = st ? st : rf_report__html_trunc(b, label, 25);
        st = st ? st : rf_buf_puts(b, "<title>");
        st = st ? st : rf_report__html_esc(b, label);
        st = st ? st : rf_buf_puts(b, "</title></text>");
        if (st == RF_OK && severity_colours) {
            st = rf_buf_printf(
                b,
                "<rect x=\"%u\" y=\"%u\" width=\"%u\" "
                "height=\"16\" class=\"bar sev-%s\"/>",
                label_w, y, w, label);
        } else if (st == RF_OK) {
            st = rf_buf_printf(
                b,
                "<rect x=\"%u\" y=\"%u\" width=\"%u\" "
                "height=\"16\" class=\"bar\"/>",
                label_w, y, w);
        }
        st = st ? st
                : rf_buf_printf(
                      b,
                      "<text x=\"%u\" y=\"%u\" class=\"num\">"
                      "%llu</text>\n",
                      label_w + w + 6, y + 13, (unsigned long long)count);
    }
    return st ? st : rf_buf_puts(b, "</svg></figure>\n");
}

rf_status rf_report__html_where(rf_buf *b, const rf_finding *f)
{
    rf_status st = rf_buf_puts(b, "<dt>Where</dt><dd>");
    st = st ? st : rf_buf_html(b, f->section, strlen(f->section));
    if (st == RF_OK && f->unit != NULL && *f->unit != '\0') {
        st = rf_buf_puts(b, ", ");
        st = st ? st : rf_buf_html(b, f->unit, strlen(f->unit));
    }
    if (st == RF_OK && f->line > 0) {
        st = rf_buf_printf(
            b, "; line %llu, column %llu", (unsigned long long)f->line,
            (unsigned long long)f->column);
    }
    st = st ? st
            : rf_buf_printf(
                  b, "; bytes %llu&ndash;%llu</dd>",
                  (unsigned long long)f->start, (unsigned long long)f->end);
    st = st ? st : rf_report__html_dd(b, "Language", f->lang);
    if (st == RF_OK && f->term_count > 0) {
        st = rf_buf_puts(b, "<dt>Matched</dt><dd>");
        for (size_t i = 0; st == RF_OK && i < f->term_count; i++) {
            st = i ? rf_buf_puts(b, ", ") : RF_OK;
            st = st ? st : rf_buf_puts(b, "<q>");
            st = st ? st : rf_buf_html(b, f->terms[i], strlen(f->terms[i]));
            st = st ? st : rf_buf_puts(b, "</q>");
        }
        st = st ? st : rf_buf_puts(b, "</dd>");
    }
    return st;
}

rf_status rf_report__html_doc_rows(
    rf_buf *b,
    const rf_document *d,
    size_t max_people,
    size_t max_classes,
    bool with_format)
{
    rf_status st =
        rf_report__html_dd_list(b, "Applicants", d->applicants, max_people);
    st = st ? st
            : rf_report__html_dd_list(b, "Inventors", d->inventors, max_people);
    st = st ? st : rf_report__html_dd(b, "Published", d->date_published);
    st = st ? st : rf_report__html_dd(b, "Filed", d->date_filed);
    st = st ? st : rf_report__html_dd(b, "Priority", d->date_priority);
    st = st ? st : rf_report__html_dd(b, "Kind", d->kind);
    st = st ? st
            : rf_report__html_dd_list(b, "Classes", d->classes, max_classes);
    st = st ? st : rf_report__html_dd(b, "Family", d->family_id);
    st = st ? st : rf_report__html_dd(b, "Language", d->lang);
    st = st ? st : rf_buf_puts(b, "<dt>Source</dt><dd><code>");
    st = st ? st : rf_report__html_esc(b, d->path);
    if (st == RF_OK && d->member != NULL && *d->member != '\0') {
        st = rf_buf_puts(b, "!/");
        st = st ? st : rf_report__html_esc(b, d->member);
    }
    st = st ? st : rf_buf_puts(b, "</code>");
    if (st == RF_OK && with_format && d->format != NULL && *d->format != '\0') {
        st = rf_buf_puts(b, " (");
        st = st ? st : rf_report__html_esc(b, d->format);
        st = st ? st : rf_buf_putc(b, ')');
    }
    return st ? st : rf_buf_puts(b, "</dd>");
}

rf_status rf_report__html_passage(rf_buf *b, const rf_finding *f)
{
    rf_status st = RF_OK;
    if (f->lang != NULL && *f->lang != '\0') {
        st = rf_buf_puts(b, " lang=\"");
        st = st ? st : rf_report__html_esc(b, f->lang);
        st = st ? st : rf_buf_putc(b, '"');
    }
    st = st ? st : rf_buf_putc(b, '>');
    st = st ? st : rf_report__html_snippet(b, f);
    return st ? st : rf_buf_puts(b, "</p>\n<dl class=\"meta\">");
}
