/*
 * test_store_baseline.c - exporting review decisions and importing them
 * into another store: applied, remembered for later scans, unmatched
 * entries listed, malformed files rejected without changing anything.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <jansson.h>

#include "store_fixture.h"

static void scan(rf_store *st, const tf *fs, size_t nf)
{
    rf_sink sink;
    rf_store_scan_info info;
    const char *paths[] = {"corpus"};
    rf_store_scan_info_init(&info);
    info.paths = paths;
    info.path_count = 1;
    assert_int_equal(rf_store_sink(&sink, st, &info, NULL), RF_OK);
    if (fx_feed(&sink, fx_docs, 3, fs, nf, NULL) != RF_OK) {
        fail_msg("scan: %s", rf_store_errmsg(st));
    }
}

static rf_store *open_new(char *path, size_t n, const char *name)
{
    rf_store *st = NULL;
    fx_store_path(path, n, name);
    assert_int_equal(rf_store_open(&st, path, RF_STORE_CREATE), RF_OK);
    return st;
}

typedef struct unmatched {
    size_t n;
    char fp[4][33];
} unmatched;

static void on_unmatched(
    const char *fp, const char *status, const char *note, void *payload)
{
    (void)status;
    (void)note;
    unmatched *u = payload;
    if (u->n < 4) {
        snprintf(u->fp[u->n], 33, "%s", fp);
    }
    u->n++;
}

typedef struct state_of {
    const char *fp;
    rf_review_status status;
    bool suppressed, from_baseline, found;
    char note[64];
} state_of;

static int find_state(const rf_stored_finding *sf, void *payload)
{
    state_of *s = payload;
    if (strcmp(sf->finding->fingerprint, s->fp) == 0) {
        s->found = true;
        s->status = sf->status;
        s->suppressed = sf->suppressed;
        s->from_baseline = sf->from_baseline;
        snprintf(s->note, sizeof s->note, "%s", sf->note ? sf->note : "");
    }
    return 0;
}

static state_of state(rf_store *st, const char *fp)
{
    state_of s = {.fp = fp};
    rf_store_filter flt;
    rf_store_filter_init(&flt);
    flt.include_resolved = true;
    assert_int_equal(rf_store_query(st, &flt, find_state, &s), RF_OK);
    return s;
}

static char *export_to_string(rf_store *st, size_t *count)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_non_null(fp);
    assert_int_equal(rf_store_baseline_export(count, st, fp), RF_OK);
    fclose(fp);
    return buf;
}

static rf_status import_string(
    rf_store *st, const char *json, rf_baseline_totals *t, unmatched *u)
{
    FILE *fp = fmemopen((void *)json, strlen(json), "r");
    assert_non_null(fp);
    rf_status s =
        rf_store_baseline_import(t, st, fp, "test.json", on_unmatched, u);
    fclose(fp);
    return s;
}

static void test_export_format(void **state_)
{
    (void)state_;
    char path[512];
    rf_store *st = open_new(path, sizeof path, "bl-export");
    scan(st, fx_scan1, 4);
    size_t n = 99;
    char *empty = export_to_string(st, &n);
    assert_int_equal(n, 0);
    assert_string_equal(empty, "{\"redflag_baseline\": 1, \"findings\": []}\n");
    free(empty);

    assert_int_equal(
        rf_store_review(
            st, FP_D, RF_REVIEW_FALSE_POSITIVE, "game \"race\" enum"),
        RF_OK);
    assert_int_equal(
        rf_store_review(st, FP_A, RF_REVIEW_CONFIRMED, NULL), RF_OK);
    char *json = export_to_string(st, &n);
    assert_int_equal(n, 2);
    json_error_t err;
    json_t *root = json_loads(json, 0, &err);
    assert_non_null(root);
    assert_int_equal(
        json_integer_value(json_object_get(root, "redflag_baseline")), 1);
    json_t *list = json_object_get(root, "findings");
    assert_int_equal(json_array_size(list), 2);
    /* sorted by fingerprint; human context included */
    json_t *a = json_array_get(list, 0);
    json_t *d = json_array_get(list, 1);
    assert_string_equal(
        json_string_value(json_object_get(a, "fingerprint")), FP_A);
    assert_string_equal(
        json_string_value(json_object_get(a, "status")), "confirmed");
    assert_true(json_is_null(json_object_get(a, "note")));
    assert_string_equal(
        json_string_value(json_object_get(a, "document")), "CN-111000001-A");
    assert_string_equal(
        json_string_value(json_object_get(d, "status")), "false-positive");
    assert_string_equal(
        json_string_value(json_object_get(d, "note")), "game \"race\" enum");
    assert_string_equal(
        json_string_value(json_object_get(d, "path")), "corpus/sdk/netsdk.h");
    /* deterministic: a second export is byte-identical */
    char *again = export_to_string(st, &n);
    assert_string_equal(json, again);
    free(again);
    json_decref(root);
    free(json);
    rf_store_free(st);
    fx_store_remove(path);
}

