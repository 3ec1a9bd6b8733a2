/*
 * api.c - the JSON API under /api/, the list parameters every list view
 * shares, and the summary tallies.
 *
 * Lists are paged in the database (LIMIT/OFFSET through rf_store_query),
 * never in memory, so a store of hundreds of thousands of findings costs
 * one page per request. The summary counts with GROUP BY in SQL for the
 * same reason, then draws the HTML report's own charts (html_parts.c).
 *
 * JSON is built with jansson, which escapes every string; the client
 * puts values into the page with textContent only.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "server.h"

/* ---------------- list parameters ---------------- */

static const char *nz(const char *s)
{
    return s != NULL && *s != '\0' ? s : NULL;
}

static uint64_t num(const char *s, uint64_t dflt, uint64_t max)
{
    if (s == NULL || *s == '\0') {
        return dflt;
    }
    char *end = NULL;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end != '\0' || s[0] == '-') {
        return dflt;
    }
    return v > max ? max : v;
}

void rf_server__list_params(rf_list_params *lp, const rf_http_req *rq)
{
    memset(lp, 0, sizeof *lp);
    rf_store_filter_init(&lp->flt);
    lp->severity = nz(rq->arg(rq->ctx, "severity"));
    if (lp->severity != NULL) {
        rf_severity sev;
        if (rf_severity_parse(&sev, lp->severity) == RF_OK) {
            lp->flt.min_severity = sev;
        } else {
            lp->error = "unknown severity";
            lp->severity = NULL;
        }
    }
    lp->status = nz(rq->arg(rq->ctx, "status"));
    if (lp->status != NULL) {
        rf_review_status rs;
        if (rf_review_status_parse(&rs, lp->status) == RF_OK) {
            lp->flt.status = (int)rs;
        } else {
            lp->error = "unknown status";
            lp->status = NULL;
        }
    }
    lp->flt.category = nz(rq->arg(rq->ctx, "trait"));
    lp->flt.rule_id = nz(rq->arg(rq->ctx, "rule"));
    lp->flt.lang = nz(rq->arg(rq->ctx, "lang"));
    lp->flt.applicant = nz(rq->arg(rq->ctx, "applicant"));
    lp->flt.since = nz(rq->arg(rq->ctx, "since"));
    lp->flt.until = nz(rq->arg(rq->ctx, "until"));
    lp->flt.text = nz(rq->arg(rq->ctx, "q"));
    lp->sort = nz(rq->arg(rq->ctx, "sort"));
    if (lp->sort != NULL && rf_server__order_sql(lp) == NULL) {
        lp->sort = NULL;
    }
    const char *dir = nz(rq->arg(rq->ctx, "dir"));
    lp->desc = dir != NULL
                   ? strcmp(dir, "desc") == 0
                   : (lp->sort != NULL && strcmp(lp->sort, "severity") == 0);
    lp->per =
        num(rq->arg(rq->ctx, "per"), RF_SERVER_PER_DEFAULT, RF_SERVER_PER_MAX);
    if (lp->per == 0) {
        lp->per = RF_SERVER_PER_DEFAULT;
    }
    lp->page = num(rq->arg(rq->ctx, "page"), 1, UINT64_C(1) << 40);
    if (lp->page == 0) {
        lp->page = 1;
    }
    lp->flt.limit = lp->per;
    lp->flt.offset = (lp->page - 1) * lp->per;
}

const char *rf_server__order_sql(const rf_list_params *lp)
{
    /* fixed SQL only: the sort key never reaches the query as text */
    static const struct {
        const char *key;
        const char *asc;
        const char *desc;
    } keys[] = {
        {"severity", "f.severity", "f.severity DESC"},
        {"status", "f.review", "f.review DESC"},
        {"document", "d.doc_id", "d.doc_id DESC"},
        {"rule", "f.rule_id", "f.rule_id DESC"},
        {"trait", "f.category", "f.category DESC"},
        {"lang", "f.lang", "f.lang DESC"},
        {"date", "coalesce(d.date_published, d.date_filed)",
         "coalesce(d.date_published, d.date_filed) DESC"},
    };
    if (lp->sort == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (strcmp(lp->sort, keys[i].key) == 0) {
            return lp->desc ? keys[i].desc : keys[i].asc;
        }
    }
    return NULL;
}

