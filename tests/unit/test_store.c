/*
 * test_store.c - the findings store: round trips, re-scan semantics,
 * reviews that survive re-scans and reopening, filters, diffs, aborted
 * scans and path normalisation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "findings/store.h"
#include "store_fixture.h"

/* ---------------- helpers ---------------- */

typedef struct got {
    size_t n;
    char fp[16][33];
    rf_review_status status[16];
    rf_review_status review[16];
    char note[16][64];
    int64_t first[16], last[16], resolved[16];
    bool suppressed[16];
} got;

static int collect(const rf_stored_finding *sf, void *payload)
{
    got *g = payload;
    if (g->n < 16) {
        snprintf(g->fp[g->n], 33, "%s", sf->finding->fingerprint);
        g->status[g->n] = sf->status;
        g->review[g->n] = sf->review;
        snprintf(g->note[g->n], 64, "%s", sf->note ? sf->note : "");
        g->first[g->n] = sf->first_scan;
        g->last[g->n] = sf->last_scan;
        g->resolved[g->n] = sf->resolved_scan;
        g->suppressed[g->n] = sf->suppressed;
    }
    g->n++;
    return 0;
}

static int find(const got *g, const char *fp)
{
    for (size_t i = 0; i < g->n && i < 16; i++) {
        if (strcmp(g->fp[i], fp) == 0) {
            return (int)i;
        }
    }
    return -1;
}

static rf_store *open_new(char *path, size_t n, const char *name)
{
    rf_store *st = NULL;
    fx_store_path(path, n, name);
    rf_status s = rf_store_open(&st, path, RF_STORE_CREATE);
    if (s != RF_OK) {
        fail_msg("open %s: %s", path, rf_store_errmsg(st));
    }
    return st;
}

static void scan(
    rf_store *st,
    const char *root,
    const tf *fs,
    size_t nf,
    const rf_diag *diag)
{
    rf_sink sink;
    rf_store_scan_info info;
    const char *paths[] = {root};
    rf_store_scan_info_init(&info);
    info.paths = paths;
    info.path_count = 1;
    info.args = "redflag scan --store test";
    assert_int_equal(rf_store_sink(&sink, st, &info, NULL), RF_OK);
    rf_status s = fx_feed(&sink, fx_docs, 3, fs, nf, diag);
    if (s != RF_OK) {
        fail_msg("scan: %s", rf_store_errmsg(st));
    }
}

static got query(rf_store *st, const rf_store_filter *flt)
{
    got g;
    memset(&g, 0, sizeof g);
    rf_status s = rf_store_query(st, flt, collect, &g);
    if (s != RF_OK) {
        fail_msg("query: %s", rf_store_errmsg(st));
    }
    return g;
}

