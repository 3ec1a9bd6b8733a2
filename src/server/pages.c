/*
 * pages.c - the triage pages, rendered on the server.
 *
 * Rendering here rather than in the browser keeps one escaper for all
 * document text (rf_buf_html, through the report's html_parts.c, the same
 * code that writes the HTML report), keeps the pages readable without
 * script, and leaves the script (assets.c) only keyboard navigation and
 * review clicks, which it shows with textContent.
 *
 * Links carry the list's filter, sort and position, so the finding view
 * can offer "previous" and "next" in the same queue (j/k) and "back"
 * returns to the same page of the list.
 */
#include <stdlib.h>
#include <string.h>

#include "server.h"

/* Percent-encode a query value (RFC 3986 unreserved characters stay). */
static rf_status url_enc(rf_buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    rf_status st = RF_OK;
    for (; st == RF_OK && *s; s++) {
        unsigned char c = (unsigned char)*s;
        bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                    c == '.' || c == '~';
        if (keep) {
            st = rf_buf_putc(b, (char)c);
        } else {
            char e[4] = {'%', hex[c >> 4], hex[c & 15], '\0'};
            st = rf_buf_puts(b, e);
        }
    }
    return st;
}

static rf_status qs_pair(rf_buf *b, const char *k, const char *v)
{
    if (v == NULL || *v == '\0') {
        return RF_OK;
    }
    /* "&amp;" because the query string goes into an HTML attribute */
    rf_status st = rf_buf_printf(b, "%s%s=", b->len ? "&amp;" : "", k);
    return st ? st : url_enc(b, v);
}

/* The list's filter as a query string (HTML-attribute safe), without
 * page; sort given separately so headers can flip it. */
static rf_status
list_qs(rf_buf *b, const rf_list_params *lp, const char *sort, bool desc)
{
    const rf_store_filter *f = &lp->flt;
    rf_status st = qs_pair(b, "severity", lp->severity);
    st = st ? st : qs_pair(b, "trait", f->category);
    st = st ? st : qs_pair(b, "rule", f->rule_id);
    st = st ? st : qs_pair(b, "lang", f->lang);
    st = st ? st : qs_pair(b, "status", lp->status);
    st = st ? st : qs_pair(b, "applicant", f->applicant);
    st = st ? st : qs_pair(b, "since", f->since);
    st = st ? st : qs_pair(b, "until", f->until);
    st = st ? st : qs_pair(b, "q", f->text);
    st = st ? st : qs_pair(b, "sort", sort);
    if (st == RF_OK && sort != NULL) {
        st = qs_pair(b, "dir", desc ? "desc" : "asc");
    }
    if (st == RF_OK && lp->per != RF_SERVER_PER_DEFAULT) {
        st = rf_buf_printf(
            b, "%sper=%llu", b->len ? "&amp;" : "",
            (unsigned long long)lp->per);
    }
    return st;
}

static rf_status
head(rf_buf *b, const rf_http_req *rq, const char *title, const char *view)
{
    rf_status st = rf_buf_puts(
        b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
           "charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, "
           "initial-scale=1\">\n"
           "<meta name=\"referrer\" content=\"no-referrer\">\n"
           "<meta name=\"rf-csrf\" content=\"");
    st = st ? st : rf_report__html_esc(b, rq->csrf ? rq->csrf : "");
    st = st ? st : rf_buf_puts(b, "\">\n<title>");
    st = st ? st : rf_report__html_esc(b, title);
    st =
        st ? st
           : rf_buf_printf(
                 b,
                 " \xE2\x80\x94 redflag</title>\n"
                 "<link rel=\"stylesheet\" href=\"/static/app.css\">\n"
                 "<script src=\"/static/app.js\" defer></script>\n"
                 "</head>\n<body data-view=\"%s\">\n"
                 "<header class=\"top\"><a class=\"brand\" "
                 "href=\"/\">redflag</a>"
                 "<nav><a href=\"/\"%s>Findings</a> <a href=\"/summary\"%s>"
                 "Summary</a></nav>"
                 "<span class=\"keys\"><kbd>j</kbd>/<kbd>k</kbd> next/previous "
                 "\xC2\xB7 <kbd>Enter</kbd> open \xC2\xB7 <kbd>c</kbd> confirm "
                 "\xC2\xB7 <kbd>f</kbd> false positive \xC2\xB7 <kbd>n</kbd> "
                 "needs review \xC2\xB7 <kbd>u</kbd> back</span>"
                 "</header>\n<main>\n",
                 view, strcmp(view, "summary") ? " class=\"here\"" : "",
                 strcmp(view, "summary") ? "" : " class=\"here\"");
    return st;
}

