/*
 * db_sqlite.c - the SQLite backend of the findings store (see db.h).
 *
 * Settings, and why:
 *   journal_mode=WAL     readers (report, a future `serve`) never block the
 *                        scan that is writing, and a killed writer leaves
 *                        the last committed transaction intact;
 *   synchronous=NORMAL   with WAL this survives a killed process (SIGKILL)
 *                        and loses at most the last commits on power loss,
 *                        never consistency;
 *   foreign_keys=ON      SQLite leaves them off by default;
 *   busy_timeout=10s     a second redflag on the same store waits its turn.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "db.h"

typedef struct sq_db {
    rf_db base;
    sqlite3 *h;
    char msg[512];
} sq_db;

typedef struct sq_stmt {
    rf_db_stmt base;
    sqlite3_stmt *h;
} sq_stmt;

static void sq_set_msg(sq_db *db, const char *what)
{
    snprintf(
        db->msg, sizeof db->msg, "%s: %s", what,
        db->h ? sqlite3_errmsg(db->h) : "cannot allocate a SQLite handle");
}

static void sq_close(rf_db *base)
{
    sq_db *db = (sq_db *)base;
    if (db == NULL) {
        return;
    }
    /* sqlite3_close_v2 defers until every statement is finalised; the
     * store finalises its statements first, so this closes now. */
    sqlite3_close_v2(db->h);
    free(db);
}

static rf_status sq_exec(rf_db *base, const char *sql)
{
    sq_db *db = (sq_db *)base;
    char *err = NULL;
    if (sqlite3_exec(db->h, sql, NULL, NULL, &err) != SQLITE_OK) {
        snprintf(db->msg, sizeof db->msg, "%s", err ? err : "exec failed");
        sqlite3_free(err);
        return RF_EDB;
    }
    return RF_OK;
}

static rf_status sq_begin(rf_db *base)
{
    return sq_exec(base, "BEGIN IMMEDIATE");
}

static rf_status sq_commit(rf_db *base)
{
    return sq_exec(base, "COMMIT");
}

static rf_status sq_rollback(rf_db *base)
{
    sq_db *db = (sq_db *)base;
    /* Rolling back with no open transaction is not an error here: the
     * store calls it on every failure path. */
    if (sqlite3_get_autocommit(db->h)) {
        return RF_OK;
    }
    return sq_exec(base, "ROLLBACK");
}

static rf_status sq_set_schema_version(rf_db *base, int version)
{
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", version);
    return sq_exec(base, sql);
}

static rf_status sq_prepare(rf_db_stmt **out, rf_db *base, const char *sql)
{
    sq_db *db = (sq_db *)base;
    *out = NULL;
    sq_stmt *s = calloc(1, sizeof *s);
    if (s == NULL) {
        return RF_ENOMEM;
    }
    s->base.db = base;
    if (sqlite3_prepare_v3(
            db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->h, NULL) !=
        SQLITE_OK) {
        sq_set_msg(db, "preparing a statement");
        free(s);
        return RF_EDB;
    }
    *out = &s->base;
    return RF_OK;
}

static rf_status sq_bind_result(sq_stmt *s, int rc)
{
    if (rc == SQLITE_OK) {
        return RF_OK;
    }
    sq_set_msg((sq_db *)s->base.db, "binding a parameter");
    return rc == SQLITE_NOMEM ? RF_ENOMEM : RF_EDB;
}

static rf_status sq_bind_int(rf_db_stmt *base, int i, int64_t v)
{
    sq_stmt *s = (sq_stmt *)base;
    return sq_bind_result(s, sqlite3_bind_int64(s->h, i, v));
}

static rf_status sq_bind_text(rf_db_stmt *base, int i, const char *v)
{
    sq_stmt *s = (sq_stmt *)base;
    if (v == NULL) {
        return sq_bind_result(s, sqlite3_bind_null(s->h, i));
    }
    return sq_bind_result(
        s, sqlite3_bind_text(s->h, i, v, -1, SQLITE_TRANSIENT));
}

static rf_status sq_bind_null(rf_db_stmt *base, int i)
{
    sq_stmt *s = (sq_stmt *)base;
    return sq_bind_result(s, sqlite3_bind_null(s->h, i));
}

