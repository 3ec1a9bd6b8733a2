/*
 * store_sink.c - recording a scan into the store.
 *
 * The sink sees a scan as the engine emits it: begin, then each document
 * followed by its findings, diagnostics in between, and end. It writes:
 *
 *   begin     the scan row, its roots and the rules, in a transaction of
 *             their own (so the scan is visible as `running` at once);
 *   document  upsert of the document row; every `batch_documents`
 *             documents (or 2 seconds) the open transaction is committed
 *             and a new one begun, always between two documents, so a
 *             document and all its findings commit together;
 *   finding   upsert keyed by fingerprint plus a sighting row
 *             (scan_findings) for exact diffs;
 *   diag      errors are recorded per input: findings of an input that
 *             failed to read are not resolved by this scan;
 *   end       the last batch, then re-scan resolution, baseline
 *             application and the scan's totals, in one transaction.
 *
 * Re-scan rules, keyed by fingerprint (the engine makes it stable):
 *   seen again        refresh location/snippet, last_scan = this scan,
 *                     reopen if it was resolved; the review is untouched;
 *   new               inserted with review `new` (or the review of a
 *                     remembered baseline entry);
 *   not seen again    if its document lies below one of this scan's roots
 *                     and its severity is at or above the scan's minimum,
 *                     resolved_scan = this scan; the row and its review
 *                     stay.
 *
 * A process killed at any point leaves the store as of its last commit:
 * whole documents with all their findings, and a scan still marked
 * `running` that resolved nothing. Running the scan again upserts by
 * fingerprint, so nothing is duplicated.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store.h"

#define DEFAULT_BATCH 256
#define BATCH_MS      2000

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void rf_store_scan_info_init(rf_store_scan_info *info)
{
    memset(info, 0, sizeof *info);
    info->version = RF_STORE_SCAN_INFO_VERSION;
    info->min_severity = RF_SEV_INFO;
    info->batch_documents = DEFAULT_BATCH;
}

/* ---------------- rules version ---------------- */

/* FNV-1a over every rule's metadata and terms: a cheap, stable label that
 * tells two scans made with different rules apart. It is not a security
 * checksum. */
static void fnv(uint64_t *h, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    for (; *p; p++) {
        *h ^= *p;
        *h *= 0x100000001b3ULL;
    }
    *h ^= 0xff; /* field separator */
    *h *= 0x100000001b3ULL;
}

static int hash_term(const char *term, const char *set, void *payload)
{
    fnv(payload, set);
    fnv(payload, term);
    return 0;
}

static void rules_version(char out[40], const rf_ruleset *rs)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    size_t n = rf_ruleset_rule_count(rs);
    for (size_t i = 0; i < n; i++) {
        const rf_rule *r = rf_ruleset_rule(rs, i);
        char sev[8];
        snprintf(sev, sizeof sev, "%d", (int)rf_rule_severity(r));
        fnv(&h, rf_rule_id(r));
        fnv(&h, rf_rule_title(r));
        fnv(&h, rf_rule_category(r));
        fnv(&h, sev);
        fnv(&h, rf_rule_regulation(r));
        fnv(&h, rf_rule_message(r));
    }
    rf_ruleset_terms(rs, false, hash_term, &h);
    snprintf(out, 40, "%zu-rules-%016llx", n, (unsigned long long)h);
}

/* ---------------- transactions ---------------- */

static rf_status batch_begin(rf_store *st)
{
    rf_status status = RF_DB(st)->begin(st->db);
    if (status != RF_OK) {
        return rf_store__dbfail(st, status, "starting a transaction");
    }
    st->rec.in_txn = true;
    st->rec.batch_count = 0;
    st->rec.batch_started_ms = now_ms();
    return RF_OK;
}

static rf_status batch_commit(rf_store *st)
{
    if (!st->rec.in_txn) {
        return RF_OK;
    }
    rf_status status = RF_DB(st)->commit(st->db);
    if (status != RF_OK) {
        return rf_store__dbfail(st, status, "committing a batch");
    }
    st->rec.in_txn = false;
    return RF_OK;
}

/* Record a failure: undo the open batch; later callbacks just fail. */
static rf_status rec_fail(rf_store *st, rf_status status)
{
    if (st->rec.in_txn) {
        RF_DB(st)->rollback(st->db);
        st->rec.in_txn = false;
    }
    st->rec.failed = true;
    return status == RF_OK ? RF_EDB : status;
}

