/*
 * report.c - drive the document-shaped reports from a scan or the store.
 *
 * Two adapters over the rf_report interface (report.h):
 *   - rf_{sarif,csv,html}_writer_init plug a report into the rf_writer
 *     table (writer.c), so `redflag scan --format sarif` works without a
 *     store;
 *   - rf_store_report reads the store's rules and findings (with review
 *     state) and feeds the same report, for `redflag report`.
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "findings/store.h"
#include "writer.h"

/* ---------------- helpers ---------------- */

const char *rf_report__sarif_level(rf_severity sev)
{
    switch (sev) {
    case RF_SEV_CRITICAL:
    case RF_SEV_HIGH:
        return "error";
    case RF_SEV_MEDIUM:
        return "warning";
    case RF_SEV_LOW:
    case RF_SEV_INFO:
        break;
    }
    return "note";
}

char *rf_report__patent_url(const rf_document *doc)
{
    static const char base[] = "https://patents.google.com/patent/";
    if (doc == NULL || doc->id == NULL) {
        return NULL;
    }
    /* A file's id is its path: no public record to link to. */
    if (doc->path != NULL && strcmp(doc->id, doc->path) == 0) {
        return NULL;
    }
    char compact[40];
    size_t n = 0;
    size_t digits = 0;
    for (const char *p = doc->id; *p; p++) {
        if (*p == '-' || *p == ' ') {
            continue;
        }
        bool upper = *p >= 'A' && *p <= 'Z';
        bool digit = *p >= '0' && *p <= '9';
        if (!upper && !digit) {
            return NULL;
        }
        if (n + 1 >= sizeof compact) {
            return NULL;
        }
        if (n < 2 && !upper) {
            return NULL; /* publication numbers start with a country code */
        }
        digits += digit;
        compact[n++] = *p;
    }
    compact[n] = '\0';
    if (n < 6 || digits < 4) {
        return NULL;
    }
    char *url = malloc(sizeof base + n);
    if (url != NULL) {
        memcpy(url, base, sizeof base - 1);
        memcpy(url + sizeof base - 1, compact, n + 1);
    }
    return url;
}

void rf_report__doc_year(char out[8], const rf_document *doc)
{
    const char *d = NULL;
    out[0] = '\0';
    if (doc == NULL) {
        return;
    }
    d = doc->date_published ? doc->date_published : doc->date_filed;
    if (d == NULL || strlen(d) < 4) {
        return;
    }
    for (int i = 0; i < 4; i++) {
        if (d[i] < '0' || d[i] > '9') {
            return;
        }
    }
    memcpy(out, d, 4);
    out[4] = '\0';
}

const char *rf_report__status(const rf_stored_finding *sf)
{
    return sf ? rf_review_status_name(sf->status) : "";
}

rf_status rf_report__flush(rf_buf *b, FILE *fp)
{
    if (b->len > 0 && fwrite(b->data, 1, b->len, fp) != b->len) {
        return RF_EIO;
    }
    rf_buf_reset(b);
    return RF_OK;
}

void rf_report__rule_info(rf_rule_info *out, const rf_rule *rule)
{
    out->id = rf_rule_id(rule);
    out->title = rf_rule_title(rule);
    out->category = rf_rule_category(rule);
    out->severity = rf_rule_severity(rule);
    out->regulation = rf_rule_regulation(rule);
    out->message = rf_rule_message(rule);
    out->description = rf_rule_description(rule);
}

rf_status rf_report__new(rf_report **out, const char *format, FILE *fp)
{
    *out = NULL;
    if (format == NULL) {
        return RF_EINVAL;
    }
    if (strcmp(format, "sarif") == 0) {
        return rf_report__sarif_new(out, fp);
    }
    if (strcmp(format, "csv") == 0) {
        return rf_report__csv_new(out, fp);
    }
    if (strcmp(format, "html") == 0) {
        return rf_report__html_new(out, fp);
    }
    if (strcmp(format, "jsonl") == 0) {
        return rf_report__jsonl_new(out, fp);
    }
    return RF_EINVAL;
}

