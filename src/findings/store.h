/*
 * store.h - internals shared by the store's files (never installed).
 *
 *   store.c           open, schema and migrations, statuses, review, scans
 *   store_sink.c      recording a scan (the rf_sink), re-scan resolution
 *   store_query.c     queries, rebuilding rf_finding views, diff
 *   store_baseline.c  baseline export and import
 *   db.h, db_*.c      the SQL backend interface and its SQLite backend
 *
 * Every statement the store runs is written once, in the portable dialect
 * described in db.h, and prepared once per handle through rf_store__stmt.
 */
#ifndef RF_FINDINGS_STORE_H
#define RF_FINDINGS_STORE_H

#include "db.h"
#include "internal.h"
#include "report/report.h"

/* Current schema version; docs/store.md describes each one. */
#define RF_STORE_SCHEMA_VERSION 1

/* Statements prepared once per handle, by index. */
typedef enum rf_store_stmt_id {
    RF_SQL_SCAN_INSERT,
    RF_SQL_SCAN_PATH_INSERT,
    RF_SQL_SCAN_ERROR_INSERT,
    RF_SQL_SCAN_END,
    RF_SQL_SCAN_ABORT,
    RF_SQL_RULE_UPSERT,
    RF_SQL_DOC_UPSERT,
    RF_SQL_DOCVAL_DELETE,
    RF_SQL_DOCVAL_INSERT,
    RF_SQL_FINDING_UPSERT,
    RF_SQL_SIGHTING_INSERT,
    RF_SQL_BASELINE_APPLY,
    RF_SQL_BASELINE_APPLY_LOG,
    RF_SQL_RESOLVE,
    RF_SQL_DOCVAL_SELECT,
    RF_SQL_COUNT
} rf_store_stmt_id;

/* What the sink keeps while a scan is being recorded. */
typedef struct rf_store_rec {
    bool active; /* begin seen, end not yet */
    bool in_txn; /* a batch transaction is open */
    bool failed; /* a callback failed; later ones do nothing */
    int64_t scan_id;
    rf_strvec paths; /* normalised roots */
    char *args;
    rf_severity min_severity;
    unsigned batch_documents;
    unsigned batch_count;
    uint64_t batch_started_ms; /* monotonic clock when the batch began */
    rf_sink next;
    bool has_next;
    rf_status pending; /* a diag() failure, reported by the next callback */
    /* the document findings are currently attached to */
    const rf_document *doc_view;
    int64_t doc_row;
    char *doc_key;
} rf_store_rec;

struct rf_store {
    rf_db *db;
    char *target;
    int schema_version;
    char errmsg[1024];
    rf_db_stmt *stmts[RF_SQL_COUNT];
    rf_store_rec rec;
};

/* Set the error message (printf style) and return @p status. */
rf_status rf_store__fail(rf_store *st, rf_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Copy the backend's message with a prefix saying what was being done. */
rf_status rf_store__dbfail(rf_store *st, rf_status status, const char *what);
/* The prepared statement @p id, reset and ready to bind. */
rf_status rf_store__stmt(rf_db_stmt **out, rf_store *st, rf_store_stmt_id id);
/* Prepare an ad-hoc statement (caller finalises). */
rf_status rf_store__prepare(rf_db_stmt **out, rf_store *st, const char *sql);
/* Run a statement that returns no rows (or ignore them); resets it. */
rf_status rf_store__run(rf_store *st, rf_db_stmt *s, const char *what);
/* Current time as ISO 8601 UTC ("2025-01-31T12:00:00Z"). */
void rf_store__now(char out[32]);
/* Lexical path normalisation used for "same paths" comparisons:
 * drops "./" segments, repeated and trailing slashes. Malloc'd. */
char *rf_store__path_key(const char *path);
/* Finish recording (rollback the open batch, mark the scan aborted). */
void rf_store__abort_scan(rf_store *st);
void rf_store__rec_free(rf_store_rec *rec);

/* Create or upgrade the schema (store_schema.c). */
rf_status rf_store__migrate(rf_store *st);

/* Shorthands over the backend vtable. */
#define RF_DB(st) ((st)->db->ops)

/* Status names as stored in the `review` column. */
const char *rf_store__review_sql(rf_review_status s);

/* ---- queries (store_query.c), used by reports and baselines ---- */

/* Run @p flt and call @p cb; the order is the report order. */
rf_status rf_store__query(
    rf_store *st,
    const rf_store_filter *flt,
    const char *extra_where, /* ANDed in, no parameters; may be NULL */
    rf_stored_finding_cb cb,
    void *payload);

/* The same with @p order (trusted SQL over columns f.* and d.*, no
 * parameters; NULL = the report order) as the leading sort keys. */
rf_status rf_store__query_ordered(
    rf_store *st,
    const rf_store_filter *flt,
    const char *extra_where,
    const char *order,
    rf_stored_finding_cb cb,
    void *payload);

/* Rules as the store last saw them (for report headers). */
rf_status rf_store__rules(
    rf_store *st,
    rf_status (*cb)(const rf_rule_info *rule, void *payload),
    void *payload);

/* The latest scan id (complete or not); 0 if none. */
rf_status rf_store__latest_scan(int64_t *out, rf_store *st, bool complete_only);

#endif /* RF_FINDINGS_STORE_H */