void rf_store__abort_scan(rf_store *st)
{
    rf_db_stmt *s = NULL;
    if (st->rec.in_txn) {
        RF_DB(st)->rollback(st->db);
        st->rec.in_txn = false;
    }
    if (st->rec.scan_id > 0 &&
        rf_store__stmt(&s, st, RF_SQL_SCAN_ABORT) == RF_OK) {
        RF_DB(st)->bind_int(s, 1, st->rec.scan_id);
        rf_store__run(st, s, "marking the scan aborted");
    }
    st->rec.active = false;
}

/* ---------------- begin ---------------- */

static rf_status record_rules(rf_store *st, const rf_ruleset *rs)
{
    rf_db_stmt *s = NULL;
    size_t n = rs ? rf_ruleset_rule_count(rs) : 0;
    for (size_t i = 0; i < n; i++) {
        const rf_rule *r = rf_ruleset_rule(rs, i);
        rf_status status = rf_store__stmt(&s, st, RF_SQL_RULE_UPSERT);
        if (status != RF_OK) {
            return status;
        }
        const char *desc = rf_rule_description(r);
        RF_DB(st)->bind_text(s, 1, rf_rule_id(r));
        RF_DB(st)->bind_text(s, 2, rf_rule_title(r) ? rf_rule_title(r) : "");
        RF_DB(st)->bind_text(
            s, 3, rf_rule_category(r) ? rf_rule_category(r) : "");
        RF_DB(st)->bind_int(s, 4, (int64_t)rf_rule_severity(r));
        RF_DB(st)->bind_text(
            s, 5, rf_rule_regulation(r) ? rf_rule_regulation(r) : "");
        RF_DB(st)->bind_text(
            s, 6, rf_rule_message(r) ? rf_rule_message(r) : "");
        RF_DB(st)->bind_text(s, 7, desc ? desc : "");
        RF_DB(st)->bind_int(s, 8, st->rec.scan_id);
        status = rf_store__run(st, s, "recording a rule");
        if (status != RF_OK) {
            return status;
        }
    }
    return RF_OK;
}

static rf_status sink_begin(void *payload, const rf_ruleset *rs)
{
    rf_store *st = payload;
    rf_store_rec *rec = &st->rec;
    rf_db_stmt *s = NULL;
    char now[32];
    char version[40] = "";
    if (rec->failed) {
        return RF_EDB;
    }
    rf_status status = batch_begin(st);
    if (status != RF_OK) {
        return rec_fail(st, status);
    }
    if (rs != NULL) {
        rules_version(version, rs);
    }
    status = rf_store__stmt(&s, st, RF_SQL_SCAN_INSERT);
    if (status != RF_OK) {
        return rec_fail(st, status);
    }
    rf_store__now(now);
    RF_DB(st)->bind_text(s, 1, now);
    RF_DB(st)->bind_text(s, 2, rec->args ? rec->args : "");
    RF_DB(st)->bind_text(s, 3, RF_VERSION_STRING);
    RF_DB(st)->bind_int(s, 4, (int64_t)rec->min_severity);
    RF_DB(st)->bind_text(s, 5, version);
    RF_DB(st)->bind_int(s, 6, rs ? (int64_t)rf_ruleset_rule_count(rs) : 0);
    int rc = RF_DB(st)->step(s);
    if (rc != RF_DB_ROW) {
        return rec_fail(
            st, rf_store__dbfail(
                    st, rc < 0 ? (rf_status)rc : RF_EDB, "recording the scan"));
    }
    rec->scan_id = RF_DB(st)->col_int(s, 0);
    RF_DB(st)->reset(s);
    for (size_t i = 0; i < rec->paths.n; i++) {
        status = rf_store__stmt(&s, st, RF_SQL_SCAN_PATH_INSERT);
        if (status != RF_OK) {
            return rec_fail(st, status);
        }
        RF_DB(st)->bind_int(s, 1, rec->scan_id);
        RF_DB(st)->bind_text(s, 2, rec->paths.v[i]);
        status = rf_store__run(st, s, "recording the scan's paths");
        if (status != RF_OK) {
            return rec_fail(st, status);
        }
    }
    status = record_rules(st, rs);
    if (status == RF_OK) {
        status = batch_commit(st);
    }
    if (status == RF_OK) {
        status = batch_begin(st);
    }
    if (status != RF_OK) {
        return rec_fail(st, status);
    }
    rec->active = true;
    if (rec->has_next && rec->next.begin != NULL) {
        return rec->next.begin(rec->next.payload, rs);
    }
    return RF_OK;
}

