/*
 * store.c - the findings store: opening, statements, reviews, scans.
 *
 * The store is the memory of an investigation that runs for weeks: the
 * same corpus is re-scanned as rules improve and analysts confirm or
 * dismiss findings between scans. Its one invariant is that a scan never
 * touches what a person decided: a finding's review, note and review time
 * are written only by rf_store_review and baseline imports; scans write
 * everything else (see store_sink.c for the re-scan rules).
 *
 * Every statement is prepared once per handle, by index (stmt_sql below),
 * in the portable dialect described in db.h.
 */
#include "store.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static const char *const stmt_sql[RF_SQL_COUNT] = {
    [RF_SQL_SCAN_INSERT] =
        "INSERT INTO scans (started_at, args, tool_version, min_severity,"
        " rules_version, rule_count) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    [RF_SQL_SCAN_PATH_INSERT] =
        "INSERT INTO scan_paths (scan_id, path) VALUES (?, ?)"
        " ON CONFLICT (scan_id, path) DO NOTHING",
    [RF_SQL_SCAN_ERROR_INSERT] =
        "INSERT INTO scan_errors (scan_id, path, member, message)"
        " VALUES (?, ?, ?, ?)",
    [RF_SQL_SCAN_END] =
        "UPDATE scans SET ended_at = ?, state = 'complete', documents = ?,"
        " findings = ?, errors = ?, bytes = ? WHERE id = ?",
    [RF_SQL_SCAN_ABORT] =
        "UPDATE scans SET state = 'aborted' WHERE id = ? AND state = 'running'",
    [RF_SQL_RULE_UPSERT] =
        "INSERT INTO rules (id, title, category, severity, regulation,"
        " message, description, last_scan) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (id) DO UPDATE SET title = excluded.title,"
        " category = excluded.category, severity = excluded.severity,"
        " regulation = excluded.regulation, message = excluded.message,"
        " description = excluded.description,"
        " last_scan = excluded.last_scan",
    [RF_SQL_DOC_UPSERT] =
        "INSERT INTO documents (path, member, idx, doc_id, path_key, format,"
        " kind, title, lang, byte_offset, date_published, date_filed,"
        " date_priority, family_id, first_scan, last_scan)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (path, member, idx, doc_id) DO UPDATE SET"
        " path_key = excluded.path_key, format = excluded.format,"
        " kind = excluded.kind, title = excluded.title,"
        " lang = excluded.lang, byte_offset = excluded.byte_offset,"
        " date_published = excluded.date_published,"
        " date_filed = excluded.date_filed,"
        " date_priority = excluded.date_priority,"
        " family_id = excluded.family_id, last_scan = excluded.last_scan"
        " RETURNING id",
    [RF_SQL_DOCVAL_DELETE] =
        "DELETE FROM document_values WHERE document_id = ?",
    [RF_SQL_DOCVAL_INSERT] =
        "INSERT INTO document_values (document_id, role, pos, value)"
        " VALUES (?, ?, ?, ?)",
    /* Re-finding a finding refreshes what the scan knows about it and
     * reopens it; review, note, reviewed_at, from_baseline and first_scan
     * are deliberately absent from the update list. */
    [RF_SQL_FINDING_UPSERT] =
        "INSERT INTO findings (fingerprint, document_id, rule_id, title,"
        " category, severity, regulation, message, section, unit, lang, line,"
        " col, start_offset, end_offset, snippet, marks, terms, first_scan,"
        " last_scan) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
        " ?, ?, ?, ?)"
        " ON CONFLICT (fingerprint) DO UPDATE SET"
        " document_id = excluded.document_id, rule_id = excluded.rule_id,"
        " title = excluded.title, category = excluded.category,"
        " severity = excluded.severity, regulation = excluded.regulation,"
        " message = excluded.message, section = excluded.section,"
        " unit = excluded.unit, lang = excluded.lang, line = excluded.line,"
        " col = excluded.col, start_offset = excluded.start_offset,"
        " end_offset = excluded.end_offset, snippet = excluded.snippet,"
        " marks = excluded.marks, terms = excluded.terms,"
        " last_scan = excluded.last_scan, resolved_scan = NULL"
        " RETURNING id",
    [RF_SQL_SIGHTING_INSERT] =
        "INSERT INTO scan_findings (scan_id, finding_id) VALUES (?, ?)"
        " ON CONFLICT (scan_id, finding_id) DO NOTHING",
    /* A remembered baseline entry applies to findings this scan saw that
     * nobody has reviewed; the history row is written first, while the
     * "not reviewed" condition still selects them. */
    [RF_SQL_BASELINE_APPLY_LOG] =
        "INSERT INTO reviews (finding_id, status, note, source, at)"
        " SELECT f.id, b.status, b.note, 'baseline', ? FROM findings f"
        " JOIN baseline b ON b.fingerprint = f.fingerprint"
        " WHERE f.last_scan = ? AND f.reviewed_at IS NULL"
        " AND b.status <> 'new'",
    [RF_SQL_BASELINE_APPLY] =
        "UPDATE findings SET"
        " review = (SELECT b.status FROM baseline b"
        "  WHERE b.fingerprint = findings.fingerprint),"
        " note = (SELECT b.note FROM baseline b"
        "  WHERE b.fingerprint = findings.fingerprint),"
        " from_baseline = 1, reviewed_at = ?"
        " WHERE last_scan = ? AND reviewed_at IS NULL AND fingerprint IN"
        " (SELECT fingerprint FROM baseline WHERE status <> 'new')",
    /* What a complete scan resolves: open findings it did not see again,
     * at or above its minimum severity, in documents below one of its
     * roots, unless the input they came from failed to read this time. */
    [RF_SQL_RESOLVE] =
        "UPDATE findings SET resolved_scan = ?"
        " WHERE resolved_scan IS NULL AND last_scan < ? AND severity >= ?"
        " AND document_id IN (SELECT d.id FROM documents d"
        "  JOIN scan_paths p ON p.scan_id = ? AND"
        "   ((p.path = '' AND substr(d.path_key, 1, 1) <> '/')"
        "    OR d.path_key = p.path"
        "    OR substr(d.path_key, 1, length(p.path) + 1) = p.path || '/')"
        "  WHERE NOT EXISTS (SELECT 1 FROM scan_errors e"
        "   WHERE e.scan_id = ? AND (d.path_key = e.path OR"
        "    substr(d.path_key, 1, length(e.path) + 1) = e.path || '/')"
        "   AND (e.member = '' OR e.member = d.member)))",
    [RF_SQL_DOCVAL_SELECT] =
        "SELECT role, value FROM document_values WHERE document_id = ?"
        " ORDER BY role, pos",
};