static int64_t sql_int(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    int64_t v = -1;
    assert_int_equal(
        sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    if (sqlite3_step(s) == SQLITE_ROW) {
        v = sqlite3_column_int64(s, 0);
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

/* ---------------- tests ---------------- */

static void test_open_creates_schema(void **state)
{
    (void)state;
    char path[512];
    rf_store *st = open_new(path, sizeof path, "schema");
    assert_int_equal(rf_store_schema_version(st), RF_STORE_SCHEMA_VERSION);
    rf_store_free(st);
    assert_int_equal(
        sql_int(path, "PRAGMA user_version"), RF_STORE_SCHEMA_VERSION);
    assert_int_equal(
        sql_int(path, "SELECT max(version) FROM schema_migrations"),
        RF_STORE_SCHEMA_VERSION);
    /* reopening migrates nothing and keeps the version */
    assert_int_equal(rf_store_open(&st, path, 0), RF_OK);
    assert_int_equal(rf_store_schema_version(st), RF_STORE_SCHEMA_VERSION);
    rf_store_free(st);
    assert_int_equal(
        sql_int(path, "SELECT count(*) FROM schema_migrations"), 1);
    fx_store_remove(path);
}

static void test_open_missing_and_unsupported(void **state)
{
    (void)state;
    rf_store *st = NULL;
    assert_int_equal(
        rf_store_open(&st, "/nonexistent/dir/x.db", 0), RF_ENOTFOUND);
    assert_non_null(strstr(rf_store_errmsg(st), "no findings store"));
    rf_store_free(st);
    /* with libpq: no server on port 1 is a connection error naming
     * PostgreSQL; without: unsupported, saying so */
    rf_status pg = rf_store_open(&st, "postgresql://127.0.0.1:1/x", 0);
#ifdef RF_HAVE_PQ
    assert_int_equal(pg, RF_EDB);
#else
    assert_int_equal(pg, RF_EUNSUPPORTED);
#endif
    assert_non_null(strstr(rf_store_errmsg(st), "PostgreSQL"));
    rf_store_free(st);

    /* a file that is not a database is refused with a message */
    char path[512];
    fx_store_path(path, sizeof path, "notdb");
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    for (int i = 0; i < 200; i++) {
        fputs("this is not a database file at all\n", fp);
    }
    fclose(fp);
    assert_int_not_equal(rf_store_open(&st, path, 0), RF_OK);
    assert_true(strlen(rf_store_errmsg(st)) > 0);
    rf_store_free(st);
    fx_store_remove(path);
}

static void test_newer_schema_refused(void **state)
{
    (void)state;
    char path[512];
    rf_store *st = open_new(path, sizeof path, "newer");
    rf_store_free(st);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(
            db,
            "INSERT INTO schema_migrations VALUES "
            "(99, 'future', '2099-01-01T00:00:00Z')",
            NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(rf_store_open(&st, path, 0), RF_EUNSUPPORTED);
    assert_non_null(strstr(rf_store_errmsg(st), "newer"));
    rf_store_free(st);
    fx_store_remove(path);
}

typedef struct roundtrip {
    int seen;
} roundtrip;

static int check_roundtrip(const rf_stored_finding *sf, void *payload)
{
    roundtrip *r = payload;
    const rf_finding *f = sf->finding;
    if (strcmp(f->fingerprint, FP_A) == 0) {
        assert_string_equal(f->rule_id, "ethnicity-face-attribute");
        assert_string_equal(f->category, "ethnicity");
        assert_int_equal(f->severity, RF_SEV_HIGH);
        assert_string_equal(f->snippet, fx_scan1[0].snippet);
        assert_int_equal(f->mark_count, 1);
        assert_int_equal(f->marks[0].start, 63);
        assert_int_equal(f->marks[0].end, 75);
        assert_int_equal(f->term_count, 1);
        assert_string_equal(f->terms[0], "维吾尔族");
        assert_string_equal(f->section, "description");
        assert_string_equal(f->unit, "[0042]");
        assert_string_equal(f->lang, "zh-Hans");
        assert_string_equal(f->regulation, "EU AI Act Art. 5(1)(g)");
        assert_int_equal(f->line, 10);
        assert_int_equal(f->column, 3);
        assert_int_equal(f->start, 100);
        assert_int_equal(f->end, 112);
        assert_string_equal(f->doc->id, "CN-111000001-A");
        assert_string_equal(f->doc->title, "一种人脸属性识别方法");
        assert_string_equal(f->doc->date_published, "2020-04-17");
        assert_string_equal(
            f->doc->applicants[0], "Hangzhou Example Vision Co Ltd");
        assert_null(f->doc->applicants[1]);
        assert_string_equal(f->doc->classes[0], "G06V40/16");
        assert_string_equal(f->doc->classes[1], "G06F16/583");
        assert_null(f->doc->member);
        assert_int_equal(sf->status, RF_REVIEW_NEW);
        assert_null(sf->note);
        r->seen |= 1;
    } else if (strcmp(f->fingerprint, FP_C) == 0) {
        assert_string_equal(f->doc->title, fx_docs[1].title);
        assert_string_equal(f->doc->member, "ipg230207.xml");
        assert_int_equal(f->doc->index, 3);
        assert_string_equal(f->doc->applicants[0], "Acme <Biometrics> & Sons");
        assert_string_equal(f->doc->applicants[1], "Zeta Corp");
        assert_null(f->unit);
        assert_string_equal(f->snippet, fx_scan1[2].snippet);
        r->seen |= 2;
    }
    return 0;
}

static void test_round_trip(void **state)
{
    (void)state;
    char path[512];
    rf_store *st = open_new(path, sizeof path, "roundtrip");
    scan(st, "corpus", fx_scan1, 4, NULL);
    assert_int_equal(rf_store_scan_id(st), 1);
    roundtrip r = {0};
    assert_int_equal(rf_store_query(st, NULL, check_roundtrip, &r), RF_OK);
    assert_int_equal(r.seen, 3);
    got g = query(st, NULL);
    assert_int_equal(g.n, 4);
    /* deterministic order: by path, member, index, offset */
    assert_string_equal(g.fp[0], FP_A);
    assert_string_equal(g.fp[1], FP_B);
    assert_string_equal(g.fp[2], FP_D);
    assert_string_equal(g.fp[3], FP_C);
    uint64_t n = 0;
    assert_int_equal(rf_store_count(&n, st, NULL), RF_OK);
    assert_int_equal(n, 4);
    rf_store_free(st);
    assert_int_equal(
        sql_int(path, "SELECT count(*) FROM scans WHERE state = 'complete'"),
        1);
    assert_int_equal(sql_int(path, "SELECT documents FROM scans"), 3);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM documents"), 3);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM scan_findings"), 4);
    fx_store_remove(path);
}

static void test_rescan_semantics(void **state)
{
    (void)state;
    char path[512];
    rf_store *st = open_new(path, sizeof path, "rescan");
    scan(st, "corpus", fx_scan1, 4, NULL);
    assert_int_equal(
        rf_store_review(st, FP_A, RF_REVIEW_CONFIRMED, "seen in the claims"),
        RF_OK);
    assert_int_equal(
        rf_store_review(st, FP_B, RF_REVIEW_FALSE_POSITIVE, NULL), RF_OK);

    /* scan 2: A and B again, C gone, D gone, E new */
    tf scan2[] = {fx_scan1[0], fx_scan1[1], fx_scan1[0]};
    scan2[2].fingerprint = FP_E;
    scan2[2].rule = "new-rule";
    scan(st, "./corpus/", scan2, 3, NULL);
    assert_int_equal(rf_store_scan_id(st), 2);

    got g = query(st, NULL); /* default: resolved left out */
    assert_int_equal(g.n, 3);
    int a = find(&g, FP_A), b = find(&g, FP_B), e = find(&g, FP_E);
    assert_true(a >= 0 && b >= 0 && e >= 0);
    assert_int_equal(g.status[a], RF_REVIEW_CONFIRMED);
    assert_string_equal(g.note[a], "seen in the claims");
    assert_int_equal(g.first[a], 1);
    assert_int_equal(g.last[a], 2);
    assert_int_equal(g.status[b], RF_REVIEW_FALSE_POSITIVE);
    assert_true(g.suppressed[b]);
    assert_int_equal(g.status[e], RF_REVIEW_NEW);
    assert_int_equal(g.first[e], 2);

    rf_store_filter flt;
    rf_store_filter_init(&flt);
    flt.status = RF_REVIEW_RESOLVED;
    g = query(st, &flt);
    assert_int_equal(g.n, 2);
    int c = find(&g, FP_C), d = find(&g, FP_D);
    assert_true(c >= 0 && d >= 0);
    assert_int_equal(g.resolved[c], 2);
    assert_int_equal(g.last[c], 1);

    rf_store_filter_init(&flt);
    flt.resolved_by_scan = 2;
    g = query(st, &flt);
    assert_int_equal(g.n, 2);
    assert_true(find(&g, FP_C) >= 0 && find(&g, FP_D) >= 0);
    flt.resolved_by_scan = 1;
    assert_int_equal(query(st, &flt).n, 0);

    /* new since scan 1 */
    rf_store_filter_init(&flt);
    flt.new_since_scan = 1;
    g = query(st, &flt);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.fp[0], FP_E);

    /* scan 3 finds C again: reopened, first_scan kept */
    tf scan3[] = {fx_scan1[0], fx_scan1[1], fx_scan1[2], scan2[2]};
    scan(st, "corpus", scan3, 4, NULL);
    rf_store_filter_init(&flt);
    g = query(st, &flt);
    assert_int_equal(g.n, 4);
    c = find(&g, FP_C);
    assert_true(c >= 0);
    assert_int_equal(g.status[c], RF_REVIEW_NEW);
    assert_int_equal(g.resolved[c], 0);
    assert_int_equal(g.first[c], 1);
    assert_int_equal(g.last[c], 3);

    /* a confirmed finding that disappears is resolved, decision kept */
    tf scan4[] = {fx_scan1[1]};
    scan(st, "corpus", scan4, 1, NULL);
    rf_store_filter_init(&flt);
    flt.include_resolved = true;
    g = query(st, &flt);
    a = find(&g, FP_A);
    assert_true(a >= 0);
    assert_int_equal(g.status[a], RF_REVIEW_RESOLVED);
    assert_int_equal(g.review[a], RF_REVIEW_CONFIRMED);
    assert_string_equal(g.note[a], "seen in the claims");

    rf_store_free(st);
    /* no finding is ever duplicated: one row per fingerprint */
    assert_int_equal(sql_int(path, "SELECT count(*) FROM findings"), 5);
    fx_store_remove(path);
}

static void test_other_paths_not_resolved(void **state)
{
    (void)state;
    char path[512];
    rf_store *st = open_new(path, sizeof path, "paths");
    scan(st, "corpus", fx_scan1, 4, NULL);
    /* a scan of another folder (its documents happen to be elsewhere)
     * resolves nothing under corpus/ */
    scan(st, "elsewhere", NULL, 0, NULL);
    /* a scan of one sub-folder resolves only what is below it */
    tf only_a[] = {fx_scan1[0]};
    scan(st, "corpus/cn", only_a, 1, NULL);
    rf_store_filter flt;
    rf_store_filter_init(&flt);
    flt.status = RF_REVIEW_RESOLVED;
    got g = query(st, &flt);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.fp[0], FP_B);
    /* "corpus/c" is not a parent of "corpus/cn" */
    scan(st, "corpus/c", NULL, 0, NULL);
    g = query(st, &flt);
    assert_int_equal(g.n, 1);
    rf_store_free(st);
    fx_store_remove(path);
}

