/*
 * test_store_crash.c - a process recording a scan is killed with SIGKILL
 * after its first batches have committed. The store must pass SQLite's
 * integrity check, hold only whole documents (each with all of its
 * findings), show the scan as still running, and a re-run must complete
 * with every finding exactly once.
 *
 * (tests/cli/test_store_crash.sh does the same through `redflag scan`.)
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/wait.h>
#include <time.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "store_fixture.h"

#define NDOCS 3000

static void feed_many(rf_store *st, unsigned delay_us)
{
    rf_sink sink;
    rf_store_scan_info info;
    const char *paths[] = {"gen"};
    rf_store_scan_info_init(&info);
    info.paths = paths;
    info.path_count = 1;
    info.batch_documents = 16;
    if (rf_store_sink(&sink, st, &info, NULL) != RF_OK ||
        sink.begin(sink.payload, NULL) != RF_OK) {
        fail_msg("begin: %s", rf_store_errmsg(st));
    }
    for (int i = 0; i < NDOCS; i++) {
        char id[32], path[64], fp[33], snippet[64];
        snprintf(id, sizeof id, "CN-%09d-A", i);
        snprintf(path, sizeof path, "gen/doc%05d.txt", i);
        snprintf(snippet, sizeof snippet, "document %d: 维吾尔族 预警", i);
        rf_document d = {
            .id = id,
            .format = "text",
            .kind = "",
            .lang = "zh",
            .path = path,
            .applicants = fx_none,
            .inventors = fx_none,
            .classes = fx_none};
        if (sink.document(sink.payload, &d) != RF_OK) {
            fail_msg("document: %s", rf_store_errmsg(st));
        }
        /* two findings per document, so a torn document would show */
        for (int k = 0; k < 2; k++) {
            snprintf(fp, sizeof fp, "%08x%08x%016x", i, k, 0x5eed);
            rf_finding f = {
                .rule_id = "uyghur-alert",
                .category = "ethnicity",
                .severity = RF_SEV_CRITICAL,
                .doc = &d,
                .section = "text",
                .snippet = snippet,
                .fingerprint = fp,
                .lang = "zh"};
            if (sink.finding(sink.payload, &f) != RF_OK) {
                fail_msg("finding: %s", rf_store_errmsg(st));
            }
        }
        if (delay_us > 0) {
            struct timespec ts = {0, (long)delay_us * 1000L};
            nanosleep(&ts, NULL);
        }
    }
    rf_scan_summary sum = {.documents = NDOCS, .findings = 2 * NDOCS};
    if (sink.end(sink.payload, &sum) != RF_OK) {
        fail_msg("end: %s", rf_store_errmsg(st));
    }
}

static int64_t q(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s = NULL;
    int64_t v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW) {
        v = sqlite3_column_int64(s, 0);
    }
    sqlite3_finalize(s);
    return v;
}

static void test_sigkill_midway(void **state)
{
    (void)state;
    char path[512];
    fx_store_path(path, sizeof path, "crash");
    /* create the schema first so the poller can read it */
    rf_store *st = NULL;
    assert_int_equal(rf_store_open(&st, path, RF_STORE_CREATE), RF_OK);
    rf_store_free(st);

    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        rf_store *child = NULL;
        if (rf_store_open(&child, path, 0) != RF_OK) {
            _exit(3);
        }
        feed_many(child, 2000); /* slow: ~6 s for the whole scan */
        _exit(0);
    }

    /* wait until some batches are committed, then kill */
    sqlite3 *db = NULL;
    assert_int_equal(
        sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 2000);
    int64_t docs = 0;
    for (int i = 0; i < 500 && docs < 64; i++) {
        struct timespec ts = {0, 20 * 1000000L};
        nanosleep(&ts, NULL);
        docs = q(db, "SELECT count(*) FROM documents");
    }
    sqlite3_close(db);
    assert_true(docs >= 64);
    assert_int_equal(kill(pid, SIGKILL), 0);
    int wst = 0;
    assert_int_equal(waitpid(pid, &wst, 0), pid);
    assert_true(WIFSIGNALED(wst));

    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *s = NULL;
    assert_int_equal(
        sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(s, 0), "ok");
    sqlite3_finalize(s);
    assert_int_equal(q(db, "PRAGMA foreign_key_check"), -1); /* no rows */
    int64_t committed = q(db, "SELECT count(*) FROM documents");
    assert_true(committed >= 64 && committed < NDOCS);
    /* whole documents only: every stored document has both findings */
    assert_int_equal(q(db, "SELECT count(*) FROM findings"), 2 * committed);
    assert_int_equal(
        q(db, "SELECT count(*) FROM scans WHERE state = 'running'"), 1);
    sqlite3_close(db);

    /* re-run: completes, no duplicates, nothing resolved by the dead scan */
    assert_int_equal(rf_store_open(&st, path, 0), RF_OK);
    feed_many(st, 0);
    rf_store_free(st);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(q(db, "SELECT count(*) FROM findings"), 2 * NDOCS);
    assert_int_equal(
        q(db, "SELECT count(DISTINCT fingerprint) FROM findings"), 2 * NDOCS);
    assert_int_equal(q(db, "SELECT count(*) FROM documents"), NDOCS);
    assert_int_equal(
        q(db, "SELECT count(*) FROM findings WHERE resolved_scan IS NOT NULL"),
        0);
    assert_int_equal(
        q(db, "SELECT count(*) FROM scans WHERE state = "
              "'complete'"),
        1);
    assert_int_equal(
        q(db, "SELECT count(*) FROM scan_findings WHERE scan_id = 2"),
        2 * NDOCS);
    sqlite3_close(db);
    fx_store_remove(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sigkill_midway),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
