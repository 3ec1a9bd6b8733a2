/*
 * store_query.c - reading findings back: filters, views, counts, diffs.
 *
 * A query is one SELECT over findings joined with their documents, built
 * from the filter with positional parameters (never by pasting user text
 * into SQL). Each row becomes an rf_finding view with an rf_document view
 * behind it, exactly the shape a scan hands to sinks, so every writer can
 * render stored findings and fresh ones alike. Applicants, inventors and
 * classes live in document_values and are read once per document: rows
 * come ordered by document.
 *
 * The order is deterministic (path, member, index, offset, rule,
 * fingerprint) so reports from the same store are byte-identical.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store.h"

/* ---------------- parameters ---------------- */

typedef struct param {
    bool is_text;
    int64_t i;
    char *s;
} param;

typedef struct query {
    rf_buf where;
    param params[32];
    size_t nparams;
    rf_status status;
} query;

static void q_free(query *q)
{
    rf_buf_free(&q->where);
    for (size_t i = 0; i < q->nparams; i++) {
        free(q->params[i].s);
    }
}

static void q_cond(query *q, const char *sql)
{
    if (q->status != RF_OK) {
        return;
    }
    q->status = rf_buf_printf(&q->where, " AND (%s)", sql);
}

static void q_int(query *q, int64_t v)
{
    if (q->status != RF_OK) {
        return;
    }
    if (q->nparams == RF_ARRAY_LEN(q->params)) {
        q->status = RF_ELIMIT;
        return;
    }
    q->params[q->nparams++] = (param){.is_text = false, .i = v};
}

static void q_text(query *q, const char *v)
{
    if (q->status != RF_OK) {
        return;
    }
    if (q->nparams == RF_ARRAY_LEN(q->params)) {
        q->status = RF_ELIMIT;
        return;
    }
    char *copy = rf_strdup(v);
    if (copy == NULL) {
        q->status = RF_ENOMEM;
        return;
    }
    q->params[q->nparams++] = (param){.is_text = true, .s = copy};
}

/* ASCII lower case: what SQLite's lower() does, so both sides agree. */
static char *ascii_lower(const char *s)
{
    char *out = rf_strdup(s);
    for (char *p = out; p && *p; p++) {
        if (*p >= 'A' && *p <= 'Z') {
            *p = (char)(*p - 'A' + 'a');
        }
    }
    return out;
}

/* A LIKE pattern matching @p s anywhere, with %, _ and \ escaped. */
static void q_like(query *q, const char *s)
{
    rf_buf b = {0};
    char *low = ascii_lower(s);
    rf_status status = low ? rf_buf_putc(&b, '%') : RF_ENOMEM;
    for (const char *p = low; status == RF_OK && *p; p++) {
        if (*p == '%' || *p == '_' || *p == '\\') {
            status = rf_buf_putc(&b, '\\');
        }
        if (status == RF_OK) {
            status = rf_buf_putc(&b, *p);
        }
    }
    if (status == RF_OK) {
        status = rf_buf_putc(&b, '%');
    }
    if (status == RF_OK) {
        q_text(q, b.data);
    } else if (q->status == RF_OK) {
        q->status = status;
    }
    free(low);
    rf_buf_free(&b);
}

static bool valid_date(const char *s)
{
    /* yyyy, yyyy-mm or yyyy-mm-dd */
    size_t n = strlen(s);
    if (n != 4 && n != 7 && n != 10) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        bool dash = i == 4 || i == 7;
        if (dash ? s[i] != '-' : (s[i] < '0' || s[i] > '9')) {
            return false;
        }
    }
    return true;
}

void rf_store_filter_init(rf_store_filter *flt)
{
    memset(flt, 0, sizeof *flt);
    flt->version = RF_STORE_FILTER_VERSION;
    flt->status = -1;
}