static void test_import_into_other_store(void **state_)
{
    (void)state_;
    char p1[512], p2[512];
    rf_store *a = open_new(p1, sizeof p1, "bl-a");
    scan(a, fx_scan1, 4);
    assert_int_equal(
        rf_store_review(a, FP_D, RF_REVIEW_FALSE_POSITIVE, "game SDK"), RF_OK);
    assert_int_equal(
        rf_store_review(a, FP_C, RF_REVIEW_NEEDS_REVIEW, "check"), RF_OK);
    size_t n = 0;
    char *json = export_to_string(a, &n);
    assert_int_equal(n, 2);
    rf_store_free(a);

    /* the second store has seen only A, B and D so far */
    rf_store *b = open_new(p2, sizeof p2, "bl-b");
    tf partial[] = {fx_scan1[0], fx_scan1[1], fx_scan1[3]};
    scan(b, partial, 3);
    rf_baseline_totals t;
    unmatched u = {0};
    assert_int_equal(import_string(b, json, &t, &u), RF_OK);
    assert_int_equal(t.entries, 2);
    assert_int_equal(t.applied, 1);
    assert_int_equal(t.unmatched, 1);
    assert_int_equal(u.n, 1);
    assert_string_equal(u.fp[0], FP_C);

    state_of d = state(b, FP_D);
    assert_true(d.found);
    assert_int_equal(d.status, RF_REVIEW_FALSE_POSITIVE);
    assert_true(d.suppressed); /* kept, marked */
    assert_true(d.from_baseline);
    assert_string_equal(d.note, "game SDK");

    /* the unmatched entry is remembered and listed until it matches */
    memset(&u, 0, sizeof u);
    assert_int_equal(rf_store_baseline_unmatched(b, on_unmatched, &u), RF_OK);
    assert_int_equal(u.n, 1);

    /* a later scan finds C: it gets the remembered decision */
    scan(b, fx_scan1, 4);
    state_of c = state(b, FP_C);
    assert_true(c.found);
    assert_int_equal(c.status, RF_REVIEW_NEEDS_REVIEW);
    assert_true(c.from_baseline);
    assert_string_equal(c.note, "check");
    memset(&u, 0, sizeof u);
    assert_int_equal(rf_store_baseline_unmatched(b, on_unmatched, &u), RF_OK);
    assert_int_equal(u.n, 0);

    /* a local review later wins over the remembered entry on re-scans */
    assert_int_equal(
        rf_store_review(b, FP_C, RF_REVIEW_CONFIRMED, NULL), RF_OK);
    scan(b, fx_scan1, 4);
    c = state(b, FP_C);
    assert_int_equal(c.status, RF_REVIEW_CONFIRMED);
    assert_false(c.from_baseline);

    /* suppressed findings are never dropped from queries */
    uint64_t count = 0;
    assert_int_equal(rf_store_count(&count, b, NULL), RF_OK);
    assert_int_equal(count, 4);

    free(json);
    rf_store_free(b);
    fx_store_remove(p1);
    fx_store_remove(p2);
}

static void test_malformed_changes_nothing(void **state_)
{
    (void)state_;
    char path[512];
    rf_store *st = open_new(path, sizeof path, "bl-bad");
    scan(st, fx_scan1, 4);
    static const char *const bad[] = {
        "not json",
        "{\"findings\": 3}",
        "{\"redflag_baseline\": 99, \"findings\": []}",
        /* the second entry is bad: the first must not be applied either */
        "{\"findings\": [{\"fingerprint\": \"" FP_A "\", \"status\": "
        "\"confirmed\"}, {\"fingerprint\": \"xyz\", \"status\": "
        "\"confirmed\"}]}",
        "{\"findings\": [{\"fingerprint\": \"" FP_A "\", \"status\": "
        "\"resolved\"}]}",
        "{\"findings\": [{\"fingerprint\": \"" FP_A "\", \"status\": "
        "\"confirmed\", \"note\": 7}]}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rf_baseline_totals t;
        rf_status s = import_string(st, bad[i], &t, NULL);
        assert_int_not_equal(s, RF_OK);
        assert_non_null(strstr(rf_store_errmsg(st), "test.json"));
        assert_int_equal(t.applied, 0);
    }
    state_of a = state(st, FP_A);
    assert_int_equal(a.status, RF_REVIEW_NEW);

    /* a bare array and upper-case fingerprints are accepted */
    char ok[256];
    snprintf(
        ok, sizeof ok,
        "[{\"fingerprint\": \"AAAAAAAA00000000000000000000000A\", "
        "\"status\": \"fp\", \"note\": \"\"}]");
    rf_baseline_totals t;
    assert_int_equal(import_string(st, ok, &t, NULL), RF_OK);
    assert_int_equal(t.applied, 1);
    a = state(st, FP_A);
    assert_int_equal(a.status, RF_REVIEW_FALSE_POSITIVE);
    assert_string_equal(a.note, "");
    rf_store_free(st);
    fx_store_remove(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_export_format),
        cmocka_unit_test(test_import_into_other_store),
        cmocka_unit_test(test_malformed_changes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