static void test_unreadable_input_not_resolved(void **state)
{
    (void)state;
    char path[512];
    rf_store *st = open_new(path, sizeof path, "unreadable");
    scan(st, "corpus", fx_scan1, 4, NULL);
    /* the weekly archive fails to read this time: C stays open */
    rf_diag d = {
        .level = RF_DIAG_ERROR,
        .status = RF_EIO,
        .path = "corpus/us/ipg230207.zip",
        .message = "truncated archive"};
    tf without_c[] = {fx_scan1[0], fx_scan1[1], fx_scan1[3]};
    scan(st, "corpus", without_c, 3, &d);
    got g = query(st, NULL);
    assert_int_equal(g.n, 4);
    assert_true(find(&g, FP_C) >= 0);
    rf_store_free(st);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM scan_errors"), 1);
    fx_store_remove(path);
}

static void
test_min_severity_scan_resolves_only_what_it_looked_for(void **state)
{
    (void)state;
    char path[512];
    rf_store *st = open_new(path, sizeof path, "minsev");
    scan(st, "corpus", fx_scan1, 4, NULL);
    rf_sink sink;
    rf_store_scan_info info;
    const char *paths[] = {"corpus"};
    rf_store_scan_info_init(&info);
    info.paths = paths;
    info.path_count = 1;
    info.min_severity = RF_SEV_HIGH;
    tf high[] = {fx_scan1[0], fx_scan1[1]};
    assert_int_equal(rf_store_sink(&sink, st, &info, NULL), RF_OK);
    assert_int_equal(fx_feed(&sink, fx_docs, 3, high, 2, NULL), RF_OK);
    got g = query(st, NULL);
    assert_int_equal(g.n, 4); /* C (medium) and D (low) were not looked for */
    rf_store_free(st);
    fx_store_remove(path);
}

