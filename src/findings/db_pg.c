/*
 * db_pg.c - the PostgreSQL backend of the store's SQL interface (db.h),
 * over libpq, so a team can share one store: `--store postgresql://...`.
 *
 * The store's SQL is written once in the portable dialect of db.h; this
 * file only adapts it:
 *
 *   - `?` placeholders become `$1..$n` (outside quoted literals and
 *     identifiers) and every execution is PQexecParams with text-format
 *     values, so user text never becomes SQL;
 *   - a statement is executed on its first step() and its whole result is
 *     kept, so the store may run another query while reading one (it
 *     loads document metadata while iterating findings) on one
 *     connection;
 *   - begin() takes a transaction-scoped advisory lock, the equivalent of
 *     SQLite's BEGIN IMMEDIATE: concurrent scans into one database queue
 *     batch by batch instead of deadlocking on each other's row locks,
 *     and the fingerprint upserts (INSERT ... ON CONFLICT) make both
 *     converge on one row per finding — nothing lost, nothing doubled.
 *
 * Report order is byte-wise as with SQLite only in a database whose
 * collation is C (createdb --locale=C, or initdb --no-locale); docs/store.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"

#ifdef RF_HAVE_PQ

#include <libpq-fe.h>

/* Any constant will do; it only has to be the same for every redflag. */
#define RF_PG_LOCK_STR "1919313761" /* 0x72666c61, "rfla" */

typedef struct pg_db {
    rf_db base;
    PGconn *conn;
    char msg[512];
} pg_db;

typedef struct pg_stmt {
    rf_db_stmt base;
    char *sql; /* with $n placeholders */
    int nparams;
    char **values; /* nparams, malloc'd text or NULL for SQL NULL */
    PGresult *res; /* after the first step */
    int row;       /* current row, -1 before the first */
} pg_stmt;

static void pg_set_msg(pg_db *db, const char *what, const PGresult *res)
{
    const char *m = res ? PQresultErrorMessage(res) : NULL;
    if (m == NULL || *m == '\0') {
        m = db->conn ? PQerrorMessage(db->conn) : "no connection";
    }
    snprintf(db->msg, sizeof db->msg, "%s: %s", what, m);
    /* libpq messages end in a newline; ours never do */
    size_t n = strlen(db->msg);
    while (n > 0 && (db->msg[n - 1] == '\n' || db->msg[n - 1] == ' ')) {
        db->msg[--n] = '\0';
    }
}

static void pg_close(rf_db *base)
{
    pg_db *db = (pg_db *)base;
    if (db == NULL) {
        return;
    }
    PQfinish(db->conn);
    free(db);
}

static rf_status pg_exec(rf_db *base, const char *sql)
{
    pg_db *db = (pg_db *)base;
    /* DDL outside a transaction (the store creates schema_migrations
     * before its first migration) takes the write lock too: two first
     * opens of an empty database would otherwise race in PostgreSQL's
     * catalog, where CREATE TABLE IF NOT EXISTS is not safe concurrently
     * (a unique violation on pg_type). */
    char *locked = NULL;
    bool was_idle = PQtransactionStatus(db->conn) == PQTRANS_IDLE;
    if (strncmp(sql, "CREATE ", 7) == 0 && was_idle) {
        size_t n = strlen(sql) + 128;
        locked = malloc(n);
        if (locked == NULL) {
            return RF_ENOMEM;
        }
        snprintf(
            locked, n,
            "BEGIN; SELECT pg_advisory_xact_lock(" RF_PG_LOCK_STR
            "); %s; COMMIT",
            sql);
        sql = locked;
    }
    PGresult *r = PQexec(db->conn, sql);
    free(locked);
    ExecStatusType t = PQresultStatus(r);
    rf_status st = RF_OK;
    if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK) {
        pg_set_msg(db, "running SQL", r);
        st = RF_EDB;
    }
    PQclear(r);
    if (st != RF_OK && was_idle &&
        PQtransactionStatus(db->conn) != PQTRANS_IDLE) {
        /* a failed BEGIN; ...; COMMIT leaves the transaction aborted */
        PQclear(PQexec(db->conn, "ROLLBACK"));
    }
    return st;
}

