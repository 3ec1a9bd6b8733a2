/*
 * test_report.c - SARIF, CSV and HTML reports from hand-made findings:
 * byte-for-byte golden files (tests/golden/report/, regenerate with
 * RF_UPDATE_GOLDEN=1), SARIF structure checked with jansson, CSV quoting
 * and the formula guard, HTML escaping of hostile document text, and the
 * same reports written from the store with review state.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <strings.h>

#include <cmocka.h>
#include <jansson.h>

#include "report/report.h"
#include "store_fixture.h"

#define GOLDEN RF_SOURCE_DIR "/tests/golden/report/"

static const rf_rule_info fx_rules[] = {
    {"ethnicity-face-attribute", "Ethnicity inferred from a face", "ethnicity",
     RF_SEV_HIGH, "EU AI Act Art. 5(1)(g)", "Face analysis infers ethnicity",
     "Flags systems that label people by ethnic group from face images."},
    {"race-face-attribute", "Race inferred from a face", "race", RF_SEV_MEDIUM,
     "EU AI Act Art. 5(1)(g)", "Face analysis infers race", ""},
    {"sdk-race-enum", "SDK race enumeration", "race", RF_SEV_LOW, "",
     "An SDK exposes a race attribute", NULL},
    {"uyghur-alert", "Alert keyed on Uyghur ethnicity", "ethnicity",
     RF_SEV_CRITICAL, "EU AI Act Art. 5(1)(g)",
     "Alerting on a named ethnic group", "Critical: alarms on Uyghurs."},
};

/* Fixed review state for the "store" rendering (no clock involved). */
static const rf_stored_finding fx_reviews[] = {
    {.status = RF_REVIEW_CONFIRMED,
     .review = RF_REVIEW_CONFIRMED,
     .note = "claims a <b>watch list</b>",
     .first_scan = 1,
     .last_scan = 2,
     .reviewed_at = "2025-01-02T03:04:05Z"},
    {.status = RF_REVIEW_NEW,
     .review = RF_REVIEW_NEW,
     .first_scan = 2,
     .last_scan = 2},
    {.status = RF_REVIEW_FALSE_POSITIVE,
     .review = RF_REVIEW_FALSE_POSITIVE,
     .note = "=HYPERLINK(\"http://x\")",
     .suppressed = true,
     .first_scan = 1,
     .last_scan = 2,
     .from_baseline = true,
     .reviewed_at = "2025-01-02T03:04:05Z"},
    {.status = RF_REVIEW_RESOLVED,
     .review = RF_REVIEW_NEEDS_REVIEW,
     .first_scan = 1,
     .last_scan = 1,
     .resolved_scan = 2},
};

typedef struct render_ctx {
    rf_report *r;
    bool review;
    size_t i;
} render_ctx;

static rf_status r_finding(void *p, const rf_finding *f)
{
    render_ctx *c = p;
    rf_stored_finding sf = fx_reviews[c->i % 4];
    sf.finding = f;
    c->i++;
    return c->r->ops->finding(c->r, f, c->review ? &sf : NULL);
}

static void r_diag(void *p, const rf_diag *d)
{
    render_ctx *c = p;
    c->r->ops->diag(c->r, d);
}

/* Render the fixture in @p format; with_review adds store state. */
static char *render(const char *format, bool with_review)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_non_null(fp);
    rf_report *r = NULL;
    assert_int_equal(rf_report__new(&r, format, fp), RF_OK);
    rf_report_meta meta = {
        .from_store = with_review,
        .latest_scan = 2,
        .filter = with_review ? "severity low or higher" : NULL,
        .hidden_resolved = with_review ? 1 : 0};
    assert_int_equal(r->ops->begin(r, &meta), RF_OK);
    for (size_t i = 0; i < sizeof fx_rules / sizeof fx_rules[0]; i++) {
        assert_int_equal(r->ops->rule(r, &fx_rules[i]), RF_OK);
    }
    render_ctx ctx = {r, with_review, 0};
    rf_sink sink = {
        .version = RF_SINK_VERSION,
        .finding = r_finding,
        .diag = r_diag,
        .payload = &ctx};
    rf_diag d = {
        .level = RF_DIAG_ERROR,
        .status = RF_EPARSE,
        .path = "corpus/bad <file>.xml",
        .message = "not XML: <oops>"};
    assert_int_equal(fx_feed(&sink, fx_docs, 3, fx_scan1, 4, &d), RF_OK);
    rf_scan_summary sum = {
        .files = 3, .documents = 3, .bytes = 4096, .findings = 4, .errors = 1};
    assert_int_equal(r->ops->end(r, with_review ? NULL : &sum), RF_OK);
    rf_report__free(r);
    fclose(fp);
    return buf;
}