static void test_review_persistence(void **state)
{
    (void)state;
    char path[512];
    rf_store *st = open_new(path, sizeof path, "review");
    scan(st, "corpus", fx_scan1, 4, NULL);
    /* prefix, upper case */
    assert_int_equal(
        rf_store_review(st, "CCCCCCCC", RF_REVIEW_NEEDS_REVIEW, "ask legal"),
        RF_OK);
    assert_int_equal(
        rf_store_review(
            st, FP_D, RF_REVIEW_FALSE_POSITIVE, "enum in a game SDK"),
        RF_OK);
    rf_store_free(st);

    assert_int_equal(rf_store_open(&st, path, 0), RF_OK);
    got g = query(st, NULL);
    int c = find(&g, FP_C), d = find(&g, FP_D);
    assert_int_equal(g.status[c], RF_REVIEW_NEEDS_REVIEW);
    assert_string_equal(g.note[c], "ask legal");
    assert_int_equal(g.status[d], RF_REVIEW_FALSE_POSITIVE);
    assert_true(g.suppressed[d]);

    /* NULL note keeps it; "" clears it */
    assert_int_equal(
        rf_store_review(st, FP_C, RF_REVIEW_CONFIRMED, NULL), RF_OK);
    g = query(st, NULL);
    c = find(&g, FP_C);
    assert_int_equal(g.status[c], RF_REVIEW_CONFIRMED);
    assert_string_equal(g.note[c], "ask legal");
    assert_int_equal(rf_store_review(st, FP_C, RF_REVIEW_CONFIRMED, ""), RF_OK);
    g = query(st, NULL);
    assert_string_equal(g.note[find(&g, FP_C)], "");

    /* a re-scan keeps every review */
    scan(st, "corpus", fx_scan1, 4, NULL);
    g = query(st, NULL);
    assert_int_equal(g.status[find(&g, FP_C)], RF_REVIEW_CONFIRMED);
    assert_int_equal(g.status[find(&g, FP_D)], RF_REVIEW_FALSE_POSITIVE);
    assert_string_equal(g.note[find(&g, FP_D)], "enum in a game SDK");

    /* errors */
    assert_int_equal(
        rf_store_review(st, "ffffffff", RF_REVIEW_CONFIRMED, NULL),
        RF_ENOTFOUND);
    assert_non_null(strstr(rf_store_errmsg(st), "no finding"));
    assert_int_equal(
        rf_store_review(st, "abc", RF_REVIEW_CONFIRMED, NULL), RF_EINVAL);
    assert_int_equal(
        rf_store_review(st, "xyz12345", RF_REVIEW_CONFIRMED, NULL), RF_EINVAL);
    assert_int_equal(
        rf_store_review(st, FP_A, RF_REVIEW_RESOLVED, NULL), RF_EINVAL);
    rf_store_free(st);
    /* the history keeps every decision */
    assert_int_equal(sql_int(path, "SELECT count(*) FROM reviews"), 4);
    fx_store_remove(path);
}