/* Translate a filter into WHERE conditions and parameters. */
static rf_status build_where(query *q, rf_store *st, const rf_store_filter *f)
{
    if (f->scan > 0) {
        q_cond(
            q, "f.id IN (SELECT finding_id FROM scan_findings"
               " WHERE scan_id = ?)");
        q_int(q, f->scan);
    }
    if (f->new_since_scan > 0) {
        q_cond(q, "f.first_scan > ?");
        q_int(q, f->new_since_scan);
    }
    if (f->min_severity > RF_SEV_INFO) {
        q_cond(q, "f.severity >= ?");
        q_int(q, (int64_t)f->min_severity);
    }
    if (f->category != NULL) {
        char *low = ascii_lower(f->category);
        q_cond(q, "lower(f.category) = ?");
        q_text(q, low ? low : "");
        free(low);
    }
    if (f->rule_id != NULL) {
        q_cond(q, "f.rule_id = ?");
        q_text(q, f->rule_id);
    }
    if (f->lang != NULL) {
        /* "zh" also matches "zh-Hans" and "zh-Hant" */
        char *low = ascii_lower(f->lang);
        char *prefix = NULL;
        if (low != NULL && (prefix = malloc(strlen(low) + 2)) != NULL) {
            sprintf(prefix, "%s-", low);
        }
        q_cond(q, "lower(f.lang) = ? OR substr(lower(f.lang), 1, ?) = ?");
        q_text(q, low ? low : "");
        q_int(q, prefix ? (int64_t)strlen(prefix) : 0);
        q_text(q, prefix ? prefix : "");
        free(low);
        free(prefix);
    }
    if (f->status >= 0) {
        if (f->status > RF_REVIEW_RESOLVED) {
            return rf_store__fail(st, RF_EINVAL, "unknown review status");
        }
        if (f->status == RF_REVIEW_RESOLVED) {
            q_cond(q, "f.resolved_scan IS NOT NULL");
        } else {
            q_cond(q, "f.resolved_scan IS NULL AND f.review = ?");
            q_text(q, rf_store__review_sql((rf_review_status)f->status));
        }
    } else if (
        !f->include_resolved && f->scan <= 0 && f->resolved_by_scan <= 0) {
        q_cond(q, "f.resolved_scan IS NULL");
    }
    if (f->resolved_by_scan > 0) {
        q_cond(q, "f.resolved_scan = ?");
        q_int(q, f->resolved_by_scan);
    }
    if (f->applicant != NULL) {
        q_cond(
            q, "EXISTS (SELECT 1 FROM document_values v"
               " WHERE v.document_id = d.id AND v.role = 'applicant'"
               " AND lower(v.value) LIKE ? ESCAPE '\\')");
        q_like(q, f->applicant);
    }
    if (f->since != NULL) {
        if (!valid_date(f->since)) {
            return rf_store__fail(
                st, RF_EINVAL,
                "'%s' is not a date: use yyyy, yyyy-mm or yyyy-mm-dd",
                f->since);
        }
        q_cond(q, "coalesce(d.date_published, d.date_filed) >= ?");
        q_text(q, f->since);
    }
    if (f->until != NULL) {
        if (!valid_date(f->until)) {
            return rf_store__fail(
                st, RF_EINVAL,
                "'%s' is not a date: use yyyy, yyyy-mm or yyyy-mm-dd",
                f->until);
        }
        /* compare only as many characters as given: until 2020 includes
         * 2020-12-31 */
        q_cond(
            q, "substr(coalesce(d.date_published, d.date_filed), 1, ?)"
               " <= ?");
        q_int(q, (int64_t)strlen(f->until));
        q_text(q, f->until);
    }
    if (f->text != NULL) {
        q_cond(
            q, "lower(f.snippet) LIKE ? ESCAPE '\\'"
               " OR lower(coalesce(d.title, '')) LIKE ? ESCAPE '\\'");
        q_like(q, f->text);
        q_like(q, f->text);
    }
    if (f->fingerprint != NULL) {
        char *low = ascii_lower(f->fingerprint);
        q_cond(q, "substr(f.fingerprint, 1, ?) = ?");
        q_int(q, low ? (int64_t)strlen(low) : 0);
        q_text(q, low ? low : "");
        free(low);
    }
    if (q->status != RF_OK) {
        return rf_store__fail(
            st, q->status, "building a query: %s", rf_status_str(q->status));
    }
    return RF_OK;
}

