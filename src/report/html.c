/*
 * html.c - one self-contained HTML file a reader can open, print or mail:
 * a summary, bar charts drawn as inline SVG (findings by trait, severity,
 * applicant, year and language), an index, and every finding grouped by
 * document with its highlighted passage, metadata, review status and a
 * link to the patent's public record.
 *
 * Safety. Everything that comes from a document (titles, applicants,
 * snippets, paths, ids) or from a person (notes) is hostile and goes
 * through rf_buf_html; the only markup is ours. No script is written at
 * all, and a Content-Security-Policy meta tag forbids scripts, external
 * loads, forms and base changes anyway, so a missed escape could not run
 * code. Links are built only from validated publication numbers.
 *
 * Shape. The summary and charts come first but depend on every finding,
 * so findings are rendered into a buffer and the page is written at
 * `end`. The buffer is bounded: past RF_HTML_MAX_SHOWN findings the rest
 * are counted in the summary and charts but not rendered (the CSV and
 * SARIF reports carry everything). Output is deterministic: no
 * timestamps, charts sorted by count then label.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define RF_HTML_MAX_SHOWN 5000
#define RF_HTML_MAX_DIAGS 200

/* ---------------- tallies ---------------- */

typedef struct tally_entry {
    char *key;
    uint64_t n;
} tally_entry;

/* Open-addressing string -> count map (applicants can number
 * thousands). */
typedef struct tally {
    tally_entry *slots;
    size_t cap;
    size_t used;
} tally;

static uint64_t hash_str(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (; *s; s++) {
        h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    }
    return h;
}

static rf_status tally_grow(tally *t)
{
    size_t cap = t->cap ? t->cap * 2 : 64;
    tally_entry *slots = calloc(cap, sizeof *slots);
    if (slots == NULL) {
        return RF_ENOMEM;
    }
    for (size_t i = 0; i < t->cap; i++) {
        if (t->slots[i].key == NULL) {
            continue;
        }
        size_t j = hash_str(t->slots[i].key) & (cap - 1);
        while (slots[j].key != NULL) {
            j = (j + 1) & (cap - 1);
        }
        slots[j] = t->slots[i];
    }
    free(t->slots);
    t->slots = slots;
    t->cap = cap;
    return RF_OK;
}

static rf_status tally_add(tally *t, const char *key)
{
    if (key == NULL || *key == '\0') {
        key = "unknown";
    }
    if ((t->used + 1) * 2 > t->cap) {
        rf_status st = tally_grow(t);
        if (st != RF_OK) {
            return st;
        }
    }
    size_t j = hash_str(key) & (t->cap - 1);
    while (t->slots[j].key != NULL) {
        if (strcmp(t->slots[j].key, key) == 0) {
            t->slots[j].n++;
            return RF_OK;
        }
        j = (j + 1) & (t->cap - 1);
    }
    t->slots[j].key = rf_strdup(key);
    if (t->slots[j].key == NULL) {
        return RF_ENOMEM;
    }
    t->slots[j].n = 1;
    t->used++;
    return RF_OK;
}

static void tally_free(tally *t)
{
    for (size_t i = 0; i < t->cap; i++) {
        free(t->slots[i].key);
    }
    free(t->slots);
    memset(t, 0, sizeof *t);
}

static int by_count(const void *a, const void *b)
{
    const tally_entry *x = a;
    const tally_entry *y = b;
    if (x->n != y->n) {
        return x->n < y->n ? 1 : -1;
    }
    return strcmp(x->key, y->key);
}

static int by_key(const void *a, const void *b)
{
    const tally_entry *x = a;
    const tally_entry *y = b;
    /* "unknown" sorts after every year */
    bool xu = strcmp(x->key, "unknown") == 0;
    bool yu = strcmp(y->key, "unknown") == 0;
    if (xu != yu) {
        return xu ? 1 : -1;
    }
    return strcmp(x->key, y->key);
}

/* Entries as a compact sorted array (borrowing keys). */
static tally_entry *
tally_sorted(const tally *t, size_t *n, int (*cmp)(const void *, const void *))
{
    tally_entry *v = malloc((t->used ? t->used : 1) * sizeof *v);
    *n = 0;
    if (v == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < t->cap; i++) {
        if (t->slots[i].key != NULL) {
            v[(*n)++] = t->slots[i];
        }
    }
    qsort(v, *n, sizeof *v, cmp);
    return v;
}