void rf_report__free(rf_report *r)
{
    if (r != NULL) {
        r->ops->free(r);
    }
}

/* ---------------- scan adapter: rf_writer -> rf_report ---------------- */

typedef struct adapter {
    rf_report *r;
    bool begun;
} adapter;

static rf_status ad_start(rf_writer *w, const rf_ruleset *rs)
{
    adapter *a = w->state;
    rf_report_meta meta = {0};
    a->begun = true;
    w->rs = rs;
    rf_status st = a->r->ops->begin(a->r, &meta);
    size_t n = rs ? rf_ruleset_rule_count(rs) : 0;
    for (size_t i = 0; st == RF_OK && i < n; i++) {
        rf_rule_info info;
        rf_report__rule_info(&info, rf_ruleset_rule(rs, i));
        st = a->r->ops->rule(a->r, &info);
    }
    return st;
}

static rf_status ad_begin(void *payload, const rf_ruleset *rs)
{
    return ad_start(payload, rs);
}

static rf_status ad_finding(void *payload, const rf_finding *f)
{
    rf_writer *w = payload;
    adapter *a = w->state;
    if (!a->begun) {
        rf_status st = ad_start(w, NULL);
        if (st != RF_OK) {
            return st;
        }
    }
    return a->r->ops->finding(a->r, f, NULL);
}

static void ad_diag(void *payload, const rf_diag *d)
{
    rf_writer *w = payload;
    adapter *a = w->state;
    a->r->ops->diag(a->r, d);
}

static rf_status ad_end(void *payload, const rf_scan_summary *summary)
{
    rf_writer *w = payload;
    adapter *a = w->state;
    if (!a->begun) {
        rf_status st = ad_start(w, NULL);
        if (st != RF_OK) {
            return st;
        }
    }
    return a->r->ops->end(a->r, summary);
}

static void ad_free(void *state)
{
    adapter *a = state;
    if (a != NULL) {
        rf_report__free(a->r);
        free(a);
    }
}

static rf_status adapter_init(rf_writer *w, const char *format)
{
    adapter *a = calloc(1, sizeof *a);
    if (a == NULL) {
        return RF_ENOMEM;
    }
    rf_status st = rf_report__new(&a->r, format, w->fp);
    if (st != RF_OK) {
        free(a);
        return st;
    }
    w->state = a;
    w->free_state = ad_free;
    w->sink.begin = ad_begin;
    w->sink.finding = ad_finding;
    w->sink.diag = ad_diag;
    w->sink.end = ad_end;
    return RF_OK;
}

rf_status rf_sarif_writer_init(rf_writer *w)
{
    return adapter_init(w, "sarif");
}

rf_status rf_csv_writer_init(rf_writer *w)
{
    return adapter_init(w, "csv");
}

rf_status rf_html_writer_init(rf_writer *w)
{
    return adapter_init(w, "html");
}

/* ---------------- store adapter ---------------- */

static rf_status feed_rule(const rf_rule_info *rule, void *payload)
{
    rf_report *r = payload;
    return r->ops->rule(r, rule);
}

typedef struct feed_ctx {
    rf_report *r;
    rf_status status;
} feed_ctx;

static int feed_finding(const rf_stored_finding *sf, void *payload)
{
    feed_ctx *c = payload;
    c->status = c->r->ops->finding(c->r, sf->finding, sf);
    return c->status != RF_OK;
}

static void
count_unmatched(const char *fp, const char *s, const char *n, void *p)
{
    RF_UNUSED(fp);
    RF_UNUSED(s);
    RF_UNUSED(n);
    (*(uint64_t *)p)++;
}