static rf_status foot(rf_buf *b)
{
    return rf_buf_puts(
        b,
        "</main>\n<footer>redflag " RF_VERSION_STRING
        " \xC2\xB7 local triage server \xC2\xB7 each finding is a passage to "
        "read in context, not a verdict</footer>\n</body>\n</html>\n");
}

static void html_resp(rf_http_resp *rs, unsigned code)
{
    rs->code = code;
    rs->type = "text/html; charset=utf-8";
}

rf_status
rf_server__page_error(rf_http_resp *rs, unsigned code, const char *msg)
{
    html_resp(rs, code);
    rf_buf_reset(&rs->body);
    rf_status st = rf_buf_printf(
        &rs->body,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<title>%u \xE2\x80\x94 redflag</title>"
        "<link rel=\"stylesheet\" href=\"/static/app.css\"></head><body>"
        "<main><h1>%u</h1><p>",
        code, code);
    st = st ? st : rf_report__html_esc(&rs->body, msg);
    return st ? st
              : rf_buf_puts(
                    &rs->body, "</p><p><a href=\"/\">All "
                               "findings</a></p></main></body></html>\n");
}

static rf_status badge_sev(rf_buf *b, rf_severity s)
{
    const char *n = rf_severity_name(s);
    return rf_buf_printf(b, "<span class=\"sev sev-%s\">%s</span>", n, n);
}

static rf_status
badge_status(rf_buf *b, const rf_stored_finding *sf, const char *id)
{
    const char *n = rf_review_status_name(sf->status);
    return rf_buf_printf(
        b, "<span class=\"st st-%s\" data-role=\"status\"%s%s%s>%s</span>", n,
        id ? " id=\"" : "", id ? id : "", id ? "\"" : "", n);
}

static const char *doc_label(const rf_document *d)
{
    return d->id && *d->id ? d->id : d->path;
}

/* ---------------- list ---------------- */

typedef struct list_ctx {
    rf_buf *b;
    const rf_list_params *lp;
    const char *qs;
    uint64_t index; /* absolute position in the filtered list */
    rf_status st;
} list_ctx;

static int list_row(const rf_stored_finding *sf, void *payload)
{
    list_ctx *c = payload;
    rf_buf *b = c->b;
    const rf_finding *f = sf->finding;
    const rf_document *d = f->doc;
    rf_status st = rf_buf_puts(b, "<tr data-fp=\"");
    st = st ? st : rf_report__html_esc(b, f->fingerprint);
    st = st ? st : rf_buf_puts(b, "\" data-href=\"/finding/");
    st = st ? st : rf_report__html_esc(b, f->fingerprint);
    st = st ? st
            : rf_buf_printf(
                  b, "?%s%si=%llu\"", c->qs, *c->qs ? "&amp;" : "",
                  (unsigned long long)c->index);
    st = st ? st
            : rf_buf_puts(
                  b, sf->suppressed ? " class=\"suppressed\"><td>" : "><td>");
    st = st ? st : badge_sev(b, f->severity);
    st = st ? st : rf_buf_puts(b, "</td><td>");
    st = st ? st : badge_status(b, sf, NULL);
    st =
        st ? st : rf_buf_puts(b, "</td><td><a class=\"open\" href=\"/finding/");
    st = st ? st : rf_report__html_esc(b, f->fingerprint);
    st = st ? st
            : rf_buf_printf(
                  b, "?%s%si=%llu\">", c->qs, *c->qs ? "&amp;" : "",
                  (unsigned long long)c->index);
    st = st ? st : rf_report__html_trunc(b, doc_label(d), 36);
    st = st ? st : rf_buf_puts(b, "</a></td><td><div class=\"rt\">");
    st = st ? st
            : rf_report__html_esc(
                  b, f->title && *f->title ? f->title : f->rule_id);
    st = st ? st : rf_buf_puts(b, "</div><div class=\"ex\">");
    st = st ? st : rf_report__html_trunc(b, f->snippet ? f->snippet : "", 160);
    st = st ? st : rf_buf_puts(b, "</div></td><td>");
    st = st ? st : rf_report__html_esc(b, f->category);
    st = st ? st : rf_buf_puts(b, "</td><td>");
    st = st ? st
            : rf_report__html_esc(b, f->lang && *f->lang ? f->lang : d->lang);
    st = st ? st : rf_buf_puts(b, "</td><td>");
    st = st ? st
            : rf_report__html_esc(
                  b, d->date_published && *d->date_published ? d->date_published
                                                             : d->date_filed);
    st = st ? st : rf_buf_puts(b, "</td><td>");
    if (st == RF_OK && d->applicants != NULL && d->applicants[0] != NULL) {
        st = rf_report__html_trunc(b, d->applicants[0], 30);
    }
    st = st ? st : rf_buf_puts(b, "</td></tr>\n");
    c->index++;
    c->st = st;
    return st != RF_OK;
}