/* ---------------- state ---------------- */

typedef struct html {
    rf_report base;
    rf_report_meta meta;
    char *filter;
    rf_buf body;  /* findings, grouped by document */
    rf_buf index; /* one table row per shown finding */
    rf_buf diags; /* problems reading inputs */
    size_t diag_count;
    size_t diag_total;
    char *doc_key;   /* document currently open in body */
    char *count_key; /* document last counted */
    uint64_t findings;
    uint64_t shown;
    uint64_t documents;
    uint64_t by_sev[RF_SEV_CRITICAL + 1];
    uint64_t by_status[RF_REVIEW_RESOLVED + 1];
    uint64_t suppressed;
    tally traits;
    tally applicants;
    tally years;
    tally langs;
} html;

/* ---------------- pieces ---------------- */

static char *doc_key(const rf_document *d)
{
    rf_buf b = {0};
    if (rf_buf_printf(
            &b, "%s\n%s\n%llu\n%s", d->path ? d->path : "",
            d->member ? d->member : "", (unsigned long long)d->index,
            d->id ? d->id : "") != RF_OK) {
        rf_buf_free(&b);
        return NULL;
    }
    return rf_buf_steal(&b);
}

static rf_status open_document(html *w, const rf_document *d)
{
    rf_buf *b = &w->body;
    char *url = rf_report__patent_url(d);
    rf_status st = rf_buf_puts(b, w->doc_key ? "</article>\n" : "");
    st = st ? st : rf_buf_puts(b, "<article class=\"doc\">\n<h3>");
    if (st == RF_OK && url != NULL) {
        st = rf_buf_puts(b, "<a href=\"");
        st = st ? st : rf_report__html_esc(b, url);
        st = st ? st
                : rf_buf_puts(
                      b, "\" rel=\"noopener noreferrer\" "
                         "title=\"public record on Google "
                         "Patents\">");
        st = st ? st : rf_report__html_esc(b, d->id);
        st = st ? st : rf_buf_puts(b, "</a>");
    } else if (st == RF_OK) {
        st = rf_buf_puts(b, "<span class=\"docid\">");
        st =
            st ? st : rf_report__html_esc(b, d->id && *d->id ? d->id : d->path);
        st = st ? st : rf_buf_puts(b, "</span>");
    }
    if (st == RF_OK && d->title != NULL && *d->title != '\0') {
        st = rf_buf_puts(b, " <span class=\"title\">");
        st = st ? st : rf_report__html_esc(b, d->title);
        st = st ? st : rf_buf_puts(b, "</span>");
    }
    st = st ? st : rf_buf_puts(b, "</h3>\n<dl class=\"meta\">");
    st = st ? st : rf_report__html_doc_rows(b, d, 10, 12, true);
    st = st ? st : rf_buf_puts(b, "</dl>\n");
    free(url);
    return st;
}

static rf_status status_badge(rf_buf *b, const rf_stored_finding *sf)
{
    if (sf == NULL) {
        return RF_OK;
    }
    const char *name = rf_review_status_name(sf->status);
    rf_status st = rf_buf_printf(b, " <span class=\"st st-%s\">%s", name, name);
    if (st == RF_OK && sf->status == RF_REVIEW_RESOLVED &&
        sf->review != RF_REVIEW_NEW) {
        st = rf_buf_printf(b, " (was %s)", rf_review_status_name(sf->review));
    }
    if (st == RF_OK && sf->suppressed) {
        st = rf_buf_puts(b, ", suppressed");
    }
    if (st == RF_OK && sf->from_baseline) {
        st = rf_buf_puts(b, ", from baseline");
    }
    return st ? st : rf_buf_puts(b, "</span>");
}