static void test_ambiguous_prefix(void **state)
{
    (void)state;
    char path[512];
    rf_store *st = open_new(path, sizeof path, "ambiguous");
    tf two[] = {fx_scan1[0], fx_scan1[1]};
    two[0].fingerprint = "12345678aaaaaaaaaaaaaaaaaaaaaaaa";
    two[1].fingerprint = "12345678bbbbbbbbbbbbbbbbbbbbbbbb";
    scan(st, "corpus", two, 2, NULL);
    assert_int_equal(
        rf_store_review(st, "123456", RF_REVIEW_CONFIRMED, NULL), RF_EINVAL);
    assert_non_null(strstr(rf_store_errmsg(st), "ambiguous"));
    assert_int_equal(
        rf_store_review(st, "12345678b", RF_REVIEW_CONFIRMED, NULL), RF_OK);
    rf_store_free(st);
    fx_store_remove(path);
}

static void test_filters(void **state)
{
    (void)state;
    char path[512];
    rf_store *st = open_new(path, sizeof path, "filters");
    scan(st, "corpus", fx_scan1, 4, NULL);
    rf_store_review(st, FP_B, RF_REVIEW_CONFIRMED, NULL);
    rf_store_filter flt;
    got g;

    rf_store_filter_init(&flt);
    flt.min_severity = RF_SEV_HIGH;
    assert_int_equal(query(st, &flt).n, 2);

    rf_store_filter_init(&flt);
    flt.category = "RACE";
    assert_int_equal(query(st, &flt).n, 2);

    rf_store_filter_init(&flt);
    flt.status = RF_REVIEW_CONFIRMED;
    g = query(st, &flt);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.fp[0], FP_B);

    rf_store_filter_init(&flt);
    flt.applicant = "hangzhou";
    assert_int_equal(query(st, &flt).n, 2);
    flt.applicant = "<biometrics>";
    assert_int_equal(query(st, &flt).n, 1);
    flt.applicant = "%"; /* LIKE wildcards are literal */
    assert_int_equal(query(st, &flt).n, 0);

    rf_store_filter_init(&flt);
    flt.since = "2021";
    assert_int_equal(query(st, &flt).n, 1); /* the 2023 US grant */
    flt.since = NULL;
    flt.until = "2020";
    assert_int_equal(query(st, &flt).n, 2); /* until 2020 includes 2020-04 */
    flt.until = "2020-03";
    assert_int_equal(query(st, &flt).n, 0);
    flt.until = "20x0";
    got dummy;
    memset(&dummy, 0, sizeof dummy);
    assert_int_equal(rf_store_query(st, &flt, collect, &dummy), RF_EINVAL);

    rf_store_filter_init(&flt);
    flt.lang = "zh";
    assert_int_equal(query(st, &flt).n, 2);
    flt.lang = "zh-hans";
    assert_int_equal(query(st, &flt).n, 2);

    rf_store_filter_init(&flt);
    flt.text = "EM_RACE";
    assert_int_equal(query(st, &flt).n, 1);

    rf_store_filter_init(&flt);
    flt.rule_id = "uyghur-alert";
    assert_int_equal(query(st, &flt).n, 1);

    rf_store_filter_init(&flt);
    flt.fingerprint = "dddd";
    assert_int_equal(query(st, &flt).n, 1);

    rf_store_filter_init(&flt);
    flt.limit = 2;
    flt.offset = 1;
    g = query(st, &flt);
    assert_int_equal(g.n, 2);
    assert_string_equal(g.fp[0], FP_B);
    uint64_t n = 0;
    assert_int_equal(rf_store_count(&n, st, &flt), RF_OK);
    assert_int_equal(n, 4); /* count ignores paging */

    rf_store_filter_init(&flt);
    flt.scan = 1;
    assert_int_equal(query(st, &flt).n, 4);
    flt.scan = 7;
    assert_int_equal(query(st, &flt).n, 0);
    rf_store_free(st);
    fx_store_remove(path);
}

