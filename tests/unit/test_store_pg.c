/*
 * test_store_pg.c - the store on PostgreSQL, checked against the store on
 * SQLite: every operation is done on both, and every report, query, diff
 * and baseline must come out byte-identical (the SQLite store has its own
 * suite, test_store.c, for what each operation means).
 *
 * The group setup starts a throwaway PostgreSQL cluster on loopback
 * (initdb + pg_ctl from Debian's postgresql, run as the postgres user when
 * we are root, since the server refuses root) and the teardown removes
 * it. Each test gets a fresh database. Without PostgreSQL this suite
 * FAILS rather than skips: scripts/setup.sh installs it.
 */
#include <arpa/inet.h>
#include <glob.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "findings/store.h"
#include "store_fixture.h"

typedef struct pg_cluster {
    char bin[256];
    char dir[128];
    char as_user[48]; /* "runuser -u postgres -- " or "" */
    int port;
    int next_db;
} pg_cluster;

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    return system(cmd);
}

static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    socklen_t n = sizeof a;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &n) != 0) {
        return -1;
    }
    close(fd);
    return ntohs(a.sin_port);
}

static int cluster_up(void **state)
{
    static pg_cluster c;
    memset(&c, 0, sizeof c);
    glob_t g;
    if (glob("/usr/lib/postgresql/*/bin/initdb", 0, NULL, &g) != 0 ||
        g.gl_pathc == 0) {
        fprintf(
            stderr, "FAIL: no PostgreSQL server (scripts/setup.sh "
                    "installs postgresql)\n");
        return -1;
    }
    snprintf(c.bin, sizeof c.bin, "%s", g.gl_pathv[g.gl_pathc - 1]);
    globfree(&g);
    *strrchr(c.bin, '/') = '\0';
    snprintf(c.dir, sizeof c.dir, "/tmp/rf-pg-XXXXXX");
    if (mkdtemp(c.dir) == NULL) {
        return -1;
    }
    if (geteuid() == 0) {
        snprintf(c.as_user, sizeof c.as_user, "runuser -u postgres -- ");
        if (sh("chown postgres: %s", c.dir) != 0) {
            return -1;
        }
    }
    if (sh("%s%s/initdb -D %s/data -A trust -U postgres --no-locale -E UTF8 "
           ">%s/initdb.log 2>&1",
           c.as_user, c.bin, c.dir, c.dir) != 0) {
        fprintf(stderr, "FAIL: initdb in %s\n", c.dir);
        return -1;
    }
    /* a free port may be taken before the server binds it: retry */
    bool up = false;
    for (int attempt = 0; !up && attempt < 5; attempt++) {
        c.port = free_port();
        up = c.port > 0 &&
             sh("%s%s/pg_ctl -D %s/data -l %s/log -w -t 60 -o \"-k %s -p %d "
                "-c listen_addresses=127.0.0.1 -c fsync=off\" start >/dev/null",
                c.as_user, c.bin, c.dir, c.dir, c.dir, c.port) == 0;
    }
    if (!up) {
        fprintf(stderr, "FAIL: could not start PostgreSQL in %s\n", c.dir);
        return -1;
    }
    *state = &c;
    return 0;
}

static int cluster_down(void **state)
{
    pg_cluster *c = *state;
    if (c != NULL) {
        sh("%s%s/pg_ctl -D %s/data -m immediate stop >/dev/null 2>&1",
           c->as_user, c->bin, c->dir);
        sh("rm -rf %s", c->dir);
    }
    return 0;
}

/* A fresh database; its URL in out. */
static void new_db(pg_cluster *c, char *out, size_t n)
{
    c->next_db++;
    assert_int_equal(
        sh("%s/psql -X -q -h 127.0.0.1 -p %d -U postgres -d postgres "
           "-c 'CREATE DATABASE t%d'",
           c->bin, c->port, c->next_db),
        0);
    snprintf(
        out, n, "postgresql://postgres@127.0.0.1:%d/t%d", c->port, c->next_db);
}

typedef struct pair {
    rf_store *pg;
    rf_store *sq;
    char sq_path[512];
} pair;

static void pair_open(pair *p, pg_cluster *c, const char *name)
{
    char url[256];
    new_db(c, url, sizeof url);
    p->pg = NULL;
    p->sq = NULL;
    if (rf_store_open(&p->pg, url, RF_STORE_CREATE) != RF_OK) {
        fail_msg("open %s: %s", url, rf_store_errmsg(p->pg));
    }
    fx_store_path(p->sq_path, sizeof p->sq_path, name);
    assert_int_equal(rf_store_open(&p->sq, p->sq_path, RF_STORE_CREATE), RF_OK);
}

static void pair_close(pair *p)
{
    rf_store_free(p->pg);
    rf_store_free(p->sq);
    fx_store_remove(p->sq_path);
}

static void scan_one(rf_store *st, const tf *fs, size_t nf)
{
    rf_sink sink;
    rf_store_scan_info info;
    const char *paths[] = {"corpus"};
    rf_store_scan_info_init(&info);
    info.paths = paths;
    info.path_count = 1;
    info.args = "redflag scan --store test";
    assert_int_equal(rf_store_sink(&sink, st, &info, NULL), RF_OK);
    if (fx_feed(&sink, fx_docs, 3, fs, nf, NULL) != RF_OK) {
        fail_msg("scan: %s", rf_store_errmsg(st));
    }
}

