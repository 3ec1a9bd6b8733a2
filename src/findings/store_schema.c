/*
 * store_schema.c - the store's schema, as a list of numbered migrations.
 *
 * A store is upgraded by applying, in order and each in its own
 * transaction, every migration newer than the highest version recorded in
 * `schema_migrations`. That table is the source of truth (PostgreSQL has no
 * PRAGMA user_version); SQLite stores also mirror the version into
 * user_version. A migration is never edited once released: a change is a
 * new migration appended here and described in docs/store.md.
 *
 * The SQL is the portable dialect of db.h; `@ID@` is the backend's
 * identity primary key.
 */
#include <stdlib.h>
#include <string.h>

#include "store.h"

typedef struct migration {
    int version;
    const char *name;
    const char *sql;
} migration;

static const migration migrations[] = {
    {1, "initial schema: scans, rules, documents, findings, reviews, baseline",
     /* One row per `redflag scan --store`. */
     "CREATE TABLE scans ("
     " id @ID@,"
     " started_at TEXT NOT NULL,"
     " ended_at TEXT,"
     " state TEXT NOT NULL DEFAULT 'running'"
     "  CHECK (state IN ('running', 'complete', 'aborted')),"
     " args TEXT NOT NULL DEFAULT '',"
     " tool_version TEXT NOT NULL,"
     " rules_version TEXT NOT NULL DEFAULT '',"
     " rule_count BIGINT NOT NULL DEFAULT 0,"
     " min_severity INTEGER NOT NULL DEFAULT 0,"
     " documents BIGINT NOT NULL DEFAULT 0,"
     " findings BIGINT NOT NULL DEFAULT 0,"
     " errors BIGINT NOT NULL DEFAULT 0,"
     " bytes BIGINT NOT NULL DEFAULT 0"
     ");"
     /* The roots a scan covered: what "the same paths" means. */
     "CREATE TABLE scan_paths ("
     " scan_id BIGINT NOT NULL REFERENCES scans (id) ON DELETE CASCADE,"
     " path TEXT NOT NULL,"
     " PRIMARY KEY (scan_id, path)"
     ");"
     /* Inputs a scan could not read: their findings are not resolved. */
     "CREATE TABLE scan_errors ("
     " id @ID@,"
     " scan_id BIGINT NOT NULL REFERENCES scans (id) ON DELETE CASCADE,"
     " path TEXT NOT NULL,"
     " member TEXT NOT NULL DEFAULT '',"
     " message TEXT NOT NULL"
     ");"
     "CREATE INDEX scan_errors_scan ON scan_errors (scan_id, path);"
     /* Rule metadata as last loaded, so reports from the store can show
      * titles, help text and regulations without the rule files. */
     "CREATE TABLE rules ("
     " id TEXT PRIMARY KEY,"
     " title TEXT NOT NULL DEFAULT '',"
     " category TEXT NOT NULL DEFAULT '',"
     " severity INTEGER NOT NULL DEFAULT 0,"
     " regulation TEXT NOT NULL DEFAULT '',"
     " message TEXT NOT NULL DEFAULT '',"
     " description TEXT NOT NULL DEFAULT '',"
     " last_scan BIGINT REFERENCES scans (id)"
     ");"
     /* One row per document read (a patent, a source file). `path_key` is
      * the normalised path used to decide which scans cover it. */
     "CREATE TABLE documents ("
     " id @ID@,"
     " path TEXT NOT NULL,"
     " member TEXT NOT NULL DEFAULT '',"
     " idx BIGINT NOT NULL DEFAULT 0,"
     " doc_id TEXT NOT NULL,"
     " path_key TEXT NOT NULL,"
     " format TEXT NOT NULL DEFAULT '',"
     " kind TEXT NOT NULL DEFAULT '',"
     " title TEXT,"
     " lang TEXT NOT NULL DEFAULT '',"
     " byte_offset BIGINT NOT NULL DEFAULT 0,"
     " date_published TEXT,"
     " date_filed TEXT,"
     " date_priority TEXT,"
     " family_id TEXT,"
     " first_scan BIGINT NOT NULL REFERENCES scans (id),"
     " last_scan BIGINT NOT NULL REFERENCES scans (id),"
     " UNIQUE (path, member, idx, doc_id)"
     ");"
     "CREATE INDEX documents_path_key ON documents (path_key);"
     /* Applicants, inventors and classification symbols, in order. */
     "CREATE TABLE document_values ("
     " document_id BIGINT NOT NULL REFERENCES documents (id)"
     "  ON DELETE CASCADE,"
     " role TEXT NOT NULL CHECK (role IN ('applicant', 'inventor', 'class')),"
     " pos INTEGER NOT NULL,"
     " value TEXT NOT NULL,"
     " PRIMARY KEY (document_id, role, pos)"
     ");"
     "CREATE INDEX document_values_value ON document_values (role, value);"
     /* Findings, keyed by fingerprint. The finding's own columns are
      * refreshed by every scan that sees it; review, note, reviewed_at,
      * from_baseline and first_scan are never touched by a scan. */
     "CREATE TABLE findings ("
     " id @ID@,"
     " fingerprint TEXT NOT NULL UNIQUE,"
     " document_id BIGINT NOT NULL REFERENCES documents (id),"
     " rule_id TEXT NOT NULL,"
     " title TEXT NOT NULL DEFAULT '',"
     " category TEXT NOT NULL DEFAULT '',"
     " severity INTEGER NOT NULL,"
     " regulation TEXT NOT NULL DEFAULT '',"
     " message TEXT NOT NULL DEFAULT '',"
     " section TEXT NOT NULL DEFAULT '',"
     " unit TEXT,"
     " lang TEXT NOT NULL DEFAULT '',"
     " line BIGINT NOT NULL DEFAULT 0,"
     " col BIGINT NOT NULL DEFAULT 0,"
     " start_offset BIGINT NOT NULL DEFAULT 0,"
     " end_offset BIGINT NOT NULL DEFAULT 0,"
     " snippet TEXT NOT NULL DEFAULT '',"
     " marks TEXT NOT NULL DEFAULT '[]',"
     " terms TEXT NOT NULL DEFAULT '[]',"
     " first_scan BIGINT NOT NULL REFERENCES scans (id),"
     " last_scan BIGINT NOT NULL REFERENCES scans (id),"
     " resolved_scan BIGINT REFERENCES scans (id),"
     " review TEXT NOT NULL DEFAULT 'new'"
     "  CHECK (review IN ('new', 'confirmed', 'false-positive',"
     "   'needs-review')),"
     " note TEXT,"
     " reviewed_at TEXT,"
     " from_baseline INTEGER NOT NULL DEFAULT 0"
     ");"
     "CREATE INDEX findings_document ON findings (document_id);"
     "CREATE INDEX findings_last_scan ON findings (last_scan);"
     "CREATE INDEX findings_first_scan ON findings (first_scan);"
     /* Which scan saw which finding: exact diffs between any two scans. */
     "CREATE TABLE scan_findings ("
     " scan_id BIGINT NOT NULL REFERENCES scans (id) ON DELETE CASCADE,"
     " finding_id BIGINT NOT NULL REFERENCES findings (id)"
     "  ON DELETE CASCADE,"
     " PRIMARY KEY (scan_id, finding_id)"
     ");"
     "CREATE INDEX scan_findings_finding ON scan_findings (finding_id);"
     /* Every review ever made, oldest first: the audit trail. */
     "CREATE TABLE reviews ("
     " id @ID@,"
     " finding_id BIGINT NOT NULL REFERENCES findings (id)"
     "  ON DELETE CASCADE,"
     " status TEXT NOT NULL,"
     " note TEXT,"
     " source TEXT NOT NULL CHECK (source IN ('review', 'baseline')),"
     " at TEXT NOT NULL"
     ");"
     "CREATE INDEX reviews_finding ON reviews (finding_id);"
     /* Imported baseline entries, kept so later scans apply them too. */
     "CREATE TABLE baseline ("
     " fingerprint TEXT PRIMARY KEY,"
     " status TEXT NOT NULL"
     "  CHECK (status IN ('new', 'confirmed', 'false-positive',"
     "   'needs-review')),"
     " note TEXT,"
     " imported_at TEXT NOT NULL"
     ");"},
};