static rf_status pg_begin(rf_db *base)
{
    return pg_exec(
        base, "BEGIN; SELECT pg_advisory_xact_lock(" RF_PG_LOCK_STR ")");
}

static rf_status pg_commit(rf_db *base)
{
    return pg_exec(base, "COMMIT");
}

static rf_status pg_rollback(rf_db *base)
{
    pg_db *db = (pg_db *)base;
    /* like the SQLite backend: no transaction open is not an error */
    if (PQtransactionStatus(db->conn) == PQTRANS_IDLE) {
        return RF_OK;
    }
    return pg_exec(base, "ROLLBACK");
}

static rf_status pg_set_schema_version(rf_db *base, int version)
{
    /* schema_migrations is the record; PostgreSQL has no user_version */
    (void)base;
    (void)version;
    return RF_OK;
}

/* Rewrite `?` as `$n` outside '...' literals, "..." identifiers and
 * -- comments. */
static char *translate(const char *sql, int *nparams)
{
    size_t len = strlen(sql);
    /* each ? grows to at most "$99999" */
    char *out = malloc(len * 6 + 1);
    if (out == NULL) {
        return NULL;
    }
    size_t o = 0;
    int n = 0;
    char quote = 0;
    for (size_t i = 0; i < len; i++) {
        char c = sql[i];
        if (quote != 0) {
            out[o++] = c;
            if (c == quote) {
                quote = 0; /* a doubled quote reopens on the next char */
            }
            continue;
        }
        if (c == '\'' || c == '"') {
            quote = c;
            out[o++] = c;
        } else if (c == '-' && sql[i + 1] == '-') {
            while (i < len && sql[i] != '\n') {
                out[o++] = sql[i++];
            }
            if (i < len) {
                out[o++] = '\n';
            }
        } else if (c == '?') {
            o += (size_t)sprintf(out + o, "$%d", ++n);
        } else {
            out[o++] = c;
        }
    }
    out[o] = '\0';
    *nparams = n;
    return out;
}

static rf_status pg_prepare(rf_db_stmt **out, rf_db *base, const char *sql)
{
    *out = NULL;
    pg_stmt *s = calloc(1, sizeof *s);
    if (s == NULL) {
        return RF_ENOMEM;
    }
    s->base.db = base;
    s->row = -1;
    s->sql = translate(sql, &s->nparams);
    if (s->sql == NULL ||
        (s->nparams > 0 &&
         (s->values = calloc((size_t)s->nparams, sizeof *s->values)) == NULL)) {
        free(s->sql);
        free(s);
        return RF_ENOMEM;
    }
    *out = &s->base;
    return RF_OK;
}

static rf_status set_value(pg_stmt *s, int i, char *v)
{
    if (i < 1 || i > s->nparams) {
        free(v);
        snprintf(
            ((pg_db *)s->base.db)->msg, sizeof((pg_db *)s->base.db)->msg,
            "binding parameter %d of a statement with %d", i, s->nparams);
        return RF_EDB;
    }
    free(s->values[i - 1]);
    s->values[i - 1] = v;
    return RF_OK;
}

static rf_status pg_bind_int(rf_db_stmt *base, int i, int64_t v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    char *copy = strdup(buf);
    return copy ? set_value((pg_stmt *)base, i, copy) : RF_ENOMEM;
}

static rf_status pg_bind_text(rf_db_stmt *base, int i, const char *v)
{
    if (v == NULL) {
        return set_value((pg_stmt *)base, i, NULL);
    }
    char *copy = strdup(v);
    return copy ? set_value((pg_stmt *)base, i, copy) : RF_ENOMEM;
}

static rf_status pg_bind_null(rf_db_stmt *base, int i)
{
    return set_value((pg_stmt *)base, i, NULL);
}

static int pg_step(rf_db_stmt *base)
{
    pg_stmt *s = (pg_stmt *)base;
    pg_db *db = (pg_db *)s->base.db;
    if (s->res == NULL) {
        s->res = PQexecParams(
            db->conn, s->sql, s->nparams, NULL, (const char *const *)s->values,
            NULL, NULL, 0);
        ExecStatusType t = PQresultStatus(s->res);
        if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK) {
            pg_set_msg(db, "running a statement", s->res);
            PQclear(s->res);
            s->res = NULL;
            return RF_EDB;
        }
        s->row = -1;
    }
    s->row++;
    return s->row < PQntuples(s->res) ? RF_DB_ROW : RF_DB_DONE;
}