bool rf_server__valid_fp(const char *fp)
{
    size_t n = 0;
    for (; fp[n] != '\0'; n++) {
        char c = fp[n];
        bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
                   (c >= 'A' && c <= 'F');
        if (!hex) {
            return false;
        }
    }
    return n >= 6 && n <= 128;
}

/* ---------------- JSON ---------------- */

static rf_status json_resp(rf_http_resp *rs, unsigned code, json_t *v)
{
    if (v == NULL) {
        return RF_ENOMEM;
    }
    char *text = json_dumps(v, JSON_SORT_KEYS | JSON_COMPACT);
    json_decref(v);
    if (text == NULL) {
        return RF_ENOMEM;
    }
    rs->code = code;
    rs->type = "application/json; charset=utf-8";
    rf_buf_reset(&rs->body);
    rf_status s = rf_buf_puts(&rs->body, text);
    s = s ? s : rf_buf_putc(&rs->body, '\n');
    free(text);
    return s;
}

rf_status
rf_server__json_error(rf_http_resp *rs, unsigned code, const char *msg)
{
    return json_resp(rs, code, json_pack("{s:s}", "error", msg));
}

static json_t *jstr(const char *s)
{
    return s != NULL ? json_string(s) : json_null();
}

static json_t *jlist(const char *const *l)
{
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && l != NULL && l[i] != NULL; i++) {
        json_array_append_new(a, json_string(l[i]));
    }
    return a;
}

static json_t *finding_json(const rf_stored_finding *sf)
{
    const rf_finding *f = sf->finding;
    const rf_document *d = f->doc;
    char *url = rf_report__patent_url(d);
    json_t *marks = json_array();
    for (size_t i = 0; marks != NULL && i < f->mark_count; i++) {
        json_array_append_new(
            marks, json_pack(
                       "[I,I]", (json_int_t)f->marks[i].start,
                       (json_int_t)f->marks[i].end));
    }
    json_t *doc = json_pack(
        "{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id",
        jstr(d->id), "title", jstr(d->title), "path", jstr(d->path), "member",
        jstr(d->member), "lang", jstr(d->lang), "kind", jstr(d->kind),
        "date_published", jstr(d->date_published), "date_filed",
        jstr(d->date_filed), "date_priority", jstr(d->date_priority),
        "applicants", jlist(d->applicants), "inventors", jlist(d->inventors),
        "classes", jlist(d->classes), "url", jstr(url));
    free(url);
    json_t *terms = json_array();
    for (size_t i = 0; terms != NULL && i < f->term_count; i++) {
        json_array_append_new(terms, json_string(f->terms[i]));
    }
    return json_pack(
        "{s:s?,s:s?,s:s?,s:s?,s:s,s:s?,s:s?,s:s?,s:s?,s:s?,s:I,s:s?,s:o,"
        "s:o,s:s,s:s,s:o,s:o,s:I,s:I,s:b,s:o}",
        "fingerprint", f->fingerprint, "rule_id", f->rule_id, "title", f->title,
        "category", f->category, "severity", rf_severity_name(f->severity),
        "regulation", f->regulation, "message", f->message, "section",
        f->section, "unit", f->unit, "lang", f->lang, "line",
        (json_int_t)f->line, "snippet", f->snippet, "marks",
        marks ? marks : json_null(), "terms", terms ? terms : json_null(),
        "status", rf_review_status_name(sf->status), "review",
        rf_review_status_name(sf->review), "note", jstr(sf->note),
        "reviewed_at", jstr(sf->reviewed_at), "first_scan",
        (json_int_t)sf->first_scan, "last_scan", (json_int_t)sf->last_scan,
        "suppressed", sf->suppressed, "document", doc ? doc : json_null());
}