static void golden(const char *name, const char *got)
{
    char path[1024];
    snprintf(path, sizeof path, "%s%s", GOLDEN, name);
    const char *update = getenv("RF_UPDATE_GOLDEN");
    if (update != NULL && strcmp(update, "1") == 0) {
        FILE *fp = fopen(path, "wb");
        assert_non_null(fp);
        fwrite(got, 1, strlen(got), fp);
        fclose(fp);
        return;
    }
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        fail_msg("missing golden file %s (RF_UPDATE_GOLDEN=1 writes it)", path);
    }
    char *want = NULL;
    size_t cap = 0;
    ssize_t n = getdelim(&want, &cap, '\0', fp);
    fclose(fp);
    assert_true(n >= 0);
    if (strcmp(want, got) != 0) {
        size_t i = 0;
        while (want[i] && want[i] == got[i]) {
            i++;
        }
        fail_msg(
            "%s differs from the golden file at byte %zu:\n  want: "
            "%.60s\n  got:  %.60s\n(RF_UPDATE_GOLDEN=1 to accept)",
            name, i, want + i, got + i);
    }
    free(want);
}

/* ---------------- SARIF ---------------- */

static json_t *obj(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (v == NULL) {
        fail_msg("SARIF: missing \"%s\"", key);
    }
    return v;
}

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(obj(o, key));
    if (s == NULL) {
        fail_msg("SARIF: \"%s\" is not a string", key);
    }
    return s;
}

