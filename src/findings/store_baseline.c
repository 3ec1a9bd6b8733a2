/*
 * store_baseline.c - sharing review decisions between stores.
 *
 * A baseline is a JSON file of review decisions keyed by fingerprint:
 *
 *   {"redflag_baseline": 1,
 *    "findings": [
 *      {"fingerprint": "…32 hex…", "status": "false-positive",
 *       "note": "place name", "rule": "…", "document": "…", "path": "…"}
 *    ]}
 *
 * Only fingerprint and status are needed to import; rule, document and
 * path are there for the humans who read and diff the file. Export writes
 * every finding somebody reviewed (status other than new), resolved or
 * not, sorted by fingerprint, one entry per line, with no timestamps, so
 * the file diffs cleanly in version control.
 *
 * Import validates the whole file first and then applies it in one
 * transaction: each entry sets the review and note of its finding (an
 * explicit import wins over an earlier local review; the history table
 * keeps both) and is remembered in the `baseline` table so that a finding
 * first found by a later scan gets the decision too. Suppressed findings
 * are never dropped: a false-positive stays in every report, marked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store.h"

#define BASELINE_VERSION 1

rf_status rf_store_baseline_export(size_t *count, rf_store *st, FILE *fp)
{
    rf_db_stmt *s = NULL;
    rf_buf b = {0};
    size_t n = 0;
    if (count != NULL) {
        *count = 0;
    }
    rf_status status = rf_store__prepare(
        &s, st,
        "SELECT f.fingerprint, f.review, f.note, f.rule_id, d.doc_id,"
        " d.path, d.member FROM findings f JOIN documents d"
        " ON d.id = f.document_id WHERE f.review <> 'new'"
        " ORDER BY f.fingerprint");
    if (status != RF_OK) {
        return status;
    }
    status = rf_buf_printf(
        &b, "{\"redflag_baseline\": %d, \"findings\": [", BASELINE_VERSION);
    int rc = RF_DB_DONE;
    while (status == RF_OK && (rc = RF_DB(st)->step(s)) == RF_DB_ROW) {
        const char *member = RF_DB(st)->col_text(s, 6);
        status = rf_buf_puts(&b, n ? ",\n  {" : "\n  {");
        if (status == RF_OK) {
            status = rf_buf_puts(&b, "\"fingerprint\": ");
        }
        if (status == RF_OK) {
            status = rf_buf_json_cstr(&b, RF_DB(st)->col_text(s, 0));
        }
        if (status == RF_OK) {
            status = rf_buf_puts(&b, ", \"status\": ");
        }
        if (status == RF_OK) {
            status = rf_buf_json_cstr(&b, RF_DB(st)->col_text(s, 1));
        }
        if (status == RF_OK) {
            status = rf_buf_puts(&b, ", \"note\": ");
        }
        if (status == RF_OK) {
            status = rf_buf_json_cstr(&b, RF_DB(st)->col_text(s, 2));
        }
        if (status == RF_OK) {
            status = rf_buf_puts(&b, ", \"rule\": ");
        }
        if (status == RF_OK) {
            status = rf_buf_json_cstr(&b, RF_DB(st)->col_text(s, 3));
        }
        if (status == RF_OK) {
            status = rf_buf_puts(&b, ", \"document\": ");
        }
        if (status == RF_OK) {
            status = rf_buf_json_cstr(&b, RF_DB(st)->col_text(s, 4));
        }
        if (status == RF_OK) {
            status = rf_buf_puts(&b, ", \"path\": ");
        }
        if (status == RF_OK) {
            status = rf_buf_json_cstr(&b, RF_DB(st)->col_text(s, 5));
        }
        if (status == RF_OK && member != NULL && *member != '\0') {
            status = rf_buf_puts(&b, ", \"member\": ");
            if (status == RF_OK) {
                status = rf_buf_json_cstr(&b, member);
            }
        }
        if (status == RF_OK) {
            status = rf_buf_putc(&b, '}');
        }
        n++;
        /* flush as we go: a baseline can hold many thousands of entries */
        if (status == RF_OK && b.len > 65536) {
            if (fwrite(b.data, 1, b.len, fp) != b.len) {
                status = RF_EIO;
            }
            rf_buf_reset(&b);
        }
    }
    if (status == RF_OK && rc < 0) {
        status = rf_store__dbfail(st, (rf_status)rc, "reading reviews");
    }
    if (status == RF_OK) {
        status = rf_buf_puts(&b, n ? "\n]}\n" : "]}\n");
    }
    if (status == RF_OK && fwrite(b.data, 1, b.len, fp) != b.len) {
        status = RF_EIO;
    }
    if (status == RF_EIO) {
        rf_store__fail(st, status, "writing the baseline failed");
    }
    if (count != NULL) {
        *count = n;
    }
    RF_DB(st)->finalize(s);
    rf_buf_free(&b);
    return status;
}