static int collect(const rf_stored_finding *sf, void *payload)
{
    json_t *a = payload;
    json_t *o = finding_json(sf);
    return o == NULL || json_array_append_new(a, o) != 0;
}

static rf_status store_fail(rf_server *srv, rf_http_resp *rs, rf_status s)
{
    /* a bad filter value is the caller's mistake; anything else is ours */
    return rf_server__json_error(
        rs, s == RF_EINVAL ? 400 : 500, rf_store_errmsg(srv->st));
}

rf_status
rf_server__api_findings(rf_server *srv, const rf_http_req *rq, rf_http_resp *rs)
{
    rf_list_params lp;
    rf_server__list_params(&lp, rq);
    if (lp.error != NULL) {
        return rf_server__json_error(rs, 400, lp.error);
    }
    uint64_t total = 0;
    rf_status s = rf_store_count(&total, srv->st, &lp.flt);
    if (s != RF_OK) {
        return store_fail(srv, rs, s);
    }
    json_t *a = json_array();
    if (a == NULL) {
        return RF_ENOMEM;
    }
    s = rf_store__query_ordered(
        srv->st, &lp.flt, NULL, rf_server__order_sql(&lp), collect, a);
    if (s != RF_OK) {
        json_decref(a);
        return s == RF_EUSER ? RF_ENOMEM : store_fail(srv, rs, s);
    }
    return json_resp(
        rs, 200,
        json_pack(
            "{s:I,s:I,s:I,s:o}", "total", (json_int_t)total, "offset",
            (json_int_t)lp.flt.offset, "limit", (json_int_t)lp.flt.limit,
            "findings", a));
}

rf_status rf_server__api_finding(
    rf_server *srv, const rf_http_req *rq, const char *fp, rf_http_resp *rs)
{
    (void)rq;
    if (!rf_server__valid_fp(fp)) {
        return rf_server__json_error(rs, 404, "no such finding");
    }
    rf_store_filter flt;
    rf_store_filter_init(&flt);
    flt.fingerprint = fp;
    flt.include_resolved = true;
    flt.limit = 2;
    json_t *a = json_array();
    rf_status s = a ? rf_store_query(srv->st, &flt, collect, a) : RF_ENOMEM;
    if (s != RF_OK) {
        json_decref(a);
        return s == RF_EUSER ? RF_ENOMEM : store_fail(srv, rs, s);
    }
    if (json_array_size(a) != 1) {
        json_decref(a);
        return rf_server__json_error(
            rs, 404, "no such finding (or the prefix is ambiguous)");
    }
    json_t *one = json_incref(json_array_get(a, 0));
    json_decref(a);
    return json_resp(rs, 200, one);
}

rf_status
rf_server__api_review(rf_server *srv, const rf_http_req *rq, rf_http_resp *rs)
{
    json_error_t err;
    json_t *in = json_loadb(rq->body ? rq->body : "", rq->body_len, 0, &err);
    const char *fp = NULL;
    const char *status = NULL;
    json_t *note = NULL;
    if (in == NULL || json_unpack_ex(
                          in, &err, 0, "{s:s,s:s,s?o}", "fingerprint", &fp,
                          "status", &status, "note", &note) != 0) {
        json_decref(in);
        return rf_server__json_error(
            rs, 400,
            "expected a JSON body {\"fingerprint\", \"status\", \"note\"?}");
    }
    rf_review_status rv;
    rf_status s = RF_OK;
    if (!rf_server__valid_fp(fp) ||
        rf_review_status_parse(&rv, status) != RF_OK ||
        rv == RF_REVIEW_RESOLVED ||
        (note != NULL && !json_is_string(note) && !json_is_null(note))) {
        json_decref(in);
        return rf_server__json_error(
            rs, 400,
            "status must be confirmed, false-positive, needs-review or new");
    }
    const char *note_s = json_is_string(note) ? json_string_value(note) : NULL;
    s = rf_store_review(srv->st, fp, rv, note_s);
    if (s == RF_ENOTFOUND) {
        json_decref(in);
        return rf_server__json_error(rs, 404, rf_store_errmsg(srv->st));
    }
    if (s != RF_OK) {
        json_decref(in);
        return store_fail(srv, rs, s);
    }
    /* answer with the finding as now stored: the page shows what the
     * store holds, not what it asked for */
    char copy[130];
    snprintf(copy, sizeof copy, "%s", fp);
    json_decref(in);
    return rf_server__api_finding(srv, rq, copy, rs);
}