static rf_status bind_all(rf_store *st, rf_db_stmt *s, const query *q)
{
    for (size_t i = 0; i < q->nparams; i++) {
        rf_status status =
            q->params[i].is_text
                ? RF_DB(st)->bind_text(s, (int)i + 1, q->params[i].s)
                : RF_DB(st)->bind_int(s, (int)i + 1, q->params[i].i);
        if (status != RF_OK) {
            return rf_store__dbfail(st, status, "binding a query");
        }
    }
    return RF_OK;
}

/* ---------------- rows to views ---------------- */

enum {
    C_FID,
    C_FINGERPRINT,
    C_RULE,
    C_TITLE,
    C_CATEGORY,
    C_SEVERITY,
    C_REGULATION,
    C_MESSAGE,
    C_SECTION,
    C_UNIT,
    C_LANG,
    C_LINE,
    C_COL,
    C_START,
    C_END,
    C_SNIPPET,
    C_MARKS,
    C_TERMS,
    C_FIRST,
    C_LAST,
    C_RESOLVED,
    C_REVIEW,
    C_NOTE,
    C_REVIEWED_AT,
    C_BASELINE,
    C_DID,
    C_DPATH,
    C_DMEMBER,
    C_DIDX,
    C_DDOCID,
    C_DFORMAT,
    C_DKIND,
    C_DTITLE,
    C_DLANG,
    C_DOFFSET,
    C_DPUB,
    C_DFILED,
    C_DPRIO,
    C_DFAMILY
};

static const char select_cols[] =
    "SELECT f.id, f.fingerprint, f.rule_id, f.title, f.category, f.severity,"
    " f.regulation, f.message, f.section, f.unit, f.lang, f.line, f.col,"
    " f.start_offset, f.end_offset, f.snippet, f.marks, f.terms,"
    " f.first_scan, f.last_scan, f.resolved_scan, f.review, f.note,"
    " f.reviewed_at, f.from_baseline, d.id, d.path, d.member, d.idx,"
    " d.doc_id, d.format, d.kind, d.title, d.lang, d.byte_offset,"
    " d.date_published, d.date_filed, d.date_priority, d.family_id"
    " FROM findings f JOIN documents d ON d.id = f.document_id WHERE 1 = 1";

static const char order_by[] =
    " ORDER BY d.path, d.member, d.idx, f.start_offset, f.rule_id,"
    " f.fingerprint";

typedef struct view {
    int64_t doc_row;
    rf_strvec applicants;
    rf_strvec inventors;
    rf_strvec classes;
    rf_span *marks;
    size_t mark_cap;
    rf_strvec terms;
} view;

static void view_free(view *v)
{
    rf_strvec_free(&v->applicants);
    rf_strvec_free(&v->inventors);
    rf_strvec_free(&v->classes);
    rf_strvec_free(&v->terms);
    free(v->marks);
}

static rf_status load_values(view *v, rf_store *st, int64_t doc_row)
{
    rf_db_stmt *s = NULL;
    rf_strvec_free(&v->applicants);
    rf_strvec_free(&v->inventors);
    rf_strvec_free(&v->classes);
    v->doc_row = 0;
    rf_status status = rf_store__stmt(&s, st, RF_SQL_DOCVAL_SELECT);
    if (status != RF_OK) {
        return status;
    }
    RF_DB(st)->bind_int(s, 1, doc_row);
    int rc;
    while (status == RF_OK && (rc = RF_DB(st)->step(s)) == RF_DB_ROW) {
        const char *role = RF_DB(st)->col_text(s, 0);
        const char *value = RF_DB(st)->col_text(s, 1);
        rf_strvec *dst = strcmp(role, "applicant") == 0  ? &v->applicants
                         : strcmp(role, "inventor") == 0 ? &v->inventors
                                                         : &v->classes;
        status = rf_strvec_push(dst, value ? value : "");
    }
    RF_DB(st)->reset(s);
    if (status == RF_OK && rc < 0) {
        status = rf_store__dbfail(st, (rf_status)rc, "reading a document");
    }
    if (status == RF_OK) {
        v->doc_row = doc_row;
    }
    return status;
}

/* Parse the marks and terms JSON columns. Bad JSON (a store edited by
 * hand) degrades to no marks rather than failing the report. */