/* ---------------- import ---------------- */

typedef struct entry {
    char fingerprint[33];
    const char *status; /* canonical name, static */
    const char *note;   /* borrowed from the JSON tree */
    bool matched;
} entry;

static bool canonical_fingerprint(char out[33], const char *s)
{
    if (s == NULL || strlen(s) != 32) {
        return false;
    }
    for (size_t i = 0; i < 32; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'F') {
            c = (char)(c - 'A' + 'a');
        }
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
        out[i] = c;
    }
    out[32] = '\0';
    return true;
}

/* Check every entry before touching the store. */
static rf_status parse_entries(
    entry **out, size_t *count, rf_store *st, json_t *root, const char *name)
{
    *out = NULL;
    *count = 0;
    json_t *list = root;
    if (json_is_object(root)) {
        json_t *v = json_object_get(root, "redflag_baseline");
        if (v != NULL &&
            (!json_is_integer(v) || json_integer_value(v) > BASELINE_VERSION)) {
            return rf_store__fail(
                st, RF_EUNSUPPORTED,
                "%s: baseline format version is newer than this redflag "
                "understands (%d)",
                name, BASELINE_VERSION);
        }
        list = json_object_get(root, "findings");
    }
    if (!json_is_array(list)) {
        return rf_store__fail(
            st, RF_EPARSE,
            "%s: not a redflag baseline (expected {\"findings\": [...]}, as "
            "written by `redflag baseline export`)",
            name);
    }
    size_t n = json_array_size(list);
    entry *e = calloc(n ? n : 1, sizeof *e);
    if (e == NULL) {
        return RF_ENOMEM;
    }
    rf_status status = RF_OK;
    for (size_t i = 0; i < n && status == RF_OK; i++) {
        json_t *item = json_array_get(list, i);
        const char *fp =
            json_string_value(json_object_get(item, "fingerprint"));
        const char *sname = json_string_value(json_object_get(item, "status"));
        json_t *note = json_object_get(item, "note");
        rf_review_status rs;
        if (!json_is_object(item) ||
            !canonical_fingerprint(e[i].fingerprint, fp)) {
            status = rf_store__fail(
                st, RF_EPARSE,
                "%s: entry %zu: \"fingerprint\" must be 32 hex digits", name,
                i + 1);
        } else if (
            sname == NULL || rf_review_status_parse(&rs, sname) != RF_OK ||
            rs == RF_REVIEW_RESOLVED) {
            status = rf_store__fail(
                st, RF_EPARSE,
                "%s: entry %zu (%s): \"status\" must be confirmed, "
                "false-positive, needs-review or new",
                name, i + 1, e[i].fingerprint);
        } else if (
            note != NULL && !json_is_null(note) && !json_is_string(note)) {
            status = rf_store__fail(
                st, RF_EPARSE,
                "%s: entry %zu (%s): \"note\" must be a string or null", name,
                i + 1, e[i].fingerprint);
        } else {
            e[i].status = rf_review_status_name(rs);
            e[i].note = json_string_value(note);
            if (e[i].note != NULL && *e[i].note == '\0') {
                e[i].note = NULL;
            }
        }
    }
    if (status != RF_OK) {
        free(e);
        return status;
    }
    *out = e;
    *count = n;
    return RF_OK;
}