static rf_status
finding_html(html *w, const rf_finding *f, const rf_stored_finding *sf)
{
    rf_buf *b = &w->body;
    const char *sev = rf_severity_name(f->severity);
    rf_status st = rf_buf_printf(
        b, "<div class=\"finding sev-%s%s\" id=\"f-", sev,
        sf && sf->suppressed ? " suppressed" : "");
    st = st ? st : rf_report__html_esc(b, f->fingerprint);
    st = st ? st
            : rf_buf_printf(
                  b,
                  "\">\n<p class=\"fh\"><span class=\"sev "
                  "sev-%s\">%s</span>",
                  sev, sev);
    st = st ? st : status_badge(b, sf);
    st = st ? st : rf_buf_puts(b, " <strong>");
    st = st ? st
            : rf_report__html_esc(
                  b, f->title && *f->title ? f->title : f->rule_id);
    st = st ? st : rf_buf_puts(b, "</strong> <code>");
    st = st ? st : rf_report__html_esc(b, f->rule_id);
    st = st ? st : rf_buf_puts(b, "</code></p>\n<p class=\"snip\"");
    st = st ? st : rf_report__html_passage(b, f);
    st = st ? st : rf_report__html_dd(b, "Message", f->message);
    st = st ? st : rf_report__html_dd(b, "Trait", f->category);
    st = st ? st : rf_report__html_where(b, f);
    st = st ? st : rf_report__html_dd(b, "Regulation", f->regulation);
    if (st == RF_OK && sf != NULL) {
        st = rf_report__html_dd(b, "Note", sf->note);
        st = st ? st : rf_report__html_dd(b, "Reviewed", sf->reviewed_at);
        st = st ? st
                : rf_buf_printf(
                      b, "<dt>Seen</dt><dd>scans %lld&ndash;%lld",
                      (long long)sf->first_scan, (long long)sf->last_scan);
        if (st == RF_OK && sf->resolved_scan > 0) {
            st = rf_buf_printf(
                b, "; resolved by scan %lld", (long long)sf->resolved_scan);
        }
        st = st ? st : rf_buf_puts(b, "</dd>");
    }
    st = st ? st : rf_buf_puts(b, "<dt>Fingerprint</dt><dd><code>");
    st = st ? st : rf_report__html_esc(b, f->fingerprint);
    st = st ? st : rf_buf_puts(b, "</code></dd></dl>\n</div>\n");
    return st;
}

static rf_status
index_row(html *w, const rf_finding *f, const rf_stored_finding *sf)
{
    rf_buf *b = &w->index;
    const char *sev = rf_severity_name(f->severity);
    const rf_document *d = f->doc;
    rf_status st = rf_buf_printf(
        b,
        "<tr%s><td><span class=\"sev sev-%s\">%s"
        "</span></td><td>",
        sf && sf->suppressed ? " class=\"suppressed\"" : "", sev, sev);
    st = st ? st : rf_report__html_esc(b, rf_report__status(sf));
    st = st ? st : rf_buf_puts(b, "</td><td><a href=\"#f-");
    st = st ? st : rf_report__html_esc(b, f->fingerprint);
    st = st ? st : rf_buf_puts(b, "\">");
    st = st ? st
            : rf_report__html_trunc(
                  b,
                  d && d->id && *d->id ? d->id
                  : d                  ? d->path
                                       : "",
                  40);
    st = st ? st : rf_buf_puts(b, "</a></td><td>");
    st = st ? st : rf_report__html_esc(b, f->category);
    st = st ? st : rf_buf_puts(b, "</td><td>");
    st = st ? st
            : rf_report__html_esc(
                  b, f->title && *f->title ? f->title : f->rule_id);
    st = st ? st : rf_buf_puts(b, "</td><td>");
    st =
        st ? st
           : rf_report__html_esc(b, f->unit && *f->unit ? f->unit : f->section);
    return st ? st : rf_buf_puts(b, "</td></tr>\n");
}

/* ---------------- callbacks ---------------- */

static rf_status html_begin(rf_report *r, const rf_report_meta *meta)
{
    html *w = (html *)r;
    w->meta = *meta;
    if (meta->filter != NULL) {
        w->filter = rf_strdup(meta->filter);
        if (w->filter == NULL) {
            return RF_ENOMEM;
        }
        w->meta.filter = w->filter;
    }
    return RF_OK;
}

static rf_status html_rule(rf_report *r, const rf_rule_info *rule)
{
    RF_UNUSED(r);
    RF_UNUSED(rule);
    return RF_OK;
}