static rf_status load_marks_terms(
    view *v,
    size_t *mark_count,
    const char *marks,
    const char *terms,
    size_t snippet_len)
{
    *mark_count = 0;
    rf_strvec_free(&v->terms);
    json_t *jm = json_loads(marks ? marks : "[]", 0, NULL);
    size_t n = json_is_array(jm) ? json_array_size(jm) : 0;
    if (n > v->mark_cap) {
        rf_span *p = realloc(v->marks, n * sizeof *p);
        if (p == NULL) {
            json_decref(jm);
            return RF_ENOMEM;
        }
        v->marks = p;
        v->mark_cap = n;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *pair = json_array_get(jm, i);
        json_int_t a = json_integer_value(json_array_get(pair, 0));
        json_int_t b = json_integer_value(json_array_get(pair, 1));
        if (a < 0 || b < a || (size_t)b > snippet_len) {
            continue;
        }
        v->marks[(*mark_count)++] = (rf_span){(size_t)a, (size_t)b};
    }
    json_decref(jm);
    json_t *jt = json_loads(terms ? terms : "[]", 0, NULL);
    n = json_is_array(jt) ? json_array_size(jt) : 0;
    rf_status status = RF_OK;
    for (size_t i = 0; status == RF_OK && i < n; i++) {
        const char *t = json_string_value(json_array_get(jt, i));
        if (t != NULL) {
            status = rf_strvec_push(&v->terms, t);
        }
    }
    json_decref(jt);
    return status;
}

static rf_review_status parse_review(const char *s)
{
    rf_review_status r = RF_REVIEW_NEW;
    if (s != NULL && rf_review_status_parse(&r, s) != RF_OK) {
        r = RF_REVIEW_NEW;
    }
    return r;
}

static const char *col(rf_store *st, rf_db_stmt *s, int i)
{
    return RF_DB(st)->col_text(s, i);
}

static const char *col_nz(rf_store *st, rf_db_stmt *s, int i)
{
    const char *v = RF_DB(st)->col_text(s, i);
    return v ? v : "";
}

static const char *empty_null(const char *s)
{
    return s != NULL && *s != '\0' ? s : NULL;
}

/* Turn the current row into views and call cb. */
static rf_status emit_row(
    rf_store *st,
    rf_db_stmt *s,
    view *v,
    rf_stored_finding_cb cb,
    void *payload)
{
    int64_t doc_row = RF_DB(st)->col_int(s, C_DID);
    rf_status status = RF_OK;
    if (doc_row != v->doc_row) {
        status = load_values(v, st, doc_row);
        if (status != RF_OK) {
            return status;
        }
    }
    const char *snippet = col_nz(st, s, C_SNIPPET);
    size_t mark_count = 0;
    status = load_marks_terms(
        v, &mark_count, col(st, s, C_MARKS), col(st, s, C_TERMS),
        strlen(snippet));
    if (status != RF_OK) {
        return status;
    }
    rf_document doc = {
        .id = col_nz(st, s, C_DDOCID),
        .format = col_nz(st, s, C_DFORMAT),
        .kind = col_nz(st, s, C_DKIND),
        .title = col(st, s, C_DTITLE),
        .lang = col_nz(st, s, C_DLANG),
        .path = col_nz(st, s, C_DPATH),
        .member = empty_null(col(st, s, C_DMEMBER)),
        .index = (uint64_t)RF_DB(st)->col_int(s, C_DIDX),
        .offset = (uint64_t)RF_DB(st)->col_int(s, C_DOFFSET),
        .date_published = col(st, s, C_DPUB),
        .date_filed = col(st, s, C_DFILED),
        .date_priority = col(st, s, C_DPRIO),
        .family_id = col(st, s, C_DFAMILY),
        .applicants = rf_strvec_list(&v->applicants),
        .inventors = rf_strvec_list(&v->inventors),
        .classes = rf_strvec_list(&v->classes),
    };
    rf_finding f = {
        .rule = NULL,
        .rule_id = col_nz(st, s, C_RULE),
        .title = col_nz(st, s, C_TITLE),
        .category = col_nz(st, s, C_CATEGORY),
        .severity = (rf_severity)RF_DB(st)->col_int(s, C_SEVERITY),
        .regulation = col_nz(st, s, C_REGULATION),
        .message = col_nz(st, s, C_MESSAGE),
        .doc = &doc,
        .section = col_nz(st, s, C_SECTION),
        .unit = col(st, s, C_UNIT),
        .lang = col_nz(st, s, C_LANG),
        .line = (uint64_t)RF_DB(st)->col_int(s, C_LINE),
        .column = (uint64_t)RF_DB(st)->col_int(s, C_COL),
        .start = (uint64_t)RF_DB(st)->col_int(s, C_START),
        .end = (uint64_t)RF_DB(st)->col_int(s, C_END),
        .snippet = snippet,
        .marks = v->marks,
        .mark_count = mark_count,
        .terms = rf_strvec_list(&v->terms),
        .term_count = v->terms.n,
        .fingerprint = col_nz(st, s, C_FINGERPRINT),
    };
    rf_stored_finding sf = {
        .finding = &f,
        .review = parse_review(col(st, s, C_REVIEW)),
        .note = col(st, s, C_NOTE),
        .first_scan = RF_DB(st)->col_int(s, C_FIRST),
        .last_scan = RF_DB(st)->col_int(s, C_LAST),
        .resolved_scan = RF_DB(st)->col_null(s, C_RESOLVED)
                             ? 0
                             : RF_DB(st)->col_int(s, C_RESOLVED),
        .reviewed_at = col(st, s, C_REVIEWED_AT),
        .from_baseline = RF_DB(st)->col_int(s, C_BASELINE) != 0,
    };
    sf.status = sf.resolved_scan > 0 ? RF_REVIEW_RESOLVED : sf.review;
    sf.suppressed = sf.review == RF_REVIEW_FALSE_POSITIVE;
    return cb(&sf, payload) != 0 ? RF_EUSER : RF_OK;
}