static void scan_both(pair *p, const tf *fs, size_t nf)
{
    scan_one(p->pg, fs, nf);
    scan_one(p->sq, fs, nf);
}

/* A report as a string (malloc'd). */
static char *report(rf_store *st, const rf_store_filter *flt, const char *fmt)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_non_null(fp);
    rf_status s = rf_store_report(st, flt, fmt, fp);
    fclose(fp);
    if (s != RF_OK) {
        fail_msg("report %s: %s", fmt, rf_store_errmsg(st));
    }
    return buf;
}

/* Each store stamps a scan and a review with the second it happened in,
 * and the two stores are written one after the other: a second may tick
 * in between (this made the html report differ about one run in thirty).
 * Every "YYYY-MM-DDTHH:MM:SSZ" becomes "<time>" before the comparison. */
static void mask_times(char *s)
{
    static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
    size_t n = sizeof(shape) - 1;
    for (char *p = s; *p != '\0'; p++) {
        size_t i = 0;
        while (
            i < n && p[i] != '\0' &&
            (shape[i] == 'd' ? p[i] >= '0' && p[i] <= '9' : p[i] == shape[i])) {
            i++;
        }
        if (i == n) {
            memcpy(p, "<time>", 6);
            memmove(p + 6, p + n, strlen(p + n) + 1);
        }
    }
}

static void same_reports(pair *p, const rf_store_filter *flt, const char *what)
{
    static const char *const fmts[] = {"jsonl", "sarif", "csv", "html"};
    for (size_t i = 0; i < sizeof fmts / sizeof fmts[0]; i++) {
        char *a = report(p->pg, flt, fmts[i]);
        char *b = report(p->sq, flt, fmts[i]);
        mask_times(a);
        mask_times(b);
        if (strcmp(a, b) != 0) {
            fail_msg(
                "%s: %s report differs:\n--- pg\n%s\n--- sqlite\n%s", what,
                fmts[i], a, b);
        }
        free(a);
        free(b);
    }
}

static void same_count(pair *p, const rf_store_filter *flt, uint64_t want)
{
    uint64_t a = 0;
    uint64_t b = 0;
    assert_int_equal(rf_store_count(&a, p->pg, flt), RF_OK);
    assert_int_equal(rf_store_count(&b, p->sq, flt), RF_OK);
    assert_int_equal(a, b);
    assert_int_equal(a, want);
}

static void test_round_trip(void **state)
{
    pair p;
    pair_open(&p, *state, "rt");
    assert_int_equal(
        rf_store_schema_version(p.pg), rf_store_schema_version(p.sq));
    scan_both(&p, fx_scan1, 4);
    same_reports(&p, NULL, "first scan");
    same_count(&p, NULL, 4);
    pair_close(&p);
}

static void test_filters(void **state)
{
    pair p;
    pair_open(&p, *state, "flt");
    scan_both(&p, fx_scan1, 4);
    rf_store_filter f;

    rf_store_filter_init(&f);
    f.category = "RACE";
    same_count(&p, &f, 2);
    same_reports(&p, &f, "category");

    rf_store_filter_init(&f);
    f.lang = "zh";
    same_count(&p, &f, 2);

    rf_store_filter_init(&f);
    f.applicant = "<biometrics> &";
    same_count(&p, &f, 1);

    rf_store_filter_init(&f);
    f.applicant = "%"; /* a literal percent sign: matches nothing */
    same_count(&p, &f, 0);

    rf_store_filter_init(&f);
    f.since = "2021";
    f.until = "2023-02";
    same_count(&p, &f, 1);

    rf_store_filter_init(&f);
    f.text = "calc'!A0";
    same_count(&p, &f, 1);

    rf_store_filter_init(&f);
    f.min_severity = RF_SEV_HIGH;
    same_count(&p, &f, 2);

    rf_store_filter_init(&f);
    f.fingerprint = "cccccc";
    same_count(&p, &f, 1);

    /* paging, with and without a limit */
    rf_store_filter_init(&f);
    f.offset = 1;
    same_reports(&p, &f, "offset without limit");
    f.limit = 2;
    same_reports(&p, &f, "offset and limit");
    pair_close(&p);
}