static rf_status
option(rf_buf *b, const char *value, const char *label, const char *cur)
{
    rf_status st = rf_buf_puts(b, "<option value=\"");
    st = st ? st : rf_report__html_esc(b, value);
    st = st ? st : rf_buf_putc(b, '"');
    if (st == RF_OK && cur != NULL && strcmp(cur, value) == 0) {
        st = rf_buf_puts(b, " selected");
    }
    st = st ? st : rf_buf_putc(b, '>');
    st = st ? st : rf_report__html_esc(b, label);
    return st ? st : rf_buf_puts(b, "</option>");
}

static rf_status input(
    rf_buf *b,
    const char *name,
    const char *label,
    const char *value,
    const char *ph)
{
    rf_status st = rf_buf_printf(
        b,
        "<label>%s <input type=\"text\" name=\"%s\" placeholder=\"%s\" "
        "value=\"",
        label, name, ph);
    st = st ? st : rf_report__html_esc(b, value ? value : "");
    return st ? st : rf_buf_puts(b, "\"></label>\n");
}

static rf_status
filter_form(rf_buf *b, rf_server *srv, const rf_list_params *lp)
{
    const rf_store_filter *f = &lp->flt;
    rf_status st = rf_buf_puts(
        b,
        "<form class=\"filters\" method=\"get\" action=\"/\" id=\"filters\">\n"
        "<label>Severity <select name=\"severity\"><option "
        "value=\"\">any</option>");
    for (int s = RF_SEV_CRITICAL; st == RF_OK && s >= RF_SEV_INFO; s--) {
        const char *n = rf_severity_name((rf_severity)s);
        char label[32];
        snprintf(
            label, sizeof label, "%s%s", n,
            s == RF_SEV_CRITICAL ? "" : " and up");
        st = option(b, n, label, lp->severity);
    }
    st = st ? st
            : rf_buf_puts(
                  b, "</select></label>\n<label>Trait <select "
                     "name=\"trait\"><option value=\"\">any</option>");
    rf_strvec traits = {0};
    if (st == RF_OK) {
        st = rf_server__traits(&traits, srv);
    }
    for (size_t i = 0; st == RF_OK && i < traits.n; i++) {
        st = option(b, traits.v[i], traits.v[i], f->category);
    }
    rf_strvec_free(&traits);
    st = st ? st
            : rf_buf_puts(
                  b, "</select></label>\n<label>Status <select "
                     "name=\"status\"><option value=\"\">open (any)</option>");
    for (int s = RF_REVIEW_NEW; st == RF_OK && s <= RF_REVIEW_RESOLVED; s++) {
        const char *n = rf_review_status_name((rf_review_status)s);
        st = option(b, n, n, lp->status);
    }
    st = st ? st : rf_buf_puts(b, "</select></label>\n");
    st = st ? st : input(b, "lang", "Language", f->lang, "en, zh");
    st = st ? st
            : input(b, "applicant", "Applicant", f->applicant, "name contains");
    st = st ? st : input(b, "since", "From", f->since, "yyyy[-mm[-dd]]");
    st = st ? st : input(b, "until", "To", f->until, "yyyy[-mm[-dd]]");
    st = st ? st : input(b, "q", "Text", f->text, "in passage or title");
    st = st ? st
            : rf_buf_puts(
                  b, "<label>Sort <select name=\"sort\"><option "
                     "value=\"\">document</option>");
    static const char *const sorts[] = {"severity", "status", "rule",
                                        "trait",    "lang",   "date"};
    for (size_t i = 0; st == RF_OK && i < sizeof sorts / sizeof sorts[0]; i++) {
        st = option(b, sorts[i], sorts[i], lp->sort);
    }
    st = st ? st
            : rf_buf_puts(
                  b, "</select></label>\n<label>Order <select name=\"dir\">");
    st = st ? st : option(b, "asc", "ascending", lp->desc ? "" : "asc");
    st = st ? st : option(b, "desc", "descending", lp->desc ? "desc" : "");
    st = st ? st
            : rf_buf_puts(
                  b, "</select></label>\n<button type=\"submit\" "
                     "id=\"apply\">Filter</button> "
                     "<a href=\"/\">Clear</a>\n</form>\n");
    return st;
}