rf_status rf_store__fail(rf_store *st, rf_status status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(st->errmsg, sizeof st->errmsg, fmt, ap);
    va_end(ap);
    return status;
}

rf_status rf_store__dbfail(rf_store *st, rf_status status, const char *what)
{
    return rf_store__fail(
        st, status, "%s: %s: %s", st->target ? st->target : "store", what,
        RF_DB(st)->errmsg(st->db));
}

rf_status rf_store__prepare(rf_db_stmt **out, rf_store *st, const char *sql)
{
    rf_status status = RF_DB(st)->prepare(out, st->db, sql);
    if (status != RF_OK) {
        return rf_store__dbfail(st, status, "preparing a query");
    }
    return RF_OK;
}

rf_status rf_store__stmt(rf_db_stmt **out, rf_store *st, rf_store_stmt_id id)
{
    if (st->stmts[id] == NULL) {
        rf_status status = rf_store__prepare(&st->stmts[id], st, stmt_sql[id]);
        if (status != RF_OK) {
            return status;
        }
    } else {
        RF_DB(st)->reset(st->stmts[id]);
    }
    *out = st->stmts[id];
    return RF_OK;
}

rf_status rf_store__run(rf_store *st, rf_db_stmt *s, const char *what)
{
    int rc;
    do {
        rc = RF_DB(st)->step(s);
    } while (rc == RF_DB_ROW);
    RF_DB(st)->reset(s);
    if (rc < 0) {
        return rf_store__dbfail(st, (rf_status)rc, what);
    }
    return RF_OK;
}