rf_status rf_store__query(
    rf_store *st,
    const rf_store_filter *flt,
    const char *extra_where,
    rf_stored_finding_cb cb,
    void *payload)
{
    return rf_store__query_ordered(st, flt, extra_where, NULL, cb, payload);
}

rf_status rf_store__query_ordered(
    rf_store *st,
    const rf_store_filter *flt,
    const char *extra_where,
    const char *order,
    rf_stored_finding_cb cb,
    void *payload)
{
    rf_store_filter defaults;
    query q = {0};
    view v = {0};
    rf_buf sql = {0};
    rf_db_stmt *s = NULL;
    if (flt == NULL) {
        rf_store_filter_init(&defaults);
        flt = &defaults;
    }
    rf_status status = build_where(&q, st, flt);
    if (status != RF_OK) {
        goto done;
    }
    status = rf_buf_puts(&sql, select_cols);
    if (status == RF_OK && q.where.data != NULL) {
        status = rf_buf_puts(&sql, q.where.data);
    }
    if (status == RF_OK && extra_where != NULL) {
        status = rf_buf_printf(&sql, " AND (%s)", extra_where);
    }
    if (status == RF_OK && order != NULL) {
        /* the caller's keys first, then the report order as tie-break so
         * pages never overlap or skip */
        status = rf_buf_printf(&sql, " ORDER BY %s,%s", order, order_by + 9);
    } else if (status == RF_OK) {
        status = rf_buf_puts(&sql, order_by);
    }
    if (status == RF_OK && (flt->limit > 0 || flt->offset > 0)) {
        status = rf_buf_printf(
            &sql, " LIMIT %lld OFFSET %lld",
            /* "no limit" as a number both engines take (PostgreSQL
             * refuses SQLite's -1) */
            flt->limit > 0 ? (long long)flt->limit : (long long)INT64_MAX,
            (long long)flt->offset);
    }
    if (status != RF_OK) {
        goto done;
    }
    status = rf_store__prepare(&s, st, sql.data);
    if (status != RF_OK) {
        goto done;
    }
    status = bind_all(st, s, &q);
    int rc = RF_DB_DONE;
    while (status == RF_OK && (rc = RF_DB(st)->step(s)) == RF_DB_ROW) {
        status = emit_row(st, s, &v, cb, payload);
    }
    if (status == RF_OK && rc < 0) {
        status = rf_store__dbfail(st, (rf_status)rc, "reading findings");
    }
done:
    if (s != NULL) {
        RF_DB(st)->finalize(s);
    }
    view_free(&v);
    rf_buf_free(&sql);
    q_free(&q);
    return status;
}