/* ---------------- documents ---------------- */

static const char *nz(const char *s)
{
    return s ? s : "";
}

/* Identity of a document row: path, member, index and id. */
static char *doc_key(const rf_document *d)
{
    rf_buf b = {0};
    if (rf_buf_printf(
            &b, "%s%c%s%c%llu%c%s", nz(d->path), 0, nz(d->member), 0,
            (unsigned long long)d->index, 0, nz(d->id)) != RF_OK) {
        rf_buf_free(&b);
        return NULL;
    }
    return rf_buf_steal(&b);
}

static bool same_key(const char *a, const char *b)
{
    /* keys hold three NULs; compare all four fields */
    for (int field = 0; field < 4; field++) {
        if (strcmp(a, b) != 0) {
            return false;
        }
        a += strlen(a) + 1;
        b += strlen(b) + 1;
    }
    return true;
}

static rf_status record_values(
    rf_store *st, int64_t doc_row, const char *role, const char *const *list)
{
    rf_db_stmt *s = NULL;
    for (size_t i = 0; list != NULL && list[i] != NULL; i++) {
        rf_status status = rf_store__stmt(&s, st, RF_SQL_DOCVAL_INSERT);
        if (status != RF_OK) {
            return status;
        }
        RF_DB(st)->bind_int(s, 1, doc_row);
        RF_DB(st)->bind_text(s, 2, role);
        RF_DB(st)->bind_int(s, 3, (int64_t)i);
        RF_DB(st)->bind_text(s, 4, list[i]);
        status = rf_store__run(st, s, "recording document metadata");
        if (status != RF_OK) {
            return status;
        }
    }
    return RF_OK;
}

static rf_status record_document(rf_store *st, const rf_document *d)
{
    static const rf_document none = {.id = "", .path = ""};
    rf_store_rec *rec = &st->rec;
    rf_db_stmt *s = NULL;
    if (d == NULL) {
        d = &none;
    }
    char *key = doc_key(d);
    char *path_key = rf_store__path_key(nz(d->path));
    rf_status status = RF_OK;
    if (key == NULL || path_key == NULL) {
        status = RF_ENOMEM;
        goto done;
    }
    status = rf_store__stmt(&s, st, RF_SQL_DOC_UPSERT);
    if (status != RF_OK) {
        goto done;
    }
    int i = 1;
    RF_DB(st)->bind_text(s, i++, nz(d->path));
    RF_DB(st)->bind_text(s, i++, nz(d->member));
    RF_DB(st)->bind_int(s, i++, (int64_t)d->index);
    RF_DB(st)->bind_text(s, i++, d->id ? d->id : nz(d->path));
    RF_DB(st)->bind_text(s, i++, path_key);
    RF_DB(st)->bind_text(s, i++, nz(d->format));
    RF_DB(st)->bind_text(s, i++, nz(d->kind));
    RF_DB(st)->bind_text(s, i++, d->title);
    RF_DB(st)->bind_text(s, i++, nz(d->lang));
    RF_DB(st)->bind_int(s, i++, (int64_t)d->offset);
    RF_DB(st)->bind_text(s, i++, d->date_published);
    RF_DB(st)->bind_text(s, i++, d->date_filed);
    RF_DB(st)->bind_text(s, i++, d->date_priority);
    RF_DB(st)->bind_text(s, i++, d->family_id);
    RF_DB(st)->bind_int(s, i++, rec->scan_id);
    RF_DB(st)->bind_int(s, i++, rec->scan_id);
    int rc = RF_DB(st)->step(s);
    if (rc != RF_DB_ROW) {
        status = rf_store__dbfail(
            st, rc < 0 ? (rf_status)rc : RF_EDB, "recording a document");
        goto done;
    }
    int64_t row = RF_DB(st)->col_int(s, 0);
    RF_DB(st)->reset(s);
    /* Metadata lists are replaced wholesale: a corrected applicant list
     * in a later publication must not leave the old names behind. */
    status = rf_store__stmt(&s, st, RF_SQL_DOCVAL_DELETE);
    if (status != RF_OK) {
        goto done;
    }
    RF_DB(st)->bind_int(s, 1, row);
    status = rf_store__run(st, s, "recording document metadata");
    if (status == RF_OK) {
        status = record_values(st, row, "applicant", d->applicants);
    }
    if (status == RF_OK) {
        status = record_values(st, row, "inventor", d->inventors);
    }
    if (status == RF_OK) {
        status = record_values(st, row, "class", d->classes);
    }
    if (status != RF_OK) {
        goto done;
    }
    free(rec->doc_key);
    rec->doc_key = key;
    key = NULL;
    rec->doc_row = row;
    rec->doc_view = d == &none ? NULL : d;
done:
    free(key);
    free(path_key);
    return status;
}