void rf_store__now(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

char *rf_store__path_key(const char *path)
{
    rf_buf b = {0};
    const char *p = path ? path : "";
    bool absolute = *p == '/';
    /* Walk segments; drop empty and "." ones. ".." is kept as written:
     * resolving it lexically would be wrong across symlinks. */
    while (*p != '\0') {
        while (*p == '/') {
            p++;
        }
        const char *seg = p;
        while (*p != '\0' && *p != '/') {
            p++;
        }
        size_t n = (size_t)(p - seg);
        if (n == 0 || (n == 1 && seg[0] == '.')) {
            continue;
        }
        if ((b.len > 0 || absolute) && rf_buf_putc(&b, '/') != RF_OK) {
            goto fail;
        }
        if (rf_buf_append(&b, seg, n) != RF_OK) {
            goto fail;
        }
    }
    if (b.len == 0 && absolute && rf_buf_putc(&b, '/') != RF_OK) {
        goto fail;
    }
    return rf_buf_steal(&b);
fail:
    rf_buf_free(&b);
    return NULL;
}

/* ---------------- statuses ---------------- */

static const char *const review_names[] = {
    [RF_REVIEW_NEW] = "new",
    [RF_REVIEW_CONFIRMED] = "confirmed",
    [RF_REVIEW_FALSE_POSITIVE] = "false-positive",
    [RF_REVIEW_NEEDS_REVIEW] = "needs-review",
    [RF_REVIEW_RESOLVED] = "resolved",
};

const char *rf_review_status_name(rf_review_status s)
{
    if ((unsigned)s >= RF_ARRAY_LEN(review_names)) {
        return "unknown";
    }
    return review_names[s];
}

const char *rf_store__review_sql(rf_review_status s)
{
    return rf_review_status_name(s);
}

rf_status rf_review_status_parse(rf_review_status *out, const char *name)
{
    if (name == NULL) {
        return RF_EINVAL;
    }
    for (size_t i = 0; i < RF_ARRAY_LEN(review_names); i++) {
        if (strcasecmp(name, review_names[i]) == 0) {
            *out = (rf_review_status)i;
            return RF_OK;
        }
    }
    if (strcasecmp(name, "false_positive") == 0 ||
        strcasecmp(name, "fp") == 0 || strcasecmp(name, "dismissed") == 0) {
        *out = RF_REVIEW_FALSE_POSITIVE;
        return RF_OK;
    }
    if (strcasecmp(name, "needs_review") == 0) {
        *out = RF_REVIEW_NEEDS_REVIEW;
        return RF_OK;
    }
    return RF_EINVAL;
}

/* ---------------- open and close ---------------- */

static bool has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

rf_status rf_store_open(rf_store **out, const char *target, unsigned flags)
{
    rf_status status = RF_OK;
    *out = NULL;
    rf_store *st = calloc(1, sizeof *st);
    if (st == NULL) {
        return RF_ENOMEM;
    }
    *out = st;
    if (target == NULL || *target == '\0') {
        target = RF_STORE_DEFAULT_PATH;
    }
    st->target = rf_strdup(target);
    if (st->target == NULL) {
        status = RF_ENOMEM;
        goto done;
    }
    const char *path = target;
    bool pg = has_prefix(target, "postgresql://") ||
              has_prefix(target, "postgres://");
    if (pg) {
        /* messages name the store by its target: never echo a password */
        char *at = strchr(st->target, '@');
        char *colon = strchr(st->target + strlen("postgres://"), ':');
        if (at != NULL && colon != NULL && colon < at) {
            memmove(colon + 1, at, strlen(at) + 1);
        }
        path = st->target;
        status =
            rf_db__open_pg(&st->db, target, (flags & RF_STORE_CREATE) != 0);
        if (status == RF_EUNSUPPORTED) {
            status = rf_store__fail(
                st, status,
                "this redflag was built without libpq: install libpq-dev "
                "and rebuild, or use a SQLite file such as %s",
                RF_STORE_DEFAULT_PATH);
            goto done;
        }
    } else {
        if (has_prefix(path, "sqlite:")) {
            path += strlen("sqlite:");
        }
        status =
            rf_db__open_sqlite(&st->db, path, (flags & RF_STORE_CREATE) != 0);
    }
    if (status != RF_OK) {
        if (st->db != NULL) {
            rf_store__fail(st, status, "%s", RF_DB(st)->errmsg(st->db));
        } else {
            rf_store__fail(st, status, "%s: %s", path, rf_status_str(status));
        }
        goto done;
    }
    status = rf_store__migrate(st);
done:
    return status;
}

void rf_store__rec_free(rf_store_rec *rec)
{
    rf_strvec_free(&rec->paths);
    free(rec->args);
    free(rec->doc_key);
    memset(rec, 0, sizeof *rec);
}

void rf_store_free(rf_store *st)
{
    if (st == NULL) {
        return;
    }
    if (st->db != NULL) {
        if (st->rec.active) {
            rf_store__abort_scan(st);
        }
        for (size_t i = 0; i < RF_SQL_COUNT; i++) {
            if (st->stmts[i] != NULL) {
                RF_DB(st)->finalize(st->stmts[i]);
            }
        }
        RF_DB(st)->close(st->db);
    }
    rf_store__rec_free(&st->rec);
    free(st->target);
    free(st);
}

const char *rf_store_errmsg(const rf_store *st)
{
    return st ? st->errmsg : "out of memory";
}

int rf_store_schema_version(const rf_store *st)
{
    return st ? st->schema_version : 0;
}

int64_t rf_store_scan_id(const rf_store *st)
{
    return st ? st->rec.scan_id : 0;
}

/* ---------------- review ---------------- */

static bool is_hex(const char *s)
{
    for (; *s; s++) {
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f') ||
              (*s >= 'A' && *s <= 'F'))) {
            return false;
        }
    }
    return true;
}