typedef struct diffs {
    size_t added, resolved;
    char first_new[33];
} diffs;

static int on_diff(rf_diff_kind kind, const rf_stored_finding *sf, void *p)
{
    diffs *d = p;
    if (kind == RF_DIFF_NEW) {
        if (d->added == 0) {
            snprintf(d->first_new, 33, "%s", sf->finding->fingerprint);
        }
        d->added++;
    } else {
        d->resolved++;
    }
    return 0;
}

static void test_diff(void **state)
{
    (void)state;
    char path[512];
    rf_store *st = open_new(path, sizeof path, "diff");
    int64_t from = 0, to = 0;
    diffs d = {0};
    assert_int_equal(
        rf_store_diff(st, NULL, &from, &to, on_diff, &d), RF_ENOTFOUND);
    scan(st, "corpus", fx_scan1, 4, NULL);
    assert_int_equal(rf_store_diff(st, NULL, &from, &to, on_diff, &d), RF_OK);
    assert_int_equal(from, 0);
    assert_int_equal(to, 1);
    assert_int_equal(d.added, 4);
    assert_int_equal(d.resolved, 0);

    tf scan2[] = {fx_scan1[0], fx_scan1[1], fx_scan1[0]};
    scan2[2].fingerprint = FP_E;
    scan(st, "corpus", scan2, 3, NULL);
    memset(&d, 0, sizeof d);
    from = to = 0;
    assert_int_equal(rf_store_diff(st, NULL, &from, &to, on_diff, &d), RF_OK);
    assert_int_equal(from, 1);
    assert_int_equal(to, 2);
    assert_int_equal(d.added, 1);
    assert_string_equal(d.first_new, FP_E);
    assert_int_equal(d.resolved, 2);

    /* explicit, reversed: what scan 1 had that 2 did not, as "new" */
    memset(&d, 0, sizeof d);
    from = 2;
    to = 1;
    assert_int_equal(rf_store_diff(st, NULL, &from, &to, on_diff, &d), RF_OK);
    assert_int_equal(d.added, 2);

    /* a filter narrows both lists */
    rf_store_filter flt;
    rf_store_filter_init(&flt);
    flt.min_severity = RF_SEV_MEDIUM;
    memset(&d, 0, sizeof d);
    from = to = 0;
    assert_int_equal(rf_store_diff(st, &flt, &from, &to, on_diff, &d), RF_OK);
    assert_int_equal(d.added, 1);
    assert_int_equal(d.resolved, 1);

    from = 9;
    to = 2;
    assert_int_equal(
        rf_store_diff(st, NULL, &from, &to, on_diff, &d), RF_ENOTFOUND);
    rf_store_free(st);
    fx_store_remove(path);
}