/* Replace every @ID@ in sql by the backend's identity column. */
static char *expand_sql(const char *sql, const char *id_column)
{
    rf_buf b = {0};
    const char *p = sql;
    const char *hit;
    while ((hit = strstr(p, "@ID@")) != NULL) {
        if (rf_buf_append(&b, p, (size_t)(hit - p)) != RF_OK ||
            rf_buf_puts(&b, id_column) != RF_OK) {
            rf_buf_free(&b);
            return NULL;
        }
        p = hit + 4;
    }
    if (rf_buf_puts(&b, p) != RF_OK) {
        rf_buf_free(&b);
        return NULL;
    }
    return rf_buf_steal(&b);
}

static rf_status current_version(int *out, rf_store *st)
{
    rf_db_stmt *s = NULL;
    *out = 0;
    rf_status status =
        rf_store__prepare(&s, st, "SELECT max(version) FROM schema_migrations");
    if (status != RF_OK) {
        return status;
    }
    int rc = RF_DB(st)->step(s);
    if (rc < 0) {
        status = rf_store__dbfail(st, (rf_status)rc, "reading schema version");
    } else if (rc == RF_DB_ROW && !RF_DB(st)->col_null(s, 0)) {
        *out = (int)RF_DB(st)->col_int(s, 0);
    }
    RF_DB(st)->finalize(s);
    return status;
}