rf_status rf_store_query(
    rf_store *st,
    const rf_store_filter *flt,
    rf_stored_finding_cb cb,
    void *payload)
{
    return rf_store__query(st, flt, NULL, cb, payload);
}

rf_status
rf_store_count(uint64_t *out, rf_store *st, const rf_store_filter *flt)
{
    rf_store_filter defaults;
    query q = {0};
    rf_buf sql = {0};
    rf_db_stmt *s = NULL;
    *out = 0;
    if (flt == NULL) {
        rf_store_filter_init(&defaults);
        flt = &defaults;
    }
    rf_status status = build_where(&q, st, flt);
    if (status == RF_OK) {
        status = rf_buf_printf(
            &sql,
            "SELECT count(*) FROM findings f JOIN documents d"
            " ON d.id = f.document_id WHERE 1 = 1%s",
            q.where.data ? q.where.data : "");
    }
    if (status == RF_OK) {
        status = rf_store__prepare(&s, st, sql.data);
    }
    if (status == RF_OK) {
        status = bind_all(st, s, &q);
    }
    if (status == RF_OK) {
        int rc = RF_DB(st)->step(s);
        if (rc == RF_DB_ROW) {
            *out = (uint64_t)RF_DB(st)->col_int(s, 0);
        } else {
            status = rf_store__dbfail(
                st, rc < 0 ? (rf_status)rc : RF_EDB, "counting findings");
        }
    }
    if (s != NULL) {
        RF_DB(st)->finalize(s);
    }
    rf_buf_free(&sql);
    q_free(&q);
    return status;
}

/* ---------------- rules ---------------- */

rf_status rf_store__rules(
    rf_store *st,
    rf_status (*cb)(const rf_rule_info *rule, void *payload),
    void *payload)
{
    rf_db_stmt *s = NULL;
    rf_status status = rf_store__prepare(
        &s, st,
        "SELECT id, title, category, severity, regulation, message,"
        " description FROM rules ORDER BY id");
    if (status != RF_OK) {
        return status;
    }
    int rc = RF_DB_DONE;
    while (status == RF_OK && (rc = RF_DB(st)->step(s)) == RF_DB_ROW) {
        rf_rule_info r = {
            .id = col_nz(st, s, 0),
            .title = col_nz(st, s, 1),
            .category = col_nz(st, s, 2),
            .severity = (rf_severity)RF_DB(st)->col_int(s, 3),
            .regulation = col_nz(st, s, 4),
            .message = col_nz(st, s, 5),
            .description = col_nz(st, s, 6),
        };
        status = cb(&r, payload);
    }
    if (status == RF_OK && rc < 0) {
        status = rf_store__dbfail(st, (rf_status)rc, "reading rules");
    }
    RF_DB(st)->finalize(s);
    return status;
}

/* ---------------- diff ---------------- */

static rf_status scan_exists(bool *out, rf_store *st, int64_t id)
{
    rf_db_stmt *s = NULL;
    *out = false;
    rf_status status =
        rf_store__prepare(&s, st, "SELECT state FROM scans WHERE id = ?");
    if (status != RF_OK) {
        return status;
    }
    RF_DB(st)->bind_int(s, 1, id);
    int rc = RF_DB(st)->step(s);
    if (rc < 0) {
        status = rf_store__dbfail(st, (rf_status)rc, "reading scans");
    }
    *out = rc == RF_DB_ROW;
    RF_DB(st)->finalize(s);
    return status;
}

static rf_status previous_scan(int64_t *out, rf_store *st, int64_t before)
{
    rf_db_stmt *s = NULL;
    *out = 0;
    rf_status status = rf_store__prepare(
        &s, st,
        "SELECT max(id) FROM scans WHERE state = 'complete' AND id < ?");
    if (status != RF_OK) {
        return status;
    }
    RF_DB(st)->bind_int(s, 1, before);
    int rc = RF_DB(st)->step(s);
    if (rc < 0) {
        status = rf_store__dbfail(st, (rf_status)rc, "reading scans");
    } else if (rc == RF_DB_ROW && !RF_DB(st)->col_null(s, 0)) {
        *out = RF_DB(st)->col_int(s, 0);
    }
    RF_DB(st)->finalize(s);
    return status;
}