static void test_review_and_rescan(void **state)
{
    pair p;
    pair_open(&p, *state, "rev");
    scan_both(&p, fx_scan1, 4);
    rf_store *both[] = {p.pg, p.sq};
    for (size_t i = 0; i < 2; i++) {
        rf_store *st = both[i];
        assert_int_equal(
            rf_store_review(
                st, "cccccc", RF_REVIEW_FALSE_POSITIVE,
                "it's a \"stock\" caption? no: $1 ?"),
            RF_OK);
        assert_int_equal(
            rf_store_review(st, FP_A, RF_REVIEW_CONFIRMED, NULL), RF_OK);
        assert_int_equal(
            rf_store_review(st, "ffffff", RF_REVIEW_CONFIRMED, NULL),
            RF_ENOTFOUND);
    }
    same_reports(&p, NULL, "after reviews");

    /* a re-scan that no longer finds B and C: resolved, reviews kept */
    tf again[] = {fx_scan1[0], fx_scan1[3]};
    scan_both(&p, again, 2);
    rf_store_filter f;
    rf_store_filter_init(&f);
    f.status = RF_REVIEW_RESOLVED;
    same_count(&p, &f, 2);
    rf_store_filter_init(&f);
    f.include_resolved = true;
    same_reports(&p, &f, "after a re-scan");

    /* and a third scan finding C again reopens it with its review */
    scan_both(&p, fx_scan1, 4);
    rf_store_filter_init(&f);
    f.status = RF_REVIEW_FALSE_POSITIVE;
    same_count(&p, &f, 1);
    same_reports(&p, NULL, "after a third scan");
    pair_close(&p);
}

typedef struct diff_buf {
    char *buf;
    size_t len;
    FILE *fp;
} diff_buf;

static int
diff_cb(rf_diff_kind kind, const rf_stored_finding *sf, void *payload)
{
    diff_buf *d = payload;
    fprintf(
        d->fp, "%d %s %s\n", (int)kind, sf->finding->fingerprint,
        rf_review_status_name(sf->status));
    return 0;
}

static char *diff_text(rf_store *st)
{
    diff_buf d = {0};
    d.fp = open_memstream(&d.buf, &d.len);
    int64_t from = 0;
    int64_t to = 0;
    assert_int_equal(rf_store_diff(st, NULL, &from, &to, diff_cb, &d), RF_OK);
    fprintf(d.fp, "from %lld to %lld\n", (long long)from, (long long)to);
    fclose(d.fp);
    return d.buf;
}

static void test_diff_and_baseline(void **state)
{
    pair p;
    pair_open(&p, *state, "diff");
    tf first[] = {fx_scan1[0], fx_scan1[1]};
    scan_both(&p, first, 2);
    tf second[] = {fx_scan1[1], fx_scan1[2], fx_scan1[3]};
    scan_both(&p, second, 3);
    char *a = diff_text(p.pg);
    char *b = diff_text(p.sq);
    assert_string_equal(a, b);
    assert_non_null(strstr(a, "from 1 to 2"));
    free(a);
    free(b);

    /* baseline: export from SQLite, import into PostgreSQL, export again */
    assert_int_equal(
        rf_store_review(p.sq, FP_C, RF_REVIEW_FALSE_POSITIVE, "fp"), RF_OK);
    assert_int_equal(
        rf_store_review(p.sq, FP_D, RF_REVIEW_NEEDS_REVIEW, NULL), RF_OK);
    char *ex = NULL;
    size_t exn = 0;
    size_t count = 0;
    FILE *fp = open_memstream(&ex, &exn);
    assert_int_equal(rf_store_baseline_export(&count, p.sq, fp), RF_OK);
    fclose(fp);
    assert_int_equal(count, 2);
    fp = fmemopen(ex, exn, "r");
    rf_baseline_totals t;
    assert_int_equal(
        rf_store_baseline_import(&t, p.pg, fp, "baseline.json", NULL, NULL),
        RF_OK);
    fclose(fp);
    assert_int_equal(t.applied, 2);
    char *ex2 = NULL;
    size_t ex2n = 0;
    fp = open_memstream(&ex2, &ex2n);
    assert_int_equal(rf_store_baseline_export(&count, p.pg, fp), RF_OK);
    fclose(fp);
    assert_string_equal(ex, ex2);
    free(ex);
    free(ex2);
    pair_close(&p);
}

static void test_reopen(void **state)
{
    pg_cluster *c = *state;
    char url[256];
    new_db(c, url, sizeof url);
    rf_store *st = NULL;
    assert_int_equal(rf_store_open(&st, url, RF_STORE_CREATE), RF_OK);
    scan_one(st, fx_scan1, 4);
    rf_store_free(st);
    /* a second open migrates nothing and sees the same scan */
    assert_int_equal(rf_store_open(&st, url, 0), RF_OK);
    assert_int_equal(rf_store_schema_version(st), RF_STORE_SCHEMA_VERSION);
    uint64_t n = 0;
    assert_int_equal(rf_store_count(&n, st, NULL), RF_OK);
    assert_int_equal(n, 4);
    rf_store_free(st);
    /* a wrong password-bearing URL is not echoed in the message */
    char bad[300];
    snprintf(
        bad, sizeof bad, "postgresql://postgres:s3cret@127.0.0.1:%d/nope",
        c->port);
    assert_int_equal(rf_store_open(&st, bad, 0), RF_EDB);
    assert_null(strstr(rf_store_errmsg(st), "s3cret"));
    assert_non_null(strstr(rf_store_errmsg(st), "PostgreSQL"));
    rf_store_free(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_review_and_rescan),
        cmocka_unit_test(test_diff_and_baseline),
        cmocka_unit_test(test_reopen),
    };
    return cmocka_run_group_tests(tests, cluster_up, cluster_down);
}