static rf_status sink_document(void *payload, const rf_document *doc)
{
    rf_store *st = payload;
    rf_store_rec *rec = &st->rec;
    if (rec->failed || !rec->active) {
        return RF_EDB;
    }
    if (rec->pending != RF_OK) {
        return rec_fail(st, rec->pending);
    }
    rf_status status = RF_OK;
    if (rec->batch_count >= rec->batch_documents ||
        now_ms() - rec->batch_started_ms >= BATCH_MS) {
        status = batch_commit(st);
        if (status == RF_OK) {
            status = batch_begin(st);
        }
    }
    if (status == RF_OK) {
        status = record_document(st, doc);
    }
    if (status != RF_OK) {
        return rec_fail(st, status);
    }
    rec->batch_count++;
    if (rec->has_next && rec->next.document != NULL) {
        return rec->next.document(rec->next.payload, doc);
    }
    return RF_OK;
}

/* ---------------- findings ---------------- */

static rf_status marks_json(rf_buf *b, const rf_finding *f)
{
    rf_status status = rf_buf_putc(b, '[');
    for (size_t i = 0; status == RF_OK && i < f->mark_count; i++) {
        status = rf_buf_printf(
            b, "%s[%zu,%zu]", i ? "," : "", f->marks[i].start, f->marks[i].end);
    }
    return status == RF_OK ? rf_buf_putc(b, ']') : status;
}

static rf_status terms_json(rf_buf *b, const rf_finding *f)
{
    rf_status status = rf_buf_putc(b, '[');
    for (size_t i = 0; status == RF_OK && i < f->term_count; i++) {
        if (i > 0) {
            status = rf_buf_putc(b, ',');
        }
        if (status == RF_OK) {
            status = rf_buf_json_cstr(b, f->terms[i]);
        }
    }
    return status == RF_OK ? rf_buf_putc(b, ']') : status;
}

static rf_status ensure_document(rf_store *st, const rf_document *d)
{
    rf_store_rec *rec = &st->rec;
    if (rec->doc_key != NULL && d == rec->doc_view && d != NULL) {
        return RF_OK;
    }
    if (rec->doc_key != NULL) {
        static const rf_document none = {.id = "", .path = ""};
        char *key = doc_key(d ? d : &none);
        if (key == NULL) {
            return RF_ENOMEM;
        }
        bool same = same_key(key, rec->doc_key);
        free(key);
        if (same) {
            return RF_OK;
        }
    }
    return record_document(st, d);
}