static void test_aborted_scan(void **state)
{
    (void)state;
    char path[512];
    rf_store *st = open_new(path, sizeof path, "aborted");
    rf_sink sink;
    rf_store_scan_info info;
    const char *paths[] = {"corpus"};
    rf_store_scan_info_init(&info);
    info.paths = paths;
    info.path_count = 1;
    info.batch_documents = 1;
    assert_int_equal(rf_store_sink(&sink, st, &info, NULL), RF_OK);
    assert_int_equal(sink.begin(sink.payload, NULL), RF_OK);
    /* two documents: the first batch commits when the second starts */
    assert_int_equal(sink.document(sink.payload, &fx_docs[0]), RF_OK);
    rf_finding f = {
        .rule_id = "r",
        .category = "race",
        .severity = RF_SEV_HIGH,
        .doc = &fx_docs[0],
        .section = "claims",
        .snippet = "x",
        .fingerprint = FP_A};
    assert_int_equal(sink.finding(sink.payload, &f), RF_OK);
    assert_int_equal(sink.document(sink.payload, &fx_docs[1]), RF_OK);
    f.doc = &fx_docs[1];
    f.fingerprint = FP_B;
    assert_int_equal(sink.finding(sink.payload, &f), RF_OK);
    /* the scan stops without `end`: the open batch is rolled back */
    rf_store_free(st);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM findings"), 1);
    assert_int_equal(
        sql_int(path, "SELECT count(*) FROM scans WHERE state = 'aborted'"), 1);

    /* an aborted scan resolves nothing and a new scan completes it */
    assert_int_equal(rf_store_open(&st, path, 0), RF_OK);
    scan(st, "corpus", fx_scan1, 4, NULL);
    got g = query(st, NULL);
    assert_int_equal(g.n, 4);
    rf_store_free(st);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM findings"), 4);
    fx_store_remove(path);
}

/* A sink that counts what the store passes on. */
typedef struct counter {
    int begin, document, finding, diag, end;
} counter;

static rf_status c_begin(void *p, const rf_ruleset *rs)
{
    (void)rs;
    ((counter *)p)->begin++;
    return RF_OK;
}
static rf_status c_document(void *p, const rf_document *d)
{
    (void)d;
    ((counter *)p)->document++;
    return RF_OK;
}
static rf_status c_finding(void *p, const rf_finding *f)
{
    (void)f;
    ((counter *)p)->finding++;
    return RF_OK;
}
static void c_diag(void *p, const rf_diag *d)
{
    (void)d;
    ((counter *)p)->diag++;
}
static rf_status c_end(void *p, const rf_scan_summary *s)
{
    (void)s;
    ((counter *)p)->end++;
    return RF_OK;
}