/* Find the one finding whose fingerprint is or starts with @p prefix. */
static rf_status find_fingerprint(int64_t *id, rf_store *st, const char *prefix)
{
    rf_db_stmt *s = NULL;
    char lower[64];
    size_t n = strlen(prefix);
    if (n < 6 || n > 32 || !is_hex(prefix)) {
        return rf_store__fail(
            st, RF_EINVAL,
            "'%s' is not a fingerprint: give the 32 hex digits shown in "
            "reports, or at least the first 6",
            prefix);
    }
    for (size_t i = 0; i <= n; i++) {
        char c = prefix[i];
        lower[i] = (c >= 'A' && c <= 'F') ? (char)(c - 'A' + 'a') : c;
    }
    rf_status status = rf_store__prepare(
        &s, st,
        "SELECT id FROM findings WHERE substr(fingerprint, 1, ?) = ? "
        "ORDER BY fingerprint LIMIT 2");
    if (status != RF_OK) {
        return status;
    }
    RF_DB(st)->bind_int(s, 1, (int64_t)n);
    RF_DB(st)->bind_text(s, 2, lower);
    int found = 0;
    int rc;
    while ((rc = RF_DB(st)->step(s)) == RF_DB_ROW) {
        *id = RF_DB(st)->col_int(s, 0);
        found++;
    }
    if (rc < 0) {
        status = rf_store__dbfail(st, (rf_status)rc, "looking up a finding");
    } else if (found == 0) {
        status = rf_store__fail(
            st, RF_ENOTFOUND,
            "%s: no finding with fingerprint %s (see `redflag report`)",
            st->target, lower);
    } else if (found > 1) {
        status = rf_store__fail(
            st, RF_EINVAL,
            "fingerprint prefix %s is ambiguous; give more digits", lower);
    }
    RF_DB(st)->finalize(s);
    return status;
}