static void check_sarif(const char *text, bool with_review)
{
    json_error_t err;
    json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, &err);
    if (root == NULL) {
        fail_msg(
            "SARIF is not JSON: %s at %d:%d", err.text, err.line, err.column);
    }
    assert_string_equal(str(root, "version"), "2.1.0");
    assert_non_null(strstr(str(root, "$schema"), "sarif-schema-2.1.0.json"));
    json_t *runs = obj(root, "runs");
    assert_int_equal(json_array_size(runs), 1);
    json_t *run = json_array_get(runs, 0);
    json_t *driver = obj(obj(run, "tool"), "driver");
    assert_string_equal(str(driver, "name"), "redflag");
    json_t *rules = obj(driver, "rules");
    assert_int_equal(json_array_size(rules), 4);
    for (size_t i = 0; i < json_array_size(rules); i++) {
        json_t *r = json_array_get(rules, i);
        assert_string_equal(str(r, "id"), fx_rules[i].id);
        assert_true(strlen(str(r, "name")) > 0);
        assert_true(strlen(str(obj(r, "shortDescription"), "text")) > 0);
        assert_true(strlen(str(obj(r, "fullDescription"), "text")) > 0);
        const char *help = str(obj(r, "help"), "text");
        if (fx_rules[i].regulation[0] != '\0') {
            assert_non_null(strstr(help, fx_rules[i].regulation));
        }
        const char *lvl = str(obj(r, "defaultConfiguration"), "level");
        assert_string_equal(lvl, rf_report__sarif_level(fx_rules[i].severity));
        assert_string_equal(
            str(obj(r, "properties"), "category"), fx_rules[i].category);
    }
    assert_string_equal(
        str(json_array_get(rules, 0), "name"), "EthnicityFaceAttribute");
    json_t *results = obj(run, "results");
    assert_int_equal(json_array_size(results), 4);
    static const char *const levels[] = {"error", "error", "warning", "note"};
    for (size_t i = 0; i < 4; i++) {
        json_t *res = json_array_get(results, i);
        const char *rule = str(res, "ruleId");
        assert_string_equal(rule, fx_scan1[i].rule);
        json_int_t idx = json_integer_value(obj(res, "ruleIndex"));
        assert_string_equal(
            str(json_array_get(rules, (size_t)idx), "id"), rule);
        assert_string_equal(str(res, "level"), levels[i]);
        assert_true(strlen(str(obj(res, "message"), "text")) > 0);
        json_t *loc = json_array_get(obj(res, "locations"), 0);
        json_t *phys = obj(loc, "physicalLocation");
        const char *uri = str(obj(phys, "artifactLocation"), "uri");
        assert_null(strchr(uri, ' '));
        json_t *region = obj(phys, "region");
        assert_true(json_integer_value(obj(region, "startLine")) >= 1);
        assert_true(json_integer_value(obj(region, "startColumn")) >= 1);
        assert_int_equal(
            json_integer_value(obj(region, "byteOffset")), 100 * (i + 1));
        assert_int_equal(json_integer_value(obj(region, "byteLength")), 12);
        assert_string_equal(
            str(obj(region, "snippet"), "text"), fx_scan1[i].snippet);
        assert_string_equal(
            str(obj(res, "partialFingerprints"), "redflag/v1"),
            fx_scan1[i].fingerprint);
        json_t *sup = json_object_get(res, "suppressions");
        if (with_review && i == 2) {
            assert_int_equal(json_array_size(sup), 1);
            json_t *s0 = json_array_get(sup, 0);
            assert_string_equal(str(s0, "kind"), "external");
            assert_string_equal(str(s0, "status"), "accepted");
            assert_string_equal(
                str(s0, "justification"), "=HYPERLINK(\"http://x\")");
        } else {
            assert_null(sup);
        }
        if (with_review) {
            static const char *const states[] = {
                "unchanged", "new", "unchanged", "absent"};
            assert_string_equal(str(res, "baselineState"), states[i]);
            assert_string_equal(
                str(obj(res, "properties"), "status"),
                rf_review_status_name(fx_reviews[i].status));
        } else {
            assert_null(json_object_get(res, "baselineState"));
        }
    }
    /* archive member: jar-style "archive!/member" */
    json_t *us = json_array_get(results, 2);
    json_t *al =
        obj(obj(json_array_get(obj(us, "locations"), 0), "physicalLocation"),
            "artifactLocation");
    assert_string_equal(
        str(al, "uri"), "corpus/us/ipg230207.zip!/ipg230207.xml");
    assert_string_equal(
        str(obj(obj(us, "properties"), "document"), "link"),
        "https://patents.google.com/patent/US11574187B2");
    if (!with_review) {
        json_t *inv = json_array_get(obj(run, "invocations"), 0);
        assert_true(json_is_true(obj(inv, "executionSuccessful")));
        json_t *n = json_array_get(obj(inv, "toolExecutionNotifications"), 0);
        assert_string_equal(str(n, "level"), "error");
        const char *nuri = str(
            obj(obj(json_array_get(obj(n, "locations"), 0), "physicalLocation"),
                "artifactLocation"),
            "uri");
        assert_string_equal(nuri, "corpus/bad%20%3Cfile%3E.xml");
    }
    json_decref(root);
}

static void test_sarif(void **state)
{
    (void)state;
    char *plain = render("sarif", false);
    check_sarif(plain, false);
    golden("fixture.sarif", plain);
    char *reviewed = render("sarif", true);
    check_sarif(reviewed, true);
    golden("fixture-store.sarif", reviewed);
    free(plain);
    free(reviewed);
}

static void test_sarif_no_findings_no_rules(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    rf_writer *w = NULL;
    assert_int_equal(rf_writer_new(&w, "sarif", fp), RF_OK);
    const rf_sink *s = rf_writer_sink(w);
    rf_scan_summary sum = {0};
    assert_int_equal(s->begin(s->payload, NULL), RF_OK);
    assert_int_equal(s->end(s->payload, &sum), RF_OK);
    rf_writer_free(w);
    fclose(fp);
    json_t *root = json_loads(buf, 0, NULL);
    assert_non_null(root);
    json_t *run = json_array_get(json_object_get(root, "runs"), 0);
    assert_int_equal(json_array_size(json_object_get(run, "results")), 0);
    json_decref(root);
    free(buf);
}