static rf_status
html_finding(rf_report *r, const rf_finding *f, const rf_stored_finding *sf)
{
    html *w = (html *)r;
    static const rf_document none = {.id = "", .path = ""};
    const rf_document *d = f->doc ? f->doc : &none;
    char year[8];
    rf_status st = RF_OK;

    w->findings++;
    if ((unsigned)f->severity <= RF_SEV_CRITICAL) {
        w->by_sev[f->severity]++;
    }
    if (sf != NULL && (unsigned)sf->status <= RF_REVIEW_RESOLVED) {
        w->by_status[sf->status]++;
    }
    if (sf != NULL && sf->suppressed) {
        w->suppressed++;
    }
    st = tally_add(&w->traits, f->category);
    rf_report__doc_year(year, d);
    st = st ? st : tally_add(&w->years, year);
    st =
        st ? st : tally_add(&w->langs, f->lang && *f->lang ? f->lang : d->lang);
    for (size_t i = 0; st == RF_OK && d->applicants && d->applicants[i]; i++) {
        st = tally_add(&w->applicants, d->applicants[i]);
    }
    if (st != RF_OK) {
        return st;
    }

    char *key = doc_key(d);
    if (key == NULL) {
        return RF_ENOMEM;
    }
    /* findings arrive grouped by document (scan order, store order) */
    if (w->count_key == NULL || strcmp(key, w->count_key) != 0) {
        w->documents++;
        free(w->count_key);
        w->count_key = rf_strdup(key);
        if (w->count_key == NULL) {
            free(key);
            return RF_ENOMEM;
        }
    }
    if (w->shown >= RF_HTML_MAX_SHOWN) {
        free(key);
        return RF_OK;
    }
    bool same = w->doc_key != NULL && strcmp(key, w->doc_key) == 0;
    if (!same) {
        st = open_document(w, d);
        free(w->doc_key);
        w->doc_key = key;
    } else {
        free(key);
    }
    st = st ? st : finding_html(w, f, sf);
    st = st ? st : index_row(w, f, sf);
    w->shown++;
    return st;
}

static void html_diag(rf_report *r, const rf_diag *d)
{
    html *w = (html *)r;
    rf_buf *b = &w->diags;
    if (d->level < RF_DIAG_WARNING) {
        return;
    }
    w->diag_total++;
    if (w->diag_count >= RF_HTML_MAX_DIAGS) {
        return;
    }
    rf_status st = rf_buf_printf(
        b, "<li><span class=\"lvl\">%s</span> <code>",
        d->level == RF_DIAG_ERROR ? "error" : "warning");
    st = st ? st : rf_report__html_esc(b, d->path ? d->path : "");
    if (st == RF_OK && d->member != NULL) {
        st = rf_buf_puts(b, "!/");
        st = st ? st : rf_report__html_esc(b, d->member);
    }
    if (st == RF_OK && d->document != NULL) {
        st = rf_buf_putc(b, '#');
        st = st ? st : rf_report__html_esc(b, d->document);
    }
    st = st ? st : rf_buf_puts(b, "</code>: ");
    st = st ? st : rf_report__html_esc(b, d->message);
    st = st ? st : rf_buf_puts(b, "</li>\n");
    if (st == RF_OK) {
        w->diag_count++;
    }
}

/* ---------------- charts ---------------- */

static rf_status tally_chart(
    rf_buf *b,
    const char *title,
    const tally *t,
    int (*cmp)(const void *, const void *))
{
    size_t n = 0;
    tally_entry *v = tally_sorted(t, &n, cmp);
    if (v == NULL) {
        return RF_ENOMEM;
    }
    rf_chart_bar *bars = malloc((n ? n : 1) * sizeof *bars);
    if (bars == NULL) {
        free(v);
        return RF_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        bars[i].label = v[i].key;
        bars[i].n = v[i].n;
    }
    rf_status st = rf_report__html_chart(b, title, bars, n, false);
    free(bars);
    free(v);
    return st;
}

static rf_status severity_chart(html *w, rf_buf *b)
{
    rf_chart_bar v[RF_SEV_CRITICAL + 1];
    size_t n = 0;
    for (int s = RF_SEV_CRITICAL; s >= RF_SEV_INFO; s--) {
        if (w->by_sev[s] > 0) {
            v[n].label = rf_severity_name((rf_severity)s);
            v[n].n = w->by_sev[s];
            n++;
        }
    }
    return rf_report__html_chart(b, "Findings by severity", v, n, true);
}