static rf_status record_finding(rf_store *st, const rf_finding *f)
{
    rf_store_rec *rec = &st->rec;
    rf_db_stmt *s = NULL;
    rf_buf marks = {0};
    rf_buf terms = {0};
    rf_status status = ensure_document(st, f->doc);
    if (status == RF_OK) {
        status = marks_json(&marks, f);
    }
    if (status == RF_OK) {
        status = terms_json(&terms, f);
    }
    if (status == RF_OK) {
        status = rf_store__stmt(&s, st, RF_SQL_FINDING_UPSERT);
    }
    if (status != RF_OK) {
        goto done;
    }
    if (f->fingerprint == NULL || *f->fingerprint == '\0') {
        status = rf_store__fail(
            st, RF_EINVAL, "a finding without a fingerprint cannot be stored");
        goto done;
    }
    int i = 1;
    RF_DB(st)->bind_text(s, i++, f->fingerprint);
    RF_DB(st)->bind_int(s, i++, rec->doc_row);
    RF_DB(st)->bind_text(s, i++, nz(f->rule_id));
    RF_DB(st)->bind_text(s, i++, nz(f->title));
    RF_DB(st)->bind_text(s, i++, nz(f->category));
    RF_DB(st)->bind_int(s, i++, (int64_t)f->severity);
    RF_DB(st)->bind_text(s, i++, nz(f->regulation));
    RF_DB(st)->bind_text(s, i++, nz(f->message));
    RF_DB(st)->bind_text(s, i++, nz(f->section));
    RF_DB(st)->bind_text(s, i++, f->unit);
    RF_DB(st)->bind_text(s, i++, nz(f->lang));
    RF_DB(st)->bind_int(s, i++, (int64_t)f->line);
    RF_DB(st)->bind_int(s, i++, (int64_t)f->column);
    RF_DB(st)->bind_int(s, i++, (int64_t)f->start);
    RF_DB(st)->bind_int(s, i++, (int64_t)f->end);
    RF_DB(st)->bind_text(s, i++, nz(f->snippet));
    RF_DB(st)->bind_text(s, i++, marks.data ? marks.data : "[]");
    RF_DB(st)->bind_text(s, i++, terms.data ? terms.data : "[]");
    RF_DB(st)->bind_int(s, i++, rec->scan_id);
    RF_DB(st)->bind_int(s, i++, rec->scan_id);
    int rc = RF_DB(st)->step(s);
    if (rc != RF_DB_ROW) {
        status = rf_store__dbfail(
            st, rc < 0 ? (rf_status)rc : RF_EDB, "recording a finding");
        goto done;
    }
    int64_t row = RF_DB(st)->col_int(s, 0);
    RF_DB(st)->reset(s);
    status = rf_store__stmt(&s, st, RF_SQL_SIGHTING_INSERT);
    if (status != RF_OK) {
        goto done;
    }
    RF_DB(st)->bind_int(s, 1, rec->scan_id);
    RF_DB(st)->bind_int(s, 2, row);
    status = rf_store__run(st, s, "recording a sighting");
done:
    rf_buf_free(&marks);
    rf_buf_free(&terms);
    return status;
}

static rf_status sink_finding(void *payload, const rf_finding *f)
{
    rf_store *st = payload;
    rf_store_rec *rec = &st->rec;
    if (rec->failed || !rec->active) {
        return RF_EDB;
    }
    if (rec->pending != RF_OK) {
        return rec_fail(st, rec->pending);
    }
    rf_status status = record_finding(st, f);
    if (status != RF_OK) {
        return rec_fail(st, status);
    }
    if (rec->has_next && rec->next.finding != NULL) {
        return rec->next.finding(rec->next.payload, f);
    }
    return RF_OK;
}

/* ---------------- diagnostics ---------------- */

static void sink_diag(void *payload, const rf_diag *d)
{
    rf_store *st = payload;
    rf_store_rec *rec = &st->rec;
    rf_db_stmt *s = NULL;
    if (rec->active && !rec->failed && rec->pending == RF_OK &&
        d->level == RF_DIAG_ERROR && d->path != NULL) {
        char *key = rf_store__path_key(d->path);
        rf_status status =
            key ? rf_store__stmt(&s, st, RF_SQL_SCAN_ERROR_INSERT) : RF_ENOMEM;
        if (status == RF_OK) {
            RF_DB(st)->bind_int(s, 1, rec->scan_id);
            RF_DB(st)->bind_text(s, 2, key);
            RF_DB(st)->bind_text(s, 3, nz(d->member));
            RF_DB(st)->bind_text(s, 4, nz(d->message));
            status = rf_store__run(st, s, "recording a scan error");
        }
        free(key);
        /* diag cannot fail; the next document or finding reports it */
        rec->pending = status;
    }
    if (rec->has_next && rec->next.diag != NULL) {
        rec->next.diag(rec->next.payload, d);
    }
}

/* ---------------- end ---------------- */

