/*
 * db.h - the small SQL interface the findings store is written against.
 *
 * The store (store*.c) never calls SQLite directly. It speaks a deliberately
 * plain dialect through this vtable so that a second backend (PostgreSQL
 * through libpq, issue 7) can be added as one more file without touching
 * the store's logic:
 *
 *   - parameters are positional `?` (a libpq backend rewrites them to $1..$n
 *     outside string literals before PQprepare);
 *   - types are BIGINT, INTEGER and TEXT; booleans are INTEGER 0/1;
 *     timestamps are ISO 8601 UTC text produced by the store, never by the
 *     database (no CURRENT_TIMESTAMP, no datetime());
 *   - upserts use `INSERT ... ON CONFLICT (cols) DO UPDATE SET x = excluded.x
 *     ... RETURNING id` (SQLite >= 3.35, PostgreSQL >= 9.5/10);
 *   - only functions both engines have: lower, substr, length, coalesce,
 *     count, max, min; LIKE always with an explicit ESCAPE '\';
 *   - DDL is dialect-neutral except the identity column, written `@ID@` in
 *     migrations and replaced by rf_db_ops.id_column.
 *
 * A backend embeds `rf_db` as its first member; statements likewise embed
 * `rf_db_stmt`. Errors are returned as RF_EDB with the engine's message
 * available from errmsg() until the next call.
 */
#ifndef RF_FINDINGS_DB_H
#define RF_FINDINGS_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "redflag.h"

typedef struct rf_db rf_db;
typedef struct rf_db_stmt rf_db_stmt;

/* What step() returns besides a negative rf_status. */
#define RF_DB_ROW  1
#define RF_DB_DONE 0

typedef struct rf_db_ops {
    const char *dialect;   /* "sqlite", "postgresql" */
    const char *id_column; /* identity primary key DDL, replaces @ID@ */
    void (*close)(rf_db *db);
    /* Run one or more statements without parameters (DDL, PRAGMA). */
    rf_status (*exec)(rf_db *db, const char *sql);
    /* Start a write transaction (SQLite: BEGIN IMMEDIATE, so two writers
     * queue instead of deadlocking on a read-to-write lock upgrade). */
    rf_status (*begin)(rf_db *db);
    rf_status (*commit)(rf_db *db);
    rf_status (*rollback)(rf_db *db);
    /* Run after migrations with the new schema version (SQLite mirrors it
     * into PRAGMA user_version so `sqlite3 redflag.db` users can see it). */
    rf_status (*set_schema_version)(rf_db *db, int version);
    /* True when a table exists. */
    rf_status (*has_table)(bool *out, rf_db *db, const char *name);
    rf_status (*prepare)(rf_db_stmt **out, rf_db *db, const char *sql);
    /* Bind parameter i (1-based). A NULL text binds SQL NULL. */
    rf_status (*bind_int)(rf_db_stmt *s, int i, int64_t v);
    rf_status (*bind_text)(rf_db_stmt *s, int i, const char *v);
    rf_status (*bind_null)(rf_db_stmt *s, int i);
    /* RF_DB_ROW, RF_DB_DONE or a negative rf_status. */
    int (*step)(rf_db_stmt *s);
    int64_t (*col_int)(rf_db_stmt *s, int i);
    /* Borrowed until the next step/reset; NULL for SQL NULL. */
    const char *(*col_text)(rf_db_stmt *s, int i);
    bool (*col_null)(rf_db_stmt *s, int i);
    /* Ready the statement for re-execution; clears bindings. */
    void (*reset)(rf_db_stmt *s);
    void (*finalize)(rf_db_stmt *s);
    const char *(*errmsg)(rf_db *db);
} rf_db_ops;

struct rf_db {
    const rf_db_ops *ops;
};

struct rf_db_stmt {
    rf_db *db;
};

/*
 * Open a SQLite database file, creating it when @p create is true. On
 * failure *out may still hold a handle whose errmsg() says why; the caller
 * closes it either way.
 */
rf_status rf_db__open_sqlite(rf_db **out, const char *path, bool create);

/*
 * Connect to a PostgreSQL database by libpq URL ("postgresql://..."); the
 * database must exist (the store creates its tables). RF_EUNSUPPORTED when
 * built without libpq. Same failure contract as rf_db__open_sqlite.
 */
rf_status rf_db__open_pg(rf_db **out, const char *url, bool create);

#endif /* RF_FINDINGS_DB_H */