rf_status rf_store_review(
    rf_store *st,
    const char *fingerprint,
    rf_review_status status_value,
    const char *note)
{
    rf_db_stmt *upd = NULL;
    rf_db_stmt *log = NULL;
    char now[32];
    int64_t id = 0;
    bool in_txn = false;
    if (fingerprint == NULL) {
        return rf_store__fail(st, RF_EINVAL, "no fingerprint given");
    }
    if (status_value == RF_REVIEW_RESOLVED ||
        (unsigned)status_value > RF_REVIEW_RESOLVED) {
        return rf_store__fail(
            st, RF_EINVAL,
            "a review sets confirmed, false-positive, needs-review or new; "
            "'resolved' is set by re-scans");
    }
    rf_status status = RF_DB(st)->begin(st->db);
    if (status != RF_OK) {
        return rf_store__dbfail(st, status, "starting a review");
    }
    in_txn = true;
    status = find_fingerprint(&id, st, fingerprint);
    if (status != RF_OK) {
        goto done;
    }
    /* Two statements rather than `CASE WHEN ? IS NULL`: PostgreSQL cannot
     * type a parameter that only appears in IS NULL. An empty note clears
     * the note. */
    const char *sql = note == NULL
                          ? "UPDATE findings SET review = ?, reviewed_at = ?,"
                            " from_baseline = 0 WHERE id = ?"
                          : "UPDATE findings SET review = ?, reviewed_at = ?,"
                            " from_baseline = 0, note = ? WHERE id = ?";
    status = rf_store__prepare(&upd, st, sql);
    if (status != RF_OK) {
        goto done;
    }
    rf_store__now(now);
    int i = 1;
    RF_DB(st)->bind_text(upd, i++, rf_store__review_sql(status_value));
    RF_DB(st)->bind_text(upd, i++, now);
    if (note != NULL) {
        RF_DB(st)->bind_text(upd, i++, *note ? note : NULL);
    }
    RF_DB(st)->bind_int(upd, i, id);
    status = rf_store__run(st, upd, "recording a review");
    if (status != RF_OK) {
        goto done;
    }
    status = rf_store__prepare(
        &log, st,
        "INSERT INTO reviews (finding_id, status, note, source, at)"
        " SELECT id, review, note, 'review', ? FROM findings WHERE id = ?");
    if (status != RF_OK) {
        goto done;
    }
    RF_DB(st)->bind_text(log, 1, now);
    RF_DB(st)->bind_int(log, 2, id);
    status = rf_store__run(st, log, "recording review history");
    if (status != RF_OK) {
        goto done;
    }
    status = RF_DB(st)->commit(st->db);
    if (status != RF_OK) {
        status = rf_store__dbfail(st, status, "committing a review");
        goto done;
    }
    in_txn = false;
done:
    if (in_txn) {
        RF_DB(st)->rollback(st->db);
    }
    if (upd != NULL) {
        RF_DB(st)->finalize(upd);
    }
    if (log != NULL) {
        RF_DB(st)->finalize(log);
    }
    return status;
}

/* ---------------- scans ---------------- */

rf_status rf_store__latest_scan(int64_t *out, rf_store *st, bool complete_only)
{
    rf_db_stmt *s = NULL;
    *out = 0;
    rf_status status = rf_store__prepare(
        &s, st,
        complete_only ? "SELECT max(id) FROM scans WHERE state = 'complete'"
                      : "SELECT max(id) FROM scans");
    if (status != RF_OK) {
        return status;
    }
    int rc = RF_DB(st)->step(s);
    if (rc < 0) {
        status = rf_store__dbfail(st, (rf_status)rc, "reading scans");
    } else if (rc == RF_DB_ROW && !RF_DB(st)->col_null(s, 0)) {
        *out = RF_DB(st)->col_int(s, 0);
    }
    RF_DB(st)->finalize(s);
    return status;
}

rf_status rf_store_scans(
    rf_store *st,
    int (*cb)(const rf_store_scan *scan, void *payload),
    void *payload)
{
    rf_db_stmt *s = NULL;
    rf_status status = rf_store__prepare(
        &s, st,
        "SELECT id, started_at, ended_at, state, args, rules_version,"
        " rule_count, documents, findings, errors FROM scans ORDER BY id");
    if (status != RF_OK) {
        return status;
    }
    int rc;
    while ((rc = RF_DB(st)->step(s)) == RF_DB_ROW) {
        rf_store_scan sc = {
            .id = RF_DB(st)->col_int(s, 0),
            .started_at = RF_DB(st)->col_text(s, 1),
            .ended_at = RF_DB(st)->col_text(s, 2),
            .state = RF_DB(st)->col_text(s, 3),
            .args = RF_DB(st)->col_text(s, 4),
            .rules_version = RF_DB(st)->col_text(s, 5),
            .rule_count = (uint64_t)RF_DB(st)->col_int(s, 6),
            .documents = (uint64_t)RF_DB(st)->col_int(s, 7),
            .findings = (uint64_t)RF_DB(st)->col_int(s, 8),
            .errors = (uint64_t)RF_DB(st)->col_int(s, 9),
        };
        if (cb(&sc, payload) != 0) {
            status = RF_EUSER;
            break;
        }
    }
    if (rc < 0) {
        status = rf_store__dbfail(st, (rf_status)rc, "reading scans");
    }
    RF_DB(st)->finalize(s);
    return status;
}