static int sq_step(rf_db_stmt *base)
{
    sq_stmt *s = (sq_stmt *)base;
    int rc = sqlite3_step(s->h);
    if (rc == SQLITE_ROW) {
        return RF_DB_ROW;
    }
    if (rc == SQLITE_DONE) {
        return RF_DB_DONE;
    }
    sq_set_msg((sq_db *)s->base.db, "running a statement");
    return rc == SQLITE_NOMEM ? RF_ENOMEM : RF_EDB;
}

static int64_t sq_col_int(rf_db_stmt *base, int i)
{
    return sqlite3_column_int64(((sq_stmt *)base)->h, i);
}

static const char *sq_col_text(rf_db_stmt *base, int i)
{
    return (const char *)sqlite3_column_text(((sq_stmt *)base)->h, i);
}

static bool sq_col_null(rf_db_stmt *base, int i)
{
    return sqlite3_column_type(((sq_stmt *)base)->h, i) == SQLITE_NULL;
}

static void sq_reset(rf_db_stmt *base)
{
    sq_stmt *s = (sq_stmt *)base;
    sqlite3_reset(s->h);
    sqlite3_clear_bindings(s->h);
}

static void sq_finalize(rf_db_stmt *base)
{
    sq_stmt *s = (sq_stmt *)base;
    if (s == NULL) {
        return;
    }
    sqlite3_finalize(s->h);
    free(s);
}

static const char *sq_errmsg(rf_db *base)
{
    return ((sq_db *)base)->msg;
}

static rf_status sq_has_table(bool *out, rf_db *base, const char *name)
{
    rf_db_stmt *s = NULL;
    *out = false;
    rf_status st = sq_prepare(
        &s, base,
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
    if (st != RF_OK) {
        return st;
    }
    st = sq_bind_text(s, 1, name);
    if (st == RF_OK) {
        int rc = sq_step(s);
        if (rc < 0) {
            st = (rf_status)rc;
        } else {
            *out = rc == RF_DB_ROW;
        }
    }
    sq_finalize(s);
    return st;
}

static const rf_db_ops sqlite_ops = {
    .dialect = "sqlite",
    .id_column = "INTEGER PRIMARY KEY",
    .close = sq_close,
    .exec = sq_exec,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .set_schema_version = sq_set_schema_version,
    .has_table = sq_has_table,
    .prepare = sq_prepare,
    .bind_int = sq_bind_int,
    .bind_text = sq_bind_text,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .col_int = sq_col_int,
    .col_text = sq_col_text,
    .col_null = sq_col_null,
    .reset = sq_reset,
    .finalize = sq_finalize,
    .errmsg = sq_errmsg,
};

rf_status rf_db__open_sqlite(rf_db **out, const char *path, bool create)
{
    rf_status st = RF_OK;
    *out = NULL;
    sq_db *db = calloc(1, sizeof *db);
    if (db == NULL) {
        return RF_ENOMEM;
    }
    db->base.ops = &sqlite_ops;
    *out = &db->base;

    struct stat sb;
    if (!create && stat(path, &sb) != 0) {
        snprintf(
            db->msg, sizeof db->msg,
            "%s: no findings store here (scan into it first: "
            "redflag scan --store %s PATH)",
            path, path);
        return RF_ENOTFOUND;
    }
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    if (create) {
        flags |= SQLITE_OPEN_CREATE;
    }
    if (sqlite3_open_v2(path, &db->h, flags, NULL) != SQLITE_OK) {
        sq_set_msg(db, path);
        return RF_EDB;
    }
    sqlite3_extended_result_codes(db->h, 1);
    sqlite3_busy_timeout(db->h, 10000);
    /* A file that is not a database fails here, on the first read. */
    st = sq_exec(
        &db->base,
        "PRAGMA foreign_keys = ON;"
        "PRAGMA journal_mode = WAL;"
        "PRAGMA synchronous = NORMAL;"
        /* 64 MiB of page cache: a scan touches the fingerprint and
         * document indexes all over; the default 2 MiB spills to disk */
        "PRAGMA cache_size = -65536;"
        "PRAGMA temp_store = MEMORY;");
    if (st != RF_OK) {
        char tmp[sizeof db->msg];
        memcpy(tmp, db->msg, sizeof tmp);
        snprintf(db->msg, sizeof db->msg, "%s: %s", path, tmp);
        return st;
    }
    return RF_OK;
}