typedef struct diff_ctx {
    rf_diff_kind kind;
    int (*cb)(rf_diff_kind, const rf_stored_finding *, void *);
    void *payload;
} diff_ctx;

static int diff_row(const rf_stored_finding *sf, void *payload)
{
    diff_ctx *d = payload;
    return d->cb(d->kind, sf, d->payload);
}

rf_status rf_store_diff(
    rf_store *st,
    const rf_store_filter *flt,
    int64_t *from,
    int64_t *to,
    int (*cb)(rf_diff_kind kind, const rf_stored_finding *sf, void *payload),
    void *payload)
{
    rf_store_filter f;
    char where[1024];
    bool exists = false;
    rf_status status = RF_OK;
    if (*to <= 0) {
        status = rf_store__latest_scan(to, st, true);
        if (status != RF_OK) {
            return status;
        }
        if (*to == 0) {
            return rf_store__fail(
                st, RF_ENOTFOUND,
                "%s: no complete scan to compare (run redflag scan --store "
                "%s PATH)",
                st->target, st->target);
        }
    }
    status = scan_exists(&exists, st, *to);
    if (status == RF_OK && !exists) {
        status = rf_store__fail(
            st, RF_ENOTFOUND, "%s: no scan %lld", st->target, (long long)*to);
    }
    if (status == RF_OK && *from <= 0) {
        status = previous_scan(from, st, *to);
    } else if (status == RF_OK) {
        status = scan_exists(&exists, st, *from);
        if (status == RF_OK && !exists) {
            status = rf_store__fail(
                st, RF_ENOTFOUND, "%s: no scan %lld", st->target,
                (long long)*from);
        }
    }
    if (status != RF_OK) {
        return status;
    }
    if (flt != NULL) {
        f = *flt;
    } else {
        rf_store_filter_init(&f);
    }
    f.scan = 0;
    f.include_resolved = true;

    long long a = (long long)*from;
    long long b = (long long)*to;
    diff_ctx ctx = {RF_DIFF_NEW, cb, payload};
    /* Scan ids are integers we read ourselves, so they are printed into
     * the SQL; everything user-supplied stays a bound parameter. */
    snprintf(
        where, sizeof where,
        "f.id IN (SELECT finding_id FROM scan_findings WHERE scan_id = %lld)"
        " AND f.id NOT IN (SELECT finding_id FROM scan_findings"
        " WHERE scan_id = %lld)",
        b, a);
    status = rf_store__query(st, &f, where, diff_row, &ctx);
    if (status != RF_OK || a == 0) {
        return status;
    }
    ctx.kind = RF_DIFF_RESOLVED;
    /* Gone in `to`: only what `to` looked for (its roots, its minimum
     * severity) and could read counts as resolved. */
    snprintf(
        where, sizeof where,
        "f.id IN (SELECT finding_id FROM scan_findings WHERE scan_id = %lld)"
        " AND f.id NOT IN (SELECT finding_id FROM scan_findings"
        " WHERE scan_id = %lld)"
        " AND f.severity >= (SELECT min_severity FROM scans WHERE id = %lld)"
        " AND EXISTS (SELECT 1 FROM scan_paths p WHERE p.scan_id = %lld AND"
        " ((p.path = '' AND substr(d.path_key, 1, 1) <> '/')"
        " OR d.path_key = p.path"
        " OR substr(d.path_key, 1, length(p.path) + 1) = p.path || '/'))"
        " AND NOT EXISTS (SELECT 1 FROM scan_errors e WHERE e.scan_id = %lld"
        " AND (d.path_key = e.path"
        " OR substr(d.path_key, 1, length(e.path) + 1) = e.path || '/')"
        " AND (e.member = '' OR e.member = d.member))",
        a, b, b, b, b);
    return rf_store__query(st, &f, where, diff_row, &ctx);
}