/* ---------------- the page ---------------- */

static const char page_head[] =
    "<!DOCTYPE html>\n"
    "<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    /* no scripts, no external loads, no forms: a hostile document can at
     * worst show up as text */
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
    "'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'\">\n"
    "<meta name=\"referrer\" content=\"no-referrer\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, "
    "initial-scale=1\">\n"
    "<meta name=\"generator\" content=\"redflag " RF_VERSION_STRING "\">\n"
    "<title>redflag report</title>\n"
    "<style>\n"
    ":root{--fg:#1d1d1f;--muted:#5f6368;--line:#d9dce1;--bg:#fff;"
    "--card:#f7f8fa;--crit:#8e0000;--high:#c62828;--med:#e08e0b;"
    "--low:#1565c0;--info:#607d8b;--bar:#455a64}\n"
    "body{font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,"
    "'Noto Sans','Noto Sans CJK SC',sans-serif;color:var(--fg);"
    "background:var(--bg);margin:0 auto;max-width:72rem;padding:1rem 1.5rem}\n"
    "h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.25rem;margin-top:2rem;"
    "border-bottom:1px solid var(--line)}h3{font-size:1.05rem;margin:.2rem 0 "
    ".4rem}\n"
    ".lead{color:var(--muted)}\n"
    ".cards{display:flex;flex-wrap:wrap;gap:.75rem;margin:1rem 0}\n"
    ".card{background:var(--card);border:1px solid var(--line);"
    "border-radius:8px;padding:.4rem .8rem;min-width:5.5rem}\n"
    ".card .n{display:block;font-size:1.5rem;font-weight:700}\n"
    ".charts{display:flex;flex-wrap:wrap;gap:1.5rem}\n"
    "figure.chart{margin:0}figcaption{font-weight:600;margin-bottom:.25rem}\n"
    "svg .lbl{font-size:12px;fill:var(--fg)}svg .num{font-size:12px;"
    "fill:var(--muted)}svg .bar{fill:var(--bar)}\n"
    "svg .sev-critical{fill:var(--crit)}svg .sev-high{fill:var(--high)}"
    "svg .sev-medium{fill:var(--med)}svg .sev-low{fill:var(--low)}"
    "svg .sev-info{fill:var(--info)}\n"
    "table{border-collapse:collapse;width:100%;font-size:.9rem}"
    "th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid "
    "var(--line);vertical-align:top}\n"
    "article.doc{border:1px solid var(--line);border-radius:8px;"
    "padding:.75rem 1rem;margin:1rem 0}\n"
    ".title{font-weight:400}.docid{font-family:monospace}\n"
    "dl.meta{display:grid;grid-template-columns:max-content 1fr;"
    "gap:.1rem .75rem;margin:.25rem 0;font-size:.9rem}"
    "dl.meta dt{color:var(--muted)}dl.meta "
    "dd{margin:0;overflow-wrap:anywhere}\n"
    ".finding{border-left:4px solid var(--info);background:var(--card);"
    "padding:.5rem .75rem;margin:.75rem 0}\n"
    ".finding.sev-critical{border-color:var(--crit)}.finding.sev-high{"
    "border-color:var(--high)}.finding.sev-medium{border-color:var(--med)}"
    ".finding.sev-low{border-color:var(--low)}\n"
    ".suppressed{opacity:.6}\n"
    ".fh{margin:0 0 .25rem}\n"
    ".snip{background:var(--bg);border:1px solid var(--line);"
    "padding:.4rem .6rem;margin:.25rem 0;white-space:pre-wrap;"
    "overflow-wrap:anywhere}\n"
    "mark{background:#ffe082;padding:0 .1em}\n"
    ".sev,.st{display:inline-block;border-radius:4px;padding:0 .4rem;"
    "font-size:.8rem;font-weight:600;color:#fff;background:var(--info)}\n"
    ".sev-critical.sev{background:var(--crit)}.sev-high.sev{"
    "background:var(--high)}.sev-medium.sev{background:var(--med)}"
    ".sev-low.sev{background:var(--low)}\n"
    ".st{background:#e8eaed;color:var(--fg)}.st-confirmed{background:#fce8e6}"
    ".st-false-positive{background:#e6f4ea}.st-needs-review{"
    "background:#fef7e0}.st-resolved{background:#e8f0fe}\n"
    "code{font-size:.85em}\n"
    "footer{margin:2rem 0 1rem;color:var(--muted);font-size:.85rem}\n"
    "@media print{.finding{break-inside:avoid}}\n"
    "</style>\n</head>\n<body>\n";