static rf_status finish_scan(rf_store *st, const rf_scan_summary *sum)
{
    rf_store_rec *rec = &st->rec;
    rf_db_stmt *s = NULL;
    char now[32];
    rf_store__now(now);

    rf_status status = rf_store__stmt(&s, st, RF_SQL_RESOLVE);
    if (status != RF_OK) {
        return status;
    }
    RF_DB(st)->bind_int(s, 1, rec->scan_id);
    RF_DB(st)->bind_int(s, 2, rec->scan_id);
    RF_DB(st)->bind_int(s, 3, (int64_t)rec->min_severity);
    RF_DB(st)->bind_int(s, 4, rec->scan_id);
    RF_DB(st)->bind_int(s, 5, rec->scan_id);
    status = rf_store__run(st, s, "resolving findings");
    if (status != RF_OK) {
        return status;
    }

    /* the baseline's decisions: logged, then applied */
    static const rf_store_stmt_id baseline_sql[] = {
        RF_SQL_BASELINE_APPLY_LOG, RF_SQL_BASELINE_APPLY};
    for (size_t i = 0; i < RF_ARRAY_LEN(baseline_sql); i++) {
        status = rf_store__stmt(&s, st, baseline_sql[i]);
        if (status != RF_OK) {
            return status;
        }
        RF_DB(st)->bind_text(s, 1, now);
        RF_DB(st)->bind_int(s, 2, rec->scan_id);
        status = rf_store__run(st, s, "applying the baseline");
        if (status != RF_OK) {
            return status;
        }
    }

    status = rf_store__stmt(&s, st, RF_SQL_SCAN_END);
    if (status != RF_OK) {
        return status;
    }
    RF_DB(st)->bind_text(s, 1, now);
    RF_DB(st)->bind_int(s, 2, sum ? (int64_t)sum->documents : 0);
    RF_DB(st)->bind_int(s, 3, sum ? (int64_t)sum->findings : 0);
    RF_DB(st)->bind_int(s, 4, sum ? (int64_t)sum->errors : 0);
    RF_DB(st)->bind_int(s, 5, sum ? (int64_t)sum->bytes : 0);
    RF_DB(st)->bind_int(s, 6, rec->scan_id);
    status = rf_store__run(st, s, "completing the scan");
    if (status != RF_OK) {
        return status;
    }
    return batch_commit(st);
}

static rf_status sink_end(void *payload, const rf_scan_summary *summary)
{
    rf_store *st = payload;
    rf_store_rec *rec = &st->rec;
    if (rec->failed || !rec->active) {
        return RF_EDB;
    }
    rf_status status = rec->pending;
    if (status == RF_OK) {
        status = finish_scan(st, summary);
    }
    if (status != RF_OK) {
        return rec_fail(st, status);
    }
    rec->active = false;
    if (rec->has_next && rec->next.end != NULL) {
        return rec->next.end(rec->next.payload, summary);
    }
    return RF_OK;
}

/* ---------------- the sink ---------------- */

rf_status rf_store_sink(
    rf_sink *out,
    rf_store *st,
    const rf_store_scan_info *info,
    const rf_sink *next)
{
    rf_store_scan_info defaults;
    memset(out, 0, sizeof *out);
    if (st == NULL || st->db == NULL) {
        return RF_EINVAL;
    }
    if (st->rec.active) {
        return rf_store__fail(
            st, RF_EINVAL, "this store handle is already recording a scan");
    }
    if (info == NULL) {
        rf_store_scan_info_init(&defaults);
        info = &defaults;
    }
    rf_store__rec_free(&st->rec);
    rf_store_rec *rec = &st->rec;
    for (size_t i = 0; i < info->path_count; i++) {
        char *key = rf_store__path_key(info->paths[i]);
        rf_status status = key ? rf_strvec_push(&rec->paths, key) : RF_ENOMEM;
        free(key);
        if (status != RF_OK) {
            rf_store__rec_free(rec);
            return status;
        }
    }
    if (info->args != NULL) {
        rec->args = rf_strdup(info->args);
        if (rec->args == NULL) {
            rf_store__rec_free(rec);
            return RF_ENOMEM;
        }
    }
    rec->min_severity = info->min_severity;
    rec->batch_documents =
        info->batch_documents ? info->batch_documents : DEFAULT_BATCH;
    if (next != NULL) {
        rec->next = *next;
        rec->has_next = true;
    }
    out->version = RF_SINK_VERSION;
    out->begin = sink_begin;
    out->document = sink_document;
    out->finding = sink_finding;
    out->diag = sink_diag;
    out->end = sink_end;
    out->payload = st;
    return RF_OK;
}