/* The filter in words, for the report's header. */
static rf_status describe_filter(rf_buf *b, const rf_store_filter *f)
{
    rf_status st = RF_OK;
    if (f->scan > 0) {
        st = st ? st
                : rf_buf_printf(b, "; seen by scan %lld", (long long)f->scan);
    }
    if (f->new_since_scan > 0) {
        st = st ? st
                : rf_buf_printf(
                      b, "; new since scan %lld", (long long)f->new_since_scan);
    }
    if (f->min_severity > RF_SEV_INFO) {
        st = st ? st
                : rf_buf_printf(
                      b, "; severity %s or higher",
                      rf_severity_name(f->min_severity));
    }
    if (f->category) {
        st = st ? st : rf_buf_printf(b, "; trait %s", f->category);
    }
    if (f->rule_id) {
        st = st ? st : rf_buf_printf(b, "; rule %s", f->rule_id);
    }
    if (f->lang) {
        st = st ? st : rf_buf_printf(b, "; language %s", f->lang);
    }
    if (f->status >= 0) {
        st = st ? st
                : rf_buf_printf(
                      b, "; status %s",
                      rf_review_status_name((rf_review_status)f->status));
    }
    if (f->applicant) {
        st = st ? st
                : rf_buf_printf(b, "; applicant contains \"%s\"", f->applicant);
    }
    if (f->since) {
        st = st ? st : rf_buf_printf(b, "; dated on or after %s", f->since);
    }
    if (f->until) {
        st = st ? st : rf_buf_printf(b, "; dated on or before %s", f->until);
    }
    if (f->text) {
        st = st ? st : rf_buf_printf(b, "; text contains \"%s\"", f->text);
    }
    if (f->fingerprint) {
        st = st ? st : rf_buf_printf(b, "; fingerprint %s", f->fingerprint);
    }
    if (f->resolved_by_scan > 0) {
        st = st ? st
                : rf_buf_printf(
                      b, "; resolved by scan %lld",
                      (long long)f->resolved_by_scan);
    }
    if (f->include_resolved) {
        st = st ? st : rf_buf_puts(b, "; resolved findings included");
    }
    return st;
}

rf_status rf_store_report(
    rf_store *st, const rf_store_filter *flt, const char *format, FILE *fp)
{
    rf_store_filter defaults;
    rf_report *r = NULL;
    rf_buf words = {0};
    rf_report_meta meta = {.from_store = true};
    if (flt == NULL) {
        rf_store_filter_init(&defaults);
        flt = &defaults;
    }
    rf_status status = rf_report__new(&r, format, fp);
    if (status != RF_OK) {
        return rf_store__fail(
            st, status,
            "unknown report format '%s' (use html, sarif, csv or jsonl)",
            format ? format : "");
    }
    status = rf_store__latest_scan(&meta.latest_scan, st, false);
    if (status == RF_OK && flt->status < 0 && !flt->include_resolved &&
        flt->scan <= 0 && flt->resolved_by_scan <= 0) {
        rf_store_filter gone = *flt;
        gone.status = RF_REVIEW_RESOLVED;
        gone.limit = 0;
        gone.offset = 0;
        status = rf_store_count(&meta.hidden_resolved, st, &gone);
    }
    if (status == RF_OK) {
        status = rf_store_baseline_unmatched(
            st, count_unmatched, &meta.unmatched_baseline);
    }
    if (status == RF_OK) {
        status = describe_filter(&words, flt);
        if (status == RF_OK && words.len > 2) {
            meta.filter = words.data + 2; /* drop the leading "; " */
        }
    }
    if (status == RF_OK) {
        status = r->ops->begin(r, &meta);
    }
    if (status == RF_OK) {
        status = rf_store__rules(st, feed_rule, r);
    }
    if (status == RF_OK) {
        feed_ctx ctx = {r, RF_OK};
        status = rf_store__query(st, flt, NULL, feed_finding, &ctx);
        if (status == RF_EUSER) {
            status = ctx.status;
        }
    }
    if (status == RF_OK) {
        status = r->ops->end(r, NULL);
    }
    /* store errors carry their own message; these do not */
    if (status == RF_EIO || status == RF_ENOMEM || status == RF_ELIMIT) {
        rf_store__fail(
            st, status, "writing the %s report: %s", format,
            rf_status_str(status));
    }
    rf_report__free(r);
    rf_buf_free(&words);
    return status;
}