static rf_status apply_entry(rf_store *st, entry *e, const char *now)
{
    rf_db_stmt *s = NULL;
    rf_status status = rf_store__prepare(
        &s, st,
        "INSERT INTO baseline (fingerprint, status, note, imported_at)"
        " VALUES (?, ?, ?, ?) ON CONFLICT (fingerprint) DO UPDATE SET"
        " status = excluded.status, note = excluded.note,"
        " imported_at = excluded.imported_at");
    if (status != RF_OK) {
        return status;
    }
    RF_DB(st)->bind_text(s, 1, e->fingerprint);
    RF_DB(st)->bind_text(s, 2, e->status);
    RF_DB(st)->bind_text(s, 3, e->note);
    RF_DB(st)->bind_text(s, 4, now);
    status = rf_store__run(st, s, "remembering a baseline entry");
    RF_DB(st)->finalize(s);
    s = NULL;
    if (status != RF_OK) {
        return status;
    }

    status = rf_store__prepare(
        &s, st,
        "UPDATE findings SET review = ?, note = ?, reviewed_at = ?,"
        " from_baseline = 1 WHERE fingerprint = ? RETURNING id");
    if (status != RF_OK) {
        return status;
    }
    RF_DB(st)->bind_text(s, 1, e->status);
    RF_DB(st)->bind_text(s, 2, e->note);
    RF_DB(st)->bind_text(s, 3, now);
    RF_DB(st)->bind_text(s, 4, e->fingerprint);
    int rc = RF_DB(st)->step(s);
    int64_t id = rc == RF_DB_ROW ? RF_DB(st)->col_int(s, 0) : 0;
    e->matched = rc == RF_DB_ROW;
    status = rf_store__run(st, s, "applying a baseline entry");
    RF_DB(st)->finalize(s);
    s = NULL;
    if (status == RF_OK && rc < 0) {
        status = rf_store__dbfail(st, (rf_status)rc, "applying a baseline");
    }
    if (status != RF_OK || !e->matched) {
        return status;
    }

    status = rf_store__prepare(
        &s, st,
        "INSERT INTO reviews (finding_id, status, note, source, at)"
        " VALUES (?, ?, ?, 'baseline', ?)");
    if (status != RF_OK) {
        return status;
    }
    RF_DB(st)->bind_int(s, 1, id);
    RF_DB(st)->bind_text(s, 2, e->status);
    RF_DB(st)->bind_text(s, 3, e->note);
    RF_DB(st)->bind_text(s, 4, now);
    status = rf_store__run(st, s, "recording review history");
    RF_DB(st)->finalize(s);
    return status;
}

rf_status rf_store_baseline_import(
    rf_baseline_totals *totals,
    rf_store *st,
    FILE *fp,
    const char *name,
    void (*unmatched)(const char *, const char *, const char *, void *),
    void *payload)
{
    json_error_t jerr;
    entry *e = NULL;
    size_t n = 0;
    bool in_txn = false;
    char now[32];
    rf_baseline_totals t = {0};
    if (name == NULL) {
        name = "baseline";
    }
    json_t *root = json_loadf(fp, JSON_REJECT_DUPLICATES, &jerr);
    rf_status status = RF_OK;
    if (root == NULL) {
        status = rf_store__fail(
            st, RF_EPARSE, "%s:%d:%d: %s", name, jerr.line, jerr.column,
            jerr.text);
        goto done;
    }
    status = parse_entries(&e, &n, st, root, name);
    if (status != RF_OK) {
        goto done;
    }
    status = RF_DB(st)->begin(st->db);
    if (status != RF_OK) {
        status = rf_store__dbfail(st, status, "starting the import");
        goto done;
    }
    in_txn = true;
    rf_store__now(now);
    for (size_t i = 0; i < n && status == RF_OK; i++) {
        status = apply_entry(st, &e[i], now);
    }
    if (status != RF_OK) {
        goto done;
    }
    status = RF_DB(st)->commit(st->db);
    if (status != RF_OK) {
        status = rf_store__dbfail(st, status, "committing the import");
        goto done;
    }
    in_txn = false;
    t.entries = n;
    for (size_t i = 0; i < n; i++) {
        if (e[i].matched) {
            t.applied++;
        } else {
            t.unmatched++;
            if (unmatched != NULL) {
                unmatched(e[i].fingerprint, e[i].status, e[i].note, payload);
            }
        }
    }
done:
    if (in_txn) {
        RF_DB(st)->rollback(st->db);
    }
    if (totals != NULL) {
        *totals = t;
    }
    free(e);
    json_decref(root);
    return status;
}

rf_status rf_store_baseline_unmatched(
    rf_store *st,
    void (*cb)(const char *, const char *, const char *, void *),
    void *payload)
{
    rf_db_stmt *s = NULL;
    rf_status status = rf_store__prepare(
        &s, st,
        "SELECT b.fingerprint, b.status, b.note FROM baseline b"
        " WHERE NOT EXISTS (SELECT 1 FROM findings f"
        " WHERE f.fingerprint = b.fingerprint) ORDER BY b.fingerprint");
    if (status != RF_OK) {
        return status;
    }
    int rc;
    while ((rc = RF_DB(st)->step(s)) == RF_DB_ROW) {
        cb(RF_DB(st)->col_text(s, 0), RF_DB(st)->col_text(s, 1),
           RF_DB(st)->col_text(s, 2), payload);
    }
    if (rc < 0) {
        status = rf_store__dbfail(st, (rf_status)rc, "reading the baseline");
    }
    RF_DB(st)->finalize(s);
    return status;
}