/* ---------------- summary ---------------- */

static rf_status tally_sql(
    rf_tally_list *t, rf_server *srv, const char *sql, const char *empty_label)
{
    rf_store *st = srv->st;
    rf_db_stmt *s = NULL;
    rf_status status = rf_store__prepare(&s, st, sql);
    if (status != RF_OK) {
        return status;
    }
    rf_strvec labels = {0};
    size_t cap = 0;
    int rc;
    while (status == RF_OK && (rc = RF_DB(st)->step(s)) == RF_DB_ROW) {
        const char *label = RF_DB(st)->col_text(s, 0);
        if (label == NULL || *label == '\0') {
            label = empty_label;
        }
        status = rf_strvec_push(&labels, label);
        if (status == RF_OK && t->n == cap) {
            cap = cap ? cap * 2 : 16;
            rf_chart_bar *v = realloc(t->v, cap * sizeof *v);
            status = v ? RF_OK : RF_ENOMEM;
            t->v = v ? v : t->v;
        }
        if (status == RF_OK) {
            t->v[t->n].n = (uint64_t)RF_DB(st)->col_int(s, 1);
            t->n++;
        }
    }
    if (status == RF_OK && rc < 0) {
        status = rf_store__dbfail(st, (rf_status)rc, "counting findings");
    }
    RF_DB(st)->finalize(s);
    /* labels are pointed to only now: the vector may have moved them */
    for (size_t i = 0; status == RF_OK && i < t->n; i++) {
        t->v[i].label = labels.v[i];
    }
    t->labels = labels;
    return status;
}

static rf_status count_sql(uint64_t *out, rf_server *srv, const char *sql)
{
    rf_tally_list t = {0};
    rf_status s = tally_sql(&t, srv, sql, "");
    *out = t.n > 0 ? t.v[0].n : 0;
    free(t.v);
    rf_strvec_free(&t.labels);
    return s;
}

/* Open findings only, as `redflag report` shows by default. */
#define OPEN " WHERE f.resolved_scan IS NULL"