static int64_t pg_col_int(rf_db_stmt *base, int i)
{
    pg_stmt *s = (pg_stmt *)base;
    if (s->res == NULL || PQgetisnull(s->res, s->row, i)) {
        return 0;
    }
    return strtoll(PQgetvalue(s->res, s->row, i), NULL, 10);
}

static const char *pg_col_text(rf_db_stmt *base, int i)
{
    pg_stmt *s = (pg_stmt *)base;
    if (s->res == NULL || PQgetisnull(s->res, s->row, i)) {
        return NULL;
    }
    return PQgetvalue(s->res, s->row, i);
}

static bool pg_col_null(rf_db_stmt *base, int i)
{
    pg_stmt *s = (pg_stmt *)base;
    return s->res == NULL || PQgetisnull(s->res, s->row, i);
}

static void pg_reset(rf_db_stmt *base)
{
    pg_stmt *s = (pg_stmt *)base;
    PQclear(s->res);
    s->res = NULL;
    s->row = -1;
    for (int i = 0; i < s->nparams; i++) {
        free(s->values[i]);
        s->values[i] = NULL;
    }
}

static void pg_finalize(rf_db_stmt *base)
{
    pg_stmt *s = (pg_stmt *)base;
    if (s == NULL) {
        return;
    }
    pg_reset(base);
    free(s->values);
    free(s->sql);
    free(s);
}

static const char *pg_errmsg(rf_db *base)
{
    return ((pg_db *)base)->msg;
}

static rf_status pg_has_table(bool *out, rf_db *base, const char *name)
{
    rf_db_stmt *s = NULL;
    *out = false;
    rf_status st = pg_prepare(
        &s, base,
        "SELECT 1 FROM information_schema.tables"
        " WHERE table_schema = current_schema() AND table_name = ?");
    if (st != RF_OK) {
        return st;
    }
    st = pg_bind_text(s, 1, name);
    if (st == RF_OK) {
        int rc = pg_step(s);
        if (rc < 0) {
            st = (rf_status)rc;
        } else {
            *out = rc == RF_DB_ROW;
        }
    }
    pg_finalize(s);
    return st;
}

static const rf_db_ops pg_ops = {
    .dialect = "postgresql",
    .id_column = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
    .close = pg_close,
    .exec = pg_exec,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .set_schema_version = pg_set_schema_version,
    .has_table = pg_has_table,
    .prepare = pg_prepare,
    .bind_int = pg_bind_int,
    .bind_text = pg_bind_text,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .col_int = pg_col_int,
    .col_text = pg_col_text,
    .col_null = pg_col_null,
    .reset = pg_reset,
    .finalize = pg_finalize,
    .errmsg = pg_errmsg,
};

rf_status rf_db__open_pg(rf_db **out, const char *url, bool create)
{
    (void)create; /* the database must exist; the schema is created */
    *out = NULL;
    pg_db *db = calloc(1, sizeof *db);
    if (db == NULL) {
        return RF_ENOMEM;
    }
    db->base.ops = &pg_ops;
    *out = &db->base;
    db->conn = PQconnectdb(url);
    if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK) {
        /* the URL may hold a password: name the database, not the URL */
        const char *name = db->conn ? PQdb(db->conn) : NULL;
        char what[160];
        snprintf(
            what, sizeof what, "cannot connect to PostgreSQL database '%s'",
            name ? name : "?");
        pg_set_msg(db, what, NULL);
        return RF_EDB;
    }
    /* quiet NOTICEs (e.g. "relation already exists, skipping") would
     * otherwise go to stderr: the library never prints */
    PQsetNoticeProcessor(db->conn, NULL, NULL);
    return pg_exec(
        &db->base,
        "SET client_min_messages = warning; SET client_encoding = 'UTF8'");
}

#else

rf_status rf_db__open_pg(rf_db **out, const char *url, bool create)
{
    (void)url;
    (void)create;
    *out = NULL;
    return RF_EUNSUPPORTED;
}

#endif /* RF_HAVE_PQ */