static rf_status sort_header(
    rf_buf *b, const rf_list_params *lp, const char *key, const char *label)
{
    bool cur = lp->sort != NULL && strcmp(lp->sort, key) == 0;
    bool desc = cur ? !lp->desc : strcmp(key, "severity") == 0;
    rf_buf qs = {0};
    rf_status st = list_qs(&qs, lp, key, desc);
    st = st ? st
            : rf_buf_printf(
                  b, "<th><a href=\"/?%s\">%s%s</a></th>",
                  qs.data ? qs.data : "", label,
                  cur ? (lp->desc ? " \xE2\x96\xBE" : " \xE2\x96\xB4") : "");
    rf_buf_free(&qs);
    return st;
}

rf_status
rf_server__page_list(rf_server *srv, const rf_http_req *rq, rf_http_resp *rs)
{
    rf_list_params lp;
    rf_server__list_params(&lp, rq);
    rf_buf *b = &rs->body;
    rf_buf qs = {0};
    uint64_t total = 0;
    const char *err = lp.error;
    rf_status st = RF_OK;
    if (err == NULL) {
        rf_status cs = rf_store_count(&total, srv->st, &lp.flt);
        if (cs == RF_EINVAL) {
            err = rf_store_errmsg(srv->st);
        } else if (cs != RF_OK) {
            return cs;
        }
    }
    html_resp(rs, err ? 400 : 200);
    st = head(b, rq, "Findings", "list");
    st = st ? st : filter_form(b, srv, &lp);
    st = st ? st : list_qs(&qs, &lp, lp.sort, lp.desc);
    const char *q = qs.data ? qs.data : "";
    if (st == RF_OK && err != NULL) {
        st = rf_buf_puts(b, "<p class=\"error\" role=\"alert\">");
        st = st ? st : rf_report__html_esc(b, err);
        st = st ? st : rf_buf_puts(b, "</p>\n");
    }
    uint64_t first = total ? lp.flt.offset + 1 : 0;
    uint64_t last =
        lp.flt.offset + lp.per < total ? lp.flt.offset + lp.per : total;
    uint64_t pages = total ? (total + lp.per - 1) / lp.per : 1;
    if (st == RF_OK && err == NULL) {
        st = rf_buf_printf(
            b,
            "<p class=\"count\" id=\"count\"><strong "
            "id=\"total\">%llu</strong> "
            "finding%s; showing %llu\xE2\x80\x93%llu (page %llu of %llu)</p>\n",
            (unsigned long long)total, total == 1 ? "" : "s",
            (unsigned long long)first, (unsigned long long)last,
            (unsigned long long)lp.page, (unsigned long long)pages);
        st = st ? st
                : rf_buf_puts(
                      b, "<table class=\"list\" id=\"findings\"><thead><tr>");
        st = st ? st : sort_header(b, &lp, "severity", "Severity");
        st = st ? st : sort_header(b, &lp, "status", "Status");
        st = st ? st : sort_header(b, &lp, "document", "Document");
        st = st ? st : sort_header(b, &lp, "rule", "Finding");
        st = st ? st : sort_header(b, &lp, "trait", "Trait");
        st = st ? st : sort_header(b, &lp, "lang", "Lang");
        st = st ? st : sort_header(b, &lp, "date", "Date");
        st = st ? st
                : rf_buf_puts(b, "<th>Applicant</th></tr></thead>\n<tbody>\n");
        list_ctx c = {.b = b, .lp = &lp, .qs = q, .index = lp.flt.offset};
        if (st == RF_OK) {
            rf_status qst = rf_store__query_ordered(
                srv->st, &lp.flt, NULL, rf_server__order_sql(&lp), list_row,
                &c);
            st = qst == RF_EUSER ? c.st : qst;
        }
        if (st == RF_OK && total == 0) {
            st = rf_buf_puts(
                b, "<tr><td colspan=\"8\" class=\"empty\">No findings "
                   "match.</td></tr>\n");
        }
        st =
            st ? st : rf_buf_puts(b, "</tbody></table>\n<nav class=\"pager\">");
        if (st == RF_OK && lp.page > 1) {
            st = rf_buf_printf(
                b,
                "<a rel=\"prev\" id=\"prev-page\" "
                "href=\"/?%s%spage=%llu\">\xE2\x86\x90 previous</a> ",
                q, *q ? "&amp;" : "", (unsigned long long)(lp.page - 1));
        }
        if (st == RF_OK && lp.page < pages) {
            st = rf_buf_printf(
                b,
                "<a rel=\"next\" id=\"next-page\" "
                "href=\"/?%s%spage=%llu\">next \xE2\x86\x92</a>",
                q, *q ? "&amp;" : "", (unsigned long long)lp.page + 1);
        }
        st = st ? st : rf_buf_puts(b, "</nav>\n");
    }
    st = st ? st
            : rf_buf_puts(
                  b, "<p id=\"msg\" class=\"msg\" role=\"status\" "
                     "aria-live=\"polite\"></p>\n");
    st = st ? st : foot(b);
    rf_buf_free(&qs);
    return st;
}