rf_status rf_server__summary(rf_summary *sum, rf_server *srv)
{
    memset(sum, 0, sizeof *sum);
    rf_tally_list sev = {0};
    rf_tally_list stat = {0};
    rf_status s = count_sql(
        &sum->findings, srv, "SELECT '', count(*) FROM findings f" OPEN);
    s = s ? s
          : count_sql(
                &sum->documents, srv,
                "SELECT '', count(DISTINCT f.document_id) FROM findings "
                "f" OPEN);
    s = s ? s
          : tally_sql(
                &sev, srv,
                "SELECT f.severity, count(*) FROM findings f" OPEN
                " GROUP BY f.severity",
                "");
    for (size_t i = 0; s == RF_OK && i < sev.n; i++) {
        long v = strtol(sev.v[i].label, NULL, 10);
        if (v >= RF_SEV_INFO && v <= RF_SEV_CRITICAL) {
            sum->by_sev[v] += sev.v[i].n;
        }
    }
    s = s ? s
          : tally_sql(
                &stat, srv,
                "SELECT CASE WHEN f.resolved_scan IS NULL THEN f.review"
                " ELSE 'resolved' END AS st, count(*) FROM findings f"
                " GROUP BY st",
                "");
    for (size_t i = 0; s == RF_OK && i < stat.n; i++) {
        rf_review_status r;
        if (rf_review_status_parse(&r, stat.v[i].label) == RF_OK) {
            sum->by_status[r] += stat.v[i].n;
        }
    }
    s = s ? s
          : tally_sql(
                &sum->traits, srv,
                "SELECT f.category, count(*) AS n FROM findings f" OPEN
                " GROUP BY f.category ORDER BY n DESC, f.category",
                "(none)");
    s = s ? s
          : tally_sql(
                &sum->applicants, srv,
                "SELECT v.value, count(*) AS n FROM findings f"
                " JOIN document_values v ON v.document_id = f.document_id"
                " AND v.role = 'applicant'" OPEN
                " GROUP BY v.value ORDER BY n DESC, v.value LIMIT 100",
                "(none)");
    s = s ? s
          : tally_sql(
                &sum->years, srv,
                "SELECT substr(coalesce(d.date_published, d.date_filed, ''),"
                " 1, 4) AS y, count(*) FROM findings f"
                " JOIN documents d ON d.id = f.document_id" OPEN
                " GROUP BY y ORDER BY y",
                "undated");
    s = s ? s
          : tally_sql(
                &sum->langs, srv,
                "SELECT CASE WHEN f.lang <> '' THEN f.lang ELSE d.lang END"
                " AS l, count(*) AS n FROM findings f"
                " JOIN documents d ON d.id = f.document_id" OPEN
                " GROUP BY l ORDER BY n DESC, l",
                "unknown");
    free(sev.v);
    rf_strvec_free(&sev.labels);
    free(stat.v);
    rf_strvec_free(&stat.labels);
    return s;
}

static void tally_free(rf_tally_list *t)
{
    free(t->v);
    rf_strvec_free(&t->labels);
}

void rf_server__summary_free(rf_summary *sum)
{
    tally_free(&sum->traits);
    tally_free(&sum->applicants);
    tally_free(&sum->years);
    tally_free(&sum->langs);
}

rf_status rf_server__traits(rf_strvec *out, rf_server *srv)
{
    rf_tally_list t = {0};
    rf_status s = tally_sql(
        &t, srv,
        "SELECT DISTINCT f.category, 0 FROM findings f"
        " WHERE f.category <> '' ORDER BY f.category",
        "");
    free(t.v);
    *out = t.labels;
    return s;
}

static json_t *tally_json(const rf_tally_list *t)
{
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && i < t->n; i++) {
        json_array_append_new(
            a, json_pack(
                   "{s:s,s:I}", "label", t->v[i].label, "count",
                   (json_int_t)t->v[i].n));
    }
    return a;
}

rf_status
rf_server__api_summary(rf_server *srv, const rf_http_req *rq, rf_http_resp *rs)
{
    (void)rq;
    rf_summary sum;
    rf_status s = rf_server__summary(&sum, srv);
    if (s != RF_OK) {
        rf_server__summary_free(&sum);
        return store_fail(srv, rs, s);
    }
    json_t *sev = json_object();
    for (int i = RF_SEV_INFO; sev != NULL && i <= RF_SEV_CRITICAL; i++) {
        json_object_set_new(
            sev, rf_severity_name((rf_severity)i),
            json_integer((json_int_t)sum.by_sev[i]));
    }
    json_t *stat = json_object();
    for (int i = RF_REVIEW_NEW; stat != NULL && i <= RF_REVIEW_RESOLVED; i++) {
        json_object_set_new(
            stat, rf_review_status_name((rf_review_status)i),
            json_integer((json_int_t)sum.by_status[i]));
    }
    json_t *o = json_pack(
        "{s:I,s:I,s:o,s:o,s:o,s:o,s:o,s:o}", "findings",
        (json_int_t)sum.findings, "documents", (json_int_t)sum.documents,
        "by_severity", sev, "by_status", stat, "by_trait",
        tally_json(&sum.traits), "by_applicant", tally_json(&sum.applicants),
        "by_year", tally_json(&sum.years), "by_language",
        tally_json(&sum.langs));
    rf_server__summary_free(&sum);
    return json_resp(rs, 200, o);
}