static rf_status apply(rf_store *st, const migration *m)
{
    char now[32];
    rf_db_stmt *s = NULL;
    char *sql = expand_sql(m->sql, RF_DB(st)->id_column);
    if (sql == NULL) {
        return RF_ENOMEM;
    }
    rf_status status = RF_DB(st)->begin(st->db);
    if (status != RF_OK) {
        status = rf_store__dbfail(st, status, "starting a migration");
        goto done;
    }
    /* Another process may have migrated while we waited for the lock. */
    int have = 0;
    status = current_version(&have, st);
    if (status != RF_OK || have >= m->version) {
        goto done;
    }
    status = RF_DB(st)->exec(st->db, sql);
    if (status != RF_OK) {
        status = rf_store__dbfail(st, status, "applying a schema migration");
        goto done;
    }
    status = rf_store__prepare(
        &s, st,
        "INSERT INTO schema_migrations (version, name, applied_at) "
        "VALUES (?, ?, ?)");
    if (status != RF_OK) {
        goto done;
    }
    rf_store__now(now);
    RF_DB(st)->bind_int(s, 1, m->version);
    RF_DB(st)->bind_text(s, 2, m->name);
    RF_DB(st)->bind_text(s, 3, now);
    status = rf_store__run(st, s, "recording a migration");
    if (status != RF_OK) {
        goto done;
    }
    status = RF_DB(st)->set_schema_version(st->db, m->version);
    if (status != RF_OK) {
        status = rf_store__dbfail(st, status, "setting the schema version");
        goto done;
    }
    status = RF_DB(st)->commit(st->db);
    if (status != RF_OK) {
        status = rf_store__dbfail(st, status, "committing a migration");
    }
done:
    /* A no-op after a commit; undoes everything otherwise (including the
     * "already migrated by someone else" case, which changed nothing). */
    RF_DB(st)->rollback(st->db);
    if (s != NULL) {
        RF_DB(st)->finalize(s);
    }
    free(sql);
    return status;
}

rf_status rf_store__migrate(rf_store *st)
{
    bool exists = false;
    rf_status status =
        RF_DB(st)->has_table(&exists, st->db, "schema_migrations");
    if (status != RF_OK) {
        return rf_store__dbfail(st, status, "reading the schema");
    }
    if (!exists) {
        status = RF_DB(st)->exec(
            st->db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
                    " version INTEGER PRIMARY KEY,"
                    " name TEXT NOT NULL,"
                    " applied_at TEXT NOT NULL)");
        if (status != RF_OK) {
            return rf_store__dbfail(st, status, "creating schema_migrations");
        }
    }
    int version = 0;
    status = current_version(&version, st);
    if (status != RF_OK) {
        return status;
    }
    if (version > RF_STORE_SCHEMA_VERSION) {
        return rf_store__fail(
            st, RF_EUNSUPPORTED,
            "%s: store schema version %d is newer than this redflag "
            "understands (%d); use a newer redflag",
            st->target, version, RF_STORE_SCHEMA_VERSION);
    }
    for (size_t i = 0; i < RF_ARRAY_LEN(migrations); i++) {
        if (migrations[i].version <= version) {
            continue;
        }
        status = apply(st, &migrations[i]);
        if (status != RF_OK) {
            return status;
        }
    }
    return current_version(&st->schema_version, st);
}