/* ---------------- one finding ---------------- */

typedef struct one_ctx {
    rf_buf *b;
    const rf_http_req *rq;
    const char *qs;
    const char *index; /* "i" as given, or NULL */
    rf_status st;
    int found;
    char fp[130];
} one_ctx;

static rf_status finding_body(one_ctx *c, const rf_stored_finding *sf)
{
    rf_buf *b = c->b;
    const rf_finding *f = sf->finding;
    const rf_document *d = f->doc;
    rf_status st =
        rf_buf_puts(b, "<article class=\"finding\" id=\"finding\" data-fp=\"");
    st = st ? st : rf_report__html_esc(b, f->fingerprint);
    st = st ? st
            : rf_buf_printf(
                  b, "\" data-review=\"%s\">\n<h1>",
                  rf_review_status_name(sf->review));
    st = st ? st : badge_sev(b, f->severity);
    st = st ? st : rf_buf_putc(b, ' ');
    st = st ? st : badge_status(b, sf, "status");
    st = st ? st : rf_buf_puts(b, " <span class=\"ftitle\">");
    st = st ? st
            : rf_report__html_esc(
                  b, f->title && *f->title ? f->title : f->rule_id);
    st = st ? st
            : rf_buf_puts(
                  b, "</span></h1>\n<div class=\"actions\" id=\"actions\">"
                     "<button type=\"button\" data-status=\"confirmed\" "
                     "id=\"btn-confirm\">Confirm <kbd>c</kbd></button> "
                     "<button type=\"button\" data-status=\"false-positive\" "
                     "id=\"btn-fp\">False positive <kbd>f</kbd></button> "
                     "<button type=\"button\" data-status=\"needs-review\" "
                     "id=\"btn-review\">Needs review <kbd>n</kbd></button> "
                     "<button type=\"button\" data-status=\"new\" "
                     "id=\"btn-reopen\">Reopen</button>"
                     "<label class=\"note\">Note <textarea id=\"note\" "
                     "rows=\"2\" maxlength=\"4000\">");
    st = st ? st : rf_report__html_esc(b, sf->note);
    st = st ? st
            : rf_buf_puts(
                  b, "</textarea></label> <button type=\"button\" "
                     "id=\"save-note\">Save note</button>"
                     "<p id=\"msg\" class=\"msg\" role=\"status\" "
                     "aria-live=\"polite\"></p></div>\n"
                     "<h2>Passage</h2>\n<p class=\"snip\" id=\"snippet\"");
    st = st ? st : rf_report__html_passage(b, f);
    st = st ? st : rf_report__html_dd(b, "Rule", f->rule_id);
    st = st ? st : rf_report__html_dd(b, "Regulation", f->regulation);
    st = st ? st : rf_report__html_dd(b, "Message", f->message);
    st = st ? st : rf_report__html_dd(b, "Trait", f->category);
    st = st ? st : rf_report__html_where(b, f);
    st = st ? st : rf_report__html_dd(b, "Reviewed", sf->reviewed_at);
    st = st ? st
            : rf_buf_printf(
                  b, "<dt>Seen</dt><dd>scans %lld\xE2\x80\x93%lld",
                  (long long)sf->first_scan, (long long)sf->last_scan);
    if (st == RF_OK && sf->resolved_scan > 0) {
        st = rf_buf_printf(
            b, "; resolved by scan %lld", (long long)sf->resolved_scan);
    }
    st = st ? st : rf_buf_puts(b, "</dd><dt>Fingerprint</dt><dd><code>");
    st = st ? st : rf_report__html_esc(b, f->fingerprint);
    st = st ? st
            : rf_buf_puts(
                  b, "</code></dd></dl>\n</article>\n<section class=\"doc\" "
                     "id=\"document\">\n<h2>");
    char *url = rf_report__patent_url(d);
    if (st == RF_OK && url != NULL) {
        st = rf_buf_puts(b, "<a id=\"public-record\" href=\"");
        st = st ? st : rf_report__html_esc(b, url);
        st = st ? st
                : rf_buf_puts(
                      b, "\" rel=\"noopener noreferrer\" target=\"_blank\">");
        st = st ? st : rf_report__html_esc(b, d->id);
        st = st ? st : rf_buf_puts(b, "</a>");
    } else if (st == RF_OK) {
        st = rf_buf_puts(b, "<span class=\"docid\">");
        st = st ? st : rf_report__html_esc(b, doc_label(d));
        st = st ? st : rf_buf_puts(b, "</span>");
    }
    free(url);
    if (st == RF_OK && d->title != NULL && *d->title != '\0') {
        st = rf_buf_puts(b, " <span class=\"title\">");
        st = st ? st : rf_report__html_esc(b, d->title);
        st = st ? st : rf_buf_puts(b, "</span>");
    }
    st = st ? st : rf_buf_puts(b, "</h2>\n<dl class=\"meta\">");
    st = st ? st : rf_report__html_dd(b, "Publication", d->id);
    st = st ? st : rf_report__html_doc_rows(b, d, 20, 30, false);
    return st ? st : rf_buf_puts(b, "</dl>\n");
}