static void test_sink_passes_on(void **state)
{
    (void)state;
    char path[512];
    rf_store *st = open_new(path, sizeof path, "tee");
    counter c = {0};
    rf_sink next = {RF_SINK_VERSION, c_begin, c_document, c_finding,
                    c_diag,          c_end,   &c};
    rf_sink sink;
    assert_int_equal(rf_store_sink(&sink, st, NULL, &next), RF_OK);
    rf_diag d = {.level = RF_DIAG_WARNING, .path = "x", .message = "m"};
    assert_int_equal(fx_feed(&sink, fx_docs, 3, fx_scan1, 4, &d), RF_OK);
    assert_int_equal(c.begin, 1);
    assert_int_equal(c.document, 3);
    assert_int_equal(c.finding, 4);
    assert_int_equal(c.diag, 1);
    assert_int_equal(c.end, 1);
    rf_store_free(st);
    fx_store_remove(path);
}

static void test_scans_list(void **state)
{
    (void)state;
    char path[512];
    rf_store *st = open_new(path, sizeof path, "scans");
    scan(st, "corpus", fx_scan1, 4, NULL);
    scan(st, "corpus", fx_scan1, 2, NULL);
    int64_t latest = 0;
    assert_int_equal(rf_store__latest_scan(&latest, st, true), RF_OK);
    assert_int_equal(latest, 2);
    rf_store_free(st);
    assert_int_equal(
        sql_int(path, "SELECT findings FROM scans WHERE id = 2"), 2);
    assert_int_equal(
        sql_int(path, "SELECT count(*) FROM scans WHERE ended_at IS NOT NULL"),
        2);
    fx_store_remove(path);
}

static void test_path_key(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"corpus", "corpus"},
        {"./corpus/", "corpus"},
        {"corpus//us/", "corpus/us"},
        {".", ""},
        {"./", ""},
        {"/", "/"},
        {"/data/./x//y/", "/data/x/y"},
        {"a/../b", "a/../b"},
        {"-", "-"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *k = rf_store__path_key(cases[i][0]);
        assert_non_null(k);
        assert_string_equal(k, cases[i][1]);
        free(k);
    }
}

static void test_status_names(void **state)
{
    (void)state;
    rf_review_status s;
    assert_int_equal(rf_review_status_parse(&s, "False-Positive"), RF_OK);
    assert_int_equal(s, RF_REVIEW_FALSE_POSITIVE);
    assert_int_equal(rf_review_status_parse(&s, "fp"), RF_OK);
    assert_int_equal(s, RF_REVIEW_FALSE_POSITIVE);
    assert_int_equal(rf_review_status_parse(&s, "needs-review"), RF_OK);
    assert_int_equal(s, RF_REVIEW_NEEDS_REVIEW);
    assert_int_equal(rf_review_status_parse(&s, "maybe"), RF_EINVAL);
    assert_string_equal(rf_review_status_name(RF_REVIEW_RESOLVED), "resolved");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_creates_schema),
        cmocka_unit_test(test_open_missing_and_unsupported),
        cmocka_unit_test(test_newer_schema_refused),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_rescan_semantics),
        cmocka_unit_test(test_other_paths_not_resolved),
        cmocka_unit_test(test_unreadable_input_not_resolved),
        cmocka_unit_test(
            test_min_severity_scan_resolves_only_what_it_looked_for),
        cmocka_unit_test(test_review_persistence),
        cmocka_unit_test(test_ambiguous_prefix),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_diff),
        cmocka_unit_test(test_aborted_scan),
        cmocka_unit_test(test_sink_passes_on),
        cmocka_unit_test(test_scans_list),
        cmocka_unit_test(test_path_key),
        cmocka_unit_test(test_status_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