static rf_status card(rf_buf *b, const char *label, uint64_t n)
{
    return rf_buf_printf(
        b, "<div class=\"card\"><span class=\"n\">%llu</span>%s</div>",
        (unsigned long long)n, label);
}

static rf_status summary(html *w, rf_buf *b, const rf_scan_summary *sum)
{
    rf_status st = rf_buf_puts(
        b, "<header>\n<h1>redflag report</h1>\n"
           "<p class=\"lead\">");
    if (st == RF_OK && w->meta.from_store) {
        st = rf_buf_printf(
            b,
            "Findings from the findings store, as of scan "
            "%lld.",
            (long long)w->meta.latest_scan);
        if (st == RF_OK && w->meta.filter != NULL) {
            st = rf_buf_puts(b, " Filter: ");
            st = st ? st : rf_report__html_esc(b, w->meta.filter);
            st = st ? st : rf_buf_putc(b, '.');
        }
        if (st == RF_OK && w->meta.hidden_resolved > 0) {
            st = rf_buf_printf(
                b,
                " %llu resolved finding%s not shown "
                "(redflag report --include-resolved).",
                (unsigned long long)w->meta.hidden_resolved,
                w->meta.hidden_resolved == 1 ? "" : "s");
        }
        if (st == RF_OK && w->meta.unmatched_baseline > 0) {
            st = rf_buf_printf(
                b,
                " %llu baseline entr%s match no finding "
                "(redflag baseline unmatched).",
                (unsigned long long)w->meta.unmatched_baseline,
                w->meta.unmatched_baseline == 1 ? "y" : "ies");
        }
    } else if (st == RF_OK && sum != NULL) {
        st = rf_buf_printf(
            b,
            "Findings from a scan of %llu document%s in "
            "%llu file%s (%llu bytes)",
            (unsigned long long)sum->documents, sum->documents == 1 ? "" : "s",
            (unsigned long long)sum->files, sum->files == 1 ? "" : "s",
            (unsigned long long)sum->bytes);
        if (st == RF_OK && sum->errors > 0) {
            st = rf_buf_printf(
                b, "; %llu input%s could not be read",
                (unsigned long long)sum->errors, sum->errors == 1 ? "" : "s");
        }
        st = st ? st : rf_buf_putc(b, '.');
    }
    st = st ? st
            : rf_buf_puts(
                  b, " Each finding is a passage that describes "
                     "a system sorting people by a protected "
                     "trait; read it in context before acting "
                     "on it.</p>\n</header>\n");
    st = st ? st
            : rf_buf_puts(
                  b, "<section id=\"summary\">\n<h2>Summary</h2>\n"
                     "<div class=\"cards\">");
    st = st ? st : card(b, "findings", w->findings);
    st = st ? st : card(b, "documents with findings", w->documents);
    for (int s = RF_SEV_CRITICAL; st == RF_OK && s >= RF_SEV_INFO; s--) {
        st = card(b, rf_severity_name((rf_severity)s), w->by_sev[s]);
    }
    st = st ? st : rf_buf_puts(b, "</div>\n");
    if (st == RF_OK && w->meta.from_store) {
        st = rf_buf_puts(b, "<div class=\"cards\">");
        for (int s = RF_REVIEW_NEW; st == RF_OK && s <= RF_REVIEW_RESOLVED;
             s++) {
            st = card(
                b, rf_review_status_name((rf_review_status)s), w->by_status[s]);
        }
        st = st ? st : card(b, "suppressed", w->suppressed);
        st = st ? st : rf_buf_puts(b, "</div>\n");
    }
    st = st ? st : rf_buf_puts(b, "<div class=\"charts\">\n");
    st = st ? st : tally_chart(b, "Findings by trait", &w->traits, by_count);
    st = st ? st : severity_chart(w, b);
    st = st ? st
            : tally_chart(b, "Findings by applicant", &w->applicants, by_count);
    st = st ? st : tally_chart(b, "Findings by year", &w->years, by_key);
    st = st ? st : tally_chart(b, "Findings by language", &w->langs, by_count);
    st = st ? st : rf_buf_puts(b, "</div>\n</section>\n");
    return st;
}