static void test_sarif_uris(void **state)
{
    (void)state;
    static const struct {
        const char *path, *member, *uri;
    } cases[] = {
        {"./a b/c.txt", NULL, "a%20b/c.txt"},
        {"/abs/専利.xml", NULL, "file:///abs/%E5%B0%82%E5%88%A9.xml"},
        {"c:dir/x", NULL, "./c:dir/x"},
        {"w.zip", "/in/side#1.xml", "w.zip!/in/side%231.xml"},
        {"-", NULL, "-"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rf_document d = {
            .id = "x",
            .path = cases[i].path,
            .member = cases[i].member,
            .applicants = fx_none};
        rf_finding f = {
            .rule_id = "r",
            .severity = RF_SEV_LOW,
            .doc = &d,
            .snippet = "s",
            .fingerprint = FP_A,
            .section = "text"};
        char *buf = NULL;
        size_t len = 0;
        FILE *fp = open_memstream(&buf, &len);
        rf_report *r = NULL;
        rf_report_meta meta = {0};
        assert_int_equal(rf_report__sarif_new(&r, fp), RF_OK);
        r->ops->begin(r, &meta);
        assert_int_equal(r->ops->finding(r, &f, NULL), RF_OK);
        assert_int_equal(r->ops->end(r, NULL), RF_OK);
        rf_report__free(r);
        fclose(fp);
        char want[256];
        snprintf(want, sizeof want, "\"uri\":\"%s\"", cases[i].uri);
        if (strstr(buf, want) == NULL) {
            fail_msg("uri for %s: want %s in\n%s", cases[i].path, want, buf);
        }
        free(buf);
    }
}

/* ---------------- CSV ---------------- */

/* Minimal RFC 4180 reader: count records and fields, check quoting. */
static size_t csv_records(const char *s, size_t *fields_first, size_t *bad)
{
    size_t records = 0, fields = 1;
    bool q = false;
    *bad = 0;
    for (const char *p = s; *p; p++) {
        if (q) {
            if (*p == '"') {
                if (p[1] == '"') {
                    p++;
                } else {
                    q = false;
                }
            }
            continue;
        }
        if (*p == '"') {
            q = true;
        } else if (*p == ',') {
            fields++;
        } else if (*p == '\r' && p[1] == '\n') {
            if (records == 0) {
                *fields_first = fields;
            } else if (fields != *fields_first) {
                (*bad)++;
            }
            records++;
            fields = 1;
            p++;
        } else if (*p == '\n' || *p == '\r') {
            (*bad)++; /* bare line break outside quotes */
        }
    }
    return records;
}

static void test_csv(void **state)
{
    (void)state;
    char *plain = render("csv", false);
    size_t nf = 0, bad = 0;
    assert_int_equal(csv_records(plain, &nf, &bad), 5); /* header + 4 */
    assert_int_equal(bad, 0);
    assert_int_equal(nf, 28);
    assert_true(strncmp(plain, "fingerprint,severity,category,rule,", 35) == 0);
    /* quotes doubled, formula guard on document text */
    assert_non_null(strstr(
        plain, "\"estimating race, \"\"gender\"\", age, "
               "<b>bold</b> & =cmd|' /C calc'!A0, from a "
               "face\""));
    assert_non_null(strstr(
        plain, ",https://patents.google.com/patent/"
               "US11574187B2\r\n"));
    golden("fixture.csv", plain);

    char *reviewed = render("csv", true);
    assert_int_equal(csv_records(reviewed, &nf, &bad), 5);
    assert_int_equal(bad, 0);
    /* a note that is a formula is neutralised */
    assert_non_null(strstr(reviewed, ",false-positive,\"'=HYPERLINK("));
    assert_non_null(strstr(reviewed, ",confirmed,claims a <b>watch list</b>,"));
    golden("fixture-store.csv", reviewed);
    free(plain);
    free(reviewed);
}

static void test_csv_guard_and_controls(void **state)
{
    (void)state;
    rf_document d = {
        .id = "@SUM(A1)",
        .path = "+x",
        .title = "-1+1",
        .applicants = fx_none,
        .classes = fx_none};
    rf_finding f = {
        .rule_id = "r",
        .severity = RF_SEV_LOW,
        .doc = &d,
        .snippet = "a\x01"
                   "b\xff"
                   "c\td",
        .fingerprint = FP_A,
        .section = "text"};
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    rf_report *r = NULL;
    rf_report_meta meta = {0};
    assert_int_equal(rf_report__csv_new(&r, fp), RF_OK);
    r->ops->begin(r, &meta);
    assert_int_equal(r->ops->finding(r, &f, NULL), RF_OK);
    assert_int_equal(r->ops->end(r, NULL), RF_OK);
    rf_report__free(r);
    fclose(fp);
    assert_non_null(strstr(buf, ",'@SUM(A1),'-1+1,"));
    assert_non_null(strstr(buf, ",'+x,"));
    assert_non_null(strstr(
        buf, "a b\xEF\xBF\xBD"
             "c\td"));
    free(buf);
}

/* ---------------- HTML ---------------- */

static void check_html(const char *html)
{
    /* the hostile title, applicant and snippet show only as text */
    assert_null(strcasestr(html, "<script"));
    assert_non_null(strstr(
        html, "&lt;script&gt;alert(1)&lt;/script&gt; Face "
              "analysis"));
    assert_null(strstr(html, "<b>"));
    assert_non_null(strstr(html, "&lt;b&gt;bold&lt;/b&gt; &amp; =cmd|&#39;"));
    assert_non_null(strstr(html, "Acme &lt;Biometrics&gt; &amp; Sons"));
    assert_null(strstr(html, "<Biometrics>"));
    /* self-contained: no external loads */
    assert_non_null(strstr(html, "Content-Security-Policy"));
    assert_non_null(strstr(html, "default-src 'none'"));
    assert_null(strcasestr(html, " src="));
    assert_null(strcasestr(html, "<link"));
    assert_null(strcasestr(html, "@import"));
    assert_null(strcasestr(html, "url("));
    /* highlighted passage, link to the public record, charts */
    assert_non_null(strstr(html, "<mark>维吾尔族</mark>"));
    assert_non_null(strstr(
        html, "<a href=\"https://patents.google.com/patent/US11574187B2\""));
    assert_non_null(strstr(
        html, "<a href=\"https://patents.google.com/patent/CN111000001A\""));
    /* a source file is not a patent: no link */
    assert_null(strstr(html, "patents.google.com/patent/corpus"));
    static const char *const charts[] = {
        "Findings by trait", "Findings by severity", "Findings by applicant",
        "Findings by year", "Findings by language"};
    for (size_t i = 0; i < 5; i++) {
        char want[128];
        snprintf(
            want, sizeof want, "<figcaption>%s</figcaption>\n<svg", charts[i]);
        assert_non_null(strstr(html, want));
    }
    assert_non_null(strstr(html, ">2023<"));
    assert_non_null(strstr(html, ">zh-Hans<"));
    assert_non_null(strstr(html, "</html>\n"));
}

static void test_html(void **state)
{
    (void)state;
    char *plain = render("html", false);
    check_html(plain);
    assert_non_null(strstr(plain, "Problems reading inputs (1)"));
    assert_non_null(strstr(plain, "not XML: &lt;oops&gt;"));
    golden("fixture.html", plain);

    char *reviewed = render("html", true);
    check_html(reviewed);
    assert_non_null(strstr(reviewed, "claims a &lt;b&gt;watch list&lt;/b&gt;"));
    assert_non_null(strstr(
        reviewed, "st-false-positive\">false-positive, "
                  "suppressed, from baseline</span>"));
    assert_non_null(strstr(reviewed, "resolved (was needs-review)"));
    assert_non_null(strstr(reviewed, "1 resolved finding not shown"));
    assert_non_null(
        strstr(reviewed, "class=\"finding sev-medium suppressed\""));
    golden("fixture-store.html", reviewed);
    free(plain);
    free(reviewed);
}

static void test_patent_url(void **state)
{
    (void)state;
    static const struct {
        const char *id, *path, *url;
    } cases[] = {
        {"US-11574187-B2", "x.xml",
         "https://patents.google.com/patent/US11574187B2"},
        {"CN112364827A", "y", "https://patents.google.com/patent/CN112364827A"},
        {"EP-3812345-A1", "z", "https://patents.google.com/patent/EP3812345A1"},
        {"notes.txt", "notes.txt", NULL},
        {"US-1", "a", NULL},
        {"us-11574187-b2", "a", NULL},
        {"US-115\"><x", "a", NULL},
        {"1234567", "a", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rf_document d = {.id = cases[i].id, .path = cases[i].path};
        char *u = rf_report__patent_url(&d);
        if (cases[i].url == NULL) {
            assert_null(u);
        } else {
            assert_non_null(u);
            assert_string_equal(u, cases[i].url);
        }
        free(u);
    }
}

/* ---------------- from the store ---------------- */

static char *
store_report(rf_store *st, const char *format, const rf_store_filter *flt)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    rf_status s = rf_store_report(st, flt, format, fp);
    fclose(fp);
    if (s != RF_OK) {
        fail_msg("report %s: %s", format, rf_store_errmsg(st));
    }
    return buf;
}

static void test_store_reports(void **state)
{
    (void)state;
    char path[512];
    rf_store *st = NULL;
    fx_store_path(path, sizeof path, "reports");
    assert_int_equal(rf_store_open(&st, path, RF_STORE_CREATE), RF_OK);
    rf_sink sink;
    const char *paths[] = {"corpus"};
    rf_store_scan_info info;
    rf_store_scan_info_init(&info);
    info.paths = paths;
    info.path_count = 1;
    assert_int_equal(rf_store_sink(&sink, st, &info, NULL), RF_OK);
    assert_int_equal(fx_feed(&sink, fx_docs, 3, fx_scan1, 4, NULL), RF_OK);
    assert_int_equal(
        rf_store_review(st, FP_C, RF_REVIEW_FALSE_POSITIVE, "a <i>demo</i>"),
        RF_OK);

    char *jsonl = store_report(st, "jsonl", NULL);
    size_t lines = 0;
    for (char *line = jsonl; line && *line;) {
        char *nl = strchr(line, '\n');
        assert_non_null(nl);
        *nl = '\0';
        json_t *o = json_loads(line, 0, NULL);
        assert_non_null(o);
        const char *fp = json_string_value(json_object_get(o, "fingerprint"));
        const char *status = json_string_value(json_object_get(o, "status"));
        assert_non_null(status);
        assert_non_null(json_object_get(o, "note"));
        if (strcmp(fp, FP_C) == 0) {
            assert_string_equal(status, "false-positive");
            assert_string_equal(
                json_string_value(json_object_get(o, "note")), "a <i>demo</i>");
            assert_true(json_is_true(json_object_get(o, "suppressed")));
        } else {
            assert_string_equal(status, "new");
            assert_true(json_is_null(json_object_get(o, "note")));
        }
        json_decref(o);
        lines++;
        line = nl + 1;
    }
    assert_int_equal(lines, 4);

    char *sarif = store_report(st, "sarif", NULL);
    json_t *root = json_loads(sarif, 0, NULL);
    assert_non_null(root);
    json_t *run = json_array_get(json_object_get(root, "runs"), 0);
    json_t *results = json_object_get(run, "results");
    assert_int_equal(json_array_size(results), 4);
    size_t suppressed = 0;
    for (size_t i = 0; i < 4; i++) {
        suppressed +=
            json_object_get(json_array_get(results, i), "suppressions") != NULL;
    }
    assert_int_equal(suppressed, 1);
    json_decref(root);

    char *html = store_report(st, "html", NULL);
    assert_null(strcasestr(html, "<script"));
    assert_non_null(strstr(html, "a &lt;i&gt;demo&lt;/i&gt;"));
    /* deterministic: same store, same bytes */
    char *html2 = store_report(st, "html", NULL);
    assert_string_equal(html, html2);

    rf_store_filter flt;
    rf_store_filter_init(&flt);
    flt.min_severity = RF_SEV_CRITICAL;
    char *csv = store_report(st, "csv", &flt);
    size_t nf = 0, bad = 0;
    assert_int_equal(csv_records(csv, &nf, &bad), 2);

    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_int_equal(rf_store_report(st, NULL, "pdf", fp), RF_EINVAL);
    fclose(fp);
    assert_non_null(strstr(rf_store_errmsg(st), "unknown report format"));
    free(buf);

    free(jsonl);
    free(sarif);
    free(html);
    free(html2);
    free(csv);
    rf_store_free(st);
    fx_store_remove(path);
}

static void test_writer_table(void **state)
{
    (void)state;
    assert_true(rf_writer_format_known("sarif"));
    assert_true(rf_writer_format_known("csv"));
    assert_true(rf_writer_format_known("html"));
    assert_true(rf_writer_format_known("jsonl"));
    assert_false(rf_writer_format_known("pdf"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sarif),
        cmocka_unit_test(test_sarif_no_findings_no_rules),
        cmocka_unit_test(test_sarif_uris),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_csv_guard_and_controls),
        cmocka_unit_test(test_html),
        cmocka_unit_test(test_patent_url),
        cmocka_unit_test(test_store_reports),
        cmocka_unit_test(test_writer_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