static int one_row(const rf_stored_finding *sf, void *payload)
{
    one_ctx *c = payload;
    c->found++;
    if (c->found > 1) {
        return 1; /* an ambiguous prefix: say so rather than guess */
    }
    snprintf(c->fp, sizeof c->fp, "%s", sf->finding->fingerprint);
    c->st = finding_body(c, sf);
    return c->st != RF_OK;
}

typedef struct nb_ctx {
    rf_buf *b;
    const char *self;
    const char *qs;
    size_t n;
    rf_status st;
} nb_ctx;

static int nb_row(const rf_stored_finding *sf, void *payload)
{
    nb_ctx *c = payload;
    rf_buf *b = c->b;
    const rf_finding *f = sf->finding;
    bool self = strcmp(f->fingerprint, c->self) == 0;
    rf_status st =
        rf_buf_puts(b, self ? "<tr class=\"self\"><td>" : "<tr><td>");
    st = st ? st : badge_sev(b, f->severity);
    st = st ? st : rf_buf_puts(b, "</td><td>");
    st = st ? st : badge_status(b, sf, NULL);
    st = st ? st : rf_buf_puts(b, "</td><td><a href=\"/finding/");
    st = st ? st : rf_report__html_esc(b, f->fingerprint);
    st = st ? st : rf_buf_printf(b, "%s%s\">", *c->qs ? "?" : "", c->qs);
    st = st ? st
            : rf_report__html_esc(
                  b, f->title && *f->title ? f->title : f->rule_id);
    st = st ? st : rf_buf_puts(b, "</a></td><td>");
    st = st ? st : rf_report__html_esc(b, f->section);
    st = st ? st : rf_buf_puts(b, "</td><td class=\"ex\">");
    st = st ? st : rf_report__html_trunc(b, f->snippet ? f->snippet : "", 120);
    st = st ? st : rf_buf_puts(b, "</td></tr>\n");
    c->n++;
    c->st = st;
    return st != RF_OK;
}