static rf_status html_end(rf_report *r, const rf_scan_summary *sum)
{
    html *w = (html *)r;
    rf_buf page = {0};
    FILE *fp = r->fp;
    rf_status st = rf_buf_puts(&page, page_head);
    st = st ? st : summary(w, &page, sum);
    st = st ? st : rf_report__flush(&page, fp);
    if (st == RF_OK && w->findings > 0) {
        st = rf_buf_puts(&page, "<section id=\"index\">\n<h2>Index</h2>\n");
        if (st == RF_OK && w->shown < w->findings) {
            st = rf_buf_printf(
                &page,
                "<p>The first %llu of %llu findings are "
                "shown; the charts count them all. Use "
                "report filters, or the CSV or SARIF "
                "report, for the rest.</p>\n",
                (unsigned long long)w->shown, (unsigned long long)w->findings);
        }
        st = st ? st
                : rf_buf_puts(
                      &page, "<table>\n<thead><tr><th>Severity"
                             "</th><th>Status</th><th>Document"
                             "</th><th>Trait</th><th>Rule</th>"
                             "<th>Where</th></tr></thead>\n"
                             "<tbody>\n");
        st = st ? st : rf_report__flush(&page, fp);
        st = st ? st : rf_report__flush(&w->index, fp);
        st = st ? st
                : rf_buf_puts(
                      &page, "</tbody>\n</table>\n</section>\n"
                             "<section id=\"findings\">\n"
                             "<h2>Findings</h2>\n");
        st = st ? st : rf_report__flush(&page, fp);
        st = st ? st : rf_report__flush(&w->body, fp);
        st = st ? st : rf_buf_puts(&page, w->doc_key ? "</article>\n" : "");
        st = st ? st : rf_buf_puts(&page, "</section>\n");
    } else if (st == RF_OK) {
        st = rf_buf_puts(
            &page, "<section id=\"findings\">\n<h2>Findings</h2>\n"
                   "<p>No findings.</p>\n</section>\n");
    }
    if (st == RF_OK && w->diag_total > 0) {
        st = rf_buf_printf(
            &page,
            "<section id=\"problems\">\n<h2>Problems "
            "reading inputs (%zu)</h2>\n<ul>\n",
            w->diag_total);
        st = st ? st : rf_buf_append(&page, w->diags.data, w->diags.len);
        if (st == RF_OK && w->diag_total > w->diag_count) {
            st = rf_buf_printf(
                &page, "<li>and %zu more</li>\n",
                w->diag_total - w->diag_count);
        }
        st = st ? st : rf_buf_puts(&page, "</ul>\n</section>\n");
    }
    st = st ? st
            : rf_buf_puts(
                  &page, "<footer>Written by redflag " RF_VERSION_STRING
                         ". Links go to the "
                         "public record on Google Patents. "
                         "Severity follows the rule that "
                         "matched and the section it matched "
                         "in.</footer>\n</body>\n</html>\n");
    st = st ? st : rf_report__flush(&page, fp);
    if (st == RF_OK && fflush(fp) != 0) {
        st = RF_EIO;
    }
    rf_buf_free(&page);
    return st;
}

static void html_free(rf_report *r)
{
    html *w = (html *)r;
    rf_buf_free(&w->body);
    rf_buf_free(&w->index);
    rf_buf_free(&w->diags);
    free(w->doc_key);
    free(w->count_key);
    free(w->filter);
    tally_free(&w->traits);
    tally_free(&w->applicants);
    tally_free(&w->years);
    tally_free(&w->langs);
    free(w);
}

static const rf_report_ops html_ops = {
    .begin = html_begin,
    .rule = html_rule,
    .finding = html_finding,
    .diag = html_diag,
    .end = html_end,
    .free = html_free,
};

rf_status rf_report__html_new(rf_report **out, FILE *fp)
{
    html *w = calloc(1, sizeof *w);
    if (w == NULL) {
        return RF_ENOMEM;
    }
    w->base.ops = &html_ops;
    w->base.fp = fp;
    *out = &w->base;
    return RF_OK;
}