/* prev/next in the list the user came from: the findings at positions
 * i-1 and i+1 under the same filter and sort */
typedef struct pos_ctx {
    uint64_t at;
    uint64_t want;
    char fp[3][130];
    bool have[3];
} pos_ctx;

static int pos_row(const rf_stored_finding *sf, void *payload)
{
    pos_ctx *c = payload;
    /* rows start at want-1 (or 0 when want is 0): slot 1 is "this" */
    uint64_t k = c->at + 1 - c->want;
    if (k < 3) {
        snprintf(c->fp[k], sizeof c->fp[k], "%s", sf->finding->fingerprint);
        c->have[k] = true;
    }
    c->at++;
    return 0;
}

rf_status rf_server__page_finding(
    rf_server *srv, const rf_http_req *rq, const char *fp, rf_http_resp *rs)
{
    if (!rf_server__valid_fp(fp)) {
        return rf_server__page_error(rs, 404, "No such finding.");
    }
    rf_list_params lp;
    rf_server__list_params(&lp, rq);
    rf_buf qs = {0};
    rf_buf page = {0};
    rf_status st = list_qs(&qs, &lp, lp.sort, lp.desc);
    const char *q = qs.data ? qs.data : "";
    rf_store_filter flt;
    rf_store_filter_init(&flt);
    flt.fingerprint = fp;
    flt.include_resolved = true;
    flt.limit = 2;
    one_ctx c = {.b = &page, .rq = rq, .qs = q};
    if (st == RF_OK) {
        rf_status qst = rf_store_query(srv->st, &flt, one_row, &c);
        st = qst == RF_EUSER ? c.st : qst;
    }
    if (st != RF_OK || c.found != 1) {
        rf_buf_free(&qs);
        rf_buf_free(&page);
        return st != RF_OK
                   ? st
                   : rf_server__page_error(
                         rs, 404,
                         c.found ? "That prefix matches several findings."
                                 : "No such finding.");
    }
    /* queue position */
    pos_ctx pc = {0};
    const char *istr = rq->arg(rq->ctx, "i");
    bool queued = false;
    if (istr != NULL && lp.error == NULL) {
        char *end = NULL;
        unsigned long long i = strtoull(istr, &end, 10);
        if (*istr != '\0' && *end == '\0') {
            pc.want = i;
            pc.at = i > 0 ? i - 1 : 0;
            lp.flt.offset = pc.at;
            lp.flt.limit = i > 0 ? 3 : 2;
            if (rf_store__query_ordered(
                    srv->st, &lp.flt, NULL, rf_server__order_sql(&lp), pos_row,
                    &pc) == RF_OK &&
                pc.have[1] && strcmp(pc.fp[1], c.fp) == 0) {
                queued = true;
            }
        }
    }
    rf_buf *b = &rs->body;
    html_resp(rs, 200);
    st = head(b, rq, "Finding", "finding");
    st = st ? st
            : rf_buf_printf(
                  b,
                  "<nav class=\"queue\"><a id=\"back\" "
                  "href=\"/?%s%spage=%llu\">\xE2\x86\x90 list</a>",
                  q, *q ? "&amp;" : "",
                  (unsigned long long)(queued ? pc.want / lp.per + 1 : 1));
    if (st == RF_OK && queued && pc.have[0] && pc.want > 0) {
        st = rf_buf_printf(
            b,
            " <a id=\"prev\" rel=\"prev\" "
            "href=\"/finding/%s?%s%si=%llu\">previous <kbd>k</kbd></a>",
            pc.fp[0], q, *q ? "&amp;" : "", (unsigned long long)(pc.want - 1));
    }
    if (st == RF_OK && queued && pc.have[2]) {
        st = rf_buf_printf(
            b,
            " <a id=\"next\" rel=\"next\" href=\"/finding/%s?%s%si=%llu\">next "
            "<kbd>j</kbd></a>",
            pc.fp[2], q, *q ? "&amp;" : "", (unsigned long long)pc.want + 1);
    }
    st = st ? st : rf_buf_puts(b, "</nav>\n");
    st = st ? st : rf_buf_append(b, page.data, page.len);
    /* neighbours: the other findings of the same document (the fingerprint
     * was checked to be hex, so it can sit in the SQL text) */
    if (st == RF_OK && rf_server__valid_fp(c.fp)) {
        char where[256];
        snprintf(
            where, sizeof where,
            "f.document_id = (SELECT document_id FROM findings WHERE "
            "fingerprint = '%s')",
            c.fp);
        rf_store_filter nf;
        rf_store_filter_init(&nf);
        nf.include_resolved = true;
        nf.limit = 100;
        st = rf_buf_puts(
            b, "<h2>Findings in this document</h2>\n<table class=\"list\" "
               "id=\"neighbours\"><tbody>\n");
        nb_ctx nc = {.b = b, .self = c.fp, .qs = ""};
        if (st == RF_OK) {
            rf_status qst = rf_store__query(srv->st, &nf, where, nb_row, &nc);
            st = qst == RF_EUSER ? nc.st : qst;
        }
        st = st ? st : rf_buf_puts(b, "</tbody></table>\n");
    }
    st = st ? st : rf_buf_puts(b, "</section>\n");
    st = st ? st : foot(b);
    rf_buf_free(&qs);
    rf_buf_free(&page);
    return st;
}

/* ---------------- summary ---------------- */

static rf_status card(rf_buf *b, const char *label, uint64_t n)
{
    return rf_buf_printf(
        b, "<div class=\"card\"><span class=\"n\">%llu</span>%s</div>",
        (unsigned long long)n, label);
}

rf_status
rf_server__page_summary(rf_server *srv, const rf_http_req *rq, rf_http_resp *rs)
{
    rf_summary sum;
    rf_status st = rf_server__summary(&sum, srv);
    if (st != RF_OK) {
        rf_server__summary_free(&sum);
        return st;
    }
    rf_buf *b = &rs->body;
    html_resp(rs, 200);
    st = head(b, rq, "Summary", "summary");
    st = st ? st
            : rf_buf_puts(
                  b, "<h1>Summary</h1>\n<p class=\"lead\">Open findings in the "
                     "store "
                     "(resolved ones are counted only under their "
                     "status).</p>\n<div class=\"cards\">");
    st = st ? st : card(b, "findings", sum.findings);
    st = st ? st : card(b, "documents with findings", sum.documents);
    for (int s = RF_SEV_CRITICAL; st == RF_OK && s >= RF_SEV_INFO; s--) {
        st = card(b, rf_severity_name((rf_severity)s), sum.by_sev[s]);
    }
    st = st ? st : rf_buf_puts(b, "</div>\n<div class=\"cards\">");
    for (int s = RF_REVIEW_NEW; st == RF_OK && s <= RF_REVIEW_RESOLVED; s++) {
        st = card(
            b, rf_review_status_name((rf_review_status)s), sum.by_status[s]);
    }
    st = st ? st
            : rf_buf_puts(b, "</div>\n<div class=\"charts\" id=\"charts\">\n");
    st = st ? st
            : rf_report__html_chart(
                  b, "Findings by trait", sum.traits.v, sum.traits.n, false);
    rf_chart_bar sev[RF_SEV_CRITICAL + 1];
    size_t n = 0;
    for (int s = RF_SEV_CRITICAL; s >= RF_SEV_INFO; s--) {
        if (sum.by_sev[s] > 0) {
            sev[n].label = rf_severity_name((rf_severity)s);
            sev[n].n = sum.by_sev[s];
            n++;
        }
    }
    st = st ? st
            : rf_report__html_chart(b, "Findings by severity", sev, n, true);
    st = st ? st
            : rf_report__html_chart(
                  b, "Findings by applicant", sum.applicants.v,
                  sum.applicants.n, false);
    st = st ? st
            : rf_report__html_chart(
                  b, "Findings by year", sum.years.v, sum.years.n, false);
    st = st ? st
            : rf_report__html_chart(
                  b, "Findings by language", sum.langs.v, sum.langs.n, false);
    st = st ? st : rf_buf_puts(b, "</div>\n");
    st = st ? st : foot(b);
    rf_server__summary_free(&sum);
    return st;
}
